/* SPDX-License-Identifier: MIT */
#include "observations-file.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/macro.h"
#include "control/json-file.h"
#include "control/state-crc32.h"

#define _cleanup_json_ _cleanup_(json_decrefp)

/* A string in the file: every byte outside printable ASCII, and the three
 * that would need a JSON escape or mark an escape here, as %HH. */
#define ENCODED_MAX (3 * OBSERVATION_STRING_MAX)

static const struct loc no_loc = {0, 0};

static bool byte_is_plain(unsigned char c)
{
        return c >= 0x20 && c <= 0x7e && c != '%' && c != '"' && c != '\\';
}

static int hex_value(char c)
{
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1; /* lowercase too: one spelling per byte */
}

/* ---- order: one total order, used to write and checked when reading ---- */

/* NULL (unattributed) after every name. */
static int cmp_service(const char *a, const char *b)
{
        if (!a || !b)
                return (a == NULL) - (b == NULL);
        return strcmp(a, b);
}

/* NULL before every string. */
static int cmp_nullable(const char *a, const char *b)
{
        if (!a || !b)
                return (b == NULL) - (a == NULL);
        return strcmp(a, b);
}

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b) ? 1 : 0)

/* Within a service: kind, most frequent first, then the rest of the key,
 * so that two distinct keys never compare equal. */
static int key_order(const struct observation *a, const struct observation *b)
{
        int c;

        if ((c = CMP(a->kind, b->kind)) || (c = CMP(b->count, a->count)) ||
            (c = CMP(a->verdict, b->verdict)) || (c = CMP(a->runtime, b->runtime)) ||
            (c = CMP(a->arch, b->arch)) || (c = CMP(a->syscall, b->syscall)) ||
            (c = CMP(a->data, b->data)) || (c = CMP(a->object_kind, b->object_kind)) ||
            (c = cmp_nullable(a->operation, b->operation)) ||
            (c = cmp_nullable(a->object, b->object)))
                return c;
        return cmp_nullable(a->mask, b->mask);
}

static int cmp_observation_ptr(const void *x, const void *y)
{
        const struct observation *a = *(const struct observation *const *)x;
        const struct observation *b = *(const struct observation *const *)y;
        int c = cmp_service(a->service, b->service);

        return c ? c : key_order(a, b);
}

/* ---- checks shared by the printer and the parser ---- */

/* What the keys of one service add up to, against its counters. */
struct sums {
        uint64_t count, denial_count, denial_last;
        bool overflow;
};

static void sums_add(struct sums *s, const struct observation *ob)
{
        s->overflow |= __builtin_add_overflow(s->count, ob->count, &s->count);
        if (observation_is_denial(ob)) {
                s->overflow |= __builtin_add_overflow(s->denial_count, ob->count, &s->denial_count);
                if (ob->last_usec > s->denial_last)
                        s->denial_last = ob->last_usec;
        }
}

/* Invariants observations_add keeps: every event is counted in events,
 * once in a key or over the cap; a denial also in denials and
 * last_denial. */
static const char *service_check(const struct service_counts *sc, const struct sums *s)
{
        uint64_t total;

        if (sc->denials > sc->events)
                return "more denials than events";
        if (s->overflow || __builtin_add_overflow(s->count, sc->over_cap, &total) ||
            total > sc->events)
                return "the keys' counts and events_over_cap add up to more than events";
        if (s->denial_count > sc->denials)
                return "the denial keys' counts add up to more than denials";
        if (s->denial_last > sc->last_denial_usec)
                return "a denial key was seen after last_denial";
        return NULL;
}

static bool u63(uint64_t v)
{
        return v <= (uint64_t)INT64_MAX;
}

/* What the file can hold beyond observation_check(): JSON integers are
 * signed 64-bit, pids are the kernel's. */
static const char *observation_file_check(const struct observation *ob)
{
        const char *why = observation_check(ob);

        if (why)
                return why;
        if (!u63(ob->count) || !u63(ob->killed) || !u63(ob->first_usec) || !u63(ob->last_usec) ||
            !u63(ob->more_workloads))
                return "a count or time past INT64_MAX";
        if (ob->example_pid < 0)
                return "a negative pid";
        return NULL;
}

