/* SPDX-License-Identifier: MIT */
/* What a policy means as seccomp rules: modes, the guard list, deny
 * errnos, argument conditions, precedence, the x86 multiplexers, and the
 * filter libseccomp builds from it. */
#include <stdlib.h>
#include <string.h>

#include "seccomp-helpers.h"
#include "seccomp/seccomp-filter.h"
#include "seccomp/seccomp-generate.h"
#include "testing.h"

#define HEAD(name) "service: " name "\nmatch: {units: [" name ".service]}\n"

static const char p_basic[] =
    HEAD("basic") "seccomp:\n"
                  "  base: \"@default\"\n"
                  "  architectures: [x86_64, x86, x32, aarch64]\n"
                  "  errno: EACCES\n"
                  "  allow: [\"@basic-io\", \"@network-io\", \"@ipc\"]\n"
                  "  deny:\n"
                  "    - {syscall: clone3, errno: ENOSYS}\n"
                  "    - unshare\n"
                  "    - {syscall: getpgrp, errno: ENOTBLK}\n"
                  "    - {syscall: connect, errno: ENETDOWN}\n"
                  "    - {syscall: shmat, errno: EACCES}\n"
                  "  conditions:\n"
                  "    - {syscall: socket, arg: 0, in: [AF_UNIX, AF_INET]}\n"
                  "    - {syscall: clone, arg: 0, none_of: [CLONE_NEWUSER, CLONE_NEWNS]}\n";

static const char p_product[] =
    HEAD("product") "seccomp:\n"
                    "  base: none\n"
                    "  architectures: [x86_64]\n"
                    "  conditions:\n"
                    "    - {syscall: socket, arg: 0, in: [AF_INET, AF_INET6]}\n"
                    "    - {syscall: socket, arg: 1, in: [SOCK_STREAM, SOCK_DGRAM]}\n";

static const char p_kill[] = HEAD("kill") "seccomp:\n"
                                          "  base: none\n"
                                          "  architectures: [x86_64]\n"
                                          "  violation: kill-process\n"
                                          "  deny: [ptrace]\n";

static const char p_x86_64[] = HEAD("narrow") "seccomp:\n"
                                              "  base: \"@default\"\n"
                                              "  architectures: [x86_64]\n"
                                              "  allow: [\"@network-io\"]\n";

static const char p_all_net[] = HEAD("allnet") "seccomp:\n"
                                               "  base: none\n"
                                               "  architectures: [x86]\n"
                                               "  allow: [\"@network-io\"]\n";

static const char p_group_deny[] = HEAD("groupdeny") "seccomp:\n"
                                                     "  base: \"@system-service\"\n"
                                                     "  architectures: [x86_64]\n"
                                                     "  deny: [\"@namespaces\", \"@debug\"]\n";

