/* SPDX-License-Identifier: MIT */
/* The persistent state (control/state.h) and the change log
 * (control/changelog.h): round trips, every kind of damaged state file
 * (cut at every offset, a flipped byte at every offset, wrong version,
 * wrong checksum, missing and hostile fields) is kept aside and replaced by
 * an empty state, a child saving in a loop is SIGKILLed at random moments
 * and the file is always the last acknowledged state or the one being
 * written, and torn change-log lines are skipped and counted. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "base/fileio.h"
#include "base/macro.h"
#include "control/changelog.h"
#include "control/state-crc32.h"
#include "control/state.h"
#include "state-dir-fixture.h"
#include "testing.h"

#define NOW 1795356141886123ull /* 2026-11-22T... UTC, any fixed time */

static const struct state_peer policy_peer = {.policy = true};
static const struct state_peer ctl_peer = {.uid = 0, .pid = 4242, .comm = "hardenctl"};

/* A state with three services, both kinds of "who", and cursors. */
static struct hardend_state *sample_state(void)
{
        struct hardend_state *s = state_new();

        ck_assert_ptr_nonnull(s);
        ck_assert_int_eq(state_set_mode(s, "web", POLICY_MODE_MONITOR, NOW - 5, &policy_peer), 0);
        ck_assert_int_eq(state_set_mode(s, "api", POLICY_MODE_ENFORCE, NOW, &ctl_peer), 0);
        ck_assert_int_eq(
            state_set_mode(s, "db-2", POLICY_MODE_ENFORCE, 1,
                           &(struct state_peer){.uid = 1000, .pid = 1, .comm = "a\"b\\c"}),
            0);
        ck_assert_int_eq(state_set_journal_cursor(
                             s, "s=739ad463348b4ceca5a9e69c95a3c93f;i=4ece7;b=6c7c6013a8454a3c;"
                                "m=5d6c7b;t=5a4ad3c0cb10e;x=f3a8b6c3e8ed1a6b"),
                         0);
        state_set_audit_cursor(s, 4294967295ull, NOW);
        return s;
}

static char *sample_bytes(size_t *ret_size)
{
        _cleanup_state_ struct hardend_state *s = sample_state();
        char *data;

        ck_assert_int_eq(state_format(s, &data, ret_size), 0);
        return data;
}

static void assert_states_equal(const struct hardend_state *a, const struct hardend_state *b)
{
        ck_assert_uint_eq(a->n_services, b->n_services);
        for (size_t i = 0; i < a->n_services; i++) {
                const struct state_service *x = &a->services[i], *y = &b->services[i];

                ck_assert_str_eq(x->name, y->name);
                ck_assert_int_eq(x->mode, y->mode);
                ck_assert_uint_eq(x->since_usec, y->since_usec);
                ck_assert_int_eq(x->who.policy, y->who.policy);
                ck_assert_uint_eq(x->who.uid, y->who.uid);
                ck_assert_uint_eq(x->who.pid, y->who.pid);
                ck_assert_str_eq(x->who.comm, y->who.comm);
        }
        ck_assert_str_eq(a->cursors.journal, b->cursors.journal);
        ck_assert_uint_eq(a->cursors.audit_serial, b->cursors.audit_serial);
        ck_assert_uint_eq(a->cursors.audit_stamp_usec, b->cursors.audit_stamp_usec);
}

/* Parses bytes that must be refused; returns how many diagnostics. */
static size_t parse_refused(const char *data, size_t size)
{
        struct diag_list d;
        struct hardend_state *s = NULL;
        size_t n;

        ck_assert_int_eq(diag_list_init(&d, STATE_FILE), 0);
        ck_assert_int_eq(state_parse(data, size, &d, &s), -EINVAL);
        ck_assert_ptr_null(s);
        ck_assert(diag_has_errors(&d));
        n = d.n;
        diag_list_done(&d);
        return n;
}

START_TEST(test_crc32)
{
        ck_assert_uint_eq(state_crc32("123456789", 9), 0xcbf43926u);
        ck_assert_uint_eq(state_crc32("", 0), 0);
        ck_assert_uint_eq(state_crc32("a", 1), 0xe8b7be43u);
}
END_TEST

static const struct {
        const char *name;
        bool valid;
} name_cases[] = {
    {"a", true},
    {"api", true},
    {"db-2", true},
    {"a123456789012345678901234567890123456789012345678901234567890bc", true}, /* 63 */
    {"a1234567890123456789012345678901234567890123456789012345678901bc", false},
    {"", false},
    {"1api", false},
    {"-api", false},
    {"Api", false},
    {"api_v2", false},
    {"api.service", false},
    {"api/..", false},
    {"a pi", false},
};

START_TEST(test_names)
{
        ck_assert_int_eq(state_service_name_valid(name_cases[_i].name), name_cases[_i].valid);
}
END_TEST

