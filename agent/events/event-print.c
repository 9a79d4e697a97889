/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <jansson.h>
#include <linux/audit.h>
#include <stdlib.h>
#include <string.h>

#include "base/macro.h"
#include "base/time-util.h"
#include "event-print.h"
#include "syscall-lookup.h"
#include "policy/names.h"
#include "posture/text-escape.h"

/* A text line is short in practice; paths make it long at most this. */
#define LINE_MAX_BYTES (4 * AUDIT_TEXT_MAX)

struct event_printer {
        FILE *f;
        bool json;
        /* The folded line being held: its text without the time, the time
         * of its first event, how many it stands for. */
        char *held;
        char held_time[32];
        uint64_t held_count;
        char *line; /* scratch, LINE_MAX_BYTES */
};

int event_printer_new(FILE *f, bool json, struct event_printer **ret)
{
        struct event_printer *pr = calloc(1, sizeof(*pr));

        if (!pr)
                return -ENOMEM;
        pr->f = f;
        pr->json = json;
        pr->held = malloc(LINE_MAX_BYTES);
        pr->line = malloc(LINE_MAX_BYTES);
        if (!pr->held || !pr->line) {
                event_printer_free(pr);
                return -ENOMEM;
        }
        *ret = pr;
        return 0;
}

struct event_printer *event_printer_free(struct event_printer *pr)
{
        if (!pr)
                return NULL;
        (void)event_printer_flush(pr);
        free(pr->held);
        free(pr->line);
        free(pr);
        return NULL;
}

int event_printer_flush(struct event_printer *pr)
{
        if (pr->held_count == 0)
                return 0;
        if (pr->held_count > 1)
                fprintf(pr->f, "%s  %s  x%llu\n", pr->held_time, pr->held,
                        (unsigned long long)pr->held_count);
        else
                fprintf(pr->f, "%s  %s\n", pr->held_time, pr->held);
        pr->held_count = 0;
        return fflush(pr->f) == 0 ? 0 : -EIO;
}

/* "ptrace", "i386:socketcall", "syscall 451" */
static const char *syscall_label(const struct seccomp_event *s, char *buf, size_t size)
{
        const char *arch = audit_arch_name(s->arch);
        bool native = s->arch == AUDIT_ARCH_X86_64 && !(s->syscall & 0x40000000);

        if (s->syscall_name && native)
                return s->syscall_name;
        if (s->syscall_name)
                snprintf(buf, size, "%s:%s",
                         s->syscall & 0x40000000 ? "x32"
                         : arch                  ? arch
                                                 : "?",
                         s->syscall_name);
        else
                snprintf(buf, size, "%s:syscall %lld", arch ? arch : "?", (long long)s->syscall);
        return buf;
}

/* "LOG", "ERRNO(EPERM)", "KILL_PROCESS" */
const char *event_verdict_label(enum event_kind kind, unsigned verdict, unsigned data, char *buf,
                                size_t size)
{
        const char *en;

        switch (kind) {
        case EVENT_SECCOMP:
                /* The kernel logs the action without its data: a real
                 * record's ERRNO carries no errno (0); only a log written
                 * by something else may have one. */
                if (verdict != SECCOMP_EVENT_ERRNO || data == 0)
                        return seccomp_event_verdict_to_string(verdict);
                en = errno_to_name((int)data);
                if (en)
                        snprintf(buf, size, "ERRNO(%s)", en);
                else
                        snprintf(buf, size, "ERRNO(%u)", data);
                return buf;
        case EVENT_APPARMOR:
                return apparmor_verdict_to_string(verdict);
        case EVENT_ABEND:
                snprintf(buf, size, "signal %u", data);
                return buf;
        case _EVENT_KIND_MAX:
        default:
                return "?";
        }
}

static const char *verdict_label(const struct audit_event *e, char *buf, size_t size)
{
        switch (e->kind) {
        case EVENT_SECCOMP:
                return event_verdict_label(e->kind, e->seccomp.verdict, e->seccomp.data, buf, size);
        case EVENT_APPARMOR:
                return event_verdict_label(e->kind, e->apparmor.verdict, 0, buf, size);
        case EVENT_ABEND:
                return event_verdict_label(e->kind, 0, (unsigned)e->abend.sig, buf, size);
        case _EVENT_KIND_MAX:
        default:
                return "?";
        }
}

static void append(char **p, char *end, const char *fmt, ...) _printf_(3, 4);
static void append(char **p, char *end, const char *fmt, ...)
{
        va_list ap;
        int n;

        if (*p >= end)
                return;
        va_start(ap, fmt);
        n = vsnprintf(*p, (size_t)(end - *p), fmt, ap);
        va_end(ap);
        *p = n < 0 ? end : *p + n < end ? *p + n : end;
}

