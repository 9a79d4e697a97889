/* SPDX-License-Identifier: MIT */
/* Observations for people (per service: a line per key, most frequent
 * first) and for machines (one JSON document). */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "observations.h"

int observations_print(FILE *f, struct observations *o, bool json);
/* What a key is about, for a line: the syscall name, or "open /etc/x r"
 * (operation, escaped object, mask). Returns buf. */
const char *observation_what(const struct observation *ob, char *buf, size_t size);
/* The JSON document `hardenctl events --json --summary` prints: services,
 * observations, over_cap; only service `only`'s when not NULL. NULL when
 * out of memory. */
json_t *observations_json(struct observations *o, const char *only);
