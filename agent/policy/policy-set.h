/* SPDX-License-Identifier: MIT */
/* Every policy of a profiles directory (*.yaml), sorted by service name. */
#pragma once

#include "base/diag.h"
#include "policy.h"

#define POLICY_SET_MAX 1024

struct policy_set {
        struct policy **items;
        size_t n;
};

/* Loads every *.yaml file of dir. Valid policies go into set; for each
 * invalid one, on_invalid is called with its diagnostics (the set keeps
 * going: one bad file does not hide the others). Returns the number of
 * invalid files, or -errno if dir cannot be read. */
int policy_set_load_dir(const char *dir, struct policy_set *set,
                        void (*on_invalid)(struct diag_list *d, void *userdata), void *userdata);
const struct policy *policy_set_find(const struct policy_set *set, const char *service);
void policy_set_done(struct policy_set *set);
