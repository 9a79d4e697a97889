/* SPDX-License-Identifier: MIT */
#include "path-merge.h"

#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/path-glob.h"
#include "posture/glob-match.h"

/* ---- access letters ---- */

enum {
        L_R = 1u << 0,
        L_W = 1u << 1,
        L_A = 1u << 2,
        L_L = 1u << 3,
        L_K = 1u << 4,
        L_M = 1u << 5,
        L_X = 1u << 6,
};
/* Letters that change the file system or run code: never globbed under a
 * sensitive directory. */
#define L_RISKY (L_W | L_A | L_L | L_X)

/* The kernel prints at most "xwracdkml" per side of "owner::other". */
#define MASK_MAX 32

/* An exec qualifier of the old out-of-tree kernels and of aa-logprof's
 * notation ("ix", "Px", "cx", "Nx"...): meaningful only right before 'x'. */
static bool exec_qualifier(char c)
{
        switch (c) {
        case 'i':
        case 'u':
        case 'p':
        case 'c':
        case 'n':
        case 'I':
        case 'U':
        case 'P':
        case 'C':
        case 'N':
                return true;
        default:
                return false;
        }
}

static int mask_letters(const char *mask, unsigned *ret)
{
        const char *c;
        unsigned l = 0;

        if (!mask)
                return -EINVAL;
        /* The mainline kernel writes file masks from aa_file_perm_chrs
         * ("xwracd         km l", security/apparmor/lib.c) after
         * map_mask_to_chr_mask() folded getattr into 'r' and setattr, chmod
         * and chown into 'w': only x w r a c d k m l reach the record. Old
         * kernels wrote "owner::other" and exec modes such as "ix". Nothing
         * else is a file mask: "send", "create", "trace" are other classes.
         * A mask is a few bytes: its length is checked on the way. */
        for (c = mask; *c; c++) {
                if (c - mask >= MASK_MAX)
                        return -EINVAL;
                if (exec_qualifier(*c)) {
                        const char *e = c;

                        while (exec_qualifier(*e))
                                e++;
                        if (*e == 'x') {
                                l |= L_X;
                                c = e;
                                continue;
                        }
                        if (*c != 'c')
                                return -EINVAL;
                }
                switch (*c) {
                case 'r':
                        l |= L_R;
                        break;
                /* create, delete (and truncate, as setattr) need write. */
                case 'w':
                case 'c':
                case 'd':
                        l |= L_W;
                        break;
                case 'a':
                        l |= L_A;
                        break;
                case 'l':
                        l |= L_L;
                        break;
                case 'k':
                        l |= L_K;
                        break;
                case 'm':
                        l |= L_M;
                        break;
                case 'x':
                        l |= L_X;
                        break;
                case ':':
                        /* "owner::other": the policy has no owner rules, so
                         * both sides are needed. */
                        if (c[1] != ':')
                                return -EINVAL;
                        c++;
                        break;
                default:
                        return -EINVAL;
                }
        }
        /* an exec mode may have stepped past MASK_MAX to the end */
        if (c - mask > MASK_MAX)
                return -EINVAL;
        *ret = l;
        return 0;
}

/* Letters a files rule grants, and its exec mode ("ix", "px"...). 'w'
 * includes append; apparmor_parser adds mmap to inherit-exec ("ix implies
 * m"). With deny, the letters it refuses: 'x' alone, and 'w' and 'a' each
 * refuse both, so that no write is proposed where appends are denied. */
static unsigned access_letters(const char *access, bool deny, bool raw, char ret_exec[3])
{
        unsigned l = 0;

        if (ret_exec)
                ret_exec[0] = '\0';
        for (const char *c = access ? access : ""; *c; c++) {
                switch (*c) {
                case 'r':
                        l |= L_R;
                        break;
                case 'w':
                        l |= raw ? L_W : L_W | L_A;
                        break;
                case 'a':
                        l |= raw ? L_A : deny ? L_A | L_W : L_A;
                        break;
                case 'l':
                        l |= L_L;
                        break;
                case 'k':
                        l |= L_K;
                        break;
                case 'm':
                        l |= L_M;
                        break;
                case 'x':
                        l |= L_X;
                        break;
                default:
                        if (c[1] == 'x' && strchr("ipPcCuU", *c)) {
                                l |= L_X;
                                if (*c == 'i' && !raw && !deny)
                                        l |= L_M;
                                if (ret_exec) {
                                        ret_exec[0] = c[0];
                                        ret_exec[1] = 'x';
                                        ret_exec[2] = '\0';
                                }
                                c++;
                        }
                        break;
                }
        }
        return l;
}

/* Canonical access text: "rwalkm" order (no 'a' with 'w'), then the exec
 * mode (exec, default "ix") when x is in l. */
static void letters_string(unsigned l, const char *exec, char out[PATH_ACCESS_MAX])
{
        size_t n = 0;

        /* Three per observation: each letter written, kept when present. */
        if (l & L_W)
                l &= ~(unsigned)L_A;
        out[n] = 'r';
        n += !!(l & L_R);
        out[n] = 'w';
        n += !!(l & L_W);
        out[n] = 'a';
        n += !!(l & L_A);
        out[n] = 'l';
        n += !!(l & L_L);
        out[n] = 'k';
        n += !!(l & L_K);
        out[n] = 'm';
        n += !!(l & L_M);
        if (l & L_X) {
                out[n++] = exec && exec[0] ? exec[0] : 'i';
                out[n++] = 'x';
        }
        out[n] = '\0';
}

int path_access_from_mask(const char *mask, char ret[PATH_ACCESS_MAX])
{
        unsigned l;
        int r = mask_letters(mask, &l);

        if (r < 0)
                return r;
        if (l == 0)
                return -ENODATA;
        letters_string(l, NULL, ret);
        return 0;
}

/* ---- matching policy globs as AppArmor does ---- */

/* The system tunables (tunables/kernelvars, proc, home, run). A value that
 * ends in '/' followed by a '/' in the glob gives "//", which
 * apparmor_parser folds (filter_slashes), as we do below. */
static const char *const var_proc[] = {"/proc/"};
/* tunables/kernelvars: {[1-9],[1-9][0-9],...,[1-4][0-9][0-9][0-9][0-9][0-9][0-9]},
 * the same numbers written shorter (glob_match_path() takes 1024 bytes). */
#define PID_PATTERN                                                                                \
        "{[1-9]{,[0-9]{,[0-9]{,[0-9]{,[0-9]{,[0-9]}}}}},[1-4][0-9][0-9][0-9][0-9][0-9][0-9]}"
static const char *const var_pid[] = {PID_PATTERN};
static const char *const var_home[] = {"/home/*/", "/root/"};
static const char *const var_run[] = {"/run/", "/var/run/"};
static const char *const var_sys[] = {"/sys/"};

static const struct {
        const char *name;
        const char *const *values;
        size_t n_values;
} variables[] = {
    {"PROC", var_proc, ELEMENTSOF(var_proc)}, {"pid", var_pid, ELEMENTSOF(var_pid)},
    {"tid", var_pid, ELEMENTSOF(var_pid)},    {"HOME", var_home, ELEMENTSOF(var_home)},
    {"run", var_run, ELEMENTSOF(var_run)},    {"sys", var_sys, ELEMENTSOF(var_sys)},
};

#define EXPAND_MAX   (2 * PATH_GLOB_MAX)
#define VARIANTS_MAX 64u
#define EXPAND_STOP  2 /* too many variants: the rest are not tried */

/* Expands a glob into its variants (one per combination of multi-valued
 * variables and of plain alternatives, see below) and hands each, ready
 * for glob_match_path(), to emit. */
struct expander {
        char buf[EXPAND_MAX + 1];
        char out[EXPAND_MAX + 1];
        unsigned variants;
        bool lost; /* a variant was too long or there were too many */
        /* Returns 1 (a match) or EXPAND_STOP to stop, < 0 on error, 0 to
         * go on. */
        int (*emit)(struct expander *e, const char *glob, size_t len);
        void *userdata;
};

/* apparmor_parser folds repeated slashes, and a '*' or '**' that is a
 * whole path component must match at least one character
 * (convert_aaregex_to_pcre: "[^/\x00]" first): "/?*" says the same to
 * glob_match_path(). */
static int expander_emit(struct expander *e, const char *g, size_t len)
{
        size_t o = 0;

        if (++e->variants > VARIANTS_MAX) {
                e->lost = true;
                return EXPAND_STOP;
        }
        for (size_t i = 0; i < len; i++) {
                char c = g[i];

                if (c == '/' && o > 0 && e->out[o - 1] == '/')
                        continue;
                if (c == '*' && o > 0 && e->out[o - 1] == '/') {
                        size_t j = i;

                        while (j < len && g[j] == '*')
                                j++;
                        if ((j == len || g[j] == '/') && o < EXPAND_MAX)
                                e->out[o++] = '?';
                }
                if (o >= EXPAND_MAX) {
                        e->lost = true;
                        return 0;
                }
                e->out[o++] = c;
        }
        e->out[o] = '\0';
        if (o > PATH_GLOB_MAX) {
                /* glob_match_path() matches nothing longer. */
                e->lost = true;
                return 0;
        }
        return e->emit(e, e->out, o);
}

static bool glob_char(char c)
{
        return c == '*' || c == '?' || c == '[' || c == '{';
}

/* The first alternation of g when no other glob character comes before it
 * and its alternatives are plain text ("/{usr/,}bin/" + "**"), with the number
 * of alternatives. Matching each alternative on its own gives a longer
 * literal prefix, which rules most paths out with one comparison. */
static size_t plain_alternation(const char *g, size_t len, size_t *ret_open, size_t *ret_close)
{
        size_t i = 0, j, n = 1;

        while (i < len && !glob_char(g[i]))
                i++;
        if (i == len || g[i] != '{')
                return 0;
        for (j = i + 1; j < len && g[j] != '}'; j++) {
                if (glob_char(g[j]) || g[j] == ']')
                        return 0;
                n += g[j] == ',';
        }
        /* apparmor_parser sees ')' before a '*' that follows the
         * alternation, not '/': expanded, "/?*" would need a character
         * more than it does. */
        if (j == len || (j + 1 < len && g[j + 1] == '*'))
                return 0;
        *ret_open = i;
        *ret_close = j;
        return n;
}

