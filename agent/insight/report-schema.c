/* SPDX-License-Identifier: MIT */
/* The report document's schema as tables, checked before any rendering so
 * that a renderer never meets a count that is a string or a service that
 * is a number. Only types are checked (and that counts and times are not
 * negative): words like a mode or a verdict are shown as they come, and
 * keys the schema does not know are ignored, so a newer model still
 * renders with an older renderer. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "base/macro.h"
#include "report-internal.h"

enum kind { T_STRING, T_BOOL, T_UINT, T_NUMBER, T_OBJECT, T_ARRAY };

struct schema;

struct field {
        const char *name;
        enum kind kind;
        bool required;            /* absent or null is an error */
        enum kind item;           /* T_ARRAY: what each element is */
        const struct schema *sub; /* T_OBJECT, or T_ARRAY of T_OBJECT */
        bool positive;            /* T_UINT: > 0 */
};

struct schema {
        const struct field *fields;
        size_t n;
};

#define SCHEMA(name, ...)                                                                          \
        static const struct field name##_fields[] = {__VA_ARGS__};                                 \
        static const struct schema name = {name##_fields, ELEMENTSOF(name##_fields)}

/* Optional (absent or null is fine) and required fields, objects, arrays. */
#define OPT(n, k)                                                                                  \
        {                                                                                          \
                .name = (n), .kind = (k)                                                           \
        }
#define REQ(n, k)                                                                                  \
        {                                                                                          \
                .name = (n), .kind = (k), .required = true                                         \
        }
#define OBJ(n, s)                                                                                  \
        {                                                                                          \
                .name = (n), .kind = T_OBJECT, .sub = (s)                                          \
        }
#define ARR(n, s)                                                                                  \
        {                                                                                          \
                .name = (n), .kind = T_ARRAY, .item = T_OBJECT, .sub = (s)                         \
        }
#define LIST(n, k)                                                                                 \
        {                                                                                          \
                .name = (n), .kind = T_ARRAY, .item = (k)                                          \
        }

SCHEMA(check_schema, REQ("name", T_STRING), REQ("ok", T_BOOL), OPT("text", T_STRING));
SCHEMA(readiness_schema, REQ("ready", T_BOOL), ARR("checks", &check_schema));
SCHEMA(counts_schema, OPT("events", T_UINT), OPT("denials", T_UINT),
       OPT("would_be_denials", T_UINT), OPT("over_cap", T_UINT));
SCHEMA(example_schema, OPT("pid", T_UINT), OPT("comm", T_STRING), OPT("exe", T_STRING));
SCHEMA(denial_schema, OPT("kind", T_STRING), OPT("verdict", T_STRING), OPT("enforced", T_BOOL),
       REQ("what", T_STRING), REQ("count", T_UINT), OPT("killed", T_UINT),
       OPT("first_usec", T_UINT), OPT("last_usec", T_UINT), OBJ("example", &example_schema),
       LIST("workloads", T_STRING), OPT("more_workloads", T_UINT));
SCHEMA(workload_schema, REQ("ref", T_STRING), OPT("name", T_STRING), OPT("kind", T_STRING),
       OPT("pids", T_UINT), OPT("score", T_NUMBER), OPT("seccomp", T_STRING));
SCHEMA(finding_schema, REQ("severity", T_STRING), OPT("check", T_STRING), OPT("workload", T_STRING),
       OPT("pid", T_UINT), REQ("text", T_STRING));
SCHEMA(timeline_schema, REQ("start_usec", T_UINT),
       {.name = "bucket_usec", .kind = T_UINT, .required = true, .positive = true},
       LIST("events", T_UINT), LIST("denials", T_UINT));
SCHEMA(top_schema, REQ("label", T_STRING), REQ("count", T_UINT), OPT("denials", T_UINT));
SCHEMA(risky_schema, REQ("what", T_STRING), OPT("note", T_STRING));
SCHEMA(proposal_schema, OPT("changes", T_UINT), OPT("held_back", T_UINT), OPT("summary", T_STRING),
       OPT("diff", T_STRING), ARR("risky", &risky_schema));
SCHEMA(service_schema, REQ("service", T_STRING), OPT("mode", T_STRING), OPT("policy", T_STRING),
       OBJ("readiness", &readiness_schema), OBJ("counts", &counts_schema),
       ARR("denials", &denial_schema), OPT("more_denials", T_UINT),
       ARR("workloads", &workload_schema), ARR("findings", &finding_schema),
       OBJ("timeline", &timeline_schema), ARR("top", &top_schema),
       OBJ("proposal", &proposal_schema));
SCHEMA(unattributed_schema, OPT("events", T_UINT), OPT("denials", T_UINT),
       OPT("would_be_denials", T_UINT), OBJ("counts", &counts_schema));
SCHEMA(agent_schema, OPT("lost", T_UINT), OPT("overruns", T_UINT), OPT("malformed", T_UINT));
SCHEMA(report_schema, REQ("generated_usec", T_UINT), OPT("source", T_STRING),
       OPT("since_usec", T_UINT),
       {.name = "services",
        .kind = T_ARRAY,
        .required = true,
        .item = T_OBJECT,
        .sub = &service_schema},
       OBJ("unattributed", &unattributed_schema), OBJ("agent", &agent_schema));

/* Where the checker is: "services[0].denials[3]". Paths are short (the
 * schema is 4 levels deep), but a key is cut if it has to be. */
struct where {
        char path[256];
        char *error;
        size_t error_size;
};

static int fail(struct where *w, const char *key, const char *fmt, ...) _printf_(3, 4);
static int fail(struct where *w, const char *key, const char *fmt, ...)
{
        char what[96];
        va_list ap;

        if (!w->error || w->error_size == 0)
                return -EINVAL;
        va_start(ap, fmt);
        vsnprintf(what, sizeof(what), fmt, ap);
        va_end(ap);
        snprintf(w->error, w->error_size, "%s%s%s: %s", w->path, w->path[0] && key ? "." : "",
                 key ? key : (w->path[0] ? "" : "(document)"), what);
        return -EINVAL;
}

static const char *kind_name(enum kind k, bool positive)
{
        switch (k) {
        case T_STRING:
                return "a string";
        case T_BOOL:
                return "true or false";
        case T_UINT:
                return positive ? "an integer > 0" : "an integer >= 0";
        case T_NUMBER:
                return "a number >= 0";
        case T_OBJECT:
                return "an object";
        case T_ARRAY:
                return "an array";
        default:
                return "?";
        }
}

static bool is_kind(const json_t *v, enum kind k, bool positive)
{
        switch (k) {
        case T_STRING:
                return json_is_string(v);
        case T_BOOL:
                return json_is_boolean(v);
        case T_UINT:
                return json_is_integer(v) && json_integer_value(v) >= (positive ? 1 : 0);
        case T_NUMBER:
                return json_is_number(v) && isfinite(json_number_value(v)) &&
                       json_number_value(v) >= 0;
        case T_OBJECT:
                return json_is_object(v);
        case T_ARRAY:
                return json_is_array(v);
        default:
                return false;
        }
}

static int check_object(struct where *w, const json_t *o, const struct schema *s);

/* Appends a path component, runs the check, and takes it off again. */
static int descend(struct where *w, const char *fmt_key, size_t index, bool indexed,
                   const json_t *o, const struct schema *s)
{
        size_t len = strlen(w->path);
        int r;

        if (indexed)
                snprintf(w->path + len, sizeof(w->path) - len, "%s%s[%zu]",
                         len && fmt_key ? "." : "", fmt_key ? fmt_key : "", index);
        else
                snprintf(w->path + len, sizeof(w->path) - len, "%s%s", len ? "." : "", fmt_key);
        r = check_object(w, o, s);
        w->path[len] = '\0';
        return r;
}

static int check_field(struct where *w, const json_t *o, const struct field *fd)
{
        const json_t *v = json_object_get(o, fd->name);

        if (!v || json_is_null(v))
                return fd->required ? fail(w, fd->name, "missing") : 0;
        if (!is_kind(v, fd->kind, fd->positive))
                return fail(w, fd->name, "expected %s", kind_name(fd->kind, fd->positive));
        if (fd->kind == T_OBJECT)
                return descend(w, fd->name, 0, false, v, fd->sub);
        if (fd->kind != T_ARRAY)
                return 0;
        for (size_t i = 0; i < json_array_size(v); i++) {
                const json_t *x = json_array_get(v, i);
                char key[80];
                int r;

                if (!is_kind(x, fd->item, false)) {
                        snprintf(key, sizeof(key), "%s[%zu]", fd->name, i);
                        return fail(w, key, "expected %s", kind_name(fd->item, false));
                }
                if (fd->item == T_OBJECT && (r = descend(w, fd->name, i, true, x, fd->sub)) < 0)
                        return r;
        }
        return 0;
}

static int check_object(struct where *w, const json_t *o, const struct schema *s)
{
        for (size_t i = 0; i < s->n; i++) {
                int r = check_field(w, o, &s->fields[i]);

                if (r < 0)
                        return r;
        }
        return 0;
}

int report_validate(const json_t *report, char *error, size_t error_size)
{
        struct where w = {.error = error, .error_size = error_size};

        if (!json_is_object(report))
                return fail(&w, NULL, "expected an object");
        return check_object(&w, report, &report_schema);
}
