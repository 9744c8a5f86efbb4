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
#include <linux/pci.h>
#include <linux/pci-p2pdma.h>
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

/**
 * bench_machine_boot() - boot the machine a case runs on
 * @cfg: the case's configuration; with @cfg->pgmap, BENCH_PGMAP_BYTES of
 *	BENCH_PGMAP_DEV's BAR BENCH_PGMAP_BAR get struct pages
 *	(pci_p2pdma_add_resource()), as a P2PDMA provider's would, and live
 *	until machine_shutdown() removes the device
 *
 * Return: 0, or a negative errno (the machine is shut down again).
 */
int bench_machine_boot(const struct bench_config *cfg)
{
	struct pci_dev *pdev;
	int ret;

	ret = machine_boot(NULL);
	if (ret || !cfg->pgmap)
		return ret;
	pdev = pci_get_by_name(BENCH_PGMAP_DEV);
	if (!pdev) {
		ret = -ENODEV;
	} else {
		ret = pci_p2pdma_add_resource(pdev, BENCH_PGMAP_BAR,
					      BENCH_PGMAP_BYTES, 0);
		pci_dev_put(pdev);
	}
	if (!ret && !pci_p2pdma_pages_exist())
		ret = -EIO;
	if (ret)
		machine_shutdown();
	return ret;
}

/* Boot again, in @cfg's configuration; false (and a message) on failure. */
static bool bench_reboot(const struct bench_config *cfg)
{
	int ret;

	machine_shutdown();
	ret = bench_machine_boot(cfg);
	if (ret)
		fprintf(stderr, "physr bench: cannot boot the machine%s: %s\n",
			cfg->pgmap ? " with a device pagemap" : "",
			strerror(-ret));
	return !ret;
}

/* How far apart wall clock and CPU time may be before bench_check_cpu() warns. */
#define BENCH_WALL_CPU_PCT	20

/* Percent by which @wall and @cpu differ, relative to @cpu. */
static u64 bench_wall_cpu_pct(u64 wall, u64 cpu)
{
	u64 d = wall > cpu ? wall - cpu : cpu - wall;

	return cpu ? d * 100 / cpu : (wall ? 100 : 0);
}

/*
 * Warn when a side's median wall-clock time and median CPU time disagree
 * by more than BENCH_WALL_CPU_PCT: the thread was preempted or waited,
 * so the machine was busy, and only the CPU-time figures are usable.
 */
static void bench_check_cpu(const struct bench_result *r)
{
	u64 pct = bench_wall_cpu_pct(r->median_ns, r->cpu_ns);
	u64 bpct = r->baseline ?
		bench_wall_cpu_pct(r->baseline_median_ns, r->baseline_cpu_ns) : 0;

	if (pct > BENCH_WALL_CPU_PCT || bpct > BENCH_WALL_CPU_PCT)
		fprintf(stderr,
			"physr bench: warning: %s at %llu MiB: wall clock and "
			"CPU time differ by %llu%% (ours), %llu%% (baseline); "
			"is the machine busy?  Ratios are from CPU time\n",
			r->name, (unsigned long long)(r->size_bytes >> 20),
			(unsigned long long)pct, (unsigned long long)bpct);
}

