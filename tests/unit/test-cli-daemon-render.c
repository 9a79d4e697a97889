/* SPDX-License-Identifier: MIT */
/* hardenctl's side of the daemon verbs without a daemon: the renderers
 * that turn the daemon's replies (shaped as its contract says) into text,
 * fed whole documents, documents of another version (fields missing, of
 * the wrong type, hostile strings) and, for events and check, the very
 * JSON the offline verbs print, whose offline text they must reproduce;
 * and the CLI's own error paths, run for real (no daemon, a stale socket,
 * no permission, bad names refused before connecting, usage errors). */
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* The renderers are hardenctl's, not the library's, and the test runner
 * links only the library: they are compiled in here. */
#include "../../tools/hardenctl/daemon-render.h"
#include "base/macro.h"
#include "posture/posture-check.h"

#include "posture-fixture.h"
#include "testing.h"

/* 2026-11-22T14:02:21.886123Z, and "now" three minutes later. */
#define T0  1795356141886123ll
#define NOW ((uint64_t)T0 + 180ull * 1000000ull)

/* --- helpers --------------------------------------------------------------- */

static char *saved_tz;

/* Local time is UTC while a test runs, so expected text holds. */
static void tz_setup(void)
{
        const char *tz = getenv("TZ");

        saved_tz = tz ? strdup(tz) : NULL;
        setenv("TZ", "UTC", 1);
        tzset();
}

static void tz_teardown(void)
{
        if (saved_tz)
                setenv("TZ", saved_tz, 1);
        else
                unsetenv("TZ");
        free(saved_tz);
        saved_tz = NULL;
        tzset();
}

static json_t *load(const char *text)
{
        json_error_t e;
        json_t *j = json_loads(text, JSON_DECODE_ANY, &e);

        ck_assert_msg(j, "test JSON does not parse: %s: %s", e.text, text);
        return j;
}

enum which {
        R_STATUS,
        R_MODE,
        R_RELOAD,
        R_EVENTS,
        R_OBSERVATIONS,
        R_CHECK,
        _R_MAX,
};

/* Renders doc with one of the renderers into a string (caller frees). */
static char *render(enum which w, const json_t *doc)
{
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        int r = -EINVAL;

        if (!f)
                ck_abort_msg("open_memstream: %m");
        switch (w) {
        case R_STATUS:
                r = render_status(f, doc, NOW);
                break;
        case R_MODE:
                r = render_mode_result(f, doc);
                break;
        case R_RELOAD:
                r = render_reload(f, doc);
                (void)render_reload_invalid(doc);
                break;
        case R_EVENTS:
                r = render_events(f, doc);
                break;
        case R_OBSERVATIONS:
                r = render_observations(f, doc);
                break;
        case R_CHECK:
                r = render_check(f, doc, NOW);
                for (int s = 0; s <= _SEVERITY_MAX; s++)
                        (void)render_check_failed(doc, s);
                break;
        case _R_MAX:
        default:
                break;
        }
        if (r != 0 || fclose(f) != 0)
                ck_abort_msg("rendering failed: %d", r);
        return buf;
}

static char *render_text(enum which w, const char *json)
{
        json_t *doc = load(json);
        char *out = render(w, doc);

        json_decref(doc);
        return out;
}

/* Nothing a terminal acts on: no C0 control but the newline, no DEL, no
 * C1 control (UTF-8 C2 80..9F). */
static void assert_printable(const char *out)
{
        const unsigned char *u;

        /* One assertion at the end: Check records a point per assertion. */
        for (u = (const unsigned char *)out; *u; u++)
                if ((*u < 0x20 && *u != '\n') || *u == 0x7f ||
                    (*u == 0xc2 && u[1] >= 0x80 && u[1] <= 0x9f))
                        break;
        ck_assert_msg(*u == '\0', "control byte 0x%02x at offset %td of the output: %s", *u,
                      (const char *)u - out, out);
}

/* --- the status document of the contract, whole ----------------------------- */

static const char status_doc[] =
    "{\"agent\": {\"version\": \"0.1.0\", \"pid\": 1234, \"started\": 1795356141886123,"
    " \"config\": \"/etc/hardend/hardend.yaml\", \"profiles_dir\": \"/etc/hardend/profiles\","
    " \"state_dir\": \"/var/lib/hardend\", \"seccomp_dir\": \"/var/lib/hardend/seccomp\","
    " \"sources\": {\"netlink\": {\"enabled\": true, \"up\": true, \"error\": null, \"records\": "
    "10,"
    "   \"overruns\": 0, \"dropped\": 0},"
    "  \"journal\": {\"enabled\": false, \"up\": false, \"error\": null, \"records\": 0}},"
    " \"events\": {\"parsed\": 10, \"delivered\": 9, \"malformed\": 0, \"duplicates\": 1, "
    "\"lost\": 0},"
    " \"observations\": {\"keys\": 12, \"over_cap\": 0, \"bytes\": 4096},"
    " \"memory\": {\"rss\": 6291456, \"pss\": 4194304},"
    " \"apparmor\": {\"available\": false, \"detail\": \"this kernel has no AppArmor\"},"
    " \"scan\": {\"last\": 1795356141886123, \"workloads\": 7, \"error\": null},"
    " \"state_warning\": null,"
    " \"invalid_policies\": [{\"file\": \"/etc/hardend/profiles/bad.yaml\","
    "   \"error\": \"bad.yaml:3:5: unknown key 'sycalls'\"}]},"
    "\"services\": ["
    " {\"name\": \"api\", \"mode\": \"enforce\", \"since\": 1795356141886123,"
    "  \"by\": {\"uid\": 0, \"pid\": 4242, \"comm\": \"hardenctl\"},"
    "  \"policy\": {\"file\": \"/etc/hardend/profiles/api.yaml\", \"error\": null},"
    "  \"seccomp\": {\"path\": \"/var/lib/hardend/seccomp/api.seccomp.json\","
    "   \"sha256\": \"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\","
    "   \"error\": null},"
    "  \"apparmor\": {\"profile\": \"hardend-api\", \"loaded\": false, \"mode\": \"enforce\","
    "   \"error\": \"this kernel has no AppArmor\"},"
    "  \"workloads\": ["
    "   {\"ref\": \"container:4f1c2a9b3e7d\", \"kind\": \"container\", \"id\": \"4f1c2a9b3e7d\","
    "    \"name\": \"api-1\", \"pid\": 5678, \"seccomp\": \"current\"},"
    "   {\"ref\": \"container:8a8a8a8a8a8a\", \"kind\": \"container\", \"id\": \"8a8a8a8a8a8a\","
    "    \"name\": \"api-2\", \"pid\": 5690, \"seccomp\": \"stale\"}],"
    "  \"events\": {\"total\": 12, \"denials\": 3, \"last_denial\": 1795356141886123},"
    "  \"last_finding\": {\"severity\": \"high\", \"check\": \"capability\","
    "   \"message\": \"CAP_SYS_ADMIN is in the bounding set\", \"time\": 1795356141886123}},"
    " {\"name\": \"worker\", \"mode\": \"monitor\", \"since\": 1795356000000000, \"by\": "
    "\"policy\","
    "  \"policy\": {\"file\": \"/etc/hardend/profiles/worker.yaml\","
    "   \"error\": \"worker.yaml:7:11: unknown syscall 'opne'\"},"
    "  \"seccomp\": {\"path\": null, \"sha256\": null, \"error\": \"No space left on device\"},"
    "  \"apparmor\": {\"profile\": \"hardend-worker\", \"loaded\": true, \"mode\": \"complain\","
    "   \"error\": null},"
    "  \"workloads\": [],"
    "  \"events\": {\"total\": 0, \"denials\": 0, \"last_denial\": 0},"
    "  \"last_finding\": null}]}";