static void append_escaped(char **p, char *end, const char *key, const char *value)
{
        char esc[TEXT_ESCAPE_SIZE(256)];

        if (!value)
                return;
        text_escape(value, strlen(value), false, esc, sizeof(esc));
        /* Quoted when it has a space, so the line still splits on spaces;
         * text_escape() has escaped every quote inside. */
        if (strchr(esc, ' '))
                append(p, end, " %s=\"%s\"", key, esc);
        else
                append(p, end, " %s=%s", key, esc);
}

/* "9784079cc7c7 (web-1)", "9784079cc7c7 (pod prod/api-7f9c/api)",
 * "unit:nginx.service", "-" */
static void append_workload(char **p, char *end, const struct attribution *a)
{
        const char *w = a->workload, *colon;

        if (!w) {
                append(p, end, "-");
                return;
        }
        colon = strchr(w, ':');
        if (colon && (a->pod || a->container_name)) {
                append(p, end, "%.12s", colon + 1);
                if (a->pod)
                        append(p, end, " (pod %s%s%s)", a->pod, a->k8s_container ? "/" : "",
                               a->k8s_container ? a->k8s_container : "");
                else
                        append(p, end, " (%s)", a->container_name);
        } else if (colon && strncmp(w, "unit:", 5) != 0 && strncmp(w, "pid:", 4) != 0 &&
                   strncmp(w, "monitor:", 8) != 0)
                append(p, end, "%.12s", colon + 1);
        else
                append(p, end, "%s", w);
}

static void format_line(const struct audit_event *e, const struct event_context *ctx, char *buf,
                        size_t size)
{
        char *p = buf, *end = buf + size, vbuf[64], sbuf[64];
        char esc[TEXT_ESCAPE_SIZE(512)];
        const struct apparmor_event *a = &e->apparmor;

        append(&p, end, "%s  ", ctx->attr->service ? ctx->attr->service : "-");
        append_workload(&p, end, ctx->attr);
        append(&p, end, "  %s  %s  ", event_kind_to_string(e->kind),
               verdict_label(e, vbuf, sizeof(vbuf)));
        switch (e->kind) {
        case EVENT_SECCOMP:
                append(&p, end, "%s", syscall_label(&e->seccomp, sbuf, sizeof(sbuf)));
                break;
        case EVENT_APPARMOR:
                append(&p, end, "%s", a->operation ? a->operation : "?");
                if (a->capname)
                        append(&p, end, " %s", a->capname);
                else if (a->family)
                        append(&p, end, " %s%s%s", a->family, a->sock_type ? " " : "",
                               a->sock_type ? a->sock_type : "");
                else if (a->name)
                        append(&p, end, " %s",
                               text_escape(a->name, strlen(a->name), false, esc, sizeof(esc)));
                if (a->denied || a->requested)
                        append(&p, end, " %s", a->denied ? a->denied : a->requested);
                if (a->profile && !ctx->attr->service)
                        append_escaped(&p, end, "profile", a->profile);
                break;
        case EVENT_ABEND:
                append(&p, end, "%s", ctx->killed_by ? "killed-by" : "abend");
                if (ctx->killed_by)
                        append(&p, end, " %s", ctx->killed_by);
                break;
        case _EVENT_KIND_MAX:
        default:
                break;
        }
        append(&p, end, " ");
        append_escaped(&p, end, "comm", e->comm);
        append_escaped(&p, end, "exe", e->exe);
}

/* A JSON string for bytes that may not be UTF-8: as they are when they
 * are, escaped otherwise. */
json_t *json_bytes(const char *s)
{
        char esc[TEXT_ESCAPE_SIZE(AUDIT_TEXT_MAX)];
        json_t *j;

        if (!s)
                return json_null();
        j = json_string(s);
        if (j)
                return j;
        return json_string(text_escape(s, strlen(s), false, esc, sizeof(esc)));
}

static int set(json_t *o, const char *key, json_t *v)
{
        return v ? json_object_set_new(o, key, v) : -1;
}

