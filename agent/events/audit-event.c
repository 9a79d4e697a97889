/* SPDX-License-Identifier: MIT */
/* The general parser, the reference for every record; the kernel's own
 * forms take the fast path first (audit-event-fast.h), which gives the
 * same events or declines.
 *
 * One pass over the fields of a record: each key is recognised by its
 * length and bytes, its value checked and converted on the spot, strings
 * decoded straight into audit_event.text. Keys this parser does not read
 * are skipped unchecked beyond the tokenizer's grammar; a key it reads
 * must not appear twice in one record (or in one nested USER_AVC msg):
 * the kernel never repeats one, and a repeat is how a forged value would
 * try to shadow the real one. */
#include "audit-event.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

#include "audit-event-fast.h"
#include "audit-fields.h"
#include "audit-line.h"
#include "audit-record.h"
#include "base/macro.h"

/* SECCOMP_RET_* (linux/seccomp.h), spelled out so that this file does not
 * depend on how new the installed headers are. */
#define RET_ACTION_FULL  0xffff0000u
#define RET_KILL_PROCESS 0x80000000u
#define RET_KILL_THREAD  0x00000000u
#define RET_TRAP         0x00030000u
#define RET_ERRNO        0x00050000u
#define RET_USER_NOTIF   0x7fc00000u
#define RET_TRACE        0x7ff00000u
#define RET_LOG          0x7ffc0000u
#define RET_ALLOW        0x7fff0000u

struct ctx {
        const char *text; /* the caller's text: columns count from here */
        struct audit_event *e;
        char *w; /* next free byte of e->text */
        size_t left;
        uint64_t seen;
        unsigned nfields;
        bool user; /* inside a USER_AVC's nested msg */
        struct audit_apparmor_alt alt;
        struct audit_parse_error *err;
};

static int fail_at(struct ctx *c, int r, const char *at, const char *what)
{
        *c->err = (struct audit_parse_error){.col = (size_t)(at - c->text) + 1, .what = what};
        return r;
}

static int value_fail(struct ctx *c, const struct audit_field *f,
                      const struct audit_value_error *ve)
{
        return fail_at(c, -EBADMSG, f->value + ve->off, ve->what);
}

static int take_u64(struct ctx *c, const struct audit_field *f, uint64_t max, uint64_t *ret)
{
        struct audit_value_error ve;

        return audit_value_u64(f, max, ret, &ve) < 0 ? value_fail(c, f, &ve) : 0;
}

static int take_u32(struct ctx *c, const struct audit_field *f, uint32_t *ret)
{
        uint64_t v;
        int r = take_u64(c, f, UINT32_MAX, &v);

        if (r < 0)
                return r;
        *ret = (uint32_t)v;
        return 0;
}

static int take_int(struct ctx *c, const struct audit_field *f, int64_t min, int64_t max, int *ret)
{
        struct audit_value_error ve;
        int64_t v;

        if (audit_value_i64(f, min, max, &v, &ve) < 0)
                return value_fail(c, f, &ve);
        *ret = (int)v;
        return 0;
}

static int take_hex(struct ctx *c, const struct audit_field *f, bool prefixed, uint64_t max,
                    uint64_t *ret)
{
        struct audit_value_error ve;

        return audit_value_hex(f, prefixed, max, ret, &ve) < 0 ? value_fail(c, f, &ve) : 0;
}

/* Decodes a string into e->text; NULL for the placeholders. untrusted:
 * a bare value is hex. */
static int take_string(struct ctx *c, const struct audit_field *f, bool untrusted, const char **ret)
{
        struct audit_value_error ve;
        int n;

        if (audit_value_is_placeholder(f)) {
                *ret = NULL;
                return 0;
        }
        n = untrusted ? audit_value_string(f, c->w, c->left, &ve)
                      : audit_value_literal(f, c->w, c->left, &ve);
        if (n == -ENOBUFS)
                /* Cannot happen while the fields are within AUDIT_TEXT_MAX:
                 * a decoded string is shorter than its field. */
                return fail_at(c, -E2BIG, f->value, "strings over AUDIT_TEXT_MAX");
        if (n < 0)
                return value_fail(c, f, &ve);
        *ret = c->w;
        c->w += (size_t)n + 1;
        c->left -= (size_t)n + 1;
        return 0;
}