static const char status_text[] =
    "hardend 0.1.0, pid 1234, running since 2026-11-22 14:02:21 (3m ago)\n"
    "  config:        /etc/hardend/hardend.yaml\n"
    "  profiles:      /etc/hardend/profiles\n"
    "  state:         /var/lib/hardend\n"
    "  seccomp dir:   /var/lib/hardend/seccomp\n"
    "  sources:       netlink up (10 records, 0 overruns, 0 dropped); journal off\n"
    "  events:        10 parsed, 9 delivered, 0 malformed, 1 duplicates, 0 lost\n"
    "  observations:  12 kinds kept, 0 over the cap (counted only), 4.0 KiB\n"
    "  memory:        PSS 4.0 MiB, RSS 6.0 MiB\n"
    "  AppArmor:      not available: this kernel has no AppArmor\n"
    "  last scan:     2026-11-22 14:02:21 (3m ago), 7 workloads\n"
    "  INVALID policy /etc/hardend/profiles/bad.yaml: bad.yaml:3:5: unknown key 'sycalls'\n"
    "\n"
    "api: enforce since 2026-11-22 14:02:21 (3m ago), set by uid 0 (hardenctl, pid 4242)\n"
    "  policy:     /etc/hardend/profiles/api.yaml\n"
    "  AppArmor:   hardend-api not loaded: this kernel has no AppArmor\n"
    "  seccomp:    sha256 9f86d081884c /var/lib/hardend/seccomp/api.seccomp.json\n"
    "  workloads:\n"
    "    container:4f1c2a9b3e7d api-1: pid 5678, seccomp current\n"
    "    container:8a8a8a8a8a8a api-2: pid 5690, seccomp STALE: runs the monitor filter; "
    "restart it to apply enforce\n"
    "  events:     12 events, 3 denied or would-be denied, last denial 2026-11-22 14:02:21 (3m "
    "ago)\n"
    "  finding:    high capability at 2026-11-22 14:02:21 (3m ago): CAP_SYS_ADMIN is in the "
    "bounding set\n"
    "\n"
    "worker: monitor since 2026-11-22 14:00:00 (5m ago), as its policy sets it\n"
    "  policy:     /etc/hardend/profiles/worker.yaml\n"
    "              last reload FAILED: worker.yaml:7:11: unknown syscall 'opne' (the last good "
    "profiles stay in force)\n"
    "  AppArmor:   hardend-worker loaded (complain)\n"
    "  seccomp:    NOT written: No space left on device\n"
    "  workloads:  none running\n"
    "  events:     0 events, 0 denied or would-be denied\n";

START_TEST(test_status_whole)
{
        _cleanup_free_ char *out = render_text(R_STATUS, status_doc);

        ck_assert_str_eq(out, status_text);
}
END_TEST

/* --- status: parts, other versions, hostile strings ---------------------------- */

static const struct {
        const char *json;
        const char *want;   /* exact output, or NULL */
        const char *has[3]; /* substrings that must be there */
        const char * not ;  /* a substring that must not */
} status_cases[] = {
    /* Nothing known: nothing printed, no crash. */
    {"{}", "", {NULL}, NULL},
    {"[1, 2]", "", {NULL}, NULL},
    {"\"status\"", "", {NULL}, NULL},
    {"{\"agent\": 5, \"services\": \"x\"}", "", {NULL}, NULL},
    {"{\"agent\": {}}", "hardend\n", {NULL}, NULL},
    {"{\"services\": []}", "no services (no policies in the profiles directory)\n", {NULL}, NULL},
    /* Every service field of the wrong type: the name alone, and the
     * one workload that is an object. */
    {"{\"services\": [{\"name\": 7, \"mode\": [\"x\"], \"since\": \"yesterday\", \"by\": 5,"
     " \"policy\": [], \"apparmor\": {\"loaded\": \"yes\"}, \"seccomp\": {\"sha256\": 1},"
     " \"workloads\": [1, null, {\"ref\": \"c:1\", \"seccomp\": 3, \"pid\": \"9\"}],"
     " \"events\": {\"total\": \"12\"}, \"last_finding\": \"none\"}, 17]}",
     "?:\n  workloads:\n    c:1\n",
     {NULL},
     NULL},
    /* Sources: down with its error, losses in capitals. */
    {"{\"agent\": {\"sources\": {\"netlink\": {\"enabled\": true, \"up\": false,"
     " \"error\": \"bind: Permission denied\", \"records\": 0, \"overruns\": 2, \"dropped\": 0},"
     " \"journal\": 3}, \"events\": {\"lost\": 5}}}",
     "hardend\n"
     "  sources:       netlink DOWN: bind: Permission denied (0 records, 2 OVERRUNS, 0 dropped)\n"
     "  events:        5 LOST\n",
     {NULL},
     NULL},
    {"{\"agent\": {\"state_warning\": \"state.json was corrupt, kept aside as "
     "state.json.corrupt-x\","
     " \"apparmor\": {\"available\": true}, \"scan\": {\"last\": 0, \"error\": \"EACCES\"}}}",
     "hardend\n"
     "  AppArmor:      available\n"
     "  last scan:     not yet, ERROR: EACCES\n"
     "  WARNING: state.json was corrupt, kept aside as state.json.corrupt-x\n",
     {NULL},
     NULL},
    /* Who switched: the policy, someone the daemon names, a peer. */
    {"{\"services\": [{\"name\": \"a\", \"mode\": \"monitor\", \"by\": \"policy\"}]}",
     "a: monitor, as its policy sets it\n",
     {NULL},
     NULL},
    {"{\"services\": [{\"name\": \"a\", \"mode\": \"monitor\", \"by\": \"operator\"}]}",
     "a: monitor, set by operator\n",
     {NULL},
     NULL},
    {"{\"services\": [{\"name\": \"a\", \"by\": {\"uid\": 1000}}]}",
     "a: set by uid 1000\n",
     {NULL},
     NULL},
    {"{\"services\": [{\"name\": \"a\", \"by\": {\"comm\": \"x\", \"pid\": 3}}]}",
     "a: set by x, pid 3\n",
     {NULL},
     NULL},
    /* What each seccomp state asks of the operator. */
    {"{\"services\": [{\"name\": \"a\", \"mode\": \"monitor\", \"workloads\": [{\"ref\": "
     "\"unit:a\","
     " \"seccomp\": \"stale\"}, {\"ref\": \"unit:b\", \"seccomp\": \"none\"}, {\"ref\": \"unit:c\","
     " \"seccomp\": \"other\"}, {\"ref\": \"unit:d\", \"seccomp\": \"unknown\"}, {\"ref\": "
     "\"unit:e\","
     " \"seccomp\": \"sideways\"}]}]}",
     "a: monitor\n"
     "  workloads:\n"
     "    unit:a: seccomp STALE: runs the enforce filter; restart it to apply monitor\n"
     "    unit:b: seccomp: NO filter (not started with the service's profile)\n"
     "    unit:c: seccomp: runs a filter that is not this service's\n"
     "    unit:d: seccomp unknown (the filter could not be read back)\n"
     "    unit:e: seccomp sideways\n",
     {NULL},
     NULL},
    {"{\"services\": [{\"name\": \"a\", \"mode\": \"learning\", \"workloads\": [{\"ref\": "
     "\"unit:a\","
     " \"seccomp\": \"stale\"}]}]}",
     NULL,
     {"seccomp STALE: runs the other mode's filter; restart it to apply the current mode"},
     NULL},
    /* Times: before the epoch, ahead of us. */
    {"{\"services\": [{\"name\": \"a\", \"mode\": \"enforce\", \"since\": -5}]}",
     "a: enforce since ?\n",
     {NULL},
     NULL},
    {"{\"services\": [{\"name\": \"a\", \"mode\": \"enforce\", \"since\": 1795356441886123}]}",
     "a: enforce since 2026-11-22 14:07:21 (in 2m)\n",
     {NULL},
     NULL},
    /* Hostile strings reach the terminal escaped; UTF-8 stays. */
    {"{\"services\": [{\"name\": \"a\\u001b[2Jb\", \"mode\": \"\\u009b31m\","
     " \"by\": {\"uid\": 0, \"comm\": \"x\\ny\\u007f\"},"
     " \"policy\": {\"file\": \"/etc/h\\u00e4rdend/\\u65e5.yaml\"}}]}",
     "a\\x1b[2Jb: \\u009b31m, set by uid 0 (x\\ny\\x7f)\n"
     "  policy:     /etc/h\xc3\xa4rdend/\xe6\x97\xa5.yaml\n",
     {NULL},
     NULL},
    /* A seccomp artifact known by hash only, an AppArmor profile without
     * a mode. */
    {"{\"services\": [{\"name\": \"a\", \"seccomp\": {\"sha256\": \"abc\"},"
     " \"apparmor\": {\"profile\": \"hardend-a\", \"loaded\": true}}]}",
     "a:\n  AppArmor:   hardend-a loaded\n  seccomp:    sha256 abc\n",
     {NULL},
     NULL},
};

