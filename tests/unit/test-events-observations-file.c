/* SPDX-License-Identifier: MIT */
/* The observations file (events/observations-file.h) and what restoring
 * needs from events/observations.h: observations built from real audit
 * records (the event fixtures, plus records with hostile bytes) survive a
 * save and a load field for field and re-save to identical bytes; the
 * written body is jansson's canonical form; a key cap smaller than the
 * file's counts the rest over it; every kind of damaged file (cut at every
 * offset, a flipped byte at every offset, wrong version or checksum, an
 * unknown key, a wrong type, a value out of range, inconsistent counters,
 * oversize) is kept aside and replaced by empty observations; a child
 * saving in a loop is SIGKILLed at random moments and the file is always
 * the last acknowledged save or the one being written; and the "last
 * denial" query the daemon's enforce check uses. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/fileio.h"
#include "base/macro.h"
#include "control/state-crc32.h"
#include "events/audit-event.h"
#include "events/observations-file.h"
#include "events/observations.h"
#include "state-dir-fixture.h"
#include "testing.h"

#define NOW 1795356141886123ull

/* ---- helpers ---- */

static struct audit_event *parse_record(const char *text)
{
        struct audit_event *e = malloc(sizeof(*e));
        struct audit_parse_error err = {0};
        int r;

        ck_assert_ptr_nonnull(e);
        r = audit_event_parse(text, strlen(text), 0, e, &err);
        ck_assert_msg(r == 0, "record refused (%d, col %zu: %s): %s", r, err.col,
                      err.what ? err.what : "", text);
        return e;
}

static const char *const services[] = {"api", "frontend", "worker", NULL};

/* Adds one parsed event the way the pipeline would: a service and a
 * workload from its pid and serial (11 workloads, so some keys have more
 * than OBSERVATION_WORKLOADS_MAX), and a kill noted for seccomp kills. */
static void feed(struct observations *o, const struct audit_event *e)
{
        const char *service = services[(unsigned)e->pid % ELEMENTSOF(services)];
        char workload[32];

        snprintf(workload, sizeof(workload), "podman:%02u", (unsigned)(e->stamp.serial % 11));
        ck_assert_int_ge(observations_add(o, e, service, e->stamp.serial % 5 ? workload : NULL), 0);
        if (e->kind == EVENT_SECCOMP && (e->seccomp.verdict == SECCOMP_EVENT_KILL_PROCESS ||
                                         e->seccomp.verdict == SECCOMP_EVENT_KILL_THREAD))
                ck_assert_int_eq(observations_mark_killed(o, service, &e->seccomp), 0);
}

static const char *const fixtures[] = {
    "seccomp-kernel.log", "seccomp-dmesg.log",       "seccomp-dmesg-T.log",
    "seccomp-kmsg.log",   "apparmor-kernel.log",     "apparmor-vm-dmesg.log",
    "auditd-raw.log",     "auditd-enriched.log",     "syslog.log",
    "user-avc.log",       "apparmor-vm-dmesg-r.log",
};

/* Records with what the encoding must survive: every kind of byte in a
 * hex-encoded comm, a non-ASCII path with a space and a '%', an exe past
 * OBSERVATION_STRING_MAX (kept cut), a stamp past INT64_MAX µs (kept
 * saturated), a network and a capability object, an ERRNO. */
static const char *const hostile_records[] = {
    "audit: type=1326 audit(1795356141.886:900): auid=4294967295 uid=0 gid=0 ses=4294967295 "
    "pid=77 comm=0125225C7F80FF20 exe=\"/usr/bin/x\" sig=0 arch=c000003e syscall=101 compat=0 "
    "ip=0x7 code=0x7ffc0000",
    "audit: type=1400 audit(1795356363.384:901): apparmor=\"DENIED\" operation=\"open\" "
    "profile=\"p\" name=2F746D702F636166C3A920252F pid=5 comm=\"cat\" requested_mask=\"r\" "
    "denied_mask=\"r\" fsuid=0 ouid=0",
    "audit: type=1326 audit(99999999999999999.000:902): auid=4294967295 uid=0 gid=0 "
    "ses=4294967295 pid=78 comm=\"late\" exe=\"/x\" sig=0 arch=40000003 syscall=11 compat=1 "
    "ip=0x7 code=0x50000",
    "audit: type=1400 audit(1795356363.390:903): apparmor=\"ALLOWED\" operation=\"create\" "
    "profile=\"p\" pid=6 comm=\"nc\" family=\"inet\" sock_type=\"stream\" protocol=6 "
    "requested_mask=\"create\" denied_mask=\"create\"",
    "audit: type=1400 audit(1795356363.391:904): apparmor=\"DENIED\" operation=\"capable\" "
    "profile=\"p\" pid=6 comm=\"nc\" capability=12  capname=\"net_admin\"",
};

static char *long_exe_record(void)
{
        char *text, path[1600];

        memset(path, 'a', sizeof(path) - 1);
        path[0] = '/';
        path[sizeof(path) - 1] = '\0';
        ck_assert_int_gt(asprintf(&text,
                                  "audit: type=1326 audit(1795356141.900:905): auid=0 uid=0 gid=0 "
                                  "ses=1 pid=79 comm=\"long\" exe=\"%s\" sig=0 arch=c000003e "
                                  "syscall=0 compat=0 ip=0x7 code=0x7ffc0000",
                                  path),
                         0);
        return text;
}

/* Every record of the fixtures and the hostile ones, fed into o. */
static void feed_all(struct observations *o)
{
        _cleanup_free_ struct audit_event *e = malloc(sizeof(*e));
        _cleanup_free_ char *longest = long_exe_record();
        size_t fed = 0;

        ck_assert_ptr_nonnull(e);
        for (size_t f = 0; f < ELEMENTSOF(fixtures); f++) {
                _cleanup_free_ char *data = NULL;
                char rel[128];
                size_t size;

                snprintf(rel, sizeof(rel), "tests/fixtures/events/%s", fixtures[f]);
                ck_assert_int_eq(
                    read_file_bounded(AT_FDCWD, test_path(rel), 4u << 20, &data, &size), 0);
                for (char *p = data, *nl; p < data + size; p = nl + 1) {
                        nl = memchr(p, '\n', (size_t)(data + size - p));
                        ck_assert_ptr_nonnull(nl);
                        if (audit_event_parse(p, (size_t)(nl - p), 0, e, NULL) == 0) {
                                feed(o, e);
                                fed++;
                        }
                }
        }
        ck_assert_uint_gt(fed, 100);
        /* One key seen from more workloads than are kept. */
        for (unsigned i = 0; i < 20; i++) {
                _cleanup_free_ struct audit_event *h = parse_record(hostile_records[4]);

                h->stamp.serial = 1000 + i;
                feed(o, h);
        }
        for (size_t i = 0; i < ELEMENTSOF(hostile_records); i++) {
                _cleanup_free_ struct audit_event *h = parse_record(hostile_records[i]);

                feed(o, h);
        }
        {
                _cleanup_free_ struct audit_event *h = parse_record(longest);

                feed(o, h);
        }
        /* runc's init between loading the filter and exec'ing: a key of
         * its own (runtime), beside the same call made by the workload. */
        for (int i = 0; i < 2; i++) {
                _cleanup_free_ struct audit_event *h = parse_record(
                    i == 0
                        ? "audit: type=1326 audit(1795356142.000:990): auid=0 uid=0 gid=0 ses=1 "
                          "pid=81 comm=\"runc:[2:INIT]\" exe=\"/memfd:runc_cloned:/proc/self/exe "
                          "(deleted)\" sig=0 arch=c000003e syscall=59 compat=0 ip=0x7 "
                          "code=0x7ffc0000"
                        : "audit: type=1326 audit(1795356142.100:991): auid=0 uid=0 gid=0 ses=1 "
                          "pid=81 comm=\"sh\" exe=\"/bin/busybox\" sig=0 arch=c000003e "
                          "syscall=59 compat=0 ip=0x7 code=0x7ffc0000");

                ck_assert(event_from_runtime(h) == (i == 0));
                feed(o, h);
        }
}

