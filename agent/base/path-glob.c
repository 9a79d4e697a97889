/* SPDX-License-Identifier: MIT */
#include "path-glob.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

static const char *const known_variables[] = {"PROC", "HOME", "pid", "tid", "run", "sys"};

static int fail(const char **ret_reason, const char *reason)
{
        *ret_reason = reason;
        return -EINVAL;
}

static bool has_dotdot_component(const char *p)
{
        for (const char *s = strstr(p, ".."); s; s = strstr(s + 1, ".."))
                if (s[-1] == '/' && (s[2] == '/' || s[2] == '\0'))
                        return true;
        return false;
}

/* Checks the character set common to globs and plain paths. */
static int check_common(const char *p, const char **ret_reason)
{
        size_t len = strlen(p);

        if (len == 0)
                return fail(ret_reason, "path is empty");
        if (len > PATH_GLOB_MAX)
                return fail(ret_reason, "path is longer than 1024 bytes");
        for (const char *c = p; *c; c++) {
                unsigned char u = (unsigned char)*c;

                if (u < 0x20 || u >= 0x7f)
                        return fail(ret_reason, "path contains a control or non-ASCII byte");
                if (u == '"' || u == '\\')
                        return fail(ret_reason, "path contains a quote or backslash");
        }
        if (p[0] != '/' && p[0] != '@')
                return fail(ret_reason, "path must be absolute");
        if (strstr(p, "//"))
                return fail(ret_reason, "path contains an empty component ('//')");
        if (has_dotdot_component(p))
                return fail(ret_reason, "path contains a '..' component");
        return 0;
}

static int check_variable(const char **c, const char **ret_reason)
{
        const char *name, *end;

        /* Look at the next byte before stepping past it: "@" may end the
         * string. */
        if ((*c)[1] != '{')
                return fail(ret_reason, "'@' must start a variable such as @{PROC}");
        name = *c + 2;
        end = strchr(name, '}');
        if (!end)
                return fail(ret_reason, "'@' must start a variable such as @{PROC}");
        for (size_t i = 0; i < sizeof(known_variables) / sizeof(known_variables[0]); i++)
                if (strlen(known_variables[i]) == (size_t)(end - name) &&
                    strncmp(name, known_variables[i], (size_t)(end - name)) == 0) {
                        *c = end;
                        return 0;
                }
        return fail(ret_reason, "unknown variable (known: @{PROC} @{HOME} @{pid} @{tid} @{run} "
                                "@{sys})");
}

int path_glob_validate(const char *glob, const char **ret_reason)
{
        /* commas[i]: alternatives seen so far at brace depth i+1 */
        unsigned commas[4] = {0};
        int braces = 0, r;
        bool in_class = false;

        r = check_common(glob, ret_reason);
        if (r < 0)
                return r;
        if (glob[0] == '@' && strncmp(glob, "@{", 2) != 0)
                return fail(ret_reason, "path must be absolute");

        for (const char *c = glob; *c; c++) {
                if (in_class) {
                        if (*c == ']') {
                                if (c[-1] == '[' || (c[-1] == '^' && c[-2] == '['))
                                        return fail(ret_reason, "empty character class '[]'");
                                if (c[-1] == '-' && c[-2] != '[')
                                        return fail(ret_reason,
                                                    "character class ends in a range without end");
                                in_class = false;
                        } else if (*c == '[' || *c == '/')
                                return fail(ret_reason, "'[' or '/' inside a character class");
                        continue;
                }
                switch (*c) {
                case '[':
                        in_class = true;
                        break;
                case ']':
                        return fail(ret_reason, "']' without '['");
                case '{':
                        if (++braces > 4)
                                return fail(ret_reason, "alternations nested deeper than 4");
                        commas[braces - 1] = 0;
                        break;
                case '}':
                        if (--braces < 0)
                                return fail(ret_reason, "'}' without '{'");
                        /* apparmor_parser refuses "{a}": an alternation needs
                         * two alternatives. */
                        if (commas[braces] == 0)
                                return fail(ret_reason, "an alternation needs at least two "
                                                        "alternatives: {a,b}");
                        break;
                case ',':
                        if (braces == 0)
                                return fail(ret_reason, "',' outside an alternation {a,b}");
                        commas[braces - 1]++;
                        break;
                case '*':
                        if (c[1] == '*' && c[2] == '*')
                                return fail(ret_reason, "'***' is not a glob (use '**')");
                        break;
                case '@':
                        r = check_variable(&c, ret_reason);
                        if (r < 0)
                                return r;
                        break;
                default:
                        break;
                }
        }
        if (in_class)
                return fail(ret_reason, "unterminated character class '['");
        if (braces != 0)
                return fail(ret_reason, "unterminated alternation '{'");
        return 0;
}

int path_plain_validate(const char *path, const char **ret_reason)
{
        int r = check_common(path, ret_reason);

        if (r < 0)
                return r;
        if (path[0] != '/')
                return fail(ret_reason, "path must be absolute");
        if (strpbrk(path, "*?[]{}@,"))
                return fail(ret_reason, "glob characters are not allowed here");
        return 0;
}
