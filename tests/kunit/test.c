// SPDX-License-Identifier: GPL-2.0
/*
 * The KUnit library for userspace: failure reports, logging, skipping,
 * aborting a case, deferred actions and managed allocations.  The runner
 * that calls the cases is runner.c.
 *
 * Diagnostics go to stdout as KTAP "# " lines at the case's indentation,
 * so they sit right above the case's "ok"/"not ok" line.  The library's
 * own bookkeeping (action nodes, message buffers) uses libc malloc, never
 * kmalloc, so it neither shows in the leak counters nor consumes
 * fail_nth ticks.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kunit/test.h>

#include "kunit-internal.h"

static struct kunit *kunit_current;

/**
 * kunit_get_current_test() - the case the runner is running
 *
 * Return: the case, or NULL between cases.
 */
struct kunit *kunit_get_current_test(void)
{
	return __atomic_load_n(&kunit_current, __ATOMIC_SEQ_CST);
}

/**
 * kunit_set_current_test() - set what kunit_get_current_test() returns
 * @test: the case about to run, or NULL when it has ended
 */
void kunit_set_current_test(struct kunit *test)
{
	__atomic_store_n(&kunit_current, test, __ATOMIC_SEQ_CST);
}

/**
 * kunit_set_failure() - mark a case failed
 * @test: the case
 *
 * Thread-safe: helper threads of the case may fail it too.
 */
void kunit_set_failure(struct kunit *test)
{
	__atomic_store_n(&test->status, KUNIT_FAILURE, __ATOMIC_SEQ_CST);
}

/* Print @msg as "# " lines, one per line of @msg. */
static void kunit_print_diag(struct kunit *test, const char *msg)
{
	static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
	int indent = test ? test->indent : 0;
	const char *nl;

	pthread_mutex_lock(&out_lock);
	do {
		nl = strchr(msg, '\n');
		if (!nl)
			nl = msg + strlen(msg);
		printf("%*s# %.*s\n", indent, "", (int)(nl - msg), msg);
		msg = *nl ? nl + 1 : nl;
	} while (*msg);
	fflush(stdout);
	pthread_mutex_unlock(&out_lock);
}

/* A malloc()ed formatted string, or NULL if memory ran out. */
static char *kunit_vasprintf(const char *fmt, va_list ap)
{
	char *s;

	if (vasprintf(&s, fmt, ap) < 0)
		return NULL;
	return s;
}

static __printf(1, 2) char *kunit_asprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = kunit_vasprintf(fmt, ap);
	va_end(ap);
	return s;
}

/**
 * kunit_log_diag() - print a KTAP diagnostic for a case
 * @test: the case, for its indentation; NULL for none
 * @fmt: printf format; each line of the message becomes one "# " line
 */
void kunit_log_diag(struct kunit *test, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = kunit_vasprintf(fmt, ap);
	va_end(ap);
	if (!msg)
		return;
	kunit_print_diag(test, msg);
	free(msg);
}

/**
 * kunit_mark_skipped() - mark a case skipped, without leaving it
 * @test: the case
 * @fmt: printf format of the reason, printed after "# SKIP"
 *
 * A case that has already failed stays failed.  kunit_skip() also leaves
 * the case.
 */
void kunit_mark_skipped(struct kunit *test, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(test->status_comment, sizeof(test->status_comment), fmt, ap);
	va_end(ap);
	if (test->status != KUNIT_FAILURE)
		test->status = KUNIT_SKIPPED;
}

/**
 * __kunit_abort() - leave the current case now, as a failed assertion does
 * @test: the case
 *
 * On the runner's thread this longjmps back to the runner, which goes on
 * with exit() and the deferred actions.  On a helper thread of the case
 * it ends that thread.  Outside a case it aborts the process.
 */
void __kunit_abort(struct kunit *test)
{
	jmp_buf *env = test->abort_env;

	if (env && (unsigned long)pthread_self() == test->runner_thread)
		longjmp(*env, 1);
	if (env) {
		/* An assertion failed in a helper thread: end that thread. */
		kunit_print_diag(test, "aborting helper thread");
		pthread_exit(NULL);
	}
	fprintf(stderr, "kunit: %s aborted outside a running case\n",
		test->name ? test->name : "?");
	abort();
}

/**
 * kunit_expect_warn() - announce WARNs this case will trigger on purpose
 * @test: the case
 * @n: how many more WARN*() to expect
 *
 * Userspace extension: at the end of the case the number of warnings must
 * equal the total announced.  Beware WARN_ON_ONCE(), which fires once per
 * process, not once per case.
 */
void kunit_expect_warn(struct kunit *test, unsigned long n)
{
	__atomic_fetch_add(&test->expected_warns, n, __ATOMIC_SEQ_CST);
}