static int cmp_str(const char *a, const char *b)
{
        if (!a || !b)
                return (b == NULL) - (a == NULL);
        return strcmp(a, b);
}

static int cmp_keys(const void *x, const void *y)
{
        const struct observation *a = *(const struct observation *const *)x;
        const struct observation *b = *(const struct observation *const *)y;
        int c;

        if ((c = cmp_str(a->service, b->service)) || (c = (int)a->kind - (int)b->kind) ||
            (c = (int)a->verdict - (int)b->verdict) || (c = (int)a->runtime - (int)b->runtime) ||
            (c = (a->arch > b->arch) - (a->arch < b->arch)) ||
            (c = (a->syscall > b->syscall) - (a->syscall < b->syscall)) ||
            (c = (int)a->data - (int)b->data) || (c = (int)a->object_kind - (int)b->object_kind) ||
            (c = cmp_str(a->operation, b->operation)) || (c = cmp_str(a->object, b->object)))
                return c;
        return cmp_str(a->mask, b->mask);
}

static const struct observation **sorted_keys(const struct observations *o, size_t *ret_n)
{
        const struct observation *const *all = observations_all(o, ret_n);
        const struct observation **v = malloc((*ret_n + 1) * sizeof(*v));

        ck_assert_ptr_nonnull(v);
        memcpy(v, all, *ret_n * sizeof(*v));
        qsort(v, *ret_n, sizeof(*v), cmp_keys);
        return v;
}

static void assert_str_eq_null(const char *a, const char *b)
{
        ck_assert_msg(cmp_str(a, b) == 0, "'%s' != '%s'", a ? a : "(null)", b ? b : "(null)");
}

/* Field for field, services and keys. */
static void assert_same(struct observations *a, struct observations *b)
{
        _cleanup_free_ const struct observation **ka = NULL, **kb = NULL;
        const struct service_counts *sa, *sb;
        size_t na, nb;

        sa = observations_services(a, &na);
        sb = observations_services(b, &nb);
        ck_assert_uint_eq(na, nb);
        for (size_t i = 0; i < na; i++) {
                assert_str_eq_null(sa[i].service, sb[i].service);
                ck_assert_uint_eq(sa[i].events, sb[i].events);
                ck_assert_uint_eq(sa[i].denials, sb[i].denials);
                ck_assert_uint_eq(sa[i].over_cap, sb[i].over_cap);
                ck_assert_uint_eq(sa[i].keys, sb[i].keys);
                ck_assert_uint_eq(sa[i].last_denial_usec, sb[i].last_denial_usec);
        }
        ck_assert_uint_eq(observations_over_cap(a), observations_over_cap(b));
        ka = sorted_keys(a, &na);
        kb = sorted_keys(b, &nb);
        ck_assert_uint_eq(na, nb);
        for (size_t i = 0; i < na; i++) {
                const struct observation *x = ka[i], *y = kb[i];

                ck_assert_int_eq(cmp_keys(&ka[i], &kb[i]), 0);
                assert_str_eq_null(x->syscall_name, y->syscall_name);
                ck_assert_uint_eq(x->count, y->count);
                ck_assert_uint_eq(x->killed, y->killed);
                ck_assert_uint_eq(x->first_usec, y->first_usec);
                ck_assert_uint_eq(x->last_usec, y->last_usec);
                ck_assert_int_eq(x->example_pid, y->example_pid);
                assert_str_eq_null(x->example_comm, y->example_comm);
                assert_str_eq_null(x->example_exe, y->example_exe);
                ck_assert_uint_eq(x->n_workloads, y->n_workloads);
                for (size_t w = 0; w < x->n_workloads; w++)
                        ck_assert_str_eq(x->workloads[w], y->workloads[w]);
                ck_assert_uint_eq(x->more_workloads, y->more_workloads);
        }
}

static char *format_ok(const struct observations *o, size_t *ret_size)
{
        char *data = NULL;
        int r = observations_format(o, &data, ret_size);

        ck_assert_msg(r == 0, "observations_format: %s", strerror(-r));
        ck_assert_uint_eq(strlen(data), *ret_size);
        return data;
}

static struct observations *parse_ok(const char *data, size_t size, size_t max_keys)
{
        struct observations *o = NULL;
        struct diag_list d;
        int r;

        ck_assert_int_eq(diag_list_init(&d, OBSERVATIONS_FILE), 0);
        r = observations_parse(data, size, max_keys, &d, &o);
        if (r != 0)
                diag_print(&d, stderr);
        ck_assert_int_eq(r, 0);
        ck_assert(!diag_has_errors(&d));
        diag_list_done(&d);
        return o;
}

static struct observations *sample(void)
{
        struct observations *o = NULL;

        ck_assert_int_eq(observations_new(0, &o), 0);
        feed_all(o);
        return o;
}

/* ---- round trips ---- */

START_TEST(test_round_trip)
{
        _cleanup_(observations_freep) struct observations *o = sample(), *back = NULL,
                                                          *loaded = NULL;
        _cleanup_free_ char *data = NULL, *again = NULL, *disk = NULL, *kept = NULL;
        const struct observation *const *all;
        size_t size, size2, dsize, n, more = 0, cut = 0, odd = 0;
        struct diag_list d;
        struct scratch sc;
        struct stat st;

        /* The sample exercises what it should. */
        all = observations_all(o, &n);
        ck_assert_uint_gt(n, 50);
        for (size_t i = 0; i < n; i++) {
                more += all[i]->more_workloads > 0;
                cut += all[i]->example_exe && strlen(all[i]->example_exe) == OBSERVATION_STRING_MAX;
                odd += all[i]->example_comm && strchr(all[i]->example_comm, '\x01');
                if (all[i]->example_comm && strcmp(all[i]->example_comm, "late") == 0)
                        ck_assert_uint_eq(all[i]->first_usec, (uint64_t)INT64_MAX);
        }
        ck_assert_uint_gt(more, 0);
        ck_assert_uint_eq(cut, 1);
        ck_assert_uint_eq(odd, 1);

        data = format_ok(o, &size);
        ck_assert(data[size - 1] == '\n');
        ck_assert_ptr_nonnull(strstr(data, "\"example_comm\":\"%01%25%22%5C%7F%80%FF \""));
        ck_assert_ptr_nonnull(strstr(data, "\"object\":\"/tmp/caf%C3%A9 %25/\""));
        ck_assert_ptr_nonnull(strstr(data, "\"runtime\":true"));
        back = parse_ok(data, size, 0);
        assert_same(o, back);
        again = format_ok(back, &size2);
        ck_assert_uint_eq(size, size2);
        ck_assert(memcmp(data, again, size) == 0);

        /* Through the directory: same bytes on disk, mode 0600. */
        scratch_open(&sc, "obsfile");
        ck_assert_int_eq(observations_save(sc.fd, o), 0);
        ck_assert_int_eq(fstatat(sc.fd, OBSERVATIONS_FILE, &st, 0), 0);
        ck_assert_uint_eq(st.st_mode & 07777, 0600);
        ck_assert_int_eq(
            read_file_bounded(sc.fd, OBSERVATIONS_FILE, OBSERVATIONS_FILE_MAX, &disk, &dsize), 0);
        ck_assert_uint_eq(dsize, size);
        ck_assert(memcmp(disk, data, size) == 0);
        ck_assert_int_eq(diag_list_init(&d, OBSERVATIONS_FILE), 0);
        ck_assert_int_eq(observations_load(sc.fd, 0, NOW, &d, &loaded, &kept), 0);
        ck_assert_ptr_null(kept);
        diag_list_done(&d);
        assert_same(o, loaded);
        ck_assert_uint_eq(count_prefix(sc.fd, OBSERVATIONS_FILE ".tmp."), 0);
        scratch_close(&sc);
}
END_TEST

