/* SPDX-License-Identifier: MIT */
#include "seccomp-oci-import.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "base/fileio.h"
#include "base/suggest.h"
#include "policy/names.h"

/* jansson's own cleanup helper (json_auto_t uses it). */
#define _cleanup_json_ _cleanup_(json_decrefp)

static const char *const flag_names[] = {
    "SECCOMP_FILTER_FLAG_TSYNC",       "SECCOMP_FILTER_FLAG_LOG",
    "SECCOMP_FILTER_FLAG_SPEC_ALLOW",  "SECCOMP_FILTER_FLAG_NEW_LISTENER",
    "SECCOMP_FILTER_FLAG_TSYNC_ESRCH", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
};

const char *oci_flag_to_string(enum oci_flag f)
{
        for (size_t i = 0; i < ELEMENTSOF(flag_names); i++)
                if (f == 1u << i)
                        return flag_names[i];
        return NULL;
}

/* The JSON path of the value being read, e.g. "syscalls[3].args[0]". */
struct parser {
        struct oci_error *err;
        char path[160];
        size_t len;
        size_t total_names;
};

static size_t path_key(struct parser *p, const char *key)
{
        size_t old = p->len;
        int n =
            snprintf(p->path + p->len, sizeof(p->path) - p->len, "%s%s", p->len ? "." : "", key);

        if (n > 0)
                p->len =
                    p->len + (size_t)n < sizeof(p->path) ? p->len + (size_t)n : sizeof(p->path) - 1;
        return old;
}

static size_t path_index(struct parser *p, size_t i)
{
        size_t old = p->len;
        int n = snprintf(p->path + p->len, sizeof(p->path) - p->len, "[%zu]", i);

        if (n > 0)
                p->len =
                    p->len + (size_t)n < sizeof(p->path) ? p->len + (size_t)n : sizeof(p->path) - 1;
        return old;
}

static void path_restore(struct parser *p, size_t len)
{
        p->len = len;
        p->path[len] = '\0';
}

/* Copies an input string for a message: at most QUOTE_MAX bytes,
 * anything that is not printable ASCII as \xNN, so a hostile profile cannot
 * put escape sequences on the operator's terminal. */
#define QUOTE_MAX 64
static const char *quote_max(const char *s, size_t max, char *buf, size_t size)
{
        size_t o = 0;

        for (size_t i = 0; s[i] && o + 5 < size; i++) {
                unsigned char c = (unsigned char)s[i];

                if (i == max) {
                        o += (size_t)snprintf(buf + o, size - o, "...");
                        break;
                }
                if (c >= 0x20 && c < 0x7f)
                        buf[o++] = (char)c;
                else
                        o += (size_t)snprintf(buf + o, size - o, "\\x%02x", c);
        }
        buf[o < size ? o : size - 1] = '\0';
        return buf;
}

static const char *quote(const char *s, char *buf, size_t size)
{
        return quote_max(s, QUOTE_MAX, buf, size);
}

_printf_(2, 3) static int fail(struct parser *p, const char *fmt, ...)
{
        char msg[400];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        snprintf(p->err->text, sizeof(p->err->text), "%s: %s", p->len ? p->path : "(top level)",
                 msg);
        return -EINVAL;
}

static const char *type_name(const json_t *j)
{
        switch (json_typeof(j)) {
        case JSON_OBJECT:
                return "an object";
        case JSON_ARRAY:
                return "an array";
        case JSON_STRING:
                return "a string";
        case JSON_INTEGER:
                return "an integer";
        case JSON_REAL:
                return "a number with a fraction";
        case JSON_TRUE:
        case JSON_FALSE:
                return "a boolean";
        case JSON_NULL:
                return "null";
        default:
                return "a value";
        }
}

static int expect(struct parser *p, const json_t *j, json_type t, const char *what)
{
        if (json_typeof(j) == t)
                return 0;
        return fail(p, "must be %s, not %s", what, type_name(j));
}

/* Every key of object must be one of known. */
static int check_keys(struct parser *p, json_t *object, const char *const *known, size_t n_known)
{
        const char *key;
        json_t *value;

        json_object_foreach(object, key, value)
        {
                bool found = false;
                const char *s;
                char q[256];

                for (size_t i = 0; i < n_known && !found; i++)
                        found = strcmp(key, known[i]) == 0;
                if (found)
                        continue;
                s = suggest_closest(key, known, n_known);
                if (s)
                        return fail(p, "unknown key '%s' (did you mean '%s'?)",
                                    quote(key, q, sizeof(q)), s);
                return fail(p, "unknown key '%s'", quote(key, q, sizeof(q)));
        }
        return 0;
}

