/* SPDX-License-Identifier: MIT */
#include "daemon-render.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>

#include "apparmor/apparmor-render.h"
#include "base/macro.h"
#include "posture/posture-check.h"
#include "posture/text-escape.h"

/* Escaped strings live in a ring of static buffers, so several can go to
 * one printf. No single printf here takes more than ESC_SLOTS of them. */
#define ESC_SLOTS 16
#define ESC_MAX   RENDER_ESCAPE_MAX

/* Bytes of the well-formed UTF-8 sequence at u, or 0 when there is none
 * (a stray or cut-short byte: the command line and the kernel can hand
 * us any bytes, jansson only valid UTF-8). */
static size_t utf8_len(const unsigned char *u)
{
        size_t k = *u >= 0xc2 && *u <= 0xdf   ? 2
                   : *u >= 0xe0 && *u <= 0xef ? 3
                   : *u >= 0xf0 && *u <= 0xf4 ? 4
                                              : 0;

        for (size_t i = 1; i < k; i++)
                if (u[i] < 0x80 || u[i] > 0xbf)
                        return 0;
        return k;
}

/* Daemon text for a terminal: valid UTF-8 is kept as it is (paths and
 * names in other scripts stay readable); C0 and C1 control characters and
 * DEL, which a terminal would act on, and bytes that are not UTF-8 (a raw
 * 0x9b is CSI to an 8-bit terminal) are escaped. Long text is cut with
 * "..." on a character boundary. NULL gives "?". */
const char *render_escape(const char *s)
{
        static char bufs[ESC_SLOTS][ESC_MAX];
        static unsigned slot;
        char *b = bufs[slot++ % ESC_SLOTS];
        const unsigned char *u = (const unsigned char *)s;
        size_t n = 0;

        if (!s)
                return "?";
        while (*u) {
                char tmp[8];
                size_t k;

                if (*u == '\n' || *u == '\t' || *u == '\r') {
                        tmp[0] = '\\';
                        tmp[1] = *u == '\n' ? 'n' : *u == '\t' ? 't' : 'r';
                        k = 2;
                        u++;
                } else if (*u < 0x20 || *u == 0x7f) {
                        k = (size_t)snprintf(tmp, sizeof(tmp), "\\x%02x", *u);
                        u++;
                } else if (*u == 0xc2 && u[1] >= 0x80 && u[1] <= 0x9f) {
                        /* U+0080..U+009F: CSI (U+009B) starts escape sequences. */
                        k = (size_t)snprintf(tmp, sizeof(tmp), "\\u%04x", u[1]);
                        u += 2;
                } else if (*u < 0x80) {
                        tmp[0] = (char)*u++;
                        k = 1;
                } else if ((k = utf8_len(u)) > 0) {
                        memcpy(tmp, u, k);
                        u += k;
                } else {
                        k = (size_t)snprintf(tmp, sizeof(tmp), "\\x%02x", *u);
                        u++;
                }
                if (n + k + 4 > ESC_MAX) {
                        memcpy(b + n, "...", 4);
                        return b;
                }
                memcpy(b + n, tmp, k);
                n += k;
        }
        b[n] = '\0';
        return b;
}

static const char *esc(const char *s)
{
        return render_escape(s);
}

/* Typed field access: NULL / false when the key is missing or holds
 * another type. jansson's getters already return NULL for a non-object. */
static const char *jstr(const json_t *o, const char *key)
{
        return json_string_value(json_object_get(o, key));
}

static bool jint(const json_t *o, const char *key, int64_t *ret)
{
        const json_t *v = json_object_get(o, key);

        if (!json_is_integer(v))
                return false;
        *ret = (int64_t)json_integer_value(v);
        return true;
}

static const json_t *jobj(const json_t *o, const char *key)
{
        const json_t *v = json_object_get(o, key);

        return json_is_object(v) ? v : NULL;
}

static const json_t *jarr(const json_t *o, const char *key)
{
        const json_t *v = json_object_get(o, key);

        return json_is_array(v) ? v : NULL;
}

static bool jbool(const json_t *o, const char *key, bool *ret)
{
        const json_t *v = json_object_get(o, key);

        if (!json_is_boolean(v))
                return false;
        *ret = json_is_true(v);
        return true;
}

/* A list of phrases joined with a separator, for lines that show only
 * the fields the reply has. */
struct parts {
        char buf[ESC_MAX];
        size_t len;
        unsigned n;
        const char *sep; /* NULL: ", " */
};

/* Appends to p->buf what fits; text that does not ends in "...". */
static void append(struct parts *p, const char *fmt, va_list ap) _printf_(2, 0);
static void append(struct parts *p, const char *fmt, va_list ap)
{
        size_t room = sizeof(p->buf) - p->len;
        int k = vsnprintf(p->buf + p->len, room, fmt, ap);

        if (k < 0)
                return;
        if ((size_t)k < room) {
                p->len += (size_t)k;
                return;
        }
        p->len = sizeof(p->buf) - 1;
        memcpy(p->buf + p->len - 3, "...", 3);
}

static void append_text(struct parts *p, const char *fmt, ...) _printf_(2, 3);
static void append_text(struct parts *p, const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        append(p, fmt, ap);
        va_end(ap);
}

static void part(struct parts *p, const char *fmt, ...) _printf_(2, 3);
static void part(struct parts *p, const char *fmt, ...)
{
        va_list ap;

        if (p->n > 0)
                append_text(p, "%s", p->sep ? p->sep : ", ");
        va_start(ap, fmt);
        append(p, fmt, ap);
        va_end(ap);
        p->n++;
}