static int take_field(struct ctx *c, const struct audit_field *f, uint64_t keys)
{
        struct audit_event *e = c->e;
        enum audit_key k = audit_key_of(f->key, f->key_len);
        uint64_t v;
        int r = 0;

        if (k == K_UNKNOWN || !(keys & KEY_BIT(k)))
                return 0;
        if (c->seen & KEY_BIT(k))
                return fail_at(c, -EBADMSG, f->key, "duplicate key");
        c->seen |= KEY_BIT(k);

        switch (k) {
        case K_AUID:
                return take_u32(c, f, &e->auid);
        case K_UID:
                return take_u32(c, f, &e->uid);
        case K_GID:
                return take_u32(c, f, &e->gid);
        case K_SES:
                return take_u32(c, f, &e->ses);
        case K_PID:
                r = take_u64(c, f, INT_MAX, &v);
                if (r >= 0)
                        e->pid = (pid_t)v;
                return r;
        case K_COMM:
                return take_string(c, f, true, &e->comm);
        case K_EXE:
                /* In a USER_AVC's msg, exe= is the enforcer's (libaudit
                 * appends it), not the subject's. */
                return c->user ? 0 : take_string(c, f, true, &e->exe);
        case K_SIG:
                if (e->kind == EVENT_SECCOMP)
                        return take_int(c, f, 0, AUDIT_SIG_MAX, &e->seccomp.sig);
                return take_int(c, f, 0, AUDIT_SIG_MAX, &e->abend.sig);
        case K_RES:
                return take_int(c, f, INT_MIN, INT_MAX, &e->abend.res);
        case K_ARCH:
                r = take_hex(c, f, false, UINT32_MAX, &v);
                if (r >= 0)
                        e->seccomp.arch = (uint32_t)v;
                return r;
        case K_SYSCALL: {
                struct audit_value_error ve;

                if (audit_value_i64(f, INT64_MIN, INT64_MAX, &e->seccomp.syscall, &ve) < 0)
                        return value_fail(c, f, &ve);
                return 0;
        }
        case K_COMPAT:
                r = take_u64(c, f, 1, &v);
                e->seccomp.compat = v != 0;
                return r;
        case K_IP:
                return take_hex(c, f, true, UINT64_MAX, &e->seccomp.ip);
        case K_CODE:
                r = take_hex(c, f, true, UINT32_MAX, &v);
                e->seccomp.code = (uint32_t)v;
                return r;
        case K_APPARMOR:
                /* Only the verdict is kept: the value is not copied. A
                 * value never holds a NUL (the tokenizer refuses one). */
                if (!audit_value_is_placeholder(f))
                        e->apparmor.verdict = audit_apparmor_verdict_of(f->value, f->value_len);
                return 0;
        case K_OPERATION:
                return take_string(c, f, false, &e->apparmor.operation);
        case K_PROFILE:
                return take_string(c, f, true, &e->apparmor.profile);
        case K_LABEL:
                return take_string(c, f, true, &c->alt.label);
        case K_NAME:
                return take_string(c, f, true, &e->apparmor.name);
        case K_TARGET:
                return take_string(c, f, true, &e->apparmor.target);
        case K_REQUESTED_MASK:
                return take_string(c, f, false, &e->apparmor.requested);
        case K_REQUESTED:
                return take_string(c, f, false, &c->alt.requested);
        case K_MASK:
                return take_string(c, f, false, &c->alt.mask);
        case K_DENIED_MASK:
                return take_string(c, f, false, &e->apparmor.denied);
        case K_DENIED:
                return take_string(c, f, false, &c->alt.denied);
        case K_INFO:
                return take_string(c, f, true, &e->apparmor.info);
        case K_ERROR:
                return take_int(c, f, INT_MIN, INT_MAX, &e->apparmor.error);
        case K_PEER:
                return take_string(c, f, true, &e->apparmor.peer);
        case K_PEER_LABEL:
                return take_string(c, f, true, &c->alt.peer_label);
        case K_FAMILY:
                return take_string(c, f, false, &e->apparmor.family);
        case K_SOCK_TYPE:
                return take_string(c, f, false, &e->apparmor.sock_type);
        case K_PROTOCOL:
                return take_string(c, f, false, &e->apparmor.protocol);
        case K_CAPABILITY:
                return take_int(c, f, 0, INT_MAX, &e->apparmor.capability);
        case K_CAPNAME:
                return take_string(c, f, false, &e->apparmor.capname);
        case K_CLASS:
                return take_string(c, f, false, &e->apparmor.class);
        case K_FSUID:
                return take_u32(c, f, &e->apparmor.fsuid);
        case K_OUID:
                return take_u32(c, f, &e->apparmor.ouid);
        case K_MSG:
        case K_UNKNOWN:
        case _K_MAX:
        default:
                return 0;
        }
}

