/* SPDX-License-Identifier: MIT */
#include "yaml-edit.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "policy/yaml-tree.h"

#define PATH_MAX_LEN    1024u
#define WAS_MAX         120u /* bytes of the replaced text kept in "(was: ...)" */
#define COVERED         UINT32_MAX
#define INDENT_FALLBACK 2u

/* ------------------------------------------------------------------ */
/* A growing output buffer. Never larger than the reader accepts: a piece
 * of a result cannot be bigger than the result. */

struct buf {
        char *p;
        size_t n, cap;
        int err;
};

static void buf_add(struct buf *b, const char *s, size_t len)
{
        if (b->err < 0)
                return;
        if (len > YAML_TREE_MAX_BYTES || b->n + len > YAML_TREE_MAX_BYTES) {
                b->err = -E2BIG;
                return;
        }
        if (b->n + len + 1 > b->cap) {
                size_t cap = b->cap ? b->cap : 128;
                char *p;

                while (cap < b->n + len + 1)
                        cap *= 2;
                p = realloc(b->p, cap);
                if (!p) {
                        b->err = -ENOMEM;
                        return;
                }
                b->p = p;
                b->cap = cap;
        }
        memcpy(b->p + b->n, s, len);
        b->n += len;
        b->p[b->n] = '\0';
}

static void buf_adds(struct buf *b, const char *s)
{
        buf_add(b, s, strlen(s));
}

static void buf_spaces(struct buf *b, unsigned n)
{
        static const char sp[] = "                                ";

        while (n > 0) {
                unsigned k = n < sizeof(sp) - 1 ? n : (unsigned)sizeof(sp) - 1;

                buf_add(b, sp, k);
                n -= k;
        }
}

/* Hands the text on (an empty string rather than NULL). */
static int buf_steal(struct buf *b, char **ret, size_t *ret_len)
{
        if (b->err == 0 && !b->p)
                buf_add(b, "", 0);
        if (b->err < 0) {
                free(b->p);
                *b = (struct buf){0};
                return b->err ? b->err : -ENOMEM;
        }
        *ret = TAKE_PTR(b->p);
        if (ret_len)
                *ret_len = b->n;
        *b = (struct buf){0};
        return 0;
}

static void buf_done(struct buf *b)
{
        free(b->p);
        *b = (struct buf){0};
}

/* ------------------------------------------------------------------ */
/* The document: its text, lines and a tree of spans. */

struct vitem {
        char *text;          /* the item's YAML, validated */
        char *comment;       /* sanitised, or NULL */
        bool comment_at_end; /* the first line ends inside a multi-line value */
};

enum vkind {
        VSCALAR,
        VSEQ,
        VMAP,
};

/* A key an edit adds; key NULL stands for the empty value of an existing
 * key that an edit gives content. */
struct vnode {
        enum vkind kind;
        char *key;
        char *value;   /* VSCALAR */
        char *comment; /* VSCALAR */
        struct vnode **child;
        size_t n_child;
        struct vitem *items;
        size_t n_items;
};

struct enode {
        enum ynode_type type;
        bool flow;         /* a collection written [..] or {..} */
        bool empty;        /* a plain scalar with no text at all ("key:") */
        bool block_scalar; /* | or > */
        unsigned depth;    /* root 0 */
        unsigned col;      /* of start, in characters as libyaml counts (indentation) */
        size_t start, end; /* byte span of the node's text */
        size_t dash;       /* block sequence item: offset of its '-'; else SIZE_MAX */
        size_t open_end;   /* collection: end of its start event (tagged: its first key) */
        size_t idx;        /* position in parent->child */
        char *value;       /* scalar: decoded, NUL-terminated */
        struct enode *parent;
        struct enode **child; /* mapping: keys and values interleaved */
        size_t n_child, cap_child;

        /* What the edits did (rendered by yaml_edit_result()). */
        bool touched;  /* an edit changed this node or one inside it */
        bool removed;  /* a sequence item, commented out */
        bool rewrite;  /* flow sequence written again in block style */
        bool replaced; /* new_value replaces the node's text */
        char *remove_comment;
        char *new_value;
        char *new_comment; /* the line's whole new comment, "(was: ...)" included */
        struct vitem *appended;
        size_t n_appended;
        struct vnode **added; /* block mapping: new keys in call order */
        size_t n_added;
        struct vnode *filled; /* empty value given content */
        size_t replace_from;  /* replaced: new_value replaces [replace_from, end) */
        size_t comment_from;  /* replaced: the span new_comment replaces */
        size_t comment_to;
};

struct doc {
        char *text;
        size_t size;
        size_t bom;           /* 3 with a UTF-8 byte order mark (libyaml's index starts after it) */
        uint32_t *line_start; /* n_lines entries */
        size_t n_lines;
        /* Per line: offset after the last token that ends on it, where a
         * comment may start; COVERED when a multi-line token goes on. */
        uint32_t *line_last;
        uint32_t *char_off; /* libyaml's character index -> byte offset; NULL for ASCII */
        size_t n_chars;
        size_t doc_end; /* offset of an explicit "..." end marker, else size */
        struct enode *root;
        size_t n_nodes;
        bool crlf;  /* the first line break is CRLF */
        bool limit; /* parsing stopped at one of the bounds */
};

struct span {
        size_t start, end;
};

struct yaml_edit {
        struct doc doc;
        unsigned seq_indent;  /* block sequence items, relative to their key */
        unsigned map_indent;  /* nested mapping keys, relative to their key */
        bool spaced_sections; /* top-level sections are separated by blank lines */
        const char *nl;
        struct span *claims; /* spans of the original text edits replace */
        size_t n_claims;
        size_t *comment_lines; /* lines whose trailing comment an edit replaces */
        size_t n_comment_lines;
        size_t added_bytes; /* text the edits bring in, bounded */
        size_t n_edits;
};

static struct vnode *vnode_free(struct vnode *v)
{
        if (!v)
                return NULL;
        for (size_t i = 0; i < v->n_child; i++)
                vnode_free(v->child[i]);
        for (size_t i = 0; i < v->n_items; i++) {
                free(v->items[i].text);
                free(v->items[i].comment);
        }
        free(v->child);
        free(v->items);
        free(v->key);
        free(v->value);
        free(v->comment);
        free(v);
        return NULL;
}
DEFINE_POINTER_CLEANUP(struct vnode, vnode_free)

static struct enode *enode_free(struct enode *n)
{
        if (!n)
                return NULL;
        for (size_t i = 0; i < n->n_child; i++)
                enode_free(n->child[i]);
        for (size_t i = 0; i < n->n_appended; i++) {
                free(n->appended[i].text);
                free(n->appended[i].comment);
        }
        for (size_t i = 0; i < n->n_added; i++)
                vnode_free(n->added[i]);
        free(n->appended);
        free(n->added);
        vnode_free(n->filled);
        free(n->child);
        free(n->value);
        free(n->remove_comment);
        free(n->new_value);
        free(n->new_comment);
        free(n);
        return NULL;
}

static void doc_done(struct doc *d)
{
        enode_free(d->root);
        free(d->text);
        free(d->line_start);
        free(d->line_last);
        free(d->char_off);
        *d = (struct doc){0};
}

struct yaml_edit *yaml_edit_free(struct yaml_edit *e)
{
        if (!e)
                return NULL;
        doc_done(&e->doc);
        free(e->claims);
        free(e->comment_lines);
        free(e);
        return NULL;
}

/* ---- lines ---- */

static size_t line_of(const struct doc *d, size_t off)
{
        size_t lo = 0, hi = d->n_lines;

        while (hi - lo > 1) {
                size_t mid = lo + (hi - lo) / 2;

                if (d->line_start[mid] <= off)
                        lo = mid;
                else
                        hi = mid;
        }
        return lo;
}

/* Where line l's content ends: its '\n' (or the '\r' of "\r\n"), or EOF. */
static size_t line_eol(const struct doc *d, size_t l)
{
        size_t end;

        if (l + 1 >= d->n_lines)
                return d->size;
        end = d->line_start[l + 1] - 1;
        if (end > d->line_start[l] && d->text[end - 1] == '\r')
                end--;
        return end;
}

static bool is_blank(char c)
{
        return c == ' ' || c == '\t';
}

/* Offset of the first character of line l that is not a blank (eol if
 * none). */
static size_t line_first(const struct doc *d, size_t l)
{
        size_t p = d->line_start[l], eol = line_eol(d, l);

        while (p < eol && is_blank(d->text[p]))
                p++;
        return p;
}

/* Where line l's trailing comment starts ('#'), or its eol when it has
 * none. Only after the line's last token: a '#' inside a scalar is text. */
static size_t comment_start(const struct doc *d, size_t l)
{
        size_t ls = d->line_start[l], eol = line_eol(d, l);
        size_t p = d->line_last[l] == COVERED ? eol : d->line_last[l];

        if (p < ls)
                p = ls;
        for (; p < eol; p++)
                if (d->text[p] == '#' && (p == ls || is_blank(d->text[p - 1])))
                        return p;
        return eol;
}

/* Past blanks, line breaks and comments: between tokens of block context. */
static size_t skip_gap(const struct doc *d, size_t p)
{
        while (p < d->size) {
                char c = d->text[p];

                if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
                        p++;
                else if (c == '#') {
                        const char *nl = memchr(d->text + p, '\n', d->size - p);

                        p = nl ? (size_t)(nl - d->text) : d->size;
                } else
                        break;
        }
        return p;
}

