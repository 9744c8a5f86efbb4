// SPDX-License-Identifier: GPL-2.0
/*
 * physr bench: timing, medians and output.
 *
 * Every case runs its operations in alternation, ours then the baseline,
 * cfg->runs times each, after two untimed warm-up runs of each (the second
 * sizes the samples, bench_reps()); the figure
 * reported is the median.  Each sample is timed twice: by the wall clock
 * and by the thread's CPU clock; the machines are shared, so ratios are
 * read from CPU time (time the thread was preempted is not in it).
 * Output is a table by default and one JSON object with --json:
 *
 *   {"cases": [{"name": "build/4k", "median_ns": ..., "baseline": "...",
 *               "baseline_median_ns": ..., "cpu_ns": ...,
 *               "baseline_cpu_ns": ..., "runs": ..., <counters>}, ...]}
 */
#include <getopt.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "arch/sim/boot.h"
#include "bench/bench.h"

#define BENCH_RUNS_FULL		15
#define BENCH_RUNS_QUICK	3
#define BENCH_BYTES_FULL	SZ_1G
#define BENCH_BYTES_QUICK	(64 * SZ_1M)

static const struct bench_case *const bench_case_lists[] = {
	bench_build_cases,
	bench_pin_cases,
	bench_iommu_cases,
	bench_dma_cases,
	bench_dmabuf_cases,
	bench_vfio_cases,
};

/**
 * bench_now_ns() - a monotonic clock in nanoseconds
 */
u64 bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/**
 * bench_cpu_now_ns() - the calling thread's CPU time in nanoseconds
 */
u64 bench_cpu_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int bench_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/**
 * bench_median() - the median of samples
 * @samples: the samples, sorted in place
 * @n: how many, > 0
 *
 * Return: the middle one, or the mean of the middle two.
 */
u64 bench_median(u64 *samples, unsigned int n)
{
	qsort(samples, n, sizeof(*samples), bench_cmp_u64);
	return n % 2 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2;
}

/*
 * Operations shorter than this are run several times back to back per
 * sample, so that reading the clocks is not part of what is measured:
 * the monotonic clock costs some 20 ns, but the thread CPU clock is a
 * system call, about 1.3 us on the development VM.
 */
#define BENCH_SAMPLE_NS	100000

/**
 * bench_reps() - how many runs make one sample of an operation
 * @warm_ns: the time of one warm run
 *
 * Return: 1 for an operation of BENCH_SAMPLE_NS or more, else enough runs
 * to take about that long (at most 1000).
 */
unsigned int bench_reps(u64 warm_ns)
{
	u64 reps = BENCH_SAMPLE_NS / (warm_ns ?: 1);

	return clamp_t(u64, reps, 1, 1000);
}

/**
 * bench_sample() - one sample: @reps runs back to back, per run
 * @run: the operation
 * @arg: its argument
 * @reps: from bench_reps()
 * @cpu_ns: if not NULL, set to the thread CPU time per run
 *
 * Return: wall-clock nanoseconds per run.
 */
u64 bench_sample(void (*run)(void *arg), void *arg, unsigned int reps,
		 u64 *cpu_ns)
{
	u64 start, cpu_start = 0;
	unsigned int i;

	if (cpu_ns)
		cpu_start = bench_cpu_now_ns();
	start = bench_now_ns();
	for (i = 0; i < reps; i++)
		run(arg);
	if (cpu_ns)
		*cpu_ns = (bench_cpu_now_ns() - cpu_start) / reps;
	return (bench_now_ns() - start) / reps;
}

/* One sample of @op; an op with an untimed reset runs once per sample. */
static u64 bench_once(const struct bench_op *op, unsigned int reps,
		      u64 *cpu_ns)
{
	u64 ns;

	ns = bench_sample(op->run, op->arg, op->reset ? 1 : reps, cpu_ns);
	if (op->reset)
		op->reset(op->arg);
	return ns;
}

/**
 * bench_time() - time our operation against a baseline, interleaved
 * @cfg: the run's configuration
 * @res: receives the medians (wall clock and CPU time) and the run count
 * @ours: our operation
 * @baseline: the baseline, or NULL
 */