static const struct {
        const char *policy;
        enum policy_mode mode;
        const char *syscall;
        const char *expect;
} cases[] = {
    /* Defaults: unlisted calls take the default action, no rule. */
    {p_basic, POLICY_MODE_MONITOR, "sysinfo", "default"},
    {p_basic, POLICY_MODE_ENFORCE, "sysinfo", "default"},
    {p_basic, POLICY_MODE_ENFORCE, "read", "allow"},
    {p_basic, POLICY_MODE_MONITOR, "read", "allow"},
    /* The guard list needs no policy line. */
    {p_kill, POLICY_MODE_ENFORCE, "exit_group", "allow"},
    {p_kill, POLICY_MODE_ENFORCE, "rt_sigreturn", "allow"},
    {p_kill, POLICY_MODE_ENFORCE, "restart_syscall", "allow"},
    {p_kill, POLICY_MODE_ENFORCE, "read", "default"},
    /* Deny: the rule's errno in every mode; one equal to the default
     * needs no rule in enforce mode. */
    {p_basic, POLICY_MODE_MONITOR, "clone3", "errno ENOSYS"},
    {p_basic, POLICY_MODE_ENFORCE, "clone3", "errno ENOSYS"},
    {p_basic, POLICY_MODE_MONITOR, "unshare", "errno EACCES"},
    {p_basic, POLICY_MODE_ENFORCE, "unshare", "default"},
    /* A deny beats the group that allows it. */
    {p_basic, POLICY_MODE_ENFORCE, "getpgrp", "errno ENOTBLK"},
    {p_group_deny, POLICY_MODE_MONITOR, "ptrace", "errno EPERM"},
    {p_group_deny, POLICY_MODE_MONITOR, "setns", "errno EPERM"},
    /* With violation kill-process the deny keeps its errno. */
    {p_kill, POLICY_MODE_ENFORCE, "ptrace", "errno EPERM"},
    {p_kill, POLICY_MODE_MONITOR, "ptrace", "errno EPERM"},
    /* Conditions: `in` values are alternatives, none_of is a mask;
     * the condition replaces the group's unconditional allow. */
    {p_basic, POLICY_MODE_ENFORCE, "socket", "allow if a0==1 | allow if a0==2"},
    {p_basic, POLICY_MODE_MONITOR, "socket", "allow if a0==1 | allow if a0==2"},
    {p_basic, POLICY_MODE_ENFORCE, "clone", "allow if a0&0x10020000==0x0"},
    {p_product, POLICY_MODE_ENFORCE, "socket",
     "allow if a0==2 && a1==1 | allow if a0==2 && a1==2 | allow if a0==10 && a1==1 | allow "
     "if a0==10 && a1==2"},
    /* x86: socketcall and ipc are no longer allowed as a whole when a
     * call they carry is not (libseccomp ties the others to them);
     * SYS_SEND and SYS_RECV take the rules of sendto and recvfrom. */
    {p_basic, POLICY_MODE_ENFORCE, "socketcall", "default"},
    {p_basic, POLICY_MODE_MONITOR, "socketcall", "default"},
    {p_basic, POLICY_MODE_ENFORCE, "ipc", "default"},
    {p_basic, POLICY_MODE_ENFORCE, "send", "allow"},
    {p_basic, POLICY_MODE_ENFORCE, "recv", "allow"},
    {p_all_net, POLICY_MODE_ENFORCE, "socketcall", "allow"},
    /* No x86 in the filter: no multiplexer, nothing to tie. */
    {p_x86_64, POLICY_MODE_ENFORCE, "socketcall", "default"},
    {p_x86_64, POLICY_MODE_ENFORCE, "send", "default"},
    /* Names that are no syscall on the filter's architectures go. */
    {p_x86_64, POLICY_MODE_ENFORCE, "cacheflush", "default"},
    {p_x86_64, POLICY_MODE_ENFORCE, "mmap2", "default"},
    {p_basic, POLICY_MODE_ENFORCE, "mmap2", "allow"}, /* x86 is in */
};

START_TEST(test_rules)
{
        _cleanup_ruleset_ struct seccomp_ruleset *rs =
            stest_rules(cases[_i].policy, cases[_i].mode);
        _cleanup_free_ char *got = stest_describe(rs, cases[_i].syscall);

        ck_assert_msg(strcmp(got, cases[_i].expect) == 0, "case %d (%s, %s): got '%s'", _i,
                      cases[_i].syscall, policy_mode_to_string(cases[_i].mode), got);
}
END_TEST

START_TEST(test_modes)
{
        _cleanup_ruleset_ struct seccomp_ruleset *m = stest_rules(p_basic, POLICY_MODE_MONITOR);
        _cleanup_ruleset_ struct seccomp_ruleset *e = stest_rules(p_basic, POLICY_MODE_ENFORCE);
        _cleanup_ruleset_ struct seccomp_ruleset *k = stest_rules(p_kill, POLICY_MODE_ENFORCE);

        ck_assert_int_eq(m->default_action.act, SECCOMP_ACT_LOG);
        ck_assert(!m->log_denials);
        ck_assert_int_eq(e->default_action.act, SECCOMP_ACT_ERRNO);
        ck_assert_int_eq(e->default_action.errno_value, EACCES);
        ck_assert(e->log_denials);
        ck_assert(seccomp_action_equal(e->badarch_action, e->default_action));
        ck_assert_int_eq(k->default_action.act, SECCOMP_ACT_KILL_PROCESS);
        /* socket has a condition and x86 is covered: an enforce-mode OCI
         * profile leaves x86 out, a monitor-mode one keeps it. */
        ck_assert(e->x86_mux_checks);
        ck_assert_uint_eq(seccomp_ruleset_oci_arches(e), POLICY_ARCH_ALL & ~POLICY_ARCH_X86);
        ck_assert_uint_eq(seccomp_ruleset_oci_arches(m), POLICY_ARCH_ALL);
        ck_assert_uint_eq(e->arches, POLICY_ARCH_ALL);
        ck_assert_str_eq(e->service, "basic");
        /* Sorted by name, the unconditional rule first. */
        for (size_t i = 1; i < e->n_rules; i++) {
                int c = strcmp(e->rules[i - 1].syscall, e->rules[i].syscall);

                ck_assert_int_le(c, 0);
                if (c == 0)
                        ck_assert_uint_ne(e->rules[i].n_args, 0);
        }
}
END_TEST