START_TEST(test_status_table)
{
        _cleanup_free_ char *out = render_text(R_STATUS, status_cases[_i].json);

        assert_printable(out);
        if (status_cases[_i].want)
                ck_assert_msg(strcmp(out, status_cases[_i].want) == 0,
                              "case %d:\n--- got\n%s--- want\n%s", _i, out, status_cases[_i].want);
        for (size_t k = 0; k < ELEMENTSOF(status_cases[_i].has) && status_cases[_i].has[k]; k++)
                ck_assert_msg(strstr(out, status_cases[_i].has[k]), "case %d: no '%s' in:\n%s", _i,
                              status_cases[_i].has[k], out);
        if (status_cases[_i].not )
                ck_assert_msg(!strstr(out, status_cases[_i].not ), "case %d: '%s' in:\n%s", _i,
                              status_cases[_i].not, out);
}
END_TEST

/* --- monitor / enforce, reload -------------------------------------------------- */

#define SECCOMP_NOTE                                                                               \
        "seccomp: workloads started from now on get the new filter; running ones keep theirs "     \
        "until restarted (hardenctl status marks them STALE).\n"

static const struct {
        const char *json;
        const char *want;
} mode_cases[] = {
    {"{\"changed\": [{\"service\": \"api\", \"from\": \"monitor\", \"to\": \"enforce\","
     " \"apparmor\": \"loaded\", \"sha256\": \"9f86d081884c7d659a2feaa0c55ad015\"},"
     " {\"service\": \"web\", \"from\": \"monitor\", \"to\": \"enforce\","
     " \"apparmor\": \"not loaded: this kernel has no AppArmor\", \"sha256\": \"0123\"}],"
     " \"unchanged\": [{\"service\": \"worker\", \"mode\": \"enforce\"}]}",
     "api: monitor -> enforce (AppArmor profile hardend-api loaded; seccomp sha256 9f86d081884c)\n"
     "web: monitor -> enforce (AppArmor profile hardend-web not loaded: this kernel has no "
     "AppArmor; seccomp sha256 0123)\n"
     "worker: already enforce, unchanged\n" SECCOMP_NOTE},
    /* Only unchanged: no note about restarts. */
    {"{\"changed\": [], \"unchanged\": [{\"service\": \"a\", \"mode\": \"monitor\"}]}",
     "a: already monitor, unchanged\n"},
    {"{\"changed\": [], \"unchanged\": []}", "no services\n"},
    {"{}", "no services\n"},
    {"7", "no services\n"},
    /* A daemon that names the profile itself; one that says something new. */
    {"{\"changed\": [{\"service\": \"a\", \"from\": \"enforce\", \"to\": \"monitor\","
     " \"profile\": \"other-a\", \"apparmor\": \"loaded\"}]}",
     "a: enforce -> monitor (AppArmor profile other-a loaded)\n" SECCOMP_NOTE},
    {"{\"changed\": [{\"service\": \"a\", \"from\": \"enforce\", \"to\": \"monitor\","
     " \"apparmor\": \"skipped\"}, 3, null]}",
     "a: enforce -> monitor (AppArmor: skipped)\n" SECCOMP_NOTE},
    {"{\"changed\": [{\"apparmor\": 1, \"sha256\": []}], \"unchanged\": [{}]}",
     "?: ? -> ?\n?: already ?, unchanged\n" SECCOMP_NOTE},
};

START_TEST(test_mode_table)
{
        _cleanup_free_ char *out = render_text(R_MODE, mode_cases[_i].json);

        ck_assert_msg(strcmp(out, mode_cases[_i].want) == 0, "case %d:\n--- got\n%s--- want\n%s",
                      _i, out, mode_cases[_i].want);
}
END_TEST

static const struct {
        const char *json;
        const char *want;
        bool invalid;
} reload_cases[] = {
    {"{\"config\": \"invalid: hardend.yaml:2:1: unknown key 'state_dri'\","
     " \"services\": [{\"service\": \"api\", \"result\": \"unchanged\", \"error\": null},"
     " {\"service\": \"web\", \"result\": \"updated\", \"error\": null},"
     " {\"service\": \"new\", \"result\": \"added\", \"error\": null},"
     " {\"service\": \"bad\", \"result\": \"invalid\", \"error\": \"bad.yaml:3:5: unknown key\"},"
     " {\"service\": \"old\", \"result\": \"removed\", \"error\": null}]}",
     "config: INVALID: hardend.yaml:2:1: unknown key 'state_dri' (the running configuration "
     "stays)\n"
     "api: unchanged\n"
     "web: updated\n"
     "new: added\n"
     "bad: INVALID: bad.yaml:3:5: unknown key (keeps its last good profiles)\n"
     "old: removed\n",
     true},
    {"{\"config\": \"reloaded\", \"services\": []}", "config: reloaded\n", false},
    {"{\"config\": \"invalid\"}", "config: INVALID (the running configuration stays)\n", true},
    {"{\"config\": \"unchanged\", \"services\": [{\"service\": \"x\", \"result\": \"invalid\","
     " \"error\": null}]}",
     "config: unchanged\nx: INVALID (keeps its last good profiles)\n", true},
    {"{\"config\": 5, \"services\": {}}", "", false},
    {"{\"services\": [{\"service\": \"a\", \"result\": \"added\"}, {\"result\": 7}, 3]}",
     "a: added\n?: ?\n", false},
};

START_TEST(test_reload_table)
{
        json_t *doc = load(reload_cases[_i].json);
        _cleanup_free_ char *out = render(R_RELOAD, doc);

        ck_assert_msg(strcmp(out, reload_cases[_i].want) == 0, "case %d:\n--- got\n%s--- want\n%s",
                      _i, out, reload_cases[_i].want);
        ck_assert_int_eq(render_reload_invalid(doc), reload_cases[_i].invalid);
        json_decref(doc);
}
END_TEST

/* --- events --------------------------------------------------------------------- */

#define EV(fields) "{\"time\": \"2026-11-22T14:02:21.886Z\", " fields "}"