/* ---- printing ---- */

/* The file text is written directly, already canonical: the body is what
 * jansson would print compact with sorted keys (keys below are written in
 * strcmp order), plus newlines between keys and between services, which
 * only ever fall between tokens. So the canonical body is the body with
 * its newlines removed, and no JSON tree is built for a save. */
struct out {
        char *buf;
        size_t len, cap;
        bool oom;
};

static bool out_reserve(struct out *w, size_t more)
{
        size_t cap;
        char *b;

        if (w->oom)
                return false;
        if (w->len + more + 1 <= w->cap)
                return true;
        cap = w->cap ? w->cap : 4096;
        while (cap < w->len + more + 1)
                cap *= 2;
        b = realloc(w->buf, cap);
        if (!b) {
                w->oom = true;
                return false;
        }
        w->buf = b;
        w->cap = cap;
        return true;
}

static void out_mem(struct out *w, const char *s, size_t n)
{
        if (!out_reserve(w, n))
                return;
        memcpy(w->buf + w->len, s, n);
        w->len += n;
        w->buf[w->len] = '\0';
}

static void out_lit(struct out *w, const char *s)
{
        out_mem(w, s, strlen(s));
}

/* prefix, then v in decimal (what jansson prints for an integer). */
static void out_u64(struct out *w, const char *prefix, uint64_t v)
{
        char tmp[24], *p = tmp + sizeof(tmp);

        out_lit(w, prefix);
        do
                *--p = (char)('0' + v % 10);
        while ((v /= 10) > 0);
        out_mem(w, p, (size_t)(tmp + sizeof(tmp) - p));
}

static void out_i64(struct out *w, const char *prefix, int64_t v)
{
        if (v >= 0) {
                out_u64(w, prefix, (uint64_t)v);
                return;
        }
        out_lit(w, prefix);
        out_u64(w, "-", -(uint64_t)v); /* INT64_MIN too */
}

/* "%-encoded bytes" or null */
static void out_string_value(struct out *w, const char *s)
{
        static const char hex[] = "0123456789ABCDEF";
        size_t n;
        char *p;

        if (!s) {
                out_lit(w, "null");
                return;
        }
        n = strlen(s);
        if (!out_reserve(w, 3 * n + 2))
                return;
        p = w->buf + w->len;
        *p++ = '"';
        for (size_t i = 0; i < n; i++) {
                unsigned char c = (unsigned char)s[i];

                if (byte_is_plain(c))
                        *p++ = (char)c;
                else {
                        *p++ = '%';
                        *p++ = hex[c >> 4];
                        *p++ = hex[c & 0xf];
                }
        }
        *p++ = '"';
        *p = '\0';
        w->len = (size_t)(p - w->buf);
}

/* prefix (a literal ending in the key and its colon), then the string. */
static void out_string(struct out *w, const char *prefix, const char *s)
{
        out_lit(w, prefix);
        out_string_value(w, s);
}

