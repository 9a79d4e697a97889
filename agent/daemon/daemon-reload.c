/* SPDX-License-Identifier: MIT */
/* Reading the configuration and the policies, at start and on reload
 * (SIGHUP, `hardenctl reload`, an edit in the profiles directory).
 *
 * A bad edit never unprotects a running service: a policy file that does
 * not load, generate or compile leaves its service on its last good
 * profiles (and says why in status); a configuration file with any
 * problem leaves the running configuration as it is. */
#include <errno.h>
#include <malloc.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include "base/time-util.h"
#include "daemon-log.h"
#include "daemon.h"
#include "policy/policy-print.h"

static int canonical_sha256(const struct policy *p, char ret[static SHA256_HEX_SIZE])
{
        _cleanup_free_ char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);
        int r;

        if (!f)
                return -ENOMEM;
        r = policy_print(p, f);
        if (fclose(f) != 0 || r < 0)
                return r < 0 ? r : -ENOMEM;
        return sha256_hex(buf, size, ret);
}

static int add_result(json_t *list, const char *service, const char *result, const char *error)
{
        json_t *o;

        if (!list)
                return 0;
        o = json_pack("{s:s, s:s, s:s?}", "service", service, "result", result, "error", error);
        return o && json_array_append_new(list, o) == 0 ? 0 : -ENOMEM;
}

struct invalid_files {
        json_t *list; /* [{file, error}] */
};

static void collect_invalid(struct diag_list *dl, void *userdata)
{
        struct invalid_files *inv = userdata;
        _cleanup_free_ char *text = diag_to_text(dl);

        json_array_append_new(inv->list,
                              json_pack("{s:s, s:s}", "file", dl->file, "error",
                                        text ? text : "invalid (out of memory describing why)"));
}

/* "api" for ".../api.yaml": the service a policy file is for. */
static void service_of_file(const char *path, char *buf, size_t size)
{
        const char *base = strrchr(path, '/');
        size_t n;

        base = base ? base + 1 : path;
        n = strlen(base);
        if (n > 5 && strcmp(base + n - 5, ".yaml") == 0)
                n -= 5;
        snprintf(buf, size, "%.*s", (int)n, base);
}

static int cmp_service(const void *a, const void *b)
{
        return strcmp(((const struct service *)a)->name, ((const struct service *)b)->name);
}

static struct service *add_service(struct daemon *d, const char *name)
{
        struct service *v = realloc(d->services, (d->n_services + 1) * sizeof(*v));

        if (!v)
                return NULL;
        d->services = v;
        v = &d->services[d->n_services++];
        *v = (struct service){0};
        snprintf(v->name, sizeof(v->name), "%s", name);
        return v;
}

/* The mode a service starts in: what the state remembers (the operator's
 * last switch), else the policy's own; recorded in the state either way. */
static enum policy_mode starting_mode(struct daemon *d, const struct policy *p, bool *ret_dirty)
{
        const struct state_service *st = state_find(d->state, p->service);
        struct state_peer policy = {.policy = true};

        if (st)
                return st->mode;
        if (state_set_mode(d->state, p->service, p->mode, now_realtime_usec(), &policy) >= 0)
                *ret_dirty = true;
        return p->mode;
}

static int apply_policy(struct daemon *d, struct policy *p, json_t *results, bool *ret_dirty)
{
        _cleanup_policy_ struct policy *owned = p;
        _cleanup_free_ char *why = NULL;
        char sha[SHA256_HEX_SIZE];
        struct service *s = daemon_find_service(d, p->service);
        bool added = !s;
        int r;

        r = canonical_sha256(p, sha);
        if (r < 0)
                return r;
        if (s && daemon_recording_of(d, s->name)) {
                /* The recording ends by reading the file again. */
                s->present = true;
                return add_result(results, s->name, "deferred",
                                  "being recorded: the policy applies when the recording ends");
        }
        if (s && s->policy && strcmp(s->policy_sha256, sha) == 0) {
                s->present = true;
                free(s->policy_error);
                s->policy_error = NULL;
                return add_result(results, s->name, "unchanged", NULL);
        }
        if (!s) {
                s = add_service(d, p->service);
                if (!s)
                        return -ENOMEM;
                s->mode = starting_mode(d, p, ret_dirty);
        }
        s->present = true;
        free(s->policy_file);
        s->policy_file = strdup(p->source);
        r = service_apply(d, s, p, s->mode, &why);
        if (r < 0) {
                log_msg(LOG_ERR, "service %s: %s; %s", s->name, why ? why : strerror(-r),
                        s->policy ? "it keeps its last good profiles"
                                  : "it has no profiles from hardend yet");
                free(s->policy_error);
                s->policy_error = TAKE_PTR(why);
                return add_result(results, s->name, "invalid", s->policy_error);
        }
        TAKE_PTR(owned); /* the service has it now */
        memcpy(s->policy_sha256, sha, sizeof(sha));
        free(s->policy_error);
        s->policy_error = NULL;
        if (added)
                daemon_load_recording(d, s);
        return add_result(results, s->name, added ? "added" : "updated", NULL);
}

