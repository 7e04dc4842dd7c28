#include <sys/types.h>
#include <sys/ioctl.h>

#include <err.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <csv.h>
#include <jansson.h>

#include "decision.h"
#include "ndjson.h"
#include "projdir.h"
#include "re2.h"
#include "report.h"
#include "strbuf.h"

static const char *const formats[] = { "table", "csv", "json", "ndjson",
	"markdown", "aws-cli", NULL };
static const char *const types[] = { "capacity", "table_class",
	"utilization", "idle", "commitment", NULL };

/* The records read, and those kept. */
struct run {
	const struct report_opts *o;
	const json_t *decisions;
	json_t *recs;
};

/* The index of ${s} in the NULL-terminated ${names}, or -1. */
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
 * report_valid_role(s):
 * Non-zero if ${s} can be the name of an IAM role, with its path if any.
 */
int
report_valid_role(const char *s)
{
	size_t n = strlen(s);

	return (n > 0 && n <= 512 && s[0] != '/' && s[n - 1] != '/' &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789+=,.@_-/") == n);
}

/* Whether ${s} can be the name of an AWS CLI profile in a profile map:
 * 1 to 128 bytes, none a blank or a control character. */
static int
valid_profile(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p <= ' ' || *p == 0x7f)
			return (0);
	return (p > (const unsigned char *)s && p - (const unsigned char *)s
	    <= 128);
}

/* Add the line ${line} (${n}, of ${path}) of a profile map to ${map}:
 * 0, or -1 if it is not "ACCOUNT PROFILE" or names an account again
 * (reported). */
static int
profile_line(json_t *map, char *line, const char *path, unsigned long n)
{
	char *account, *profile, *rest;

	line[strcspn(line, "\n")] = '\0';
	account = line + strspn(line, " \t");
	if (*account == '\0' || *account == '#')
		return (0);
	profile = account + strcspn(account, " \t");
	if (*profile != '\0')
		*profile++ = '\0';
	profile += strspn(profile, " \t");
	rest = profile + strcspn(profile, " \t");
	if (*rest != '\0')
		*rest++ = '\0';
	rest += strspn(rest, " \t");
	if (!projdir_valid_account(account) || !valid_profile(profile) ||
	    *rest != '\0') {
		warnx("%s:%lu: not \"ACCOUNT PROFILE\" (12 digits, blanks, a "
		    "profile name of 1 to 128 characters, none blank)", path, n);
		return (-1);
	}
	if (json_object_get(map, account) != NULL) {
		warnx("%s:%lu: account %s is named again", path, n, account);
		return (-1);
	}
	if (json_object_set_new(map, account, json_string(profile))) {
		warnx("out of memory");
		return (-1);
	}
	return (0);
}

/**
 * report_load_profiles(path):
 * Read the profile map ${path}: an object from account to profile, or
 * NULL on an error (reported).
 */
json_t *
report_load_profiles(const char *path)
{
	FILE *fp;
	json_t *map;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned long n = 0;
	int rc = 0;

	if ((fp = fopen(path, "r")) == NULL) {
		warn("%s", path);
		return (NULL);
	}
	if ((map = json_object()) == NULL) {
		warnx("out of memory");
		fclose(fp);
		return (NULL);
	}
	while (rc == 0 && (len = getline(&line, &cap, fp)) != -1) {
		if (++n > 100000 || strlen(line) != (size_t)len) {
			warnx("%s:%lu: %s", path, n, n > 100000 ?
			    "more than 100000 lines" : "a NUL byte");
			rc = -1;
		} else
			rc = profile_line(map, line, path, n);
	}
	if (rc == 0 && ferror(fp)) {
		warn("%s", path);
		rc = -1;
	}
	free(line);
	fclose(fp);
	if (rc != 0) {
		json_decref(map);
		return (NULL);
	}
	return (map);
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

/* The string ${k} of ${o}, or "" if it is not a string. */
static const char *
str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return (s != NULL ? s : "");
}

/* The number ${k} of ${o}, or 0 if it is not a number. */
static double
num(const json_t *o, const char *k)
{

	return (json_number_value(json_object_get(o, k)));
}

/* What ${rec} saves a month in the totals: its joint figure (applied with
 * the others of its account and region, reserved capacity counted), or
 * its own in recommendations older than it. */
static double
saving(const json_t *rec)
{
	const json_t *v = json_object_get(rec, "effective_monthly_savings_usd");

	return (json_is_number(v) ? json_number_value(v) : num(rec,
	    "monthly_savings_usd"));
}

/* ---- text from the records, made safe for each format ---- */

/* The string ${k} of ${rec} and its length in ${len} (NULs included); ""
 * if it is not a string. */
static const char *
field(const json_t *rec, const char *k, size_t *len)
{
	const json_t *v = json_object_get(rec, k);

	*len = json_string_length(v);
	return (json_is_string(v) ? json_string_value(v) : "");
}

/* Whether the character ${c} (a code point) is to be shown as an escape:
 * a control character, or one that hides or reorders text on a terminal
 * or a page (line and paragraph separators, bidirectional marks and
 * overrides). */
static int
hidden(unsigned long c)
{

	return (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x61c ||
	    c == 0x200e || c == 0x200f || (c >= 0x2028 && c <= 0x202e) ||
	    (c >= 0x2066 && c <= 0x2069));
}

/* The UTF-8 character at ${s} (${n} bytes left): its code point in ${c}
 * and its length, or 0 if it is not valid UTF-8. */
static size_t
utf8(const unsigned char *s, size_t n, unsigned long *c)
{
	size_t len, i;

	if (s[0] < 0x80) {
		*c = s[0];
		return (1);
	}
	len = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc0 ? 2 : 0;
	if (len == 0 || len > n || s[0] > 0xf4)
		return (0);
	*c = s[0] & (0x7f >> len);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return (0);
		*c = *c << 6 | (s[i] & 0x3f);
	}
	return (len);
}

/*
 * Append the ${n} bytes of ${s} to ${b} as text that cannot act on a
 * terminal, end a line or hide what follows: a backslash doubled, \n, \r
 * and \t, other control characters as \xHH, and C1 controls, separators
 * and bidirectional marks as \uHHHH (as hidden says); a byte that is not
 * UTF-8 as \xHH.
 */
