/* SPDX-License-Identifier: MIT */
/* /proc/PID/mountinfo: the mounts a process sees, parsed once per mount
 * namespace. A pure function from bytes to a table.
 *
 *   36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
 *   (1)(2) (3)   (4)   (5)      (6)        (7)  (8) (9)   (10)      (11)
 *
 * Paths (4, 5, 10) and the type carry the kernel's octal escapes for space,
 * tab, newline and backslash (\040 \011 \012 \134), undone here; (7) is
 * zero or more optional fields ended by a lone "-"; (6) are the per-mount
 * options, (11) the superblock's: a mount is writable only when neither
 * says "ro". */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MOUNTINFO_MAX_BYTES   (16u * 1024u * 1024u)
#define MOUNTINFO_MAX_ENTRIES 100000u
#define MOUNTINFO_MAX_LINE    (64u * 1024u)
#define MOUNTINFO_MAX_FIELDS  32u /* optional fields per line */

enum mount_flag {
        MOUNT_RO = 1u << 0,    /* per-mount "ro" */
        MOUNT_SB_RO = 1u << 1, /* superblock "ro" */
        MOUNT_NOSUID = 1u << 2,
        MOUNT_NODEV = 1u << 3,
        MOUNT_NOEXEC = 1u << 4,
        MOUNT_SHARED = 1u << 5, /* optional field shared:N */
        MOUNT_SLAVE = 1u << 6,  /* optional field master:N */
        MOUNT_HIDDEN = 1u << 7, /* another mount sits on the same mount point on top of it */
};

struct mount_entry {
        unsigned id, parent;
        unsigned major, minor;
        unsigned flags;   /* enum mount_flag */
        const char *root; /* path inside the filesystem that is mounted; borrowed from the table */
        const char *target; /* mount point, relative to the process's root */
        const char *fstype; /* "ext4", "fuse.sshfs"... */
        const char *source; /* "/dev/vda", "tmpfs", "none"... */
};

struct mount_table {
        struct mount_entry *entries;
        size_t n;
        char *strings; /* owns every string of entries */
};

/* Returns 0, -EINVAL with *ret_line set to the 1-based bad line (when
 * ret_line is not NULL), -E2BIG over the caps above, or -ENOMEM. */
int mountinfo_parse(const char *buf, size_t len, struct mount_table *ret, unsigned *ret_line);
void mount_table_done(struct mount_table *t);

static inline bool mount_entry_writable(const struct mount_entry *m)
{
        return !(m->flags & (MOUNT_RO | MOUNT_SB_RO));
}

/* The visible mount at "/" (the process's root), or NULL. */
const struct mount_entry *mount_table_root(const struct mount_table *t);

/* The visible mount holding path (absolute, plain) and path's location
 * inside that filesystem, written to buf: "/run/podman/podman.sock" under a
 * tmpfs mounted at /run with root "/" is "/podman/podman.sock". Returns
 * the entry, or NULL (buf untouched) when no mount holds it or buf is too
 * small. */
const struct mount_entry *mount_table_resolve(const struct mount_table *t, const char *path,
                                              char *buf, size_t size);

/* True when a is b or a directory above b, component-wise ("/run" is above
 * "/run/x" but not "/runx"). */
bool path_is_prefix(const char *a, const char *b);
