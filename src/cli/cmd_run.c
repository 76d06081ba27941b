/* ss7fw run — placeholder until implemented. */
#include <stdio.h>

#include "ss7fw/cmd.h"

int cmd_run(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "ss7fw run: not implemented yet\n");
	return 2;
}
