/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the AppArmor status parsers: apparmorfs' profiles
 * file and a process's attr/apparmor/current, both outside input. Beyond
 * "no crash, no leak, no UB", it checks that whatever parses prints back to
 * text that parses to the same thing. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apparmor/apparmor-status.h"

static void check_profiles(const char *data, size_t size)
{
        struct apparmor_loaded_list l = {0}, again = {0};
        char *text = NULL;
        size_t len = 0;
        FILE *f;

        if (apparmor_profiles_parse(data, size, &l) < 0)
                return;
        f = open_memstream(&text, &len);
        if (!f)
                abort();
        for (size_t i = 0; i < l.n; i++) {
                if (strlen(l.items[i].name) == 0 ||
                    strlen(l.items[i].name) > APPARMOR_STATUS_LABEL_MAX)
                        abort();
                fprintf(f, "%s (%s)\n", l.items[i].name, l.items[i].mode_name);
        }
        fclose(f);
        if (apparmor_profiles_parse(text, len, &again) < 0 || again.n != l.n)
                abort();
        for (size_t i = 0; i < l.n; i++)
                if (strcmp(l.items[i].name, again.items[i].name) != 0 ||
                    l.items[i].mode != again.items[i].mode ||
                    strcmp(l.items[i].mode_name, again.items[i].mode_name) != 0)
                        abort();
        free(text);
        apparmor_loaded_list_done(&l);
        apparmor_loaded_list_done(&again);
}

static void check_current(const char *data, size_t size)
{
        enum apparmor_profile_mode mode, mode2;
        char *label = NULL, *label2 = NULL, *text = NULL;
        int n;

        if (apparmor_current_parse(data, size, &label, &mode) < 0)
                return;
        if (strlen(label) == 0 || strlen(label) > APPARMOR_STATUS_LABEL_MAX)
                abort();
        if (mode == APPARMOR_PROFILE_OTHER) {
                /* The unknown word is not kept: nothing to print back. */
                free(label);
                return;
        }
        if (mode == APPARMOR_PROFILE_UNCONFINED && strcmp(label, "unconfined") == 0)
                n = asprintf(&text, "unconfined\n");
        else
                n = asprintf(&text, "%s (%s)\n", label, apparmor_profile_mode_to_string(mode));
        if (n < 0)
                abort();
        if (apparmor_current_parse(text, (size_t)n, &label2, &mode2) < 0 ||
            strcmp(label, label2) != 0 || mode != mode2)
                abort();
        free(label);
        free(label2);
        free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        check_profiles((const char *)data, size);
        check_current((const char *)data, size);
        return 0;
}
