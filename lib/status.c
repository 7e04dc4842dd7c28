#include <errno.h>
#include <err.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "atomicio.h"
#include "checkpoint.h"
#include "ndjson.h"
#include "projdir.h"
#include "status.h"

/* Totals for one account and region. */
struct pair {
	char account[13], region[32];
	unsigned long tables, days;
	uint64_t series;
	char first[11], last[11];
};

/* Totals for one kind of file, and the whole walk. */
struct tally {
	unsigned long files[PROJDIR_NFILES];
	uint64_t records[PROJDIR_NFILES];
	char first[PROJDIR_NFILES][11], last[PROJDIR_NFILES][11];
	struct pair *pairs;		/* sorted by account, region */
	size_t npairs;
	char **strays;
	size_t nstrays;
	unsigned long problems;
	const struct status_opts *opts;
};

/* Widen the range [first, last] to take in ${date}. */
static void
widen(char *first, char *last, const char *date)
{

	if (first[0] == '\0' || strcmp(date, first) < 0)
		snprintf(first, 11, "%s", date);
	if (last[0] == '\0' || strcmp(date, last) > 0)
		snprintf(last, 11, "%s", date);
}

/* The totals of ${account} and ${region}, added if new; NULL on ENOMEM. */
static struct pair *
pair(struct tally *t, const char *account, const char *region)
{
	struct pair *p;
	size_t lo = 0, hi = t->npairs, mid;
	int c;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		c = strcmp(t->pairs[mid].account, account);
		if (c == 0)
			c = strcmp(t->pairs[mid].region, region);
		if (c == 0)
			return (&t->pairs[mid]);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if ((p = realloc(t->pairs, (t->npairs + 1) * sizeof(*p))) == NULL)
		return (NULL);
	t->pairs = p;
	memmove(&p[lo + 1], &p[lo], (t->npairs - lo) * sizeof(*p));
	t->npairs++;
	memset(&p[lo], 0, sizeof(*p));
	snprintf(p[lo].account, sizeof(p[lo].account), "%s", account);
	snprintf(p[lo].region, sizeof(p[lo].region), "%s", region);
	return (&p[lo]);
}