/**
 * kunit_int_compare() - compare two integers by their mathematical values
 * @l: left operand
 * @op: the comparison
 * @r: right operand
 *
 * Unlike C's usual conversions, a negative signed value is below every
 * unsigned one: -1 < 0U holds.
 *
 * Return: whether "@l @op @r" holds.
 */
bool kunit_int_compare(struct kunit_int l, enum kunit_op op,
		       struct kunit_int r)
{
	bool l_neg = l.is_signed && (long long)l.v < 0;
	bool r_neg = r.is_signed && (long long)r.v < 0;
	int cmp;

	/* Order by mathematical value: negatives below everything else. */
	if (l_neg != r_neg)
		cmp = l_neg ? -1 : 1;
	else if (l_neg)
		cmp = (long long)l.v < (long long)r.v ? -1 :
		      (long long)l.v > (long long)r.v;
	else
		cmp = l.v < r.v ? -1 : l.v > r.v;

	switch (op) {
	case KUNIT_OP_EQ:
		return cmp == 0;
	case KUNIT_OP_NE:
		return cmp != 0;
	case KUNIT_OP_LT:
		return cmp < 0;
	case KUNIT_OP_LE:
		return cmp <= 0;
	case KUNIT_OP_GT:
		return cmp > 0;
	case KUNIT_OP_GE:
		return cmp >= 0;
	}
	return false;
}

/*
 * The common tail of every failure: mark the case, print where, what was
 * expected (@what, may be NULL; freed here) and the user's message (@fmt,
 * may be NULL).  Aborting is the caller's (the macro's) job.
 */
static void kunit_report(struct kunit *test, bool assert, const char *file,
			 int line, char *what, const char *fmt, va_list ap)
{
	char *msg = NULL, *all;

	kunit_set_failure(test);
	if (fmt)
		msg = kunit_vasprintf(fmt, ap);
	all = kunit_asprintf("%s: %s FAILED at %s:%d%s%s%s%s", test->name,
			     assert ? "ASSERTION" : "EXPECTATION", file, line,
			     what ? "\n" : "", what ? what : "",
			     msg && *msg ? "\n" : "", msg ? msg : "");
	if (all)
		kunit_print_diag(test, all);
	free(all);
	free(msg);
	free(what);
}

/**
 * __kunit_fail_msg() - report KUNIT_FAIL() or KUNIT_ASSERT_FAILURE()
 * @test: the case
 * @assert: an assertion, not an expectation
 * @file: where the macro stands
 * @line: where the macro stands
 * @fmt: printf format of the message
 */
void __kunit_fail_msg(struct kunit *test, bool assert, const char *file,
		      int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kunit_report(test, assert, file, line, NULL, fmt, ap);
	va_end(ap);
}

/**
 * __kunit_fail_bool() - report a failed KUNIT_*_TRUE() or KUNIT_*_FALSE()
 * @test: the case
 * @assert: an assertion, not an expectation
 * @file: where the macro stands
 * @line: where the macro stands
 * @expr: the condition as written
 * @expected: the value it should have had
 * @fmt: printf format of the user's message, or NULL
 */
void __kunit_fail_bool(struct kunit *test, bool assert, const char *file,
		       int line, const char *expr, bool expected,
		       const char *fmt, ...)
{
	char *what = kunit_asprintf("Expected %s to be %s, but is %s", expr,
				    expected ? "true" : "false",
				    expected ? "false" : "true");
	va_list ap;

	va_start(ap, fmt);
	kunit_report(test, assert, file, line, what, fmt, ap);
	va_end(ap);
}

static void kunit_format_int(char *buf, size_t size, struct kunit_int x)
{
	if (x.is_signed)
		snprintf(buf, size, "%lld (0x%llx)", (long long)x.v, x.v);
	else
		snprintf(buf, size, "%llu (0x%llx)", x.v, x.v);
}

/**
 * __kunit_fail_int() - report a failed integer comparison
 * @test: the case
 * @assert: an assertion, not an expectation
 * @file: where the macro stands
 * @line: where the macro stands
 * @lexpr: the left operand as written
 * @op: the comparison operator as written
 * @rexpr: the right operand as written
 * @l: the left operand's value
 * @r: the right operand's value
 * @fmt: printf format of the user's message, or NULL
 */
void __kunit_fail_int(struct kunit *test, bool assert, const char *file,
		      int line, const char *lexpr, const char *op,
		      const char *rexpr, struct kunit_int l, struct kunit_int r,
		      const char *fmt, ...)
{
	char lbuf[64], rbuf[64];
	char *what;
	va_list ap;

	kunit_format_int(lbuf, sizeof(lbuf), l);
	kunit_format_int(rbuf, sizeof(rbuf), r);
	what = kunit_asprintf("Expected %s %s %s, but\n    %s == %s\n    %s == %s",
			      lexpr, op, rexpr, lexpr, lbuf, rexpr, rbuf);
	va_start(ap, fmt);
	kunit_report(test, assert, file, line, what, fmt, ap);
	va_end(ap);
}

