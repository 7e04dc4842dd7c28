#include <err.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>
#include <jansson.h>

#include "decision.h"
#include "ndjson.h"
#include "re2.h"
#include "report.h"

static const char *const formats[] = { "table", "csv", "json", "ndjson",
	"markdown", "aws-cli", NULL };
static const char *const types[] = { "capacity", "table_class",
	"utilization", NULL };

/* The records read, and those kept. */
struct run {
	const struct report_opts *o;
	const json_t *decisions;
	json_t *recs;
};

static int
lookup(const char *s, const char *const *names)
{
	int i;

	for (i = 0; names[i] != NULL; i++)
		if (strcmp(s, names[i]) == 0)
			return (i);
	return (-1);
}

/**
 * report_parse_format(s, f):
 * Set ${f} from the name ${s}.  Return 0, or -1 if unknown.
 */
int
report_parse_format(const char *s, enum report_format *f)
{
	int i;

	if ((i = lookup(s, formats)) < 0)
		return (-1);
	*f = (enum report_format)i;
	return (0);
}

/**
 * report_parse_sort(s, sort):
 * Set ${sort} from the name ${s}.  Return 0, or -1 if unknown.
 */
int
report_parse_sort(const char *s, enum report_sort *sort)
{

	if (strcmp(s, "savings") == 0)
		*sort = REPORT_SORT_SAVINGS;
	else if (strcmp(s, "table") == 0)
		*sort = REPORT_SORT_TABLE;
	else
		return (-1);
	return (0);
}

/**
 * report_valid_type(s):
 * Non-zero if ${s} is a type of recommendation.
 */
int
report_valid_type(const char *s)
{

	return (lookup(s, types) >= 0);
}

/**
 * report_money(buf, n, usd, decimals):
 * Write ${usd} as "$1,234" (or "$1,234.56") into ${buf}; return ${buf}.
 */
char *
report_money(char *buf, size_t n, double usd, int decimals)
{
	char digits[64], *p, *q;
	size_t len, lead, i;

	snprintf(digits, sizeof(digits), "%.*f", decimals, fabs(usd));
	if (strcmp(digits, "0") == 0 || strcmp(digits, "0.00") == 0)
		usd = 0;
	/* Thousands separators in the whole part. */
	len = (p = strchr(digits, '.')) != NULL ? (size_t)(p - digits) :
	    strlen(digits);
	lead = len % 3 == 0 ? 3 : len % 3;
	q = buf;
	if (usd < 0 && n > 1) {
		*q++ = '-';
		n--;
	}
	if (n > 1) {
		*q++ = '$';
		n--;
	}
	for (i = 0; digits[i] != '\0' && n > 1; i++) {
		if (i < len && i >= lead && (i - lead) % 3 == 0) {
			*q++ = ',';
			if (--n <= 1)
				break;
		}
		*q++ = digits[i];
		n--;
	}
	*q = '\0';
	return (buf);
}

/* ---- reading ---- */

static const char *
str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return (s != NULL ? s : "");
}

static double
num(const json_t *o, const char *k)
{

	return (json_number_value(json_object_get(o, k)));
}

static int
take(json_t *rec, const struct ndjson_pos *pos, void *ctx)
{
	struct run *r = ctx;
	const struct report_opts *o = r->o;
	const char *id, *status, *type;

	id = json_string_value(json_object_get(rec, "id"));
	type = json_string_value(json_object_get(rec, "type"));
	if (strcmp(str(rec, "kind"), "recommendation") != 0 || id == NULL ||
	    type == NULL || json_string_value(json_object_get(rec,
	    "table")) == NULL || !json_is_number(json_object_get(rec,
	    "monthly_savings_usd"))) {
		ndjson_warnx(pos, "not a recommendation record with \"id\", "
		    "\"type\", \"table\" and \"monthly_savings_usd\"");
		return (-1);
	}
	status = decision_status(r->decisions, id);
	if ((o->type != NULL && strcmp(o->type, type) != 0) ||
	    (o->status != NULL && strcmp(o->status, status) != 0) ||
	    (o->region != NULL && strcmp(o->region, str(rec, "region"))) ||
	    (o->account != NULL && strcmp(o->account, str(rec, "account"))) ||
	    (o->table_re != NULL && !re2_match(o->table_re, str(rec,
	    "table"))) || num(rec, "monthly_savings_usd") < o->min_savings)
		return (0);
	if (json_object_set_new(rec, "status", json_string(status)) ||
	    json_array_append(r->recs, rec)) {
		warnx("out of memory");
		return (-1);
	}
	return (0);
}

