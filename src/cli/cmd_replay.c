/* ss7fw replay — placeholder until implemented. */
#include <stdio.h>

#include "ss7fw/cmd.h"

int cmd_replay(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "ss7fw replay: not implemented yet\n");
	return 2;
}