START_TEST(test_set_find_remove)
{
        _cleanup_state_ struct hardend_state *s = state_new();
        struct state_peer weird = {.uid = 7, .pid = 8, .comm = "x\x01y\xffz"};
        char name[16], cursor[STATE_CURSOR_MAX + 2];
        const struct state_service *svc;

        ck_assert_int_eq(state_set_mode(s, "zeta", POLICY_MODE_MONITOR, 10, &policy_peer), 0);
        ck_assert_int_eq(state_set_mode(s, "alpha", POLICY_MODE_ENFORCE, 20, &weird), 0);
        ck_assert_int_eq(state_set_mode(s, "mid", POLICY_MODE_ENFORCE, 30, &ctl_peer), 0);
        ck_assert_str_eq(s->services[0].name, "alpha");
        ck_assert_str_eq(s->services[1].name, "mid");
        ck_assert_str_eq(s->services[2].name, "zeta");
        svc = state_find(s, "alpha");
        ck_assert_ptr_nonnull(svc);
        ck_assert_str_eq(svc->who.comm, "x?y?z");
        /* Updating keeps one entry and replaces who. */
        ck_assert_int_eq(state_set_mode(s, "alpha", POLICY_MODE_MONITOR, 40, &policy_peer), 0);
        ck_assert_uint_eq(s->n_services, 3);
        svc = state_find(s, "alpha");
        ck_assert_int_eq(svc->mode, POLICY_MODE_MONITOR);
        ck_assert(svc->who.policy);
        ck_assert_str_eq(svc->who.comm, "");
        ck_assert_ptr_null(state_find(s, "nope"));
        ck_assert_int_eq(state_remove(s, "mid"), 0);
        ck_assert_int_eq(state_remove(s, "mid"), -ENOENT);
        ck_assert_uint_eq(s->n_services, 2);
        ck_assert_str_eq(s->services[1].name, "zeta");

        ck_assert_int_eq(state_set_mode(s, "Bad", POLICY_MODE_MONITOR, 1, &policy_peer), -EINVAL);
        ck_assert_int_eq(state_set_mode(s, "ok", _POLICY_MODE_MAX, 1, &policy_peer), -EINVAL);
        ck_assert_int_eq(state_set_mode(s, "ok", POLICY_MODE_MONITOR, UINT64_MAX, &policy_peer),
                         -EINVAL);

        /* The cap on services. */
        for (unsigned i = 0; s->n_services < STATE_SERVICES_MAX; i++) {
                snprintf(name, sizeof(name), "s%u", i);
                ck_assert_int_eq(state_set_mode(s, name, POLICY_MODE_MONITOR, i, &policy_peer), 0);
        }
        ck_assert_int_eq(state_set_mode(s, "one-more", POLICY_MODE_MONITOR, 1, &policy_peer),
                         -E2BIG);
        ck_assert_int_eq(state_set_mode(s, "zeta", POLICY_MODE_ENFORCE, 1, &policy_peer), 0);

        /* Cursors: bounded, printable. */
        memset(cursor, 'c', STATE_CURSOR_MAX);
        cursor[STATE_CURSOR_MAX] = '\0';
        ck_assert_int_eq(state_set_journal_cursor(s, cursor), 0);
        cursor[STATE_CURSOR_MAX] = 'c';
        cursor[STATE_CURSOR_MAX + 1] = '\0';
        ck_assert_int_eq(state_set_journal_cursor(s, cursor), -EINVAL);
        ck_assert_int_eq(state_set_journal_cursor(s, "a\nb"), -EINVAL);
        ck_assert_uint_eq(strlen(s->cursors.journal), STATE_CURSOR_MAX);
}
END_TEST

START_TEST(test_round_trip)
{
        _cleanup_state_ struct hardend_state *s = sample_state(), *back = NULL, *loaded = NULL;
        _cleanup_free_ char *data = NULL, *again = NULL, *golden = NULL, *kept = NULL;
        size_t size, size2, gsize;
        struct diag_list d;
        struct scratch sc;
        struct stat st;

        ck_assert_int_eq(state_format(s, &data, &size), 0);
        ck_assert_uint_eq(strlen(data), size);
        ck_assert_int_eq(diag_list_init(&d, STATE_FILE), 0);
        ck_assert_int_eq(state_parse(data, size, &d, &back), 0);
        ck_assert(!diag_has_errors(&d));
        assert_states_equal(s, back);
        /* Canonical: printing what was parsed gives the same bytes. */
        ck_assert_int_eq(state_format(back, &again, &size2), 0);
        ck_assert_str_eq(data, again);
        /* And the same bytes as the fixture (the format is stable). */
        ck_assert_int_eq(read_file_bounded(AT_FDCWD, test_path("tests/fixtures/state/sample.json"),
                                           1 << 20, &golden, &gsize),
                         0);
        ck_assert_str_eq(data, golden);

        /* Through the directory: first start, save, load. */
        scratch_open(&sc, "state");
        ck_assert_int_eq(state_load(sc.fd, NOW, &d, &loaded, &kept), 0);
        ck_assert_uint_eq(loaded->n_services, 0);
        ck_assert_ptr_null(kept);
        loaded = state_free(loaded);
        ck_assert_int_eq(state_save(sc.fd, s), 0);
        ck_assert_int_eq(fstatat(sc.fd, STATE_FILE, &st, 0), 0);
        ck_assert_uint_eq(st.st_mode & 07777, 0600);
        ck_assert_int_eq(state_load(sc.fd, NOW, &d, &loaded, &kept), 0);
        assert_states_equal(s, loaded);
        ck_assert(!diag_has_errors(&d));
        ck_assert_uint_eq(count_prefix(sc.fd, STATE_FILE ".tmp."), 0);
        diag_list_done(&d);
        scratch_close(&sc);
}
END_TEST

