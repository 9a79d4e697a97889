/* SPDX-License-Identifier: MIT */
/* Compiling profile text with apparmor_parser, the only AppArmor compiler
 * there is. It runs as a child process (fork + exec, no shell) with a fixed
 * argument vector and environment; the text reaches it as a memfd opened by
 * path (/proc/self/fd/3), so the parser names that path in its errors and an
 * error in our text can be told from one in an included file. Everything it
 * writes is bounded; it is killed after a timeout. Never logs. */
#pragma once

#include <stddef.h>

#include "apparmor-render.h"
#include "base/diag.h"

#define APPARMOR_PARSER_STDERR_MAX (64u * 1024u)         /* kept; the rest is drained */
#define APPARMOR_BINARY_MAX        (16u * 1024u * 1024u) /* compiled policy */
#define APPARMOR_PARSER_TIMEOUT_MS 120000u
#define APPARMOR_MESSAGE_MAX       512u
/* How the text is named on the parser's command line (fd 3 in the child). */
#define APPARMOR_PARSER_INPUT "/proc/self/fd/3"

struct apparmor_parser_options {
        /* NULL: /usr/sbin/apparmor_parser, else /sbin/apparmor_parser. */
        const char *parser;
        /* -b: where include <...> resolves; NULL: the parser's default
         * (/etc/apparmor.d). */
        const char *base_dir;
        /* --kernel-features FILE|DIR: compile for these features; NULL: the
         * running kernel's, as the parser finds them. */
        const char *kernel_features;
        unsigned timeout_ms; /* 0: APPARMOR_PARSER_TIMEOUT_MS */
};

/* What the parser said when it refused a text. */
struct apparmor_parser_error {
        char *output;     /* its stderr, at most APPARMOR_PARSER_STDERR_MAX bytes, owned */
        char *message;    /* the error, printable ASCII only, owned */
        char *subject;    /* the rule text it quoted ("Unable to parse input line
                           * '...'"), printable ASCII, owned; NULL if none */
        unsigned line;    /* line of our text it names; 0: none, or in an included file */
        struct loc where; /* the policy location of that line ({0} if unknown) */
};
void apparmor_parser_error_done(struct apparmor_parser_error *e);

struct apparmor_binary {
        void *data;
        size_t size;
};
void apparmor_binary_done(struct apparmor_binary *b);

/* Compiles text. ret_binary == NULL: compile-only check (-Q -K, nothing is
 * kept); otherwise the binary policy (-S) is returned in *ret_binary.
 * Returns 0; -EINVAL when the parser refused the text (*reterr filled when
 * given, owned by the caller: apparmor_parser_error_done); -ENOENT when no
 * parser is installed; -ETIMEDOUT; -EFBIG when the binary is larger than
 * APPARMOR_BINARY_MAX; -EIO when the parser died of a signal; -errno. */
int apparmor_compile(const struct apparmor_parser_options *o, const char *text, size_t size,
                     struct apparmor_parser_error *reterr, struct apparmor_binary *ret_binary);

/* The same for a rendered profile; reterr->where names the policy line the
 * parser's error came from, where the profile's line map knows it. */
int apparmor_compile_profile(const struct apparmor_parser_options *o,
                             const struct apparmor_profile *prof,
                             struct apparmor_parser_error *reterr,
                             struct apparmor_binary *ret_binary);

/* Pure parser of apparmor_parser's stderr (outside input: bounded, fuzzed).
 * Finds the error that made it fail: the first "AppArmor parser error ..."
 * line, else the first line that is not a known warning ("apparmor_parser: "
 * stripped), and the rule text of an "Unable to parse input line '...'"
 * line. input_name is how the text was named on the command line. Strings
 * are at most APPARMOR_MESSAGE_MAX bytes of printable ASCII; ret->line is the
 * line of our text the error names, 0 when none or in another file. Fills
 * message, subject and line of *ret (output and where are left zero).
 * Returns 0, -ENOMSG when there is no error line, -ENOMEM. */
int apparmor_parser_message_parse(const char *text, size_t size, const char *input_name,
                                  struct apparmor_parser_error *ret);
