/* SPDX-License-Identifier: MIT */
#include "glob-match.h"

#include <stddef.h>
#include <string.h>

/* What remains to match after the current piece of glob: the text after an
 * alternation's closing brace, then whatever followed the enclosing one. */
struct rest {
        const char *g, *gend;
        const struct rest *next;
};

struct matcher {
        long budget;
};

/* End of the alternation that starts at p (p points at '{'), or NULL. */
static const char *brace_end(const char *p, const char *gend)
{
        int depth = 0;

        for (; p < gend; p++) {
                if (*p == '{')
                        depth++;
                else if (*p == '}' && --depth == 0)
                        return p;
        }
        return NULL;
}

/* The end of the class starting at p ('['), or NULL. */
static const char *class_end(const char *p, const char *gend)
{
        const char *q = p + 1;

        if (q < gend && *q == '^')
                q++;
        if (q < gend && *q == ']')
                q++;
        for (; q < gend; q++)
                if (*q == ']')
                        return q;
        return NULL;
}

static bool class_match(const char *p, const char *end, char c)
{
        bool neg = false, hit = false;

        p++;
        if (*p == '^') {
                neg = true;
                p++;
        }
        for (; p < end; p++) {
                if (p + 2 < end && p[1] == '-') {
                        if (c >= p[0] && c <= p[2])
                                hit = true;
                        p += 2;
                } else if (*p == c)
                        hit = true;
        }
        return c != '/' && hit != neg;
}

static bool match(struct matcher *m, const char *g, const char *gend, const struct rest *rest,
                  const char *s)
{
        for (;;) {
                if (--m->budget < 0)
                        return false;
                if (g == gend) {
                        if (rest)
                                return match(m, rest->g, rest->gend, rest->next, s);
                        return *s == '\0';
                }
                switch (*g) {
                case '*':
                        if (g + 1 < gend && g[1] == '*') {
                                /* '**': any run, '/' included. */
                                for (const char *t = s;; t++) {
                                        if (match(m, g + 2, gend, rest, t))
                                                return true;
                                        if (!*t || m->budget < 0)
                                                return false;
                                }
                        }
                        for (const char *t = s;; t++) {
                                if (match(m, g + 1, gend, rest, t))
                                        return true;
                                if (!*t || *t == '/' || m->budget < 0)
                                        return false;
                        }
                case '?':
                        if (!*s || *s == '/')
                                return false;
                        g++;
                        s++;
                        break;
                case '[': {
                        const char *e = class_end(g, gend);

                        if (!e) {
                                if (*s != '[')
                                        return false;
                                g++;
                                s++;
                                break;
                        }
                        if (!*s || !class_match(g, e, *s))
                                return false;
                        g = e + 1;
                        s++;
                        break;
                }
                case '{': {
                        const char *e = brace_end(g, gend), *alt = g + 1;
                        const struct rest after = {e ? e + 1 : gend, gend, rest};
                        int depth = 0;

                        if (!e)
                                return false;
                        for (const char *q = alt; q <= e; q++) {
                                if (q < e && *q == '{')
                                        depth++;
                                else if (q < e && *q == '}')
                                        depth--;
                                else if ((q < e && *q == ',' && depth == 0) || q == e) {
                                        if (match(m, alt, q, &after, s))
                                                return true;
                                        alt = q + 1;
                                }
                        }
                        return false;
                }
                default:
                        if (*g != *s)
                                return false;
                        g++;
                        s++;
                        break;
                }
        }
}

bool glob_match_path(const char *glob, const char *path)
{
        struct matcher m = {GLOB_MATCH_BUDGET};
        size_t n;

        if (!glob || !path || glob[0] != '/' || strstr(glob, "@{"))
                return false;
        n = strlen(glob);
        if (n > 1024)
                return false;
        return match(&m, glob, glob + n, NULL, path);
}