static const struct {
        const char *json;
        const char *want;
} event_cases[] = {
    /* The workload column, as the offline printer builds it. */
    {"[" EV("\"service\": \"api\", \"workload\": \"container:4f1c2a9b3e7d0000\","
            " \"container_name\": \"api-1\", \"kind\": \"seccomp\", \"verdict\": \"LOG\","
            " \"syscall\": \"ptrace\", \"comm\": \"node\", \"exe\": \"/usr/bin/node\"") "]",
     "2026-11-22T14:02:21.886Z  api  4f1c2a9b3e7d (api-1)  seccomp  LOG  ptrace  comm=node "
     "exe=/usr/bin/node\n"},
    {"[" EV("\"service\": \"api\", \"workload\": \"container:c0dec0dec0dec0de\","
            " \"pod\": \"prod/api-7f9c\", \"k8s_container\": \"api\", \"kind\": \"seccomp\","
            " \"verdict\": \"ERRNO(EPERM)\", \"syscall\": \"mount\"") "]",
     "2026-11-22T14:02:21.886Z  api  c0dec0dec0de (pod prod/api-7f9c/api)  seccomp  "
     "ERRNO(EPERM)  mount\n"},
    {"[" EV("\"workload\": \"container:abcdefabcdef1234\", \"kind\": \"seccomp\","
            " \"verdict\": \"LOG\", \"syscall_nr\": 451") "]",
     "2026-11-22T14:02:21.886Z  -  abcdefabcdef  seccomp  LOG  syscall 451\n"},
    {"[" EV("\"service\": \"web\", \"workload\": \"unit:nginx.service\", \"kind\": \"apparmor\","
            " \"verdict\": \"DENIED\", \"operation\": \"capable\", \"capability\": \"net_admin\","
            " \"name\": \"ignored\", \"comm\": \"nginx\"") "]",
     "2026-11-22T14:02:21.886Z  web  unit:nginx.service  apparmor  DENIED  capable net_admin  "
     "comm=nginx\n"},
    {"[" EV("\"workload\": \"pid:77\", \"kind\": \"apparmor\", \"verdict\": \"ALLOWED\","
            " \"operation\": \"create\", \"family\": \"inet\", \"sock_type\": \"stream\","
            " \"requested_mask\": \"create\", \"profile\": \"my prof\"") "]",
     "2026-11-22T14:02:21.886Z  -  pid:77  apparmor  ALLOWED  create inet stream create "
     "profile=\"my prof\"\n"},
    {"[" EV("\"service\": \"w\", \"kind\": \"abend\", \"verdict\": \"signal 31\","
            " \"killed_by\": null, \"comm\": \"my app\"") "]",
     "2026-11-22T14:02:21.886Z  w  -  abend  signal 31  abend  comm=\"my app\"\n"},
    /* Consecutive identical events fold into one line; times differ. */
    {"[" EV(
         "\"kind\": \"seccomp\", \"verdict\": \"LOG\", \"syscall\": \"ptrace\"") ","
                                                                                 "{\"time\": "
                                                                                 "\"2026-11-22T14:"
                                                                                 "02:22.000Z\", "
                                                                                 "\"kind\": "
                                                                                 "\"seccomp\", "
                                                                                 "\"verdict\": "
                                                                                 "\"LOG\","
                                                                                 " \"syscall\": "
                                                                                 "\"ptrace\"},"
                                                                                 "{\"time\": "
                                                                                 "\"2026-11-22T14:"
                                                                                 "02:23.000Z\", "
                                                                                 "\"kind\": "
                                                                                 "\"seccomp\", "
                                                                                 "\"verdict\": "
                                                                                 "\"LOG\","
                                                                                 " \"syscall\": "
                                                                                 "\"ptrace\"},"
                                                                                 "{\"time\": "
                                                                                 "\"2026-11-22T14:"
                                                                                 "02:24.000Z\", "
                                                                                 "\"kind\": "
                                                                                 "\"seccomp\", "
                                                                                 "\"verdict\": "
                                                                                 "\"LOG\","
                                                                                 " \"syscall\": "
                                                                                 "\"getpid\"}]",
     "2026-11-22T14:02:21.886Z  -  -  seccomp  LOG  ptrace  x3\n"
     "2026-11-22T14:02:24.000Z  -  -  seccomp  LOG  getpid\n"},
    /* Another version: kinds and fields this one does not know. */
    {"[{\"kind\": \"landlock\", \"comm\": \"a\\u001bb\"}, 3, null, {\"service\": 5}]",
     "?  -  -  landlock  ?  comm=a\\x1bb\n?  -  -  ?  ?\n"},
    {"{\"events\": []}", ""},
    {"[]", ""},
};

START_TEST(test_events_table)
{
        _cleanup_free_ char *out = render_text(R_EVENTS, event_cases[_i].json);

        assert_printable(out);
        ck_assert_msg(strcmp(out, event_cases[_i].want) == 0, "case %d:\n--- got\n%s--- want\n%s",
                      _i, out, event_cases[_i].want);
}
END_TEST

/* The hardenctl under test, by absolute path (some runs go through env or
 * setpriv, which do not know the "build/" convention). */
static const char *hardenctl_path(void)
{
        static char buf[PATH_MAX];
        const char *dir = getenv("HARDEND_BUILDDIR");
        char rel[PATH_MAX];

        snprintf(rel, sizeof(rel), "%s/hardenctl", dir ? dir : "build");
        snprintf(buf, sizeof(buf), "%s", rel[0] == '/' ? rel : test_path(rel));
        return buf;
}

/* Runs hardenctl ARGS with HARDEND_SOCKET unset (whatever the caller's
 * shell exports), or set to socket when given. */
static int run_cli(const char *socket, const char *const *args, char **out, char **err)
{
        const char *argv[40] = {"/usr/bin/env", "-u", "HARDEND_SOCKET"};
        char env_socket[PATH_MAX + 32];
        size_t n = 3;

        if (socket) {
                snprintf(env_socket, sizeof(env_socket), "HARDEND_SOCKET=%s", socket);
                argv[n++] = env_socket;
        }
        argv[n++] = hardenctl_path();
        for (size_t i = 0; args[i]; i++) {
                ck_assert_uint_lt(n, ELEMENTSOF(argv) - 1);
                argv[n++] = args[i];
        }
        argv[n] = NULL;
        return test_run(argv, out, err);
}

/* Splits the offline --json output into its event objects and its
 * summary (the last line with "observations"). */
static void split_json_lines(char *out, json_t *events, json_t **ret_summary)
{
        char *save = NULL;

        *ret_summary = NULL;
        for (char *line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                json_t *j = load(line);

                if (json_object_get(j, "observations")) {
                        json_decref(*ret_summary);
                        *ret_summary = j;
                } else
                        ck_assert_int_eq(json_array_append_new(events, j), 0);
        }
}

/* Drops the space the offline printer leaves at the end of a line with
 * no comm= or exe=. */
static void strip_line_ends(char *s)
{
        char *w = s;

        for (char *r = s; *r; r++) {
                if (*r == ' ') {
                        size_t k = strspn(r, " ");

                        if (r[k] == '\n' || r[k] == '\0') {
                                r += k - 1;
                                continue;
                        }
                }
                *w++ = *r;
        }
        *w = '\0';
}

static const char *const event_fixtures[] = {
    "tests/fixtures/events-cli/mixed.log",
    "tests/fixtures/events/apparmor-kernel.log",
    "tests/fixtures/events/apparmor-vm-dmesg.log",
    "tests/fixtures/events/auditd-enriched.log",
    "tests/fixtures/events/auditd-raw.log",
    "tests/fixtures/events/seccomp-dmesg-T.log",
    "tests/fixtures/events/seccomp-kernel.log",
    "tests/fixtures/events/syslog.log",
    "tests/fixtures/events/user-avc.log",
    "tests/fixtures/events/seccomp-kmsg.log",
    "tests/fixtures/events/apparmor-vm-dmesg-r.log",
};

