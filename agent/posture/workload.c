/* SPDX-License-Identifier: MIT */
#include "workload.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/macro.h"
#include "engine-names.h"
#include "glob-match.h"

const char *match_how_to_string(enum match_how h)
{
        switch (h) {
        case MATCH_NONE:
                return "none";
        case MATCH_LABEL:
                return "label";
        case MATCH_CONTAINER_NAME:
                return "container-name";
        case MATCH_UNIT:
                return "unit";
        case MATCH_EXECUTABLE:
                return "executable";
        default:
                return "unknown";
        }
}

static void workload_done(struct workload *w)
{
        free(w->id);
        free(w->name);
        free(w->k8s_namespace);
        free(w->k8s_pod);
        free(w->k8s_container);
        free(w->pod_uid);
        free(w->state_path);
        oci_labels_done(&w->labels);
        free(w->procs);
        free(w->how_detail);
        *w = (struct workload){0};
}

void workload_set_done(struct workload_set *ws)
{
        for (size_t i = 0; i < ws->n; i++)
                workload_done(&ws->items[i]);
        free(ws->items);
        *ws = (struct workload_set){0};
}

const char *workload_ref(const struct workload *w, char *buf, size_t size)
{
        switch (w->kind) {
        case WORKLOAD_CONTAINER:
                /* Container ids are 64 hex digits; 12 is what engines print. */
                snprintf(buf, size, "%s:%.12s", workload_runtime_to_string(w->runtime), w->id);
                break;
        case WORKLOAD_UNIT:
                snprintf(buf, size, "unit:%s", w->id);
                break;
        default:
                snprintf(buf, size, "pid:%s", w->id);
                break;
        }
        return buf;
}

const struct proc_info *workload_main_proc(const struct workload *w,
                                           const struct posture_scan *scan)
{
        if (w->init_verified)
                for (size_t i = 0; i < w->n_procs; i++)
                        if (scan->procs[w->procs[i]].pid == w->init_pid)
                                return &scan->procs[w->procs[i]];
        return w->n_procs > 0 ? &scan->procs[w->procs[0]] : NULL;
}

static struct workload *find_or_add(struct workload_set *ws, enum workload_kind kind,
                                    enum workload_runtime rt, const char *id, bool *ret_new)
{
        struct workload *v;

        *ret_new = false;
        if (kind != WORKLOAD_PROCESS)
                for (size_t i = ws->n; i > 0; i--) {
                        struct workload *w = &ws->items[i - 1];

                        if (w->kind == kind && w->runtime == rt && strcmp(w->id, id) == 0)
                                return w;
                }
        v = realloc(ws->items, (ws->n + 1) * sizeof(*v));
        if (!v)
                return NULL;
        ws->items = v;
        v[ws->n] = (struct workload){.kind = kind, .runtime = rt, .id = strdup(id)};
        if (!v[ws->n].id)
                return NULL;
        *ret_new = true;
        return &v[ws->n++];
}

static int add_proc(struct workload *w, size_t index)
{
        size_t *v = realloc(w->procs, (w->n_procs + 1) * sizeof(*v));

        if (!v)
                return -ENOMEM;
        w->procs = v;
        v[w->n_procs++] = index;
        return 0;
}

static int dup_label(const struct oci_labels *l, const char *a, const char *b, char **ret)
{
        const char *v = oci_labels_get(l, a);

        if (!v && b)
                v = oci_labels_get(l, b);
        if (!v || !v[0])
                return 0;
        *ret = strdup(v);
        return *ret ? 0 : -ENOMEM;
}

/* Kubernetes names, whichever CRI wrote them; the synthesized
 * io.kubernetes.* keys let a policy say `io.kubernetes.container.name`
 * whatever the runtime. */
static int kubernetes_names(struct workload *w)
{
        static const struct {
                const char *canonical, *cri;
        } aliases[] = {
            {"io.kubernetes.container.name", "io.kubernetes.cri.container-name"},
            {"io.kubernetes.pod.name", "io.kubernetes.cri.sandbox-name"},
            {"io.kubernetes.pod.namespace", "io.kubernetes.cri.sandbox-namespace"},
            {"io.kubernetes.pod.uid", "io.kubernetes.cri.sandbox-uid"},
        };
        const char *type;
        int r;

        for (size_t i = 0; i < ELEMENTSOF(aliases); i++) {
                const char *v = oci_labels_get(&w->labels, aliases[i].cri);

                if (v && !oci_labels_get(&w->labels, aliases[i].canonical)) {
                        r = oci_labels_add(&w->labels, aliases[i].canonical, v);
                        if (r < 0)
                                return r;
                }
        }
        if ((r = dup_label(&w->labels, "io.kubernetes.container.name", NULL, &w->k8s_container)) <
                0 ||
            (r = dup_label(&w->labels, "io.kubernetes.pod.name", NULL, &w->k8s_pod)) < 0 ||
            (r = dup_label(&w->labels, "io.kubernetes.pod.namespace", NULL, &w->k8s_namespace)) < 0)
                return r;
        if (!w->pod_uid &&
            (r = dup_label(&w->labels, "io.kubernetes.pod.uid", NULL, &w->pod_uid)) < 0)
                return r;
        type = oci_labels_get(&w->labels, "io.kubernetes.cri.container-type");
        if (!type)
                type = oci_labels_get(&w->labels, "io.kubernetes.cri-o.ContainerType");
        if (type && strcmp(type, "sandbox") == 0)
                w->sandbox = true;
        type = oci_labels_get(&w->labels, "io.kubernetes.docker.type");
        if (type && strcmp(type, "podsandbox") == 0)
                w->sandbox = true;
        return 0;
}

