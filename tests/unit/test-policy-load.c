/* SPDX-License-Identifier: MIT */
/* The policy loader: a table of valid and invalid documents. Every invalid
 * one asserts the exact diagnostics, with line and column. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "policy/policy-load.h"
#include "testing.h"

#define HEAD "service: t\nmatch:\n  units: [t.service]\n"

/* Loads text; returns every diagnostic as "LINE:COL: message" lines. */
static char *load_diags(const char *text, struct policy **ret)
{
        struct diag_list d;
        char *buf = NULL;
        size_t len = 0;
        FILE *f;
        int r;

        ck_assert_int_eq(diag_list_init(&d, "t.yaml"), 0);
        r = policy_load_buffer(text, strlen(text), AT_FDCWD, &d, ret);
        ck_assert_int_eq(r < 0, diag_has_errors(&d));
        f = open_memstream(&buf, &len);
        for (size_t i = 0; i < d.n; i++)
                fprintf(f, "%u:%u: %s\n", d.items[i].loc.line, d.items[i].loc.col,
                        d.items[i].message);
        fclose(f);
        diag_list_done(&d);
        return buf;
}

static const struct {
        const char *name;
        const char *text;
        const char *diags;
} invalid[] = {
    {"syntax", "service: [unclosed\n",
     "2:1: YAML syntax error: did not find expected ',' or ']' while parsing a flow sequence\n"},
    {"empty", "", "0:0: the file is empty\n"},
    {"not a mapping", "- a\n",
     "1:1: a policy is a mapping of keys (service, match, seccomp, ...), not a list\n"},
    {"missing service", "match:\n  units: [a]\n", "1:1: missing required key 'service'\n"},
    {"missing match", "service: t\n",
     "1:1: missing required key 'match' (how the agent recognises the service)\n"},
    {"empty match", "service: t\nmatch: {}\n",
     "2:8: 'match' must name at least one of labels, container_names, units or executables\n"},
    {"bad service name", "service: Bad_Name\nmatch:\n  units: [a]\n",
     "1:10: service name 'Bad_Name' must be 1-63 characters of a-z, 0-9 and '-', starting with a "
     "letter\n"},
    {"unknown top key", HEAD "secomp: {}\n",
     "4:1: unknown key 'secomp' in the policy (did you mean 'seccomp'?)\n"},
    {"unknown key, no suggestion", HEAD "frobnicate: 1\n",
     "4:1: unknown key 'frobnicate' in the policy\n"},
    {"duplicate key", HEAD "mode: monitor\nmode: enforce\n",
     "5:1: duplicate key 'mode' (first at line 4)\n"},
    {"duplicate service (first wins, nothing leaks)",
     HEAD "service: u\ndescription: a\ndescription: b\n",
     "4:1: duplicate key 'service' (first at line 1)\n6:1: duplicate key 'description' (first at "
     "line 5)\n"},
    {"duplicate label", HEAD "  labels: {a: x, a: y}\n",
     "4:18: duplicate key 'a' (first at line 4)\n"},
    {"bad mode", HEAD "mode: enforcing\n",
     "4:7: mode must be 'monitor' or 'enforce', not 'enforcing'\n"},
    {"wrong type", HEAD "seccomp: [a]\n", "4:10: 'seccomp' must be a mapping, not a list\n"},
    {"alias", HEAD "description: &d x\n", "4:14: anchors ('&name') are not allowed here\n"},
    {"alias use", "a: &x [1]\n", "1:4: anchors ('&name') are not allowed here\n"},
    {"two documents", HEAD "---\nservice: u\n", "4:1: more than one YAML document in the file\n"},
    {"unknown syscall", HEAD "seccomp:\n  allow: [opne]\n",
     "5:11: unknown syscall 'opne' (did you mean 'open'?)\n"},
    {"unknown group", HEAD "seccomp:\n  allow: ['@netwrk-io']\n",
     "5:11: unknown syscall group '@netwrk-io' (did you mean '@network-io'?)\n"},
    {"unknown base group", HEAD "seccomp:\n  base: '@sytem-service'\n",
     "5:9: unknown syscall group '@sytem-service' (did you mean '@system-service'?)\n"},
    {"bad base", HEAD "seccomp:\n  base: docker\n",
     "5:9: base must be 'none', a syscall group such as '@system-service', or a path to a "
     "Docker/OCI .json profile, not 'docker'\n"},
    {"missing base file", HEAD "seccomp:\n  base: /nonexistent/x.json\n",
     "5:9: cannot read seccomp base profile '/nonexistent/x.json': No such file or directory\n"},
    {"allowed and denied", HEAD "seccomp:\n  allow: [ptrace]\n  deny: [ptrace]\n",
     "6:10: 'ptrace' is both allowed (line 5) and denied\n"},
    {"guarded", HEAD "seccomp:\n  deny: [exit_group]\n",
     "5:10: 'exit_group' cannot be denied: every process needs exit_group to exit or return from a "
     "signal handler\n"},
    {"guarded in group", HEAD "seccomp:\n  deny: ['@default']\n",
     "5:10: '@default' cannot be denied: every process needs exit to exit or return from a signal "
     "handler\n"},
    {"listed twice", HEAD "seccomp:\n  allow: [read, read]\n",
     "5:17: 'read' is listed twice in allow\n"},
    {"bad errno", HEAD "seccomp:\n  errno: EPRM\n",
     "5:10: errno must be a name such as EPERM or a number 1-4095, not 'EPRM'\n"},
    {"errno range", HEAD "seccomp:\n  errno: 4096\n",
     "5:10: errno must be a name such as EPERM or a number 1-4095, not '4096'\n"},
    {"bad violation", HEAD "seccomp:\n  violation: kill\n",
     "5:14: violation must be errno, kill-process, kill-thread or trap, not 'kill'\n"},
    {"syscall of another arch",
     HEAD "seccomp:\n  architectures: [x86_64]\n  allow: [socketcall, open]\n",
     "6:11: syscall 'socketcall' does not exist on the target architectures (x86_64)\n"},
    {"x86 multiplexed calls are real",
     HEAD "seccomp:\n  architectures: [x86]\n  allow: [socket, shmat, nope]\n",
     "6:26: unknown syscall 'nope'\n"},
    {"multiplexed names only count on x86",
     HEAD "seccomp:\n  architectures: [x86_64]\n  allow: [send]\n",
     "6:11: syscall 'send' does not exist on the target architectures (x86_64)\n"},
    {"open not on aarch64", HEAD "seccomp:\n  architectures: [aarch64]\n  allow: [open]\n",
     "6:11: syscall 'open' does not exist on the target architectures (aarch64)\n"},
    {"allowed but denied by group", HEAD "seccomp:\n  allow: [socket]\n  deny: ['@network-io']\n",
     "5:11: 'socket' is allowed here but denied by '@network-io' (line 6)\n"},
    {"condition under denied group",
     HEAD
     "seccomp:\n  deny: ['@network-io']\n  conditions:\n    - {syscall: socket, arg: 0, in: [1]}\n",
     "7:7: condition on 'socket' can never apply: '@network-io' (line 5) denies it\n"},
    {"group allowed and denied", HEAD "seccomp:\n  allow: ['@mount']\n  deny: ['@mount']\n",
     "6:10: '@mount' is both allowed (line 5) and denied\n"},
    {"octal is refused", HEAD "seccomp:\n  errno: 013\n",
     "5:10: errno must be a name such as EPERM or a number 1-4095, not '013'\n"},
    {"cap prefix typo",
     HEAD "posture:\n  capabilities:\n    - {name: CAP_NET_BIND_SERVIC, reason: x}\n",
     "6:14: unknown capability 'CAP_NET_BIND_SERVIC' (did you mean 'NET_BIND_SERVICE'?)\n"},
    {"empty access", HEAD "apparmor:\n  ptrace:\n    - {access: []}\n",
     "6:16: 'access' must list at least one of read, trace, readby, tracedby\n"},
    {"empty value is an empty list", HEAD "apparmor:\n  files:\n  mount: 3\n",
     "6:10: 'mount' must be a list, not a scalar\n"},
    {"fstype with dash ok, uppercase not",
     HEAD "posture:\n  writable_mounts: [{path: /a, type: fuse-x}, {path: /b, type: EXT4}]\n",
     "5:64: invalid filesystem type 'EXT4'\n"},
    {"lower-case cap typo",
     HEAD "posture:\n  capabilities:\n    - {name: cap_sys_admn, reason: x}\n",
     "6:14: unknown capability 'cap_sys_admn' (did you mean 'SYS_ADMIN'?)\n"},
    {"leading zero value",
     HEAD "seccomp:\n  conditions:\n    - {syscall: socket, arg: 0, in: [010]}\n",
     "6:38: '010': write numbers in decimal or 0x hex, without a leading zero\n"},
    {"bad arch", HEAD "seccomp:\n  architectures: [x86-64]\n",
     "5:19: unknown architecture 'x86-64' (did you mean 'x86_64'?)\n5:18: 'architectures' must "
     "name at least one of x86_64, x86, x32, aarch64\n"},
    {"deny errno", HEAD "seccomp:\n  deny:\n    - syscall: clone3\n      errno: NOPE\n",
     "7:14: errno must be a name such as EPERM or a number 1-4095, not 'NOPE'\n"},
    {"condition arg",
     HEAD "seccomp:\n  conditions:\n    - syscall: socket\n      arg: 6\n      in: [AF_INET]\n",
     "7:12: 'arg' must be an argument index 0-5, not '6'\n"},
    {"condition value",
     HEAD "seccomp:\n  conditions:\n    - syscall: socket\n      arg: 0\n      in: [AF_INTE]\n",
     "8:12: unknown argument value 'AF_INTE' (did you mean 'AF_INET'?)\n"},
    {"condition both ops",
     HEAD "seccomp:\n  conditions:\n    - syscall: clone\n      arg: 0\n      in: [1]\n      "
          "none_of: [2]\n",
     "9:16: condition takes one of 'in' or 'none_of', not both\n"},
    {"condition twice",
     HEAD "seccomp:\n  conditions:\n    - {syscall: socket, arg: 0, in: [1]}\n    - {syscall: "
          "socket, arg: 0, in: [2]}\n",
     "7:7: a second condition on socket argument 0 (first at line 6): merge them\n"},
    {"condition on denied",
     HEAD "seccomp:\n  deny: [socket]\n  conditions:\n    - {syscall: socket, arg: 0, in: [1]}\n",
     "5:10: 'socket' is both denied and allowed under a condition (line 7)\n"},
    {"condition group",
     HEAD "seccomp:\n  conditions:\n    - {syscall: '@process', arg: 0, in: [1]}\n",
     "6:17: a group ('@process') is not allowed here\n"},
    {"unknown capability", HEAD "posture:\n  capabilities:\n    - {name: NET_ADMN, reason: x}\n",
     "6:14: unknown capability 'NET_ADMN' (did you mean 'NET_ADMIN'?)\n"},
    {"capability without reason", HEAD "posture:\n  capabilities:\n    - name: SYS_ADMIN\n",
     "6:13: capability 'SYS_ADMIN' needs a 'reason': say why the service needs it\n"},
    {"capability twice",
     HEAD "posture:\n  capabilities:\n    - {name: CHOWN, reason: a}\n    - {name: cap_chown, "
          "reason: b}\n",
     "7:14: capability 'cap_chown' is listed twice (first at line 6)\n"},
    {"bad bool", HEAD "posture:\n  read_only_rootfs: yes\n",
     "5:21: 'read_only_rootfs' must be true or false, not 'yes'\n"},
    {"quoted bool", HEAD "posture:\n  read_only_rootfs: 'true'\n",
     "5:21: 'read_only_rootfs' must be true or false without quotes, not the string 'true'\n"},
    {"bad namespace", HEAD "posture:\n  host_namespaces: [nett]\n",
     "5:21: unknown namespace 'nett' (did you mean 'net'?)\n"},
    {"writable mount glob", HEAD "posture:\n  writable_mounts:\n    - path: /tmp/*\n",
     "6:13: invalid mount path '/tmp/*': glob characters are not allowed here\n"},
    {"bad glob", HEAD "apparmor:\n  files:\n    - {path: '/etc/{a,b', access: r}\n",
     "6:14: invalid path glob '/etc/{a,b': unterminated alternation '{'\n"},
    {"glob injection", HEAD "apparmor:\n  files:\n    - {path: \"/x\\\" rwx,\\n/**\", access: r}\n",
     "6:14: invalid path glob '/x\" rwx,\n/**': path contains a quote or backslash\n"},
    {"bad access", HEAD "apparmor:\n  files:\n    - {path: /x, access: rwx}\n",
     "6:26: invalid access 'rwx': access is made of the letters r w a l k m and one exec mode (ix "
     "px Px cx Cx)\n"},
    {"w and a", HEAD "apparmor:\n  files:\n    - {path: /x, access: wa}\n",
     "6:26: invalid access 'wa': 'w' and 'a' cannot be combined ('w' includes append)\n"},
    {"bad network", HEAD "apparmor:\n  network: [inet streem]\n",
     "5:13: unknown socket type 'streem' (did you mean 'stream'?)\n"},
    {"apparmor capabilities", HEAD "apparmor:\n  capabilities: [chown]\n",
     "5:17: capabilities are declared once, in 'posture.capabilities' (with a reason each); the "
     "AppArmor profile grants exactly that set\n"},
    {"bad signal", HEAD "apparmor:\n  signal:\n    - {access: [send], signals: [sigterm]}\n",
     "6:34: unknown signal 'sigterm'\n"},
    {"bad peer", HEAD "apparmor:\n  ptrace:\n    - {access: [read], peer: 'a b'}\n",
     "6:30: invalid peer profile name 'a b'\n"},
    {"bad label", HEAD "  labels:\n    app: 'a b'\n",
     "5:10: label value 'a b' is not a valid pattern\n"},
    {"nesting", HEAD "description: [[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]\n",
     "4:29: nesting deeper than 16 levels\n"},
    {"many problems", "service: t\nmode: x\nmatch:\n  units: [a]\nseccomp:\n  allow: [nope1]\n",
     "2:7: mode must be 'monitor' or 'enforce', not 'x'\n6:11: unknown syscall 'nope1'\n"},
};

