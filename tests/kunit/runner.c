// SPDX-License-Identifier: GPL-2.0
/*
 * The userspace KUnit runner: finds every suite registered with
 * kunit_test_suite() (the "kunit_suites" linker section), runs the
 * selected cases and prints KTAP version 1 on stdout, ending with one line
 * "N passed, N failed, N skipped".  It exits 0 if nothing failed, 1 if a
 * case failed, 2 on a usage error or a filter that matched nothing.
 *
 * For each case (or each parameter of a parameterised case):
 *
 *	snapshot alloc stats and WARN count
 *	init(), run_case()	-- an assertion longjmps out of either
 *	exit()			-- only if init() succeeded
 *	deferred actions	-- kunit_kmalloc() memory, kunit_add_action()
 *	disarm fail_nth
 *	fail on unexpected WARNs, fail on a leak
 */
#include <fnmatch.h>
#include <getopt.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bug.h>
#include <linux/fault-inject.h>
#include <kunit/test.h>

#include "kunit-internal.h"

extern struct kunit_suite *__start_kunit_suites[] __attribute__((weak));
extern struct kunit_suite *__stop_kunit_suites[] __attribute__((weak));

#define KUNIT_INDENT	4

struct kunit_totals {
	unsigned long passed;
	unsigned long failed;
	unsigned long skipped;
};

/* Filters "suite" or "suite.case", with fnmatch() globs. */
struct kunit_filter {
	char **globs;
	int n;
};

static bool filter_split_match(const char *glob, const char *suite,
			       const char *kcase)
{
	const char *dot = strchr(glob, '.');
	char sglob[256];

	if (!dot)
		return !fnmatch(glob, suite, 0);
	snprintf(sglob, sizeof(sglob), "%.*s", (int)(dot - glob), glob);
	if (fnmatch(sglob, suite, 0))
		return false;
	return !kcase || !fnmatch(dot + 1, kcase, 0);
}

/* @kcase NULL: does any filter select (part of) @suite? */
static bool filter_match(const struct kunit_filter *f, const char *suite,
			 const char *kcase)
{
	int i;

	if (!f->n)
		return true;
	for (i = 0; i < f->n; i++)
		if (filter_split_match(f->globs[i], suite, kcase))
			return true;
	return false;
}

static size_t suite_count(void)
{
	if (!__start_kunit_suites || !__stop_kunit_suites)
		return 0;
	return __stop_kunit_suites - __start_kunit_suites;
}

static unsigned int selected_cases(const struct kunit_filter *f,
				   const struct kunit_suite *suite)
{
	const struct kunit_case *kc;
	unsigned int n = 0;

	for (kc = suite->test_cases; kc && kc->run_case; kc++)
		n += filter_match(f, suite->name, kc->name);
	return n;
}

/* Run @fn(@test, @data), catching an abort of the case. */
static noinline void kunit_try(struct kunit *test,
			       void (*fn)(struct kunit *test, void *data),
			       void *data)
{
	jmp_buf env;

	test->abort_env = &env;
	if (!setjmp(env))
		fn(test, data);
	test->abort_env = NULL;
}

struct kunit_run {
	const struct kunit_suite *suite;
	const struct kunit_case *kcase;
	bool init_ok;
};

static void kunit_run_body(struct kunit *test, void *data)
{
	struct kunit_run *run = data;
	int ret;

	if (run->suite->init) {
		ret = run->suite->init(test);
		if (ret) {
			kunit_err(test, "suite init() failed: %d", ret);
			kunit_set_failure(test);
			return;
		}
	}
	run->init_ok = true;
	run->kcase->run_case(test);
}

static void kunit_run_exit(struct kunit *test, void *data)
{
	struct kunit_run *run = data;

	if (run->init_ok && run->suite->exit)
		run->suite->exit(test);
}

static void kunit_run_actions(struct kunit *test, void *data)
{
	(void)data;
	kunit_run_deferred_actions(test);
}

static void kunit_print_result(int indent, unsigned int num, const char *name,
			       enum kunit_status status, const char *comment)
{
	printf("%*s%s %u %s", indent, "",
	       status == KUNIT_FAILURE ? "not ok" : "ok", num, name);
	if (status == KUNIT_SKIPPED)
		printf(" # SKIP%s%s", *comment ? " " : "", comment);
	printf("\n");
	fflush(stdout);
}

