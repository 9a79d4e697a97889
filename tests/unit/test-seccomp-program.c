/* SPDX-License-Identifier: MIT */
/* The linked per-architecture program (seccomp-program.h) against
 * libseccomp's merged one: the linker and the PFC joiner on hand-made
 * input, then, for every shipped and golden policy in both modes and for
 * both targets, the two programs decide every call alike — each
 * architecture's numbers (x32's too, and -1) with a spread of argument
 * values — in the classic-BPF evaluator; and built on several threads,
 * the same bytes as on one, with errors and refused threads handled. */
#include <errno.h>
#include <glob.h>
#include <linux/audit.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/macro.h"
#include "policy/policy-load.h"
#include "posture/bpf-eval.h"
#include "seccomp/seccomp-filter.h"
#include "seccomp/seccomp-program.h"
#include "testing.h"

#define MARKER  SCMP_ACT_TRACE(7)
#define BADARCH SCMP_ACT_KILL_PROCESS

static const struct sock_filter prog_a[] = {
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 4),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
    BPF_STMT(BPF_RET | BPF_K, MARKER),
    BPF_STMT(BPF_RET | BPF_K, SCMP_ACT_ALLOW),
};
static const struct sock_filter prog_b[] = {
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 4),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_I386, 0, 1),
    BPF_STMT(BPF_RET | BPF_K, SCMP_ACT_ERRNO(1)),
    BPF_STMT(BPF_RET | BPF_K, MARKER),
};

START_TEST(test_link)
{
        const struct sock_filter *progs[] = {prog_a, prog_b};
        const size_t lens[] = {ELEMENTSOF(prog_a), ELEMENTSOF(prog_b)};
        _cleanup_free_ struct sock_filter *out = NULL;
        size_t n;

        ck_assert_int_eq(seccomp_program_link(progs, lens, 2, MARKER, BADARCH, &out, &n), 0);
        ck_assert_uint_eq(n, 8);
        /* the first program's marker jumps to the second's first insn */
        ck_assert_uint_eq(out[2].code, BPF_JMP | BPF_JA);
        ck_assert_uint_eq(2 + 1 + out[2].k, 4);
        ck_assert_uint_eq(out[3].k, SCMP_ACT_ALLOW);
        /* the last program's marker is the real action */
        ck_assert_uint_eq(out[7].code, BPF_RET | BPF_K);
        ck_assert_uint_eq(out[7].k, BADARCH);
        ck_assert_int_eq(bpf_prog_check(out, n, &(const char *){NULL}, &(size_t){0}), 0);
}
END_TEST

START_TEST(test_link_refuses)
{
        static struct sock_filter big[BPF_MAXINSNS];
        const struct sock_filter *progs[] = {big, prog_a};
        size_t lens[] = {BPF_MAXINSNS, ELEMENTSOF(prog_a)};
        struct sock_filter *out = NULL;
        size_t n = 0;

        ck_assert_int_eq(seccomp_program_link(progs, lens, 2, MARKER, BADARCH, &out, &n), -E2BIG);
        ck_assert_int_eq(seccomp_program_link(progs, lens, 0, MARKER, BADARCH, &out, &n), -EINVAL);
        lens[1] = 0;
        ck_assert_int_eq(seccomp_program_link(progs + 1, lens + 1, 1, MARKER, BADARCH, &out, &n),
                         -EINVAL);
        ck_assert_ptr_null(out);
}
END_TEST

START_TEST(test_pfc_join)
{
        static const char a[] = "#\n# pseudo filter code start\n#\n"
                                "# filter for arch x86_64 (1)\nif ($arch == 1)\n  action ALLOW;\n"
                                "# invalid architecture action\naction KILL;\n#\n# end\n#\n";
        static const char b[] = "#\n# pseudo filter code start\n#\n"
                                "# filter for arch x86 (2)\nif ($arch == 2)\n  action LOG;\n"
                                "# invalid architecture action\naction ERRNO(1);\n#\n# end\n#\n";
        static const char want[] =
            "#\n# pseudo filter code start\n#\n"
            "# filter for arch x86_64 (1)\nif ($arch == 1)\n  action ALLOW;\n"
            "# filter for arch x86 (2)\nif ($arch == 2)\n  action LOG;\n"
            "# invalid architecture action\naction ERRNO(1);\n#\n# end\n#\n";
        const char *texts[] = {a, b};
        const size_t sizes[] = {sizeof(a) - 1, sizeof(b) - 1};
        _cleanup_free_ char *out = NULL;
        size_t n;

        ck_assert_int_eq(seccomp_pfc_join(texts, sizes, 2, &out, &n), 0);
        ck_assert_str_eq(out, want);
        ck_assert_uint_eq(n, sizeof(want) - 1);
}
END_TEST