/* The body as written, newlines removed, is exactly what jansson prints
 * compact with sorted keys: the checksum is over it. */
START_TEST(test_canonical_body)
{
        _cleanup_(observations_freep) struct observations *o = sample();
        _cleanup_free_ char *data = NULL, *canon = NULL, *mine = NULL;
        json_t *top, *body;
        const char *b, *end;
        size_t size, n = 0;
        char crc[9];

        data = format_ok(o, &size);
        top = json_loadb(data, size, 0, NULL);
        ck_assert_ptr_nonnull(top);
        body = json_object_get(top, "body");
        canon = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
        ck_assert_ptr_nonnull(canon);
        b = strstr(data, "\"body\":");
        ck_assert_ptr_nonnull(b);
        b += strlen("\"body\":");
        end = data + size - 2; /* before "}\n" */
        ck_assert(end[0] == '}' && end[1] == '\n');
        mine = malloc((size_t)(end - b) + 1);
        for (const char *p = b; p < end; p++)
                if (*p != '\n')
                        mine[n++] = *p;
        mine[n] = '\0';
        ck_assert_str_eq(mine, canon);
        snprintf(crc, sizeof(crc), "%08x", state_crc32(canon, strlen(canon)));
        ck_assert_str_eq(json_string_value(json_object_get(top, "crc32")), crc);
        /* One line per key: the file has a line per key and per service. */
        ck_assert_ptr_nonnull(
            strstr(data, "{\"format\":\"hardend-observations\",\"version\":1,\"crc32\":\""));
        json_decref(top);
}
END_TEST

START_TEST(test_empty)
{
        _cleanup_(observations_freep) struct observations *o = NULL, *back = NULL;
        _cleanup_free_ char *data = NULL;
        size_t size, n;

        ck_assert_int_eq(observations_new(0, &o), 0);
        data = format_ok(o, &size);
        ck_assert_str_eq(data, "{\"format\":\"hardend-observations\",\"version\":1,\"crc32\":"
                               "\"56e4d19d\",\"body\":{\"services\":[]}}\n");
        ck_assert_uint_eq(state_crc32("{\"services\":[]}", 15), 0x56e4d19d);
        back = parse_ok(data, size, 0);
        ck_assert_uint_eq(observations_keys(back), 0);
        observations_services(back, &n);
        ck_assert_uint_eq(n, 0);
}
END_TEST

/* A smaller cap on load: the keys past it are counted over it, like live
 * events, and nothing else changes; the same cap again gives the same
 * bytes. */
START_TEST(test_key_cap)
{
        _cleanup_(observations_freep) struct observations *o = sample(), *small = NULL,
                                                          *again = NULL;
        _cleanup_free_ char *data = NULL, *sdata = NULL, *sdata2 = NULL;
        const struct service_counts *sv, *sv2;
        size_t size, ssize, ssize2, n, n2;
        uint64_t events = 0, events2 = 0, dropped_counts = 0, kept_counts = 0, all_counts = 0;
        const struct observation *const *all;

        data = format_ok(o, &size);
        all = observations_all(o, &n);
        for (size_t i = 0; i < n; i++)
                all_counts += all[i]->count;
        small = parse_ok(data, size, 10);
        ck_assert_uint_eq(observations_keys(small), 10);
        all = observations_all(small, &n);
        for (size_t i = 0; i < n; i++)
                kept_counts += all[i]->count;
        dropped_counts = all_counts - kept_counts;
        ck_assert_uint_eq(observations_over_cap(small), observations_over_cap(o) + dropped_counts);
        sv = observations_services(o, &n);
        sv2 = observations_services(small, &n2);
        ck_assert_uint_eq(n, n2);
        for (size_t i = 0; i < n; i++) {
                events += sv[i].events;
                events2 += sv2[i].events;
                ck_assert_uint_eq(sv[i].denials, sv2[i].denials);
                ck_assert_uint_eq(sv[i].last_denial_usec, sv2[i].last_denial_usec);
        }
        ck_assert_uint_eq(events, events2);
        sdata = format_ok(small, &ssize);
        again = parse_ok(sdata, ssize, 10);
        sdata2 = format_ok(again, &ssize2);
        ck_assert_uint_eq(ssize, ssize2);
        ck_assert(memcmp(sdata, sdata2, ssize) == 0);
        /* And a new key past the cap after the load is counted too. */
        {
                _cleanup_free_ struct audit_event *e = parse_record(hostile_records[0]);
                uint64_t before = observations_over_cap(small);

                e->seccomp.syscall = 12345;
                ck_assert_int_eq(observations_add(small, e, "api", NULL), 1);
                ck_assert_uint_eq(observations_over_cap(small), before + 1);
        }
}
END_TEST

/* observations_restore refuses what observations_add could not make. */
static const struct {
        const char *what;
        struct observation ob;
} unrestorable[] = {
    {"kind", {.kind = _EVENT_KIND_MAX, .count = 1}},
    {"seccomp verdict",
     {.kind = EVENT_SECCOMP, .verdict = 99, .object_kind = OBJECT_SYSCALL, .count = 1}},
    {"seccomp object", {.kind = EVENT_SECCOMP, .object_kind = OBJECT_PATH, .count = 1}},
    {"seccomp operation",
     {.kind = EVENT_SECCOMP,
      .object_kind = OBJECT_SYSCALL,
      .operation = (char *)"open",
      .count = 1}},
    {"errno on LOG",
     {.kind = EVENT_SECCOMP,
      .verdict = SECCOMP_EVENT_LOG,
      .object_kind = OBJECT_SYSCALL,
      .data = 1,
      .count = 1}},
    {"apparmor verdict", {.kind = EVENT_APPARMOR, .verdict = _APPARMOR_VERDICT_MAX, .count = 1}},
    {"apparmor arch", {.kind = EVENT_APPARMOR, .arch = 1, .count = 1}},
    {"apparmor syscall object",
     {.kind = EVENT_APPARMOR, .object_kind = OBJECT_SYSCALL, .count = 1}},
    {"none with object", {.kind = EVENT_APPARMOR, .object = (char *)"/x", .count = 1}},
    {"abend verdict",
     {.kind = EVENT_ABEND, .verdict = 1, .object_kind = OBJECT_SIGNAL, .count = 1}},
    {"abend object", {.kind = EVENT_ABEND, .object_kind = OBJECT_PATH, .count = 1}},
    {"count 0", {.kind = EVENT_ABEND, .object_kind = OBJECT_SIGNAL}},
    {"first after last",
     {.kind = EVENT_ABEND,
      .object_kind = OBJECT_SIGNAL,
      .count = 1,
      .first_usec = 2,
      .last_usec = 1}},
    {"too many workloads",
     {.kind = EVENT_ABEND, .object_kind = OBJECT_SIGNAL, .count = 1, .n_workloads = 9}},
    {"missing workload",
     {.kind = EVENT_ABEND, .object_kind = OBJECT_SIGNAL, .count = 1, .n_workloads = 1}},
    {"repeated workload",
     {.kind = EVENT_ABEND,
      .object_kind = OBJECT_SIGNAL,
      .count = 1,
      .workloads = {(char *)"a", (char *)"a"},
      .n_workloads = 2}},
    {"more workloads with room",
     {.kind = EVENT_ABEND,
      .object_kind = OBJECT_SIGNAL,
      .count = 1,
      .workloads = {(char *)"a"},
      .n_workloads = 1,
      .more_workloads = 1}},
};

