/* SPDX-License-Identifier: GPL-2.0 */
/* Between the KUnit library (test.c) and the runner (runner.c). */
#ifndef _TESTS_KUNIT_INTERNAL_H
#define _TESTS_KUNIT_INTERNAL_H

#include <kunit/test.h>

/* Make @test the case kunit_get_current_test() returns (NULL: none). */
void kunit_set_current_test(struct kunit *test);

/* Run and forget every deferred action of @test, newest first. */
void kunit_run_deferred_actions(struct kunit *test);

/* Mark @test failed (thread-safe). */
void kunit_set_failure(struct kunit *test);

#endif /* _TESTS_KUNIT_INTERNAL_H */
