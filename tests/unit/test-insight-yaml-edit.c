/* SPDX-License-Identifier: MIT */
/* The YAML text editor: a table of documents, edits and the exact text
 * they must give (byte for byte), every result read again by the policy
 * YAML reader; malformed input with located errors; and realistic edits of
 * the shipped profiles that the policy loader must accept, with the
 * intended change in the model. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "base/fileio.h"
#include "insight/yaml-edit.h"
#include "policy/policy-load.h"
#include "policy/yaml-tree.h"
#include "testing.h"

struct edit {
        char op; /* a: seq_append r: seq_remove s: scalar_set i: item_set m: map_set */
        const char *path;
        const char *arg; /* item or value */
        size_t index;
        const char *key;
        const char *comment;
        int ret;
};

/* clang-format off */
#define A(p, item, c)            {'a', p, item, 0, NULL, c, 0}
#define R(p, i, c)               {'r', p, NULL, i, NULL, c, 0}
#define S(p, v, c)               {'s', p, v, 0, NULL, c, 0}
#define I(p, i, k, v, c)         {'i', p, v, i, k, c, 0}
#define M(p, v, c)               {'m', p, v, 0, NULL, c, 0}
#define FAILS(op, p, a, i, r_)   {op, p, a, i, "k", NULL, r_}
#define FAILS_C(op, p, a, c, r_) {op, p, a, 0, "k", c, r_}
/* clang-format on */

