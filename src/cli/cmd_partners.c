/* ss7fw partners import — partner list files from IR.21 exports.
 *
 *   ss7fw partners import [-o FILE] CSV
 *
 * Reads the CSV form of the IR.21 fields ss7fw uses (docs/policy.md,
 * "Partners"; example policies/partners-ir21.csv): a header line naming the
 * columns, in any order, then one partner per line. Columns: name (required),
 * country (ISO 3166 alpha-2), imsi (MCC+MNC prefixes), e164 (CC+NDC ranges),
 * gt (the network's GT ranges), hlr, vlr, msc, sgsn (node GT ranges), smsc
 * (AA.19 SMSC GTs, written as exact entries), links (link names), comment.
 * Several values in one cell are separated by spaces; '#' starts a comment
 * line; fields are separated by ',' (or ';'). Writes `partners = ( ... );`
 * for the policy to @include. Every error is reported as FILE:LINE: message
 * and nothing is written (exit 1). Not a hot path: plain stdio. */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ss7fw/cmd.h"

enum { COL_NAME, COL_COUNTRY, COL_IMSI, COL_E164, COL_GT, COL_HLR, COL_VLR, COL_MSC, COL_SGSN,
       COL_SMSC, COL_LINKS, COL_COMMENT, COL__COUNT };
static const char *const col_names[COL__COUNT] = { "name", "country", "imsi", "e164", "gt", "hlr", "vlr",
						    "msc", "sgsn", "smsc", "links", "comment" };
#define MAX_COLS  32
#define LINE_MAX_ 8192

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = 0;
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
		s[n - 1] = 0;
		s++;
	}
	return s;
}

/* Split line at ',' or ';' into at most MAX_COLS cells. */
static int split(char *line, char **cell)
{
	int n = 0;
	char *p = line;
	for (;;) {
		char *e = p + strcspn(p, ",;");
		char end = *e;
		*e = 0;
		if (n < MAX_COLS)
			cell[n++] = trim(p);
		if (!end)
			break;
		p = e + 1;
	}
	return n;
}

static bool digits_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 16)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

static bool name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 63)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("._-", s[i]))
			return false;
	return true;
}

/* A list cell: values separated by spaces, each checked by ok; written as
 * [ "v", ... ] (prefix "=" for exact entries). */
static int list_out(FILE *out, const char *path, int ln, const char *key, char *cell, bool (*ok)(const char *),
		    const char *prefix)
{
	if (!*cell)
		return 0;
	int bad = 0;
	fprintf(out, " %s = [", key);
	int k = 0;
	for (char *save = NULL, *v = strtok_r(cell, " \t", &save); v; v = strtok_r(NULL, " \t", &save)) {
		if (!ok(v)) {
			fprintf(stderr, "%s:%d: %s: '%s' is not valid\n", path, ln, key, v);
			bad++;
			continue;
		}
		fprintf(out, "%s \"%s%s\"", k++ ? "," : "", prefix, v);
	}
	fprintf(out, " ];");
	return bad;
}

