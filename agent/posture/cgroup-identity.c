/* SPDX-License-Identifier: MIT */
#include "cgroup-identity.h"

#include <errno.h>
#include <string.h>

#define MAX_COMPONENTS 64

static const char *const runtime_names[_RUNTIME_MAX] = {
    [RUNTIME_NONE] = "host",  [RUNTIME_DOCKER] = "docker", [RUNTIME_CONTAINERD] = "containerd",
    [RUNTIME_CRIO] = "cri-o", [RUNTIME_PODMAN] = "podman", [RUNTIME_CRI] = "cri",
    [RUNTIME_LXC] = "lxc",    [RUNTIME_NSPAWN] = "nspawn",
};

const char *workload_runtime_to_string(enum workload_runtime r)
{
        return r >= 0 && r < _RUNTIME_MAX ? runtime_names[r] : "unknown";
}

const char *cgroup_role_to_string(enum cgroup_role r)
{
        switch (r) {
        case CGROUP_ROLE_HOST:
                return "host";
        case CGROUP_ROLE_CONTAINER:
                return "container";
        case CGROUP_ROLE_MONITOR:
                return "monitor";
        default:
                return "unknown";
        }
}

struct comp {
        const char *s;
        size_t n;
};

static bool comp_is(const struct comp *c, const char *word)
{
        return c->n == strlen(word) && memcmp(c->s, word, c->n) == 0;
}

static bool starts_with(const char *s, size_t n, const char *prefix)
{
        size_t p = strlen(prefix);

        return n >= p && memcmp(s, prefix, p) == 0;
}

static bool ends_with(const char *s, size_t n, const char *suffix)
{
        size_t p = strlen(suffix);

        return n >= p && memcmp(s + n - p, suffix, p) == 0;
}

static bool is_hex(const char *s, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
                        return false;
        return true;
}

static bool is_hex64(const char *s, size_t n)
{
        return n == 64 && is_hex(s, n);
}

/* LXC container names and nspawn machine names: hostname-like. */
static bool valid_name(const char *s, size_t n)
{
        if (n == 0 || n >= CGROUP_ID_MAX || s[0] == '.' || s[0] == '-')
                return false;
        for (size_t i = 0; i < n; i++)
                if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
                      (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_' || s[i] == '.'))
                        return false;
        return true;
}

/* systemd unit names: letters, digits, ":-_.\" and one '@'. */
static bool valid_unit(const char *s, size_t n)
{
        if (n == 0 || n >= CGROUP_UNIT_MAX)
                return false;
        for (size_t i = 0; i < n; i++)
                if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
                      (s[i] >= '0' && s[i] <= '9') || strchr(":-_.\\@", s[i])))
                        return false;
        return true;
}

/* Undoes systemd's \xNN escaping ("qemu\x2d1" is "qemu-1") into out. */
static bool unescape_unit_name(const char *s, size_t n, char *out, size_t size)
{
        size_t o = 0;

        for (size_t i = 0; i < n; i++) {
                char c = s[i];

                if (c == '\\') {
                        unsigned v = 0;

                        if (i + 3 >= n || s[i + 1] != 'x')
                                return false;
                        for (size_t k = 2; k <= 3; k++) {
                                char h = s[i + k];

                                v <<= 4;
                                if (h >= '0' && h <= '9')
                                        v |= (unsigned)(h - '0');
                                else if (h >= 'a' && h <= 'f')
                                        v |= (unsigned)(h - 'a' + 10);
                                else
                                        return false;
                        }
                        c = (char)v;
                        i += 3;
                }
                if (o + 1 >= size)
                        return false;
                out[o++] = c;
        }
        out[o] = '\0';
        return true;
}

static void set_id(struct cgroup_identity *id, enum workload_runtime rt, enum cgroup_role role,
                   const char *s, size_t n)
{
        id->runtime = rt;
        id->role = role;
        memcpy(id->id, s, n);
        id->id[n] = '\0';
}

/* A pod UID as kubelet writes it: a UUID, or 32 hex digits for static
 * pods. In systemd slice names its dashes are underscores. */
static bool parse_pod_uid(const char *s, size_t n, bool underscores, char out[37])
{
        if (n == 32 && is_hex(s, n)) {
                memcpy(out, s, n);
                out[n] = '\0';
                return true;
        }
        if (n != 36)
                return false;
        for (size_t i = 0; i < n; i++) {
                bool dash_pos = i == 8 || i == 13 || i == 18 || i == 23;
                char c = s[i];

                if (dash_pos) {
                        if (c != (underscores ? '_' : '-'))
                                return false;
                        c = '-';
                } else if (!is_hex(&c, 1))
                        return false;
                out[i] = c;
        }
        out[n] = '\0';
        return true;
}

