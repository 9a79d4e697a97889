/* SPDX-License-Identifier: MIT */
/* The shortcuts the events pipeline takes for speed, held to what they
 * stand for:
 *   - de-duplication (audit-dedupe.h) against a plain model of its rule
 *     (two generations of AUDIT_DEDUPE_KEEP records, the older dropped
 *     whole when the newer fills), over streams in order, repeated,
 *     interleaved, with serials reused under other times and types;
 *   - observations' memo of service names by address: a name changed in
 *     place, at the same address, is another service;
 *   - keys of strings longer than OBSERVATION_STRING_MAX: cut, compared and
 *     hashed as cut;
 *   - the first-byte shortcuts of event_from_runtime();
 *   - the attributor's cache of names: more names than it holds still
 *     give each its own policy. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/macro.h"
#include "events/audit-dedupe.h"
#include "events/event-attribute.h"
#include "events/observations.h"
#include "policy/policy-set.h"
#include "testing.h"

/* --- de-duplication against a model ---------------------------------------- */

#define MODEL_OPS     (5u * AUDIT_DEDUPE_KEEP)
#define MODEL_BUCKETS 4093u

/* The rule of audit-dedupe.h, plainly: every record remembered with the
 * generation it went into; a generation holds AUDIT_DEDUPE_KEEP, and only
 * the current one and the one before it count. */
struct model_entry {
        unsigned type;
        struct audit_stamp stamp;
        unsigned gen;
        struct model_entry *next;
};

struct model {
        struct model_entry pool[MODEL_OPS];
        struct model_entry *buckets[MODEL_BUCKETS];
        size_t used, in_gen;
        unsigned gen;
};

static bool model_seen(struct model *m, unsigned type, struct audit_stamp s)
{
        size_t b = (size_t)((s.serial * 31u + s.sec * 7u + s.msec * 3u + type) % MODEL_BUCKETS);
        struct model_entry *e;

        if (s.serial == 0)
                return false;
        for (e = m->buckets[b]; e; e = e->next)
                if (e->type == type && audit_stamp_equal(e->stamp, s) &&
                    (e->gen == m->gen || e->gen + 1 == m->gen))
                        return true;
        if (m->in_gen == AUDIT_DEDUPE_KEEP) {
                m->gen++;
                m->in_gen = 0;
        }
        ck_assert_uint_lt(m->used, MODEL_OPS);
        e = &m->pool[m->used++];
        *e = (struct model_entry){.type = type, .stamp = s, .gen = m->gen, .next = m->buckets[b]};
        m->buckets[b] = e;
        m->in_gen++;
        return false;
}

/* Deterministic, so that a failure repeats. */
static uint64_t next_random(uint64_t *state)
{
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        return *state;
}

static const char *const stream_names[] = {
    "in order",
    "in order, every record twice",
    "two sources interleaved, the second behind",
    "serials reused under other times (reboots)",
    "few serials, many times and types (hostile)",
    "random jumps back and forth",
};