static int expand_alternatives(struct expander *e, const char *g, size_t len)
{
        char tmp[EXPAND_MAX + 1];
        size_t open = 0, close = 0, n = plain_alternation(g, len, &open, &close);

        if (n == 0 || e->variants + n > VARIANTS_MAX)
                return expander_emit(e, g, len);
        for (size_t a = open + 1;;) {
                size_t b = a, k;
                int r;

                while (b < close && g[b] != ',')
                        b++;
                memcpy(tmp, g, open);
                memcpy(tmp + open, g + a, b - a);
                k = open + (b - a);
                memcpy(tmp + k, g + close + 1, len - close - 1);
                r = expand_alternatives(e, tmp, k + len - close - 1);
                if (r != 0)
                        return r;
                if (b == close)
                        return 0;
                a = b + 1;
        }
}

static int expand_from(struct expander *e, const char *g, size_t at)
{
        const char *v = strstr(g, "@{"), *end;
        size_t lit = v ? (size_t)(v - g) : strlen(g);

        if (at + lit > EXPAND_MAX) {
                e->lost = true;
                return 0;
        }
        memcpy(e->buf + at, g, lit);
        at += lit;
        if (!v)
                return expand_alternatives(e, e->buf, at);
        end = strchr(v, '}');
        if (!end)
                return 0; /* not a policy glob: matches nothing */
        for (size_t i = 0; i < ELEMENTSOF(variables); i++) {
                if (strlen(variables[i].name) != (size_t)(end - v - 2) ||
                    strncmp(v + 2, variables[i].name, (size_t)(end - v - 2)) != 0)
                        continue;
                for (size_t k = 0; k < variables[i].n_values; k++) {
                        size_t vl = strlen(variables[i].values[k]);
                        int r;

                        if (at + vl > EXPAND_MAX) {
                                e->lost = true;
                                continue;
                        }
                        memcpy(e->buf + at, variables[i].values[k], vl);
                        r = expand_from(e, end + 1, at + vl);
                        if (r != 0)
                                return r;
                }
                return 0;
        }
        return 0; /* an unknown variable: matches nothing */
}

static int expand(struct expander *e, const char *glob)
{
        e->variants = 0;
        e->lost = false;
        if (!glob || (glob[0] != '/' && glob[0] != '@'))
                return 0;
        return expand_from(e, glob, 0);
}

static int emit_match(struct expander *e, const char *glob, _unused_ size_t len)
{
        return glob_match_path(glob, e->userdata) ? 1 : 0;
}

bool path_glob_match(const char *glob, const char *path)
{
        struct expander e;

        if (!glob || !path)
                return false;
        e.emit = emit_match;
        e.userdata = (void *)path;
        return expand(&e, glob) == 1;
}

/* One variant of a policy rule, ready to match observed paths. */
struct xrule {
        char *glob;
        size_t len;
        size_t prefix;    /* bytes before the first glob character */
        size_t suffix;    /* bytes after the last one: a path must end in them */
        unsigned letters; /* granted (files) or refused (deny) */
        size_t rule;      /* index in files[] or deny[] */
        bool prefix_only; /* deny rule too long to expand: its prefix refuses */
        uint8_t tail;     /* TAIL_*: what follows the prefix */
};

/* The shapes most rules have, "DIR/" + "**" or "*" (expanded: "?**",
 * "?*"), are matched without glob_match_path(): '?' is one byte but '/',
 * '*' a run without '/', '**' any run. */
enum { TAIL_GLOB, TAIL_ANY, TAIL_ONE_ANY, TAIL_RUN, TAIL_ONE_RUN };

static unsigned glob_tail(const char *g, size_t prefix, size_t len)
{
        static const char *const tails[] = {
            [TAIL_ANY] = "**", [TAIL_ONE_ANY] = "?**", [TAIL_RUN] = "*", [TAIL_ONE_RUN] = "?*"};

        /* glob_match_path() matches nothing with a glob not starting '/' */
        if (g[0] != '/')
                return TAIL_GLOB;
        for (unsigned t = TAIL_ANY; t < ELEMENTSOF(tails); t++)
                if (strlen(tails[t]) == len - prefix &&
                    memcmp(g + prefix, tails[t], len - prefix) == 0)
                        return t;
        return TAIL_GLOB;
}

/* All variants of the rules of one kind. by_byte: their indexes grouped
 * by the byte after the leading '/' (bucket 256: a prefix of just "/"), so
 * that a path is only compared with the rules that can match it. */
struct xrules {
        struct xrule *v;
        size_t n, cap;
        unsigned letters;
        size_t rule;
        uint32_t *by_byte;
        uint32_t start[258];
};

static size_t literal_prefix(const char *g)
{
        return strcspn(g, "*?[{@");
}

static size_t literal_suffix(const char *g, size_t len)
{
        size_t n = 0;

        while (n < len && !strchr("*?[]{}@", g[len - n - 1]))
                n++;
        return n == len ? 0 : n;
}

static int xrules_add(struct xrules *x, const char *glob, size_t len, bool prefix_only)
{
        char *copy;

        if (x->n == x->cap) {
                size_t cap = x->cap ? x->cap * 2 : 16;
                struct xrule *v = reallocarray(x->v, cap, sizeof(*v));

                if (!v)
                        return -ENOMEM;
                x->v = v;
                x->cap = cap;
        }
        copy = strndup(glob, len);
        if (!copy)
                return -ENOMEM;
        x->v[x->n] = (struct xrule){
            .glob = copy,
            .len = len,
            .prefix = literal_prefix(copy),
            .suffix = literal_suffix(copy, len),
            .letters = x->letters,
            .rule = x->rule,
            .prefix_only = prefix_only,
        };
        x->v[x->n].tail = (uint8_t)glob_tail(copy, x->v[x->n].prefix, len);
        x->n++;
        return 0;
}

static int emit_xrule(struct expander *e, const char *glob, size_t len)
{
        return xrules_add(e->userdata, glob, len, false);
}

/* The literal start of a glob as a path prefix: "@{PROC}/x/@{pid}/y" ->
 * "/proc/x/"; a glob starting with another variable gives "/". */
static int xrules_add_prefix(struct xrules *x, const char *glob)
{
        char buf[PATH_GLOB_MAX + 8];
        size_t n = 0, lit;

        if (strncmp(glob, "@{PROC}", 7) == 0) {
                memcpy(buf, "/proc/", 6);
                n = 6;
                glob += 7;
                glob += *glob == '/';
        } else if (glob[0] != '/')
                glob = "/";
        lit = strnlen(glob, PATH_GLOB_MAX);
        if (literal_prefix(glob) < lit)
                lit = literal_prefix(glob);
        memcpy(buf + n, glob, lit);
        return xrules_add(x, buf, n + lit, true);
}

static void xrules_done(struct xrules *x)
{
        for (size_t i = 0; i < x->n; i++)
                free(x->v[i].glob);
        free(x->v);
        free(x->by_byte);
        *x = (struct xrules){0};
}

static unsigned xrule_bucket(const struct xrule *x)
{
        return x->prefix >= 2 ? (unsigned char)x->glob[1] : 256;
}

static int xrules_index(struct xrules *x)
{
        uint32_t fill[258];

        x->by_byte = malloc((x->n + 1) * sizeof(*x->by_byte));
        if (!x->by_byte)
                return -ENOMEM;
        memset(x->start, 0, sizeof(x->start));
        for (size_t i = 0; i < x->n; i++)
                x->start[xrule_bucket(&x->v[i]) + 1]++;
        for (size_t b = 1; b < ELEMENTSOF(x->start); b++)
                x->start[b] += x->start[b - 1];
        memcpy(fill, x->start, sizeof(fill));
        for (size_t i = 0; i < x->n; i++)
                x->by_byte[fill[xrule_bucket(&x->v[i])]++] = (uint32_t)i;
        return 0;
}