static int get_string(struct parser *p, json_t *j, size_t max, const char **ret)
{
        const char *s;

        if (expect(p, j, JSON_STRING, "a string") < 0)
                return -EINVAL;
        s = json_string_value(j);
        if (json_string_length(j) == 0)
                return fail(p, "must not be empty");
        if (json_string_length(j) > max)
                return fail(p, "is longer than %zu bytes", max);
        *ret = s;
        return 0;
}

static int get_uint(struct parser *p, json_t *j, uint64_t max, uint64_t *ret)
{
        json_int_t v;

        if (expect(p, j, JSON_INTEGER, "an integer") < 0)
                return -EINVAL;
        v = json_integer_value(j);
        if (v < 0)
                return fail(p, "must not be negative (%lld)", (long long)v);
        if ((uint64_t)v > max)
                return fail(p, "%lld is out of range (at most %llu)", (long long)v,
                            (unsigned long long)max);
        *ret = (uint64_t)v;
        return 0;
}

/* Calls fn for each element of an array (null counts as empty). */
static int each(struct parser *p, json_t *array, const char *key, size_t max,
                int (*fn)(struct parser *p, json_t *item, size_t i, void *userdata), void *userdata)
{
        size_t saved = path_key(p, key), i;
        json_t *item;
        int r = 0;

        /* Absent and null both mean empty. */
        if (!array || json_is_null(array))
                goto done;
        r = expect(p, array, JSON_ARRAY, "an array");
        if (r < 0)
                goto done;
        if (json_array_size(array) > max) {
                r = fail(p, "has %zu elements, more than the %zu accepted", json_array_size(array),
                         max);
                goto done;
        }
        json_array_foreach(array, i, item)
        {
                size_t s2 = path_index(p, i);

                r = fn(p, item, i, userdata);
                if (r < 0)
                        goto done;
                path_restore(p, s2);
        }
done:
        if (r >= 0)
                path_restore(p, saved);
        return r;
}

static int parse_errno_name(struct parser *p, json_t *j, int *ret)
{
        const char *s;
        char q[256];
        int e;

        if (get_string(p, j, 32, &s) < 0)
                return -EINVAL;
        e = errno_from_name(s);
        if (e <= 0)
                return fail(p, "unknown errno name '%s'", quote(s, q, sizeof(q)));
        *ret = e;
        return 0;
}

/* "SCMP_ACT_ERRNO" with errnoRet (a number) or errno (a name, podman's
 * spelling); both must agree when both are there. Docker's default for
 * SCMP_ACT_ERRNO without a number is EPERM. */
static int parse_action(struct parser *p, json_t *object, const char *act_key, const char *ret_key,
                        const char *name_key, struct seccomp_action *ret)
{
        json_t *act = json_object_get(object, act_key);
        json_t *num = json_object_get(object, ret_key);
        json_t *name = json_object_get(object, name_key);
        struct seccomp_action a = {0};
        const char *s;
        size_t saved;
        int v, from_num = 0, from_name = 0;
        uint64_t u;
        char q[256];

        if (!act)
                return fail(p, "missing key '%s'", act_key);
        saved = path_key(p, act_key);
        if (get_string(p, act, 32, &s) < 0)
                return -EINVAL;
        v = seccomp_act_from_oci(s);
        if (v == -EOPNOTSUPP) {
                fail(p,
                     "action '%s' needs a tracer or a notification listener; hardend "
                     "supports SCMP_ACT_ALLOW, LOG, ERRNO, TRAP, KILL, KILL_THREAD and "
                     "KILL_PROCESS",
                     s);
                return -EOPNOTSUPP;
        }
        if (v < 0)
                return fail(p, "unknown action '%s'", quote(s, q, sizeof(q)));
        path_restore(p, saved);
        a.act = (enum seccomp_act)v;

        if (num && !json_is_null(num)) {
                saved = path_key(p, ret_key);
                if (get_uint(p, num, 4095, &u) < 0)
                        return -EINVAL;
                if (u == 0 && a.act == SECCOMP_ACT_ERRNO)
                        return fail(p, "0 would make the call succeed without running it; "
                                       "use SCMP_ACT_ALLOW or an errno from 1 to 4095");
                from_num = (int)u;
                path_restore(p, saved);
        }
        if (name && !json_is_null(name)) {
                saved = path_key(p, name_key);
                if (parse_errno_name(p, name, &from_name) < 0)
                        return -EINVAL;
                if (from_num && from_name != from_num)
                        return fail(p, "says errno %d but '%s' says %d", from_name, ret_key,
                                    from_num);
                path_restore(p, saved);
        }
        if (a.act == SECCOMP_ACT_ERRNO)
                a.errno_value = from_num ? from_num : from_name ? from_name : EPERM;
        else if (from_num || from_name)
                return fail(p, "'%s' is only meaningful with SCMP_ACT_ERRNO, not %s", ret_key,
                            seccomp_act_to_oci(a.act));
        *ret = a;
        return 0;
}