/* Runs over the fields of [p, end). For a USER_AVC's outer record, *ret_msg
 * gets its msg= field. */
static int take_fields(struct ctx *c, const char *p, const char *end, uint64_t keys,
                       struct audit_field *ret_msg)
{
        struct audit_fields it;
        struct audit_field f;
        int r;

        audit_fields_init(&it, c->text, p, end);
        while ((r = audit_fields_next(&it, &f)) > 0) {
                if (++c->nfields > AUDIT_FIELDS_MAX)
                        return fail_at(c, -E2BIG, f.key, "more fields than AUDIT_FIELDS_MAX");
                if (ret_msg && audit_field_is(&f, "msg", 3)) {
                        if (c->seen & KEY_BIT(K_MSG))
                                return fail_at(c, -EBADMSG, f.key, "duplicate key");
                        c->seen |= KEY_BIT(K_MSG);
                        *ret_msg = f;
                        continue;
                }
                r = take_field(c, &f, keys);
                if (r < 0)
                        return r;
        }
        if (r < 0)
                return fail_at(c, -EBADMSG, c->text + it.err_off, it.err_what);
        return 0;
}

static bool starts_with(const char *p, const char *end, const char *lit, size_t n)
{
        return (size_t)(end - p) >= n && memcmp(p, lit, n) == 0;
}

/* An AppArmor record starts with apparmor= (or operation= when the
 * apparmor.audit_header parameter is off); an AVC or USER_AVC that does not
 * is SELinux's ("avc:  denied  { read } for ..."). */
static bool is_apparmor_text(const char *p, const char *end)
{
        while (p < end && *p == ' ')
                p++;
        return starts_with(p, end, "apparmor=", 9) || starts_with(p, end, "operation=", 10);
}

static int missing(struct ctx *c, const char *end, uint64_t need)
{
        static const char *const what[] = {
            [K_PID] = "missing pid=",         [K_ARCH] = "missing arch=",
            [K_SYSCALL] = "missing syscall=", [K_CODE] = "missing code=",
            [K_SIG] = "missing sig=",
        };

        for (unsigned k = 0; k < ELEMENTSOF(what); k++)
                if ((need & KEY_BIT(k)) && !(c->seen & KEY_BIT(k)))
                        return fail_at(c, -EBADMSG, end, what[k]);
        return 0;
}

static int parse_apparmor(struct ctx *c, const char *p, const char *end)
{
        struct audit_event *e = c->e;
        struct apparmor_event *a = &e->apparmor;
        int r;

        if (e->type == AUDIT_TYPE_USER_AVC) {
                struct audit_field msg = {0};

                r = take_fields(c, p, end, KEYS_USER_AVC, &msg);
                if (r < 0)
                        return r;
                if (!msg.key)
                        return fail_at(c, -EBADMSG, end, "USER_AVC without msg=");
                if (msg.quote != AUDIT_QUOTE_SINGLE ||
                    !is_apparmor_text(msg.value, msg.value + msg.value_len))
                        return -ENOMSG;
                a->user = true;
                c->user = true;
                c->seen = 0;
                r = take_fields(c, msg.value, msg.value + msg.value_len, KEYS_APPARMOR, NULL);
        } else {
                if (e->type == AUDIT_TYPE_AVC && !is_apparmor_text(p, end))
                        return -ENOMSG;
                r = take_fields(c, p, end, KEYS_APPARMOR, NULL);
        }
        if (r < 0)
                return r;
        audit_apparmor_finish(e, c->seen & KEY_BIT(K_APPARMOR), &c->alt);
        return 0;
}