START_TEST(test_invalid)
{
        struct policy *p = NULL;
        _cleanup_free_ char *got = load_diags(invalid[_i].text, &p);

        ck_assert_ptr_null(p);
        ck_assert_msg(strcmp(got, invalid[_i].diags) == 0, "case '%s':\nexpected: %sgot:      %s",
                      invalid[_i].name, invalid[_i].diags, got);
}
END_TEST

START_TEST(test_minimal_defaults)
{
        _cleanup_policy_ struct policy *p = NULL;
        _cleanup_free_ char *got = load_diags(HEAD, &p);

        ck_assert_str_eq(got, "");
        ck_assert_ptr_nonnull(p);
        ck_assert_str_eq(p->service, "t");
        ck_assert_int_eq(p->mode, POLICY_MODE_MONITOR);
        ck_assert_int_eq(p->seccomp.base_kind, SECCOMP_BASE_NONE);
        ck_assert_int_eq(p->seccomp.errno_value, EPERM);
        ck_assert_uint_eq(p->seccomp.architectures, POLICY_ARCH_ALL);
        ck_assert(p->apparmor.include_base);
        ck_assert(p->posture.no_new_privileges);
        ck_assert(p->posture.read_only_rootfs);
        ck_assert_uint_eq(p->posture.forbidden_mounts.n, posture_default_forbidden_mounts_len);
}
END_TEST