static void
visible(struct strbuf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long c;
	size_t i, len;

	for (i = 0; i < n; i += len) {
		if ((len = utf8(p + i, n - i, &c)) == 0) {
			strbuf_addf(b, "\\x%02x", p[i]);
			len = 1;
		} else if (c == '\\')
			strbuf_adds(b, "\\\\");
		else if (c == '\n' || c == '\r' || c == '\t')
			strbuf_addf(b, "\\%c", c == '\n' ? 'n' : c == '\r' ?
			    'r' : 't');
		else if (hidden(c))
			strbuf_addf(b, c < 0x80 ? "\\x%02lx" : "\\u%04lx", c);
		else
			strbuf_add(b, p + i, len);
	}
}

/* Append the string ${k} of ${rec} to ${b}, made visible. */
static void
visible_field(struct strbuf *b, const json_t *rec, const char *k)
{
	const char *s;
	size_t n;

	s = field(rec, k, &n);
	visible(b, s, n);
}

/* Read the shell word at *${pp} into ${w}, and move *${pp} past it; -1 if
 * it is not one optima-rank writes: bare characters, '...' and \c. */
static int
shword(const char **pp, struct strbuf *w)
{
	const char *p = *pp, *q;

	while (*p != '\0' && *p != ' ' && *p != '\n') {
		if (*p == '\'') {
			if ((q = strchr(p + 1, '\'')) == NULL)
				return (-1);
			strbuf_add(w, p + 1, (size_t)(q - p - 1));
			p = q + 1;
		} else if (*p == '\\' && p[1] != '\0' && p[1] != '\n' &&
		    (unsigned char)p[1] < 0x80) {
			strbuf_addc(w, p[1]);
			p += 2;
		} else if (strchr(STRBUF_SHBARE, *p) != NULL)
			strbuf_addc(w, *p++);
		else
			return (-1);
	}
	*pp = p;
	return (0);
}

/* Whether the ${n} bytes of ${s} hold a character that hidden names, or
 * are not UTF-8. */
static int
has_hidden(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long c;
	size_t i, len;

	for (i = 0; i < n; i += len)
		if ((len = utf8(p + i, n - i, &c)) == 0 || hidden(c))
			return (1);
	return (0);
}

/*
 * Append the command line at *${pp} to ${b}, each word shell-quoted anew,
 * and move *${pp} to the next line; -1 if it is not an "aws dynamodb" or
 * "aws application-autoscaling" command of such words.  A command with a
 * control character in a word (which no AWS name has) is written as a
 * comment, made visible: inside quotes it would be harmless to the shell,
 * not to the terminal that shows the script.
 */
static int
requote_line(const char **pp, struct strbuf *b, size_t max)
{
	static const char *const services[] = { "dynamodb",
	    "application-autoscaling", NULL };
	struct strbuf w, line;
	const char *p = *pp;
	char *word = NULL;
	size_t n;
	int hide = 0;

	strbuf_init(&line, max);
	strbuf_init(&w, max);
	for (n = 0;; n++) {
		while (*p == ' ')
			p++;
		if (*p == '\0' || *p == '\n')
			break;
		if (shword(&p, &w) || (word = strbuf_finish(&w)) == NULL ||
		    (n == 0 && strcmp(word, "aws") != 0) ||
		    (n == 1 && lookup(word, services) < 0))
			goto bad;
		hide |= has_hidden(word, strlen(word));
		if (n > 0)
			strbuf_addc(&line, ' ');
		strbuf_addsh(&line, word);
		free(word);
		word = NULL;
	}
	if (n < 3 || line.failed)
		goto bad;
	if (hide) {
		strbuf_adds(b, "#   not written as a command, for an argument "
		    "has control characters:\n#   ");
		visible(b, line.s, line.len);
	} else
		strbuf_add(b, line.s, line.len);
	strbuf_free(&line);
	*pp = *p == '\n' ? p + 1 : p;
	return (0);
bad:
	strbuf_free(&w);
	strbuf_free(&line);
	free(word);
	return (-1);
}

/*
 * The "apply" text ${s} of a recommendation as this script writes it:
 * each command on a line of its own, each word shell-quoted by optima-
 * report, whatever the record held.  NULL if ${s} is not AWS CLI commands
 * as optima-rank writes them (see requote_line), or out of memory.
 */
static char *
requote(const char *s)
{
	struct strbuf b;
	size_t max = 32 * strlen(s) + 256;	/* quoted, then made visible */

	strbuf_init(&b, max);
	while (*s != '\0') {
		if (b.len > 0)
			strbuf_addc(&b, '\n');
		if (requote_line(&s, &b, max)) {
			strbuf_free(&b);
			return (NULL);
		}
	}
	return (strbuf_finish(&b));
}

/* ---- selecting ---- */

/* Whether ${rec}, the record at ${pos}, is selected by ${o}: 1, 0, or -1
 * on an error (reported). */
static int
selected(const struct report_opts *o, const json_t *rec, const char *type,
    const char *status, const struct ndjson_pos *pos)
{
	int m;

	if ((o->type != NULL && strcmp(o->type, type) != 0) ||
	    (o->status != NULL && strcmp(o->status, status) != 0) ||
	    (o->region != NULL && strcmp(o->region, str(rec, "region"))) ||
	    (o->account != NULL && strcmp(o->account, str(rec, "account"))) ||
	    fmax(num(rec, "monthly_savings_usd"), num(json_object_get(
	    json_object_get(rec, "idle"), "retire"), "monthly_savings_usd")) <
	    o->min_savings)
		return (0);
	if (o->table_re == NULL)
		return (1);
	if ((m = re2_match(o->table_re, str(rec, "table"))) < 0)
		ndjson_warnx(pos, "the table name could not be matched");
	return (m);
}

/* Whether the commands of a recommendation whose status is ${status} are
 * written to run: not if it was rejected, nor if it is done. */
static int
to_run(const char *status)
{

	return (strcmp(status, "rejected") != 0 &&
	    strcmp(status, "implemented") != 0);
}

/* Whether ${rec} (its status set) has commands to run in the script of
 * ${o}: an idle table's only with --include-idle. */