START_TEST(test_restore_refuses)
{
        _cleanup_(observations_freep) struct observations *o = NULL;

        ck_assert_int_eq(observations_new(0, &o), 0);
        ck_assert_msg(observation_check(&unrestorable[_i].ob) != NULL, "%s", unrestorable[_i].what);
        ck_assert_int_eq(observations_restore(o, &unrestorable[_i].ob), -EINVAL);
        ck_assert_uint_eq(observations_keys(o), 0);
}
END_TEST

START_TEST(test_restore_duplicate_and_long)
{
        _cleanup_(observations_freep) struct observations *o = NULL;
        _cleanup_free_ char *huge = malloc(OBSERVATION_STRING_MAX + 2);
        _cleanup_free_ struct audit_event *e = parse_record(hostile_records[1]);
        struct observation ob = {.kind = EVENT_ABEND,
                                 .object_kind = OBJECT_SIGNAL,
                                 .data = 9,
                                 .count = 3,
                                 .first_usec = 1,
                                 .last_usec = 2,
                                 .service = (char *)"api"};
        const struct service_counts *sv;
        size_t n;

        ck_assert_int_eq(observations_new(0, &o), 0);
        ck_assert_int_eq(observations_restore(o, &ob), 0);
        ck_assert_int_eq(observations_restore(o, &ob), -EEXIST);
        memset(huge, 'x', OBSERVATION_STRING_MAX + 1);
        huge[OBSERVATION_STRING_MAX + 1] = '\0';
        ob.example_comm = huge;
        ob.data = 10;
        ck_assert_int_eq(observations_restore(o, &ob), -EINVAL);
        ck_assert_uint_eq(observations_keys(o), 1);

        /* A workload or a service longer than the cut counts once, not
         * once per event (compared cut, as the keys' strings are). */
        ck_assert_int_eq(observations_add(o, e, huge, huge), 0);
        ck_assert_int_eq(observations_add(o, e, huge, huge), 0);
        sv = observations_services(o, &n);
        ck_assert_uint_eq(n, 2);
        ck_assert_uint_eq(strlen(sv[1].service), OBSERVATION_STRING_MAX);
        ck_assert_uint_eq(sv[1].events, 2);
        ck_assert_uint_eq(sv[1].keys, 1);
        {
                const struct observation *const *all = observations_all(o, &n);

                ck_assert_uint_eq(n, 2);
                for (size_t i = 0; i < n; i++)
                        if (all[i]->kind == EVENT_APPARMOR) {
                                ck_assert_uint_eq(all[i]->n_workloads, 1);
                                ck_assert_uint_eq(all[i]->count, 2);
                        }
        }
}
END_TEST

/* ---- damaged files ---- */

static size_t parse_refused(const char *data, size_t size, const char *expect)
{
        struct observations *o = NULL;
        struct diag_list d;
        bool found = !expect;
        size_t n;

        ck_assert_int_eq(diag_list_init(&d, OBSERVATIONS_FILE), 0);
        ck_assert_int_eq(observations_parse(data, size, 0, &d, &o), -EINVAL);
        ck_assert_ptr_null(o);
        ck_assert(diag_has_errors(&d));
        for (size_t i = 0; i < d.n && !found; i++)
                found = strstr(d.items[i].message, expect) != NULL;
        if (!found)
                diag_print(&d, stderr);
        ck_assert_msg(found, "no diagnostic says '%s'", expect);
        n = d.n;
        diag_list_done(&d);
        return n;
}

static void assert_kept_aside(int dirfd, const char *data, size_t size, uint64_t now)
{
        _cleanup_(observations_freep) struct observations *o = NULL;
        _cleanup_free_ char *kept = NULL;
        const struct service_counts *sv;
        struct diag_list d;
        size_t n;

        write_at(dirfd, OBSERVATIONS_FILE, data, size);
        ck_assert_int_eq(diag_list_init(&d, OBSERVATIONS_FILE), 0);
        ck_assert_int_eq(observations_load(dirfd, 0, now, &d, &o, &kept), 1);
        ck_assert(diag_has_errors(&d));
        diag_list_done(&d);
        ck_assert_ptr_nonnull(o);
        ck_assert_uint_eq(observations_keys(o), 0);
        sv = observations_services(o, &n);
        ck_assert_uint_eq(n, 0);
        (void)sv;
        assert_kept_copy(dirfd, OBSERVATIONS_FILE, kept, data, size);
}

/* A small file: two services, one key of each kind. */
static char *small_bytes(size_t *ret_size)
{
        _cleanup_(observations_freep) struct observations *o = NULL;

        ck_assert_int_eq(observations_new(0, &o), 0);
        for (size_t i = 0; i < 4; i++) {
                _cleanup_free_ struct audit_event *e = parse_record(hostile_records[i % 2]);

                feed(o, e);
        }
        {
                _cleanup_free_ struct audit_event *e = parse_record(
                    "audit: type=1701 audit(1795356141.890:910): auid=4294967295 uid=0 gid=0 "
                    "ses=4294967295 pid=77 comm=\"x\" exe=\"/x\" sig=31 res=1");

                feed(o, e);
        }
        return format_ok(o, ret_size);
}

START_TEST(test_truncated_everywhere)
{
        _cleanup_free_ char *data = NULL;
        struct scratch sc;
        size_t size;

        data = small_bytes(&size);
        ck_assert_uint_lt(size, 4096);
        for (size_t cut = 0; cut < size; cut++)
                parse_refused(data, cut, NULL);
        scratch_open(&sc, "obsfile");
        for (size_t cut = 0; cut < size; cut += 13)
                assert_kept_aside(sc.fd, data, cut, NOW + cut);
        assert_kept_aside(sc.fd, data, size - 1, NOW);
        scratch_close(&sc);
}
END_TEST

START_TEST(test_flipped_everywhere)
{
        static const unsigned char masks[] = {0x01, 0x20, 0x80};
        _cleanup_free_ char *data = NULL;
        size_t size;

        data = small_bytes(&size);
        for (size_t m = 0; m < ELEMENTSOF(masks); m++)
                for (size_t i = 0; i < size; i++) {
                        data[i] ^= (char)masks[m];
                        parse_refused(data, size, NULL);
                        data[i] ^= (char)masks[m];
                }
}
END_TEST

/* A body (JSON text) wrapped into a file with a correct checksum (or a
 * wrong one), so that the field checks, not the checksum, must refuse. */
