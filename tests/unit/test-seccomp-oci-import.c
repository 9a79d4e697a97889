/* SPDX-License-Identifier: MIT */
/* Importing Docker/OCI seccomp profiles: malformed input is refused with
 * the JSON path of the problem, the profile podman ships imports and
 * merges into a policy with Docker's semantics, and what the exporter
 * writes reads back as the same rules. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/fileio.h"
#include "seccomp-helpers.h"
#include "seccomp/seccomp-oci-export.h"
#include "seccomp/seccomp-oci-import.h"
#include "testing.h"

#define PODMAN_PROFILE "/usr/share/containers/seccomp.json"

/* A minimal valid profile around one syscalls[] entry. */
#define ONE(entry) "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[" entry "]}"

static const struct {
        const char *json;
        int status;
        const char *error;
} malformed[] = {
    /* JSON syntax: line:column from jansson, input quoted safely */
    {"{", -EINVAL, "1:1: string or '}' expected near end of file"},
    {"", -EINVAL, "1:0: '[' or '{' expected near end of file"},
    {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"defaultAction\":\"SCMP_ACT_LOG\"}", -EINVAL,
     "1:49: duplicate object key near '\"defaultAction\"'"},
    {ONE("{\"names\":[\"re\\u0000ad\"],\"action\":\"SCMP_ACT_ALLOW\"}"), -EINVAL,
     "1:68: \\u0000 is not allowed without JSON_ALLOW_NUL near '\"re\\u0000ad\"'"},
    /* jansson's integers are signed 64-bit */
    {ONE("{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,"
         "\"value\":18446744073709551615,\"op\":\"SCMP_CMP_EQ\"}]}"),
     -EINVAL, "1:137: too big integer near '18446744073709551615'"},
    /* shape */
    {"[]", -EINVAL, "(top level): must be an object, not an array"},
    {"{\"syscalls\":[]}", -EINVAL, "(top level): missing key 'defaultAction'"},
    {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"sycalls\":[]}", -EINVAL,
     "(top level): unknown key 'sycalls' (did you mean 'syscalls'?)"},
    {"{\"defaultAction\":\"SCMP_ACT_DENY\"}", -EINVAL,
     "defaultAction: unknown action 'SCMP_ACT_DENY'"},
    {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":1,\"defaultErrno\":\"ENOSYS\"}",
     -EINVAL, "defaultErrno: says errno 38 but 'defaultErrnoRet' says 1"},
    {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"defaultErrnoRet\":1}", -EINVAL,
     "(top level): 'defaultErrnoRet' is only meaningful with SCMP_ACT_ERRNO, not "
     "SCMP_ACT_ALLOW"},
    {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_X86_64\","
     "\"SCMP_ARCH_FOO\"]}",
     -EINVAL,
     "architectures[1]: unknown architecture 'SCMP_ARCH_FOO' (expected a name such as "
     "SCMP_ARCH_X86_64)"},
    {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_X86\"],"
     "\"archMap\":[]}",
     -EINVAL, "archMap: use either 'architectures' or 'archMap', not both"},
    {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"archMap\":[{\"architecture\":\"SCMP_ARCH_X86_64\","
     "\"subArchitectures\":[\"SCMP_ARCH_X86\",7]}]}",
     -EINVAL, "archMap[0].subArchitectures[1]: must be a string, not an integer"},
    {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"flags\":[\"SECCOMP_FILTER_FLAG_FAST\"]}", -EINVAL,
     "flags[0]: unknown seccomp flag 'SECCOMP_FILTER_FLAG_FAST'"},
    {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":{}}", -EINVAL,
     "syscalls: must be an array, not an object"},
    /* syscalls[] entries */
    {ONE("{\"names\":\"read\",\"action\":\"SCMP_ACT_ALLOW\"}"), -EINVAL,
     "syscalls[0].names: must be an array of syscall names, not a string"},
    {ONE("{\"names\":[],\"action\":\"SCMP_ACT_ALLOW\"}"), -EINVAL,
     "syscalls[0]: needs a non-empty 'names' list (or 'name')"},
    {ONE("{\"names\":[\"Read!\"],\"action\":\"SCMP_ACT_ALLOW\"}"), -EINVAL,
     "syscalls[0].names[0]: 'Read!' is not a syscall name (lower-case letters, digits and "
     "'_')"},
    {ONE("{\"names\":[\"\"],\"action\":\"SCMP_ACT_ALLOW\"}"), -EINVAL,
     "syscalls[0].names[0]: must not be empty"},
    {ONE("{\"names\":[\"read\"]}"), -EINVAL, "syscalls[0]: missing key 'action'"},
    {ONE("{\"names\":[\"read\"],\"action\":\"SCMP_ACT_NOTIFY\"}"), -EOPNOTSUPP,
     "syscalls[0].action: action 'SCMP_ACT_NOTIFY' needs a tracer or a notification "
     "listener; hardend supports SCMP_ACT_ALLOW, LOG, ERRNO, TRAP, KILL, KILL_THREAD and "
     "KILL_PROCESS"},
    {ONE("{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":5000}"), -EINVAL,
     "syscalls[0].errnoRet: 5000 is out of range (at most 4095)"},
    {ONE("{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":0}"), -EINVAL,
     "syscalls[0].errnoRet: 0 would make the call succeed without running it; use "
     "SCMP_ACT_ALLOW or an errno from 1 to 4095"},
    {ONE("{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ERRNO\",\"errno\":\"EWHAT\"}"), -EINVAL,
     "syscalls[0].errno: unknown errno name 'EWHAT'"},
    {ONE("{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"co\\u001bmment\":\"x\"}"), -EINVAL,
     "syscalls[0]: unknown key 'co\\x1bmment' (did you mean 'comment'?)"},
    {ONE("{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":6,"
         "\"op\":\"SCMP_CMP_EQ\"}]}"),
     -EINVAL, "syscalls[0].args[0].index: 6 is out of range (at most 5)"},
    {ONE("{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,"
         "\"value\":-1,\"op\":\"SCMP_CMP_EQ\"}]}"),
     -EINVAL, "syscalls[0].args[0].value: must not be negative (-1)"},
    {ONE("{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,"
         "\"value\":1.5,\"op\":\"SCMP_CMP_EQ\"}]}"),
     -EINVAL, "syscalls[0].args[0].value: must be an integer, not a number with a fraction"},
    {ONE("{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0}]}"), -EINVAL,
     "syscalls[0].args[0]: missing key 'op'"},
    {ONE("{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"value\":1,"
         "\"op\":\"SCMP_CMP_EQ\"}]}"),
     -EINVAL, "syscalls[0].args[0]: missing key 'index'"},
    {ONE("{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"op\":"
         "\"SCMP_CMP_FOO\"}]}"),
     -EINVAL,
     "syscalls[0].args[0].op: unknown operator 'SCMP_CMP_FOO' (expected one of SCMP_CMP_NE, "
     "SCMP_CMP_LT, SCMP_CMP_LE, SCMP_CMP_EQ, SCMP_CMP_GE, SCMP_CMP_GT, SCMP_CMP_MASKED_EQ)"},
    {ONE("{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"op\":"
         "\"SCMP_CMP_EQ\"},{\"index\":1,\"op\":\"SCMP_CMP_EQ\"},{\"index\":2,\"op\":"
         "\"SCMP_CMP_EQ\"},{\"index\":3,\"op\":\"SCMP_CMP_EQ\"},{\"index\":4,\"op\":"
         "\"SCMP_CMP_EQ\"},{\"index\":5,\"op\":\"SCMP_CMP_EQ\"},{\"index\":0,\"op\":"
         "\"SCMP_CMP_EQ\"}]}"),
     -EINVAL, "syscalls[0].args: has 7 elements, more than the 6 accepted"},
    {ONE("{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"minKernel\":"
         "\"abc\"}}"),
     -EINVAL, "syscalls[0].includes.minKernel: 'abc' is not a kernel version such as '5.8'"},
    {ONE("{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"excludes\":{\"arches\":["
         "\"vax\"]}}"),
     -EINVAL,
     "syscalls[0].excludes.arches[0]: unknown architecture 'vax' (expected a name such as "
     "amd64 or arm64)"},
    {ONE("{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"caps\":\"all\"}}"),
     -EINVAL, "syscalls[0].includes.caps: must be an array, not a string"},
    {ONE("{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"kernel\":1}}"),
     -EINVAL, "syscalls[0].includes: unknown key 'kernel'"},
};

