/* SPDX-License-Identifier: MIT */
/* The unified diff, checked against GNU diff itself: every case is
 * written to files, `diff -U<context> --label a --label b` run on them, and
 * the two outputs compared byte for byte; then `patch` applies our diff to
 * the first text and must give the second. The cases include the shipped
 * profiles against the editor's proposals for them. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fileio.h"
#include "insight/text-diff.h"
#include "insight/yaml-edit.h"
#include "testing.h"

#define DIFF  "/usr/bin/diff"
#define PATCH "/usr/bin/patch"

static const struct {
        const char *name;
        const char *a, *b;
        unsigned context;
} cases[] = {
    {"equal", "a\nb\n", "a\nb\n", 3},
    {"both empty", "", "", 3},
    {"from empty", "", "a\nb\n", 3},
    {"to empty", "a\nb\n", "", 3},
    {"one line changed", "1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\n3\n4\nfive\n6\n7\n8\n9\n", 3},
    {"insert first and last", "b\nc\n", "a\nb\nc\nd\n", 3},
    {"delete first and last", "a\nb\nc\nd\n", "b\nc\n", 1},
    {"no newline at the end of a", "a\nb", "a\nc\n", 3},
    {"no newline at the end of b", "a\nb\n", "a\nb", 3},
    {"no newline at the end of either, change before", "x\ny\nz", "X\ny\nz", 3},
    {"no newline, last line changed", "a\nb", "a\nc", 0},
    {"CRLF lines", "a\r\nb\r\nc\r\n", "a\r\nB\r\nc\r\n", 3},
    {"changes 6 apart share a hunk", "0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n",
     "0\nX\n2\n3\n4\n5\n6\n7\nY\n9\n", 3},
    {"changes 7 apart do not", "0\n1\n2\n3\n4\n5\n6\n7\n8\n9\na\n",
     "0\nX\n2\n3\n4\n5\n6\n7\n8\nY\na\n", 3},
    {"context 0", "0\n1\n2\n3\n", "0\nX\n2\nY\n", 0},
    {"context 10 covers all", "0\n1\n2\n3\n4\n", "0\n1\nX\n3\n4\n", 10},
    {"runs of equal lines slide", "a\nb\nb\na\nb\nb\nb\n", "a\nb\na\nb\nb\n", 3},
    {"slide with other changes", "b\nb\nb\na\nb\nb\na\nb\nb\nb\n", "d\nb\nb\nb\na\nb\na\nb\nb\n",
     1},
    {"a removed item is a change of one line", "  deny:\n    - a\n    - bpf\n    - c\n",
     "  deny:\n    - a\n    # - bpf  # never\n    - c\n", 3},
    {"an added mapping item among equal lines",
     "f:\n  - path: /a\n    access: r\n  - path: /b\n    access: r\n",
     "f:\n  - path: /a\n    access: r\n  - path: /b\n    access: r\n  - path: /c\n    access: r\n",
     3},
    {"everything differs", "a\nb\nc\n", "x\ny\n", 3},
};

/* A scratch directory for one test's files. */
static void scratch(char dir[static 64])
{
        snprintf(dir, 64, "/tmp/hardend-text-diff.XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(dir));
}

static const char *put(const char *dir, const char *name, const char *data, size_t len)
{
        static char paths[4][128];
        static unsigned slot;
        char *p = paths[slot++ % 4];

        snprintf(p, 128, "%s/%s", dir, name);
        ck_assert_int_eq(write_file_atomic(AT_FDCWD, p, data, len, 0600), 0);
        return p;
}

static char *slurp(const char *path, size_t *len)
{
        char *data = NULL;

        ck_assert_int_eq(read_file_bounded(AT_FDCWD, path, 4 * TEXT_DIFF_MAX_BYTES, &data, len), 0);
        return data;
}

static bool have_tools(void)
{
        return test_require(access(DIFF, X_OK) == 0 && access(PATCH, X_OK) == 0,
                            "GNU diff and patch (" DIFF ", " PATCH ")");
}

/* Our diff against GNU's, then patch(1) must turn a into b with ours. */
static void check_against_gnu(const char *a, size_t a_len, const char *b, size_t b_len,
                              unsigned context, const char *what)
{
        char dir[64], ctx[16], *ours = NULL, *gnu = NULL, *err = NULL, *patched;
        const char *pa, *pb, *pd, *po;
        size_t len;
        int status;

        scratch(dir);
        pa = put(dir, "a", a, a_len);
        pb = put(dir, "b", b, b_len);
        ck_assert_int_eq(text_diff_unified(a, a_len, b, b_len, "a", "b", context, &ours), 0);
        snprintf(ctx, sizeof(ctx), "-U%u", context);
        status =
            test_run((const char *const[]){DIFF, ctx, "--label", "a", "--label", "b", pa, pb, NULL},
                     &gnu, &err);
        ck_assert_msg(status == 0 || status == 1, "%s: diff failed (%d): %s", what, status, err);
        if (strcmp(ours, gnu) != 0) {
                /* Where they part, not the whole of both: Check's messages
                 * are short. */
                size_t at = 0, line = 1, from;

                for (; ours[at] == gnu[at]; at++)
                        if (ours[at] == '\n')
                                line++;
                from = at > 200 ? at - 200 : 0;
                ck_abort_msg("%s: output line %zu differs:\n--- ours\n%.400s\n--- GNU diff\n%.400s",
                             what, line, ours + from, gnu + from);
        }
        ck_assert_int_eq(status == 0, ours[0] == '\0');

        if (ours[0] != '\0') {
                pd = put(dir, "diff", ours, strlen(ours));
                po = put(dir, "out", "", 0);
                free(err);
                status = test_run(
                    (const char *const[]){PATCH, "--quiet", "--batch", "-o", po, pa, pd, NULL},
                    NULL, &err);
                ck_assert_msg(status == 0, "%s: patch failed: %s", what, err);
                patched = slurp(po, &len);
                ck_assert_msg(len == b_len && memcmp(patched, b, len) == 0,
                              "%s: patch gave another text", what);
                free(patched);
                unlink(pd);
                unlink(po);
        }
        unlink(pa);
        unlink(pb);
        ck_assert_int_eq(rmdir(dir), 0);
        free(ours);
        free(gnu);
        free(err);
}

START_TEST(test_against_gnu_table)
{
        if (!have_tools())
                return;
        check_against_gnu(cases[_i].a, strlen(cases[_i].a), cases[_i].b, strlen(cases[_i].b),
                          cases[_i].context, cases[_i].name);
}
END_TEST

/* Known answers, so that a broken diff(1) cannot hide a broken us. */
START_TEST(test_exact)
{
        char *out;

        ck_assert_int_eq(text_diff_unified("a\nb\n", 4, "a\nb\n", 4, "x", "y", 3, &out), 0);
        ck_assert_str_eq(out, "");
        free(out);
        ck_assert_int_eq(text_diff_unified("1\n2\n3\n", 6, "1\nX\n3\n", 6, "profiles/api.yaml",
                                           "profiles/api.yaml (proposed)", 3, &out),
                         0);
        ck_assert_str_eq(out, "--- profiles/api.yaml\n+++ profiles/api.yaml (proposed)\n"
                              "@@ -1,3 +1,3 @@\n 1\n-2\n+X\n 3\n");
        free(out);
        ck_assert_int_eq(text_diff_unified("a\nb", 3, "a\nb\n", 4, "a", "b", 3, &out), 0);
        ck_assert_str_eq(out, "--- a\n+++ b\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of "
                              "file\n+b\n");
        free(out);
        ck_assert_int_eq(text_diff_unified("", 0, "x\n", 2, "a", "b", 3, &out), 0);
        ck_assert_str_eq(out, "--- a\n+++ b\n@@ -0,0 +1 @@\n+x\n");
        free(out);
}
END_TEST

START_TEST(test_limits)
{
        size_t big = TEXT_DIFF_MAX_BYTES + 1;
        char *text = malloc(big), *out = NULL;

        ck_assert_ptr_nonnull(text);
        memset(text, 'x', big);
        ck_assert_int_eq(text_diff_unified(text, big, "", 0, "a", "b", 3, &out), -E2BIG);
        ck_assert_int_eq(text_diff_unified("", 0, text, big, "a", "b", 3, &out), -E2BIG);
        /* One line too many, in few bytes. */
        memset(text, '\n', TEXT_DIFF_MAX_LINES + 1);
        ck_assert_int_eq(text_diff_unified(text, TEXT_DIFF_MAX_LINES + 1, "", 0, "a", "b", 3, &out),
                         -E2BIG);
        ck_assert_int_eq(text_diff_unified(text, TEXT_DIFF_MAX_LINES, "", 0, "a", "b", 3, &out), 0);
        free(out);
        ck_assert_int_eq(text_diff_unified("a\n", 2, "b\n", 2, "a\nb", "b", 3, &out), -EINVAL);
        free(text);
}
END_TEST

/* Larger texts with many equal lines, where the choice among shortest
 * scripts shows: a generated list edited at a few places. */
START_TEST(test_against_gnu_generated)
{
        char *a = NULL, *b = NULL;
        size_t a_len = 0, b_len = 0;
        FILE *fa, *fb;
        unsigned seed = 1;

        if (!have_tools())
                return;
        fa = open_memstream(&a, &a_len);
        fb = open_memstream(&b, &b_len);
        for (unsigned i = 0; i < 2000; i++) {
                seed = seed * 1103515245u + 12345u;
                fprintf(fa, "line %u\n", (seed >> 16) % 7);
                if ((seed >> 8) % 50 == 0)
                        fprintf(fb, "new %u\n", i);
                if ((seed >> 4) % 40 != 0)
                        fprintf(fb, "line %u\n", (seed >> 16) % 7);
        }
        fclose(fa);
        fclose(fb);
        check_against_gnu(a, a_len, b, b_len, 3, "generated");
        check_against_gnu(b, b_len, a, a_len, 0, "generated, reversed");
        free(a);
        free(b);
}
END_TEST

/* The shipped profiles against proposals for them. */
static const struct {
        const char *profile;
        const char *append_path, *append_item;
        const char *remove_path, *remove_value;
        const char *set_path, *set_value;
} proposals[] = {
    {"api.yaml", "seccomp.allow", "ioctl", "seccomp.deny", "bpf", "mode", "enforce"},
    {"frontend.yaml", "apparmor.files", "path: /srv/cache/**\naccess: rw", "seccomp.allow", "flock",
     "seccomp.conditions[0].in", "[AF_UNIX, AF_INET]"},
    {"worker.yaml", "posture.forbidden_mounts", "/run/docker.sock", "apparmor.network",
     "netlink raw", "seccomp.base", "\"@default\""},
    {"hardend.yaml", "apparmor.signal[1].signals", "usr1", "seccomp.allow", "madvise",
     "seccomp.errno", "EACCES"},
};

START_TEST(test_profiles_against_gnu)
{
        _cleanup_(yaml_edit_freep) struct yaml_edit *e = NULL;
        char path[256], *text = NULL, *edited;
        size_t len, edited_len, i;

        if (!have_tools())
                return;
        snprintf(path, sizeof(path), "profiles/%s", proposals[_i].profile);
        ck_assert_int_eq(
            read_file_bounded(AT_FDCWD, test_path(path), TEXT_DIFF_MAX_BYTES, &text, &len), 0);
        ck_assert_int_eq(yaml_edit_new(text, len, NULL, &e), 0);
        ck_assert_int_eq(yaml_edit_seq_append(e, proposals[_i].append_path,
                                              proposals[_i].append_item, "seen 3 times"),
                         0);
        ck_assert_int_eq(
            yaml_edit_seq_find(e, proposals[_i].remove_path, NULL, proposals[_i].remove_value, &i),
            0);
        ck_assert_int_eq(yaml_edit_seq_remove(e, proposals[_i].remove_path, i, "unused in 30 days"),
                         0);
        ck_assert_int_eq(
            yaml_edit_scalar_set(e, proposals[_i].set_path, proposals[_i].set_value, "observed"),
            0);
        ck_assert_int_eq(yaml_edit_result(e, &edited, &edited_len), 0);
        for (unsigned context = 0; context <= 5; context += 1)
                check_against_gnu(text, len, edited, edited_len, context, proposals[_i].profile);
        check_against_gnu(edited, edited_len, text, len, 3, proposals[_i].profile);
        free(edited);
        free(text);
}
END_TEST

static Suite *insight_text_diff_suite(void)
{
        Suite *s = suite_create("insight-text-diff");
        TCase *tc = tcase_create("diff");

        tcase_set_timeout(tc, 60);
        tcase_add_loop_test(tc, test_against_gnu_table, 0, ELEMENTSOF(cases));
        tcase_add_test(tc, test_exact);
        tcase_add_test(tc, test_limits);
        tcase_add_test(tc, test_against_gnu_generated);
        tcase_add_loop_test(tc, test_profiles_against_gnu, 0, ELEMENTSOF(proposals));
        suite_add_tcase(s, tc);
        return s;
}
TEST_SUITE(insight_text_diff_suite)
