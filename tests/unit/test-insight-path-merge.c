/* SPDX-License-Identifier: MIT */
/* Observed file accesses -> proposed apparmor.files rules: a table of
 * observation sets and the rules they must give (single files, DIR* and
 * DIR** collapses, sensitive and root directories kept per file, /proc
 * process ids, mkstemp names, what the policy already grants or denies,
 * exec masks, bytes a rule cannot hold), the kernel mask notation, policy
 * glob matching with variables, and the properties every result has: globs
 * valid and sorted, each observation matched by its proposal. The proposed
 * rules of a real profile are compiled by apparmor_parser. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apparmor/apparmor-compile.h"
#include "apparmor/apparmor-render.h"
#include "base/macro.h"
#include "base/path-glob.h"
#include "insight/path-merge.h"
#include "policy/policy-load.h"
#include "testing.h"

#define MAX_OBS   16
#define MAX_RULES 6
#define MAX_WANT  10

struct obs_def {
        const char *mask, *path;
};

struct rule_def {
        const char *path, *access;
};

struct want_rule {
        const char *glob, *access;
        size_t n_paths;
        const char *reason; /* a part of the reason; NULL: not checked */
};

/* Expected outcome of one observation (by position); proposed/covered/
 * denied NULL: not checked. */
struct want_item {
        int i; /* -1 ends */
        const char *proposed, *covered, *denied;
        bool ignored;
};

