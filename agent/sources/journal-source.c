/* SPDX-License-Identifier: MIT */
#include "journal-source.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-journal.h>

#define USEC_PER_SEC  1000000u
#define USEC_PER_MSEC 1000u

/* "audit(18446744073709551615.999:18446744073709551615): " */
#define STAMP_MAX 64u
/* journald prints these as decimal numbers and a short type name: anything
 * longer is not one of them (and still fits, so that it is refused whole). */
#define NUMBER_FIELD_MAX 32u
#define NAME_FIELD_MAX   64u

static const char kernel_audit_prefix[] = "audit: ";
/* printk cuts a message at 991 bytes (LOG_LINE_MAX, 1024 - 32, before the
 * 5.10 ring buffer) or 1021 (measured on 6.18); the kernel prints its
 * records whole otherwise. A line this long may be half a record, and half
 * a record is a wrong record: skipped (the audit transport has it whole). */
#define KERNEL_LINE_CUT 991u

/* The fields an entry is read for. */
enum {
        F_TRANSPORT,
        F_MESSAGE,
        F_TYPE,
        F_TYPE_NAME,
        F_ID,
        F_REALTIME,
        _F_MAX,
};

#define FIELD(name, cap)                                                                           \
        {                                                                                          \
                name, sizeof(name) - 1, cap                                                        \
        }
static const struct {
        const char *name; /* with its '=' */
        size_t len;
        size_t cap; /* longest value kept */
} fields[_F_MAX] = {
    [F_TRANSPORT] = FIELD("_TRANSPORT=", 16),
    [F_MESSAGE] = FIELD("MESSAGE=", AUDIT_LINE_MAX),
    [F_TYPE] = FIELD("_AUDIT_TYPE=", NUMBER_FIELD_MAX),
    [F_TYPE_NAME] = FIELD("_AUDIT_TYPE_NAME=", NAME_FIELD_MAX),
    [F_ID] = FIELD("_AUDIT_ID=", NUMBER_FIELD_MAX),
    [F_REALTIME] = FIELD("_SOURCE_REALTIME_TIMESTAMP=", NUMBER_FIELD_MAX),
};
#undef FIELD

/* A copy of one field of the current entry: sd-journal's pointers die at
 * the next enumeration step (mmap windows move, one decompression buffer
 * is reused). At most cap bytes are kept; len is the whole length. */
struct field_copy {
        char *buf; /* cap bytes, in the source's storage */
        size_t len;
        bool seen, dup;
};

struct journal_source {
        sd_journal *journal;
        sd_id128_t boot_id; /* this machine's current boot; null when unknown */
        char *open_cursor;  /* as given to open, until an entry is consumed */
        bool at_consumed;   /* the journal's position is the last entry consumed */
        bool pending;       /* the journal's position is an entry not consumed yet */
        struct journal_source_stats stats;

        struct field_copy f[_F_MAX];
        char text[AUDIT_TEXT_MAX + 1]; /* the rebuilt record */
        /* The copies' storage: every field's cap, back to back. */
        char storage[16 + AUDIT_LINE_MAX + 3 * NUMBER_FIELD_MAX + NAME_FIELD_MAX];
};

/* A decimal number as journald prints one: digits only, no sign, no
 * blanks, no leading zero. */
static int parse_decimal(struct journal_value v, uint64_t max, uint64_t *ret)
{
        uint64_t n = 0;

        if (!v.data || v.len == 0 || v.len > 20 || (v.data[0] == '0' && v.len > 1))
                return -EBADMSG;
        for (size_t i = 0; i < v.len; i++) {
                unsigned d = (unsigned char)v.data[i] - '0';

                if (d > 9 || n > (UINT64_MAX - d) / 10)
                        return -EBADMSG;
                n = n * 10 + d;
        }
        if (n > max)
                return -EBADMSG;
        *ret = n;
        return 0;
}

/* journald writes MESSAGE=<type name> <record text>; the name is
 * _AUDIT_TYPE_NAME ("SECCOMP", or "AUDIT1234" for a type it has no name
 * for). Finds the record text after it. */
