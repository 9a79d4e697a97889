/* SPDX-License-Identifier: MIT */
#include "text-diff.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/macro.h"

struct line {
        const char *p;
        size_t len; /* with its '\n', if it has one */
};

struct side {
        struct line *line;
        size_t n;
        unsigned *cls; /* equivalence class of each line: equal lines, equal classes */
        char *changed; /* n + 2 slots, from changed[-1]: the ends are never changed */
};

static void side_done(struct side *s)
{
        free(s->line);
        free(s->cls);
        if (s->changed)
                free(s->changed - 1);
        *s = (struct side){0};
}

static int split_lines(const char *text, size_t size, struct side *s)
{
        size_t n = 0;

        if (size > TEXT_DIFF_MAX_BYTES)
                return -E2BIG;
        for (size_t i = 0; i < size; i++)
                if (text[i] == '\n' || i + 1 == size)
                        n++;
        if (n > TEXT_DIFF_MAX_LINES)
                return -E2BIG;
        s->line = calloc(n + 1, sizeof(*s->line));
        s->cls = calloc(n + 1, sizeof(*s->cls));
        s->changed = calloc(n + 2, 1);
        if (!s->line || !s->cls || !s->changed)
                return -ENOMEM;
        s->changed++;
        for (size_t i = 0, start = 0; i < size; i++)
                if (text[i] == '\n' || i + 1 == size) {
                        s->line[s->n++] = (struct line){text + start, i + 1 - start};
                        start = i + 1;
                }
        return 0;
}

/* ---- equivalence classes ---- */

static uint64_t hash_line(const struct line *l)
{
        uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */

        for (size_t i = 0; i < l->len; i++)
                h = (h ^ (unsigned char)l->p[i]) * 0x100000001b3ull;
        return h;
}

/* Gives every line of both sides its class; *ret_n the number of classes. */
static int classify(struct side *a, struct side *b, size_t *ret_n)
{
        size_t cap = 16, n_cls = 0;
        struct slot {
                const struct line *l;
                uint64_t h;
                unsigned cls;
        } * table;

        while (cap < 2 * (a->n + b->n))
                cap *= 2;
        table = calloc(cap, sizeof(*table));
        if (!table)
                return -ENOMEM;
        for (int k = 0; k < 2; k++) {
                struct side *s = k == 0 ? a : b;

                for (size_t i = 0; i < s->n; i++) {
                        const struct line *l = &s->line[i];
                        uint64_t h = hash_line(l);
                        size_t at = (size_t)h & (cap - 1);

                        for (;; at = (at + 1) & (cap - 1)) {
                                struct slot *t = &table[at];

                                if (!t->l) {
                                        *t = (struct slot){l, h, (unsigned)n_cls++};
                                        break;
                                }
                                if (t->h == h && t->l->len == l->len &&
                                    memcmp(t->l->p, l->p, l->len) == 0)
                                        break;
                        }
                        s->cls[i] = table[at].cls;
                }
        }
        free(table);
        *ret_n = n_cls;
        return 0;
}

/* ---- the shortest edit script ---- */

/* Lines that take part in the comparison (those with a match on the
 * other side), by class, and where they are in their side. */
struct seq {
        unsigned *cls;
        size_t *at;
        size_t n;
};

struct myers {
        const struct seq *x, *y;
        char *x_changed, *y_changed;
        ptrdiff_t *fd, *bd; /* furthest x on each diagonal, forward and backward */
};

/* The middle snake of x[xoff, xlim) against y[yoff, ylim), neither empty,
 * with no common first or last line: a point on a shortest path, about
 * halfway in edits, where the two halves are compared on their own. */
