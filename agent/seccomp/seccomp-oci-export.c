/* SPDX-License-Identifier: MIT */
#include "seccomp-oci-export.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/names.h"

static void put_names(FILE *f, const struct seccomp_rule *const *rules, size_t n)
{
        fputs("      \"names\": [", f);
        for (size_t i = 0; i < n; i++)
                fprintf(f, "%s\n        \"%s\"", i ? "," : "", rules[i]->syscall);
        fputs("\n      ],\n", f);
}

/* Rules for names that apply to none of the listed architectures are left
 * out (send/recv when x86 is not listed). */
static bool listed(const struct seccomp_rule *r, unsigned arches)
{
        return seccomp_name_applies(r->syscall, arches);
}

static void put_action(FILE *f, struct seccomp_action a)
{
        fprintf(f, "      \"action\": \"%s\"", seccomp_act_to_oci(a.act));
        if (a.act == SECCOMP_ACT_ERRNO)
                fprintf(f, ",\n      \"errnoRet\": %d", a.errno_value);
}

static void put_args(FILE *f, const struct seccomp_rule *r)
{
        fputs(",\n      \"args\": [", f);
        for (unsigned i = 0; i < r->n_args; i++) {
                const struct seccomp_arg_cmp *a = &r->args[i];

                fprintf(f,
                        "%s\n        {\n          \"index\": %u,\n          \"value\": %llu,\n"
                        "          \"valueTwo\": %llu,\n          \"op\": \"%s\"\n        }",
                        i ? "," : "", a->index, (unsigned long long)a->value,
                        (unsigned long long)a->value_two, seccomp_op_to_oci(a->op));
        }
        fputs("\n      ]", f);
}

static const char *comment_for(const struct seccomp_rule *r)
{
        switch (r->origin) {
        case SECCOMP_ORIGIN_GUARD:
        case SECCOMP_ORIGIN_ALLOW:
                return "allowed by the policy (base, allow list, always-allowed guard list)";
        case SECCOMP_ORIGIN_CONDITION:
                return "allowed only when the policy's argument condition holds";
        case SECCOMP_ORIGIN_DENY:
                return "refused by the policy's deny list, in every mode";
        case SECCOMP_ORIGIN_IMPORTED:
                return "rule of the imported base profile";
        case SECCOMP_ORIGIN_MULTIPLEX:
                return "x86 socketcall(SYS_SEND/SYS_RECV): the rule of sendto/recvfrom";
        case _SECCOMP_ORIGIN_MAX:
        default:
                return "";
        }
}

static void put_entry_end(FILE *f, const char *comment)
{
        fprintf(f, ",\n      \"comment\": \"%s\"\n    }", comment);
}

/* Unconditional rules sharing one action become one entry. */
static int put_group(FILE *f, const struct seccomp_ruleset *rs, unsigned arches,
                     struct seccomp_action action, bool *first)
{
        _cleanup_free_ const struct seccomp_rule **sel = NULL;
        bool deny = false;
        size_t n = 0;

        sel = calloc(rs->n_rules ? rs->n_rules : 1, sizeof(*sel));
        if (!sel)
                return -ENOMEM;
        for (size_t i = 0; i < rs->n_rules; i++) {
                const struct seccomp_rule *r = &rs->rules[i];

                if (r->n_args == 0 && seccomp_action_equal(r->action, action) &&
                    listed(r, arches)) {
                        sel[n++] = r;
                        deny = deny || r->origin == SECCOMP_ORIGIN_DENY;
                }
        }
        if (n == 0)
                return 0;
        fprintf(f, "%s\n    {\n", *first ? "" : ",");
        *first = false;
        put_names(f, sel, n);
        put_action(f, action);
        if (action.act == SECCOMP_ACT_ALLOW)
                put_entry_end(f,
                              comment_for(&(struct seccomp_rule){.origin = SECCOMP_ORIGIN_ALLOW}));
        else if (deny)
                put_entry_end(f,
                              comment_for(&(struct seccomp_rule){.origin = SECCOMP_ORIGIN_DENY}));
        else
                put_entry_end(f, comment_for(sel[0]));
        return 0;
}

static bool seen_action(const struct seccomp_ruleset *rs, unsigned arches, size_t upto,
                        struct seccomp_action a)
{
        for (size_t i = 0; i < upto; i++)
                if (rs->rules[i].n_args == 0 && seccomp_action_equal(rs->rules[i].action, a) &&
                    listed(&rs->rules[i], arches))
                        return true;
        return false;
}

int seccomp_oci_export(const struct seccomp_ruleset *rs, bool with_log_flag, char **ret_json,
                       size_t *ret_size)
{
        _cleanup_free_ char *buf = NULL;
        size_t size = 0, n_arch;
        const struct seccomp_arch *arches = seccomp_arch_all(&n_arch);
        unsigned listed_arches = seccomp_ruleset_oci_arches(rs);
        bool first = true;
        FILE *f;
        int r = 0;

        f = open_memstream(&buf, &size);
        if (!f)
                return -ENOMEM;
        fprintf(f, "{\n  \"defaultAction\": \"%s\",\n", seccomp_act_to_oci(rs->default_action.act));
        if (rs->default_action.act == SECCOMP_ACT_ERRNO)
                fprintf(f, "  \"defaultErrnoRet\": %d,\n", rs->default_action.errno_value);
        fputs("  \"architectures\": [", f);
        for (size_t i = 0, k = 0; i < n_arch; i++)
                if (listed_arches & arches[i].bit)
                        fprintf(f, "%s\n    \"%s\"", k++ ? "," : "", arches[i].oci);
        fputs("\n  ],\n", f);
        if (with_log_flag && rs->log_denials)
                fputs("  \"flags\": [\n    \"SECCOMP_FILTER_FLAG_LOG\"\n  ],\n", f);
        fputs("  \"syscalls\": [", f);

        /* 1. what is allowed whatever the arguments */
        r = put_group(f, rs, listed_arches, (struct seccomp_action){SECCOMP_ACT_ALLOW, 0}, &first);
        /* 2. rules with argument checks, one entry each */
        for (size_t i = 0; i < rs->n_rules && r >= 0; i++) {
                const struct seccomp_rule *rule = &rs->rules[i];

                if (rule->n_args == 0 || !listed(rule, listed_arches))
                        continue;
                fprintf(f, "%s\n    {\n", first ? "" : ",");
                first = false;
                put_names(f, &rule, 1);
                put_action(f, rule->action);
                put_args(f, rule);
                put_entry_end(f, comment_for(rule));
        }
        /* 3. the other unconditional rules, one entry per action */
        for (size_t i = 0; i < rs->n_rules && r >= 0; i++) {
                const struct seccomp_rule *rule = &rs->rules[i];

                if (rule->n_args != 0 || rule->action.act == SECCOMP_ACT_ALLOW ||
                    !listed(rule, listed_arches) || seen_action(rs, listed_arches, i, rule->action))
                        continue;
                r = put_group(f, rs, listed_arches, rule->action, &first);
        }
        fputs(first ? "]\n}\n" : "\n  ]\n}\n", f);
        if (fclose(f) != 0 && r >= 0)
                r = -ENOMEM;
        if (r < 0)
                return r;
        *ret_json = TAKE_PTR(buf);
        if (ret_size)
                *ret_size = size;
        return 0;
}