static char *wrap_json(const char *format, const char *version, json_t *body, bool good_crc)
{
        char *canon = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
        char *text = json_dumps(body, JSON_COMPACT | JSON_ENCODE_ANY), *out;
        uint32_t crc;

        ck_assert_ptr_nonnull(canon);
        ck_assert_ptr_nonnull(text);
        crc = state_crc32(canon, strlen(canon)) ^ (good_crc ? 0 : 1);
        ck_assert_int_ge(asprintf(&out,
                                  "{\"format\":%s,\"version\":%s,\"crc32\":\"%08x\",\"body\":%s}\n",
                                  format, version, crc, text),
                         0);
        free(canon);
        free(text);
        return out;
}

/* Consistent: api has 10 events, 6 denials (4 + 2 in keys), 1 over the
 * cap; the unattributed two keys. */
static const char base_body[] =
    "{\"services\":["
    "{\"denials\":6,\"events\":10,\"events_over_cap\":1,\"last_denial\":300,\"name\":\"api\","
    "\"observations\":["
    "{\"arch\":\"c000003e\",\"count\":4,\"errno\":0,\"example_comm\":\"api-server\","
    "\"example_exe\":\"/usr/bin/api\",\"example_pid\":42,\"first\":100,\"killed\":1,"
    "\"kind\":\"seccomp\",\"last\":300,\"more_workloads\":0,\"syscall\":101,\"verdict\":\"LOG\","
    "\"workloads\":[\"podman:a\"]},"
    "{\"count\":2,\"example_comm\":\"cat\",\"example_exe\":null,\"example_pid\":43,\"first\":200,"
    "\"killed\":0,\"kind\":\"apparmor\",\"last\":250,\"mask\":\"r\",\"more_workloads\":0,"
    "\"object\":\"/etc/secret%25.txt\",\"object_kind\":\"path\",\"operation\":\"open\","
    "\"verdict\":\"ALLOWED\",\"workloads\":[]},"
    "{\"count\":1,\"example_comm\":\"x\",\"example_exe\":\"/x\",\"example_pid\":44,"
    "\"first\":260,\"killed\":0,\"kind\":\"abend\",\"last\":260,\"more_workloads\":0,"
    "\"signal\":31,\"workloads\":[]}]},"
    "{\"denials\":0,\"events\":3,\"events_over_cap\":0,\"last_denial\":0,\"name\":null,"
    "\"observations\":["
    "{\"arch\":\"c000003e\",\"count\":2,\"errno\":0,\"example_comm\":null,\"example_exe\":null,"
    "\"example_pid\":0,\"first\":5,\"killed\":0,\"kind\":\"seccomp\",\"last\":6,"
    "\"more_workloads\":0,\"syscall\":39,\"verdict\":\"ALLOW\",\"workloads\":[]},"
    "{\"arch\":\"c000003e\",\"count\":1,\"errno\":0,\"example_comm\":null,\"example_exe\":null,"
    "\"example_pid\":0,\"first\":5,\"killed\":0,\"kind\":\"seccomp\",\"last\":6,"
    "\"more_workloads\":0,\"syscall\":40,\"verdict\":\"ALLOW\",\"workloads\":[]}]}]}";

/* A change to base_body: in service svc (-1: the body itself), key obs
 * (-1: the service itself), set key to the JSON value (NULL: remove it). */
struct edit {
        int svc, obs;
        const char *key, *value;
};

static const struct {
        struct edit e[2];
        const char *expect; /* in a diagnostic */
} hostile[] = {
    /* Body and services. */
    {{{-1, -1, "extra", "1"}}, "unknown key 'extra'"},
    {{{-1, -1, "services", NULL}}, "missing 'services'"},
    {{{-1, -1, "services", "{}"}}, "must be an array"},
    {{{0, -1, "name", "7"}}, "must be a string or null"},
    {{{0, -1, "name", "null"}}, "out of order"},
    {{{1, -1, "name", "\"aaa\""}}, "out of order"},
    {{{1, -1, "name", "\"api\""}}, "out of order"},
    {{{0, -1, "events", "-1"}}, "out of range"},
    {{{0, -1, "events", "1.5"}}, "must be an integer"},
    {{{0, -1, "events", "\"10\""}}, "must be an integer"},
    {{{0, -1, "events", "7"}}, "add up to more than events"},
    {{{0, -1, "events_over_cap", "4"}}, "add up to more than events"},
    {{{0, -1, "denials", "11"}}, "more denials than events"},
    {{{0, -1, "denials", "5"}}, "denial keys' counts"},
    {{{0, -1, "last_denial", "299"}}, "after last_denial"},
    {{{0, -1, "last_denial", NULL}}, "missing 'last_denial'"},
    {{{0, -1, "observations", "{}"}}, "must be an array"},
    {{{0, -1, "observations", "[1]"}}, "must be an object"},
    {{{0, -1, "keys", "3"}}, "unknown key 'keys'"},
    /* Common key fields. */
    {{{0, 0, "count", "0"}}, "out of range"},
    {{{0, 0, "count", "5"}}, "denial keys' counts"},
    {{{0, 0, "killed", "-1"}}, "out of range"},
    {{{0, 0, "first", "301"}}, "first is after last"},
    {{{0, 0, "last", "true"}}, "must be an integer"},
    {{{0, 0, "example_pid", "-1"}}, "out of range"},
    {{{0, 0, "example_pid", "2147483648"}}, "out of range"},
    {{{0, 0, "more_workloads", "1"}}, "room"},
    {{{0, 0, "workloads", "[\"a\",\"a\"]"}}, "listed twice"},
    {{{0, 0, "workloads", "[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\"]"}}, "at most 8"},
    {{{0, 0, "workloads", "[null]"}}, "must be a string"},
    {{{0, 0, "workloads", "\"a\""}}, "must be an array"},
    {{{0, 0, "example_comm", "5"}}, "must be a string or null"},
    /* Strings: only the spelling the printer uses. */
    {{{0, 0, "example_comm", "\"a%41\""}}, "not a string as written here"},
    {{{0, 0, "example_comm", "\"a%0a\""}}, "not a string as written here"},
    {{{0, 0, "example_comm", "\"a%00\""}}, "not a string as written here"},
    {{{0, 0, "example_comm", "\"a%4\""}}, "not a string as written here"},
    {{{0, 0, "example_comm", "\"a%\""}}, "not a string as written here"},
    {{{0, 0, "example_comm", "\"\\u00e9\""}}, "not a string as written here"},
    {{{0, 0, "example_comm", "\"a\\\"b\""}}, "not a string as written here"},
    {{{0, 0, "example_comm", "\"a\\\\b\""}}, "not a string as written here"},
    {{{0, 0, "example_comm", "\"a\\nb\""}}, "not a string as written here"},
    {{{0, 0, "example_comm", "\"a\\u0000b\""}}, "not valid JSON"}, /* jansson's own refusal */
    {{{0, 0, "example_comm", "\"a\\u007fb\""}}, "not a string as written here"},
    /* Seccomp keys. */
    {{{0, 0, "kind", "\"Seccomp\""}}, "kind: not a known name"},
    {{{0, 0, "kind", NULL}}, "kind: not a known name"},
    {{{0, 0, "kind", "0"}}, "kind: not a known name"},
    {{{0, 0, "verdict", "\"log\""}}, "verdict: not a known name"},
    {{{0, 0, "verdict", "\"DENIED\""}}, "verdict: not a known name"},
    {{{0, 0, "verdict", "6"}}, "verdict: not a known name"},
    {{{0, 0, "arch", "\"C000003E\""}}, "8 lowercase hex digits"},
    {{{0, 0, "arch", "\"c00003e\""}}, "8 lowercase hex digits"},
    {{{0, 0, "arch", "3221225534"}}, "8 lowercase hex digits"},
    {{{0, 0, "errno", "1"}}, "errno on a verdict other than ERRNO"},
    {{{0, 0, "errno", "65536"}}, "out of range"},
    {{{0, 0, "syscall", NULL}}, "missing 'syscall'"},
    {{{0, 0, "syscall", "\"ptrace\""}}, "must be an integer"},
    {{{0, 0, "operation", "\"open\""}}, "unknown key 'operation'"},
    /* AppArmor keys. */
    {{{0, 1, "object_kind", "\"syscall\""}}, "object_kind: not a known name"},
    {{{0, 1, "object_kind", "\"signal\""}}, "object_kind: not a known name"},
    {{{0, 1, "object_kind", "\"none\""}}, "object with object_kind none"},
    {{{0, 1, "verdict", "\"LOG\""}}, "verdict: not a known name"},
    {{{0, 1, "mask", "7"}}, "must be a string or null"},
    {{{0, 1, "arch", "\"c000003e\""}}, "unknown key 'arch'"},
    {{{0, 1, "operation", NULL}}, "missing 'operation'"},
    /* Abend keys. */
    {{{0, 2, "signal", "-1"}}, "out of range"},
    {{{0, 2, "verdict", "\"LOG\""}}, "unknown key 'verdict'"},
    /* Order and duplicates. */
    {{{1, 1, "count", "3"}}, "out of order"},
    {{{1, 1, "count", "2"}, {1, 1, "syscall", "39"}}, "duplicate or out of order"},
    {{{1, 1, "syscall", "38"}, {1, 1, "count", "2"}}, "out of order"},
};

