/* SPDX-License-Identifier: MIT */
/* The `posture:` section: the security context a workload must run with. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/path-glob.h"
#include "base/suggest.h"
#include "load-util.h"
#include "names.h"

static void add_capability(struct loader *l, const struct ynode *item, void *userdata)
{
        static const char *const keys[] = {"name", "reason"};
        struct policy_posture *p = userdata;
        const struct ynode *name = ynode_mapping_get(item, "name");
        const struct ynode *reason = ynode_mapping_get(item, "reason");
        struct posture_capability *c;
        char *why;
        int cap;

        check_keys(l, item, "a capability", keys, ELEMENTSOF(keys));
        if (!name) {
                load_error(l, item, "capability entry needs a 'name'");
                return;
        }
        if (!expect_type(l, name, YNODE_SCALAR, "name"))
                return;
        cap = capability_from_name(name->scalar);
        if (cap < 0) {
                size_t n;
                const char *const *all = capability_names_all(&n);

                const char *bare = name->scalar, *s;

                /* Suggest from the name without its prefix: CAP_NET_ADMN. */
                if (strncasecmp(bare, "cap_", 4) == 0)
                        bare += 4;
                char upper[64];
                size_t k = 0;

                for (; bare[k] && k + 1 < sizeof(upper); k++)
                        upper[k] = (char)toupper((unsigned char)bare[k]);
                upper[k] = '\0';
                s = suggest_closest(upper, all, n);
                if (s)
                        load_error(l, name, "unknown capability '%s' (did you mean '%s'?)",
                                   name->scalar, s);
                else
                        load_error(l, name, "unknown capability '%s'", name->scalar);
                return;
        }
        /* The reason is the point: a reviewer approves each privilege. */
        if (!reason || (reason->type == YNODE_SCALAR && reason->scalar[0] == '\0')) {
                load_error(l, name,
                           "capability '%s' needs a 'reason': say why the service "
                           "needs it",
                           name->scalar);
                return;
        }
        for (size_t i = 0; i < p->n_capabilities; i++)
                if (p->capabilities[i].cap == cap) {
                        load_error(l, name, "capability '%s' is listed twice (first at line %u)",
                                   name->scalar, p->capabilities[i].loc.line);
                        return;
                }
        why = load_string(l, reason, "reason", false);
        if (!why)
                return;
        c = ARRAY_GROW(p->capabilities, p->n_capabilities);
        if (!c) {
                free(why);
                l->d->dropped++;
                return;
        }
        *c = (struct posture_capability){.cap = cap, .reason = why, .loc = name->loc};
}

static void load_capabilities(struct loader *l, const struct ynode *n)
{
        load_each_mapping(l, n, "capabilities", add_capability, &l->p->posture);
}

static void load_nnp(struct loader *l, const struct ynode *n)
{
        load_bool(l, n, "no_new_privileges", &l->p->posture.no_new_privileges);
}

static void load_ro_rootfs(struct loader *l, const struct ynode *n)
{
        load_bool(l, n, "read_only_rootfs", &l->p->posture.read_only_rootfs);
}

static void add_writable_mount(struct loader *l, const struct ynode *item, void *userdata)
{
        static const char *const keys[] = {"path", "type"};
        struct policy_posture *p = userdata;
        const struct ynode *path = ynode_mapping_get(item, "path");
        const struct ynode *type = ynode_mapping_get(item, "type");
        struct posture_mount *m;
        const char *reason;

        check_keys(l, item, "a writable mount", keys, ELEMENTSOF(keys));
        if (!path) {
                load_error(l, item, "writable mount needs a 'path'");
                return;
        }
        if (!expect_type(l, path, YNODE_SCALAR, "path"))
                return;
        if (path_plain_validate(path->scalar, &reason) < 0) {
                load_error(l, path, "invalid mount path '%s': %s", path->scalar, reason);
                return;
        }
        if (type && (!expect_type(l, type, YNODE_SCALAR, "type") || !word_valid(type->scalar))) {
                if (type->type == YNODE_SCALAR)
                        load_error(l, type, "invalid filesystem type '%s'", type->scalar);
                return;
        }
        m = ARRAY_GROW(p->writable_mounts, p->n_writable_mounts);
        if (!m) {
                l->d->dropped++;
                return;
        }
        m->path = strdup(path->scalar);
        m->type = type ? strdup(type->scalar) : NULL;
        m->loc = path->loc;
        if (!m->path || (type && !m->type))
                l->d->dropped++;
}

static void load_writable_mounts(struct loader *l, const struct ynode *n)
{
        load_each_mapping(l, n, "writable_mounts", add_writable_mount, &l->p->posture);
}

static void add_forbidden_mount(struct loader *l, const struct ynode *item, void *userdata)
{
        struct policy_list *list = userdata;
        const char *reason;

        if (path_plain_validate(item->scalar, &reason) < 0) {
                load_error(l, item, "invalid forbidden mount '%s': %s", item->scalar, reason);
                return;
        }
        if (policy_list_add(list, item->scalar, item->loc) < 0)
                l->d->dropped++;
}

static void load_forbidden_mounts(struct loader *l, const struct ynode *n)
{
        l->forbidden_mounts_given = true;
        load_each_scalar(l, n, "forbidden_mounts", add_forbidden_mount,
                         &l->p->posture.forbidden_mounts);
}

static void add_host_namespace(struct loader *l, const struct ynode *item, void *userdata)
{
        unsigned *bits = userdata;
        const char *names[16];

        for (size_t i = 0; i < policy_namespace_names_len; i++) {
                names[i] = policy_namespace_names[i].name;
                if (strcmp(item->scalar, names[i]) == 0) {
                        *bits |= policy_namespace_names[i].bit;
                        return;
                }
        }
        report_unknown(l, item, "namespace", item->scalar, names, policy_namespace_names_len);
}

static void load_host_namespaces(struct loader *l, const struct ynode *n)
{
        load_each_scalar(l, n, "host_namespaces", add_host_namespace,
                         &l->p->posture.host_namespaces);
}

static const struct key_handler posture_handlers[] = {
    {"capabilities", load_capabilities},         {"no_new_privileges", load_nnp},
    {"read_only_rootfs", load_ro_rootfs},        {"writable_mounts", load_writable_mounts},
    {"forbidden_mounts", load_forbidden_mounts}, {"host_namespaces", load_host_namespaces},
};

void load_posture(struct loader *l, const struct ynode *n)
{
        load_mapping(l, n, "posture", posture_handlers, ELEMENTSOF(posture_handlers));
}

void posture_fill_defaults(struct loader *l)
{
        struct policy_posture *p = &l->p->posture;

        /* Absent means "the runtime sockets we know of"; an explicit empty
         * list means none (stated, so it shows in review). */
        if (l->forbidden_mounts_given)
                return;
        for (size_t i = 0; i < posture_default_forbidden_mounts_len; i++)
                if (policy_list_add(&p->forbidden_mounts, posture_default_forbidden_mounts[i],
                                    (struct loc){0}) < 0)
                        l->d->dropped++;
}