static int
has_commands(const struct report_opts *o, const json_t *rec)
{
	const char *apply = json_string_value(json_object_get(rec, "apply"));

	return (apply != NULL && *apply != '\0' && to_run(str(rec, "status")) &&
	    (o->include_idle || strcmp(str(rec, "type"), "idle") != 0));
}

/* Whether the "apply" text of ${rec}, at ${pos}, can be written into a
 * script of ${o}: -1 if not (reported).  What is to run needs a well-
 * formed account and region (its group's credentials and partition), and
 * an account the profile map of ${o}, if any, names. */
static int
check_apply(const struct report_opts *o, const json_t *rec,
    const struct ndjson_pos *pos)
{
	const char *apply, *retire;
	char *s;

	retire = json_string_value(json_object_get(rec, "retire_apply"));
	if (retire != NULL && (s = requote(retire)) == NULL) {
		ndjson_warnx(pos, "\"retire_apply\" is not AWS CLI commands "
		    "as optima-rank writes them: not written into a script");
		return (-1);
	}
	if (retire != NULL)
		free(s);
	if ((apply = json_string_value(json_object_get(rec, "apply"))) ==
	    NULL || *apply == '\0')
		return (0);
	if ((s = requote(apply)) == NULL) {
		ndjson_warnx(pos, "\"apply\" is not AWS CLI commands as "
		    "optima-rank writes them: not written into a script");
		return (-1);
	}
	free(s);
	if (!has_commands(o, rec))
		return (0);
	if (!projdir_valid_account(str(rec, "account")) ||
	    !projdir_valid_region(str(rec, "region"))) {
		ndjson_warnx(pos, "commands for no well-formed account and "
		    "region: not written into a script");
		return (-1);
	}
	if (o->profiles != NULL && json_object_get(o->profiles, str(rec,
	    "account")) == NULL) {
		ndjson_warnx(pos, "account %s is not in the profile map: no "
		    "credentials to run its commands with", str(rec,
		    "account"));
		return (-1);
	}
	return (0);
}

/* Keep ${rec}, read at ${pos}, with its status now, if the options of the
 * run ${ctx} select it: 0, or -1 on a bad record (reported). */
static int
take(json_t *rec, const struct ndjson_pos *pos, void *ctx)
{
	struct run *r = ctx;
	const char *id, *status, *type;
	int sel;

	id = json_string_value(json_object_get(rec, "id"));
	type = json_string_value(json_object_get(rec, "type"));
	/* A commitment is a purchase of the payer: no table. */
	if (strcmp(str(rec, "kind"), "recommendation") != 0 || id == NULL ||
	    type == NULL || (json_string_value(json_object_get(rec,
	    "table")) == NULL && strcmp(type, "commitment") != 0) ||
	    !json_is_number(json_object_get(rec,
	    "monthly_savings_usd"))) {
		ndjson_warnx(pos, "not a recommendation record with \"id\", "
		    "\"type\", \"table\" and \"monthly_savings_usd\"");
		return (-1);
	}
	status = decision_status(r->decisions, id);
	if ((sel = selected(r->o, rec, type, status, pos)) <= 0)
		return (sel);
	if (json_object_set_new(rec, "status", json_string(status))) {
		warnx("out of memory");
		return (-1);
	}
	if (r->o->format == REPORT_AWS_CLI && check_apply(r->o, rec, pos))
		return (-1);
	if (json_array_append(r->recs, rec)) {
		warnx("out of memory");
		return (-1);
	}
	return (0);
}

/* Order ${a} and ${b} by account, region, table, index, type and id. */
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

/* qsort: the largest saving first, then by table. */
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

/* qsort: by table (see cmp_table). */
static int
cmp_tables(const void *pa, const void *pb)
{

	return (cmp_table(*(const json_t *const *)pa,
	    *(const json_t *const *)pb));
}

/* The partition of ${region}'s ARNs, as optima-discover assumes roles:
 * "aws-cn" for cn-*, "aws-us-gov" for us-gov-*, else "aws". */
static const char *
partition(const char *region)
{

	return (strncmp(region, "cn-", 3) == 0 ? "aws-cn" :
	    strncmp(region, "us-gov-", 7) == 0 ? "aws-us-gov" : "aws");
}

/* The order of the groups of the aws-cli script: by partition, then
 * account (an account id is unique only within its partition). */
static int
cmp_group(const json_t *a, const json_t *b)
{
	int c;

	if ((c = strcmp(partition(str(a, "region")), partition(str(b,
	    "region")))) != 0)
		return (c);
	return (strcmp(str(a, "account"), str(b, "account")));
}

/* The aws-cli script's order: by group, then the largest saving first. */
static int
cmp_group_savings(const void *pa, const void *pb)
{
	int c;

	if ((c = cmp_group(*(const json_t *const *)pa,
	    *(const json_t *const *)pb)) != 0)
		return (c);
	return (cmp_savings(pa, pb));
}

/* The aws-cli script's order: by group, then by table. */
static int
cmp_group_tables(const void *pa, const void *pb)
{
	int c;

	if ((c = cmp_group(*(const json_t *const *)pa,
	    *(const json_t *const *)pb)) != 0)
		return (c);
	return (cmp_tables(pa, pb));
}

/* ---- formats ---- */

/* Append the table's name to ${b}, "table/index" for an index, made
 * visible. */
