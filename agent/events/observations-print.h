/* SPDX-License-Identifier: MIT */
/* Observations for people (per service: a line per key, most frequent
 * first) and for machines (one JSON document). */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "observations.h"

int observations_print(FILE *f, struct observations *o, bool json);
/* The JSON document `hardenctl events --json --summary` prints: services,
 * observations, over_cap; only service `only`'s when not NULL. NULL when
 * out of memory. */
json_t *observations_json(struct observations *o, const char *only);