static const struct {
        const char *name;
        const char *in;
        struct edit edits[6];
        const char *out; /* NULL: the input, unchanged */
} cases[] = {
    {"append to a block sequence",
     "a:\n  - x\n  - y\nb: 1\n",
     {A("a", "z", "why")},
     "a:\n  - x\n  - y\n  - z  # why\nb: 1\n"},
    {"append to an empty flow sequence",
     "allow: []\nb: 1\n",
     {A("allow", "x", "c")},
     "allow:\n  - x  # c\nb: 1\n"},
    {"append to a flow sequence: items kept verbatim, the line's comment stays on the key",
     "k:\n  in: [a, \"b\"]  # tail\n",
     {A("k.in", "c", "c")},
     "k:\n  in:  # tail\n    - a\n    - \"b\"\n    - c  # c\n"},
    {"comments inside a flow sequence stay with the item before them",
     "l: [a,  # first\n    b]  # tail\nm: 1\n",
     {A("l", "c", NULL)},
     "l:  # tail\n  - a  # first\n  - b\n  - c\nm: 1\n"},
    {"missing key: at the end of its mapping",
     "s:\n  x: 1\nt: 2\n",
     {A("s.list", "a", "c")},
     "s:\n  x: 1\n  list:\n    - a  # c\nt: 2\n"},
    {"missing section: at the end, after a blank line like the others",
     "a: 1\n\nb:\n  c: 2\n",
     {A("n.list", "x", "c")},
     "a: 1\n\nb:\n  c: 2\n\nn:\n  list:\n    - x  # c\n"},
    {"mapping item: continuation lines under the content",
     "files:\n  - path: /a\n    access: r\n",
     {A("files", "path: /b\naccess: rw", "c")},
     "files:\n  - path: /a\n    access: r\n  - path: /b  # c\n    access: rw\n"},
    {"an empty value becomes the sequence",
     "l:\nm: 1\n",
     {A("l", "a", "c"), A("l", "b", NULL)},
     "l:\n  - a  # c\n  - b\nm: 1\n"},
    {"an empty value becomes a mapping",
     "s:\nm: 1\n",
     {M("s.k", "v", NULL), A("s.l", "x", NULL)},
     "s:\n  k: v\n  l:\n    - x\nm: 1\n"},
    {"indentless sequences: new ones follow",
     "l:\n- a\nm:\n- b\n",
     {A("m", "x", NULL), A("n", "y", NULL)},
     "l:\n- a\nm:\n- b\n- x\nn:\n- y\n"},
    {"indentation of 4",
     "a:\n    b:\n        - x\n",
     {A("a.c", "y", NULL)},
     "a:\n    b:\n        - x\n    c:\n        - y\n"},
    {"nested insertions at one spot: inner container first, any call order",
     "s:\n  l:\n    - a\n",
     {M("t", "1", NULL), M("s.k", "v", NULL), A("s.l", "b", NULL)},
     "s:\n  l:\n    - a\n    - b\n  k: v\nt: 1\n"},
    {"appends come out in call order",
     "l:\n  - a\n",
     {A("l", "b", NULL), A("l", "c", NULL), A("l", "d", NULL)},
     "l:\n  - a\n  - b\n  - c\n  - d\n"},
    {"remove a one-line item",
     "l:\n  - a\n  - b\n  - c\n",
     {R("l", 1, "gone")},
     "l:\n  - a\n  # - b  # gone\n  - c\n"},
    {"remove a multi-line mapping item, its own comments kept",
     "f:\n  - path: /a   # A\n    # inner\n    access: r\n  - path: /b\n",
     {R("f", 0, "why")},
     "f:\n  # - path: /a   # A  # why\n    # inner\n  #   access: r\n  - path: /b\n"},
    {"remove an item with a trailing comment",
     "l:\n  - a   # first\n  - b\n",
     {R("l", 0, "why")},
     "l:\n  # - a   # first  # why\n  - b\n"},
    {"remove the last item, then append",
     "l:\n  - a\n  - b\nm: 1\n",
     {R("l", 1, "r"), A("l", "c", "n")},
     "l:\n  - a\n  # - b  # r\n  - c  # n\nm: 1\n"},
    {"append, then remove the last item: same text",
     "l:\n  - a\n  - b\nm: 1\n",
     {A("l", "c", "n"), R("l", 1, "r")},
     "l:\n  - a\n  # - b  # r\n  - c  # n\nm: 1\n"},
    {"remove every item: the key gets []",
     "l:\n  - a\n  - b\nm: 1\n",
     {R("l", 0, NULL), R("l", 1, NULL)},
     "l: []\n  # - a\n  # - b\nm: 1\n"},
    {"remove from a flow sequence",
     "l: [a, b, c]\n",
     {R("l", 1, "c")},
     "l:\n  - a\n  # - b  # c\n  - c\n"},
    {"remove the only item of a flow sequence",
     "l: [a]  # t\n",
     {R("l", 0, "r")},
     "l: []  # t\n  # - a  # r\n"},
    {"scalar without a comment", "a: 1\nb: x\n", {S("b", "y", "c")}, "a: 1\nb: y  # c (was: x)\n"},
    {"scalar with a comment: replaced, the old one kept after 'was'",
     "b: x   # old note\n",
     {S("b", "y", "c")},
     "b: y   # c (was: x; old note)\n"},
    {"scalar set without a reason keeps the line's comment",
     "b: x  # keep\n",
     {S("b", "\"y z\"", NULL)},
     "b: \"y z\"  # keep\n"},
    {"scalar item of a sequence",
     "l:\n  - a\n  - b\n",
     {S("l[1]", "c", "x")},
     "l:\n  - a\n  - c  # x (was: b)\n"},
    {"empty value set", "a:\nb: 1\n", {S("a", "2", "c")}, "a: 2  # c (was: empty)\nb: 1\n"},
    {"item_set on conditions",
     "c:\n  - syscall: socket\n    in: [A, B, C]  # note\n",
     {I("c", 0, "in", "[A, B]", "why")},
     "c:\n  - syscall: socket\n    in: [A, B]  # why (was: [A, B, C]; note)\n"},
    {"item_set of a flow value over two lines",
     "c:\n  - syscall: clone\n    none_of: [A, B,\n              C]\n",
     {I("c", 0, "none_of", "[A]", "why")},
     "c:\n  - syscall: clone\n    none_of: [A]  # why (was: [A, B, C])\n"},
    {"CRLF: new lines end like the others",
     "a:\r\n  - x\r\nb: 1\r\n",
     {A("a", "y", "c"), S("b", "2", "d"), R("a", 0, NULL)},
     "a:\r\n  # - x\r\n  - y  # c\r\nb: 2  # d (was: 1)\r\n"},
    {"tabs as separators",
     "a:\n  - x\t# t\n  - y\nb:\tv\n",
     {R("a", 0, "r"), S("b", "w", "c")},
     "a:\n  # - x\t# t  # r\n  - y\nb:\tw  # c (was: v)\n"},
    {"a tab inside a block scalar is its text",
     "a: |\n  x\n  \ty\nb: 1\n",
     {S("b", "2", NULL)},
     "a: |\n  x\n  \ty\nb: 2\n"},
    {"comment lines between items",
     "l:\n  - a\n  # note about b\n  - b\n  - c\n",
     {R("l", 1, "r"), A("l", "d", "n")},
     "l:\n  - a\n  # note about b\n  # - b  # r\n  - c\n  - d  # n\n"},
    {"no trailing newline",
     "l:\n  - a",
     {A("l", "b", "c"), R("l", 0, "r")},
     "l:\n  # - a  # r\n  - b  # c"},
    {"explicit document end", "a: 1\n...\n", {M("b", "2", NULL)}, "a: 1\nb: 2\n...\n"},
    {"UTF-8 text around the edits",
     "d: é é  # ü\nl: [ä]\n",
     {A("l", "ö", "ß"), S("d", "x", "c")},
     "d: x  # c (was: é é; ü)\nl:\n  - ä\n  - ö  # ß\n"},
    {"a comment is one line of printable text",
     "l: []\n",
     {A("l", "a", "one\ntwo\r\tthree\x01")},
     "l:\n  - a  # one two three\n"},
    {"a multi-line item whose first line is inside a string: the comment goes last",
     "l: []\n",
     {A("l", "\"a\n b\"", "c")},
     "l:\n  - \"a\n     b\"  # c\n"},
    {"tags before a collection: items and keys line up with the others, [] after the tag",
     "k: !!seq\n  - a\nl: !!seq\n  - b\nm: !!map\n  x: 1\nn:\n  !\n   k: v\n",
     {R("k", 0, NULL), A("l", "c", NULL), M("m.y", "2", NULL), M("n.z", "3", NULL)},
     "k: !!seq []\n  # - a\nl: !!seq\n  - b\n  - c\nm: !!map\n  x: 1\n  y: 2\nn:\n  !\n   k: v\n"
     "   z: 3\n"},
    {"a '? key' with no value ends with its key",
     "a:\n  ? x\nb: 1\n",
     {M("a.y", "2", NULL)},
     "a:\n  ? x\n  y: 2\nb: 1\n"},
    {"map_set",
     "s:\n  a: 1\n",
     {M("s.b", "\"x\"", "new"), FAILS('m', "s.a", "2", 0, -EEXIST)},
     "s:\n  a: 1\n  b: \"x\"  # new\n"},
    /* Conflicts: the second edit fails and changes nothing. */
    {"the same item twice",
     "l:\n  - a\n",
     {R("l", 0, NULL), FAILS('r', "l", NULL, 0, -EBUSY)},
     "l: []\n  # - a\n"},
    {"inside a removed item",
     "l:\n  - k: a\n    m: [x]\n",
     {R("l", 0, NULL), FAILS('s', "l[0].k", "b", 0, -EBUSY), FAILS('a', "l[0].m", "y", 0, -EBUSY),
      FAILS('m', "l[0].n", "y", 0, -EBUSY)},
     "l: []\n  # - k: a\n  #   m: [x]\n"},
    {"removing an item something was added to",
     "l:\n  - k: [a]\n",
     {A("l[0].k", "b", NULL), FAILS('r', "l", NULL, 0, -EBUSY)},
     "l:\n  - k:\n      - a\n      - b\n"},
    {"replaced flow sequence, then an append to it",
     "c:\n  - in: [a]\n",
     {I("c", 0, "in", "[b]", NULL), FAILS('a', "c[0].in", "x", 0, -EBUSY)},
     "c:\n  - in: [b]\n"},
    {"rewritten flow sequence, then one of its items",
     "l: [a, b]\n",
     {A("l", "c", NULL), FAILS('s', "l[0]", "x", 0, -EBUSY)},
     "l:\n  - a\n  - b\n  - c\n"},
    {"two comments for one line",
     "m: {a: 1, b: 2}\n",
     {S("m.a", "3", "c1"), FAILS_C('s', "m.b", "4", "c2", -EBUSY), S("m.b", "5", NULL)},
     "m: {a: 3, b: 5}  # c1 (was: 1)\n"},
    {"the same scalar twice",
     "a: 1\n",
     {S("a", "2", NULL), FAILS('s', "a", "3", 0, -EBUSY)},
     "a: 2\n"},
    /* Refused: nothing changes. */
    {"wrong kinds of node",
     "a: 1\nl:\n  - x\nm: {a: 1}\n",
     {FAILS('a', "a", "x", 0, -EINVAL), FAILS('s', "l", "x", 0, -EINVAL),
      FAILS('a', "m.l", "x", 0, -EINVAL), FAILS('r', "a", NULL, 0, -EINVAL),
      FAILS('a', "a.b", "x", 0, -EINVAL)},
     NULL},
    {"missing things",
     "l:\n  - x\n",
     {FAILS('s', "b", "x", 0, -ENOENT), FAILS('r', "l", NULL, 1, -ENOENT),
      FAILS('s', "l[3]", "x", 0, -ENOENT), FAILS('r', "nope", NULL, 0, -ENOENT)},
     NULL},
    {"bad paths",
     "a:\n  b: 1\n",
     {FAILS('s', "a..b", "x", 0, -EINVAL), FAILS('s', "a[x]", "x", 0, -EINVAL),
      FAILS('s', "", "x", 0, -EINVAL), FAILS('s', "a.b.", "x", 0, -EINVAL),
      FAILS('a', "a.new key", "x", 0, -EINVAL)},
     NULL},
    {"bad text passed in",
     "l: [x]\nk: v\n",
     {FAILS('a', "l", "a: b: c", 0, -EINVAL), FAILS('a', "l", "", 0, -EINVAL),
      FAILS('s', "k", "a\nb", 0, -EINVAL), FAILS('s', "l[0]", "a, b", 0, -EINVAL),
      FAILS('s', "k", "x # c", 0, -EINVAL), FAILS('a', "l", "  x", 0, -EINVAL)},
     NULL},
    {"a value fit for block context only where it goes",
     "k: v\n",
     {S("k", "a, b", NULL)},
     "k: a, b\n"},
};