/* Keys in strcmp order for every kind (see the list in the docs). */
static void out_observation(struct out *w, const struct observation *ob)
{
        static const char hex[] = "0123456789abcdef";
        bool sc = ob->kind == EVENT_SECCOMP, aa = ob->kind == EVENT_APPARMOR;

        out_lit(w, "{");
        if (sc) {
                char arch[] = "\"arch\":\"00000000\",";

                for (int i = 0; i < 8; i++)
                        arch[8 + i] = hex[(ob->arch >> (28 - 4 * i)) & 0xf];
                out_lit(w, arch);
        }
        out_u64(w, "\"count\":", ob->count);
        if (sc)
                out_u64(w, ",\"errno\":", ob->data);
        out_string(w, ",\"example_comm\":", ob->example_comm);
        out_string(w, ",\"example_exe\":", ob->example_exe);
        out_i64(w, ",\"example_pid\":", ob->example_pid);
        out_u64(w, ",\"first\":", ob->first_usec);
        out_u64(w, ",\"killed\":", ob->killed);
        out_lit(w, ",\"kind\":\"");
        out_lit(w, event_kind_to_string(ob->kind));
        out_u64(w, "\",\"last\":", ob->last_usec);
        if (aa)
                out_string(w, ",\"mask\":", ob->mask);
        out_u64(w, ",\"more_workloads\":", ob->more_workloads);
        if (aa) {
                out_string(w, ",\"object\":", ob->object);
                out_lit(w, ",\"object_kind\":\"");
                out_lit(w, observation_object_to_string(ob->object_kind));
                out_string(w, "\",\"operation\":", ob->operation);
        }
        if (ob->runtime)
                out_lit(w, ",\"runtime\":true");
        if (ob->kind == EVENT_ABEND)
                out_u64(w, ",\"signal\":", ob->data);
        if (sc)
                out_i64(w, ",\"syscall\":", ob->syscall);
        if (sc || aa) {
                out_lit(w, ",\"verdict\":\"");
                out_lit(w, sc ? seccomp_event_verdict_to_string(ob->verdict)
                              : apparmor_verdict_to_string(ob->verdict));
                out_lit(w, "\"");
        }
        out_lit(w, ",\"workloads\":[");
        for (size_t i = 0; i < ob->n_workloads; i++) {
                if (i > 0)
                        out_lit(w, ",");
                out_string_value(w, ob->workloads[i]);
        }
        out_lit(w, "]}");
}

static void out_service(struct out *w, const struct service_counts *sc,
                        const struct observation *const *keys, size_t n)
{
        out_u64(w, "{\"denials\":", sc->denials);
        out_u64(w, ",\"events\":", sc->events);
        out_u64(w, ",\"events_over_cap\":", sc->over_cap);
        out_u64(w, ",\"last_denial\":", sc->last_denial_usec);
        out_string(w, ",\"name\":", sc->service);
        out_lit(w, ",\"observations\":[");
        for (size_t i = 0; i < n; i++) {
                out_lit(w, i ? ",\n" : "\n");
                out_observation(w, keys[i]);
        }
        out_lit(w, "]}");
}

/* The body's keys of one service: the run of sorted keys from *pos on. */
static size_t keys_of(const struct service_counts *sc, const struct observation *const *keys,
                      size_t n, size_t pos)
{
        size_t end = pos;

        while (end < n && cmp_service(keys[end]->service, sc->service) == 0)
                end++;
        return end - pos;
}

static int format_body(const struct observations *o, struct out *w)
{
        _cleanup_free_ const struct observation **keys = NULL;
        const struct observation *const *all;
        const struct service_counts *svc;
        size_t n_svc, n, pos = 0;

        /* A sorted copy of the keys: observations_list's order is not a
         * total one. The services come sorted (unattributed last). */
        all = observations_all(o, &n);
        keys = malloc((n ? n : 1) * sizeof(*keys));
        if (!keys)
                return -ENOMEM;
        if (n > 0) {
                memcpy(keys, all, n * sizeof(*keys));
                qsort(keys, n, sizeof(*keys), cmp_observation_ptr);
        }
        svc = observations_services(o, &n_svc);

        /* Checked before printing, so that a save never writes a file the
         * next start would put aside. */
        for (size_t s = 0; s < n_svc; s++) {
                size_t k = keys_of(&svc[s], keys, n, pos);
                struct sums sums = {0};

                if ((s > 0 && cmp_service(svc[s - 1].service, svc[s].service) >= 0) ||
                    (svc[s].service && strnlen(svc[s].service, OBSERVATION_STRING_MAX + 1) >
                                           OBSERVATION_STRING_MAX) ||
                    !u63(svc[s].events) || !u63(svc[s].denials) || !u63(svc[s].over_cap) ||
                    !u63(svc[s].last_denial_usec))
                        return -EINVAL;
                for (size_t i = pos; i < pos + k; i++) {
                        if (observation_file_check(keys[i]) ||
                            (i > pos && key_order(keys[i - 1], keys[i]) >= 0))
                                return -EINVAL;
                        sums_add(&sums, keys[i]);
                }
                if (service_check(&svc[s], &sums))
                        return -EINVAL;
                pos += k;
        }
        if (pos != n) /* a key of a service without counters */
                return -EINVAL;

        out_lit(w, "{\"services\":[");
        pos = 0;
        for (size_t s = 0; s < n_svc; s++) {
                size_t k = keys_of(&svc[s], keys, n, pos);

                out_lit(w, s ? ",\n" : "\n");
                out_service(w, &svc[s], keys + pos, k);
                pos += k;
        }
        out_lit(w, "]}");
        return w->oom ? -ENOMEM : 0;
}