static int import_csv(const char *path, FILE *out)
{
	FILE *in = fopen(path, "r");
	if (!in) {
		fprintf(stderr, "%s:0: cannot read the file\n", path);
		return 1;
	}
	char line[LINE_MAX_];
	int col_of[MAX_COLS];
	int ncols = 0, ln = 0, errs = 0, partners = 0;
	bool header = false;
	fprintf(out, "# ss7fw partner list, written by `ss7fw partners import %s`.\n"
		     "# @include it at the top level of the policy (docs/policy.md, \"Partners\").\n"
		     "partners = (\n", path);
	while (fgets(line, sizeof line, in)) {
		ln++;
		if (!strchr(line, '\n') && !feof(in)) {
			fprintf(stderr, "%s:%d: line longer than %d characters\n", path, ln, LINE_MAX_ - 1);
			errs++;
			int c;
			while ((c = fgetc(in)) != EOF && c != '\n')
				;
			continue;
		}
		char *t = trim(line);
		if (!*t || *t == '#')
			continue;
		char *cell[MAX_COLS];
		int n = split(t, cell);
		if (!header) {
			for (int i = 0; i < n; i++) {
				col_of[i] = -1;
				for (int c = 0; c < COL__COUNT; c++)
					if (!strcasecmp(cell[i], col_names[c]))
						col_of[i] = c;
				if (col_of[i] < 0) {
					fprintf(stderr, "%s:%d: unknown column '%s'\n", path, ln, cell[i]);
					errs++;
				}
			}
			ncols = n;
			bool has_name = false;
			for (int i = 0; i < n; i++)
				has_name |= col_of[i] == COL_NAME;
			if (!has_name) {
				fprintf(stderr, "%s:%d: the header names no 'name' column\n", path, ln);
				errs++;
			}
			header = true;
			continue;
		}
		if (n != ncols) {
			fprintf(stderr, "%s:%d: %d fields, the header has %d\n", path, ln, n, ncols);
			errs++;
			continue;
		}
		char *v[COL__COUNT] = { 0 };
		for (int i = 0; i < n; i++)
			if (col_of[i] >= 0)
				v[col_of[i]] = cell[i];
		if (!v[COL_NAME] || !name_ok(v[COL_NAME])) {
			fprintf(stderr, "%s:%d: a partner name of 1..63 letters, digits, '.', '_' or '-' is required\n",
				path, ln);
			errs++;
			continue;
		}
		fprintf(out, "%s  { name = \"%s\";", partners++ ? ",\n" : "", v[COL_NAME]);
		if (v[COL_COUNTRY] && *v[COL_COUNTRY]) {
			const char *c = v[COL_COUNTRY];
			if (strlen(c) != 2 || !isalpha((unsigned char)c[0]) || !isalpha((unsigned char)c[1])) {
				fprintf(stderr, "%s:%d: country must be an ISO 3166 alpha-2 code\n", path, ln);
				errs++;
			} else {
				fprintf(out, " country = \"%c%c\";", toupper((unsigned char)c[0]), toupper((unsigned char)c[1]));
			}
		}
		static const int lists[] = { COL_GT, COL_IMSI, COL_E164, COL_HLR, COL_VLR, COL_MSC, COL_SGSN, COL_SMSC };
		for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
			if (v[lists[i]])
				errs += list_out(out, path, ln, col_names[lists[i]], v[lists[i]], digits_ok,
						 lists[i] == COL_SMSC ? "=" : "");
		if (v[COL_LINKS])
			errs += list_out(out, path, ln, "links", v[COL_LINKS], name_ok, "");
		if (v[COL_COMMENT] && *v[COL_COMMENT] && !strchr(v[COL_COMMENT], '"') && !strchr(v[COL_COMMENT], '\\'))
			fprintf(out, " comment = \"%s\";", v[COL_COMMENT]);
		fprintf(out, " }");
	}
	fclose(in);
	fprintf(out, "\n);\n");
	if (!header) {
		fprintf(stderr, "%s:%d: no header line\n", path, ln);
		errs++;
	}
	return errs ? 1 : 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: ss7fw partners import [-o FILE] CSV\n"
		   "  writes the partners list (libconfig) from an IR.21 CSV export (docs/policy.md, \"Partners\")\n");
}

int cmd_partners(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "import")) {
		usage(stderr);
		return 2;
	}
	const char *outp = NULL, *in = NULL;
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < argc)
			outp = argv[++i];
		else if (argv[i][0] == '-' && argv[i][1]) {
			usage(stderr);
			return 2;
		} else if (!in)
			in = argv[i];
		else {
			usage(stderr);
			return 2;
		}
	}
	if (!in) {
		usage(stderr);
		return 2;
	}
	/* written to memory first: nothing is written when there is an error */
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	if (!mem)
		return 1;
	int rc = import_csv(in, mem);
	fclose(mem);
	if (rc == 0) {
		FILE *out = outp ? fopen(outp, "w") : stdout;
		if (!out) {
			fprintf(stderr, "%s:0: cannot write the file\n", outp);
			rc = 1;
		} else {
			fwrite(buf, 1, len, out);
			if (outp && fclose(out) != 0)
				rc = 1;
		}
	}
	free(buf);
	return rc;
}