static void apply(struct yaml_edit *e, const struct edit *ed)
{
        int r = -1;

        switch (ed->op) {
        case 'a':
                r = yaml_edit_seq_append(e, ed->path, ed->arg, ed->comment);
                break;
        case 'r':
                r = yaml_edit_seq_remove(e, ed->path, ed->index, ed->comment);
                break;
        case 's':
                r = yaml_edit_scalar_set(e, ed->path, ed->arg, ed->comment);
                break;
        case 'i':
                r = yaml_edit_item_set(e, ed->path, ed->index, ed->key, ed->arg, ed->comment);
                break;
        case 'm':
                r = yaml_edit_map_set(e, ed->path, ed->arg, ed->comment);
                break;
        default:
                ck_abort_msg("bad op");
        }
        ck_assert_msg(r == ed->ret, "%c %s: got %d, want %d", ed->op, ed->path, r, ed->ret);
}

/* The policy reader must take every result. */
static void assert_reparses(const char *text, size_t len)
{
        struct diag_list d;
        struct ynode *root = NULL;

        ck_assert_int_eq(diag_list_init(&d, "result"), 0);
        if (yaml_tree_parse(text, len, &d, &root) < 0) {
                diag_print(&d, stderr);
                ck_abort_msg("result does not parse:\n%s", text);
        }
        ynode_free(root);
        diag_list_done(&d);
}