int observations_format(const struct observations *o, char **ret_data, size_t *ret_size)
{
        struct out w = {0};
        _cleanup_free_ char *canon = NULL;
        size_t crc_at, body, end, n = 0;
        char crc[9];
        int r = -ENOMEM;

        /* One buffer, sized for typical keys up front (a 16384-key file is
         * ~5 MiB: growing it by doubling would copy it several times). */
        if (!out_reserve(&w, observations_keys(o) * 384 + 4096))
                return -ENOMEM;
        out_lit(&w, "{\"format\":\"" OBSERVATIONS_FORMAT_NAME "\"");
        out_u64(&w, ",\"version\":", OBSERVATIONS_FORMAT_VERSION);
        out_lit(&w, ",\"crc32\":\"");
        crc_at = w.len;
        out_lit(&w, "00000000\",\"body\":");
        body = w.len;
        r = format_body(o, &w);
        if (r < 0)
                goto out;
        end = w.len;
        /* The final newline marks a complete file: a copy cut anywhere,
         * even just before it, is refused. */
        out_lit(&w, "}\n");
        r = -ENOMEM;
        if (w.oom)
                goto out;
        r = -EFBIG;
        if (w.len > OBSERVATIONS_FILE_MAX)
                goto out;
        /* The checksum is over the body without its newlines. */
        r = -ENOMEM;
        canon = malloc(end - body);
        if (!canon)
                goto out;
        for (const char *p = w.buf + body, *e = w.buf + end, *nl; p < e; p = nl + 1) {
                nl = memchr(p, '\n', (size_t)(e - p));
                if (!nl)
                        nl = e;
                memcpy(canon + n, p, (size_t)(nl - p));
                n += (size_t)(nl - p);
        }
        snprintf(crc, sizeof(crc), "%08x", state_crc32(canon, n));
        memcpy(w.buf + crc_at, crc, 8);
        *ret_data = TAKE_PTR(w.buf);
        *ret_size = w.len;
        return 0;
out:
        free(w.buf);
        return r;
}

/* ---- parsing ---- */

static int get_int(struct diag_list *d, json_t *o, const char *key, const char *where, int64_t min,
                   int64_t max, int64_t *ret)
{
        json_t *v = json_object_get(o, key);
        json_int_t i;

        if (!json_is_integer(v)) {
                diag_add(d, no_loc, "%s.%s: must be an integer", where, key);
                return -EINVAL;
        }
        i = json_integer_value(v);
        if (i < min || i > max) {
                diag_add(d, no_loc, "%s.%s: %lld is out of range %lld..%lld", where, key,
                         (long long)i, (long long)min, (long long)max);
                return -EINVAL;
        }
        *ret = i;
        return 0;
}

static int get_uint(struct diag_list *d, json_t *o, const char *key, const char *where,
                    uint64_t min, uint64_t max, uint64_t *ret)
{
        int64_t v;
        int r = get_int(d, o, key, where, (int64_t)min, (int64_t)max, &v);

        if (r < 0)
                return r;
        *ret = (uint64_t)v;
        return 0;
}

/* A %-encoded string (or null, when nullable) decoded into buf (at least
 * OBSERVATION_STRING_MAX + 1 bytes); *ret is buf, or NULL for null. Only
 * the spelling observations_format writes is accepted: plain bytes as
 * they are, the others as %HH with uppercase hex, no NUL. */