static json_t *edited_body(size_t i)
{
        json_t *body = json_loads(base_body, 0, NULL);

        ck_assert_ptr_nonnull(body);
        for (size_t k = 0; k < ELEMENTSOF(hostile[i].e) && hostile[i].e[k].key; k++) {
                const struct edit *e = &hostile[i].e[k];
                json_t *t = body;

                if (e->svc >= 0)
                        t = json_array_get(json_object_get(body, "services"), (size_t)e->svc);
                if (e->obs >= 0)
                        t = json_array_get(json_object_get(t, "observations"), (size_t)e->obs);
                ck_assert_ptr_nonnull(t);
                if (e->value)
                        ck_assert_int_eq(
                            json_object_set_new(
                                t, e->key,
                                json_loads(e->value, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL)),
                            0);
                else
                        ck_assert_int_eq(json_object_del(t, e->key), 0);
        }
        return body;
}

START_TEST(test_base_body_accepted)
{
        json_t *body = json_loads(base_body, 0, NULL);
        _cleanup_free_ char *data = NULL, *again = NULL;
        _cleanup_(observations_freep) struct observations *o = NULL;
        uint64_t last, keys;
        size_t size;

        ck_assert_ptr_nonnull(body);
        data = wrap_json("\"hardend-observations\"", "1", body, true);
        o = parse_ok(data, strlen(data), 0);
        ck_assert_uint_eq(observations_keys(o), 5);
        ck_assert_uint_eq(observations_over_cap(o), 1);
        ck_assert_int_eq(observations_last_denial(o, "api", 0, &last, &keys), 1);
        ck_assert_uint_eq(last, 300);
        ck_assert_uint_eq(keys, 2);
        /* Re-printed, the same meaning: the same checksum. */
        again = format_ok(o, &size);
        ck_assert_ptr_nonnull(strstr(data, "\"crc32\":\""));
        ck_assert(memcmp(strstr(data, "\"crc32\":\""), strstr(again, "\"crc32\":\""), 18) == 0);
        json_decref(body);
}
END_TEST

START_TEST(test_hostile)
{
        json_t *body = edited_body((size_t)_i);
        _cleanup_free_ char *data = wrap_json("\"hardend-observations\"", "1", body, true);
        struct scratch sc;

        parse_refused(data, strlen(data), hostile[_i].expect);
        scratch_open(&sc, "obsfile");
        assert_kept_aside(sc.fd, data, strlen(data), NOW);
        scratch_close(&sc);
        json_decref(body);
}
END_TEST

/* The wrapping: checksum, format, version, top-level shape, size. */
START_TEST(test_hostile_top)
{
        static const struct {
                const char *format, *version;
                bool good_crc;
                const char *expect;
        } wraps[] = {
            {"\"hardend-observations\"", "1", false, "checksum mismatch"},
            {"\"hardend-state\"", "1", true, "not a hardend observations file"},
            {"1", "1", true, "not a hardend observations file"},
            {"\"hardend-observations\"", "2", true, "unsupported format version"},
            {"\"hardend-observations\"", "0", true, "unsupported format version"},
            {"\"hardend-observations\"", "\"1\"", true, "unsupported format version"},
            {"\"hardend-observations\"", "1.0", true, "unsupported format version"},
        };
        static const struct {
                const char *text, *expect;
        } tops[] = {
            {"[]\n", "not a JSON object"},
            {"{}\n", "not a hardend observations file"},
            {"{\"format\":\"hardend-observations\",\"version\":1,\"crc32\":\"00000000\"}\n",
             "missing 'body'"},
            {"{\"format\":\"hardend-observations\",\"version\":1,\"crc32\":\"DA4EA2FE\","
             "\"body\":{\"services\":[]}}\n",
             "8 lowercase hex digits"},
            {"{\"format\":\"hardend-observations\",\"version\":1,\"crc32\":\"da4ea2fe\","
             "\"body\":{\"services\":[]},\"more\":1}\n",
             "unknown key 'more'"},
            {"{\"format\":\"hardend-observations\",\"version\":1,\"crc32\":\"da4ea2fe\","
             "\"body\":[]}\n",
             "body: must be an object"},
            {"{\"format\":\"hardend-observations\",\"format\":\"hardend-observations\","
             "\"version\":1,\"crc32\":\"da4ea2fe\",\"body\":{\"services\":[]}}\n",
             "not valid JSON"},
            {"{\"format\":\"hardend-observations\",\"version\":1,\"crc32\":\"da4ea2fe\","
             "\"body\":{\"services\":[]}}",
             "no final newline"},
        };
        json_t *body = json_loads(base_body, 0, NULL);

        for (size_t i = 0; i < ELEMENTSOF(wraps); i++) {
                _cleanup_free_ char *data =
                    wrap_json(wraps[i].format, wraps[i].version, body, wraps[i].good_crc);

                parse_refused(data, strlen(data), wraps[i].expect);
        }
        for (size_t i = 0; i < ELEMENTSOF(tops); i++)
                parse_refused(tops[i].text, strlen(tops[i].text), tops[i].expect);
        json_decref(body);
}
END_TEST

/* A string one byte past the cap once decoded; oversize files; a
 * directory in the file's place. */
