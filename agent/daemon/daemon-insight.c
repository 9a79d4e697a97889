/* SPDX-License-Identifier: MIT */
/* Proposals, recordings and readiness: the insight verbs.
 *
 * A recording runs a service under its recording profile
 * (policy_make_recording: everything it does is logged) for a while, with
 * its own observations, then puts the service's own profiles back in the
 * mode it had. The observations and the window are kept in
 * state_dir/recordings/<service>/ (observations.json, recording.json), so
 * proposals and readiness can use the last recording after a restart. A
 * restart during a recording ends it: the service starts again on its own
 * profiles, and the partial recording is not kept. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fileio.h"
#include "base/time-util.h"
#include "control/json-file.h"
#include "daemon-log.h"
#include "daemon.h"
#include "events/observations-file.h"
#include "insight/proposal.h"
#include "insight/readiness.h"
#include "policy/policy-load.h"
#include "seccomp/seccomp-rules.h"

#define RECORDINGS_DIR     "recordings"
#define RECORDING_FILE     "recording.json"
#define RECORDING_FORMAT   "hardend-recording"
#define RECORDING_VERSION  1
#define RECORDING_FILE_MAX 4096u
#define PROPOSALS_DIR      "proposals"

struct recording *daemon_recording_of(struct daemon *d, const char *service)
{
        for (size_t i = 0; service && i < d->n_recordings; i++)
                if (strcmp(d->recordings[i].service, service) == 0)
                        return &d->recordings[i];
        return NULL;
}

static bool has_exe(const struct recording *rec, const char *exe)
{
        for (size_t i = 0; i < rec->n_exes; i++)
                if (strcmp(rec->exes[i], exe) == 0)
                        return true;
        return false;
}

/* A recording must not miss what a short-lived process did: a process that
 * exits before its records are read (a `cat` in a shell script lives for a
 * millisecond) can no longer be attributed through /proc, and a call
 * missing from the recording breaks the workload once enforced. So during
 * a recording, a seccomp event nobody could attribute counts for the
 * recorded service when its executable is one the service's attributed
 * events showed (the shell's busybox is cat's too). Adding a call too many
 * is the safe side of that guess. */
void daemon_recording_event(struct daemon *d, const struct audit_event *e,
                            const struct event_context *ctx)
{
        uint64_t t = e->stamp.sec * 1000000u + e->stamp.msec * 1000u;
        struct recording *rec;

        if (!ctx->attr->service) {
                if (e->kind != EVENT_SECCOMP || !e->exe || event_from_runtime(e))
                        return;
                for (size_t i = 0; i < d->n_recordings; i++) {
                        rec = &d->recordings[i];
                        if (t >= rec->start_usec && t <= rec->end_usec && has_exe(rec, e->exe) &&
                            observations_add(rec->obs, e, rec->service, NULL) >= 0)
                                rec->by_exe++;
                }
                return;
        }
        rec = daemon_recording_of(d, ctx->attr->service);
        if (!rec || t < rec->start_usec || t > rec->end_usec)
                return;
        (void)observations_add(rec->obs, e, ctx->attr->service, ctx->attr->workload);
        if (e->exe && !event_from_runtime(e) && rec->n_exes < RECORDING_EXES_MAX &&
            !has_exe(rec, e->exe)) {
                char *copy = strdup(e->exe);

                if (copy)
                        rec->exes[rec->n_exes++] = copy;
        }
}

static uint64_t records_lost(struct daemon *d)
{
        return events_pipeline_stats(d->pipeline)->serial.gaps;
}

