/* msu_hex — prints M3UA DATA messages of the test world as hex, one per
 * line, for test peers written in shell or Python:
 *   msu_hex sri|rsds MSISDN SLS   an SRI-SM from partner-a's SMSC, or the
 *                                 reportSM-DeliveryStatus that follows it
 * (tests/enc encoders; policies/ir71.conf allows an RSDS only within the
 * window its SRI-SM opened). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enc/enc-msu.h"

int main(int argc, char **argv)
{
	if (argc != 4 || (strcmp(argv[1], "sri") && strcmp(argv[1], "rsds"))) {
		fprintf(stderr, "usage: msu_hex sri|rsds MSISDN SLS\n");
		return 2;
	}
	struct enc_msu m;
	enc_msu_defaults(&m);
	m.msisdn = argv[2];
	m.sls = (uint8_t)atoi(argv[3]);
	if (!strcmp(argv[1], "rsds"))
		m.opcode = 47;
	uint8_t buf[4096];
	size_t n = enc_msu_build(buf, sizeof buf, &m);
	if (!n)
		return 1;
	for (size_t i = 0; i < n; i++)
		printf("%02x", buf[i]);
	printf("\n");
	return 0;
}
