/* SPDX-License-Identifier: MIT */
/* Readiness to enforce: each check's verdict from the facts, as a table. */
#include <string.h>

#include "insight/readiness.h"
#include "testing.h"

#define MIN  (60ull * 1000000ull)
#define NOW  (1795356141000000ull)
#define HOUR (60 * MIN)

static const struct {
        const char *name;
        struct readiness_input in;
        bool quiet, recorded, posture;
        const char *quiet_text;
} cases[] = {
    {"all good",
     {.now_usec = NOW,
      .quiet_period_usec = HOUR,
      .policy_changed_usec = NOW - 2 * HOUR,
      .last_denial_usec = NOW - 3 * HOUR,
      .have_recording = true,
      .recording_start_usec = NOW - 5 * HOUR,
      .recording_end_usec = NOW - 4 * HOUR,
      .allowed = 40,
      .exercised = 40,
      .scanned = true,
      .workloads = 2},
     true,
     true,
     true,
     "since the policy changed 2h 0m ago"},
    {"a would-be denial after the last change, within the quiet period",
     {.now_usec = NOW,
      .quiet_period_usec = HOUR,
      .policy_changed_usec = NOW - 2 * HOUR,
      .last_denial_usec = NOW - 10 * MIN,
      .have_recording = true,
      .allowed = 40,
      .exercised = 39,
      .scanned = true,
      .workloads = 1,
      .findings = 2,
      .worst = "high"},
     false,
     false,
     false,
     "last would-be denial 10m ago"},
    {"the policy just changed (a proposal applied)",
     {.now_usec = NOW,
      .quiet_period_usec = HOUR,
      .policy_changed_usec = NOW - 5 * MIN,
      .last_denial_usec = NOW - 3 * HOUR,
      .scanned = true},
     false,
     false,
     true,
     "since the policy changed 5m ago"},
    {"never a denial, no policy time known",
     {.now_usec = NOW, .quiet_period_usec = HOUR},
     true,
     false,
     false,
     "no would-be denial seen"},
    {"a denial long ago, quiet since",
     {.now_usec = NOW,
      .quiet_period_usec = HOUR,
      .policy_changed_usec = NOW - 30 * HOUR,
      .last_denial_usec = NOW - 2 * HOUR,
      .scanned = true},
     true,
     false,
     true,
     "last would-be denial 2h 0m ago"},
};

static bool check_ok(json_t *doc, const char *name)
{
        size_t i;
        json_t *c;

        json_array_foreach(json_object_get(doc, "checks"), i, c)
        {
                if (strcmp(json_string_value(json_object_get(c, "name")), name) == 0)
                        return json_is_true(json_object_get(c, "ok"));
        }
        ck_abort_msg("no check %s", name);
        return false;
}

START_TEST(test_readiness_table)
{
        json_t *doc = readiness_json(&cases[_i].in), *quiet;

        ck_assert_ptr_nonnull(doc);
        ck_assert_msg(check_ok(doc, "quiet") == cases[_i].quiet, "%s: quiet", cases[_i].name);
        ck_assert_msg(check_ok(doc, "recorded") == cases[_i].recorded, "%s: recorded",
                      cases[_i].name);
        ck_assert_msg(check_ok(doc, "posture") == cases[_i].posture, "%s: posture", cases[_i].name);
        ck_assert(json_is_true(json_object_get(doc, "ready")) ==
                  (cases[_i].quiet && cases[_i].recorded && cases[_i].posture));
        quiet = json_array_get(json_object_get(doc, "checks"), 0);
        ck_assert_msg(
            strstr(json_string_value(json_object_get(quiet, "text")), cases[_i].quiet_text),
            "%s: '%s'", cases[_i].name, json_string_value(json_object_get(quiet, "text")));
        json_decref(doc);
}
END_TEST

static Suite *insight_readiness_suite(void)
{
        Suite *s = suite_create("insight-readiness");
        TCase *tc = tcase_create("readiness");

        tcase_add_loop_test(tc, test_readiness_table, 0, sizeof(cases) / sizeof(cases[0]));
        suite_add_tcase(s, tc);
        return s;
}

TEST_SUITE(insight_readiness_suite)