/* "N label" when the counter is there; "N LABEL" in capitals when it
 * counts a loss and is not zero, so it stands out. */
static void count_part(struct parts *p, const json_t *o, const char *key, const char *label,
                       bool loss)
{
        int64_t v;

        if (!jint(o, key, &v))
                return;
        if (loss && v != 0) {
                char up[64];
                size_t i;

                for (i = 0; label[i] && i < sizeof(up) - 1; i++)
                        up[i] =
                            (char)(label[i] >= 'a' && label[i] <= 'z' ? label[i] - 32 : label[i]);
                up[i] = '\0';
                part(p, "%lld %s", (long long)v, up);
        } else
                part(p, "%lld %s", (long long)v, label);
}

/* "45s", "3m", "2h 5m", "3d 4h". */
static void format_span(uint64_t usec, char *buf, size_t size)
{
        uint64_t s = usec / 1000000;

        if (s < 60)
                snprintf(buf, size, "%llus", (unsigned long long)s);
        else if (s < 3600)
                snprintf(buf, size, "%llum", (unsigned long long)(s / 60));
        else if (s < 86400)
                snprintf(buf, size, "%lluh %llum", (unsigned long long)(s / 3600),
                         (unsigned long long)(s % 3600 / 60));
        else
                snprintf(buf, size, "%llud %lluh", (unsigned long long)(s / 86400),
                         (unsigned long long)(s % 86400 / 3600));
}

char *render_when(int64_t usec, uint64_t now_usec, char *buf, size_t size)
{
        char local[64], span[32];
        time_t t;
        struct tm tm;

        if (usec == 0) {
                snprintf(buf, size, "never");
                return buf;
        }
        t = (time_t)(usec / 1000000);
        if (usec < 0 || !localtime_r(&t, &tm) ||
            strftime(local, sizeof(local), "%Y-%m-%d %H:%M:%S", &tm) == 0) {
                snprintf(buf, size, "?");
                return buf;
        }
        if ((uint64_t)usec + 1000000 <= now_usec) {
                format_span(now_usec - (uint64_t)usec, span, sizeof(span));
                snprintf(buf, size, "%s (%s ago)", local, span);
        } else if ((uint64_t)usec <= now_usec + 1000000)
                snprintf(buf, size, "%s (just now)", local);
        else {
                /* The daemon's clock is ahead of ours, or the time is wrong. */
                format_span((uint64_t)usec - now_usec, span, sizeof(span));
                snprintf(buf, size, "%s (in %s)", local, span);
        }
        return buf;
}

char *render_bytes(int64_t bytes, char *buf, size_t size)
{
        static const char *const units[] = {"KiB", "MiB", "GiB", "TiB"};
        double v = (double)bytes;
        size_t u = 0;

        if (bytes < 1024) {
                snprintf(buf, size, "%lld B", (long long)bytes);
                return buf;
        }
        v /= 1024;
        while (v >= 1024 && u < ELEMENTSOF(units) - 1) {
                v /= 1024;
                u++;
        }
        snprintf(buf, size, "%.1f %s", v, units[u]);
        return buf;
}

static int finish(FILE *f)
{
        return ferror(f) ? -EIO : 0;
}

/* ---- status ---- */

static void status_sources(FILE *f, const json_t *sources)
{
        struct parts p = {.sep = "; "};
        const char *name;
        json_t *s;

        json_object_foreach((json_t *)sources, name, s)
        {
                struct parts c = {0};
                bool enabled = true, up = false, have_up;
                const char *error = jstr(s, "error");

                if (!json_is_object(s))
                        continue;
                (void)jbool(s, "enabled", &enabled);
                have_up = jbool(s, "up", &up);
                if (!enabled) {
                        part(&p, "%s off", esc(name));
                        continue;
                }
                count_part(&c, s, "records", "records", false);
                count_part(&c, s, "overruns", "overruns", true);
                count_part(&c, s, "dropped", "dropped", true);
                part(&p, "%s %s%s%s%s%s%s", esc(name),
                     !have_up ? "?"
                     : up     ? "up"
                              : "DOWN",
                     error ? ": " : "", error ? esc(error) : "", c.n ? " (" : "", c.buf,
                     c.n ? ")" : "");
        }
        if (p.n)
                fprintf(f, "  %-14s %s\n", "sources:", p.buf);
}

