/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include "base/fileio.h"
#include "base/parse-util.h"
#include "policy/load-util.h"
#include "policy/yaml-tree.h"

void config_init_defaults(struct hardend_config *c)
{
        *c = (struct hardend_config){
            .profiles_dir = "/etc/hardend/profiles",
            .state_dir = "/var/lib/hardend",
            .runtime_dir = "/run/hardend",
            .seccomp_dir = "/var/lib/hardend/seccomp",
            /* The netlink multicast group sees type-1326 records even with
             * auditd off; the journal is the fallback where it is not. */
            .sources = {.netlink = true, .journal = false},
            .scan_interval_usec = 60ull * 1000000ull,
            .quiet_period_usec = 86400ull * 1000000ull,
            .max_keys = 16384,
            .max_processes = 4096,
            .netlink_rcvbuf = 8ull << 20,
            .read_gid = CONFIG_GROUP_NONE,
            .watchdog = true,
        };
}

int config_socket_path(const struct hardend_config *c, char *buf, size_t size)
{
        int n = snprintf(buf, size, "%s/%s", c->runtime_dir, CONFIG_SOCKET_NAME);

        if (n < 0 || (size_t)n >= size)
                return -ENAMETOOLONG;
        return 0;
}

/* The loader works on a copy; the caller's struct is written only when
 * the whole file is clean. base gives the policy loader's helpers (typed
 * access, unknown keys with did-you-mean); its policy is unused. */
struct config_loader {
        struct loader base;
        struct hardend_config c;
        const struct ynode *runtime_dir_at;
        const struct ynode *journal_dir_at;
};

struct config_key {
        const char *key;
        void (*load)(struct config_loader *l, const struct ynode *value);
};

static void error_at(struct config_loader *l, const struct ynode *at, const char *fmt, ...)
    _printf_(3, 4);
static void error_at(struct config_loader *l, const struct ynode *at, const char *fmt, ...)
{
        _cleanup_free_ char *msg = NULL;
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&msg, fmt, ap);
        va_end(ap);
        if (r < 0) {
                l->base.d->dropped++;
                return;
        }
        load_error(&l->base, at, "%s", msg);
}

/* An optional key given with nothing after it ("read_group:") or as ""
 * means "unset", which is how the printer writes unset keys. */
static bool is_unset(const struct ynode *n)
{
        return n->type == YNODE_SCALAR && n->scalar[0] == '\0';
}

/* Absolute, no '.' or '..' components, no control characters; repeated
 * and trailing slashes are dropped so the printer round-trips. */
static void load_dir(struct config_loader *l, const struct ynode *n, const char *what,
                     bool optional, char *out)
{
        char norm[CONFIG_PATH_MAX];
        const char *s;
        size_t len = 0;

        if (!expect_type(&l->base, n, YNODE_SCALAR, what))
                return;
        s = n->scalar;
        if (s[0] == '\0') {
                if (optional)
                        out[0] = '\0';
                else
                        error_at(l, n, "'%s' must not be empty", what);
                return;
        }
        if (s[0] != '/') {
                error_at(l, n, "'%s' must be an absolute path, not '%s'", what, s);
                return;
        }
        for (const char *c = s; *c; c++)
                if ((unsigned char)*c < 0x20 || *c == 0x7f) {
                        error_at(l, n, "'%s' contains a control character", what);
                        return;
                }
        for (const char *c = s; *c;) {
                size_t seg;

                while (*c == '/')
                        c++;
                seg = strcspn(c, "/");
                if (seg == 0)
                        break;
                if ((seg == 1 && c[0] == '.') || (seg == 2 && c[0] == '.' && c[1] == '.')) {
                        error_at(l, n, "'%s' must not contain '.' or '..' components: '%s'", what,
                                 s);
                        return;
                }
                if (len + 1 + seg >= sizeof(norm)) {
                        error_at(l, n, "'%s' is longer than %u bytes", what, CONFIG_PATH_MAX - 1);
                        return;
                }
                norm[len++] = '/';
                memcpy(norm + len, c, seg);
                len += seg;
                c += seg;
        }
        if (len == 0) {
                /* The agent creates and replaces files in these. */
                error_at(l, n, "'%s' must not be the root directory", what);
                return;
        }
        norm[len] = '\0';
        memcpy(out, norm, len + 1);
}