START_TEST(test_full_model)
{
        static const char text[] =
            "service: web\n"
            "mode: enforce\n"
            "match:\n"
            "  labels: {io.kubernetes.container.name: web}\n"
            "  container_names: ['web-*']\n"
            "  executables: [/usr/sbin/nginx]\n"
            "seccomp:\n"
            "  base: '@system-service'\n"
            "  architectures: [x86_64, aarch64]\n"
            "  errno: 13\n"
            "  violation: kill-process\n"
            "  allow: [sendfile, '@timer']\n"
            "  deny: ['@mount', {syscall: clone3, errno: ENOSYS}]\n"
            "  conditions:\n"
            "    - {syscall: socket, arg: 0, in: [AF_INET, 10]}\n"
            "    - {syscall: clone, arg: 0, none_of: [CLONE_NEWUSER]}\n"
            "apparmor:\n"
            "  include_base: false\n"
            "  files: [{path: /srv/**, access: rm}, {path: /usr/bin/x, access: ixr}]\n"
            "  deny: [{path: /etc/shadow, access: xr}]\n"
            "  network: [inet, inet6 stream]\n"
            "  signal: [{access: [send, receive], signals: [term], peer: 'hardend-*'}]\n"
            "  mount: [{target: /tmp/, fstype: tmpfs, options: [nosuid, nodev]}]\n"
            "posture:\n"
            "  capabilities: [{name: cap_net_bind_service, reason: port 80}]\n"
            "  no_new_privileges: false\n"
            "  writable_mounts: [{path: /tmp, type: tmpfs}, {path: /data}]\n"
            "  forbidden_mounts: []\n"
            "  host_namespaces: [net, uts]\n";
        _cleanup_policy_ struct policy *p = NULL;
        _cleanup_free_ char *got = load_diags(text, &p);

        ck_assert_str_eq(got, "");
        ck_assert_int_eq(p->mode, POLICY_MODE_ENFORCE);
        ck_assert_str_eq(p->match.labels[0].key, "io.kubernetes.container.name");
        ck_assert_str_eq(p->match.labels[0].value, "web");
        ck_assert_str_eq(p->match.container_names.items[0].name, "web-*");
        ck_assert_int_eq(p->seccomp.base_kind, SECCOMP_BASE_GROUP);
        ck_assert_uint_eq(p->seccomp.architectures, POLICY_ARCH_X86_64 | POLICY_ARCH_AARCH64);
        ck_assert_int_eq(p->seccomp.errno_value, EACCES);
        ck_assert_int_eq(p->seccomp.violation, SECCOMP_VIOLATION_KILL_PROCESS);
        ck_assert_uint_eq(p->seccomp.allow.n, 2);
        ck_assert_uint_eq(p->seccomp.n_deny, 2);
        ck_assert_int_eq(p->seccomp.deny[1].errno_value, ENOSYS);
        ck_assert_uint_eq(p->seccomp.n_conditions, 2);
        ck_assert_uint_eq(p->seccomp.conditions[0].values[0].value, 2);
        ck_assert_str_eq(p->seccomp.conditions[0].values[0].symbol, "AF_INET");
        ck_assert_ptr_null(p->seccomp.conditions[0].values[1].symbol);
        ck_assert_int_eq(p->seccomp.conditions[1].op, SECCOMP_COND_NONE_OF);
        ck_assert(!p->apparmor.include_base);
        ck_assert_str_eq(p->apparmor.files[0].access, "rm");
        ck_assert_str_eq(p->apparmor.files[1].access, "rix"); /* canonical order */
        ck_assert_str_eq(p->apparmor.deny[0].access, "rx");
        ck_assert_ptr_null(p->apparmor.network[0].type);
        ck_assert_str_eq(p->apparmor.network[1].type, "stream");
        ck_assert_str_eq(p->apparmor.signal[0].peer, "hardend-*");
        ck_assert_str_eq(p->apparmor.mount[0].fstype, "tmpfs");
        ck_assert_int_eq(p->posture.capabilities[0].cap, 10);
        ck_assert(!p->posture.no_new_privileges);
        ck_assert_ptr_null(p->posture.writable_mounts[1].type);
        ck_assert_uint_eq(p->posture.forbidden_mounts.n, 0);
        ck_assert_uint_eq(p->posture.host_namespaces, POLICY_NS_NET | POLICY_NS_UTS);
}
END_TEST

