/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <kunit/test.h>: the KUnit API subset our suites
 * use, run by tests/kunit/runner.c, which prints KTAP.
 *
 * A suite is registered with kunit_test_suite(); the runner finds it
 * through the "kunit_suites" linker section.  Each case runs with:
 *
 *  - ASSERT failures, kunit_skip() and KUNIT_ASSERT_FAILURE() leaving the
 *    case at once (longjmp back to the runner, which then calls the suite's
 *    exit() and the deferred actions);
 *  - a leak check: the kmalloc/page counters of <linux/fault-inject.h> must
 *    be back where they were before init() once exit() and the deferred
 *    actions have run (suite_init() objects are outside that window);
 *  - a WARN check: a case fails if it WARNed, unless it announced exactly
 *    that many warnings with kunit_expect_warn() (a userspace extension);
 *  - any armed fail_nth failure disarmed at the end.
 *
 * Integer comparisons (KUNIT_*_EQ, _LT, ...) compare mathematical values:
 * -1 is less than 0U here, unlike C's usual conversions.  Compare pointers
 * with the PTR_ variants.
 *
 * The functions declared here are documented at their definitions, in
 * tests/kunit/test.c.
 */
#ifndef _COMPAT_KUNIT_TEST_H
#define _COMPAT_KUNIT_TEST_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/kernel.h>
#include <linux/err.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/list.h>

enum kunit_status {
	KUNIT_SUCCESS,
	KUNIT_FAILURE,
	KUNIT_SKIPPED,
};

#define KUNIT_PARAM_DESC_SIZE	128
#define KUNIT_STATUS_COMMENT_SIZE	256

/**
 * struct kunit - the state of one running test case
 * @name: the case's name (or parameter description)
 * @priv: free for the suite's init/exit and the case
 * @param_value: the current parameter of a parameterised case
 * @status: KUNIT_SUCCESS until something fails or skips
 * @status_comment: the skip reason
 *
 * The fields below are the runner's.
 */
struct kunit {
	const char *name;
	void *priv;
	const void *param_value;
	enum kunit_status status;
	char status_comment[KUNIT_STATUS_COMMENT_SIZE];

	/* private: */
	void *abort_env;		/* jmp_buf * while the case runs */
	unsigned long runner_thread;	/* pthread_self() of the runner */
	unsigned long expected_warns;
	struct list_head actions;	/* deferred actions, newest first */
	int indent;			/* KTAP indentation of this case */
};

/**
 * struct kunit_case - one test case
 * @run_case: the test function
 * @name: its name
 * @generate_params: for parameterised cases, returns the parameter after
 *	@prev (NULL: the first) and may write its name in @desc; NULL ends
 */
struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
	const void *(*generate_params)(const void *prev, char *desc);
};

#define KUNIT_CASE(test_name)	{ .run_case = test_name, .name = #test_name }
#define KUNIT_CASE_SLOW(test_name)	KUNIT_CASE(test_name)
#define KUNIT_CASE_PARAM(test_name, gen_params)				\
	{ .run_case = test_name, .name = #test_name,			\
	  .generate_params = gen_params }

/**
 * struct kunit_suite - a group of cases sharing setup
 * @name: the suite's name
 * @suite_init: once before the cases; non-zero fails them all
 * @suite_exit: once after the cases
 * @init: before each case; non-zero fails the case
 * @exit: after each case, even one that aborted
 * @test_cases: array ending with an all-zero entry
 */
struct kunit_suite {
	const char *name;
	int (*suite_init)(struct kunit_suite *suite);
	void (*suite_exit)(struct kunit_suite *suite);
	int (*init)(struct kunit *test);
	void (*exit)(struct kunit *test);
	struct kunit_case *test_cases;
};

#define __KUNIT_CONCAT2(a, b)	a##b
#define __KUNIT_CONCAT(a, b)	__KUNIT_CONCAT2(a, b)

/* Register suites (pointers); the runner iterates the section. */
#define kunit_test_suites(...)						\
	static struct kunit_suite *__KUNIT_CONCAT(__kunit_suites_, __COUNTER__)[] \
	__attribute__((__used__, __section__("kunit_suites"),		\
		       __aligned__(sizeof(void *)))) = { __VA_ARGS__ }
#define kunit_test_suite(suite)	kunit_test_suites(&(suite))