static enum event_kind kind_of(unsigned type)
{
        switch (type) {
        case AUDIT_TYPE_SECCOMP:
                return EVENT_SECCOMP;
        case AUDIT_TYPE_ANOM_ABEND:
                return EVENT_ABEND;
        case AUDIT_TYPE_AVC:
        case AUDIT_TYPE_USER_AVC:
        case AUDIT_TYPE_APPARMOR_AUDIT:
        case AUDIT_TYPE_APPARMOR_ALLOWED:
        case AUDIT_TYPE_APPARMOR_DENIED:
        case AUDIT_TYPE_APPARMOR_HINT:
        case AUDIT_TYPE_APPARMOR_STATUS:
        case AUDIT_TYPE_APPARMOR_ERROR:
        case AUDIT_TYPE_APPARMOR_KILL:
                return EVENT_APPARMOR;
        default:
                return _EVENT_KIND_MAX;
        }
}

enum parse_mode {
        PARSE_FAST_THEN_GENERAL,
        PARSE_GENERAL,
        PARSE_FAST_ONLY,
};

static int parse(const char *text, size_t len, unsigned type_hint, struct audit_event *ret,
                 struct audit_parse_error *ret_error, enum parse_mode mode)
{
        struct audit_parse_error ignored;
        struct audit_line line;
        struct ctx c = {.text = text, .e = ret, .err = ret_error ? ret_error : &ignored};
        const char *p, *end;
        enum event_kind kind;
        size_t off;
        int r;

        if (len > AUDIT_LINE_MAX)
                return fail_at(&c, -E2BIG, text + AUDIT_LINE_MAX,
                               "line longer than AUDIT_LINE_MAX");
        r = audit_line_find(text, len, type_hint, &line, c.err);
        if (r < 0)
                return r;
        kind = kind_of(line.type);
        if (kind == _EVENT_KIND_MAX)
                return -ENOMSG;
        /* The kernel's own forms first; anything else (or anything odd in
         * them) starts over here. */
        if (mode != PARSE_GENERAL &&
            audit_record_fast(text + line.stamp, text + line.end, kind, line.type, ret))
                return 0;
        if (mode == PARSE_FAST_ONLY)
                return -EAGAIN;

        p = text + line.stamp;
        end = text + line.end;
        r = audit_stamp_parse(p, end, &ret->stamp, &off);
        if (r < 0)
                return fail_at(&c, -EBADMSG, p + off, "malformed audit(SEC.MSEC:SERIAL) stamp");
        p += r;
        if (p >= end || *p != ':')
                return fail_at(&c, -EBADMSG, p, "expected ':' after the stamp");
        p++;
        if (p < end && *p == ' ')
                p++;
        if ((size_t)(end - p) > AUDIT_TEXT_MAX)
                return fail_at(&c, -E2BIG, p + AUDIT_TEXT_MAX, "record longer than AUDIT_TEXT_MAX");

        /* Everything but the text buffer, which is written as needed. */
        audit_event_start(ret, kind, line.type);
        c.w = ret->text;
        c.left = sizeof(ret->text);

        switch (kind) {
        case EVENT_SECCOMP:
                r = take_fields(&c, p, end, KEYS_SECCOMP, NULL);
                if (r >= 0)
                        r = missing(&c, end, KEYS_SECCOMP_NEEDED);
                if (r < 0)
                        return r;
                audit_seccomp_finish(&ret->seccomp);
                return 0;
        case EVENT_ABEND:
                r = take_fields(&c, p, end, KEYS_ABEND, NULL);
                if (r >= 0)
                        r = missing(&c, end, KEYS_ABEND_NEEDED);
                return r < 0 ? r : 0;
        case EVENT_APPARMOR:
                return parse_apparmor(&c, p, end);
        case _EVENT_KIND_MAX:
        default:
                return -ENOMSG;
        }
}