static int open_recording_dir(struct daemon *d, const char *service, bool create)
{
        char path[sizeof(RECORDINGS_DIR) + STATE_NAME_MAX + 2];
        int fd;

        if (create && mkdirat(d->state_dir_fd, RECORDINGS_DIR, 0700) < 0 && errno != EEXIST)
                return -errno;
        snprintf(path, sizeof(path), RECORDINGS_DIR "/%s", service);
        if (create && mkdirat(d->state_dir_fd, path, 0700) < 0 && errno != EEXIST)
                return -errno;
        fd = openat(d->state_dir_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        return fd < 0 ? -errno : fd;
}

/* --- the last finished recording of a service -------------------------- */

static int parse_recording(const char *data, size_t size, struct diag_list *diags, void *userdata)
{
        static const char *const keys[] = {"start", "end", "apparmor", "lost"};
        struct recorded *rec = userdata;
        json_t *body = NULL;
        int r;

        r = json_file_parse(data, size, RECORDING_FILE_MAX, RECORDING_FORMAT, RECORDING_VERSION,
                            RECORDING_FILE, diags, &body);
        if (r < 0)
                return r;
        r = json_check_keys(diags, body, "body", keys, ELEMENTSOF(keys));
        if (r >= 0 && (!json_is_integer(json_object_get(body, "start")) ||
                       !json_is_integer(json_object_get(body, "end")) ||
                       !json_is_boolean(json_object_get(body, "apparmor")) ||
                       !json_is_integer(json_object_get(body, "lost")) ||
                       json_integer_value(json_object_get(body, "start")) < 0 ||
                       json_integer_value(json_object_get(body, "end")) <
                           json_integer_value(json_object_get(body, "start")))) {
                diag_add(diags, (struct loc){0, 0},
                         "body: start and end must be times with start <= end, apparmor a "
                         "boolean, lost a count");
                r = -EINVAL;
        }
        if (r >= 0) {
                rec->start_usec = (uint64_t)json_integer_value(json_object_get(body, "start"));
                rec->end_usec = (uint64_t)json_integer_value(json_object_get(body, "end"));
                rec->apparmor = json_is_true(json_object_get(body, "apparmor"));
                rec->lost = (uint64_t)json_integer_value(json_object_get(body, "lost"));
        }
        json_decref(body);
        return r;
}

void recorded_done(struct recorded *rec)
{
        observations_free(rec->obs);
        *rec = (struct recorded){0};
}

/* Reads state_dir/recordings/<service>/ into s->recorded (left empty when
 * there is none or it is unusable: a warning says why). */
void daemon_load_recording(struct daemon *d, struct service *s)
{
        _cleanup_close_ int dfd = open_recording_dir(d, s->name, false);
        struct recorded rec = {0};
        struct diag_list dl;
        int r;

        recorded_done(&s->recorded);
        if (dfd < 0 || diag_list_init(&dl, RECORDING_FILE) < 0)
                return;
        r = json_file_load(dfd, RECORDING_FILE, RECORDING_FILE_MAX, now_realtime_usec(), &dl,
                           parse_recording, &rec, NULL);
        if (r == 0 && rec.end_usec > 0)
                r = observations_load(dfd, d->config.max_keys, now_realtime_usec(), &dl, &rec.obs,
                                      NULL);
        if (r != 0 || !rec.obs) {
                if (diag_has_errors(&dl)) {
                        _cleanup_free_ char *text = diag_to_text(&dl);

                        log_msg(LOG_WARNING, "service %s: the last recording is unusable: %s",
                                s->name, text ? text : "?");
                }
                recorded_done(&rec);
        } else {
                rec.have = true;
                s->recorded = rec;
        }
        diag_list_done(&dl);
}

static int save_recording(struct daemon *d, const struct recording *rec)
{
        _cleanup_close_ int dfd = open_recording_dir(d, rec->service, true);
        _cleanup_free_ char *data = NULL;
        json_t *body;
        size_t size;
        int r;

        if (dfd < 0)
                return dfd;
        r = observations_save(dfd, rec->obs);
        if (r < 0)
                return r;
        body = json_pack("{s:I, s:I, s:b, s:I}", "start", (json_int_t)rec->start_usec, "end",
                         (json_int_t)rec->end_usec, "apparmor", rec->apparmor, "lost",
                         (json_int_t)(records_lost(d) - rec->lost_at_start));
        if (!body)
                return -ENOMEM;
        r = json_file_format(body, RECORDING_FORMAT, RECORDING_VERSION, 0, &data, &size);
        json_decref(body);
        if (r < 0)
                return r;
        return json_file_save(dfd, RECORDING_FILE, data, size);
}

/* --- proposals ----------------------------------------------------------- */

static int read_policy_text(const struct service *s, char **ret_text, size_t *ret_size,
                            struct policy **ret_policy, char **ret_why)
{
        _cleanup_free_ char *text = NULL, *dir = NULL;
        _cleanup_close_ int dirfd = -1;
        struct diag_list dl;
        size_t size;
        int r;

        r = read_file_bounded(AT_FDCWD, s->policy_file, POLICY_MAX_BYTES, &text, &size);
        if (r < 0) {
                (void)!asprintf(ret_why, "cannot read %s: %s", s->policy_file, strerror(-r));
                return r;
        }
        dir = strdup(s->policy_file);
        if (!dir || diag_list_init(&dl, s->policy_file) < 0)
                return -ENOMEM;
        dirfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        r = policy_load_buffer(text, size, dirfd >= 0 ? dirfd : AT_FDCWD, &dl, ret_policy);
        if (r < 0)
                *ret_why = diag_to_text(&dl);
        diag_list_done(&dl);
        if (r < 0)
                return r;
        (*ret_policy)->source = strdup(s->policy_file);
        *ret_text = TAKE_PTR(text);
        *ret_size = size;
        return 0;
}

/* What the service's running workloads hold, from the latest scan. */
static size_t held_caps(const struct service *s, struct proposal_held *held, size_t max)
{
        size_t n = 0, i;
        json_t *w;

        json_array_foreach(s->workloads, i, w)
        {
                json_t *prm = json_object_get(w, "cap_permitted");

                if (n < max && json_is_integer(prm)) {
                        held[n].workload = json_string_value(json_object_get(w, "ref"));
                        held[n].permitted = (uint64_t)json_integer_value(prm);
                        n++;
                }
        }
        return n;
}

/* The proposal for s from its observations (or its last recording's). */
static int build_proposal(struct daemon *d, struct service *s, const struct protocol_request *req,
                          struct proposal **ret, char **ret_why)
{
        _cleanup_policy_ struct policy *p = NULL;
        _cleanup_free_ char *text = NULL;
        struct proposal_held held[64];
        struct proposal_recording rec;
        struct observations *o = events_pipeline_observations(d->pipeline);
        const struct observation *const *all;
        struct proposal_options opt = {.accept_risky = req->accept_risky,
                                       .since_usec = req->has_since ? req->since_usec : 0};
        char err[512], label[CONFIG_PATH_MAX + 8];
        size_t size = 0, n;
        int r;

        r = read_policy_text(s, &text, &size, &p, ret_why);
        if (r < 0)
                return r;
        if (req->recording) {
                if (!s->recorded.have) {
                        *ret_why = strdup("no recording of this service: hardenctl record first");
                        return -ENOENT;
                }
                rec = (struct proposal_recording){.start_usec = s->recorded.start_usec,
                                                  .end_usec = s->recorded.end_usec,
                                                  .apparmor = s->recorded.apparmor};
                opt.recording = &rec;
                o = s->recorded.obs;
        }
        opt.held = held;
        opt.n_held = held_caps(s, held, ELEMENTSOF(held));
        all = observations_all(o, &n);
        snprintf(label, sizeof(label), "%s", s->policy_file);
        r = proposal_build(p, text, size, label, all, n, &opt, err, sizeof(err), ret);
        if (r < 0)
                *ret_why = strdup(err);
        return r;
}

int daemon_propose(struct daemon *d, const struct protocol_request *req, json_t **ret_result,
                   const char **ret_code, char **ret_message)
{
        _cleanup_(proposal_freep) struct proposal *prop = NULL;
        struct service *s = daemon_find_service(d, req->service);
        json_t *result;
        int r;

        if (!s || !s->policy_file) {
                *ret_code = DAEMON_E_UNKNOWN_SERVICE;
                (void)!asprintf(ret_message, "no service '%s' here", req->service);
                return -ENOENT;
        }
        r = build_proposal(d, s, req, &prop, ret_message);
        if (r < 0) {
                *ret_code = r == -ENOENT ? DAEMON_E_REFUSED : DAEMON_E_FAILED;
                return r;
        }
        result = proposal_to_json(prop);
        if (!result)
                return -ENOMEM;
        json_object_set_new(result, "policy_file", json_string(s->policy_file));
        json_object_set_new(result, "recording", json_boolean(req->recording));
        *ret_result = result;
        return 0;
}

/* --- recordings ---------------------------------------------------------- */

static void write_proposal_diff(struct daemon *d, struct service *s)
{
        struct protocol_request req = {.recording = true};
        _cleanup_(proposal_freep) struct proposal *prop = NULL;
        _cleanup_free_ char *why = NULL, *name = NULL;
        _cleanup_close_ int dfd = -1;

        if (build_proposal(d, s, &req, &prop, &why) < 0) {
                log_msg(LOG_WARNING, "service %s: no proposal from the recording: %s", s->name,
                        why ? why : "?");
                return;
        }
        if ((mkdirat(d->state_dir_fd, PROPOSALS_DIR, 0700) < 0 && errno != EEXIST) ||
            (dfd = openat(d->state_dir_fd, PROPOSALS_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) <
                0 ||
            asprintf(&name, "%s.diff", s->name) < 0 ||
            write_file_atomic(dfd, name, prop->diff, strlen(prop->diff), 0600) < 0) {
                log_msg(LOG_WARNING, "service %s: cannot write %s/" PROPOSALS_DIR "/%s.diff",
                        s->name, d->config.state_dir, s->name);
                return;
        }
        log_msg(LOG_INFO,
                "service %s: recording ended; proposal of %zu changes in %s/" PROPOSALS_DIR
                "/%s.diff (seccomp allow list %zu -> %zu)",
                s->name,
                prop->n_by_action[PROPOSAL_ADD] + prop->n_by_action[PROPOSAL_REMOVE] +
                    prop->n_by_action[PROPOSAL_NARROW],
                d->config.state_dir, s->name, prop->allowed_before, prop->allowed_after);
}

/* Puts the service's own profiles back, in the mode it had. */
static void restore_service(struct daemon *d, struct service *s, enum policy_mode mode)
{
        _cleanup_free_ char *why = NULL;
        struct diag_list dl;
        struct policy *p = NULL;
        int r;

        if (diag_list_init(&dl, s->policy_file) < 0)
                return;
        r = policy_load_file(s->policy_file, &dl, &p);
        if (r < 0)
                why = diag_to_text(&dl);
        diag_list_done(&dl);
        if (r >= 0) {
                r = service_apply(d, s, p, mode, &why);
                if (r < 0)
                        policy_free(p);
                else
                        r = daemon_refresh_view(d); /* attribution borrowed the old one's names */
        }
        if (r < 0)
                log_msg(LOG_ERR,
                        "service %s: its own profiles could not be put back after the recording: "
                        "%s; it stays on the recording profile until a reload succeeds",
                        s->name, why ? why : strerror(-r));
        daemon_scan_soon(d);
}

static void recording_free(struct recording *rec)
{
        sd_event_source_disable_unref(rec->timer);
        observations_free(rec->obs);
        for (size_t i = 0; i < rec->n_exes; i++)
                free(rec->exes[i]);
}

/* Ends the recording at index i: keeps it (when kept), restores the
 * service, writes the proposal. */
static void end_recording(struct daemon *d, size_t i, bool kept)
{
        struct recording rec = d->recordings[i];
        struct service *s = daemon_find_service(d, rec.service);
        int r;

        memmove(&d->recordings[i], &d->recordings[i + 1],
                (d->n_recordings - i - 1) * sizeof(*d->recordings));
        d->n_recordings--;
        rec.end_usec = rec.end_usec < now_realtime_usec() ? rec.end_usec : now_realtime_usec();
        if (rec.by_exe)
                log_msg(LOG_INFO,
                        "service %s: %llu events of processes that had exited counted by their "
                        "executable",
                        rec.service, (unsigned long long)rec.by_exe);
        if (kept) {
                r = save_recording(d, &rec);
                if (r < 0)
                        log_errno(r, "service %s: cannot keep the recording: %m", rec.service);
        }
        if (s) {
                restore_service(d, s, rec.previous);
                if (kept) {
                        daemon_load_recording(d, s);
                        write_proposal_diff(d, s);
                }
        }
        recording_free(&rec);
}

static int on_recording_end(sd_event_source *src, _unused_ uint64_t usec, void *userdata)
{
        struct daemon *d = userdata;

        for (size_t i = 0; i < d->n_recordings; i++)
                if (d->recordings[i].timer == src) {
                        end_recording(d, i, true);
                        break;
                }
        return 0;
}

void daemon_recordings_stop(struct daemon *d)
{
        while (d->n_recordings > 0)
                end_recording(d, d->n_recordings - 1, false);
        free(d->recordings);
        d->recordings = NULL;
}

int daemon_record(struct daemon *d, const struct protocol_request *req, json_t **ret_result,
                  const char **ret_code, char **ret_message)
{
        struct service *s = daemon_find_service(d, req->service);
        _cleanup_policy_ struct policy *p = NULL;
        struct recording rec = {0}, *grown;
        struct diag_list dl;
        uint64_t now = now_realtime_usec();
        int r;

        *ret_code = DAEMON_E_REFUSED;
        if (!s || !s->policy_file) {
                *ret_code = DAEMON_E_UNKNOWN_SERVICE;
                (void)!asprintf(ret_message, "no service '%s' here", req->service);
                return -ENOENT;
        }
        if (daemon_recording_of(d, s->name)) {
                (void)!asprintf(ret_message, "service %s is being recorded already", s->name);
                return -EBUSY;
        }
        if (s->mode == POLICY_MODE_ENFORCE && !req->force) {
                (void)!asprintf(ret_message,
                                "service %s is in enforce mode: a recording would stop enforcing "
                                "for its duration (--force records anyway)",
                                s->name);
                return -EPERM;
        }
        if (diag_list_init(&dl, s->policy_file) < 0)
                return -ENOMEM;
        r = policy_load_file(s->policy_file, &dl, &p);
        if (r < 0)
                *ret_message = diag_to_text(&dl);
        diag_list_done(&dl);
        if (r < 0)
                return r;
        policy_make_recording(p);
        r = observations_new(d->config.max_keys, &rec.obs);
        if (r < 0)
                return r;
        snprintf(rec.service, sizeof(rec.service), "%s", s->name);
        rec.previous = s->mode;
        rec.start_usec = now;
        rec.end_usec = now + req->duration_usec;
        rec.lost_at_start = records_lost(d);
        r = sd_event_add_time(d->event, &rec.timer, CLOCK_REALTIME, rec.end_usec, 100000,
                              on_recording_end, d);
        if (r >= 0) {
                grown = realloc(d->recordings, (d->n_recordings + 1) * sizeof(*grown));
                r = grown ? 0 : -ENOMEM;
        }
        if (r < 0) {
                recording_free(&rec);
                return r;
        }
        d->recordings = grown;
        r = service_apply(d, s, p, POLICY_MODE_MONITOR, ret_message);
        if (r < 0) {
                *ret_code = DAEMON_E_FAILED;
                recording_free(&rec);
                restore_service(d, s, rec.previous);
                return r;
        }
        TAKE_PTR(p);
        /* The service's policy object changed: attribution borrows from it. */
        r = daemon_refresh_view(d);
        if (r < 0) {
                recording_free(&rec);
                restore_service(d, s, rec.previous);
                return r;
        }
        rec.apparmor = s->apparmor_loaded;
        d->recordings[d->n_recordings++] = rec;
        log_msg(LOG_INFO, "service %s: recording for %llus (restart its workloads to record them)",
                s->name, (unsigned long long)(req->duration_usec / 1000000u));
        daemon_scan_soon(d);
        *ret_result = json_pack("{s:s, s:I, s:I, s:b, s:s}", "service", s->name, "start",
                                (json_int_t)rec.start_usec, "end", (json_int_t)rec.end_usec,
                                "apparmor", rec.apparmor, "seccomp_profile", s->sha256);
        return *ret_result ? 0 : -ENOMEM;
}

/* --- readiness ----------------------------------------------------------- */

/* Of the calls p allows whatever the arguments (x86_64), how many the
 * recording saw made, by the workload or its runtime. */
static void exercised(const struct policy *p, const struct observations *o, size_t *ret_allowed,
                      size_t *ret_exercised)
{
        _cleanup_ruleset_ struct seccomp_ruleset *rs = NULL;
        const struct observation *const *all;
        struct oci_profile *base = NULL;
        struct seccomp_error err;
        struct oci_error oerr;
        size_t n;

        *ret_allowed = *ret_exercised = 0;
        if (seccomp_policy_load_base(p, &oerr, &base) < 0)
                return;
        if (seccomp_ruleset_build(p, base,
                                  &(struct seccomp_rules_options){.mode = POLICY_MODE_ENFORCE},
                                  &err, &rs) < 0) {
                oci_profile_free(base);
                return;
        }
        oci_profile_free(base);
        all = observations_all(o, &n);
        for (size_t i = 0; i < rs->n_rules; i++) {
                const struct seccomp_rule *rule = &rs->rules[i];
                bool seen = false;

                if (rule->n_args || rule->action.act != SECCOMP_ACT_ALLOW ||
                    rule->origin == SECCOMP_ORIGIN_GUARD ||
                    !seccomp_name_applies(rule->syscall, POLICY_ARCH_X86_64))
                        continue;
                (*ret_allowed)++;
                for (size_t k = 0; k < n && !seen; k++)
                        seen = all[k]->kind == EVENT_SECCOMP && all[k]->syscall_name &&
                               strcmp(all[k]->syscall_name, rule->syscall) == 0;
                *ret_exercised += seen;
        }
}

json_t *daemon_readiness_json(struct daemon *d, struct service *s)
{
        struct readiness_input in = {
            .now_usec = now_realtime_usec(),
            .quiet_period_usec = d->config.quiet_period_usec,
            .scanned = d->last_scan_usec > 0,
        };
        struct observations *o = events_pipeline_observations(d->pipeline);
        uint64_t keys;
        struct stat st;
        size_t i;
        json_t *w;

        if (s->policy_file && stat(s->policy_file, &st) == 0)
                in.policy_changed_usec =
                    (uint64_t)st.st_mtim.tv_sec * 1000000u + (uint64_t)st.st_mtim.tv_nsec / 1000u;
        (void)observations_last_denial(o, s->name, 0, &in.last_denial_usec, &keys);
        if (s->recorded.have && s->policy) {
                in.have_recording = true;
                in.recording_start_usec = s->recorded.start_usec;
                in.recording_end_usec = s->recorded.end_usec;
                exercised(s->policy, s->recorded.obs, &in.allowed, &in.exercised);
        }
        json_array_foreach(s->workloads, i, w)
        {
                json_t *f = json_object_get(w, "findings");

                in.workloads++;
                if (json_is_integer(f))
                        in.findings += (size_t)json_integer_value(f);
        }
        if (s->last_finding)
                in.worst = json_string_value(json_object_get(s->last_finding, "severity"));
        return readiness_json(&in);
}
