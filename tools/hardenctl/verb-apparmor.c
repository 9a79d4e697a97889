/* SPDX-License-Identifier: MIT */
/* hardenctl apparmor render|compile|load|unload|status|exec
 *          [--mode monitor|enforce] [--profiles DIR] [--out DIR] SERVICE...
 *
 * The AppArmor backend by hand: write a service's profile, check it with
 * apparmor_parser, load it (or switch its mode: the loaded profile is
 * replaced in place), remove it, show what the kernel runs, and run a
 * command under it. On a kernel without AppArmor the kernel verbs say so
 * once and exit 3; render and compile need no kernel. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apparmor/apparmor-compile.h"
#include "apparmor/apparmor-exec.h"
#include "apparmor/apparmor-kernel.h"
#include "apparmor/apparmor-render.h"
#include "apparmor/apparmor-status.h"
#include "base/fileio.h"
#include "base/parse-util.h"
#include "verbs.h"

#define PIDS_SHOWN 16

static const char usage_text[] =
    "Usage: hardenctl apparmor COMMAND [OPTIONS] SERVICE...\n"
    "\n"
    "Commands:\n"
    "  render    write the profile hardend-SERVICE (to stdout, or DIR/SERVICE.apparmor)\n"
    "  compile   check it with apparmor_parser (--out: also DIR/SERVICE.apparmor.bin)\n"
    "  load      compile it for this kernel and load it, replacing a loaded one in place\n"
    "  unload    remove it from the kernel\n"
    "  status    list the loaded hardend-* profiles, their modes and processes\n"
    "  exec      exec SERVICE -- CMD [ARGS...]: run CMD under the loaded profile\n"
    "\n"
    "Options:\n"
    "  --mode monitor|enforce  override the policy's mode (monitor: complain mode)\n"
    "  --profiles DIR          where SERVICE.yaml is looked up\n"
    "                          (default: ./profiles if present, else /etc/hardend/profiles)\n"
    "  --out DIR               write files into DIR instead of stdout\n"
    "A SERVICE may also be a policy file (a path, or a name ending in .yaml).\n";

struct ctx {
        const char *cmd;
        int mode; /* enum policy_mode, or -1 for the policy's own */
        const char *profiles;
        const char *out;
        int out_fd;
};

static int render(const struct ctx *c, const struct policy *p, struct apparmor_profile **ret)
{
        struct diag_list d;
        int r;

        if (diag_list_init(&d, p->source) < 0)
                return EXIT_ERROR;
        r = apparmor_render(p, c->mode >= 0 ? (enum policy_mode)c->mode : p->mode, &d, ret);
        if (r < 0) {
                diag_print(&d, stderr);
                if (r != -EINVAL)
                        fprintf(stderr, "hardenctl apparmor: cannot render '%s': %s\n", p->service,
                                strerror(-r));
        }
        diag_list_done(&d);
        return r == -EINVAL ? EXIT_PROBLEMS : r < 0 ? EXIT_ERROR : EXIT_OK;
}

/* "FILE:LINE:COL: ..." when the parser's error maps to a policy line. */
static void print_parser_error(const struct policy *p, const struct apparmor_profile *prof,
                               const struct apparmor_parser_error *e)
{
        if (e->where.line > 0)
                fprintf(stderr, "%s:%u:%u: apparmor_parser refused this rule (%s line %u): %s\n",
                        p->source, e->where.line, e->where.col, prof->name, e->line, e->message);
        else if (e->line > 0)
                fprintf(stderr, "%s: apparmor_parser refused %s at line %u: %s\n", p->source,
                        prof->name, e->line, e->message);
        else
                fprintf(stderr, "%s: apparmor_parser refused %s: %s\n", p->source, prof->name,
                        e->message);
}

static int compile(const struct policy *p, const struct apparmor_profile *prof,
                   struct apparmor_binary *ret_binary)
{
        struct apparmor_parser_error e = {0};
        int r;

        r = apparmor_compile_profile(NULL, prof, &e, ret_binary);
        if (r == -EINVAL) {
                print_parser_error(p, prof, &e);
                apparmor_parser_error_done(&e);
                return EXIT_PROBLEMS;
        }
        if (r == -ENOENT) {
                fprintf(stderr, "hardenctl apparmor: apparmor_parser is not installed "
                                "(Debian package 'apparmor')\n");
                return EXIT_ERROR;
        }
        if (r < 0) {
                fprintf(stderr, "hardenctl apparmor: compiling %s failed: %s\n", prof->name,
                        strerror(-r));
                return EXIT_ERROR;
        }
        return EXIT_OK;
}