int audit_event_parse(const char *text, size_t len, unsigned type_hint, struct audit_event *ret,
                      struct audit_parse_error *ret_error)
{
        return parse(text, len, type_hint, ret, ret_error, PARSE_FAST_THEN_GENERAL);
}

int audit_event_parse_general(const char *text, size_t len, unsigned type_hint,
                              struct audit_event *ret, struct audit_parse_error *ret_error)
{
        return parse(text, len, type_hint, ret, ret_error, PARSE_GENERAL);
}

int audit_event_parse_fast(const char *text, size_t len, unsigned type_hint,
                           struct audit_event *ret)
{
        return parse(text, len, type_hint, ret, NULL, PARSE_FAST_ONLY);
}

static bool same_string(const struct audit_event *a, const char *x, const struct audit_event *b,
                        const char *y)
{
        if (!x || !y)
                return x == y;
        return x - a->text == y - b->text && strcmp(x, y) == 0;
}

bool audit_event_same(const struct audit_event *a, const struct audit_event *b)
{
        if (a->kind != b->kind || a->type != b->type || !audit_stamp_equal(a->stamp, b->stamp) ||
            a->pid != b->pid || a->uid != b->uid || a->gid != b->gid || a->auid != b->auid ||
            a->ses != b->ses || !same_string(a, a->comm, b, b->comm) ||
            !same_string(a, a->exe, b, b->exe))
                return false;
        switch (a->kind) {
        case EVENT_SECCOMP: {
                const struct seccomp_event *x = &a->seccomp, *y = &b->seccomp;

                return x->arch == y->arch && x->syscall == y->syscall &&
                       x->syscall_name == y->syscall_name && x->code == y->code &&
                       x->verdict == y->verdict && x->data == y->data && x->sig == y->sig &&
                       x->compat == y->compat && x->ip == y->ip;
        }
        case EVENT_APPARMOR: {
                const struct apparmor_event *x = &a->apparmor, *y = &b->apparmor;

                return x->verdict == y->verdict && same_string(a, x->operation, b, y->operation) &&
                       same_string(a, x->profile, b, y->profile) &&
                       same_string(a, x->name, b, y->name) &&
                       same_string(a, x->target, b, y->target) &&
                       same_string(a, x->requested, b, y->requested) &&
                       same_string(a, x->denied, b, y->denied) &&
                       same_string(a, x->info, b, y->info) && same_string(a, x->peer, b, y->peer) &&
                       same_string(a, x->family, b, y->family) &&
                       same_string(a, x->sock_type, b, y->sock_type) &&
                       same_string(a, x->protocol, b, y->protocol) &&
                       same_string(a, x->capname, b, y->capname) &&
                       same_string(a, x->class, b, y->class) && x->capability == y->capability &&
                       x->error == y->error && x->fsuid == y->fsuid && x->ouid == y->ouid &&
                       x->user == y->user;
        }
        case EVENT_ABEND:
                return a->abend.sig == b->abend.sig && a->abend.res == b->abend.res;
        case _EVENT_KIND_MAX:
        default:
                return true;
        }
}

int audit_stamp_find(const char *text, size_t len, struct audit_stamp *ret)
{
        /* Prefixes (syslog header, host name, kmsg) come first: the stamp
         * is never further in. */
        size_t span = len < 512 ? len : 512;
        const char *p = memmem(text, span, "audit(", 6);
        size_t off;

        if (!p)
                return -ENOMSG;
        return audit_stamp_parse(p, text + len, ret, &off) < 0 ? -EBADMSG : 0;
}

