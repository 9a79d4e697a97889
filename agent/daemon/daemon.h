/* SPDX-License-Identifier: MIT */
/* The running agent: one sd-event loop that owns every long-lived thing —
 * the configuration, the services with their last good policies and
 * generated artifacts, the persistent state, the event pipeline and its
 * sources, the posture scanner and the control socket's clients.
 *
 * Files by concern:
 *   daemon.c          start, run, stop (the order things are set up in)
 *   daemon-log.c      log lines and structured journal entries (MESSAGE_ID)
 *   daemon-service.c  a service: its artifacts in a mode, generated and applied
 *   daemon-reload.c   (re)reading configuration and policies
 *   daemon-switch.c   monitor/enforce: checks, apply, state, change log
 *   daemon-sources.c  netlink and journal into the pipeline, followers
 *   daemon-scan.c     periodic and container-start posture scans
 *   daemon-control.c  the control socket: clients, frames, dispatch
 *   daemon-status.c   the status, events and check replies
 * Only this folder logs, owns globals and exits. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-event.h>

#include "apparmor/apparmor-compile.h"
#include "apparmor/apparmor-render.h"
#include "base/sha256.h"
#include "control/config.h"
#include "control/peer.h"
#include "control/protocol.h"
#include "control/state.h"
#include "events/events-pipeline.h"
#include "policy/policy-set.h"
#include "posture/seccomp-decode.h"
#include "seccomp/seccomp-generate.h"

struct audit_netlink;
struct journal_source;
struct readback_helper;
struct client;

/* Error codes of the verbs, beyond the protocol's own (docs/agent.md). */
#define DAEMON_E_UNKNOWN_SERVICE "unknown-service"
#define DAEMON_E_REFUSED         "refused"
#define DAEMON_E_FAILED          "failed"

/* OCI runtimes' state roots watched for container starts (daemon-scan.c). */
#define DAEMON_RUNTIME_ROOTS 3

/* A service's last finished recording (daemon-insight.c). */
struct recorded {
        bool have;
        uint64_t start_usec, end_usec;
        bool apparmor; /* AppArmor logged everything too */
        uint64_t lost; /* audit records lost during it (coverage may lack them) */
        struct observations *obs;
};

#define RECORDING_EXES_MAX 64u

/* A recording in progress. */
struct recording {
        char service[STATE_NAME_MAX + 1];
        uint64_t start_usec, end_usec;
        enum policy_mode previous; /* put back at the end */
        bool apparmor;
        uint64_t lost_at_start;
        struct observations *obs;
        sd_event_source *timer;
        /* Executables of the service's attributed events (see
         * daemon_recording_event); at most RECORDING_EXES_MAX. */
        char *exes[RECORDING_EXES_MAX];
        size_t n_exes;
        uint64_t by_exe; /* events counted through them */
};

/* What one service is running with. */
struct service {
        char name[STATE_NAME_MAX + 1];
        char *policy_file;
        struct policy *policy;               /* the last good one, owned */
        char policy_sha256[SHA256_HEX_SIZE]; /* of its canonical text: tells an edit from a touch */
        char *policy_error; /* why the file's last reading failed; NULL when it did not */
        enum policy_mode mode;
        /* The artifacts of `mode`, as last applied. */
        char sha256[SHA256_HEX_SIZE]; /* of <service>.seccomp.json; "" before the first */
        /* The policy's filters in both modes, as this machine's BPF: what
         * scans compare running workloads with (built once per policy). */
        struct seccomp_chain expected[2];
        bool have_expected;
        char *seccomp_error;
        bool apparmor_loaded;
        char *apparmor_error;
        /* From the latest scan. */
        json_t *workloads;    /* array, see daemon-status.c */
        json_t *last_finding; /* object or NULL */
        bool present;         /* seen by the reload in progress */
        struct recorded recorded;
};

struct daemon_source_status {
        bool enabled, up;
        char error[128];
};

struct daemon {
        sd_event *event;
        char config_path[CONFIG_PATH_MAX];       /* "" = the default path */
        char profiles_override[CONFIG_PATH_MAX]; /* --profiles; "" = none */
        bool config_from_file;
        struct hardend_config config;
        uint64_t started_usec;

        int state_dir_fd, seccomp_dir_fd, apparmor_dir_fd, proc_fd, root_fd, lock_fd;
        struct hardend_state *state;
        char *state_warning;
        bool cursors_dirty;

        struct service *services; /* sorted by name */
        size_t n_services;
        struct policy_set view;   /* borrowed pointers to the services' policies */
        json_t *invalid_policies; /* [{file, error}] of files no service was built from */

        /* The OCI runtimes here accept SECCOMP_FILTER_FLAG_LOG in a profile:
         * enforce-mode profiles carry it and enforced denials are audited. */
        bool runtime_flags;
        char runtimes[256];
        bool apparmor_available;
        char apparmor_detail[160];

        struct events_pipeline *pipeline;
        struct audit_netlink *netlink;
        struct journal_source *journal;
        struct daemon_source_status netlink_status, journal_status;
        uint64_t overruns_reported;
        sd_event_source *netlink_io, *journal_io, *journal_more, *flush_timer, *save_timer,
            *save_soon;