static int add_arch(struct parser *p, json_t *item, size_t i, void *userdata)
{
        unsigned *bits = userdata, bit;
        const char *s;
        char q[256];

        if (get_string(p, item, 32, &s) < 0)
                return -EINVAL;
        if (seccomp_arch_from_oci(s, &bit) < 0)
                return fail(p,
                            "unknown architecture '%s' (expected a name such as "
                            "SCMP_ARCH_X86_64)",
                            quote(s, q, sizeof(q)));
        *bits |= bit;
        return 0;
}

static int add_arch_map(struct parser *p, json_t *item, size_t i, void *userdata)
{
        static const char *const keys[] = {"architecture", "subArchitectures"};
        json_t *arch;
        size_t saved;
        int r;

        if (expect(p, item, JSON_OBJECT, "an object") < 0 ||
            check_keys(p, item, keys, ELEMENTSOF(keys)) < 0)
                return -EINVAL;
        arch = json_object_get(item, "architecture");
        if (!arch)
                return fail(p, "missing key 'architecture'");
        saved = path_key(p, "architecture");
        r = add_arch(p, arch, 0, userdata);
        if (r < 0)
                return r;
        path_restore(p, saved);
        return each(p, json_object_get(item, "subArchitectures"), "subArchitectures", 32, add_arch,
                    userdata);
}

static int add_flag(struct parser *p, json_t *item, size_t i, void *userdata)
{
        unsigned *flags = userdata;
        const char *s;
        char q[256];

        if (get_string(p, item, 64, &s) < 0)
                return -EINVAL;
        for (size_t f = 0; f < ELEMENTSOF(flag_names); f++)
                if (strcmp(flag_names[f], s) == 0) {
                        *flags |= 1u << f;
                        return 0;
                }
        return fail(p, "unknown seccomp flag '%s'", quote(s, q, sizeof(q)));
}

static bool name_syntax_ok(const char *s)
{
        for (; *s; s++)
                if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '_')
                        return false;
        return true;
}

static int add_name(struct parser *p, json_t *item, size_t i, void *userdata)
{
        struct oci_syscall *sc = userdata;
        const char *s;
        char q[256], *copy;

        if (get_string(p, item, OCI_MAX_NAME_LEN, &s) < 0)
                return -EINVAL;
        if (!name_syntax_ok(s))
                return fail(p, "'%s' is not a syscall name (lower-case letters, digits and '_')",
                            quote(s, q, sizeof(q)));
        if (++p->total_names > OCI_MAX_NAMES_TOTAL)
                return fail(p, "the profile names more than %u syscalls in all",
                            OCI_MAX_NAMES_TOTAL);
        copy = strdup(s);
        if (!copy)
                return -ENOMEM;
        sc->names[sc->n_names++] = copy;
        return 0;
}

static int add_cap(struct parser *p, json_t *item, size_t i, void *userdata)
{
        struct oci_filter *f = userdata;
        const char *s;
        int cap;

        if (get_string(p, item, 64, &s) < 0)
                return -EINVAL;
        /* A capability newer than libcap is one no policy can hold. */
        cap = capability_from_name(s);
        f->caps[f->n_caps++] = cap < 0 ? -1 : cap;
        return 0;
}

