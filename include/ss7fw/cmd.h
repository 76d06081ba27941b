/* ss7fw — the subcommands of the ss7fw binary (src/cli/). */
#ifndef SS7FW_CMD_H
#define SS7FW_CMD_H

#include <stddef.h>

int cmd_replay(int argc, char **argv);  /* ss7fw replay [-c CONFIG] [--stats] FILE... */
int cmd_check(int argc, char **argv);   /* ss7fw check -c CONFIG */
int cmd_run(int argc, char **argv);     /* ss7fw run -c CONFIG [--shadow] */
int cmd_learn(int argc, char **argv);   /* ss7fw learn [-c CONFIG] [-o DRAFT] FILE... */

int cmd_partners(int argc, char **argv); /* ss7fw partners import [-o FILE] CSV */

struct sockaddr;
/* "ip:port", IPv6 in brackets, into out (NUL-terminated); returns the
 * length written (src/cli/cmd_replay.c). */
size_t cmd_fmt_addr(char *out, size_t cap, const struct sockaddr *sa);

#endif