/* Parameter generators over an array, as in the kernel. */
#define KUNIT_ARRAY_PARAM(name, array, get_desc)			\
	static const void *name##_gen_params(const void *prev, char *desc) \
	{								\
		typeof((array)[0]) *__next = prev ?			\
			((typeof(__next))prev) + 1 : (array);		\
		void (*__get_desc)(typeof(__next), char *) = get_desc;	\
									\
		if ((size_t)(__next - (array)) < ARRAY_SIZE(array)) {	\
			if (__get_desc)					\
				__get_desc(__next, desc);		\
			return __next;					\
		}							\
		return NULL;						\
	}
#define KUNIT_ARRAY_PARAM_DESC(name, array, desc_member)		\
	static const void *name##_gen_params(const void *prev, char *desc) \
	{								\
		typeof((array)[0]) *__next = prev ?			\
			((typeof(__next))prev) + 1 : (array);		\
									\
		if ((size_t)(__next - (array)) < ARRAY_SIZE(array)) {	\
			strscpy(desc, __next->desc_member,		\
				KUNIT_PARAM_DESC_SIZE);			\
			return __next;					\
		}							\
		return NULL;						\
	}

/* ---- logging ---------------------------------------------------------- */

void kunit_log_diag(struct kunit *test, const char *fmt, ...) __printf(2, 3);

#define kunit_log(lvl, test, fmt, ...)	kunit_log_diag(test, fmt, ##__VA_ARGS__)
#define kunit_printk(lvl, test, fmt, ...)				\
	kunit_log_diag(test, "%s: " fmt, (test)->name, ##__VA_ARGS__)
#define kunit_info(test, fmt, ...)	kunit_printk(KERN_INFO, test, fmt, ##__VA_ARGS__)
#define kunit_warn(test, fmt, ...)	kunit_printk(KERN_WARNING, test, fmt, ##__VA_ARGS__)
#define kunit_err(test, fmt, ...)	kunit_printk(KERN_ERR, test, fmt, ##__VA_ARGS__)

struct kunit *kunit_get_current_test(void);

/* ---- skipping, failing, aborting ------------------------------------- */

void kunit_mark_skipped(struct kunit *test, const char *fmt, ...) __printf(2, 3);
void __kunit_abort(struct kunit *test) __attribute__((__noreturn__));

#define kunit_skip(test, fmt, ...) do {					\
	kunit_mark_skipped(test, fmt, ##__VA_ARGS__);			\
	__kunit_abort(test);						\
} while (0)

void kunit_expect_warn(struct kunit *test, unsigned long n);

/* ---- deferred actions and managed memory ----------------------------- */

typedef void (kunit_action_t)(void *);

int kunit_add_action(struct kunit *test, kunit_action_t *action, void *ctx);
int kunit_add_action_or_reset(struct kunit *test, kunit_action_t *action,
			      void *ctx);
void kunit_remove_action(struct kunit *test, kunit_action_t *action, void *ctx);
void kunit_release_action(struct kunit *test, kunit_action_t *action, void *ctx);

/*
 * kmalloc() memory freed automatically when the case ends, before the leak
 * check.  Counted and fault-injected like any kmalloc().
 */
void *kunit_kmalloc_array(struct kunit *test, size_t n, size_t size, gfp_t gfp);
void kunit_kfree(struct kunit *test, const void *ptr);
char *kunit_kstrdup(struct kunit *test, const char *str, gfp_t gfp);

static inline void *kunit_kmalloc(struct kunit *test, size_t size, gfp_t gfp)
{
	return kunit_kmalloc_array(test, 1, size, gfp);
}

static inline void *kunit_kzalloc(struct kunit *test, size_t size, gfp_t gfp)
{
	return kunit_kmalloc(test, size, gfp | __GFP_ZERO);
}

static inline void *kunit_kcalloc(struct kunit *test, size_t n, size_t size,
				  gfp_t gfp)
{
	return kunit_kmalloc_array(test, n, size, gfp | __GFP_ZERO);
}

/* ---- assertions -------------------------------------------------------- */

/* An integer operand with its signedness, for value-correct comparison. */
struct kunit_int {
	unsigned long long v;
	bool is_signed;
};

#define __KUNIT_INT(x) ((struct kunit_int){				\
	.v = (unsigned long long)(x),					\
	.is_signed = (typeof(x))(long long)-1 < (typeof(x))1 })