static void middle_snake(const struct myers *m, ptrdiff_t xoff, ptrdiff_t xlim, ptrdiff_t yoff,
                         ptrdiff_t ylim, ptrdiff_t *ret_x, ptrdiff_t *ret_y)
{
        const unsigned *x = m->x->cls, *y = m->y->cls;
        ptrdiff_t *fd = m->fd, *bd = m->bd;
        ptrdiff_t dmin = xoff - ylim, dmax = xlim - yoff;
        ptrdiff_t fmid = xoff - yoff, bmid = xlim - ylim;
        ptrdiff_t fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid;
        bool odd = (fmid - bmid) & 1;

        fd[fmid] = xoff;
        bd[bmid] = xlim;
        for (;;) {
                /* One more edit forward: widen the band of diagonals, with
                 * a sentinel outside it that never wins. */
                if (fmin > dmin)
                        fd[--fmin - 1] = -1;
                else
                        fmin++;
                if (fmax < dmax)
                        fd[++fmax + 1] = -1;
                else
                        fmax--;
                for (ptrdiff_t d = fmax; d >= fmin; d -= 2) {
                        ptrdiff_t lo = fd[d - 1], hi = fd[d + 1];
                        ptrdiff_t px = lo >= hi ? lo + 1 : hi, py = px - d;

                        while (px < xlim && py < ylim && x[px] == y[py]) {
                                px++;
                                py++;
                        }
                        fd[d] = px;
                        if (odd && bmin <= d && d <= bmax && bd[d] <= px) {
                                *ret_x = px;
                                *ret_y = py;
                                return;
                        }
                }
                /* One more edit backward. */
                if (bmin > dmin)
                        bd[--bmin - 1] = PTRDIFF_MAX;
                else
                        bmin++;
                if (bmax < dmax)
                        bd[++bmax + 1] = PTRDIFF_MAX;
                else
                        bmax--;
                for (ptrdiff_t d = bmax; d >= bmin; d -= 2) {
                        ptrdiff_t lo = bd[d - 1], hi = bd[d + 1];
                        ptrdiff_t px = lo < hi ? lo : hi - 1, py = px - d;

                        while (px > xoff && py > yoff && x[px - 1] == y[py - 1]) {
                                px--;
                                py--;
                        }
                        bd[d] = px;
                        if (!odd && fmin <= d && d <= fmax && px <= fd[d]) {
                                *ret_x = px;
                                *ret_y = py;
                                return;
                        }
                }
        }
}

/* Marks a shortest edit script of x[xoff, xlim) into y[yoff, ylim). The
 * recursion halves the number of edits: its depth is log2 of it. */
static void compare(const struct myers *m, ptrdiff_t xoff, ptrdiff_t xlim, ptrdiff_t yoff,
                    ptrdiff_t ylim)
{
        const unsigned *x = m->x->cls, *y = m->y->cls;
        ptrdiff_t xmid, ymid;

        while (xoff < xlim && yoff < ylim && x[xoff] == y[yoff]) {
                xoff++;
                yoff++;
        }
        while (xoff < xlim && yoff < ylim && x[xlim - 1] == y[ylim - 1]) {
                xlim--;
                ylim--;
        }
        if (xoff == xlim) {
                for (ptrdiff_t i = yoff; i < ylim; i++)
                        m->y_changed[m->y->at[i]] = 1;
                return;
        }
        if (yoff == ylim) {
                for (ptrdiff_t i = xoff; i < xlim; i++)
                        m->x_changed[m->x->at[i]] = 1;
                return;
        }
        middle_snake(m, xoff, xlim, yoff, ylim, &xmid, &ymid);
        compare(m, xoff, xmid, yoff, ymid);
        compare(m, xmid, xlim, ymid, ylim);
}

/* Lines with no equal on the other side are changed whatever the script:
 * they are marked at once and left out of the comparison, which then runs
 * on the lines that can match (as GNU diff does with such lines). */
static int reduce(const struct side *s, size_t lo, size_t hi, const size_t *count_other,
                  struct seq *ret)
{
        ret->cls = calloc(hi - lo + 1, sizeof(*ret->cls));
        ret->at = calloc(hi - lo + 1, sizeof(*ret->at));
        if (!ret->cls || !ret->at)
                return -ENOMEM;
        ret->n = 0;
        for (size_t i = lo; i < hi; i++) {
                if (count_other[s->cls[i]] == 0) {
                        s->changed[i] = 1;
                        continue;
                }
                ret->cls[ret->n] = s->cls[i];
                ret->at[ret->n++] = i;
        }
        return 0;
}

/* Where the script is looked for and runs of changes may slide: the lines
 * between the texts' common first and last lines, widened by keep lines
 * of each. GNU diff sets the identical ends aside but for the lines it
 * keeps as context (-U), so its runs slide that far into them and no
 * further; producing its output takes the same window. */
struct middle {
        size_t a_lo, a_hi, b_lo, b_hi;
};

static struct middle find_middle(const struct side *a, const struct side *b, size_t keep)
{
        struct middle m = {0, a->n, 0, b->n};
        size_t k;

        while (m.a_lo < a->n && m.b_lo < b->n && a->cls[m.a_lo] == b->cls[m.b_lo]) {
                m.a_lo++;
                m.b_lo++;
        }
        while (m.a_hi > m.a_lo && m.b_hi > m.b_lo && a->cls[m.a_hi - 1] == b->cls[m.b_hi - 1]) {
                m.a_hi--;
                m.b_hi--;
        }
        k = keep < m.a_lo ? keep : m.a_lo;
        m.a_lo -= k;
        m.b_lo -= k;
        k = keep < a->n - m.a_hi ? keep : a->n - m.a_hi;
        m.a_hi += k;
        m.b_hi += k;
        return m;
}