/* Count the lines of ${path}. */
static int
count_lines(const char *path, uint64_t *n)
{
	char buf[65536];
	const char *p, *end;
	ssize_t r;
	int fd;

	if ((fd = atomicio_open_regular(path, O_RDONLY, 0)) == -1)
		return (-1);
	*n = 0;
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		for (p = buf, end = buf + r;
		    (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
			(*n)++;
	if (r == -1)
		warn("%s", path);
	close(fd);
	return (r == -1 ? -1 : 0);
}

/* Check that field ${name} of ${rec}, if present, is the string ${want}. */
static int
matches(json_t *rec, const char *name, const char *want,
    const struct ndjson_pos *pos)
{
	json_t *v = json_object_get(rec, name);

	if (v == NULL || want[0] == '\0')
		return (0);
	if (!json_is_string(v) || strcmp(json_string_value(v), want) != 0) {
		ndjson_warnx(pos, "\"%s\" is not \"%s\" as the file's place "
		    "says", name, want);
		return (-1);
	}
	return (0);
}

/* Read every record of ${path} and check it belongs there. */
static int
check_file(const char *path, const struct projdir_entry *e, uint64_t *n)
{
	const char *kind = projdir_record_kind(e->file);
	const struct ndjson_pos *pos;
	struct ndjson_reader *r;
	json_t *rec;
	int rc;

	*n = 0;
	if ((r = ndjson_reader_open(path, NDJSON_MAXLINE)) == NULL)
		return (-1);
	while ((rc = ndjson_reader_next(r, &rec)) == 1) {
		pos = ndjson_reader_pos(r);
		(*n)++;
		if (strcmp(json_string_value(json_object_get(rec, "kind")),
		    kind) != 0) {
			ndjson_warnx(pos, "a \"%s\" record in a file of \"%s\" "
			    "records", json_string_value(json_object_get(rec,
			    "kind")), kind);
			rc = -1;
		} else if (matches(rec, "account", e->account, pos) ||
		    matches(rec, "region", e->region, pos) ||
		    (e->file == PROJDIR_CUR &&
		    matches(rec, "billing_period", e->date, pos)))
			rc = -1;
		json_decref(rec);
		if (rc == -1)
			break;
	}
	ndjson_reader_close(r);
	return (rc == -1 ? -1 : 0);
}

/* Tally one file of the walk. */
static int
visit(const char *path, const struct projdir_entry *e, void *ctx)
{
	struct tally *t = ctx;
	struct pair *p = NULL;
	uint64_t n;
	char **s;

	if (e == NULL) {
		if ((s = realloc(t->strays, (t->nstrays + 1) *
		    sizeof(*s))) == NULL || (s[t->nstrays] = strdup(path)) == NULL) {
			warn("status");
			return (-1);
		}
		t->strays = s;
		t->nstrays++;
		return (0);
	}
	if (t->opts->check ? check_file(path, e, &n) : count_lines(path, &n)) {
		if (!t->opts->check)
			return (-1);
		t->problems++;
	}
	t->files[e->file]++;
	t->records[e->file] += n;
	if (e->date[0] != '\0')
		widen(t->first[e->file], t->last[e->file], e->date);
	if (e->account[0] != '\0' &&
	    (p = pair(t, e->account, e->region)) == NULL) {
		warn("status");
		return (-1);
	}
	if (e->file == PROJDIR_TABLES)
		p->tables += (unsigned long)n;
	else if (e->file == PROJDIR_METRICS) {
		p->days++;
		p->series += n;
		widen(p->first, p->last, e->date);
	}
	return (0);
}

/* Where show_stage prints, and how much. */
struct shown {
	FILE *out;
	int verbose;
};

/* Print one line per unfinished run or stage with markers, then the
 * units that failed (the first few, or all with verbose). */
static int
show_stage(const char *stage, const json_t *run, unsigned long done,
    const json_t *failures, void *ctx)
{
	const struct shown *s = ctx;
	const json_t *f;
	json_int_t units;
	size_t i, n = json_array_size(failures);

	if (run == NULL)
		fprintf(s->out, "  %-16s finished (%lu unit%s)\n", stage, done,
		    done == 1 ? "" : "s");
	else {
		units = json_integer_value(json_object_get(run, "units"));
		fprintf(s->out, "  %-16s UNFINISHED: started %s, %lu", stage,
		    json_string_value(json_object_get(run, "started")), done);
		if (units > 0)
			fprintf(s->out, " of %lld", (long long)units);
		fprintf(s->out, " units done; rerun with --resume to finish\n");
	}
	if (n > 0)
		fprintf(s->out, "  %-16s %zu unit%s failed:\n", "", n,
		    n == 1 ? "" : "s");
	json_array_foreach(failures, i, f) {
		if (i == 10 && !s->verbose) {
			fprintf(s->out, "  %-16s   ... and %zu more (optima status "
			    "--verbose lists them all)\n", "", n - i);
			break;
		}
		fprintf(s->out, "  %-16s   %s: %s: %s (%s)\n", "",
		    json_string_value(json_object_get(f, "unit")),
		    json_string_value(json_object_get(f, "code")),
		    json_string_value(json_object_get(f, "message")),
		    json_string_value(json_object_get(f, "failed")));
	}
	return (0);
}

static int
cmpstr(const void *a, const void *b)
{

	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/*
 * The number of distinct accounts (${regions} zero) or regions among the
 * pairs, each printed on ${out} if not NULL.  The pairs are sorted by
 * account, so accounts need only a look at the neighbour.
 */
static size_t
distinct(const struct tally *t, int regions, FILE *out)
{
	const char **v;
	size_t i, n = 0;

	if (t->npairs == 0 || (v = malloc(t->npairs * sizeof(*v))) == NULL)
		return (0);
	for (i = 0; i < t->npairs; i++)
		v[i] = regions ? t->pairs[i].region : t->pairs[i].account;
	if (regions)
		qsort(v, t->npairs, sizeof(*v), cmpstr);
	for (i = 0; i < t->npairs; i++) {
		if (i > 0 && strcmp(v[i], v[i - 1]) == 0)
			continue;
		if (out != NULL)
			fprintf(out, "%s%s", n ? " " : "", v[i]);
		n++;
	}
	free(v);
	return (n);
}

static void
show(const struct tally *t, const struct projdir *pd, FILE *out, int verbose)
{
	enum projdir_file f;
	size_t i;

	fprintf(out, "Project directory: %s\n\nRecords:\n", projdir_root(pd));
	for (f = 0; f < PROJDIR_NFILES; f++) {
		if (projdir_record_kind(f) == NULL)
			continue;
		fprintf(out, "  %-16s %10llu %-*s", projdir_name(f),
		    (unsigned long long)t->records[f], t->files[f] > 1 ||
		    t->first[f][0] != '\0' ? 15 : 0, projdir_record_kind(f));
		if (t->files[f] > 1)
			fprintf(out, " in %lu files", t->files[f]);
		if (t->first[f][0] != '\0')
			fprintf(out, "%s %s to %s", t->files[f] > 1 ? "," : "",
			    t->first[f], t->last[f]);
		fputc('\n', out);
	}
	fprintf(out, "\nAccounts: %zu\nRegions: %zu", distinct(t, 0, NULL),
	    distinct(t, 1, NULL));
	if (t->npairs > 0) {
		fputs(" (", out);
		distinct(t, 1, out);
		fputc(')', out);
	}
	fputc('\n', out);
	if (verbose && t->npairs > 0) {
		fprintf(out, "\n  %-12s  %-16s %7s %6s %10s  %s\n", "account",
		    "region", "tables", "days", "series", "dates");
		for (i = 0; i < t->npairs; i++) {
			const struct pair *p = &t->pairs[i];

			fprintf(out, "  %-12s  %-16s %7lu %6lu %10llu", p->account,
			    p->region, p->tables, p->days,
			    (unsigned long long)p->series);
			if (p->first[0] != '\0')
				fprintf(out, "  %s to %s", p->first, p->last);
			fputc('\n', out);
		}
	}
}

/**
 * status_report(pd, opts, out):
 * Describe the project directory ${pd} on ${out}.  With opts->check, read
 * every record; each problem is reported on standard error with file:line.
 * Return 0 if all is well, 1 if problems were found, -1 on an error
 * (reported).
 */
int
status_report(const struct projdir *pd, const struct status_opts *opts,
    FILE *out)
{
	struct tally t;
	size_t i;
	int rc = -1;

	memset(&t, 0, sizeof(t));
	t.opts = opts;
	if (projdir_walk(pd, visit, &t))
		goto done;
	show(&t, pd, out, opts->verbose);
	fprintf(out, "\nCheckpoints:\n");
	if (checkpoint_list(pd, show_stage, &(struct shown){ out,
	    opts->verbose }))
		goto done;
	if (t.nstrays > 0) {
		fprintf(out, "\nLeftover files (interrupted writes or strays; "
		    "optima never reads them): %zu\n", t.nstrays);
		for (i = 0; opts->verbose && i < t.nstrays; i++)
			fprintf(out, "  %s\n", t.strays[i]);
	}
	if (opts->check)
		fprintf(out, "\nCheck: %lu file%s with problems\n", t.problems,
		    t.problems == 1 ? "" : "s");
	rc = t.problems > 0;
done:
	for (i = 0; i < t.nstrays; i++)
		free(t.strays[i]);
	free(t.strays);
	free(t.pairs);
	return (rc);
}