START_TEST(test_pfc_join_malformed)
{
        static const char *const bad[] = {
            "",
            "# pseudo filter code start\n",
            "# filter for arch x86_64 (1)\nno footer\n",
            /* markers must start a line */
            "x # filter for arch x86_64 (1)\n# invalid architecture action\n",
            "# filter for arch x86_64 (1)\nx # invalid architecture action\n",
            /* the footer before the first section does not count */
            "# invalid architecture action\n# filter for arch x86_64 (1)\n",
        };
        char *out = NULL;
        size_t n = 0;

        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                const char *texts[] = {bad[i]};
                const size_t sizes[] = {strlen(bad[i])};

                ck_assert_msg(seccomp_pfc_join(texts, sizes, 1, &out, &n) == -EBADMSG, "case %zu",
                              i);
        }
        ck_assert_int_eq(seccomp_pfc_join(NULL, NULL, 0, &out, &n), -EINVAL);
        ck_assert_ptr_null(out);
}
END_TEST

/* Argument vectors that exercise the conditions the policies use: socket
 * families, clone/prctl flags, ioctl requests, personality values. */
static const uint64_t arg_values[] = {0, 1, 2, 10, 16, 0x7e020000, 0xffffffff, 0x100000000};

static void expect_alike(const char *what, const struct sock_filter *merged, size_t n_merged,
                         const struct sock_filter *linked, size_t n_linked, uint32_t audit_arch,
                         uint32_t nr)
{
        for (size_t v = 0; v < ELEMENTSOF(arg_values); v++) {
                struct seccomp_data d = {.nr = (int)nr, .arch = audit_arch};
                struct bpf_run m, l;

                for (unsigned a = 0; a < 6; a++)
                        d.args[a] = arg_values[(v + a) % ELEMENTSOF(arg_values)];
                ck_assert_int_eq(bpf_prog_run(merged, n_merged, &d, &m), 0);
                ck_assert_int_eq(bpf_prog_run(linked, n_linked, &d, &l), 0);
                ck_assert_msg(m.ret == l.ret,
                              "%s: arch 0x%x nr %d args[0]=0x%llx: merged 0x%x, linked 0x%x", what,
                              audit_arch, (int)nr, (unsigned long long)d.args[0], m.ret, l.ret);
        }
}

static void compare_programs(const char *what, const struct seccomp_ruleset *rs,
                             enum seccomp_target target)
{
        static const uint32_t audit_arches[] = {AUDIT_ARCH_X86_64, AUDIT_ARCH_I386,
                                                AUDIT_ARCH_AARCH64, AUDIT_ARCH_ARM};
        _cleanup_seccomp_ scmp_filter_ctx ctx = NULL;
        _cleanup_free_ char *bpf = NULL;
        _cleanup_free_ struct sock_filter *merged = NULL, *linked = NULL;
        struct seccomp_program prog = {0};
        struct seccomp_error err;
        size_t size, n_merged, n_linked;

        ck_assert_msg(seccomp_filter_build(rs, target, &err, &ctx) == 0, "%s: %s", what, err.text);
        ck_assert_int_eq(seccomp_filter_export_bpf(ctx, &bpf, &size), 0);
        ck_assert_int_eq(bpf_prog_parse(bpf, size, &merged, &n_merged), 0);
        ck_assert_msg(seccomp_program_build(rs, target, false, 1, &err, &prog) == 0, "%s: %s", what,
                      err.text);
        ck_assert_ptr_null(prog.pfc);
        /* the kernel's own checks: forward jumps inside, a return at the end */
        ck_assert_int_eq(bpf_prog_parse(prog.bpf, prog.bpf_size, &linked, &n_linked), 0);
        seccomp_program_done(&prog);