START_TEST(test_edit_table)
{
        struct yaml_edit *e = NULL;
        const char *want = cases[_i].out ? cases[_i].out : cases[_i].in;
        char *out;
        size_t len;

        ck_assert_int_eq(yaml_edit_new(cases[_i].in, strlen(cases[_i].in), NULL, &e), 0);
        for (size_t k = 0; k < ELEMENTSOF(cases[_i].edits) && cases[_i].edits[k].op; k++)
                apply(e, &cases[_i].edits[k]);
        ck_assert_int_eq(yaml_edit_result(e, &out, &len), 0);
        ck_assert_msg(len == strlen(want) && memcmp(out, want, len) == 0,
                      "%s:\n--- got\n%s\n--- want\n%s", cases[_i].name, out, want);
        assert_reparses(out, len);
        /* The result is not consumed: asking again gives the same. */
        free(out);
        ck_assert_int_eq(yaml_edit_result(e, &out, &len), 0);
        ck_assert_str_eq(out, want);
        free(out);
        yaml_edit_free(e);
}
END_TEST

static const struct {
        const char *text;
        size_t len; /* 0: strlen */
        int ret;
        const char *diag; /* "LINE:COL: message" prefix */
} malformed[] = {
    {"a: [x\n", 0, -EINVAL, "2:1: YAML syntax error: did not find expected ',' or ']'"},
    {"a:\n  b: 1\n c: 2\n", 0, -EINVAL, "3:2: YAML syntax error: did not find expected key"},
    {"a: &x 1\n", 0, -EINVAL, "1:4: anchors ('&name') are not allowed here"},
    {"a: [1]\nb: *x\n", 0, -EINVAL, "2:4: aliases ('*name') are not allowed here"},
    {"a: 1\n---\nb: 2\n", 0, -EINVAL, "2:1: more than one YAML document in the file"},
    {"- a\n", 0, -EINVAL, "1:1: the document is a list, not a mapping"},
    {"", 0, -EINVAL, "0:0: the file is empty"},
    {"# only\n", 0, -EINVAL, "0:0: the file is empty"},
    {"a: 1\rb: 2\n", 0, -EINVAL, "1:5: a carriage return that ends no line"},
    {"a: 1\nb: x\xc2\x85y\n", 0, -EINVAL,
     "2:5: Unicode line breaks (NEL, LS, PS) are not supported"},
    {"a: 1\nb: \0\n", 10, -EINVAL, "2:4: the text contains a NUL byte"},
    {"\xff\xfe"
     "a\0:\0",
     6, -EINVAL, "1:1: UTF-16 text is not supported"},
    {"a:\n\tb: 1\n", 0, -EINVAL, "2:1: YAML syntax error: found character that cannot start"},
    /* libyaml lets these tabs through; an edit next to them would not be. */
    {"l:\n  - k: [a,\n\t b]\n", 0, -EINVAL, "3:1: a tab in the indentation (use spaces)"},
    {"a:\n ---\n \t\nb: 1\n", 0, -EINVAL, "3:2: a tab in the indentation (use spaces)"},
};

