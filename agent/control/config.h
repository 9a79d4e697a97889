/* SPDX-License-Identifier: MIT */
/* The agent's configuration file (/etc/hardend/hardend.yaml): where it
 * keeps profiles, state and its control socket, which event sources run,
 * how often it scans, and its memory caps.
 *
 * Every key has a default, so the agent runs with no file at all. The
 * loader is validated like a policy: every problem is reported with
 * file:line:col, and a file with any problem changes nothing. The struct is
 * a plain value (no pointers): copy it with '=', no destructor. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "base/diag.h"

#define CONFIG_DEFAULT_PATH "/etc/hardend/hardend.yaml"
/* A configuration is a page of keys; anything larger is a mistake. */
#define CONFIG_MAX_BYTES (64u * 1024u)
/* Directories in the configuration, with room for the NUL. Long enough for
 * any sane layout, short enough that the struct stays a plain value. */
#define CONFIG_PATH_MAX 256u
/* The control socket's name inside runtime_dir. */
#define CONFIG_SOCKET_NAME "control.sock"
/* POSIX login group names are at most 32 bytes on Linux (shadow's limit). */
#define CONFIG_GROUP_MAX 33u

struct config_sources {
        bool netlink; /* audit netlink multicast (AUDIT_NLGRP_READLOG) */
        bool journal; /* audit records as journald stored them */
        /* Empty: the system journal; else a directory of journal files. */
        char journal_dir[CONFIG_PATH_MAX];
};

/* read_gid of a configuration without read_group; the same value as
 * peer.h's PEER_GROUP_NONE, so it can be passed on as it is. */
#define CONFIG_GROUP_NONE ((gid_t)-1)

struct hardend_config {
        char profiles_dir[CONFIG_PATH_MAX];
        char state_dir[CONFIG_PATH_MAX];
        char runtime_dir[CONFIG_PATH_MAX];
        char seccomp_dir[CONFIG_PATH_MAX];
        struct config_sources sources;
        uint64_t scan_interval_usec;
        uint64_t quiet_period_usec;
        uint64_t max_keys;
        uint64_t max_processes;
        uint64_t netlink_rcvbuf; /* bytes */
        /* Empty: only root may talk to the control socket. */
        char read_group[CONFIG_GROUP_MAX];
        gid_t read_gid; /* read_group resolved at load time; CONFIG_GROUP_NONE when unset
                           (not 0: that is root's group, and would let its members in) */
        bool watchdog;
};

/* Ranges the loader accepts (inclusive). */
#define CONFIG_SCAN_INTERVAL_MIN_USEC (1ull * 1000000ull)
#define CONFIG_SCAN_INTERVAL_MAX_USEC (86400ull * 1000000ull)
#define CONFIG_QUIET_PERIOD_MAX_USEC  (365ull * 86400ull * 1000000ull)
#define CONFIG_MAX_KEYS_MAX           100000000ull
#define CONFIG_MAX_PROCESSES_MAX      10000000ull
#define CONFIG_NETLINK_RCVBUF_MIN     (64ull * 1024ull)
#define CONFIG_NETLINK_RCVBUF_MAX     (1024ull * 1024ull * 1024ull)

void config_init_defaults(struct hardend_config *c);

/* Parses a configuration from data (size bytes, need not be
 * NUL-terminated). An empty file, or one holding only comments, gives the
 * defaults. Returns 0 and fills *ret, or adds a located diagnostic to d for
 * every problem found and returns -EINVAL (-EFBIG when too large, -ENOMEM);
 * *ret is written only on success. */
int config_load_buffer(const char *data, size_t size, struct diag_list *d,
                       struct hardend_config *ret);

/* Reads path with config_load_buffer(). path NULL means CONFIG_DEFAULT_PATH
 * and a missing file there is fine: returns 1 with the defaults in *ret. A
 * missing file named explicitly is an error (-ENOENT, diagnostic added). */
int config_load_file(const char *path, struct diag_list *d, struct hardend_config *ret);

/* The control socket's path (runtime_dir/control.sock) into buf. Returns
 * 0 or -ENAMETOOLONG (the loader already refuses such runtime_dirs). */
int config_socket_path(const struct hardend_config *c, char *buf, size_t size);

/* Canonical YAML with every key, which config_load_buffer() reads back to
 * the same struct. Returns 0 or -EIO. */
int config_print(const struct hardend_config *c, FILE *f);

/* "90s", "15m", "2h", "1d" (also "sec", "min", "hour(s)", "day(s)"); a
 * number with no unit is refused: seconds or minutes is a guess. Returns
 * 0, -EINVAL or -ERANGE (does not fit 64-bit µs). */
int config_parse_duration(const char *s, uint64_t *ret_usec);
/* The largest unit that represents usec exactly: "1d", "90s", "0s". */
char *config_format_duration(uint64_t usec, char *buf, size_t size);
/* "8388608", "512K", "8M", "1G" (also KiB, MiB, GiB; powers of 1024).
 * Returns 0, -EINVAL or -ERANGE. */
int config_parse_size(const char *s, uint64_t *ret_bytes);
char *config_format_size(uint64_t bytes, char *buf, size_t size);