        for (size_t a = 0; a < ELEMENTSOF(audit_arches); a++) {
                for (uint32_t nr = 0; nr < 600; nr++)
                        expect_alike(what, merged, n_merged, linked, n_linked, audit_arches[a], nr);
                expect_alike(what, merged, n_merged, linked, n_linked, audit_arches[a], UINT32_MAX);
        }
        /* x32 numbers share x86_64's audit architecture */
        for (uint32_t nr = 0; nr < 600; nr++)
                expect_alike(what, merged, n_merged, linked, n_linked, AUDIT_ARCH_X86_64,
                             0x40000000u + nr);
}

START_TEST(test_alike_libseccomp)
{
        glob_t g = {0};
        size_t cases = 0;

        ck_assert_int_eq(glob("profiles/*.yaml", 0, NULL, &g), 0);
        ck_assert_int_eq(glob("tests/golden/sc-*.yaml", GLOB_APPEND, NULL, &g), 0);
        for (size_t i = 0; i < g.gl_pathc; i++) {
                _cleanup_policy_ struct policy *p = NULL;
                _cleanup_oci_profile_ struct oci_profile *base = NULL;
                struct diag_list d = {0};
                struct oci_error oerr;

                ck_assert_msg(policy_load_file(g.gl_pathv[i], &d, &p) == 0, "%s", g.gl_pathv[i]);
                diag_list_done(&d);
                ck_assert_int_eq(seccomp_policy_load_base(p, &oerr, &base), 0);
                for (int mode = POLICY_MODE_MONITOR; mode <= POLICY_MODE_ENFORCE; mode++) {
                        struct seccomp_rules_options ro = {.mode = (enum policy_mode)mode,
                                                           .kernel_version = 0x060100};
                        _cleanup_ruleset_ struct seccomp_ruleset *rs = NULL;
                        struct seccomp_error err;
                        char what[512];

                        ck_assert_msg(seccomp_ruleset_build(p, base, &ro, &err, &rs) == 0, "%s: %s",
                                      g.gl_pathv[i], err.text);
                        snprintf(what, sizeof(what), "%s %s export", g.gl_pathv[i],
                                 policy_mode_to_string((enum policy_mode)mode));
                        compare_programs(what, rs, SECCOMP_TARGET_EXPORT);
                        snprintf(what, sizeof(what), "%s %s load", g.gl_pathv[i],
                                 policy_mode_to_string((enum policy_mode)mode));
                        compare_programs(what, rs, SECCOMP_TARGET_LOAD);
                        cases++;
                }
        }
        globfree(&g);
        /* 3 shipped + the golden policies, two modes each */
        ck_assert_uint_ge(cases, 2 * 4);
}
END_TEST

/* The kernel takes the linked program and decides as the evaluator does:
 * the exported <svc>.bpf is loadable without a runtime. */