static int message_fields(const struct journal_audit_fields *f, const char **ret, size_t *ret_len)
{
        const char *m = f->message.data, *sp;
        size_t len = f->message.len, skip;

        if (f->type_name.data) {
                skip = f->type_name.len;
                if (skip == 0 || len <= skip || memcmp(m, f->type_name.data, skip) != 0 ||
                    m[skip] != ' ')
                        return -EBADMSG;
        } else {
                /* Older journald: no name field. The name is the first word,
                 * which is never a key=value field. */
                sp = memchr(m, ' ', len);
                if (!sp || sp == m || memchr(m, '=', (size_t)(sp - m)))
                        return -EBADMSG;
                skip = (size_t)(sp - m);
        }
        while (skip < len && m[skip] == ' ')
                skip++;
        if (skip == len)
                return -EBADMSG;
        *ret = m + skip;
        *ret_len = len - skip;
        return 0;
}

int journal_audit_text(const struct journal_audit_fields *f, char *buf, size_t size,
                       unsigned *ret_type)
{
        static const char oom[] = "(message is truncated";
        uint64_t type, serial, usec;
        char head[STAMP_MAX];
        const char *rest;
        size_t rest_len, len;
        int head_len, r;

        if (!f->message.data || !f->type.data || !f->id.data || !f->source_realtime.data)
                return -EBADMSG;
        /* The kernel's records are never longer: refuse before reading. */
        if (f->message.len > AUDIT_TEXT_MAX + NAME_FIELD_MAX)
                return -E2BIG;
        if (parse_decimal(f->type, UINT16_MAX, &type) < 0 || type == 0 ||
            parse_decimal(f->id, UINT64_MAX, &serial) < 0 ||
            parse_decimal(f->source_realtime, UINT64_MAX, &usec) < 0)
                return -EBADMSG;
        r = message_fields(f, &rest, &rest_len);
        if (r < 0)
                return r;
        /* journald's stand-in when it could not allocate the message. */
        if (rest_len >= sizeof(oom) - 1 && memcmp(rest, oom, sizeof(oom) - 1) == 0)
                return -EBADMSG;
        if (memchr(rest, '\0', rest_len))
                return -EBADMSG;
        /* journald stored the stamp as sec * 10^6 + msec * 10^3 µs. */
        head_len = snprintf(head, sizeof(head),
                            "audit(%" PRIu64 ".%03u:%" PRIu64 "): ", usec / USEC_PER_SEC,
                            (unsigned)(usec % USEC_PER_SEC / USEC_PER_MSEC), serial);
        if (head_len < 0 || (size_t)head_len >= sizeof(head))
                return -EBADMSG;
        len = (size_t)head_len + rest_len;
        if (len > AUDIT_TEXT_MAX || len >= size)
                return -E2BIG;
        memcpy(buf, head, (size_t)head_len);
        memcpy(buf + head_len, rest, rest_len);
        buf[len] = '\0';
        *ret_type = (unsigned)type;
        return (int)len;
}

struct journal_source *journal_source_free(struct journal_source *j)
{
        if (!j)
                return NULL;
        sd_journal_close(j->journal);
        free(j->open_cursor);
        free(j);
        return NULL;
}

int journal_source_open(const char *dir, const char *cursor, uint64_t since_usec,
                        struct journal_source **ret)
{
        _cleanup_journal_source_ struct journal_source *j = NULL;
        int r;