START_TEST(test_malformed)
{
        struct diag_list d;
        struct yaml_edit *e = NULL;
        size_t len = malformed[_i].len ? malformed[_i].len : strlen(malformed[_i].text);
        char got[512];

        ck_assert_int_eq(diag_list_init(&d, "t.yaml"), 0);
        ck_assert_int_eq(yaml_edit_new(malformed[_i].text, len, &d, &e), malformed[_i].ret);
        ck_assert_ptr_null(e);
        ck_assert_uint_ge(d.n, 1);
        snprintf(got, sizeof(got), "%u:%u: %s", d.items[0].loc.line, d.items[0].loc.col,
                 d.items[0].message);
        ck_assert_msg(strncmp(got, malformed[_i].diag, strlen(malformed[_i].diag)) == 0,
                      "got '%s', want '%s...'", got, malformed[_i].diag);
        diag_list_done(&d);
}
END_TEST

START_TEST(test_limits)
{
        struct yaml_edit *e = NULL;
        char *big = malloc(YAML_TREE_MAX_BYTES + 2);
        char item[4000];
        int r = 0;

        /* Too large to start with. */
        ck_assert_ptr_nonnull(big);
        memset(big, ' ', YAML_TREE_MAX_BYTES + 1);
        memcpy(big, "a: 1\n", 5);
        ck_assert_int_eq(yaml_edit_new(big, YAML_TREE_MAX_BYTES + 1, NULL, &e), -EFBIG);
        free(big);

        /* Edits bring in at most what a result may hold. */
        ck_assert_int_eq(yaml_edit_new("l: []\n", 6, NULL, &e), 0);
        memset(item, 'x', sizeof(item) - 1);
        item[sizeof(item) - 1] = '\0';
        for (int i = 0; i < 200 && r == 0; i++)
                r = yaml_edit_seq_append(e, "l", item, NULL);
        ck_assert_int_eq(r, -E2BIG);
        yaml_edit_free(e);

        /* Deeper than the reader allows: the result says so. */
        ck_assert_int_eq(yaml_edit_new("a: 1\n", 5, NULL, &e), 0);
        ck_assert_int_eq(yaml_edit_map_set(e, "b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r", "1", NULL), 0);
        {
                char *out = NULL;
                size_t len;

                ck_assert_int_eq(yaml_edit_result(e, &out, &len), -E2BIG);
                ck_assert_ptr_null(out);
        }
        yaml_edit_free(e);
}
END_TEST

static char *read_profile(const char *name, size_t *ret_len)
{
        char path[256];
        char *data = NULL;

        snprintf(path, sizeof(path), "profiles/%s", name);
        ck_assert_int_eq(
            read_file_bounded(AT_FDCWD, test_path(path), POLICY_MAX_BYTES, &data, ret_len), 0);
        return data;
}

START_TEST(test_readers)
{
        _cleanup_(yaml_edit_freep) struct yaml_edit *e = NULL;
        size_t len, n, i;
        char *text = read_profile("api.yaml", &len);
        const char *v;

        ck_assert_int_eq(yaml_edit_new(text, len, NULL, &e), 0);
        free(text);
        ck_assert_int_eq(yaml_edit_seq_len(e, "seccomp.deny", &n), 0);
        ck_assert_uint_eq(n, 10);
        ck_assert_int_eq(yaml_edit_seq_len(e, "seccomp.allow", &n), 0);
        ck_assert_uint_eq(n, 0);
        ck_assert_int_eq(yaml_edit_seq_len(e, "posture.forbidden_mounts", &n), 0);
        ck_assert_uint_eq(n, 0);
        ck_assert_int_eq(yaml_edit_seq_len(e, "seccomp.base", &n), -EINVAL);

        ck_assert_int_eq(yaml_edit_seq_find(e, "seccomp.deny", NULL, "bpf", &i), 0);
        ck_assert_uint_eq(i, 8);
        ck_assert_int_eq(yaml_edit_seq_find(e, "seccomp.deny", NULL, "@debug", &i), 0);
        ck_assert_uint_eq(i, 5);
        ck_assert_int_eq(yaml_edit_seq_find(e, "seccomp.deny", "syscall", "clone3", &i), 0);
        ck_assert_uint_eq(i, 0);
        ck_assert_int_eq(yaml_edit_seq_find(e, "apparmor.files", "path", "/tmp/**", &i), 0);
        ck_assert_uint_eq(i, 7);
        ck_assert_int_eq(yaml_edit_seq_find(e, "seccomp.deny", NULL, "ptrace", &i), -ENOENT);

        ck_assert_int_eq(yaml_edit_seq_item(e, "seccomp.deny", 1, NULL, &v), 0);
        ck_assert_str_eq(v, "@namespaces");
        ck_assert_int_eq(yaml_edit_seq_item(e, "seccomp.deny", 0, "errno", &v), 0);
        ck_assert_str_eq(v, "ENOSYS");
        ck_assert_int_eq(yaml_edit_seq_item(e, "seccomp.deny", 0, NULL, &v), -EINVAL);
        ck_assert_int_eq(yaml_edit_seq_item(e, "seccomp.deny", 1, "errno", &v), -EINVAL);
        ck_assert_int_eq(yaml_edit_seq_item(e, "seccomp.deny", 0, "arg", &v), -ENOENT);
        ck_assert_int_eq(yaml_edit_seq_item(e, "seccomp.deny", 10, NULL, &v), -ENOENT);
        ck_assert_int_eq(yaml_edit_seq_item(e, "seccomp.conditions[1].none_of", 6, NULL, &v), 0);
        ck_assert_str_eq(v, "CLONE_NEWCGROUP");
}
END_TEST