json_t *event_json(const struct audit_event *e, const struct event_context *ctx)
{
        json_t *o = json_object();
        char t[32], vbuf[64], sbuf[64];
        const struct attribution *at = ctx->attr;
        int r = 0;

        if (!o)
                return NULL;
        format_time_iso_ms(e->stamp.sec * USEC_PER_SEC + e->stamp.msec * USEC_PER_MSEC, t,
                           sizeof(t));
        r |= set(o, "time", json_string(t));
        r |= set(o, "serial", json_integer((json_int_t)e->stamp.serial));
        r |= set(o, "source", json_string(audit_source_kind_to_string(ctx->source)));
        r |= set(o, "service", at->service ? json_string(at->service) : json_null());
        r |= set(o, "attributed_by", json_string(attribution_how_to_string(at->how)));
        r |= set(o, "workload", json_bytes(at->workload));
        r |= set(o, "container_id", json_bytes(at->container_id));
        r |= set(o, "container_name", json_bytes(at->container_name));
        r |= set(o, "pod", json_bytes(at->pod));
        r |= set(o, "k8s_container", json_bytes(at->k8s_container));
        r |= set(o, "kind", json_string(event_kind_to_string(e->kind)));
        r |= set(o, "type", json_integer(e->type));
        r |= set(o, "verdict", json_string(verdict_label(e, vbuf, sizeof(vbuf))));
        r |= set(o, "denial", json_boolean(audit_event_is_denial(e)));
        r |= set(o, "pid", json_integer(e->pid));
        if (e->uid != AUDIT_ID_UNSET)
                r |= set(o, "uid", json_integer(e->uid));
        r |= set(o, "comm", json_bytes(e->comm));
        r |= set(o, "exe", json_bytes(e->exe));
        switch (e->kind) {
        case EVENT_SECCOMP:
                r |= set(o, "syscall", json_string(syscall_label(&e->seccomp, sbuf, sizeof(sbuf))));
                r |= set(o, "syscall_nr", json_integer(e->seccomp.syscall));
                r |= set(o, "arch",
                         audit_arch_name(e->seccomp.arch)
                             ? json_string(audit_arch_name(e->seccomp.arch))
                             : json_integer(e->seccomp.arch));
                r |= set(o, "code", json_integer(e->seccomp.code));
                break;
        case EVENT_APPARMOR:
                r |= set(o, "operation", json_bytes(e->apparmor.operation));
                r |= set(o, "profile", json_bytes(e->apparmor.profile));
                r |= set(o, "name", json_bytes(e->apparmor.name));
                if (e->apparmor.target)
                        r |= set(o, "target", json_bytes(e->apparmor.target));
                if (e->apparmor.requested)
                        r |= set(o, "requested_mask", json_bytes(e->apparmor.requested));
                if (e->apparmor.denied)
                        r |= set(o, "denied_mask", json_bytes(e->apparmor.denied));
                if (e->apparmor.capname)
                        r |= set(o, "capability", json_bytes(e->apparmor.capname));
                if (e->apparmor.family)
                        r |= set(o, "family", json_bytes(e->apparmor.family));
                if (e->apparmor.sock_type)
                        r |= set(o, "sock_type", json_bytes(e->apparmor.sock_type));
                if (e->apparmor.peer)
                        r |= set(o, "peer", json_bytes(e->apparmor.peer));
                if (e->apparmor.info)
                        r |= set(o, "info", json_bytes(e->apparmor.info));
                break;
        case EVENT_ABEND:
                r |= set(o, "signal", json_integer(e->abend.sig));
                r |=
                    set(o, "killed_by", ctx->killed_by ? json_string(ctx->killed_by) : json_null());
                break;
        case _EVENT_KIND_MAX:
        default:
                break;
        }
        if (r != 0) {
                json_decref(o);
                return NULL;
        }
        return o;
}

int event_printer_sink(const struct audit_event *e, const struct event_context *ctx, void *userdata)
{
        struct event_printer *pr = userdata;
        char t[32];

        if (pr->json) {
                json_t *o = event_json(e, ctx);
                int r;

                if (!o)
                        return -ENOMEM;
                r = json_dumpf(o, pr->f, JSON_COMPACT);
                json_decref(o);
                if (r < 0 || fputc('\n', pr->f) == EOF)
                        return -EIO;
                return 0;
        }
        format_line(e, ctx, pr->line, LINE_MAX_BYTES);
        if (pr->held_count > 0 && strcmp(pr->line, pr->held) == 0) {
                pr->held_count++;
                return 0;
        }
        if (event_printer_flush(pr) < 0)
                return -EIO;
        format_time_iso_ms(e->stamp.sec * USEC_PER_SEC + e->stamp.msec * USEC_PER_MSEC, t,
                           sizeof(t));
        memcpy(pr->held_time, t, sizeof(pr->held_time));
        strcpy(pr->held, pr->line);
        pr->held_count = 1;
        return 0;
}
