/* SPDX-License-Identifier: MIT */
/* The agent's configuration file: defaults, every key, the canonical
 * printer's round trip, and a table of invalid files with their exact
 * diagnostics. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/fileio.h"
#include "control/config.h"
#include "testing.h"

static char *print_config(const struct hardend_config *c)
{
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);

        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(config_print(c, f), 0);
        fclose(f);
        return buf;
}

static char *read_fixture(const char *rel)
{
        char *data = NULL;
        size_t size;

        ck_assert_int_eq(read_file_bounded(AT_FDCWD, test_path(rel), 1 << 20, &data, &size), 0);
        return data;
}

/* Field by field: the struct has padding, memcmp would compare garbage. */
static void assert_config_eq(const struct hardend_config *a, const struct hardend_config *b)
{
        ck_assert_str_eq(a->profiles_dir, b->profiles_dir);
        ck_assert_str_eq(a->state_dir, b->state_dir);
        ck_assert_str_eq(a->runtime_dir, b->runtime_dir);
        ck_assert_str_eq(a->seccomp_dir, b->seccomp_dir);
        ck_assert_int_eq(a->sources.netlink, b->sources.netlink);
        ck_assert_int_eq(a->sources.journal, b->sources.journal);
        ck_assert_str_eq(a->sources.journal_dir, b->sources.journal_dir);
        ck_assert_uint_eq(a->scan_interval_usec, b->scan_interval_usec);
        ck_assert_uint_eq(a->quiet_period_usec, b->quiet_period_usec);
        ck_assert_uint_eq(a->max_keys, b->max_keys);
        ck_assert_uint_eq(a->max_processes, b->max_processes);
        ck_assert_uint_eq(a->netlink_rcvbuf, b->netlink_rcvbuf);
        ck_assert_str_eq(a->read_group, b->read_group);
        ck_assert_uint_eq(a->read_gid, b->read_gid);
        ck_assert_int_eq(a->watchdog, b->watchdog);
}

/* Loads text; returns every diagnostic as "LINE:COL: message" lines and
 * checks that a failed load left *ret exactly as it was. */
static char *load_diags(const char *text, size_t size, int *ret_r, struct hardend_config *ret)
{
        struct hardend_config before;
        struct diag_list d;
        char *buf = NULL;
        size_t len = 0;
        FILE *f;
        int r;

        memset(ret, 0xa5, sizeof(*ret));
        memcpy(&before, ret, sizeof(before));
        ck_assert_int_eq(diag_list_init(&d, "t.yaml"), 0);
        r = config_load_buffer(text, size, &d, ret);
        ck_assert_int_eq(r < 0, diag_has_errors(&d));
        if (r < 0)
                ck_assert_int_eq(memcmp(&before, ret, sizeof(before)), 0);
        f = open_memstream(&buf, &len);
        for (size_t i = 0; i < d.n; i++)
                fprintf(f, "%u:%u: %s\n", d.items[i].loc.line, d.items[i].loc.col,
                        d.items[i].message);
        fclose(f);
        diag_list_done(&d);
        if (ret_r)
                *ret_r = r;
        return buf;
}

START_TEST(test_defaults)
{
        struct hardend_config c, loaded;
        char sock[128];
        _cleanup_free_ char *printed = NULL, *golden = NULL;

        config_init_defaults(&c);
        ck_assert_str_eq(c.profiles_dir, "/etc/hardend/profiles");
        ck_assert_str_eq(c.state_dir, "/var/lib/hardend");
        ck_assert_str_eq(c.runtime_dir, "/run/hardend");
        ck_assert_str_eq(c.seccomp_dir, "/var/lib/hardend/seccomp");
        ck_assert(c.sources.netlink);
        ck_assert(!c.sources.journal);
        ck_assert_str_eq(c.read_group, "");
        ck_assert(c.read_gid == CONFIG_GROUP_NONE); /* never root's group by accident */
        ck_assert_str_eq(c.sources.journal_dir, "");
        ck_assert_uint_eq(c.scan_interval_usec, 60 * 1000000ull);
        ck_assert_uint_eq(c.quiet_period_usec, 86400 * 1000000ull);
        ck_assert_uint_eq(c.max_keys, 16384);
        ck_assert_uint_eq(c.max_processes, 4096);
        ck_assert_uint_eq(c.netlink_rcvbuf, 8 << 20);
        ck_assert_str_eq(c.read_group, "");
        ck_assert(c.watchdog);
        ck_assert_int_eq(config_socket_path(&c, sock, sizeof(sock)), 0);
        ck_assert_str_eq(sock, "/run/hardend/control.sock");
        ck_assert_int_eq(config_socket_path(&c, sock, 10), -ENAMETOOLONG);

        printed = print_config(&c);
        golden = read_fixture("tests/fixtures/config/defaults.canonical.yaml");
        ck_assert_str_eq(printed, golden);
        free(load_diags(printed, strlen(printed), NULL, &loaded));
        assert_config_eq(&loaded, &c);
}
END_TEST

