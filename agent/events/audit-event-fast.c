/* SPDX-License-Identifier: MIT */
/* Every helper here either consumes exactly what the general parser's
 * tokenizer and value conversions (audit-fields.h) would accept and
 * converts it the same way, or returns false. Returning false is always
 * safe: the general parser runs next.
 *
 * The fields are parsed from a copy followed by PAD zero bytes, so that a
 * helper may always read a word or two ahead without a bounds check: a
 * scan for digits, hex digits, a quote or a key stops at the zeros (a NUL
 * is no part of any of them), and a literal key never matches them. Where
 * a zero byte stops a scan, the helpers still tell the end of the fields
 * (the first padding byte, c->end) from a NUL inside them (declined: the
 * general parser refuses every NUL). */
#include "audit-event-fast.h"

#include <limits.h>
#include <string.h>

#include "audit-digits.h"
#include "audit-record.h"

/* Longer records take the general path (the kernel's are under 400 bytes
 * except AppArmor's with long paths). */
#define FAST_MAX 2048u
/* Enough for a 16-byte literal, and for two words read at the last byte. */
#define PAD 32u
/* A string copy writes whole words: up to 7 bytes past its end, which the
 * next string overwrites or nobody reads. Every string is shorter than the
 * field it came from, so all of them fit in FAST_MAX + 8 bytes. */
_Static_assert(FAST_MAX + 8u <= AUDIT_TEXT_MAX + 1u, "strings of a fast record fit in text");

/* Everything is inlined into one function per kind of record, where the
 * cursor is a local whose address never escapes: it stays in registers
 * although the strings written through char pointers could alias
 * anything else. */
#define INLINE static inline __attribute__((always_inline))

/* Key bytes: [A-Za-z0-9_-] (audit-fields.h). */
static const bool key_byte[256] = {
    ['0' ... '9'] = true, ['A' ... 'Z'] = true, ['a' ... 'z'] = true, ['_'] = true, ['-'] = true,
};

static const uint64_t powers_of_10[9] = {1,      10,      100,      1000,     10000,
                                         100000, 1000000, 10000000, 100000000};

struct cur {
        const char *p;   /* in the padded copy */
        const char *end; /* the end of the fields there: PAD zero bytes follow */
        char *w;         /* where the next string goes in e->text */
};

/* A value ends at a space or at the end of the fields. */
INLINE bool at_separator(const struct cur *c)
{
        return c->p == c->end || *c->p == ' ';
}

/* A byte a bare value may not hold: < 0x20, 0x7f (audit-fields.h). */
INLINE bool is_control(char ch)
{
        return (unsigned char)ch < 0x20 || ch == 0x7f;
}

INLINE unsigned hex_digit(char ch)
{
        unsigned u = (unsigned char)ch;

        if (u - '0' <= 9u)
                return u - '0';
        u |= 0x20; /* 'A'..'F' to 'a'..'f' */
        if (u - 'a' <= 5u)
                return u - 'a' + 10;
        return 16;
}

/* Bytes o..o+7 of the literal s as a word (zero past its end), built from
 * its characters so that it folds to an immediate. (Not memcpy into a
 * word: GCC then builds it on the stack with narrower stores and loads it
 * back whole, which stalls on store forwarding at every key.) */
#define LIT_LEN(s) (sizeof(s) - 1)
#define LIT_AT(s, i)                                                                               \
        ((i) < LIT_LEN(s) ? (uint64_t)(unsigned char)(s)[(i) < LIT_LEN(s) ? (i) : 0] : 0)
#define LIT_WORD(s, o)                                                                             \
        (LIT_AT(s, (o) + 0) | LIT_AT(s, (o) + 1) << 8 | LIT_AT(s, (o) + 2) << 16 |                 \
         LIT_AT(s, (o) + 3) << 24 | LIT_AT(s, (o) + 4) << 32 | LIT_AT(s, (o) + 5) << 40 |          \
         LIT_AT(s, (o) + 6) << 48 | LIT_AT(s, (o) + 7) << 56)

/* Whether the first n (1..8) bytes of the words a and b are the same. */
INLINE bool same_low_bytes(uint64_t a, uint64_t b, size_t n)
{
        return ((a ^ b) & (n >= 8 ? ~UINT64_C(0) : (UINT64_C(1) << (8 * n)) - 1)) == 0;
}

