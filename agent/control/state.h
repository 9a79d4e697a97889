/* SPDX-License-Identifier: MIT */
/* The agent's persistent state: per service the mode (monitor|enforce),
 * since when and who switched it; and the event sources' cursors, so that a
 * restart resumes where the last run stopped.
 *
 * On disk it is one file, state_dir/state.json, replaced atomically on every
 * save (temporary file, fsync, rename, fsync of the directory), carrying a
 * format version and a CRC-32 of its canonical body. A file that is torn,
 * not JSON, of another version, fails the check or holds bad values is
 * renamed aside (state.json.corrupt-<UTC time>) and the agent starts from
 * the policy defaults: the state never stops the agent from starting.
 *
 * The parser (state_parse) and the printer (state_format) are pure
 * functions over bytes; state_load/state_save add the file handling.
 * Never logs: the caller reports what state_load says happened. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "base/macro.h"
#include "policy/policy.h"

#define STATE_FILE           "state.json"
#define STATE_FORMAT_NAME    "hardend-state"
#define STATE_FORMAT_VERSION 1
#define STATE_SERVICES_MAX   1024
#define STATE_NAME_MAX       63   /* service names: [a-z][a-z0-9-]{0,62} */
#define STATE_COMM_MAX       15   /* TASK_COMM_LEN - 1 */
#define STATE_CURSOR_MAX     4096 /* a journal cursor is ~130 bytes; generous cap */
/* Far above what 1024 services and a 4 KiB cursor need (~250 KiB), so a
 * file past it is garbage, not a big state. */
#define STATE_FILE_MAX (4u * 1024 * 1024)

/* Who switched a service. policy == true: nobody did, the mode is the
 * policy's own default (uid/pid/comm are then 0/0/""). Otherwise the
 * control socket's SO_PEERCRED peer and its comm (bytes outside printable
 * ASCII are stored as '?': comm is whatever the process chose). */
struct state_peer {
        bool policy;
        uint32_t uid;
        uint32_t pid;
        char comm[STATE_COMM_MAX + 1];
};

struct state_service {
        char name[STATE_NAME_MAX + 1];
        enum policy_mode mode;
        uint64_t since_usec; /* CLOCK_REALTIME µs */
        struct state_peer who;
};

/* Where each event source stopped. One journal reader and one audit
 * netlink socket serve every service, so the cursors are global. Empty
 * journal cursor / serial 0 = none yet. */
struct state_cursors {
        char journal[STATE_CURSOR_MAX + 1]; /* printable ASCII */
        uint64_t audit_serial;              /* the kernel's 32-bit serial */
        uint64_t audit_stamp_usec;          /* the record's audit(SEC.MS:...) stamp */
};

struct hardend_state {
        struct state_service *services; /* sorted by name, unique */
        size_t n_services;
        struct state_cursors cursors;
};

struct hardend_state *state_new(void);
struct hardend_state *state_free(struct hardend_state *s);
DEFINE_POINTER_CLEANUP(struct hardend_state, state_free)
#define _cleanup_state_ _cleanup_(state_freep)

bool state_service_name_valid(const char *name);

/* The entry for name, or NULL. Borrowed: valid until the next change. */
const struct state_service *state_find(const struct hardend_state *s, const char *name);

/* Records that name is now in mode since since_usec, switched by who
 * (copied; comm sanitised). Adds the service if it is new. Returns 0,
 * -EINVAL (bad name or mode), -E2BIG (STATE_SERVICES_MAX reached) or
 * -ENOMEM. */
int state_set_mode(struct hardend_state *s, const char *name, enum policy_mode mode,
                   uint64_t since_usec, const struct state_peer *who);

/* Forgets a service (e.g. its policy was removed). Returns 0 or -ENOENT. */
int state_remove(struct hardend_state *s, const char *name);

/* Returns 0, or -EINVAL when the cursor is longer than STATE_CURSOR_MAX or
 * holds bytes outside printable ASCII (state unchanged then). */
int state_set_journal_cursor(struct hardend_state *s, const char *cursor);
void state_set_audit_cursor(struct hardend_state *s, uint64_t serial, uint64_t stamp_usec);

/* Pure parser: the bytes of a state file to a state. Returns 0, -EINVAL
 * with the reasons added to diags (any defect at all: the file is either
 * exactly what state_format wrote or rejected), or -ENOMEM. */
int state_parse(const char *data, size_t size, struct diag_list *diags, struct hardend_state **ret);

/* Pure printer: the canonical file bytes (NUL-terminated, ends in "\n").
 * Returns 0, -EINVAL (a state that the parser would refuse) or -ENOMEM. */
int state_format(const struct hardend_state *s, char **ret_data, size_t *ret_size);

/* Loads dirfd/state.json (dirfd is state_dir, opened O_DIRECTORY).
 * Also removes temporary files that a crash during state_save left behind.
 *  0: loaded, or no file (first start: empty state).
 *  1: the file was unusable; it was renamed to dirfd/<*ret_kept_aside>
 *     (if not NULL, caller frees), the reasons are in diags, and *ret_state
 *     is an empty state: the caller warns loudly and uses policy defaults.
 *  -errno: the file could not be read at all (EACCES, EIO...); nothing was
 *     renamed. now_usec names the kept-aside file. */
int state_load(int dirfd, uint64_t now_usec, struct diag_list *diags,
               struct hardend_state **ret_state, char **ret_kept_aside);

/* Writes s atomically to dirfd/state.json (mode 0600) and returns only once
 * the new file and the rename are on disk. Returns 0 or -errno; on error
 * the previous file is untouched. */
int state_save(int dirfd, const struct hardend_state *s);