static int write_out(const struct ctx *c, const char *service, const char *suffix, const void *data,
                     size_t size)
{
        char name[128];
        int r;

        snprintf(name, sizeof(name), "%s%s", service, suffix);
        r = write_file_atomic(c->out_fd, name, data, size, 0644);
        if (r < 0) {
                fprintf(stderr, "hardenctl apparmor: cannot write '%s/%s': %s\n", c->out, name,
                        strerror(-r));
                return EXIT_ERROR;
        }
        return EXIT_OK;
}

static const char *kernel_mode_of(enum policy_mode m)
{
        return m == POLICY_MODE_MONITOR ? "complain" : "enforce";
}

/* render, compile and load share: policy -> profile [-> binary]. */
static int do_service(const struct ctx *c, struct apparmor_kernel *k, const char *arg)
{
        _cleanup_policy_ struct policy *p = NULL;
        _cleanup_apparmor_profile_ struct apparmor_profile *prof = NULL;
        struct apparmor_binary bin = {0};
        bool want_binary = k || (strcmp(c->cmd, "compile") == 0 && c->out);
        int status, r;

        status = load_policy_arg("apparmor", arg, c->profiles, &p);
        if (status != EXIT_OK)
                return status;
        status = render(c, p, &prof);
        if (status != EXIT_OK)
                return status;

        if (strcmp(c->cmd, "render") == 0) {
                if (c->out)
                        return write_out(c, p->service, ".apparmor", prof->text, prof->size);
                return fwrite(prof->text, 1, prof->size, stdout) == prof->size ? EXIT_OK
                                                                               : EXIT_ERROR;
        }

        status = compile(p, prof, want_binary ? &bin : NULL);
        if (status != EXIT_OK) {
                if (k)
                        fprintf(stderr,
                                "hardenctl apparmor: %s not loaded; a loaded %s, if "
                                "any, is unchanged\n",
                                prof->name, prof->name);
                return status;
        }
        if (!k) {
                if (c->out)
                        status = write_out(c, p->service, ".apparmor.bin", bin.data, bin.size);
                if (status == EXIT_OK)
                        printf("%s: compiles (%s mode)\n", prof->name, kernel_mode_of(prof->mode));
                apparmor_binary_done(&bin);
                return status;
        }

        r = apparmor_kernel_replace(k, bin.data, bin.size);
        apparmor_binary_done(&bin);
        if (r < 0) {
                fprintf(stderr, "hardenctl apparmor: loading %s failed: %s\n", prof->name,
                        strerror(-r));
                return EXIT_ERROR;
        }
        printf("%s: loaded in %s mode (%s)\n", prof->name, kernel_mode_of(prof->mode),
               policy_mode_to_string(prof->mode));
        return EXIT_OK;
}

static int open_kernel(struct apparmor_kernel **ret)
{
        enum apparmor_support s;
        int r = apparmor_kernel_open(ret);

        if (r == 0)
                return EXIT_OK;
        if (apparmor_unavailable(r) && apparmor_support_probe(&s) == 0)
                fprintf(stderr, "hardenctl apparmor: %s; nothing done\n",
                        apparmor_support_to_string(s));
        else
                fprintf(stderr,
                        "hardenctl apparmor: cannot open the kernel's AppArmor "
                        "interface: %s\n",
                        strerror(-r));
        return EXIT_ERROR;
}

/* Usage errors come before anything that needs the kernel. */
static int check_service_names(const char *const *services, size_t n)
{
        int status = EXIT_OK;

        for (size_t i = 0; i < n; i++) {
                char name[APPARMOR_PROFILE_NAME_MAX];

                if (apparmor_profile_name(services[i], name, sizeof(name)) < 0) {
                        fprintf(stderr, "hardenctl apparmor: '%s' is not a service name\n",
                                services[i]);
                        status = EXIT_USAGE;
                }
        }
        return status;
}

static int cmd_unload(const char *const *services, size_t n)
{
        _cleanup_apparmor_kernel_ struct apparmor_kernel *k = NULL;
        int status = check_service_names(services, n);

        if (status == EXIT_OK)
                status = open_kernel(&k);
        if (status != EXIT_OK)
                return status;
        for (size_t i = 0; i < n; i++) {
                char name[APPARMOR_PROFILE_NAME_MAX];
                int r;

                (void)apparmor_profile_name(services[i], name, sizeof(name));
                r = apparmor_kernel_remove(k, name);
                if (r == -ENOENT) {
                        fprintf(stderr, "hardenctl apparmor: %s is not loaded\n", name);
                        status = status == EXIT_OK ? EXIT_PROBLEMS : status;
                } else if (r < 0) {
                        fprintf(stderr, "hardenctl apparmor: removing %s failed: %s\n", name,
                                strerror(-r));
                        status = EXIT_ERROR;
                } else
                        printf("%s: unloaded\n", name);
        }
        return status;
}