/* The n (1..16) bytes of a literal at c->p, whose bytes 0..7 and 8..15
 * are the words w0 and w1, compared as one or two words (the padding never
 * matches: a literal has no zero byte). Moves past them and returns true
 * when they are there. */
INLINE bool literal(struct cur *c, uint64_t w0, uint64_t w1, size_t n)
{
        bool same = same_low_bytes(audit_swar_load(c->p), w0, n < 8 ? n : 8);

        if (n > 8)
                same = same && same_low_bytes(audit_swar_load(c->p + 8), w1, n - 8);
        if (same)
                c->p += n;
        return same;
}
#define LITERAL(c, s)                                                                              \
        __extension__({                                                                            \
                _Static_assert(LIT_LEN(s) >= 1 && LIT_LEN(s) <= 16, "a literal of 1..16 bytes");   \
                literal(c, LIT_WORD(s, 0), LIT_WORD(s, 8), LIT_LEN(s));                            \
        })

INLINE bool is_digit(char ch)
{
        return (unsigned)(unsigned char)ch - '0' <= 9u;
}

/* The decimal digits at c->p, eight at a time: moves past them and returns
 * how many there are, with their value; 0 when there are none, or more
 * than 19 (which could overflow 64 bits, or are leading zeros: the general
 * parser's). */
INLINE unsigned digits(struct cur *c, uint64_t *ret)
{
        const char *p = c->p;
        uint64_t w = audit_swar_load(p), v = 0;
        unsigned n = audit_swar_run(audit_swar_non_digits(w)), k;

        if (n > 0)
                v = audit_swar_decimal(w, n);
        p += n;
        if (n == 8 && is_digit(*p)) {
                w = audit_swar_load(p);
                k = audit_swar_run(audit_swar_non_digits(w));
                if (k > 0)
                        v = v * powers_of_10[k] + audit_swar_decimal(w, k);
                p += k;
                n += k;
                for (; n < 19 && is_digit(*p); p++, n++)
                        v = v * 10 + ((unsigned)(unsigned char)*p - '0');
                if (is_digit(*p))
                        return 0;
        }
        c->p = p;
        *ret = v;
        return n;
}

/* Up to 19 decimal digits, at most max, then a separator.
 * audit_value_u64() takes more digits (leading zeros): those records are
 * the general parser's. */
INLINE bool decimal(struct cur *c, uint64_t max, uint64_t *ret)
{
        const char *p = c->p;
        uint64_t v;

        /* One digit and a space: uid=0, sig=0, compat=0... */
        if (is_digit(p[0]) && p[1] == ' ') {
                v = (unsigned)(unsigned char)p[0] - '0';
                if (v > max)
                        return false;
                c->p = p + 1;
                *ret = v;
                return true;
        }
        if (digits(c, &v) == 0 || v > max || !at_separator(c))
                return false;
        *ret = v;
        return true;
}

/* An optional '-' (only where min < 0, as audit_value_i64()), then decimal
 * digits, within [min, max]; INT64_MIN itself is declined. */
INLINE bool signed_decimal(struct cur *c, int64_t min, int64_t max, int64_t *ret)
{
        bool neg = *c->p == '-';
        uint64_t mag;
        int64_t v;

        if (neg) {
                if (min >= 0)
                        return false;
                c->p++;
        }
        if (!decimal(c, INT64_MAX, &mag))
                return false;
        v = neg ? -(int64_t)mag : (int64_t)mag;
        if (v < min || v > max)
                return false;
        *ret = v;
        return true;
}

INLINE bool int_value(struct cur *c, int64_t min, int64_t max, int *ret)
{
        int64_t v;

        if (!signed_decimal(c, min, max, &v))
                return false;
        *ret = (int)v;
        return true;
}

INLINE bool u32_value(struct cur *c, uint32_t *ret)
{
        uint64_t v;

        /* The unset id, (u32)-1: auid= and ses= of every process that
         * never logged in (daemons, containers). */
        if (LITERAL(c, "4294967295")) {
                if (!at_separator(c))
                        return false;
                *ret = UINT32_MAX;
                return true;
        }

        if (!decimal(c, UINT32_MAX, &v))
                return false;
        *ret = (uint32_t)v;
        return true;
}

