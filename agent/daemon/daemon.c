/* SPDX-License-Identifier: MIT */
/* Start, run and stop, in the order that keeps the agent safe:
 *
 *   configuration → directories → lock → state → event loop and signals →
 *   readback helper → pipeline and sources → policies (artifacts written,
 *   AppArmor loaded in each service's mode) → control socket → scans →
 *   privileges dropped and own seccomp filter → READY=1.
 *
 * Everything that needs a capability the agent gives up (binding the
 * netlink socket's large buffer, forking the readback helper) happens
 * before the drop. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include "apparmor/apparmor-kernel.h"
#include "base/fileio.h"
#include "base/time-util.h"
#include "daemon-log.h"
#include "daemon.h"
#include "posture/scan.h"
#include "privileges.h"
#include "readback-helper.h"
#include "seccomp/seccomp-rules.h"
#include "seccomp/seccomp-runtime.h"

#define RELOAD_SOON_USEC (500u * 1000u)
/* The agent's own policy in profiles_dir. */
#define SELF_SERVICE "hardend"

static int load_config(struct daemon *d, const char *path)
{
        struct diag_list dl;
        int r;

        if (diag_list_init(&dl, path ? path : CONFIG_DEFAULT_PATH) < 0)
                return -ENOMEM;
        r = config_load_file(path, &dl, &d->config);
        diag_print(&dl, stderr);
        diag_list_done(&dl);
        if (r < 0)
                return log_errno(r, "invalid configuration %s: not starting",
                                 path ? path : CONFIG_DEFAULT_PATH);
        d->config_from_file = r == 0;
        if (d->profiles_override[0])
                snprintf(d->config.profiles_dir, sizeof(d->config.profiles_dir), "%s",
                         d->profiles_override);
        if (path)
                snprintf(d->config_path, sizeof(d->config_path), "%s", path);
        return 0;
}

static int open_dir(const char *path, mode_t mode, int *ret_fd)
{
        int r = mkdir_parents(path, mode);

        if (r < 0)
                return log_errno(r, "cannot create %s: %m", path);
        *ret_fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (*ret_fd < 0)
                return log_errno(-errno, "cannot open %s: %m", path);
        return 0;
}

static int open_dirs(struct daemon *d)
{
        char path[CONFIG_PATH_MAX + 16];
        int r, runtime_fd = -1;

        if ((r = open_dir(d->config.state_dir, 0700, &d->state_dir_fd)) < 0 ||
            (r = open_dir(d->config.seccomp_dir, 0755, &d->seccomp_dir_fd)) < 0 ||
            (r = open_dir(d->config.runtime_dir, 0755, &runtime_fd)) < 0)
                return r;
        close(runtime_fd);
        snprintf(path, sizeof(path), "%s/apparmor", d->config.state_dir);
        if ((r = open_dir(path, 0755, &d->apparmor_dir_fd)) < 0)
                return r;
        d->proc_fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        d->root_fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (d->proc_fd < 0 || d->root_fd < 0)
                return log_errno(-errno, "cannot open /proc or /: %m");
        return 0;
}

