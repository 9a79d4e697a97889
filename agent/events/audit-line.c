/* SPDX-License-Identifier: MIT */
#include "audit-line.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "audit-digits.h"
#include "base/macro.h"

#define STARTS(p, end, lit)                                                                        \
        ((size_t)((end) - (p)) >= sizeof(lit) - 1 && memcmp((p), (lit), sizeof(lit) - 1) == 0)

/* Audit types are the netlink message type: 16 bits. */
#define AUDIT_TYPE_MAX 0xffffu
/* A host name is at most 255 bytes (HOST_NAME_MAX is 64 on Linux, but a
 * syslog relay may write an FQDN). */
#define HOST_MAX 255u

static inline bool is_digit(char c)
{
        return c >= '0' && c <= '9';
}

/* Skips at least min and at most max digits; NULL when fewer. */
static const char *skip_digits(const char *p, const char *end, size_t min, size_t max)
{
        size_t n = 0;

        while (p < end && n < max && is_digit(*p)) {
                p++;
                n++;
        }
        return n >= min ? p : NULL;
}

static const char *skip_char(const char *p, const char *end, char c)
{
        return p && p < end && *p == c ? p + 1 : NULL;
}

/* /dev/kmsg: "PRIO,SEQ,USEC,FLAGS;" (flags "-" or "c", maybe more). */
static const char *skip_kmsg(const char *p, const char *end)
{
        p = skip_char(skip_digits(p, end, 1, 10), end, ',');
        p = p ? skip_char(skip_digits(p, end, 1, 20), end, ',') : NULL;
        p = p ? skip_char(skip_digits(p, end, 1, 20), end, ',') : NULL;
        if (!p)
                return NULL;
        for (size_t n = 0; p < end && n < 16; p++, n++)
                if (*p == ';')
                        return p + 1;
        return NULL;
}

/* dmesg -r and raw syslog: "<5>". */
static const char *skip_priority(const char *p, const char *end)
{
        return skip_char(skip_digits(skip_char(p, end, '<'), end, 1, 3), end, '>');
}

/* The bytes of a bracketed stamp: digits, letters, ' ', '.', ':', '+', '-'. */
static const bool stamp_byte[256] = {
    ['0' ... '9'] = true, ['A' ... 'Z'] = true, ['a' ... 'z'] = true, [' '] = true,
    ['.'] = true,         [':'] = true,         ['+'] = true,         ['-'] = true,
};

/* "[ 6053.919908] " (dmesg) or "[Sun Nov 22 15:56:29 2026] " (dmesg -T). */
static const char *skip_bracket_stamp(const char *p, const char *end)
{
        if (p >= end || *p != '[')
                return NULL;
        p++;
        for (size_t n = 0; p < end && n < 40; p++, n++) {
                char c = *p;

                if (c == ']')
                        return n > 0 ? skip_char(p + 1, end, ' ') : NULL;
                if (!stamp_byte[(unsigned char)c])
                        return NULL;
        }
        return NULL;
}

/* HH:MM:SS with an optional fraction. */
static const char *skip_clock(const char *p, const char *end)
{
        p = skip_char(skip_digits(p, end, 2, 2), end, ':');
        p = p ? skip_char(skip_digits(p, end, 2, 2), end, ':') : NULL;
        p = p ? skip_digits(p, end, 2, 2) : NULL;
        if (p && p < end && (*p == '.' || *p == ','))
                p = skip_digits(p + 1, end, 1, 9);
        return p;
}

/* "Nov 22 10:00:00 " or "Nov  2 10:00:00.123456 " (RFC 3164, journalctl
 * short and short-precise). */
static const char *skip_syslog_time(const char *p, const char *end)
{
        static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
        bool month = false;

        if (end - p < 4)
                return NULL;
        for (size_t i = 0; i < 12 && !month; i++)
                month =
                    p[0] == months[3 * i] && p[1] == months[3 * i + 1] && p[2] == months[3 * i + 2];
        if (!month || p[3] != ' ')
                return NULL;
        p += 4;
        if (p < end && *p == ' ')
                p++;
        p = skip_char(skip_digits(p, end, 1, 2), end, ' ');
        return p ? skip_char(skip_clock(p, end), end, ' ') : NULL;
}

/* "2026-11-22T10:00:00[.123456][Z|+00:00|+0000] " (RFC 3339). */
static const char *skip_iso_time(const char *p, const char *end)
{
        p = skip_char(skip_digits(p, end, 4, 4), end, '-');
        p = p ? skip_char(skip_digits(p, end, 2, 2), end, '-') : NULL;
        p = p ? skip_char(skip_digits(p, end, 2, 2), end, 'T') : NULL;
        p = p ? skip_clock(p, end) : NULL;
        if (!p || p >= end)
                return NULL;
        if (*p == 'Z')
                p++;
        else if (*p == '+' || *p == '-') {
                p = skip_digits(p + 1, end, 2, 2);
                if (p && p < end && *p == ':')
                        p++;
                p = p ? skip_digits(p, end, 2, 2) : NULL;
        }
        return skip_char(p, end, ' ');
}