/* Documents that mean "no keys": all give the defaults. */
static const char *const empty_docs[] = {
    "",
    "\n\n",
    "# only a comment\n",
    "  # indented\n\n# two\n",
    "---\n",
    "---\n# c\n...\n",
    "\r\n# crlf\r\n",
};

START_TEST(test_empty)
{
        struct hardend_config c, def;
        _cleanup_free_ char *diags = NULL;
        int r;

        config_init_defaults(&def);
        diags = load_diags(empty_docs[_i], strlen(empty_docs[_i]), &r, &c);
        ck_assert_str_eq(diags, "");
        ck_assert_int_eq(r, 0);
        assert_config_eq(&c, &def);
}
END_TEST

START_TEST(test_full_round_trip)
{
        struct hardend_config c, again;
        struct diag_list d;
        _cleanup_free_ char *printed = NULL, *golden = NULL, *printed2 = NULL;

        ck_assert_int_eq(diag_list_init(&d, "full.yaml"), 0);
        ck_assert_int_eq(config_load_file(test_path("tests/fixtures/config/full.yaml"), &d, &c), 0);
        ck_assert(!diag_has_errors(&d));
        diag_list_done(&d);

        ck_assert_str_eq(c.profiles_dir, "/srv/hardend/profiles");
        ck_assert_str_eq(c.state_dir, "/srv/hardend/state");
        ck_assert_str_eq(c.runtime_dir, "/tmp/hardend-test");
        ck_assert_str_eq(c.seccomp_dir, "/var/lib/kubelet/seccomp/hardend");
        ck_assert(!c.sources.netlink);
        ck_assert(c.sources.journal);
        ck_assert_str_eq(c.sources.journal_dir, "/var/log/journal/remote");
        ck_assert_uint_eq(c.scan_interval_usec, 90 * 1000000ull);
        ck_assert_uint_eq(c.quiet_period_usec, 7200 * 1000000ull);
        ck_assert_uint_eq(c.max_keys, 100000);
        ck_assert_uint_eq(c.max_processes, 256);
        ck_assert_uint_eq(c.netlink_rcvbuf, 16 << 20);
        ck_assert_str_eq(c.read_group, "daemon");
        ck_assert_ptr_nonnull(getgrnam("daemon"));
        ck_assert_uint_eq(c.read_gid, getgrnam("daemon")->gr_gid);
        ck_assert(!c.watchdog);

        printed = print_config(&c);
        golden = read_fixture("tests/fixtures/config/full.canonical.yaml");
        ck_assert_str_eq(printed, golden);
        free(load_diags(printed, strlen(printed), NULL, &again));
        assert_config_eq(&again, &c);
        printed2 = print_config(&again);
        ck_assert_str_eq(printed2, printed);
}
END_TEST

/* Values the printer must quote to read back the same bytes. */
static const char *const odd_paths[] = {
    "/srv/with space",  "/srv/a: b",        "/srv/x #y",     "/srv/\"q\"",
    "/srv/back\\slash", "/srv/caf\xc3\xa9", "/srv/'single'", "/srv/-dash",
    "/srv/~",           "/srv/@at",         "/srv/true",
};

START_TEST(test_odd_paths_round_trip)
{
        struct hardend_config c, again;
        _cleanup_free_ char *printed = NULL, *diags = NULL;

        config_init_defaults(&c);
        snprintf(c.state_dir, sizeof(c.state_dir), "%s", odd_paths[_i]);
        printed = print_config(&c);
        diags = load_diags(printed, strlen(printed), NULL, &again);
        ck_assert_str_eq(diags, "");
        assert_config_eq(&again, &c);
}
END_TEST

#define LONG_DIR                                                                                   \
        "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" \
        "aa"                                                                                       \
        "aaaaaaaaaaaaaaaaaaaaaaaaa"

