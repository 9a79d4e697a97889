/* SPDX-License-Identifier: MIT */
/* The insight verbs of the real daemon: propose, record and report, and
 * the readiness that status shows. The closed loop on real containers is
 * in test-daemon-podman.c; here the verbs' contracts: refusals, a
 * recording's life (profiles swapped, switches refused, the service's own
 * profiles back at the end, the recording kept across a restart), and the
 * report document rendering in every format. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/fileio.h"
#include "base/macro.h"
#include "daemon-harness.h"
#include "insight/report-render.h"
#include "testing.h"

static bool need_root(void)
{
        return test_require(geteuid() == 0, "root (the daemon loads profiles, reads audit)");
}

static const char *code_of(json_t *err)
{
        const char *s = json_string_value(json_object_get(err, "code"));

        return s ? s : "";
}

static char *read_text(const char *path)
{
        char *data = NULL;
        size_t size;

        ck_assert_msg(read_file_bounded(AT_FDCWD, path, 16 << 20, &data, &size) == 0, "read %s",
                      path);
        return data;
}

/* Arguments checked before anything happens. */
START_TEST(test_insight_refusals)
{
        static const char *const bad[][3] = {
            {"propose", "{}", "bad-args"},
            {"propose", "{\"service\":\"nosuch\"}", "unknown-service"},
            {"propose", "{\"service\":\"api\",\"recording\":true}", "refused"},
            {"propose", "{\"service\":\"api\",\"accept_risky\":1}", "bad-args"},
            {"record", "{\"service\":\"api\"}", "bad-args"},
            {"record", "{\"service\":\"api\",\"duration\":10}", "bad-args"},
            {"record", "{\"service\":\"api\",\"duration\":999999999999999}", "bad-args"},
            {"record", "{\"service\":\"nosuch\",\"duration\":2000000}", "unknown-service"},
            {"report", "{\"service\":\"nosuch\"}", "unknown-service"},
            {"report", "{\"since\":-1}", "bad-args"},
        };
        struct tdaemon t;

        if (!need_root())
                return;
        tdaemon_setup(&t, NULL);
        tdaemon_start(&t);
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                bool ok;
                json_t *r = tdaemon_call(&t, bad[i][0], bad[i][1], &ok);

                ck_assert_msg(!ok, "%s %s was accepted", bad[i][0], bad[i][1]);
                ck_assert_msg(strcmp(code_of(r), bad[i][2]) == 0, "%s %s: %s, not %s", bad[i][0],
                              bad[i][1], code_of(r), bad[i][2]);
                json_decref(r);
        }
        /* A service in enforce mode is recorded only when forced. */
        {
                bool ok;
                json_t *r =
                    tdaemon_call(&t, "enforce", "{\"services\":[\"worker\"],\"force\":true}", &ok);

                ck_assert(ok);
                json_decref(r);
                r = tdaemon_call(&t, "record", "{\"service\":\"worker\",\"duration\":2000000}",
                                 &ok);
                ck_assert(!ok);
                ck_assert_str_eq(code_of(r), "refused");
                json_decref(r);
        }
        ck_assert_int_eq(tdaemon_stop(&t), 0);
        tdaemon_cleanup(&t);
}
END_TEST

/* No observations: nothing to change, and the JSON says what --apply needs. */
START_TEST(test_insight_propose_nothing)
{
        struct tdaemon t;
        bool ok;
        json_t *r;

        if (!need_root())
                return;
        tdaemon_setup(&t, NULL);
        tdaemon_start(&t);
        r = tdaemon_call(&t, "propose", "{\"service\":\"api\"}", &ok);
        ck_assert(ok);
        ck_assert_str_eq(json_string_value(json_object_get(r, "diff")), "");
        ck_assert(json_is_false(json_object_get(r, "changes_policy")));
        ck_assert_int_eq(strlen(json_string_value(json_object_get(r, "old_sha256"))), 64);
        ck_assert(strstr(json_string_value(json_object_get(r, "policy_file")), "/api.yaml"));
        json_decref(r);
        {
                const char *args[] = {"propose", "api", NULL};
                _cleanup_free_ char *out = NULL;

                ck_assert_int_eq(tdaemon_hardenctl(&t, args, &out), 0);
                ck_assert_msg(strstr(out, "No change to the policy."), "%s", out);
        }
        ck_assert_int_eq(tdaemon_stop(&t), 0);
        tdaemon_cleanup(&t);
}
END_TEST

static json_t *recording_of(const struct tdaemon *t, const char *service, json_t **st)
{
        return json_object_get(tdaemon_service(t, service, st), "recording");
}

/* A recording swaps the service's profiles for the recording profile,
 * refuses switches meanwhile, and puts the service's own back at the end;
 * the recording outlives a restart. */