START_TEST(test_dedupe_model)
{
        static struct model m;
        struct audit_dedupe *d;
        uint64_t rnd = 0x9e3779b97f4a7c15ull + (uint64_t)_i, serial = 1000;
        const unsigned types[] = {1326, 1400, 1701, 1107};

        memset(&m, 0, sizeof(m));
        m.gen = 1;
        ck_assert_int_eq(audit_dedupe_new(&d), 0);
        for (unsigned i = 0; i < MODEL_OPS; i++) {
                struct audit_stamp s = {.sec = 1795356141 + i / 1000, .msec = i % 1000};
                unsigned type = types[next_random(&rnd) % 2];
                uint64_t r = next_random(&rnd);

                switch (_i) {
                case 0:
                        s.serial = serial++;
                        break;
                case 1:
                        s.serial = 1000 + i / 2;
                        s.sec = 1795356141 + (i / 2) / 1000;
                        s.msec = (i / 2) % 1000;
                        break;
                case 2:
                        /* A second source replays what the first saw a
                         * while ago, with the same stamps. */
                        if (i % 2 == 0)
                                s.serial = 1000 + i / 2;
                        else
                                s.serial = 1000 + (i / 2 > 3000 ? i / 2 - 3000 : 0);
                        s.sec = 1795356141 + s.serial / 1000;
                        s.msec = (uint32_t)(s.serial % 1000);
                        type = 1326;
                        break;
                case 3:
                        s.serial = 1 + i % 700;
                        s.sec = 1795356141 + (i / 700) * 100;
                        break;
                case 4:
                        s.serial = 1 + r % 5;
                        s.msec = (uint32_t)(r >> 8) % 1000;
                        type = types[(r >> 20) % 4];
                        break;
                default:
                        s.serial = r % 3 == 0 ? (r >> 16) % 20000 : serial++;
                        break;
                }
                ck_assert_msg(audit_dedupe_seen(d, type, s) == model_seen(&m, type, s),
                              "%s: record %u (serial %llu) answered differently", stream_names[_i],
                              i, (unsigned long long)s.serial);
        }
        audit_dedupe_free(d);
}
END_TEST

/* --- observations -------------------------------------------------------- */

static void seccomp_event(struct audit_event *e, int64_t nr, const char *comm, const char *exe)
{
        memset(e, 0, offsetof(struct audit_event, text));
        e->kind = EVENT_SECCOMP;
        e->type = AUDIT_TYPE_SECCOMP;
        e->stamp = (struct audit_stamp){.sec = 1795356141, .serial = 7};
        e->pid = 10;
        e->uid = e->gid = e->auid = e->ses = AUDIT_ID_UNSET;
        e->comm = comm;
        e->exe = exe;
        e->seccomp =
            (struct seccomp_event){.arch = 0xc000003e, .syscall = nr, .verdict = SECCOMP_EVENT_LOG};
}

static const struct service_counts *find_service(const struct observations *o, const char *name)
{
        const struct service_counts *sv;
        size_t n;

        sv = observations_services(o, &n);
        for (size_t i = 0; i < n; i++)
                if (sv[i].service && strcmp(sv[i].service, name) == 0)
                        return &sv[i];
        return NULL;
}

/* The memo goes by address, but a name is its bytes. */
START_TEST(test_observations_service_in_place)
{
        static struct audit_event e;
        struct observations *o;
        char name[16] = "api";
        const struct service_counts *sc;
        const struct observation **all;
        size_t n;

        ck_assert_int_eq(observations_new(0, &o), 0);
        seccomp_event(&e, 101, "comm", "/usr/bin/x");
        ck_assert_int_eq(observations_add(o, &e, name, NULL), 0);
        ck_assert_int_eq(observations_add(o, &e, name, NULL), 0);
        strcpy(name, "web");
        ck_assert_int_eq(observations_add(o, &e, name, NULL), 0);
        strcpy(name, "apx"); /* same first byte as "api" */
        ck_assert_int_eq(observations_add(o, &e, name, NULL), 0);
        /* More names than the memo holds, asked for again and again. */
        for (int round = 0; round < 3; round++)
                for (int k = 0; k < 20; k++) {
                        snprintf(name, sizeof(name), "svc%d", k);
                        ck_assert_int_eq(observations_add(o, &e, name, NULL), 0);
                }
        /* Listing the services sorts them: what the memo knew moves. */
        strcpy(name, "zzz");
        ck_assert_int_eq(observations_add(o, &e, name, NULL), 0);
        (void)observations_services(o, &n);
        strcpy(name, "api");
        ck_assert_int_eq(observations_add(o, &e, name, NULL), 0);
        strcpy(name, "zzz");
        ck_assert_int_eq(observations_add(o, &e, name, NULL), 0);
        ck_assert_uint_eq((sc = find_service(o, "zzz")) ? sc->events : 0, 2);
        ck_assert_uint_eq((sc = find_service(o, "api")) ? sc->events : 0, 3);
        ck_assert_uint_eq((sc = find_service(o, "web")) ? sc->events : 0, 1);
        ck_assert_uint_eq((sc = find_service(o, "apx")) ? sc->events : 0, 1);
        for (int k = 0; k < 20; k++) {
                snprintf(name, sizeof(name), "svc%d", k);
                ck_assert_uint_eq((sc = find_service(o, name)) ? sc->events : 0, 3);
        }
        observations_list(o, &all, &n);
        ck_assert_uint_eq(n, 24); /* one key per service */
        for (size_t i = 0; i < n; i++) {
                ck_assert_ptr_nonnull(all[i]->service);
                ck_assert_uint_eq(all[i]->count, strncmp(all[i]->service, "svc", 3) == 0 ? 3
                                                 : strcmp(all[i]->service, "api") == 0   ? 3
                                                 : strcmp(all[i]->service, "zzz") == 0   ? 2
                                                                                         : 1);
        }
        observations_free(o);
}
END_TEST