static int add_go_arch(struct parser *p, json_t *item, size_t i, void *userdata)
{
        struct oci_filter *f = userdata;
        const char *s;
        unsigned bit;
        char q[256];

        if (get_string(p, item, 32, &s) < 0)
                return -EINVAL;
        if (seccomp_arch_from_go(s, &bit) < 0)
                return fail(p,
                            "unknown architecture '%s' (expected a name such as amd64 or "
                            "arm64)",
                            quote(s, q, sizeof(q)));
        f->arches |= bit;
        if (bit == 0)
                f->other_arches = true;
        return 0;
}

static int parse_filter(struct parser *p, json_t *object, const char *key, struct oci_filter *f)
{
        static const char *const keys[] = {"caps", "arches", "minKernel"};
        json_t *j = json_object_get(object, key), *caps, *mk;
        size_t saved;
        int r;

        if (!j || json_is_null(j))
                return 0;
        saved = path_key(p, key);
        if (expect(p, j, JSON_OBJECT, "an object") < 0 ||
            check_keys(p, j, keys, ELEMENTSOF(keys)) < 0)
                return -EINVAL;
        caps = json_object_get(j, "caps");
        if (json_is_array(caps) && json_array_size(caps) > 0 &&
            json_array_size(caps) <= OCI_MAX_FILTER_ITEMS) {
                f->caps = calloc(json_array_size(caps), sizeof(int));
                if (!f->caps)
                        return -ENOMEM;
        }
        r = each(p, caps, "caps", OCI_MAX_FILTER_ITEMS, add_cap, f);
        if (r < 0)
                return r;
        r = each(p, json_object_get(j, "arches"), "arches", OCI_MAX_FILTER_ITEMS, add_go_arch, f);
        if (r < 0)
                return r;
        mk = json_object_get(j, "minKernel");
        if (mk && !json_is_null(mk)) {
                const char *s;
                char q[256];

                path_key(p, "minKernel");
                if (get_string(p, mk, 32, &s) < 0)
                        return -EINVAL;
                if (kernel_version_parse(s, false, &f->min_kernel) < 0)
                        return fail(p, "'%s' is not a kernel version such as '5.8'",
                                    quote(s, q, sizeof(q)));
        }
        path_restore(p, saved);
        return 0;
}

static int add_arg(struct parser *p, json_t *item, size_t i, void *userdata)
{
        static const char *const keys[] = {"index", "value", "valueTwo", "op"};
        struct oci_syscall *sc = userdata;
        struct oci_arg a = {0};
        json_t *j;
        const char *s;
        uint64_t u;
        size_t saved;
        char q[256];

        if (expect(p, item, JSON_OBJECT, "an object") < 0 ||
            check_keys(p, item, keys, ELEMENTSOF(keys)) < 0)
                return -EINVAL;
        j = json_object_get(item, "index");
        if (!j)
                return fail(p, "missing key 'index'");
        saved = path_key(p, "index");
        if (get_uint(p, j, 5, &u) < 0)
                return -EINVAL;
        a.index = (unsigned)u;
        path_restore(p, saved);
        /* jansson reads integers as signed 64-bit: values above 2^63-1
         * are refused by the JSON parser itself. */
        j = json_object_get(item, "value");
        if (j) {
                saved = path_key(p, "value");
                if (get_uint(p, j, UINT64_MAX, &a.value) < 0)
                        return -EINVAL;
                path_restore(p, saved);
        }
        j = json_object_get(item, "valueTwo");
        if (j) {
                saved = path_key(p, "valueTwo");
                if (get_uint(p, j, UINT64_MAX, &a.value_two) < 0)
                        return -EINVAL;
                path_restore(p, saved);
        }
        j = json_object_get(item, "op");
        if (!j)
                return fail(p, "missing key 'op'");
        saved = path_key(p, "op");
        if (get_string(p, j, 32, &s) < 0)
                return -EINVAL;
        if (seccomp_op_from_oci(s, &a.op) < 0)
                return fail(p, "unknown operator '%s' (expected one of %s)", quote(s, q, sizeof(q)),
                            seccomp_op_names());
        path_restore(p, saved);
        sc->args[sc->n_args++] = a;
        return 0;
}

