/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Between the KUnit library (test.c) and the runner (runner.c); the
 * functions are documented at their definitions in test.c.
 */
#ifndef _TESTS_KUNIT_INTERNAL_H
#define _TESTS_KUNIT_INTERNAL_H

#include <kunit/test.h>

void kunit_set_current_test(struct kunit *test);

void kunit_run_deferred_actions(struct kunit *test);

void kunit_set_failure(struct kunit *test);

#endif /* _TESTS_KUNIT_INTERNAL_H */