/* kubepods-<qos>-pod<uid>.slice, kubepods-pod<uid>.slice, and the same with
 * a kubelet cgroup root prefix (kubelet-kubepods-...). */
static bool match_pod_slice(const struct comp *c, struct cgroup_identity *id)
{
        const char *pod;
        size_t len;

        if (!ends_with(c->s, c->n, ".slice"))
                return false;
        len = c->n - strlen(".slice");
        pod = NULL;
        for (size_t i = 0; i + 4 <= len; i++)
                if (memcmp(c->s + i, "-pod", 4) == 0)
                        pod = c->s + i;
        if (!pod || !memmem(c->s, (size_t)(pod - c->s), "kubepods", 8))
                return false;
        if (!parse_pod_uid(pod + 4, len - (size_t)(pod + 4 - c->s), true, id->pod_uid))
                return false;
        if (memmem(c->s, (size_t)(pod - c->s) + 1, "-burstable-", 11))
                strcpy(id->qos, "burstable");
        else if (memmem(c->s, (size_t)(pod - c->s) + 1, "-besteffort-", 12))
                strcpy(id->qos, "besteffort");
        else
                strcpy(id->qos, "guaranteed");
        return true;
}

/* cgroupfs driver: /kubepods[/burstable|/besteffort]/pod<uid>/... */
static bool match_pod_dir(const struct comp *c, size_t i, struct cgroup_identity *id)
{
        bool under_kubepods = false;

        if (!starts_with(c[i].s, c[i].n, "pod"))
                return false;
        for (size_t k = 0; k < i; k++)
                if (comp_is(&c[k], "kubepods"))
                        under_kubepods = true;
        if (!under_kubepods || !parse_pod_uid(c[i].s + 3, c[i].n - 3, false, id->pod_uid))
                return false;
        if (i > 0 && comp_is(&c[i - 1], "burstable"))
                strcpy(id->qos, "burstable");
        else if (i > 0 && comp_is(&c[i - 1], "besteffort"))
                strcpy(id->qos, "besteffort");
        else
                strcpy(id->qos, "guaranteed");
        return true;
}

static const struct {
        const char *prefix;
        enum workload_runtime runtime;
        enum cgroup_role role;
} prefixed[] = {
    /* Longer prefixes first: "crio-conmon-" before "crio-". */
    {"cri-containerd-", RUNTIME_CONTAINERD, CGROUP_ROLE_CONTAINER},
    {"docker-", RUNTIME_DOCKER, CGROUP_ROLE_CONTAINER},
    {"crio-conmon-", RUNTIME_CRIO, CGROUP_ROLE_MONITOR},
    {"crio-", RUNTIME_CRIO, CGROUP_ROLE_CONTAINER},
    {"libpod-conmon-", RUNTIME_PODMAN, CGROUP_ROLE_MONITOR},
    {"libpod-", RUNTIME_PODMAN, CGROUP_ROLE_CONTAINER},
};

static const struct {
        const char *word;
        enum workload_runtime runtime;
} colon_forms[] = {
    {"cri-containerd", RUNTIME_CONTAINERD},
    {"crio", RUNTIME_CRIO},
    {"docker", RUNTIME_DOCKER},
    {"libpod", RUNTIME_PODMAN},
};