/* One agent per state directory: two would overwrite each other's state. */
static int take_lock(struct daemon *d)
{
        d->lock_fd = openat(d->state_dir_fd, "lock", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (d->lock_fd < 0)
                return log_errno(-errno, "cannot open %s/lock: %m", d->config.state_dir);
        if (flock(d->lock_fd, LOCK_EX | LOCK_NB) < 0)
                return log_errno(-errno, "another hardend uses %s (%m): not starting",
                                 d->config.state_dir);
        return 0;
}

static int load_state(struct daemon *d)
{
        _cleanup_free_ char *aside = NULL;
        struct diag_list dl;
        int r;

        if (diag_list_init(&dl, STATE_FILE) < 0)
                return -ENOMEM;
        r = state_load(d->state_dir_fd, now_realtime_usec(), &dl, &d->state, &aside);
        if (r == 1) {
                _cleanup_free_ char *why = diag_to_text(&dl);

                (void)!asprintf(&d->state_warning,
                                "%s/" STATE_FILE " was unusable and is kept aside as %s; every "
                                "service started in its policy's mode",
                                d->config.state_dir, aside ? aside : "?");
                log_msg(LOG_CRIT, "WARNING: %s: %s", d->state_warning ? d->state_warning : "",
                        why ? why : "");
        } else if (r < 0) {
                (void)!asprintf(&d->state_warning,
                                "%s/" STATE_FILE " cannot be read (%s); every service started in "
                                "its policy's mode",
                                d->config.state_dir, strerror(-r));
                log_msg(LOG_CRIT, "WARNING: %s", d->state_warning ? d->state_warning : "");
                d->state = state_new();
        }
        diag_list_done(&dl);
        return d->state ? 0 : -ENOMEM;
}

static void probe_apparmor(struct daemon *d)
{
        enum apparmor_support s;

        if (apparmor_support_probe(&s) < 0)
                s = APPARMOR_SUPPORT_NOT_IN_KERNEL;
        d->apparmor_available = s == APPARMOR_SUPPORT_ENABLED;
        snprintf(d->apparmor_detail, sizeof(d->apparmor_detail), "%s",
                 apparmor_support_to_string(s));
        if (!d->apparmor_available)
                log_msg(LOG_WARNING,
                        "AppArmor profiles are generated and checked but not loaded: %s",
                        d->apparmor_detail);
}

/* Whether enforce-mode profiles may ask the runtime to log what they
 * refuse: only when every runtime installed accepts the flag (runc 1.1
 * refuses a profile that has it). */
static void probe_runtimes(struct daemon *d)
{
        static const char *const known[] = {"runc", "crun"};
        size_t n = 0, found = 0, with_flag = 0;

        d->runtimes[0] = '\0';
        for (size_t i = 0; i < ELEMENTSOF(known); i++) {
                struct seccomp_runtime rt;
                char line[160];

                if (seccomp_runtime_probe(known[i], &rt) < 0)
                        continue;
                found++;
                with_flag += rt.flag_log;
                n += (size_t)snprintf(
                    d->runtimes + n, n < sizeof(d->runtimes) ? sizeof(d->runtimes) - n : 0, "%s%s",
                    n ? "; " : "", seccomp_runtime_describe(&rt, line, sizeof(line)));
        }
        if (found == 0)
                snprintf(d->runtimes, sizeof(d->runtimes), "neither runc nor crun is installed");
        d->runtime_flags = found > 0 && with_flag == found;
}

static int on_terminate(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata)
{
        struct daemon *d = userdata;

        log_msg(LOG_INFO, "signal %u: stopping", si->ssi_signo);
        return sd_event_exit(d->event, 0);
}

static void reload_logged(struct daemon *d)
{
        json_t *result = NULL;
        int r = daemon_reload(d, &result);

        if (r < 0)
                log_errno(r, "reload failed: %m");
        json_decref(result);
}

static int on_hangup(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata)
{
        log_msg(LOG_INFO, "SIGHUP: reloading the configuration and policies");
        reload_logged(userdata);
        return 0;
}

static int on_reload_soon(sd_event_source *s, uint64_t usec, void *userdata)
{
        log_msg(LOG_INFO, "the profiles directory changed: reloading the policies");
        reload_logged(userdata);
        return 0;
}

/* Editors write temp files and rename: wait for the burst to settle. */
static int on_profiles_changed(sd_event_source *s, const struct inotify_event *ev, void *userdata)
{
        struct daemon *d = userdata;
        size_t n = ev->len ? strlen(ev->name) : 0;

        if (n > 5 && strcmp(ev->name + n - 5, ".yaml") == 0 &&
            sd_event_source_set_time_relative(d->reload_soon, RELOAD_SOON_USEC) >= 0)
                (void)sd_event_source_set_enabled(d->reload_soon, SD_EVENT_ONESHOT);
        return 0;
}

static int setup_loop(struct daemon *d)
{
        sigset_t ss;
        int r;

        r = sd_event_new(&d->event);
        if (r < 0)
                return log_errno(r, "cannot create the event loop: %m");
        sigemptyset(&ss);
        sigaddset(&ss, SIGTERM);
        sigaddset(&ss, SIGINT);
        sigaddset(&ss, SIGHUP);
        if (sigprocmask(SIG_BLOCK, &ss, NULL) < 0)
                return log_errno(-errno, "cannot block signals: %m");
        signal(SIGPIPE, SIG_IGN);
        if ((r = sd_event_add_signal(d->event, NULL, SIGTERM, on_terminate, d)) < 0 ||
            (r = sd_event_add_signal(d->event, NULL, SIGINT, on_terminate, d)) < 0 ||
            (r = sd_event_add_signal(d->event, NULL, SIGHUP, on_hangup, d)) < 0 ||
            (r = sd_event_add_time_relative(d->event, &d->reload_soon, CLOCK_MONOTONIC,
                                            RELOAD_SOON_USEC, 100000, on_reload_soon, d)) < 0 ||
            (r = sd_event_source_set_enabled(d->reload_soon, SD_EVENT_OFF)) < 0)
                return log_errno(r, "cannot set up the event loop: %m");
        r = sd_event_add_inotify(d->event, &d->profiles_watch, d->config.profiles_dir,
                                 IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE,
                                 on_profiles_changed, d);
        if (r < 0)
                log_errno(r, "cannot watch %s (%m): edits take effect on reload only",
                          d->config.profiles_dir);
        if (d->config.watchdog && (r = sd_event_set_watchdog(d->event, true)) < 0)
                log_errno(r, "cannot set up the watchdog: %m");
        return 0;
}

/* The helper is forked before any socket or source is opened: it keeps
 * nothing of the agent's (a listening socket inherited by a helper that
 * outlives a killed agent would answer for it). */
static void start_readback_helper(struct daemon *d)
{
        int r = readback_helper_start(d->proc_fd, &d->readback);

        if (r < 0)
                log_errno(r, "readback helper not started (%m): status cannot tell which filter "
                             "running workloads carry");
}

/* Gives up what the rest of the run does not need (privileges.h); the
 * agent's own policy, when profiles_dir has one, confines it. */
static int lock_down(struct daemon *d)
{
        const struct service *self = daemon_find_service(d, SELF_SERVICE);
        _cleanup_oci_profile_ struct oci_profile *base = NULL;
        struct seccomp_error err = {{0}};
        struct oci_error oerr = {{0}};
        uint64_t missing = 0;
        int r;

        /* Before the drop and the filter: loading needs CAP_BPF +
         * CAP_PERFMON and bpf() commands the filter refuses; scans then
         * only create iterators from it. Without it scans read /proc. */
        r = posture_scan_prepare();
        if (r < 0)
                log_msg(LOG_WARNING,
                        "posture scans read /proc: the BPF task iterator is unavailable: %s",
                        strerror(-r));
        r = privileges_drop(privileges_mask(privileges_daemon, privileges_daemon_len), &missing);
        if (r < 0)
                return log_errno(r, "cannot drop privileges: %m");
        if (missing) {
                _cleanup_free_ char *names = NULL;

                (void)privileges_mask_names(missing, &names);
                log_msg(LOG_WARNING, "started without capabilities it needs: %s",
                        names ? names : "?");
        }
        if (!self || !self->policy) {
                log_msg(LOG_WARNING,
                        "no valid policy '" SELF_SERVICE "' in %s: hardend runs without its "
                        "own seccomp filter",
                        d->config.profiles_dir);
                return 0;
        }
        r = seccomp_policy_load_base(self->policy, &oerr, &base);
        if (r >= 0)
                r = privileges_confine(self->policy, base, self->mode, &err);
        if (r < 0)
                return log_errno(r, "cannot confine hardend with its own policy: %s",
                                 err.text[0]    ? err.text
                                 : oerr.text[0] ? oerr.text
                                                : "%m");
        log_msg(LOG_INFO, "confined by its own seccomp filter (%s mode)",
                policy_mode_to_string(self->mode));
        return 0;
}

int daemon_new(const char *config_path, const char *profiles, struct daemon **ret)
{
        struct daemon *d = calloc(1, sizeof(*d));
        int r = -ENOMEM;

        if (!d)
                return -ENOMEM;
        d->state_dir_fd = d->seccomp_dir_fd = d->apparmor_dir_fd = d->proc_fd = d->root_fd =
            d->lock_fd = d->listen_fd = -1;
        d->started_usec = now_realtime_usec();
        if (profiles)
                snprintf(d->profiles_override, sizeof(d->profiles_override), "%s", profiles);
        d->invalid_policies = json_array();
        if (!d->invalid_policies || (r = load_config(d, config_path)) < 0 ||
            (r = open_dirs(d)) < 0 || (r = take_lock(d)) < 0 || (r = load_state(d)) < 0 ||
            (r = setup_loop(d)) < 0)
                goto fail;
        probe_apparmor(d);
        probe_runtimes(d);
        start_readback_helper(d);
        if ((r = daemon_sources_start(d)) < 0 || (r = daemon_load_policies(d, NULL)) < 0 ||
            (r = daemon_control_start(d)) < 0 || (r = daemon_scan_start(d)) < 0 ||
            (r = lock_down(d)) < 0)
                goto fail;
        *ret = d;
        return 0;
fail:
        daemon_free(d);
        return r < 0 ? r : -ENOMEM;
}

static void notify_status(struct daemon *d)
{
        char text[512];
        size_t n = 0;

        n += (size_t)snprintf(text, sizeof(text), "%zu service%s", d->n_services,
                              d->n_services == 1 ? "" : "s");
        for (size_t i = 0; i < d->n_services && n < sizeof(text); i++)
                n += (size_t)snprintf(text + n, sizeof(text) - n, "%s%s %s", i ? ", " : ": ",
                                      d->services[i].name,
                                      policy_mode_to_string(d->services[i].mode));
        (void)sd_notifyf(false, "READY=1\nSTATUS=%s", text);
}

int daemon_run(struct daemon *d)
{
        int r;

        log_msg(LOG_INFO, "ready: %zu service%s, control socket %s", d->n_services,
                d->n_services == 1 ? "" : "s", d->socket_path);
        notify_status(d);
        r = sd_event_loop(d->event);
        (void)sd_notify(false, "STOPPING=1");
        return r;
}

struct daemon *daemon_free(struct daemon *d)
{
        if (!d)
                return NULL;
        daemon_recordings_stop(d);
        daemon_control_stop(d);
        daemon_scan_stop(d);
        daemon_sources_stop(d);
        d->readback = readback_helper_stop(d->readback);
        d->profiles_watch = sd_event_source_disable_unref(d->profiles_watch);
        d->reload_soon = sd_event_source_disable_unref(d->reload_soon);
        for (size_t i = 0; i < d->n_services; i++)
                service_done(&d->services[i]);
        free(d->services);
        free(d->view.items);
        json_decref(d->invalid_policies);
        json_decref(d->last_check);
        json_decref(d->known_findings);
        state_free(d->state);
        free(d->state_warning);
        sd_event_unref(d->event);
        {
                int fds[] = {d->state_dir_fd, d->seccomp_dir_fd, d->apparmor_dir_fd,
                             d->proc_fd,      d->root_fd,        d->lock_fd};

                for (size_t i = 0; i < ELEMENTSOF(fds); i++)
                        if (fds[i] >= 0)
                                close(fds[i]);
        }
        free(d);
        return NULL;
}