/* A file that did not load: its service (if hardend runs one) keeps its
 * last good policy; either way status lists the file and why. */
static int keep_invalid(struct daemon *d, json_t *inv, json_t *results)
{
        size_t i;
        json_t *it;

        json_array_foreach(inv, i, it)
        {
                const char *file = json_string_value(json_object_get(it, "file"));
                const char *error = json_string_value(json_object_get(it, "error"));
                char name[STATE_NAME_MAX + 8];
                struct service *s;
                int r;

                service_of_file(file ? file : "", name, sizeof(name));
                s = daemon_find_service(d, name);
                log_msg(LOG_ERR, "%s%s", error ? error : "invalid policy",
                        s && s->policy ? " (the service keeps its last good profiles)" : "");
                if (s) {
                        s->present = true;
                        free(s->policy_error);
                        s->policy_error = error ? strdup(error) : NULL;
                }
                r = add_result(results, name, "invalid", error);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int drop_absent(struct daemon *d, json_t *results)
{
        size_t kept = 0;

        for (size_t i = 0; i < d->n_services; i++) {
                struct service *s = &d->services[i];

                if (!s->present) {
                        log_msg(LOG_WARNING,
                                "service %s: its policy is gone; hardend stops managing it (its "
                                "artifacts and loaded AppArmor profile stay as they are)",
                                s->name);
                        if (add_result(results, s->name, "removed", NULL) < 0)
                                return -ENOMEM;
                        service_done(s);
                        continue;
                }
                d->services[kept++] = *s;
        }
        d->n_services = kept;
        return 0;
}

int daemon_load_policies(struct daemon *d, json_t *result)
{
        struct invalid_files inv = {.list = json_array()};
        struct policy_set set;
        json_t *results = result ? json_array() : NULL;
        bool dirty = false;
        int r;

        if (!inv.list || (result && !results)) {
                json_decref(inv.list);
                json_decref(results);
                return -ENOMEM;
        }
        r = policy_set_load_dir(d->config.profiles_dir, &set, collect_invalid, &inv);
        if (r < 0) {
                json_decref(inv.list);
                json_decref(results);
                return log_errno(r, "cannot read profiles directory '%s': %m; nothing changed",
                                 d->config.profiles_dir);
        }
        for (size_t i = 0; i < d->n_services; i++)
                d->services[i].present = false;
        for (size_t i = 0; i < set.n && r >= 0; i++) {
                r = apply_policy(d, set.items[i], results, &dirty);
                set.items[i] = NULL;
        }
        policy_set_done(&set);
        if (r >= 0)
                r = keep_invalid(d, inv.list, results);
        if (r >= 0)
                r = drop_absent(d, results);
        if (d->n_services > 1)
                qsort(d->services, d->n_services, sizeof(*d->services), cmp_service);
        json_decref(d->invalid_policies);
        d->invalid_policies = inv.list;
        if (r >= 0)
                r = daemon_refresh_view(d);
        if (dirty) {
                int q = state_save(d->state_dir_fd, d->state);
                if (q < 0)
                        log_errno(q, "cannot save the state in %s: %m", d->config.state_dir);
        }
        if (result && r >= 0)
                r = json_object_set_new(result, "services", results) == 0 ? 0 : -ENOMEM;
        else
                json_decref(results);
        if (d->n_services == 0)
                log_msg(LOG_WARNING, "no valid policy in '%s': no service is protected",
                        d->config.profiles_dir);
        return r;
}

/* What a configuration reload can change on the fly; the rest (directories,
 * sources, caps sized at start) needs a restart, and reload says which. */
static void apply_config(struct daemon *d, const struct hardend_config *c, char *restart,
                         size_t size)
{
        static const struct {
                const char *name;
                size_t offset, size;
        } fixed[] = {
            {"profiles_dir", offsetof(struct hardend_config, profiles_dir), CONFIG_PATH_MAX},
            {"state_dir", offsetof(struct hardend_config, state_dir), CONFIG_PATH_MAX},
            {"runtime_dir", offsetof(struct hardend_config, runtime_dir), CONFIG_PATH_MAX},
            {"seccomp_dir", offsetof(struct hardend_config, seccomp_dir), CONFIG_PATH_MAX},
            {"sources", offsetof(struct hardend_config, sources), sizeof(struct config_sources)},
            {"max_keys", offsetof(struct hardend_config, max_keys), sizeof(uint64_t)},
            {"max_processes", offsetof(struct hardend_config, max_processes), sizeof(uint64_t)},
            {"netlink_rcvbuf", offsetof(struct hardend_config, netlink_rcvbuf), sizeof(uint64_t)},
            {"watchdog", offsetof(struct hardend_config, watchdog), sizeof(bool)},
            /* The socket's group is set before the agent drops CAP_CHOWN. */
            {"read_group", offsetof(struct hardend_config, read_group), CONFIG_GROUP_MAX},
        };
        size_t n = 0;

        restart[0] = '\0';
        for (size_t i = 0; i < ELEMENTSOF(fixed); i++)
                if (memcmp((const char *)c + fixed[i].offset,
                           (const char *)&d->config + fixed[i].offset, fixed[i].size) != 0)
                        n += (size_t)snprintf(restart + n, n < size ? size - n : 0, "%s%s",
                                              n ? ", " : "", fixed[i].name);
        if (c->scan_interval_usec != d->config.scan_interval_usec) {
                d->config.scan_interval_usec = c->scan_interval_usec;
                daemon_scan_soon(d);
        }
        d->config.quiet_period_usec = c->quiet_period_usec;
}

static json_t *reload_config(struct daemon *d)
{
        const char *path = d->config_path[0] ? d->config_path : NULL;
        struct hardend_config c;
        struct diag_list dl;
        char restart[256], *text;
        json_t *v;
        int r;

        if (diag_list_init(&dl, path ? path : CONFIG_DEFAULT_PATH) < 0)
                return NULL;
        r = config_load_file(path, &dl, &c);
        if (r < 0) {
                text = diag_to_text(&dl);
                diag_list_done(&dl);
                log_msg(LOG_ERR, "configuration not reloaded, the running one stays: %s",
                        text ? text : strerror(-r));
                v = json_sprintf("invalid: %s", text ? text : strerror(-r));
                free(text);
                return v;
        }
        diag_list_done(&dl);
        if (d->profiles_override[0])
                memcpy(c.profiles_dir, d->profiles_override, sizeof(c.profiles_dir));
        if (memcmp(&c, &d->config, sizeof(c)) == 0)
                return json_string("unchanged");
        apply_config(d, &c, restart, sizeof(restart));
        if (restart[0]) {
                log_msg(LOG_WARNING, "configuration reloaded; restart hardend to apply: %s",
                        restart);
                return json_sprintf("reloaded (restart hardend to apply: %s)", restart);
        }
        return json_string("reloaded");
}

int daemon_reload(struct daemon *d, json_t **ret_result)
{
        json_t *result = json_object(), *config;
        int r;

        if (!result)
                return -ENOMEM;
        (void)sd_notifyf(false, "RELOADING=1\nMONOTONIC_USEC=%llu",
                         (unsigned long long)now_monotonic_usec());
        config = reload_config(d);
        if (!config || json_object_set_new(result, "config", config) < 0) {
                json_decref(result);
                return -ENOMEM;
        }
        r = daemon_load_policies(d, result);
        (void)sd_notify(false, "READY=1");
        if (r < 0) {
                json_decref(result);
                return r;
        }
        /* Building profiles churns the heap (MiBs for apparmor_parser's
         * output); give it back rather than keep the peak for the run. */
        malloc_trim(0);
        daemon_scan_soon(d);
        if (ret_result)
                *ret_result = result;
        else
                json_decref(result);
        return 0;
}
