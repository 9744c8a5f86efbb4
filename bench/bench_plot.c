// SPDX-License-Identifier: GPL-2.0
/*
 * physr bench --plot DIR: the results as charts.
 *
 * Writes, into DIR, the data and a gnuplot script, then runs gnuplot if
 * it is installed (it is not needed to build or test physr):
 *
 *   speedup.dat, speedup.svg   speed-up per case (baseline CPU time /
 *                              ours), a bar for each configuration:
 *                              no device pagemap, and /pgmap; at each
 *                              case's largest size
 *   scaling.dat, scaling.svg   CPU time per GiB against buffer size, ours
 *                              and the baseline's, for every case run at
 *                              more than one size (--sizes), less the
 *                              variants (<case>/...), which would crowd it
 *   plots.gp                   the script that draws both
 *
 * A case's configuration is its name: "<case>/pgmap" is <case> with a
 * device pagemap.  Figures are medians of thread CPU time, as the table's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <linux/kernel.h>

#include "bench/bench.h"

#define PGMAP_SUFFIX	"/pgmap"

static bool is_pgmap(const char *name)
{
	size_t n = strlen(name), s = strlen(PGMAP_SUFFIX);

	return n > s && !strcmp(name + n - s, PGMAP_SUFFIX);
}

/* A variant, "<case>/<variant>", where a case is "<what>/<layout>"? */
static bool is_variant(const char *name)
{
	const char *slash = strchr(name, '/');

	return slash && strchr(slash + 1, '/');
}

static double speedup(const struct bench_result *r)
{
	return r->cpu_ns ? (double)r->baseline_cpu_ns / r->cpu_ns : 0.0;
}

/* The result of @name at its largest size, or NULL. */
static const struct bench_result *largest(const struct bench_result *res,
					  unsigned int n, const char *name)
{
	const struct bench_result *best = NULL;
	unsigned int i;

	for (i = 0; i < n; i++)
		if (res[i].baseline && !strcmp(res[i].name, name) &&
		    (!best || res[i].size_bytes > best->size_bytes))
			best = &res[i];
	return best;
}

/* First index of a result named @name (at any size), or @i itself. */
static bool first_of_name(const struct bench_result *res, unsigned int i)
{
	unsigned int j;

	for (j = 0; j < i; j++)
		if (!strcmp(res[j].name, res[i].name))
			return false;
	return true;
}

static void write_speedup(FILE *f, const struct bench_result *res,
			  unsigned int n)
{
	unsigned int i;

	fprintf(f, "# case  speed-up(no pagemap)  speed-up(/pgmap)\n");
	for (i = 0; i < n; i++) {
		const struct bench_result *plain, *pg;
		char pgname[128];

		if (!res[i].baseline || is_pgmap(res[i].name) ||
		    !first_of_name(res, i))
			continue;
		plain = largest(res, n, res[i].name);
		snprintf(pgname, sizeof(pgname), "%s" PGMAP_SUFFIX, res[i].name);
		pg = largest(res, n, pgname);
		fprintf(f, "\"%s\" %.3f ", res[i].name, speedup(plain));
		if (pg)
			fprintf(f, "%.3f\n", speedup(pg));
		else
			fprintf(f, "NaN\n");
	}
	/* /pgmap cases run without their plain one. */
	for (i = 0; i < n; i++) {
		char base[128];
		unsigned int j;
		bool found = false;

		if (!res[i].baseline || !is_pgmap(res[i].name) ||
		    !first_of_name(res, i))
			continue;
		snprintf(base, sizeof(base), "%.*s",
			 (int)(strlen(res[i].name) - strlen(PGMAP_SUFFIX)),
			 res[i].name);
		for (j = 0; j < n; j++)
			found |= !strcmp(res[j].name, base);
		if (!found)
			fprintf(f, "\"%s\" NaN %.3f\n", base,
				speedup(largest(res, n, res[i].name)));
	}
}

/*
 * One block per case run at several sizes: size in MiB, then ours and
 * the baseline's CPU milliseconds per GiB.  Returns the number of blocks;
 * their names go to @names.
 */
