/* SPDX-License-Identifier: MIT */
/* The systemd drop-in: what it says for each mode, and systemd itself
 * (`systemd-analyze verify`) accepting a unit that uses it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fileio.h"
#include "policy/names.h"
#include "policy/syscall-groups.h"
#include "seccomp-helpers.h"
#include "seccomp/seccomp-systemd.h"
#include "testing.h"

static char *dropin(const char *yaml, enum policy_mode mode)
{
        _cleanup_policy_ struct policy *p = stest_policy(yaml);
        _cleanup_ruleset_ struct seccomp_ruleset *rs = stest_rules(yaml, mode);
        char *text = NULL;
        size_t size;

        ck_assert_int_eq(seccomp_systemd_dropin(p, rs, &text, &size), 0);
        ck_assert_uint_eq(strlen(text), size);
        return text;
}

static char *shipped(const char *service)
{
        char path[256];
        char *data = NULL;
        size_t size;

        snprintf(path, sizeof(path), "profiles/%s.yaml", service);
        ck_assert_int_eq(read_file_bounded(AT_FDCWD, test_path(path), 1 << 20, &data, &size), 0);
        return data;
}

/* Every "KEY=" line of text for one key, values joined by spaces. */
static char *values(const char *text, const char *key)
{
        char *buf = NULL;
        size_t size = 0, klen = strlen(key);
        FILE *f = open_memstream(&buf, &size);
        bool first = true;

        ck_assert_ptr_nonnull(f);
        for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
                size_t len = strcspn(l, "\n");

                if (len > klen && strncmp(l, key, klen) == 0 && l[klen] == '=') {
                        fprintf(f, "%s%.*s", first ? "" : " ", (int)(len - klen - 1), l + klen + 1);
                        first = false;
                }
        }
        ck_assert_int_eq(fclose(f), 0);
        return buf;
}

static bool has_word(const char *list, const char *word)
{
        size_t n = strlen(word);

        for (const char *p = strstr(list, word); p; p = strstr(p + 1, word))
                if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
                        return true;
        return false;
}

START_TEST(test_api_enforce)
{
        _cleanup_free_ char *yaml = shipped("api");
        _cleanup_free_ char *text = dropin(yaml, POLICY_MODE_ENFORCE);
        _cleanup_free_ char *filter = values(text, "SystemCallFilter");

        ck_assert_ptr_nonnull(strstr(text, "\n[Service]\n"));
        ck_assert_ptr_nonnull(strstr(text, "\nNoNewPrivileges=yes\n"));
        ck_assert_ptr_nonnull(strstr(text, "\nCapabilityBoundingSet=\n"));
        ck_assert_ptr_nonnull(strstr(text, "\nSystemCallArchitectures=native\n"));
        ck_assert_ptr_nonnull(strstr(text, "\nSystemCallErrorNumber=EPERM\n"));
        ck_assert_ptr_nonnull(strstr(text, "\nSystemCallFilter=~clone3:ENOSYS\n"));
        ck_assert_ptr_nonnull(strstr(text, "\nRestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX\n"));
        ck_assert_ptr_nonnull(strstr(text, "\nRestrictNamespaces=yes\n"));
        ck_assert_ptr_nonnull(strstr(text, "\nLockPersonality=yes\n"));
        ck_assert_ptr_null(strstr(text, "SystemCallLog="));
        /* The allow list, with the conditioned calls carried over. */
        ck_assert(has_word(filter, "read"));
        ck_assert(has_word(filter, "socket"));
        ck_assert(has_word(filter, "clone"));
        ck_assert(has_word(filter, "personality"));
        ck_assert(!has_word(filter, "ptrace"));
        ck_assert(!has_word(filter, "mount"));
        ck_assert(!has_word(filter, "unshare"));
        ck_assert(!has_word(filter, "send"));
        /* Lines stay readable. */
        for (const char *l = text; *l; l += strcspn(l, "\n") + 1)
                ck_assert_uint_le(strcspn(l, "\n"), 100);
}
END_TEST