enum kunit_op { KUNIT_OP_EQ, KUNIT_OP_NE, KUNIT_OP_LT, KUNIT_OP_LE,
		KUNIT_OP_GT, KUNIT_OP_GE };

bool kunit_int_compare(struct kunit_int l, enum kunit_op op,
		       struct kunit_int r);

#define KUNIT_EXPECTATION	false
#define KUNIT_ASSERTION		true

void __kunit_fail_msg(struct kunit *test, bool assert, const char *file,
		      int line, const char *fmt, ...) __printf(5, 6);
void __kunit_fail_bool(struct kunit *test, bool assert, const char *file,
		       int line, const char *expr, bool expected,
		       const char *fmt, ...) __printf(7, 8);
void __kunit_fail_int(struct kunit *test, bool assert, const char *file,
		      int line, const char *lexpr, const char *op,
		      const char *rexpr, struct kunit_int l, struct kunit_int r,
		      const char *fmt, ...) __printf(10, 11);
void __kunit_fail_ptr(struct kunit *test, bool assert, const char *file,
		      int line, const char *lexpr, const char *op,
		      const char *rexpr, const void *l, const void *r,
		      const char *fmt, ...) __printf(10, 11);
void __kunit_fail_str(struct kunit *test, bool assert, const char *file,
		      int line, const char *lexpr, const char *op,
		      const char *rexpr, const char *l, const char *r,
		      const char *fmt, ...) __printf(10, 11);
void __kunit_fail_mem(struct kunit *test, bool assert, const char *file,
		      int line, const char *lexpr, const char *op,
		      const char *rexpr, const void *l, const void *r,
		      size_t size, const char *fmt, ...) __printf(11, 12);

#define __kunit_end(test, assert) do {					\
	if (assert)							\
		__kunit_abort(test);					\
} while (0)

#define __KUNIT_FAIL(test, assert, fmt, ...) do {			\
	__kunit_fail_msg(test, assert, __FILE__, __LINE__, fmt, ##__VA_ARGS__); \
	__kunit_end(test, assert);					\
} while (0)

#define __KUNIT_BOOL(test, assert, cond, expected, fmt, ...) do {	\
	if (unlikely((!!(cond)) != (expected))) {				\
		__kunit_fail_bool(test, assert, __FILE__, __LINE__,	\
				  #cond, expected, fmt, ##__VA_ARGS__);	\
		__kunit_end(test, assert);				\
	}								\
} while (0)

/* "+ 0" promotes bit-fields and drops qualifiers; values are unchanged. */
#define __KUNIT_INT_OP(test, assert, left, op, opstr, right, fmt, ...) do { \
	__auto_type __kunit_l = (left) + 0;				\
	__auto_type __kunit_r = (right) + 0;				\
	struct kunit_int __kunit_li = __KUNIT_INT(__kunit_l);		\
	struct kunit_int __kunit_ri = __KUNIT_INT(__kunit_r);		\
									\
	if (unlikely(!kunit_int_compare(__kunit_li, KUNIT_OP_##op,	\
					__kunit_ri))) {			\
		__kunit_fail_int(test, assert, __FILE__, __LINE__,	\
				 #left, opstr, #right, __kunit_li,	\
				 __kunit_ri, fmt, ##__VA_ARGS__);	\
		__kunit_end(test, assert);				\
	}								\
} while (0)

#define __KUNIT_PTR_OP(test, assert, left, cmp, opstr, right, fmt, ...) do { \
	const void *__kunit_l = (const void *)(left);			\
	const void *__kunit_r = (const void *)(right);			\
									\
	if (unlikely(!(__kunit_l cmp __kunit_r))) {			\
		__kunit_fail_ptr(test, assert, __FILE__, __LINE__,	\
				 #left, opstr, #right, __kunit_l,	\
				 __kunit_r, fmt, ##__VA_ARGS__);	\
		__kunit_end(test, assert);				\
	}								\
} while (0)

#define __KUNIT_NOT_ERR_OR_NULL(test, assert, ptr, fmt, ...) do {	\
	const void *__kunit_p = (const void *)(ptr);			\
									\
	if (unlikely(IS_ERR_OR_NULL(__kunit_p))) {			\
		__kunit_fail_ptr(test, assert, __FILE__, __LINE__,	\
				 #ptr, "is not error or", "NULL",	\
				 __kunit_p, NULL, fmt, ##__VA_ARGS__);	\
		__kunit_end(test, assert);				\
	}								\
} while (0)