/* Up to 16 hex digits, after "0x" or "0X" when prefixed, at most max,
 * then a separator. */
INLINE bool hex(struct cur *c, bool prefixed, uint64_t max, uint64_t *ret)
{
        const char *p = c->p;
        uint64_t w, v = 0, letters;
        unsigned n, k;

        if (prefixed) {
                if (p[0] != '0' || (p[1] != 'x' && p[1] != 'X'))
                        return false;
                p += 2;
        }
        w = audit_swar_load(p);
        n = audit_swar_run(audit_swar_non_hex(w, &letters));
        if (n > 0)
                v = audit_swar_hex(w, letters, n);
        p += n;
        if (n == 8 && hex_digit(*p) < 16) {
                w = audit_swar_load(p);
                k = audit_swar_run(audit_swar_non_hex(w, &letters));
                if (k > 0)
                        v = v << 4 * k | audit_swar_hex(w, letters, k);
                p += k;
                n += k;
        }
        if (n == 0 || v > max)
                return false;
        c->p = p;
        if (!at_separator(c))
                return false;
        *ret = v;
        return true;
}

/* The bytes before the first '"' or zero byte at p. */
INLINE size_t quoted_run(const char *p)
{
        size_t n = 0;
        unsigned k;

        do {
                uint64_t x = audit_swar_load(p + n);

                k = audit_swar_run(audit_swar_equal(x, '"') | audit_swar_equal(x, '\0'));
                n += k;
        } while (k == 8);
        return n;
}

/* The value at c->p as the tokenizer reads it: "quoted" (any byte but a
 * NUL inside), or bare (no control byte, maybe empty); then a separator.
 * A single-quoted value is declined. */
INLINE bool value(struct cur *c, const char **ret_v, size_t *ret_n)
{
        const char *p = c->p, *v;

        if (*p == '"') {
                v = p + 1;
                p = v + quoted_run(v);
                if (*p != '"')
                        return false; /* a NUL, or unterminated */
                *ret_n = (size_t)(p - v);
                p++;
        } else {
                if (*p == '\'')
                        return false;
                v = p;
                while (p < c->end && *p != ' ') {
                        if (is_control(*p))
                                return false;
                        p++;
                }
                *ret_n = (size_t)(p - v);
        }
        c->p = p;
        if (!at_separator(c))
                return false;
        *ret_v = v;
        return true;
}

INLINE bool skip_value(struct cur *c)
{
        const char *v;
        size_t n;

        return value(c, &v, &n);
}

/* Bare `?` and `(null)`: no value. Moves past it and returns true. */
INLINE bool placeholder(struct cur *c)
{
        const char *p = c->p;

        if (p[0] == '?' && (p + 1 == c->end || p[1] == ' ')) {
                c->p = p + 1;
                return true;
        }
        if (same_low_bytes(audit_swar_load(p), LIT_WORD("(null)", 0), 6) &&
            (p + 6 == c->end || p[6] == ' ')) {
                c->p = p + 6;
                return true;
        }
        return false;
}

/* A string value written NUL-terminated at c->w: quoted as it is, bare
 * from hex (untrusted) or as it is (literal), NULL for a placeholder. An
 * empty bare value is declined. */
INLINE bool string(struct cur *c, bool untrusted, const char **ret)
{
        const char *p = c->p;
        char *w = c->w, *start = w;

        if (*p == '"') {
                unsigned k;

                /* Eight bytes at a time, copied whole: the string is the
                 * bytes before the first '"' or zero byte among them. */
                p++;
                do {
                        uint64_t x = audit_swar_load(p);

                        k = audit_swar_run(audit_swar_equal(x, '"') | audit_swar_equal(x, '\0'));
                        memcpy(w, &x, sizeof(x));
                        p += k;
                        w += k;
                } while (k == 8);
                if (*p != '"')
                        return false; /* a NUL, or unterminated */
                p++;
        } else if (placeholder(c)) {
                *ret = NULL;
                return true;
        } else if (untrusted) {
                unsigned hi, lo;

                /* Pairs of hex digits; the padding is none. */
                for (;; p += 2) {
                        hi = hex_digit(p[0]);
                        lo = hex_digit(p[1]);
                        if (hi > 15 || lo > 15)
                                break;
                        if (hi == 0 && lo == 0)
                                return false;
                        *w++ = (char)(hi << 4 | lo);
                }
                if (w == start)
                        return false;
        } else {
                if (p == c->end || *p == '\'' || *p == ' ')
                        return false;
                for (; p < c->end && *p != ' '; p++) {
                        if (is_control(*p))
                                return false;
                        *w++ = *p;
                }
        }
        c->p = p;
        if (!at_separator(c))
                return false;
        *w++ = '\0';
        *ret = start;
        c->w = w;
        return true;
}