START_TEST(test_api_monitor)
{
        _cleanup_free_ char *yaml = shipped("api");
        _cleanup_free_ char *text = dropin(yaml, POLICY_MODE_MONITOR);
        _cleanup_free_ char *filter = values(text, "SystemCallFilter");
        _cleanup_free_ char *log = values(text, "SystemCallLog");

        /* Only the deny list refuses, each with its errno; every line of a
         * deny list starts with '~'. */
        for (const char *p = strstr(text, "\nSystemCallFilter="); p;
             p = strstr(p + 1, "\nSystemCallFilter="))
                ck_assert_int_eq(p[strlen("\nSystemCallFilter=")], '~');
        ck_assert(has_word(filter, "~clone3:ENOSYS") || has_word(filter, "clone3:ENOSYS"));
        ck_assert(has_word(filter, "ptrace:EPERM"));
        ck_assert(has_word(filter, "unshare:EPERM") || has_word(filter, "~unshare:EPERM"));
        /* Everything but the allow list is logged. */
        ck_assert(has_word(log, "read") || has_word(log, "~read"));
        ck_assert(has_word(log, "socket"));
        ck_assert(!has_word(log, "ptrace"));
        ck_assert_ptr_null(strstr(text, "RestrictAddressFamilies"));
        ck_assert_ptr_null(strstr(text, "RestrictNamespaces"));
}
END_TEST

START_TEST(test_frontend_caps_worker_personality)
{
        _cleanup_free_ char *fy = shipped("frontend"), *wy = shipped("worker");
        _cleanup_free_ char *ft = dropin(fy, POLICY_MODE_ENFORCE);
        _cleanup_free_ char *wt = dropin(wy, POLICY_MODE_ENFORCE);
        _cleanup_free_ char *wf = values(wt, "SystemCallFilter");

        ck_assert_ptr_nonnull(strstr(ft, "\nCapabilityBoundingSet=CAP_NET_BIND_SERVICE\n"));
        /* worker allows PER_LINUX32: LockPersonality= cannot say that, so
         * personality is refused and the drop-in tells why. */
        ck_assert(!has_word(wf, "personality"));
        ck_assert_ptr_null(strstr(wt, "LockPersonality"));
        ck_assert_ptr_nonnull(strstr(wt, "\n# personality: allowed by the policy only under an "
                                         "argument check systemd cannot\n"));
        ck_assert_ptr_nonnull(
            strstr(wt, "\nRestrictAddressFamilies=AF_INET AF_INET6 AF_NETLINK AF_UNIX\n"));
}
END_TEST

START_TEST(test_kill_and_restrict_namespaces_list)
{
        _cleanup_free_ char *text =
            dropin("service: k\nmatch: {units: [k.service]}\n"
                   "seccomp:\n  base: \"@system-service\"\n  violation: kill-thread\n"
                   "  conditions:\n"
                   "    - {syscall: clone, arg: 0, none_of: [CLONE_NEWUSER, CLONE_NEWNET]}\n"
                   "    - {syscall: socket, arg: 0, in: [AF_INET, 99]}\n",
                   POLICY_MODE_ENFORCE);
        _cleanup_free_ char *filter = values(text, "SystemCallFilter");

        ck_assert_ptr_nonnull(strstr(text, "\nSystemCallErrorNumber=kill\n"));
        ck_assert_ptr_nonnull(strstr(text, "# The policy says kill-thread; systemd can only kill "
                                           "the process.\n"));
        /* Namespaces other than user and net stay allowed... */
        ck_assert_ptr_nonnull(strstr(text, "\nRestrictNamespaces=cgroup ipc mnt pid uts\n"));
        /* @system-service allows neither unshare nor setns: that
         * RestrictNamespaces= also limits them needs no warning. */
        ck_assert_ptr_null(strstr(text, "Also limits unshare"));
        /* Family 99 has no name: socket cannot be carried over. */
        ck_assert(!has_word(filter, "socket"));
        ck_assert_ptr_nonnull(strstr(text, "\n# socket: allowed by the policy only under"));
        ck_assert_ptr_null(strstr(text, "RestrictAddressFamilies"));
}
END_TEST

/* systemd's own @default set is allowed by systemd whatever the filter
 * says; the drop-in takes back what the policy does not allow, using our
 * @default group. It must not miss anything systemd adds. */