static void load_profiles_dir(struct config_loader *l, const struct ynode *n)
{
        load_dir(l, n, "profiles_dir", false, l->c.profiles_dir);
}

static void load_state_dir(struct config_loader *l, const struct ynode *n)
{
        load_dir(l, n, "state_dir", false, l->c.state_dir);
}

static void load_runtime_dir(struct config_loader *l, const struct ynode *n)
{
        l->runtime_dir_at = n;
        load_dir(l, n, "runtime_dir", false, l->c.runtime_dir);
}

static void load_seccomp_dir(struct config_loader *l, const struct ynode *n)
{
        load_dir(l, n, "seccomp_dir", false, l->c.seccomp_dir);
}

static void load_bool_key(struct config_loader *l, const struct ynode *n, const char *what,
                          bool *out)
{
        bool b;

        if (load_bool(&l->base, n, what, &b))
                *out = b;
}

static void load_netlink(struct config_loader *l, const struct ynode *n)
{
        load_bool_key(l, n, "netlink", &l->c.sources.netlink);
}

static void load_journal(struct config_loader *l, const struct ynode *n)
{
        load_bool_key(l, n, "journal", &l->c.sources.journal);
}

static void load_journal_dir(struct config_loader *l, const struct ynode *n)
{
        l->journal_dir_at = n;
        load_dir(l, n, "journal_dir", true, l->c.sources.journal_dir);
}

static void load_watchdog(struct config_loader *l, const struct ynode *n)
{
        load_bool_key(l, n, "watchdog", &l->c.watchdog);
}

static void load_duration(struct config_loader *l, const struct ynode *n, const char *what,
                          uint64_t min, uint64_t max, uint64_t *out)
{
        char lo[32], hi[32];
        uint64_t v;
        int r;

        if (!expect_type(&l->base, n, YNODE_SCALAR, what))
                return;
        r = config_parse_duration(n->scalar, &v);
        if (r == -EINVAL) {
                error_at(l, n, "'%s' must be a duration such as 90s, 15m, 2h or 1d, not '%s'", what,
                         n->scalar);
                return;
        }
        if (r < 0 || v < min || v > max) {
                error_at(l, n, "'%s' must be from %s to %s, not '%s'", what,
                         config_format_duration(min, lo, sizeof(lo)),
                         config_format_duration(max, hi, sizeof(hi)), n->scalar);
                return;
        }
        *out = v;
}

static void load_scan_interval(struct config_loader *l, const struct ynode *n)
{
        load_duration(l, n, "scan_interval", CONFIG_SCAN_INTERVAL_MIN_USEC,
                      CONFIG_SCAN_INTERVAL_MAX_USEC, &l->c.scan_interval_usec);
}

static void load_quiet_period(struct config_loader *l, const struct ynode *n)
{
        load_duration(l, n, "quiet_period", 0, CONFIG_QUIET_PERIOD_MAX_USEC,
                      &l->c.quiet_period_usec);
}

static void load_count(struct config_loader *l, const struct ynode *n, const char *what,
                       uint64_t max, uint64_t *out)
{
        uint64_t v;

        if (!expect_type(&l->base, n, YNODE_SCALAR, what))
                return;
        if (safe_atou64_max(n->scalar, max, &v) < 0 || v < 1) {
                error_at(l, n, "'%s' must be a number from 1 to %llu, not '%s'", what,
                         (unsigned long long)max, n->scalar);
                return;
        }
        *out = v;
}

static void load_max_keys(struct config_loader *l, const struct ynode *n)
{
        load_count(l, n, "max_keys", CONFIG_MAX_KEYS_MAX, &l->c.max_keys);
}

static void load_max_processes(struct config_loader *l, const struct ynode *n)
{
        load_count(l, n, "max_processes", CONFIG_MAX_PROCESSES_MAX, &l->c.max_processes);
}

static void load_netlink_rcvbuf(struct config_loader *l, const struct ynode *n)
{
        uint64_t v;
        int r;

        if (!expect_type(&l->base, n, YNODE_SCALAR, "netlink_rcvbuf"))
                return;
        r = config_parse_size(n->scalar, &v);
        if (r == -EINVAL) {
                error_at(l, n,
                         "'netlink_rcvbuf' must be a size in bytes such as 8388608, 512K or 8M, "
                         "not '%s'",
                         n->scalar);
                return;
        }
        if (r < 0 || v < CONFIG_NETLINK_RCVBUF_MIN || v > CONFIG_NETLINK_RCVBUF_MAX) {
                error_at(l, n, "'netlink_rcvbuf' must be from 64K to 1G, not '%s'", n->scalar);
                return;
        }
        l->c.netlink_rcvbuf = v;
}