static void bench_print_json(const struct bench_result *res, unsigned int n)
{
	unsigned int i, c;

	printf("{\"cases\": [");
	for (i = 0; i < n; i++) {
		const struct bench_result *r = &res[i];

		printf("%s\n  {\"name\": \"%s\", \"size_bytes\": %llu, "
		       "\"median_ns\": %llu, ", i ? "," : "", r->name,
		       (unsigned long long)r->size_bytes,
		       (unsigned long long)r->median_ns);
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

	printf("%-24s %6s %12s %12s %12s %12s %8s  %s\n", "case", "MiB",
	       "median_ns", "baseline_ns", "cpu_ns", "base_cpu_ns", "speedup",
	       "counters");
	for (i = 0; i < n; i++) {
		const struct bench_result *r = &res[i];

		printf("%-24s %6llu %12llu ", r->name,
		       (unsigned long long)(r->size_bytes >> 20),
		       (unsigned long long)r->median_ns);
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
	printf("configurations: <case> has no device pagemap and baselines as "
	       "Debian's 6.12 config (CONFIG_PCI_P2PDMA unset);\n"
	       "<case>/pgmap has %llu MiB of %s's BAR%d with struct pages and "
	       "baselines with CONFIG_PCI_P2PDMA=y\n",
	       BENCH_PGMAP_BYTES >> 20, BENCH_PGMAP_DEV, BENCH_PGMAP_BAR);
	printf("baselines (medians of %u runs each, interleaved with ours):\n",
	       n ? res[0].runs : 0);
	for (i = 0; i < n; i++)
		if (res[i].baseline)
			printf("  %-24s %s: %s\n", res[i].name, res[i].baseline,
			       res[i].baseline_how ? res[i].baseline_how : "");
}

static void bench_usage(FILE *f)
{
	fprintf(f,
		"usage: physr bench [--quick] [--json] [--runs N] [--sizes S,...]\n"
		"                   [--plot DIR] [--list] [CASE...]\n"
		"\n"
		"Measures physr against the scatterlist baselines in one run and\n"
		"prints medians, speed-ups and exact counters.  CASE selects cases\n"
		"by name prefix (e.g. build/ or iterate/4k).\n"
		"\n"
		"  --quick      small buffers and few runs (a smoke test for CI)\n"
		"  --json       print one JSON object instead of the table\n"
		"  --runs N     timed runs per operation (default %u, quick %u)\n"
		"  --sizes S,.. run every case at each buffer size (K, M, G\n"
		"               suffixes: --sizes 64M,256M,1G,4G)\n"
		"  --plot DIR   also write the results as gnuplot data and script\n"
		"               to DIR, and the SVG charts if gnuplot is installed\n"
		"  --list       list the cases and exit\n",
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

#define BENCH_MAX_SIZES		8

/*
 * Parse --sizes: comma-separated sizes with an optional K, M or G suffix,
 * each a whole number of 2 MiB (the cases' folios) and at least 2 MiB.
 * Returns how many, or 0 on a malformed list.
 */
static unsigned int bench_parse_sizes(const char *arg, u64 *sizes)
{
	unsigned int n = 0;
	const char *p = arg;

	while (*p) {
		char *endp;
		u64 v = strtoull(p, &endp, 0);

		switch (*endp) {
		case 'G': case 'g':
			v <<= 10;
			fallthrough;
		case 'M': case 'm':
			v <<= 10;
			fallthrough;
		case 'K': case 'k':
			v <<= 10;
			endp++;
			break;
		}
		if (endp == p || n == BENCH_MAX_SIZES || !v ||
		    !IS_ALIGNED(v, SZ_2M) || (*endp && *endp != ','))
			return 0;
		sizes[n++] = v;
		p = *endp ? endp + 1 : endp;
	}
	return n;
}

/* The cases a run selects, in order. */
static unsigned int bench_collect(const struct bench_case **out,
				  unsigned int max, int nr_filters,
				  char **filters)
{
	unsigned int l, n = 0;

	for (l = 0; l < ARRAY_SIZE(bench_case_lists); l++) {
		const struct bench_case *c;

		for (c = bench_case_lists[l]; c->name; c++)
			if (n < max && bench_selected(c->name, nr_filters, filters))
				out[n++] = c;
	}
	return n;
}

/*
 * Run @c at @cfg's size in its configuration: a /pgmap case gets a
 * machine with a device pagemap, and the machine is booted back without
 * one afterwards.  Returns 0 or the case's negative errno.
 */
static int bench_run_case(const struct bench_case *c,
			  const struct bench_config *base,
			  struct bench_result *res)
{
	struct bench_config cfg = *base;
	int ret;

	cfg.pgmap = c->flags & BENCH_PGMAP;
	if (cfg.pgmap && !bench_reboot(&cfg))
		return -EIO;
	if (isatty(STDERR_FILENO))
		fprintf(stderr, "\rphysr bench: %-24s %6llu MiB", c->name,
			(unsigned long long)(cfg.bytes >> 20));
	res->name = c->name;
	res->size_bytes = cfg.bytes;
	ret = c->run(&cfg, res);
	if (cfg.pgmap && !bench_reboot(base) && !ret)
		ret = -EIO;
	if (!ret)
		bench_check_cpu(res);
	return ret;
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
		{ "sizes", required_argument, NULL, 's' },
		{ "plot", required_argument, NULL, 'p' },
		{ "list", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct bench_config cfg = { .runs = 0 };
	const struct bench_case *cases[128];
	u64 sizes[BENCH_MAX_SIZES];
	struct bench_result *res;
	const char *plot_dir = NULL;
	bool json = false, list = false;
	unsigned int n = 0, nr_cases, nr_sizes = 0, i, s;
	int opt, status = 0;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "qjr:s:p:lh", opts, NULL)) != -1) {
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
		case 's':
			nr_sizes = bench_parse_sizes(optarg, sizes);
			if (!nr_sizes) {
				fprintf(stderr, "physr bench: --sizes wants up to %d sizes, multiples of 2M, as 64M,256M,1G\n",
					BENCH_MAX_SIZES);
				return 2;
			}
			break;
		case 'p':
			plot_dir = optarg;
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
	if (!nr_sizes) {
		sizes[0] = cfg.quick ? BENCH_BYTES_QUICK : BENCH_BYTES_FULL;
		nr_sizes = 1;
	}

	nr_cases = bench_collect(cases, ARRAY_SIZE(cases), argc - optind,
				 argv + optind);
	if (list) {
		for (i = 0; i < nr_cases; i++)
			printf("%s\n", cases[i]->name);
		return 0;
	}

	/*
	 * Keep freed heap memory in the process, as the kernel's slab keeps
	 * its pages: otherwise glibc hands the chunks of one run back to the
	 * host and the next run of either side pays host page faults, which
	 * measures the host rather than the algorithms.
	 */
	mallopt(M_MMAP_THRESHOLD, 256 << 20);
	mallopt(M_TRIM_THRESHOLD, 1 << 30);

	res = calloc(nr_cases * nr_sizes + 1, sizeof(*res));
	if (!res)
		return 1;
	cfg.bytes = sizes[0];
	status = bench_machine_boot(&cfg);
	if (status) {
		fprintf(stderr, "physr bench: cannot boot the machine: %s\n",
			strerror(-status));
		free(res);
		return 1;
	}
	for (i = 0; i < nr_cases; i++) {
		for (s = 0; s < nr_sizes; s++) {
			int ret;

			cfg.bytes = sizes[s];
			ret = bench_run_case(cases[i], &cfg, &res[n]);
			if (ret) {
				fprintf(stderr, "physr bench: %s at %llu MiB failed: %s\n",
					cases[i]->name,
					(unsigned long long)(sizes[s] >> 20),
					strerror(-ret));
				memset(&res[n], 0, sizeof(res[n]));
				status = 1;
				continue;
			}
			n++;
		}
	}
	if (isatty(STDERR_FILENO))
		fprintf(stderr, "\r%50s\r", "");
	if (json)
		bench_print_json(res, n);
	else
		bench_print_table(res, n);
	if (plot_dir && bench_plot(plot_dir, res, n))
		status = 1;
	machine_shutdown();
	free(res);
	return status;
}