START_TEST(test_too_many_rules)
{
        char yaml[8192];
        size_t n;
        _cleanup_policy_ struct policy *p = NULL;
        struct seccomp_rules_options o = {.mode = POLICY_MODE_ENFORCE};
        struct seccomp_ruleset *rs = NULL;
        struct seccomp_error err;

        /* 11 x 11 x 11 = 1331 combinations, more than 1024. */
        n = (size_t)snprintf(yaml, sizeof(yaml),
                             HEAD("big") "seccomp:\n  base: none\n"
                                         "  conditions:\n");
        for (int arg = 0; arg < 3; arg++) {
                n += (size_t)snprintf(yaml + n, sizeof(yaml) - n,
                                      "    - {syscall: ioctl, arg: %d, in: [", arg);
                for (int v = 0; v < 11; v++)
                        n += (size_t)snprintf(yaml + n, sizeof(yaml) - n, "%s%d", v ? ", " : "",
                                              v + 1);
                n += (size_t)snprintf(yaml + n, sizeof(yaml) - n, "]}\n");
        }
        p = stest_policy(yaml);
        ck_assert_int_eq(seccomp_ruleset_build(p, NULL, &o, &err, &rs), -E2BIG);
        ck_assert_ptr_null(rs);
        ck_assert_str_eq(err.text,
                         "ioctl: the argument conditions multiply out into more than 1024 rules");
}
END_TEST

/* The loadable filter covers this machine's ABIs, the exported one every
 * architecture of the policy; both carry the rules. */
START_TEST(test_filter_targets)
{
        _cleanup_ruleset_ struct seccomp_ruleset *rs = stest_rules(p_basic, POLICY_MODE_ENFORCE);
        _cleanup_seccomp_ scmp_filter_ctx load = NULL, exp = NULL;
        _cleanup_free_ char *pfc_load = NULL, *pfc_exp = NULL, *bpf = NULL;
        size_t n1, n2, nb;
        struct seccomp_error err;

        ck_assert_msg(seccomp_filter_build(rs, SECCOMP_TARGET_LOAD, &err, &load) == 0, "%s",
                      err.text);
        ck_assert_msg(seccomp_filter_build(rs, SECCOMP_TARGET_EXPORT, &err, &exp) == 0, "%s",
                      err.text);
        ck_assert_int_eq(seccomp_filter_export_pfc(load, &pfc_load, &n1), 0);
        ck_assert_int_eq(seccomp_filter_export_pfc(exp, &pfc_exp, &n2), 0);
        ck_assert_int_eq(seccomp_filter_export_bpf(exp, &bpf, &nb), 0);
        ck_assert_uint_eq(nb % 8, 0); /* struct sock_filter */
        ck_assert_uint_gt(nb, 100 * 8);
        ck_assert_ptr_nonnull(strstr(pfc_exp, "# filter for arch aarch64"));
        ck_assert_ptr_null(strstr(pfc_load, "# filter for arch aarch64"));
        ck_assert_ptr_nonnull(strstr(pfc_load, "# filter for arch x86_64"));
        ck_assert_ptr_nonnull(strstr(pfc_load, "# filter for arch x86 "));
        ck_assert_ptr_nonnull(strstr(pfc_load, "# filter for arch x32"));
        /* Only real syscalls of each architecture: no pseudo numbers
         * (libseccomp's x86 ties to socketcall/ipc keep some, by design). */
        {
                char *x86 = strstr(pfc_exp, "# filter for arch x86 ");

                ck_assert_ptr_nonnull(x86);
                *x86 = '\0';
                ck_assert_ptr_null(strstr(pfc_exp, "(42949"));
                *x86 = '#';
                ck_assert_ptr_null(strstr(strstr(pfc_exp, "# filter for arch x32"), "(42949"));
        }
        /* The binary tree, and the errno rules. */
        ck_assert_ptr_nonnull(strstr(pfc_exp, "if ($syscall > "));
        ck_assert_ptr_nonnull(strstr(pfc_exp, "action ERRNO(38);"));
        ck_assert_ptr_nonnull(strstr(pfc_exp, "action ERRNO(13);"));
}
END_TEST

