/* SPDX-License-Identifier: MIT */
/* The fields of an audit record: `key=value` separated by spaces, where a
 * value is one of
 *   bare          pid=3011  arch=c000003e  code=0x7ffc0000  exe=(null)  hostname=?
 *   "quoted"      comm="cat"   (the kernel's audit_log_n_string)
 *   hex           comm=6D7920617070   (audit_log_n_untrustedstring: a string
 *                 with a '"', a space, a control byte or a byte > 0x7e)
 *   'quoted'      msg='apparmor="DENIED" ...'   (USER_AVC: a whole nested
 *                 record written by a userspace enforcer)
 * Whether a bare value is hex depends on the key alone, so the tokenizer
 * does not decide it: audit_value_string() is for the untrusted-string
 * keys (comm, exe, name, profile...), audit_value_literal() for the rest.
 *
 * A pure tokenizer over borrowed bytes: no allocation, one pass. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum audit_quote {
        AUDIT_QUOTE_NONE,
        AUDIT_QUOTE_DOUBLE,
        AUDIT_QUOTE_SINGLE,
};

/* One field. Borrowed: points into the text given to audit_fields_init(). */
struct audit_field {
        const char *key;
        size_t key_len;
        const char *value; /* between the quotes when quoted */
        size_t value_len;
        enum audit_quote quote;
};

struct audit_fields {
        const char *base; /* where columns are counted from */
        const char *p, *end;
        /* Set when audit_fields_next() fails: byte offset from base, and a
         * static description. */
        size_t err_off;
        const char *err_what;
};

/* Iterates over the fields in [p, end); error offsets count from base
 * (the start of the line, so that they are columns of what the caller
 * was given). */
void audit_fields_init(struct audit_fields *it, const char *base, const char *p, const char *end);

/* Returns 1 with *ret filled, 0 at the end, -EBADMSG when the text is not
 * a field list (it->err_off and it->err_what say where and why):
 *   - a key is one or more of [A-Za-z0-9_-] followed by '=';
 *   - fields are separated by one or more spaces;
 *   - a bare value runs to the next space and holds no control byte (< 0x20,
 *     0x7f);
 *   - "..." ends at the next '"'; '...' ends at the next '\'' that is not
 *     inside a "..." of the nested record; either must be followed by a
 *     space or the end;
 *   - no NUL byte anywhere. */
int audit_fields_next(struct audit_fields *it, struct audit_field *ret);

static inline bool audit_field_is(const struct audit_field *f, const char *key, size_t key_len)
{
        return f->key_len == key_len && __builtin_memcmp(f->key, key, key_len) == 0;
}

/* Bare `?` and `(null)` are the kernel's "no value" (exe=(null) for a
 * kernel thread, hostname=?). Quoted, they are real values. */
bool audit_value_is_placeholder(const struct audit_field *f);

/* Why a value was refused: the offset of the offending byte in the value,
 * and a static description. */
struct audit_value_error {
        size_t off;
        const char *what;
};

/* Decodes the value of an untrusted-string field into out (NUL-terminated):
 * a quoted value as it is, a bare one from hex (either case). Returns the
 * decoded length, -EBADMSG (odd number of hex digits, a non-hex digit, a
 * NUL byte quoted or decoded) or -ENOBUFS when out cannot hold it.
 * Placeholders are the caller's business (audit_value_is_placeholder()). */
int audit_value_string(const struct audit_field *f, char *out, size_t size,
                       struct audit_value_error *ret_err);

/* Copies a value that is never hex (apparmor="DENIED", family="inet",
 * signal=usr1, protocol=6) into out, NUL-terminated. Returns the length,
 * -EBADMSG (a NUL byte) or -ENOBUFS. */
int audit_value_literal(const struct audit_field *f, char *out, size_t size,
                        struct audit_value_error *ret_err);

/* Numbers are bare. Return 0, or -EBADMSG (empty, quoted, a sign where none
 * belongs, a non-digit, out of range). */
int audit_value_u64(const struct audit_field *f, uint64_t max, uint64_t *ret,
                    struct audit_value_error *ret_err);
/* An optional '-' then decimal digits, within [min, max]. */
int audit_value_i64(const struct audit_field *f, int64_t min, int64_t max, int64_t *ret,
                    struct audit_value_error *ret_err);
/* Hex digits, after "0x" when prefixed (code=0x7ffc0000, ip=0x...) or
 * without (arch=c000003e). */
int audit_value_hex(const struct audit_field *f, bool prefixed, uint64_t max, uint64_t *ret,
                    struct audit_value_error *ret_err);