void bench_time(const struct bench_config *cfg, struct bench_result *res,
		const struct bench_op *ours, const struct bench_op *baseline)
{
	/* Wall clock and CPU time of ours, then of the baseline. */
	u64 *t = calloc(4 * cfg->runs, sizeof(*t));
	u64 *a = t, *a_cpu = t + cfg->runs;
	u64 *b = t + 2 * cfg->runs, *b_cpu = t + 3 * cfg->runs;
	unsigned int i, reps_a, reps_b = 1;

	if (!t) {
		fprintf(stderr, "physr bench: out of memory\n");
		exit(1);
	}
	/* A warm-up run of each, then a warm run to size the samples. */
	bench_once(ours, 1, NULL);
	reps_a = bench_reps(bench_once(ours, 1, NULL));
	if (baseline) {
		bench_once(baseline, 1, NULL);
		reps_b = bench_reps(bench_once(baseline, 1, NULL));
	}
	for (i = 0; i < cfg->runs; i++) {
		a[i] = bench_once(ours, reps_a, &a_cpu[i]);
		if (baseline)
			b[i] = bench_once(baseline, reps_b, &b_cpu[i]);
	}
	res->runs = cfg->runs;
	res->median_ns = bench_median(a, cfg->runs);
	res->cpu_ns = bench_median(a_cpu, cfg->runs);
	if (baseline) {
		res->baseline_median_ns = bench_median(b, cfg->runs);
		res->baseline_cpu_ns = bench_median(b_cpu, cfg->runs);
	}
	free(t);
}

/**
 * bench_counter() - record an exact counter of a case
 * @res: the case's result
 * @key: JSON key, e.g. "bytes"
 * @value: the value
 */
void bench_counter(struct bench_result *res, const char *key, u64 value)
{
	if (res->nr_counters < BENCH_MAX_COUNTERS)
		res->counters[res->nr_counters++] = (struct bench_counter){ key, value };
}

static void bench_print_json(const struct bench_result *res, unsigned int n)
{
	unsigned int i, c;

	printf("{\"cases\": [");
	for (i = 0; i < n; i++) {
		const struct bench_result *r = &res[i];

		printf("%s\n  {\"name\": \"%s\", \"median_ns\": %llu, ",
		       i ? "," : "", r->name, (unsigned long long)r->median_ns);
		if (r->baseline)
			printf("\"baseline\": \"%s\", \"baseline_median_ns\": %llu, ",
			       r->baseline,
			       (unsigned long long)r->baseline_median_ns);
		else
			printf("\"baseline\": null, \"baseline_median_ns\": null, ");
		printf("\"cpu_ns\": %llu, ", (unsigned long long)r->cpu_ns);
		if (r->baseline)
			printf("\"baseline_cpu_ns\": %llu, ",
			       (unsigned long long)r->baseline_cpu_ns);
		else
			printf("\"baseline_cpu_ns\": null, ");
		printf("\"runs\": %u", r->runs);
		for (c = 0; c < r->nr_counters; c++)
			printf(", \"%s\": %llu", r->counters[c].key,
			       (unsigned long long)r->counters[c].value);
		printf("}");
	}
	printf("\n]}\n");
}

static void bench_print_table(const struct bench_result *res, unsigned int n)
{
	unsigned int i, c;

	printf("%-18s %12s %12s %12s %12s %8s  %s\n", "case", "median_ns",
	       "baseline_ns", "cpu_ns", "base_cpu_ns", "speedup", "counters");
	for (i = 0; i < n; i++) {
		const struct bench_result *r = &res[i];

		printf("%-18s %12llu ", r->name, (unsigned long long)r->median_ns);
		if (r->baseline)
			printf("%12llu %12llu %12llu %7.2fx  ",
			       (unsigned long long)r->baseline_median_ns,
			       (unsigned long long)r->cpu_ns,
			       (unsigned long long)r->baseline_cpu_ns,
			       r->cpu_ns ? (double)r->baseline_cpu_ns /
					   r->cpu_ns : 0.0);
		else
			printf("%12s %12llu %12s %8s  ", "-",
			       (unsigned long long)r->cpu_ns, "-", "-");
		for (c = 0; c < r->nr_counters; c++)
			printf("%s%s=%llu", c ? " " : "", r->counters[c].key,
			       (unsigned long long)r->counters[c].value);
		printf("\n");
	}
	printf("\nspeedup: baseline CPU time / ours (thread CPU time, medians)\n");
	printf("baselines (medians of %u runs each, interleaved with ours):\n",
	       n ? res[0].runs : 0);
	for (i = 0; i < n; i++)
		if (res[i].baseline)
			printf("  %-18s %s: %s\n", res[i].name, res[i].baseline,
			       res[i].baseline_how ? res[i].baseline_how : "");
}