static const struct merge_case {
        const char *name;
        size_t min_files;
        struct obs_def obs[MAX_OBS];
        struct rule_def files[MAX_RULES], deny[MAX_RULES];
        struct want_rule want[MAX_WANT];
        struct want_item items[MAX_OBS];
} cases[] = {
    {.name = "a single file is a rule of its own",
     .obs = {{"r", "/srv/app/data.json"}},
     .want = {{"/srv/app/data.json", "r", 1, "read (1 event)"}},
     .items = {{0, "r", "", "", false}, {.i = -1}}},
    {.name = "one path seen with two masks is one file",
     .obs = {{"r", "/srv/app/data.json"}, {"wc", "/srv/app/data.json"}, {"r", "/srv/app/x"}},
     .want = {{"/srv/app/data.json", "rw", 1, "read, written (3 events)"},
              {"/srv/app/x", "r", 1, NULL}},
     .items = {{0, "r", "", "", false}, {1, "w", "", "", false}, {.i = -1}}},
    {.name = "two files in a directory stay apart",
     .obs = {{"r", "/srv/app/conf/a"}, {"r", "/srv/app/conf/b"}},
     .want = {{"/srv/app/conf/a", "r", 1, NULL}, {"/srv/app/conf/b", "r", 1, NULL}},
     .items = {{.i = -1}}},
    {.name = "three files collapse into DIR*, with the union of their letters",
     .obs = {{"r", "/srv/app/conf/a"}, {"r", "/srv/app/conf/b"}, {"rw", "/srv/app/conf/c"}},
     .want = {{"/srv/app/conf/*", "rw", 3,
               "3 files under /srv/app/conf/ read, written (e.g. /srv/app/conf/a)"}},
     .items = {{2, "rw", "", "", false}, {.i = -1}}},
    {.name = "the threshold is a parameter",
     .min_files = 2,
     .obs = {{"r", "/srv/app/conf/a"}, {"r", "/srv/app/conf/b"}},
     .want = {{"/srv/app/conf/*", "r", 2, "2 files under /srv/app/conf/"}},
     .items = {{.i = -1}}},
    {.name = "two collapsed subdirectories and more than N files give DIR**",
     .obs = {{"wc", "/var/lib/app/db/x1"},
             {"wc", "/var/lib/app/db/x2"},
             {"wc", "/var/lib/app/db/x3"},
             {"r", "/var/lib/app/cache/a"},
             {"r", "/var/lib/app/cache/b"},
             {"r", "/var/lib/app/cache/c"},
             {"r", "/var/lib/app/top"}},
     .want = {{"/var/lib/app/**", "rw", 7,
               "7 files under /var/lib/app/ and its subdirectories read, written (e.g. "
               "/var/lib/app/cache/a)"}},
     .items = {{0, "w", "", "", false}, {.i = -1}}},
    {.name = "one collapsed subdirectory is not enough for DIR**",
     .obs = {{"r", "/var/lib/app/db/x1"},
             {"r", "/var/lib/app/db/x2"},
             {"r", "/var/lib/app/db/x3"},
             {"r", "/var/lib/app/other/y"},
             {"r", "/var/lib/app/z"}},
     .want = {{"/var/lib/app/db/*", "r", 3, NULL},
              {"/var/lib/app/other/y", "r", 1, NULL},
              {"/var/lib/app/z", "r", 1, NULL}},
     .items = {{.i = -1}}},
    {.name = "a top-level directory never gets DIR**",
     .obs = {{"r", "/data/a/1"},
             {"r", "/data/a/2"},
             {"r", "/data/a/3"},
             {"r", "/data/b/1"},
             {"r", "/data/b/2"},
             {"r", "/data/b/3"}},
     .want = {{"/data/a/*", "r", 3, NULL}, {"/data/b/*", "r", 3, NULL}},
     .items = {{.i = -1}}},
    {.name = "writes under /etc stay per file",
     .obs = {{"w", "/etc/app/a"}, {"wc", "/etc/app/b"}, {"a", "/etc/app/c"}},
     .want = {{"/etc/app/a", "w", 1, "kept per file: no write or exec glob under /etc/"},
              {"/etc/app/b", "w", 1, "kept per file: no write or exec glob under /etc/"},
              {"/etc/app/c", "a", 1, "kept per file: no write or exec glob under /etc/"}},
     .items = {{.i = -1}}},
    {.name = "reads under /etc/app collapse, the write beside them does not",
     .obs = {{"r", "/etc/app/a.conf"},
             {"r", "/etc/app/b.conf"},
             {"r", "/etc/app/c.conf"},
             {"w", "/etc/app/state"}},
     .want = {{"/etc/app/*", "r", 3, "3 files under /etc/app/ read (e.g. /etc/app/a.conf)"},
              {"/etc/app/state", "w", 1, "no write or exec glob under /etc/"}},
     .items = {{.i = -1}}},
    {.name = "the file system's roots never get a glob of their own",
     .obs = {{"r", "/etc/passwd"},
             {"r", "/etc/group"},
             {"r", "/etc/hosts"},
             {"rw", "/dev/null"},
             {"rw", "/dev/zero"},
             {"r", "/dev/urandom"},
             {"w", "/var/log/a.log"},
             {"w", "/var/log/b.log"},
             {"w", "/var/log/c.log"}},
     .want = {{"/dev/null", "rw", 1, "kept per file: /dev/ never gets a glob of its own"},
              {"/dev/urandom", "r", 1, NULL},
              {"/dev/zero", "rw", 1, NULL},
              {"/etc/group", "r", 1, "kept per file: /etc/ never gets a glob of its own"},
              {"/etc/hosts", "r", 1, NULL},
              {"/etc/passwd", "r", 1, NULL},
              {"/var/log/a.log", "w", 1, "kept per file: /var/log/ never gets a glob of its own"},
              {"/var/log/b.log", "w", 1, NULL},
              {"/var/log/c.log", "w", 1, NULL}},
     .items = {{.i = -1}}},
    {.name = "process and thread ids become @{pid} and @{tid}",
     .obs = {{"r", "/proc/123/status"},
             {"r", "/proc/456/status"},
             {"r", "/proc/123/task/130/comm"},
             {"r", "/proc/thread-self/comm"},
             {"r", "/proc/self/fd/"},
             {"r", "/proc/4194304/x"},
             {"r", "/proc/5000000/x"},
             {"r", "/proc/0/x"},
             {"r", "/proc/sys/net/core/somaxconn"}},
     .want = {{"@{PROC}/0/x", "r", 1, NULL},
              {"@{PROC}/5000000/x", "r", 1, NULL},
              {"@{PROC}/@{pid}/fd/", "r", 1, NULL},
              {"@{PROC}/@{pid}/status", "r", 2,
               "2 paths read (3 events, e.g. /proc/123/status); process and thread ids written "
               "as @{pid} and @{tid}"},
              {"@{PROC}/@{pid}/task/@{tid}/comm", "r", 2, NULL},
              {"@{PROC}/@{pid}/x", "r", 1, NULL},
              {"@{PROC}/sys/net/core/somaxconn", "r", 1, "read (9 events)"}},
     .items = {{.i = -1}}},
    {.name = "reads of a process's files collapse, writes do not",
     .obs = {{"r", "/proc/12/stat"},
             {"r", "/proc/12/statm"},
             {"r", "/proc/13/cmdline"},
             {"w", "/proc/12/oom_score_adj"},
             {"w", "/proc/12/comm"},
             {"w", "/proc/12/timerslack_ns"}},
     .want = {{"@{PROC}/@{pid}/*", "r", 3, "3 files under @{PROC}/@{pid}/ read"},
              {"@{PROC}/@{pid}/comm", "w", 1, "no write or exec glob under @{PROC}/"},
              {"@{PROC}/@{pid}/oom_score_adj", "w", 1, NULL},
              {"@{PROC}/@{pid}/timerslack_ns", "w", 1, NULL}},
     .items = {{.i = -1}}},
    {.name = "mkstemp names under temporary directories become *",
     .obs = {{"w", "/tmp/tmpAb3dE9"},
             {"wc", "/tmp/tmpQ9zz1a"},
             {"w", "/tmp/build/out.Ab3dE9.json"},
             {"w", "/run/app/sess-Ab3dE9"},
             {"r", "/run/app.Xy12Ab.sock"},
             {"rw", "/dev/shm/sem.Xy12Ab"},
             {"w", "/var/tmp/k3j4abcdZ"},
             {"r", "/srv/cache/Ab3dE9"},
             {"r", "/tmp/cache/Ab1c2"}},
     .want = {{"/dev/shm/sem.*", "rw", 1, "random (mkstemp-like) names written as *"},
              {"/run/app.Xy12Ab.sock", "r", 1, "read (5 events)"},
              {"/run/app/sess-*", "w", 1, NULL},
              {"/srv/cache/Ab3dE9", "r", 1, "read (8 events)"},
              {"/tmp/*", "w", 2, "2 files under /tmp/ written (e.g. /tmp/tmpAb3dE9)"},
              {"/tmp/build/out.*.json", "w", 1, NULL},
              {"/tmp/cache/Ab1c2", "r", 1, "read (9 events)"},
              {"/var/tmp/*", "w", 1, NULL}},
     .items = {{.i = -1}}},
    {.name = "a mkstemp name draws the other files of its directory in",
     .obs = {{"w", "/tmp/tmpAb3dE9"}, {"r", "/tmp/app.lock"}},
     .want = {{"/tmp/*", "rw", 2, NULL}},
     .items = {{.i = -1}}},
    {.name = "what the policy grants is not proposed again",
     .obs = {{"r", "/srv/app/x"},
             {"rw", "/srv/app/y"},
             {"r", "/proc/77/stat"},
             {"r", "/proc/77/statm"},
             {"rw", "/root/.cache/z"},
             {"mr", "/usr/lib64/libz.so.1"},
             {"r", "/srv/app/"},
             {"x", "/usr/bin/env"},
             {"mr", "/usr/bin/env"}},
     .files = {{"/srv/app/**", "r"},
               {"@{PROC}/@{pid}/stat", "r"},
               {"@{HOME}/.cache/**", "rw"},
               {"/usr/{lib,lib64}/**", "mr"},
               {"/{usr/,}bin/*", "ix"}},
     .want = {{"/srv/app/", "r", 1, NULL},
              {"/srv/app/y", "w", 1, NULL},
              {"/usr/bin/env", "r", 1, NULL},
              {"@{PROC}/@{pid}/statm", "r", 1, NULL}},
     .items = {{0, "", "r", "", false},
               {1, "w", "r", "", false},
               {2, "", "r", "", false},
               {3, "r", "", "", false},
               {4, "", "rw", "", false},
               {5, "", "rm", "", false},
               {6, "r", "", "", false},
               {7, "", "ix", "", false},
               {8, "r", "m", "", false},
               {.i = -1}}},
    {.name = "what the policy denies is never proposed",
     .obs = {{"r", "/etc/shadow"},
             {"rw", "/proc/5/mem"},
             {"a", "/var/log/app/x"},
             {"rw", "/var/log/app/y"},
             {"x", "/srv/tool"}},
     .deny = {{"/etc/shadow", "rw"},
              {"@{PROC}/*/mem", "rw"},
              {"/var/log/app/**", "w"},
              {"/srv/*", "x"}},
     .want = {{"/var/log/app/y", "r", 1, NULL}},
     .items = {{0, "", "", "r", false},
               {1, "", "", "rw", false},
               {2, "", "", "a", false},
               {3, "r", "", "w", false},
               {4, "", "", "ix", false},
               {.i = -1}}},
    {.name = "a deny rule wins over the glob that covers it",
     .obs = {{"r", "/srv/data/a"},
             {"r", "/srv/data/b"},
             {"r", "/srv/data/c"},
             {"r", "/srv/data/secret"}},
     .deny = {{"/srv/data/secret", "r"}},
     .want = {{"/srv/data/*", "r", 3, NULL}},
     .items = {{3, "", "", "r", false}, {.i = -1}}},
    {.name = "exec masks: ix, per file where programs are system ones",
     .obs = {{"x", "/usr/bin/tool"},
             {"x", "/usr/bin/a"},
             {"x", "/usr/bin/b"},
             {"mr", "/usr/lib/x86_64-linux-gnu/liba.so"},
             {"mr", "/usr/lib/x86_64-linux-gnu/libb.so"},
             {"m", "/usr/lib/x86_64-linux-gnu/libc.so"},
             {"x", "/opt/app/bin/a"},
             {"x", "/opt/app/bin/b"},
             {"rx", "/opt/app/bin/c"},
             {"r", "/opt/app/bin/README"},
             {"ix", "/opt/legacy/run"}},
     .want = {{"/opt/app/bin/*", "rix", 3, "3 files under /opt/app/bin/ read, executed"},
              {"/opt/app/bin/README", "r", 1, NULL},
              {"/opt/legacy/run", "ix", 1, "executed (11 events)"},
              {"/usr/bin/a", "ix", 1, "no write or exec glob under /usr/"},
              {"/usr/bin/b", "ix", 1, NULL},
              {"/usr/bin/tool", "ix", 1, NULL},
              {"/usr/lib/x86_64-linux-gnu/*", "rm", 3, "read, mapped executable"}},
     .items = {{.i = -1}}},
    {.name = "bytes a rule cannot hold are written as ?",
     .min_files = 100,
     .obs = {{"r", "/srv/a\"b"},
             {"r", "/srv/back\\slash"},
             {"r", "/srv/new\nline"},
             {"r", "/srv/\xff\xfe"},
             {"r", "/srv/star*{x,y}@z"},
             {"r", "/srv/what?"}},
     .want = {{"/srv/??", "r", 1, "2 bytes a rule cannot hold"},
              {"/srv/a?b", "r", 1, "1 byte a rule cannot hold"},
              {"/srv/back?slash", "r", 1, "written as ?"},
              {"/srv/new?line", "r", 1, NULL},
              {"/srv/star??x?y??z", "r", 1, "5 bytes"},
              {"/srv/what?", "r", 1, "read (6 events)"}},
     .items = {{.i = -1}}},
    {.name = "a proposal with an existing rule's glob extends it",
     .obs = {{"w", "/var/log/app/x.log"},
             {"w", "/var/log/app/y.log"},
             {"wc", "/var/log/app/z.log"},
             {"w", "/srv/one"}},
     .files = {{"/var/log/app/*", "a"}, {"/srv/one", "r"}},
     .want = {{"/srv/one", "rw", 1, "adds to the existing rule (access 'r')"},
              {"/var/log/app/*", "w", 3, "adds to the existing rule (access 'a')"}},
     .items = {{.i = -1}}},
    {.name = "unusable observations are reported, not proposed",
     .obs = {{"send", "/x"},
             {"create", "/x"},
             {"r", "relative"},
             {"r", "/a//b"},
             {"r", "/a/../b"},
             {"r", "/a/."},
             {"", "/x"},
             {"::", "/x"},
             {"R", "/x"},
             {"r", NULL},
             {NULL, "/x"}},
     .items = {{0, "", "", "", true},
               {1, "", "", "", true},
               {2, "", "", "", true},
               {3, "", "", "", true},
               {4, "", "", "", true},
               {5, "", "", "", true},
               {6, "", "", "", true},
               {7, "", "", "", true},
               {8, "", "", "", true},
               {9, "", "", "", true},
               {10, "", "", "", true},
               {.i = -1}}},
};