/* ---- the shipped profiles ---- */

static bool list_has(const struct policy_list *l, const char *name)
{
        for (size_t i = 0; i < l->n; i++)
                if (strcmp(l->items[i].name, name) == 0)
                        return true;
        return false;
}

static bool deny_has(const struct policy_seccomp *s, const char *name)
{
        for (size_t i = 0; i < s->n_deny; i++)
                if (strcmp(s->deny[i].syscall, name) == 0)
                        return true;
        return false;
}

static struct policy *load(const char *text, size_t len)
{
        struct diag_list d;
        struct policy *p = NULL;

        ck_assert_int_eq(diag_list_init(&d, "edited"), 0);
        if (policy_load_buffer(text, len, AT_FDCWD, &d, &p) < 0) {
                diag_print(&d, stderr);
                ck_abort_msg("edited profile does not load:\n%s", text);
        }
        diag_list_done(&d);
        return p;
}

/* Edits a profile, checks the result loads, returns the policies before
 * and after. */
static void edit_profile(const char *name, void (*edits)(struct yaml_edit *e),
                         struct policy **before, struct policy **after, char **ret_text)
{
        _cleanup_(yaml_edit_freep) struct yaml_edit *e = NULL;
        size_t len, out_len;
        char *text = read_profile(name, &len), *out;

        ck_assert_int_eq(yaml_edit_new(text, len, NULL, &e), 0);
        edits(e);
        ck_assert_int_eq(yaml_edit_result(e, &out, &out_len), 0);
        assert_reparses(out, out_len);
        *before = load(text, len);
        *after = load(out, out_len);
        free(text);
        *ret_text = out;
}

static void api_edits(struct yaml_edit *e)
{
        size_t i;

        ck_assert_int_eq(yaml_edit_seq_append(e, "seccomp.allow", "ioctl", "observed 12 times"), 0);
        ck_assert_int_eq(yaml_edit_seq_find(e, "seccomp.deny", NULL, "bpf", &i), 0);
        ck_assert_int_eq(yaml_edit_seq_remove(e, "seccomp.deny", i, "in @privileged already"), 0);
        ck_assert_int_eq(yaml_edit_item_set(e, "seccomp.conditions", 0, "in", "[AF_UNIX, AF_INET]",
                                            "no IPv6 socket in 30 days"),
                         0);
        ck_assert_int_eq(yaml_edit_seq_append(e, "apparmor.files",
                                              "path: /var/cache/api/**\naccess: rw",
                                              "denied 4 times"),
                         0);
        ck_assert_int_eq(yaml_edit_seq_find(e, "apparmor.files", "path", "/sys/fs/cgroup/**", &i),
                         0);
        ck_assert_int_eq(yaml_edit_seq_remove(e, "apparmor.files", i, "never read"), 0);
        ck_assert_int_eq(yaml_edit_seq_append(e, "posture.forbidden_mounts", "/run/docker.sock",
                                              "runtime socket"),
                         0);
        ck_assert_int_eq(yaml_edit_scalar_set(e, "mode", "enforce", "no denial in 30 days"), 0);
}