/* "host kernel: " and the tags of auditd's syslog plugin, with an optional
 * "[pid]". */
static const char *skip_host_and_tag(const char *p, const char *end)
{
        static const struct {
                const char *s;
                size_t n;
        } tags[] = {{"kernel", 6}, {"audit", 5}, {"audispd", 7}, {"audisp-syslog", 13}};
        const char *host = p, *tag;

        while (p < end && *p != ' ' && (size_t)(p - host) <= HOST_MAX)
                p++;
        if (p == host || p >= end || *p != ' ')
                return NULL;
        tag = ++p;
        while (p < end && *p != ':' && *p != '[' && *p != ' ')
                p++;
        for (size_t i = 0; i < ELEMENTSOF(tags); i++)
                if ((size_t)(p - tag) == tags[i].n && tag[0] == tags[i].s[0] &&
                    memcmp(tag, tags[i].s, tags[i].n) == 0) {
                        if (p < end && *p == '[')
                                p = skip_char(skip_digits(p + 1, end, 1, 10), end, ']');
                        p = skip_char(p, end, ':');
                        return skip_char(p, end, ' ');
                }
        return NULL;
}

/* The auditd names of the types handled here (lib/audit_record.h). */
static const struct {
        const char *name;
        size_t len;
        unsigned type;
} type_names[] = {
    {"SECCOMP", 7, AUDIT_TYPE_SECCOMP},
    {"AVC", 3, AUDIT_TYPE_AVC},
    {"USER_AVC", 8, AUDIT_TYPE_USER_AVC},
    {"ANOM_ABEND", 10, AUDIT_TYPE_ANOM_ABEND},
    {"APPARMOR_AUDIT", 14, AUDIT_TYPE_APPARMOR_AUDIT},
    {"APPARMOR_ALLOWED", 16, AUDIT_TYPE_APPARMOR_ALLOWED},
    {"APPARMOR_DENIED", 15, AUDIT_TYPE_APPARMOR_DENIED},
    {"APPARMOR_HINT", 13, AUDIT_TYPE_APPARMOR_HINT},
    {"APPARMOR_STATUS", 15, AUDIT_TYPE_APPARMOR_STATUS},
    {"APPARMOR_ERROR", 14, AUDIT_TYPE_APPARMOR_ERROR},
    {"APPARMOR_KILL", 13, AUDIT_TYPE_APPARMOR_KILL},
};