/* PIDs of processes whose confinement is exactly `name`, at most max. */
static size_t confined_pids(int proc_fd, const char *name, pid_t *pids, size_t max,
                            size_t *ret_total)
{
        _cleanup_(closedirp) DIR *dir = NULL;
        struct dirent *de;
        size_t n = 0, total = 0;

        if (opendir_at(proc_fd, ".", &dir) < 0)
                return 0;
        while ((de = readdir(dir))) {
                _cleanup_free_ char *label = NULL;
                enum apparmor_profile_mode mode;
                uint64_t pid;

                if (safe_atou64_max(de->d_name, 0x3fffffff, &pid) < 0 || pid == 0)
                        continue;
                if (apparmor_current_read(proc_fd, (pid_t)pid, &label, &mode) < 0)
                        continue;
                if (strcmp(label, name) != 0)
                        continue;
                if (n < max)
                        pids[n++] = (pid_t)pid;
                total++;
        }
        *ret_total = total;
        return n;
}

static int cmp_loaded(const void *a, const void *b)
{
        return strcmp(((const struct apparmor_loaded *)a)->name,
                      ((const struct apparmor_loaded *)b)->name);
}

static void print_status_line(int proc_fd, const struct apparmor_loaded *e)
{
        pid_t pids[PIDS_SHOWN];
        size_t total = 0, n = confined_pids(proc_fd, e->name, pids, PIDS_SHOWN, &total);
        const char *ours = e->mode == APPARMOR_PROFILE_COMPLAIN  ? "monitor"
                           : e->mode == APPARMOR_PROFILE_ENFORCE ? "enforce"
                                                                 : "not a hardend mode";

        printf("%s: %s (%s), %zu process%s", e->name, e->mode_name, ours, total,
               total == 1 ? "" : "es");
        for (size_t i = 0; i < n; i++)
                printf("%s%d", i ? " " : ": ", (int)pids[i]);
        printf("%s\n", total > n ? " ..." : "");
}

