/* SPDX-License-Identifier: MIT */
/* The observations kept across restarts and crashes: state_dir/
 * observations.json, written like the state file (control/state.h) and
 * read as strictly.
 *
 * One file, replaced atomically on every save (temporary file, fsync,
 * rename, fsync of the directory), carrying a format name, a version and a
 * CRC-32 of its canonical body. A file that is torn, not JSON, of another
 * format or version, fails the check or holds a single bad value is renamed
 * aside (observations.json.corrupt-<UTC time>) and the agent starts with
 * no observations: the file never stops the agent from starting.
 *
 * Strings from records (paths, comm, exe, workload refs...) are arbitrary
 * bytes; in the file they are printable ASCII with every other byte and '%'
 * written %HH, so any byte string round-trips and the file stays ASCII.
 *
 * observations_parse and observations_format are pure functions over
 * bytes; observations_load/observations_save add the file handling. Never
 * logs: the caller reports what observations_load says happened. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "observations.h"

#define OBSERVATIONS_FILE           "observations.json"
#define OBSERVATIONS_FORMAT_NAME    "hardend-observations"
#define OBSERVATIONS_FORMAT_VERSION 1
/* A typical key takes 300-400 bytes in the file (16384 keys: 5.5 MB,
 * measured); this leaves 4 KiB per key at the default cap, room for long
 * paths. A larger file is damage when read, and -EFBIG when about to be
 * written (the previous file stays). A load needs about 10x the file's
 * size while it runs (jansson's tree): 56 MiB for 16384 keys. */
#define OBSERVATIONS_FILE_MAX (64u * 1024 * 1024)

/* Pure parser: the bytes of an observations file to a new observations
 * object with key cap max_keys (0: the default). Keys past the cap are
 * counted over it, as observations_restore does (not an error). Returns 0,
 * -EINVAL with the reasons in diags (any defect at all: the file is
 * exactly what observations_format wrote, modulo layout, or refused), or
 * -ENOMEM. */
int observations_parse(const char *data, size_t size, size_t max_keys, struct diag_list *diags,
                       struct observations **ret);

/* Pure printer: the canonical file bytes (NUL-terminated, ends in "\n").
 * Services sorted by name (unattributed last), each with its keys sorted
 * by kind, count (descending), then the rest of the key. Returns 0, -EINVAL
 * (observations the parser would refuse; observations_add and
 * observations_restore never make such), -EFBIG (past
 * OBSERVATIONS_FILE_MAX) or -ENOMEM. */
int observations_format(const struct observations *o, char **ret_data, size_t *ret_size);

/* Loads dirfd/observations.json (dirfd is state_dir, opened O_DIRECTORY,
 * not O_PATH). Also removes temporary files a crash during a save left.
 *  0: loaded, or no file (first start: empty observations).
 *  1: the file was unusable; it was renamed to dirfd/<*ret_kept_aside>
 *     (if not NULL, caller frees), the reasons are in diags, and *ret is
 *     empty: the caller warns loudly and goes on without them.
 *  -errno: the file could not be read at all (EACCES, EIO...) or not be
 *     renamed; nothing was renamed. now_usec names the kept-aside file. */
int observations_load(int dirfd, size_t max_keys, uint64_t now_usec, struct diag_list *diags,
                      struct observations **ret, char **ret_kept_aside);

/* Writes o atomically to dirfd/observations.json (mode 0600) and returns
 * only once the new file and the rename are on disk. Returns 0 or -errno;
 * on error the previous file is untouched. */
int observations_save(int dirfd, const struct observations *o);
