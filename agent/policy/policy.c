/* SPDX-License-Identifier: MIT */
#include "policy.h"

#include <stdlib.h>
#include <string.h>

static const char *const mode_names[_POLICY_MODE_MAX] = {
    [POLICY_MODE_MONITOR] = "monitor",
    [POLICY_MODE_ENFORCE] = "enforce",
};

static const char *const violation_names[_SECCOMP_VIOLATION_MAX] = {
    [SECCOMP_VIOLATION_ERRNO] = "errno",
    [SECCOMP_VIOLATION_KILL_PROCESS] = "kill-process",
    [SECCOMP_VIOLATION_KILL_THREAD] = "kill-thread",
    [SECCOMP_VIOLATION_TRAP] = "trap",
};

const char *const posture_default_forbidden_mounts[] = {
    "/run/containerd/containerd.sock", "/run/crio/crio.sock",  "/run/docker.sock",
    "/run/podman/podman.sock",         "/var/run/docker.sock",
};
const size_t posture_default_forbidden_mounts_len = ELEMENTSOF(posture_default_forbidden_mounts);

const struct policy_namespace_name policy_namespace_names[] = {
    {POLICY_NS_CGROUP, "cgroup"}, {POLICY_NS_IPC, "ipc"}, {POLICY_NS_MNT, "mnt"},
    {POLICY_NS_NET, "net"},       {POLICY_NS_PID, "pid"}, {POLICY_NS_USER, "user"},
    {POLICY_NS_UTS, "uts"},
};
const size_t policy_namespace_names_len = ELEMENTSOF(policy_namespace_names);

const struct policy_arch_name policy_arch_names[] = {
    {POLICY_ARCH_X86_64, "x86_64"},
    {POLICY_ARCH_X86, "x86"},
    {POLICY_ARCH_X32, "x32"},
    {POLICY_ARCH_AARCH64, "aarch64"},
};
const size_t policy_arch_names_len = ELEMENTSOF(policy_arch_names);

struct policy *policy_new(void)
{
        struct policy *p = calloc(1, sizeof(*p));

        if (!p)
                return NULL;
        p->mode = POLICY_MODE_MONITOR;
        p->seccomp.base_kind = SECCOMP_BASE_NONE;
        p->seccomp.architectures = POLICY_ARCH_ALL;
        p->seccomp.errno_value = EPERM;
        p->seccomp.violation = SECCOMP_VIOLATION_ERRNO;
        p->apparmor.include_base = true;
        p->posture.no_new_privileges = true;
        p->posture.read_only_rootfs = true;
        return p;
}

int policy_list_add(struct policy_list *l, const char *name, struct loc loc)
{
        struct policy_item *items;
        char *copy = strdup(name);

        if (!copy)
                return -ENOMEM;
        items = realloc(l->items, (l->n + 1) * sizeof(*items));
        if (!items) {
                free(copy);
                return -ENOMEM;
        }
        l->items = items;
        l->items[l->n++] = (struct policy_item){.name = copy, .loc = loc};
        return 0;
}

bool policy_list_contains(const struct policy_list *l, const char *name)
{
        for (size_t i = 0; i < l->n; i++)
                if (strcmp(l->items[i].name, name) == 0)
                        return true;
        return false;
}

void policy_list_done(struct policy_list *l)
{
        for (size_t i = 0; i < l->n; i++)
                free(l->items[i].name);
        free(l->items);
        *l = (struct policy_list){0};
}

static void match_done(struct policy_match *m)
{
        for (size_t i = 0; i < m->n_labels; i++) {
                free(m->labels[i].key);
                free(m->labels[i].value);
        }
        free(m->labels);
        policy_list_done(&m->container_names);
        policy_list_done(&m->units);
        policy_list_done(&m->executables);
}

static void seccomp_done(struct policy_seccomp *s)
{
        free(s->base);
        policy_list_done(&s->allow);
        for (size_t i = 0; i < s->n_deny; i++)
                free(s->deny[i].syscall);
        free(s->deny);
        for (size_t i = 0; i < s->n_conditions; i++) {
                struct seccomp_condition *c = &s->conditions[i];

                free(c->syscall);
                for (size_t j = 0; j < c->n_values; j++)
                        free(c->values[j].symbol);
                free(c->values);
        }
        free(s->conditions);
}