/* The memo's entry for one name, at an index another name has since the
 * services were sorted, is not that other name's. */
START_TEST(test_observations_service_sorted)
{
        static struct audit_event e;
        struct observations *o;
        char name[16] = "zzz";
        const struct observation **all;
        size_t n;

        ck_assert_int_eq(observations_new(0, &o), 0);
        seccomp_event(&e, 101, "comm", "/usr/bin/x");
        ck_assert_int_eq(observations_add(o, &e, name, NULL), 0);
        strcpy(name, "aaa");
        ck_assert_int_eq(observations_add(o, &e, name, NULL), 0);
        (void)observations_services(o, &n); /* aaa first now, where zzz was */
        ck_assert_int_eq(observations_add(o, &e, name, NULL), 0);
        observations_list(o, &all, &n);
        ck_assert_uint_eq(n, 2);
        ck_assert_str_eq(all[0]->service, "aaa");
        ck_assert_uint_eq(all[0]->count, 2);
        ck_assert_str_eq(all[1]->service, "zzz");
        ck_assert_uint_eq(all[1]->count, 1);
        ck_assert_uint_eq(find_service(o, "aaa")->events, 2);
        observations_free(o);
}
END_TEST

/* Strings over the cap are kept cut: strings that differ only past the cut
 * are one key, strings that differ before it are two, a string exactly at
 * the cap is not the cut form of a longer one. */
START_TEST(test_observations_cut_keys)
{
        static struct audit_event e;
        static char a[3000], b[3000], c[3000], exact[OBSERVATION_STRING_MAX + 1];
        struct observations *o;
        const struct observation **all;
        size_t n;

        memset(a, 'a', sizeof(a) - 1);
        a[0] = '/';
        memcpy(b, a, sizeof(b));
        b[2000] = 'b'; /* past the cut */
        memcpy(c, a, sizeof(c));
        c[10] = 'c'; /* before it */
        memcpy(exact, a, OBSERVATION_STRING_MAX - 3);
        memcpy(exact + OBSERVATION_STRING_MAX - 3, "...", 4);

        ck_assert_int_eq(observations_new(0, &o), 0);
        memset(&e, 0, offsetof(struct audit_event, text));
        e.kind = EVENT_APPARMOR;
        e.type = AUDIT_TYPE_AVC;
        e.stamp = (struct audit_stamp){.sec = 1795356141, .serial = 9};
        e.apparmor = (struct apparmor_event){
            .verdict = APPARMOR_DENIED, .operation = "open", .capability = -1};
        e.apparmor.name = a;
        ck_assert_int_eq(observations_add(o, &e, a, NULL), 0);
        e.apparmor.name = b;
        ck_assert_int_eq(observations_add(o, &e, b, NULL), 0);
        e.apparmor.name = c;
        ck_assert_int_eq(observations_add(o, &e, a, NULL), 0);
        /* The cut form itself, as a service and as a path: the same key as
         * the long strings cut to it. */
        e.apparmor.name = exact;
        ck_assert_int_eq(observations_add(o, &e, exact, NULL), 0);
        observations_list(o, &all, &n);
        ck_assert_uint_eq(n, 2);
        ck_assert_uint_eq(all[0]->count, 3);
        ck_assert_str_eq(all[0]->object, exact);
        ck_assert_str_eq(all[0]->service, exact);
        ck_assert_uint_eq(all[1]->count, 1);
        ck_assert_uint_eq(strlen(all[1]->object), OBSERVATION_STRING_MAX);
        ck_assert_uint_eq(find_service(o, exact)->events, 4);
        observations_free(o);
}
END_TEST

