/* SPDX-License-Identifier: MIT */
/* The reports' timelines: fixed buckets that widen to fit any span, no
 * event lost in the merge. */
#include "events/timeline.h"
#include "testing.h"

static uint64_t sum(const uint32_t *v)
{
        uint64_t s = 0;

        for (unsigned i = 0; i < TIMELINE_BUCKETS; i++)
                s += v[i];
        return s;
}

START_TEST(test_timeline_first_minutes)
{
        struct timeline t = {0};
        const uint64_t t0 = 1795356141000000ull; /* 2026-11-22, mid-minute */

        ck_assert_uint_eq(timeline_used(&t), 0);
        timeline_add(&t, t0, false);
        timeline_add(&t, t0 + 59 * 1000000ull, true);
        timeline_add(&t, t0 + 10 * 60 * 1000000ull, true);
        ck_assert_uint_eq(t.start_usec, t0 - t0 % TIMELINE_FIRST_BUCKET);
        ck_assert_uint_eq(t.bucket_usec, TIMELINE_FIRST_BUCKET);
        ck_assert_uint_eq(t.events[0] + t.events[1], 2);
        ck_assert_uint_eq(t.denials[10], 1);
        ck_assert_uint_eq(timeline_used(&t), 11);
        /* Earlier than the first bucket: counted in it. */
        timeline_add(&t, t0 - 3600 * 1000000ull, false);
        ck_assert_uint_eq(sum(t.events), 4);
        ck_assert_uint_eq(t.events[0] >= 2, true);
}
END_TEST

START_TEST(test_timeline_widens)
{
        struct timeline t = {0};
        const uint64_t t0 = 1795356120000000ull, minute = 60 * 1000000ull;
        uint64_t events = 0, denials = 0;

        /* A week, one event a minute, every tenth a denial. */
        for (uint64_t m = 0; m < 7 * 24 * 60; m++) {
                timeline_add(&t, t0 + m * minute, m % 10 == 0);
                events++;
                denials += m % 10 == 0;
        }
        ck_assert_uint_eq(sum(t.events), events);
        ck_assert_uint_eq(sum(t.denials), denials);
        /* 10080 minutes in 240 buckets: 64 minutes wide (the power of two
         * that fits), 158 buckets used. */
        ck_assert_uint_eq(t.bucket_usec, 64 * minute);
        ck_assert_uint_eq(timeline_used(&t), (10080 + 63) / 64);
        ck_assert_uint_eq(t.events[0], 64);
        /* A jump years ahead widens the buckets until it fits, losing nothing. */
        timeline_add(&t, t0 + 3650ull * 24 * 60 * minute, true);
        ck_assert_uint_eq(sum(t.events), events + 1);
        ck_assert_uint_le(timeline_used(&t), TIMELINE_BUCKETS);
}
END_TEST

static Suite *events_timeline_suite(void)
{
        Suite *s = suite_create("events-timeline");
        TCase *tc = tcase_create("timeline");

        tcase_add_test(tc, test_timeline_first_minutes);
        tcase_add_test(tc, test_timeline_widens);
        suite_add_tcase(s, tc);
        return s;
}

TEST_SUITE(events_timeline_suite)
