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
 * attribute the ALLOWED, DENIED and STATUS records to the api service. */
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

START_TEST(test_vm_scenario)
{
        _cleanup_free_ char *broken = broken_line();
        const char *builddir = getenv("HARDEND_BUILDDIR");
        _cleanup_free_ char *ctl = NULL, *cache = NULL, *out = NULL, *err = NULL;
        const char *p, *ran;
        double seconds = 0;
        int status;

        if (!builddir)
                builddir = "build";
        ck_assert_int_ge(asprintf(&ctl, "%s/hardenctl", builddir), 0);
        ck_assert_int_ge(asprintf(&cache, "%s/vm", builddir), 0);
        setenv("HARDEND_VM_DIR", cache, 1);

        status = test_run((const char *const[]){"tests/vm/run.sh", ctl, NULL}, &out, &err);
        if (status == 77) {
                test_require(false, err);
                return;
        }
        if (status != 0)
                ck_abort_msg("tests/vm/run.sh failed (%d):\n%s\n%s", status, err, out);

        for (size_t i = 0; i < ELEMENTSOF(verdicts); i++) {
                _cleanup_free_ char *ok = NULL;

                ck_assert_int_ge(asprintf(&ok, "RESULT: %s: ok\n", verdicts[i]), 0);
                ck_assert_msg(strstr(out, ok), "scenario step '%s' did not pass:\n%s", verdicts[i],
                              out);
        }
        ck_assert_msg(!strstr(out, "FAILED"), "a scenario step failed:\n%s", out);

        p = out;
        for (size_t i = 0; i < ELEMENTSOF(in_order); i++) {
                const char *want = in_order[i] ? in_order[i] : broken;
                const char *at = strstr(p, want);

                ck_assert_msg(at, "missing, or out of order: '%s'\n--- console:\n%s", want, out);
                p = at + strlen(want);
        }

        /* One run (boot, scenario, power-off) stays well under a minute on
         * the project's machines; fail loudly if it no longer does. */
        ran = strstr(out, "VM: qemu ran ");
        ck_assert_ptr_nonnull(ran);
        ck_assert_int_eq(sscanf(ran, "VM: qemu ran %lf s", &seconds), 1);
        ck_assert_msg(seconds < 90, "the VM run took %.1f s", seconds);
}
END_TEST

static Suite *apparmor_vm_suite(void)
{
        Suite *s = suite_create("apparmor-vm");
        TCase *tc = tcase_create("qemu");

        /* Building the initramfs the first time, then about 10 s of boot
         * and scenario under software emulation. */
        tcase_set_timeout(tc, 300);
        tcase_add_test(tc, test_vm_scenario);
        suite_add_tcase(s, tc);
        return s;
}
TEST_SUITE(apparmor_vm_suite)
