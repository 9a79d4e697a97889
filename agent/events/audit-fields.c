/* SPDX-License-Identifier: MIT */
#include "audit-fields.h"

#include <errno.h>
#include <string.h>

/* Byte classes, one table lookup per byte on the hot path. */
enum {
        C_KEY = 1,   /* [A-Za-z0-9_-] */
        C_CTRL = 2,  /* < 0x20 and 0x7f: never bare, NUL never anywhere */
        C_SPACE = 4, /* ends a bare value */
};

#define KEYS_09 ['0' ... '9'] = C_KEY
#define KEYS_AZ ['A' ... 'Z'] = C_KEY
#define KEYS_az ['a' ... 'z'] = C_KEY

static const unsigned char cls[256] = {
    [0x00 ... 0x1f] = C_CTRL,
    [0x7f] = C_CTRL,
    [' '] = C_SPACE,
    KEYS_09,
    KEYS_AZ,
    KEYS_az,
    ['_'] = C_KEY,
    ['-'] = C_KEY,
};

/* Hex digit values plus one: 0 marks a byte that is no hex digit. */
static const unsigned char hex1[256] = {
    ['0'] = 1,  ['1'] = 2,  ['2'] = 3,  ['3'] = 4,  ['4'] = 5,  ['5'] = 6,  ['6'] = 7,  ['7'] = 8,
    ['8'] = 9,  ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
    ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

/* The digit's value, or a value > 15 for a byte that is none. */
static inline unsigned hexval(unsigned char c)
{
        return (unsigned)hex1[c] - 1u;
}

void audit_fields_init(struct audit_fields *it, const char *base, const char *p, const char *end)
{
        *it = (struct audit_fields){.base = base, .p = p, .end = end};
}

static int fail(struct audit_fields *it, const char *at, const char *what)
{
        it->err_off = (size_t)(at - it->base);
        it->err_what = what;
        it->p = it->end; /* a failed iterator stays failed-at-end */
        return -EBADMSG;
}

/* The closing quote of a single-quoted nested record: the first '\'' that
 * is not inside one of the nested record's "..." values. */
static const char *single_quote_end(const char *p, const char *end)
{
        bool in_double = false;

        for (; p < end; p++) {
                if (*p == '"')
                        in_double = !in_double;
                else if (*p == '\'' && !in_double)
                        return p;
                else if (*p == '\0')
                        return NULL;
        }
        return NULL;
}

int audit_fields_next(struct audit_fields *it, struct audit_field *ret)
{
        const char *p = it->p, *end = it->end, *key, *v;

        while (p < end && *p == ' ')
                p++;
        if (p >= end) {
                it->p = end;
                return 0;
        }
        key = p;
        while (p < end && (cls[(unsigned char)*p] & C_KEY))
                p++;
        if (p == key)
                return fail(it, p, *p == '\0' ? "NUL byte" : "expected a key");
        if (p >= end || *p != '=')
                return fail(it, p,
                            p >= end ? "key without '=' at the end" : "expected '=' after key");
        ret->key = key;
        ret->key_len = (size_t)(p - key);
        p++;

        if (p < end && *p == '"') {
                const char *q;

                v = p + 1;
                q = memchr(v, '"', (size_t)(end - v));
                if (!q)
                        return fail(it, p, "unterminated '\"'");
                if (memchr(v, '\0', (size_t)(q - v)))
                        return fail(it, (const char *)memchr(v, '\0', (size_t)(q - v)), "NUL byte");
                ret->value = v;
                ret->value_len = (size_t)(q - v);
                ret->quote = AUDIT_QUOTE_DOUBLE;
                p = q + 1;
        } else if (p < end && *p == '\'') {
                const char *q;

                v = p + 1;
                q = single_quote_end(v, end);
                if (!q) {
                        const char *nul = memchr(v, '\0', (size_t)(end - v));

                        return nul ? fail(it, nul, "NUL byte") : fail(it, p, "unterminated \"'\"");
                }
                ret->value = v;
                ret->value_len = (size_t)(q - v);
                ret->quote = AUDIT_QUOTE_SINGLE;
                p = q + 1;
        } else {
                v = p;
                while (p < end && !(cls[(unsigned char)*p] & (C_SPACE | C_CTRL)))
                        p++;
                if (p < end && *p != ' ')
                        return fail(it, p, *p == '\0' ? "NUL byte" : "control byte in a value");
                ret->value = v;
                ret->value_len = (size_t)(p - v);
                ret->quote = AUDIT_QUOTE_NONE;
                it->p = p;
                return 1;
        }
        if (p < end && *p != ' ')
                return fail(it, p, "expected a space after the closing quote");
        it->p = p;
        return 1;
}

bool audit_value_is_placeholder(const struct audit_field *f)
{
        if (f->quote != AUDIT_QUOTE_NONE)
                return false;
        return (f->value_len == 1 && f->value[0] == '?') ||
               (f->value_len == 6 && memcmp(f->value, "(null)", 6) == 0);
}

static int value_error(struct audit_value_error *err, size_t off, const char *what)
{
        *err = (struct audit_value_error){.off = off, .what = what};
        return -EBADMSG;
}

static int copy_checked(const char *v, size_t n, char *out, size_t size,
                        struct audit_value_error *err)
{
        const char *nul;

        if (n >= size)
                return -ENOBUFS;
        nul = memchr(v, '\0', n);
        if (nul)
                return value_error(err, (size_t)(nul - v), "NUL byte in a value");
        memcpy(out, v, n);
        out[n] = '\0';
        return (int)n;
}

int audit_value_string(const struct audit_field *f, char *out, size_t size,
                       struct audit_value_error *ret_err)
{
        size_t n = f->value_len;
        const unsigned char *v = (const unsigned char *)f->value;

        if (f->quote != AUDIT_QUOTE_NONE)
                return copy_checked(f->value, n, out, size, ret_err);
        if (n / 2 >= size)
                return -ENOBUFS;
        for (size_t i = 0; i + 1 < n; i += 2) {
                unsigned hi = hexval(v[i]), lo = hexval(v[i + 1]);

                if (hi > 15 || lo > 15)
                        return value_error(ret_err, hi > 15 ? i : i + 1,
                                           "not a hex digit in a hex-encoded string");
                if (hi == 0 && lo == 0)
                        return value_error(ret_err, i, "hex-encoded string holds a NUL byte");
                out[i / 2] = (char)(hi << 4 | lo);
        }
        if (n % 2 != 0)
                return value_error(ret_err, n - 1,
                                   hexval(v[n - 1]) > 15 ? "not a hex digit in a hex-encoded string"
                                                         : "odd number of hex digits");
        out[n / 2] = '\0';
        return (int)(n / 2);
}

int audit_value_literal(const struct audit_field *f, char *out, size_t size,
                        struct audit_value_error *ret_err)
{
        return copy_checked(f->value, f->value_len, out, size, ret_err);
}

int audit_value_u64(const struct audit_field *f, uint64_t max, uint64_t *ret,
                    struct audit_value_error *ret_err)
{
        uint64_t v = 0;

        if (f->quote != AUDIT_QUOTE_NONE)
                return value_error(ret_err, 0, "quoted number");
        if (f->value_len == 0)
                return value_error(ret_err, 0, "empty number");
        if (f->value[0] == '-')
                return value_error(ret_err, 0, "negative number");
        if (f->value_len <= 19) {
                /* Nineteen digits cannot overflow 64 bits: check max once. */
                for (size_t i = 0; i < f->value_len; i++) {
                        unsigned d = (unsigned)(unsigned char)f->value[i] - '0';

                        if (d > 9)
                                return value_error(ret_err, i, "not a decimal digit");
                        v = v * 10 + d;
                }
                if (v > max)
                        return value_error(ret_err, f->value_len - 1, "number out of range");
                *ret = v;
                return 0;
        }
        for (size_t i = 0; i < f->value_len; i++) {
                unsigned d = (unsigned)(unsigned char)f->value[i] - '0';

                if (d > 9)
                        return value_error(ret_err, i, "not a decimal digit");
                if (d > max || v > (max - d) / 10)
                        return value_error(ret_err, i, "number out of range");
                v = v * 10 + d;
        }
        *ret = v;
        return 0;
}

int audit_value_i64(const struct audit_field *f, int64_t min, int64_t max, int64_t *ret,
                    struct audit_value_error *ret_err)
{
        struct audit_field digits = *f;
        bool neg = f->quote == AUDIT_QUOTE_NONE && f->value_len > 0 && f->value[0] == '-';
        uint64_t mag;
        int64_t v;
        int r;

        if (neg) {
                if (min >= 0)
                        return value_error(ret_err, 0, "negative number");
                digits.value++;
                digits.value_len--;
        }
        r = audit_value_u64(&digits, neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX, &mag,
                            ret_err);
        if (r < 0) {
                ret_err->off += neg;
                return r;
        }
        if (!neg)
                v = (int64_t)mag;
        else if (mag == (uint64_t)INT64_MAX + 1)
                v = INT64_MIN;
        else
                v = -(int64_t)mag;
        if (v < min || v > max)
                return value_error(ret_err, 0, "number out of range");
        *ret = v;
        return 0;
}

int audit_value_hex(const struct audit_field *f, bool prefixed, uint64_t max, uint64_t *ret,
                    struct audit_value_error *ret_err)
{
        size_t i = 0;
        uint64_t v = 0;

        if (f->quote != AUDIT_QUOTE_NONE)
                return value_error(ret_err, 0, "quoted number");
        if (prefixed) {
                if (f->value_len < 1 || f->value[0] != '0')
                        return value_error(ret_err, 0, "expected \"0x\"");
                if (f->value_len < 2 || (f->value[1] != 'x' && f->value[1] != 'X'))
                        return value_error(ret_err, 1, "expected \"0x\"");
                i = 2;
        }
        if (i == f->value_len)
                return value_error(ret_err, i, "empty number");
        for (size_t start = i; i < f->value_len; i++) {
                unsigned d = hexval((unsigned char)f->value[i]);

                if (d > 15)
                        return value_error(ret_err, i, "not a hex digit");
                /* Fifteen digits cannot overflow 64 bits; past them, check each. */
                if (i - start >= 15 && (d > max || v > (max - d) / 16))
                        return value_error(ret_err, i, "number out of range");
                v = v * 16 + d;
        }
        if (v > max)
                return value_error(ret_err, f->value_len - 1, "number out of range");
        *ret = v;
        return 0;
}
