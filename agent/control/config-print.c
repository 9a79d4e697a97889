/* SPDX-License-Identifier: MIT */
/* The canonical form of a configuration: every key, in the order the
 * documentation lists them, defaults included. It is what
 * `hardenctl validate --print` shows and what the round-trip tests and the
 * fuzzer read back. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "config.h"

/* Paths of the common alphabet print plain; anything else (spaces, ':',
 * '#', quotes, non-ASCII) is double-quoted so YAML reads the same bytes.
 * The loader refuses control characters, so only '"' and '\' need escapes. */
static void print_string(FILE *f, const char *key, const char *value, const char *indent)
{
        bool plain = value[0] != '\0';

        for (const char *c = value; *c && plain; c++)
                plain = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                        (*c >= '0' && *c <= '9') || strchr("/_.+-", *c);
        fprintf(f, "%s%s: ", indent, key);
        if (plain) {
                fprintf(f, "%s\n", value);
                return;
        }
        fputc('"', f);
        for (const char *c = value; *c; c++) {
                if (*c == '"' || *c == '\\')
                        fputc('\\', f);
                fputc(*c, f);
        }
        fputs("\"\n", f);
}

int config_print(const struct hardend_config *c, FILE *f)
{
        char buf[32];

        print_string(f, "profiles_dir", c->profiles_dir, "");
        print_string(f, "state_dir", c->state_dir, "");
        print_string(f, "runtime_dir", c->runtime_dir, "");
        print_string(f, "seccomp_dir", c->seccomp_dir, "");
        fputs("sources:\n", f);
        fprintf(f, "  netlink: %s\n", c->sources.netlink ? "true" : "false");
        fprintf(f, "  journal: %s\n", c->sources.journal ? "true" : "false");
        print_string(f, "journal_dir", c->sources.journal_dir, "  ");
        fprintf(f, "scan_interval: %s\n",
                config_format_duration(c->scan_interval_usec, buf, sizeof(buf)));
        fprintf(f, "quiet_period: %s\n",
                config_format_duration(c->quiet_period_usec, buf, sizeof(buf)));
        fprintf(f, "max_keys: %llu\n", (unsigned long long)c->max_keys);
        fprintf(f, "max_processes: %llu\n", (unsigned long long)c->max_processes);
        fprintf(f, "netlink_rcvbuf: %s\n", config_format_size(c->netlink_rcvbuf, buf, sizeof(buf)));
        print_string(f, "read_group", c->read_group, "");
        fprintf(f, "watchdog: %s\n", c->watchdog ? "true" : "false");
        return ferror(f) ? -EIO : 0;
}