static int add_syscall(struct parser *p, json_t *item, size_t i, void *userdata)
{
        static const char *const keys[] = {"names", "name",    "action",   "errnoRet", "errno",
                                           "args",  "comment", "includes", "excludes"};
        struct oci_profile *prof = userdata;
        struct oci_syscall *sc = &prof->syscalls[prof->n_syscalls];
        json_t *names, *name, *args, *comment;
        size_t n;
        int r;

        if (expect(p, item, JSON_OBJECT, "an object") < 0 ||
            check_keys(p, item, keys, ELEMENTSOF(keys)) < 0)
                return -EINVAL;
        /* Counted before anything is allocated, so oci_profile_free()
         * sees every half-built entry. */
        prof->n_syscalls++;
        names = json_object_get(item, "names");
        name = json_object_get(item, "name");
        if (names && !json_is_null(names) && !json_is_array(names)) {
                path_key(p, "names");
                return expect(p, names, JSON_ARRAY, "an array of syscall names");
        }
        n = (json_is_array(names) ? json_array_size(names) : 0) + (name ? 1 : 0);
        if (n == 0)
                return fail(p, "needs a non-empty 'names' list (or 'name')");
        if (n > OCI_MAX_NAMES_PER_ENTRY + 1)
                n = OCI_MAX_NAMES_PER_ENTRY + 1;
        sc->names = calloc(n + 1, sizeof(char *));
        if (!sc->names)
                return -ENOMEM;
        r = each(p, names, "names", OCI_MAX_NAMES_PER_ENTRY, add_name, sc);
        if (r < 0)
                return r;
        if (name && !json_is_null(name)) {
                size_t saved = path_key(p, "name");

                r = add_name(p, name, 0, sc);
                if (r < 0)
                        return r;
                path_restore(p, saved);
        }
        if (sc->n_names == 0)
                return fail(p, "needs a non-empty 'names' list (or 'name')");

        r = parse_action(p, item, "action", "errnoRet", "errno", &sc->action);
        if (r < 0)
                return r;

        args = json_object_get(item, "args");
        if (json_is_array(args) && json_array_size(args) > 0 &&
            json_array_size(args) <= OCI_MAX_ARGS) {
                sc->args = calloc(json_array_size(args), sizeof(*sc->args));
                if (!sc->args)
                        return -ENOMEM;
        }
        r = each(p, args, "args", OCI_MAX_ARGS, add_arg, sc);
        if (r < 0)
                return r;

        comment = json_object_get(item, "comment");
        if (comment && !json_is_null(comment)) {
                size_t saved = path_key(p, "comment");

                if (expect(p, comment, JSON_STRING, "a string") < 0)
                        return -EINVAL;
                path_restore(p, saved);
        }
        r = parse_filter(p, item, "includes", &sc->includes);
        if (r < 0)
                return r;
        return parse_filter(p, item, "excludes", &sc->excludes);
}

static int parse_top(struct parser *p, json_t *root, struct oci_profile *prof)
{
        static const char *const keys[] = {"defaultAction", "defaultErrnoRet", "defaultErrno",
                                           "architectures", "archMap",         "syscalls",
                                           "flags",         "listenerPath",    "listenerMetadata"};
        json_t *syscalls, *arches, *archmap, *j;
        int r;

        if (expect(p, root, JSON_OBJECT, "an object") < 0 ||
            check_keys(p, root, keys, ELEMENTSOF(keys)) < 0)
                return -EINVAL;
        r = parse_action(p, root, "defaultAction", "defaultErrnoRet", "defaultErrno",
                         &prof->default_action);
        if (r < 0)
                return r;

        arches = json_object_get(root, "architectures");
        archmap = json_object_get(root, "archMap");
        if (arches && !json_is_null(arches) && archmap && !json_is_null(archmap)) {
                path_key(p, "archMap");
                return fail(p, "use either 'architectures' or 'archMap', not both");
        }
        r = each(p, arches, "architectures", 32, add_arch, &prof->arches);
        if (r < 0)
                return r;
        r = each(p, archmap, "archMap", 32, add_arch_map, &prof->arches);
        if (r < 0)
                return r;
        r = each(p, json_object_get(root, "flags"), "flags", 16, add_flag, &prof->flags);
        if (r < 0)
                return r;
        for (const char *const *k = (const char *const[]){"listenerPath", "listenerMetadata", NULL};
             *k; k++) {
                j = json_object_get(root, *k);
                if (j && !json_is_null(j)) {
                        size_t saved = path_key(p, *k);

                        if (expect(p, j, JSON_STRING, "a string") < 0)
                                return -EINVAL;
                        path_restore(p, saved);
                }
        }

        syscalls = json_object_get(root, "syscalls");
        if (json_is_array(syscalls) && json_array_size(syscalls) > 0 &&
            json_array_size(syscalls) <= OCI_MAX_SYSCALL_ENTRIES) {
                prof->syscalls = calloc(json_array_size(syscalls), sizeof(*prof->syscalls));
                if (!prof->syscalls)
                        return -ENOMEM;
        }
        return each(p, syscalls, "syscalls", OCI_MAX_SYSCALL_ENTRIES, add_syscall, prof);
}

