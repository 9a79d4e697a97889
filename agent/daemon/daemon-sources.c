/* SPDX-License-Identifier: MIT */
/* The event sources in the loop: the audit netlink socket and the journal
 * feed the pipeline as their fds become readable; what the pipeline
 * delivers goes to the clients following events. Losses (netlink
 * overruns, serial gaps) are journaled as they happen. The journal cursor
 * and the last event's stamp are saved in the state every
 * DAEMON_SAVE_USEC when they moved, and at exit, so a restart resumes
 * where this run stopped; observations are saved on the same rhythm. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/time-util.h"
#include "daemon-log.h"
#include "daemon.h"
#include "events/observations-file.h"
#include "sources/audit-netlink.h"
#include "sources/journal-source.h"

#define DAEMON_SAVE_USEC (30u * 1000000u)
/* A denial is what enforce's quiet-period check reads back: after one, the
 * observations go to disk within this, not at the next periodic save, so
 * a crash cannot make a service that just tripped its profile look quiet. */
#define DENIAL_SAVE_USEC   (2u * 1000000u)
#define DAEMON_SETTLE_USEC (1u * 1000000u)
/* Entries read from the journal per loop iteration, so a long history
 * does not keep the control socket waiting. */
#define JOURNAL_BATCH 4096u

static uint64_t lost_now(struct daemon *d)
{
        return events_pipeline_stats(d->pipeline)->serial.gaps;
}

/* One log entry per burst of losses, not per record. */
static void report_losses(struct daemon *d)
{
        const struct audit_netlink_stats *ns = d->netlink ? audit_netlink_stats(d->netlink) : NULL;
        uint64_t overruns = ns ? ns->overruns : 0, lost = lost_now(d);

        if (overruns + lost > d->overruns_reported) {
                log_overrun(overruns, ns ? ns->dropped : 0, lost);
                d->overruns_reported = overruns + lost;
        }
}

static int on_settle(sd_event_source *s, uint64_t usec, void *userdata)
{
        struct daemon *d = userdata;

        events_pipeline_flush(d->pipeline);
        report_losses(d);
        return 0;
}

static void settle_later(struct daemon *d)
{
        if (sd_event_source_set_time_relative(d->flush_timer, DAEMON_SETTLE_USEC) >= 0)
                (void)sd_event_source_set_enabled(d->flush_timer, SD_EVENT_ONESHOT);
}

static int on_netlink(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
        struct daemon *d = userdata;
        int r = audit_netlink_drain(d->netlink, events_pipeline_raw_fn, d->pipeline);

        if (r < 0 && r != -EAGAIN) {
                snprintf(d->netlink_status.error, sizeof(d->netlink_status.error),
                         "reading failed: %s", strerror(-r));
                log_errno(r, "audit netlink: %m");
        }
        if (r > 0) {
                d->cursors_dirty = true;
                settle_later(d);
        }
        report_losses(d);
        return 0;
}

static int drain_journal(struct daemon *d)
{
        const struct journal_source_stats *js = journal_source_stats(d->journal);
        uint64_t before = js->entries;
        int r =
            journal_source_drain(d->journal, JOURNAL_BATCH, events_pipeline_raw_fn, d->pipeline);

        if (r < 0) {
                snprintf(d->journal_status.error, sizeof(d->journal_status.error),
                         "reading failed: %s", strerror(-r));
                return log_errno(r, "journal: %m");
        }
        if (js->entries != before)
                d->cursors_dirty = true;
        /* A full batch: there may be more; go on after other work. */
        if (js->entries - before >= JOURNAL_BATCH)
                (void)sd_event_source_set_enabled(d->journal_more, SD_EVENT_ONESHOT);
        return 0;
}

static int on_journal(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
        struct daemon *d = userdata;

        (void)journal_source_process(d->journal);
        return drain_journal(d) < 0 ? 0 : 0;
}

static int on_journal_more(sd_event_source *s, void *userdata)
{
        return drain_journal(userdata) < 0 ? 0 : 0;
}