START_TEST(test_kernel_loads_linked)
{
        static const long calls[] = {SYS_getppid, SYS_kexec_load, SYS_ptrace, SYS_mount, SYS_uname};
        _cleanup_policy_ struct policy *p = NULL;
        _cleanup_ruleset_ struct seccomp_ruleset *rs = NULL;
        _cleanup_free_ struct sock_filter *insns = NULL;
        struct seccomp_rules_options ro = {.mode = POLICY_MODE_ENFORCE};
        struct seccomp_program prog = {0};
        struct diag_list d = {0};
        struct seccomp_error err;
        size_t n;

        ck_assert_int_eq(policy_load_file("profiles/api.yaml", &d, &p), 0);
        diag_list_done(&d);
        ck_assert_msg(seccomp_ruleset_build(p, NULL, &ro, &err, &rs) == 0, "%s", err.text);
        ck_assert_msg(seccomp_program_build(rs, SECCOMP_TARGET_LOAD, false, 1, &err, &prog) == 0,
                      "%s", err.text);
        ck_assert_int_eq(bpf_prog_parse(prog.bpf, prog.bpf_size, &insns, &n), 0);
        seccomp_program_done(&prog);

        for (size_t i = 0; i < ELEMENTSOF(calls); i++) {
                struct seccomp_data sd = {.nr = (int)calls[i], .arch = AUDIT_ARCH_X86_64};
                struct bpf_run run;
                int status;
                pid_t pid;

                ck_assert_int_eq(bpf_prog_run(insns, n, &sd, &run), 0);
                pid = fork();
                ck_assert_int_ge(pid, 0);
                if (pid == 0) {
                        struct sock_fprog fp = {.len = (unsigned short)n, .filter = insns};
                        long r;

                        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
                            prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fp) < 0)
                                _exit(100);
                        /* arguments no rule of api accepts: a refusal or a
                         * harmless failure, never an effect */
                        r = syscall(calls[i], -1L, -1L, -1L, -1L);
                        if ((run.ret & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ERRNO)
                                _exit(r == -1 && errno == (int)(run.ret & SECCOMP_RET_DATA) ? 0
                                                                                            : 101);
                        _exit((run.ret & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ALLOW ? 0 : 102);
                }
                ck_assert_int_eq(waitpid(pid, &status, 0), pid);
                ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                              "syscall %ld (evaluator: 0x%x): child status 0x%x", calls[i], run.ret,
                              status);
        }
}
END_TEST

static struct seccomp_ruleset *ruleset_of(const char *path, enum policy_mode mode)
{
        _cleanup_policy_ struct policy *p = NULL;
        _cleanup_oci_profile_ struct oci_profile *base = NULL;
        struct seccomp_rules_options ro = {.mode = mode, .kernel_version = 0x060100};
        struct seccomp_ruleset *rs = NULL;
        struct diag_list d = {0};
        struct oci_error oerr;
        struct seccomp_error err;

        ck_assert_msg(policy_load_file(path, &d, &p) == 0, "%s", path);
        diag_list_done(&d);
        ck_assert_int_eq(seccomp_policy_load_base(p, &oerr, &base), 0);
        ck_assert_msg(seccomp_ruleset_build(p, base, &ro, &err, &rs) == 0, "%s: %s", path,
                      err.text);
        return rs;
}

static void expect_same_program(const char *what, const struct seccomp_program *a,
                                const struct seccomp_program *b)
{
        ck_assert_msg(a->bpf_size == b->bpf_size && memcmp(a->bpf, b->bpf, a->bpf_size) == 0,
                      "%s: BPF differs", what);
        ck_assert_msg(a->pfc_size == b->pfc_size && memcmp(a->pfc, b->pfc, a->pfc_size) == 0,
                      "%s: PFC differs", what);
}

/* Built on several threads, the program and its text are byte for byte
 * those built on one, whichever thread took which architecture. */
START_TEST(test_threads_same_output)
{
        static const unsigned threads[] = {2, 3, 4, 9};
        glob_t g = {0};

        ck_assert_int_eq(glob("profiles/*.yaml", 0, NULL, &g), 0);
        ck_assert_int_eq(glob("tests/golden/sc-*.yaml", GLOB_APPEND, NULL, &g), 0);
        for (size_t i = 0; i < g.gl_pathc; i++) {
                for (int mode = POLICY_MODE_MONITOR; mode <= POLICY_MODE_ENFORCE; mode++) {
                        _cleanup_ruleset_ struct seccomp_ruleset *rs =
                            ruleset_of(g.gl_pathv[i], (enum policy_mode)mode);
                        struct seccomp_program one = {0};
                        struct seccomp_error err;

                        ck_assert_msg(seccomp_program_build(rs, SECCOMP_TARGET_EXPORT, true, 1,
                                                            &err, &one) == 0,
                                      "%s: %s", g.gl_pathv[i], err.text);
                        for (size_t t = 0; t < ELEMENTSOF(threads); t++) {
                                struct seccomp_program many = {0};
                                char what[512];

                                snprintf(what, sizeof(what), "%s %s on %u threads", g.gl_pathv[i],
                                         policy_mode_to_string((enum policy_mode)mode), threads[t]);
                                ck_assert_msg(seccomp_program_build(rs, SECCOMP_TARGET_EXPORT, true,
                                                                    threads[t], &err, &many) == 0,
                                              "%s: %s", what, err.text);
                                expect_same_program(what, &one, &many);
                                seccomp_program_done(&many);
                        }
                        seccomp_program_done(&one);
                }
        }
        globfree(&g);
}
END_TEST