START_TEST(test_limits)
{
        struct diag_list d;
        struct policy *p = NULL;
        size_t big = POLICY_MAX_BYTES + 1;
        char *text = malloc(big);

        ck_assert_ptr_nonnull(text);
        memset(text, '#', big);
        ck_assert_int_eq(diag_list_init(&d, "t.yaml"), 0);
        ck_assert_int_eq(policy_load_buffer(text, big, AT_FDCWD, &d, &p), -EFBIG);
        ck_assert_str_eq(d.items[0].message, "policy is larger than 262144 bytes");
        diag_list_done(&d);

        /* A long scalar. */
        memcpy(text, "service: ", 9);
        memset(text + 9, 'a', 5000);
        text[5009] = '\n';
        ck_assert_int_eq(diag_list_init(&d, "t.yaml"), 0);
        ck_assert_int_eq(policy_load_buffer(text, 5010, AT_FDCWD, &d, &p), -EINVAL);
        ck_assert_str_eq(d.items[0].message, "value is longer than 4096 bytes");
        diag_list_done(&d);

        /* Too many nodes: a flow list of 30000 items. */
        size_t n = 0;
        n += (size_t)sprintf(text, "a: [");
        for (int i = 0; i < 30000; i++)
                n += (size_t)sprintf(text + n, "1,");
        n += (size_t)sprintf(text + n, "1]\n");
        ck_assert_int_eq(diag_list_init(&d, "t.yaml"), 0);
        ck_assert_int_eq(policy_load_buffer(text, n, AT_FDCWD, &d, &p), -EINVAL);
        ck_assert_str_eq(d.items[0].message, "too many nodes (more than 20000)");
        diag_list_done(&d);
        free(text);
}
END_TEST

