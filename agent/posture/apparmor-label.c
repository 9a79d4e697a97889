/* SPDX-License-Identifier: MIT */
#include "apparmor-label.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const mode_names[_APPARMOR_MODE_MAX] = {
    [APPARMOR_MODE_NONE] = "none",
    [APPARMOR_MODE_ENFORCE] = "enforce",
    [APPARMOR_MODE_COMPLAIN] = "complain",
    [APPARMOR_MODE_KILL] = "kill",
    [APPARMOR_MODE_UNCONFINED] = "unconfined",
    [APPARMOR_MODE_PROMPT] = "prompt",
    [APPARMOR_MODE_MIXED] = "mixed",
};

const char *apparmor_mode_to_string(enum apparmor_mode m)
{
        return m >= 0 && m < _APPARMOR_MODE_MAX ? mode_names[m] : "unknown";
}

int apparmor_label_parse(const char *buf, size_t len, struct apparmor_label *ret)
{
        const char *end = buf + len, *open;
        enum apparmor_mode mode = APPARMOR_MODE_NONE;
        char *label;

        if (len > APPARMOR_LABEL_MAX)
                return -E2BIG;
        while (end > buf && (end[-1] == '\n' || end[-1] == '\0'))
                end--;
        if (end == buf)
                return -EINVAL;
        for (const char *p = buf; p < end; p++)
                if ((unsigned char)*p < 0x20 || *p == 0x7f)
                        return -EINVAL;
        if ((size_t)(end - buf) == strlen("unconfined") && memcmp(buf, "unconfined", 10) == 0) {
                *ret = (struct apparmor_label){.state = APPARMOR_UNCONFINED};
                return 0;
        }
        /* "LABEL (MODE)": the mode is in the last parentheses. */
        if (end[-1] != ')')
                return -EINVAL;
        open = NULL;
        for (const char *p = end - 1; p > buf; p--)
                if (p[-1] == ' ' && p[0] == '(') {
                        open = p;
                        break;
                }
        if (!open || open - 1 == buf)
                return -EINVAL;
        for (int m = APPARMOR_MODE_ENFORCE; m < _APPARMOR_MODE_MAX; m++) {
                size_t n = strlen(mode_names[m]);

                if ((size_t)(end - 1 - (open + 1)) == n && memcmp(open + 1, mode_names[m], n) == 0)
                        mode = (enum apparmor_mode)m;
        }
        if (mode == APPARMOR_MODE_NONE)
                return -EINVAL;
        label = strndup(buf, (size_t)(open - 1 - buf));
        if (!label)
                return -ENOMEM;
        *ret = (struct apparmor_label){.state = APPARMOR_CONFINED, .mode = mode, .label = label};
        return 0;
}

void apparmor_label_done(struct apparmor_label *l)
{
        free(l->label);
        *l = (struct apparmor_label){0};
}