/* A file that cannot be parsed goes aside, byte for byte, and the state
 * starts empty. */
static void assert_kept_aside(int dirfd, const char *data, size_t size, uint64_t now)
{
        _cleanup_state_ struct hardend_state *s = NULL;
        _cleanup_free_ char *kept = NULL;
        struct diag_list d;

        write_at(dirfd, STATE_FILE, data, size);
        ck_assert_int_eq(diag_list_init(&d, STATE_FILE), 0);
        ck_assert_int_eq(state_load(dirfd, now, &d, &s, &kept), 1);
        ck_assert(diag_has_errors(&d));
        diag_list_done(&d);
        ck_assert_ptr_nonnull(s);
        ck_assert_uint_eq(s->n_services, 0);
        ck_assert_str_eq(s->cursors.journal, "");
        assert_kept_copy(dirfd, STATE_FILE, kept, data, size);
}

START_TEST(test_truncated_everywhere)
{
        _cleanup_free_ char *data = NULL;
        struct scratch sc;
        size_t size;

        data = sample_bytes(&size);
        for (size_t cut = 0; cut < size; cut++)
                parse_refused(data, cut);
        /* Through state_load for a spread of offsets (every byte would only
         * repeat the parser loop above with more file I/O). */
        scratch_open(&sc, "state");
        for (size_t cut = 0; cut < size; cut += 7)
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

        data = sample_bytes(&size);
        for (size_t m = 0; m < ELEMENTSOF(masks); m++)
                for (size_t i = 0; i < size; i++) {
                        data[i] ^= (char)masks[m];
                        parse_refused(data, size);
                        data[i] ^= (char)masks[m];
                }
}
END_TEST

/* Wraps a body (JSON text) into a file with a correct checksum, so the
 * field checks, not the checksum, must refuse it. */