/* The daemon sends what `events --json` prints: rendered, it must read
 * as `events` prints it here, summary included. */
START_TEST(test_events_like_offline)
{
        const char *text_args[] = {"events",           "--profiles", "profiles", "--input",
                                   event_fixtures[_i], "--summary",  NULL};
        const char *json_args[] = {"events",           "--profiles", "profiles", "--input",
                                   event_fixtures[_i], "--summary",  "--json",   NULL};
        _cleanup_free_ char *text = NULL, *json = NULL, *e1 = NULL, *e2 = NULL;
        _cleanup_free_ char *r_events = NULL, *r_summary = NULL, *both = NULL;
        json_t *events = json_array(), *summary;

        ck_assert_int_eq(run_cli(NULL, text_args, &text, &e1), 0);
        ck_assert_int_eq(run_cli(NULL, json_args, &json, &e2), 0);
        split_json_lines(json, events, &summary);
        ck_assert_ptr_nonnull(summary);
        ck_assert_uint_gt(json_array_size(events), 0);
        r_events = render(R_EVENTS, events);
        r_summary = render(R_OBSERVATIONS, summary);
        ck_assert_int_ge(asprintf(&both, "%s%s", r_events, r_summary), 0);
        strip_line_ends(text);
        ck_assert_msg(strcmp(both, text) == 0, "%s:\n--- rendered\n%s--- offline\n%s",
                      event_fixtures[_i], both, text);
        json_decref(events);
        json_decref(summary);
}
END_TEST

static const struct {
        const char *json;
        const char *want;
} observation_cases[] = {
    /* An observation of a service the counts do not list is shown too. */
    {"{\"services\": [{\"service\": \"api\", \"events\": 1, \"denials\": 1, \"keys\": 1,"
     " \"over_cap\": 2}],"
     " \"observations\": [{\"service\": \"api\", \"kind\": \"seccomp\", \"verdict\": \"LOG\","
     " \"what\": \"ptrace\", \"count\": 1, \"killed\": 0, \"first\": \"A\", \"last\": \"B\","
     " \"example_pid\": 5, \"example_comm\": \"x y\", \"example_exe\": \"/x\","
     " \"workloads\": [\"unit:a\", 4, \"unit:b\"], \"more_workloads\": 3},"
     " {\"service\": \"ghost\", \"kind\": \"abend\", \"verdict\": \"signal 31\", \"what\": "
     "\"abend\","
     " \"count\": 2, \"killed\": 2}, {\"service\": null, \"what\": \"w\"}, 5]}",
     "api: 1 event, 1 denied or would-be denied, 1 kind, 2 events over the key cap (counted "
     "only)\n"
     "  seccomp   LOG            ptrace                                    x1       A .. B  pid 5 "
     "comm=\"x y\" exe=/x  in unit:a, unit:b (+3 events elsewhere)\n"
     "ghost:\n"
     "  abend     signal 31      abend                                     x2       ? .. ?  killed "
     "2\n"
     "(no service):\n"
     "  ?         ?              w                                         x0       ? .. ?\n"},
    {"{}", ""},
    {"{\"services\": 3, \"observations\": {}}", ""},
};

START_TEST(test_observations_table)
{
        _cleanup_free_ char *out = render_text(R_OBSERVATIONS, observation_cases[_i].json);

        ck_assert_msg(strcmp(out, observation_cases[_i].want) == 0,
                      "case %d:\n--- got\n%s--- want\n%s", _i, out, observation_cases[_i].want);
}
END_TEST

/* --- check ---------------------------------------------------------------------- */

/* Drops ` "comm"` after "pid N" in a heading of the offline text: the
 * report JSON has no process names. */
static void strip_comms(char *s)
{
        char *p = s;

        while ((p = strstr(p, ", pid "))) {
                char *q = p + 6, *end;

                q += strspn(q, "0123456789");
                if (q[0] != ' ' || q[1] != '"') {
                        p = q;
                        continue;
                }
                for (end = q + 2; *end && *end != '"'; end++)
                        if (*end == '\\' && end[1])
                                end++;
                if (*end != '"')
                        break;
                memmove(q, end + 1, strlen(end + 1) + 1);
                p = q;
        }
}

/* The daemon's reports are what `check --json` prints per workload:
 * rendered, they must read as `check` prints them here. */
START_TEST(test_check_like_offline)
{
        char root[64];
        _cleanup_free_ char *text = NULL, *json = NULL, *e1 = NULL, *e2 = NULL, *out = NULL;
        json_t *doc, *result;
        int st_text, st_json;

        ck_assert_int_eq(posture_root_copy(root, sizeof(root)), 0);
        {
                const char *t[] = {"check",    "--proc", "tests/fixtures/proc/host",
                                   "--root",   root,     "--profiles",
                                   "profiles", NULL};
                const char *j[] = {"check",    "--proc", "tests/fixtures/proc/host",
                                   "--root",   root,     "--profiles",
                                   "profiles", "--json", NULL};

                st_text = run_cli(NULL, t, &text, &e1);
                st_json = run_cli(NULL, j, &json, &e2);
        }
        posture_root_drop(-1, root);
        ck_assert_int_eq(st_text, 1);
        ck_assert_int_eq(st_json, 1);
        doc = load(json);
        result = json_pack("{s:O, s:O}", "reports", json_object_get(doc, "workloads"), "counts",
                           json_object_get(json_object_get(doc, "summary"), "findings"));
        ck_assert_ptr_nonnull(result);
        ck_assert_uint_ge(json_array_size(json_object_get(result, "reports")), 5);
        out = render(R_CHECK, result);
        strip_comms(text);
        ck_assert_msg(strcmp(out, text) == 0, "--- rendered\n%s--- offline\n%s", out, text);
        /* The offline run failed at high: so does the daemon's result. */
        ck_assert(render_check_failed(result, SEVERITY_HIGH));
        ck_assert(!render_check_failed(result, _SEVERITY_MAX));
        json_decref(result);
        json_decref(doc);
}
END_TEST