static void status_agent(FILE *f, const json_t *a, uint64_t now)
{
        struct parts p = {0};
        const json_t *o;
        const char *s;
        char when[128], b1[32], b2[32];
        int64_t v;

        if ((s = jstr(a, "version")))
                part(&p, "hardend %s", esc(s));
        else
                part(&p, "hardend");
        if (jint(a, "pid", &v))
                part(&p, "pid %lld", (long long)v);
        if (jint(a, "started", &v))
                part(&p, "running since %s", render_when(v, now, when, sizeof(when)));
        fprintf(f, "%s\n", p.buf);

        if ((s = jstr(a, "config")))
                fprintf(f, "  %-14s %s\n", "config:", esc(s));
        if ((s = jstr(a, "profiles_dir")))
                fprintf(f, "  %-14s %s\n", "profiles:", esc(s));
        if ((s = jstr(a, "state_dir")))
                fprintf(f, "  %-14s %s\n", "state:", esc(s));
        if ((s = jstr(a, "seccomp_dir")))
                fprintf(f, "  %-14s %s\n", "seccomp dir:", esc(s));
        if ((o = jobj(a, "sources")))
                status_sources(f, o);
        if ((o = jobj(a, "events"))) {
                struct parts e = {0};

                count_part(&e, o, "parsed", "parsed", false);
                count_part(&e, o, "delivered", "delivered", false);
                count_part(&e, o, "malformed", "malformed", false);
                count_part(&e, o, "duplicates", "duplicates", false);
                count_part(&e, o, "lost", "lost", true);
                if (e.n)
                        fprintf(f, "  %-14s %s\n", "events:", e.buf);
        }
        if ((o = jobj(a, "observations"))) {
                struct parts e = {0};

                count_part(&e, o, "keys", "kinds kept", false);
                count_part(&e, o, "over_cap", "over the cap (counted only)", false);
                if (jint(o, "bytes", &v))
                        part(&e, "%s", render_bytes(v, b1, sizeof(b1)));
                if (e.n)
                        fprintf(f, "  %-14s %s\n", "observations:", e.buf);
        }
        if ((o = jobj(a, "memory"))) {
                struct parts e = {0};

                if (jint(o, "pss", &v))
                        part(&e, "PSS %s", render_bytes(v, b1, sizeof(b1)));
                if (jint(o, "rss", &v))
                        part(&e, "RSS %s", render_bytes(v, b2, sizeof(b2)));
                if (e.n)
                        fprintf(f, "  %-14s %s\n", "memory:", e.buf);
        }
        if ((o = jobj(a, "apparmor"))) {
                bool avail;
                const char *detail = jstr(o, "detail");

                if (jbool(o, "available", &avail))
                        fprintf(f, "  %-14s %s%s%s\n",
                                "AppArmor:", avail ? "available" : "not available",
                                detail ? ": " : "", detail ? esc(detail) : "");
        }
        {
                const char *rt = jstr(a, "runtimes");

                if (rt)
                        fprintf(f, "  %-14s %s\n", "runtimes:", esc(rt));
        }
        if ((o = jobj(a, "scan"))) {
                struct parts e = {0};
                const char *err = jstr(o, "error");

                if (jint(o, "last", &v))
                        part(&e, "%s", v ? render_when(v, now, when, sizeof(when)) : "not yet");
                count_part(&e, o, "workloads", "workloads", false);
                if (jstr(o, "source"))
                        part(&e, "read from %s%s%s%s", esc(jstr(o, "source")),
                             jstr(o, "source_note") ? " (" : "",
                             jstr(o, "source_note") ? esc(jstr(o, "source_note")) : "",
                             jstr(o, "source_note") ? ")" : "");
                if (err)
                        part(&e, "ERROR: %s", esc(err));
                if (e.n)
                        fprintf(f, "  %-14s %s\n", "last scan:", e.buf);
        }
        if ((s = jstr(a, "state_warning")))
                fprintf(f, "  WARNING: %s\n", esc(s));
        o = jarr(a, "invalid_policies");
        for (size_t i = 0; i < json_array_size(o); i++) {
                const json_t *x = json_array_get(o, i);
                const char *file = jstr(x, "file"), *err = jstr(x, "error");

                if (file || err)
                        fprintf(f, "  INVALID policy %s: %s\n", esc(file), esc(err));
        }
}

/* "by uid 0 (pid 4242 hardenctl)", "as its policy sets it" */
static void status_by(struct parts *p, const json_t *by)
{
        struct parts w = {0};
        int64_t v;
        const char *comm = jstr(by, "comm");

        if (json_is_string(by)) {
                if (strcmp(json_string_value(by), "policy") == 0)
                        part(p, "as its policy sets it");
                else
                        part(p, "set by %s", esc(json_string_value(by)));
                return;
        }
        if (!json_is_object(by))
                return;
        if (comm)
                part(&w, "%s", esc(comm));
        if (jint(by, "pid", &v))
                part(&w, "pid %lld", (long long)v);
        if (jint(by, "uid", &v))
                part(p, "set by uid %lld%s%s%s", (long long)v, w.n ? " (" : "", w.buf,
                     w.n ? ")" : "");
        else if (w.n)
                part(p, "set by %s", w.buf);
}

/* What a workload's seccomp state means, and what to do about it. */
static void status_workload_seccomp(struct parts *p, const char *state, const char *mode)
{
        const char *other = !mode                          ? NULL
                            : strcmp(mode, "enforce") == 0 ? "monitor"
                            : strcmp(mode, "monitor") == 0 ? "enforce"
                                                           : NULL;

        if (!state)
                return;
        if (strcmp(state, "current") == 0)
                part(p, "seccomp current");
        else if (strcmp(state, "stale") == 0) {
                if (other)
                        part(p, "seccomp STALE: runs the %s filter; restart it to apply %s", other,
                             mode);
                else
                        part(p, "seccomp STALE: runs the other mode's filter; restart it to "
                                "apply the current mode");
        } else if (strcmp(state, "other") == 0)
                part(p, "seccomp: runs a filter that is not this service's");
        else if (strcmp(state, "none") == 0)
                part(p, "seccomp: NO filter (not started with the service's profile)");
        else if (strcmp(state, "unknown") == 0)
                part(p, "seccomp unknown (the filter could not be read back)");
        else
                part(p, "seccomp %s", esc(state));
}

