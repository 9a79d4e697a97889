/* SPDX-License-Identifier: MIT */
/* The change log: every mode switch, appended as one JSON line to
 * state_dir/changes.log. Each line goes out in one write() followed by
 * fsync, so a crash leaves at most the last line torn; a torn or damaged
 * line is skipped (and counted) on reading, never fatal. Past
 * CHANGELOG_ROTATE_SIZE the file is renamed to changes.log.1 (replacing
 * the previous one) and a new one begins, so the log takes at most about
 * twice that. Never logs. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "control/state.h"
#include "policy/policy.h"

#define CHANGELOG_FILE        "changes.log"
#define CHANGELOG_FILE_OLD    "changes.log.1"
#define CHANGELOG_ROTATE_SIZE (1024u * 1024)
#define CHANGELOG_REASON_MAX  255
/* The longest line the writer can produce is ~2 KiB (reason escaped
 * \u00XX at worst); longer lines are damage. */
#define CHANGELOG_LINE_MAX 4096

struct changelog_entry {
        uint64_t time_usec; /* CLOCK_REALTIME µs */
        char service[STATE_NAME_MAX + 1];
        enum policy_mode from;
        enum policy_mode to;
        struct state_peer who;
        bool forced;                           /* enforce --force overrode a refusal */
        char reason[CHANGELOG_REASON_MAX + 1]; /* printable ASCII, may be empty */
};

/* Pure printer: one line, '\n'-terminated, NUL-terminated. Bytes of reason
 * and comm outside printable ASCII become '?'. Returns 0, -EINVAL (bad
 * service name or mode) or -ENOMEM. */
int changelog_format_line(const struct changelog_entry *e, char **ret_line, size_t *ret_size);

/* Pure parser: one line without its '\n'. Returns 0 or -EINVAL. */
int changelog_parse_line(const char *line, size_t size, struct changelog_entry *ret);

/* Appends e to dirfd/changes.log (created 0600), rotating first when the
 * file would grow past CHANGELOG_ROTATE_SIZE. Returns once the line is on
 * disk: 0 or -errno. */
int changelog_append(int dirfd, const struct changelog_entry *e);

/* Reads changes.log.1 then changes.log (oldest first). *ret_entries holds
 * the valid entries (caller frees), *ret_bad counts lines skipped as torn
 * or damaged. A missing file is an empty log. Returns 0 or -errno. */
int changelog_read(int dirfd, struct changelog_entry **ret_entries, size_t *ret_n, size_t *ret_bad);