START_TEST(test_profile_api)
{
        struct policy *a, *b;
        char *out;

        edit_profile("api.yaml", api_edits, &a, &b, &out);
        ck_assert_uint_eq(b->seccomp.allow.n, a->seccomp.allow.n + 1);
        ck_assert(list_has(&b->seccomp.allow, "ioctl"));
        ck_assert(deny_has(&a->seccomp, "bpf") && !deny_has(&b->seccomp, "bpf"));
        ck_assert_uint_eq(b->seccomp.n_deny, a->seccomp.n_deny - 1);
        ck_assert_uint_eq(a->seccomp.conditions[0].n_values, 3);
        ck_assert_uint_eq(b->seccomp.conditions[0].n_values, 2);
        ck_assert_uint_eq(b->apparmor.n_files, a->apparmor.n_files);
        ck_assert_str_eq(b->apparmor.files[b->apparmor.n_files - 1].path, "/var/cache/api/**");
        ck_assert_str_eq(b->apparmor.files[b->apparmor.n_files - 1].access, "rw");
        ck_assert_str_eq(b->apparmor.files[5].path, "@{PROC}/sys/net/core/somaxconn");
        ck_assert_uint_eq(b->posture.forbidden_mounts.n, 1);
        ck_assert(list_has(&b->posture.forbidden_mounts, "/run/docker.sock"));
        ck_assert_int_eq(a->mode, POLICY_MODE_MONITOR);
        ck_assert_int_eq(b->mode, POLICY_MODE_ENFORCE);
        /* Everything else as it was: the lines around the edits. */
        ck_assert_ptr_nonnull(strstr(out, "  allow:\n    - ioctl  # observed 12 times\n  deny:\n"));
        ck_assert_ptr_nonnull(strstr(out, "    # - bpf  # in @privileged already\n"));
        ck_assert_ptr_nonnull(
            strstr(out, "      in: [AF_UNIX, AF_INET]  # no IPv6 socket in 30 days (was: [AF_UNIX, "
                        "AF_INET, AF_INET6])\n"));
        ck_assert_ptr_nonnull(
            strstr(out, "mode: enforce  # no denial in 30 days (was: monitor)\n"));
        ck_assert_ptr_nonnull(strstr(out, "  host_namespaces: []\n  forbidden_mounts:\n"
                                          "    - /run/docker.sock  # runtime socket\n"));
        policy_free(a);
        policy_free(b);
        free(out);
}
END_TEST

static void hardend_edits(struct yaml_edit *e)
{
        size_t i;

        ck_assert_int_eq(yaml_edit_seq_find(e, "posture.capabilities", "name", "NET_ADMIN", &i), 0);
        ck_assert_int_eq(yaml_edit_seq_remove(e, "posture.capabilities", i, "unused since 2.1"), 0);
        ck_assert_int_eq(yaml_edit_seq_find(e, "seccomp.allow", NULL, "madvise", &i), 0);
        ck_assert_int_eq(yaml_edit_seq_remove(e, "seccomp.allow", i, "never called"), 0);
        ck_assert_int_eq(
            yaml_edit_item_set(e, "seccomp.conditions", 2, "in", "[21, 23]", "only these seen"), 0);
        ck_assert_int_eq(
            yaml_edit_seq_append(e, "apparmor.signal[1].signals", "usr1", "log reopen"), 0);
        ck_assert_int_eq(yaml_edit_scalar_set(e, "seccomp.base", "\"@system-service\"", "wider"),
                         0);
        ck_assert_int_eq(yaml_edit_seq_append(e, "posture.host_namespaces", "ipc", NULL), 0);
}

START_TEST(test_profile_hardend)
{
        struct policy *a, *b;
        char *out;

        edit_profile("hardend.yaml", hardend_edits, &a, &b, &out);
        ck_assert_uint_eq(b->posture.n_capabilities, a->posture.n_capabilities - 1);
        ck_assert(!list_has(&b->seccomp.allow, "madvise") &&
                  list_has(&a->seccomp.allow, "madvise"));
        ck_assert_uint_eq(b->seccomp.conditions[2].n_values, 2);
        ck_assert_uint_eq(b->apparmor.signal[1].signals.n, a->apparmor.signal[1].signals.n + 1);
        ck_assert(list_has(&b->apparmor.signal[1].signals, "usr1"));
        ck_assert_str_eq(b->seccomp.base, "@system-service");
        ck_assert_uint_eq(b->posture.host_namespaces, a->posture.host_namespaces | POLICY_NS_IPC);
        ck_assert_ptr_nonnull(strstr(
            out, "    # - name: NET_ADMIN  # unused since 2.1\n"
                 "    #   reason: start-up only, SO_RCVBUFFORCE on the audit socket opened before "
                 "the drop; dropped\n  no_new_privileges: true\n"));
        ck_assert_ptr_nonnull(strstr(out, "  host_namespaces:\n    - pid\n    - net\n    - user\n"
                                          "    - cgroup\n    - ipc\n"));
        policy_free(a);
        policy_free(b);
        free(out);
}
END_TEST