static int parse_type_number(const char **pp, const char *end, unsigned *ret)
{
        const char *p = *pp;
        unsigned v = 0;

        /* Four digits and a space: every type handled here. */
        if (end - p >= 5 && is_digit(p[0]) && is_digit(p[1]) && is_digit(p[2]) && is_digit(p[3]) &&
            !is_digit(p[4])) {
                *pp = p + 4;
                *ret = (unsigned)((p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 +
                                  (p[3] - '0'));
                return 0;
        }
        if (p >= end || !is_digit(*p))
                return -EBADMSG;
        for (; p < end && is_digit(*p); p++) {
                v = v * 10 + (unsigned)(*p - '0');
                if (v > AUDIT_TYPE_MAX) {
                        *pp = p;
                        return -EBADMSG;
                }
        }
        *pp = p;
        *ret = v;
        return 0;
}

/* After "type=": N, NAME or UNKNOWN[N]. */
static int parse_type(const char **pp, const char *end, unsigned *ret)
{
        const char *p = *pp, *name = p;

        if (p < end && is_digit(*p))
                return parse_type_number(pp, end, ret);
        if (STARTS(p, end, "UNKNOWN[")) {
                p += 8;
                if (parse_type_number(&p, end, ret) < 0 || p >= end || *p != ']') {
                        *pp = p;
                        return -EBADMSG;
                }
                *pp = p + 1;
                return 0;
        }
        while (p < end && ((*p >= 'A' && *p <= 'Z') || is_digit(*p) || *p == '_'))
                p++;
        if (p == name) {
                *pp = p;
                return -EBADMSG;
        }
        *ret = 0;
        for (size_t i = 0; i < ELEMENTSOF(type_names); i++)
                if ((size_t)(p - name) == type_names[i].len &&
                    memcmp(name, type_names[i].name, type_names[i].len) == 0) {
                        *ret = type_names[i].type;
                        break;
                }
        *pp = p;
        return 0;
}

static int bad(const char *text, const char *at, const char *what, struct audit_parse_error *err)
{
        if (err)
                *err = (struct audit_parse_error){.col = (size_t)(at - text) + 1, .what = what};
        return -EBADMSG;
}

int audit_line_find(const char *text, size_t len, unsigned type_hint, struct audit_line *ret,
                    struct audit_parse_error *ret_error)
{
        const char *p = text, *end = text + len, *q, *gs;
        unsigned type = 0;
        bool enriched = false;

        if (end > p && end[-1] == '\n')
                end--;
        if (end > p && end[-1] == '\r')
                end--;
        gs = memchr(p, 0x1d, (size_t)(end - p));
        if (gs) {
                end = gs;
                enriched = true;
        }

        if (p < end && *p == '<' && (q = skip_priority(p, end)))
                p = q;
        if (p < end && is_digit(*p)) {
                q = skip_kmsg(p, end);
                if (q)
                        p = q;
                else {
                        q = skip_iso_time(p, end);
                        if (!q || !(p = skip_host_and_tag(q, end)))
                                return -ENOMSG;
                }
        } else if (p < end && *p >= 'A' && *p <= 'Z' && (q = skip_syslog_time(p, end))) {
                p = skip_host_and_tag(q, end);
                if (!p)
                        return -ENOMSG;
        }
        if (p < end && *p == '[' && (q = skip_bracket_stamp(p, end)))
                p = q;
        if (STARTS(p, end, "audit: "))
                p += 7;
        if (STARTS(p, end, "node=")) {
                q = p + 5;
                while (q < end && *q != ' ')
                        q++;
                if (q >= end)
                        return -ENOMSG;
                p = q + 1;
        }

        if (STARTS(p, end, "type=")) {
                p += 5;
                if (parse_type(&p, end, &type) < 0)
                        return bad(text, p, "malformed record type", ret_error);
                if (p >= end || *p != ' ')
                        return bad(text, p, "expected a space after the record type", ret_error);
                p++;
                if (STARTS(p, end, "msg="))
                        p += 4;
                if (!STARTS(p, end, "audit("))
                        return bad(text, p, "expected \"audit(\" after the record type", ret_error);
                if (type_hint != 0 && type != 0 && type != type_hint)
                        return bad(text, p, "type= disagrees with the transport's type", ret_error);
        } else if (STARTS(p, end, "audit(")) {
                if (type_hint == 0)
                        return -ENOMSG;
                type = type_hint;
        } else
                return -ENOMSG;

        /* Scalars until here: a struct built on the stack field by field
         * and copied whole stalls on store forwarding. */
        ret->type = type;
        ret->stamp = (size_t)(p - text);
        ret->end = (size_t)(end - text);
        ret->enriched = enriched;
        return 0;
}

static const uint64_t powers_of_10[9] = {1,      10,      100,      1000,     10000,
                                         100000, 1000000, 10000000, 100000000};

/* Decimal digits into a u64; NULL on overflow or when there are none. */
static const char *parse_u64(const char *p, const char *end, uint64_t *ret)
{
        uint64_t v = 0;
        const char *start = p;

        /* Up to sixteen digits eight at a time, where sixteen bytes are
         * there to read (audit-digits.h). */
        if (end - p >= 16) {
                uint64_t w = audit_swar_load(p);
                unsigned n = audit_swar_run(audit_swar_non_digits(w)), k;

                if (n == 0)
                        return NULL;
                v = audit_swar_decimal(w, n);
                if (n == 8) {
                        w = audit_swar_load(p + 8);
                        k = audit_swar_run(audit_swar_non_digits(w));
                        if (k > 0)
                                v = v * powers_of_10[k] + audit_swar_decimal(w, k);
                        n += k;
                }
                p += n;
                if (n < 16) {
                        *ret = v;
                        return p;
                }
        }
        /* Nineteen digits cannot overflow: check only past them. */
        for (; p < end && is_digit(*p) && p - start < 19; p++)
                v = v * 10 + (unsigned)(*p - '0');
        for (; p < end && is_digit(*p); p++) {
                unsigned d = (unsigned)(*p - '0');

                if (v > (UINT64_MAX - d) / 10)
                        return NULL;
                v = v * 10 + d;
        }
        if (p == start)
                return NULL;
        *ret = v;
        return p;
}

int audit_stamp_parse(const char *p, const char *end, struct audit_stamp *ret, size_t *ret_off)
{
        const char *start = p, *q;
        uint64_t sec, serial;
        uint32_t msec;

        if (!STARTS(p, end, "audit(")) {
                *ret_off = 0;
                return -EBADMSG;
        }
        p += 6;
        q = parse_u64(p, end, &sec);
        if (!q || q >= end || *q != '.')
                goto fail;
        p = q + 1;
        if (end - p < 4 || !is_digit(p[0]) || !is_digit(p[1]) || !is_digit(p[2]) || p[3] != ':') {
                for (int i = 0; i < 3 && p < end && is_digit(*p); i++)
                        p++;
                *ret_off = (size_t)(p - start);
                return -EBADMSG;
        }
        msec = (uint32_t)((p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0'));
        p += 4;
        q = parse_u64(p, end, &serial);
        if (!q || q >= end || *q != ')')
                goto fail;
        ret->sec = sec;
        ret->msec = msec;
        ret->serial = serial;
        return (int)(q + 1 - start);
fail:
        /* Point at the first byte that is not part of a number. */
        while (p < end && is_digit(*p))
                p++;
        *ret_off = (size_t)(p - start);
        return -EBADMSG;
}
