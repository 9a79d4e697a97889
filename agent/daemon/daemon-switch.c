/* SPDX-License-Identifier: MIT */
/* monitor / enforce: switching services between modes.
 *
 * All or nothing: every named service is checked before anything changes
 * (known, has a valid policy, its profiles build and compile in the new
 * mode, and — for enforce without --force — no would-be denial within the
 * quiet period, since enforcing a profile the service still trips would
 * break it). Then every service is applied; if one fails, those already
 * switched are put back. Only then is the state saved: the reply, the
 * acknowledgement, goes out after the state is on disk, so a crash at any
 * point leaves the last acknowledged modes (or the one being
 * acknowledged), never a mix. The change log and the journal record who
 * switched what. */
#include <errno.h>
#include <malloc.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/fileio.h"
#include "base/suggest.h"
#include "base/time-util.h"
#include "control/changelog.h"
#include "daemon-log.h"
#include "daemon.h"

struct text {
        char *buf;
        size_t size;
        FILE *f;
};

static int text_open(struct text *t)
{
        *t = (struct text){0};
        t->f = open_memstream(&t->buf, &t->size);
        return t->f ? 0 : -ENOMEM;
}

/* Closes the stream; the text stays in t->buf (caller frees). */
static int text_close(struct text *t)
{
        int r = fclose(t->f);

        t->f = NULL;
        return r == 0 && t->buf ? 0 : -ENOMEM;
}

static void text_sep(struct text *t)
{
        if (ftell(t->f) > 0)
                fputs("; ", t->f);
}

/* The peer as the state records it, with its comm read now (for people
 * only: a pid says little in a log a week later). */
static void who_of(struct daemon *d, const struct peer *peer, struct state_peer *ret)
{
        char path[32], comm[STATE_COMM_MAX + 2] = "";
        _cleanup_close_ int fd = -1;
        ssize_t n;

        *ret = (struct state_peer){.uid = peer->uid, .pid = (uint32_t)peer->pid};
        snprintf(path, sizeof(path), "%d/comm", (int)peer->pid);
        fd = openat(d->proc_fd, path, O_RDONLY | O_CLOEXEC);
        if (fd >= 0 && (n = read(fd, comm, sizeof(comm) - 1)) > 0) {
                comm[n] = '\0';
                comm[strcspn(comm, "\n")] = '\0';
                snprintf(ret->comm, sizeof(ret->comm), "%s", comm);
        }
}

static const char *ago(uint64_t then, uint64_t now, char *buf, size_t size)
{
        uint64_t s = now > then ? (now - then) / 1000000u : 0;

        if (s < 120)
                snprintf(buf, size, "%llus ago", (unsigned long long)s);
        else if (s < 7200)
                snprintf(buf, size, "%llum ago", (unsigned long long)(s / 60));
        else if (s < 172800)
                snprintf(buf, size, "%lluh ago", (unsigned long long)(s / 3600));
        else
                snprintf(buf, size, "%llud ago", (unsigned long long)(s / 86400));
        return buf;
}

/* Why s may not be enforced yet (malloc'd), or NULL when it may: it
 * still trips its profile. */
static char *enforce_refusal(struct daemon *d, struct service *s, bool force)
{
        struct observations *o = events_pipeline_observations(d->pipeline);
        uint64_t now = now_realtime_usec(), last = 0, count = 0;
        uint64_t since = now > d->config.quiet_period_usec ? now - d->config.quiet_period_usec : 0;
        char qbuf[32], abuf[32], *why = NULL;

        if (force)
                return NULL;
        if (observations_last_denial(o, s->name, since, &last, &count) > 0 && last >= since) {
                (void)!asprintf(
                    &why,
                    "%s: would-be denials within the quiet period (%s): %llu distinct, the last "
                    "%s (use --force to switch anyway)",
                    s->name,
                    config_format_duration(d->config.quiet_period_usec, qbuf, sizeof(qbuf)),
                    (unsigned long long)count, ago(last, now, abuf, sizeof(abuf)));
                return why ? why : strdup(s->name);
        }
        return NULL;
}

/* The services a request names, checked: NULL-terminated array of
 * pointers into d->services, or an error code and message. */