START_TEST(test_systemd_default_set_known)
{
        const char *sa = stest_which("systemd-analyze");
        const char *argv[] = {sa, "syscall-filter", "@default", NULL};
        const struct syscall_group *g = syscall_group_find("@default");
        _cleanup_free_ char *out = NULL, *err = NULL;
        size_t checked = 0;

        if (!test_require(sa != NULL, "systemd-analyze (package systemd)"))
                return;
        ck_assert_int_eq(test_run(argv, &out, &err), 0);
        for (char *l = strtok(out, "\n"); l; l = strtok(NULL, "\n")) {
                bool found = false;

                while (*l == ' ')
                        l++;
                /* Names that are no syscall of our architectures to
                 * libseccomp (cacheflush: ARM) cannot be filtered anyway. */
                if (*l == '#' || *l == '@' || !*l || !syscall_name_known(l, POLICY_ARCH_ALL))
                        continue;
                for (const char *const *m = g->members; *m && !found; m++)
                        found = strcmp(*m, l) == 0;
                ck_assert_msg(found, "systemd's @default has '%s', our @default group does not", l);
                checked++;
        }
        ck_assert_uint_gt(checked, 40);
}
END_TEST

/* Writes UNIT.service and UNIT.service.d/hardend.conf under dir and runs
 * systemd-analyze verify on it; returns its stderr. */
static char *verify(const char *sa, const char *dir, const char *unit, const char *conf,
                    int *ret_status)
{
        char path[512], service[512];
        _cleanup_free_ char *out = NULL;
        char *err = NULL;
        const char *argv[] = {sa, "verify", "--man=no", service, NULL};
        const char *text = "[Unit]\nDescription=hardend drop-in test\n\n[Service]\n"
                           "ExecStart=/bin/true\n";

        snprintf(service, sizeof(service), "%s/%s.service", dir, unit);
        ck_assert_int_eq(write_file_atomic(AT_FDCWD, service, text, strlen(text), 0644), 0);
        snprintf(path, sizeof(path), "%s/%s.service.d", dir, unit);
        ck_assert(mkdir(path, 0755) == 0 || errno == EEXIST);
        snprintf(path, sizeof(path), "%s/%s.service.d/hardend.conf", dir, unit);
        ck_assert_int_eq(write_file_atomic(AT_FDCWD, path, conf, strlen(conf), 0644), 0);
        *ret_status = test_run(argv, &out, &err);
        return err;
}

START_TEST(test_systemd_analyze_verify)
{
        static const char *const services[] = {"api", "frontend", "worker"};
        const char *sa = stest_which("systemd-analyze");
        char dir[] = "/tmp/hardend-dropin-XXXXXX";
        char saved_sa[512];

        if (!test_require(sa != NULL, "systemd-analyze (package systemd)"))
                return;
        snprintf(saved_sa, sizeof(saved_sa), "%s", sa);
        ck_assert_ptr_nonnull(mkdtemp(dir));
        for (size_t i = 0; i < ELEMENTSOF(services); i++)
                for (int mode = 0; mode < _POLICY_MODE_MAX; mode++) {
                        _cleanup_free_ char *yaml = shipped(services[i]);
                        _cleanup_free_ char *conf = dropin(yaml, (enum policy_mode)mode);
                        _cleanup_free_ char *err = NULL;
                        int status;

                        err = verify(saved_sa, dir, services[i], conf, &status);
                        ck_assert_msg(status == 0, "%s (%s): systemd-analyze verify: %s",
                                      services[i], policy_mode_to_string(mode), err);
                        /* Warnings about the drop-in would name it. */
                        ck_assert_msg(!strstr(err, "hardend.conf"), "%s (%s): %s", services[i],
                                      policy_mode_to_string(mode), err);
                }
        {
                /* The control: a broken drop-in is noticed, so the check
                 * above does read it. */
                _cleanup_free_ char *err = NULL;
                int status;

                err = verify(saved_sa, dir, "broken",
                             "[Service]\nSystemCallFilter=read no_such_call\n", &status);
                ck_assert_ptr_nonnull(strstr(err, "hardend.conf:2: Failed to parse system call"));
        }
        {
                const char *argv[] = {"/bin/rm", "-rf", dir, NULL};

                ck_assert_int_eq(test_run(argv, NULL, NULL), 0);
        }
}
END_TEST

static Suite *seccomp_systemd_suite(void)
{
        Suite *s = suite_create("seccomp-systemd");
        TCase *tc = tcase_create("systemd");

        tcase_add_test(tc, test_api_enforce);
        tcase_add_test(tc, test_api_monitor);
        tcase_add_test(tc, test_frontend_caps_worker_personality);
        tcase_add_test(tc, test_kill_and_restrict_namespaces_list);
        tcase_add_test(tc, test_systemd_default_set_known);
        tcase_add_test(tc, test_systemd_analyze_verify);
        tcase_set_timeout(tc, 60);
        suite_add_tcase(s, tc);
        return s;
}

TEST_SUITE(seccomp_systemd_suite)