static int get_string(struct diag_list *d, json_t *o, const char *key, const char *where,
                      bool nullable, char *buf, const char **ret)
{
        json_t *v = key ? json_object_get(o, key) : o;
        const char *s, *sep = key ? "." : "", *k = key ? key : "";
        size_t len, n = 0;

        if (nullable && json_is_null(v)) {
                *ret = NULL;
                return 0;
        }
        if (!json_is_string(v)) {
                diag_add(d, no_loc, "%s%s%s: must be a string%s", where, sep, k,
                         nullable ? " or null" : "");
                return -EINVAL;
        }
        s = json_string_value(v);
        len = json_string_length(v);
        if (len > ENCODED_MAX)
                goto bad;
        for (size_t i = 0; i < len; i++) {
                unsigned char c = (unsigned char)s[i];

                if (c == '%' && i + 2 < len && hex_value(s[i + 1]) >= 0 &&
                    hex_value(s[i + 2]) >= 0) {
                        c = (unsigned char)(hex_value(s[i + 1]) << 4 | hex_value(s[i + 2]));
                        if (c == 0 || byte_is_plain(c))
                                goto bad;
                        i += 2;
                } else if (!byte_is_plain(c))
                        goto bad;
                if (n >= OBSERVATION_STRING_MAX)
                        goto bad;
                buf[n++] = (char)c;
        }
        buf[n] = '\0';
        *ret = buf;
        return 0;
bad:
        diag_add(d, no_loc,
                 "%s%s%s: not a string as written here (printable ASCII, other bytes and "
                 "'%%\"\\' as %%HH, at most %u bytes once decoded)",
                 where, sep, k, OBSERVATION_STRING_MAX);
        return -EINVAL;
}

/* The name of a value of an enum, by its to_string function. */
static int get_enum(struct diag_list *d, json_t *o, const char *key, const char *where,
                    const char *(*name)(unsigned), unsigned n, unsigned *ret)
{
        json_t *v = json_object_get(o, key);

        if (json_is_string(v))
                for (unsigned i = 0; i < n; i++)
                        if (name(i) && strcmp(name(i), json_string_value(v)) == 0 &&
                            strlen(name(i)) == json_string_length(v)) {
                                *ret = i;
                                return 0;
                        }
        diag_add(d, no_loc, "%s.%s: not a known name", where, key);
        return -EINVAL;
}

static const char *kind_name(unsigned v)
{
        return event_kind_to_string((enum event_kind)v);
}

static const char *seccomp_verdict_name(unsigned v)
{
        return seccomp_event_verdict_to_string((enum seccomp_event_verdict)v);
}

static const char *apparmor_verdict_name(unsigned v)
{
        return apparmor_verdict_to_string((enum apparmor_verdict)v);
}

/* AppArmor keys name any object kind but a syscall's or a signal's. */
static const char *apparmor_object_name(unsigned v)
{
        return v == OBJECT_SYSCALL || v == OBJECT_SIGNAL
                   ? NULL
                   : observation_object_to_string((enum observation_object)v);
}

/* One decoded key, with room for its strings. Two of them alternate, so
 * the previous key is at hand for the order check. */
struct scratch {
        struct observation ob;
        char operation[OBSERVATION_STRING_MAX + 1], object[OBSERVATION_STRING_MAX + 1],
            mask[OBSERVATION_STRING_MAX + 1], comm[OBSERVATION_STRING_MAX + 1],
            exe[OBSERVATION_STRING_MAX + 1];
        char workloads[OBSERVATION_WORKLOADS_MAX][OBSERVATION_STRING_MAX + 1];
};

struct parse_ctx {
        struct diag_list *d;
        struct observations *o;
        struct scratch keys[2];
        char names[2][OBSERVATION_STRING_MAX + 1];
};