INLINE void skip_spaces(struct cur *c)
{
        while (*c->p == ' ')
                c->p++;
}

INLINE bool at_end(struct cur *c)
{
        skip_spaces(c);
        return c->p == c->end;
}

/* audit_log_task(): "auid= uid= gid= ses= [subj=] pid= comm= exe=". */
INLINE bool task(struct cur *c, struct audit_event *e)
{
        uint64_t pid;

        if (!LITERAL(c, "auid=") || !u32_value(c, &e->auid) || !LITERAL(c, " uid=") ||
            !u32_value(c, &e->uid) || !LITERAL(c, " gid=") || !u32_value(c, &e->gid) ||
            !LITERAL(c, " ses=") || !u32_value(c, &e->ses))
                return false;
        if (LITERAL(c, " subj=") && !skip_value(c))
                return false;
        if (!LITERAL(c, " pid=") || !decimal(c, INT_MAX, &pid))
                return false;
        e->pid = (pid_t)pid;
        return LITERAL(c, " comm=") && string(c, true, &e->comm) && LITERAL(c, " exe=") &&
               string(c, true, &e->exe);
}

/* Each kind's parser takes the cursor as scalars: a struct passed on the
 * stack, written field by field and read back whole, stalls on store
 * forwarding. */
static bool seccomp_fields(const char *p, const char *end, struct audit_event *e)
{
        struct cur c = {.p = p, .end = end, .w = e->text};
        struct seccomp_event *s = &e->seccomp;
        uint64_t arch, compat, code;

        if (!task(&c, e) || !LITERAL(&c, " sig=") || !int_value(&c, 0, AUDIT_SIG_MAX, &s->sig) ||
            !LITERAL(&c, " arch=") || !hex(&c, false, UINT32_MAX, &arch) ||
            !LITERAL(&c, " syscall=") || !signed_decimal(&c, INT64_MIN, INT64_MAX, &s->syscall) ||
            !LITERAL(&c, " compat=") || !decimal(&c, 1, &compat) || !LITERAL(&c, " ip=") ||
            !hex(&c, true, UINT64_MAX, &s->ip) || !LITERAL(&c, " code=") ||
            !hex(&c, true, UINT32_MAX, &code) || !at_end(&c))
                return false;
        s->arch = (uint32_t)arch;
        s->compat = compat != 0;
        s->code = (uint32_t)code;
        audit_seccomp_finish(s);
        return true;
}

static bool abend_fields(const char *p, const char *end, struct audit_event *e)
{
        struct cur c = {.p = p, .end = end, .w = e->text};

        return task(&c, e) && LITERAL(&c, " sig=") &&
               int_value(&c, 0, AUDIT_SIG_MAX, &e->abend.sig) && LITERAL(&c, " res=") &&
               int_value(&c, INT_MIN, INT_MAX, &e->abend.res) && at_end(&c);
}

/* Where an AppArmor string key's value goes, and whether a bare value is
 * hex (untrusted), as take_field() in audit-event.c has it; NULL for the
 * keys that are no strings. */
INLINE const char **apparmor_string(enum audit_key k, struct audit_event *e,
                                    struct audit_apparmor_alt *alt, bool *ret_untrusted)
{
        struct apparmor_event *a = &e->apparmor;

        *ret_untrusted = true;
        switch (k) {
        case K_COMM:
                return &e->comm;
        case K_EXE:
                return &e->exe;
        case K_PROFILE:
                return &a->profile;
        case K_LABEL:
                return &alt->label;
        case K_NAME:
                return &a->name;
        case K_TARGET:
                return &a->target;
        case K_INFO:
                return &a->info;
        case K_PEER:
                return &a->peer;
        case K_PEER_LABEL:
                return &alt->peer_label;
        default:
                break;
        }
        *ret_untrusted = false;
        switch (k) {
        case K_OPERATION:
                return &a->operation;
        case K_REQUESTED_MASK:
                return &a->requested;
        case K_REQUESTED:
                return &alt->requested;
        case K_MASK:
                return &alt->mask;
        case K_DENIED_MASK:
                return &a->denied;
        case K_DENIED:
                return &alt->denied;
        case K_FAMILY:
                return &a->family;
        case K_SOCK_TYPE:
                return &a->sock_type;
        case K_PROTOCOL:
                return &a->protocol;
        case K_CAPNAME:
                return &a->capname;
        case K_CLASS:
                return &a->class;
        default:
                return NULL;
        }
}