static bool match_container(const struct comp *c, size_t i, size_t n, struct cgroup_identity *id)
{
        const char *s = c[i].s, *colon;
        size_t len = c[i].n, body = len;

        if (ends_with(s, len, ".scope"))
                body -= strlen(".scope");
        for (size_t k = 0; k < sizeof(prefixed) / sizeof(prefixed[0]); k++) {
                size_t p = strlen(prefixed[k].prefix);

                if (starts_with(s, body, prefixed[k].prefix) && is_hex64(s + p, body - p)) {
                        set_id(id, prefixed[k].runtime, prefixed[k].role, s + p, 64);
                        return true;
                }
        }
        /* "<slice>:<runtime>:<id>": a systemd-style cgroupsPath that the
         * runtime applied literally (cgroupfs driver). */
        colon = memchr(s, ':', len);
        if (colon) {
                const char *word = colon + 1, *colon2 = memchr(word, ':', len - (size_t)(word - s));

                if (!colon2)
                        return false;
                for (size_t k = 0; k < sizeof(colon_forms) / sizeof(colon_forms[0]); k++)
                        if ((size_t)(colon2 - word) == strlen(colon_forms[k].word) &&
                            memcmp(word, colon_forms[k].word, (size_t)(colon2 - word)) == 0 &&
                            is_hex64(colon2 + 1, len - (size_t)(colon2 + 1 - s))) {
                                set_id(id, colon_forms[k].runtime, CGROUP_ROLE_CONTAINER,
                                       colon2 + 1, 64);
                                return true;
                        }
                return false;
        }
        if (is_hex64(s, len)) {
                if (i > 0 && comp_is(&c[i - 1], "docker")) {
                        set_id(id, RUNTIME_DOCKER, CGROUP_ROLE_CONTAINER, s, 64);
                        return true;
                }
                if (id->pod_uid[0]) {
                        set_id(id, RUNTIME_CRI, CGROUP_ROLE_CONTAINER, s, 64);
                        return true;
                }
                return false;
        }
        if (comp_is(&c[i], "conmon") && i > 0 && comp_is(&c[i - 1], "libpod_parent")) {
                set_id(id, RUNTIME_PODMAN, CGROUP_ROLE_MONITOR, "", 0);
                return true;
        }
        if (starts_with(s, len, "lxc.payload.") && valid_name(s + 12, len - 12)) {
                set_id(id, RUNTIME_LXC, CGROUP_ROLE_CONTAINER, s + 12, len - 12);
                return true;
        }
        if (starts_with(s, len, "lxc.monitor.") && valid_name(s + 12, len - 12)) {
                set_id(id, RUNTIME_LXC, CGROUP_ROLE_MONITOR, s + 12, len - 12);
                return true;
        }
        if (i > 0 && comp_is(&c[i - 1], "lxc") && valid_name(s, len)) {
                set_id(id, RUNTIME_LXC, CGROUP_ROLE_CONTAINER, s, len);
                return true;
        }
        if (starts_with(s, len, "systemd-nspawn@") && ends_with(s, len, ".service")) {
                char name[CGROUP_ID_MAX];
                size_t p = strlen("systemd-nspawn@");

                if (!unescape_unit_name(s + p, len - p - strlen(".service"), name, sizeof(name)) ||
                    !valid_name(name, strlen(name)))
                        return false;
                set_id(id, RUNTIME_NSPAWN,
                       i + 1 < n && comp_is(&c[i + 1], "supervisor") ? CGROUP_ROLE_MONITOR
                                                                     : CGROUP_ROLE_CONTAINER,
                       name, strlen(name));
                return true;
        }
        if (i > 0 && comp_is(&c[i - 1], "machine.slice") && starts_with(s, len, "machine-") &&
            ends_with(s, len, ".scope")) {
                char name[CGROUP_ID_MAX];
                size_t p = strlen("machine-");

                if (!unescape_unit_name(s + p, len - p - strlen(".scope"), name, sizeof(name)) ||
                    !valid_name(name, strlen(name)))
                        return false;
                set_id(id, RUNTIME_NSPAWN, CGROUP_ROLE_CONTAINER, name, strlen(name));
                return true;
        }
        return false;
}