void daemon_save_cursors(struct daemon *d)
{
        _cleanup_free_ char *cursor = NULL;
        int r;

        if (!d->cursors_dirty)
                return;
        if (d->journal && journal_source_cursor(d->journal, &cursor) >= 0)
                (void)state_set_journal_cursor(d->state, cursor);
        r = state_save(d->state_dir_fd, d->state);
        if (r < 0)
                log_errno(r, "cannot save the state in %s: %m", d->config.state_dir);
        else
                d->cursors_dirty = false;
}

void daemon_save_observations(struct daemon *d)
{
        int r = observations_save(d->state_dir_fd, events_pipeline_observations(d->pipeline));

        if (r < 0)
                log_errno(r, "cannot save observations in %s: %m", d->config.state_dir);
}

static int on_save(sd_event_source *s, uint64_t usec, void *userdata)
{
        struct daemon *d = userdata;
        bool moved = d->cursors_dirty;

        daemon_save_cursors(d);
        if (moved)
                daemon_save_observations(d);
        if (sd_event_source_set_time_relative(s, DAEMON_SAVE_USEC) >= 0)
                (void)sd_event_source_set_enabled(s, SD_EVENT_ONESHOT);
        return 0;
}

static int on_save_soon(sd_event_source *s, uint64_t usec, void *userdata)
{
        struct daemon *d = userdata;

        daemon_save_cursors(d);
        daemon_save_observations(d);
        return 0;
}

/* The pipeline's sink: remember where the stream is, feed followers. */
static int on_event(const struct audit_event *e, const struct event_context *ctx, void *userdata)
{
        struct daemon *d = userdata;
        int enabled;

        if (audit_event_is_denial(e) && sd_event_source_get_enabled(d->save_soon, &enabled) >= 0 &&
            !enabled && sd_event_source_set_time_relative(d->save_soon, DENIAL_SAVE_USEC) >= 0)
                (void)sd_event_source_set_enabled(d->save_soon, SD_EVENT_ONESHOT);

        if (e->stamp.serial > 0)
                state_set_audit_cursor(d->state, e->stamp.serial,
                                       e->stamp.sec * 1000000u + e->stamp.msec * 1000u);
        if (d->n_followers > 0)
                daemon_control_event(d, e, ctx);
        if (d->n_recordings > 0)
                daemon_recording_event(d, e, ctx);
        return 0;
}

static int start_pipeline(struct daemon *d)
{
        struct events_pipeline_config pc = {
            .policies = &d->view,
            .proc_fd = d->proc_fd,
            .root_fd = d->root_fd,
            .max_keys = d->config.max_keys,
            .max_processes = d->config.max_processes,
            .status_events = true,
            .sink = on_event,
            .userdata = d,
        };
        struct diag_list dl;
        struct observations *o = NULL;
        _cleanup_free_ char *aside = NULL;
        int r;

        r = events_pipeline_new(&pc, &d->pipeline);
        if (r < 0)
                return log_errno(r, "cannot set up the event pipeline: %m");
        if (diag_list_init(&dl, "observations.json") < 0)
                return -ENOMEM;
        r = observations_load(d->state_dir_fd, d->config.max_keys, now_realtime_usec(), &dl, &o,
                              &aside);
        if (r == 1) {
                _cleanup_free_ char *why = diag_to_text(&dl);

                log_msg(LOG_WARNING,
                        "WARNING: %s/observations.json was unusable and is kept aside as %s; "
                        "starting without past observations: %s",
                        d->config.state_dir, aside ? aside : "?", why ? why : "");
        } else if (r < 0)
                log_errno(r,
                          "cannot read %s/observations.json: %m; starting without past "
                          "observations",
                          d->config.state_dir);
        diag_list_done(&dl);
        if (o)
                events_pipeline_replace_observations(d->pipeline, o);
        return 0;
}

static int start_netlink(struct daemon *d)
{
        int r;

        d->netlink_status.enabled = true;
        r = audit_netlink_open((unsigned)d->config.netlink_rcvbuf, &d->netlink);
        if (r >= 0)
                r = sd_event_add_io(d->event, &d->netlink_io, audit_netlink_fd(d->netlink), EPOLLIN,
                                    on_netlink, d);
        /* Records before timers and clients: a record is attributed through
         * its process's /proc entry, gone once a short-lived process exits. */
        if (r >= 0)
                r = sd_event_source_set_priority(d->netlink_io, SD_EVENT_PRIORITY_IMPORTANT);
        if (r < 0) {
                snprintf(d->netlink_status.error, sizeof(d->netlink_status.error), "%s%s",
                         strerror(-r),
                         r == -EPERM             ? " (needs CAP_AUDIT_READ)"
                         : r == -EPROTONOSUPPORT ? " (no audit in this kernel)"
                                                 : "");
                d->netlink = audit_netlink_free(d->netlink);
                return log_errno(r, "audit netlink source not started: %s",
                                 d->netlink_status.error);
        }
        d->netlink_status.up = true;
        return 0;
}