/* One AppArmor field the general parser reads (KEYS_APPARMOR). */
INLINE bool apparmor_field(struct cur *c, enum audit_key k, struct audit_event *e,
                           struct audit_apparmor_alt *alt)
{
        struct apparmor_event *a = &e->apparmor;
        const char **str, *v;
        bool untrusted;
        uint64_t pid;
        size_t n;

        str = apparmor_string(k, e, alt, &untrusted);
        if (str)
                return string(c, untrusted, str);
        switch (k) {
        case K_PID:
                if (!decimal(c, INT_MAX, &pid))
                        return false;
                e->pid = (pid_t)pid;
                return true;
        case K_APPARMOR:
                /* Only the verdict is kept, as in take_field(). */
                if (placeholder(c))
                        return true;
                if (!value(c, &v, &n))
                        return false;
                a->verdict = audit_apparmor_verdict_of(v, n);
                return true;
        case K_ERROR:
                return int_value(c, INT_MIN, INT_MAX, &a->error);
        case K_CAPABILITY:
                return int_value(c, 0, INT_MAX, &a->capability);
        case K_FSUID:
                return u32_value(c, &a->fsuid);
        case K_OUID:
                return u32_value(c, &a->ouid);
        default:
                return false;
        }
}

/* The bytes up to the first '=' at c->p: the key if the field has one;
 * 0 when there is no '=' (a zero byte stops the search too). The bytes
 * are not checked: see key_bytes(). */
INLINE size_t key_length(struct cur *c)
{
        const char *p = c->p;
        size_t n = 0;
        unsigned k;

        do {
                uint64_t x = audit_swar_load(p + n);

                k = audit_swar_run(audit_swar_equal(x, '=') | audit_swar_equal(x, '\0'));
                n += k;
        } while (k == 8);
        return p[n] == '=' ? n : 0;
}

/* Whether the n bytes at p may make a key: [A-Za-z0-9_-]. Needed only for
 * keys the parser does not know (the known ones are spelled so). */
static bool key_bytes(const char *p, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (!key_byte[(unsigned char)p[i]])
                        return false;
        return true;
}

/* The key the kernel writes after prev (K_UNKNOWN: the first), when it
 * is there: "key=" compared as a word or two, instead of finding the '='
 * and looking the key up. The orders are apparmor_audit() and the
 * callbacks of security/apparmor (file, capability, net, signal). Moves
 * past the '=' and returns the key; K_UNKNOWN when another key is there. */
INLINE enum audit_key expected_key(struct cur *c, enum audit_key prev)
{
        switch (prev) {
        case K_UNKNOWN:
                if (LITERAL(c, "apparmor="))
                        return K_APPARMOR;
                break;
        case K_APPARMOR:
                if (LITERAL(c, "operation="))
                        return K_OPERATION;
                break;
        case K_OPERATION:
        case K_CLASS:
        case K_ERROR:
                if (LITERAL(c, "profile="))
                        return K_PROFILE;
                if (LITERAL(c, "class="))
                        return K_CLASS;
                break;
        case K_PROFILE:
                if (LITERAL(c, "name="))
                        return K_NAME;
                if (LITERAL(c, "pid="))
                        return K_PID;
                break;
        case K_NAME:
                if (LITERAL(c, "pid="))
                        return K_PID;
                break;
        case K_PID:
                if (LITERAL(c, "comm="))
                        return K_COMM;
                break;
        case K_COMM:
        case K_PROTOCOL:
                if (LITERAL(c, "requested_mask="))
                        return K_REQUESTED_MASK;
                if (LITERAL(c, "capability="))
                        return K_CAPABILITY;
                if (LITERAL(c, "family="))
                        return K_FAMILY;
                break;
        case K_REQUESTED_MASK:
                if (LITERAL(c, "denied_mask="))
                        return K_DENIED_MASK;
                break;
        case K_DENIED_MASK:
                if (LITERAL(c, "fsuid="))
                        return K_FSUID;
                break;
        case K_FSUID:
                if (LITERAL(c, "ouid="))
                        return K_OUID;
                break;
        case K_CAPABILITY:
                if (LITERAL(c, "capname="))
                        return K_CAPNAME;
                break;
        case K_FAMILY:
                if (LITERAL(c, "sock_type="))
                        return K_SOCK_TYPE;
                break;
        case K_SOCK_TYPE:
                if (LITERAL(c, "protocol="))
                        return K_PROTOCOL;
                break;
        default:
                break;
        }
        return K_UNKNOWN;
}