static int shortest_script(struct side *a, struct side *b, size_t n_cls, const struct middle *mid)
{
        _cleanup_free_ size_t *in_a = calloc(n_cls + 1, sizeof(size_t));
        _cleanup_free_ size_t *in_b = calloc(n_cls + 1, sizeof(size_t));
        struct seq x = {0}, y = {0};
        _cleanup_free_ ptrdiff_t *fd = NULL, *bd = NULL;
        size_t diags;
        int r;

        if (!in_a || !in_b)
                return -ENOMEM;
        for (size_t i = mid->a_lo; i < mid->a_hi; i++)
                in_a[a->cls[i]]++;
        for (size_t i = mid->b_lo; i < mid->b_hi; i++)
                in_b[b->cls[i]]++;
        r = reduce(a, mid->a_lo, mid->a_hi, in_b, &x);
        if (r == 0)
                r = reduce(b, mid->b_lo, mid->b_hi, in_a, &y);
        diags = x.n + y.n + 3;
        if (r == 0) {
                fd = calloc(diags, sizeof(*fd));
                bd = calloc(diags, sizeof(*bd));
                if (!fd || !bd)
                        r = -ENOMEM;
        }
        if (r == 0) {
                /* Diagonal k = x - y runs from -y.n to x.n: index by k + y.n + 1. */
                struct myers m = {&x, &y, a->changed, b->changed, fd + y.n + 1, bd + y.n + 1};

                compare(&m, 0, (ptrdiff_t)x.n, 0, (ptrdiff_t)y.n);
        }
        free(x.cls);
        free(x.at);
        free(y.cls);
        free(y.at);
        return r;
}

/* ---- sliding runs of changes ---- */

static size_t next_unchanged(const struct side *s, size_t p, size_t hi)
{
        while (p < hi && s->changed[p])
                p++;
        return p;
}

/* A run of changed lines can move within equal lines without changing the
 * script's length. Each run of f[lo, hi) is slid up as far as it goes,
 * then down as far as it goes (merging with the runs it meets), and left
 * at the lowest place where its end faces a change of the other side, so
 * that deletions and insertions come out as one change; otherwise at the
 * lowest place. (This is how GNU diff places them.) [jlo, jhi) tracks the
 * gap of changed lines of the other side, o[olo, ohi), facing the run's
 * end. */
static void slide(struct side *f, size_t lo, size_t hi, const struct side *o, size_t olo,
                  size_t ohi)
{
        char *ch = f->changed;
        size_t i = lo, j = olo;

        for (;;) {
                size_t start, run, jlo, jhi, aligned;

                while (i < hi && !ch[i]) {
                        j = next_unchanged(o, j, ohi) + 1;
                        i++;
                }
                if (i >= hi)
                        break;
                start = i;
                while (i < hi && ch[i])
                        i++;
                jlo = j;
                jhi = next_unchanged(o, jlo, ohi);
                do {
                        run = i - start;
                        while (start > lo && f->cls[start - 1] == f->cls[i - 1]) {
                                ch[--start] = 1;
                                ch[--i] = 0;
                                while (start > lo && ch[start - 1])
                                        start--;
                                /* The other side's line that matched f[start]
                                 * now matches f[i]. */
                                jhi = jlo - 1;
                                jlo = jhi;
                                while (jlo > olo && o->changed[jlo - 1])
                                        jlo--;
                        }
                        aligned = jhi > jlo ? i : SIZE_MAX;
                        while (i < hi && f->cls[start] == f->cls[i]) {
                                ch[start++] = 0;
                                ch[i++] = 1;
                                while (i < hi && ch[i])
                                        i++;
                                jlo = jhi + 1;
                                jhi = next_unchanged(o, jlo, ohi);
                                if (jhi > jlo)
                                        aligned = i;
                        }
                } while (run != i - start);
                while (aligned != SIZE_MAX && aligned < i) {
                        ch[--start] = 1;
                        ch[--i] = 0;
                        jhi = jlo - 1;
                        jlo = jhi;
                        while (jlo > olo && o->changed[jlo - 1])
                                jlo--;
                }
                j = jhi;
        }
}

/* ---- printing ---- */

struct change {
        size_t a, a_n, b, b_n; /* lines a[a, a+a_n) become b[b, b+b_n) */
};