/* A recording in progress, and the last one kept. */
static void status_recording(FILE *f, const json_t *rec, uint64_t now)
{
        const json_t *active = jobj(rec, "active"), *last = jobj(rec, "last");
        char when[96];
        int64_t v;

        if (active && jint(active, "end", &v))
                fprintf(f, "  %-11s RECORDING until %s%s\n",
                        "recording:", render_when(v, now, when, sizeof(when)),
                        json_is_true(json_object_get(active, "apparmor")) ? ", AppArmor too" : "");
        else if (last && jint(last, "end", &v)) {
                int64_t lost = 0;

                fprintf(f, "  %-11s last ended %s",
                        "recording:", render_when(v, now, when, sizeof(when)));
                if (jint(last, "lost", &lost) && lost > 0)
                        fprintf(f, ", %lld RECORDS LOST (coverage may lack them)", (long long)lost);
                fputc('\n', f);
        }
}

/* Whether the service is ready to enforce, and each check's word. */
static void status_readiness(FILE *f, const json_t *r)
{
        const json_t *checks = jarr(r, "checks");

        if (!r)
                return;
        fprintf(f, "  %-11s %s\n", "readiness:",
                json_is_true(json_object_get(r, "ready")) ? "READY to enforce" : "NOT READY");
        for (size_t i = 0; i < json_array_size(checks); i++) {
                const json_t *c = json_array_get(checks, i);

                fprintf(f, "  %-11s %-4s %s: %s\n", "",
                        json_is_true(json_object_get(c, "ok")) ? "ok" : "no", esc(jstr(c, "name")),
                        esc(jstr(c, "text")));
        }
}

static void status_service(FILE *f, const json_t *sv, uint64_t now)
{
        struct parts p = {0};
        const json_t *o, *ws;
        const char *mode = jstr(sv, "mode"), *s;
        char when[128];
        int64_t v;

        fprintf(f, "%s:", esc(jstr(sv, "name")));
        if (jint(sv, "since", &v) && v != 0)
                part(&p, "%s since %s", mode ? esc(mode) : "?",
                     render_when(v, now, when, sizeof(when)));
        else if (mode)
                part(&p, "%s", esc(mode));
        status_by(&p, json_object_get(sv, "by"));
        fprintf(f, "%s%s\n", p.n ? " " : "", p.buf);

        if ((o = jobj(sv, "policy"))) {
                const char *err = jstr(o, "error");

                if ((s = jstr(o, "file")))
                        fprintf(f, "  %-11s %s\n", "policy:", esc(s));
                if (err)
                        fprintf(f,
                                "  %-11s last reload FAILED: %s (the last good profiles stay in "
                                "force)\n",
                                "", esc(err));
        }
        if ((o = jobj(sv, "apparmor"))) {
                const char *profile = jstr(o, "profile"), *amode = jstr(o, "mode");
                const char *err = jstr(o, "error");
                bool loaded;

                if (jbool(o, "loaded", &loaded) && loaded)
                        fprintf(f, "  %-11s %s loaded%s%s%s\n", "AppArmor:", esc(profile),
                                amode ? " (" : "", amode ? esc(amode) : "", amode ? ")" : "");
                else if (profile || err)
                        fprintf(f, "  %-11s %s not loaded%s%s\n", "AppArmor:", esc(profile),
                                err ? ": " : "", err ? esc(err) : "");
        }
        if ((o = jobj(sv, "seccomp"))) {
                const char *sha = jstr(o, "sha256"), *path = jstr(o, "path");
                const char *err = jstr(o, "error");

                if (sha || path)
                        fprintf(f, "  %-11s %s%.12s%s%s\n", "seccomp:", sha ? "sha256 " : "",
                                sha ? esc(sha) : "", sha && path ? " " : "", path ? esc(path) : "");
                if (err)
                        fprintf(f, "  %-11s NOT written: %s\n",
                                sha || path ? "" : "seccomp:", esc(err));
                {
                        const char *note = jstr(o, "denials");

                        if (note)
                                fprintf(f, "  %-11s %s\n", "", esc(note));
                }
        }
        if ((ws = jarr(sv, "workloads"))) {
                if (json_array_size(ws) == 0)
                        fprintf(f, "  %-11s none running\n", "workloads:");
                else
                        fprintf(f, "  %s\n", "workloads:");
                for (size_t i = 0; i < json_array_size(ws); i++) {
                        const json_t *w = json_array_get(ws, i);
                        struct parts wp = {0};
                        const char *name = jstr(w, "name");

                        if (!json_is_object(w))
                                continue;
                        fprintf(f, "    %s", esc(jstr(w, "ref")));
                        if (name)
                                fprintf(f, " %s", esc(name));
                        if (jint(w, "pid", &v))
                                part(&wp, "pid %lld", (long long)v);
                        status_workload_seccomp(&wp, jstr(w, "seccomp"), mode);
                        fprintf(f, "%s%s\n", wp.n ? ": " : "", wp.buf);
                }
        }
        if ((o = jobj(sv, "events"))) {
                struct parts e = {0};

                count_part(&e, o, "total", "events", false);
                count_part(&e, o, "denials", "denied or would-be denied", false);
                if (jint(o, "last_denial", &v) && v != 0)
                        part(&e, "last denial %s", render_when(v, now, when, sizeof(when)));
                if (e.n)
                        fprintf(f, "  %-11s %s\n", "events:", e.buf);
        }
        if ((o = jobj(sv, "last_finding"))) {
                const char *sev = jstr(o, "severity"), *check = jstr(o, "check");
                const char *msg = jstr(o, "message");

                fprintf(f, "  %-11s %s %s", "finding:", esc(sev), esc(check));
                if (jint(o, "time", &v) && v != 0)
                        fprintf(f, " at %s", render_when(v, now, when, sizeof(when)));
                fprintf(f, ": %s\n", esc(msg));
        }
        status_recording(f, jobj(sv, "recording"), now);
        status_readiness(f, jobj(sv, "readiness"));
}

