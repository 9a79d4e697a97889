/* SPDX-License-Identifier: MIT */
#include "mountinfo.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/macro.h"

struct cursor {
        const char *p, *end; /* the current line, newline excluded */
};

/* The next space-separated token of the line, or false at the end. */
static bool next_token(struct cursor *c, const char **ret, size_t *ret_len)
{
        const char *start = c->p, *q;

        if (c->p >= c->end)
                return false;
        q = memchr(start, ' ', (size_t)(c->end - start));
        if (!q)
                q = c->end;
        if (q == start)
                return false; /* empty token: two spaces or a leading space */
        *ret = start;
        *ret_len = (size_t)(q - start);
        c->p = q < c->end ? q + 1 : q;
        return true;
}

static int parse_uint(const char *s, size_t n, unsigned *ret)
{
        unsigned long v = 0;

        if (n == 0 || n > 10)
                return -EINVAL;
        for (size_t i = 0; i < n; i++) {
                if (s[i] < '0' || s[i] > '9')
                        return -EINVAL;
                v = v * 10 + (unsigned long)(s[i] - '0');
        }
        if (v > UINT_MAX)
                return -EINVAL;
        *ret = (unsigned)v;
        return 0;
}

/* Copies a token into out, undoing \NNN octal escapes; a backslash not
 * followed by three octal digits, or an escape of NUL, is an error. */
static int unescape(const char *s, size_t n, char **out)
{
        char *o = *out;

        for (size_t i = 0; i < n; i++) {
                unsigned v = 0;

                if (s[i] != '\\') {
                        *o++ = s[i];
                        continue;
                }
                if (i + 3 >= n)
                        return -EINVAL;
                for (size_t k = 1; k <= 3; k++) {
                        if (s[i + k] < '0' || s[i + k] > '7')
                                return -EINVAL;
                        v = v * 8 + (unsigned)(s[i + k] - '0');
                }
                if (v == 0 || v > 0xff)
                        return -EINVAL;
                *o++ = (char)v;
                i += 3;
        }
        *o++ = '\0';
        *out = o;
        return 0;
}

static bool option_is(const char *opts, size_t n, const char *word)
{
        size_t w = strlen(word);
        const char *p = opts, *end = opts + n;

        while (p < end) {
                const char *comma = memchr(p, ',', (size_t)(end - p));
                const char *stop = comma ? comma : end;

                if ((size_t)(stop - p) == w && memcmp(p, word, w) == 0)
                        return true;
                p = stop + 1;
        }
        return false;
}

static int parse_line(struct cursor *c, struct mount_entry *m, char **arena)
{
        const char *tok, *root, *target, *opts, *fstype, *source, *sopts;
        size_t n, root_n, target_n, opts_n, fstype_n, source_n, sopts_n;
        unsigned fields = 0;
        const char *colon;

        if (!next_token(c, &tok, &n) || parse_uint(tok, n, &m->id) < 0)
                return -EINVAL;
        if (!next_token(c, &tok, &n) || parse_uint(tok, n, &m->parent) < 0)
                return -EINVAL;
        if (!next_token(c, &tok, &n))
                return -EINVAL;
        colon = memchr(tok, ':', n);
        if (!colon || parse_uint(tok, (size_t)(colon - tok), &m->major) < 0 ||
            parse_uint(colon + 1, n - (size_t)(colon - tok) - 1, &m->minor) < 0)
                return -EINVAL;
        if (!next_token(c, &root, &root_n) || !next_token(c, &target, &target_n) ||
            !next_token(c, &opts, &opts_n))
                return -EINVAL;
        /* Optional fields up to the lone "-". */
        for (;;) {
                if (!next_token(c, &tok, &n))
                        return -EINVAL;
                if (n == 1 && tok[0] == '-')
                        break;
                if (++fields > MOUNTINFO_MAX_FIELDS)
                        return -EINVAL;
                if (n > 7 && memcmp(tok, "shared:", 7) == 0)
                        m->flags |= MOUNT_SHARED;
                else if (n > 7 && memcmp(tok, "master:", 7) == 0)
                        m->flags |= MOUNT_SLAVE;
                else if (!(n > 15 && memcmp(tok, "propagate_from:", 15) == 0) &&
                         !(n == 10 && memcmp(tok, "unbindable", 10) == 0))
                        return -EINVAL;
        }
        if (!next_token(c, &fstype, &fstype_n) || !next_token(c, &source, &source_n))
                return -EINVAL;
        /* Super options are the rest of the line (they hold no spaces, but a
         * kernel that ever printed one should not make us fail). */
        if (c->p >= c->end)
                return -EINVAL;
        sopts = c->p;
        sopts_n = (size_t)(c->end - c->p);

        /* The root is a path inside the filesystem, except for the odd
         * filesystem that names it otherwise (nsfs: "net:[4026532176]"). */
        if (target[0] != '/')
                return -EINVAL;
        if (option_is(opts, opts_n, "ro"))
                m->flags |= MOUNT_RO;
        else if (!option_is(opts, opts_n, "rw"))
                return -EINVAL;
        if (option_is(opts, opts_n, "nosuid"))
                m->flags |= MOUNT_NOSUID;
        if (option_is(opts, opts_n, "nodev"))
                m->flags |= MOUNT_NODEV;
        if (option_is(opts, opts_n, "noexec"))
                m->flags |= MOUNT_NOEXEC;
        if (option_is(sopts, sopts_n, "ro"))
                m->flags |= MOUNT_SB_RO;

        m->root = *arena;
        if (unescape(root, root_n, arena) < 0)
                return -EINVAL;
        m->target = *arena;
        if (unescape(target, target_n, arena) < 0)
                return -EINVAL;
        m->fstype = *arena;
        if (unescape(fstype, fstype_n, arena) < 0)
                return -EINVAL;
        m->source = *arena;
        if (unescape(source, source_n, arena) < 0)
                return -EINVAL;
        return 0;
}