static size_t count_obs(const struct merge_case *c)
{
        size_t n = 0;

        while (n < MAX_OBS && (c->obs[n].mask || c->obs[n].path))
                n++;
        return n;
}

static size_t count_rules(const struct rule_def *r, struct apparmor_file_rule *out)
{
        size_t n = 0;

        for (; n < MAX_RULES && r[n].path; n++)
                out[n] =
                    (struct apparmor_file_rule){(char *)r[n].path, (char *)r[n].access, {0, 0}};
        return n;
}

static int cmp_index(const void *a, const void *b)
{
        size_t x = *(const size_t *)a, y = *(const size_t *)b;

        return (x > y) - (x < y);
}

/* /proc/self and /proc/thread-self are symlinks the kernel resolves (it
 * never names them): their proposal is the process's @{pid}. */
static bool names_self(const char *p)
{
        return (strncmp(p, "/proc/self", 10) == 0 && (p[10] == '\0' || p[10] == '/')) ||
               (strncmp(p, "/proc/thread-self", 17) == 0 && (p[17] == '\0' || p[17] == '/'));
}

/* The letters of a canonical access, exec as 'x'; w includes a. */
static unsigned letter_set(const char *a)
{
        static const char letters[] = "rwalkmx";
        unsigned s = 0;

        for (; *a; a++) {
                const char *p = strchr(letters, a[1] == 'x' ? 'x' : a[0]);

                ck_assert_ptr_nonnull(p);
                s |= 1u << (p - letters);
                a += a[1] == 'x';
        }
        return s & 2u ? s | 4u : s;
}