int render_status(FILE *f, const json_t *result, uint64_t now_usec)
{
        const json_t *a = jobj(result, "agent"), *svs = jarr(result, "services");
        bool first = true;

        if (a) {
                status_agent(f, a, now_usec);
                first = false;
        }
        for (size_t i = 0; i < json_array_size(svs); i++) {
                const json_t *sv = json_array_get(svs, i);

                if (!json_is_object(sv))
                        continue;
                if (!first)
                        fputc('\n', f);
                status_service(f, sv, now_usec);
                first = false;
        }
        if (svs && json_array_size(svs) == 0)
                fprintf(f, "%sno services (no policies in the profiles directory)\n",
                        first ? "" : "\n");
        return finish(f);
}

/* ---- monitor / enforce ---- */

int render_mode_result(FILE *f, const json_t *result)
{
        const json_t *changed = jarr(result, "changed"), *unchanged = jarr(result, "unchanged");
        size_t n_changed = 0, n = 0;

        for (size_t i = 0; i < json_array_size(changed); i++) {
                const json_t *c = json_array_get(changed, i);
                const char *svc = jstr(c, "service"), *aa = jstr(c, "apparmor");
                const char *sha = jstr(c, "sha256"), *profile = jstr(c, "profile");
                char pname[128];
                struct parts p = {.sep = "; "};

                if (!json_is_object(c))
                        continue;
                if (!profile && svc) {
                        snprintf(pname, sizeof(pname), "%s%s", APPARMOR_PROFILE_PREFIX, svc);
                        profile = pname;
                }
                if (aa && strncmp(aa, "not loaded", 10) == 0)
                        part(&p, "AppArmor profile %s %s", esc(profile), esc(aa));
                else if (aa && strcmp(aa, "loaded") == 0)
                        part(&p, "AppArmor profile %s loaded", esc(profile));
                else if (aa)
                        part(&p, "AppArmor: %s", esc(aa));
                if (sha)
                        part(&p, "seccomp sha256 %.12s", esc(sha));
                fprintf(f, "%s: %s -> %s%s%s%s\n", esc(svc), esc(jstr(c, "from")),
                        esc(jstr(c, "to")), p.n ? " (" : "", p.buf, p.n ? ")" : "");
                n_changed++;
        }
        for (size_t i = 0; i < json_array_size(unchanged); i++) {
                const json_t *u = json_array_get(unchanged, i);

                if (!json_is_object(u))
                        continue;
                fprintf(f, "%s: already %s, unchanged\n", esc(jstr(u, "service")),
                        esc(jstr(u, "mode")));
                n++;
        }
        if (n_changed > 0)
                fprintf(f,
                        "seccomp: workloads started from now on get the new filter; running ones "
                        "keep theirs until restarted (hardenctl status marks them STALE).\n");
        else if (n == 0)
                fprintf(f, "no services\n");
        return finish(f);
}

/* ---- reload ---- */

static bool is_invalid(const char *result)
{
        return result && strncmp(result, "invalid", 7) == 0;
}

bool render_reload_invalid(const json_t *result)
{
        const json_t *svs = jarr(result, "services");

        if (is_invalid(jstr(result, "config")))
                return true;
        for (size_t i = 0; i < json_array_size(svs); i++)
                if (is_invalid(jstr(json_array_get(svs, i), "result")))
                        return true;
        return false;
}

int render_reload(FILE *f, const json_t *result)
{
        const char *config = jstr(result, "config");
        const json_t *svs = jarr(result, "services");

        if (is_invalid(config)) {
                const char *why = config + 7;

                why += strspn(why, ": ");
                fprintf(f, "config: INVALID%s%s (the running configuration stays)\n",
                        *why ? ": " : "", esc(why));
        } else if (config)
                fprintf(f, "config: %s\n", esc(config));
        for (size_t i = 0; i < json_array_size(svs); i++) {
                const json_t *s = json_array_get(svs, i);
                const char *res = jstr(s, "result"), *err = jstr(s, "error");

                if (!json_is_object(s))
                        continue;
                if (is_invalid(res))
                        fprintf(f, "%s: INVALID%s%s (keeps its last good profiles)\n",
                                esc(jstr(s, "service")), err ? ": " : "", err ? esc(err) : "");
                else
                        fprintf(f, "%s: %s%s%s\n", esc(jstr(s, "service")), esc(res),
                                err ? ": " : "", err ? esc(err) : "");
        }
        return finish(f);
}

/* ---- events ---- */

/* Bytes of a record, as the offline printer shows them: text_escape()d,
 * quoted when they hold a space. */
static void event_field(struct parts *p, const char *key, const char *value)
{
        char e[TEXT_ESCAPE_SIZE(512)];

        if (!value)
                return;
        text_escape(value, strlen(value), false, e, sizeof(e));
        part(p, strchr(e, ' ') ? "%s=\"%s\"" : "%s=%s", key, e);
}