static const struct {
        const char *name;
        const char *text;
        const char *diags;
} invalid[] = {
    {"syntax", "state_dir: [unclosed\n",
     "2:1: YAML syntax error: did not find expected ',' or ']' while parsing a flow sequence\n"},
    {"not a mapping", "- a\n",
     "1:1: the configuration is a mapping of keys (state_dir, sources, ...), not a list\n"},
    {"scalar root", "hello\n",
     "1:1: the configuration is a mapping of keys (state_dir, sources, ...), not a scalar\n"},
    {"unknown key", "stat_dir: /x\n",
     "1:1: unknown key 'stat_dir' in the configuration (did you mean 'state_dir'?)\n"},
    {"unknown key, no suggestion", "frobnicate: 1\n",
     "1:1: unknown key 'frobnicate' in the configuration\n"},
    {"unknown source", "sources:\n  jornal: true\n",
     "2:3: unknown key 'jornal' in sources (did you mean 'journal'?)\n"},
    {"duplicate key", "max_keys: 5\nmax_keys: 6\n",
     "2:1: duplicate key 'max_keys' (first at line 1)\n"},
    {"duplicate key, first still checked", "max_keys: 0\nmax_keys: 6\n",
     /* In the order found: the reader's, then the loader's (diag_print sorts). */
     "2:1: duplicate key 'max_keys' (first at line 1)\n"
     "1:11: 'max_keys' must be a number from 1 to 100000000, not '0'\n"},
    {"relative path", "state_dir: var/lib\n",
     "1:12: 'state_dir' must be an absolute path, not 'var/lib'\n"},
    {"dot dot", "profiles_dir: /etc/../tmp\n",
     "1:15: 'profiles_dir' must not contain '.' or '..' components: '/etc/../tmp'\n"},
    {"dot", "seccomp_dir: /var/./x\n",
     "1:14: 'seccomp_dir' must not contain '.' or '..' components: '/var/./x'\n"},
    {"root dir", "state_dir: //\n", "1:12: 'state_dir' must not be the root directory\n"},
    {"empty dir", "state_dir:\n", "1:11: 'state_dir' must not be empty\n"},
    {"control char", "state_dir: \"/a\\tb\"\n", "1:12: 'state_dir' contains a control character\n"},
    {"path too long", "state_dir: " LONG_DIR LONG_DIR LONG_DIR "\n",
     "1:12: 'state_dir' is longer than 255 bytes\n"},
    {"socket path too long", "runtime_dir: " LONG_DIR "\n",
     "1:14: 'runtime_dir' is too long for a Unix socket path: '" LONG_DIR
     "/control.sock' must fit in 107 bytes\n"},
    {"dir is a list", "runtime_dir: [/a]\n", "1:14: 'runtime_dir' must be a scalar, not a list\n"},
    {"sources not a mapping", "sources: [netlink]\n",
     "1:10: 'sources' must be a mapping, not a list\n"},
    {"bool yes", "watchdog: yes\n", "1:11: 'watchdog' must be true or false, not 'yes'\n"},
    {"bool quoted", "sources:\n  netlink: 'true'\n",
     "2:12: 'netlink' must be true or false without quotes, not the string 'true'\n"},
    {"journal_dir without journal", "sources:\n  journal_dir: /var/log/journal\n",
     "2:16: 'journal_dir' is set but the journal source is off (journal: false)\n"},
    {"relative journal_dir", "sources:\n  journal: true\n  journal_dir: journal\n",
     "3:16: 'journal_dir' must be an absolute path, not 'journal'\n"},
    {"duration without unit", "scan_interval: 60\n",
     "1:16: 'scan_interval' must be a duration such as 90s, 15m, 2h or 1d, not '60'\n"},
    {"duration unknown unit", "quiet_period: 3w\n",
     "1:15: 'quiet_period' must be a duration such as 90s, 15m, 2h or 1d, not '3w'\n"},
    {"duration negative", "quiet_period: -1h\n",
     "1:15: 'quiet_period' must be a duration such as 90s, 15m, 2h or 1d, not '-1h'\n"},
    {"duration too short", "scan_interval: 0s\n",
     "1:16: 'scan_interval' must be from 1s to 1d, not '0s'\n"},
    {"duration too long", "scan_interval: 25h\n",
     "1:16: 'scan_interval' must be from 1s to 1d, not '25h'\n"},
    {"duration overflow", "quiet_period: 99999999999999999999d\n",
     "1:15: 'quiet_period' must be from 0s to 365d, not '99999999999999999999d'\n"},
    {"duration octal-looking", "scan_interval: 010s\n",
     "1:16: 'scan_interval' must be a duration such as 90s, 15m, 2h or 1d, not '010s'\n"},
    {"count zero", "max_processes: 0\n",
     "1:16: 'max_processes' must be a number from 1 to 10000000, not '0'\n"},
    {"count too big", "max_keys: 100000001\n",
     "1:11: 'max_keys' must be a number from 1 to 100000000, not '100000001'\n"},
    {"count negative", "max_keys: -5\n",
     "1:11: 'max_keys' must be a number from 1 to 100000000, not '-5'\n"},
    {"count float", "max_keys: 1.5\n",
     "1:11: 'max_keys' must be a number from 1 to 100000000, not '1.5'\n"},
    {"count is a mapping", "max_keys: {a: 1}\n",
     "1:11: 'max_keys' must be a scalar, not a mapping\n"},
    {"size bad unit", "netlink_rcvbuf: 8MB\n",
     "1:17: 'netlink_rcvbuf' must be a size in bytes such as 8388608, 512K or 8M, not '8MB'\n"},
    {"size too small", "netlink_rcvbuf: 4096\n",
     "1:17: 'netlink_rcvbuf' must be from 64K to 1G, not '4096'\n"},
    {"size too big", "netlink_rcvbuf: 2G\n",
     "1:17: 'netlink_rcvbuf' must be from 64K to 1G, not '2G'\n"},
    {"unknown group", "read_group: nosuchgroup-hardend\n",
     "1:13: group 'nosuchgroup-hardend' does not exist\n"},
    {"bad group name", "read_group: 'a b'\n",
     "1:13: 'read_group' must be a group name (letters, digits, '_', '.', '-', up to 32 "
     "characters), not 'a b'\n"},
    {"anchor", "state_dir: &a /x\n", "1:12: anchors ('&name') are not allowed here\n"},
    {"two documents", "max_keys: 5\n---\nmax_keys: 6\n",
     "2:1: more than one YAML document in the file\n"},
    {"every problem reported",
     "state_dri: /x\nruntime_dir: x\nsources:\n  netlnk: true\nwatchdog: on\n",
     "1:1: unknown key 'state_dri' in the configuration (did you mean 'state_dir'?)\n"
     "2:14: 'runtime_dir' must be an absolute path, not 'x'\n"
     "4:3: unknown key 'netlnk' in sources (did you mean 'netlink'?)\n"
     "5:11: 'watchdog' must be true or false, not 'on'\n"},
};

