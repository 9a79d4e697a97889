/* SPDX-License-Identifier: MIT */
#include "policy-print.h"

#include <ctype.h>
#include <string.h>

#include "names.h"

/* A scalar YAML would read back as the same string without quotes. */
static bool plain_safe(const char *s)
{
        static const char *const reserved[] = {"true", "false", "null", "yes", "no",
                                               "on",   "off",   "~",    "y",   "n"};

        if (!*s || s[0] == '-' || s[0] == '.' || isdigit((unsigned char)s[0]))
                return false;
        for (size_t i = 0; i < ELEMENTSOF(reserved); i++)
                if (strcasecmp(s, reserved[i]) == 0)
                        return false;
        for (const char *c = s; *c; c++)
                if (!isalnum((unsigned char)*c) && !strchr("_./-", *c))
                        return false;
        return true;
}

static void print_scalar(FILE *f, const char *s)
{
        if (plain_safe(s)) {
                fputs(s, f);
                return;
        }
        fputc('"', f);
        for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
                if (*c == '"' || *c == '\\')
                        fprintf(f, "\\%c", *c);
                else if (*c == '\n')
                        fputs("\\n", f);
                else if (*c == '\t')
                        fputs("\\t", f);
                else if (*c < 0x20 || *c == 0x7f)
                        fprintf(f, "\\x%02x", *c);
                else
                        fputc(*c, f);
        }
        fputc('"', f);
}

static void print_key(FILE *f, int indent, const char *key)
{
        fprintf(f, "%*s%s:", indent, "", key);
}

static void print_kv(FILE *f, int indent, const char *key, const char *value)
{
        print_key(f, indent, key);
        fputc(' ', f);
        print_scalar(f, value);
        fputc('\n', f);
}

static void print_bool(FILE *f, int indent, const char *key, bool value)
{
        print_key(f, indent, key);
        fputs(value ? " true\n" : " false\n", f);
}

static void print_list(FILE *f, int indent, const char *key, const struct policy_list *l)
{
        print_key(f, indent, key);
        if (l->n == 0) {
                fputs(" []\n", f);
                return;
        }
        fputc('\n', f);
        for (size_t i = 0; i < l->n; i++) {
                fprintf(f, "%*s- ", indent + 2, "");
                print_scalar(f, l->items[i].name);
                fputc('\n', f);
        }
}

/* "- " opens an item mapping; its further keys align under the first. */
static void print_item_start(FILE *f, int indent)
{
        fprintf(f, "%*s- ", indent + 2, "");
}

static void print_match(FILE *f, const struct policy_match *m)
{
        fputs("match:\n", f);
        print_key(f, 2, "labels");
        if (m->n_labels == 0)
                fputs(" {}\n", f);
        else {
                fputc('\n', f);
                for (size_t i = 0; i < m->n_labels; i++) {
                        fprintf(f, "    ");
                        print_scalar(f, m->labels[i].key);
                        fputs(": ", f);
                        print_scalar(f, m->labels[i].value);
                        fputc('\n', f);
                }
        }
        print_list(f, 2, "container_names", &m->container_names);
        print_list(f, 2, "units", &m->units);
        print_list(f, 2, "executables", &m->executables);
}

static void print_errno(FILE *f, int e)
{
        const char *name = errno_to_name(e);

        if (name)
                fputs(name, f);
        else
                fprintf(f, "%d", e);
}

static void print_arches(FILE *f, unsigned bits)
{
        print_key(f, 2, "architectures");
        fputc('\n', f);
        for (size_t i = 0; i < policy_arch_names_len; i++)
                if (bits & policy_arch_names[i].bit)
                        fprintf(f, "    - %s\n", policy_arch_names[i].name);
}

static void print_condition(FILE *f, const struct seccomp_condition *c)
{
        print_item_start(f, 2);
        fputs("syscall: ", f);
        print_scalar(f, c->syscall);
        fprintf(f, "\n      arg: %u\n      %s:\n", c->arg,
                c->op == SECCOMP_COND_IN ? "in" : "none_of");
        for (size_t j = 0; j < c->n_values; j++) {
                if (c->values[j].symbol)
                        fprintf(f, "        - %s\n", c->values[j].symbol);
                else
                        fprintf(f, "        - 0x%llx\n", (unsigned long long)c->values[j].value);
        }
}

static void print_seccomp(FILE *f, const struct policy_seccomp *s)
{
        fputs("seccomp:\n", f);
        print_kv(f, 2, "base", s->base_kind == SECCOMP_BASE_NONE ? "none" : s->base);
        print_arches(f, s->architectures);
        fputs("  errno: ", f);
        print_errno(f, s->errno_value);
        fputc('\n', f);
        print_kv(f, 2, "violation", seccomp_violation_to_string(s->violation));
        print_list(f, 2, "allow", &s->allow);
        print_key(f, 2, "deny");
        fputs(s->n_deny == 0 ? " []\n" : "\n", f);
        for (size_t i = 0; i < s->n_deny; i++) {
                print_item_start(f, 2);
                if (s->deny[i].errno_value == 0) {
                        print_scalar(f, s->deny[i].syscall);
                        fputc('\n', f);
                        continue;
                }
                fputs("syscall: ", f);
                print_scalar(f, s->deny[i].syscall);
                fputs("\n      errno: ", f);
                print_errno(f, s->deny[i].errno_value);
                fputc('\n', f);
        }
        print_key(f, 2, "conditions");
        fputs(s->n_conditions == 0 ? " []\n" : "\n", f);
        for (size_t i = 0; i < s->n_conditions; i++)
                print_condition(f, &s->conditions[i]);
}

