/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the AppArmor renderer, fed through the policy
 * loader: every policy the loader accepts must render in both modes, and
 * the text must have the profile's shape with no injected syntax: one
 * profile block, and inside it only blank lines, "  # comments", the base
 * include, and rules that end at their first ',' outside quotes and
 * parentheses (a capability may carry a trailing comment). Anything a
 * policy value could smuggle in (a quote, a brace, a newline, a second
 * rule on a line) breaks one of these. */
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apparmor/apparmor-render.h"
#include "policy/policy-load.h"

static bool starts_with(const char *s, size_t n, const char *p)
{
        return n >= strlen(p) && memcmp(s, p, strlen(p)) == 0;
}

/* A rule line: "  " then tokens; quotes hold no quote; parentheses do not
 * nest; the rule ends at the first ',' outside both, followed by nothing,
 * or by "  # " and a comment for capability rules. */
static bool rule_line_ok(const char *s, size_t n)
{
        bool in_quote = false;
        int paren = 0;

        if (!starts_with(s, n, "  ") || n < 4 || s[2] == ' ')
                return false;
        for (size_t i = 2; i < n; i++) {
                char c = s[i];

                if (c < 0x20 || c >= 0x7f)
                        return false;
                if (in_quote) {
                        if (c == '\\')
                                return false;
                        if (c == '"')
                                in_quote = false;
                        continue;
                }
                switch (c) {
                case '"':
                        in_quote = true;
                        break;
                case '(':
                        if (paren++ > 0)
                                return false;
                        break;
                case ')':
                        if (--paren < 0)
                                return false;
                        break;
                case '{':
                case '}':
                case '#':
                case '\\':
                        return false;
                case ',':
                        if (paren > 0)
                                break;
                        if (i == n - 1)
                                return true;
                        return starts_with(s, n, "  capability ") &&
                               starts_with(s + i + 1, n - i - 1, "  # ");
                default:
                        break;
                }
        }
        return false;
}

static void check_shape(const struct apparmor_profile *prof, enum policy_mode mode)
{
        const char *p = prof->text, *end = prof->text + prof->size;
        char header[128];
        bool in_body = false, closed = false;
        size_t lines = 0;

        snprintf(header, sizeof(header), "profile %s%s {", prof->name,
                 mode == POLICY_MODE_MONITOR ? " flags=(complain)" : "");
        if (prof->size == 0 || prof->text[prof->size - 1] != '\n' ||
            strlen(prof->text) != prof->size)
                abort();
        while (p < end) {
                const char *nl = memchr(p, '\n', (size_t)(end - p));
                size_t n = (size_t)(nl - p);

                lines++;
                if (closed)
                        abort(); /* nothing after the block */
                if (!in_body) {
                        if (n == strlen(header) && memcmp(p, header, n) == 0)
                                in_body = true;
                        else if (memchr(p, '{', n) || memchr(p, '}', n))
                                abort();
                } else if (n == 1 && p[0] == '}')
                        closed = true;
                else if (n == 0 || starts_with(p, n, "  # ") ||
                         (n == strlen("  include <abstractions/base>") &&
                          starts_with(p, n, "  include <abstractions/base>"))) {
                        if (memchr(p, '\0', n))
                                abort();
                } else if (!rule_line_ok(p, n)) {
                        fprintf(stderr, "bad rule line: %.*s\n", (int)n, p);
                        abort();
                }
                p = nl + 1;
        }
        if (!closed || lines != prof->n_lines)
                abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static const enum policy_mode modes[] = {POLICY_MODE_MONITOR, POLICY_MODE_ENFORCE};
        struct diag_list d;
        struct policy *p = NULL;

        if (diag_list_init(&d, "fuzz") < 0)
                return 0;
        if (policy_load_buffer((const char *)data, size, AT_FDCWD, &d, &p) < 0) {
                diag_list_done(&d);
                return 0;
        }
        for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
                struct apparmor_profile *prof = NULL;

                /* The loader's promise: what it accepts can be rendered. */
                if (apparmor_render(p, modes[i], &d, &prof) < 0) {
                        diag_print(&d, stderr);
                        abort();
                }
                check_shape(prof, modes[i]);
                apparmor_profile_free(prof);
        }
        diag_list_done(&d);
        policy_free(p);
        return 0;
}