static char *wrap_body(const char *format, const char *version, const char *body_text,
                       bool good_crc)
{
        json_error_t jerr;
        /* ALLOW_NUL so that a body with \u0000 gets its checksum too. */
        json_t *body = json_loads(body_text, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
        char *canon, *out;
        uint32_t crc;

        ck_assert_msg(body != NULL, "bad test body: %s", jerr.text);
        canon = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
        ck_assert_ptr_nonnull(canon);
        crc = state_crc32(canon, strlen(canon)) ^ (good_crc ? 0 : 1);
        ck_assert_int_ge(asprintf(&out,
                                  "{\"format\":%s,\"version\":%s,\"crc32\":\"%08x\",\"body\":%s}\n",
                                  format, version, crc, body_text),
                         0);
        free(canon);
        json_decref(body);
        return out;
}

#define CURSORS      "\"cursors\":{\"journal\":\"\",\"audit_serial\":0,\"audit_stamp_usec\":0}"
#define SVC(fields)  "{\"services\":[" fields "]," CURSORS "}"
#define GOOD_BY      "\"by\":{\"uid\":0,\"pid\":1,\"comm\":\"x\"}"
#define ONE(n, m, s) "{\"name\":" n ",\"mode\":" m ",\"since\":" s "," GOOD_BY "}"

static const struct {
        const char *format, *version, *body;
        bool good_crc;
} hostile[] = {
    /* The control: accepted (checked in test_hostile_control). */
    {"\"hardend-state\"", "1", SVC(ONE("\"api\"", "\"enforce\"", "5")), true},
    /* Wrong checksum, format name, version. */
    {"\"hardend-state\"", "1", SVC(ONE("\"api\"", "\"enforce\"", "5")), false},
    {"\"hardend-stat\"", "1", SVC(""), true},
    {"1", "1", SVC(""), true},
    {"\"hardend-state\"", "2", SVC(""), true},
    {"\"hardend-state\"", "0", SVC(""), true},
    {"\"hardend-state\"", "\"1\"", SVC(""), true},
    {"\"hardend-state\"", "1.0", SVC(""), true},
    /* Body shape. */
    {"\"hardend-state\"", "1", "[]", true},
    {"\"hardend-state\"", "1", "\"audit_serial\"", true}, /* found by fuzz-state */
    {"\"hardend-state\"", "1", "7", true},
    {"\"hardend-state\"", "1", "null", true},
    {"\"hardend-state\"", "1", "{}", true},
    {"\"hardend-state\"", "1", "{\"services\":[]}", true},
    {"\"hardend-state\"", "1", "{" CURSORS "}", true},
    {"\"hardend-state\"", "1", "{\"services\":{}," CURSORS "}", true},
    {"\"hardend-state\"", "1", "{\"services\":[],\"extra\":1," CURSORS "}", true},
    {"\"hardend-state\"", "1", "{\"services\":[],\"cursors\":{}}", true},
    {"\"hardend-state\"", "1", "{\"services\":[],\"cursors\":null}", true},
    /* Service fields: missing, unknown, wrong type, hostile values. */
    {"\"hardend-state\"", "1", SVC("{\"mode\":\"enforce\",\"since\":1," GOOD_BY "}"), true},
    {"\"hardend-state\"", "1", SVC("{\"name\":\"api\",\"since\":1," GOOD_BY "}"), true},
    {"\"hardend-state\"", "1", SVC("{\"name\":\"api\",\"mode\":\"enforce\"," GOOD_BY "}"), true},
    {"\"hardend-state\"", "1", SVC("{\"name\":\"api\",\"mode\":\"enforce\",\"since\":1}"), true},
    {"\"hardend-state\"", "1",
     SVC("{\"name\":\"api\",\"mode\":\"enforce\",\"since\":1,\"x\":1," GOOD_BY "}"), true},
    {"\"hardend-state\"", "1", SVC("1"), true},
    {"\"hardend-state\"", "1", SVC("null"), true},
    {"\"hardend-state\"", "1", SVC(ONE("\"Api\"", "\"enforce\"", "1")), true},
    {"\"hardend-state\"", "1", SVC(ONE("\"\"", "\"enforce\"", "1")), true},
    {"\"hardend-state\"", "1", SVC(ONE("\"../etc\"", "\"enforce\"", "1")), true},
    {"\"hardend-state\"", "1", SVC(ONE("\"a\\u0000b\"", "\"enforce\"", "1")), true},
    {"\"hardend-state\"", "1",
     SVC(ONE("\"a1234567890123456789012345678901234567890123456789012345678901bc\"", "\"enforce\"",
             "1")),
     true},
    {"\"hardend-state\"", "1", SVC(ONE("7", "\"enforce\"", "1")), true},
    {"\"hardend-state\"", "1", SVC(ONE("\"api\"", "\"audit\"", "1")), true},
    {"\"hardend-state\"", "1", SVC(ONE("\"api\"", "\"ENFORCE\"", "1")), true},
    {"\"hardend-state\"", "1", SVC(ONE("\"api\"", "1", "1")), true},
    {"\"hardend-state\"", "1", SVC(ONE("\"api\"", "\"enforce\"", "-1")), true},
    {"\"hardend-state\"", "1", SVC(ONE("\"api\"", "\"enforce\"", "1.5")), true},
    {"\"hardend-state\"", "1", SVC(ONE("\"api\"", "\"enforce\"", "\"1\"")), true},
    {"\"hardend-state\"", "1", SVC(ONE("\"api\"", "\"enforce\"", "true")), true},
    /* Duplicates and disorder. */
    {"\"hardend-state\"", "1",
     SVC(ONE("\"api\"", "\"enforce\"", "1") "," ONE("\"api\"", "\"monitor\"", "2")), true},
    {"\"hardend-state\"", "1",
     SVC(ONE("\"db\"", "\"enforce\"", "1") "," ONE("\"api\"", "\"monitor\"", "2")), true},
    /* who */
    {"\"hardend-state\"", "1",
     SVC("{\"name\":\"api\",\"mode\":\"enforce\",\"since\":1,\"by\":\"root\"}"), true},
    {"\"hardend-state\"", "1",
     SVC("{\"name\":\"api\",\"mode\":\"enforce\",\"since\":1,\"by\":null}"), true},
    {"\"hardend-state\"", "1",
     SVC("{\"name\":\"api\",\"mode\":\"enforce\",\"since\":1,\"by\":{\"uid\":0,\"pid\":1}}"), true},
    {"\"hardend-state\"", "1",
     SVC("{\"name\":\"api\",\"mode\":\"enforce\",\"since\":1,"
         "\"by\":{\"uid\":4294967296,\"pid\":1,\"comm\":\"x\"}}"),
     true},
    {"\"hardend-state\"", "1",
     SVC("{\"name\":\"api\",\"mode\":\"enforce\",\"since\":1,"
         "\"by\":{\"uid\":0,\"pid\":-1,\"comm\":\"x\"}}"),
     true},
    {"\"hardend-state\"", "1",
     SVC("{\"name\":\"api\",\"mode\":\"enforce\",\"since\":1,"
         "\"by\":{\"uid\":0,\"pid\":2147483648,\"comm\":\"x\"}}"),
     true},
    {"\"hardend-state\"", "1",
     SVC("{\"name\":\"api\",\"mode\":\"enforce\",\"since\":1,"
         "\"by\":{\"uid\":0,\"pid\":1,\"comm\":\"0123456789abcdef\"}}"),
     true},
    {"\"hardend-state\"", "1",
     SVC("{\"name\":\"api\",\"mode\":\"enforce\",\"since\":1,"
         "\"by\":{\"uid\":0,\"pid\":1,\"comm\":\"a\\u001bb\"}}"),
     true},
    {"\"hardend-state\"", "1",
     SVC("{\"name\":\"api\",\"mode\":\"enforce\",\"since\":1,"
         "\"by\":{\"uid\":0,\"pid\":1,\"comm\":\"\\u00e9\"}}"),
     true},
    /* Cursors. */
    {"\"hardend-state\"", "1",
     "{\"services\":[],\"cursors\":{\"journal\":\"\",\"audit_serial\":4294967296,"
     "\"audit_stamp_usec\":0}}",
     true},
    {"\"hardend-state\"", "1",
     "{\"services\":[],\"cursors\":{\"journal\":\"\",\"audit_serial\":0,"
     "\"audit_stamp_usec\":-5}}",
     true},
    {"\"hardend-state\"", "1",
     "{\"services\":[],\"cursors\":{\"journal\":\"a\\nb\",\"audit_serial\":0,"
     "\"audit_stamp_usec\":0}}",
     true},
    {"\"hardend-state\"", "1",
     "{\"services\":[],\"cursors\":{\"journal\":5,\"audit_serial\":0,\"audit_stamp_usec\":0}}",
     true},
};

START_TEST(test_hostile_control)
{
        _cleanup_free_ char *data =
            wrap_body(hostile[0].format, hostile[0].version, hostile[0].body, hostile[0].good_crc);
        _cleanup_state_ struct hardend_state *s = NULL;
        struct diag_list d;

        ck_assert_int_eq(diag_list_init(&d, STATE_FILE), 0);
        ck_assert_int_eq(state_parse(data, strlen(data), &d, &s), 0);
        ck_assert_str_eq(s->services[0].name, "api");
        diag_list_done(&d);
}
END_TEST

START_TEST(test_hostile)
{
        _cleanup_free_ char *data = wrap_body(hostile[_i].format, hostile[_i].version,
                                              hostile[_i].body, hostile[_i].good_crc);
        struct scratch sc;

        parse_refused(data, strlen(data));
        scratch_open(&sc, "state");
        assert_kept_aside(sc.fd, data, strlen(data), NOW);
        scratch_close(&sc);
}
END_TEST

/* Not the state's own shape at the top level, too many services, a huge
 * cursor, oversize files, a directory in the file's place, duplicate keys. */
START_TEST(test_hostile_shapes)
{
        static const char *const tops[] = {
            "[]\n",
            "null\n",
            "\"x\"\n",
            "{}\n",
            "{\"format\":\"hardend-state\",\"version\":1,\"crc32\":\"00000000\"}\n",
            "{\"format\":\"hardend-state\",\"version\":1,\"crc32\":\"ABCDEF12\",\"body\":{}}\n",
            "{\"format\":\"hardend-state\",\"version\":1,\"crc32\":\"0\",\"body\":{}}\n",
            "{\"format\":\"hardend-state\",\"format\":\"hardend-state\",\"version\":1}\n",
            "{\"format\":\"hardend-state\",\"version\":1,\"crc32\":\"00000000\",\"body\":{},"
            "\"more\":1}\n",
        };
        _cleanup_free_ char *many = NULL, *big_cursor = NULL, *data = NULL, *huge = NULL;
        _cleanup_state_ struct hardend_state *s = NULL;
        _cleanup_free_ char *kept = NULL;
        struct scratch sc;
        struct diag_list d;
        size_t len = 0;

        for (size_t i = 0; i < ELEMENTSOF(tops); i++)
                parse_refused(tops[i], strlen(tops[i]));

        /* 1025 services, valid otherwise. */
        many = malloc(1025 * 100 + 200);
        len += (size_t)sprintf(many + len, "{\"services\":[");
        for (unsigned i = 0; i <= STATE_SERVICES_MAX; i++)
                len += (size_t)sprintf(many + len,
                                       "%s{\"name\":\"s%05u\",\"mode\":\"monitor\",\"since\":1,"
                                       "\"by\":\"policy\"}",
                                       i ? "," : "", i);
        sprintf(many + len, "]," CURSORS "}");
        data = wrap_body("\"hardend-state\"", "1", many, true);
        parse_refused(data, strlen(data));
        free(data);

        big_cursor = malloc(STATE_CURSOR_MAX + 200);
        len = (size_t)sprintf(big_cursor, "{\"services\":[],\"cursors\":{\"journal\":\"");
        memset(big_cursor + len, 'c', STATE_CURSOR_MAX + 1);
        sprintf(big_cursor + len + STATE_CURSOR_MAX + 1,
                "\",\"audit_serial\":0,\"audit_stamp_usec\":0}}");
        data = wrap_body("\"hardend-state\"", "1", big_cursor, true);
        parse_refused(data, strlen(data));

        scratch_open(&sc, "state");
        /* Larger than the cap: refused before parsing, still kept aside. */
        huge = malloc(STATE_FILE_MAX + 1);
        memset(huge, ' ', STATE_FILE_MAX + 1);
        assert_kept_aside(sc.fd, huge, STATE_FILE_MAX + 1, NOW);
        /* A directory where the file should be. */
        ck_assert_int_eq(mkdirat(sc.fd, STATE_FILE, 0700), 0);
        ck_assert_int_eq(diag_list_init(&d, STATE_FILE), 0);
        ck_assert_int_eq(state_load(sc.fd, NOW, &d, &s, &kept), 1);
        ck_assert_int_eq(faccessat(sc.fd, STATE_FILE, F_OK, 0), -1);
        ck_assert_int_eq(faccessat(sc.fd, kept, F_OK, 0), 0);
        diag_list_done(&d);
        scratch_close(&sc);
}
END_TEST

/* Two bad files at the same moment keep both; stale temporaries of a
 * crashed save are removed; an unreadable directory is an error, not a
 * rename. */
START_TEST(test_load_housekeeping)
{
        _cleanup_free_ char *k1 = NULL, *k2 = NULL;
        struct hardend_state *s = NULL;
        struct diag_list d;
        struct scratch sc;

        scratch_open(&sc, "state");
        ck_assert_int_eq(diag_list_init(&d, STATE_FILE), 0);
        write_at(sc.fd, STATE_FILE, "junk", 4);
        ck_assert_int_eq(state_load(sc.fd, NOW, &d, &s, &k1), 1);
        s = state_free(s);
        write_at(sc.fd, STATE_FILE, "junk2", 5);
        ck_assert_int_eq(state_load(sc.fd, NOW, &d, &s, &k2), 1);
        s = state_free(s);
        ck_assert_str_eq(k1, "state.json.corrupt-20261122T140221.886123Z");
        ck_assert_str_eq(k2, "state.json.corrupt-20261122T140221.886123Z-1");
        ck_assert_uint_eq(count_prefix(sc.fd, "state.json.corrupt-"), 2);

        write_at(sc.fd, "state.json.tmp.12345", "{", 1);
        write_at(sc.fd, "state.json.tmp.1", "", 0);
        write_at(sc.fd, "other.tmp.1", "", 0);
        ck_assert_int_eq(state_load(sc.fd, NOW, &d, &s, NULL), 0);
        s = state_free(s);
        ck_assert_uint_eq(count_prefix(sc.fd, "state.json.tmp."), 0);
        ck_assert_uint_eq(count_prefix(sc.fd, "other.tmp."), 1);
        diag_list_done(&d);
        scratch_close(&sc);
}
END_TEST

/* The child saves values start, start + 1... (a service's since and the
 * audit serial both carry it) and reports each one on the pipe after
 * state_save returned (see crash_loop_run). */
static void crash_child(int dirfd, int wfd, uint64_t start)
{
        _cleanup_state_ struct hardend_state *s = state_new();

        for (uint64_t v = start;; v++) {
                if (state_set_mode(s, "api", (v & 1) ? POLICY_MODE_ENFORCE : POLICY_MODE_MONITOR, v,
                                   &ctl_peer) < 0)
                        _exit(2);
                state_set_audit_cursor(s, v & 0xffffffffu, v);
                if (state_save(dirfd, s) < 0)
                        _exit(3);
                if (write(wfd, &v, sizeof(v)) != sizeof(v))
                        _exit(4);
        }
}

/* What the parent finds on disk after a kill. */
static uint64_t crash_loaded(int dirfd)
{
        _cleanup_state_ struct hardend_state *s = NULL;
        struct diag_list d;
        uint64_t got;
        int r;

        ck_assert_int_eq(diag_list_init(&d, STATE_FILE), 0);
        r = state_load(dirfd, NOW, &d, &s, NULL);
        if (r != 0)
                diag_print(&d, stderr);
        ck_assert_int_eq(r, 0);
        diag_list_done(&d);
        if (s->n_services == 0)
                return 0;
        ck_assert_uint_eq(s->n_services, 1);
        got = s->services[0].since_usec;
        ck_assert_uint_eq(s->cursors.audit_stamp_usec, got);
        ck_assert_int_eq(s->services[0].mode,
                         (got & 1) ? POLICY_MODE_ENFORCE : POLICY_MODE_MONITOR);
        return got;
}

START_TEST(test_crash_loop)
{
        crash_loop_run(&(struct crash_loop){.name = "control-state",
                                            .seed = 20261122,
                                            .iterations = 60,
                                            .file = STATE_FILE,
                                            .child = crash_child,
                                            .loaded = crash_loaded});
}
END_TEST

/* ---- change log ---- */

static struct changelog_entry sample_entry(uint64_t t)
{
        struct changelog_entry e = {
            .time_usec = t,
            .service = "api",
            .from = POLICY_MODE_MONITOR,
            .to = POLICY_MODE_ENFORCE,
            .who = ctl_peer,
            .forced = true,
            .reason = "operator: \"enforce --force\" after review",
        };
        return e;
}

static void assert_entries_equal(const struct changelog_entry *a, const struct changelog_entry *b)
{
        ck_assert_uint_eq(a->time_usec, b->time_usec);
        ck_assert_str_eq(a->service, b->service);
        ck_assert_int_eq(a->from, b->from);
        ck_assert_int_eq(a->to, b->to);
        ck_assert_int_eq(a->who.policy, b->who.policy);
        ck_assert_uint_eq(a->who.uid, b->who.uid);
        ck_assert_uint_eq(a->who.pid, b->who.pid);
        ck_assert_str_eq(a->who.comm, b->who.comm);
        ck_assert_int_eq(a->forced, b->forced);
        ck_assert_str_eq(a->reason, b->reason);
}

START_TEST(test_changelog_line)
{
        struct changelog_entry e = sample_entry(NOW), back, p = sample_entry(1);
        _cleanup_free_ char *line = NULL, *pline = NULL;
        size_t size;

        ck_assert_int_eq(changelog_format_line(&e, &line, &size), 0);
        ck_assert_str_eq(line,
                         "{\"time\":1795356141886123,\"service\":\"api\",\"from\":\"monitor\","
                         "\"to\":\"enforce\",\"by\":{\"uid\":0,\"pid\":4242,\"comm\":"
                         "\"hardenctl\"},\"forced\":true,\"reason\":\"operator: "
                         "\\\"enforce --force\\\" after review\"}\n");
        ck_assert_int_eq(changelog_parse_line(line, size - 1, &back), 0);
        assert_entries_equal(&e, &back);

        p.who = policy_peer;
        p.forced = false;
        strcpy(p.reason, "bad\nbyte\x7f");
        ck_assert_int_eq(changelog_format_line(&p, &pline, &size), 0);
        ck_assert_ptr_null(memchr(pline, '\n', size - 1));
        ck_assert_int_eq(changelog_parse_line(pline, size - 1, &back), 0);
        ck_assert(back.who.policy);
        ck_assert_str_eq(back.reason, "bad?byte?");

        strcpy(p.service, "Bad");
        ck_assert_int_eq(changelog_format_line(&p, &pline, &size), -EINVAL);
}
END_TEST

static const char *const bad_lines[] = {
    "",
    "{",
    "[]",
    "{}",
    "{\"time\":1,\"service\":\"api\",\"from\":\"monitor\",\"to\":\"enforce\",\"by\":\"policy\","
    "\"forced\":false}",
    "{\"time\":-1,\"service\":\"api\",\"from\":\"monitor\",\"to\":\"enforce\",\"by\":\"policy\","
    "\"forced\":false,\"reason\":\"\"}",
    "{\"time\":1,\"service\":\"API\",\"from\":\"monitor\",\"to\":\"enforce\",\"by\":\"policy\","
    "\"forced\":false,\"reason\":\"\"}",
    "{\"time\":1,\"service\":\"api\",\"from\":\"audit\",\"to\":\"enforce\",\"by\":\"policy\","
    "\"forced\":false,\"reason\":\"\"}",
    "{\"time\":1,\"service\":\"api\",\"from\":\"monitor\",\"to\":\"enforce\",\"by\":\"root\","
    "\"forced\":false,\"reason\":\"\"}",
    "{\"time\":1,\"service\":\"api\",\"from\":\"monitor\",\"to\":\"enforce\",\"by\":\"policy\","
    "\"forced\":0,\"reason\":\"\"}",
    "{\"time\":1,\"service\":\"api\",\"from\":\"monitor\",\"to\":\"enforce\",\"by\":\"policy\","
    "\"forced\":false,\"reason\":\"\\u0007\"}",
    "{\"time\":1,\"service\":\"api\",\"from\":\"monitor\",\"to\":\"enforce\",\"by\":{\"uid\":0,"
    "\"pid\":1,\"comm\":\"x\",\"gid\":0},\"forced\":false,\"reason\":\"\"}",
    "{\"time\":1,\"service\":\"api\",\"from\":\"monitor\",\"to\":\"enforce\",\"by\":\"policy\","
    "\"forced\":false,\"reason\":\"\",\"x\":1}",
};

START_TEST(test_changelog_bad_lines)
{
        struct changelog_entry e;

        ck_assert_int_eq(changelog_parse_line(bad_lines[_i], strlen(bad_lines[_i]), &e), -EINVAL);
}
END_TEST

START_TEST(test_changelog_torn)
{
        _cleanup_free_ struct changelog_entry *entries = NULL;
        _cleanup_free_ char *line = NULL;
        struct changelog_entry e;
        size_t n, bad, size;
        struct scratch sc;
        struct stat st;

        scratch_open(&sc, "state");
        ck_assert_int_eq(changelog_read(sc.fd, &entries, &n, &bad), 0);
        ck_assert_uint_eq(n, 0);
        ck_assert_uint_eq(bad, 0);
        for (uint64_t t = 1; t <= 3; t++) {
                e = sample_entry(t);
                ck_assert_int_eq(changelog_append(sc.fd, &e), 0);
        }
        ck_assert_int_eq(fstatat(sc.fd, CHANGELOG_FILE, &st, 0), 0);
        ck_assert_uint_eq(st.st_mode & 07777, 0600);

        /* Cut the last line at every length: two good entries, one torn. */
        ck_assert_int_eq(changelog_format_line(&e, &line, &size), 0);
        for (size_t cut = 1; cut <= size; cut++) {
                int fd = openat(sc.fd, CHANGELOG_FILE, O_WRONLY | O_CLOEXEC);

                ck_assert_int_eq(ftruncate(fd, st.st_size - (off_t)cut), 0);
                close(fd);
                entries = (free(entries), NULL);
                ck_assert_int_eq(changelog_read(sc.fd, &entries, &n, &bad), 0);
                ck_assert_uint_eq(n, 2);
                ck_assert_uint_eq(bad, cut == size ? 0 : 1);
                ck_assert_uint_eq(entries[1].time_usec, 2);
                /* Restore the full third line for the next cut. */
                fd = openat(sc.fd, CHANGELOG_FILE, O_WRONLY | O_APPEND | O_CLOEXEC);
                ck_assert_int_eq(write(fd, line + size - cut, cut), (ssize_t)cut);
                close(fd);
        }

        /* A crash left half a line; the next append still lands whole. */
        {
                int fd = openat(sc.fd, CHANGELOG_FILE, O_WRONLY | O_CLOEXEC);

                ck_assert_int_eq(ftruncate(fd, st.st_size - 10), 0);
                close(fd);
        }
        e = sample_entry(4);
        ck_assert_int_eq(changelog_append(sc.fd, &e), 0);
        entries = (free(entries), NULL);
        ck_assert_int_eq(changelog_read(sc.fd, &entries, &n, &bad), 0);
        ck_assert_uint_eq(n, 3);
        ck_assert_uint_eq(bad, 1);
        ck_assert_uint_eq(entries[2].time_usec, 4);
        assert_entries_equal(&entries[2], &e);
        scratch_close(&sc);
}
END_TEST

START_TEST(test_changelog_rotate)
{
        _cleanup_free_ struct changelog_entry *entries = NULL;
        _cleanup_free_ char *line = NULL, *big = NULL;
        struct changelog_entry e = sample_entry(1);
        size_t n, bad, size, fill = 0, lines = 0;
        struct scratch sc;
        struct stat st;

        /* Fill changes.log just under the limit without thousands of fsyncs. */
        ck_assert_int_eq(changelog_format_line(&e, &line, &size), 0);
        big = malloc(CHANGELOG_ROTATE_SIZE);
        while (fill + size <= CHANGELOG_ROTATE_SIZE - 10) {
                memcpy(big + fill, line, size);
                fill += size;
                lines++;
        }
        scratch_open(&sc, "state");
        write_at(sc.fd, CHANGELOG_FILE, big, fill);
        e = sample_entry(2);
        ck_assert_int_eq(changelog_append(sc.fd, &e), 0);
        ck_assert_int_eq(fstatat(sc.fd, CHANGELOG_FILE_OLD, &st, 0), 0);
        ck_assert_uint_eq((size_t)st.st_size, fill);
        ck_assert_int_eq(fstatat(sc.fd, CHANGELOG_FILE, &st, 0), 0);
        ck_assert_uint_eq((size_t)st.st_size, size);
        ck_assert_int_eq(changelog_read(sc.fd, &entries, &n, &bad), 0);
        ck_assert_uint_eq(n, lines + 1);
        ck_assert_uint_eq(bad, 0);
        ck_assert_uint_eq(entries[n - 1].time_usec, 2);
        /* A log file past any size the writer makes is refused, not read. */
        memset(big, 'x', CHANGELOG_ROTATE_SIZE);
        write_at(sc.fd, CHANGELOG_FILE, big, CHANGELOG_ROTATE_SIZE);
        {
                int fd = openat(sc.fd, CHANGELOG_FILE, O_WRONLY | O_APPEND | O_CLOEXEC);

                ck_assert_int_eq(write(fd, big, CHANGELOG_LINE_MAX + 1), CHANGELOG_LINE_MAX + 1);
                close(fd);
        }
        free(entries);
        entries = NULL;
        ck_assert_int_eq(changelog_read(sc.fd, &entries, &n, &bad), -EFBIG);
        scratch_close(&sc);
}
END_TEST

static Suite *control_state_suite(void)
{
        Suite *s = suite_create("control-state");
        TCase *tc = tcase_create("state");
        TCase *crash = tcase_create("crash");
        TCase *log = tcase_create("changelog");

        tcase_add_test(tc, test_crc32);
        tcase_add_loop_test(tc, test_names, 0, (int)ELEMENTSOF(name_cases));
        tcase_add_test(tc, test_set_find_remove);
        tcase_add_test(tc, test_round_trip);
        tcase_add_test(tc, test_truncated_everywhere);
        tcase_add_test(tc, test_flipped_everywhere);
        tcase_add_test(tc, test_hostile_control);
        tcase_add_loop_test(tc, test_hostile, 1, (int)ELEMENTSOF(hostile));
        tcase_add_test(tc, test_hostile_shapes);
        tcase_add_test(tc, test_load_housekeeping);
        tcase_set_timeout(tc, 60);
        suite_add_tcase(s, tc);

        tcase_add_test(crash, test_crash_loop);
        tcase_set_timeout(crash, 120);
        suite_add_tcase(s, crash);

        tcase_add_test(log, test_changelog_line);
        tcase_add_loop_test(log, test_changelog_bad_lines, 0, (int)ELEMENTSOF(bad_lines));
        tcase_add_test(log, test_changelog_torn);
        tcase_add_test(log, test_changelog_rotate);
        suite_add_tcase(s, log);
        return s;
}
TEST_SUITE(control_state_suite)