static const struct {
        const char *json;
        int fail_on;
        bool failed;
        const char *has; /* substring of the output, or NULL */
} check_cases[] = {
    {"{}", SEVERITY_INFO, false,
     "0 workloads checked (0 against a service policy, 0 against the baseline): 0 critical, 0 "
     "high, 0 medium, 0 low, 0 info\n"},
    /* The seccomp line, as posture_print_text() writes it. */
    {"{\"reports\": [{\"ref\": \"unit:a\", \"seccomp\": {\"pid\": 5678, \"arch\": \"x86_64\","
     " \"filters\": 1, \"syscalls\": 373, \"allowed\": 300, \"logged\": 2, \"refused\": 70,"
     " \"traced\": 1, \"notified\": 0, \"conditional\": 4}, \"findings\": []}]}",
     SEVERITY_HIGH, false,
     "unit:a: no service (restricted baseline)\n"
     "  seccomp: 300 allowed, 2 logged, 70 refused, 1 other, 4 conditional of 373 x86_64 system "
     "calls (1 filter, pid 5678)\n"},
    {"{\"reports\": [{\"ref\": \"unit:a\", \"seccomp\": {\"pid\": 9, \"error\": \"Operation not "
     "permitted\"}}]}",
     SEVERITY_HIGH, false, "  seccomp: filter of pid 9 not read: Operation not permitted\n"},
    /* The gate: the counts alone, the findings alone, an unknown severity. */
    {"{\"counts\": {\"high\": 1}}", SEVERITY_HIGH, true, "0 critical, 1 high"},
    {"{\"counts\": {\"high\": 1}}", SEVERITY_CRITICAL, false, NULL},
    {"{\"counts\": {\"high\": 1}}", _SEVERITY_MAX, false, NULL},
    {"{\"reports\": [{\"ref\": \"unit:a\", \"findings\": [{\"severity\": \"medium\","
     " \"check\": \"caps\", \"message\": \"m\"}, {\"severity\": \"severe\", \"check\": \"x\"}]}]}",
     SEVERITY_MEDIUM, true, "  medium    caps               m\n  severe    x                  ?\n"},
    {"{\"reports\": [{\"ref\": \"unit:a\", \"findings\": [{\"severity\": \"severe\"}]}]}",
     SEVERITY_INFO, false, NULL},
    {"{\"reports\": [{\"ref\": \"unit:a\", \"findings\": [{\"severity\": \"low\"}]}],"
     " \"counts\": {\"low\": \"1\", \"high\": 0}}",
     SEVERITY_LOW, true, "0 high, 0 medium, 1 low"},
    /* Kubernetes names, match, several pids, exposure. */
    {"{\"reports\": [{\"ref\": \"containerd:c0dec0dec0de\", \"name\": \"n\","
     " \"kubernetes\": {\"namespace\": \"shop\", \"pod\": \"api-7d9f\", \"container\": \"api\"},"
     " \"service\": \"api\", \"matched_by\": {\"criterion\": \"label\", \"value\": null},"
     " \"pids\": [200, 201, 202], \"exposure\": {\"score\": 2.94, \"rating\": \"ok\"}}],"
     " \"scan_time\": 1795356141886123}",
     SEVERITY_HIGH, false,
     "containerd:c0dec0dec0de shop/api-7d9f/api: service api (label), pid 200 and 2 more, "
     "exposure 2.9/10 (ok)\n\n1 workload checked (1 against a service policy, 0 against the "
     "baseline): 0 critical, 0 high, 0 medium, 0 low, 0 info\n"
     "from hardend's scan of 2026-11-22 14:02:21 (3m ago)\n"},
    {"{\"reports\": [{\"ref\": 5, \"pids\": [\"x\"], \"exposure\": {\"rating\": \"ok\"},"
     " \"seccomp\": [], \"findings\": {}}, 7]}",
     SEVERITY_HIGH, false, "?: no service (restricted baseline), exposure (ok)\n"},
};

START_TEST(test_check_table)
{
        json_t *doc = load(check_cases[_i].json);
        _cleanup_free_ char *out = render(R_CHECK, doc);

        assert_printable(out);
        ck_assert_msg(render_check_failed(doc, check_cases[_i].fail_on) == check_cases[_i].failed,
                      "case %d: failed should be %d", _i, check_cases[_i].failed);
        if (check_cases[_i].has)
                ck_assert_msg(strstr(out, check_cases[_i].has), "case %d: no\n%s\nin\n%s", _i,
                              check_cases[_i].has, out);
        json_decref(doc);
}
END_TEST

/* --- small formatters ------------------------------------------------------------ */

static const struct {
        const char *in;
        const char *want;
} escape_cases[] = {
    {NULL, "?"},
    {"", ""},
    {"plain /path:3:5 'x' \"y\" \\z", "plain /path:3:5 'x' \"y\" \\z"},
    {"a\nb\tc\rd", "a\\nb\\tc\\rd"},
    {"\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"},
    {"\x7f\x01", "\\x7f\\x01"},
    {"\xc2\x9b"
     "2J",
     "\\u009b2J"},
    {"caf\xc3\xa9 \xe6\x97\xa5\xf0\x9f\x94\x92", "caf\xc3\xa9 \xe6\x97\xa5\xf0\x9f\x94\x92"},
    {"\xc2\xa0nbsp", "\xc2\xa0nbsp"},
    /* Not UTF-8 (from the command line): every stray byte escaped, and
     * nothing after a broken lead swallowed. */
    {"\x9b"
     "2J",
     "\\x9b2J"},
    {"\xc3\n", "\\xc3\\n"},
    {"\xc3\x1b[2J", "\\xc3\\x1b[2J"},
    {"\xe6\x97", "\\xe6\\x97"},
    {"\xff\xfe\xc0\xaf", "\\xff\\xfe\\xc0\\xaf"},
    {"\xf5\x80\x80\x80", "\\xf5\\x80\\x80\\x80"},
};

START_TEST(test_escape_table)
{
        ck_assert_str_eq(render_escape(escape_cases[_i].in), escape_cases[_i].want);
}
END_TEST

/* Long text is cut, on a character boundary, with "...". */
START_TEST(test_escape_long)
{
        size_t n = 3 * RENDER_ESCAPE_MAX;
        _cleanup_free_ char *s = malloc(n + 1);
        const char *e;
        size_t len;

        ck_assert_ptr_nonnull(s);
        /* "é" (2 bytes) over and over: an odd cut would split one. */
        for (size_t i = 0; i + 1 < n; i += 2)
                memcpy(s + i, "\xc3\xa9", 2);
        s[n - (n % 2)] = '\0';
        e = render_escape(s);
        len = strlen(e);
        ck_assert_uint_lt(len, RENDER_ESCAPE_MAX);
        ck_assert_str_eq(e + len - 3, "...");
        ck_assert_uint_eq((len - 3) % 2, 0);
        /* Escapes are not cut either: 4 bytes each. */
        memset(s, 0x1b, n);
        s[n] = '\0';
        e = render_escape(s);
        len = strlen(e);
        ck_assert_uint_lt(len, RENDER_ESCAPE_MAX);
        ck_assert_uint_eq((len - 3) % 4, 0);
}
END_TEST

static const struct {
        int64_t usec;
        const char *want;
} when_cases[] = {
    {0, "never"},
    {-1, "?"},
    {T0 + 180ll * 1000000, "2026-11-22 14:05:21 (just now)"},
    {T0 + 179ll * 1000000 + 500000, "2026-11-22 14:05:21 (just now)"},
    {T0 + 135ll * 1000000, "2026-11-22 14:04:36 (45s ago)"},
    {T0, "2026-11-22 14:02:21 (3m ago)"},
    {T0 - 7500ll * 1000000, "2026-11-22 11:57:21 (2h 8m ago)"},
    {T0 - 3ll * 86400 * 1000000 - 4ll * 3600 * 1000000, "2026-11-19 10:02:21 (3d 4h ago)"},
    {T0 + 600ll * 1000000, "2026-11-22 14:12:21 (in 7m)"},
    {INT64_MAX, "294247-01-10 04:00:54 (in 106731211d 13h)"},
};

START_TEST(test_when_table)
{
        char buf[128];

        ck_assert_str_eq(render_when(when_cases[_i].usec, NOW, buf, sizeof(buf)),
                         when_cases[_i].want);
}
END_TEST

START_TEST(test_bytes)
{
        char buf[32];

        ck_assert_str_eq(render_bytes(0, buf, sizeof(buf)), "0 B");
        ck_assert_str_eq(render_bytes(1023, buf, sizeof(buf)), "1023 B");
        ck_assert_str_eq(render_bytes(1024, buf, sizeof(buf)), "1.0 KiB");
        ck_assert_str_eq(render_bytes(4194304, buf, sizeof(buf)), "4.0 MiB");
        ck_assert_str_eq(render_bytes(1536ll * 1024 * 1024, buf, sizeof(buf)), "1.5 GiB");
        ck_assert_str_eq(render_bytes(-5, buf, sizeof(buf)), "-5 B");
        ck_assert_str_eq(render_bytes(INT64_MAX, buf, sizeof(buf)), "8388608.0 TiB");
}
END_TEST

/* --- every field of every document replaced, and removed ----------------------------- */