        struct readback_helper *readback;
        sd_event_source *scan_timer, *scan_soon, *profiles_watch, *reload_soon;
        sd_event_source
            *runtime_watch[DAEMON_RUNTIME_ROOTS]; /* NULL where the directory is absent */
        json_t *last_check;                       /* the latest scan's check result */
        uint64_t last_scan_usec;
        size_t scan_workloads;
        int scan_source;    /* enum scan_source of the latest scan */
        int scan_bpf_error; /* why it was not the BPF task iterator, 0 when it was */
        char scan_error[128];
        bool scan_retried;      /* the last scan was a retry of unreadable filters */
        json_t *known_findings; /* {"<workload>|<check>": true}, to journal only new ones */

        int listen_fd;
        char socket_path[CONFIG_PATH_MAX + sizeof(CONFIG_SOCKET_NAME)];
        sd_event_source *listen_io;
        struct client *clients;
        size_t n_clients, n_followers;

        struct recording *recordings;
        size_t n_recordings;
};

/* daemon.c */
/* config_path NULL: the default path (a missing file there means every
 * default). profiles (may be NULL) overrides the configuration's
 * profiles_dir. Logs what goes wrong. */
int daemon_new(const char *config_path, const char *profiles, struct daemon **ret);
int daemon_run(struct daemon *d);
struct daemon *daemon_free(struct daemon *d);

/* daemon-service.c */
struct service *daemon_find_service(struct daemon *d, const char *name);
/* Everything a service runs with in a mode, built in memory: nothing is
 * written or loaded yet. */
struct service_build {
        enum policy_mode mode;
        struct seccomp_artifacts seccomp;
        char sha256[SHA256_HEX_SIZE]; /* of seccomp.json */
        struct apparmor_profile *profile;
        struct apparmor_binary binary; /* empty when the kernel has no AppArmor */
        bool compiled;                 /* apparmor_parser accepted the profile */
        char *apparmor_note;           /* why AppArmor is not loaded, or NULL */
};
/* Generates policy p's seccomp artifacts and renders and compiles its
 * AppArmor profile for mode. -errno with *ret_why when it does not build
 * or compile (a missing apparmor_parser is not an error: the note says
 * so). */
int service_build(struct daemon *d, const struct policy *p, enum policy_mode mode,
                  struct service_build *ret, char **ret_why);
void service_build_done(struct service_build *b);
/* Writes b's artifacts (atomically) and loads its AppArmor profile; on
 * success s runs policy p (ownership taken) in b->mode. On failure *ret_why
 * says what failed; the seccomp files may already be the new ones (the
 * caller puts the previous mode back). */
int service_install(struct daemon *d, struct service *s, struct policy *p, struct service_build *b,
                    char **ret_why);
/* service_build, then service_install. */
int service_apply(struct daemon *d, struct service *s, struct policy *p, enum policy_mode mode,
                  char **ret_why);
void service_done(struct service *s);
/* The policy's expected filters by mode (built on first use, kept until
 * the policy changes), or NULL when they cannot be built. */
const struct seccomp_chain *service_expected(struct service *s);
/* Points d->view at the services' policies and hands it to the pipeline. */
int daemon_refresh_view(struct daemon *d);

/* daemon-reload.c */
/* Reads the configuration (on reload only) and every policy, and applies
 * what changed. result (may be NULL) receives the reload verb's reply. */
int daemon_load_policies(struct daemon *d, json_t *result);
int daemon_reload(struct daemon *d, json_t **ret_result);

/* daemon-switch.c */
int daemon_switch(struct daemon *d, const struct protocol_request *req, const struct peer *peer,
                  json_t **ret_result, const char **ret_code, char **ret_message);

/* daemon-sources.c */
int daemon_sources_start(struct daemon *d);
void daemon_sources_stop(struct daemon *d);
/* Saves the sources' cursors into the state file when they moved. */
void daemon_save_cursors(struct daemon *d);
/* Persists observations (on a timer and at exit). */
void daemon_save_observations(struct daemon *d);

/* daemon-scan.c */
int daemon_scan_start(struct daemon *d);
void daemon_scan_stop(struct daemon *d);
/* A scan shortly (debounced): a container started, policies changed. */
void daemon_scan_soon(struct daemon *d);

/* daemon-control.c */
int daemon_control_start(struct daemon *d);
void daemon_control_stop(struct daemon *d);
/* A delivered event, for the clients following events. */
void daemon_control_event(struct daemon *d, const struct audit_event *e,
                          const struct event_context *ctx);

/* daemon-status.c */
json_t *daemon_status_json(struct daemon *d, const char *service);
json_t *daemon_events_json(struct daemon *d, const char *service);
json_t *daemon_check_json(struct daemon *d, const char *service);

/* daemon-insight.c */
int daemon_propose(struct daemon *d, const struct protocol_request *req, json_t **ret_result,
                   const char **ret_code, char **ret_message);
int daemon_record(struct daemon *d, const struct protocol_request *req, json_t **ret_result,
                  const char **ret_code, char **ret_message);
struct recording *daemon_recording_of(struct daemon *d, const char *service);
/* Feeds a delivered event to the recording of its service, if any. */
void daemon_recording_event(struct daemon *d, const struct audit_event *e,
                            const struct event_context *ctx);
/* Ends every recording without keeping it (the agent stops). */
void daemon_recordings_stop(struct daemon *d);
void daemon_load_recording(struct daemon *d, struct service *s);
void recorded_done(struct recorded *rec);
json_t *daemon_readiness_json(struct daemon *d, struct service *s);
json_t *daemon_report_json(struct daemon *d, const char *service, uint64_t since_usec);

/* Helpers shared by the files above. */
json_t *daemon_peer_json(const struct state_peer *who);
/* The state's record of who switched name, or "policy". */
const struct state_service *daemon_state_of(struct daemon *d, const char *name);