/* One leaf run: a case, or one parameter of a parameterised case. */
static enum kunit_status kunit_run_leaf(const struct kunit_suite *suite,
					const struct kunit_case *kcase,
					const char *name, const void *param,
					int indent, unsigned int num,
					struct kunit_totals *totals)
{
	struct kunit_run run = { .suite = suite, .kcase = kcase };
	struct kunit test = {
		.name = name,
		.param_value = param,
		.status = KUNIT_SUCCESS,
		.runner_thread = (unsigned long)pthread_self(),
		.indent = indent,
	};
	struct alloc_stats before, after;
	unsigned long warns;

	INIT_LIST_HEAD(&test.actions);
	fail_nth_set(0);
	alloc_stats_get(&before);
	warns = compat_warn_count();
	kunit_set_current_test(&test);

	kunit_try(&test, kunit_run_body, &run);
	kunit_try(&test, kunit_run_exit, &run);
	kunit_try(&test, kunit_run_actions, NULL);
	fail_nth_set(0);

	warns = compat_warn_count() - warns;
	if (warns != test.expected_warns) {
		kunit_err(&test, "%lu WARNing(s), %lu expected", warns,
			  test.expected_warns);
		kunit_set_failure(&test);
	}
	alloc_stats_get(&after);
	if (after.live_allocs != before.live_allocs ||
	    after.live_bytes != before.live_bytes) {
		kunit_err(&test, "leak: %lld allocations, %lld bytes",
			  (long long)(after.live_allocs - before.live_allocs),
			  (long long)(after.live_bytes - before.live_bytes));
		kunit_set_failure(&test);
	}
	kunit_set_current_test(NULL);

	switch (test.status) {
	case KUNIT_SUCCESS:
		totals->passed++;
		break;
	case KUNIT_FAILURE:
		totals->failed++;
		break;
	case KUNIT_SKIPPED:
		totals->skipped++;
		break;
	}
	kunit_print_result(indent, num, name, test.status, test.status_comment);
	return test.status;
}

static enum kunit_status kunit_run_params(const struct kunit_suite *suite,
					  const struct kunit_case *kcase,
					  unsigned int num,
					  struct kunit_totals *totals)
{
	int indent = 2 * KUNIT_INDENT;
	unsigned int i = 0, fails = 0, skips = 0;
	char desc[KUNIT_PARAM_DESC_SIZE];
	const void *param = NULL;
	enum kunit_status st;

	printf("%*sKTAP version 1\n%*s# Subtest: %s\n", indent, "", indent, "",
	       kcase->name);
	for (;;) {
		desc[0] = '\0';
		param = kcase->generate_params(param, desc);
		if (!param)
			break;
		if (!desc[0])
			snprintf(desc, sizeof(desc), "param-%u", i);
		st = kunit_run_leaf(suite, kcase, desc, param, indent, ++i,
				    totals);
		fails += st == KUNIT_FAILURE;
		skips += st == KUNIT_SKIPPED;
	}
	printf("%*s1..%u\n", indent, "", i);

	st = fails ? KUNIT_FAILURE :
	     skips == i ? KUNIT_SKIPPED : KUNIT_SUCCESS;
	kunit_print_result(KUNIT_INDENT, num, kcase->name, st,
			   i ? "" : "no parameters");
	return st;
}

static bool kunit_run_suite(struct kunit_suite *suite, unsigned int num,
			    const struct kunit_filter *f,
			    struct kunit_totals *totals)
{
	struct kunit_totals mine = { 0 };
	const struct kunit_case *kc;
	struct kunit_totals *t = &mine;
	unsigned int i = 0;
	int init_ret = 0;

	printf("%*sKTAP version 1\n%*s# Subtest: %s\n%*s1..%u\n",
	       KUNIT_INDENT, "", KUNIT_INDENT, "", suite->name,
	       KUNIT_INDENT, "", selected_cases(f, suite));
	fflush(stdout);

	if (suite->suite_init) {
		init_ret = suite->suite_init(suite);
		if (init_ret)
			printf("%*s# %s: suite_init() failed: %d\n",
			       KUNIT_INDENT, "", suite->name, init_ret);
	}

