/* SPDX-License-Identifier: MIT */
/* The daemon's voice. Plain lines go to stderr (journald reads them when
 * systemd started us: then each carries its priority as "<N>"). Events
 * an operator may want to query — a mode change, a finding, a profile
 * load, an event overrun — are also sent as structured journal entries
 * with a MESSAGE_ID per kind (`journalctl MESSAGE_ID=...`) and fields of
 * their own (HARDEND_SERVICE=, HARDEND_MODE=...). */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <syslog.h>

#include "base/macro.h"

/* journalctl MESSAGE_ID= values (docs/agent.md). */
#define MESSAGE_ID_MODE_CHANGE  "6a1e5d3c9b2f4e0a8d7c1b3e5f7a9c2d"
#define MESSAGE_ID_FINDING      "b4c8e2f6a0d94c1e9b7f3a5d2c8e6f10"
#define MESSAGE_ID_PROFILE_LOAD "3f9a7c5e1b2d4f6a8c0e2b4d6f8a1c3e"
#define MESSAGE_ID_OVERRUN      "d2e4f6a8c0b14d3e9f5a7c1e3b5d7f92"

_printf_(2, 3) void log_msg(int priority, const char *fmt, ...);
/* Logs and returns r (a -errno), for "return log_errno(r, ...)". */
_printf_(2, 3) int log_errno(int r, const char *fmt, ...);

struct state_peer;

void log_mode_change(const char *service, const char *from, const char *to,
                     const struct state_peer *who, bool forced);
void log_profile_load(const char *service, const char *mode, const char *sha256,
                      const char *apparmor);
void log_finding(const char *service, const char *workload, const char *severity, const char *check,
                 const char *message);
void log_overrun(uint64_t overruns, uint64_t dropped, uint64_t lost);