/* What every result must be: globs valid, sorted and unique, canonical
 * access, each used observation matched by its proposal with its letters,
 * indexes ascending and in range, counts adding up. */
static void check_invariants(const struct path_observed *obs, size_t n, const struct path_merge *m)
{
        _cleanup_free_ uint64_t *count = calloc(m->n_proposals + 1, sizeof(*count));
        _cleanup_free_ size_t *used = calloc(m->n_proposals + 1, sizeof(*used));

        ck_assert_uint_eq(m->n_items, n);
        for (size_t i = 0; i < n; i++) {
                const struct path_merge_item *it = &m->items[i];
                const struct path_proposal *pr;

                ck_assert((it->proposal == SIZE_MAX) == (it->proposed[0] == '\0'));
                ck_assert((it->covered_by == SIZE_MAX) == (it->covered[0] == '\0'));
                ck_assert((it->denied_by == SIZE_MAX) == (it->denied[0] == '\0'));
                if (it->ignored)
                        ck_assert(it->proposal == SIZE_MAX && !it->covered[0] && !it->denied[0]);
                if (it->proposal == SIZE_MAX)
                        continue;
                ck_assert_uint_lt(it->proposal, m->n_proposals);
                pr = &m->proposals[it->proposal];
                used[it->proposal]++;
                count[it->proposal] += obs[i].count;
                ck_assert(
                    bsearch(&obs[i].index, pr->indexes, pr->n_indexes, sizeof(size_t), cmp_index));
                if (!names_self(obs[i].path))
                        ck_assert_msg(path_glob_match(pr->glob, obs[i].path),
                                      "'%s' does not match '%s'", pr->glob, obs[i].path);
                ck_assert_uint_eq(letter_set(it->proposed) & ~letter_set(pr->access), 0);
        }
        for (size_t p = 0; p < m->n_proposals; p++) {
                const struct path_proposal *pr = &m->proposals[p];
                const char *why = NULL;

                ck_assert_msg(path_glob_validate(pr->glob, &why) == 0, "'%s': %s", pr->glob, why);
                if (p > 0)
                        ck_assert_int_lt(strcmp(m->proposals[p - 1].glob, pr->glob), 0);
                ck_assert(pr->access[0] != '\0');
                ck_assert(!(strchr(pr->access, 'w') && strchr(pr->access, 'a')));
                ck_assert_uint_eq(letter_set(pr->added) & ~letter_set(pr->access), 0);
                ck_assert(pr->n_indexes > 0);
                for (size_t k = 1; k < pr->n_indexes; k++)
                        ck_assert_uint_lt(pr->indexes[k - 1], pr->indexes[k]);
                /* caller indexes may repeat: there are at least as many
                 * observations as indexes */
                ck_assert_uint_ge(used[p], pr->n_indexes);
                ck_assert(pr->n_paths > 0 && pr->n_paths <= used[p]);
                ck_assert_uint_eq(count[p], pr->count);
        }
}

START_TEST(test_merge_table)
{
        const struct merge_case *c = &cases[_i];
        struct apparmor_file_rule files[MAX_RULES], deny[MAX_RULES];
        struct policy_apparmor aa = {.files = files, .deny = deny};
        struct path_observed obs[MAX_OBS];
        _cleanup_(path_merge_freep) struct path_merge *m = NULL;
        size_t n = count_obs(c), n_want = 0;

        aa.n_files = count_rules(c->files, files);
        aa.n_deny = count_rules(c->deny, deny);
        for (size_t i = 0; i < n; i++)
                obs[i] = (struct path_observed){c->obs[i].path, c->obs[i].mask, 1 + i, 100 + i};
        ck_assert_int_eq(path_merge(obs, n, &aa, c->min_files, &m), 0);

        while (n_want < MAX_WANT && c->want[n_want].glob)
                n_want++;
        if (m->n_proposals != n_want) {
                char got[2048] = "";

                for (size_t p = 0; p < m->n_proposals; p++)
                        snprintf(got + strlen(got), sizeof(got) - strlen(got), " '%s'",
                                 m->proposals[p].glob);
                ck_abort_msg("%s: %zu proposals, want %zu:%s", c->name, m->n_proposals, n_want,
                             got);
        }
        for (size_t p = 0; p < n_want; p++) {
                const struct path_proposal *pr = &m->proposals[p];
                const struct want_rule *w = &c->want[p];

                ck_assert_str_eq(pr->glob, w->glob);
                ck_assert_str_eq(pr->access, w->access);
                ck_assert_uint_eq(pr->n_paths, w->n_paths);
                if (w->reason)
                        ck_assert_msg(strstr(pr->reason, w->reason), "%s: reason '%s' lacks '%s'",
                                      c->name, pr->reason, w->reason);
                ck_assert_uint_eq(pr->extends, strstr(pr->reason, "existing rule") != NULL);
        }
        for (const struct want_item *w = c->items; w->i >= 0; w++) {
                const struct path_merge_item *it = &m->items[w->i];

                ck_assert_msg(!!it->ignored == w->ignored, "%s: item %d ignored: %s", c->name, w->i,
                              it->ignored ? it->ignored : "(no)");
                ck_assert_str_eq(it->proposed, w->proposed);
                ck_assert_str_eq(it->covered, w->covered);
                ck_assert_str_eq(it->denied, w->denied);
        }
        check_invariants(obs, n, m);
}
END_TEST

