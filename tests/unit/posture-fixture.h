/* SPDX-License-Identifier: MIT */
/* The posture suites' runtime-state fixture (tests/fixtures/posture/root),
 * copied where the modes a real host has can be set: git keeps none. */
#pragma once

#include <stddef.h>

/* Copies the fixture into a new directory under /tmp, removes group and
 * other write access everywhere, then makes one runc container's
 * state.json group-writable (so that container's labels are untrusted).
 * Writes the path into ret. Returns 0, or -1 when the copy failed (no
 * assertion: usable from an unchecked fixture). */
int posture_root_copy(char *ret, size_t size);

/* The same, asserting success; returns an O_DIRECTORY fd of the copy. */
int posture_root_open_copy(char *ret, size_t size);

/* Closes fd (if >= 0) and removes the copy at path (if non-empty). */
void posture_root_drop(int fd, const char *path);