        j = calloc(1, sizeof(*j));
        if (!j)
                return -ENOMEM;
        if (sd_id128_get_boot(&j->boot_id) < 0)
                j->boot_id = SD_ID128_NULL;
        for (size_t i = 0, off = 0; i < _F_MAX; off += fields[i++].cap)
                j->f[i].buf = j->storage + off;
        /* Only the system journal: journald writes kernel and audit entries
         * nowhere else. _TRANSPORT is a trusted field (clients cannot set
         * it), so the match keeps forged entries out. */
        if (dir)
                r = sd_journal_open_directory(&j->journal, dir, 0);
        else
                r = sd_journal_open(&j->journal, SD_JOURNAL_LOCAL_ONLY | SD_JOURNAL_SYSTEM);
        if (r < 0)
                return r;
        /* Compressed fields are decompressed only this far: a longer
         * MESSAGE is refused anyway. */
        r = sd_journal_set_data_threshold(j->journal, sizeof("MESSAGE=") + AUDIT_LINE_MAX);
        if (r < 0)
                return r;
        /* Matches on one field are ORed. */
        r = sd_journal_add_match(j->journal, "_TRANSPORT=kernel", 0);
        if (r >= 0)
                r = sd_journal_add_match(j->journal, "_TRANSPORT=audit", 0);
        if (r < 0)
                return r;

        if (cursor) {
                j->open_cursor = strdup(cursor);
                if (!j->open_cursor)
                        return -ENOMEM;
                r = sd_journal_seek_cursor(j->journal, cursor);
                if (r < 0)
                        return r;
                r = sd_journal_next(j->journal);
                if (r < 0)
                        return r;
                /* The cursor's own entry was consumed before; if it is gone,
                 * the entry we landed on was not. */
                if (r > 0) {
                        r = sd_journal_test_cursor(j->journal, cursor);
                        if (r < 0)
                                return r;
                        j->at_consumed = r > 0;
                        j->pending = r == 0;
                }
        } else {
                r = since_usec > 0 ? sd_journal_seek_realtime_usec(j->journal, since_usec)
                                   : sd_journal_seek_head(j->journal);
                if (r < 0)
                        return r;
        }
        *ret = TAKE_PTR(j);
        return 0;
}

/* Copies the fields we use out of the current entry, in one pass over its
 * fields: sd_journal_get_data() walks them all once per field asked, and
 * asking for six costs twice as much (bench-events-journal). */
static int read_fields(struct journal_source *j)
{
        const void *data;
        size_t l;
        int r;

        for (size_t i = 0; i < _F_MAX; i++)
                j->f[i] = (struct field_copy){.buf = j->f[i].buf};
        sd_journal_restart_data(j->journal);
        /* _available_: a field that cannot be read (unknown compression,
         * corruption) is passed over instead of failing the entry. */
        while ((r = sd_journal_enumerate_available_data(j->journal, &data, &l)) > 0) {
                const char *d = data;

                if (l == 0 || (d[0] != '_' && d[0] != 'M'))
                        continue;
                for (size_t i = 0; i < _F_MAX; i++) {
                        size_t n = fields[i].len;
                        struct field_copy *c = &j->f[i];

                        if (l < n || memcmp(d, fields[i].name, n) != 0)
                                continue;
                        c->dup = c->seen;
                        c->seen = true;
                        c->len = l - n;
                        memcpy(c->buf, d + n, c->len < fields[i].cap ? c->len : fields[i].cap);
                        break;
                }
        }
        return r;
}

static bool field_is(const struct journal_source *j, unsigned i, const char *value)
{
        const struct field_copy *c = &j->f[i];
        size_t n = strlen(value);

        return c->seen && !c->dup && c->len == n && memcmp(c->buf, value, n) == 0;
}

static struct journal_value field_value(const struct journal_source *j, unsigned i)
{
        const struct field_copy *c = &j->f[i];

        /* Absent: NULL. Repeated (ambiguous) or longer than any value
         * journald writes: empty, which the rebuild refuses. */
        if (!c->seen)
                return (struct journal_value){NULL, 0};
        if (c->dup || c->len > fields[i].cap)
                return (struct journal_value){"", 0};
        return (struct journal_value){c->buf, c->len};
}

static bool kernel_audit_line(const struct journal_source *j)
{
        const struct field_copy *c = &j->f[F_MESSAGE];
        const size_t pl = sizeof(kernel_audit_prefix) - 1;

        return c->seen && c->len >= pl && memcmp(c->buf, kernel_audit_prefix, pl) == 0;
}

/* Returns 1 when a record was handed on, 0 when the entry was skipped,
 * or the callback's error (or -ENOMEM): the entry is then not consumed. */