static void frontend_edits(struct yaml_edit *e)
{
        size_t i, n;

        /* The last item of a list, then every capability. */
        ck_assert_int_eq(yaml_edit_seq_len(e, "seccomp.allow", &n), 0);
        ck_assert_int_eq(yaml_edit_seq_remove(e, "seccomp.allow", n - 1, "no lock file"), 0);
        ck_assert_int_eq(yaml_edit_seq_remove(e, "posture.capabilities", 0, "ports moved to 8080"),
                         0);
        ck_assert_int_eq(yaml_edit_seq_find(e, "match.container_names", NULL, "web-*", &i), 0);
        ck_assert_int_eq(yaml_edit_seq_remove(e, "match.container_names", i, "no such container"),
                         0);
        ck_assert_int_eq(yaml_edit_map_set(e, "seccomp.errno", "EACCES", NULL), -EEXIST);
        ck_assert_int_eq(yaml_edit_scalar_set(e, "seccomp.errno", "EACCES", "clearer"), 0);
}

START_TEST(test_profile_frontend)
{
        struct policy *a, *b;
        char *out;

        edit_profile("frontend.yaml", frontend_edits, &a, &b, &out);
        ck_assert(!list_has(&b->seccomp.allow, "flock"));
        ck_assert_uint_eq(b->seccomp.allow.n, a->seccomp.allow.n - 1);
        ck_assert_uint_eq(a->posture.n_capabilities, 1);
        ck_assert_uint_eq(b->posture.n_capabilities, 0);
        ck_assert_uint_eq(b->match.container_names.n, 2);
        ck_assert_int_eq(b->seccomp.errno_value, EACCES);
        ck_assert_ptr_nonnull(strstr(out, "  capabilities: []\n    # - name: NET_BIND_SERVICE  # "
                                          "ports moved to 8080\n"
                                          "    #   reason: listens on :80 and :443, ports below "
                                          "1024\n"));
        ck_assert_ptr_nonnull(strstr(out,
                                     "  container_names:\n    - frontend\n    - \"frontend-*\"\n"
                                     "    # - \"web-*\"  # no such container\n"));
        policy_free(a);
        policy_free(b);
        free(out);
}
END_TEST

static void worker_edits(struct yaml_edit *e)
{
        size_t i;

        ck_assert_int_eq(yaml_edit_seq_find(e, "seccomp.allow", NULL, "@pkey", &i), 0);
        ck_assert_int_eq(yaml_edit_seq_remove(e, "seccomp.allow", i, "no pkey_* call"), 0);
        ck_assert_int_eq(yaml_edit_item_set(e, "seccomp.conditions", 2, "in",
                                            "[PER_LINUX, PERSONALITY_QUERY]", "no 32-bit tests"),
                         0);
        ck_assert_int_eq(yaml_edit_seq_append(e, "apparmor.deny",
                                              "path: /var/run/docker.sock\naccess: rw",
                                              "never the runtime's socket"),
                         0);
        ck_assert_int_eq(yaml_edit_scalar_set(e, "seccomp.violation", "kill-process", "stop hard"),
                         0);
        ck_assert_int_eq(yaml_edit_seq_append(e, "match.units", "\"builder@*.service\"", "renamed"),
                         0);
}

START_TEST(test_profile_worker)
{
        struct policy *a, *b;
        char *out;

        edit_profile("worker.yaml", worker_edits, &a, &b, &out);
        ck_assert(list_has(&a->seccomp.allow, "@pkey") && !list_has(&b->seccomp.allow, "@pkey"));
        ck_assert_uint_eq(a->seccomp.conditions[2].n_values, 3);
        ck_assert_uint_eq(b->seccomp.conditions[2].n_values, 2);
        ck_assert_uint_eq(b->apparmor.n_deny, a->apparmor.n_deny + 1);
        ck_assert_str_eq(b->apparmor.deny[b->apparmor.n_deny - 1].path, "/var/run/docker.sock");
        ck_assert_int_eq(b->seccomp.violation, SECCOMP_VIOLATION_KILL_PROCESS);
        ck_assert(list_has(&b->match.units, "builder@*.service"));
        ck_assert_ptr_nonnull(strstr(out,
                                     "  units:\n    - worker.service\n    - \"worker@*.service\"\n"
                                     "    - \"builder@*.service\"  # renamed\n"));
        policy_free(a);
        policy_free(b);
        free(out);
}
END_TEST

static Suite *insight_yaml_edit_suite(void)
{
        Suite *s = suite_create("insight-yaml-edit");
        TCase *tc = tcase_create("edit");

        tcase_add_loop_test(tc, test_edit_table, 0, ELEMENTSOF(cases));
        tcase_add_loop_test(tc, test_malformed, 0, ELEMENTSOF(malformed));
        tcase_add_test(tc, test_limits);
        tcase_add_test(tc, test_readers);
        tcase_add_test(tc, test_profile_api);
        tcase_add_test(tc, test_profile_hardend);
        tcase_add_test(tc, test_profile_frontend);
        tcase_add_test(tc, test_profile_worker);
        suite_add_tcase(s, tc);
        return s;
}
TEST_SUITE(insight_yaml_edit_suite)
