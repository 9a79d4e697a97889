/* SPDX-License-Identifier: MIT */
/* Observations for people (per service: a line per key, most frequent
 * first) and for machines (one JSON document). */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "observations.h"

int observations_print(FILE *f, struct observations *o, bool json);