static int resolve(struct daemon *d, const struct protocol_request *req, struct service ***ret,
                   size_t *ret_n, const char **ret_code, char **ret_message)
{
        _cleanup_free_ struct service **list = NULL;
        struct text t;
        size_t n = 0;
        int r;

        list = calloc((req->all ? d->n_services : req->n_services) + 1, sizeof(*list));
        if (!list || text_open(&t) < 0)
                return -ENOMEM;
        if (req->all)
                for (size_t i = 0; i < d->n_services; i++)
                        list[n++] = &d->services[i];
        else
                for (size_t i = 0; i < req->n_services; i++) {
                        struct service *s = daemon_find_service(d, req->services[i]);

                        if (s) {
                                list[n++] = s;
                                continue;
                        }
                        text_sep(&t);
                        fprintf(t.f, "unknown service '%s'", req->services[i]);
                        if (d->n_services > 0) {
                                const char **names = calloc(d->n_services + 1, sizeof(*names));
                                const char *best;

                                for (size_t k = 0; names && k < d->n_services; k++)
                                        names[k] = d->services[k].name;
                                best = names
                                           ? suggest_closest(req->services[i], names, d->n_services)
                                           : NULL;
                                if (best)
                                        fprintf(t.f, " (did you mean '%s'?)", best);
                                free(names);
                        }
                }
        if (ftell(t.f) > 0) {
                fprintf(t.f, "; hardend runs:");
                for (size_t i = 0; i < d->n_services; i++)
                        fprintf(t.f, " %s", d->services[i].name);
                if (d->n_services == 0)
                        fprintf(t.f, " no service");
                r = text_close(&t);
                *ret_code = DAEMON_E_UNKNOWN_SERVICE;
                *ret_message = t.buf;
                return r < 0 ? r : -ENOENT;
        }
        text_close(&t);
        free(t.buf);
        /* A recording puts the service's own profiles back when it ends:
         * a switch in between would be undone. */
        for (size_t i = 0; i < n; i++)
                if (daemon_recording_of(d, list[i]->name)) {
                        *ret_code = DAEMON_E_REFUSED;
                        (void)!asprintf(ret_message,
                                        "%s is being recorded; switch it when the recording ends",
                                        list[i]->name);
                        return -EBUSY;
                }
        *ret = TAKE_PTR(list);
        *ret_n = n;
        return 0;
}

/* Puts the services already switched back into their previous mode. */
static void roll_back(struct daemon *d, struct service **list, const enum policy_mode *old,
                      size_t n)
{
        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *why = NULL;

                if (list[i]->mode == old[i])
                        continue;
                if (service_apply(d, list[i], list[i]->policy, old[i], &why) < 0)
                        log_msg(LOG_ERR, "service %s: could not put back %s mode: %s",
                                list[i]->name, policy_mode_to_string(old[i]),
                                why ? why : "unknown reason");
        }
}

static void record(struct daemon *d, struct service *s, enum policy_mode from,
                   const struct state_peer *who, bool forced, uint64_t now)
{
        struct changelog_entry e = {
            .time_usec = now, .from = from, .to = s->mode, .who = *who, .forced = forced};
        int r;

        snprintf(e.service, sizeof(e.service), "%s", s->name);
        r = changelog_append(d->state_dir_fd, &e);
        if (r < 0)
                log_errno(r, "cannot append to %s/" CHANGELOG_FILE ": %m", d->config.state_dir);
        log_mode_change(s->name, policy_mode_to_string(from), policy_mode_to_string(s->mode), who,
                        forced);
}

static json_t *change_json(const struct service *s, enum policy_mode from)
{
        json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "service", s->name, "from",
                              policy_mode_to_string(from), "to", policy_mode_to_string(s->mode),
                              "sha256", s->sha256);

        if (o)
                json_object_set_new(o, "apparmor",
                                    s->apparmor_loaded
                                        ? json_string("loaded")
                                        : json_sprintf("not loaded: %s", s->apparmor_error
                                                                             ? s->apparmor_error
                                                                             : "unknown reason"));
        return o;
}

