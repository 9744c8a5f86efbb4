// SPDX-License-Identifier: GPL-2.0
/*
 * physr: the command.  Subcommands in the manner of perf: each has -h, is
 * quiet by default, and those that measure can print JSON.
 */
#include <stdio.h>
#include <string.h>

#include "bench/bench.h"
#include "tools/physr/physr.h"

struct physr_cmd {
	const char *name;
	const char *summary;
	int (*main)(int argc, char **argv);
};

static const struct physr_cmd physr_cmds[] = {
	{ "demo", "describe a fragmented 1 GiB buffer with a range list", demo_main },
	{ "bench", "measure physr against the scatterlist baselines", bench_main },
	{ "topo", "show the PCI fabric, IOMMU groups and P2P map types", topo_main },
};

static void physr_usage(FILE *f)
{
	unsigned int i;

	fprintf(f,
		"usage: physr [--help] COMMAND [ARGS]\n"
		"\n"
		"physr describes memory as lists of physical ranges instead of\n"
		"scatterlists, on a simulated machine.  Commands:\n\n");
	for (i = 0; i < sizeof(physr_cmds) / sizeof(physr_cmds[0]); i++)
		fprintf(f, "  %-8s %s\n", physr_cmds[i].name,
			physr_cmds[i].summary);
	fprintf(f, "\nWith no command, physr runs demo.  "
		"`physr COMMAND -h` describes a command.\n");
}

int main(int argc, char **argv)
{
	unsigned int i;

	if (argc < 2)
		return demo_main(1, (char *[]){ "demo", NULL });
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		physr_usage(stdout);
		return 0;
	}
	for (i = 0; i < sizeof(physr_cmds) / sizeof(physr_cmds[0]); i++)
		if (!strcmp(argv[1], physr_cmds[i].name))
			return physr_cmds[i].main(argc - 1, argv + 1);
	fprintf(stderr, "physr: unknown command '%s'\n\n", argv[1]);
	physr_usage(stderr);
	return 2;
}