/* "9784079cc7c7 (pod prod/api-7f9c/api)", "9784079cc7c7 (web-1)",
 * "unit:nginx.service", "-": the offline printer's workload column. */
static void event_workload(struct parts *p, const json_t *ev)
{
        const char *w = jstr(ev, "workload"), *pod = jstr(ev, "pod");
        const char *ctr = jstr(ev, "k8s_container"), *name = jstr(ev, "container_name");
        const char *colon = w ? strchr(w, ':') : NULL;

        if (!w)
                part(p, "-");
        else if (colon && pod)
                part(p, "%.12s (pod %s%s%s)", esc(colon + 1), esc(pod), ctr ? "/" : "",
                     ctr ? esc(ctr) : "");
        else if (colon && name)
                part(p, "%.12s (%s)", esc(colon + 1), esc(name));
        else if (colon && strncmp(w, "unit:", 5) != 0 && strncmp(w, "pid:", 4) != 0 &&
                 strncmp(w, "monitor:", 8) != 0)
                part(p, "%.12s", esc(colon + 1));
        else
                part(p, "%s", esc(w));
}

/* The line of one event without its time. */
static void event_line(const json_t *ev, struct parts *p)
{
        const char *kind = jstr(ev, "kind"), *svc = jstr(ev, "service");
        struct parts what = {.sep = " "}, tail = {.sep = " "};
        char e[TEXT_ESCAPE_SIZE(512)];
        const char *s;

        p->sep = "  ";
        part(p, "%s", svc ? esc(svc) : "-");
        event_workload(p, ev);
        part(p, "%s", kind ? esc(kind) : "?");
        part(p, "%s", (s = jstr(ev, "verdict")) ? esc(s) : "?");
        if (kind && strcmp(kind, "seccomp") == 0) {
                if ((s = jstr(ev, "syscall")))
                        part(&what, "%s", esc(s));
                else {
                        int64_t nr;

                        if (jint(ev, "syscall_nr", &nr))
                                part(&what, "syscall %lld", (long long)nr);
                        else
                                part(&what, "?");
                }
        } else if (kind && strcmp(kind, "apparmor") == 0) {
                const char *mask = jstr(ev, "denied_mask");

                part(&what, "%s", (s = jstr(ev, "operation")) ? esc(s) : "?");
                if ((s = jstr(ev, "capability")))
                        part(&what, "%s", esc(s));
                else if ((s = jstr(ev, "family"))) {
                        const char *t = jstr(ev, "sock_type");

                        part(&what, "%s%s%s", esc(s), t ? " " : "", t ? esc(t) : "");
                } else if ((s = jstr(ev, "name")))
                        part(&what, "%s", text_escape(s, strlen(s), false, e, sizeof(e)));
                if (!mask)
                        mask = jstr(ev, "requested_mask");
                if (mask)
                        part(&what, "%s", esc(mask));
                if (!svc)
                        event_field(&what, "profile", jstr(ev, "profile"));
        } else if (kind && strcmp(kind, "abend") == 0) {
                if ((s = jstr(ev, "killed_by")))
                        part(&what, "killed-by %s", esc(s));
                else
                        part(&what, "abend");
        }
        event_field(&tail, "comm", jstr(ev, "comm"));
        event_field(&tail, "exe", jstr(ev, "exe"));
        /* Two spaces before comm=, as the offline printer has them. */
        if (what.n && tail.n)
                part(p, "%s  %s", what.buf, tail.buf);
        else if (what.n || tail.n)
                part(p, "%s", what.n ? what.buf : tail.buf);
}

static void events_flush(FILE *f, const char *time, const char *line, uint64_t count)
{
        if (count == 0)
                return;
        if (count > 1)
                fprintf(f, "%s  %s  x%llu\n", time, line, (unsigned long long)count);
        else
                fprintf(f, "%s  %s\n", time, line);
}

int render_events(FILE *f, const json_t *events)
{
        struct parts held = {0};
        char held_time[64] = "";
        uint64_t count = 0;

        for (size_t i = 0; i < json_array_size(events); i++) {
                const json_t *ev = json_array_get(events, i);
                struct parts p = {0};

                if (!json_is_object(ev))
                        continue;
                event_line(ev, &p);
                if (count > 0 && strcmp(p.buf, held.buf) == 0) {
                        count++;
                        continue;
                }
                events_flush(f, held_time, held.buf, count);
                held = p;
                snprintf(held_time, sizeof(held_time), "%s", esc(jstr(ev, "time")));
                count = 1;
        }
        events_flush(f, held_time, held.buf, count);
        return finish(f);
}