START_TEST(test_invalid)
{
        struct hardend_config c;
        _cleanup_free_ char *diags = NULL;
        int r;

        diags = load_diags(invalid[_i].text, strlen(invalid[_i].text), &r, &c);
        if (strcmp(diags, invalid[_i].diags) != 0)
                ck_abort_msg("%s: got\n%sexpected\n%s", invalid[_i].name, diags, invalid[_i].diags);
        ck_assert_int_lt(r, 0);
}
END_TEST

/* Valid spellings the loader accepts, and what they become. */
START_TEST(test_valid_values)
{
        struct hardend_config c;
        _cleanup_free_ char *diags = NULL;
        const char *text = "state_dir: /srv//x///\n"
                           "sources:\n"
                           "read_group: ''\n"
                           "quiet_period: 0s\n"
                           "scan_interval: 1 day\n"
                           "netlink_rcvbuf: 65536\n"
                           "max_keys: 100000000\n";

        diags = load_diags(text, strlen(text), NULL, &c);
        ck_assert_str_eq(diags, "");
        ck_assert_str_eq(c.state_dir, "/srv/x");
        ck_assert(c.sources.netlink);
        ck_assert_str_eq(c.read_group, "");
        ck_assert_uint_eq(c.quiet_period_usec, 0);
        ck_assert_uint_eq(c.scan_interval_usec, 86400 * 1000000ull);
        ck_assert_uint_eq(c.netlink_rcvbuf, 65536);
        ck_assert_uint_eq(c.max_keys, 100000000);
}
END_TEST

static const struct {
        const char *s;
        int r;
        uint64_t v;
} durations[] = {
    {"90s", 0, 90},
    {"15m", 0, 900},
    {"15min", 0, 900},
    {"2h", 0, 7200},
    {"1d", 0, 86400},
    {"2 days", 0, 172800},
    {"1 second", 0, 1},
    {"0s", 0, 0},
    {"", -EINVAL, 0},
    {"s", -EINVAL, 0},
    {"5", -EINVAL, 0},
    {"5x", -EINVAL, 0},
    {" 5s", -EINVAL, 0},
    {"5s ", -EINVAL, 0},
    {"1.5h", -EINVAL, 0},
    {"0x10s", -EINVAL, 0},
    {"213503982336d", -ERANGE, 0},
    {"123456789012345678901s", -ERANGE, 0},
};