/* Login names as shadow's useradd accepts them by default, so that the
 * lookup below never sees arbitrary bytes. */
static bool group_name_valid(const char *s)
{
        size_t n = strlen(s);

        if (n == 0 || n >= CONFIG_GROUP_MAX)
                return false;
        if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') || s[0] == '_'))
                return false;
        for (size_t i = 1; i < n; i++)
                if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
                      (s[i] >= '0' && s[i] <= '9') || strchr("_.-", s[i]) ||
                      (s[i] == '$' && i == n - 1)))
                        return false;
        return true;
}

/* getgrnam_r with a buffer that grows on ERANGE (large groups), bounded. */
static int lookup_group(const char *name, gid_t *ret_gid)
{
        size_t size = 1024;

        for (;;) {
                _cleanup_free_ char *buf = malloc(size);
                struct group grp, *result = NULL;
                int r;

                if (!buf)
                        return -ENOMEM;
                r = getgrnam_r(name, &grp, buf, size, &result);
                if (r == ERANGE && size < (1u << 20)) {
                        size *= 4;
                        continue;
                }
                if (r != 0)
                        return -r;
                if (!result)
                        return -ESRCH;
                *ret_gid = grp.gr_gid;
                return 0;
        }
}

/* An unknown group is an error, not a warning: the operator meant to let
 * someone in, and would otherwise find out from a refused `status`. */
static void load_read_group(struct config_loader *l, const struct ynode *n)
{
        gid_t gid = 0;
        int r;

        if (!expect_type(&l->base, n, YNODE_SCALAR, "read_group"))
                return;
        if (is_unset(n)) {
                l->c.read_group[0] = '\0';
                l->c.read_gid = CONFIG_GROUP_NONE;
                return;
        }
        if (!group_name_valid(n->scalar)) {
                error_at(l, n,
                         "'read_group' must be a group name (letters, digits, '_', '.', '-', up "
                         "to %u characters), not '%s'",
                         CONFIG_GROUP_MAX - 1, n->scalar);
                return;
        }
        r = lookup_group(n->scalar, &gid);
        if (r == -ESRCH || r == -ENOENT) {
                error_at(l, n, "group '%s' does not exist", n->scalar);
                return;
        }
        if (r < 0) {
                error_at(l, n, "cannot look up group '%s': %s", n->scalar, strerror(-r));
                return;
        }
        strcpy(l->c.read_group, n->scalar);
        l->c.read_gid = gid;
}

static void load_keys(struct config_loader *l, const struct ynode *mapping, const char *where,
                      const struct config_key *keys, size_t n_keys)
{
        const char *names[16];

        /* Both tables are below; a new key past 16 fails every test. */
        if (n_keys > ELEMENTSOF(names))
                n_keys = ELEMENTSOF(names);
        for (size_t j = 0; j < n_keys; j++)
                names[j] = keys[j].key;
        check_keys(&l->base, mapping, where, names, n_keys);
        for (size_t i = 0; i < mapping->n_child; i += 2) {
                const char *key = mapping->child[i]->scalar;

                /* The YAML reader reported the duplicate; the first wins. */
                if (ynode_mapping_get(mapping, key) != mapping->child[i + 1])
                        continue;
                for (size_t j = 0; j < n_keys; j++)
                        if (strcmp(key, keys[j].key) == 0)
                                keys[j].load(l, mapping->child[i + 1]);
        }
}

static const struct config_key source_keys[] = {
    {"netlink", load_netlink},
    {"journal", load_journal},
    {"journal_dir", load_journal_dir},
};

static void load_sources(struct config_loader *l, const struct ynode *n)
{
        /* "sources:" with nothing after it: every source at its default. */
        if (is_unset(n) && n->plain)
                return;
        if (!expect_type(&l->base, n, YNODE_MAPPING, "sources"))
                return;
        load_keys(l, n, "sources", source_keys, ELEMENTSOF(source_keys));
}

