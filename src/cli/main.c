/* ss7fw — the command line: dispatch to a subcommand. */
#include <stdio.h>
#include <string.h>

#include "ss7fw/cmd.h"

#ifndef SS7FW_VERSION
#define SS7FW_VERSION "0.1.0"
#endif

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ss7fw COMMAND [OPTIONS]\n"
		"  replay [-c CONFIG] [--stats] FILE...   decode (and screen) pcap/pcapng captures, one JSON line per MSU\n"
		"  check -c CONFIG                        validate a configuration and policy\n"
		"  run -c CONFIG [--shadow]               run the inline M3UA relay\n"
		"  learn [-c CONFIG] [-o DRAFT] FILE...   learn partners, SMSCs and operations from captures\n"
		"                                         or JSON records; write a draft policy\n"
		"  version                                print the version\n"
		"See ss7fw(8).\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	const char *c = argv[1];
	if (!strcmp(c, "replay"))
		return cmd_replay(argc - 1, argv + 1);
	if (!strcmp(c, "check"))
		return cmd_check(argc - 1, argv + 1);
	if (!strcmp(c, "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(c, "learn"))
		return cmd_learn(argc - 1, argv + 1);
	if (!strcmp(c, "version") || !strcmp(c, "--version")) {
		printf("ss7fw %s\n", SS7FW_VERSION);
		return 0;
	}
	if (!strcmp(c, "help") || !strcmp(c, "--help") || !strcmp(c, "-h")) {
		usage(stdout);
		return 0;
	}
	fprintf(stderr, "ss7fw: unknown command '%s'\n", c);
	usage(stderr);
	return 2;
}