static int parse_common(struct diag_list *d, json_t *v, const char *where, struct scratch *s)
{
        struct observation *ob = &s->ob;
        const char *str;
        json_t *w, *e;
        int64_t pid;
        size_t i;

        if (get_uint(d, v, "count", where, 1, INT64_MAX, &ob->count) < 0 ||
            get_uint(d, v, "killed", where, 0, INT64_MAX, &ob->killed) < 0 ||
            get_uint(d, v, "first", where, 0, INT64_MAX, &ob->first_usec) < 0 ||
            get_uint(d, v, "last", where, 0, INT64_MAX, &ob->last_usec) < 0 ||
            get_int(d, v, "example_pid", where, 0, INT32_MAX, &pid) < 0 ||
            get_string(d, v, "example_comm", where, true, s->comm, &str) < 0)
                return -EINVAL;
        ob->example_pid = (pid_t)pid;
        ob->example_comm = (char *)str;
        if (get_string(d, v, "example_exe", where, true, s->exe, &str) < 0 ||
            get_uint(d, v, "more_workloads", where, 0, INT64_MAX, &ob->more_workloads) < 0)
                return -EINVAL;
        ob->example_exe = (char *)str;
        w = json_object_get(v, "workloads");
        if (!json_is_array(w) || json_array_size(w) > OBSERVATION_WORKLOADS_MAX) {
                diag_add(d, no_loc, "%s.workloads: must be an array of at most %u strings", where,
                         OBSERVATION_WORKLOADS_MAX);
                return -EINVAL;
        }
        json_array_foreach(w, i, e)
        {
                char ew[160];

                snprintf(ew, sizeof(ew), "%s.workloads[%zu]", where, i);
                if (get_string(d, e, NULL, ew, false, s->workloads[i], &str) < 0)
                        return -EINVAL;
                ob->workloads[i] = (char *)str;
                ob->n_workloads = i + 1;
        }
        return 0;
}

static int parse_observation(struct diag_list *d, json_t *v, const char *where, char *service,
                             struct scratch *s)
{
        static const char *const seccomp_keys[] = {
            "kind",         "verdict",     "arch",      "syscall",        "errno",
            "count",        "killed",      "first",     "last",           "example_pid",
            "example_comm", "example_exe", "workloads", "more_workloads", "runtime"};
        static const char *const apparmor_keys[] = {
            "kind",        "verdict",   "operation",      "object_kind",
            "object",      "mask",      "count",          "killed",
            "first",       "last",      "example_pid",    "example_comm",
            "example_exe", "workloads", "more_workloads", "runtime"};
        static const char *const abend_keys[] = {
            "kind",        "signal",       "count",       "killed",    "first",         "last",
            "example_pid", "example_comm", "example_exe", "workloads", "more_workloads"};
        struct observation *ob = &s->ob;
        unsigned kind, u;
        uint64_t x;
        const char *str;
        int64_t nr;

        /* "runtime" is written only when true: the last of both lists. */
        size_t optional = json_object_get(v, "runtime") ? 0 : 1;