#define __KUNIT_STR_OP(test, assert, left, eq, opstr, right, fmt, ...) do { \
	const char *__kunit_l = (left);					\
	const char *__kunit_r = (right);				\
									\
	if (unlikely(!__kunit_l || !__kunit_r ||			\
		     (!strcmp(__kunit_l, __kunit_r)) != (eq))) {		\
		__kunit_fail_str(test, assert, __FILE__, __LINE__,	\
				 #left, opstr, #right, __kunit_l,	\
				 __kunit_r, fmt, ##__VA_ARGS__);	\
		__kunit_end(test, assert);				\
	}								\
} while (0)

#define __KUNIT_MEM_OP(test, assert, left, eq, opstr, right, size, fmt, ...) do { \
	const void *__kunit_l = (left);					\
	const void *__kunit_r = (right);				\
	size_t __kunit_n = (size);					\
									\
	if (unlikely(!__kunit_l || !__kunit_r ||			\
		     (!memcmp(__kunit_l, __kunit_r, __kunit_n)) != (eq))) { \
		__kunit_fail_mem(test, assert, __FILE__, __LINE__,	\
				 #left, opstr, #right, __kunit_l,	\
				 __kunit_r, __kunit_n, fmt, ##__VA_ARGS__); \
		__kunit_end(test, assert);				\
	}								\
} while (0)