static bool has_oci_state(enum workload_runtime rt)
{
        return rt == RUNTIME_DOCKER || rt == RUNTIME_CONTAINERD || rt == RUNTIME_CRIO ||
               rt == RUNTIME_PODMAN || rt == RUNTIME_CRI;
}

static int describe_container(struct workload *w, const struct posture_scan *scan, int root_fd,
                              const struct engine_names *names)
{
        struct oci_info info;
        char *owned = NULL;
        const char *name;
        int r;

        if (root_fd < 0 || w->delegated || !has_oci_state(w->runtime))
                return 0;
        r = oci_lookup(root_fd, w->id, &info);
        if (r == -ENOMEM)
                return r;
        if (r >= 0) {
                const struct proc_info *init = posture_scan_find(scan, info.init_pid);

                w->have_state = true;
                w->state_trusted = info.trusted;
                w->state_path = TAKE_PTR(info.state_path);
                w->init_pid = info.init_pid;
                /* The state names a pid; it is this container's only if
                 * the process with that pid started when the state says
                 * and sits in the container's cgroup. */
                w->init_verified = init && info.init_start != 0 &&
                                   init->start_time == info.init_start &&
                                   init->cgroup.role == CGROUP_ROLE_CONTAINER &&
                                   strcmp(init->cgroup.id, w->id) == 0;
                if (info.trusted) {
                        w->labels = info.labels;
                        info.labels = (struct oci_labels){0};
                }
                oci_info_done(&info);
        }
        r = kubernetes_names(w);
        if (r < 0)
                return r;
        name = engine_names_find(names, root_fd, w->id, &owned);
        if (name) {
                w->name = owned ? owned : strdup(name);
                if (!w->name)
                        return -ENOMEM;
        }
        return 0;
}

static int kind_rank(enum workload_kind k)
{
        return k == WORKLOAD_CONTAINER ? 0 : k == WORKLOAD_UNIT ? 1 : 2;
}

static int cmp_workload(const void *a, const void *b)
{
        const struct workload *x = a, *y = b;
        int r = kind_rank(x->kind) - kind_rank(y->kind);

        if (r != 0)
                return r;
        if (x->kind == WORKLOAD_PROCESS) {
                long px = strtol(x->id, NULL, 10), py = strtol(y->id, NULL, 10);

                return px < py ? -1 : px > py;
        }
        r = strcmp(workload_runtime_to_string(x->runtime), workload_runtime_to_string(y->runtime));
        return r != 0 ? r : strcmp(x->id, y->id);
}

int workloads_build(const struct posture_scan *scan, int root_fd, struct workload_set *ret)
{
        struct workload_set ws = {0};
        struct engine_names names = {0};
        int r = 0;

        for (size_t i = 0; i < scan->n_procs; i++) {
                const struct proc_info *p = &scan->procs[i];
                const struct cgroup_identity *cg = &p->cgroup;
                enum workload_kind kind;
                struct workload *w;
                char pidbuf[16];
                const char *id;
                bool is_new;

                if (cg->role == CGROUP_ROLE_MONITOR) {
                        ws.monitors++;
                        continue;
                }
                if (cg->role == CGROUP_ROLE_CONTAINER) {
                        kind = WORKLOAD_CONTAINER;
                        id = cg->id;
                } else if (cg->unit[0]) {
                        kind = WORKLOAD_UNIT;
                        id = cg->unit;
                } else {
                        kind = WORKLOAD_PROCESS;
                        snprintf(pidbuf, sizeof(pidbuf), "%d", (int)p->pid);
                        id = pidbuf;
                }
                w = find_or_add(&ws, kind, kind == WORKLOAD_CONTAINER ? cg->runtime : RUNTIME_NONE,
                                id, &is_new);
                if (!w) {
                        r = -ENOMEM;
                        goto fail;
                }
                if (is_new) {
                        w->delegated = cg->delegated;
                        w->delegated_uid = cg->delegated_uid;
                        memcpy(w->qos, cg->qos, sizeof(w->qos));
                        if (cg->pod_uid[0]) {
                                w->pod_uid = strdup(cg->pod_uid);
                                if (!w->pod_uid) {
                                        r = -ENOMEM;
                                        goto fail;
                                }
                        }
                }
                r = add_proc(w, i);
                if (r < 0)
                        goto fail;
        }
        bool containers = false;

        for (size_t i = 0; i < ws.n; i++)
                containers |= ws.items[i].kind == WORKLOAD_CONTAINER;
        /* The engines' name files are read only when there is a container
         * to name (attribution groups one host process at a time). */
        if (root_fd >= 0 && containers) {
                r = engine_names_load(root_fd, &names);
                if (r == -ENOMEM)
                        goto fail;
                /* An unreadable or corrupt containers.json leaves names out. */
        }
        for (size_t i = 0; i < ws.n; i++)
                if (ws.items[i].kind == WORKLOAD_CONTAINER) {
                        r = describe_container(&ws.items[i], scan, root_fd, &names);
                        if (r < 0)
                                goto fail;
                }
        engine_names_done(&names);
        if (ws.n > 1)
                qsort(ws.items, ws.n, sizeof(*ws.items), cmp_workload);
        *ret = ws;
        return 0;
fail:
        engine_names_done(&names);
        workload_set_done(&ws);
        return r;
}

