/* ss7fw — the subcommands of the ss7fw binary (src/cli/). */
#ifndef SS7FW_CMD_H
#define SS7FW_CMD_H

int cmd_replay(int argc, char **argv);  /* ss7fw replay [-c CONFIG] [--stats] FILE... */
int cmd_check(int argc, char **argv);   /* ss7fw check -c CONFIG */
int cmd_run(int argc, char **argv);     /* ss7fw run -c CONFIG [--shadow] */
int cmd_learn(int argc, char **argv);   /* ss7fw learn [-c CONFIG] [-o DRAFT] FILE... */

#endif