/* Values of every type, and strings a terminal would act on. */
static const char *const substitutes[] = {
    "null",
    "true",
    "0",
    "-1",
    "9223372036854775807",
    "-9223372036854775808",
    "1.5",
    "\"\"",
    "\"\\u001b]0;owned\\u0007\\u009b2J\\n\"",
    "[]",
    "{}",
    "[null, 1, \"x\", {\"a\": []}]",
};

struct mutation {
        enum which which;
        json_t *root;
        json_t *subs[ELEMENTSOF(substitutes)];
        unsigned renders;
};

static void render_check_output(struct mutation *m)
{
        _cleanup_free_ char *out = render(m->which, m->root);

        assert_printable(out);
        m->renders++;
}

/* Replaces each value under node by each substitute, then removes it,
 * rendering the whole document every time; recurses into the original
 * value. */
static void mutate(struct mutation *m, json_t *node)
{
        if (json_is_object(node)) {
                json_t *keys = json_array();
                const char *key;
                json_t *v;

                json_object_foreach(node, key, v) json_array_append_new(keys, json_string(key));
                for (size_t i = 0; i < json_array_size(keys); i++) {
                        const char *k = json_string_value(json_array_get(keys, i));
                        json_t *orig = json_incref(json_object_get(node, k));

                        for (size_t s = 0; s < ELEMENTSOF(substitutes); s++) {
                                json_object_set(node, k, m->subs[s]);
                                render_check_output(m);
                        }
                        json_object_del(node, k);
                        render_check_output(m);
                        json_object_set(node, k, orig);
                        mutate(m, orig);
                        json_decref(orig);
                }
                json_decref(keys);
        } else if (json_is_array(node)) {
                for (size_t i = 0; i < json_array_size(node); i++) {
                        json_t *orig = json_incref(json_array_get(node, i));

                        for (size_t s = 0; s < ELEMENTSOF(substitutes); s++) {
                                json_array_set(node, i, m->subs[s]);
                                render_check_output(m);
                        }
                        json_array_set(node, i, orig);
                        mutate(m, orig);
                        json_decref(orig);
                }
        }
}

static const struct {
        enum which which;
        const char *json;
} mutation_docs[] = {
    {R_STATUS, status_doc}, {R_MODE, NULL}, /* mode_cases[0] */
    {R_RELOAD, NULL},       {R_EVENTS, NULL}, {R_OBSERVATIONS, NULL}, {R_CHECK, NULL},
};

static const char *mutation_json(int i)
{
        switch (mutation_docs[i].which) {
        case R_MODE:
                return mode_cases[0].json;
        case R_RELOAD:
                return reload_cases[0].json;
        case R_EVENTS:
                return event_cases[4].json;
        case R_OBSERVATIONS:
                return observation_cases[0].json;
        case R_CHECK:
                return check_cases[9].json;
        case R_STATUS:
        case _R_MAX:
        default:
                return mutation_docs[i].json;
        }
}

START_TEST(test_mutations)
{
        struct mutation m = {.which = mutation_docs[_i].which};

        for (size_t s = 0; s < ELEMENTSOF(substitutes); s++)
                m.subs[s] = load(substitutes[s]);
        /* The whole document replaced, then each part of it. */
        for (size_t s = 0; s < ELEMENTSOF(substitutes); s++) {
                m.root = m.subs[s];
                render_check_output(&m);
        }
        m.root = load(mutation_json(_i));
        mutate(&m, m.root);
        /* Every node was visited: at least a substitute per key. */
        ck_assert_uint_gt(m.renders, 5 * ELEMENTSOF(substitutes));
        json_decref(m.root);
        for (size_t s = 0; s < ELEMENTSOF(substitutes); s++)
                json_decref(m.subs[s]);
}
END_TEST

/* --- the CLI's own error paths -------------------------------------------------------- */

#define NO_SOCKET "/nonexistent/hardend-test/control.sock"
#define NOT_RUNNING                                                                                \
        "hardend is not running (no socket at " NO_SOCKET                                          \
        "): start it, or point --socket/HARDEND_SOCKET at it\n"

static const struct {
        const char *socket; /* HARDEND_SOCKET, or NULL for unset */
        const char *args[12];
        int status;
        const char *err; /* substring of stderr, or NULL */
        bool out_empty;
} cli_cases[] = {
    /* No daemon: every verb says so, and how to fix it. */
    {NO_SOCKET, {"status"}, 3, "hardenctl status: " NOT_RUNNING, true},
    {NULL, {"--socket", NO_SOCKET, "status"}, 3, "hardenctl status: " NOT_RUNNING, true},
    {NULL, {"--socket=" NO_SOCKET, "status", "api"}, 3, "hardenctl status: " NOT_RUNNING, true},
    {NULL, {"status", "--socket", NO_SOCKET, "--json"}, 3, "hardenctl status: " NOT_RUNNING, true},
    {NO_SOCKET, {"enforce", "api", "web"}, 3, "hardenctl enforce: " NOT_RUNNING, true},
    {NO_SOCKET, {"monitor", "--all"}, 3, "hardenctl monitor: " NOT_RUNNING, true},
    {NO_SOCKET, {"reload"}, 3, "hardenctl reload: " NOT_RUNNING, true},
    {NO_SOCKET, {"check"}, 3, "hardenctl check: " NOT_RUNNING, true},
    {NO_SOCKET, {"events"}, 3, "hardenctl events: " NOT_RUNNING, true},
    {NO_SOCKET, {"events", "--follow"}, 3, "hardenctl events: " NOT_RUNNING, true},
    {NULL, {"--socket", NO_SOCKET, "events", "--since", "-1h"}, 3, NOT_RUNNING, true},
    {NULL,
     {"--socket",
      "/tmp/" /* 110 bytes: past sun_path */
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
      "aaaaaaaaaaaaaaaaaaaaaaaaa",
      "status"},
     3,
     "socket path too long",
     true},
    /* Refused before connecting: the socket is never tried. */
    {NO_SOCKET, {"enforce", "Api"}, 2, "hardenctl enforce: 'Api' is not a service name", true},
    {NO_SOCKET, {"enforce", "api", "api"}, 2, "'api' is named twice", true},
    {NO_SOCKET, {"enforce", "\xc3\x1b[2J"}, 2, "'\\xc3\\x1b[2J' is not a service name", true},
    {NO_SOCKET, {"enforce"}, 2, "name the services to switch, or give --all", true},
    {NO_SOCKET, {"monitor", "--all", "api"}, 2, "not both", true},
    {NO_SOCKET, {"monitor", "--force", "api"}, 2, "--force is for enforce only", true},
    {NO_SOCKET, {"status", "a_b"}, 2, "'a_b' is not a service name", true},
    {NO_SOCKET, {"status", "a", "b"}, 2, "one service at most", true},
    {NO_SOCKET, {"reload", "now"}, 2, "unexpected argument 'now'", true},
    {NO_SOCKET, {"events", "--service", "Web"}, 2, "'Web' is not a service name", true},
    {NO_SOCKET, {"check", "--service", "-x"}, 2, "'-x' is not a service name", true},
    /* --daemon with what only the offline verbs read. */
    {NULL,
     {"events", "--daemon", "--input", "x.log"},
     2,
     "--input is for reading logs here; it does not go with --daemon",
     true},
    {NULL, {"events", "--daemon", "--journal-dir", "/tmp"}, 2, "--journal-dir is for", true},
    {NULL,
     {"--socket", NO_SOCKET, "events", "--input", "x.log"},
     2,
     "--input is for reading logs here; it does not go with --socket",
     true},
    {NULL, {"check", "--daemon", "--pid", "1"}, 2, "--pid is for checking here", true},
    {NULL, {"check", "--daemon", "--proc", "/proc"}, 2, "--proc is for checking here", true},
    {NULL, {"check", "--socket", NO_SOCKET, "--root", "/"}, 2, "--root is for checking here", true},
    /* HARDEND_SOCKET alone yields to an offline option. */
    {NO_SOCKET,
     {"events", "--profiles", "profiles", "--input", "tests/fixtures/events/syslog.log"},
     0,
     NULL,
     false},
    /* Global option errors. */
    {NULL, {"--socket"}, 2, "hardenctl: --socket needs a path", true},
    {NULL, {"--socket="}, 2, "hardenctl: --socket needs a path", true},
    {NULL, {"status", "--socket", ""}, 2, "--socket needs a path", true},
};