/* A rule libseccomp refuses fails the build on any number of threads,
 * with the message of the first architecture (x86_64), and leaks nothing
 * of the architectures that did build. */
START_TEST(test_threads_error)
{
        _cleanup_ruleset_ struct seccomp_ruleset *rs =
            ruleset_of("profiles/worker.yaml", POLICY_MODE_ENFORCE);
        struct seccomp_rule *read_rule = NULL;

        for (size_t i = 0; i < rs->n_rules && !read_rule; i++)
                if (strcmp(rs->rules[i].syscall, "read") == 0)
                        read_rule = &rs->rules[i];
        ck_assert_ptr_nonnull(read_rule);
        /* no syscall has a seventh argument */
        read_rule->n_args = 1;
        read_rule->args[0] = (struct seccomp_arg_cmp){.index = 6, .op = SCMP_CMP_EQ};
        for (unsigned threads = 1; threads <= 4; threads++) {
                struct seccomp_program prog = {0};
                struct seccomp_error err;

                ck_assert_int_eq(
                    seccomp_program_build(rs, SECCOMP_TARGET_EXPORT, true, threads, &err, &prog),
                    -EINVAL);
                ck_assert_msg(strstr(err.text, "rule for read on SCMP_ARCH_X86_64"),
                              "%u threads: %s", threads, err.text);
                ck_assert_ptr_null(prog.bpf);
        }
}
END_TEST

/* Where threads cannot be made (here a filter refuses clone3 and clone
 * with CLONE_THREAD, as a confined caller's might), the calling thread
 * builds every architecture: the same program, no hang. */
START_TEST(test_threads_refused)
{
        _cleanup_ruleset_ struct seccomp_ruleset *rs =
            ruleset_of("profiles/api.yaml", POLICY_MODE_ENFORCE);
        struct seccomp_program one = {0};
        struct seccomp_error err;
        int status;
        pid_t pid;

        ck_assert_msg(seccomp_program_build(rs, SECCOMP_TARGET_EXPORT, true, 1, &err, &one) == 0,
                      "%s", err.text);
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
                struct seccomp_program many = {0};
                int code;

                if (!ctx ||
                    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0) < 0 ||
                    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
                                     SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD)) < 0 ||
                    seccomp_filter_apply(ctx) < 0)
                        _exit(100);
                seccomp_release(ctx);
                /* the filter works: no thread can start */
                if (pthread_create(&(pthread_t){0}, NULL, (void *(*)(void *))abort, NULL) == 0)
                        _exit(101);
                if (seccomp_program_build(rs, SECCOMP_TARGET_EXPORT, true, 4, &err, &many) < 0)
                        _exit(102);
                code = many.bpf_size == one.bpf_size &&
                               memcmp(many.bpf, one.bpf, one.bpf_size) == 0 &&
                               many.pfc_size == one.pfc_size &&
                               memcmp(many.pfc, one.pfc, one.pfc_size) == 0
                           ? 0
                           : 103;
                _exit(code);
        }
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status 0x%x", status);
        seccomp_program_done(&one);
}
END_TEST

static Suite *seccomp_program_suite(void)
{
        Suite *s = suite_create("seccomp-program");
        TCase *tc = tcase_create("program");

        tcase_add_test(tc, test_link);
        tcase_add_test(tc, test_link_refuses);
        tcase_add_test(tc, test_pfc_join);
        tcase_add_test(tc, test_pfc_join_malformed);
        tcase_add_test(tc, test_alike_libseccomp);
        tcase_add_test(tc, test_kernel_loads_linked);
        tcase_add_test(tc, test_threads_same_output);
        tcase_add_test(tc, test_threads_error);
        tcase_add_test(tc, test_threads_refused);
        tcase_set_timeout(tc, 120);
        suite_add_tcase(s, tc);
        return s;
}

TEST_SUITE(seccomp_program_suite)