static int cmd_status(const char *const *services, size_t n)
{
        _cleanup_close_ int sec_fd = -1, proc_fd = -1;
        struct apparmor_loaded_list l = {0};
        enum apparmor_support s;
        int status, r;
        size_t shown = 0;

        status = check_service_names(services, n);
        if (status != EXIT_OK)
                return status;
        sec_fd = open("/sys/kernel/security", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        proc_fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        r = sec_fd < 0 ? -APPARMOR_ENOTAVAIL : apparmor_profiles_read(sec_fd, &l);
        if (apparmor_unavailable(r)) {
                if (apparmor_support_probe(&s) == 0 && s != APPARMOR_SUPPORT_ENABLED)
                        fprintf(stderr, "hardenctl apparmor: %s\n", apparmor_support_to_string(s));
                else
                        fprintf(stderr, "hardenctl apparmor: no apparmor/profiles under "
                                        "/sys/kernel/security\n");
                return EXIT_ERROR;
        }
        if (r < 0) {
                fprintf(stderr, "hardenctl apparmor: cannot read the loaded profiles: %s\n",
                        strerror(-r));
                return EXIT_ERROR;
        }
        if (l.n > 1)
                qsort(l.items, l.n, sizeof(*l.items), cmp_loaded);

        if (n == 0) {
                for (size_t i = 0; i < l.n; i++)
                        if (apparmor_profile_service(l.items[i].name)) {
                                print_status_line(proc_fd, &l.items[i]);
                                shown++;
                        }
                if (shown == 0)
                        printf("no hardend profile is loaded\n");
        }
        for (size_t i = 0; i < n; i++) {
                char name[APPARMOR_PROFILE_NAME_MAX];
                const struct apparmor_loaded *e;

                (void)apparmor_profile_name(services[i], name, sizeof(name));
                e = apparmor_loaded_find(&l, name);
                if (e)
                        print_status_line(proc_fd, e);
                else {
                        printf("%s: not loaded\n", name);
                        status = status == EXIT_OK ? EXIT_PROBLEMS : status;
                }
        }
        apparmor_loaded_list_done(&l);
        return status;
}

static int cmd_exec(int argc, char **argv)
{
        enum apparmor_support s;
        int r;

        if (argc < 2) {
                fprintf(stderr, "hardenctl apparmor exec: usage: exec SERVICE -- CMD [ARGS...]\n");
                return EXIT_USAGE;
        }
        r = apparmor_exec_service(argv[0]);
        if (r == -EINVAL) {
                fprintf(stderr, "hardenctl apparmor: '%s' is not a service name\n", argv[0]);
                return EXIT_USAGE;
        }
        if (apparmor_unavailable(r)) {
                if (apparmor_support_probe(&s) == 0)
                        fprintf(stderr, "hardenctl apparmor: %s; not running '%s'\n",
                                apparmor_support_to_string(s), argv[1]);
                return EXIT_ERROR;
        }
        if (r == -ENOENT) {
                fprintf(stderr,
                        "hardenctl apparmor: %s%s is not loaded (hardenctl apparmor load "
                        "%s)\n",
                        APPARMOR_PROFILE_PREFIX, argv[0], argv[0]);
                return EXIT_PROBLEMS;
        }
        if (r < 0) {
                fprintf(stderr, "hardenctl apparmor: cannot confine to %s%s: %s\n",
                        APPARMOR_PROFILE_PREFIX, argv[0], strerror(-r));
                return EXIT_ERROR;
        }
        fflush(stdout);
        execvp(argv[1], argv + 1);
        fprintf(stderr, "hardenctl apparmor: cannot run '%s': %s\n", argv[1], strerror(errno));
        return errno == ENOENT ? 127 : 126;
}

int verb_apparmor(int argc, char **argv)
{
        static const struct option options[] = {
            {"mode", required_argument, NULL, 'm'},
            {"profiles", required_argument, NULL, 'p'},
            {"out", required_argument, NULL, 'o'},
            {"help", no_argument, NULL, 'h'},
            {0},
        };
        static const char *const commands[] = {"render", "compile", "load",
                                               "unload", "status",  "exec"};
        _cleanup_apparmor_kernel_ struct apparmor_kernel *k = NULL;
        _cleanup_close_ int out_fd = -1;
        struct ctx c = {.mode = -1};
        char prog[64];
        bool known = false;
        int opt, status = EXIT_OK;

        if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
                fputs(usage_text, argc < 2 ? stderr : stdout);
                return argc < 2 ? EXIT_USAGE : EXIT_OK;
        }
        c.cmd = argv[1];
        for (size_t i = 0; i < ELEMENTSOF(commands); i++)
                known = known || strcmp(c.cmd, commands[i]) == 0;
        if (!known) {
                fprintf(stderr,
                        "hardenctl apparmor: unknown command '%s' (see hardenctl "
                        "apparmor --help)\n",
                        c.cmd);
                return EXIT_USAGE;
        }
        argc--;
        argv++;
        /* getopt's own messages start with argv[0]. */
        snprintf(prog, sizeof(prog), "hardenctl apparmor %s", c.cmd);
        argv[0] = prog;

        optind = 1;
        /* "+": for exec, CMD's options are its own. */
        while ((opt = getopt_long(argc, argv, "+h", options, NULL)) != -1)
                switch (opt) {
                case 'm':
                        c.mode = parse_mode_arg("apparmor", optarg);
                        if (c.mode < 0)
                                return EXIT_USAGE;
                        break;
                case 'p':
                        c.profiles = optarg;
                        break;
                case 'o':
                        c.out = optarg;
                        break;
                case 'h':
                        fputs(usage_text, stdout);
                        return EXIT_OK;
                default:
                        return EXIT_USAGE;
                }
        if (!c.profiles)
                c.profiles = default_profiles_dir();
        argc -= optind;
        argv += optind;

        if (strcmp(c.cmd, "exec") == 0) {
                if (argc >= 2 && strcmp(argv[1], "--") == 0) {
                        argv[1] = argv[0];
                        return cmd_exec(argc - 1, argv + 1);
                }
                return cmd_exec(argc, argv);
        }
        if (strcmp(c.cmd, "status") == 0)
                return cmd_status((const char *const *)argv, (size_t)argc);
        if (argc == 0) {
                fprintf(stderr, "hardenctl apparmor %s: no service given\n", c.cmd);
                return EXIT_USAGE;
        }
        if (strcmp(c.cmd, "unload") == 0)
                return cmd_unload((const char *const *)argv, (size_t)argc);

        if (c.out) {
                out_fd = open(c.out, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (out_fd < 0) {
                        fprintf(stderr,
                                "hardenctl apparmor: cannot open output directory "
                                "'%s': %s\n",
                                c.out, strerror(errno));
                        return EXIT_ERROR;
                }
                c.out_fd = out_fd;
        }
        if (strcmp(c.cmd, "load") == 0) {
                status = open_kernel(&k);
                if (status != EXIT_OK)
                        return status;
        }
        for (int i = 0; i < argc; i++) {
                int s = do_service(&c, k, argv[i]);

                /* The worst status wins: 3 (error) > 1 (problems). */
                if (s == EXIT_ERROR || (s != EXIT_OK && status == EXIT_OK))
                        status = s;
        }
        if (fflush(stdout) != 0)
                return EXIT_ERROR;
        return status;
}