#define KUNIT_FAIL(test, fmt, ...)					\
	__KUNIT_FAIL(test, KUNIT_EXPECTATION, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_FAILURE(test, fmt, ...)				\
	__KUNIT_FAIL(test, KUNIT_ASSERTION, fmt, ##__VA_ARGS__)

/* The assertion macros: each EXPECT has an ASSERT twin and a _MSG form. */
#define KUNIT_EXPECT_TRUE_MSG(test, c, fmt, ...)	__KUNIT_BOOL(test, KUNIT_EXPECTATION, c, true, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_TRUE_MSG(test, c, fmt, ...)	__KUNIT_BOOL(test, KUNIT_ASSERTION, c, true, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_FALSE_MSG(test, c, fmt, ...)	__KUNIT_BOOL(test, KUNIT_EXPECTATION, c, false, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_FALSE_MSG(test, c, fmt, ...)	__KUNIT_BOOL(test, KUNIT_ASSERTION, c, false, fmt, ##__VA_ARGS__)

#define KUNIT_EXPECT_EQ_MSG(test, l, r, fmt, ...)	__KUNIT_INT_OP(test, KUNIT_EXPECTATION, l, EQ, "==", r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_EQ_MSG(test, l, r, fmt, ...)	__KUNIT_INT_OP(test, KUNIT_ASSERTION, l, EQ, "==", r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_NE_MSG(test, l, r, fmt, ...)	__KUNIT_INT_OP(test, KUNIT_EXPECTATION, l, NE, "!=", r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_NE_MSG(test, l, r, fmt, ...)	__KUNIT_INT_OP(test, KUNIT_ASSERTION, l, NE, "!=", r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_LT_MSG(test, l, r, fmt, ...)	__KUNIT_INT_OP(test, KUNIT_EXPECTATION, l, LT, "<", r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_LT_MSG(test, l, r, fmt, ...)	__KUNIT_INT_OP(test, KUNIT_ASSERTION, l, LT, "<", r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_LE_MSG(test, l, r, fmt, ...)	__KUNIT_INT_OP(test, KUNIT_EXPECTATION, l, LE, "<=", r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_LE_MSG(test, l, r, fmt, ...)	__KUNIT_INT_OP(test, KUNIT_ASSERTION, l, LE, "<=", r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_GT_MSG(test, l, r, fmt, ...)	__KUNIT_INT_OP(test, KUNIT_EXPECTATION, l, GT, ">", r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_GT_MSG(test, l, r, fmt, ...)	__KUNIT_INT_OP(test, KUNIT_ASSERTION, l, GT, ">", r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_GE_MSG(test, l, r, fmt, ...)	__KUNIT_INT_OP(test, KUNIT_EXPECTATION, l, GE, ">=", r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_GE_MSG(test, l, r, fmt, ...)	__KUNIT_INT_OP(test, KUNIT_ASSERTION, l, GE, ">=", r, fmt, ##__VA_ARGS__)

#define KUNIT_EXPECT_PTR_EQ_MSG(test, l, r, fmt, ...)	__KUNIT_PTR_OP(test, KUNIT_EXPECTATION, l, ==, "==", r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_PTR_EQ_MSG(test, l, r, fmt, ...)	__KUNIT_PTR_OP(test, KUNIT_ASSERTION, l, ==, "==", r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_PTR_NE_MSG(test, l, r, fmt, ...)	__KUNIT_PTR_OP(test, KUNIT_EXPECTATION, l, !=, "!=", r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_PTR_NE_MSG(test, l, r, fmt, ...)	__KUNIT_PTR_OP(test, KUNIT_ASSERTION, l, !=, "!=", r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_NULL_MSG(test, p, fmt, ...)	__KUNIT_PTR_OP(test, KUNIT_EXPECTATION, p, ==, "==", NULL, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_NULL_MSG(test, p, fmt, ...)	__KUNIT_PTR_OP(test, KUNIT_ASSERTION, p, ==, "==", NULL, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_NOT_NULL_MSG(test, p, fmt, ...)	__KUNIT_PTR_OP(test, KUNIT_EXPECTATION, p, !=, "!=", NULL, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_NOT_NULL_MSG(test, p, fmt, ...)	__KUNIT_PTR_OP(test, KUNIT_ASSERTION, p, !=, "!=", NULL, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_NOT_ERR_OR_NULL_MSG(test, p, fmt, ...)	__KUNIT_NOT_ERR_OR_NULL(test, KUNIT_EXPECTATION, p, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_NOT_ERR_OR_NULL_MSG(test, p, fmt, ...)	__KUNIT_NOT_ERR_OR_NULL(test, KUNIT_ASSERTION, p, fmt, ##__VA_ARGS__)

#define KUNIT_EXPECT_STREQ_MSG(test, l, r, fmt, ...)	__KUNIT_STR_OP(test, KUNIT_EXPECTATION, l, true, "==", r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_STREQ_MSG(test, l, r, fmt, ...)	__KUNIT_STR_OP(test, KUNIT_ASSERTION, l, true, "==", r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_STRNEQ_MSG(test, l, r, fmt, ...)	__KUNIT_STR_OP(test, KUNIT_EXPECTATION, l, false, "!=", r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_STRNEQ_MSG(test, l, r, fmt, ...)	__KUNIT_STR_OP(test, KUNIT_ASSERTION, l, false, "!=", r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_MEMEQ_MSG(test, l, r, n, fmt, ...)	__KUNIT_MEM_OP(test, KUNIT_EXPECTATION, l, true, "==", r, n, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_MEMEQ_MSG(test, l, r, n, fmt, ...)	__KUNIT_MEM_OP(test, KUNIT_ASSERTION, l, true, "==", r, n, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_MEMNEQ_MSG(test, l, r, n, fmt, ...)	__KUNIT_MEM_OP(test, KUNIT_EXPECTATION, l, false, "!=", r, n, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_MEMNEQ_MSG(test, l, r, n, fmt, ...)	__KUNIT_MEM_OP(test, KUNIT_ASSERTION, l, false, "!=", r, n, fmt, ##__VA_ARGS__)

#define KUNIT_EXPECT_TRUE(test, c)		KUNIT_EXPECT_TRUE_MSG(test, c, NULL)
#define KUNIT_ASSERT_TRUE(test, c)		KUNIT_ASSERT_TRUE_MSG(test, c, NULL)
#define KUNIT_EXPECT_FALSE(test, c)		KUNIT_EXPECT_FALSE_MSG(test, c, NULL)
#define KUNIT_ASSERT_FALSE(test, c)		KUNIT_ASSERT_FALSE_MSG(test, c, NULL)
#define KUNIT_EXPECT_EQ(test, l, r)		KUNIT_EXPECT_EQ_MSG(test, l, r, NULL)
#define KUNIT_ASSERT_EQ(test, l, r)		KUNIT_ASSERT_EQ_MSG(test, l, r, NULL)
#define KUNIT_EXPECT_NE(test, l, r)		KUNIT_EXPECT_NE_MSG(test, l, r, NULL)
#define KUNIT_ASSERT_NE(test, l, r)		KUNIT_ASSERT_NE_MSG(test, l, r, NULL)
#define KUNIT_EXPECT_LT(test, l, r)		KUNIT_EXPECT_LT_MSG(test, l, r, NULL)
#define KUNIT_ASSERT_LT(test, l, r)		KUNIT_ASSERT_LT_MSG(test, l, r, NULL)
#define KUNIT_EXPECT_LE(test, l, r)		KUNIT_EXPECT_LE_MSG(test, l, r, NULL)
#define KUNIT_ASSERT_LE(test, l, r)		KUNIT_ASSERT_LE_MSG(test, l, r, NULL)
#define KUNIT_EXPECT_GT(test, l, r)		KUNIT_EXPECT_GT_MSG(test, l, r, NULL)
#define KUNIT_ASSERT_GT(test, l, r)		KUNIT_ASSERT_GT_MSG(test, l, r, NULL)
#define KUNIT_EXPECT_GE(test, l, r)		KUNIT_EXPECT_GE_MSG(test, l, r, NULL)
#define KUNIT_ASSERT_GE(test, l, r)		KUNIT_ASSERT_GE_MSG(test, l, r, NULL)
#define KUNIT_EXPECT_PTR_EQ(test, l, r)		KUNIT_EXPECT_PTR_EQ_MSG(test, l, r, NULL)
#define KUNIT_ASSERT_PTR_EQ(test, l, r)		KUNIT_ASSERT_PTR_EQ_MSG(test, l, r, NULL)
#define KUNIT_EXPECT_PTR_NE(test, l, r)		KUNIT_EXPECT_PTR_NE_MSG(test, l, r, NULL)
#define KUNIT_ASSERT_PTR_NE(test, l, r)		KUNIT_ASSERT_PTR_NE_MSG(test, l, r, NULL)
#define KUNIT_EXPECT_NULL(test, p)		KUNIT_EXPECT_NULL_MSG(test, p, NULL)
#define KUNIT_ASSERT_NULL(test, p)		KUNIT_ASSERT_NULL_MSG(test, p, NULL)
#define KUNIT_EXPECT_NOT_NULL(test, p)		KUNIT_EXPECT_NOT_NULL_MSG(test, p, NULL)
#define KUNIT_ASSERT_NOT_NULL(test, p)		KUNIT_ASSERT_NOT_NULL_MSG(test, p, NULL)
#define KUNIT_EXPECT_NOT_ERR_OR_NULL(test, p)	KUNIT_EXPECT_NOT_ERR_OR_NULL_MSG(test, p, NULL)
#define KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p)	KUNIT_ASSERT_NOT_ERR_OR_NULL_MSG(test, p, NULL)
#define KUNIT_EXPECT_STREQ(test, l, r)		KUNIT_EXPECT_STREQ_MSG(test, l, r, NULL)
#define KUNIT_ASSERT_STREQ(test, l, r)		KUNIT_ASSERT_STREQ_MSG(test, l, r, NULL)
#define KUNIT_EXPECT_STRNEQ(test, l, r)		KUNIT_EXPECT_STRNEQ_MSG(test, l, r, NULL)
#define KUNIT_ASSERT_STRNEQ(test, l, r)		KUNIT_ASSERT_STRNEQ_MSG(test, l, r, NULL)
#define KUNIT_EXPECT_MEMEQ(test, l, r, n)	KUNIT_EXPECT_MEMEQ_MSG(test, l, r, n, NULL)
#define KUNIT_ASSERT_MEMEQ(test, l, r, n)	KUNIT_ASSERT_MEMEQ_MSG(test, l, r, n, NULL)
#define KUNIT_EXPECT_MEMNEQ(test, l, r, n)	KUNIT_EXPECT_MEMNEQ_MSG(test, l, r, n, NULL)
#define KUNIT_ASSERT_MEMNEQ(test, l, r, n)	KUNIT_ASSERT_MEMNEQ_MSG(test, l, r, n, NULL)

/*
 * KUNIT_EXPECT_WARN(test, stmt) - userspace extension: @stmt must trigger
 * exactly one WARN*(); it is announced, so the case does not fail for it.
 */
#define KUNIT_EXPECT_WARN(test, stmt) do {				\
	unsigned long __kunit_w = compat_warn_count();			\
									\
	stmt;								\
	kunit_expect_warn(test, 1);					\
	KUNIT_EXPECT_EQ_MSG(test, compat_warn_count() - __kunit_w, 1UL,	\
			    "expected one WARN from: %s", #stmt);	\
} while (0)

#endif /* _COMPAT_KUNIT_TEST_H */