static int xrules_build(struct expander *e, const struct apparmor_file_rule *rules, size_t n,
                        bool deny, struct xrules *x)
{
        e->emit = emit_xrule;
        e->userdata = x;
        for (size_t i = 0; i < n; i++) {
                int r;

                x->letters = access_letters(rules[i].access, deny, false, NULL);
                x->rule = i;
                if (x->letters == 0 || !rules[i].path)
                        continue;
                r = expand(e, rules[i].path);
                if (r < 0)
                        return r;
                /* A deny rule we cannot expand fully refuses everything
                 * under its literal prefix: over-refusing only costs a
                 * proposal, under-refusing would propose what it denies. */
                if (deny && e->lost) {
                        r = xrules_add_prefix(x, rules[i].path);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

static bool xrule_matches(const struct xrule *x, const char *path, size_t len)
{
        if (len < x->prefix || memcmp(path, x->glob, x->prefix) != 0)
                return false;
        if (x->prefix_only)
                return true;
        switch (x->tail) {
        case TAIL_ANY:
                return true;
        case TAIL_ONE_ANY:
                return len > x->prefix && path[x->prefix] != '/';
        case TAIL_RUN:
                return !memchr(path + x->prefix, '/', len - x->prefix);
        case TAIL_ONE_RUN:
                return len > x->prefix && path[x->prefix] != '/' &&
                       !memchr(path + x->prefix, '/', len - x->prefix);
        default:
                break;
        }
        /* A glob ending in literal text matches only paths ending in it. */
        if (x->suffix > len ||
            memcmp(path + len - x->suffix, x->glob + x->len - x->suffix, x->suffix) != 0)
                return false;
        return glob_match_path(x->glob, path);
}

/* The letters of *need that rules of x grant (or refuse) to path: moved
 * from *need to *hit; *first is the first such rule. Rules are tried in
 * their order, the two lists merged. */
static void xrules_apply(const struct xrules *x, const char *path, size_t len, unsigned *need,
                         unsigned *hit, size_t *first)
{
        const uint32_t *a = x->by_byte + x->start[256], *ae = x->by_byte + x->start[257];
        const uint32_t *b = x->by_byte + x->start[(unsigned char)path[1]];
        const uint32_t *be = x->by_byte + x->start[(unsigned char)path[1] + 1];

        while ((a < ae || b < be) && *need) {
                const struct xrule *r = &x->v[(b >= be || (a < ae && *a < *b)) ? *a++ : *b++];

                if ((*need & r->letters) && xrule_matches(r, path, len)) {
                        if (*first == SIZE_MAX)
                                *first = r->rule;
                        *hit |= *need & r->letters;
                        *need &= ~r->letters;
                }
        }
}

/* ---- observed path -> glob form ---- */

enum {
        F_PID = 1u << 0,     /* a process or thread id written as @{pid}/@{tid} */
        F_MKSTEMP = 1u << 1, /* a random-looking name written as '*' */
        F_PROC = 1u << 2,    /* /proc/ written as @{PROC}/ */
};

/* What each byte of an observed path is. Bytes written as themselves
 * (B_LITERAL, B_SLASH): printable ASCII that is neither a quote, a
 * backslash (profile syntax) nor a glob character (which would widen the
 * rule). '?' stays: as a glob it matches itself. A table, because every
 * byte of every path is looked up. */
enum { B_LITERAL, B_SLASH, B_BAD, B_END };
static const uint8_t byte_class[256] = {
    [0] = B_END,     [1 ... 0x1f] = B_BAD, ['"'] = B_BAD,           ['*'] = B_BAD,  [','] = B_BAD,
    ['/'] = B_SLASH, ['@'] = B_BAD,        ['['] = B_BAD,           ['\\'] = B_BAD, [']'] = B_BAD,
    ['{'] = B_BAD,   ['}'] = B_BAD,        [0x7f ... 0xff] = B_BAD,
};

static bool literal_byte(unsigned char c)
{
        return byte_class[c] == B_LITERAL || byte_class[c] == B_SLASH;
}

/* A component the kernel never names: empty ("//"), "." or "..". */
static bool bad_component(const char *s, size_t n)
{
        return n == 0 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.');
}

/* A process id as @{pid} matches it: 1-7 digits, no leading zero, seven
 * only up to 4xxxxxx (pid_max is at most 2^22). */
static bool pid_like(const char *s, size_t n)
{
        if (n == 0 || n > 7 || s[0] == '0' || (n == 7 && s[0] > '4'))
                return false;
        for (size_t i = 0; i < n; i++)
                if (s[i] < '0' || s[i] > '9')
                        return false;
        return true;
}

struct gbuf {
        char *s;
        size_t n;
        bool full;
};

static void put(struct gbuf *b, const char *p, size_t len)
{
        if (b->n + len > PATH_GLOB_MAX) {
                b->full = true;
                return;
        }
        memcpy(b->s + b->n, p, len);
        b->n += len;
}

static bool alnum(char c)
{
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* A mkstemp-like run in [s, e): 6 or more letters and digits mixing
 * digits and letters, or upper and lower case ("XXXXXX" -> "a8Fj3k"). */
static bool random_run(const char *s, const char *e, const char **ret_start, const char **ret_end)
{
        for (const char *p = s; p < e;) {
                bool digit = false, lower = false, upper = false;
                const char *q = p;

                for (; q < e && alnum(*q); q++) {
                        digit |= *q >= '0' && *q <= '9';
                        lower |= *q >= 'a' && *q <= 'z';
                        upper |= *q >= 'A' && *q <= 'Z';
                }
                if (q - p >= 6 && ((digit && (lower || upper)) || (lower && upper))) {
                        *ret_start = p;
                        *ret_end = q;
                        return true;
                }
                p = q == p ? p + 1 : q;
        }
        return false;
}

/* Writes one component, a random-looking run and what follows it as '*'
 * (keeping a final ".ext" of 1-8 letters: "app.Ab3dE9.json" ->
 * "app.*.json"). */
static void put_component(struct gbuf *b, const char *s, const char *e, bool temp, unsigned *flags)
{
        const char *rs, *re, *dot;

        if (!temp || !random_run(s, e, &rs, &re)) {
                put(b, s, (size_t)(e - s));
                return;
        }
        put(b, s, (size_t)(rs - s));
        put(b, "*", 1);
        dot = memrchr(re, '.', (size_t)(e - re));
        if (dot && e - dot >= 2 && e - dot <= 9) {
                bool letters = true;

                for (const char *q = dot + 1; q < e; q++)
                        letters &= (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z');
                if (letters)
                        put(b, dot, (size_t)(e - dot));
        }
        *flags |= F_MKSTEMP;
}

/* Directories whose names are made by mkstemp and friends; n_fixed of their
 * first components are never treated as random: /run/ itself holds the
 * daemons' sockets, each under a name that matters. */
static const struct {
        const char *root;
        unsigned n_fixed;
} temp_roots[] = {{"/tmp/", 0}, {"/var/tmp/", 0}, {"/dev/shm/", 0}, {"/run/", 1}};

/* How long the text glob_match_path() gets for a glob form is: @{PROC}/
 * becomes /proc/, @{pid} and @{tid} PID_PATTERN, and a '*' that is a whole
 * component "?*". */
static size_t expanded_length(const char *g, size_t len)
{
        const char *end = g + len;
        size_t n = len;

        if (strncmp(g, "@{PROC}/", 8) == 0)
                n -= 2;
        for (const char *p = g; (p = memchr(p, '@', (size_t)(end - p))); p++)
                if (strncmp(p, "@{pid}", 6) == 0 || strncmp(p, "@{tid}", 6) == 0)
                        n += strlen(PID_PATTERN) - 6;
        for (const char *p = g; (p = memchr(p, '*', (size_t)(end - p))); p++)
                if (p > g && p[-1] == '/' && (p + 1 == end || p[1] == '/'))
                        n++;
        return n;
}

/* Writes the glob form of clean (the path with its bad bytes as '?') into
 * out; with rewrite, process ids as @{pid} and random names as '*'. */
static void glob_build(const char *clean, bool proc, size_t temp, unsigned fixed, bool rewrite,
                       struct gbuf *b, unsigned *flags)
{
        const char *p = clean;

        if (proc) {
                size_t n;

                put(b, "@{PROC}/", 8);
                *flags |= F_PROC;
                p += 6;
                n = strcspn(p, "/");
                if (rewrite && (pid_like(p, n) || (n == 4 && strncmp(p, "self", 4) == 0))) {
                        put(b, "@{pid}", 6);
                        *flags |= F_PID;
                        p += n;
                        if (strncmp(p, "/task/", 6) == 0 && pid_like(p + 6, strcspn(p + 6, "/"))) {
                                put(b, "/task/@{tid}", 12);
                                p += 6 + strcspn(p + 6, "/");
                        }
                } else if (rewrite && n == 11 && strncmp(p, "thread-self", 11) == 0) {
                        put(b, "@{pid}/task/@{tid}", 18);
                        *flags |= F_PID;
                        p += n;
                }
        } else if (temp) {
                put(b, p, temp);
                p += temp;
        }
        while (*p) {
                const char *e = p + strcspn(p, "/");

                put_component(b, p, e, rewrite && temp && fixed == 0, flags);
                if (fixed > 0)
                        fixed--;
                if (!*e)
                        break;
                put(b, "/", 1);
                p = e + 1;
        }
}

/* What glob_scan() learnt of an observed path. */
struct scan {
        const char *raw;
        size_t len;     /* bytes */
        unsigned bad;   /* bytes a rule cannot hold */
        size_t temp;    /* length of its temporary root, 0 if none */
        unsigned fixed; /* the temporary root's components never random */
        bool proc;      /* under /proc/ */
};

/* Whether an observed path can become a rule at all. Returns NULL, or why
 * not (static). */
static const char *glob_scan(const char *raw, struct scan *ret)
{
        unsigned bad = 0;
        size_t len, comp = 1;

        if (!raw)
                return "no path";
        if (raw[0] != '/')
                return "not an absolute path";
        /* One pass: the bytes a rule cannot hold, the length bound, and the
         * components (a trailing '/' marks a directory), in the order of
         * the bytes: the first problem is the one reported. Runs of plain
         * bytes are skipped in a tight loop. */
        for (len = 0;; len++) {
                unsigned k;

                while (byte_class[(unsigned char)raw[len]] == B_LITERAL)
                        len++;
                /* Only plain bytes before PATH_GLOB_MAX, and more after it. */
                if (len >= PATH_GLOB_MAX && raw[PATH_GLOB_MAX])
                        return "path longer than 1024 bytes";
                k = byte_class[(unsigned char)raw[len]];
                if (k == B_END)
                        break;
                if (k == B_SLASH) {
                        if (len > 0 && bad_component(raw + comp, len - comp))
                                return "path with an empty, '.' or '..' component";
                        comp = len + 1;
                } else
                        bad++;
        }
        if (comp < len && bad_component(raw + comp, len - comp))
                return "path with an empty, '.' or '..' component";

        *ret = (struct scan){.raw = raw, .len = len, .bad = bad};
        /* The roots are literal bytes: the path starts with one exactly
         * when its copy with '?' for the others does. */
        ret->proc = raw[1] == 'p' && strncmp(raw, "/proc/", 6) == 0;
        for (size_t i = 0; i < ELEMENTSOF(temp_roots) && !ret->proc && !ret->temp; i++)
                if (raw[1] == temp_roots[i].root[1] &&
                    strncmp(raw, temp_roots[i].root, strlen(temp_roots[i].root)) == 0) {
                        ret->temp = strlen(temp_roots[i].root);
                        ret->fixed = temp_roots[i].n_fixed;
                }
        return NULL;
}

/* How much longer glob_make() may write a path than it is: under /proc/,
 * "@{PROC}/" for "/proc/" (2), "@{pid}" for a 1-digit pid (5), then
 * "/task/@{tid}" for a 1-digit tid (5); "@{pid}/task/@{tid}" for
 * "thread-self" is 7. Elsewhere a random run written '*' only shortens it. */
#define GLOB_GROWTH_MAX 12

/* Whether glob_make() may find the path too long once written as a rule. */
static bool glob_may_overflow(const struct scan *sc)
{
        return sc->proc && sc->len + GLOB_GROWTH_MAX > PATH_GLOB_MAX;
}

/* The glob form of a scanned path: raw itself when it is written as
 * itself, else built in out (PATH_GLOB_MAX + 1 bytes). Returns NULL, or why
 * the path cannot become a rule (static). */
static const char *glob_make(const struct scan *sc, char *out, const char **ret_glob,
                             size_t *ret_len, unsigned *ret_flags)
{
        char clean[PATH_GLOB_MAX + 1];
        struct gbuf b = {out, 0, false};
        unsigned flags = 0;

        if (!sc->proc && !sc->temp && sc->bad == 0) {
                *ret_glob = sc->raw;
                *ret_len = sc->len;
                *ret_flags = 0;
                return NULL;
        }
        /* The copy with '?' for the bytes a rule cannot hold. */
        for (size_t i = 0; i <= sc->len; i++)
                clean[i] =
                    literal_byte((unsigned char)sc->raw[i]) || !sc->raw[i] ? sc->raw[i] : '?';
        glob_build(clean, sc->proc, sc->temp, sc->fixed, true, &b, &flags);
        /* Every glob proposed must also be one path_glob_match() can apply
         * (DIR** of it included: two bytes more): a very long path keeps
         * its numbers and names. A short one cannot be too long expanded:
         * glob_build() writes at most two of @{pid} @{tid}, and a '*'
         * component needs a '/' before it. */
        if (!b.full && (flags & (F_PID | F_MKSTEMP)) &&
            2 * b.n + 2 * (strlen(PID_PATTERN) - 6) > PATH_GLOB_MAX - 2 &&
            expanded_length(out, b.n) > PATH_GLOB_MAX - 2) {
                b = (struct gbuf){out, 0, false};
                flags = 0;
                glob_build(clean, sc->proc, sc->temp, sc->fixed, false, &b, &flags);
        }
        if (b.full)
                return "path longer than 1024 bytes once written as a rule";
        out[b.n] = '\0';
        /* A temporary directory without a random name: written as itself. */
        *ret_glob = flags || sc->bad ? out : sc->raw;
        *ret_len = b.n;
        *ret_flags = flags;
        return NULL;
}

/* ---- collapsing ---- */

enum { CLS_DATA, CLS_EXEC, N_CLS };
enum { K_LITERAL, K_STAR, K_STARSTAR };
enum { NOTE_NONE, NOTE_SENSITIVE, NOTE_ROOT };
#define NONE UINT32_MAX

/* The observations of one glob form: a distinct "file". */
struct leaf {
        const char *g;
        const char *example; /* smallest observed path */
        uint64_t count;
        uint32_t n;        /* entries */
        uint32_t n_paths;  /* distinct observed paths */
        uint32_t group;    /* collapse decision; NONE: a rule of its own */
        uint32_t proposal; /* index into the proposals */
        uint16_t glen;
        uint16_t bad;       /* bytes written as '?' */
        uint16_t note_dlen; /* NOTE_ROOT: the directory, g[0..note_dlen) */
        uint16_t dir;       /* g[0..dir): its directory, up to its last '/' */
        uint8_t letters, flags, cls, note;
        uint8_t seen_self;     /* a path written as itself was counted */
        uint8_t plain;         /* g is an observed path exactly (see make_leaves) */
        uint8_t example_is_g;  /* example is a plain path: the same text as g */
        uint8_t invalid;       /* fails path_glob_validate(): never, by construction */
        const char *note_root; /* NOTE_SENSITIVE: the sensitive root (static) */
};

/* A collapse decision: the glob g[0..dlen) of leaves[leaf] + "*" or "**". */
struct group {
        uint32_t leaf, n_leaves, proposal;
        uint16_t dlen;
        uint8_t kind;
        const char *glob;
};

struct merger {
        struct leaf **leaves; /* sorted by g */
        size_t n_leaves;
        struct group *groups;
        size_t n_groups, cap_groups;
        size_t min_files;
};

/* Directories that never get a glob of their own (DIR* nor DIR**, DIR
 * ending in '/'): the file system's roots, where one glob would grant the
 * secrets (/etc/shadow), the devices (/dev/sda), the kernel's knobs (/proc,
 * /sys), every daemon's socket (/run/docker.sock) or every service's state
 * and logs (/var/log/auth.log) next to the one file seen. */
static const char *const never_glob[] = {
    "/",      "@{PROC}/",  "/proc/",    "/sys/",       "/dev/",       "/etc/",
    "/run/",  "/var/",     "/var/run/", "/usr/",       "/home/",      "/root/",
    "/boot/", "/var/lib/", "/var/log/", "/var/cache/", "/var/spool/",
};
/* Never DIR** (DIR* is fine): shared scratch space holds other programs'
 * sockets in subdirectories (X11, ssh-agent, the user runtime directory). */
static const char *const never_globstar[] = {"/tmp/", "/var/tmp/", "/dev/shm/", "/run/user/"};
/* Never a glob with w, a, l or x under these: system files and kernel
 * knobs are written or run one by one, each listed. */
static const char *const sensitive[] = {"/etc/",  "/usr/", "/bin/",  "/sbin/",  "/boot/",
                                        "/root/", "/sys/", "/proc/", "@{PROC}/"};

static bool dir_is(const char *d, size_t dlen, const char *const *list, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (strlen(list[i]) == dlen && memcmp(d, list[i], dlen) == 0)
                        return true;
        return false;
}

static const char *sensitive_root(const char *d, size_t dlen)
{
        for (size_t i = 0; i < ELEMENTSOF(sensitive); i++)
                if (dlen >= strlen(sensitive[i]) &&
                    memcmp(d, sensitive[i], strlen(sensitive[i])) == 0)
                        return sensitive[i];
        /* /lib, /lib64, /lib32, /libx32, /libexec... */
        if (dlen >= 5 && memcmp(d, "/lib", 4) == 0)
                return "/lib*/";
        return NULL;
}

/* Levels of a directory: "/a/" 1, "/a/b/" 2; @{PROC} counts as /proc. */
static size_t dir_depth(const char *d, size_t dlen)
{
        size_t n = d[0] == '@' ? 1 : 0;

        for (size_t i = 0; i < dlen; i++)
                n += d[i] == '/';
        return n - 1;
}

/* Why the directory d may not get this glob (NOTE_NONE: it may). */
static unsigned refusal(const char *d, size_t dlen, unsigned kind, unsigned letters,
                        const char **ret_root)
{
        *ret_root = NULL;
        /* the glob, and what path_glob_match() makes of it ("?*", "?**"),
         * must fit */
        if (expanded_length(d, dlen) + (kind == K_STARSTAR ? 3 : 2) > PATH_GLOB_MAX)
                return NOTE_ROOT;
        if (dir_is(d, dlen, never_glob, ELEMENTSOF(never_glob)))
                return NOTE_ROOT;
        if (kind == K_STARSTAR &&
            (dir_depth(d, dlen) < 2 || dir_is(d, dlen, never_globstar, ELEMENTSOF(never_globstar))))
                return NOTE_ROOT;
        if ((letters & L_RISKY) && (*ret_root = sensitive_root(d, dlen)))
                return NOTE_SENSITIVE;
        return NOTE_NONE;
}

/* dlen is a directory of l: l->dir is dlen or more. */
static bool direct_file(const struct leaf *l, size_t dlen)
{
        return l->dir <= dlen;
}

/* Leaves of class cls in [lo, hi) go to the glob DIR* (its direct files)
 * or DIR** (everything under it), DIR = g[0..dlen) of leaves[lo]; with
 * safe_only, only those that need none of L_RISKY. */
static int decide(struct merger *m, size_t lo, size_t hi, size_t dlen, unsigned kind, unsigned cls,
                  bool safe_only)
{
        size_t gi = m->n_groups;

        if (m->n_groups == m->cap_groups) {
                size_t cap = m->cap_groups ? m->cap_groups * 2 : 64;
                struct group *g = reallocarray(m->groups, cap, sizeof(*g));

                if (!g)
                        return -ENOMEM;
                m->groups = g;
                m->cap_groups = cap;
        }
        m->groups[m->n_groups++] = (struct group){
            .leaf = (uint32_t)lo, .proposal = NONE, .dlen = (uint16_t)dlen, .kind = (uint8_t)kind};
        for (size_t i = lo; i < hi; i++) {
                struct leaf *l = m->leaves[i];

                if (l->cls != cls || (safe_only && (l->letters & L_RISKY)) ||
                    (kind == K_STAR && !direct_file(l, dlen)))
                        continue;
                l->group = (uint32_t)gi;
                l->note = NOTE_NONE;
        }
        return 0;
}

/* The direct files of class cls in [lo, hi) that stay literal say why. */
static void note_direct(struct merger *m, size_t lo, size_t hi, size_t dlen, unsigned cls,
                        unsigned note, const char *root)
{
        for (size_t i = lo; i < hi; i++) {
                struct leaf *l = m->leaves[i];

                if (l->cls != cls || l->group != NONE || !direct_file(l, dlen))
                        continue;
                l->note = (uint8_t)note;
                l->note_dlen = (uint16_t)dlen;
                l->note_root = root;
        }
}

struct node_stats {
        size_t total[N_CLS];     /* leaves under the directory */
        unsigned letters[N_CLS]; /* their letters */
        bool collapsed[N_CLS];   /* a glob was made at or below it */
};

/* The directory g[0..dlen) of leaves [lo, hi), which all lie under it;
 * children first, so that a directory knows which subdirectories
 * collapsed. The recursion is as deep as the path (at most 512 levels). */
static int collapse(struct merger *m, size_t lo, size_t hi, size_t dlen, struct node_stats *ret)
{
        struct node_stats st;
        size_t direct[N_CLS] = {0}, safe[N_CLS] = {0}, sub_collapsed[N_CLS] = {0};
        unsigned direct_letters[N_CLS] = {0}, safe_letters[N_CLS] = {0};
        bool star_name[N_CLS] = {false};
        const char *d = m->leaves[lo]->g;
        int r;

        memset(&st, 0, sizeof(st));
        for (size_t i = lo; i < hi;) {
                struct leaf *l = m->leaves[i];
                const char *slash =
                    direct_file(l, dlen) ? NULL : memchr(l->g + dlen, '/', l->glen - dlen);
                size_t clen, j, k = i;

                if (!slash) {
                        direct[l->cls]++;
                        direct_letters[l->cls] |= l->letters;
                        if (!(l->letters & L_RISKY)) {
                                safe[l->cls]++;
                                safe_letters[l->cls] |= l->letters;
                        }
                        /* a mkstemp name already is DIR*: the others join it */
                        star_name[l->cls] |= l->glen == dlen + 1 && l->g[dlen] == '*';
                        st.total[l->cls]++;
                        st.letters[l->cls] |= l->letters;
                        i++;
                        continue;
                }
                /* A subdirectory: the leaves that share "DIR/sub/" follow. */
                clen = (size_t)(slash - l->g) + 1;
                for (j = i + 1; j < hi && m->leaves[j]->glen >= clen &&
                                memcmp(m->leaves[j]->g + dlen, l->g + dlen, clen - dlen) == 0;
                     j++)
                        ;
                /* "DIR/sub/" itself: only DIR** (or above) matches it. */
                if (l->glen == clen) {
                        st.total[l->cls]++;
                        st.letters[l->cls] |= l->letters;
                        k++;
                }
                if (k < j) {
                        struct node_stats cs;

                        r = collapse(m, k, j, clen, &cs);
                        if (r < 0)
                                return r;
                        for (unsigned c = 0; c < N_CLS; c++) {
                                st.total[c] += cs.total[c];
                                st.letters[c] |= cs.letters[c];
                                sub_collapsed[c] += cs.collapsed[c];
                        }
                }
                i = j;
        }

        for (unsigned c = 0; c < N_CLS; c++) {
                const char *root, *safe_root;
                unsigned note;
                bool done = false;

                if (sub_collapsed[c] >= 2 && st.total[c] > m->min_files &&
                    refusal(d, dlen, K_STARSTAR, st.letters[c], &root) == NOTE_NONE) {
                        r = decide(m, lo, hi, dlen, K_STARSTAR, c, false);
                        if (r < 0)
                                return r;
                        done = true;
                }
                if (!done && (direct[c] >= m->min_files || star_name[c])) {
                        note = refusal(d, dlen, K_STAR, direct_letters[c], &root);
                        /* Under a sensitive directory the files that are only
                         * read may still share a glob; the others stay one
                         * by one. */
                        if (note == NOTE_SENSITIVE && safe[c] >= m->min_files &&
                            refusal(d, dlen, K_STAR, safe_letters[c], &safe_root) == NOTE_NONE)
                                r = decide(m, lo, hi, dlen, K_STAR, c, true);
                        else if (note == NOTE_NONE)
                                r = decide(m, lo, hi, dlen, K_STAR, c, false);
                        else
                                r = 1;
                        if (r < 0)
                                return r;
                        done = r == 0;
                        if (note != NOTE_NONE)
                                note_direct(m, lo, hi, dlen, c, note, root);
                }
                st.collapsed[c] = done || sub_collapsed[c] > 0;
        }
        *ret = st;
        return 0;
}

static int collapse_all(struct merger *m)
{
        /* Glob forms start with "/" or "@{PROC}/" ('/' sorts first); the
         * root directory itself ("/", "@{PROC}/") stays a literal. */
        static const char *const roots[] = {"/", "@{PROC}/"};
        size_t i = 0;

        for (size_t k = 0; k < ELEMENTSOF(roots); k++) {
                size_t rl = strlen(roots[k]), lo, j;

                while (i < m->n_leaves && m->leaves[i]->glen == rl &&
                       memcmp(m->leaves[i]->g, roots[k], rl) == 0)
                        i++;
                lo = i;
                for (j = i; j < m->n_leaves && m->leaves[j]->glen > rl &&
                            memcmp(m->leaves[j]->g, roots[k], rl) == 0;
                     j++)
                        ;
                if (j > lo) {
                        struct node_stats st;
                        int r = collapse(m, lo, j, rl, &st);

                        if (r < 0)
                                return r;
                }
                i = j;
        }
        return 0;
}

/* ---- building the result ---- */

static int cmp_size(const void *a, const void *b)
{
        size_t x = *(const size_t *)a, y = *(const size_t *)b;

        return (x > y) - (x < y);
}

static uint64_t add_sat(uint64_t a, uint64_t b)
{
        return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* A growable string store addressed by offsets (pointers are taken once
 * it stops growing). It may start in memory it does not own (borrowed),
 * and moves to its own when that is full. */
struct store {
        char *s;
        size_t n, cap;
        bool borrowed;
};

static int store_add(struct store *st, const char *p, size_t len, size_t *ret_off)
{
        if (st->n + len + 1 > st->cap) {
                size_t cap = st->cap ? st->cap : 4096;
                char *s;

                while (cap < st->n + len + 1)
                        cap *= 2;
                if (st->borrowed) {
                        s = malloc(cap);
                        if (s && st->n > 0)
                                memcpy(s, st->s, st->n);
                } else
                        s = realloc(st->s, cap);
                if (!s)
                        return -ENOMEM;
                st->s = s;
                st->cap = cap;
                st->borrowed = false;
        }
        memcpy(st->s + st->n, p, len);
        st->s[st->n + len] = '\0';
        *ret_off = st->n;
        st->n += len + 1;
        return 0;
}

static uint64_t hash_bytes(const char *p, size_t n)
{
        uint64_t h = 0x9e3779b97f4a7c15u ^ n;

        for (; n >= 8; p += 8, n -= 8) {
                uint64_t v;

                memcpy(&v, p, 8);
                h = (h ^ v) * 0xff51afd7ed558ccdu;
                h ^= h >> 32;
        }
        for (; n > 0; p++, n--)
                h = (h ^ (unsigned char)*p) * 0x100000001b3u;
        h ^= h >> 29;
        return h * 0xc4ceb9fe1a85ec53u;
}

/* Open addressing, at most half full (sized for every observation being a
 * new key). A slot holds an id + 1 (0: empty) above SLOT_TAG_BITS bits of
 * the key's hash, so that a probe compares strings only when those agree. */
#define SLOT_TAG_BITS 15
#define SLOT_TAG_MASK ((1u << SLOT_TAG_BITS) - 1)
_Static_assert(PATH_MERGE_ITEMS_MAX + 1 < 1u << (32 - SLOT_TAG_BITS), "ids fit in a slot");

struct table {
        uint32_t *slots;
        size_t mask;
};

static size_t table_capacity(size_t n)
{
        size_t cap = 16;

        while (cap < 2 * (n + 1))
                cap *= 2;
        return cap;
}

/* Where the probe for a key's hash is, and the tag it looks for. */
struct probe {
        size_t slot;
        uint32_t tag;
};

static struct probe table_first(const struct table *t, uint64_t h)
{
        return (struct probe){(size_t)(h >> 32) & t->mask, (uint32_t)(h >> 17) & SLOT_TAG_MASK};
}

static uint32_t slot_value(size_t id, uint32_t tag)
{
        return (uint32_t)(id + 1) << SLOT_TAG_BITS | tag;
}

/* What one proposal is made of, gathered over its leaves. */
struct summary {
        const char *glob, *example, *note_dir, *note_root;
        uint64_t count;
        size_t bad, n_paths, n_indexes;
        uint16_t dlen, note_dlen;
        uint8_t letters, flags, note, kind;
};

struct work {
        struct xrules files, deny;
        struct expander *expander;
        struct sref *refs;
        /* The glob forms of the leaves, each once, side by side: the steps
         * after classify() read them again and again, never the observed
         * paths spread over the caller's memory. */
        struct store gforms;
        struct leaf *pool; /* the leaves, as found */
        size_t n_pool;
        struct table byg;   /* glob form -> leaf */
        struct table byraw; /* rewritten observed path -> item */
        bool byraw_ready;
        struct pending *ring; /* PIPELINE entries on their way */
        size_t head, tail;    /* pushed, added */
        struct merger m;
        struct store globs;
        size_t *rule_order; /* files rules with a path, by path */
        size_t n_rule_order;
        struct summary *sums;
        size_t n_props;
};

static void work_done(struct work *w)
{
        xrules_done(&w->files);
        xrules_done(&w->deny);
        free(w->expander);
        if (!w->gforms.borrowed)
                free(w->gforms.s);
        free(w->m.groups);
        free(w->globs.s);
        free(w->rule_order);
        free(w->sums);
}

/* The leaf of glob form g (of hash h), made when it is new. Returns its
 * index or -ENOMEM. */
static int64_t find_leaf(struct work *w, const char *g, size_t glen, uint64_t h, const char *raw)
{
        const struct table *t = &w->byg;
        struct probe p = table_first(t, h);
        size_t off;

        for (;; p.slot = (p.slot + 1) & t->mask) {
                uint32_t v = t->slots[p.slot];
                const struct leaf *l;

                if (v == 0)
                        break;
                if ((v & SLOT_TAG_MASK) != p.tag)
                        continue;
                l = &w->pool[(v >> SLOT_TAG_BITS) - 1];
                if (l->glen == glen && memcmp(w->gforms.s + (uintptr_t)l->g, g, glen) == 0)
                        return (v >> SLOT_TAG_BITS) - 1;
        }
        /* The offset stands in for the pointer until the store stops
         * growing. */
        if (store_add(&w->gforms, g, glen, &off) < 0)
                return -ENOMEM;
        w->pool[w->n_pool] =
            (struct leaf){.g = (const char *)(uintptr_t)off,
                          .example = raw,
                          .group = NONE,
                          .proposal = NONE,
                          .glen = (uint16_t)glen,
                          /* a glob form starts with '/' or "@{PROC}/" */
                          .dir = (uint16_t)((const char *)memrchr(g, '/', glen) - g + 1)};
        t->slots[p.slot] = slot_value(w->n_pool, p.tag);
        return (int64_t)w->n_pool++;
}

/* Whether the rewritten path obs[item].path (of hash h) is new; remembers
 * it. */
static bool new_raw(struct work *w, const struct path_observed *obs, size_t item, uint64_t h)
{
        struct table *t = &w->byraw;
        const char *raw = obs[item].path;
        struct probe p = table_first(t, h);
        uint32_t v;

        for (; (v = t->slots[p.slot]) != 0; p.slot = (p.slot + 1) & t->mask)
                if ((v & SLOT_TAG_MASK) == p.tag &&
                    strcmp(obs[(v >> SLOT_TAG_BITS) - 1].path, raw) == 0)
                        return false;
        t->slots[p.slot] = slot_value(item, p.tag);
        return true;
}

/* An observation with letters left to propose, on its way to its leaf:
 * classify() finds its glob form and asks for the table slots it will
 * read, add_entry() reads them PIPELINE entries later, when they have
 * come (the tables are far bigger than the caches). */
struct pending {
        size_t item;
        const char *g; /* its glob form: the path itself, or buf */
        size_t glen;
        uint64_t hash, raw_hash; /* of g; of the path when rewritten */
        unsigned need, flags, bad;
        char buf[PATH_GLOB_MAX + 1];
};

#define PIPELINE 8

/* Whether the observation's path is written as itself (or with just
 * @{PROC}): then it is the only one of its leaf. */
static bool self_path(unsigned flags, unsigned bad)
{
        return !(flags & ~F_PROC) && bad == 0;
}

/* The observation of e joins the leaf of its glob form: its item's
 * proposal is the leaf until make_proposals(). */
static int add_entry(struct work *w, const struct path_observed *obs, struct path_merge *res,
                     const struct pending *e)
{
        size_t item = e->item;
        struct path_merge_item *it = &res->items[item];
        unsigned need = e->need, flags = e->flags, bad = e->bad;
        const char *raw = obs[item].path;
        int64_t li = find_leaf(w, e->g, e->glen, e->hash, raw);
        bool plain = flags == 0 && bad == 0;
        struct leaf *l;

        if (li < 0)
                return (int)li;
        l = &w->pool[li];
        it->proposal = (size_t)li;
        if (l->n++ == 0)
                l->example_is_g = plain;
        l->letters |= need;
        l->flags |= flags;
        l->bad = bad > l->bad ? (uint16_t)bad : l->bad;
        l->count = add_sat(l->count, obs[item].count);
        l->plain |= plain;
        /* Distinct observed paths (and the smallest, for the reason): a
         * path written as itself (or with just @{PROC}) is the only one of
         * its leaf; rewritten ones are told apart by their text (a path
         * always gives the same glob form, so the leaf need not be
         * compared). */
        if (self_path(flags, bad)) {
                if (!l->seen_self && raw != l->example && strcmp(raw, l->example) < 0) {
                        l->example = raw;
                        l->example_is_g = plain;
                }
                l->n_paths += !l->seen_self;
                l->seen_self = 1;
                return 0;
        }
        if (!new_raw(w, obs, item, e->raw_hash))
                return 0;
        l->n_paths++;
        if (raw != l->example && strcmp(raw, l->example) < 0) {
                l->example = raw;
                l->example_is_g = false;
        }
        return 0;
}

#define PREFETCH_AHEAD 8
#define GFORMS_AVG     32

/* The slot for the next pending entry: the oldest joins its leaf first
 * when all are taken. */
static int pending_slot(struct work *w, const struct path_observed *obs, struct path_merge *res,
                        struct pending **ret)
{
        if (w->head - w->tail == PIPELINE) {
                int r = add_entry(w, obs, res, &w->ring[w->tail++ % PIPELINE]);

                if (r < 0)
                        return r;
        }
        *ret = &w->ring[w->head % PIPELINE];
        return 0;
}

/* e is complete: its hashes are computed and its table slots asked for. */
static void pending_push(struct work *w, struct pending *e, const struct scan *sc)
{
        e->hash = hash_bytes(e->g, e->glen);
        __builtin_prefetch(&w->byg.slots[table_first(&w->byg, e->hash).slot]);
        if (!self_path(e->flags, e->bad)) {
                /* cleared when first needed: most paths are not rewritten */
                if (!w->byraw_ready) {
                        memset(w->byraw.slots, 0, (w->byraw.mask + 1) * sizeof(uint32_t));
                        w->byraw_ready = true;
                }
                e->raw_hash = hash_bytes(sc->raw, sc->len);
                __builtin_prefetch(&w->byraw.slots[table_first(&w->byraw, e->raw_hash).slot]);
        }
        w->head++;
}

/* Step 1: each observation's letters, less what the policy denies or
 * grants; what is left joins the leaf of its glob form. */
static int classify(struct work *w, const struct path_observed *obs, size_t n,
                    struct path_merge *res)
{
        for (size_t i = 0; i < n; i++) {
                struct path_merge_item *it = &res->items[i];
                unsigned need, denied = 0, covered = 0;
                struct pending *e = NULL;
                const char *why;
                struct scan sc;
                bool made = false;
                int r;

                /* The caller's strings lie anywhere in its memory: ask for
                 * those of a later observation while this one is done. */
                if (i + PREFETCH_AHEAD < n) {
                        __builtin_prefetch(obs[i + PREFETCH_AHEAD].mask);
                        __builtin_prefetch(obs[i + PREFETCH_AHEAD].path);
                }
                *it = (struct path_merge_item){
                    .proposal = SIZE_MAX, .covered_by = SIZE_MAX, .denied_by = SIZE_MAX};
                r = mask_letters(obs[i].mask, &need);
                if (r < 0 || need == 0) {
                        it->ignored = r < 0 ? "not a file access mask (kernel letters: x w r a "
                                              "c d k m l)"
                                            : "the mask asks for nothing";
                        continue;
                }
                /* The glob form is made only for what is left to propose,
                 * unless making it may find the path too long for a rule:
                 * then the path is unusable whatever the rules say. */
                why = glob_scan(obs[i].path, &sc);
                if (!why && glob_may_overflow(&sc)) {
                        r = pending_slot(w, obs, res, &e);
                        if (r < 0)
                                return r;
                        why = glob_make(&sc, e->buf, &e->g, &e->glen, &e->flags);
                        made = true;
                }
                if (why) {
                        it->ignored = why;
                        continue;
                }
                xrules_apply(&w->deny, sc.raw, sc.len, &need, &denied, &it->denied_by);
                xrules_apply(&w->files, sc.raw, sc.len, &need, &covered, &it->covered_by);
                letters_string(denied, NULL, it->denied);
                letters_string(covered, NULL, it->covered);
                letters_string(need, NULL, it->proposed);
                if (need == 0)
                        continue;
                if (!made) {
                        r = pending_slot(w, obs, res, &e);
                        if (r < 0)
                                return r;
                        why = glob_make(&sc, e->buf, &e->g, &e->glen, &e->flags);
                }
                if (why) {
                        /* never: see GLOB_GROWTH_MAX */
                        *it = (struct path_merge_item){.proposal = SIZE_MAX,
                                                       .covered_by = SIZE_MAX,
                                                       .denied_by = SIZE_MAX,
                                                       .ignored = why};
                        continue;
                }
                e->item = i;
                e->need = need;
                e->bad = sc.bad;
                pending_push(w, e, &sc);
        }
        while (w->tail < w->head) {
                int r = add_entry(w, obs, res, &w->ring[w->tail++ % PIPELINE]);

                if (r < 0)
                        return r;
        }
        /* The store has stopped growing. An example that is the glob form's
         * own text is read there, next to the other glob forms. */
        for (size_t k = 0; k < w->n_pool; k++) {
                struct leaf *l = &w->pool[k];

                l->g = w->gforms.s + (uintptr_t)l->g;
                if (l->example_is_g)
                        l->example = l->g;
        }
        return 0;
}

/* Multikey quicksort (Bentley and Sedgewick) of glob forms, eight bytes
 * at a time: each chunk of a shared prefix is loaded once per string, where
 * qsort() with strcmp() compares long shared directory prefixes again and
 * again. Strings hold no NUL, so a chunk padded with zeros past the end
 * sorts a shorter string first. */
struct sref {
        uint64_t key;    /* bytes [d, d + 8) of g, big-endian, zero-padded */
        uint32_t off;    /* g in the store of glob forms */
        uint32_t id_len; /* the leaf << SREF_LEN_BITS | glen: sixteen bytes in all */
};

#define SREF_LEN_BITS 11
_Static_assert(PATH_GLOB_MAX < 1u << SREF_LEN_BITS, "a glob form's length fits in a sref");
_Static_assert(PATH_MERGE_ITEMS_MAX < 1u << (32 - SREF_LEN_BITS), "a leaf fits in a sref");

static size_t sref_len(const struct sref *r)
{
        return r->id_len & ((1u << SREF_LEN_BITS) - 1);
}

static uint64_t chunk_at(const char *g, size_t glen, size_t d)
{
        unsigned char b[8] = {0};
        uint64_t k;

        if (d + 8 <= glen) {
                memcpy(&k, g + d, 8);
                return be64toh(k);
        }
        if (d < glen)
                memcpy(b, g + d, glen - d);
        memcpy(&k, b, 8);
        return be64toh(k);
}

static uint64_t sref_chunk(const char *base, const struct sref *r, size_t d)
{
        return chunk_at(base + r->off, sref_len(r), d);
}

struct sort_task {
        struct sref *v;
        size_t n, d;
};

static int sort_push(struct sort_task **stack, size_t *sp, size_t *cap, struct sort_task t)
{
        if (*sp == *cap) {
                size_t c = *cap ? *cap * 2 : 64;
                struct sort_task *s = reallocarray(*stack, c, sizeof(*s));

                if (!s)
                        return -ENOMEM;
                *stack = s;
                *cap = c;
        }
        (*stack)[(*sp)++] = t;
        return 0;
}

static void sref_swap(struct sref *v, size_t i, size_t j)
{
        struct sref t = v[i];

        v[i] = v[j];
        v[j] = t;
}

/* Sorts v[0..n), strings in base, whose keys are chunk d; tasks on the
 * stack carry the depth their keys were loaded at. */
static int sort_srefs(const char *base, struct sref *v, size_t n)
{
        _cleanup_free_ struct sort_task *stack = NULL;
        size_t sp = 0, cap = 0;

        for (size_t i = 0; i < n; i++)
                v[i].key = sref_chunk(base, &v[i], 0);
        if (sort_push(&stack, &sp, &cap, (struct sort_task){v, n, 0}) < 0)
                return -ENOMEM;
        while (sp > 0) {
                struct sort_task t = stack[--sp];

                while (t.n > 1) {
                        size_t lt = 0, i = 0, gt = t.n;
                        uint64_t a, b, c, p;

                        if (t.n < 8) {
                                /* insertion sort on the rest of the strings */
                                for (size_t k = 1; k < t.n; k++)
                                        for (size_t j = k; j > 0; j--) {
                                                const struct sref *x = &t.v[j - 1], *y = &t.v[j];
                                                size_t xl = sref_len(x), yl = sref_len(y);
                                                size_t m = xl < yl ? xl : yl;
                                                int cmp =
                                                    x->key != y->key ? (x->key > y->key ? 1 : -1)
                                                    : m > t.d        ? memcmp(base + x->off + t.d,
                                                                              base + y->off + t.d, m - t.d)
                                                                     : 0;

                                                if (cmp == 0)
                                                        cmp = (xl > yl) - (xl < yl);
                                                if (cmp <= 0)
                                                        break;
                                                sref_swap(t.v, j, j - 1);
                                        }
                                break;
                        }
                        a = t.v[0].key;
                        b = t.v[t.n / 2].key;
                        c = t.v[t.n - 1].key;
                        p = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
                        while (i < gt) {
                                uint64_t x = t.v[i].key;

                                if (x < p)
                                        sref_swap(t.v, lt++, i++);
                                else if (x > p)
                                        sref_swap(t.v, i, --gt);
                                else
                                        i++;
                        }
                        if ((lt > 1 &&
                             sort_push(&stack, &sp, &cap, (struct sort_task){t.v, lt, t.d}) < 0) ||
                            (t.n - gt > 1 &&
                             sort_push(&stack, &sp, &cap,
                                       (struct sort_task){t.v + gt, t.n - gt, t.d}) < 0))
                                return -ENOMEM;
                        /* An equal chunk: on to the next one, unless the
                         * strings ended in it (then they are equal). */
                        if ((p & 0xff) == 0)
                                break;
                        t.v += lt;
                        t.n = gt - lt;
                        t.d += 8;
                        for (size_t k = 0; k < t.n; k++)
                                t.v[k].key = sref_chunk(base, &t.v[k], t.d);
                }
        }
        return 0;
}

/* Step 2: the leaves sorted by glob form. */
static int make_leaves(struct work *w, struct path_merge *res)
{
        struct merger *m = &w->m;
        struct sref *refs = w->refs;
        bool any_invalid = false;
        const char *why;
        int r;

        /* Every glob form is valid by construction; checked all the same,
         * so that no proposal can ever carry profile syntax. A leaf that
         * fails is dropped and its observations say so. A plain leaf needs
         * no check: its glob form is an observed path taken as it was,
         * glob_scan() having seen every byte a literal one (no quote,
         * backslash, glob character, '@', control or non-ASCII byte), the
         * path absolute and at most PATH_GLOB_MAX bytes, and no component
         * empty, "." or "..": all that path_glob_validate() asks of a path
         * without globs or variables. */
        for (size_t i = 0; i < w->n_pool; i++) {
                struct leaf *l = &w->pool[i];

                l->invalid = !l->plain && path_glob_validate(l->g, &why) < 0;
                any_invalid |= l->invalid;
        }
        for (size_t i = 0; any_invalid && i < res->n_items; i++) {
                struct path_merge_item *it = &res->items[i];

                if (it->proposal != SIZE_MAX && w->pool[it->proposal].invalid) {
                        it->ignored = "path cannot be written as a rule";
                        it->proposed[0] = '\0';
                        it->proposal = SIZE_MAX;
                }
        }
        for (size_t i = 0; i < w->n_pool; i++) {
                struct leaf *l = &w->pool[i];

                if (l->invalid)
                        continue;
                l->cls = (l->letters & (L_X | L_M)) ? CLS_EXEC : CLS_DATA;
                refs[m->n_leaves++] = (struct sref){0, (uint32_t)(l->g - w->gforms.s),
                                                    (uint32_t)i << SREF_LEN_BITS | l->glen};
        }
        r = sort_srefs(w->gforms.s, refs, m->n_leaves);
        for (size_t i = 0; i < m->n_leaves; i++)
                m->leaves[i] = &w->pool[refs[i].id_len >> SREF_LEN_BITS];
        return r;
}

static int cmp_group_glob(const void *a, const void *b, void *userdata)
{
        const struct group *groups = userdata;
        uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

        return strcmp(groups[x].glob, groups[y].glob);
}

/* Step 3: the globs to propose, in order: literal leaves (already sorted)
 * merged with the collapse decisions (sorted here); equal globs (DIR* of
 * both classes) become one proposal. */
static int make_records(struct work *w)
{
        struct merger *m = &w->m;
        _cleanup_free_ uint32_t *order = NULL;
        _cleanup_free_ size_t *offs = NULL;
        size_t n_used = 0, n_literal = 0, i = 0, j = 0;
        const char *last = NULL;

        for (size_t k = 0; k < m->n_leaves; k++) {
                if (m->leaves[k]->group != NONE)
                        m->groups[m->leaves[k]->group].n_leaves++;
                else
                        n_literal++;
        }
        order = malloc((m->n_groups + 1) * sizeof(*order));
        offs = malloc((m->n_groups + 1) * sizeof(*offs));
        if (!order || !offs)
                return -ENOMEM;
        for (size_t gi = 0; gi < m->n_groups; gi++) {
                const struct group *gr = &m->groups[gi];
                char buf[PATH_GLOB_MAX + 3];
                size_t len = gr->dlen + (gr->kind == K_STARSTAR ? 2u : 1u);

                if (gr->n_leaves == 0)
                        continue;
                memcpy(buf, m->leaves[gr->leaf]->g, gr->dlen);
                memcpy(buf + gr->dlen, "**", len - gr->dlen);
                if (store_add(&w->globs, buf, len, &offs[n_used]) < 0)
                        return -ENOMEM;
                order[n_used++] = (uint32_t)gi;
        }
        for (size_t k = 0; k < n_used; k++)
                m->groups[order[k]].glob = w->globs.s + offs[k];
        qsort_r(order, n_used, sizeof(*order), cmp_group_glob, m->groups);

        w->sums = calloc(n_literal + n_used + 1, sizeof(*w->sums));
        if (!w->sums)
                return -ENOMEM;
        for (;;) {
                struct leaf *l;
                struct group *gr;
                const char *glob;
                unsigned kind;
                uint32_t *slot;

                while (i < m->n_leaves && m->leaves[i]->group != NONE)
                        i++;
                l = i < m->n_leaves ? m->leaves[i] : NULL;
                gr = j < n_used ? &m->groups[order[j]] : NULL;
                if (!l && !gr)
                        break;
                if (l && (!gr || strcmp(l->g, gr->glob) <= 0)) {
                        glob = l->g;
                        kind = K_LITERAL;
                        slot = &l->proposal;
                        i++;
                } else {
                        glob = gr->glob;
                        kind = gr->kind;
                        slot = &gr->proposal;
                        j++;
                }
                if (!last || strcmp(glob, last) != 0) {
                        w->sums[w->n_props++] = (struct summary){
                            .glob = glob,
                            .kind = (uint8_t)kind,
                            .dlen = (uint16_t)(strlen(glob) - (kind == K_STARSTAR ? 2 : 1))};
                        last = glob;
                }
                *slot = (uint32_t)(w->n_props - 1);
        }
        for (size_t k = 0; k < m->n_leaves; k++)
                if (m->leaves[k]->group != NONE)
                        m->leaves[k]->proposal = m->groups[m->leaves[k]->group].proposal;
        return 0;
}

/* A bounded text being written (a reason); what does not fit is cut. */
struct text {
        char *s;
        size_t n, size;
};

static void text_put(struct text *t, const char *p, size_t len)
{
        if (len > t->size - 1 - t->n)
                len = t->size - 1 - t->n;
        memcpy(t->s + t->n, p, len);
        t->n += len;
        t->s[t->n] = '\0';
}

static void text_str(struct text *t, const char *p)
{
        text_put(t, p, strlen(p));
}

static void text_u64(struct text *t, uint64_t v)
{
        char b[20];
        size_t i = sizeof(b);

        do
                b[--i] = (char)('0' + v % 10);
        while ((v /= 10) > 0);
        text_put(t, b + i, sizeof(b) - i);
}

/* "N thing" or "N things". */
static void text_count(struct text *t, uint64_t v, const char *thing)
{
        text_u64(t, v);
        text_str(t, " ");
        text_str(t, thing);
        if (v != 1)
                text_str(t, "s");
}

/* An observed path, printable and bounded. */
static void text_example(struct text *t, const char *raw)
{
        char buf[72];
        size_t n = 0;

        for (; raw[n] && n < 64; n++)
                buf[n] = (raw[n] >= 0x20 && raw[n] < 0x7f) ? raw[n] : '?';
        if (raw[n]) {
                memcpy(buf + n, "...", 3);
                n += 3;
        }
        text_put(t, buf, n);
}

static void text_verbs(struct text *t, unsigned l)
{
        static const struct {
                unsigned bit;
                const char *verb;
        } v[] = {{L_R, "read"},   {L_W, "written"},           {L_A, "appended to"}, {L_L, "linked"},
                 {L_K, "locked"}, {L_M, "mapped executable"}, {L_X, "executed"}};
        bool first = true;

        if (l & L_W)
                l &= ~(unsigned)L_A;
        for (size_t i = 0; i < ELEMENTSOF(v); i++)
                if (l & v[i].bit) {
                        if (!first)
                                text_str(t, ", ");
                        text_str(t, v[i].verb);
                        first = false;
                }
}

#define REASON_MAX 640

/* "read (17 events)", "2 paths read (3 events, e.g. /proc/1/status)",
 * "12 files under /etc/app/ read (e.g. /etc/app/a.conf)", then what was
 * rewritten or kept apart, and why. */
static void reason_text(const struct summary *s, const char *extends_was, char *buf, size_t size)
{
        struct text t = {buf, 0, size};

        buf[0] = '\0';
        if (s->kind == K_LITERAL && s->n_paths <= 1) {
                text_verbs(&t, s->letters);
                text_str(&t, " (");
                text_count(&t, s->count, "event");
                text_str(&t, ")");
        } else if (s->kind == K_LITERAL) {
                text_count(&t, s->n_paths, "path");
                text_str(&t, " ");
                text_verbs(&t, s->letters);
                text_str(&t, " (");
                text_count(&t, s->count, "event");
                text_str(&t, ", e.g. ");
                text_example(&t, s->example);
                text_str(&t, ")");
        } else {
                text_count(&t, s->n_paths, "file");
                text_str(&t, " under ");
                text_put(&t, s->glob, s->dlen);
                if (s->kind == K_STARSTAR)
                        text_str(&t, " and its subdirectories");
                text_str(&t, " ");
                text_verbs(&t, s->letters);
                text_str(&t, " (e.g. ");
                text_example(&t, s->example);
                text_str(&t, ")");
        }
        if (extends_was) {
                text_str(&t, "; adds to the existing rule (access '");
                text_str(&t, extends_was);
                text_str(&t, "')");
        }
        if (s->flags & F_PID)
                text_str(&t, "; process and thread ids written as @{pid} and @{tid}");
        if (s->flags & F_MKSTEMP)
                text_str(&t, "; random (mkstemp-like) names written as *");
        if (s->bad) {
                text_str(&t, "; ");
                text_count(&t, s->bad, "byte");
                text_str(&t, " a rule cannot hold (quotes, backslashes, glob characters, control "
                             "or non-ASCII bytes) written as ?");
        }
        if (s->note == NOTE_SENSITIVE) {
                text_str(&t, "; kept per file: no write or exec glob under ");
                text_str(&t, s->note_root);
        } else if (s->note == NOTE_ROOT) {
                text_str(&t, "; kept per file: ");
                text_put(&t, s->note_dir, s->note_dlen);
                text_str(&t, " never gets a glob of its own");
        }
}

static int cmp_rule_path(const void *a, const void *b, void *userdata)
{
        const struct apparmor_file_rule *files = userdata;
        size_t x = *(const size_t *)a, y = *(const size_t *)b;
        int c = strcmp(files[x].path, files[y].path);

        return c ? c : (x > y) - (x < y);
}

/* The first files rule whose glob is exactly glob, or SIZE_MAX. */
static size_t find_rule(const struct apparmor_file_rule *files, const size_t *sorted, size_t n,
                        const char *glob)
{
        size_t lo = 0, hi = n;

        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;

                if (strcmp(files[sorted[mid]].path, glob) < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return lo < n && strcmp(files[sorted[lo]].path, glob) == 0 ? sorted[lo] : SIZE_MAX;
}

/* Step 4: the proposals themselves. */
static int make_proposals(struct work *w, const struct path_observed *obs,
                          const struct policy_apparmor *aa, struct path_merge *res)
{
        struct merger *m = &w->m;
        struct store out = {0};
        size_t n_props = w->n_props, n_idx = 0;
        _cleanup_free_ size_t *glob_off = NULL, *reason_off = NULL, *fill = NULL;
        int r = -ENOMEM;

        res->proposals = calloc(n_props + 1, sizeof(*res->proposals));
        glob_off = malloc((n_props + 1) * sizeof(*glob_off));
        reason_off = malloc((n_props + 1) * sizeof(*reason_off));
        fill = malloc((n_props + 1) * sizeof(*fill));
        if (!res->proposals || !glob_off || !reason_off || !fill)
                goto out;
        res->n_proposals = n_props;

        for (size_t i = 0; i < m->n_leaves; i++) {
                const struct leaf *l = m->leaves[i];
                struct summary *s = &w->sums[l->proposal];

                s->letters |= l->letters;
                s->flags |= l->flags;
                s->bad += l->bad;
                s->n_paths += l->n_paths;
                s->n_indexes += l->n;
                s->count = add_sat(s->count, l->count);
                if (!s->example || strcmp(l->example, s->example) < 0)
                        s->example = l->example;
                if (l->note && !s->note) {
                        s->note = l->note;
                        s->note_dlen = l->note_dlen;
                        s->note_root = l->note_root;
                        s->note_dir = l->g;
                }
        }
        /* Each proposal's slice of indexes, filled leaf by leaf; the
         * indexes pointer of a proposal is its slice start until the end. */
        for (size_t p = 0; p < n_props; p++) {
                fill[p] = n_idx;
                res->proposals[p].n_indexes = n_idx;
                n_idx += w->sums[p].n_indexes;
        }
        /* In input order: callers' indexes usually ascend with it, and a
         * sorted slice needs no sort. An item's proposal was its leaf. */
        for (size_t i = 0; i < res->n_items; i++) {
                struct path_merge_item *it = &res->items[i];
                const struct leaf *l;

                if (it->proposal == SIZE_MAX)
                        continue;
                l = &w->pool[it->proposal];
                it->proposal = l->proposal;
                res->indexes[fill[l->proposal]++] = obs[i].index;
        }

        for (size_t p = 0; p < n_props; p++) {
                struct path_proposal *pr = &res->proposals[p];
                const struct summary *s = &w->sums[p];
                size_t start = pr->n_indexes, *idx = res->indexes + start, u = 0, rule = SIZE_MAX;
                char reason[REASON_MAX], exec[3] = "", was[PATH_ACCESS_MAX + 4] = "";
                unsigned have = 0;

                /* The slice keeps its place; its unique indexes come first. */
                for (size_t k = 1; k < s->n_indexes; k++)
                        if (idx[k] < idx[k - 1]) {
                                qsort(idx, s->n_indexes, sizeof(*idx), cmp_size);
                                break;
                        }
                for (size_t k = 0; k < s->n_indexes; k++)
                        if (k == 0 || idx[k] != idx[u - 1])
                                idx[u++] = idx[k];
                pr->n_indexes = u;
                fill[p] = start;

                if (aa)
                        rule = find_rule(aa->files, w->rule_order, w->n_rule_order, s->glob);
                if (rule != SIZE_MAX) {
                        have = access_letters(aa->files[rule].access, false, true, exec);
                        snprintf(was, sizeof(was), "%s", aa->files[rule].access);
                }
                pr->extends = rule != SIZE_MAX;
                pr->rule = rule;
                letters_string(s->letters & ~have, NULL, pr->added);
                letters_string(s->letters | have, exec, pr->access);
                pr->count = s->count;
                pr->n_paths = s->n_paths;
                reason_text(s, pr->extends ? was : NULL, reason, sizeof(reason));
                if (store_add(&out, s->glob, strlen(s->glob), &glob_off[p]) < 0 ||
                    store_add(&out, reason, strlen(reason), &reason_off[p]) < 0)
                        goto out;
        }
        res->strings = TAKE_PTR(out.s);
        for (size_t p = 0; p < n_props; p++) {
                struct path_proposal *pr = &res->proposals[p];

                pr->glob = res->strings + glob_off[p];
                pr->reason = res->strings + reason_off[p];
                pr->indexes = res->indexes + fill[p];
        }
        r = 0;
out:
        free(out.s);
        return r;
}

/* One block holds the items, the indexes and the working memory, sized
 * for as many leaves as observations (of GFORMS_AVG bytes): one allocation
 * instead of a dozen, pages never written are never touched, and it goes
 * with the result (path_merge_free() frees the items). Fresh pages are
 * dear (a fault each: 10-16 us on the VMs measured, docs/propose.md); one
 * big block freed whole is found again by the next call, where a dozen
 * interleaved with other allocations leave holes that do not fit, and the
 * heap grows into fresh pages. */
#define BLOCK_ALIGN      64
#define BLOCK_PART(size) (((size) + BLOCK_ALIGN - 1) / BLOCK_ALIGN * BLOCK_ALIGN)

static int alloc_block(struct work *w, struct path_merge *res, size_t n)
{
        size_t items = BLOCK_PART((n + 1) * sizeof(*res->items)),
               indexes = BLOCK_PART((n + 1) * sizeof(*res->indexes)),
               pool = BLOCK_PART((n + 1) * sizeof(*w->pool)),
               leaves = BLOCK_PART((n + 1) * sizeof(*w->m.leaves)),
               table = BLOCK_PART(table_capacity(n) * sizeof(uint32_t)),
               ring = BLOCK_PART(PIPELINE * sizeof(*w->ring)),
               gforms = BLOCK_PART((n + 1) * GFORMS_AVG);
        char *b;

        /* The tables (two slots of 4 bytes per observation at least) are
         * done with when the leaves are sorted (16 bytes each): the sort
         * takes their place. */
        _Static_assert(sizeof(struct sref) == 16, "two table slots per sref");
        b = aligned_alloc(BLOCK_ALIGN, items + indexes + pool + leaves + 2 * table + ring + gforms);

        if (!b)
                return -ENOMEM;
        res->items = (struct path_merge_item *)b;
        res->n_items = n;
        b += items;
        res->indexes = (size_t *)b;
        b += indexes;
        w->pool = (struct leaf *)b;
        b += pool;
        w->m.leaves = (struct leaf **)b;
        b += leaves;
        w->byg = (struct table){(uint32_t *)b, table_capacity(n) - 1};
        memset(w->byg.slots, 0, table);
        w->refs = (struct sref *)b;
        b += table;
        w->byraw = (struct table){(uint32_t *)b, table_capacity(n) - 1};
        b += table;
        w->ring = (struct pending *)b;
        b += ring;
        w->gforms = (struct store){b, 0, gforms, true};
        return 0;
}

struct path_merge *path_merge_free(struct path_merge *m)
{
        if (!m)
                return NULL;
        free(m->proposals);
        free(m->items); /* and the rest of its block: indexes */
        free(m->strings);
        free(m);
        return NULL;
}

int path_merge(const struct path_observed *obs, size_t n, const struct policy_apparmor *aa,
               size_t min_files, struct path_merge **ret)
{
        _cleanup_(path_merge_freep) struct path_merge *res = NULL;
        struct work w = {0};
        int r = -ENOMEM;

        if (n > PATH_MERGE_ITEMS_MAX)
                return -E2BIG;
        if ((n > 0 && !obs) || min_files > PATH_MERGE_ITEMS_MAX)
                return -EINVAL;
        w.m.min_files = min_files ? min_files : PATH_MERGE_MIN_FILES_DEFAULT;

        res = calloc(1, sizeof(*res));
        w.expander = malloc(sizeof(*w.expander));
        if (!res || !w.expander || alloc_block(&w, res, n) < 0)
                goto out;

        if (aa) {
                r = xrules_build(w.expander, aa->deny, aa->n_deny, true, &w.deny);
                if (r >= 0)
                        r = xrules_build(w.expander, aa->files, aa->n_files, false, &w.files);
                if (r < 0)
                        goto out;
        }
        r = xrules_index(&w.deny);
        if (r >= 0)
                r = xrules_index(&w.files);
        if (r < 0)
                goto out;
        if (aa) {
                r = -ENOMEM;
                w.rule_order = malloc((aa->n_files + 1) * sizeof(*w.rule_order));
                if (!w.rule_order)
                        goto out;
                for (size_t i = 0; i < aa->n_files; i++)
                        if (aa->files[i].path)
                                w.rule_order[w.n_rule_order++] = i;
                qsort_r(w.rule_order, w.n_rule_order, sizeof(*w.rule_order), cmp_rule_path,
                        (void *)aa->files);
        }

        r = classify(&w, obs, n, res);
        if (r >= 0)
                r = make_leaves(&w, res);
        if (r >= 0)
                r = collapse_all(&w.m);
        if (r >= 0)
                r = make_records(&w);
        if (r >= 0)
                r = make_proposals(&w, obs, aa, res);
        if (r >= 0) {
                *ret = TAKE_PTR(res);
                r = 0;
        }
out:
        work_done(&w);
        return r;
}