START_TEST(test_malformed)
{
        struct oci_profile *p = NULL;
        struct oci_error err;
        int r;

        r = oci_profile_parse(malformed[_i].json, strlen(malformed[_i].json), &err, &p);
        ck_assert_msg(r == malformed[_i].status, "case %d: status %d, expected %d (%s)", _i, r,
                      malformed[_i].status, err.text);
        ck_assert_ptr_null(p);
        ck_assert_str_eq(err.text, malformed[_i].error);
}
END_TEST

/* The path names the exact element, deep in a long list. */
START_TEST(test_error_path_deep)
{
        char json[4096];
        size_t n = 0;
        struct oci_profile *p = NULL;
        struct oci_error err;

        n += (size_t)snprintf(json + n, sizeof(json) - n,
                              "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[");
        for (int i = 0; i < 12; i++)
                n += (size_t)snprintf(
                    json + n, sizeof(json) - n,
                    "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\","
                    "\"args\":[{\"index\":0,\"value\":%d,\"op\":\"SCMP_CMP_EQ\"}]},",
                    i);
        n += (size_t)snprintf(json + n, sizeof(json) - n,
                              "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":["
                              "{\"index\":0,\"op\":\"SCMP_CMP_EQUAL\"}]}]}");
        ck_assert_int_eq(oci_profile_parse(json, n, &err, &p), -EINVAL);
        ck_assert(strncmp(err.text, "syscalls[12].args[0].op: unknown operator 'SCMP_CMP_EQUAL'",
                          strlen("syscalls[12].args[0].op: unknown operator 'SCMP_CMP_EQUAL'")) ==
                  0);
}
END_TEST

START_TEST(test_size_bounds)
{
        _cleanup_free_ char *big = malloc(OCI_PROFILE_MAX_BYTES + 1);
        struct oci_profile *p = NULL;
        struct oci_error err;
        char json[64 * 1024];
        size_t n = 0;

        ck_assert_ptr_nonnull(big);
        memset(big, ' ', OCI_PROFILE_MAX_BYTES + 1);
        ck_assert_int_eq(oci_profile_parse(big, OCI_PROFILE_MAX_BYTES + 1, &err, &p), -EFBIG);
        ck_assert_str_eq(err.text, "profile is larger than 1048576 bytes");

        /* One entry may not name more than OCI_MAX_NAMES_PER_ENTRY syscalls. */
        n += (size_t)snprintf(json, sizeof(json),
                              "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[");
        for (unsigned i = 0; i <= OCI_MAX_NAMES_PER_ENTRY; i++)
                n += (size_t)snprintf(json + n, sizeof(json) - n, "%s\"read\"", i ? "," : "");
        n += (size_t)snprintf(json + n, sizeof(json) - n, "],\"action\":\"SCMP_ACT_ALLOW\"}]}");
        ck_assert_int_eq(oci_profile_parse(json, n, &err, &p), -EINVAL);
        ck_assert_str_eq(err.text, "syscalls[0].names: has 1025 elements, more than the 1024 "
                                   "accepted");
}
END_TEST

START_TEST(test_kernel_version)
{
        uint32_t v;

        ck_assert_int_eq(kernel_version_parse("4.8", false, &v), 0);
        ck_assert_uint_eq(v, kernel_version_make(4, 8, 0));
        ck_assert_int_eq(kernel_version_parse("5.10.12", false, &v), 0);
        ck_assert_uint_eq(v, kernel_version_make(5, 10, 12));
        ck_assert_int_eq(kernel_version_parse("6.18.44-fc-v769", true, &v), 0);
        ck_assert_uint_eq(v, kernel_version_make(6, 18, 44));
        ck_assert_int_eq(kernel_version_parse("6.18.44-fc", false, &v), -EINVAL);
        ck_assert_int_eq(kernel_version_parse("6", false, &v), -EINVAL);
        ck_assert_int_eq(kernel_version_parse("6.x", false, &v), -EINVAL);
        ck_assert_int_eq(kernel_version_parse("1024.0", false, &v), -EINVAL);
        ck_assert_int_eq(kernel_version_parse("", false, &v), -EINVAL);
        ck_assert(kernel_version_make(4, 9, 337) < kernel_version_make(4, 10, 0));
        ck_assert_int_eq(kernel_version_running(&v), 0);
        ck_assert(v > kernel_version_make(3, 0, 0));
}
END_TEST

START_TEST(test_podman_profile)
{
        _cleanup_oci_profile_ struct oci_profile *p = NULL;
        struct oci_error err;
        size_t names = 0;

        if (!test_require(access(PODMAN_PROFILE, R_OK) == 0, PODMAN_PROFILE))
                return;
        ck_assert_msg(oci_profile_load(AT_FDCWD, PODMAN_PROFILE, &err, &p) == 0, "%s", err.text);
        ck_assert_int_eq(p->default_action.act, SECCOMP_ACT_ERRNO);
        ck_assert_int_eq(p->default_action.errno_value, ENOSYS);
        ck_assert_uint_eq(p->arches, POLICY_ARCH_ALL);
        ck_assert_uint_ge(p->n_syscalls, 30);
        for (size_t i = 0; i < p->n_syscalls; i++)
                names += p->syscalls[i].n_names;
        /* DESIGN.md: 472 syscall names. */
        ck_assert_uint_ge(names, 450);
}
END_TEST

static const char podman_based[] = "service: podbase\n"
                                   "match: {units: [podbase.service]}\n"
                                   "seccomp:\n"
                                   "  base: " PODMAN_PROFILE "\n"
                                   "  architectures: [x86_64, x86, x32]\n"
                                   "  deny: [ptrace]\n"
                                   "  conditions:\n"
                                   "    - {syscall: socket, arg: 0, in: [AF_INET]}\n";

/* Docker's semantics on the profile podman ships: caps gate entries, the
 * policy's own rules win over the base's. */
START_TEST(test_podman_profile_as_base)
{
        _cleanup_ruleset_ struct seccomp_ruleset *enforce = NULL, *monitor = NULL, *admin = NULL;
        _cleanup_free_ char *d1 = NULL, *d2 = NULL, *d3 = NULL, *d4 = NULL, *d5 = NULL, *d6 = NULL,
                            *d7 = NULL, *d8 = NULL;
        char with_cap[2048];

        if (!test_require(access(PODMAN_PROFILE, R_OK) == 0, PODMAN_PROFILE))
                return;
        enforce = stest_rules(podman_based, POLICY_MODE_ENFORCE);
        monitor = stest_rules(podman_based, POLICY_MODE_MONITOR);
        ck_assert_uint_eq(enforce->n_unknown_names, 0);

        /* Allowed by the base, unconditionally. */
        ck_assert_str_eq(d1 = stest_describe(enforce, "read"), "allow");
        /* Base entry "excludes CAP_SYS_ADMIN" refuses bpf with EPERM; the
         * policy's default errno is EPERM too, so no rule is needed. */
        ck_assert_str_eq(d2 = stest_describe(enforce, "bpf"), "default");
        ck_assert(!seccomp_ruleset_allows(enforce, "bpf"));
        /* The base's personality conditions come through. */
        ck_assert_str_eq(d3 = stest_describe(enforce, "personality"),
                         "allow if a0==0 | allow if a0==8 | allow if a0==131072 | allow if "
                         "a0==131080 | allow if a0==4294967295");
        /* The policy's condition replaces the base's socket rules. */
        ck_assert_str_eq(d4 = stest_describe(enforce, "socket"), "allow if a0==2");
        /* The policy's deny wins over the base's allow. */
        ck_assert_str_eq(d5 = stest_describe(monitor, "ptrace"), "errno EPERM");
        /* Monitor: the base's refusals (bdflush: EPERM) are logged, not applied. */
        ck_assert_str_eq(d6 = stest_describe(monitor, "bdflush"), "default");
        ck_assert_str_eq(d7 = stest_describe(enforce, "bdflush"), "default");

        /* With CAP_SYS_ADMIN in the posture, the base allows bpf. */
        snprintf(with_cap, sizeof(with_cap),
                 "%sposture:\n  capabilities:\n    - {name: SYS_ADMIN, reason: test}\n",
                 podman_based);
        admin = stest_rules(with_cap, POLICY_MODE_ENFORCE);
        ck_assert_str_eq(d8 = stest_describe(admin, "bpf"), "allow");
}
END_TEST

/* includes / excludes / minKernel / split arguments, on a small fixture
 * (kernel fixed at 6.1 by stest_rules). */
START_TEST(test_base_semantics)
{
        static const struct {
                const char *syscall;
                const char *enforce;
                const char *monitor;
        } expect[] = {
            {"read", "allow", "allow"},
            {"arch_prctl", "allow", "allow"}, /* amd64 is ours */
            {"getcpu", "default", "default"}, /* s390x only */
            {"sysinfo", "allow", "allow"},    /* kernel 6.1 >= 3.10 */
            {"uname", "default", "default"},  /* kernel 6.1 < 99.0 */
            {"umask", "default", "default"},  /* excluded from 5.0 on */
            {"kcmp", "errno EACCES", "default"},
            {"mknod", "kill-thread", "default"},
            {"prctl", "allow if a0==15 | allow if a0==16", "allow if a0==15 | allow if a0==16"},
            {"fcntl", "allow if a1==1 && a2&0x3==0x1", "allow if a1==1 && a2&0x3==0x1"},
            {"setns", "errno ENOTBLK", "errno ENOTBLK"}, /* the policy's deny */
            {"exit_group", "allow", "allow"},            /* guard list */
        };
        _cleanup_ruleset_ struct seccomp_ruleset *e = NULL, *m = NULL;
        char yaml[1024];

        snprintf(yaml, sizeof(yaml),
                 "service: fixture\n"
                 "match: {units: [fixture.service]}\n"
                 "seccomp:\n"
                 "  base: %s\n"
                 "  architectures: [x86_64]\n"
                 "  deny: [{syscall: setns, errno: ENOTBLK}]\n",
                 test_path("tests/fixtures/seccomp/base-semantics.json"));
        e = stest_rules(yaml, POLICY_MODE_ENFORCE);
        m = stest_rules(yaml, POLICY_MODE_MONITOR);
        ck_assert_uint_eq(e->n_unknown_names, 1);
        for (size_t i = 0; i < ELEMENTSOF(expect); i++) {
                _cleanup_free_ char *de = stest_describe(e, expect[i].syscall);
                _cleanup_free_ char *dm = stest_describe(m, expect[i].syscall);

                ck_assert_msg(strcmp(de, expect[i].enforce) == 0, "enforce %s: '%s'",
                              expect[i].syscall, de);
                ck_assert_msg(strcmp(dm, expect[i].monitor) == 0, "monitor %s: '%s'",
                              expect[i].syscall, dm);
        }
}
END_TEST

/* What the exporter writes, the importer reads back as the same rules. */
static void check_roundtrip(const char *yaml, enum policy_mode mode, bool flags)
{
        _cleanup_ruleset_ struct seccomp_ruleset *rs = stest_rules(yaml, mode);
        _cleanup_oci_profile_ struct oci_profile *back = NULL;
        _cleanup_free_ char *json = NULL;
        struct oci_error err;
        size_t size, n_back = 0, n_listed = 0;

        ck_assert_int_eq(seccomp_oci_export(rs, flags, &json, &size), 0);
        ck_assert_uint_eq(strlen(json), size);
        ck_assert_msg(oci_profile_parse(json, size, &err, &back) == 0, "%s", err.text);
        ck_assert(seccomp_action_equal(back->default_action, rs->default_action));
        ck_assert_uint_eq(back->arches, seccomp_ruleset_oci_arches(rs));
        ck_assert_uint_eq(back->flags, flags && mode == POLICY_MODE_ENFORCE ? OCI_FLAG_LOG : 0);
        for (size_t i = 0; i < back->n_syscalls; i++) {
                const struct oci_syscall *sc = &back->syscalls[i];

                for (size_t j = 0; j < sc->n_names; j++) {
                        size_t n;
                        const struct seccomp_rule *r = seccomp_ruleset_lookup(rs, sc->names[j], &n);
                        bool found = false;

                        ck_assert_msg(r != NULL, "%s exported but not in the rule set",
                                      sc->names[j]);
                        for (size_t k = 0; k < n && !found; k++) {
                                found = seccomp_action_equal(r[k].action, sc->action) &&
                                        r[k].n_args == sc->n_args;
                                for (size_t a = 0; found && a < sc->n_args; a++)
                                        found = r[k].args[a].index == sc->args[a].index &&
                                                r[k].args[a].op == sc->args[a].op &&
                                                r[k].args[a].value == sc->args[a].value &&
                                                r[k].args[a].value_two == sc->args[a].value_two;
                        }
                        ck_assert_msg(found, "%s: exported rule differs", sc->names[j]);
                        n_back++;
                }
        }
        for (size_t i = 0; i < rs->n_rules; i++)
                if (seccomp_name_applies(rs->rules[i].syscall, back->arches))
                        n_listed++;
        ck_assert_uint_eq(n_back, n_listed);
        ck_assert_uint_gt(n_listed, 200);
}

START_TEST(test_export_roundtrip)
{
        _cleanup_free_ char *api = NULL, *worker = NULL;
        size_t size;

        ck_assert_int_eq(
            read_file_bounded(AT_FDCWD, test_path("profiles/api.yaml"), 1 << 20, &api, &size), 0);
        ck_assert_int_eq(
            read_file_bounded(AT_FDCWD, test_path("profiles/worker.yaml"), 1 << 20, &worker, &size),
            0);
        check_roundtrip(api, POLICY_MODE_MONITOR, false);
        check_roundtrip(api, POLICY_MODE_ENFORCE, false);
        check_roundtrip(api, POLICY_MODE_ENFORCE, true);
        check_roundtrip(worker, POLICY_MODE_ENFORCE, true);
}
END_TEST

/* An argument value above 2^63 is written exactly (jansson could not). */
START_TEST(test_export_large_value)
{
        _cleanup_ruleset_ struct seccomp_ruleset *rs =
            stest_rules("service: big\n"
                        "match: {units: [big.service]}\n"
                        "seccomp:\n"
                        "  base: \"@default\"\n"
                        "  conditions:\n"
                        "    - {syscall: ioctl, arg: 1, in: [0xffffffffffffffff]}\n",
                        POLICY_MODE_ENFORCE);
        _cleanup_free_ char *json = NULL;
        size_t size;

        ck_assert_int_eq(seccomp_oci_export(rs, false, &json, &size), 0);
        ck_assert_ptr_nonnull(strstr(json, "\"value\": 18446744073709551615,"));
}
END_TEST

/* The operator sees where the base is wrong, through the CLI. */
START_TEST(test_cli_bad_base)
{
        char dir[] = "/tmp/hardend-base-XXXXXX", path[256], out_dir[256];
        const char *bad =
            "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],"
            "\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"op\":\"SCMP_CMP_EQUAL\"}]}]}";
        const char *yaml = "service: based\nmatch: {units: [based.service]}\n"
                           "seccomp: {base: base.json}\n";
        const char *argv[] = {
            "build/hardenctl", "generate", "--runtime-flags", "no", "--out", out_dir, path, NULL};
        _cleanup_free_ char *out = NULL, *err = NULL;
        char expect[1024];

        ck_assert_ptr_nonnull(mkdtemp(dir));
        snprintf(path, sizeof(path), "%s/base.json", dir);
        ck_assert_int_eq(write_file_atomic(AT_FDCWD, path, bad, strlen(bad), 0644), 0);
        snprintf(path, sizeof(path), "%s/based.yaml", dir);
        ck_assert_int_eq(write_file_atomic(AT_FDCWD, path, yaml, strlen(yaml), 0644), 0);
        snprintf(out_dir, sizeof(out_dir), "%s", dir);
        ck_assert_int_eq(test_run(argv, &out, &err), 1);
        snprintf(expect, sizeof(expect),
                 "%s: seccomp base 'base.json': syscalls[0].args[0].op: unknown operator "
                 "'SCMP_CMP_EQUAL' (expected one of SCMP_CMP_NE, SCMP_CMP_LT, SCMP_CMP_LE, "
                 "SCMP_CMP_EQ, SCMP_CMP_GE, SCMP_CMP_GT, SCMP_CMP_MASKED_EQ)\n",
                 path);
        ck_assert_str_eq(err, expect);
        ck_assert_str_eq(out, "");
        /* Nothing is written for a service that failed. */
        snprintf(path, sizeof(path), "%s/based.seccomp.json", dir);
        ck_assert_int_eq(access(path, F_OK), -1);
        {
                const char *rm[] = {"/bin/rm", "-rf", dir, NULL};

                ck_assert_int_eq(test_run(rm, NULL, NULL), 0);
        }
}
END_TEST

static Suite *seccomp_oci_import_suite(void)
{
        Suite *s = suite_create("seccomp-oci-import");
        TCase *tc = tcase_create("import");

        tcase_add_loop_test(tc, test_malformed, 0, ELEMENTSOF(malformed));
        tcase_add_test(tc, test_error_path_deep);
        tcase_add_test(tc, test_size_bounds);
        tcase_add_test(tc, test_kernel_version);
        tcase_add_test(tc, test_podman_profile);
        tcase_add_test(tc, test_podman_profile_as_base);
        tcase_add_test(tc, test_base_semantics);
        tcase_add_test(tc, test_export_roundtrip);
        tcase_add_test(tc, test_export_large_value);
        tcase_add_test(tc, test_cli_bad_base);
        tcase_set_timeout(tc, 30);
        suite_add_tcase(s, tc);
        return s;
}

TEST_SUITE(seccomp_oci_import_suite)