static int cmp_target(const void *a, const void *b)
{
        const struct mount_entry *x = *(const struct mount_entry *const *)a;
        const struct mount_entry *y = *(const struct mount_entry *const *)b;

        return strcmp(x->target, y->target);
}

/* A mount with another mount stacked on the same mount point (whose parent
 * it is) is hidden. */
static int mark_hidden(struct mount_table *t)
{
        _cleanup_free_ struct mount_entry **v = NULL;

        if (t->n < 2)
                return 0;
        v = malloc(t->n * sizeof(*v));
        if (!v)
                return -ENOMEM;
        for (size_t i = 0; i < t->n; i++)
                v[i] = &t->entries[i];
        qsort(v, t->n, sizeof(*v), cmp_target);
        for (size_t i = 0; i < t->n;) {
                size_t j = i + 1;

                while (j < t->n && strcmp(v[j]->target, v[i]->target) == 0)
                        j++;
                for (size_t a = i; a < j; a++)
                        for (size_t b = i; b < j; b++)
                                if (a != b && v[b]->parent == v[a]->id)
                                        v[a]->flags |= MOUNT_HIDDEN;
                i = j;
        }
        return 0;
}

int mountinfo_parse(const char *buf, size_t len, struct mount_table *ret, unsigned *ret_line)
{
        _cleanup_free_ struct mount_entry *entries = NULL;
        _cleanup_free_ char *strings = NULL;
        struct mount_table t;
        const char *p = buf, *end = buf + len;
        size_t lines = 0, n = 0;
        char *arena;
        int r;

        if (len > MOUNTINFO_MAX_BYTES)
                return -E2BIG;
        if (memchr(buf, '\0', len))
                return -EINVAL;
        for (const char *q = buf; q < end; q++)
                if (*q == '\n')
                        lines++;
        if (len > 0 && end[-1] != '\n')
                lines++;
        if (lines > MOUNTINFO_MAX_ENTRIES)
                return -E2BIG;
        entries = calloc(lines ? lines : 1, sizeof(*entries));
        strings = malloc(len + 1);
        if (!entries || !strings)
                return -ENOMEM;
        arena = strings;
        while (p < end) {
                const char *eol = memchr(p, '\n', (size_t)(end - p));
                struct cursor c;

                if (!eol)
                        eol = end;
                if ((size_t)(eol - p) > MOUNTINFO_MAX_LINE)
                        return -E2BIG;
                c = (struct cursor){p, eol};
                entries[n] = (struct mount_entry){0};
                if (parse_line(&c, &entries[n], &arena) < 0) {
                        if (ret_line)
                                *ret_line = (unsigned)(n + 1);
                        return -EINVAL;
                }
                n++;
                p = eol + 1;
        }
        t = (struct mount_table){.entries = entries, .n = n, .strings = strings};
        r = mark_hidden(&t);
        if (r < 0)
                return r;
        TAKE_PTR(entries);
        TAKE_PTR(strings);
        *ret = t;
        return 0;
}

void mount_table_done(struct mount_table *t)
{
        free(t->entries);
        free(t->strings);
        *t = (struct mount_table){0};
}

bool path_is_prefix(const char *a, const char *b)
{
        size_t n = strlen(a);

        if (n == 1 && a[0] == '/')
                return b[0] == '/';
        return strncmp(a, b, n) == 0 && (b[n] == '\0' || b[n] == '/');
}

const struct mount_entry *mount_table_root(const struct mount_table *t)
{
        for (size_t i = t->n; i > 0; i--) {
                const struct mount_entry *m = &t->entries[i - 1];

                if (strcmp(m->target, "/") == 0 && !(m->flags & MOUNT_HIDDEN))
                        return m;
        }
        return NULL;
}

const struct mount_entry *mount_table_resolve(const struct mount_table *t, const char *path,
                                              char *buf, size_t size)
{
        const struct mount_entry *best = NULL;
        size_t best_len = 0;
        const char *rest;
        int w;

        if (path[0] != '/')
                return NULL;
        for (size_t i = 0; i < t->n; i++) {
                const struct mount_entry *m = &t->entries[i];
                size_t l = strlen(m->target);

                if ((m->flags & MOUNT_HIDDEN) || !path_is_prefix(m->target, path))
                        continue;
                /* Longest mount point wins; among equals the later one. */
                if (!best || l >= best_len) {
                        best = m;
                        best_len = l;
                }
        }
        if (!best)
                return NULL;
        rest = path + (best_len == 1 ? 0 : best_len);
        if (strcmp(best->root, "/") == 0)
                w = snprintf(buf, size, "%s", rest[0] ? rest : "/");
        else
                w = snprintf(buf, size, "%s%s", best->root, rest);
        if (w < 0 || (size_t)w >= size)
                return NULL;
        return best;
}