static void file_rules_free(struct apparmor_file_rule *rules, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                free(rules[i].path);
                free(rules[i].access);
        }
        free(rules);
}

static void peer_rules_free(struct apparmor_peer_rule *rules, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                policy_list_done(&rules[i].access);
                policy_list_done(&rules[i].signals);
                free(rules[i].peer);
        }
        free(rules);
}

static void apparmor_done(struct policy_apparmor *a)
{
        file_rules_free(a->files, a->n_files);
        file_rules_free(a->deny, a->n_deny);
        for (size_t i = 0; i < a->n_network; i++) {
                free(a->network[i].family);
                free(a->network[i].type);
        }
        free(a->network);
        peer_rules_free(a->ptrace, a->n_ptrace);
        peer_rules_free(a->signal, a->n_signal);
        for (size_t i = 0; i < a->n_mount; i++) {
                free(a->mount[i].fstype);
                free(a->mount[i].source);
                free(a->mount[i].target);
                policy_list_done(&a->mount[i].options);
        }
        free(a->mount);
}

static void posture_done(struct policy_posture *p)
{
        for (size_t i = 0; i < p->n_capabilities; i++)
                free(p->capabilities[i].reason);
        free(p->capabilities);
        for (size_t i = 0; i < p->n_writable_mounts; i++) {
                free(p->writable_mounts[i].path);
                free(p->writable_mounts[i].type);
        }
        free(p->writable_mounts);
        policy_list_done(&p->forbidden_mounts);
}

void policy_make_recording(struct policy *p)
{
        struct policy_seccomp *sc = &p->seccomp;
        struct policy_apparmor *aa = &p->apparmor;

        free(sc->base);
        sc->base = NULL;
        sc->base_kind = SECCOMP_BASE_NONE;
        policy_list_done(&sc->allow);
        for (size_t i = 0; i < sc->n_conditions; i++) {
                free(sc->conditions[i].syscall);
                for (size_t j = 0; j < sc->conditions[i].n_values; j++)
                        free(sc->conditions[i].values[j].symbol);
                free(sc->conditions[i].values);
        }
        free(sc->conditions);
        sc->conditions = NULL;
        sc->n_conditions = 0;

        file_rules_free(aa->files, aa->n_files);
        aa->files = NULL;
        aa->n_files = 0;
        for (size_t i = 0; i < aa->n_network; i++) {
                free(aa->network[i].family);
                free(aa->network[i].type);
        }
        free(aa->network);
        aa->network = NULL;
        aa->n_network = 0;
        peer_rules_free(aa->ptrace, aa->n_ptrace);
        peer_rules_free(aa->signal, aa->n_signal);
        aa->ptrace = aa->signal = NULL;
        aa->n_ptrace = aa->n_signal = 0;
        for (size_t i = 0; i < aa->n_mount; i++) {
                free(aa->mount[i].fstype);
                free(aa->mount[i].source);
                free(aa->mount[i].target);
                policy_list_done(&aa->mount[i].options);
        }
        free(aa->mount);
        aa->mount = NULL;
        aa->n_mount = 0;
        aa->include_base = true;
        p->mode = POLICY_MODE_MONITOR;
}

struct policy *policy_free(struct policy *p)
{
        if (!p)
                return NULL;
        free(p->service);
        free(p->description);
        match_done(&p->match);
        seccomp_done(&p->seccomp);
        apparmor_done(&p->apparmor);
        posture_done(&p->posture);
        free(p->source);
        free(p);
        return NULL;
}

static int lookup(const char *const *names, size_t n, const char *s)
{
        for (size_t i = 0; i < n; i++)
                if (names[i] && strcmp(names[i], s) == 0)
                        return (int)i;
        return -EINVAL;
}

const char *policy_mode_to_string(enum policy_mode m)
{
        return m < _POLICY_MODE_MAX ? mode_names[m] : NULL;
}

int policy_mode_from_string(const char *s)
{
        return lookup(mode_names, _POLICY_MODE_MAX, s);
}

const char *seccomp_violation_to_string(enum seccomp_violation v)
{
        return v < _SECCOMP_VIOLATION_MAX ? violation_names[v] : NULL;
}

int seccomp_violation_from_string(const char *s)
{
        return lookup(violation_names, _SECCOMP_VIOLATION_MAX, s);
}