	for (kc = suite->test_cases; kc && kc->run_case; kc++) {
		if (!filter_match(f, suite->name, kc->name))
			continue;
		i++;
		if (init_ret) {
			t->failed++;
			kunit_print_result(KUNIT_INDENT, i, kc->name,
					   KUNIT_FAILURE, "");
		} else if (kc->generate_params) {
			kunit_run_params(suite, kc, i, t);
		} else {
			kunit_run_leaf(suite, kc, kc->name, NULL,
				       KUNIT_INDENT, i, t);
		}
	}

	if (suite->suite_exit && !init_ret)
		suite->suite_exit(suite);

	printf("# %s: pass:%lu fail:%lu skip:%lu total:%lu\n", suite->name,
	       t->passed, t->failed, t->skipped,
	       t->passed + t->failed + t->skipped);
	kunit_print_result(0, num, suite->name,
			   t->failed ? KUNIT_FAILURE : KUNIT_SUCCESS, "");
	totals->passed += t->passed;
	totals->failed += t->failed;
	totals->skipped += t->skipped;
	return !t->failed;
}

static void usage(FILE *out, const char *prog)
{
	fprintf(out,
		"usage: %s [-l | -L] [-s SUITE[.CASE]]... [SUITE[.CASE]]...\n"
		"\n"
		"Run the KUnit suites linked into this program; print KTAP.\n"
		"SUITE and CASE may be fnmatch() globs.\n"
		"\n"
		"  -s FILTER  run only what FILTER selects (repeatable; same as\n"
		"             a positional FILTER)\n"
		"  -l         list the suites (that the filters select)\n"
		"  -L         list the cases as SUITE.CASE\n"
		"  -h         this help\n"
		"\n"
		"Exit status: 0 all passed, 1 a case failed, 2 usage error or\n"
		"no case matched.\n", prog);
}

/**
 * main() - run the selected KUnit cases, or list them
 * @argc: argument count
 * @argv: options and filters; see usage()
 *
 * Return: 0 if every case passed (or on -l, -L, -h), 1 if a case failed,
 * 2 on a usage error or when no case matches.
 */
int main(int argc, char **argv)
{
	struct kunit_filter f = { 0 };
	struct kunit_totals totals = { 0 };
	size_t i, n = suite_count();
	int list = 0, opt, ret = 2;
	unsigned int nsuites = 0, ncases = 0, num = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	f.globs = calloc(argc, sizeof(*f.globs));
	if (!f.globs)
		return 2;

	while ((opt = getopt(argc, argv, "s:lLh")) != -1) {
		switch (opt) {
		case 's':
			f.globs[f.n++] = optarg;
			break;
		case 'l':
			list = 1;
			break;
		case 'L':
			list = 2;
			break;
		case 'h':
			usage(stdout, argv[0]);
			ret = 0;
			goto out;
		default:
			usage(stderr, argv[0]);
			goto out;
		}
	}
	while (optind < argc)
		f.globs[f.n++] = argv[optind++];

	for (i = 0; i < n; i++) {
		unsigned int c = selected_cases(&f, __start_kunit_suites[i]);

		nsuites += c > 0;
		ncases += c;
	}
	if (!ncases) {
		fprintf(stderr, "%s: no test case matches\n", argv[0]);
		goto out;
	}

	if (list) {
		for (i = 0; i < n; i++) {
			struct kunit_suite *s = __start_kunit_suites[i];
			const struct kunit_case *kc;

			if (!selected_cases(&f, s))
				continue;
			if (list == 1) {
				printf("%s\n", s->name);
				continue;
			}
			for (kc = s->test_cases; kc->run_case; kc++)
				if (filter_match(&f, s->name, kc->name))
					printf("%s.%s\n", s->name, kc->name);
		}
		ret = 0;
		goto out;
	}

	printf("KTAP version 1\n1..%u\n", nsuites);
	for (i = 0; i < n; i++) {
		struct kunit_suite *s = __start_kunit_suites[i];

		if (selected_cases(&f, s))
			kunit_run_suite(s, ++num, &f, &totals);
	}
	printf("# Totals: pass:%lu fail:%lu skip:%lu total:%lu\n",
	       totals.passed, totals.failed, totals.skipped,
	       totals.passed + totals.failed + totals.skipped);
	printf("%lu passed, %lu failed, %lu skipped\n", totals.passed,
	       totals.failed, totals.skipped);
	ret = totals.failed ? 1 : 0;
out:
	free(f.globs);
	return ret;
}