const char *event_kind_to_string(enum event_kind k)
{
        static const char *const names[_EVENT_KIND_MAX] = {
            [EVENT_SECCOMP] = "seccomp",
            [EVENT_APPARMOR] = "apparmor",
            [EVENT_ABEND] = "abend",
        };

        return (unsigned)k < _EVENT_KIND_MAX ? names[k] : NULL;
}

const char *seccomp_event_verdict_to_string(enum seccomp_event_verdict v)
{
        static const char *const names[_SECCOMP_EVENT_VERDICT_MAX] = {
            [SECCOMP_EVENT_KILL_PROCESS] = "KILL_PROCESS",
            [SECCOMP_EVENT_KILL_THREAD] = "KILL_THREAD",
            [SECCOMP_EVENT_TRAP] = "TRAP",
            [SECCOMP_EVENT_ERRNO] = "ERRNO",
            [SECCOMP_EVENT_USER_NOTIF] = "USER_NOTIF",
            [SECCOMP_EVENT_TRACE] = "TRACE",
            [SECCOMP_EVENT_LOG] = "LOG",
            [SECCOMP_EVENT_ALLOW] = "ALLOW",
            [SECCOMP_EVENT_UNKNOWN] = "UNKNOWN",
        };

        return (unsigned)v < _SECCOMP_EVENT_VERDICT_MAX ? names[v] : NULL;
}

const char *apparmor_verdict_to_string(enum apparmor_verdict v)
{
        static const char *const names[_APPARMOR_VERDICT_MAX] = {
            [APPARMOR_AUDIT] = "AUDIT",   [APPARMOR_ALLOWED] = "ALLOWED",
            [APPARMOR_DENIED] = "DENIED", [APPARMOR_HINT] = "HINT",
            [APPARMOR_STATUS] = "STATUS", [APPARMOR_ERROR] = "ERROR",
            [APPARMOR_KILL] = "KILL",     [APPARMOR_VERDICT_UNKNOWN] = "UNKNOWN",
        };

        return (unsigned)v < _APPARMOR_VERDICT_MAX ? names[v] : NULL;
}

enum seccomp_event_verdict seccomp_event_verdict_from_code(uint32_t code)
{
        switch (code & RET_ACTION_FULL) {
        case RET_KILL_PROCESS:
                return SECCOMP_EVENT_KILL_PROCESS;
        case RET_KILL_THREAD:
                return SECCOMP_EVENT_KILL_THREAD;
        case RET_TRAP:
                return SECCOMP_EVENT_TRAP;
        case RET_ERRNO:
                return SECCOMP_EVENT_ERRNO;
        case RET_USER_NOTIF:
                return SECCOMP_EVENT_USER_NOTIF;
        case RET_TRACE:
                return SECCOMP_EVENT_TRACE;
        case RET_LOG:
                return SECCOMP_EVENT_LOG;
        case RET_ALLOW:
                return SECCOMP_EVENT_ALLOW;
        default:
                return SECCOMP_EVENT_UNKNOWN;
        }
}

bool event_verdict_is_denial(enum event_kind kind, unsigned verdict)
{
        switch (kind) {
        case EVENT_SECCOMP:
                switch (verdict) {
                case SECCOMP_EVENT_LOG:
                case SECCOMP_EVENT_ERRNO:
                case SECCOMP_EVENT_KILL_PROCESS:
                case SECCOMP_EVENT_KILL_THREAD:
                case SECCOMP_EVENT_TRAP:
                        return true;
                default:
                        return false;
                }
        case EVENT_APPARMOR:
                return verdict == APPARMOR_ALLOWED || verdict == APPARMOR_DENIED ||
                       verdict == APPARMOR_KILL;
        case EVENT_ABEND:
        case _EVENT_KIND_MAX:
        default:
                return false;
        }
}

bool audit_event_is_denial(const struct audit_event *e)
{
        switch (e->kind) {
        case EVENT_SECCOMP:
                return event_verdict_is_denial(e->kind, e->seccomp.verdict);
        case EVENT_APPARMOR:
                return event_verdict_is_denial(e->kind, e->apparmor.verdict);
        case EVENT_ABEND:
        case _EVENT_KIND_MAX:
        default:
                return false;
        }
}