START_TEST(test_merge_items_point_back)
{
        struct apparmor_file_rule files[] = {{(char *)"/var/log/app/*", (char *)"a", {0, 0}},
                                             {(char *)"/srv/one", (char *)"r", {0, 0}},
                                             {(char *)"/srv/two", (char *)"r", {0, 0}}};
        struct apparmor_file_rule deny[] = {{(char *)"/etc/x", (char *)"w", {0, 0}},
                                            {(char *)"/etc/shadow", (char *)"r", {0, 0}}};
        struct policy_apparmor aa = {.files = files, .n_files = 3, .deny = deny, .n_deny = 2};
        struct path_observed obs[] = {
            {"/var/log/app/x", "w", 5, 42}, {"/var/log/app/y", "w", 6, 7},
            {"/var/log/app/z", "w", 7, 42}, {"/srv/two", "rw", 1, 9},
            {"/etc/shadow", "rw", 1, 3},
        };
        _cleanup_(path_merge_freep) struct path_merge *m = NULL;
        const struct path_proposal *pr;

        ck_assert_int_eq(path_merge(obs, ELEMENTSOF(obs), &aa, 0, &m), 0);
        check_invariants(obs, ELEMENTSOF(obs), m);
        ck_assert_uint_eq(m->n_proposals, 3);
        /* /etc/shadow: r refused by deny rule 1; w refused by nothing */
        pr = &m->proposals[0];
        ck_assert_str_eq(pr->glob, "/etc/shadow");
        ck_assert(!pr->extends);
        ck_assert_uint_eq(pr->rule, SIZE_MAX);
        ck_assert_str_eq(pr->access, "w");
        ck_assert_str_eq(m->items[4].denied, "r");
        ck_assert_uint_eq(m->items[4].denied_by, 1);
        ck_assert_uint_eq(m->items[4].proposal, 0);
        /* "/srv/two" extends rule 2 */
        pr = &m->proposals[1];
        ck_assert_str_eq(pr->glob, "/srv/two");
        ck_assert(pr->extends);
        ck_assert_uint_eq(pr->rule, 2);
        ck_assert_str_eq(pr->access, "rw");
        ck_assert_str_eq(pr->added, "w");
        ck_assert_uint_eq(pr->n_indexes, 1);
        ck_assert_uint_eq(pr->indexes[0], 9);
        ck_assert_uint_eq(m->items[3].covered_by, 2);
        ck_assert_str_eq(m->items[3].covered, "r");
        /* the DIR* of /var/log/app/ extends rule 0 (a becomes w); the caller's index
         * 42, given twice, is listed once; indexes ascend */
        pr = &m->proposals[2];
        ck_assert_str_eq(pr->glob, "/var/log/app/*");
        ck_assert(pr->extends);
        ck_assert_uint_eq(pr->rule, 0);
        ck_assert_str_eq(pr->access, "w");
        ck_assert_str_eq(pr->added, "w");
        ck_assert_uint_eq(pr->count, 18);
        ck_assert_uint_eq(pr->n_paths, 3);
        ck_assert_uint_eq(pr->n_indexes, 2);
        ck_assert_uint_eq(pr->indexes[0], 7);
        ck_assert_uint_eq(pr->indexes[1], 42);
        ck_assert_uint_eq(m->items[0].proposal, 2);
        ck_assert_uint_eq(m->items[1].proposal, 2);
        ck_assert_uint_eq(m->items[2].proposal, 2);
}
END_TEST

static const struct {
        const char *mask;
        int r;
        const char *letters;
} masks[] = {
    /* what the mainline kernel prints: x w r a c d k m l, in that order */
    {"r", 0, "r"},
    {"w", 0, "w"},
    {"wr", 0, "rw"},
    {"wc", 0, "w"},
    {"c", 0, "w"},
    {"d", 0, "w"},
    {"wrd", 0, "rw"},
    {"a", 0, "a"},
    {"ac", 0, "w"},
    {"x", 0, "ix"},
    {"m", 0, "m"},
    {"k", 0, "k"},
    {"l", 0, "l"},
    {"xwracdkml", 0, "rwlkmix"},
    /* old kernels: owner::other, exec modes */
    {"r::r", 0, "r"},
    {"::r", 0, "r"},
    {"w::", 0, "w"},
    {"rw::a", 0, "rw"},
    {"ix", 0, "ix"},
    {"Px", 0, "ix"},
    {"cx", 0, "ix"},
    {"Cix", 0, "ix"},
    {"Nx", 0, "ix"},
    {"mrix", 0, "rmix"},
    /* nothing asked */
    {"", -ENODATA, NULL},
    {"::", -ENODATA, NULL},
    /* not file masks */
    {"send", -EINVAL, NULL},
    {"receive", -EINVAL, NULL},
    {"create", -EINVAL, NULL},
    {"connect", -EINVAL, NULL},
    {"trace", -EINVAL, NULL},
    {"R", -EINVAL, NULL},
    {"t", -EINVAL, NULL},
    {"i", -EINVAL, NULL},
    {"r:", -EINVAL, NULL},
    {"r w", -EINVAL, NULL},
    {"rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr", -EINVAL, NULL},
    /* at most 32 bytes, whichever letter ends them */
    {"rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr", 0, "r"},
    {"rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr", -EINVAL, NULL},
    {"rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrix", 0, "rix"},
    {"rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrix", -EINVAL, NULL},
    {"rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr::", -EINVAL, NULL},
    {NULL, -EINVAL, NULL},
};

START_TEST(test_mask_table)
{
        char out[PATH_ACCESS_MAX] = "same";
        int r = path_access_from_mask(masks[_i].mask, out);

        ck_assert_msg(r == masks[_i].r, "'%s': %d", masks[_i].mask, r);
        if (r == 0)
                ck_assert_str_eq(out, masks[_i].letters);
        else
                ck_assert_str_eq(out, "same");
}
END_TEST

