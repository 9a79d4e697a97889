/* SPDX-License-Identifier: MIT */
#include "readiness.h"

#include <stdio.h>

#include "base/time-util.h"

/* "3h 20m", "45s": how long, for a sentence. */
static char *span(uint64_t usec, char *buf, size_t size)
{
        uint64_t s = usec / 1000000u;

        if (s >= 86400)
                snprintf(buf, size, "%llud %lluh", (unsigned long long)(s / 86400),
                         (unsigned long long)(s % 86400 / 3600));
        else if (s >= 3600)
                snprintf(buf, size, "%lluh %llum", (unsigned long long)(s / 3600),
                         (unsigned long long)(s % 3600 / 60));
        else if (s >= 60)
                snprintf(buf, size, "%llum", (unsigned long long)(s / 60));
        else
                snprintf(buf, size, "%llus", (unsigned long long)s);
        return buf;
}

static int add_check(json_t *checks, const char *name, bool ok, const char *text)
{
        return json_array_append_new(
            checks, json_pack("{s:s, s:b, s:s}", "name", name, "ok", ok, "text", text));
}

static bool quiet(const struct readiness_input *in, char *text, size_t size)
{
        uint64_t from = in->policy_changed_usec > in->last_denial_usec ? in->policy_changed_usec
                                                                       : in->last_denial_usec;
        uint64_t quiet_for = in->now_usec > from ? in->now_usec - from : 0;
        char a[32], b[32];

        span(in->quiet_period_usec, b, sizeof(b));
        if (in->last_denial_usec && in->last_denial_usec >= in->policy_changed_usec) {
                snprintf(text, size, "last would-be denial %s ago; the quiet period is %s",
                         span(in->now_usec - in->last_denial_usec, a, sizeof(a)), b);
        } else if (in->policy_changed_usec) {
                snprintf(text, size,
                         "no would-be denial since the policy changed %s ago; the quiet period "
                         "is %s",
                         span(quiet_for, a, sizeof(a)), b);
        } else {
                snprintf(text, size, "no would-be denial seen");
                return true;
        }
        return quiet_for >= in->quiet_period_usec;
}

static bool recorded(const struct readiness_input *in, char *text, size_t size)
{
        char t[32], len[32];

        if (!in->have_recording) {
                snprintf(text, size, "never recorded: hardenctl record shows what it uses");
                return false;
        }
        format_time_iso_ms(in->recording_start_usec, t, sizeof(t));
        t[16] = '\0';
        span(in->recording_end_usec - in->recording_start_usec, len, sizeof(len));
        snprintf(text, size, "recording of %s (%s) exercised %zu of the %zu calls allowed", t, len,
                 in->exercised, in->allowed);
        return in->exercised >= in->allowed;
}

static bool posture(const struct readiness_input *in, char *text, size_t size)
{
        if (!in->scanned) {
                snprintf(text, size, "not scanned yet");
                return false;
        }
        if (in->workloads == 0) {
                snprintf(text, size, "no running workload to check");
                return true;
        }
        if (in->findings == 0) {
                snprintf(text, size, "%zu workload%s, no findings", in->workloads,
                         in->workloads == 1 ? "" : "s");
                return true;
        }
        snprintf(text, size, "%zu finding%s unresolved (worst: %s)", in->findings,
                 in->findings == 1 ? "" : "s", in->worst ? in->worst : "?");
        return false;
}

json_t *readiness_json(const struct readiness_input *in)
{
        json_t *checks = json_array();
        char text[256];
        bool ok, ready = true;

        if (!checks)
                return NULL;
        ok = quiet(in, text, sizeof(text));
        ready &= ok;
        add_check(checks, "quiet", ok, text);
        ok = recorded(in, text, sizeof(text));
        ready &= ok;
        add_check(checks, "recorded", ok, text);
        ok = posture(in, text, sizeof(text));
        ready &= ok;
        add_check(checks, "posture", ok, text);
        return json_pack("{s:b, s:o}", "ready", ready, "checks", checks);
}