static const struct config_key top_keys[] = {
    {"profiles_dir", load_profiles_dir},
    {"state_dir", load_state_dir},
    {"runtime_dir", load_runtime_dir},
    {"seccomp_dir", load_seccomp_dir},
    {"sources", load_sources},
    {"scan_interval", load_scan_interval},
    {"quiet_period", load_quiet_period},
    {"max_keys", load_max_keys},
    {"max_processes", load_max_processes},
    {"netlink_rcvbuf", load_netlink_rcvbuf},
    {"read_group", load_read_group},
    {"watchdog", load_watchdog},
};

/* Checks that need more than one key. */
static void cross_check(struct config_loader *l, const struct ynode *root)
{
        char sock[CONFIG_PATH_MAX + sizeof(CONFIG_SOCKET_NAME)];
        size_t max = sizeof(((struct sockaddr_un *)NULL)->sun_path) - 1;

        if (config_socket_path(&l->c, sock, sizeof(sock)) < 0 || strlen(sock) > max)
                error_at(l, l->runtime_dir_at ? l->runtime_dir_at : root,
                         "'runtime_dir' is too long for a Unix socket path: '%s/%s' must fit in "
                         "%zu bytes",
                         l->c.runtime_dir, CONFIG_SOCKET_NAME, max);
        if (l->c.sources.journal_dir[0] != '\0' && !l->c.sources.journal)
                error_at(l, l->journal_dir_at ? l->journal_dir_at : root,
                         "'journal_dir' is set but the journal source is off (journal: false)");
}

/* Blank lines, comments and document markers only: the shipped example,
 * which is every key commented out, must give the defaults. */
static bool only_comments(const char *data, size_t size)
{
        size_t i = 0;

        while (i < size) {
                size_t end = i;

                while (end < size && data[end] != '\n')
                        end++;
                while (i < end && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r'))
                        i++;
                if (i < end && data[i] != '#') {
                        size_t len = end - i;

                        while (len > 0 && (data[i + len - 1] == ' ' || data[i + len - 1] == '\r'))
                                len--;
                        if (!((len == 3 && memcmp(data + i, "---", 3) == 0) ||
                              (len == 3 && memcmp(data + i, "...", 3) == 0)))
                                return false;
                }
                i = end + 1;
        }
        return true;
}

int config_load_buffer(const char *data, size_t size, struct diag_list *d,
                       struct hardend_config *ret)
{
        _cleanup_(ynode_freep) struct ynode *root = NULL;
        size_t before = d->n + d->dropped;
        struct config_loader l = {.base = {.d = d, .dirfd = AT_FDCWD}};
        int r;

        if (size > CONFIG_MAX_BYTES) {
                diag_add(d, (struct loc){0}, "the configuration is larger than %u bytes",
                         CONFIG_MAX_BYTES);
                return -EFBIG;
        }
        config_init_defaults(&l.c);
        if (only_comments(data, size)) {
                *ret = l.c;
                return 0;
        }
        r = yaml_tree_parse(data, size, d, &root);
        if (r < 0)
                return r;
        if (root->type != YNODE_MAPPING) {
                diag_add(d, root->loc,
                         "the configuration is a mapping of keys (state_dir, sources, ...), not "
                         "%s",
                         ynode_type_name(root->type));
                return -EINVAL;
        }
        load_keys(&l, root, "the configuration", top_keys, ELEMENTSOF(top_keys));
        cross_check(&l, root);
        if (d->n + d->dropped > before)
                return -EINVAL;
        *ret = l.c;
        return 0;
}

int config_load_file(const char *path, struct diag_list *d, struct hardend_config *ret)
{
        _cleanup_free_ char *data = NULL;
        size_t size;
        int r;

        r = read_file_bounded(AT_FDCWD, path ?: CONFIG_DEFAULT_PATH, CONFIG_MAX_BYTES, &data,
                              &size);
        if (r == -ENOENT && !path) {
                config_init_defaults(ret);
                return 1;
        }
        if (r == -EFBIG) {
                diag_add(d, (struct loc){0}, "the configuration is larger than %u bytes",
                         CONFIG_MAX_BYTES);
                return r;
        }
        if (r < 0) {
                diag_add(d, (struct loc){0}, "cannot read: %s", strerror(-r));
                return r;
        }
        return config_load_buffer(data, size, d, ret);
}
