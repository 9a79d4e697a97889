/* SPDX-License-Identifier: MIT */
/* The agent's structured journal entries, read back from a real journald:
 * the daemon runs inside the mount namespace of a private systemd-journald
 * (tests/journal/journald-private.sh), so its sd_journal_send() reaches
 * that journald alone; the entries are then read from its journal files
 * with sd-journal, by MESSAGE_ID, with their fields. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <systemd/sd-journal.h>
#include <unistd.h>

#include "base/fileio.h"
#include "base/macro.h"
#include "daemon-harness.h"
#include "daemon/daemon-log.h"
#include "testing.h"

/* How many entries with MESSAGE_ID=id carry field=value. */
static unsigned count_entries(const char *dir, const char *id, const char *field, const char *value)
{
        char match[128], want[256];
        sd_journal *j = NULL;
        unsigned n = 0;

        snprintf(match, sizeof(match), "MESSAGE_ID=%s", id);
        snprintf(want, sizeof(want), "%s=%s", field, value);
        ck_assert_int_eq(sd_journal_open_directory(&j, dir, 0), 0);
        ck_assert_int_eq(sd_journal_add_match(j, match, 0), 0);
        SD_JOURNAL_FOREACH(j)
        {
                const void *data;
                size_t len;

                if (sd_journal_get_data(j, field, &data, &len) == 0 && len == strlen(want) &&
                    memcmp(data, want, len) == 0)
                        n++;
        }
        sd_journal_close(j);
        return n;
}

START_TEST(test_daemon_journal_entries)
{
        const char *script = test_path("tests/journal/journald-private.sh");
        char store[96], journal_dir[160], pid_text[32], machine[64] = "";
        const char *start[] = {"/bin/sh", script, "start", store, NULL};
        const char *stop[] = {"/bin/sh", script, "stop", store, NULL};
        _cleanup_free_ char *out = NULL, *err = NULL, *mid = NULL;
        struct tdaemon t;
        json_t *r;
        size_t size;
        bool ok;

        if (!test_require(geteuid() == 0 && access("/lib/systemd/systemd-journald", X_OK) == 0,
                          "root and systemd-journald"))
                return;
        snprintf(store, sizeof(store), "/tmp/hardend-djournal-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(store));
        ck_assert_msg(test_run(start, &out, &err) == 0, "journald did not start: %s", err);
        snprintf(pid_text, sizeof(pid_text), "%d", atoi(out));
        ck_assert_int_eq(read_file_bounded(AT_FDCWD, "/etc/machine-id", 64, &mid, &size), 0);
        snprintf(machine, sizeof(machine), "%.*s", (int)strcspn(mid, "\n"), mid);
        snprintf(journal_dir, sizeof(journal_dir), "%s/%s", store, machine);

        tdaemon_setup(&t, "quiet_period: 0s\n");
        /* In journald's mount namespace: /run/systemd/journal/socket is its. */
        t.wrapper[0] = "/usr/bin/nsenter";
        t.wrapper[1] = "-t";
        t.wrapper[2] = pid_text;
        t.wrapper[3] = "-m";
        tdaemon_start(&t);
        r = tdaemon_call(&t, "enforce", "{\"services\":[\"api\"]}", &ok);
        ck_assert_msg(ok, "enforce: %s", json_string_value(json_object_get(r, "message")));
        json_decref(r);
        ck_assert_int_eq(tdaemon_stop(&t), 0);
        {
                _cleanup_free_ char *o2 = NULL, *e2 = NULL;

                ck_assert_int_eq(test_run(stop, &o2, &e2), 0);
        }
        ck_assert_uint_eq(
            count_entries(journal_dir, MESSAGE_ID_MODE_CHANGE, "HARDEND_SERVICE", "api"), 1);
        ck_assert_uint_eq(
            count_entries(journal_dir, MESSAGE_ID_MODE_CHANGE, "HARDEND_MODE", "enforce"), 1);
        /* api at start (monitor) and after the switch (enforce). */
        ck_assert_uint_eq(
            count_entries(journal_dir, MESSAGE_ID_PROFILE_LOAD, "HARDEND_SERVICE", "api"), 2);
        ck_assert_uint_ge(
            count_entries(journal_dir, MESSAGE_ID_PROFILE_LOAD, "HARDEND_SERVICE", "worker"), 1);
        tdaemon_cleanup(&t);
        {
                const char *rm[] = {"/bin/rm", "-rf", store, NULL};

                (void)test_run(rm, NULL, NULL);
        }
}
END_TEST

static Suite *daemon_journal_suite(void)
{
        Suite *s = suite_create("daemon-journal");
        TCase *tc = tcase_create("journal");

        tcase_set_timeout(tc, 120);
        tcase_add_test(tc, test_daemon_journal_entries);
        suite_add_tcase(s, tc);
        return s;
}

TEST_SUITE(daemon_journal_suite)
