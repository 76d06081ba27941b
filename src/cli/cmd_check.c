/* ss7fw check — placeholder until implemented. */
#include <stdio.h>

#include "ss7fw/cmd.h"

int cmd_check(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "ss7fw check: not implemented yet\n");
	return 2;
}