static const struct {
        const char *glob, *path;
        bool match;
} globs[] = {
    {"/dir/*", "/dir/a", true},
    /* a whole-component '*' or '**' needs a character (apparmor_parser) */
    {"/dir/*", "/dir/", false},
    {"/dir/**", "/dir/", false},
    {"/dir/**", "/dir/a/b", true},
    {"/dir/*bar", "/dir/bar", true},
    {"/dir/*/x", "/dir//x", false},
    {"/dir/a*", "/dir/a", true},
    {"@{PROC}/@{pid}/stat", "/proc/1/stat", true},
    {"@{PROC}/@{pid}/stat", "/proc/4194304/stat", true},
    {"@{PROC}/@{pid}/stat", "/proc/0/stat", false},
    {"@{PROC}/@{pid}/stat", "/proc/012/stat", false},
    {"@{PROC}/@{pid}/stat", "/proc/5000000/stat", false},
    {"@{PROC}/@{pid}/stat", "/proc/self/stat", false},
    {"@{PROC}/@{pid}/task/@{tid}/x", "/proc/1/task/2/x", true},
    {"@{PROC}/sys/kernel/*", "/proc/sys/kernel/ostype", true},
    {"@{PROC}/*/mem", "/proc/9/mem", true},
    {"@{HOME}/.x", "/home/u/.x", true},
    {"@{HOME}/.x", "/root/.x", true},
    {"@{HOME}/.x", "/home/.x", false},
    {"@{run}/a", "/var/run/a", true},
    {"@{run}/a", "/run/a", true},
    {"@{sys}/fs/cgroup/**", "/sys/fs/cgroup/cpu.max", true},
    {"/{usr/,}bin/**", "/bin/sh", true},
    {"/{usr/,}bin/**", "/usr/bin/sh", true},
    {"/{usr/,}bin/**", "/usr/sbin/sh", false},
    {"/etc/{a,b}", "/etc/b", true},
    {"/etc/{a,b}", "/etc/c", false},
    {"/x/[0-9]", "/x/5", true},
    {"@{bogus}/x", "/x", false},
    /* 2^7 variants: more than are tried; the first ones still match */
    {"@{run}/@{run}/@{run}/@{run}/@{run}/@{run}/@{run}/x", "/run/run/run/run/run/run/run/x", true},
    {"@{run}/@{run}/@{run}/@{run}/@{run}/@{run}/@{run}/x",
     "/var/run/var/run/var/run/var/run/var/run/var/run/var/run/x", false},
    {"relative", "relative", false},
    {NULL, "/x", false},
    {"/x", NULL, false},
};

START_TEST(test_glob_match_table)
{
        ck_assert_msg(path_glob_match(globs[_i].glob, globs[_i].path) == globs[_i].match,
                      "'%s' '%s'", globs[_i].glob, globs[_i].path);
}
END_TEST

START_TEST(test_merge_bounds)
{
        struct path_observed one = {"/x", "r", 1, 0};
        _cleanup_(path_merge_freep) struct path_merge *m = NULL;

        ck_assert_int_eq(path_merge(&one, PATH_MERGE_ITEMS_MAX + 1, NULL, 0, &m), -E2BIG);
        ck_assert_int_eq(path_merge(&one, 1, NULL, PATH_MERGE_ITEMS_MAX + 1, &m), -EINVAL);
        ck_assert_int_eq(path_merge(NULL, 1, NULL, 0, &m), -EINVAL);
        ck_assert_ptr_null(m);
        ck_assert_int_eq(path_merge(NULL, 0, NULL, 0, &m), 0);
        ck_assert_uint_eq(m->n_proposals, 0);
        ck_assert_uint_eq(m->n_items, 0);
        ck_assert_ptr_null(path_merge_free(TAKE_PTR(m)));
}
END_TEST

/* A path of len bytes under /srv/long/. */
static char *long_path(size_t len)
{
        char *p = malloc(len + 1);

        memset(p, 'a', len);
        memcpy(p, "/srv/long/", 10);
        for (size_t i = 60; i < len; i += 60)
                p[i] = '/';
        p[len] = '\0';
        return p;
}

START_TEST(test_merge_long_paths)
{
        _cleanup_free_ char *ok = long_path(PATH_GLOB_MAX), *over = long_path(PATH_GLOB_MAX + 1);
        _cleanup_free_ char *proc = long_path(PATH_GLOB_MAX);
        _cleanup_(path_merge_freep) struct path_merge *m = NULL;
        struct path_observed obs[3] = {{ok, "r", 1, 0}, {over, "r", 1, 1}, {proc, "r", 1, 2}};

        /* /proc/1/... of 1024 bytes is longer once @{PROC}/@{pid} */
        memcpy(proc, "/proc/1/", 8);
        ck_assert_int_eq(path_merge(obs, 3, NULL, 0, &m), 0);
        ck_assert_uint_eq(m->n_proposals, 1);
        ck_assert_str_eq(m->proposals[0].glob, ok);
        ck_assert_str_eq(m->items[1].ignored, "path longer than 1024 bytes");
        ck_assert_str_eq(m->items[2].ignored, "path longer than 1024 bytes once written as a rule");
        check_invariants(obs, 3, m);
}
END_TEST

/* A long path under /proc keeps its process id: with @{pid} expanded it
 * would be too long to match (and to check) as a rule. */
START_TEST(test_merge_long_proc_path)
{
        _cleanup_free_ char *lp = long_path(980), *sp = long_path(200);
        _cleanup_(path_merge_freep) struct path_merge *m = NULL;
        struct path_observed obs[2] = {{lp, "r", 1, 0}, {sp, "r", 1, 1}};

        memcpy(lp, "/proc/1/", 8);
        memcpy(sp, "/proc/2/", 8);
        ck_assert_int_eq(path_merge(obs, 2, NULL, 0, &m), 0);
        ck_assert_uint_eq(m->n_proposals, 2);
        ck_assert_int_eq(strncmp(m->proposals[0].glob, "@{PROC}/1/", 10), 0);
        ck_assert_int_eq(strncmp(m->proposals[1].glob, "@{PROC}/@{pid}/", 15), 0);
        check_invariants(obs, 2, m);
}
END_TEST

/* A /proc path too long once written as a rule is unusable whatever the
 * policy says: a rule covering it changes nothing. "/proc/1/" is 7 bytes
 * longer as "@{PROC}/@{pid}/" (over 1024 bytes: unusable), or 2 bytes as
 * "@{PROC}/1/" when @{pid} expanded would be too long to match. */
