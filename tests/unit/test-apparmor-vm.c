/* SPDX-License-Identifier: MIT */
/* A real AppArmor kernel: tests/vm/run.sh boots Debian's stock kernel under
 * qemu into a busybox initramfs carrying the hardenctl under test, and runs
 * tests/vm/scenario-apparmor.sh. This suite asserts on the console: the
 * profile hardenctl generated loads in complain mode, a read outside it
 * succeeds and is recorded apparmor="ALLOWED"; after `hardenctl apparmor
 * load --mode enforce` replaced it in place, the same read fails with
 * EACCES, also for the process that was already running, and is recorded
 * apparmor="DENIED"; status reads the modes back; a profile the parser
 * refuses leaves the loaded one alone; unload removes it. Throughout,
 * `hardenctl events --follow` reads the kernel's audit stream and must
 * attribute the ALLOWED, DENIED and STATUS records to the api service.
 *
 * Then tests/vm/scenario-daemon.sh runs the agent itself, hardend, and
 * drives it with hardenctl over its control socket: it loads every
 * service's profile in its policy's mode; after a workload's read outside
 * api's profile was allowed and recorded, `enforce api` is refused (quiet
 * period) and `enforce --force api` replaces the profile in enforce mode,
 * so the same running workload's read fails with EACCES and is recorded
 * DENIED; status reads the mode back; after kill -9 the restarted agent
 * keeps api in enforce; `monitor api` makes the profile complain and the
 * running workload's read succeed again; the agent's own seccomp filter
 * logs nothing it or apparmor_parser did. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fileio.h"
#include "base/macro.h"
#include "testing.h"

static const char *const verdicts[] = {
    "load-monitor",
    "monitor-read-succeeds",
    "allowed-record",
    "load-enforce",
    "running-process-now-enforced",
    "running-process-refused",
    "new-process-refused-and-allowed",
    "denied-record",
    "no-new-privs-exec-confined",
    "hardenctl-exec-confined",
    "broken-refused",
    "previous-profile-kept",
    "load-two",
    "unload",
    "status-after-unload",
    "hardenctl-exec-needs-profile",
    "kernel-list-empty",
    "events-allowed-api",
    "events-denied-api",
    "events-status-api",
    /* scenario-daemon.sh */
    "daemon-started",
    "daemon-monitor-loaded",
    "daemon-self-confined",
    "daemon-monitor-read-succeeds",
    "daemon-allowed-record",
    "daemon-enforce-refused",
    "daemon-enforce",
    "daemon-enforce-loaded",
    "daemon-enforce-denied",
    "daemon-new-workload-refused",
    "daemon-status",
    "daemon-killed-profile-stays",
    "daemon-restart-keeps-mode",
    "daemon-monitor",
    "daemon-monitor-complain",
    "daemon-reload",
    "daemon-record-started",
    "daemon-record-proposal",
    "daemon-self-filter-quiet",
    "daemon-stopped",
};

/* Console lines that must appear, in this order. */
static const char *const in_order[] = {
    "CTL: hardend-api: loaded in complain mode (monitor)\n",
    "PROFILES: hardend-api (complain)\n",
    "PROBE: probe: read /secret/token: ok (19 bytes)\n",
    "CURRENT: hardend-api (complain)\n",
    "apparmor=\"ALLOWED\" operation=\"open\" profile=\"hardend-api\" name=\"/secret/token\"",
    "CTL: hardend-api: complain (monitor), 1 process: ",
    "CTL: hardend-api: loaded in enforce mode (enforce)\n",
    "CTL: hardend-api: enforce (enforce), 1 process: ",
    "CURRENT: hardend-api (enforce)\n",
    "PROBE: probe: /tmp/go appeared, reading again\n",
    "PROBE: probe: read /secret/token: Permission denied (errno 13)\n",
    "PROBE: probe: read /etc/api/config: ok (13 bytes)\n",
    "apparmor=\"DENIED\" operation=\"open\" profile=\"hardend-api\" name=\"/secret/token\"",
    NULL, /* the refused rule, located: filled in by broken_line() */
    "CTL: hardend-api: enforce (enforce), 0 processes\n",
    "CTL: hardend-frontend: loaded in enforce mode (enforce)\n",
    "CTL: hardend-worker: loaded in enforce mode (enforce)\n",
    "CTL: hardend-api: unloaded\n",
    "CTL: no hardend profile is loaded\n",
    "CTL: hardenctl apparmor: hardend-api is not loaded (hardenctl apparmor load api)\n",
    "apparmor=\"STATUS\" operation=\"profile_replace\" profile=\"unconfined\" "
    "name=\"hardend-api\"",
    "SCENARIO: done, 0 failure(s)\n",
    /* scenario-daemon.sh: the agent loads api in complain mode... */
    "VM: scenario daemon\n",
    "PROFILES: hardend-api (complain)\n",
    "PROBE: probe: read /secret/token: ok (19 bytes)\n",
    "CURRENT: hardend-api (complain)\n",
    "apparmor=\"ALLOWED\" operation=\"open\" profile=\"hardend-api\" name=\"/secret/token\"",
    /* ...refuses enforce after that would-be denial, switches with --force... */
    "(use --force to switch anyway)\n",
    "CTL: api: monitor -> enforce (AppArmor profile hardend-api loaded; ",
    "TIME: enforce-api ",
    "PROFILES: hardend-api (enforce)\n",
    "CURRENT: hardend-api (enforce)\n",
    "PROBE: probe: /tmp/go-a appeared, reading again\n",
    "PROBE: probe: read /secret/token: Permission denied (errno 13)\n",
    "apparmor=\"DENIED\" operation=\"open\" profile=\"hardend-api\" name=\"/secret/token\"",
    "CTL: api: enforce since ",
    "CTL:   AppArmor:   hardend-api loaded (enforce)\n",
    /* ...comes back from kill -9 with api in enforce, not via monitor... */
    "HARDEND: hardend: service api: enforce profiles in place ",
    "PROFILES: hardend-api (enforce)\n",
    /* ...and switches back: the running workload's read succeeds again. */
    "CTL: api: enforce -> monitor (AppArmor profile hardend-api loaded; ",
    "TIME: monitor-api ",
    "PROFILES: hardend-api (complain)\n",
    "PROBE: probe: /tmp/go-b appeared, reading again\n",
    "PROBE: probe: read /secret/token: ok (19 bytes)\n",
    "HARDEND: exit 0\n",
    "SCENARIO: daemon done, 0 failure(s)\n",
};