static const struct {
        const char *comm, *exe;
        bool runtime;
} runtime_cases[] = {
    {"runc:[2:INIT]", "/usr/bin/runc", true},
    {"runc:[1:CHILD]", NULL, true},
    {"runc", "/usr/bin/x", false},
    {"r", "/memfd:runc_cloned:/proc/self/exe (deleted)", true},
    {"x", "/memfd:other", false},
    {"x", "/m", false},
    {"x", "runc", true},
    {"x", "/usr/local/sbin/crun", true},
    {"x", "/usr/bin/youki", true},
    {"x", "/usr/bin/runsc", true},
    {"x", "/usr/bin/runsc2", false},
    {"x", "/usr/bin/run", false},
    {"x", "/usr/bin/", false},
    {"x", "/usr/bin/rune", false},
    {"", "", false},
    {NULL, NULL, false},
};

START_TEST(test_event_from_runtime)
{
        static struct audit_event e;

        seccomp_event(&e, 1, runtime_cases[_i].comm, runtime_cases[_i].exe);
        ck_assert_msg(event_from_runtime(&e) == runtime_cases[_i].runtime, "case %d", _i);
        e.kind = EVENT_ABEND;
        ck_assert(!event_from_runtime(&e));
}
END_TEST

/* --- the attributor's cache of names ----------------------------------------- */

START_TEST(test_attribute_many_names)
{
        static struct audit_event e;
        struct policy_set policies = {0};
        struct attributor *a;
        char exe[64];

        ck_assert_int_eq(policy_set_load_dir(test_path("profiles"), &policies, NULL, NULL), 0);
        ck_assert_int_eq(
            attributor_new(
                &(struct attributor_config){.policies = &policies, .proc_fd = -1, .root_fd = -1},
                &a),
            0);
        /* 300 executables no policy names, between those of the shipped
         * services: every answer stays right while the cache turns over. */
        for (int round = 0; round < 3; round++)
                for (int k = 0; k < 300; k++) {
                        const struct attribution *r;

                        snprintf(exe, sizeof(exe), "/opt/other/tool-%d", k);
                        seccomp_event(&e, 1, "x", exe);
                        r = attributor_attribute(a, &e, false, 0);
                        ck_assert_ptr_nonnull(r);
                        ck_assert_ptr_null(r->service);
                        seccomp_event(&e, 1, "x", "/usr/local/bin/api-server");
                        r = attributor_attribute(a, &e, false, 0);
                        ck_assert_ptr_nonnull(r);
                        ck_assert_ptr_nonnull(r->service);
                        ck_assert_str_eq(r->service, "api");
                        ck_assert_int_eq(r->how, ATTRIBUTED_EXECUTABLE);
                }
        attributor_free(a);
        policy_set_done(&policies);
}
END_TEST

static Suite *events_hotpath_suite(void)
{
        Suite *s = suite_create("events-hotpath");
        TCase *tc = tcase_create("hotpath");

        tcase_add_loop_test(tc, test_dedupe_model, 0, (int)ELEMENTSOF(stream_names));
        tcase_add_test(tc, test_observations_service_in_place);
        tcase_add_test(tc, test_observations_service_sorted);
        tcase_add_test(tc, test_observations_cut_keys);
        tcase_add_loop_test(tc, test_event_from_runtime, 0, (int)ELEMENTSOF(runtime_cases));
        tcase_add_test(tc, test_attribute_many_names);
        suite_add_tcase(s, tc);
        return s;
}

TEST_SUITE(events_hotpath_suite)