int cgroup_path_identify(const char *path, size_t len, struct cgroup_identity *ret)
{
        struct cgroup_identity id = {0};
        struct comp c[MAX_COMPONENTS];
        size_t n = 0;
        const char *p = path, *end = path + len;

        if (len == 0 || len > CGROUP_PATH_MAX || path[0] != '/' || memchr(path, '\0', len))
                return -EINVAL;
        while (p < end) {
                const char *slash;

                p++; /* the '/' */
                if (p == end)
                        break; /* "/" alone, or a trailing slash */
                slash = memchr(p, '/', (size_t)(end - p));
                if (!slash)
                        slash = end;
                if (slash == p)
                        return -EINVAL;
                /* A reader in a cgroup namespace sees "/../../x" for others. */
                if (!((slash - p == 2 && p[0] == '.' && p[1] == '.') ||
                      (slash - p == 1 && p[0] == '.'))) {
                        if (n == MAX_COMPONENTS)
                                return -EINVAL;
                        c[n++] = (struct comp){p, (size_t)(slash - p)};
                }
                p = slash;
        }
        for (size_t i = 0; i < n; i++) {
                unsigned long uid = 0;
                bool digits = true;

                if (!id.pod_uid[0]) {
                        /* "<slice>:<runtime>:<id>": the slice part names the pod. */
                        const char *colon = memchr(c[i].s, ':', c[i].n);
                        struct comp slice = {c[i].s, colon ? (size_t)(colon - c[i].s) : c[i].n};

                        if (match_pod_slice(&slice, &id) || match_pod_dir(c, i, &id))
                                continue;
                }
                if (starts_with(c[i].s, c[i].n, "user@") && ends_with(c[i].s, c[i].n, ".service") &&
                    c[i].n > strlen("user@.service") && c[i].n <= strlen("user@.service") + 10) {
                        for (size_t k = 5; k < c[i].n - 8; k++) {
                                if (c[i].s[k] < '0' || c[i].s[k] > '9')
                                        digits = false;
                                else
                                        uid = uid * 10 + (unsigned long)(c[i].s[k] - '0');
                        }
                        if (digits && uid <= UINT32_MAX) {
                                id.delegated = true;
                                id.delegated_uid = (uint32_t)uid;
                        }
                }
        }
        /* The outermost container: the one whose state lives on this host. */
        for (size_t i = 0; i < n; i++)
                if (match_container(c, i, n, &id))
                        break;
        if (id.role == CGROUP_ROLE_HOST)
                for (size_t i = n; i > 0; i--) {
                        const struct comp *k = &c[i - 1];

                        if ((ends_with(k->s, k->n, ".service") ||
                             ends_with(k->s, k->n, ".scope")) &&
                            valid_unit(k->s, k->n)) {
                                memcpy(id.unit, k->s, k->n);
                                id.unit[k->n] = '\0';
                                break;
                        }
                }
        *ret = id;
        return 0;
}

struct line {
        bool v2, systemd;
        const char *path;
        size_t path_len;
};

int cgroup_file_identify(const char *buf, size_t len, struct cgroup_identity *ret)
{
        struct line lines[CGROUP_FILE_MAX_LINES];
        struct cgroup_identity best_unit = {0};
        size_t n = 0;
        const char *p = buf, *end = buf + len;
        bool have_unit = false;
        size_t order[CGROUP_FILE_MAX_LINES], n_order = 0;

        if (len > CGROUP_FILE_MAX)
                return -E2BIG;
        if (len == 0 || memchr(buf, '\0', len))
                return -EINVAL;
        while (p < end) {
                const char *eol = memchr(p, '\n', (size_t)(end - p)), *c1, *c2;

                if (!eol)
                        eol = end;
                if (n == CGROUP_FILE_MAX_LINES)
                        return -E2BIG;
                c1 = memchr(p, ':', (size_t)(eol - p));
                if (!c1 || c1 == p)
                        return -EINVAL;
                for (const char *q = p; q < c1; q++)
                        if (*q < '0' || *q > '9')
                                return -EINVAL;
                c2 = memchr(c1 + 1, ':', (size_t)(eol - c1 - 1));
                if (!c2 || c2 + 1 >= eol || c2[1] != '/')
                        return -EINVAL;
                lines[n] = (struct line){
                    .v2 = c1 - p == 1 && p[0] == '0' && c2 == c1 + 1,
                    .systemd = (size_t)(c2 - c1 - 1) == strlen("name=systemd") &&
                               memcmp(c1 + 1, "name=systemd", 12) == 0,
                    .path = c2 + 1,
                    .path_len = (size_t)(eol - c2 - 1),
                };
                n++;
                p = eol + 1;
        }
        for (size_t i = 0; i < n; i++)
                if (lines[i].v2)
                        order[n_order++] = i;
        for (size_t i = 0; i < n; i++)
                if (lines[i].systemd)
                        order[n_order++] = i;
        for (size_t i = 0; i < n; i++)
                if (!lines[i].v2 && !lines[i].systemd)
                        order[n_order++] = i;
        for (size_t k = 0; k < n_order; k++) {
                const struct line *l = &lines[order[k]];
                struct cgroup_identity id;
                int r = cgroup_path_identify(l->path, l->path_len, &id);

                if (r < 0)
                        return r;
                id.version = l->v2 ? 2 : 1;
                if (id.role != CGROUP_ROLE_HOST) {
                        *ret = id;
                        return 0;
                }
                if (!have_unit && id.unit[0]) {
                        best_unit = id;
                        have_unit = true;
                }
        }
        if (!have_unit)
                best_unit.version = n > 0 ? (lines[order[0]].v2 ? 2 : 1) : 0;
        *ret = best_unit;
        return 0;
}