static size_t last_line_of(const struct doc *d, const struct enode *n)
{
        return line_of(d, n->end > n->start ? n->end - 1 : (n->start > 0 ? n->start - 1 : 0));
}

/* ---- UTF-8 ---- */

/* Decodes one code point; returns its length, 0 when s is not UTF-8. */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *ret)
{
        uint32_t cp;
        size_t len;

        if (n == 0)
                return 0;
        if (s[0] < 0x80) {
                *ret = s[0];
                return 1;
        }
        if ((s[0] & 0xe0) == 0xc0) {
                len = 2;
                cp = s[0] & 0x1f;
        } else if ((s[0] & 0xf0) == 0xe0) {
                len = 3;
                cp = s[0] & 0x0f;
        } else if ((s[0] & 0xf8) == 0xf0) {
                len = 4;
                cp = s[0] & 0x07;
        } else
                return 0;
        if (n < len)
                return 0;
        for (size_t i = 1; i < len; i++) {
                if ((s[i] & 0xc0) != 0x80)
                        return 0;
                cp = (cp << 6) | (s[i] & 0x3f);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
            cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
                return 0;
        *ret = cp;
        return len;
}

/* What libyaml accepts inside a comment on one line. */
static bool comment_printable(uint32_t cp)
{
        return (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff) ||
               (cp >= 0xe000 && cp <= 0xfffd && cp != 0xfeff) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/* Text fit for a one-line comment: line breaks and control characters
 * become spaces, bytes that are not UTF-8 '?', blanks folded and trimmed.
 * NULL for nothing left. */
static int comment_text(const char *s, size_t len, size_t max, char **ret)
{
        struct buf b = {0};
        bool space = false;

        for (size_t i = 0; i < len;) {
                uint32_t cp;
                size_t k = utf8_decode((const unsigned char *)s + i, len - i, &cp);

                if (k == 0) {
                        cp = '?';
                        k = 1;
                } else if (!comment_printable(cp))
                        cp = ' ';
                if (cp == ' ') {
                        space = b.n > 0;
                        i += k;
                        continue;
                }
                if (b.n + (space ? 1 : 0) + k > max) {
                        buf_adds(&b, "...");
                        break;
                }
                if (space)
                        buf_add(&b, " ", 1);
                space = false;
                if (cp == '?' && (unsigned char)s[i] != '?')
                        buf_add(&b, "?", 1);
                else
                        buf_add(&b, s + i, k);
                i += k;
        }
        if (b.err == 0 && b.n == 0) {
                *ret = NULL;
                return 0;
        }
        return buf_steal(&b, ret, NULL);
}

static int sanitize_comment(const char *comment, char **ret)
{
        size_t len;

        if (!comment) {
                *ret = NULL;
                return 0;
        }
        len = strlen(comment);
        if (len > YAML_TREE_MAX_SCALAR)
                return -E2BIG;
        return comment_text(comment, len, YAML_TREE_MAX_SCALAR, ret);
}

/* ------------------------------------------------------------------ */
/* Reading: libyaml events into enodes. */

struct builder {
        struct doc *doc;
        struct diag_list *d;
        struct enode *stack[YAML_TREE_MAX_DEPTH + 1];
        size_t depth;
};

_printf_(3, 4) static int fail(struct builder *b, yaml_mark_t m, const char *fmt, ...)
{
        va_list ap;
        char *msg;

        if (b->d) {
                va_start(ap, fmt);
                if (vasprintf(&msg, fmt, ap) >= 0) {
                        diag_add(b->d,
                                 (struct loc){.line = (unsigned)m.line + 1,
                                              .col = (unsigned)m.column + 1},
                                 "%s", msg);
                        free(msg);
                }
                va_end(ap);
        }
        return -EINVAL;
}

static size_t mark_byte(const struct doc *d, yaml_mark_t m)
{
        size_t i = m.index;

        if (d->char_off)
                i = i <= d->n_chars ? d->char_off[i] : d->size - d->bom;
        i += d->bom;
        return i < d->size ? i : d->size;
}

static void cover(struct doc *d, size_t s, size_t e)
{
        size_t ls, le;

        if (e <= s) {
                ls = line_of(d, s);
                if (d->line_last[ls] != COVERED && d->line_last[ls] < s)
                        d->line_last[ls] = (uint32_t)s;
                return;
        }
        ls = line_of(d, s);
        le = line_of(d, e - 1);
        for (size_t l = ls; l < le; l++)
                d->line_last[l] = COVERED;
        if (d->line_last[le] != COVERED && d->line_last[le] < e)
                d->line_last[le] = (uint32_t)e;
}

/* A block scalar's end mark lies past its trailing blank lines: end it at
 * the end of its last line with text instead. */
static size_t block_scalar_end(const struct doc *d, size_t start, size_t end)
{
        while (end > start) {
                size_t l = line_of(d, end - 1);
                size_t from = d->line_start[l] > start ? d->line_start[l] : start;
                size_t to = line_eol(d, l) < end ? line_eol(d, l) : end;

                for (size_t p = from; p < to; p++)
                        if (!is_blank(d->text[p]) && d->text[p] != '\r')
                                return to;
                if (d->line_start[l] <= start)
                        return start;
                end = d->line_start[l];
        }
        return start;
}

/* Past a tag ("!!seq", "!l:"), if p is at one. */
static size_t skip_token(const struct doc *d, size_t p)
{
        if (p < d->size && d->text[p] == '!')
                while (p < d->size && !is_blank(d->text[p]) && d->text[p] != '\r' &&
                       d->text[p] != '\n')
                        p++;
        return p;
}

static int node_open(struct builder *b, const yaml_event_t *ev, enum ynode_type type,
                     struct enode **ret)
{
        struct doc *d = b->doc;
        struct enode *parent = b->depth > 0 ? b->stack[b->depth - 1] : NULL;
        struct enode *n;

        if (++d->n_nodes > YAML_TREE_MAX_NODES) {
                d->limit = true;
                return fail(b, ev->start_mark, "too many nodes (more than %u)",
                            YAML_TREE_MAX_NODES);
        }
        if (!parent && d->root)
                return fail(b, ev->start_mark, "more than one YAML document in the file");
        if (parent && parent->type == YNODE_MAPPING && parent->n_child % 2 == 0 &&
            type != YNODE_SCALAR)
                return fail(b, ev->start_mark, "mapping keys must be plain names, not %s",
                            ynode_type_name(type));
        if (parent && parent->type == YNODE_SCALAR)
                return -EINVAL;

        n = calloc(1, sizeof(*n));
        if (!n)
                return -ENOMEM;
        n->type = type;
        n->start = mark_byte(d, ev->start_mark);
        n->end = n->start;
        n->col = (unsigned)ev->start_mark.column;
        n->dash = SIZE_MAX;
        n->parent = parent;
        if (!parent) {
                d->root = n;
                *ret = n;
                return 0;
        }
        n->depth = parent->depth + 1;
        if (parent->n_child == parent->cap_child) {
                size_t cap = parent->cap_child ? parent->cap_child * 2 : 8;
                struct enode **c = realloc(parent->child, cap * sizeof(*c));

                if (!c) {
                        free(n);
                        return -ENOMEM;
                }
                parent->child = c;
                parent->cap_child = cap;
        }
        if (parent->type == YNODE_SEQUENCE && !parent->flow) {
                /* The first dash: where the sequence starts, or past its tag. */
                size_t p = parent->n_child > 0
                               ? skip_gap(d, parent->child[parent->n_child - 1]->end)
                               : skip_gap(d, skip_token(d, parent->start));

                if (p < d->size && d->text[p] == '-')
                        n->dash = p;
        }
        n->idx = parent->n_child;
        parent->child[parent->n_child++] = n;
        *ret = n;
        return 0;
}

static int on_scalar(struct builder *b, const yaml_event_t *ev)
{
        struct doc *d = b->doc;
        const char *value = (const char *)ev->data.scalar.value;
        size_t len = ev->data.scalar.length;
        struct enode *n;
        int r;

        if (len > YAML_TREE_MAX_SCALAR) {
                d->limit = true;
                return fail(b, ev->start_mark, "value is longer than %u bytes",
                            YAML_TREE_MAX_SCALAR);
        }
        if (memchr(value, '\0', len))
                return fail(b, ev->start_mark, "value contains a NUL byte");
        r = node_open(b, ev, YNODE_SCALAR, &n);
        if (r < 0)
                return r;
        n->value = strndup(value, len);
        if (!n->value)
                return -ENOMEM;
        n->end = mark_byte(d, ev->end_mark);
        n->block_scalar = ev->data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
                          ev->data.scalar.style == YAML_FOLDED_SCALAR_STYLE;
        if (n->block_scalar)
                n->end = block_scalar_end(d, n->start, n->end);
        n->empty = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && len == 0;
        /* The missing value of "? key" (no ':') is placed at the next
         * token, lines further on: it ends where its key ends. */
        if (n->empty && n->idx % 2 == 1 && n->parent->type == YNODE_MAPPING &&
            (n->start == 0 || d->text[n->start - 1] != ':'))
                n->start = n->end = n->parent->child[n->idx - 1]->end;
        cover(d, n->start, n->end);
        return 0;
}

static int on_open(struct builder *b, const yaml_event_t *ev, enum ynode_type type, bool flow)
{
        struct enode *n;
        int r;

        if (b->depth >= YAML_TREE_MAX_DEPTH) {
                b->doc->limit = true;
                return fail(b, ev->start_mark, "nesting deeper than %u levels",
                            YAML_TREE_MAX_DEPTH);
        }
        r = node_open(b, ev, type, &n);
        if (r < 0)
                return r;
        n->flow = flow;
        n->open_end = mark_byte(b->doc, ev->end_mark);
        cover(b->doc, n->start, n->open_end);
        b->stack[b->depth++] = n;
        return 0;
}

static int on_close(struct builder *b, const yaml_event_t *ev)
{
        struct enode *n;

        if (b->depth == 0)
                return -EINVAL;
        n = b->stack[--b->depth];
        if (n->flow) {
                /* Only the closing bracket: comments may follow items inside. */
                n->end = mark_byte(b->doc, ev->end_mark);
                cover(b->doc, n->end > n->start ? n->end - 1 : n->start, n->end);
        } else if (n->n_child > 0)
                n->end = n->child[n->n_child - 1]->end;
        return 0;
}

static int on_event(struct builder *b, const yaml_event_t *ev, bool *done)
{
        switch (ev->type) {
        case YAML_STREAM_START_EVENT:
        case YAML_NO_EVENT:
                return 0;
        case YAML_DOCUMENT_START_EVENT:
                if (b->doc->root)
                        return fail(b, ev->start_mark, "more than one YAML document in the file");
                return 0;
        case YAML_DOCUMENT_END_EVENT:
                if (!ev->data.document_end.implicit)
                        b->doc->doc_end = mark_byte(b->doc, ev->start_mark);
                return 0;
        case YAML_STREAM_END_EVENT:
                *done = true;
                return 0;
        case YAML_ALIAS_EVENT:
                return fail(b, ev->start_mark, "aliases ('*name') are not allowed here");
        case YAML_SCALAR_EVENT:
                if (ev->data.scalar.anchor)
                        break;
                return on_scalar(b, ev);
        case YAML_SEQUENCE_START_EVENT:
                if (ev->data.sequence_start.anchor)
                        break;
                return on_open(b, ev, YNODE_SEQUENCE,
                               ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE);
        case YAML_MAPPING_START_EVENT:
                if (ev->data.mapping_start.anchor)
                        break;
                return on_open(b, ev, YNODE_MAPPING,
                               ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE);
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
                return on_close(b, ev);
        default:
                return -EINVAL;
        }
        return fail(b, ev->start_mark, "anchors ('&name') are not allowed here");
}

static void yaml_parser_deletep(yaml_parser_t **p)
{
        if (*p)
                yaml_parser_delete(*p);
}

static void yaml_event_deletep(yaml_event_t *ev)
{
        yaml_event_delete(ev);
}

static int at_loc(struct diag_list *dl, size_t line, size_t col, const char *msg)
{
        if (dl)
                diag_add(dl, (struct loc){.line = (unsigned)line + 1, .col = (unsigned)col + 1},
                         "%s", msg);
        return -EINVAL;
}

/* Lines, the character index map, and the bytes the splicing cannot take:
 * line breaks other than LF and CRLF (libyaml counts them as lines),
 * NUL, UTF-16. */
static int scan_text(struct doc *d, struct diag_list *dl)
{
        const unsigned char *t = (const unsigned char *)d->text;
        size_t lines = 1, line = 0, col = 0, chars = 0;
        bool ascii = true, first_break = true;

        if (d->size >= 2 && ((t[0] == 0xfe && t[1] == 0xff) || (t[0] == 0xff && t[1] == 0xfe)))
                return at_loc(dl, 0, 0, "UTF-16 text is not supported, only UTF-8");
        if (d->size >= 3 && t[0] == 0xef && t[1] == 0xbb && t[2] == 0xbf)
                d->bom = 3;
        for (size_t i = d->bom; i < d->size; i++) {
                if (t[i] == '\n') {
                        lines++;
                        line++;
                        col = 0;
                        continue;
                }
                if (t[i] == '\0')
                        return at_loc(dl, line, col, "the text contains a NUL byte");
                if (t[i] == '\r' && (i + 1 >= d->size || t[i + 1] != '\n'))
                        return at_loc(dl, line, col, "a carriage return that ends no line");
                if (t[i] == '\r' && first_break)
                        d->crlf = true;
                if (t[i] == '\r')
                        first_break = false;
                if (t[i] >= 0x80)
                        ascii = false;
                if ((t[i] == 0xc2 && i + 1 < d->size && t[i + 1] == 0x85) ||
                    (t[i] == 0xe2 && i + 2 < d->size && t[i + 1] == 0x80 &&
                     (t[i + 2] == 0xa8 || t[i + 2] == 0xa9)))
                        return at_loc(dl, line, col,
                                      "Unicode line breaks (NEL, LS, PS) are not supported");
                if ((t[i] & 0xc0) != 0x80)
                        col++;
                if (t[i] == '\n')
                        first_break = false;
        }
        for (size_t i = 0; i < d->size && first_break; i++)
                if (t[i] == '\n')
                        first_break = false;

        d->line_start = calloc(lines, sizeof(*d->line_start));
        d->line_last = calloc(lines, sizeof(*d->line_last));
        if (!d->line_start || !d->line_last)
                return -ENOMEM;
        d->n_lines = lines;
        line = 1;
        for (size_t i = 0; i < d->size; i++)
                if (t[i] == '\n')
                        d->line_start[line++] = (uint32_t)(i + 1);
        if (ascii)
                return 0;
        for (size_t i = d->bom; i < d->size; i++)
                if ((t[i] & 0xc0) != 0x80)
                        chars++;
        d->char_off = calloc(chars + 1, sizeof(*d->char_off));
        if (!d->char_off)
                return -ENOMEM;
        d->n_chars = chars;
        chars = 0;
        for (size_t i = d->bom; i < d->size; i++)
                if ((t[i] & 0xc0) != 0x80)
                        d->char_off[chars++] = (uint32_t)(i - d->bom);
        d->char_off[chars] = (uint32_t)(d->size - d->bom);
        return 0;
}

/* Parses text (taking ownership of it) into d. dl may be NULL. */
static int doc_parse(struct doc *d, char *text, size_t size, struct diag_list *dl)
{
        _cleanup_(yaml_parser_deletep) yaml_parser_t *parser = NULL;
        yaml_parser_t p;
        struct builder b = {.doc = d, .d = dl};
        bool done = false;
        int r;

        *d = (struct doc){.text = text, .size = size, .doc_end = size};
        if (size > YAML_TREE_MAX_BYTES) {
                d->limit = true;
                if (dl)
                        diag_add(dl, (struct loc){0}, "file is larger than %u bytes",
                                 YAML_TREE_MAX_BYTES);
                return -EFBIG;
        }
        r = scan_text(d, dl);
        if (r < 0)
                return r;
        if (!yaml_parser_initialize(&p))
                return -ENOMEM;
        parser = &p;
        yaml_parser_set_input_string(parser, (const unsigned char *)text, size);
        while (!done) {
                _cleanup_(yaml_event_deletep) yaml_event_t ev = {0};

                if (!yaml_parser_parse(parser, &ev))
                        return fail(&b, parser->problem_mark, "YAML syntax error: %s%s%s",
                                    parser->problem ? parser->problem : "unknown problem",
                                    parser->context ? " " : "",
                                    parser->context ? parser->context : "");
                r = on_event(&b, &ev, &done);
                if (r < 0)
                        return r;
        }
        if (!d->root) {
                if (dl)
                        diag_add(dl, (struct loc){0}, "the file is empty");
                return -EINVAL;
        }
        return 0;
}

/* ------------------------------------------------------------------ */
/* Layout facts the new text follows. */

static bool is_map_value(const struct enode *n)
{
        return n->parent && n->parent->type == YNODE_MAPPING && n->idx % 2 == 1;
}

static const struct enode *key_of(const struct enode *value)
{
        return value->parent->child[value->idx - 1];
}

/* Offset just past the ':' after value's key, SIZE_MAX if it is not on the
 * key's line right after it ("? key" forms). */
static size_t colon_end(const struct doc *d, const struct enode *value)
{
        const struct enode *key;
        size_t p;

        if (!is_map_value(value))
                return SIZE_MAX;
        key = key_of(value);
        p = key->end;
        while (p < d->size && is_blank(d->text[p]))
                p++;
        return p < d->size && d->text[p] == ':' ? p + 1 : SIZE_MAX;
}

/* Column, in characters, of the byte at off. */
static unsigned col_of(const struct doc *d, size_t off)
{
        unsigned col = 0;

        for (size_t p = d->line_start[line_of(d, off)]; p < off; p++)
                if ((d->text[p] & 0xc0) != 0x80)
                        col++;
        return col;
}

/* Where a block collection's dashes or keys ('?' included) stand: a tag
 * before them ("!\n  k: v") moves the node's start, not them (a mapping's
 * start event ends where its first key begins). */
static unsigned content_col(const struct doc *d, const struct enode *n)
{
        if (n->flow || n->n_child == 0)
                return n->col;
        if (n->type == YNODE_SEQUENCE && n->child[0]->dash != SIZE_MAX)
                return col_of(d, n->child[0]->dash);
        if (n->type == YNODE_MAPPING && n->start < d->size && d->text[n->start] == '!')
                return col_of(d, n->open_end);
        return n->col;
}

/* The first block collection under a key on a line of its own tells how
 * this document indents sequences and mappings. */
static void infer_indent(struct yaml_edit *e, const struct enode *n, bool *seq_done, bool *map_done)
{
        for (size_t i = 0; i < n->n_child && !(*seq_done && *map_done); i++) {
                const struct enode *c = n->child[i];

                if (is_map_value(c) && !c->flow && c->type != YNODE_SCALAR &&
                    line_of(&e->doc, c->start) > line_of(&e->doc, key_of(c)->start) &&
                    content_col(&e->doc, c) >= key_of(c)->col &&
                    content_col(&e->doc, c) - key_of(c)->col <= 8) {
                        unsigned off = content_col(&e->doc, c) - key_of(c)->col;

                        if (c->type == YNODE_SEQUENCE && !*seq_done) {
                                e->seq_indent = off;
                                *seq_done = true;
                        } else if (c->type == YNODE_MAPPING && !*map_done && off > 0) {
                                e->map_indent = off;
                                *map_done = true;
                        }
                }
                infer_indent(e, c, seq_done, map_done);
        }
}

static bool line_is_blank(const struct doc *d, size_t l)
{
        return line_first(d, l) == line_eol(d, l);
}

static bool line_is_comment(const struct doc *d, size_t l)
{
        size_t p = line_first(d, l);

        return p < line_eol(d, l) && d->text[p] == '#';
}

static void infer_layout(struct yaml_edit *e)
{
        const struct doc *d = &e->doc;
        bool seq_done = false, map_done = false;

        e->seq_indent = INDENT_FALLBACK;
        e->map_indent = INDENT_FALLBACK;
        infer_indent(e, d->root, &seq_done, &map_done);
        e->nl = d->crlf ? "\r\n" : "\n";
        for (size_t i = 2; i < d->root->n_child; i += 2) {
                size_t l = line_of(d, d->root->child[i]->start);

                while (l > 0 && line_is_comment(d, l - 1))
                        l--;
                if (l > 0 && line_is_blank(d, l - 1))
                        e->spaced_sections = true;
        }
}

/* YAML forbids tabs in indentation; libyaml lets them through where a
 * token happens to absorb them (a line inside brackets, blank lines after
 * a plain scalar). Moved next to other text by an edit, such a line stops
 * parsing: refused up front, except inside multi-line scalars, where the
 * tab is text. */
static int check_tabs(const struct doc *d, struct diag_list *dl)
{
        for (size_t l = 0; l < d->n_lines; l++) {
                size_t ls = d->line_start[l], fnb = line_first(d, l);
                const char *tab = memchr(d->text + ls, '\t', fnb - ls);

                if (tab && (l == 0 || d->line_last[l - 1] != COVERED))
                        return at_loc(dl, l, (size_t)(tab - (d->text + ls)),
                                      "a tab in the indentation (use spaces)");
        }
        return 0;
}

int yaml_edit_new(const char *text, size_t size, struct diag_list *d, struct yaml_edit **ret)
{
        _cleanup_(yaml_edit_freep) struct yaml_edit *e = NULL;
        char *copy;
        int r;

        if (!text && size > 0)
                return -EINVAL;
        if (size > YAML_TREE_MAX_BYTES) {
                if (d)
                        diag_add(d, (struct loc){0}, "file is larger than %u bytes",
                                 YAML_TREE_MAX_BYTES);
                return -EFBIG;
        }
        e = calloc(1, sizeof(*e));
        copy = malloc(size + 1);
        if (!e || !copy) {
                free(copy);
                return -ENOMEM;
        }
        if (size > 0)
                memcpy(copy, text, size);
        copy[size] = '\0';
        r = doc_parse(&e->doc, copy, size, d);
        if (r < 0)
                return r;
        if (e->doc.root->type != YNODE_MAPPING) {
                if (d)
                        diag_add(
                            d,
                            (struct loc){.line = (unsigned)line_of(&e->doc, e->doc.root->start) + 1,
                                         .col = e->doc.root->col + 1},
                            "the document is %s, not a mapping",
                            ynode_type_name(e->doc.root->type));
                return -EINVAL;
        }
        r = check_tabs(&e->doc, d);
        if (r < 0)
                return r;
        infer_layout(e);
        *ret = TAKE_PTR(e);
        return 0;
}

/* ------------------------------------------------------------------ */
/* Checking what callers pass in. */

/* Parses text on its own (owning it); 0, -E2BIG at a bound, -EINVAL. */
static int parse_alone(struct buf *b, struct doc *d)
{
        char *text;
        size_t len;
        int r;

        r = buf_steal(b, &text, &len);
        if (r < 0)
                return r;
        r = doc_parse(d, text, len, NULL);
        if (r < 0 && d->limit)
                return -E2BIG;
        if (r == -EFBIG)
                return -E2BIG;
        return r;
}

static bool only_gap_after(const struct doc *d, size_t p)
{
        for (; p < d->size; p++)
                if (!is_blank(d->text[p]) && d->text[p] != '\n' && d->text[p] != '\r')
                        return false;
        return true;
}

/* Writes item's lines as a block sequence item at column indent. */
static void put_item(struct buf *b, const char *nl, unsigned indent, const char *text, size_t len,
                     bool commented, bool strip, const char *comments, bool comment_at_end)
{
        size_t p = 0;
        bool first = true;

        while (p <= len) {
                const char *lf = memchr(text + p, '\n', len - p);
                size_t end = lf ? (size_t)(lf - text) : len, s = p;
                size_t e2 = end;

                if (e2 > s && text[e2 - 1] == '\r')
                        e2--;
                if (!first && strip)
                        while (s < e2 && is_blank(text[s]))
                                s++;
                if (!first)
                        buf_adds(b, nl);
                if (first || s < e2 || commented) {
                        buf_spaces(b, indent);
                        if (commented)
                                buf_adds(b, "# ");
                        buf_adds(b, first ? "- " : "  ");
                }
                buf_add(b, text + s, e2 - s);
                if (comments && ((first && !comment_at_end) || (!lf && comment_at_end))) {
                        buf_adds(b, "  ");
                        buf_adds(b, comments);
                        comments = NULL;
                }
                first = false;
                if (!lf)
                        break;
                p = end + 1;
        }
}

/* Checks an item's YAML text where it will go: a block sequence item. */
static int check_item(const char *item, bool has_comment, bool *ret_comment_at_end)
{
        _cleanup_(doc_done) struct doc d = {0};
        struct buf b = {0};
        const struct enode *it;
        size_t len;
        int r;

        if (!item)
                return -EINVAL;
        len = strlen(item);
        if (len == 0 || len > YAML_TREE_MAX_SCALAR)
                return len == 0 ? -EINVAL : -E2BIG;
        if (strchr(item, '\r') || is_blank(item[0]) || item[0] == '\n')
                return -EINVAL;
        put_item(&b, "\n", 0, item, len, false, false, NULL, false);
        r = parse_alone(&b, &d);
        if (r < 0)
                return r;
        if (d.root->type != YNODE_SEQUENCE || d.root->flow || d.root->n_child != 1)
                return -EINVAL;
        it = d.root->child[0];
        if (it->empty || !only_gap_after(&d, it->end))
                return -EINVAL;
        *ret_comment_at_end = has_comment && line_of(&d, it->start) != last_line_of(&d, it) &&
                              d.line_last[line_of(&d, it->start)] == COVERED;
        return 0;
}

/* Checks a one-line value: in block context, and in flow context when it
 * goes inside a flow collection. */
static int check_value(const char *value, bool in_flow)
{
        _cleanup_(doc_done) struct doc d = {0};
        _cleanup_(doc_done) struct doc f = {0};
        struct buf b = {0};
        const struct enode *v;
        size_t len;
        int r;

        if (!value)
                return -EINVAL;
        len = strlen(value);
        if (len == 0 || len > YAML_TREE_MAX_SCALAR)
                return len == 0 ? -EINVAL : -E2BIG;
        if (strpbrk(value, "\r\n") || is_blank(value[0]))
                return -EINVAL;
        buf_adds(&b, "k: ");
        buf_add(&b, value, len);
        r = parse_alone(&b, &d);
        if (r < 0)
                return r;
        if (d.root->type != YNODE_MAPPING || d.root->flow || d.root->n_child != 2)
                return -EINVAL;
        v = d.root->child[1];
        if (v->empty || v->block_scalar || (v->type != YNODE_SCALAR && !v->flow) ||
            !only_gap_after(&d, v->end))
                return -EINVAL;
        if (!in_flow)
                return 0;
        buf_adds(&b, "[");
        buf_add(&b, value, len);
        buf_adds(&b, "]");
        r = parse_alone(&b, &f);
        if (r < 0)
                return r;
        return f.root->type == YNODE_SEQUENCE && f.root->n_child == 1 ? 0 : -EINVAL;
}

static bool valid_key(const char *k, size_t len)
{
        if (len == 0)
                return false;
        for (size_t i = 0; i < len; i++)
                if (!((k[i] >= 'a' && k[i] <= 'z') || (k[i] >= 'A' && k[i] <= 'Z') ||
                      (k[i] >= '0' && k[i] <= '9') || k[i] == '_' || k[i] == '-'))
                        return false;
        return k[0] != '-';
}

/* ------------------------------------------------------------------ */
/* Paths. */

static struct enode *mapping_get(const struct enode *m, const char *key, size_t len)
{
        for (size_t i = 0; i + 1 < m->n_child; i += 2)
                if (strlen(m->child[i]->value) == len && memcmp(m->child[i]->value, key, len) == 0)
                        return m->child[i + 1];
        return NULL;
}

/* Walks path through the original document. 0 and *ret: found. 1: a key
 * is missing; *ret is the mapping (or empty value) it would go into and
 * *ret_rest the path from that key on. -ENOENT: an index is out of range.
 * -EINVAL: a malformed path, or a step through the wrong kind of node. */
static int walk(const struct yaml_edit *e, const char *path, struct enode **ret,
                const char **ret_rest)
{
        struct enode *n = e->doc.root;
        const char *p = path;

        if (!path || strlen(path) > PATH_MAX_LEN)
                return -EINVAL;
        for (;;) {
                size_t klen = strcspn(p, ".[]");
                struct enode *v;

                if (klen == 0)
                        return -EINVAL;
                if (n->empty && is_map_value(n)) {
                        *ret = n;
                        *ret_rest = p;
                        return 1;
                }
                if (n->type != YNODE_MAPPING)
                        return -EINVAL;
                v = mapping_get(n, p, klen);
                if (!v) {
                        *ret = n;
                        *ret_rest = p;
                        return 1;
                }
                n = v;
                p += klen;
                while (*p == '[') {
                        char *end;
                        unsigned long i;

                        if (p[1] < '0' || p[1] > '9')
                                return -EINVAL;
                        errno = 0;
                        i = strtoul(p + 1, &end, 10);
                        if (errno != 0 || *end != ']' || i > YAML_TREE_MAX_NODES)
                                return -EINVAL;
                        if (n->type != YNODE_SEQUENCE)
                                return -EINVAL;
                        if (i >= n->n_child)
                                return -ENOENT;
                        n = n->child[i];
                        p = end + 1;
                }
                if (*p == '\0')
                        break;
                if (*p != '.')
                        return -EINVAL;
                p++;
        }
        *ret = n;
        return 0;
}

/* ------------------------------------------------------------------ */
/* Edit bookkeeping. */

static bool inside_removed(const struct enode *n)
{
        for (; n; n = n->parent)
                if (n->removed)
                        return true;
        return false;
}

static void mark_touched(struct enode *n)
{
        for (; n; n = n->parent)
                n->touched = true;
}

static bool claim_free(const struct yaml_edit *e, size_t start, size_t end)
{
        for (size_t i = 0; i < e->n_claims; i++)
                if (start < e->claims[i].end && e->claims[i].start < end)
                        return false;
        return true;
}

static bool comment_line_free(const struct yaml_edit *e, size_t line)
{
        for (size_t i = 0; i < e->n_comment_lines; i++)
                if (e->comment_lines[i] == line)
                        return false;
        return true;
}

/* Reserves room for two claims and one comment line, so that recording
 * them after the checks cannot fail. */
static int reserve(struct yaml_edit *e)
{
        struct span *s = realloc(e->claims, (e->n_claims + 2) * sizeof(*s));
        size_t *l;

        if (!s)
                return -ENOMEM;
        e->claims = s;
        l = realloc(e->comment_lines, (e->n_comment_lines + 1) * sizeof(*l));
        if (!l)
                return -ENOMEM;
        e->comment_lines = l;
        return 0;
}

static void claim(struct yaml_edit *e, size_t start, size_t end)
{
        if (end > start)
                e->claims[e->n_claims++] = (struct span){start, end};
}

static int budget(struct yaml_edit *e, size_t bytes)
{
        if (bytes > YAML_TREE_MAX_BYTES || e->added_bytes + bytes > YAML_TREE_MAX_BYTES)
                return -E2BIG;
        return 0;
}

/* Room for one more item, so that pushing it after other changes cannot
 * fail half-way. */
static int items_reserve(struct vitem **items, size_t n)
{
        struct vitem *a = realloc(*items, (n + 1) * sizeof(*a));

        if (!a)
                return -ENOMEM;
        *items = a;
        return 0;
}

static int items_push(struct vitem **items, size_t *n, char **text, char **comment,
                      bool comment_at_end)
{
        int r = items_reserve(items, *n);

        if (r < 0)
                return r;
        (*items)[(*n)++] = (struct vitem){.text = TAKE_PTR(*text),
                                          .comment = TAKE_PTR(*comment),
                                          .comment_at_end = comment_at_end};
        return 0;
}

static int vnodes_push(struct vnode ***list, size_t *n, struct vnode **v)
{
        struct vnode **a = realloc(*list, (*n + 1) * sizeof(*a));

        if (!a)
                return -ENOMEM;
        *list = a;
        a[(*n)++] = TAKE_PTR(*v);
        return 0;
}

/* The flow sequence f is to be written in block style: it must be the
 * value of a key in a block mapping. */
static int start_rewrite(struct yaml_edit *e, struct enode *f)
{
        const struct doc *d = &e->doc;
        size_t c, eol;

        if (f->rewrite)
                return 0;
        c = colon_end(d, f);
        if (c == SIZE_MAX || f->parent->flow)
                return -EINVAL;
        /* "[k: v]" pairs need their braces in block context. */
        for (size_t i = 0; i < f->n_child; i++)
                if (f->child[i]->type == YNODE_MAPPING && d->text[f->child[i]->start] != '{')
                        return -EINVAL;
        eol = line_eol(d, last_line_of(d, f));
        if (!claim_free(e, c, eol))
                return -EBUSY;
        claim(e, c, eol);
        f->rewrite = true;
        return 0;
}

/* Where new keys or items of a virtual container go, and the list the
 * next key is looked up in. */
static int vnode_walk(struct vnode ****list, size_t **n, const char **rest, struct vnode **ret)
{
        for (;;) {
                size_t klen = strcspn(*rest, ".");
                struct vnode *found = NULL;

                for (size_t i = 0; i < **n; i++)
                        if (strlen((**list)[i]->key) == klen &&
                            memcmp((**list)[i]->key, *rest, klen) == 0)
                                found = (**list)[i];
                if (!found) {
                        *ret = NULL;
                        return 0;
                }
                if ((*rest)[klen] == '\0') {
                        *ret = found;
                        return 0;
                }
                if (found->kind != VMAP)
                        return -EINVAL;
                *list = &found->child;
                *n = &found->n_child;
                *rest += klen + 1;
        }
}

static int check_rest(const char *rest)
{
        for (const char *p = rest;;) {
                size_t klen = strcspn(p, ".");

                if (!valid_key(p, klen))
                        return -EINVAL;
                if (p[klen] == '\0')
                        return 0;
                p += klen + 1;
        }
}

/* The chain of new keys rest ("a.b.c"), leading to a leaf of kind. */
static int vchain(const char *rest, enum vkind kind, struct vnode **ret_top,
                  struct vnode **ret_leaf)
{
        _cleanup_(vnode_freep) struct vnode *top = NULL;
        struct vnode *parent = NULL;

        for (const char *p = rest;;) {
                size_t klen = strcspn(p, ".");
                bool last = p[klen] == '\0';
                struct vnode *v = calloc(1, sizeof(*v));

                if (!v)
                        return -ENOMEM;
                v->kind = last ? kind : VMAP;
                v->key = strndup(p, klen);
                if (!v->key) {
                        vnode_free(v);
                        return -ENOMEM;
                }
                if (!parent)
                        top = v;
                else {
                        parent->child = calloc(1, sizeof(*parent->child));
                        if (!parent->child) {
                                vnode_free(v);
                                return -ENOMEM;
                        }
                        parent->child[0] = v;
                        parent->n_child = 1;
                }
                parent = v;
                if (last)
                        break;
                p += klen + 1;
        }
        *ret_leaf = parent;
        *ret_top = TAKE_PTR(top);
        return 0;
}

/* For a key missing under stop: finds or creates the virtual node at rest.
 * create: the kind of leaf to create, with the item or value moved in. */
struct vleaf {
        enum vkind kind;
        char **text;
        char **comment;
        bool comment_at_end;
};

static int add_virtual(struct yaml_edit *e, struct enode *stop, const char *rest,
                       const struct vleaf *leaf)
{
        struct vnode **dummy = NULL, ***list;
        size_t zero = 0, *n;
        struct vnode *found = NULL, *top = NULL, *leafnode = NULL;
        _cleanup_(vnode_freep) struct vnode *chain = NULL;
        _cleanup_(vnode_freep) struct vnode *fill = NULL;
        int r;

        r = check_rest(rest);
        if (r < 0)
                return r;
        if (inside_removed(stop))
                return -EBUSY;
        if (stop->type == YNODE_MAPPING) {
                if (stop->flow)
                        return -EINVAL;
                list = &stop->added;
                n = &stop->n_added;
        } else {
                /* An empty value: it becomes a mapping. */
                if (stop->replaced || stop->parent->flow || colon_end(&e->doc, stop) != stop->start)
                        return stop->replaced ? -EBUSY : -EINVAL;
                if (stop->filled && stop->filled->kind != VMAP)
                        return -EINVAL;
                if (stop->filled) {
                        list = &stop->filled->child;
                        n = &stop->filled->n_child;
                } else {
                        list = &dummy;
                        n = &zero;
                }
        }
        r = vnode_walk(&list, &n, &rest, &found);
        if (r < 0)
                return r;
        if (found) {
                if (leaf->kind != VSEQ)
                        return -EEXIST;
                if (found->kind != VSEQ)
                        return -EINVAL;
                r = items_push(&found->items, &found->n_items, leaf->text, leaf->comment,
                               leaf->comment_at_end);
                if (r < 0)
                        return r;
                mark_touched(stop);
                return 0;
        }
        r = vchain(rest, leaf->kind, &top, &leafnode);
        if (r < 0)
                return r;
        chain = top;
        if (leaf->kind == VSEQ)
                r = items_push(&leafnode->items, &leafnode->n_items, leaf->text, leaf->comment,
                               leaf->comment_at_end);
        else {
                leafnode->value = TAKE_PTR(*leaf->text);
                leafnode->comment = TAKE_PTR(*leaf->comment);
        }
        if (r < 0)
                return r;
        if (list == &dummy) {
                fill = calloc(1, sizeof(*fill));
                if (!fill)
                        return -ENOMEM;
                fill->kind = VMAP;
                r = vnodes_push(&fill->child, &fill->n_child, &chain);
                if (r < 0)
                        return r;
                stop->filled = TAKE_PTR(fill);
        } else {
                r = vnodes_push(list, n, &chain);
                if (r < 0)
                        return r;
        }
        mark_touched(stop);
        return 0;
}

/* ------------------------------------------------------------------ */
/* The edits. */

int yaml_edit_seq_append(struct yaml_edit *e, const char *path, const char *item,
                         const char *comment)
{
        _cleanup_free_ char *text = NULL, *c = NULL;
        struct enode *n;
        const char *rest;
        bool at_end = false;
        int r;

        if (!e)
                return -EINVAL;
        r = sanitize_comment(comment, &c);
        if (r < 0)
                return r;
        r = check_item(item, c != NULL, &at_end);
        if (r < 0)
                return r;
        r = budget(e, strlen(item) + (c ? strlen(c) : 0) + 64);
        if (r < 0)
                return r;
        text = strdup(item);
        if (!text)
                return -ENOMEM;
        r = reserve(e);
        if (r < 0)
                return r;

        r = walk(e, path, &n, &rest);
        if (r < 0)
                return r;
        if (r == 1) {
                struct vleaf leaf = {VSEQ, &text, &c, at_end};

                r = add_virtual(e, n, rest, &leaf);
        } else if (inside_removed(n))
                return -EBUSY;
        else if (n->type == YNODE_SEQUENCE) {
                if (n->replaced)
                        return -EBUSY;
                if (!n->flow && (n->n_child == 0 || n->child[0]->dash == SIZE_MAX))
                        return -EINVAL;
                r = items_reserve(&n->appended, n->n_appended);
                if (r == 0 && n->flow)
                        r = start_rewrite(e, n);
                if (r < 0)
                        return r;
                r = items_push(&n->appended, &n->n_appended, &text, &c, at_end);
                if (r == 0)
                        mark_touched(n);
        } else if (n->empty && is_map_value(n)) {
                _cleanup_(vnode_freep) struct vnode *fill = NULL;

                if (n->replaced)
                        return -EBUSY;
                if (n->parent->flow || colon_end(&e->doc, n) != n->start ||
                    (n->filled && n->filled->kind != VSEQ))
                        return -EINVAL;
                if (!n->filled) {
                        fill = calloc(1, sizeof(*fill));
                        if (!fill)
                                return -ENOMEM;
                        fill->kind = VSEQ;
                }
                r = items_push(fill ? &fill->items : &n->filled->items,
                               fill ? &fill->n_items : &n->filled->n_items, &text, &c, at_end);
                if (r < 0)
                        return r;
                if (fill)
                        n->filled = TAKE_PTR(fill);
                mark_touched(n);
        } else
                return -EINVAL;
        if (r < 0)
                return r;
        e->added_bytes += strlen(item) + (comment ? strlen(comment) : 0) + 64;
        e->n_edits++;
        return 0;
}

int yaml_edit_seq_remove(struct yaml_edit *e, const char *path, size_t index, const char *comment)
{
        _cleanup_free_ char *c = NULL;
        const struct doc *d;
        struct enode *s, *it;
        const char *rest;
        int r;

        if (!e)
                return -EINVAL;
        d = &e->doc;
        r = sanitize_comment(comment, &c);
        if (r < 0)
                return r;
        r = budget(e, (c ? strlen(c) : 0) + 64);
        if (r < 0)
                return r;
        r = reserve(e);
        if (r < 0)
                return r;
        r = walk(e, path, &s, &rest);
        if (r < 0)
                return r;
        if (r == 1)
                return -ENOENT;
        if (s->type != YNODE_SEQUENCE)
                return -EINVAL;
        if (index >= s->n_child)
                return -ENOENT;
        it = s->child[index];
        if (inside_removed(it) || it->touched || s->replaced)
                return -EBUSY;
        if (s->flow) {
                r = start_rewrite(e, s);
                if (r < 0)
                        return r;
        } else {
                size_t l0, l1;

                if (colon_end(d, s) == SIZE_MAX || s->parent->flow || it->dash == SIZE_MAX)
                        return -EINVAL;
                l0 = line_of(d, it->dash);
                if (line_first(d, l0) != it->dash)
                        return -EINVAL;
                l1 = line_of(d, it->end > it->dash ? it->end - 1 : it->dash);
                if (!claim_free(e, d->line_start[l0], line_eol(d, l1)))
                        return -EBUSY;
                claim(e, d->line_start[l0], line_eol(d, l1));
        }
        it->removed = true;
        it->remove_comment = TAKE_PTR(c);
        e->n_edits++;
        mark_touched(s);
        e->added_bytes += 64 + (it->remove_comment ? strlen(it->remove_comment) : 0);
        return 0;
}

/* The inner-most flow collection's outer-most flow ancestor: the node
 * whose last line takes a comment for n. */
static const struct enode *comment_anchor(const struct enode *n)
{
        const struct enode *a = n;

        for (const struct enode *p = n->parent; p; p = p->parent)
                if (p->flow)
                        a = p;
        return a;
}

static bool in_flow(const struct enode *n)
{
        for (const struct enode *p = n->parent; p; p = p->parent)
                if (p->flow)
                        return true;
        return false;
}

/* The old text for "(was: ...)": blanks and line breaks folded. */
static int was_text(const struct doc *d, const struct enode *n, char **ret)
{
        if (n->empty)
                return (*ret = strdup("empty")) ? 0 : -ENOMEM;
        return comment_text(d->text + n->start, n->end - n->start, WAS_MAX, ret);
}

/* The comment an edit of n writes: the span of n's comment line it
 * replaces, and its text "# comment (was: OLD; OLD-COMMENT)". */
static int comment_for(const struct yaml_edit *e, const struct enode *n, const char *c,
                       char **ret_text, size_t *ret_from, size_t *ret_to, size_t *ret_line)
{
        _cleanup_free_ char *was = NULL, *old = NULL;
        const struct doc *d = &e->doc;
        const struct enode *anchor = comment_anchor(n);
        size_t line = last_line_of(d, anchor);
        size_t cs = comment_start(d, line), eol = line_eol(d, line), from;
        struct buf b = {0};
        int r;

        if (!comment_line_free(e, line))
                return -EBUSY;
        r = was_text(d, n, &was);
        if (r < 0)
                return r;
        if (cs < eol) {
                from = cs;
                r = comment_text(d->text + cs + 1, eol - cs - 1, YAML_TREE_MAX_SCALAR, &old);
                if (r < 0)
                        return r;
        } else {
                /* No comment yet: it replaces the trailing blanks. */
                size_t floor = d->line_last[line] == COVERED ? eol : d->line_last[line];

                if (floor < anchor->end)
                        floor = anchor->end;
                from = eol;
                while (from > floor && is_blank(d->text[from - 1]))
                        from--;
                buf_adds(&b, "  ");
        }
        if (!claim_free(e, from, eol)) {
                buf_done(&b);
                return -EBUSY;
        }
        buf_adds(&b, "# ");
        buf_adds(&b, c);
        buf_adds(&b, " (was: ");
        buf_adds(&b, was ? was : "empty");
        if (old) {
                buf_adds(&b, "; ");
                buf_adds(&b, old);
        }
        buf_adds(&b, ")");
        r = buf_steal(&b, ret_text, NULL);
        if (r < 0)
                return r;
        *ret_from = from;
        *ret_to = eol;
        *ret_line = line;
        return 0;
}

/* Where n's replacement starts. A value on a line of its own may sit where
 * a one-line value may not ("key:\n|\n text"): the replacement goes
 * right after the ':' or '-', as does the value of an empty one. */
static int replace_start(const struct doc *d, const struct enode *n, size_t *ret)
{
        size_t at = SIZE_MAX;

        if (is_map_value(n) && !n->parent->flow)
                at = colon_end(d, n);
        else if (n->dash != SIZE_MAX)
                at = n->dash + 1;
        if (n->empty) {
                if (at != n->start)
                        return -EINVAL;
        } else if (at == SIZE_MAX || line_of(d, at) == line_of(d, n->start))
                at = n->start;
        *ret = at;
        return 0;
}

int yaml_edit_scalar_set(struct yaml_edit *e, const char *path, const char *value,
                         const char *comment)
{
        _cleanup_free_ char *c = NULL, *v = NULL, *nc = NULL;
        struct enode *n;
        const char *rest;
        size_t from = 0, to = 0, line = 0;
        int r;

        if (!e)
                return -EINVAL;
        r = sanitize_comment(comment, &c);
        if (r < 0)
                return r;
        r = reserve(e);
        if (r < 0)
                return r;
        r = walk(e, path, &n, &rest);
        if (r < 0)
                return r;
        if (r == 1)
                return -ENOENT;
        if (n == e->doc.root || (n->type != YNODE_SCALAR && !n->flow))
                return -EINVAL;
        r = replace_start(&e->doc, n, &from);
        if (r < 0)
                return r;
        r = check_value(value, in_flow(n));
        if (r < 0)
                return r;
        r = budget(e, strlen(value) + (c ? strlen(c) : 0) + WAS_MAX + 64);
        if (r < 0)
                return r;
        if (inside_removed(n) || n->touched || !claim_free(e, from, n->end))
                return -EBUSY;
        n->replace_from = from;
        if (c) {
                r = comment_for(e, n, c, &nc, &from, &to, &line);
                if (r < 0)
                        return r;
        }
        if (asprintf(&v, "%s%s", n->replace_from < n->start || n->empty ? " " : "", value) < 0) {
                v = NULL;
                return -ENOMEM;
        }

        claim(e, n->replace_from, n->end);
        if (nc) {
                claim(e, from, to);
                e->comment_lines[e->n_comment_lines++] = line;
                n->comment_from = from;
                n->comment_to = to;
        }
        e->added_bytes += strlen(v) + (nc ? strlen(nc) : 0);
        n->new_value = TAKE_PTR(v);
        n->new_comment = TAKE_PTR(nc);
        n->replaced = true;
        mark_touched(n);
        e->n_edits++;
        return 0;
}

int yaml_edit_item_set(struct yaml_edit *e, const char *seq_path, size_t index, const char *key,
                       const char *value, const char *comment)
{
        _cleanup_free_ char *path = NULL;

        if (!seq_path || !key || key[0] == '\0' || strpbrk(key, ".[]"))
                return -EINVAL;
        if (asprintf(&path, "%s[%zu].%s", seq_path, index, key) < 0) {
                path = NULL;
                return -ENOMEM;
        }
        return yaml_edit_scalar_set(e, path, value, comment);
}

int yaml_edit_map_set(struct yaml_edit *e, const char *path, const char *value, const char *comment)
{
        _cleanup_free_ char *c = NULL, *v = NULL;
        struct enode *n;
        const char *rest;
        int r;

        if (!e)
                return -EINVAL;
        r = sanitize_comment(comment, &c);
        if (r < 0)
                return r;
        r = walk(e, path, &n, &rest);
        if (r < 0)
                return r;
        if (r == 0)
                return -EEXIST;
        r = check_value(value, false);
        if (r < 0)
                return r;
        r = budget(e, strlen(path) + strlen(value) + (c ? strlen(c) : 0) + 64);
        if (r < 0)
                return r;
        v = strdup(value);
        if (!v)
                return -ENOMEM;
        r = add_virtual(e, n, rest, &(struct vleaf){VSCALAR, &v, &c, false});
        if (r < 0)
                return r;
        e->added_bytes += strlen(path) + strlen(value) + 64;
        e->n_edits++;
        return 0;
}

/* ------------------------------------------------------------------ */
/* Reading the original. */

static int find_seq(const struct yaml_edit *e, const char *path, const struct enode **ret)
{
        struct enode *n;
        const char *rest;
        int r;

        if (!e)
                return -EINVAL;
        r = walk(e, path, &n, &rest);
        if (r < 0)
                return r;
        if (r == 1 || n->empty) {
                *ret = NULL;
                return 0;
        }
        if (n->type != YNODE_SEQUENCE)
                return -EINVAL;
        *ret = n;
        return 0;
}

int yaml_edit_seq_len(const struct yaml_edit *e, const char *path, size_t *ret_n)
{
        const struct enode *s;
        int r = find_seq(e, path, &s);

        if (r < 0)
                return r;
        *ret_n = s ? s->n_child : 0;
        return 0;
}

/* The scalar of item (key NULL) or of its key; NULL if there is none. */
static const struct enode *item_scalar(const struct enode *item, const char *key, int *ret_err)
{
        const struct enode *v = item;

        if (key) {
                if (item->type != YNODE_MAPPING) {
                        *ret_err = -EINVAL;
                        return NULL;
                }
                v = mapping_get(item, key, strlen(key));
                if (!v) {
                        *ret_err = -ENOENT;
                        return NULL;
                }
        }
        if (v->type != YNODE_SCALAR) {
                *ret_err = -EINVAL;
                return NULL;
        }
        return v;
}

int yaml_edit_seq_item(const struct yaml_edit *e, const char *path, size_t index, const char *key,
                       const char **ret_value)
{
        const struct enode *s, *v;
        int r = find_seq(e, path, &s);

        if (r < 0)
                return r;
        if (!s || index >= s->n_child)
                return -ENOENT;
        v = item_scalar(s->child[index], key, &r);
        if (!v)
                return r;
        *ret_value = v->value;
        return 0;
}

int yaml_edit_seq_find(const struct yaml_edit *e, const char *path, const char *key,
                       const char *value, size_t *ret_index)
{
        const struct enode *s;
        int r = find_seq(e, path, &s);

        if (r < 0)
                return r;
        if (!value)
                return -EINVAL;
        for (size_t i = 0; s && i < s->n_child; i++) {
                int ignored;
                const struct enode *v = item_scalar(s->child[i], key, &ignored);

                if (v && strcmp(v->value, value) == 0) {
                        *ret_index = i;
                        return 0;
                }
        }
        return -ENOENT;
}

/* ------------------------------------------------------------------ */
/* Writing the result: splices against the original, applied in order. */

struct splice {
        size_t start, end;
        unsigned depth; /* at one offset, the inner container's text first */
        size_t seq;
        char *text;
        size_t len;
};

struct splices {
        struct splice *v;
        size_t n;
};

static void splices_done(struct splices *s)
{
        for (size_t i = 0; i < s->n; i++)
                free(s->v[i].text);
        free(s->v);
        *s = (struct splices){0};
}

static int splice_add(struct splices *s, size_t start, size_t end, unsigned depth, struct buf *b)
{
        struct splice *v;
        char *text;
        size_t len;
        int r;

        r = buf_steal(b, &text, &len);
        if (r < 0)
                return r;
        v = realloc(s->v, (s->n + 1) * sizeof(*v));
        if (!v) {
                free(text);
                return -ENOMEM;
        }
        s->v = v;
        v[s->n] = (struct splice){start, end, depth, s->n, text, len};
        s->n++;
        return 0;
}

static int splice_cmp(const void *a, const void *b)
{
        const struct splice *x = a, *y = b;

        if (x->start != y->start)
                return x->start < y->start ? -1 : 1;
        if (x->depth != y->depth)
                return x->depth > y->depth ? -1 : 1;
        return x->seq < y->seq ? -1 : (x->seq > y->seq);
}

static void put_vitem(const struct yaml_edit *e, struct buf *b, unsigned indent,
                      const struct vitem *it)
{
        _cleanup_free_ char *c = NULL;

        if (it->comment && asprintf(&c, "# %s", it->comment) < 0) {
                c = NULL;
                b->err = -ENOMEM;
                return;
        }
        buf_adds(b, e->nl);
        put_item(b, e->nl, indent, it->text, strlen(it->text), false, false, c, it->comment_at_end);
}

static void put_vnode(const struct yaml_edit *e, struct buf *b, const struct vnode *v, unsigned col)
{
        buf_adds(b, e->nl);
        buf_spaces(b, col);
        buf_adds(b, v->key);
        buf_adds(b, ":");
        switch (v->kind) {
        case VSCALAR:
                buf_adds(b, " ");
                buf_adds(b, v->value);
                if (v->comment) {
                        buf_adds(b, "  # ");
                        buf_adds(b, v->comment);
                }
                break;
        case VSEQ:
                for (size_t i = 0; i < v->n_items; i++)
                        put_vitem(e, b, col + e->seq_indent, &v->items[i]);
                break;
        case VMAP:
                for (size_t i = 0; i < v->n_child; i++)
                        put_vnode(e, b, v->child[i], col + e->map_indent);
                break;
        default:
                b->err = -EINVAL;
        }
}

/* A removed block item: its lines commented out at the dash's column. */
static void put_block_removal(const struct yaml_edit *e, struct buf *b, const struct enode *it,
                              size_t *ret_from, size_t *ret_to)
{
        const struct doc *d = &e->doc;
        size_t l0 = line_of(d, it->dash),
               l1 = line_of(d, it->end > it->dash ? it->end - 1 : it->dash);
        size_t dcol = it->dash - d->line_start[l0];

        for (size_t l = l0; l <= l1; l++) {
                size_t ls = d->line_start[l], le = line_eol(d, l), fnb, at;

                if (l > l0) {
                        size_t prev = line_eol(d, l - 1);

                        buf_add(b, d->text + prev, ls - prev);
                }
                if (l == l0) {
                        size_t end = le;

                        if (it->remove_comment)
                                while (end > it->dash && is_blank(d->text[end - 1]))
                                        end--;
                        buf_add(b, d->text + ls, dcol);
                        buf_adds(b, "# ");
                        buf_add(b, d->text + it->dash, end - it->dash);
                        if (it->remove_comment) {
                                buf_adds(b, "  # ");
                                buf_adds(b, it->remove_comment);
                        }
                        continue;
                }
                fnb = line_first(d, l);
                if (fnb == le || d->text[fnb] == '#') {
                        buf_add(b, d->text + ls, le - ls);
                        continue;
                }
                at = ls + dcol < fnb ? ls + dcol : fnb;
                buf_add(b, d->text + ls, at - ls);
                buf_adds(b, "# ");
                buf_add(b, d->text + at, le - at);
        }
        *ret_from = d->line_start[l0];
        *ret_to = line_eol(d, l1);
}

static void join_comment(struct buf *b, const char *s, size_t len)
{
        if (b->n > 0)
                buf_adds(b, "  ");
        buf_add(b, s, len);
}

/* A flow sequence written again in block style, from its key's ':' to the
 * end of its last line. Comments inside the brackets stay with the item
 * before them; comments around the brackets stay on the key's line. */
static int put_rewrite(const struct yaml_edit *e, struct buf *b, const struct enode *f,
                       size_t *ret_from, size_t *ret_to)
{
        const struct doc *d = &e->doc;
        size_t c0 = colon_end(d, f), l1 = last_line_of(d, f);
        unsigned indent = key_of(f)->col + e->seq_indent;
        struct buf keyc = {0};
        struct buf *itemc = NULL;
        bool all_removed = f->n_appended == 0;
        int r = 0;

        if (c0 == SIZE_MAX)
                return -EINVAL;
        if (f->n_child > 0) {
                itemc = calloc(f->n_child, sizeof(*itemc));
                if (!itemc)
                        return -ENOMEM;
        }
        for (size_t l = line_of(d, c0); l <= l1; l++) {
                size_t cs = comment_start(d, l), le = line_eol(d, l), ce = le, target = 0;
                bool inside = false;

                if (cs >= le || cs < c0)
                        continue;
                while (ce > cs && is_blank(d->text[ce - 1]))
                        ce--;
                for (size_t i = 0; i < f->n_child; i++) {
                        if (f->child[i]->start <= cs && cs < f->child[i]->end)
                                inside = true;
                        if (f->child[i]->end <= cs)
                                target = i;
                }
                if (inside)
                        continue;
                if (cs < f->start || cs >= f->end || f->n_child == 0)
                        join_comment(&keyc, d->text + cs, ce - cs);
                else
                        join_comment(&itemc[target], d->text + cs, ce - cs);
        }
        for (size_t i = 0; i < f->n_child; i++)
                all_removed = all_removed && f->child[i]->removed;
        if (all_removed)
                buf_adds(b, " []");
        if (keyc.n > 0) {
                buf_adds(b, "  ");
                buf_add(b, keyc.p, keyc.n);
        }
        for (size_t i = 0; i < f->n_child; i++) {
                const struct enode *it = f->child[i];
                size_t l = line_of(d, it->start);
                bool at_end = l != last_line_of(d, it) && d->line_last[l] == COVERED;

                if (it->removed && it->remove_comment) {
                        join_comment(&itemc[i], "# ", 2);
                        buf_adds(&itemc[i], it->remove_comment);
                }
                buf_adds(b, e->nl);
                put_item(b, e->nl, indent, d->text + it->start, it->end - it->start, it->removed,
                         true, itemc[i].n > 0 ? itemc[i].p : NULL, at_end);
                if (itemc[i].err < 0)
                        r = itemc[i].err;
        }
        for (size_t i = 0; i < f->n_appended; i++)
                put_vitem(e, b, indent, &f->appended[i]);
        if (keyc.err < 0)
                r = keyc.err;
        buf_done(&keyc);
        for (size_t i = 0; i < f->n_child; i++)
                buf_done(&itemc[i]);
        free(itemc);
        *ret_from = c0;
        *ret_to = line_eol(d, l1);
        return r;
}

/* Where new top-level keys go: after the document's last line with text
 * (before an explicit "..." end). */
static size_t root_end(const struct doc *d)
{
        size_t end = d->doc_end, l;

        if (end == 0)
                return 0;
        for (l = line_of(d, end - 1);; l--) {
                size_t to = line_eol(d, l) < end ? line_eol(d, l) : end;

                for (size_t p = d->line_start[l]; p < to; p++)
                        if (!is_blank(d->text[p]) && d->text[p] != '\r')
                                return to;
                if (l == 0)
                        return d->line_start[0];
        }
}

/* Where " []" goes when every item of block sequence n is removed: after
 * its key's ':', or after its tag ("k: !!seq []"). */
static size_t empty_at(const struct doc *d, const struct enode *n)
{
        size_t p = n->start;

        if (p < d->size && d->text[p] == '-')
                return colon_end(d, n);
        while (p < d->size && !is_blank(d->text[p]) && d->text[p] != '\r' && d->text[p] != '\n')
                p++;
        return p;
}

static int collect(const struct yaml_edit *e, const struct enode *n, struct splices *sp)
{
        const struct doc *d = &e->doc;
        struct buf b = {0};
        size_t from, to;
        int r;

        if (n->replaced) {
                buf_adds(&b, n->new_value);
                r = splice_add(sp, n->replace_from, n->end, n->depth, &b);
                if (r < 0)
                        return r;
                if (n->new_comment) {
                        buf_adds(&b, n->new_comment);
                        r = splice_add(sp, n->comment_from, n->comment_to, n->depth, &b);
                        if (r < 0)
                                return r;
                }
        }
        if (n->type == YNODE_SEQUENCE && n->flow && n->rewrite) {
                r = put_rewrite(e, &b, n, &from, &to);
                if (r < 0) {
                        buf_done(&b);
                        return r;
                }
                r = splice_add(sp, from, to, n->depth, &b);
                if (r < 0)
                        return r;
        }
        if (n->type == YNODE_SEQUENCE && !n->flow) {
                bool all_removed = n->n_appended == 0;

                for (size_t i = 0; i < n->n_child; i++) {
                        all_removed = all_removed && n->child[i]->removed;
                        if (!n->child[i]->removed)
                                continue;
                        put_block_removal(e, &b, n->child[i], &from, &to);
                        r = splice_add(sp, from, to, n->depth + 1, &b);
                        if (r < 0)
                                return r;
                }
                for (size_t i = 0; i < n->n_appended; i++)
                        put_vitem(e, &b, content_col(d, n), &n->appended[i]);
                if (n->n_appended > 0) {
                        to = line_eol(d, last_line_of(d, n));
                        r = splice_add(sp, to, to, n->depth, &b);
                        if (r < 0)
                                return r;
                }
                if (all_removed) {
                        from = empty_at(d, n);
                        if (from == SIZE_MAX)
                                return -EINVAL;
                        buf_adds(&b, " []");
                        r = splice_add(sp, from, from, n->depth, &b);
                        if (r < 0)
                                return r;
                }
        }
        if (n->type == YNODE_MAPPING && n->n_added > 0) {
                bool root = n == d->root;

                for (size_t i = 0; i < n->n_added; i++) {
                        if (root && e->spaced_sections && n->added[i]->kind != VSCALAR)
                                buf_adds(&b, e->nl);
                        put_vnode(e, &b, n->added[i], content_col(d, n));
                }
                to = root ? root_end(d) : line_eol(d, last_line_of(d, n));
                r = splice_add(sp, to, to, n->depth, &b);
                if (r < 0)
                        return r;
        }
        if (n->filled) {
                unsigned col = key_of(n)->col;

                if (n->filled->kind == VSEQ)
                        for (size_t i = 0; i < n->filled->n_items; i++)
                                put_vitem(e, &b, col + e->seq_indent, &n->filled->items[i]);
                else
                        for (size_t i = 0; i < n->filled->n_child; i++)
                                put_vnode(e, &b, n->filled->child[i], col + e->map_indent);
                to = line_eol(d, line_of(d, n->start));
                r = splice_add(sp, to, to, n->depth, &b);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < n->n_child; i++) {
                r = collect(e, n->child[i], sp);
                if (r < 0)
                        return r;
        }
        return 0;
}

int yaml_edit_result(const struct yaml_edit *e, char **ret_text, size_t *ret_size)
{
        _cleanup_(splices_done) struct splices sp = {0};
        _cleanup_(doc_done) struct doc check = {0};
        const struct doc *d;
        struct buf out = {0};
        size_t at = 0;
        char *text;
        size_t len;
        int r;

        if (!e)
                return -EINVAL;
        d = &e->doc;
        r = collect(e, d->root, &sp);
        if (r < 0)
                return r;
        if (sp.n > 1)
                qsort(sp.v, sp.n, sizeof(*sp.v), splice_cmp);
        for (size_t i = 0; i < sp.n; i++) {
                if (sp.v[i].start < at || sp.v[i].end < sp.v[i].start) {
                        buf_done(&out);
                        return -EBADMSG; /* two edits overlap: a bug of the claims */
                }
                buf_add(&out, d->text + at, sp.v[i].start - at);
                buf_add(&out, sp.v[i].text, sp.v[i].len);
                at = sp.v[i].end;
        }
        buf_add(&out, d->text + at, d->size - at);
        r = buf_steal(&out, &text, &len);
        if (r < 0)
                return r;

        /* The promise: what comes out reads again, within the same bounds. */
        r = doc_parse(&check, text, len, NULL);
        text = TAKE_PTR(check.text);
        if (r < 0 || check.root->type != YNODE_MAPPING) {
                bool limit = check.limit || r == -EFBIG;

                free(text);
                return r == -ENOMEM ? r : limit ? -E2BIG : -EBADMSG;
        }
        *ret_text = text;
        *ret_size = len;
        return 0;
}