START_TEST(test_cli_table)
{
        _cleanup_free_ char *out = NULL, *err = NULL;
        int status = run_cli(cli_cases[_i].socket, cli_cases[_i].args, &out, &err);

        ck_assert_msg(status == cli_cases[_i].status, "case %d (%s): exit %d, stderr: %s", _i,
                      cli_cases[_i].args[0], status, err);
        if (cli_cases[_i].err)
                ck_assert_msg(strstr(err, cli_cases[_i].err), "case %d: no\n%s\nin stderr:\n%s", _i,
                              cli_cases[_i].err, err);
        /* Refused before connecting: no word about the daemon. */
        if (cli_cases[_i].status == 2)
                ck_assert_msg(!strstr(err, "not running"), "case %d: %s", _i, err);
        if (cli_cases[_i].out_empty)
                ck_assert_msg(out[0] == '\0', "case %d: stdout: %s", _i, out);
}
END_TEST

/* Every verb has its --help, on stdout, exit 0; the list has them all. */
static const char *const help_verbs[] = {"status", "monitor", "enforce",
                                         "reload", "events",  "check"};

START_TEST(test_cli_help)
{
        const char *args[] = {help_verbs[_i], "--help", NULL};
        const char *list[] = {"--help", NULL};
        _cleanup_free_ char *out = NULL, *err = NULL, *lout = NULL;
        char want[64], line[32];

        ck_assert_int_eq(run_cli(NULL, args, &out, &err), 0);
        snprintf(want, sizeof(want), "Usage: hardenctl %s ", help_verbs[_i]);
        ck_assert_msg(strstr(out, want), "%s", out);
        ck_assert_str_eq(err, "");
        ck_assert_int_eq(run_cli(NULL, list, &lout, NULL), 0);
        snprintf(line, sizeof(line), "\n  %s ", help_verbs[_i]);
        ck_assert_msg(strstr(lout, line), "%s", lout);
        ck_assert_ptr_nonnull(strstr(lout, "--socket PATH"));
}
END_TEST

/* A socket file nobody listens on: a daemon that died. Returns the path
 * in dir (mode 0755, so anyone may reach the socket). */
static void stale_socket(char *dir, size_t dir_size, char *path, size_t path_size)
{
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        int fd;

        snprintf(dir, dir_size, "/tmp/hardenctl-test-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(dir));
        ck_assert_int_eq(chmod(dir, 0755), 0);
        snprintf(path, path_size, "%s/control.sock", dir);
        snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
        close(fd);
}

START_TEST(test_cli_stale_socket)
{
        char dir[64], path[128], want[256];
        const char *args[] = {"status", NULL};
        _cleanup_free_ char *out = NULL, *err = NULL;

        stale_socket(dir, sizeof(dir), path, sizeof(path));
        ck_assert_int_eq(run_cli(path, args, &out, &err), 3);
        snprintf(want, sizeof(want),
                 "hardenctl status: hardend is not running (nothing listens on %s)", path);
        ck_assert_msg(strstr(err, want), "%s", err);
        unlink(path);
        rmdir(dir);
}
END_TEST

/* The socket is root's, 0600: anyone else hears why, not ENOENT. */
START_TEST(test_cli_permission_denied)
{
        char dir[64], path[128];
        const char *probe[] = {"/usr/bin/setpriv",
                               "--reuid=65534",
                               "--regid=65534",
                               "--clear-groups",
                               hardenctl_path(),
                               "--version",
                               NULL};
        const char *argv[] = {"/usr/bin/setpriv", "--reuid=65534",
                              "--regid=65534",    "--clear-groups",
                              "/usr/bin/env",     "-u",
                              "HARDEND_SOCKET",   hardenctl_path(),
                              "--socket",         path,
                              "status",           NULL};
        _cleanup_free_ char *out = NULL, *err = NULL;

        if (!test_require(geteuid() == 0 && access("/usr/bin/setpriv", X_OK) == 0,
                          "root and setpriv (to run hardenctl as another user)"))
                return;
        if (!test_require(test_run(probe, NULL, NULL) == 0, "a hardenctl that uid 65534 may run"))
                return;
        stale_socket(dir, sizeof(dir), path, sizeof(path));
        ck_assert_int_eq(chmod(path, 0600), 0);
        ck_assert_int_eq(test_run(argv, &out, &err), 3);
        ck_assert_msg(strstr(err, "hardenctl status: permission denied on "), "%s", err);
        ck_assert_msg(strstr(err, "run as root, or (for status, events and check) as a member of "
                                  "the read_group"),
                      "%s", err);
        unlink(path);
        rmdir(dir);
}
END_TEST

static Suite *cli_daemon_render_suite(void)
{
        Suite *s = suite_create("cli-daemon-render");
        TCase *tc = tcase_create("render");

        tcase_add_checked_fixture(tc, tz_setup, tz_teardown);
        tcase_add_test(tc, test_status_whole);
        tcase_add_loop_test(tc, test_status_table, 0, (int)ELEMENTSOF(status_cases));
        tcase_add_loop_test(tc, test_mode_table, 0, (int)ELEMENTSOF(mode_cases));
        tcase_add_loop_test(tc, test_reload_table, 0, (int)ELEMENTSOF(reload_cases));
        tcase_add_loop_test(tc, test_events_table, 0, (int)ELEMENTSOF(event_cases));
        tcase_add_loop_test(tc, test_observations_table, 0, (int)ELEMENTSOF(observation_cases));
        tcase_add_loop_test(tc, test_check_table, 0, (int)ELEMENTSOF(check_cases));
        tcase_add_loop_test(tc, test_escape_table, 0, (int)ELEMENTSOF(escape_cases));
        tcase_add_test(tc, test_escape_long);
        tcase_add_loop_test(tc, test_when_table, 0, (int)ELEMENTSOF(when_cases));
        tcase_add_test(tc, test_bytes);
        suite_add_tcase(s, tc);

        tc = tcase_create("robust");
        tcase_add_checked_fixture(tc, tz_setup, tz_teardown);
        tcase_add_loop_test(tc, test_mutations, 0, (int)ELEMENTSOF(mutation_docs));
        tcase_set_timeout(tc, 120);
        suite_add_tcase(s, tc);

        tc = tcase_create("like-offline");
        tcase_add_loop_test(tc, test_events_like_offline, 0, (int)ELEMENTSOF(event_fixtures));
        tcase_add_test(tc, test_check_like_offline);
        tcase_set_timeout(tc, 60);
        suite_add_tcase(s, tc);

        tc = tcase_create("cli");
        tcase_add_loop_test(tc, test_cli_table, 0, (int)ELEMENTSOF(cli_cases));
        tcase_add_loop_test(tc, test_cli_help, 0, (int)ELEMENTSOF(help_verbs));
        tcase_add_test(tc, test_cli_stale_socket);
        tcase_add_test(tc, test_cli_permission_denied);
        tcase_set_timeout(tc, 60);
        suite_add_tcase(s, tc);
        return s;
}

TEST_SUITE(cli_daemon_render_suite)
