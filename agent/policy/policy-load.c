/* SPDX-License-Identifier: MIT */
#include "policy-load.h"

#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include "base/fileio.h"
#include "load-util.h"

/* Service names become file names, AppArmor profile names (hardend-<svc>)
 * and journal fields: keep them to a safe alphabet. */
static bool service_name_valid(const char *s)
{
        size_t n = strlen(s);

        if (n == 0 || n > 63 || !(s[0] >= 'a' && s[0] <= 'z'))
                return false;
        for (size_t i = 0; i < n; i++)
                if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
                        return false;
        return s[n - 1] != '-';
}

static void load_service(struct loader *l, const struct ynode *n)
{
        char *s = load_string(l, n, "service", false);

        if (!s)
                return;
        if (!service_name_valid(s)) {
                load_error(l, n,
                           "service name '%s' must be 1-63 characters of a-z, 0-9 and '-', "
                           "starting with a letter",
                           s);
                free(s);
                return;
        }
        l->p->service = s;
}

static void load_description(struct loader *l, const struct ynode *n)
{
        char *s = load_string(l, n, "description", true);

        if (!s)
                return;
        for (const char *c = s; *c; c++)
                if ((unsigned char)*c < 0x20 && *c != '\n' && *c != '\t') {
                        load_error(l, n, "'description' contains a control character");
                        free(s);
                        return;
                }
        l->p->description = s;
}

static void load_mode(struct loader *l, const struct ynode *n)
{
        int m;

        if (!expect_type(l, n, YNODE_SCALAR, "mode"))
                return;
        m = policy_mode_from_string(n->scalar);
        if (m < 0) {
                load_error(l, n, "mode must be 'monitor' or 'enforce', not '%s'", n->scalar);
                return;
        }
        l->p->mode = (enum policy_mode)m;
}

static const struct key_handler top_handlers[] = {
    {"service", load_service}, {"description", load_description}, {"mode", load_mode},
    {"match", load_match},     {"seccomp", load_seccomp},         {"apparmor", load_apparmor},
    {"posture", load_posture},
};

/* expected_service: the file's base name when loading a file, so that a
 * mismatch is reported together with every other problem; NULL otherwise. */
static int load(const char *data, size_t size, int dirfd, const char *expected_service,
                struct diag_list *d, struct policy **ret)
{
        _cleanup_(ynode_freep) struct ynode *root = NULL;
        _cleanup_policy_ struct policy *p = NULL;
        size_t before = d->n + d->dropped;
        const struct ynode *service;
        struct loader l;
        int r;

        if (size > POLICY_MAX_BYTES) {
                diag_add(d, (struct loc){0}, "policy is larger than %u bytes", POLICY_MAX_BYTES);
                return -EFBIG;
        }
        r = yaml_tree_parse(data, size, d, &root);
        if (r < 0)
                return r;
        if (root->type != YNODE_MAPPING) {
                diag_add(d, root->loc,
                         "a policy is a mapping of keys (service, match, seccomp, ...), not %s",
                         ynode_type_name(root->type));
                return -EINVAL;
        }
        p = policy_new();
        if (!p)
                return -ENOMEM;
        l = (struct loader){.d = d, .p = p, .dirfd = dirfd};

        load_mapping(&l, root, "the policy", top_handlers, ELEMENTSOF(top_handlers));
        posture_fill_defaults(&l);
        seccomp_check(&l);
        service = ynode_mapping_get(root, "service");
        if (!service)
                diag_add(d, root->loc, "missing required key 'service'");
        else if (expected_service && p->service && strcmp(p->service, expected_service) != 0)
                /* One file per service, named after it: a copied file that
                 * still says the old name would silently replace another
                 * service. */
                diag_add(d, service->loc,
                         "service '%s' must live in a file named '%s.yaml', not '%s.yaml'",
                         p->service, p->service, expected_service);
        if (!ynode_mapping_get(root, "match"))
                diag_add(d, root->loc,
                         "missing required key 'match' (how the agent recognises the service)");
        if (d->n + d->dropped > before)
                return -EINVAL;
        *ret = TAKE_PTR(p);
        return 0;
}

int policy_load_buffer(const char *data, size_t size, int dirfd, struct diag_list *d,
                       struct policy **ret)
{
        return load(data, size, dirfd, NULL, d, ret);
}

int policy_load_file(const char *path, struct diag_list *d, struct policy **ret)
{
        _cleanup_policy_ struct policy *p = NULL;
        _cleanup_free_ char *data = NULL, *dir = NULL, *base = NULL;
        _cleanup_close_ int dirfd = -1;
        size_t size, len;
        char *file;
        int r;

        r = read_file_bounded(AT_FDCWD, path, POLICY_MAX_BYTES, &data, &size);
        if (r == -EFBIG) {
                diag_add(d, (struct loc){0}, "policy is larger than %u bytes", POLICY_MAX_BYTES);
                return r;
        }
        if (r < 0) {
                diag_add(d, (struct loc){0}, "cannot read: %s", strerror(-r));
                return r;
        }
        dir = strdup(path);
        base = strdup(path);
        if (!dir || !base)
                return -ENOMEM;
        file = basename(base);
        len = strlen(file);
        /* The agent reads <service>.yaml from its profiles directory; any
         * other name would be validated here and then silently ignored. */
        if (len <= 5 || strcmp(file + len - 5, ".yaml") != 0) {
                diag_add(d, (struct loc){0}, "a policy file must be named <service>.yaml");
                return -EINVAL;
        }
        file[len - 5] = '\0';
        dirfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dirfd < 0)
                return negative_errno();

        r = load(data, size, dirfd, file, d, &p);
        if (r < 0)
                return r;
        p->source = strdup(path);
        if (!p->source)
                return -ENOMEM;
        *ret = TAKE_PTR(p);
        return 0;
}