START_TEST(test_insight_record_lifecycle)
{
        _cleanup_free_ char *before = NULL, *during = NULL, *after = NULL;
        char json_path[256];
        struct tdaemon t;
        json_t *r, *st, *rec;
        bool ok;

        if (!need_root())
                return;
        tdaemon_setup(&t, NULL);
        snprintf(json_path, sizeof(json_path), "%s/api.seccomp.json", t.seccomp);
        tdaemon_start(&t);
        before = read_text(json_path);
        r = tdaemon_call(&t, "record", "{\"service\":\"api\",\"duration\":3000000}", &ok);
        ck_assert(ok);
        ck_assert_int_gt(json_integer_value(json_object_get(r, "end")),
                         json_integer_value(json_object_get(r, "start")));
        json_decref(r);
        /* The recording profile allows nothing beyond the guard list. */
        during = read_text(json_path);
        ck_assert_str_ne(before, during);
        ck_assert_msg(strstr(during, "\"SCMP_ACT_LOG\"") && !strstr(during, "\"openat\""), "%s",
                      during);
        rec = recording_of(&t, "api", &st);
        ck_assert(json_is_object(json_object_get(rec, "active")));
        json_decref(st);
        r = tdaemon_call(&t, "record", "{\"service\":\"api\",\"duration\":3000000}", &ok);
        ck_assert(!ok);
        json_decref(r);
        r = tdaemon_call(&t, "enforce", "{\"services\":[\"api\"],\"force\":true}", &ok);
        ck_assert(!ok);
        ck_assert_str_eq(code_of(r), "refused");
        json_decref(r);
        {
                const char *args[] = {"status", "api", NULL};
                _cleanup_free_ char *out = NULL;

                ck_assert_int_eq(tdaemon_hardenctl(&t, args, &out), 0);
                ck_assert_msg(strstr(out, "RECORDING until"), "%s", out);
        }
        for (int i = 0; i < 100; i++) {
                bool active;

                rec = recording_of(&t, "api", &st);
                active = !json_is_null(json_object_get(rec, "active"));
                json_decref(st);
                if (!active)
                        break;
                usleep(100 * 1000);
        }
        after = read_text(json_path);
        ck_assert_str_eq(before, after);
        rec = recording_of(&t, "api", &st);
        ck_assert(json_is_object(json_object_get(rec, "last")));
        json_decref(st);
        {
                char diff[256];

                snprintf(diff, sizeof(diff), "%s/proposals/api.diff", t.state);
                ck_assert_int_eq(access(diff, F_OK), 0);
        }
        /* Kept: a restarted agent proposes from it and reports it. */
        ck_assert_int_eq(tdaemon_stop(&t), 0);
        tdaemon_start(&t);
        rec = recording_of(&t, "api", &st);
        ck_assert(json_is_object(json_object_get(rec, "last")));
        json_decref(st);
        r = tdaemon_call(&t, "propose", "{\"service\":\"api\",\"recording\":true}", &ok);
        ck_assert_msg(ok, "%s", code_of(r));
        ck_assert(json_is_true(json_object_get(r, "recording")));
        /* Nothing of api ran under the recording: "never used" would remove
         * everything, so nothing is removed and a note says why. */
        ck_assert(json_is_false(json_object_get(r, "changes_policy")));
        {
                json_t *c = json_array_get(json_object_get(r, "changes"), 0);

                ck_assert_str_eq(json_string_value(json_object_get(c, "action")), "note");
                ck_assert(strstr(json_string_value(json_object_get(c, "reason")),
                                 "logged no system call of the service"));
        }
        json_decref(r);
        {
                json_t *api = tdaemon_service(&t, "api", &st), *checks;

                checks = json_object_get(json_object_get(api, "readiness"), "checks");
                ck_assert_int_eq(json_array_size(checks), 3);
                ck_assert_str_eq(
                    json_string_value(json_object_get(json_array_get(checks, 1), "name")),
                    "recorded");
                ck_assert(json_is_false(json_object_get(json_array_get(checks, 1), "ok")));
                json_decref(st);
        }
        /* A damaged recording.json: the agent starts, says so, and has no
         * last recording (proposals from it are refused, nothing guessed). */
        ck_assert_int_eq(tdaemon_stop(&t), 0);
        tdaemon_write(&t, "state/recordings/api/recording.json", "{\"format\": \"hardend-rec");
        tdaemon_start(&t);
        rec = recording_of(&t, "api", &st);
        ck_assert(json_is_null(json_object_get(rec, "last")));
        json_decref(st);
        {
                _cleanup_free_ char *log = tdaemon_log(&t);

                ck_assert_msg(strstr(log, "the last recording is unusable"), "%s", log);
        }
        r = tdaemon_call(&t, "propose", "{\"service\":\"api\",\"recording\":true}", &ok);
        ck_assert(!ok);
        ck_assert_str_eq(code_of(r), "refused");
        json_decref(r);
        ck_assert_int_eq(tdaemon_stop(&t), 0);
        tdaemon_cleanup(&t);
}
END_TEST