START_TEST(test_duration)
{
        uint64_t v = 42;
        char buf[32];

        ck_assert_int_eq(config_parse_duration(durations[_i].s, &v), durations[_i].r);
        if (durations[_i].r < 0) {
                ck_assert_uint_eq(v, 42);
                return;
        }
        ck_assert_uint_eq(v, durations[_i].v * 1000000ull);
        /* The printed form reads back to the same value. */
        v = 42;
        ck_assert_int_eq(
            config_parse_duration(
                config_format_duration(durations[_i].v * 1000000ull, buf, sizeof(buf)), &v),
            0);
        ck_assert_uint_eq(v, durations[_i].v * 1000000ull);
}
END_TEST

START_TEST(test_size)
{
        char buf[32];
        uint64_t v;

        ck_assert_int_eq(config_parse_size("8M", &v), 0);
        ck_assert_uint_eq(v, 8 << 20);
        ck_assert_int_eq(config_parse_size("512KiB", &v), 0);
        ck_assert_uint_eq(v, 512 << 10);
        ck_assert_int_eq(config_parse_size("1 G", &v), 0);
        ck_assert_uint_eq(v, 1 << 30);
        ck_assert_int_eq(config_parse_size("100", &v), 0);
        ck_assert_uint_eq(v, 100);
        ck_assert_int_eq(config_parse_size("8m", &v), -EINVAL);
        ck_assert_int_eq(config_parse_size("99999999999G", &v), -ERANGE);
        ck_assert_str_eq(config_format_size(8 << 20, buf, sizeof(buf)), "8M");
        ck_assert_str_eq(config_format_size((8 << 20) + 1024, buf, sizeof(buf)), "8193K");
        ck_assert_str_eq(config_format_size(100, buf, sizeof(buf)), "100");
        ck_assert_str_eq(config_format_size(0, buf, sizeof(buf)), "0");
        ck_assert_str_eq(config_format_duration(0, buf, sizeof(buf)), "0s");
        ck_assert_str_eq(config_format_duration(3600 * 1000000ull, buf, sizeof(buf)), "1h");
}
END_TEST

/* The diagnostics of a real file, as the agent prints them. */
START_TEST(test_file_diagnostics)
{
        _cleanup_free_ char *golden = NULL, *out = NULL;
        struct hardend_config c;
        struct diag_list d;
        size_t len = 0;
        FILE *f;

        memset(&c, 0x5a, sizeof(c));
        ck_assert_int_eq(diag_list_init(&d, "typos.yaml"), 0);
        ck_assert_int_eq(config_load_file(test_path("tests/fixtures/config/typos.yaml"), &d, &c),
                         -EINVAL);
        ck_assert_uint_eq(c.max_keys, 0x5a5a5a5a5a5a5a5aull);
        f = open_memstream(&out, &len);
        diag_print(&d, f);
        fclose(f);
        diag_list_done(&d);
        golden = read_fixture("tests/fixtures/config/typos.diags");
        ck_assert_str_eq(out, golden);
}
END_TEST

START_TEST(test_files)
{
        struct hardend_config c, def;
        struct diag_list d;

        config_init_defaults(&def);

        ck_assert_int_eq(diag_list_init(&d, "x"), 0);
        ck_assert_int_eq(config_load_file(test_path("tests/fixtures/config/empty.yaml"), &d, &c),
                         0);
        assert_config_eq(&c, &def);
        ck_assert_int_eq(
            config_load_file(test_path("tests/fixtures/config/not-a-mapping.yaml"), &d, &c),
            -EINVAL);
        ck_assert_uint_eq(d.n, 1);
        ck_assert_uint_eq(d.items[0].loc.line, 1);
        ck_assert_str_eq(d.items[0].message, "the configuration is a mapping of keys "
                                             "(state_dir, sources, ...), not a list");
        diag_list_done(&d);

        /* Named explicitly, a missing file is an error. */
        ck_assert_int_eq(diag_list_init(&d, "x"), 0);
        ck_assert_int_eq(config_load_file("/nonexistent/hardend.yaml", &d, &c), -ENOENT);
        ck_assert_uint_eq(d.n, 1);
        ck_assert_str_eq(d.items[0].message, "cannot read: No such file or directory");
        diag_list_done(&d);

        /* The default path may be missing: the agent runs without a file. */
        if (access(CONFIG_DEFAULT_PATH, F_OK) < 0) {
                ck_assert_int_eq(diag_list_init(&d, "x"), 0);
                memset(&c, 0, sizeof(c));
                ck_assert_int_eq(config_load_file(NULL, &d, &c), 1);
                ck_assert(!diag_has_errors(&d));
                assert_config_eq(&c, &def);
                diag_list_done(&d);
        }
}
END_TEST