static unsigned int write_scaling(FILE *f, const struct bench_result *res,
				  unsigned int n, const char **names,
				  unsigned int max)
{
	unsigned int i, j, blocks = 0;

	for (i = 0; i < n && blocks < max; i++) {
		unsigned int sizes = 0;

		if (!res[i].baseline || !first_of_name(res, i) ||
		    is_variant(res[i].name))
			continue;
		for (j = i; j < n; j++)
			sizes += !strcmp(res[j].name, res[i].name);
		if (sizes < 2)
			continue;
		fprintf(f, "%s# %s\n# MiB  ours_ms_per_GiB  baseline_ms_per_GiB\n",
			blocks ? "\n\n" : "", res[i].name);
		for (j = i; j < n; j++) {
			double gib = (double)res[j].size_bytes / (1ULL << 30);

			if (strcmp(res[j].name, res[i].name))
				continue;
			fprintf(f, "%llu %.4f %.4f\n",
				(unsigned long long)(res[j].size_bytes >> 20),
				res[j].cpu_ns / 1e6 / gib,
				res[j].baseline_cpu_ns / 1e6 / gib);
		}
		names[blocks++] = res[i].name;
	}
	return blocks;
}

static void write_script(FILE *f, const char **names, unsigned int blocks)
{
	unsigned int b;

	fprintf(f,
		"# physr bench --plot: run in this directory with gnuplot\n"
		"set terminal svg size 1100,600 dynamic font 'sans,11'\n"
		"set output 'speedup.svg'\n"
		"set title 'physr against the scatterlist baselines (thread CPU time, medians)'\n"
		"set style data histograms\n"
		"set style histogram clustered gap 1\n"
		"set style fill solid 0.85 border -1\n"
		"set logscale y\n"
		"set yrange [0.01:*]\n"
		"set format y '%%g'\n"
		"set bmargin 12\n"
		"set rmargin 10\n"
		"set grid ytics\n"
		"set ylabel 'speed-up: baseline / physr'\n"
		"set xtics rotate by -40 nomirror\n"
		"set key top left\n"
		"plot 'speedup.dat' using 2:xtic(1) title 'no device pagemap, P2PDMA off', \\\n"
		"     '' using 3 title '/pgmap: device pagemap, P2PDMA on'\n");
	if (!blocks)
		return;
	fprintf(f,
		"\nreset\n"
		"set terminal svg size 1100,700 dynamic font 'sans,11'\n"
		"set output 'scaling.svg'\n"
		"set title 'CPU time per GiB against buffer size (medians; dashed: baseline)'\n"
		"set logscale xy 2\n"
		"set format y '%%g'\n"
		"set grid\n"
		"set xlabel 'buffer size (MiB)'\n"
		"set ylabel 'ms per GiB'\n"
		"set key outside right vertical\n"
		"plot ");
	for (b = 0; b < blocks; b++)
		fprintf(f,
			"%s'scaling.dat' index %u using 1:2 with linespoints lc %u pt 7 title '%s', \\\n"
			"     'scaling.dat' index %u using 1:3 with linespoints lc %u dt 2 pt 6 title '%s baseline'",
			b ? ", \\\n     " : "", b, b + 1, names[b], b, b + 1,
			names[b]);
	fprintf(f, "\n");
}

static FILE *open_in(const char *dir, const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		fprintf(stderr, "physr bench: cannot write %s: %s\n", path,
			strerror(errno));
	return f;
}

/**
 * bench_plot() - write the results' charts into a directory
 * @dir: the directory; made if missing
 * @res: the results
 * @n: how many
 *
 * Return: 0, or -1 (and a message) if a file could not be written or
 * gnuplot failed.  A missing gnuplot is only reported.
 */
int bench_plot(const char *dir, const struct bench_result *res, unsigned int n)
{
	const char *names[32];
	unsigned int blocks;
	char cmd[4200];
	FILE *f;

	if (mkdir(dir, 0777) && errno != EEXIST) {
		fprintf(stderr, "physr bench: cannot make %s: %s\n", dir,
			strerror(errno));
		return -1;
	}
	f = open_in(dir, "speedup.dat");
	if (!f)
		return -1;
	write_speedup(f, res, n);
	fclose(f);
	f = open_in(dir, "scaling.dat");
	if (!f)
		return -1;
	blocks = write_scaling(f, res, n, names, ARRAY_SIZE(names));
	fclose(f);
	f = open_in(dir, "plots.gp");
	if (!f)
		return -1;
	write_script(f, names, blocks);
	fclose(f);

	if (system("command -v gnuplot >/dev/null 2>&1")) {
		fprintf(stderr, "physr bench: gnuplot is not installed; %s/plots.gp draws the charts\n",
			dir);
		return 0;
	}
	snprintf(cmd, sizeof(cmd), "cd '%s' && gnuplot plots.gp", dir);
	if (system(cmd)) {
		fprintf(stderr, "physr bench: gnuplot failed in %s\n", dir);
		return -1;
	}
	return 0;
}
