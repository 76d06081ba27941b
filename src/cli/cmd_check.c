/* ss7fw check -c CONFIG — validate a configuration and policy (like nginx -t):
 * exit 0 and "FILE: ok", or exit 1 and one "file:line: message" per error. */
#include <stdio.h>
#include <string.h>

#include "ss7fw/cmd.h"
#include "ss7fw/ops.h"
#include "ss7fw/policy.h"

int cmd_check(int argc, char **argv)
{
	const char *path = NULL;
	bool verbose = false;
	for (int i = 1; i < argc; i++) {
		if ((!strcmp(argv[i], "-c") || !strcmp(argv[i], "--config")) && i + 1 < argc)
			path = argv[++i];
		else if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "--verbose"))
			verbose = true;
		else {
			fprintf(stderr, "usage: ss7fw check -c CONFIG [-v]\n");
			return 2;
		}
	}
	if (!path) {
		fprintf(stderr, "usage: ss7fw check -c CONFIG [-v]\n");
		return 2;
	}
	int nerr = 0;
	struct policy *p = policy_load(path, stderr, &nerr);
	if (!p) {
		fprintf(stderr, "%s: %d error%s\n", path, nerr ? nerr : 1, nerr == 1 ? "" : "s");
		return 1;
	}
	nerr = evlog_check_settings(&p->settings, path, stderr);
	if (nerr) {
		fprintf(stderr, "%s: %d error%s\n", path, nerr, nerr == 1 ? "" : "s");
		policy_free(p);
		return 1;
	}
	printf("%s: ok\n", path);
	if (verbose) {
		uint32_t pfx = 0;
		for (uint32_t i = 0; i < p->n_lists; i++)
			pfx += p->lists[i].set->total;
		printf("  mode %s, default %s, malformed %s\n", p->cfg.shadow ? "shadow" : "enforce",
		       p->cfg.default_action == 0 ? "allow" : p->cfg.default_action == 1 ? "drop" : "reject",
		       p->cfg.malformed_action == 0 ? "allow" : p->cfg.malformed_action == 1 ? "drop" : "reject");
		printf("  %u rules, %u partners, %u links, %u lists (%u prefixes)\n",
		       p->n_rules, p->n_partners, p->n_links, p->n_lists, pfx);
	}
	policy_free(p);
	return 0;
}
