/* SPDX-License-Identifier: MIT */
#include "daemon-log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <systemd/sd-journal.h>

#include "control/state.h"

/* True when stderr is the journal stream systemd gave us ($JOURNAL_STREAM
 * names its device and inode): then lines carry "<N>" priorities, and the
 * structured entries are not repeated as text. */
static bool stderr_is_journal(void)
{
        static int cached = -1;
        const char *env;
        struct stat st;
        unsigned long long dev, ino;

        if (cached >= 0)
                return cached;
        env = getenv("JOURNAL_STREAM");
        cached = env && sscanf(env, "%llu:%llu", &dev, &ino) == 2 && fstat(2, &st) == 0 &&
                 (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
        return cached;
}

static void vlog_line(int priority, const char *fmt, va_list ap)
{
        char line[2048];

        vsnprintf(line, sizeof(line), fmt, ap);
        if (stderr_is_journal())
                fprintf(stderr, "<%d>%s\n", priority, line);
        else
                fprintf(stderr, "hardend: %s%s\n",
                        priority <= LOG_ERR       ? "error: "
                        : priority <= LOG_WARNING ? "warning: "
                                                  : "",
                        line);
}

void log_msg(int priority, const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        vlog_line(priority, fmt, ap);
        va_end(ap);
}

int log_errno(int r, const char *fmt, ...)
{
        int saved = errno;
        va_list ap;

        errno = r < 0 ? -r : r;
        va_start(ap, fmt);
        vlog_line(LOG_ERR, fmt, ap);
        va_end(ap);
        errno = saved;
        return r;
}

static const char *who_text(const struct state_peer *who, char *buf, size_t size)
{
        if (!who || who->policy)
                return "policy default";
        snprintf(buf, size, "uid %u pid %u (%s)", who->uid, who->pid, who->comm);
        return buf;
}

/* Each entry is written once to the journal (silently nothing when there
 * is no journald) and once as a line, unless the line would reach the
 * journal too. */
void log_mode_change(const char *service, const char *from, const char *to,
                     const struct state_peer *who, bool forced)
{
        char whobuf[64];
        const char *w = who_text(who, whobuf, sizeof(whobuf));

        sd_journal_send("MESSAGE=service %s: %s -> %s by %s%s", service, from, to, w,
                        forced ? " (forced)" : "", "MESSAGE_ID=" MESSAGE_ID_MODE_CHANGE,
                        "PRIORITY=%d", LOG_NOTICE, "HARDEND_SERVICE=%s", service,
                        "HARDEND_MODE_FROM=%s", from, "HARDEND_MODE=%s", to, "HARDEND_BY=%s", w,
                        "HARDEND_FORCED=%d", forced, NULL);
        if (!stderr_is_journal())
                log_msg(LOG_NOTICE, "service %s: %s -> %s by %s%s", service, from, to, w,
                        forced ? " (forced)" : "");
}

void log_profile_load(const char *service, const char *mode, const char *sha256,
                      const char *apparmor)
{
        sd_journal_send("MESSAGE=service %s: %s profiles in place (seccomp %.12s, AppArmor %s)",
                        service, mode, sha256, apparmor, "MESSAGE_ID=" MESSAGE_ID_PROFILE_LOAD,
                        "PRIORITY=%d", LOG_INFO, "HARDEND_SERVICE=%s", service, "HARDEND_MODE=%s",
                        mode, "HARDEND_SECCOMP_SHA256=%s", sha256, "HARDEND_APPARMOR=%s", apparmor,
                        NULL);
        if (!stderr_is_journal())
                log_msg(LOG_INFO, "service %s: %s profiles in place (seccomp %.12s, AppArmor %s)",
                        service, mode, sha256, apparmor);
}

void log_finding(const char *service, const char *workload, const char *severity, const char *check,
                 const char *message)
{
        int prio = strcmp(severity, "critical") == 0 || strcmp(severity, "high") == 0 ? LOG_WARNING
                                                                                      : LOG_NOTICE;

        sd_journal_send("MESSAGE=%s %s: %s [%s] %s", service ? service : "(no service)", workload,
                        severity, check, message, "MESSAGE_ID=" MESSAGE_ID_FINDING, "PRIORITY=%d",
                        prio, "HARDEND_SERVICE=%s", service ? service : "", "HARDEND_WORKLOAD=%s",
                        workload, "HARDEND_SEVERITY=%s", severity, "HARDEND_CHECK=%s", check, NULL);
        if (!stderr_is_journal())
                log_msg(prio, "finding: %s %s: %s [%s] %s", service ? service : "(no service)",
                        workload, severity, check, message);
}

void log_overrun(uint64_t overruns, uint64_t dropped, uint64_t lost)
{
        sd_journal_send("MESSAGE=audit events lost: %llu overruns, %llu records dropped by the "
                        "kernel, %llu missing serials",
                        (unsigned long long)overruns, (unsigned long long)dropped,
                        (unsigned long long)lost, "MESSAGE_ID=" MESSAGE_ID_OVERRUN, "PRIORITY=%d",
                        LOG_WARNING, "HARDEND_OVERRUNS=%llu", (unsigned long long)overruns,
                        "HARDEND_DROPPED=%llu", (unsigned long long)dropped, "HARDEND_LOST=%llu",
                        (unsigned long long)lost, NULL);
        if (!stderr_is_journal())
                log_msg(LOG_WARNING,
                        "audit events lost: %llu overruns, %llu records dropped by the kernel, "
                        "%llu missing serials",
                        (unsigned long long)overruns, (unsigned long long)dropped,
                        (unsigned long long)lost);
}