static bool match_labels(const struct workload *w, const struct policy *p, char **ret_detail)
{
        for (size_t i = 0; i < p->match.n_labels; i++) {
                const char *v = oci_labels_get(&w->labels, p->match.labels[i].key);

                if (v && fnmatch(p->match.labels[i].value, v, 0) == 0)
                        return asprintf(ret_detail, "%s=%s", p->match.labels[i].key, v) >= 0;
        }
        return false;
}

static bool match_names(const struct workload *w, const struct policy *p, char **ret_detail)
{
        const char *candidates[] = {w->k8s_container, w->name};

        for (size_t c = 0; c < ELEMENTSOF(candidates); c++) {
                if (!candidates[c])
                        continue;
                for (size_t i = 0; i < p->match.container_names.n; i++)
                        if (fnmatch(p->match.container_names.items[i].name, candidates[c], 0) == 0)
                                return asprintf(ret_detail, "%s", candidates[c]) >= 0;
        }
        return false;
}

static bool match_units(const struct workload *w, const struct policy *p, char **ret_detail)
{
        if (w->kind != WORKLOAD_UNIT)
                return false;
        for (size_t i = 0; i < p->match.units.n; i++)
                if (fnmatch(p->match.units.items[i].name, w->id, 0) == 0)
                        return asprintf(ret_detail, "%s", w->id) >= 0;
        return false;
}

static bool match_executables(const struct workload *w, const struct posture_scan *scan,
                              const struct policy *p, char **ret_detail)
{
        for (size_t k = 0; k < w->n_procs; k++) {
                const char *exe = scan->procs[w->procs[k]].exe;

                if (!exe)
                        continue;
                for (size_t i = 0; i < p->match.executables.n; i++)
                        if (glob_match_path(p->match.executables.items[i].name, exe))
                                return asprintf(ret_detail, "%s", exe) >= 0;
        }
        return false;
}

int workloads_match(struct workload_set *ws, const struct posture_scan *scan,
                    const struct policy_set *policies)
{
        size_t out = 0;

        for (size_t i = 0; i < ws->n; i++) {
                struct workload *w = &ws->items[i];

                for (enum match_how how = MATCH_LABEL; how <= MATCH_EXECUTABLE && !w->policy;
                     how++) {
                        if (w->delegated || w->sandbox)
                                break;
                        for (size_t k = 0; k < policies->n; k++) {
                                const struct policy *p = policies->items[k];
                                char *detail = NULL;
                                bool hit;

                                switch (how) {
                                case MATCH_LABEL:
                                        hit = match_labels(w, p, &detail);
                                        break;
                                case MATCH_CONTAINER_NAME:
                                        hit = match_names(w, p, &detail);
                                        break;
                                case MATCH_UNIT:
                                        hit = match_units(w, p, &detail);
                                        break;
                                case MATCH_EXECUTABLE:
                                        hit = match_executables(w, scan, p, &detail);
                                        break;
                                default:
                                        hit = false;
                                        break;
                                }
                                if (!hit) {
                                        free(detail);
                                        continue;
                                }
                                if (w->policy) {
                                        if (!w->also)
                                                w->also = p;
                                        free(detail);
                                        continue;
                                }
                                w->policy = p;
                                w->how = how;
                                w->how_detail = detail;
                        }
                }
                /* A host process is a workload only when its executable
                 * names a service. */
                if (w->kind == WORKLOAD_PROCESS && !w->policy) {
                        workload_done(w);
                        continue;
                }
                if (out != i)
                        ws->items[out] = *w;
                out++;
        }
        ws->n = out;
        return 0;
}