static const struct {
        size_t len;
        const char *ignored; /* NULL: covered by the rule */
} proc_lengths[] = {
    {1000, NULL},
    {1012, NULL},
    {1013, NULL},
    {1017, NULL},
    {1018, "path longer than 1024 bytes once written as a rule"},
    {1024, "path longer than 1024 bytes once written as a rule"},
    {1025, "path longer than 1024 bytes"},
};

START_TEST(test_merge_long_proc_covered)
{
        _cleanup_free_ char *path = long_path(proc_lengths[_i].len);
        _cleanup_(path_merge_freep) struct path_merge *m = NULL;
        struct apparmor_file_rule files[] = {{(char *)"@{PROC}/**", (char *)"r", {0, 0}}};
        struct policy_apparmor aa = {.files = files, .n_files = 1};
        struct path_observed obs = {path, "r", 1, 0};
        const struct path_merge_item *it;

        memcpy(path, "/proc/1/", 8);
        ck_assert_int_eq(path_merge(&obs, 1, &aa, 0, &m), 0);
        it = &m->items[0];
        ck_assert_uint_eq(m->n_proposals, 0);
        if (proc_lengths[_i].ignored) {
                ck_assert_str_eq(it->ignored, proc_lengths[_i].ignored);
                ck_assert_str_eq(it->covered, "");
                ck_assert_uint_eq(it->covered_by, SIZE_MAX);
        } else {
                ck_assert_ptr_null(it->ignored);
                ck_assert_str_eq(it->covered, "r");
                ck_assert_uint_eq(it->covered_by, 0);
        }
        check_invariants(&obs, 1, m);
}
END_TEST

/* Glob forms longer than the room set aside for them: each path its own
 * rule (one file per directory), every glob the path itself. */
START_TEST(test_merge_long_distinct_paths)
{
        enum { N = 64, LEN = 700 };
        _cleanup_free_ char *text = malloc(N * (LEN + 1));
        _cleanup_free_ struct path_observed *obs = calloc(N, sizeof(*obs));
        _cleanup_(path_merge_freep) struct path_merge *m = NULL;

        for (size_t i = 0; i < N; i++) {
                char *p = text + i * (LEN + 1);

                memset(p, 'b', LEN);
                p[LEN] = '\0';
                snprintf(p, 16, "/srv/d%02zu/", i);
                p[strlen(p)] = 'f';
                obs[i] = (struct path_observed){p, "r", 1, i};
        }
        ck_assert_int_eq(path_merge(obs, N, NULL, 0, &m), 0);
        ck_assert_uint_eq(m->n_proposals, N);
        for (size_t i = 0; i < N; i++) {
                ck_assert_str_eq(m->proposals[i].glob, obs[i].path);
                ck_assert_uint_eq(m->items[i].proposal, i);
        }
        check_invariants(obs, N, m);
}
END_TEST

/* Many generated paths: the same result in any input order, and every
 * invariant. */
START_TEST(test_merge_generated_any_order)
{
        enum { N = 20000 };
        static const char *const mk[] = {"r", "rw", "wc", "x", "mr", "k", "a", "l", "wrd"};
        _cleanup_free_ struct path_observed *obs = calloc(N, sizeof(*obs));
        _cleanup_free_ struct path_observed *rev = calloc(N, sizeof(*rev));
        _cleanup_free_ char *text = calloc(N, 64);
        _cleanup_(path_merge_freep) struct path_merge *a = NULL, *b = NULL;
        struct apparmor_file_rule files[] = {{(char *)"/srv/www/**", (char *)"r", {0, 0}},
                                             {(char *)"@{PROC}/@{pid}/stat", (char *)"r", {0, 0}}};
        struct apparmor_file_rule deny[] = {{(char *)"/etc/shadow", (char *)"rw", {0, 0}}};
        struct policy_apparmor aa = {.files = files, .n_files = 2, .deny = deny, .n_deny = 1};
        uint64_t x = 12345;

        for (size_t i = 0; i < N; i++) {
                char *p = text + i * 64;
                unsigned k;

                x = x * 6364136223846793005u + 1442695040888963407u;
                k = (unsigned)(x >> 33);
                switch (k % 8) {
                case 0:
                        snprintf(p, 64, "/var/lib/app/s%u/o%u", k % 37, (k >> 8) % 50);
                        break;
                case 1:
                        snprintf(p, 64, "/proc/%u/%s", 1 + (k >> 4) % 5000,
                                 (k & 16) ? "status" : "task/7/stat");
                        break;
                case 2:
                        snprintf(p, 64, "/tmp/up-%c%c%c%u%c", 'a' + k % 26, 'A' + (k >> 5) % 26,
                                 'a' + (k >> 10) % 26, (k >> 15) % 1000, 'Q');
                        break;
                case 3:
                        snprintf(p, 64, "/etc/app/conf.d/%u.conf", (k >> 4) % 300);
                        break;
                case 4:
                        snprintf(p, 64, "/usr/bin/t%u", (k >> 4) % 40);
                        break;
                case 5:
                        snprintf(p, 64, "/srv/www/site%u/%u.png", (k >> 4) % 9, (k >> 9) % 70);
                        break;
                case 6:
                        snprintf(p, 64, "/etc/%s", (k & 16) ? "shadow" : "hosts");
                        break;
                default:
                        snprintf(p, 64, "/home/u%u/.cache/x%c%u", (k >> 4) % 3, '"' + (k & 1),
                                 (k >> 8) % 20);
                        break;
                }
                obs[i] = (struct path_observed){p, mk[(k >> 20) % ELEMENTSOF(mk)], 1 + k % 9, i};
                rev[N - 1 - i] = obs[i];
        }
        ck_assert_int_eq(path_merge(obs, N, &aa, 0, &a), 0);
        ck_assert_int_eq(path_merge(rev, N, &aa, 0, &b), 0);
        check_invariants(obs, N, a);
        check_invariants(rev, N, b);
        ck_assert_uint_eq(a->n_proposals, b->n_proposals);
        ck_assert_uint_gt(a->n_proposals, 10);
        for (size_t p = 0; p < a->n_proposals; p++) {
                const struct path_proposal *pa = &a->proposals[p], *pb = &b->proposals[p];

                ck_assert_str_eq(pa->glob, pb->glob);
                ck_assert_str_eq(pa->access, pb->access);
                ck_assert_str_eq(pa->reason, pb->reason);
                ck_assert_uint_eq(pa->count, pb->count);
                ck_assert_uint_eq(pa->n_paths, pb->n_paths);
                ck_assert_uint_eq(pa->n_indexes, pb->n_indexes);
                ck_assert_mem_eq(pa->indexes, pb->indexes, pa->n_indexes * sizeof(size_t));
        }
}
END_TEST