/* One observation: the offline summary's line. */
static void observation_line(FILE *f, const json_t *ob)
{
        const json_t *ws = jarr(ob, "workloads");
        const char *comm = jstr(ob, "example_comm"), *exe = jstr(ob, "example_exe");
        char c[TEXT_ESCAPE_SIZE(64)], x[TEXT_ESCAPE_SIZE(256)];
        int64_t count = 0, killed = 0, pid, more = 0;

        (void)jint(ob, "count", &count);
        fprintf(f, "  %-8s  %-13s  %-40s  x%-6lld  %s .. %s", esc(jstr(ob, "kind")),
                esc(jstr(ob, "verdict")), esc(jstr(ob, "what")), (long long)count,
                esc(jstr(ob, "first")), esc(jstr(ob, "last")));
        if (jint(ob, "killed", &killed) && killed)
                fprintf(f, "  killed %lld", (long long)killed);
        if (jint(ob, "example_pid", &pid))
                fprintf(f, "  pid %lld", (long long)pid);
        if (comm) {
                text_escape(comm, strlen(comm), false, c, sizeof(c));
                fprintf(f, strchr(c, ' ') ? " comm=\"%s\"" : " comm=%s", c);
        }
        if (exe)
                fprintf(f, " exe=%s", text_escape(exe, strlen(exe), false, x, sizeof(x)));
        for (size_t i = 0, k = 0; i < json_array_size(ws); i++) {
                const char *w = json_string_value(json_array_get(ws, i));

                if (w)
                        fprintf(f, "%s%s", k++ == 0 ? "  in " : ", ", esc(w));
        }
        if (jint(ob, "more_workloads", &more) && more)
                fprintf(f, " (+%lld events elsewhere)", (long long)more);
        fputc('\n', f);
}

static bool same_service(const json_t *ob, const char *name)
{
        const char *s = jstr(ob, "service");

        return name ? s && strcmp(s, name) == 0 : json_is_null(json_object_get(ob, "service"));
}

int render_observations(FILE *f, const json_t *result)
{
        const json_t *obs = jarr(result, "observations"), *svs = jarr(result, "services");
        size_t n_obs = json_array_size(obs), shown = 0;
        bool *printed = n_obs ? calloc(n_obs, sizeof(bool)) : NULL;

        if (n_obs && !printed)
                return -ENOMEM;
        for (size_t s = 0; s < json_array_size(svs); s++) {
                const json_t *sv = json_array_get(svs, s);
                const char *name = jstr(sv, "service");
                int64_t events = 0, denials = 0, keys = 0, over = 0;

                if (!json_is_object(sv))
                        continue;
                fprintf(f, "%s:", name ? esc(name) : "(no service)");
                if (jint(sv, "events", &events))
                        fprintf(f, " %lld event%s", (long long)events, events == 1 ? "" : "s");
                if (jint(sv, "denials", &denials))
                        fprintf(f, ", %lld denied or would-be denied", (long long)denials);
                if (jint(sv, "keys", &keys))
                        fprintf(f, ", %lld kind%s", (long long)keys, keys == 1 ? "" : "s");
                if (jint(sv, "over_cap", &over) && over)
                        fprintf(f, ", %lld events over the key cap (counted only)",
                                (long long)over);
                fputc('\n', f);
                for (size_t i = 0; i < n_obs; i++) {
                        const json_t *ob = json_array_get(obs, i);

                        if (!printed[i] && json_is_object(ob) && same_service(ob, name)) {
                                observation_line(f, ob);
                                printed[i] = true;
                                shown++;
                        }
                }
        }
        /* Observations of a service the counts do not list (a daemon that
         * sends less than it should): shown rather than dropped. */
        if (shown < n_obs)
                for (size_t i = 0; i < n_obs; i++) {
                        const json_t *ob = json_array_get(obs, i);
                        const char *name = jstr(ob, "service");

                        if (printed[i] || !json_is_object(ob))
                                continue;
                        fprintf(f, "%s:\n", name ? esc(name) : "(no service)");
                        observation_line(f, ob);
                        printed[i] = true;
                        for (size_t k = i + 1; k < n_obs; k++) {
                                const json_t *o2 = json_array_get(obs, k);

                                if (!printed[k] && json_is_object(o2) && same_service(o2, name)) {
                                        observation_line(f, o2);
                                        printed[k] = true;
                                }
                        }
                }
        free(printed);
        return finish(f);
}

/* ---- check ---- */

static void check_seccomp(FILE *f, const json_t *sc)
{
        struct parts p = {0};
        const char *err = jstr(sc, "error"), *arch = jstr(sc, "arch");
        int64_t pid, total, filters, t = 0, n = 0;
        bool have_t, have_n;

        if (!json_is_object(sc))
                return;
        if (err) {
                if (jint(sc, "pid", &pid))
                        fprintf(f, "  seccomp: filter of pid %lld not read: %s\n", (long long)pid,
                                esc(err));
                else
                        fprintf(f, "  seccomp: filter not read: %s\n", esc(err));
                return;
        }
        count_part(&p, sc, "allowed", "allowed", false);
        count_part(&p, sc, "logged", "logged", false);
        count_part(&p, sc, "refused", "refused", false);
        have_t = jint(sc, "traced", &t);
        have_n = jint(sc, "notified", &n);
        if (have_t || have_n)
                part(&p, "%lld other", (long long)(t + n));
        count_part(&p, sc, "conditional", "conditional", false);
        fprintf(f, "  seccomp: %s", p.buf);
        if (jint(sc, "syscalls", &total))
                fprintf(f, "%sof %lld%s%s system calls", p.n ? " " : "", (long long)total,
                        arch ? " " : "", arch ? esc(arch) : "");
        p = (struct parts){0};
        if (jint(sc, "filters", &filters))
                part(&p, "%lld filter%s", (long long)filters, filters == 1 ? "" : "s");
        if (jint(sc, "pid", &pid))
                part(&p, "pid %lld", (long long)pid);
        fprintf(f, "%s%s%s\n", p.n ? " (" : "", p.buf, p.n ? ")" : "");
}

