/* SPDX-License-Identifier: MIT */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int diag_list_init(struct diag_list *d, const char *file)
{
        *d = (struct diag_list){0};
        d->file = strdup(file ? file : "<input>");
        return d->file ? 0 : -ENOMEM;
}

void diag_list_done(struct diag_list *d)
{
        for (size_t i = 0; i < d->n; i++)
                free(d->items[i].message);
        free(d->items);
        free(d->file);
        *d = (struct diag_list){0};
}

int diag_add(struct diag_list *d, struct loc loc, const char *fmt, ...)
{
        struct diag *items;
        char *msg;
        va_list ap;
        int r;

        if (d->n >= DIAG_MAX)
                goto drop;

        va_start(ap, fmt);
        r = vasprintf(&msg, fmt, ap);
        va_end(ap);
        if (r < 0)
                goto drop;

        items = realloc(d->items, (d->n + 1) * sizeof(*items));
        if (!items) {
                free(msg);
                goto drop;
        }
        d->items = items;
        d->items[d->n++] = (struct diag){.loc = loc, .message = msg};
        return 0;
drop:
        d->dropped++;
        return -ENOMEM;
}

static int diag_cmp(const void *a, const void *b)
{
        const struct diag *x = a, *y = b;

        if (x->loc.line != y->loc.line)
                return x->loc.line < y->loc.line ? -1 : 1;
        if (x->loc.col != y->loc.col)
                return x->loc.col < y->loc.col ? -1 : 1;
        return strcmp(x->message, y->message);
}

void diag_print(struct diag_list *d, FILE *f)
{
        if (d->n > 1)
                qsort(d->items, d->n, sizeof(*d->items), diag_cmp);
        for (size_t i = 0; i < d->n; i++) {
                const struct diag *e = &d->items[i];

                /* One problem reached by two paths (a syscall in two denied
                 * groups) is said once. */
                if (i > 0 && diag_cmp(e, e - 1) == 0)
                        continue;
                if (e->loc.line > 0)
                        fprintf(f, "%s:%u:%u: %s\n", d->file, e->loc.line, e->loc.col, e->message);
                else
                        fprintf(f, "%s: %s\n", d->file, e->message);
        }
        if (d->dropped > 0)
                fprintf(f, "%s: %zu further problem(s) not shown\n", d->file, d->dropped);
}

char *diag_to_text(struct diag_list *d)
{
        char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);

        if (!f)
                return NULL;
        diag_print(d, f);
        fclose(f);
        if (buf && size > 0 && buf[size - 1] == '\n')
                buf[size - 1] = '\0';
        return buf;
}