/* The shipped example: as is (all commented) it gives the defaults, and
 * with every "#key:" line uncommented it still does, so its values are
 * the real defaults and every key in it exists. */
START_TEST(test_packaged_example)
{
        _cleanup_free_ char *text = NULL, *uncommented = NULL, *diags = NULL;
        struct hardend_config c, def;
        size_t n_keys = 0, len = 0;
        regex_t re;
        FILE *f;

        config_init_defaults(&def);
        text = read_fixture("packaging/hardend.yaml");
        free(load_diags(text, strlen(text), NULL, &c));
        assert_config_eq(&c, &def);

        ck_assert_int_eq(regcomp(&re, "^#([a-z_]+|  [a-z_]+):", REG_EXTENDED | REG_NOSUB), 0);
        f = open_memstream(&uncommented, &len);
        for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
                if (regexec(&re, line, 0, NULL, 0) == 0) {
                        fprintf(f, "%s\n", line + 1);
                        n_keys++;
                }
        fclose(f);
        regfree(&re);
        /* 11 top-level keys, "sources:" and its 3 keys. */
        ck_assert_uint_eq(n_keys, 15);
        diags = load_diags(uncommented, len, NULL, &c);
        ck_assert_str_eq(diags, "");
        assert_config_eq(&c, &def);
}
END_TEST

/* Hostile input stops at the YAML reader's caps and the size cap. */
START_TEST(test_limits)
{
        struct hardend_config c;
        _cleanup_free_ char *big = NULL, *deep = NULL, *diags = NULL, *bomb = NULL;
        struct diag_list d;
        size_t n;

        n = CONFIG_MAX_BYTES + 1;
        big = malloc(n);
        memset(big, '#', n);
        ck_assert_int_eq(diag_list_init(&d, "t"), 0);
        ck_assert_int_eq(config_load_buffer(big, n, &d, &c), -EFBIG);
        ck_assert_str_eq(d.items[0].message, "the configuration is larger than 65536 bytes");
        diag_list_done(&d);

        deep = malloc(200);
        memset(deep, '[', 100);
        strcpy(deep + 100, "\n");
        diags = load_diags(deep, strlen(deep), NULL, &c);
        ck_assert_str_eq(diags, "1:17: nesting deeper than 16 levels\n");

        /* Many keys: each is reported, the list of kept ones is capped. */
        n = 0;
        bomb = malloc(CONFIG_MAX_BYTES);
        while (n + 8 < CONFIG_MAX_BYTES)
                n += (size_t)sprintf(bomb + n, "k%05zu: 1\n", n);
        ck_assert_int_eq(diag_list_init(&d, "t"), 0);
        ck_assert_int_eq(config_load_buffer(bomb, n, &d, &c), -EINVAL);
        ck_assert_uint_eq(d.n, DIAG_MAX);
        ck_assert_uint_gt(d.dropped, 0);
        diag_list_done(&d);
}
END_TEST

static Suite *control_config_suite(void)
{
        Suite *s = suite_create("control-config");
        TCase *tc = tcase_create("config");

        tcase_add_test(tc, test_defaults);
        tcase_add_loop_test(tc, test_empty, 0, ELEMENTSOF(empty_docs));
        tcase_add_test(tc, test_full_round_trip);
        tcase_add_loop_test(tc, test_odd_paths_round_trip, 0, ELEMENTSOF(odd_paths));
        tcase_add_loop_test(tc, test_invalid, 0, ELEMENTSOF(invalid));
        tcase_add_test(tc, test_valid_values);
        tcase_add_loop_test(tc, test_duration, 0, ELEMENTSOF(durations));
        tcase_add_test(tc, test_size);
        tcase_add_test(tc, test_file_diagnostics);
        tcase_add_test(tc, test_files);
        tcase_add_test(tc, test_packaged_example);
        tcase_add_test(tc, test_limits);
        suite_add_tcase(s, tc);
        return s;
}
TEST_SUITE(control_config_suite)