static int
cmp_table(const json_t *a, const json_t *b)
{
	static const char *const keys[] = { "account", "region", "table",
	    "index", "type", "id" };
	size_t i;
	int c;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if ((c = strcmp(str(a, keys[i]), str(b, keys[i]))) != 0)
			return (c);
	return (0);
}

static int
cmp_savings(const void *pa, const void *pb)
{
	const json_t *a = *(const json_t *const *)pa;
	const json_t *b = *(const json_t *const *)pb;
	double x = num(a, "monthly_savings_usd"), y = num(b,
	    "monthly_savings_usd");

	if (x != y)
		return (x > y ? -1 : 1);
	return (cmp_table(a, b));
}

static int
cmp_tables(const void *pa, const void *pb)
{

	return (cmp_table(*(const json_t *const *)pa,
	    *(const json_t *const *)pb));
}

/* ---- formats ---- */

/* The table's name, "table/index" for an index. */
static void
resource(char *buf, size_t n, const json_t *rec)
{

	if (json_is_string(json_object_get(rec, "index")))
		snprintf(buf, n, "%s/%s", str(rec, "table"), str(rec, "index"));
	else
		snprintf(buf, n, "%s", str(rec, "table"));
}

/* Columns on a terminal: the width of UTF-8 text in characters. */
static size_t
width(const char *s)
{
	size_t w = 0;

	for (; *s != '\0'; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return (w);
}

#define NCOL	9

static void
cells(const json_t *rec, char cell[NCOL][1024])
{

	snprintf(cell[0], 1024, "%s", str(rec, "id"));
	snprintf(cell[1], 1024, "%s", str(rec, "type"));
	snprintf(cell[2], 1024, "%s", str(rec, "account"));
	snprintf(cell[3], 1024, "%s", str(rec, "region"));
	resource(cell[4], 1024, rec);
	snprintf(cell[5], 1024, "%s", str(rec, "change"));
	report_money(cell[6], 1024, num(rec, "monthly_savings_usd"), 2);
	snprintf(cell[7], 1024, "%s", str(rec, "confidence"));
	snprintf(cell[8], 1024, "%s", str(rec, "status"));
}

static void
row(FILE *out, char cell[NCOL][1024], const size_t *w)
{
	size_t i;

	for (i = 0; i < NCOL; i++) {
		if (i == 6)	/* money is right-aligned */
			fprintf(out, "%*s%s", (int)(w[i] - width(cell[i])), "",
			    cell[i]);
		else
			fprintf(out, "%s%*s", cell[i], i == NCOL - 1 ? 0 :
			    (int)(w[i] - width(cell[i])), "");
		fputs(i == NCOL - 1 ? "\n" : "  ", out);
	}
}

static void
totals(char *buf, size_t n, const json_t *recs)
{
	char m[64], y[64];
	double sum = 0;
	size_t i;
	json_t *rec;

	json_array_foreach(recs, i, rec)
		sum += num(rec, "monthly_savings_usd");
	snprintf(buf, n, "%zu recommendation%s, %s/month (%s/year)",
	    json_array_size(recs), json_array_size(recs) == 1 ? "" : "s",
	    report_money(m, sizeof(m), sum, 2), report_money(y, sizeof(y),
	    sum * 12, 2));
}

static void
format_table(FILE *out, const json_t *recs)
{
	static const char *const head[NCOL] = { "ID", "TYPE", "ACCOUNT",
	    "REGION", "TABLE", "CHANGE", "SAVINGS/MONTH", "CONFIDENCE",
	    "STATUS" };
	char cell[NCOL][1024], line[256];
	size_t w[NCOL], i, j;
	json_t *rec;

	for (j = 0; j < NCOL; j++)
		w[j] = width(head[j]);
	json_array_foreach(recs, i, rec) {
		cells(rec, cell);
		for (j = 0; j < NCOL; j++)
			if (width(cell[j]) > w[j])
				w[j] = width(cell[j]);
	}
	for (j = 0; j < NCOL; j++)
		snprintf(cell[j], 1024, "%s", head[j]);
	row(out, cell, w);
	json_array_foreach(recs, i, rec) {
		cells(rec, cell);
		row(out, cell, w);
	}
	totals(line, sizeof(line), recs);
	fprintf(out, "\nTotal: %s\n", line);
}

/* One CSV field, quoted, then a comma or the end of the row. */
static void
csv_field(FILE *out, const char *s, int last)
{

	csv_fwrite(out, s, strlen(s));
	fputs(last ? "\r\n" : ",", out);
}

static void
format_csv(FILE *out, const json_t *recs)
{
	static const char *const head[] = { "id", "type", "status", "account",
	    "region", "table", "index", "change", "current_monthly_usd",
	    "recommended_monthly_usd", "monthly_savings_usd",
	    "annual_savings_usd", "savings_pct", "confidence", "reason",
	    "apply", NULL };
	static const char *const money[] = { "current_monthly_usd",
	    "recommended_monthly_usd", "monthly_savings_usd",
	    "annual_savings_usd", "savings_pct", NULL };
	char v[64];
	size_t i, j;
	json_t *rec;

	for (j = 0; head[j] != NULL; j++)
		csv_field(out, head[j], head[j + 1] == NULL);
	json_array_foreach(recs, i, rec) {
		for (j = 0; head[j] != NULL; j++) {
			if (lookup(head[j], money) >= 0) {
				snprintf(v, sizeof(v), "%.2f", num(rec,
				    head[j]));
				csv_field(out, v, 0);
			} else
				csv_field(out, str(rec, head[j]),
				    head[j + 1] == NULL);
		}
	}
}

static int
format_json(FILE *out, const json_t *recs)
{

	if (json_dumpf(recs, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
	    JSON_REAL_PRECISION(15)) || fputc('\n', out) == EOF)
		return (-1);
	return (0);
}

/* Markdown cell text: "|" escaped, line ends as spaces. */
static void
md(FILE *out, const char *s)
{

	fputs("| ", out);
	for (; *s != '\0'; s++)
		if (*s == '|')
			fputs("\\|", out);
		else if (*s == '\n' || *s == '\r')
			fputc(' ', out);
		else
			fputc(*s, out);
	fputc(' ', out);
}

static void
format_markdown(FILE *out, const json_t *recs)
{
	char cell[NCOL][1024], line[256];
	size_t i, j;
	json_t *rec;

	fputs("| ID | Type | Account | Region | Table | Change | "
	    "Savings/month | Confidence | Status |\n", out);
	fputs("|---|---|---|---|---|---|--:|---|---|\n", out);
	json_array_foreach(recs, i, rec) {
		cells(rec, cell);
		for (j = 0; j < NCOL; j++)
			md(out, cell[j]);
		fputs("|\n", out);
	}
	totals(line, sizeof(line), recs);
	fprintf(out, "\n**Total:** %s\n", line);
}

/* A comment line: "# " and ${s} with control characters as spaces. */
static void
comment(FILE *out, const char *prefix, const char *s)
{

	fputs(prefix, out);
	for (; *s != '\0'; s++)
		fputc((unsigned char)*s < ' ' || *s == 0x7f ? ' ' : *s, out);
	fputc('\n', out);
}

static void
format_aws_cli(FILE *out, const json_t *recs)
{
	char res[1024], m[64], y[64], line[256];
	const char *apply;
	size_t i;
	json_t *rec;

	totals(line, sizeof(line), recs);
	fprintf(out, "#!/bin/sh\n"
	    "# optima list-recommendations: %s.\n"
	    "# optima applies nothing: review each command, then run this "
	    "script or the\n"
	    "# commands you choose.\n"
	    "set -eu\n", line);
	json_array_foreach(recs, i, rec) {
		resource(res, sizeof(res), rec);
		fputc('\n', out);
		fprintf(out, "# %s: %s %s of %s in %s, %s\n", str(rec, "id"),
		    str(rec, "type"), res, str(rec, "account"),
		    str(rec, "region"), str(rec, "status"));
		comment(out, "#   ", str(rec, "change"));
		fprintf(out, "#   saves %s/month (%s/year), confidence %s\n",
		    report_money(m, sizeof(m), num(rec, "monthly_savings_usd"),
		    2), report_money(y, sizeof(y), num(rec,
		    "annual_savings_usd"), 2), str(rec, "confidence"));
		comment(out, "#   ", str(rec, "reason"));
		if ((apply = json_string_value(json_object_get(rec,
		    "apply"))) == NULL || *apply == '\0')
			fputs("#   to review: there is no command to run\n",
			    out);
		else
			fprintf(out, "%s\n", apply);
	}
}

/**
 * report_run(opts, files, decisions, out):
 * Write the recommendations of ${files} that ${opts} selects to ${out}.
 * Return 0, or -1 on an error (reported).
 */
int
report_run(const struct report_opts *o, char *const *files,
    const json_t *decisions, FILE *out)
{
	struct run r = { o, decisions, NULL };
	json_t **v, *rec, *sorted;
	size_t i, n;
	int rc = -1;

	if ((r.recs = json_array()) == NULL) {
		warnx("out of memory");
		return (-1);
	}
	if (ndjson_foreach(files, NDJSON_MAXLINE, take, &r))
		goto done;
	/* Sort through a plain array: Jansson has no sort. */
	n = json_array_size(r.recs);
	if ((v = calloc(n + 1, sizeof(*v))) == NULL ||
	    (sorted = json_array()) == NULL) {
		free(v);
		warnx("out of memory");
		goto done;
	}
	json_array_foreach(r.recs, i, rec)
		v[i] = rec;
	qsort(v, n, sizeof(*v), o->sort == REPORT_SORT_SAVINGS ? cmp_savings :
	    cmp_tables);
	for (i = 0; i < n; i++)
		json_array_append(sorted, v[i]);
	free(v);
	rc = 0;
	switch (o->format) {
	case REPORT_TABLE:
		format_table(out, sorted);
		break;
	case REPORT_CSV:
		format_csv(out, sorted);
		break;
	case REPORT_JSON:
		rc = format_json(out, sorted);
		break;
	case REPORT_NDJSON:
		json_array_foreach(sorted, i, rec)
			if ((rc = ndjson_write(out, rec)) != 0)
				break;
		break;
	case REPORT_MARKDOWN:
		format_markdown(out, sorted);
		break;
	case REPORT_AWS_CLI:
		format_aws_cli(out, sorted);
		break;
	}
	json_decref(sorted);
	if (rc != 0 || ferror(out)) {
		warn("output");
		rc = -1;
	}
done:
	json_decref(r.recs);
	return (rc);
}

/* ---- the analyze commands' summary ---- */

/* One line: "Switch to On-Demand:  8 tables -> Save $2,340/month". */
static void
summary_line(FILE *fp, const char *label, size_t n, const char *what,
    double usd)
{
	char m[64];

	fprintf(fp, "%s %zu %s%s -> Save %s/month\n", label, n, what,
	    n == 1 ? "" : strcmp(what, "index") == 0 ? "es" : "s",
	    report_money(m, sizeof(m), usd, 0));
}

/* Count the tables (distinct) and savings of the recommendations of
 * ${type} for which ${sel} holds. */
static void
tally(const json_t *recs, const char *type, int (*sel)(const json_t *),
    size_t *n, double *usd, json_t *tables)
{
	char key[2048];
	const char *st;
	json_t *rec;
	size_t i;

	*n = 0;
	*usd = 0;
	json_array_foreach(recs, i, rec) {
		st = str(rec, "status");
		if (strcmp(str(rec, "type"), type) != 0 || (strcmp(st,
		    "pending") != 0 && strcmp(st, "accepted") != 0) ||
		    (sel != NULL && !sel(rec)))
			continue;
		(*n)++;
		*usd += num(rec, "monthly_savings_usd");
		snprintf(key, sizeof(key), "%s\t%s\t%s", str(rec, "account"),
		    str(rec, "region"), str(rec, "table"));
		json_object_set_new(tables, key, json_true());
	}
}

static int
to_on_demand(const json_t *rec)
{

	return (strcmp(str(json_object_get(rec, "recommended"),
	    "billing_mode"), "PAY_PER_REQUEST") == 0);
}

static int
to_provisioned(const json_t *rec)
{

	return (!to_on_demand(rec));
}

static int
to_ia(const json_t *rec)
{

	return (strcmp(str(json_object_get(rec, "recommended"), "table_class"),
	    "STANDARD_INFREQUENT_ACCESS") == 0);
}

static int
to_standard(const json_t *rec)
{

	return (!to_ia(rec));
}

static int
lower(const json_t *rec)
{

	return (!json_is_string(json_object_get(rec, "index")));
}

static int
review(const json_t *rec)
{

	return (json_is_string(json_object_get(rec, "index")));
}

/**
 * report_summary(fp, recs, type, analyzed):
 * Print the summary block of ${type} (each type if NULL) to ${fp}.
 */
void
report_summary(FILE *fp, const json_t *recs, const char *type,
    size_t analyzed)
{
	static const struct {
		const char *type, *title;
		const char *label[2], *what[2];
		int (*sel[2])(const json_t *);
	} blocks[] = {
		{ "capacity", "Capacity Mode Analysis Results",
		    { "Switch to On-Demand: ", "Switch to Provisioned:" },
		    { "table", "table" }, { to_on_demand, to_provisioned } },
		{ "table_class", "Table Class Analysis Results",
		    { "Switch to Standard-IA:", "Switch to Standard:   " },
		    { "table", "table" }, { to_ia, to_standard } },
		{ "utilization", "Utilization Analysis Results",
		    { "Lower provisioned capacity:", "Review unused indexes:     " },
		    { "table", "index" }, { lower, review } },
	};
	char m[64], y[64];
	double usd[2], total;
	size_t i, k, n[2];
	json_t *tables;

	for (i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++) {
		if (type != NULL && strcmp(type, blocks[i].type) != 0)
			continue;
		if ((tables = json_object()) == NULL)
			return;
		for (k = 0; k < 2; k++)
			tally(recs, blocks[i].type, blocks[i].sel[k], &n[k],
			    &usd[k], tables);
		total = usd[0] + usd[1];
		fprintf(fp, "%s%s\n%.*s\n", type == NULL && i > 0 ? "\n" : "",
		    blocks[i].title, (int)strlen(blocks[i].title),
		    "========================================");
		fprintf(fp, "Analyzed: %zu table%s | Recommendations: %zu "
		    "table%s\n\n", analyzed, analyzed == 1 ? "" : "s",
		    json_object_size(tables), json_object_size(tables) == 1 ?
		    "" : "s");
		for (k = 0; k < 2; k++)
			summary_line(fp, blocks[i].label[k], n[k],
			    blocks[i].what[k], usd[k]);
		fprintf(fp, "\nTotal Potential Savings: %s/month (%s/year)\n",
		    report_money(m, sizeof(m), total, 0), report_money(y,
		    sizeof(y), total * 12, 0));
		json_decref(tables);
	}
}