int daemon_switch(struct daemon *d, const struct protocol_request *req, const struct peer *peer,
                  json_t **ret_result, const char **ret_code, char **ret_message)
{
        enum policy_mode target =
            req->verb == PROTOCOL_VERB_ENFORCE ? POLICY_MODE_ENFORCE : POLICY_MODE_MONITOR;
        _cleanup_free_ struct service **list = NULL;
        _cleanup_free_ enum policy_mode *old = NULL;
        _cleanup_free_ struct service_build *builds = NULL;
        json_t *result = NULL, *changed = NULL, *unchanged = NULL;
        struct state_peer who;
        struct text why;
        uint64_t now = now_realtime_usec();
        size_t n = 0, done = 0;
        int r;

        r = resolve(d, req, &list, &n, ret_code, ret_message);
        if (r < 0)
                return r;
        old = calloc(n + 1, sizeof(*old));
        builds = calloc(n + 1, sizeof(*builds));
        if (!old || !builds || text_open(&why) < 0)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                struct service *s = list[i];

                old[i] = s->mode;
                if (!s->policy) {
                        text_sep(&why);
                        fprintf(why.f, "%s: no valid policy: %s", s->name,
                                s->policy_error ? s->policy_error : "unknown reason");
                        continue;
                }
                if (s->mode == target)
                        continue;
                if (target == POLICY_MODE_ENFORCE) {
                        _cleanup_free_ char *refusal = enforce_refusal(d, s, req->force);

                        if (refusal) {
                                text_sep(&why);
                                fputs(refusal, why.f);
                                continue;
                        }
                }
                /* Built now, installed only when every service builds: a
                 * profile that does not compile refuses the whole switch. */
                {
                        _cleanup_free_ char *reason = NULL;

                        if (service_build(d, s->policy, target, &builds[i], &reason) < 0) {
                                text_sep(&why);
                                fprintf(why.f, "%s: the %s profile does not build: %s", s->name,
                                        policy_mode_to_string(target),
                                        reason ? reason : "unknown reason");
                        }
                }
        }
        if (text_close(&why) < 0) {
                r = -ENOMEM;
                goto finish;
        }
        if (why.size > 0) {
                *ret_code = DAEMON_E_REFUSED;
                *ret_message = TAKE_PTR(why.buf);
                r = -EPERM;
                goto finish;
        }
        free(why.buf);

        for (; done < n; done++) {
                _cleanup_free_ char *reason = NULL;
                struct service *s = list[done];

                if (s->mode == target)
                        continue;
                r = service_install(d, s, s->policy, &builds[done], &reason);
                if (r < 0) {
                        roll_back(d, list, old, done + 1);
                        *ret_code = DAEMON_E_FAILED;
                        (void)!asprintf(ret_message, "%s: %s; no service was switched", s->name,
                                        reason ? reason : strerror(-r));
                        goto finish;
                }
        }
        for (size_t i = 0; i < n; i++)
                service_build_done(&builds[i]);

        who_of(d, peer, &who);
        for (size_t i = 0; i < n; i++)
                if (list[i]->mode != old[i] &&
                    (r = state_set_mode(d->state, list[i]->name, list[i]->mode, now, &who)) < 0)
                        break;
        if (r >= 0)
                r = state_save(d->state_dir_fd, d->state);
        if (r < 0) {
                /* Not on disk means not done: put everything back. */
                for (size_t i = 0; i < n; i++)
                        if (list[i]->mode != old[i])
                                (void)state_set_mode(d->state, list[i]->name, old[i], now, &who);
                roll_back(d, list, old, n);
                *ret_code = DAEMON_E_FAILED;
                (void)!asprintf(ret_message,
                                "cannot save the state in %s: %s; no service was "
                                "switched",
                                d->config.state_dir, strerror(-r));
                return r;
        }

        result = json_object();
        changed = json_array();
        unchanged = json_array();
        for (size_t i = 0; i < n; i++) {
                struct service *s = list[i];

                if (s->mode != old[i]) {
                        record(d, s, old[i], &who, req->force, now);
                        json_array_append_new(changed, change_json(s, old[i]));
                } else
                        json_array_append_new(unchanged,
                                              json_pack("{s:s, s:s}", "service", s->name, "mode",
                                                        policy_mode_to_string(s->mode)));
        }
        if (!result || !changed || !unchanged || json_object_set_new(result, "changed", changed) ||
            json_object_set_new(result, "unchanged", unchanged)) {
                json_decref(result);
                return -ENOMEM;
        }
        /* Building profiles churns the heap (MiBs for apparmor_parser's
         * output); give it back rather than keep the peak for the run. */
        malloc_trim(0);
        daemon_scan_soon(d); /* workloads now carry a stale filter: say so soon */
        *ret_result = result;
        return 0;
finish:
        for (size_t i = 0; i < n; i++)
                service_build_done(&builds[i]);
        return r;
}