int oci_profile_parse(const char *data, size_t size, struct oci_error *err,
                      struct oci_profile **ret)
{
        _cleanup_oci_profile_ struct oci_profile *prof = NULL;
        _cleanup_json_ json_t *root = NULL;
        struct parser p = {.err = err};
        json_error_t jerr;
        int r;

        err->text[0] = '\0';
        if (size > OCI_PROFILE_MAX_BYTES) {
                snprintf(err->text, sizeof(err->text), "profile is larger than %u bytes",
                         OCI_PROFILE_MAX_BYTES);
                return -EFBIG;
        }
        root = json_loadb(data, size, JSON_REJECT_DUPLICATES, &jerr);
        if (!root) {
                char q[sizeof(jerr.text) + 8];

                /* jansson quotes the input near the error: escape it too. */
                snprintf(err->text, sizeof(err->text), "%d:%d: %s", jerr.line, jerr.column,
                         quote_max(jerr.text, sizeof(q) - 8, q, sizeof(q)));
                return -EINVAL;
        }
        prof = calloc(1, sizeof(*prof));
        if (!prof)
                return -ENOMEM;
        r = parse_top(&p, root, prof);
        if (r == -ENOMEM)
                snprintf(err->text, sizeof(err->text), "out of memory");
        if (r < 0)
                return r;
        *ret = TAKE_PTR(prof);
        return 0;
}

int oci_profile_load(int dirfd, const char *path, struct oci_error *err, struct oci_profile **ret)
{
        _cleanup_free_ char *data = NULL;
        size_t size;
        int r;

        r = read_file_bounded(dirfd, path, OCI_PROFILE_MAX_BYTES, &data, &size);
        if (r == -EFBIG) {
                snprintf(err->text, sizeof(err->text), "profile is larger than %u bytes",
                         OCI_PROFILE_MAX_BYTES);
                return r;
        }
        if (r < 0) {
                snprintf(err->text, sizeof(err->text), "cannot read: %s", strerror(-r));
                return r;
        }
        return oci_profile_parse(data, size, err, ret);
}

static void filter_done(struct oci_filter *f)
{
        free(f->caps);
}

struct oci_profile *oci_profile_free(struct oci_profile *p)
{
        if (!p)
                return NULL;
        for (size_t i = 0; i < p->n_syscalls; i++) {
                struct oci_syscall *sc = &p->syscalls[i];

                for (size_t j = 0; j < sc->n_names; j++)
                        free(sc->names[j]);
                free(sc->names);
                free(sc->args);
                filter_done(&sc->includes);
                filter_done(&sc->excludes);
        }
        free(p->syscalls);
        free(p);
        return NULL;
}

int kernel_version_parse(const char *s, bool allow_suffix, uint32_t *ret)
{
        unsigned part[3] = {0, 0, 0};
        size_t n = 0;
        const char *c = s;

        while (n < 3) {
                unsigned v = 0;
                size_t digits = 0;

                while (isdigit((unsigned char)*c) && digits < 5) {
                        v = v * 10 + (unsigned)(*c - '0');
                        c++;
                        digits++;
                }
                if (digits == 0 || v > 1023)
                        return -EINVAL;
                part[n++] = v;
                if (*c != '.')
                        break;
                c++;
        }
        /* "4.8" or "4.8.1": at least major and minor. */
        if (n < 2)
                return -EINVAL;
        if (*c != '\0' && !(allow_suffix && !isdigit((unsigned char)*c)))
                return -EINVAL;
        *ret = kernel_version_make(part[0], part[1], part[2]);
        return 0;
}

int kernel_version_running(uint32_t *ret)
{
        struct utsname u;

        if (uname(&u) < 0)
                return negative_errno();
        return kernel_version_parse(u.release, true, ret);
}