static int list_changes(const struct side *a, const struct side *b, struct change **ret,
                        size_t *ret_n)
{
        struct change *v = NULL;
        size_t n = 0, cap = 0, i = 0, j = 0;

        while (i < a->n || j < b->n) {
                struct change c;

                if (i < a->n && j < b->n && !a->changed[i] && !b->changed[j]) {
                        i++;
                        j++;
                        continue;
                }
                c.a = i;
                c.b = j;
                while (i < a->n && a->changed[i])
                        i++;
                while (j < b->n && b->changed[j])
                        j++;
                c.a_n = i - c.a;
                c.b_n = j - c.b;
                if (c.a_n == 0 && c.b_n == 0) {
                        free(v);
                        return -EIO; /* the two sides do not line up: a bug */
                }
                if (n == cap) {
                        struct change *t;

                        cap = cap ? cap * 2 : 16;
                        t = realloc(v, cap * sizeof(*t));
                        if (!t) {
                                free(v);
                                return -ENOMEM;
                        }
                        v = t;
                }
                v[n++] = c;
        }
        *ret = v;
        *ret_n = n;
        return 0;
}

static void put_range(FILE *f, size_t start, size_t count)
{
        if (count == 0)
                fprintf(f, "%zu,0", start);
        else if (count == 1)
                fprintf(f, "%zu", start + 1);
        else
                fprintf(f, "%zu,%zu", start + 1, count);
}

static void put_line(FILE *f, char mark, const struct line *l)
{
        fputc(mark, f);
        fwrite(l->p, 1, l->len, f);
        if (l->len == 0 || l->p[l->len - 1] != '\n')
                fputs("\n\\ No newline at end of file\n", f);
}

static void put_hunks(FILE *f, const struct side *a, const struct side *b, const struct change *c,
                      size_t n, size_t context)
{
        for (size_t h = 0; h < n;) {
                size_t last = h, a0, a1, b0, b1, i;

                /* Changes closer than twice the context share a hunk. */
                while (last + 1 < n && c[last + 1].a - (c[last].a + c[last].a_n) <= 2 * context)
                        last++;
                a0 = c[h].a > context ? c[h].a - context : 0;
                b0 = c[h].b - (c[h].a - a0);
                a1 = c[last].a + c[last].a_n + context;
                if (a1 > a->n)
                        a1 = a->n;
                b1 = c[last].b + c[last].b_n + (a1 - (c[last].a + c[last].a_n));
                fputs("@@ -", f);
                put_range(f, a0, a1 - a0);
                fputs(" +", f);
                put_range(f, b0, b1 - b0);
                fputs(" @@\n", f);
                i = a0;
                for (size_t k = h; k <= last; k++) {
                        for (; i < c[k].a; i++)
                                put_line(f, ' ', &a->line[i]);
                        for (size_t d = 0; d < c[k].a_n; d++)
                                put_line(f, '-', &a->line[c[k].a + d]);
                        for (size_t d = 0; d < c[k].b_n; d++)
                                put_line(f, '+', &b->line[c[k].b + d]);
                        i = c[k].a + c[k].a_n;
                }
                for (; i < a1; i++)
                        put_line(f, ' ', &a->line[i]);
                h = last + 1;
        }
}

int text_diff_unified(const char *a, size_t a_size, const char *b, size_t b_size,
                      const char *a_label, const char *b_label, unsigned context, char **ret)
{
        _cleanup_(side_done) struct side sa = {0};
        _cleanup_(side_done) struct side sb = {0};
        _cleanup_free_ struct change *changes = NULL;
        size_t n_changes = 0, n_cls = 0, len = 0;
        struct middle mid;
        char *out = NULL;
        FILE *f;
        int r;

        if ((!a && a_size > 0) || (!b && b_size > 0) || !a_label || !b_label ||
            strpbrk(a_label, "\r\n") || strpbrk(b_label, "\r\n"))
                return -EINVAL;
        r = split_lines(a, a_size, &sa);
        if (r == 0)
                r = split_lines(b, b_size, &sb);
        if (r == 0)
                r = classify(&sa, &sb, &n_cls);
        if (r < 0)
                return r;
        mid = find_middle(&sa, &sb, context);
        r = shortest_script(&sa, &sb, n_cls, &mid);
        if (r < 0)
                return r;
        slide(&sa, mid.a_lo, mid.a_hi, &sb, mid.b_lo, mid.b_hi);
        slide(&sb, mid.b_lo, mid.b_hi, &sa, mid.a_lo, mid.a_hi);
        r = list_changes(&sa, &sb, &changes, &n_changes);
        if (r < 0)
                return r;

        f = open_memstream(&out, &len);
        if (!f)
                return -ENOMEM;
        if (n_changes > 0) {
                fprintf(f, "--- %s\n+++ %s\n", a_label, b_label);
                put_hunks(f, &sa, &sb, changes, n_changes, context);
        }
        if (fclose(f) != 0 || !out) {
                free(out);
                return -ENOMEM;
        }
        *ret = out;
        return 0;
}