static void print_file_rules(FILE *f, const char *key, const struct apparmor_file_rule *r, size_t n)
{
        print_key(f, 2, key);
        fputs(n == 0 ? " []\n" : "\n", f);
        for (size_t i = 0; i < n; i++) {
                print_item_start(f, 2);
                fputs("path: ", f);
                print_scalar(f, r[i].path);
                fputs("\n      access: ", f);
                print_scalar(f, r[i].access);
                fputc('\n', f);
        }
}

static void print_inline_list(FILE *f, const char *key, const struct policy_list *l)
{
        fprintf(f, "      %s: [", key);
        for (size_t j = 0; j < l->n; j++) {
                fputs(j ? ", " : "", f);
                print_scalar(f, l->items[j].name);
        }
        fputs("]\n", f);
}

static void print_peer_rules(FILE *f, const char *key, const struct apparmor_peer_rule *r, size_t n,
                             bool is_signal)
{
        print_key(f, 2, key);
        fputs(n == 0 ? " []\n" : "\n", f);
        for (size_t i = 0; i < n; i++) {
                print_item_start(f, 2);
                fputs("access: [", f);
                for (size_t j = 0; j < r[i].access.n; j++) {
                        fputs(j ? ", " : "", f);
                        print_scalar(f, r[i].access.items[j].name);
                }
                fputs("]\n", f);
                if (is_signal)
                        print_inline_list(f, "signals", &r[i].signals);
                if (r[i].peer) {
                        fputs("      peer: ", f);
                        print_scalar(f, r[i].peer);
                        fputc('\n', f);
                }
        }
}

static void print_apparmor(FILE *f, const struct policy_apparmor *a)
{
        fputs("apparmor:\n", f);
        print_bool(f, 2, "include_base", a->include_base);
        print_file_rules(f, "files", a->files, a->n_files);
        print_file_rules(f, "deny", a->deny, a->n_deny);
        print_key(f, 2, "network");
        fputs(a->n_network == 0 ? " []\n" : "\n", f);
        for (size_t i = 0; i < a->n_network; i++) {
                if (a->network[i].type)
                        fprintf(f, "    - %s %s\n", a->network[i].family, a->network[i].type);
                else
                        fprintf(f, "    - %s\n", a->network[i].family);
        }
        print_peer_rules(f, "ptrace", a->ptrace, a->n_ptrace, false);
        print_peer_rules(f, "signal", a->signal, a->n_signal, true);
        print_key(f, 2, "mount");
        fputs(a->n_mount == 0 ? " []\n" : "\n", f);
        for (size_t i = 0; i < a->n_mount; i++) {
                const struct apparmor_mount_rule *m = &a->mount[i];

                print_item_start(f, 2);
                fputs("target: ", f);
                print_scalar(f, m->target);
                fputc('\n', f);
                if (m->fstype)
                        print_kv(f, 6, "fstype", m->fstype);
                if (m->source)
                        print_kv(f, 6, "source", m->source);
                print_inline_list(f, "options", &m->options);
        }
}

static void print_posture(FILE *f, const struct policy_posture *p)
{
        char name[64];

        fputs("posture:\n", f);
        print_key(f, 2, "capabilities");
        fputs(p->n_capabilities == 0 ? " []\n" : "\n", f);
        for (size_t i = 0; i < p->n_capabilities; i++) {
                print_item_start(f, 2);
                fprintf(f, "name: %s\n",
                        capability_to_name(p->capabilities[i].cap, name, sizeof(name)));
                print_kv(f, 6, "reason", p->capabilities[i].reason);
        }
        print_bool(f, 2, "no_new_privileges", p->no_new_privileges);
        print_bool(f, 2, "read_only_rootfs", p->read_only_rootfs);
        print_key(f, 2, "writable_mounts");
        fputs(p->n_writable_mounts == 0 ? " []\n" : "\n", f);
        for (size_t i = 0; i < p->n_writable_mounts; i++) {
                print_item_start(f, 2);
                fputs("path: ", f);
                print_scalar(f, p->writable_mounts[i].path);
                fputc('\n', f);
                if (p->writable_mounts[i].type)
                        print_kv(f, 6, "type", p->writable_mounts[i].type);
        }
        print_list(f, 2, "forbidden_mounts", &p->forbidden_mounts);
        print_key(f, 2, "host_namespaces");
        if (p->host_namespaces == 0)
                fputs(" []\n", f);
        else {
                fputc('\n', f);
                for (size_t i = 0; i < policy_namespace_names_len; i++)
                        if (p->host_namespaces & policy_namespace_names[i].bit)
                                fprintf(f, "    - %s\n", policy_namespace_names[i].name);
        }
}

int policy_print(const struct policy *p, FILE *f)
{
        print_kv(f, 0, "service", p->service);
        if (p->description)
                print_kv(f, 0, "description", p->description);
        print_kv(f, 0, "mode", policy_mode_to_string(p->mode));
        print_match(f, &p->match);
        print_seccomp(f, &p->seccomp);
        print_apparmor(f, &p->apparmor);
        print_posture(f, &p->posture);
        return ferror(f) ? -EIO : 0;
}