static void bench_usage(FILE *f)
{
	fprintf(f,
		"usage: physr bench [--quick] [--json] [--runs N] [--list] [CASE...]\n"
		"\n"
		"Measures physr against the scatterlist baselines in one run and\n"
		"prints medians, speed-ups and exact counters.  CASE selects cases\n"
		"by name prefix (e.g. build/ or iterate/4k).\n"
		"\n"
		"  --quick    small buffers and few runs (a smoke test for CI)\n"
		"  --json     print one JSON object instead of the table\n"
		"  --runs N   timed runs per operation (default %u, quick %u)\n"
		"  --list     list the cases and exit\n",
		BENCH_RUNS_FULL, BENCH_RUNS_QUICK);
}

static bool bench_selected(const char *name, int nr_filters, char **filters)
{
	int i;

	if (!nr_filters)
		return true;
	for (i = 0; i < nr_filters; i++)
		if (!strncmp(name, filters[i], strlen(filters[i])))
			return true;
	return false;
}

/**
 * bench_main() - the `physr bench` command
 * @argc: argument count, argv[0] being "bench"
 * @argv: arguments
 *
 * Return: the process exit status.
 */
int bench_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "quick", no_argument, NULL, 'q' },
		{ "json", no_argument, NULL, 'j' },
		{ "runs", required_argument, NULL, 'r' },
		{ "list", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct bench_config cfg = { .runs = 0 };
	struct bench_result *res;
	bool json = false, list = false;
	unsigned int n = 0, l;
	int opt, status = 0;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "qjr:lh", opts, NULL)) != -1) {
		switch (opt) {
		case 'q':
			cfg.quick = true;
			break;
		case 'j':
			json = true;
			break;
		case 'r':
			cfg.runs = strtoul(optarg, NULL, 0);
			if (!cfg.runs) {
				fprintf(stderr, "physr bench: --runs needs a positive number\n");
				return 2;
			}
			break;
		case 'l':
			list = true;
			break;
		case 'h':
			bench_usage(stdout);
			return 0;
		default:
			bench_usage(stderr);
			return 2;
		}
	}
	if (!cfg.runs)
		cfg.runs = cfg.quick ? BENCH_RUNS_QUICK : BENCH_RUNS_FULL;
	cfg.bytes = cfg.quick ? BENCH_BYTES_QUICK : BENCH_BYTES_FULL;

	/*
	 * Keep freed heap memory in the process, as the kernel's slab keeps
	 * its pages: otherwise glibc hands the chunks of one run back to the
	 * host and the next run of either side pays host page faults, which
	 * measures the host rather than the algorithms.
	 */
	mallopt(M_MMAP_THRESHOLD, 256 << 20);
	mallopt(M_TRIM_THRESHOLD, 1 << 30);

	res = calloc(64, sizeof(*res));
	if (!res)
		return 1;
	status = machine_boot(NULL);
	if (status) {
		fprintf(stderr, "physr bench: cannot boot the machine: %s\n",
			strerror(-status));
		free(res);
		return 1;
	}
	for (l = 0; l < ARRAY_SIZE(bench_case_lists); l++) {
		const struct bench_case *c;

		for (c = bench_case_lists[l]; c->name; c++) {
			int ret;

			if (!bench_selected(c->name, argc - optind, argv + optind))
				continue;
			if (list) {
				printf("%s\n", c->name);
				continue;
			}
			if (isatty(STDERR_FILENO))
				fprintf(stderr, "\rphysr bench: %-24s", c->name);
			res[n].name = c->name;
			ret = c->run(&cfg, &res[n]);
			if (ret) {
				fprintf(stderr, "physr bench: %s failed: %s\n",
					c->name, strerror(-ret));
				status = 1;
				continue;
			}
			n++;
		}
	}
	if (isatty(STDERR_FILENO))
		fprintf(stderr, "\r%40s\r", "");
	if (!list) {
		if (json)
			bench_print_json(res, n);
		else
			bench_print_table(res, n);
	}
	machine_shutdown();
	free(res);
	return status;
}