static int start_journal(struct daemon *d)
{
        const char *dir = d->config.sources.journal_dir[0] ? d->config.sources.journal_dir : NULL;
        const char *cursor = d->state->cursors.journal[0] ? d->state->cursors.journal : NULL;
        uint64_t now = now_realtime_usec();
        /* First start: the quiet period's worth of history, what enforce
         * needs to know; later starts resume at the cursor. */
        uint64_t since = now > d->config.quiet_period_usec ? now - d->config.quiet_period_usec : 0;
        int r;

        d->journal_status.enabled = true;
        r = journal_source_open(dir, cursor, since, &d->journal);
        if (r == -EINVAL && cursor) {
                log_msg(LOG_WARNING, "the saved journal cursor is not valid; reading from %s",
                        "the quiet period's start");
                r = journal_source_open(dir, NULL, since, &d->journal);
        }
        if (r >= 0)
                r = sd_event_add_io(d->event, &d->journal_io, journal_source_fd(d->journal),
                                    EPOLLIN, on_journal, d);
        if (r >= 0)
                r = sd_event_add_defer(d->event, &d->journal_more, on_journal_more, d);
        if (r >= 0)
                r = sd_event_source_set_enabled(d->journal_more, SD_EVENT_ONESHOT);
        if (r < 0) {
                snprintf(d->journal_status.error, sizeof(d->journal_status.error), "%s",
                         strerror(-r));
                d->journal = journal_source_free(d->journal);
                return log_errno(r, "journal source not started: %m");
        }
        d->journal_status.up = true;
        return 0;
}

int daemon_sources_start(struct daemon *d)
{
        int r;

        r = start_pipeline(d);
        if (r < 0)
                return r;
        r = sd_event_add_time_relative(d->event, &d->flush_timer, CLOCK_MONOTONIC,
                                       DAEMON_SETTLE_USEC, 100000, on_settle, d);
        if (r >= 0)
                r = sd_event_source_set_enabled(d->flush_timer, SD_EVENT_OFF);
        if (r >= 0)
                r = sd_event_add_time_relative(d->event, &d->save_timer, CLOCK_MONOTONIC,
                                               DAEMON_SAVE_USEC, 1000000, on_save, d);
        if (r >= 0)
                r = sd_event_add_time_relative(d->event, &d->save_soon, CLOCK_MONOTONIC,
                                               DENIAL_SAVE_USEC, 500000, on_save_soon, d);
        if (r >= 0)
                r = sd_event_source_set_enabled(d->save_soon, SD_EVENT_OFF);
        if (r < 0)
                return log_errno(r, "cannot set up timers: %m");
        /* A source that fails is reported in status; the agent still
         * generates profiles and serves the socket. */
        if (d->config.sources.netlink)
                (void)start_netlink(d);
        if (d->config.sources.journal)
                (void)start_journal(d);
        return 0;
}

void daemon_sources_stop(struct daemon *d)
{
        d->netlink_io = sd_event_source_disable_unref(d->netlink_io);
        d->journal_io = sd_event_source_disable_unref(d->journal_io);
        d->journal_more = sd_event_source_disable_unref(d->journal_more);
        d->flush_timer = sd_event_source_disable_unref(d->flush_timer);
        d->save_timer = sd_event_source_disable_unref(d->save_timer);
        d->save_soon = sd_event_source_disable_unref(d->save_soon);
        if (d->pipeline) {
                daemon_save_cursors(d);
                daemon_save_observations(d);
        }
        d->netlink = audit_netlink_free(d->netlink);
        d->journal = journal_source_free(d->journal);
        d->pipeline = events_pipeline_free(d->pipeline);
}
