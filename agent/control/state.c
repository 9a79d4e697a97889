/* SPDX-License-Identifier: MIT */
#include "state.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "json-file.h"
#include "json-text.h"

#define _cleanup_json_ _cleanup_(json_decrefp)

struct hardend_state *state_new(void)
{
        return calloc(1, sizeof(struct hardend_state));
}

struct hardend_state *state_free(struct hardend_state *s)
{
        if (!s)
                return NULL;
        free(s->services);
        free(s);
        return NULL;
}

bool state_service_name_valid(const char *name)
{
        size_t n = 0;

        if (!name || !(name[0] >= 'a' && name[0] <= 'z'))
                return false;
        for (const char *p = name; *p; p++, n++) {
                bool ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-';

                if (!ok || n >= STATE_NAME_MAX)
                        return false;
        }
        return true;
}

static bool printable_ascii(const char *s, size_t max)
{
        size_t n = 0;

        for (; *s; s++, n++)
                if (n >= max || (unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
                        return false;
        return true;
}

/* Index of name, or of where it would go (with *found false). */
static size_t state_bisect(const struct hardend_state *s, const char *name, bool *found)
{
        size_t lo = 0, hi = s->n_services;

        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                int c = strcmp(s->services[mid].name, name);

                if (c == 0) {
                        *found = true;
                        return mid;
                }
                if (c < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        *found = false;
        return lo;
}

const struct state_service *state_find(const struct hardend_state *s, const char *name)
{
        bool found;
        size_t i;

        if (!name)
                return NULL;
        i = state_bisect(s, name, &found);
        return found ? &s->services[i] : NULL;
}

static void peer_copy(struct state_peer *dst, const struct state_peer *src)
{
        size_t i;

        memset(dst, 0, sizeof(*dst));
        dst->policy = src->policy;
        if (src->policy)
                return;
        dst->uid = src->uid;
        dst->pid = src->pid;
        for (i = 0; i < STATE_COMM_MAX && src->comm[i]; i++) {
                unsigned char c = (unsigned char)src->comm[i];

                dst->comm[i] = (c >= 0x20 && c <= 0x7e) ? (char)c : '?';
        }
}

int state_set_mode(struct hardend_state *s, const char *name, enum policy_mode mode,
                   uint64_t since_usec, const struct state_peer *who)
{
        struct state_service *svc;
        bool found;
        size_t i;

        if (!state_service_name_valid(name) || (unsigned)mode >= _POLICY_MODE_MAX || !who ||
            since_usec > INT64_MAX)
                return -EINVAL;
        i = state_bisect(s, name, &found);
        if (!found) {
                struct state_service *n;

                if (s->n_services >= STATE_SERVICES_MAX)
                        return -E2BIG;
                n = realloc(s->services, (s->n_services + 1) * sizeof(*n));
                if (!n)
                        return -ENOMEM;
                s->services = n;
                memmove(&n[i + 1], &n[i], (s->n_services - i) * sizeof(*n));
                s->n_services++;
                memset(&n[i], 0, sizeof(n[i]));
                strcpy(n[i].name, name); /* length checked by state_service_name_valid */
        }
        svc = &s->services[i];
        svc->mode = mode;
        svc->since_usec = since_usec;
        peer_copy(&svc->who, who);
        return 0;
}

int state_remove(struct hardend_state *s, const char *name)
{
        bool found;
        size_t i;

        if (!name)
                return -ENOENT;
        i = state_bisect(s, name, &found);
        if (!found)
                return -ENOENT;
        memmove(&s->services[i], &s->services[i + 1],
                (s->n_services - i - 1) * sizeof(s->services[0]));
        s->n_services--;
        return 0;
}

int state_set_journal_cursor(struct hardend_state *s, const char *cursor)
{
        if (!cursor || !printable_ascii(cursor, STATE_CURSOR_MAX))
                return -EINVAL;
        strcpy(s->cursors.journal, cursor);
        return 0;
}

void state_set_audit_cursor(struct hardend_state *s, uint64_t serial, uint64_t stamp_usec)
{
        s->cursors.audit_serial = serial;
        s->cursors.audit_stamp_usec = stamp_usec;
}

/* ---- printing ---- */

static json_t *peer_to_json(const struct state_peer *p)
{
        json_t *o;

        if (p->policy)
                return json_string("policy");
        o = json_object();
        if (!o || json_set_new(o, "uid", json_integer(p->uid)) < 0 ||
            json_set_new(o, "pid", json_integer(p->pid)) < 0 ||
            json_set_new(o, "comm", json_string(p->comm)) < 0) {
                json_decref(o);
                return NULL;
        }
        return o;
}

static json_t *body_to_json(const struct hardend_state *s)
{
        _cleanup_json_ json_t *body = json_object(), *services = json_array(),
                              *cursors = json_object();

        if (!body || !services || !cursors)
                return NULL;
        for (size_t i = 0; i < s->n_services; i++) {
                const struct state_service *svc = &s->services[i];
                json_t *o = json_object();

                if (!o || json_array_append_new(services, o) < 0)
                        return NULL;
                if (json_set_new(o, "name", json_string(svc->name)) < 0 ||
                    json_set_new(o, "mode", json_string(policy_mode_to_string(svc->mode))) < 0 ||
                    json_set_new(o, "since", json_integer((json_int_t)svc->since_usec)) < 0 ||
                    json_set_new(o, "by", peer_to_json(&svc->who)) < 0)
                        return NULL;
        }
        if (json_set_new(cursors, "journal", json_string(s->cursors.journal)) < 0 ||
            json_set_new(cursors, "audit_serial",
                         json_integer((json_int_t)s->cursors.audit_serial)) < 0 ||
            json_set_new(cursors, "audit_stamp_usec",
                         json_integer((json_int_t)s->cursors.audit_stamp_usec)) < 0)
                return NULL;
        if (json_object_set(body, "services", services) < 0 ||
            json_object_set(body, "cursors", cursors) < 0)
                return NULL;
        return TAKE_PTR(body);
}

/* What the parser accepts, checked before printing so that a save never
 * writes a file the next start would put aside. */
static bool state_valid(const struct hardend_state *s)
{
        if (s->n_services > STATE_SERVICES_MAX)
                return false;
        for (size_t i = 0; i < s->n_services; i++) {
                const struct state_service *svc = &s->services[i];

                if (!state_service_name_valid(svc->name) ||
                    (unsigned)svc->mode >= _POLICY_MODE_MAX || svc->since_usec > INT64_MAX ||
                    svc->who.pid > INT32_MAX || !printable_ascii(svc->who.comm, STATE_COMM_MAX))
                        return false;
                if (i > 0 && strcmp(s->services[i - 1].name, svc->name) >= 0)
                        return false;
        }
        return s->cursors.audit_serial <= UINT32_MAX && s->cursors.audit_stamp_usec <= INT64_MAX &&
               memchr(s->cursors.journal, 0, sizeof(s->cursors.journal)) &&
               printable_ascii(s->cursors.journal, STATE_CURSOR_MAX);
}

int state_format(const struct hardend_state *s, char **ret_data, size_t *ret_size)
{
        _cleanup_json_ json_t *body = NULL;

        if (!state_valid(s))
                return -EINVAL;
        body = body_to_json(s);
        if (!body)
                return -ENOMEM;
        return json_file_format(body, STATE_FORMAT_NAME, STATE_FORMAT_VERSION, JSON_INDENT(2),
                                ret_data, ret_size);
}

/* ---- parsing ---- */

static const struct loc no_loc = {0, 0};

static int get_uint(struct diag_list *d, json_t *o, const char *key, const char *where,
                    uint64_t max, uint64_t *ret)
{
        json_t *v = json_object_get(o, key);
        json_int_t i;

        if (!json_is_integer(v)) {
                diag_add(d, no_loc, "%s.%s: must be an integer", where, key);
                return -EINVAL;
        }
        i = json_integer_value(v);
        if (i < 0 || (uint64_t)i > max) {
                diag_add(d, no_loc, "%s.%s: %lld is out of range 0..%llu", where, key, (long long)i,
                         (unsigned long long)max);
                return -EINVAL;
        }
        *ret = (uint64_t)i;
        return 0;
}

/* A printable ASCII string of at most max bytes, copied into buf. */
static int get_string(struct diag_list *d, json_t *o, const char *key, const char *where,
                      size_t max, char *buf)
{
        json_t *v = json_object_get(o, key);
        const char *s;

        if (!json_is_string(v)) {
                diag_add(d, no_loc, "%s.%s: must be a string", where, key);
                return -EINVAL;
        }
        s = json_string_value(v);
        if (json_string_length(v) > max || strlen(s) != json_string_length(v) ||
            !printable_ascii(s, max)) {
                diag_add(d, no_loc, "%s.%s: longer than %zu bytes or not printable ASCII", where,
                         key, max);
                return -EINVAL;
        }
        memcpy(buf, s, strlen(s) + 1);
        return 0;
}

static int parse_peer(struct diag_list *d, json_t *v, const char *where, struct state_peer *ret)
{
        static const char *const keys[] = {"uid", "pid", "comm"};
        uint64_t uid, pid;

        memset(ret, 0, sizeof(*ret));
        if (json_is_string(v) && strcmp(json_string_value(v), "policy") == 0) {
                ret->policy = true;
                return 0;
        }
        if (json_check_keys(d, v, where, keys, ELEMENTSOF(keys)) < 0 ||
            get_uint(d, v, "uid", where, UINT32_MAX, &uid) < 0 ||
            get_uint(d, v, "pid", where, INT32_MAX, &pid) < 0 ||
            get_string(d, v, "comm", where, STATE_COMM_MAX, ret->comm) < 0)
                return -EINVAL;
        ret->uid = (uint32_t)uid;
        ret->pid = (uint32_t)pid;
        return 0;
}

static int parse_service(struct diag_list *d, json_t *o, size_t idx, struct state_service *ret)
{
        static const char *const keys[] = {"name", "mode", "since", "by"};
        char where[64], mode_s[16], by_where[80];
        int m;

        snprintf(where, sizeof(where), "body.services[%zu]", idx);
        if (json_check_keys(d, o, where, keys, ELEMENTSOF(keys)) < 0 ||
            get_string(d, o, "name", where, STATE_NAME_MAX, ret->name) < 0)
                return -EINVAL;
        if (!state_service_name_valid(ret->name)) {
                diag_add(d, no_loc, "%s.name: '%s' is not a service name ([a-z][a-z0-9-]*)", where,
                         ret->name);
                return -EINVAL;
        }
        if (get_string(d, o, "mode", where, sizeof(mode_s) - 1, mode_s) < 0)
                return -EINVAL;
        m = policy_mode_from_string(mode_s);
        if (m < 0) {
                diag_add(d, no_loc, "%s.mode: must be 'monitor' or 'enforce', not '%s'", where,
                         mode_s);
                return -EINVAL;
        }
        ret->mode = (enum policy_mode)m;
        if (get_uint(d, o, "since", where, INT64_MAX, &ret->since_usec) < 0)
                return -EINVAL;
        snprintf(by_where, sizeof(by_where), "%s.by", where);
        return parse_peer(d, json_object_get(o, "by"), by_where, &ret->who);
}

static int parse_body(struct diag_list *d, json_t *body, struct hardend_state *s)
{
        static const char *const body_keys[] = {"services", "cursors"};
        static const char *const cursor_keys[] = {"journal", "audit_serial", "audit_stamp_usec"};
        json_t *services, *cursors, *v;
        size_t i;

        if (json_check_keys(d, body, "body", body_keys, ELEMENTSOF(body_keys)) < 0)
                return -EINVAL;
        services = json_object_get(body, "services");
        if (!json_is_array(services) || json_array_size(services) > STATE_SERVICES_MAX) {
                diag_add(d, no_loc, "body.services: must be an array of at most %d services",
                         STATE_SERVICES_MAX);
                return -EINVAL;
        }
        if (json_array_size(services) > 0) {
                s->services = calloc(json_array_size(services), sizeof(s->services[0]));
                if (!s->services)
                        return -ENOMEM;
        }
        json_array_foreach(services, i, v)
        {
                if (parse_service(d, v, i, &s->services[i]) < 0)
                        return -EINVAL;
                if (i > 0 && strcmp(s->services[i - 1].name, s->services[i].name) >= 0) {
                        diag_add(d, no_loc,
                                 "body.services[%zu]: '%s' is a duplicate or out of order", i,
                                 s->services[i].name);
                        return -EINVAL;
                }
                s->n_services = i + 1;
        }
        cursors = json_object_get(body, "cursors");
        if (json_check_keys(d, cursors, "body.cursors", cursor_keys, ELEMENTSOF(cursor_keys)) < 0 ||
            get_string(d, cursors, "journal", "body.cursors", STATE_CURSOR_MAX,
                       s->cursors.journal) < 0 ||
            get_uint(d, cursors, "audit_serial", "body.cursors", UINT32_MAX,
                     &s->cursors.audit_serial) < 0 ||
            get_uint(d, cursors, "audit_stamp_usec", "body.cursors", INT64_MAX,
                     &s->cursors.audit_stamp_usec) < 0)
                return -EINVAL;
        return 0;
}

int state_parse(const char *data, size_t size, struct diag_list *diags, struct hardend_state **ret)
{
        _cleanup_state_ struct hardend_state *s = NULL;
        _cleanup_json_ json_t *body = NULL;
        int r;

        r = json_file_parse(data, size, STATE_FILE_MAX, STATE_FORMAT_NAME, STATE_FORMAT_VERSION,
                            "state", diags, &body);
        if (r < 0)
                return r;
        s = state_new();
        if (!s)
                return -ENOMEM;
        r = parse_body(diags, body, s);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(s);
        return 0;
}