/**
 * __kunit_fail_ptr() - report a failed pointer comparison or NULL check
 * @test: the case
 * @assert: an assertion, not an expectation
 * @file: where the macro stands
 * @line: where the macro stands
 * @lexpr: the left operand as written
 * @op: the comparison as written
 * @rexpr: the right operand as written
 * @l: the left pointer (shown as an errno if it is an ERR_PTR())
 * @r: the right pointer
 * @fmt: printf format of the user's message, or NULL
 */
void __kunit_fail_ptr(struct kunit *test, bool assert, const char *file,
		      int line, const char *lexpr, const char *op,
		      const char *rexpr, const void *l, const void *r,
		      const char *fmt, ...)
{
	char *what;
	va_list ap;

	if (IS_ERR(l))
		what = kunit_asprintf("Expected %s %s %s, but\n    %s == %p (ERR_PTR %ld)",
				      lexpr, op, rexpr, lexpr, l, PTR_ERR(l));
	else
		what = kunit_asprintf("Expected %s %s %s, but\n    %s == %p\n    %s == %p",
				      lexpr, op, rexpr, lexpr, l, rexpr, r);
	va_start(ap, fmt);
	kunit_report(test, assert, file, line, what, fmt, ap);
	va_end(ap);
}

/**
 * __kunit_fail_str() - report a failed string comparison
 * @test: the case
 * @assert: an assertion, not an expectation
 * @file: where the macro stands
 * @line: where the macro stands
 * @lexpr: the left operand as written
 * @op: the comparison as written
 * @rexpr: the right operand as written
 * @l: the left string, or NULL
 * @r: the right string, or NULL
 * @fmt: printf format of the user's message, or NULL
 */
void __kunit_fail_str(struct kunit *test, bool assert, const char *file,
		      int line, const char *lexpr, const char *op,
		      const char *rexpr, const char *l, const char *r,
		      const char *fmt, ...)
{
	char *what;
	va_list ap;

	what = kunit_asprintf("Expected %s %s %s, but\n    %s == \"%s\"\n    %s == \"%s\"",
			      lexpr, op, rexpr, lexpr, l ? l : "(null)", rexpr,
			      r ? r : "(null)");
	va_start(ap, fmt);
	kunit_report(test, assert, file, line, what, fmt, ap);
	va_end(ap);
}

/* Hex of up to 16 bytes of @p around offset @at. */
static void kunit_hex(char *buf, size_t size, const u8 *p, size_t at,
		      size_t len)
{
	size_t i, n = 0;

	for (i = at; i < len && i < at + 16 && n + 4 < size; i++)
		n += snprintf(buf + n, size - n, "%02x ", p[i]);
	buf[n ? n - 1 : 0] = '\0';
}

/**
 * __kunit_fail_mem() - report a failed memory comparison
 * @test: the case
 * @assert: an assertion, not an expectation
 * @file: where the macro stands
 * @line: where the macro stands
 * @lexpr: the left operand as written
 * @op: the comparison as written
 * @rexpr: the right operand as written
 * @l: the left bytes, or NULL
 * @r: the right bytes, or NULL
 * @size: how many bytes were compared
 * @fmt: printf format of the user's message, or NULL
 *
 * Shows the 16-byte line holding the first difference.
 */
void __kunit_fail_mem(struct kunit *test, bool assert, const char *file,
		      int line, const char *lexpr, const char *op,
		      const char *rexpr, const void *l, const void *r,
		      size_t size, const char *fmt, ...)
{
	char lbuf[64] = "", rbuf[64] = "";
	size_t diff = 0, at;
	char *what;
	va_list ap;

	if (l && r) {
		const u8 *a = l, *b = r;

		while (diff < size && a[diff] == b[diff])
			diff++;
		at = diff < size ? diff - diff % 16 : 0;
		kunit_hex(lbuf, sizeof(lbuf), a, at, size);
		kunit_hex(rbuf, sizeof(rbuf), b, at, size);
		what = kunit_asprintf("Expected %s %s %s (%zu bytes), but%s%zu; bytes from offset %zu:\n    %s == %s\n    %s == %s",
				      lexpr, op, rexpr, size,
				      diff < size ?
				      " first difference at offset " :
				      " they are equal, size ",
				      diff < size ? diff : size,
				      at, lexpr, lbuf, rexpr, rbuf);
	} else {
		what = kunit_asprintf("Expected %s %s %s, but %s is NULL",
				      lexpr, op, rexpr, l ? rexpr : lexpr);
	}
	va_start(ap, fmt);
	kunit_report(test, assert, file, line, what, fmt, ap);
	va_end(ap);
}