        memset(ob, 0, sizeof(*ob));
        ob->service = service;
        if (!json_is_object(v)) {
                diag_add(d, no_loc, "%s: must be an object", where);
                return -EINVAL;
        }
        if (get_enum(d, v, "kind", where, kind_name, _EVENT_KIND_MAX, &kind) < 0)
                return -EINVAL;
        ob->kind = (enum event_kind)kind;
        switch (ob->kind) {
        case EVENT_SECCOMP:
                if (json_check_keys(d, v, where, seccomp_keys,
                                    ELEMENTSOF(seccomp_keys) - optional) < 0 ||
                    get_enum(d, v, "verdict", where, seccomp_verdict_name,
                             _SECCOMP_EVENT_VERDICT_MAX, &ob->verdict) < 0)
                        return -EINVAL;
                str = json_string_value(json_object_get(v, "arch"));
                if (!str || json_string_length(json_object_get(v, "arch")) != 8 ||
                    strspn(str, "0123456789abcdef") != 8) {
                        diag_add(d, no_loc, "%s.arch: must be 8 lowercase hex digits", where);
                        return -EINVAL;
                }
                ob->arch = (uint32_t)strtoul(str, NULL, 16);
                if (get_int(d, v, "syscall", where, INT64_MIN, INT64_MAX, &nr) < 0 ||
                    get_uint(d, v, "errno", where, 0, UINT16_MAX, &x) < 0)
                        return -EINVAL;
                ob->syscall = nr;
                ob->data = (uint16_t)x;
                ob->object_kind = OBJECT_SYSCALL;
                break;
        case EVENT_APPARMOR:
                if (json_check_keys(d, v, where, apparmor_keys,
                                    ELEMENTSOF(apparmor_keys) - optional) < 0 ||
                    get_enum(d, v, "verdict", where, apparmor_verdict_name, _APPARMOR_VERDICT_MAX,
                             &ob->verdict) < 0 ||
                    get_enum(d, v, "object_kind", where, apparmor_object_name, OBJECT_SIGNAL + 1,
                             &u) < 0)
                        return -EINVAL;
                ob->object_kind = (enum observation_object)u;
                if (get_string(d, v, "operation", where, true, s->operation, &str) < 0)
                        return -EINVAL;
                ob->operation = (char *)str;
                if (get_string(d, v, "object", where, true, s->object, &str) < 0)
                        return -EINVAL;
                ob->object = (char *)str;
                if (get_string(d, v, "mask", where, true, s->mask, &str) < 0)
                        return -EINVAL;
                ob->mask = (char *)str;
                break;
        case EVENT_ABEND:
                if (json_check_keys(d, v, where, abend_keys, ELEMENTSOF(abend_keys)) < 0 ||
                    get_uint(d, v, "signal", where, 0, UINT16_MAX, &x) < 0)
                        return -EINVAL;
                ob->data = (uint16_t)x;
                ob->object_kind = OBJECT_SIGNAL;
                break;
        case _EVENT_KIND_MAX:
        default:
                return -EINVAL;
        }
        if (ob->kind != EVENT_ABEND) {
                json_t *rt = json_object_get(v, "runtime");

                if (rt && !json_is_boolean(rt)) {
                        diag_add(d, no_loc, "%s.runtime: must be true or false", where);
                        return -EINVAL;
                }
                ob->runtime = json_is_true(rt);
        }
        if (parse_common(d, v, where, s) < 0)
                return -EINVAL;
        str = observation_check(ob);
        if (str) {
                diag_add(d, no_loc, "%s: %s", where, str);
                return -EINVAL;
        }
        return 0;
}

static int parse_service(struct parse_ctx *c, json_t *v, size_t idx, const char *prev_name,
                         char *name_buf)
{
        static const char *const keys[] = {"denials",     "events", "events_over_cap",
                                           "last_denial", "name",   "observations"};
        struct service_counts sc = {0};
        struct diag_list *d = c->d;
        struct sums sums = {0};
        const char *name, *why;
        char where[48], kwhere[96];
        json_t *obs, *e;
        size_t i;
        int r;

        snprintf(where, sizeof(where), "body.services[%zu]", idx);
        if (json_check_keys(d, v, where, keys, ELEMENTSOF(keys)) < 0 ||
            get_string(d, v, "name", where, true, name_buf, &name) < 0 ||
            get_uint(d, v, "events", where, 0, INT64_MAX, &sc.events) < 0 ||
            get_uint(d, v, "denials", where, 0, INT64_MAX, &sc.denials) < 0 ||
            get_uint(d, v, "events_over_cap", where, 0, INT64_MAX, &sc.over_cap) < 0 ||
            get_uint(d, v, "last_denial", where, 0, INT64_MAX, &sc.last_denial_usec) < 0)
                return -EINVAL;
        if (idx > 0 && (!prev_name || cmp_service(prev_name, name) >= 0)) {
                diag_add(d, no_loc, "%s: a duplicate or out of order (by name, null last)", where);
                return -EINVAL;
        }
        sc.service = (char *)name;
        obs = json_object_get(v, "observations");
        if (!json_is_array(obs)) {
                diag_add(d, no_loc, "%s.observations: must be an array", where);
                return -EINVAL;
        }
        r = observations_restore_service(c->o, &sc);
        if (r < 0)
                return r;
        json_array_foreach(obs, i, e)
        {
                struct scratch *cur = &c->keys[i & 1], *prev = &c->keys[!(i & 1)];

                snprintf(kwhere, sizeof(kwhere), "%s.observations[%zu]", where, i);
                if (parse_observation(d, e, kwhere, (char *)name, cur) < 0)
                        return -EINVAL;
                if (i > 0 && key_order(&prev->ob, &cur->ob) >= 0) {
                        diag_add(d, no_loc,
                                 "%s: a duplicate or out of order (by kind, count descending, "
                                 "then the key)",
                                 kwhere);
                        return -EINVAL;
                }
                sums_add(&sums, &cur->ob);
                r = observations_restore(c->o, &cur->ob);
                if (r == -ENOMEM)
                        return r;
                if (r < 0) { /* checked above: cannot happen */
                        diag_add(d, no_loc, "%s: refused by observations_restore (%d)", kwhere, r);
                        return -EINVAL;
                }
        }
        why = service_check(&sc, &sums);
        if (why) {
                diag_add(d, no_loc, "%s: %s", where, why);
                return -EINVAL;
        }
        return 0;
}

