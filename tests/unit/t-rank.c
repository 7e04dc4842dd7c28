#include <string.h>
#include <time.h>

#include "rank.h"
#include "re2.h"
#include "report.h"
#include "tap.h"

#define REPEAT	"repetition counts above 1000 (nested counts multiplied)"

int
main(void)
{
	static const struct { const char *re, *why; } refused[] = {
		{ "(a)\\1", "backreferences" },
		{ "(?P<n>a)(?P=n)", "backreferences" },
		{ "\\k<n>", "backreferences" },
		{ "\\g{1}", "backreferences" },
		{ "a(?=b)", "lookahead" },
		{ "a(?!b)", "lookahead" },
		{ "(?<=a)b", "lookbehind" },
		{ "(?<!a)b", "lookbehind" },
		{ "(?>a+)", "atomic groups" },
		{ "a*+", "possessive quantifiers" },
		{ "a{1,3}+", "possessive quantifiers" },
		{ "a\\C", "\\C (one byte)" },
		{ "(?R)", "recursion" },
		{ "(a)(?1)", "recursion" },
		{ "(?&n)", "recursion" },
		{ "(?(1)a|b)", "conditionals" },
		{ "(*FAIL)", "backtracking verbs" },
		{ "a\\Kb", "\\K" },
		{ "a{1001}", REPEAT },
		{ "a{2000,}", REPEAT },
		{ "(a{100}){11}", REPEAT },
		{ "((a{10}){10}){11}", REPEAT },
		{ "(?:b|a{600}){2}", REPEAT },
	};
	static const char *const accepted[] = { "^orders$", "a+?b*?c??",
	    "(?i)orders", "(?:a|b){2,3}", "(?P<n>x)", "(?<n>x)", "[(?=]",
	    "[\\1]", "\\Q(?=\\E", "a\\+\\+", "[[:alpha:]]+", "x{2}?",
	    "\\d\\w\\s\\b", "a{1000}", "(a{10}){100}", "(a{10})(b{100}){10}",
	    "\\x{2000}", "\\p{Greek}{3}", "[{2000}]", "\\Q{2000}\\E",
	    "((\\w?){1,20}){1,20}\\W", "(\\w*){1,1000}\\W", NULL };
	/* What RE2 matches in linear time, a backtracking matcher not. */
	static const char *const costly[] = { "((\\w?){1,20}){1,20}\\W",
	    "(\\w*){1,1000}\\W", "(?:\\w?){16}\\W", "\\w*\\w*\\w*\\w*\\w*\\w*\\W",
	    NULL };
	static const char *const fine[] = { "(a|aa)*$", "^(?:a|b)*$",
	    "^(\\w+)+$", "\\w*\\d\\w*$|a$", NULL };
	struct timespec t0, t1;
	char name[256];
	double ms;
	char id[RANK_IDLEN], id2[RANK_IDLEN], m[64];
	const char *why, *const *p;
	struct re2 *re;
	size_t i;

	plan(75);
	rank_id(id, "capacity", "123456789012", "us-east-1", "orders", NULL,
	    "PAY_PER_REQUEST");
	is(id, "cap-b148c1fb31ad917e", "id: FNV-1a of the fields");
	rank_id(id2, "capacity", "123456789012", "us-east-1", "orders", NULL,
	    "PROVISIONED");
	ok(strcmp(id, id2) != 0, "id: another target, another id");
	rank_id(id2, "utilization", "123456789012", "us-east-1", "orders",
	    "by-date", "review");
	ok(strncmp(id2, "util-", 5) == 0 && strlen(id2) == 21,
	    "id: util- and 16 hex digits");
	rank_id(id2, "table_class", "1", "r", "orders", NULL, "STANDARD");
	ok(strncmp(id2, "cls-", 4) == 0, "id: cls-");
	rank_id(id, "capacity", "12", "3", "x", NULL, "y");
	rank_id(id2, "capacity", "1", "23", "x", NULL, "y");
	ok(strcmp(id, id2) != 0, "id: fields are kept apart");

	is(rank_confidence(1, 14, 2, 0), "high", "confidence: high");
	is(rank_confidence(0.94, 14, 2, 0), "medium", "confidence: coverage");
	is(rank_confidence(1, 13, 2, 0), "medium", "confidence: days");
	is(rank_confidence(1, 14, 11, 0), "medium", "confidence: spiky");
	is(rank_confidence(1, 30, 2, 1), "medium", "confidence: coarse");
	is(rank_confidence(0.79, 14, 2, 0), "low", "confidence: gaps");
	is(rank_confidence(1, 6, 2, 0), "low", "confidence: short");
	is(rank_confidence(1, 2.5, 1, 0), "low",
	    "confidence: a table's own 2.5 days");
	is(rank_confidence(1, 13.5, 1, 0), "medium",
	    "confidence: a table's own 13.5 days");
	is(rank_confidence(1, 14, 1, 0), "high",
	    "confidence: a table's own 14 days");

	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		why = NULL;
		ok(re2_check(refused[i].re, &why) == -1 && why != NULL &&
		    strcmp(why, refused[i].why) == 0, "refused %s: %s",
		    refused[i].re, why ? why : "(accepted)");
	}
	for (p = accepted; *p != NULL; p++)
		ok(re2_check(*p, &why) == 0, "accepted %s", *p);
	re = re2_compile("^app-", "--table-regex");
	ok(re != NULL && re2_match(re, "app-x") && !re2_match(re, "my-app-x"),
	    "compiled and matched");
	re2_free(re);
	re2_free(NULL);

	memset(name, 'a', 255);
	name[255] = '\0';
	for (p = costly; *p != NULL; p++) {
		re = re2_compile(*p, "--table-regex");
		clock_gettime(CLOCK_MONOTONIC, &t0);
		i = re != NULL ? (size_t)(re2_match(re, name) + 1) : 9;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
		ok(i == 0 && ms < 500, "%s against 255 bytes: -1, in %.1f ms",
		    *p, ms);
		re2_free(re);
	}
	for (p = fine; *p != NULL; p++) {
		re = re2_compile(*p, "--table-regex");
		ok(re != NULL && re2_match(re, name) == 1, "%s matches 255 "
		    "bytes", *p);
		re2_free(re);
	}
	re = re2_compile("x", "--table-regex");
	ok(re != NULL && re2_match(re, "\xff") == -1, "not UTF-8: -1");
	re2_free(re);

	is(report_money(m, sizeof(m), 2340.4, 0), "$2,340", "money");
	is(report_money(m, sizeof(m), 38760, 0), "$38,760", "money, year");
	is(report_money(m, sizeof(m), 1234567.891, 2), "$1,234,567.89",
	    "money, cents");
	is(report_money(m, sizeof(m), 999.996, 2), "$1,000.00",
	    "money, rounded up");
	is(report_money(m, sizeof(m), -0.001, 2), "$0.00", "money, no -0");
	return (done());
}