START_TEST(test_hostile_shapes)
{
        _cleanup_(observations_freep) struct observations *o = NULL;
        _cleanup_free_ char *kept = NULL, *huge = NULL, *data = NULL, *ok = NULL;
        char *s = malloc(3 * OBSERVATION_STRING_MAX + 8);
        json_t *body = json_loads(base_body, 0, NULL), *key;
        struct scratch sc;
        struct diag_list d;

        key = json_array_get(
            json_object_get(json_array_get(json_object_get(body, "services"), 0), "observations"),
            0);
        /* At the cap, with every byte encoded: accepted. */
        for (size_t i = 0; i < OBSERVATION_STRING_MAX; i++)
                memcpy(s + 3 * i, "%FF", 3);
        s[3 * OBSERVATION_STRING_MAX] = '\0';
        json_object_set_new(key, "example_comm", json_string(s));
        ok = wrap_json("\"hardend-observations\"", "1", body, true);
        observations_free(parse_ok(ok, strlen(ok), 0));
        /* One more byte: refused. */
        strcpy(s + 3 * OBSERVATION_STRING_MAX, "x");
        json_object_set_new(key, "example_comm", json_string(s));
        data = wrap_json("\"hardend-observations\"", "1", body, true);
        parse_refused(data, strlen(data), "at most 1024 bytes");
        free(s);
        json_decref(body);

        scratch_open(&sc, "obsfile");
        huge = malloc(OBSERVATIONS_FILE_MAX + 1);
        memset(huge, ' ', OBSERVATIONS_FILE_MAX + 1);
        huge[OBSERVATIONS_FILE_MAX] = '\n';
        parse_refused(huge, OBSERVATIONS_FILE_MAX + 1, "larger than");
        assert_kept_aside(sc.fd, huge, OBSERVATIONS_FILE_MAX + 1, NOW);
        ck_assert_int_eq(mkdirat(sc.fd, OBSERVATIONS_FILE, 0700), 0);
        ck_assert_int_eq(diag_list_init(&d, OBSERVATIONS_FILE), 0);
        ck_assert_int_eq(observations_load(sc.fd, 0, NOW, &d, &o, &kept), 1);
        ck_assert_int_eq(faccessat(sc.fd, OBSERVATIONS_FILE, F_OK, 0), -1);
        ck_assert_int_eq(faccessat(sc.fd, kept, F_OK, 0), 0);
        diag_list_done(&d);
        scratch_close(&sc);
}
END_TEST

/* Two bad files at the same moment keep both; stale temporaries of a
 * crashed save are removed, others' files are not; no file is a first
 * start. */
START_TEST(test_load_housekeeping)
{
        _cleanup_free_ char *k1 = NULL, *k2 = NULL;
        struct observations *o = NULL;
        struct diag_list d;
        struct scratch sc;

        scratch_open(&sc, "obsfile");
        ck_assert_int_eq(diag_list_init(&d, OBSERVATIONS_FILE), 0);
        ck_assert_int_eq(observations_load(sc.fd, 0, NOW, &d, &o, &k1), 0);
        ck_assert_ptr_null(k1);
        ck_assert_uint_eq(observations_keys(o), 0);
        o = observations_free(o);
        write_at(sc.fd, OBSERVATIONS_FILE, "junk", 4);
        ck_assert_int_eq(observations_load(sc.fd, 0, NOW, &d, &o, &k1), 1);
        o = observations_free(o);
        write_at(sc.fd, OBSERVATIONS_FILE, "junk2", 5);
        ck_assert_int_eq(observations_load(sc.fd, 0, NOW, &d, &o, &k2), 1);
        o = observations_free(o);
        ck_assert_str_eq(k1, "observations.json.corrupt-20261122T140221.886123Z");
        ck_assert_str_eq(k2, "observations.json.corrupt-20261122T140221.886123Z-1");
        ck_assert_uint_eq(count_prefix(sc.fd, "observations.json.corrupt-"), 2);

        write_at(sc.fd, "observations.json.tmp.12345", "{", 1);
        write_at(sc.fd, "observations.json.tmp.1", "", 0);
        write_at(sc.fd, "state.json.tmp.1", "", 0);
        ck_assert_int_eq(observations_load(sc.fd, 0, NOW, &d, &o, NULL), 0);
        o = observations_free(o);
        ck_assert_uint_eq(count_prefix(sc.fd, "observations.json.tmp."), 0);
        ck_assert_uint_eq(count_prefix(sc.fd, "state.json.tmp."), 1);
        diag_list_done(&d);
        scratch_close(&sc);
}
END_TEST

/* ---- crashes ---- */

/* The child continues from what is on disk (the key's count is start - 1
 * there, or it gives up): it adds one event of a known key, saves, and reports that key's count on
 * the pipe once observations_save returned. Some 300 other keys make each save long enough for
 * kills to land inside it. */
static const char crash_record[] =
    "audit: type=1326 audit(1795356141.886:2): auid=4294967295 uid=0 gid=0 ses=4294967295 "
    "pid=3011 comm=\"api-server\" exe=\"/usr/local/bin/api-server\" sig=0 arch=c000003e "
    "syscall=39 compat=0 ip=0x7fade9c9f4e7 code=0x7ffc0000";

static uint64_t crash_count(struct observations *o)
{
        const struct observation *const *all;
        size_t n;

        all = observations_all(o, &n);
        for (size_t i = 0; i < n; i++)
                if (all[i]->kind == EVENT_SECCOMP && all[i]->syscall == 39 && all[i]->service &&
                    strcmp(all[i]->service, "api") == 0)
                        return all[i]->count;
        return 0;
}

static void crash_child(int dirfd, int wfd, uint64_t start)
{
        struct observations *o = NULL;
        struct audit_event *e = parse_record(crash_record);
        struct diag_list d;

        if (diag_list_init(&d, OBSERVATIONS_FILE) < 0 ||
            observations_load(dirfd, 0, NOW, &d, &o, NULL) != 0 || crash_count(o) != start - 1)
                _exit(2);
        if (observations_keys(o) == 0)
                for (int64_t nr = 100; nr < 400; nr++) {
                        e->seccomp.syscall = nr;
                        if (observations_add(o, e, "worker", "podman:0123456789ab") < 0)
                                _exit(3);
                }
        e->seccomp.syscall = 39;
        for (;;) {
                uint64_t v;

                e->stamp.sec++;
                if (observations_add(o, e, "api", "podman:aaa") < 0 ||
                    observations_save(dirfd, o) < 0)
                        _exit(4);
                v = crash_count(o);
                if (write(wfd, &v, sizeof(v)) != sizeof(v))
                        _exit(5);
        }
}

/* What the parent finds on disk after a kill. */
static uint64_t crash_loaded(int dirfd)
{
        _cleanup_(observations_freep) struct observations *o = NULL;
        struct diag_list d;
        uint64_t got;
        int r;

        ck_assert_int_eq(diag_list_init(&d, OBSERVATIONS_FILE), 0);
        r = observations_load(dirfd, 0, NOW, &d, &o, NULL);
        if (r != 0)
                diag_print(&d, stderr);
        ck_assert_int_eq(r, 0);
        diag_list_done(&d);
        got = crash_count(o);
        if (got > 0)
                ck_assert_uint_eq(observations_keys(o), 301);
        return got;
}

START_TEST(test_crash_loop)
{
        crash_loop_run(&(struct crash_loop){.name = "events-observations-file",
                                            .seed = 20261123,
                                            .iterations = 60,
                                            .file = OBSERVATIONS_FILE,
                                            .child = crash_child,
                                            .loaded = crash_loaded});
}
END_TEST

/* ---- last denial ---- */

/* observation_is_denial() agrees with audit_event_is_denial() for every
 * kind and verdict. */
