/* ss7fw tests — one sample of the engine's Prometheus text. */
#ifndef SS7FW_TEST_METRIC_H
#define SS7FW_TEST_METRIC_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ss7fw/engine.h"

/* Value of one sample ("name{labels}") of engine_metrics_prom, -1 if absent. */
static inline long long test_metric(struct engine *e, const char *sample)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return -1;
	engine_metrics_prom(e, f);
	fclose(f);
	long long v = -1;
	size_t sl = strlen(sample);
	for (char *line = buf; line && *line;) {
		char *nl = strchr(line, '\n');
		if (!strncmp(line, sample, sl) && line[sl] == ' ')
			v = atoll(line + sl + 1);
		line = nl ? nl + 1 : NULL;
	}
	free(buf);
	return v;
}

#endif
