/* SPDX-License-Identifier: MIT */
/* Which seccomp profile form an OCI runtime accepts.
 *
 * Enforced refusals are audited only when the filter carries
 * SECCOMP_FILTER_FLAG_LOG, and only some runtimes accept `flags` in a
 * profile: runc 1.1 refuses any ("seccomp flags are not yet supported by
 * runc"), crun and runc >= 1.2 accept them. A runtime says what it
 * supports through `RUNTIME features` (OCI runtime-spec features
 * document): linux.seccomp.supportedFlags lists the flags it accepts. A
 * runtime whose features lack that list (runc 1.1) or that has no
 * `features` command is taken not to accept flags: a profile without flags
 * loads everywhere, one with flags fails to start the container. */
#pragma once

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#define RUNTIME_FEATURES_MAX_BYTES (1024u * 1024u)

struct seccomp_runtime {
        char name[32];       /* as asked for: "runc" */
        char path[PATH_MAX]; /* found on PATH; "" when not installed */
        char version[64];    /* from `RUNTIME --version`, "" if unknown */
        bool features;       /* `RUNTIME features` answered with a document */
        bool seccomp;        /* linux.seccomp.enabled */
        bool flags_listed;   /* linux.seccomp.supportedFlags present */
        bool flag_log;       /* SECCOMP_FILTER_FLAG_LOG among them */
};

/* Parses a features document into rt's feature fields (name, path and
 * version untouched; nothing is written on failure). Unknown keys are fine
 * (the document grows); the fields read must have the right types.
 * Returns 0, -EFBIG, -EINVAL. */
int seccomp_runtime_features_parse(const char *data, size_t size, struct seccomp_runtime *rt);

/* Finds name on PATH (or takes it as a path if it has a '/'), runs
 * `RUNTIME --version` and `RUNTIME features` (5 s each, output capped) and
 * fills *ret. Returns 0 (even when the runtime answers no features), or
 * -ENOENT when it is not installed. */
int seccomp_runtime_probe(const char *name, struct seccomp_runtime *ret);

/* One line for operators: "runc 1.1.5+ds1: no seccomp flags (its features
 * list no supportedFlags)". */
const char *seccomp_runtime_describe(const struct seccomp_runtime *rt, char *buf, size_t size);