START_TEST(test_is_denial_agrees)
{
        _cleanup_free_ struct audit_event *e = calloc(1, sizeof(*e));
        unsigned max[] = {[EVENT_SECCOMP] = _SECCOMP_EVENT_VERDICT_MAX,
                          [EVENT_APPARMOR] = _APPARMOR_VERDICT_MAX,
                          [EVENT_ABEND] = 1};
        size_t denials = 0;

        for (unsigned k = 0; k < _EVENT_KIND_MAX; k++)
                for (unsigned v = 0; v < max[k]; v++) {
                        struct observation ob = {.kind = (enum event_kind)k, .verdict = v};

                        e->kind = (enum event_kind)k;
                        if (k == EVENT_SECCOMP)
                                e->seccomp.verdict = (enum seccomp_event_verdict)v;
                        else if (k == EVENT_APPARMOR)
                                e->apparmor.verdict = (enum apparmor_verdict)v;
                        ck_assert_int_eq(observation_is_denial(&ob), audit_event_is_denial(e));
                        denials += observation_is_denial(&ob);
                }
        ck_assert_uint_eq(denials, 8); /* LOG ERRNO KILL_* TRAP; ALLOWED DENIED KILL */
}
END_TEST

static void add_at(struct observations *o, const char *record, const char *service, uint64_t sec,
                   int64_t syscall, int r)
{
        _cleanup_free_ struct audit_event *e = parse_record(record);

        e->stamp.sec = sec;
        e->stamp.msec = 0;
        if (e->kind == EVENT_SECCOMP)
                e->seccomp.syscall = syscall;
        ck_assert_int_eq(observations_add(o, e, service, NULL), r);
}

#define SECCOMP_LOG                                                                                \
        "audit: type=1326 audit(1.000:1): pid=1 comm=\"a\" exe=\"/a\" sig=0 arch=c000003e "        \
        "syscall=0 compat=0 ip=0x1 code=0x7ffc0000"
#define SECCOMP_ALLOW                                                                              \
        "audit: type=1326 audit(1.000:1): pid=1 comm=\"a\" exe=\"/a\" sig=0 arch=c000003e "        \
        "syscall=0 compat=0 ip=0x1 code=0x7fff0000"
#define APPARMOR_ALLOWED                                                                           \
        "audit: type=1400 audit(1.000:1): apparmor=\"ALLOWED\" operation=\"open\" profile=\"p\" "  \
        "name=\"/etc/x\" pid=2 comm=\"cat\" requested_mask=\"r\" denied_mask=\"r\""
#define APPARMOR_AUDIT                                                                             \
        "audit: type=1400 audit(1.000:1): apparmor=\"AUDIT\" operation=\"open\" profile=\"p\" "    \
        "name=\"/etc/y\" pid=2 comm=\"cat\" requested_mask=\"r\""

START_TEST(test_last_denial)
{
        _cleanup_(observations_freep) struct observations *o = NULL, *back = NULL;
        _cleanup_free_ char *data = NULL;
        uint64_t last = 99, keys = 99;
        const uint64_t S = 1000000;
        size_t size;

        ck_assert_int_eq(observations_new(4, &o), 0);
        ck_assert_int_eq(observations_last_denial(o, "api", 0, &last, &keys), 0);
        ck_assert_uint_eq(last, 0);
        ck_assert_uint_eq(keys, 0);

        add_at(o, SECCOMP_LOG, "api", 100, 1, 0);      /* denial, key 1 */
        add_at(o, SECCOMP_LOG, "api", 150, 1, 0);      /* key 1 again */
        add_at(o, APPARMOR_ALLOWED, "api", 120, 0, 0); /* would-be denial, key 2 */
        add_at(o, SECCOMP_ALLOW, "api", 500, 2, 0);    /* not a denial, key 3 */
        add_at(o, APPARMOR_AUDIT, "web", 600, 0, 0);   /* not a denial, key 4 */
        add_at(o, SECCOMP_LOG, "web", 50, 1, 1);       /* a denial over the cap */

        ck_assert_int_eq(observations_last_denial(o, "api", 0, &last, &keys), 1);
        ck_assert_uint_eq(last, 150 * S); /* the ALLOW at 500 is no denial */
        ck_assert_uint_eq(keys, 2);
        ck_assert_int_eq(observations_last_denial(o, "api", 121 * S, &last, &keys), 1);
        ck_assert_uint_eq(last, 150 * S);
        ck_assert_uint_eq(keys, 1); /* key 2 was last seen at 120 */
        ck_assert_int_eq(observations_last_denial(o, "api", 150 * S, &last, &keys), 1);
        ck_assert_uint_eq(keys, 1); /* "at or after" */
        ck_assert_int_eq(observations_last_denial(o, "api", 150 * S + 1, &last, &keys), 1);
        ck_assert_uint_eq(keys, 0);
        /* Over the cap: the time is kept, no key to count. */
        ck_assert_int_eq(observations_last_denial(o, "web", 0, &last, &keys), 1);
        ck_assert_uint_eq(last, 50 * S);
        ck_assert_uint_eq(keys, 0);
        ck_assert_int_eq(observations_last_denial(o, "db", 0, &last, &keys), 0);
        ck_assert_int_eq(observations_last_denial(o, NULL, 0, &last, &keys), 0);
        add_at(o, SECCOMP_LOG, NULL, 700, 1, 1);
        ck_assert_int_eq(observations_last_denial(o, NULL, 0, &last, &keys), 1);
        ck_assert_uint_eq(last, 700 * S);

        /* It survives a restart, over-cap time included. */
        data = format_ok(o, &size);
        back = parse_ok(data, size, 4);
        ck_assert_int_eq(observations_last_denial(back, "web", 0, &last, &keys), 1);
        ck_assert_uint_eq(last, 50 * S);
        ck_assert_int_eq(observations_last_denial(back, "api", 121 * S, &last, &keys), 1);
        ck_assert_uint_eq(last, 150 * S);
        ck_assert_uint_eq(keys, 1);
}
END_TEST

static Suite *events_observations_file_suite(void)
{
        Suite *s = suite_create("events-observations-file");
        TCase *tc = tcase_create("file"), *crash = tcase_create("crash"),
              *deny = tcase_create("last-denial");

        tcase_add_test(tc, test_round_trip);
        tcase_add_test(tc, test_canonical_body);
        tcase_add_test(tc, test_empty);
        tcase_add_test(tc, test_key_cap);
        tcase_add_loop_test(tc, test_restore_refuses, 0, (int)ELEMENTSOF(unrestorable));
        tcase_add_test(tc, test_restore_duplicate_and_long);
        tcase_add_test(tc, test_truncated_everywhere);
        tcase_add_test(tc, test_flipped_everywhere);
        tcase_add_test(tc, test_base_body_accepted);
        tcase_add_loop_test(tc, test_hostile, 0, (int)ELEMENTSOF(hostile));
        tcase_add_test(tc, test_hostile_top);
        tcase_add_test(tc, test_hostile_shapes);
        tcase_add_test(tc, test_load_housekeeping);
        tcase_set_timeout(tc, 60);
        suite_add_tcase(s, tc);
        tcase_add_test(crash, test_crash_loop);
        tcase_set_timeout(crash, 120);
        suite_add_tcase(s, crash);
        tcase_add_test(deny, test_is_denial_agrees);
        tcase_add_test(deny, test_last_denial);
        suite_add_tcase(s, deny);
        return s;
}

TEST_SUITE(events_observations_file_suite)
