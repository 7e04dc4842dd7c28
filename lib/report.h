#ifndef REPORT_H
#define REPORT_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

struct re2;

/*
 * Report: recommendation records as people read them.  Their status is
 * the one decisions.ndjson gives now (see decision.h), not the one
 * written when they were ranked.  Formats:
 *
 *   table	aligned columns for a terminal, and a totals line; the
 *		change (then the table) cut with "..." to fit the width
 *		report_columns gives, the confidence, region, account,
 *		type and status left out if that is not enough
 *   csv	RFC 4180 (every field quoted, CRLF), a header row first
 *   json	one array of the records
 *   ndjson	the records, one a line
 *   markdown	a table, and a totals row
 *   aws-cli	a shell script of the commands that apply them, each
 *		commented with its id, saving and reason; it is printed,
 *		never run.  The commands are grouped by account, each group
 *		in a subshell with that account's credentials (the role
 *		of --role-name, assumed; the profile --profile-map names;
 *		or those the script runs with) that runs nothing unless
 *		"aws sts get-caller-identity" says they are the account's.
 *		A group that fails stops; the others go on, and the script
 *		exits 1 naming the accounts that stopped.  Rejected and
 *		implemented recommendations are written without a command.
 *
 * No text from a record can act in what reads a format.  In table and
 * markdown, and in the comments of aws-cli, control characters (and the
 * Unicode ones that hide or reorder text) are written as escapes such as
 * \n and \x1b, a backslash doubled; markdown also escapes its markup
 * with backslashes.  A csv field that would start a formula (=, +, -,
 * @, tab, CR) is preceded by a single quote, unless it is a plain
 * number.  The commands of aws-cli are read as the words optima-rank
 * writes and each word is quoted anew; a record holding anything else in
 * "apply" is an error (file:line), and a command with a control character
 * in an argument is left as a comment.  Jansson escapes json and ndjson.
 */

enum report_format {
	REPORT_TABLE,
	REPORT_CSV,
	REPORT_JSON,
	REPORT_NDJSON,
	REPORT_MARKDOWN,
	REPORT_AWS_CLI
};

enum report_sort {
	REPORT_SORT_SAVINGS,	/* largest saving first */
	REPORT_SORT_TABLE	/* account, region, table, index, type */
};

struct report_opts {
	enum report_format format;
	enum report_sort sort;
	const char *type;	/* NULL: all */
	const char *status;	/* NULL: all */
	const char *region;	/* NULL: all */
	const char *account;	/* NULL: all */
	const struct re2 *table_re;	/* NULL: all */
	double min_savings;	/* USD a month */
	/* aws-cli: whose credentials each account's commands run with. */
	const char *role;	/* assume this role; NULL: see profiles */
	const json_t *profiles;	/* account -> profile; NULL: the caller's */
	int include_idle;	/* an idle table's commands to keep it run */
};

/**
 * report_parse_format(s, f), report_parse_sort(s, s):
 * Set ${f} from the name of a format ("table", "csv", "json", "ndjson",
 * "markdown", "aws-cli") or of a sort ("savings", "table").  Return 0, or
 * -1 if the name is unknown (nothing reported).
 */
int report_parse_format(const char *, enum report_format *);
int report_parse_sort(const char *, enum report_sort *);

/**
 * report_valid_type(s):
 * Non-zero if ${s} is a type of recommendation: capacity, table_class,
 * utilization or commitment (optima-commit's purchases, whose records
 * have no table).
 */
int report_valid_type(const char *);

/**
 * report_valid_role(s):
 * Non-zero if ${s} can be the name of an IAM role, with its path if any
 * ("Name", "path/Name"): 1 to 512 of the characters IAM allows
 * (letters, digits, and "+=,.@_-/"), not starting or ending with "/".
 */
int report_valid_role(const char *);

/**
 * report_load_profiles(path):
 * Read the profile map ${path}: a line per account, "ACCOUNT PROFILE"
 * (the 12 digits, blanks, the name of an AWS CLI profile: 1 to 128
 * characters, none blank nor a control), blank lines and "#" comments
 * ignored.  Return an object from account to profile, or NULL on an error
 * (reported as file:line: a bad line, or an account named twice).
 */
json_t *report_load_profiles(const char *);

/**
 * report_run(opts, files, decisions, out):
 * Read the recommendation records of ${files} (NULL-terminated; "-" is
 * the standard input), give each its status from ${decisions}, keep those
 * ${opts} selects, sort them, and write them to ${out} in the format of
 * ${opts}.  Return 0, or -1 on an error (reported, with file:line for bad
 * records, and for a table name the regular expression of ${opts} could
 * not be matched against within re2_match's bounds).  In aws-cli, a
 * record with commands is bad if its account or region is not well
 * formed, or if its account is not in the profile map of ${opts}.
 */
int report_run(const struct report_opts *, char *const *, const json_t *,
    FILE *);

/**
 * report_summary(fp, recs, type, analyzed):
 * Print to ${fp} the summary block of the original tool for ${type}
 * ("Capacity Mode Analysis Results" ... "Total Potential Savings:
 * $3,230/month ($38,760/year)"), or for each type if ${type} is NULL,
 * from the recommendation records of the array ${recs} that are pending
 * or accepted, of ${analyzed} tables.
 */
void report_summary(FILE *, const json_t *, const char *, size_t);

/**
 * report_columns(fd):
 * The width of the terminal the text for ${fd} is read on: $COLUMNS if it
 * is a positive number, else the width of ${fd} if it is a terminal (-1:
 * none), else 80.  The table format fits in it.
 */
size_t report_columns(int);

/**
 * report_money(buf, n, usd, decimals):
 * Write ${usd} into ${buf} (${n} bytes) as "$1,234" with ${decimals}
 * digits after the point (0 or 2); return ${buf}.
 */
char *report_money(char *, size_t, double, int);

/**
 * report_csv_field(fp, s, n, last):
 * Write the ${n} bytes at ${s} to ${fp} as one quoted CSV field, then a
 * comma, or CRLF if ${last}.  A field a spreadsheet would take for a
 * formula (it starts with =, +, -, @, a tab or a carriage return, and is
 * not a plain number) is preceded by a single quote, as OWASP advises
 * against CSV injection.  Return -1 if out of memory (reported).
 */
int report_csv_field(FILE *, const char *, size_t, int);

#endif