struct kunit_action_node {
	struct list_head node;
	kunit_action_t *action;
	void *ctx;
};

/**
 * kunit_add_action() - run @action(@ctx) when the case ends
 * @test: the case
 * @action: the function
 * @ctx: its argument
 *
 * Deferred actions run newest first, after the suite's exit(), even when
 * the case aborted.
 *
 * Return: 0, or -ENOMEM (the action is then not registered).
 */
int kunit_add_action(struct kunit *test, kunit_action_t *action, void *ctx)
{
	struct kunit_action_node *a = malloc(sizeof(*a));

	if (!a)
		return -ENOMEM;
	a->action = action;
	a->ctx = ctx;
	list_add(&a->node, &test->actions);
	return 0;
}

/**
 * kunit_add_action_or_reset() - kunit_add_action(), or run it at once
 * @test: the case
 * @action: the function
 * @ctx: its argument
 *
 * When the action cannot be registered, @action(@ctx) runs now, so the
 * caller's object is never left without its release.
 *
 * Return: 0, or -ENOMEM.
 */
int kunit_add_action_or_reset(struct kunit *test, kunit_action_t *action,
			      void *ctx)
{
	int ret = kunit_add_action(test, action, ctx);

	if (ret)
		action(ctx);
	return ret;
}

/* Unregister the newest deferred @action(@ctx); false if there is none. */
static bool kunit_forget_action(struct kunit *test, kunit_action_t *action,
				void *ctx)
{
	struct kunit_action_node *a;

	list_for_each_entry(a, &test->actions, node) {
		if (a->action == action && a->ctx == ctx) {
			list_del(&a->node);
			free(a);
			return true;
		}
	}
	return false;
}

/**
 * kunit_remove_action() - forget a deferred action without running it
 * @test: the case
 * @action: the function, as registered
 * @ctx: its argument, as registered
 *
 * Does nothing if no such action is registered.
 */
void kunit_remove_action(struct kunit *test, kunit_action_t *action, void *ctx)
{
	kunit_forget_action(test, action, ctx);
}

/**
 * kunit_release_action() - run a deferred action now and forget it
 * @test: the case
 * @action: the function, as registered
 * @ctx: its argument, as registered
 *
 * Does nothing if no such action is registered.
 */
void kunit_release_action(struct kunit *test, kunit_action_t *action, void *ctx)
{
	if (kunit_forget_action(test, action, ctx))
		action(ctx);
}

/**
 * kunit_run_deferred_actions() - run and forget every deferred action
 * @test: the case that has ended
 *
 * Newest first.
 */
void kunit_run_deferred_actions(struct kunit *test)
{
	struct kunit_action_node *a;

	/* One at a time: an action may add or remove others. */
	while ((a = list_first_entry_or_null(&test->actions,
					     struct kunit_action_node, node))) {
		list_del(&a->node);
		a->action(a->ctx);
		free(a);
	}
}

static void kunit_kfree_action(void *p)
{
	kfree(p);
}

/**
 * kunit_kmalloc_array() - kmalloc_array() memory freed when the case ends
 * @test: the case
 * @n: number of elements
 * @size: bytes per element
 * @gfp: GFP flags
 *
 * Counted and fault-injected like any kmalloc(); freed before the case's
 * leak check.
 *
 * Return: as kmalloc_array().
 */
void *kunit_kmalloc_array(struct kunit *test, size_t n, size_t size, gfp_t gfp)
{
	void *p = kmalloc_array(n, size, gfp);

	if (ZERO_OR_NULL_PTR(p))
		return p;
	if (kunit_add_action_or_reset(test, kunit_kfree_action, p))
		return NULL;
	return p;
}

/**
 * kunit_kfree() - free kunit_kmalloc() memory before the case ends
 * @test: the case
 * @ptr: the memory, NULL or ZERO_SIZE_PTR
 */
void kunit_kfree(struct kunit *test, const void *ptr)
{
	if (ZERO_OR_NULL_PTR(ptr))
		return;
	kunit_release_action(test, kunit_kfree_action, (void *)ptr);
}

/**
 * kunit_kstrdup() - kstrdup() into memory freed when the case ends
 * @test: the case
 * @str: the string, or NULL
 * @gfp: GFP flags
 *
 * Return: the copy, or NULL if @str is NULL or on failure.
 */
char *kunit_kstrdup(struct kunit *test, const char *str, gfp_t gfp)
{
	size_t len;
	char *p;

	if (!str)
		return NULL;
	len = strlen(str) + 1;
	p = kunit_kmalloc(test, len, gfp & ~__GFP_ZERO);
	if (p)
		memcpy(p, str, len);
	return p;
}
