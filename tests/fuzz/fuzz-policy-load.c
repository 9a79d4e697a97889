/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the policy loader (YAML tree + every section).
 * Beyond "no crash, no leak, no UB", it checks the printer's promise: a
 * policy that loads prints to text that loads again and prints the same. */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy/policy-load.h"
#include "policy/policy-print.h"

static char *print_policy(const struct policy *p, size_t *len)
{
        char *buf = NULL;
        FILE *f = open_memstream(&buf, len);

        if (!f)
                abort();
        if (policy_print(p, f) < 0)
                abort();
        fclose(f);
        return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct diag_list d;
        struct policy *p = NULL, *again = NULL;
        char *first, *second;
        size_t len1, len2;

        if (diag_list_init(&d, "fuzz") < 0)
                return 0;
        if (policy_load_buffer((const char *)data, size, AT_FDCWD, &d, &p) < 0) {
                diag_list_done(&d);
                return 0;
        }
        diag_list_done(&d);

        first = print_policy(p, &len1);
        if (diag_list_init(&d, "printed") < 0)
                abort();
        if (policy_load_buffer(first, len1, AT_FDCWD, &d, &again) < 0) {
                diag_print(&d, stderr);
                fprintf(stderr, "printed policy does not load:\n%s\n", first);
                abort();
        }
        second = print_policy(again, &len2);
        if (len1 != len2 || memcmp(first, second, len1) != 0) {
                fprintf(stderr, "print is not stable:\n%s\n---\n%s\n", first, second);
                abort();
        }
        free(first);
        free(second);
        diag_list_done(&d);
        policy_free(p);
        policy_free(again);
        return 0;
}