static void
resource(struct strbuf *b, const json_t *rec)
{

	visible_field(b, rec, "table");
	if (json_is_string(json_object_get(rec, "index"))) {
		strbuf_addc(b, '/');
		visible_field(b, rec, "index");
	}
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

/* Fill ${cell} with the cells of ${rec} in the table or Markdown, each
 * made visible, malloced; -1 if out of memory (none are then). */
static int
cells(const json_t *rec, char *cell[NCOL])
{
	static const char *const keys[NCOL] = { "id", "type", "account",
	    "region", NULL, "change", NULL, "confidence", "status" };
	struct strbuf b;
	char m[64];
	size_t j;

	for (j = 0; j < NCOL; j++) {
		strbuf_init(&b, 8 * NDJSON_MAXLINE);
		if (j == 4)
			resource(&b, rec);
		else if (j == 6)
			strbuf_adds(&b, report_money(m, sizeof(m), num(rec,
			    "monthly_savings_usd"), 2));
		else
			visible_field(&b, rec, keys[j]);
		if ((cell[j] = strbuf_finish(&b)) == NULL) {
			while (j-- > 0)
				free(cell[j]);
			warnx("out of memory");
			return (-1);
		}
	}
	return (0);
}

/* Free the cells that cells() filled. */
static void
cells_free(char *cell[NCOL])
{
	size_t j;

	for (j = 0; j < NCOL; j++)
		free(cell[j]);
}

/* Write ${s} to ${out} cut to ${w} columns: if it is wider, its first
 * ${w} - 3 characters and "..." (the full text is in the json formats).
 * Return the columns written. */
static size_t
put_cut(FILE *out, const char *s, size_t w)
{
	size_t c = 0, keep;

	if (width(s) <= w) {
		fputs(s, out);
		return (width(s));
	}
	keep = w > 3 ? w - 3 : 0;
	for (; *s != '\0'; s++) {
		if (((unsigned char)*s & 0xc0) != 0x80 && c++ == keep)
			break;
		fputc(*s, out);
	}
	fprintf(out, "%.*s", (int)(w < 3 ? w : 3), "...");
	return (w);
}

/* The text ${s} of column ${j}, ${w} wide, cut if wider; ${last} if it
 * is the last column shown. */
static void
put_cell(FILE *out, const char *s, size_t j, size_t w, int last)
{
	size_t sw = width(s);

	if (j == 6 && sw < w)	/* money is right-aligned */
		fprintf(out, "%*s", (int)(w - sw), "");
	sw = put_cut(out, s, w);
	if (j != 6 && !last)
		fprintf(out, "%*s", (int)(w - sw), "");
	fputs(last ? "\n" : "  ", out);
}

/**
 * report_columns(fd):
 * The width of the terminal the text for ${fd} is read on: $COLUMNS if it
 * is a positive number, else the width of ${fd} if it is a terminal, else
 * 80.
 */
size_t
report_columns(int fd)
{
	struct winsize ws;
	const char *e;
	char *end;
	long c;

	if ((e = getenv("COLUMNS")) != NULL && *e != '\0') {
		c = strtol(e, &end, 10);
		if (*end == '\0' && c > 0 && c <= 100000)
			return ((size_t)c);
	}
	if (fd >= 0 && isatty(fd) && ioctl(fd, TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col > 0)
		return (ws.ws_col);
	return (80);
}

/* "N recommendations, $X/month ($Y/year)" of ${recs} into ${buf}. */
static void
totals(char *buf, size_t n, const json_t *recs)
{
	char m[64], y[64];
	double sum = 0;
	size_t i;
	json_t *rec;

	json_array_foreach(recs, i, rec)
		sum += saving(rec);
	snprintf(buf, n, "%zu recommendation%s, %s/month (%s/year)",
	    json_array_size(recs), json_array_size(recs) == 1 ? "" : "s",
	    report_money(m, sizeof(m), sum, 2), report_money(y, sizeof(y),
	    sum * 12, 2));
}

/* Under the rows of a table or markdown list, whose savings are each
 * table's own, the total of the joint figures: when the two differ, the
 * lines that say which is which, into ${buf}; else "". */
static void
totals_note(char *buf, size_t n, const json_t *recs)
{
	char m[64];
	double own = 0, joint = 0;
	size_t i;
	json_t *rec;

	json_array_foreach(recs, i, rec) {
		own += num(rec, "monthly_savings_usd");
		joint += saving(rec);
	}
	buf[0] = '\0';
	if (fabs(own - joint) >= 0.005)
		snprintf(buf, n, "The rows: each table's own saving (%s in "
		    "all);\nthe total: the bills' change, all applied "
		    "together.\n", report_money(m, sizeof(m), own, 2));
}

/* Write the lines of ${s} to ${out}, each cut to ${cols} columns. */
static void
cut_lines(FILE *out, char *s, size_t cols)
{
	char *nl;

	for (; *s != '\0'; s = nl + 1) {
		if ((nl = strchr(s, '\n')) != NULL)
			*nl = '\0';
		put_cut(out, s, cols);
		fputc('\n', out);
		if (nl == NULL)
			break;
	}
}

/* Widen ${w} towards ${want} with what is ${left}. */
static void
give(size_t *w, size_t want, size_t *left)
{
	size_t d;

	if (want <= *w)
		return;
	d = want - *w < *left ? want - *w : *left;
	*w += d;
	*left -= d;
}

/*
 * Fit the widths ${w} of the columns to ${cols} columns of a terminal:
 * the change and the table's name are cut to what is left, down to 30
 * and 16 columns; if that is not enough, the confidence, the region, the
 * account, the type and the status are left out in that order (${show}[j]
 * is then 0); if that is still not enough, the change and the table go
 * down to 10 and 8 columns (with those columns still left out).  A line may still be wider on a terminal too
 * narrow for the rest: each line is then cut (see format_table).
 */
static void
fit(size_t w[NCOL], int show[NCOL], size_t cols)
{
	static const size_t drop[] = { 7, 3, 2, 1, 8 };
	static const size_t minw[2][2] = { { 30, 16 }, { 10, 8 } };
	size_t j, k, m, sum, minc, mint, left;

	for (j = 0; j < NCOL; j++)
		show[j] = 1;
	for (m = 0; m < 2; m++) {
		minc = w[5] < minw[m][0] ? w[5] : minw[m][0];
		mint = w[4] < minw[m][1] ? w[4] : minw[m][1];
		for (k = 0;; k++) {
			sum = 0;
			for (j = 0; j < NCOL; j++)
				if (show[j])
					sum += (j == 5 ? minc : j == 4 ? mint :
					    w[j]) + 2;
			sum -= 2;
			if (sum <= cols || k == sizeof(drop) / sizeof(drop[0]))
				break;
			show[drop[k]] = 0;
		}
		if (sum <= cols)
			break;
	}
	/* What is left goes to the table's name up to 20 columns, then to
	 * the change, then to the rest of the name. */
	left = sum < cols ? cols - sum : 0;
	give(&mint, w[4] < 20 ? w[4] : 20, &left);
	give(&minc, w[5], &left);
	give(&mint, w[4], &left);
	w[4] = mint;
	w[5] = minc;
}

/* The table format: aligned columns, fitted to the terminal's width
 * (report_columns of ${out}), then the totals. */
static int
format_table(FILE *out, const json_t *recs)
{
	static const char *const head[NCOL] = { "ID", "TYPE", "ACCOUNT",
	    "REGION", "TABLE", "CHANGE", "SAVINGS/MONTH", "CONFIDENCE",
	    "STATUS" };
	char *cell[NCOL], line[256], *buf, *p;
	size_t w[NCOL], i, j, last, cols, len;
	int show[NCOL];
	json_t *rec;
	FILE *mem;

	for (j = 0; j < NCOL; j++)
		w[j] = width(head[j]);
	json_array_foreach(recs, i, rec) {
		if (cells(rec, cell))
			return (-1);
		for (j = 0; j < NCOL; j++)
			if (width(cell[j]) > w[j])
				w[j] = width(cell[j]);
		cells_free(cell);
	}
	cols = report_columns(fileno(out));
	fit(w, show, cols);
	for (last = NCOL - 1; last > 0 && !show[last]; last--)
		;
	/* Each line is made in memory, to be cut if still too wide. */
	buf = NULL;
	if ((mem = open_memstream(&buf, &len)) == NULL) {
		warn("open_memstream");
		return (-1);
	}
	for (j = 0; j < NCOL; j++)
		if (show[j])
			put_cell(mem, head[j], j, w[j], j == last);
	json_array_foreach(recs, i, rec) {
		if (cells(rec, cell)) {
			fclose(mem);
			free(buf);
			return (-1);
		}
		for (j = 0; j < NCOL; j++)
			if (show[j])
				put_cell(mem, cell[j], j, w[j], j == last);
		cells_free(cell);
	}
	totals(line, sizeof(line), recs);
	/* Too wide, the totals go on two lines. */
	if (width(line) + 7 > cols && (p = strstr(line, ", ")) != NULL) {
		*p = '\0';
		fprintf(mem, "\nTotal: %s,\n  %s\n", line, p + 2);
	} else
		fprintf(mem, "\nTotal: %s\n", line);
	totals_note(line, sizeof(line), recs);
	fputs(line, mem);
	if (fclose(mem) != 0) {
		warn("open_memstream");
		free(buf);
		return (-1);
	}
	cut_lines(out, buf, cols);
	free(buf);
	return (0);
}

/* Whether ${s} is a plain decimal number ("-12.5", "3", "1e6"), which a
 * spreadsheet reads as a number and never as a formula. */
static int
plain_number(const char *s)
{
	size_t digits = 0;

	if (*s == '-' || *s == '+')
		s++;
	for (; *s >= '0' && *s <= '9'; s++)
		digits++;
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++)
			digits++;
	if (digits > 0 && (*s == 'e' || *s == 'E')) {
		s++;
		if (*s == '-' || *s == '+')
			s++;
		if (*s < '0' || *s > '9')
			return (0);
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return (digits > 0 && *s == '\0');
}

/* One CSV field: see report.h. */
int
report_csv_field(FILE *out, const char *s, size_t n, int last)
{
	char *t;

	if (n > 0 && strchr("=+-@\t\r", s[0]) != NULL &&
	    (memchr(s, '\0', n) != NULL || !plain_number(s))) {
		if ((t = malloc(n + 1)) == NULL) {
			warnx("out of memory");
			return (-1);
		}
		t[0] = '\'';
		memcpy(t + 1, s, n);
		csv_fwrite(out, t, n + 1);
		free(t);
	} else
		csv_fwrite(out, s, n);
	fputs(last ? "\r\n" : ",", out);
	return (0);
}

/* The csv format: a header row, then a row per record. */
static int
format_csv(FILE *out, const json_t *recs)
{
	static const char *const head[] = { "id", "type", "status", "account",
	    "region", "table", "index", "change", "current_monthly_usd",
	    "recommended_monthly_usd", "monthly_savings_usd",
	    "annual_savings_usd", "savings_pct",
	    "effective_monthly_savings_usd", "confidence", "reason", "apply",
	    NULL };
	static const char *const money[] = { "current_monthly_usd",
	    "recommended_monthly_usd", "monthly_savings_usd",
	    "annual_savings_usd", "savings_pct",
	    "effective_monthly_savings_usd", NULL };
	const char *v;
	char buf[512];
	size_t i, j, n;
	json_t *rec;

	for (j = 0; head[j] != NULL; j++)
		report_csv_field(out, head[j], strlen(head[j]),
		    head[j + 1] == NULL);
	json_array_foreach(recs, i, rec) {
		for (j = 0; head[j] != NULL; j++) {
			if (lookup(head[j], money) >= 0) {
				/* The joint figure beside the list one. */
				snprintf(buf, sizeof(buf), "%.2f", strcmp(
				    head[j], "effective_monthly_savings_usd") ?
				    num(rec, head[j]) : saving(rec));
				v = buf;
				n = strlen(buf);
			} else
				v = field(rec, head[j], &n);
			if (report_csv_field(out, v, n, head[j + 1] == NULL))
				return (-1);
		}
	}
	return (0);
}

/* The json format: one indented array. */
static int
format_json(FILE *out, const json_t *recs)
{

	if (json_dumpf(recs, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
	    JSON_REAL_PRECISION(15)) || fputc('\n', out) == EOF)
		return (-1);
	return (0);
}

/* A Markdown cell of the text ${s}, made visible: what Markdown (GitHub's
 * included) would read as markup, a backslash among it, is escaped with
 * a backslash. */
static void
md(FILE *out, const char *s)
{

	fputs("| ", out);
	for (; *s != '\0'; s++) {
		if (strchr("\\`*_[]<>#|~&", *s) != NULL)
			fputc('\\', out);
		fputc(*s, out);
	}
	fputc(' ', out);
}

/* The markdown format: a table, then the totals. */
static int
format_markdown(FILE *out, const json_t *recs)
{
	char *cell[NCOL], line[256];
	size_t i, j;
	json_t *rec;

	fputs("| ID | Type | Account | Region | Table | Change | "
	    "Savings/month | Confidence | Status |\n", out);
	fputs("|---|---|---|---|---|---|--:|---|---|\n", out);
	json_array_foreach(recs, i, rec) {
		if (cells(rec, cell))
			return (-1);
		for (j = 0; j < NCOL; j++)
			md(out, cell[j]);
		fputs("|\n", out);
		cells_free(cell);
	}
	totals(line, sizeof(line), recs);
	fprintf(out, "\n**Total:** %s\n", line);
	totals_note(line, sizeof(line), recs);
	if (line[0] != '\0')
		fprintf(out, "\n%s", line);
	return (0);
}

/* The comment lines of ${rec} in the script, each made visible so that
 * none ends early; -1 if out of memory. */
static int
comments(FILE *out, const json_t *rec)
{
	struct strbuf b;
	char m[64], y[64];
	char *s;

	strbuf_init(&b, 8 * NDJSON_MAXLINE);
	strbuf_adds(&b, "# ");
	visible_field(&b, rec, "id");
	strbuf_adds(&b, ": ");
	visible_field(&b, rec, "type");
	/* A purchase is of a payer, for a region or (a plan) every one. */
	if (json_is_string(json_object_get(rec, "table"))) {
		strbuf_addc(&b, ' ');
		resource(&b, rec);
		strbuf_adds(&b, " of ");
	} else
		strbuf_adds(&b, " of payer ");
	visible_field(&b, rec, "account");
	if (json_is_string(json_object_get(rec, "region"))) {
		strbuf_adds(&b, " in ");
		visible_field(&b, rec, "region");
	} else
		strbuf_adds(&b, " in every region");
	strbuf_adds(&b, ", ");
	visible_field(&b, rec, "status");
	strbuf_adds(&b, "\n#   ");
	visible_field(&b, rec, "change");
	strbuf_addf(&b, "\n#   saves %s/month (%s/year), confidence ",
	    report_money(m, sizeof(m), num(rec, "monthly_savings_usd"), 2),
	    report_money(y, sizeof(y), num(rec, "annual_savings_usd"), 2));
	visible_field(&b, rec, "confidence");
	strbuf_adds(&b, "\n#   ");
	visible_field(&b, rec, "reason");
	if ((s = strbuf_finish(&b)) == NULL) {
		warnx("out of memory");
		return (-1);
	}
	fprintf(out, "\n%s\n", s);
	free(s);
	return (0);
}

/* The shell functions of the aws-cli script: optima_check and
 * optima_ended, and the one that gives a group its credentials in each
 * mode.  Indented with spaces: the script has no control character. */
static const char script_check[] =
    "\n"
    "# optima_check ACCOUNT REGION: succeed only if the credentials are "
    "ACCOUNT's.\n"
    "optima_check() {\n"
    "    if ! optima_who=$(aws sts get-caller-identity --region \"$2\" \\\n"
    "        --query Account --output text); then\n"
    "        echo \"optima: account $1: aws sts get-caller-identity failed\" "
    ">&2\n"
    "        return 1\n"
    "    fi\n"
    "    if [ \"$optima_who\" != \"$1\" ]; then\n"
    "        echo \"optima: account $1: the credentials are those of account\" "
    "\\\n"
    "            \"$optima_who: none of its commands run\" >&2\n"
    "        return 1\n"
    "    fi\n"
    "}\n"
    "\n"
    "# optima_ended STATUS ACCOUNT: note that the group of ACCOUNT stopped, "
    "if it did.\n"
    "optima_ended() {\n"
    "    if [ \"$1\" -ne 0 ]; then\n"
    "        echo \"optima: account $2: stopped (status $1): its commands\" "
    "\\\n"
    "            \"after the one that failed did not run\" >&2\n"
    "        optima_stopped=\"$optima_stopped $2\"\n"
    "    fi\n"
    "}\n";

static const char script_role[] =
    "\n"
    "# optima_role ACCOUNT PARTITION REGION ROLE: the credentials of the "
    "role ROLE\n"
    "# of ACCOUNT for this subshell, assumed with the script's own, unless "
    "those\n"
    "# are ACCOUNT's already (as optima-discover does).\n"
    "optima_role() {\n"
    "    optima_account=$1\n"
    "    if ! optima_who=$(aws sts get-caller-identity --region \"$3\" \\\n"
    "        --query Account --output text); then\n"
    "        echo \"optima: account $1: aws sts get-caller-identity failed\" "
    ">&2\n"
    "        return 1\n"
    "    fi\n"
    "    [ \"$optima_who\" != \"$1\" ] || return 0\n"
    "    if ! optima_keys=$(aws sts assume-role --region \"$3\" \\\n"
    "        --role-arn \"arn:$2:iam::$1:role/$4\" "
    "--role-session-name optima-apply \\\n"
    "        --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' "
    "\\\n"
    "        --output text); then\n"
    "        echo \"optima: account $1: the role arn:$2:iam::$1:role/$4\" "
    "\\\n"
    "            \"could not be assumed\" >&2\n"
    "        return 1\n"
    "    fi\n"
    "    # Three words: no key has a blank or a pattern character.\n"
    "    set -f\n"
    "    # shellcheck disable=SC2086\n"
    "    set -- $optima_keys\n"
    "    set +f\n"
    "    if [ $# -ne 3 ]; then\n"
    "        echo \"optima: account $optima_account: sts assume-role gave no\" "
    "\\\n"
    "            \"credentials\" >&2\n"
    "        return 1\n"
    "    fi\n"
    "    AWS_ACCESS_KEY_ID=$1 AWS_SECRET_ACCESS_KEY=$2 AWS_SESSION_TOKEN=$3\n"
    "    export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN\n"
    "}\n";

static const char script_profile[] =
    "\n"
    "# optima_profile PROFILE: the credentials of the AWS CLI profile "
    "PROFILE for\n"
    "# this subshell (keys in the environment would come first).\n"
    "optima_profile() {\n"
    "    unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN \\\n"
    "        AWS_SECURITY_TOKEN AWS_CREDENTIAL_EXPIRATION\n"
    "    AWS_PROFILE=$1\n"
    "    export AWS_PROFILE\n"
    "}\n";

/* The head of the aws-cli script of ${o}, for ${recs}: what it holds,
 * how its groups run, and the shell functions they use. */
static void
script_head(FILE *out, const struct report_opts *o, const json_t *recs)
{
	char line[256];

	totals(line, sizeof(line), recs);
	fprintf(out, "#!/bin/sh\n"
	    "# optima list-recommendations: %s.\n", line);
	if (o->status != NULL)
		fprintf(out, "# Only the %s recommendations.\n", o->status);
	else
		fputs("# Every status: --status accepted keeps the accepted "
		    "recommendations only.\n", out);
	fputs("# Rejected and implemented recommendations have no command.\n"
	    "# optima applies nothing: review each command, then run this "
	    "script or the\n"
	    "# commands you choose.\n"
	    "#\n"
	    "# The commands are grouped by account.  Each group runs in a "
	    "subshell with\n", out);
	if (o->role != NULL)
		fprintf(out, "# the credentials of the role %s of its account, "
		    "assumed with those the\n"
		    "# script runs with (unless they are that account's "
		    "already), and runs its\n"
		    "# first command only once \"aws sts get-caller-identity\" "
		    "says they are\n"
		    "# that account's.\n", o->role);	/* a bare word */
	else if (o->profiles != NULL)
		fputs("# the credentials of the AWS CLI profile --profile-map "
		    "gives its account,\n"
		    "# and runs its first command only once \"aws sts "
		    "get-caller-identity\" says\n"
		    "# they are that account's.\n", out);
	else
		fputs("# the credentials the script runs with, and runs its "
		    "first command only\n"
		    "# once \"aws sts get-caller-identity\" says they are that "
		    "account's: run it\n"
		    "# with an account's credentials to change that account, "
		    "or make it with\n"
		    "# --role-name or --profile-map to give each group its "
		    "own.\n", out);
	fputs("# A check or a command that fails stops its group; the other "
	    "groups go on,\n"
	    "# and the script then names the accounts that stopped and "
	    "exits 1.\n"
	    "set -u\n"
	    "# AWS CLI v2 would page each command's output.\n"
	    "AWS_PAGER=\n"
	    "export AWS_PAGER\n"
	    "optima_stopped=\n", out);
	fputs(script_check, out);
	if (o->role != NULL)
		fputs(script_role, out);
	else if (o->profiles != NULL)
		fputs(script_profile, out);
}

/* Write the commands ${s} (as take() has checked them) to ${out}, each
 * line after ${prefix}; -1 if out of memory (reported). */
static int
put_commands(FILE *out, const char *s, const char *prefix)
{
	char *cmds, *p, *nl;

	if ((cmds = requote(s)) == NULL) {
		warnx("out of memory");
		return (-1);
	}
	for (p = cmds; p != NULL; p = nl) {
		if ((nl = strchr(p, '\n')) != NULL)
			*nl++ = '\0';
		fprintf(out, "%s%s\n", prefix, p);
	}
	free(cmds);
	return (0);
}

/*
 * The commands of an idle table's ${rec} in the script of ${o}: keeping
 * it, commented out unless --include-idle; retiring it (a backup, then
 * its deletion), always commented out.  -1 if out of memory (reported).
 */
static int
script_idle(FILE *out, const struct report_opts *o, const json_t *rec)
{
	const char *apply = str(rec, "apply");
	const char *retire = str(rec, "retire_apply");

	if (*apply == '\0')
		fputs("#   to keep it: there is no command to run\n", out);
	else if (!to_run(str(rec, "status"))) {
		fputs("#   ", out);
		fputs(str(rec, "status"), out);
		fputs(": its commands are not written\n", out);
		return (0);
	} else if (!o->include_idle) {
		fputs("#   to keep it (idle tables are commented out: "
		    "--include-idle writes these):\n", out);
		if (put_commands(out, apply, "# "))
			return (-1);
	} else if (put_commands(out, apply, ""))
		return (-1);
	if (*retire == '\0')
		return (0);
	fputs("#   or to retire it, by hand and never from this script: an "
	    "on-demand backup,\n"
	    "#   then, once \"aws dynamodb describe-backup\" says it is "
	    "AVAILABLE, the deletion:\n", out);
	return (put_commands(out, retire, "# "));
}

/* The comments and commands of ${rec} in the script of ${o}; -1 if out
 * of memory (reported). */
static int
script_rec(FILE *out, const struct report_opts *o, const json_t *rec)
{
	const char *apply;
	char *cmds;

	if (comments(out, rec))
		return (-1);
	if (strcmp(str(rec, "type"), "idle") == 0)
		return (script_idle(out, o, rec));
	if ((apply = json_string_value(json_object_get(rec, "apply"))) ==
	    NULL || *apply == '\0') {
		fputs("#   to review: there is no command to run\n", out);
		return (0);
	}
	if (!has_commands(o, rec)) {
		fputs("#   ", out);
		fputs(str(rec, "status"), out);
		fputs(": its commands are not written\n", out);
		return (0);
	}
	/* take() has checked it. */
	if ((cmds = requote(apply)) == NULL) {
		warnx("out of memory");
		return (-1);
	}
	fprintf(out, "%s\n", cmds);
	free(cmds);
	return (0);
}

/* Write ${s} to ${out} as one shell word, then ${end}; -1 if out of
 * memory (reported). */
static int
put_word(FILE *out, const char *s, const char *end)
{
	struct strbuf b;
	char *w;

	strbuf_init(&b, 4 * strlen(s) + 8);
	strbuf_addsh(&b, s);
	if ((w = strbuf_finish(&b)) == NULL) {
		warnx("out of memory");
		return (-1);
	}
	fprintf(out, "%s%s", w, end);
	free(w);
	return (0);
}

/* The group of the recommendations ${recs}[${from}..${to}), of one
 * account and partition, in the script of ${o}: a subshell that takes
 * the account's credentials and checks them before its first command.
 * Return -1 if out of memory (reported). */
static int
script_group(FILE *out, const struct report_opts *o, const json_t *recs,
    size_t from, size_t to)
{
	const json_t *rec, *first = NULL;
	struct strbuf b;
	json_t *group;
	char line[256], *head;
	const char *account, *region;
	size_t i;
	int rc = 0;

	if ((group = json_array()) == NULL) {
		warnx("out of memory");
		return (-1);
	}
	for (i = from; i < to; i++) {
		rec = json_array_get(recs, i);
		json_array_append(group, (json_t *)rec);
		if (first == NULL && has_commands(o, rec))
			first = rec;
	}
	totals(line, sizeof(line), group);
	json_decref(group);
	rec = json_array_get(recs, from);
	strbuf_init(&b, 8 * NDJSON_MAXLINE);
	strbuf_adds(&b, "\n# ==== account ");
	visible_field(&b, rec, "account");
	strbuf_addf(&b, " (partition %s): %s", partition(str(rec, "region")),
	    line);
	if ((head = strbuf_finish(&b)) == NULL) {
		warnx("out of memory");
		return (-1);
	}
	fprintf(out, "%s%s\n", head, first == NULL ? ", nothing to run" : "");
	free(head);
	if (first == NULL) {
		for (i = from; i < to && rc == 0; i++)
			rc = script_rec(out, o, json_array_get(recs, i));
		return (rc);
	}
	/* take() has checked both, for the records with commands. */
	account = str(first, "account");
	region = str(first, "region");
	fputs("(\nset -e\n", out);
	if (o->role != NULL) {
		fputs("optima_role ", out);
		if (put_word(out, account, " ") || put_word(out,
		    partition(region), " ") || put_word(out, region, " ") ||
		    put_word(out, o->role, "\n"))
			return (-1);
	} else if (o->profiles != NULL) {
		fputs("optima_profile ", out);
		if (put_word(out, json_string_value(json_object_get(
		    o->profiles, account)), "\n"))
			return (-1);
	}
	fputs("optima_check ", out);
	if (put_word(out, account, " ") || put_word(out, region, "\n"))
		return (-1);
	for (i = from; i < to && rc == 0; i++)
		rc = script_rec(out, o, json_array_get(recs, i));
	fputs(")\noptima_ended $? ", out);
	return (rc != 0 ? rc : put_word(out, account, "\n"));
}

/* The aws-cli script of ${recs}, sorted by group (see cmp_group), for
 * ${o}. */
static int
format_aws_cli(FILE *out, const struct report_opts *o, const json_t *recs)
{
	size_t from, to, n = json_array_size(recs);

	script_head(out, o, recs);
	for (from = 0; from < n; from = to) {
		for (to = from + 1; to < n && cmp_group(json_array_get(recs,
		    from), json_array_get(recs, to)) == 0; to++)
			;
		if (script_group(out, o, recs, from, to))
			return (-1);
	}
	fputs("\nif [ -n \"$optima_stopped\" ]; then\n"
	    "    echo \"optima: not every change was made: stopped in "
	    "account(s)$optima_stopped\" >&2\n"
	    "    exit 1\n"
	    "fi\n", out);
	return (0);
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
	if (o->format == REPORT_AWS_CLI)
		qsort(v, n, sizeof(*v), o->sort == REPORT_SORT_SAVINGS ?
		    cmp_group_savings : cmp_group_tables);
	else
		qsort(v, n, sizeof(*v), o->sort == REPORT_SORT_SAVINGS ?
		    cmp_savings : cmp_tables);
	for (i = 0; i < n; i++)
		json_array_append(sorted, v[i]);
	free(v);
	rc = 0;
	switch (o->format) {
	case REPORT_TABLE:
		rc = format_table(out, sorted);
		break;
	case REPORT_CSV:
		rc = format_csv(out, sorted);
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
		rc = format_markdown(out, sorted);
		break;
	case REPORT_AWS_CLI:
		rc = format_aws_cli(out, o, sorted);
		break;
	}
	json_decref(sorted);
	/* A write error (the JSON formats fail only on one); running out of
	 * memory is reported where it happens. */
	if (ferror(out)) {
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
		*usd += saving(rec);
		snprintf(key, sizeof(key), "%s\t%s\t%s", str(rec, "account"),
		    str(rec, "region"), str(rec, "table"));
		json_object_set_new(tables, key, json_true());
	}
}

/* Whether ${rec} switches its table to on-demand. */
static int
to_on_demand(const json_t *rec)
{

	return (strcmp(str(json_object_get(rec, "recommended"),
	    "billing_mode"), "PAY_PER_REQUEST") == 0);
}

/* Whether ${rec} switches its table to provisioned capacity. */
static int
to_provisioned(const json_t *rec)
{

	return (!to_on_demand(rec));
}

/* Whether ${rec} switches its table to Standard-IA. */
static int
to_ia(const json_t *rec)
{

	return (strcmp(str(json_object_get(rec, "recommended"), "table_class"),
	    "STANDARD_INFREQUENT_ACCESS") == 0);
}

/* Whether ${rec} switches its table to Standard. */
static int
to_standard(const json_t *rec)
{

	return (!to_ia(rec));
}

/* Whether ${rec} lowers a table's capacity. */
static int
lower(const json_t *rec)
{

	return (!json_is_string(json_object_get(rec, "index")));
}

/* Any idle table's ${rec}. */
static int
idle(const json_t *rec)
{

	(void)rec;
	return (1);
}

/* Whether ${rec} is an index to review. */
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
		{ "idle", "Idle Table Analysis Results",
		    { "Idle tables to review:", NULL }, { "table", NULL },
		    { idle, NULL } },
	};
	char m[64], y[64];
	double usd[2], total;
	size_t i, k, n[2];
	json_t *tables;

	for (i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++) {
		/* Idle tables are looked for by their analysis only. */
		if ((type != NULL && strcmp(type, blocks[i].type) != 0) ||
		    (type == NULL && strcmp(blocks[i].type, "idle") == 0))
			continue;
		if ((tables = json_object()) == NULL)
			return;
		n[1] = 0;
		usd[1] = 0;
		for (k = 0; k < 2 && blocks[i].sel[k] != NULL; k++)
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
		for (k = 0; k < 2 && blocks[i].label[k] != NULL; k++)
			summary_line(fp, blocks[i].label[k], n[k],
			    blocks[i].what[k], usd[k]);
		fprintf(fp, "\nTotal Potential Savings: %s/month (%s/year)\n",
		    report_money(m, sizeof(m), total, 0), report_money(y,
		    sizeof(y), total * 12, 0));
		json_decref(tables);
	}
}