/* The guest's broken/api.yaml is profiles/api.yaml with a bad glob
 * inserted right after "  files:"; the load is refused at that line and
 * the loaded profile stays. */
static char *broken_line(void)
{
        _cleanup_free_ char *text = NULL;
        unsigned line = 1;
        char *r = NULL;
        size_t size;

        ck_assert_int_eq(
            read_file_bounded(AT_FDCWD, test_path("profiles/api.yaml"), 1 << 20, &text, &size), 0);
        for (const char *c = text; *c; c++) {
                if (strncmp(c, "\n  files:\n", 10) == 0) {
                        line++;
                        break;
                }
                if (*c == '\n')
                        line++;
        }
        ck_assert_int_ge(
            asprintf(&r,
                     "CTL: /etc/hardend/broken/api.yaml:%u:13: invalid path glob "
                     "'/srv/{www}/**': an alternation needs at least two alternatives: {a,b}",
                     line + 1),
            0);
        return r;
}

/* Check caps a failure message (CK_MAX_MSG_SIZE, 4 KiB by default) and
 * the console is larger: it goes to stderr whole, the message says what is
 * wrong. */
static void show_console(const char *out, const char *err)
{
        fprintf(stderr, "--- tests/vm/run.sh stderr:\n%s--- console:\n%s--- end of console\n", err,
                out);
}

START_TEST(test_vm_scenario)
{
        _cleanup_free_ char *broken = broken_line();
        const char *builddir = getenv("HARDEND_BUILDDIR");
        _cleanup_free_ char *ctl = NULL, *daemon = NULL, *cache = NULL, *out = NULL, *err = NULL;
        const char *p, *ran;
        double seconds = 0;
        int status;

        if (!builddir)
                builddir = "build";
        ck_assert_int_ge(asprintf(&ctl, "%s/hardenctl", builddir), 0);
        ck_assert_int_ge(asprintf(&daemon, "%s/hardend", builddir), 0);
        ck_assert_int_ge(asprintf(&cache, "%s/vm", builddir), 0);
        setenv("HARDEND_VM_DIR", cache, 1);

        status = test_run((const char *const[]){"tests/vm/run.sh", ctl, daemon, NULL}, &out, &err);
        if (status == 77) {
                test_require(false, err);
                return;
        }
        if (status != 0) {
                show_console(out, err);
                ck_abort_msg("tests/vm/run.sh failed (%d), console above", status);
        }

        for (size_t i = 0; i < ELEMENTSOF(verdicts); i++) {
                _cleanup_free_ char *ok = NULL;

                ck_assert_int_ge(asprintf(&ok, "RESULT: %s: ok\n", verdicts[i]), 0);
                if (!strstr(out, ok)) {
                        show_console(out, err);
                        ck_abort_msg("scenario step '%s' did not pass, console above", verdicts[i]);
                }
        }
        if (strstr(out, "FAILED")) {
                show_console(out, err);
                ck_abort_msg("a scenario step failed, console above");
        }

        p = out;
        for (size_t i = 0; i < ELEMENTSOF(in_order); i++) {
                const char *want = in_order[i] ? in_order[i] : broken;
                const char *at = strstr(p, want);

                if (!at) {
                        show_console(out, err);
                        ck_abort_msg("missing, or out of order: '%s', console above", want);
                }
                p = at + strlen(want);
        }

        /* One run (boot, both scenarios, power-off) takes about 50 s on the
         * project's machines; fail loudly if it no longer does. */
        ran = strstr(out, "VM: qemu ran ");
        ck_assert_ptr_nonnull(ran);
        ck_assert_int_eq(sscanf(ran, "VM: qemu ran %lf s", &seconds), 1);
        ck_assert_msg(seconds < 150, "the VM run took %.1f s", seconds);
}
END_TEST

static Suite *apparmor_vm_suite(void)
{
        Suite *s = suite_create("apparmor-vm");
        TCase *tc = tcase_create("qemu");

        /* Building the initramfs the first time, then about 50 s of boot
         * and scenarios under software emulation (run.sh stops qemu at
         * 240 s). */
        tcase_set_timeout(tc, 360);
        tcase_add_test(tc, test_vm_scenario);
        suite_add_tcase(s, tc);
        return s;
}
TEST_SUITE(apparmor_vm_suite)