static int handle_entry(struct journal_source *j, audit_raw_fn fn, void *userdata)
{
        struct audit_raw raw = {.source = AUDIT_SOURCE_JOURNAL};
        struct journal_audit_fields f;
        sd_id128_t boot;
        uint64_t mono;
        unsigned type;
        int r;

        /* Made since this boot (the entry header says, no field to read):
         * its pid may still name a process here. */
        raw.this_boot = !sd_id128_is_null(j->boot_id) &&
                        sd_journal_get_monotonic_usec(j->journal, &mono, &boot) >= 0 &&
                        sd_id128_equal(boot, j->boot_id);
        r = read_fields(j);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                /* A corrupt entry: retrying would only stop here again. */
                j->stats.malformed++;
                return 0;
        }

        if (field_is(j, F_TRANSPORT, "kernel")) {
                /* Other kernel messages are not ours. */
                if (!kernel_audit_line(j))
                        return 0;
                if (j->f[F_MESSAGE].dup || j->f[F_MESSAGE].len > AUDIT_LINE_MAX) {
                        j->stats.malformed++;
                        return 0;
                }
                if (j->f[F_MESSAGE].len >= KERNEL_LINE_CUT) {
                        j->stats.truncated++;
                        return 0;
                }
                raw.text = j->f[F_MESSAGE].buf;
                raw.len = j->f[F_MESSAGE].len;
                r = fn(&raw, userdata);
                if (r < 0)
                        return r;
                j->stats.kernel++;
        } else if (field_is(j, F_TRANSPORT, "audit")) {
                f = (struct journal_audit_fields){
                    .message = field_value(j, F_MESSAGE),
                    .type = field_value(j, F_TYPE),
                    .type_name = field_value(j, F_TYPE_NAME),
                    .id = field_value(j, F_ID),
                    .source_realtime = field_value(j, F_REALTIME),
                };
                r = journal_audit_text(&f, j->text, sizeof(j->text), &type);
                if (r < 0) {
                        j->stats.malformed++;
                        return 0;
                }
                raw.type = type;
                raw.text = j->text;
                raw.len = (size_t)r;
                r = fn(&raw, userdata);
                if (r < 0)
                        return r;
                j->stats.audit++;
        } else
                return 0;
        j->stats.records++;
        return 1;
}

/* The entry at the journal's position was not consumed. Step back to the
 * entry before it, so the cursor and the next drain resume there. */
static void unconsume(struct journal_source *j)
{
        int r = sd_journal_previous(j->journal);

        j->at_consumed = r > 0;
        j->pending = r <= 0;
}

int journal_source_drain(struct journal_source *j, uint64_t max, audit_raw_fn fn, void *userdata)
{
        int n = 0, r;

        for (uint64_t done = 0; (max == 0 || done < max) && n < INT_MAX; done++) {
                if (!j->pending) {
                        r = sd_journal_next(j->journal);
                        if (r < 0)
                                return r;
                        if (r == 0)
                                break;
                        j->pending = true;
                        j->at_consumed = false;
                }
                r = handle_entry(j, fn, userdata);
                if (r < 0) {
                        unconsume(j);
                        return r;
                }
                j->pending = false;
                j->at_consumed = true;
                j->stats.entries++;
                n += r;
        }
        return n;
}

int journal_source_fd(struct journal_source *j)
{
        return sd_journal_get_fd(j->journal);
}

int journal_source_process(struct journal_source *j)
{
        return sd_journal_process(j->journal);
}

int journal_source_cursor(struct journal_source *j, char **ret)
{
        char *c;
        int r;

        if (j->at_consumed) {
                r = sd_journal_get_cursor(j->journal, &c);
                if (r < 0)
                        return r;
        } else if (j->open_cursor) {
                c = strdup(j->open_cursor);
                if (!c)
                        return -ENOMEM;
        } else
                return -ENODATA;
        *ret = c;
        return 0;
}

const struct journal_source_stats *journal_source_stats(const struct journal_source *j)
{
        return &j->stats;
}