/* The workload's heading, as the offline check prints it:
 * "container:4f1c2a9b3e7d api-1: service api (label app=api), pid 5678
 *  and 2 more, exposure 2.9/10 (ok)". */
static void check_heading(FILE *f, const json_t *rep)
{
        const json_t *k8s = jobj(rep, "kubernetes"), *m = jobj(rep, "matched_by");
        const json_t *pids = jarr(rep, "pids"), *exp = jobj(rep, "exposure");
        const json_t *score = json_object_get(exp, "score");
        const char *svc = jstr(rep, "service"), *name = jstr(rep, "name");
        const char *pod = jstr(k8s, "pod"), *ctr = jstr(k8s, "container");
        const char *ns = jstr(k8s, "namespace"), *rating = jstr(exp, "rating");
        int64_t pid;

        fprintf(f, "%s", esc(jstr(rep, "ref")));
        if (pod && ctr)
                fprintf(f, " %s/%s/%s", ns ? esc(ns) : "?", esc(pod), esc(ctr));
        else if (name)
                fprintf(f, " %s", esc(name));
        if (svc) {
                const char *how = jstr(m, "criterion"), *value = jstr(m, "value");

                fprintf(f, ": service %s", esc(svc));
                if (how)
                        fprintf(f, " (%s%s%s)", esc(how), value ? " " : "",
                                value ? esc(value) : "");
        } else
                fprintf(f, ": no service (restricted baseline)");
        if (json_is_integer(json_array_get(pids, 0))) {
                pid = (int64_t)json_integer_value(json_array_get(pids, 0));
                fprintf(f, ", pid %lld", (long long)pid);
                if (json_array_size(pids) > 1)
                        fprintf(f, " and %zu more", json_array_size(pids) - 1);
        }
        if (json_is_number(score))
                fprintf(f, ", exposure %.1f/10", json_number_value(score));
        if (rating)
                fprintf(f, "%s(%s)", json_is_number(score) ? " " : ", exposure ", esc(rating));
        fputc('\n', f);
}

static void check_report(FILE *f, const json_t *rep)
{
        const json_t *fs = jarr(rep, "findings");

        check_heading(f, rep);
        check_seccomp(f, json_object_get(rep, "seccomp"));
        for (size_t i = 0; i < json_array_size(fs); i++) {
                const json_t *x = json_array_get(fs, i);

                if (json_is_object(x))
                        fprintf(f, "  %-8s  %-18s %s\n", esc(jstr(x, "severity")),
                                esc(jstr(x, "check")), esc(jstr(x, "message")));
        }
}

/* Findings per severity: the daemon's counts when it sent them, else
 * what the reports hold (seen). Unknown severities count nowhere. */
static void check_counts(const json_t *result, int64_t counts[_SEVERITY_MAX],
                         int64_t seen[_SEVERITY_MAX])
{
        const json_t *reps = jarr(result, "reports"), *cnt = jobj(result, "counts");

        memset(seen, 0, sizeof(int64_t) * _SEVERITY_MAX);
        for (size_t i = 0; i < json_array_size(reps); i++) {
                const json_t *fs = jarr(json_array_get(reps, i), "findings");

                for (size_t k = 0; k < json_array_size(fs); k++) {
                        const char *sev = jstr(json_array_get(fs, k), "severity");
                        int s = sev ? severity_from_string(sev) : -EINVAL;

                        if (s >= 0)
                                seen[s]++;
                }
        }
        for (int s = 0; s < _SEVERITY_MAX; s++)
                if (!jint(cnt, severity_to_string((enum severity)s), &counts[s]))
                        counts[s] = seen[s];
}

bool render_check_failed(const json_t *result, int fail_on)
{
        int64_t counts[_SEVERITY_MAX], seen[_SEVERITY_MAX];

        /* A gate: it fails when either the counts or the reports have a
         * finding at or above fail_on. */
        check_counts(result, counts, seen);
        for (int s = fail_on < 0 ? 0 : fail_on; s < _SEVERITY_MAX; s++)
                if (counts[s] > 0 || seen[s] > 0)
                        return true;
        return false;
}

int render_check(FILE *f, const json_t *result, uint64_t now_usec)
{
        const json_t *reps = jarr(result, "reports");
        int64_t counts[_SEVERITY_MAX], seen[_SEVERITY_MAX];
        size_t checked = 0, matched = 0;
        char when[128];
        int64_t t;

        for (size_t i = 0; i < json_array_size(reps); i++) {
                const json_t *rep = json_array_get(reps, i);

                if (!json_is_object(rep))
                        continue;
                if (checked++ > 0)
                        fputc('\n', f);
                check_report(f, rep);
                matched += jstr(rep, "service") != NULL;
        }
        check_counts(result, counts, seen);
        fprintf(f,
                "%s%zu workload%s checked (%zu against a service policy, %zu against the "
                "baseline): %lld critical, %lld high, %lld medium, %lld low, %lld info\n",
                checked ? "\n" : "", checked, checked == 1 ? "" : "s", matched, checked - matched,
                (long long)counts[SEVERITY_CRITICAL], (long long)counts[SEVERITY_HIGH],
                (long long)counts[SEVERITY_MEDIUM], (long long)counts[SEVERITY_LOW],
                (long long)counts[SEVERITY_INFO]);
        if (jint(result, "scan_time", &t) && t != 0)
                fprintf(f, "from hardend's scan of %s\n",
                        render_when(t, now_usec, when, sizeof(when)));
        return finish(f);
}