static bool have_parser(void)
{
        return test_require(access("/usr/sbin/apparmor_parser", X_OK) == 0 ||
                                access("/sbin/apparmor_parser", X_OK) == 0,
                            "apparmor_parser (Debian package apparmor)");
}

/* The proposals for observations of the api service, against its shipped
 * policy, loaded as a policy of their own, rendered, and compiled by
 * apparmor_parser: what `propose` suggests is a profile that loads. */
START_TEST(test_proposals_compile)
{
        static const struct obs_def seen[] = {
            {"r", "/etc/api/config.yaml"}, /* covered by the DIR** of /etc/api/ */
            {"r", "/etc/app/a.conf"},
            {"r", "/etc/app/b.conf"},
            {"r", "/etc/app/c.conf"},
            {"w", "/etc/app/state"},
            {"r", "/proc/812/status"},
            {"r", "/proc/812/task/813/stat"},
            {"w", "/proc/812/oom_score_adj"},
            {"r", "/proc/sys/net/core/somaxconn"}, /* covered */
            {"wc", "/var/lib/api/db/1"},
            {"wc", "/var/lib/api/db/2"},
            {"wc", "/var/lib/api/db/3"},
            {"r", "/var/lib/api/idx/1"},
            {"r", "/var/lib/api/idx/2"},
            {"r", "/var/lib/api/idx/3"},
            {"wc", "/run/api/sock.Ab3dE9"},
            {"x", "/usr/bin/curl"},
            {"mr", "/usr/lib/x86_64-linux-gnu/libcurl.so.4"},
            {"r", "/srv/odd\"na\\me{x,y}"},
            {"rw", "/etc/shadow"}, /* denied */
            {"a", "/var/log/api/access.log"},
            {"k", "/var/log/api/access.log"},
        };
        _cleanup_policy_ struct policy *api = NULL, *p = NULL;
        _cleanup_apparmor_profile_ struct apparmor_profile *prof = NULL;
        _cleanup_(path_merge_freep) struct path_merge *m = NULL;
        _cleanup_free_ char *yaml = NULL;
        struct path_observed obs[ELEMENTSOF(seen)];
        struct apparmor_parser_error e = {0};
        struct diag_list d;
        size_t size = 0;
        FILE *f;

        ck_assert_int_eq(diag_list_init(&d, "api.yaml"), 0);
        ck_assert_int_eq(policy_load_file(test_path("profiles/api.yaml"), &d, &api), 0);
        diag_list_done(&d);
        for (size_t i = 0; i < ELEMENTSOF(seen); i++)
                obs[i] = (struct path_observed){seen[i].path, seen[i].mask, 1, i};
        ck_assert_int_eq(path_merge(obs, ELEMENTSOF(seen), &api->apparmor, 0, &m), 0);
        check_invariants(obs, ELEMENTSOF(seen), m);
        ck_assert_str_eq(m->items[0].covered, "r");
        ck_assert_str_eq(m->items[8].covered, "r");
        ck_assert_str_eq(m->items[19].denied, "rw");
        ck_assert_uint_ge(m->n_proposals, 8);

        f = open_memstream(&yaml, &size);
        ck_assert_ptr_nonnull(f);
        fputs("service: proposed\nmatch:\n  units: [proposed.service]\napparmor:\n  files:\n", f);
        for (size_t i = 0; i < m->n_proposals; i++)
                fprintf(f, "    - path: \"%s\"\n      access: %s\n", m->proposals[i].glob,
                        m->proposals[i].access);
        ck_assert_int_eq(fclose(f), 0);
        ck_assert_int_eq(diag_list_init(&d, "proposed.yaml"), 0);
        ck_assert_msg(policy_load_buffer(yaml, size, AT_FDCWD, &d, &p) == 0, "%s", yaml);
        diag_list_done(&d);
        ck_assert_int_eq(apparmor_render(p, POLICY_MODE_ENFORCE, NULL, &prof), 0);
        if (!have_parser())
                return;
        ck_assert_msg(apparmor_compile_profile(NULL, prof, &e, NULL) == 0, "%s\n%s",
                      e.message ? e.message : "", prof->text);
        apparmor_parser_error_done(&e);
}
END_TEST

static Suite *insight_path_merge_suite(void)
{
        Suite *s = suite_create("insight-path-merge");
        TCase *tc = tcase_create("merge");

        tcase_add_loop_test(tc, test_merge_table, 0, (int)ELEMENTSOF(cases));
        tcase_add_test(tc, test_merge_items_point_back);
        tcase_add_loop_test(tc, test_mask_table, 0, (int)ELEMENTSOF(masks));
        tcase_add_loop_test(tc, test_glob_match_table, 0, (int)ELEMENTSOF(globs));
        tcase_add_test(tc, test_merge_bounds);
        tcase_add_test(tc, test_merge_long_paths);
        tcase_add_test(tc, test_merge_long_proc_path);
        tcase_add_loop_test(tc, test_merge_long_proc_covered, 0, (int)ELEMENTSOF(proc_lengths));
        tcase_add_test(tc, test_merge_long_distinct_paths);
        tcase_add_test(tc, test_merge_generated_any_order);
        tcase_add_test(tc, test_proposals_compile);
        tcase_set_timeout(tc, 60);
        suite_add_tcase(s, tc);
        return s;
}
TEST_SUITE(insight_path_merge_suite)