/* The report verb's document follows the renderers' schema and renders
 * in every format, also through hardenctl. */
START_TEST(test_insight_report)
{
        static const char *const formats[] = {"text", "markdown", "html", "json"};
        struct tdaemon t;
        char err[256];
        bool ok;
        json_t *r;

        if (!need_root())
                return;
        tdaemon_setup(&t, NULL);
        tdaemon_start(&t);
        r = tdaemon_call(&t, "report", NULL, &ok);
        ck_assert(ok);
        ck_assert_msg(report_validate(r, err, sizeof(err)) == 0, "%s", err);
        ck_assert_int_eq(json_array_size(json_object_get(r, "services")), 4);
        json_decref(r);
        for (size_t i = 0; i < ELEMENTSOF(formats); i++) {
                const char *args[] = {"report", "--service", "api", "--format", formats[i], NULL};
                _cleanup_free_ char *out = NULL;

                ck_assert_int_eq(tdaemon_hardenctl(&t, args, &out), 0);
                ck_assert_msg(strstr(out, "api"), "%s: %s", formats[i], out);
        }
        ck_assert_int_eq(tdaemon_stop(&t), 0);
        tdaemon_cleanup(&t);
}
END_TEST

/* Offline: a proposal from a log file applied to a policy directory: the
 * new text is written, the old one kept beside it, and both load. */
START_TEST(test_insight_apply_offline)
{
        static const char log[] =
            "type=SECCOMP msg=audit(1795356141.100:1): auid=4294967295 uid=1000 gid=1000 "
            "ses=4294967295 pid=4242 comm=\"api-server\" exe=\"/usr/local/bin/api-server\" sig=0 "
            "arch=c000003e syscall=149 compat=0 ip=0x7f code=0x7ffc0000\n";
        char dir[] = "/tmp/hardend-apply-XXXXXX", path[128], logp[128], cmd[512];
        _cleanup_free_ char *before = NULL, *after = NULL, *out = NULL, *err = NULL, *bak = NULL;
        const char *argv[] = {"build/hardenctl", "propose", "api",     "--input", logp,
                              "--profiles",      dir,       "--apply", NULL};
        FILE *f;

        ck_assert_ptr_nonnull(mkdtemp(dir));
        snprintf(path, sizeof(path), "%s/api.yaml", dir);
        snprintf(logp, sizeof(logp), "%s/audit.log", dir);
        snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", test_path("profiles/api.yaml"), path);
        ck_assert_int_eq(system(cmd), 0);
        f = fopen(logp, "we");
        ck_assert_ptr_nonnull(f);
        fputs(log, f);
        fclose(f);
        before = read_text(path);
        /* mlock (149): logged by api's executable, allowed by nothing. */
        ck_assert_int_eq(test_run(argv, &out, &err), 0);
        ck_assert_msg(strstr(out, "+    - mlock  # logged 1x by api-server"), "%s", out);
        ck_assert_msg(strstr(out, "applied: "), "%s", out);
        after = read_text(path);
        ck_assert_str_ne(before, after);
        ck_assert(strstr(after, "- mlock  # logged 1x"));
        snprintf(cmd, sizeof(cmd), "cat %s/api.yaml.*.bak", dir);
        {
                const char *cat[] = {"/bin/sh", "-c", cmd, NULL};

                ck_assert_int_eq(test_run(cat, &bak, NULL), 0);
        }
        ck_assert_str_eq(bak, before);
        {
                const char *validate[] = {"build/hardenctl", "validate", path, NULL};

                ck_assert_int_eq(test_run(validate, NULL, NULL), 0);
        }
        /* Applied again: nothing left to change, nothing written. */
        free(out);
        out = NULL;
        ck_assert_int_eq(test_run(argv, &out, NULL), 0);
        ck_assert_msg(strstr(out, "No change to the policy."), "%s", out);
        {
                _cleanup_free_ char *again = read_text(path);

                ck_assert_str_eq(again, after);
        }
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        ck_assert_int_eq(system(cmd), 0);
}
END_TEST

static Suite *daemon_insight_suite(void)
{
        Suite *s = suite_create("daemon-insight");
        TCase *tc = tcase_create("insight");

        tcase_set_timeout(tc, 60);
        tcase_add_test(tc, test_insight_refusals);
        tcase_add_test(tc, test_insight_propose_nothing);
        tcase_add_test(tc, test_insight_record_lifecycle);
        tcase_add_test(tc, test_insight_report);
        tcase_add_test(tc, test_insight_apply_offline);
        suite_add_tcase(s, tc);
        return s;
}

TEST_SUITE(daemon_insight_suite)