/* A policy for an architecture this machine does not run cannot be
 * loaded, but still exported. */
START_TEST(test_filter_foreign_arch)
{
        _cleanup_ruleset_ struct seccomp_ruleset *rs =
            stest_rules(HEAD("arm") "seccomp:\n  base: \"@default\"\n  architectures: [aarch64]\n",
                        POLICY_MODE_ENFORCE);
        _cleanup_seccomp_ scmp_filter_ctx exp = NULL;
        scmp_filter_ctx load = NULL;
        struct seccomp_error err;

        if (seccomp_arch_native() == SCMP_ARCH_AARCH64)
                return;
        ck_assert_int_eq(seccomp_filter_build(rs, SECCOMP_TARGET_LOAD, &err, &load), -EOPNOTSUPP);
        ck_assert_str_eq(err.text, "none of the policy's architectures runs on this machine");
        ck_assert_int_eq(seccomp_filter_build(rs, SECCOMP_TARGET_EXPORT, &err, &exp), 0);
}
END_TEST

/* Generation is deterministic: the same policy gives the same bytes. */
START_TEST(test_generate_deterministic)
{
        _cleanup_policy_ struct policy *p = stest_policy(p_basic);
        struct seccomp_generate_options o = {.mode = POLICY_MODE_ENFORCE, .runtime_flags = true};
        struct seccomp_artifacts a, b;
        struct seccomp_error err;

        ck_assert_int_eq(seccomp_generate(p, NULL, &o, &err, &a), 0);
        ck_assert_int_eq(seccomp_generate(p, NULL, &o, &err, &b), 0);
        ck_assert_uint_eq(a.json_size, b.json_size);
        ck_assert_int_eq(memcmp(a.json, b.json, a.json_size), 0);
        ck_assert_uint_eq(a.bpf_size, b.bpf_size);
        ck_assert_int_eq(memcmp(a.bpf, b.bpf, a.bpf_size), 0);
        ck_assert_str_eq(a.pfc, b.pfc);
        ck_assert_str_eq(a.dropin, b.dropin);
        ck_assert_ptr_nonnull(strstr(a.json, "\"flags\": [\n    \"SECCOMP_FILTER_FLAG_LOG\"\n  ]"));
        seccomp_artifacts_done(&a);
        seccomp_artifacts_done(&b);

        /* Flags only in enforce mode, only when asked for. */
        o.runtime_flags = false;
        ck_assert_int_eq(seccomp_generate(p, NULL, &o, &err, &a), 0);
        ck_assert_ptr_null(strstr(a.json, "flags"));
        seccomp_artifacts_done(&a);
        o.mode = POLICY_MODE_MONITOR;
        o.runtime_flags = true;
        ck_assert_int_eq(seccomp_generate(p, NULL, &o, &err, &a), 0);
        ck_assert_ptr_null(strstr(a.json, "flags"));
        ck_assert_ptr_nonnull(strstr(a.json, "\"defaultAction\": \"SCMP_ACT_LOG\",\n  \"arch"));
        seccomp_artifacts_done(&a);
}
END_TEST

static Suite *seccomp_rules_suite(void)
{
        Suite *s = suite_create("seccomp-rules");
        TCase *tc = tcase_create("rules");

        tcase_add_loop_test(tc, test_rules, 0, ELEMENTSOF(cases));
        tcase_add_test(tc, test_modes);
        tcase_add_test(tc, test_too_many_rules);
        tcase_add_test(tc, test_filter_targets);
        tcase_add_test(tc, test_filter_foreign_arch);
        tcase_add_test(tc, test_generate_deterministic);
        tcase_set_timeout(tc, 30);
        suite_add_tcase(s, tc);
        return s;
}

TEST_SUITE(seccomp_rules_suite)