START_TEST(test_file_name_must_match)
{
        struct diag_list d;
        struct policy *p = NULL;
        char path[] = "/tmp/hardend-test-XXXXXX.yaml";
        int fd = mkstemps(path, 5);

        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(write(fd, HEAD, strlen(HEAD)), (ssize_t)strlen(HEAD));
        close(fd);
        ck_assert_int_eq(diag_list_init(&d, path), 0);
        ck_assert_int_eq(policy_load_file(path, &d, &p), -EINVAL);
        ck_assert_ptr_null(p);
        ck_assert_uint_eq(d.n, 1);
        ck_assert_ptr_nonnull(strstr(d.items[0].message, "must live in a file named 't.yaml'"));
        diag_list_done(&d);
        unlink(path);

        ck_assert_int_eq(diag_list_init(&d, "/nonexistent.yaml"), 0);
        ck_assert_int_eq(policy_load_file("/nonexistent.yaml", &d, &p), -ENOENT);
        ck_assert_str_eq(d.items[0].message, "cannot read: No such file or directory");
        diag_list_done(&d);
}
END_TEST

START_TEST(test_oci_base_relative)
{
        char dir[] = "/tmp/hardend-test-XXXXXX";
        char path[256];
        struct diag_list d;
        _cleanup_policy_ struct policy *p = NULL;
        FILE *f;

        ck_assert_ptr_nonnull(mkdtemp(dir));
        snprintf(path, sizeof(path), "%s/base.json", dir);
        f = fopen(path, "w");
        fputs("{}", f);
        fclose(f);
        snprintf(path, sizeof(path), "%s/t.yaml", dir);
        f = fopen(path, "w");
        fputs(HEAD "seccomp:\n  base: base.json\n", f);
        fclose(f);
        ck_assert_int_eq(diag_list_init(&d, path), 0);
        ck_assert_int_eq(policy_load_file(path, &d, &p), 0);
        ck_assert_int_eq(p->seccomp.base_kind, SECCOMP_BASE_OCI);
        ck_assert_str_eq(p->seccomp.base, "base.json");
        diag_list_done(&d);
        unlink(path);
        snprintf(path, sizeof(path), "%s/base.json", dir);
        unlink(path);
        rmdir(dir);
}
END_TEST

static Suite *policy_load_suite(void)
{
        Suite *s = suite_create("policy-load");
        TCase *tc = tcase_create("load");

        tcase_add_loop_test(tc, test_invalid, 0, ELEMENTSOF(invalid));
        tcase_add_test(tc, test_minimal_defaults);
        tcase_add_test(tc, test_full_model);
        tcase_add_test(tc, test_limits);
        tcase_add_test(tc, test_file_name_must_match);
        tcase_add_test(tc, test_oci_base_relative);
        suite_add_tcase(s, tc);
        return s;
}
TEST_SUITE(policy_load_suite)