static bool apparmor_fields(const char *p, const char *end, struct audit_event *e)
{
        struct cur c = {.p = p, .end = end, .w = e->text};
        struct audit_apparmor_alt alt = {0};
        uint64_t seen = 0;
        unsigned nfields = 0;

        if (e->type == AUDIT_TYPE_USER_AVC)
                return false;
        skip_spaces(&c);
        /* An AVC that is not AppArmor's is SELinux's: -ENOMSG, the general
         * parser's to say. */
        if (e->type == AUDIT_TYPE_AVC) {
                struct cur look = c;

                if (!LITERAL(&look, "apparmor=") && !LITERAL(&look, "operation="))
                        return false;
        }
        for (enum audit_key k = K_UNKNOWN;;) {
                size_t n;

                skip_spaces(&c);
                if (c.p == c.end)
                        break;
                if (++nfields > AUDIT_FIELDS_MAX)
                        return false;
                k = expected_key(&c, k);
                if (k == K_UNKNOWN) {
                        n = key_length(&c);
                        if (n == 0)
                                return false;
                        k = audit_key_of(c.p, n);
                        if (k == K_UNKNOWN && !key_bytes(c.p, n))
                                return false;
                        c.p += n + 1;
                }
                if (k == K_UNKNOWN || !(KEYS_APPARMOR & KEY_BIT(k))) {
                        if (!skip_value(&c))
                                return false;
                        continue;
                }
                if (seen & KEY_BIT(k))
                        return false;
                seen |= KEY_BIT(k);
                if (!apparmor_field(&c, k, e, &alt))
                        return false;
        }
        audit_apparmor_finish(e, seen & KEY_BIT(K_APPARMOR), &alt);
        return true;
}

/* "audit(SEC.MSEC:SERIAL): " as audit_stamp_parse() and the parser after
 * it read it: the seconds and the serial decimal, the milliseconds three
 * digits, then ':' and at most one space before the fields. */
INLINE bool stamp(struct cur *c, struct audit_stamp *ret)
{
        uint64_t sec, serial;
        const char *p;

        if (!LITERAL(c, "audit(") || digits(c, &sec) == 0 || *c->p != '.')
                return false;
        p = c->p + 1;
        if (!is_digit(p[0]) || !is_digit(p[1]) || !is_digit(p[2]) || p[3] != ':')
                return false;
        ret->msec = (uint32_t)((p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0'));
        c->p = p + 4;
        if (digits(c, &serial) == 0 || !LITERAL(c, "):"))
                return false;
        if (*c->p == ' ')
                c->p++;
        ret->sec = sec;
        ret->serial = serial;
        return true;
}

bool audit_record_fast(const char *p, const char *end, enum event_kind kind, unsigned type,
                       struct audit_event *e)
{
        char buf[FAST_MAX + PAD];
        size_t n = (size_t)(end - p);
        struct cur c;

        if (n > FAST_MAX)
                return false;
        c = (struct cur){.p = buf, .end = buf + n, .w = e->text};
        memcpy(buf, p, n);
        memset(buf + n, 0, PAD);
        if (!stamp(&c, &e->stamp))
                return false;
        audit_event_start(e, kind, type);
        switch (kind) {
        case EVENT_SECCOMP:
                return seccomp_fields(c.p, c.end, e);
        case EVENT_ABEND:
                return abend_fields(c.p, c.end, e);
        case EVENT_APPARMOR:
                return apparmor_fields(c.p, c.end, e);
        case _EVENT_KIND_MAX:
        default:
                return false;
        }
}