static int parse_body(struct parse_ctx *c, json_t *body)
{
        static const char *const body_keys[] = {"services"};
        const char *prev = NULL;
        json_t *services, *v;
        size_t i;
        int r;

        if (json_check_keys(c->d, body, "body", body_keys, ELEMENTSOF(body_keys)) < 0)
                return -EINVAL;
        services = json_object_get(body, "services");
        if (!json_is_array(services)) {
                diag_add(c->d, no_loc, "body.services: must be an array");
                return -EINVAL;
        }
        json_array_foreach(services, i, v)
        {
                char *buf = c->names[i & 1];
                json_t *n = json_object_get(v, "name");

                r = parse_service(c, v, i, prev, buf);
                if (r < 0)
                        return r;
                prev = json_is_null(n) ? NULL : buf;
        }
        return 0;
}

int observations_parse(const char *data, size_t size, size_t max_keys, struct diag_list *diags,
                       struct observations **ret)
{
        _cleanup_(observations_freep) struct observations *o = NULL;
        _cleanup_free_ struct parse_ctx *c = NULL;
        _cleanup_json_ json_t *body = NULL;
        int r;

        r = json_file_parse(data, size, OBSERVATIONS_FILE_MAX, OBSERVATIONS_FORMAT_NAME,
                            OBSERVATIONS_FORMAT_VERSION, "observations", diags, &body);
        if (r < 0)
                return r;
        r = observations_new(max_keys, &o);
        if (r < 0)
                return r;
        c = calloc(1, sizeof(*c));
        if (!c)
                return -ENOMEM;
        c->d = diags;
        c->o = o;
        r = parse_body(c, body);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(o);
        return 0;
}

/* ---- the file ---- */

struct load_ctx {
        size_t max_keys;
        struct observations *o;
};

static int parse_into(const char *data, size_t size, struct diag_list *diags, void *userdata)
{
        struct load_ctx *l = userdata;

        return observations_parse(data, size, l->max_keys, diags, &l->o);
}

int observations_load(int dirfd, size_t max_keys, uint64_t now_usec, struct diag_list *diags,
                      struct observations **ret, char **ret_kept_aside)
{
        _cleanup_(observations_freep) struct observations *o = NULL;
        _cleanup_free_ char *kept = NULL;
        struct load_ctx l = {.max_keys = max_keys};
        int loaded, r;

        loaded = json_file_load(dirfd, OBSERVATIONS_FILE, OBSERVATIONS_FILE_MAX, now_usec, diags,
                                parse_into, &l, &kept);
        if (loaded < 0)
                return loaded;
        o = l.o;
        /* No file, or a file put aside: no observations. */
        if (!o) {
                r = observations_new(max_keys, &o);
                if (r < 0)
                        return r;
        }
        *ret = TAKE_PTR(o);
        if (ret_kept_aside)
                *ret_kept_aside = TAKE_PTR(kept);
        return loaded;
}

int observations_save(int dirfd, const struct observations *o)
{
        _cleanup_free_ char *data = NULL;
        size_t size;
        int r;

        r = observations_format(o, &data, &size);
        if (r < 0)
                return r;
        return json_file_save(dirfd, OBSERVATIONS_FILE, data, size);
}
