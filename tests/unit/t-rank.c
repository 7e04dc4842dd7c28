#include <string.h>

#include "rank.h"
#include "re2.h"
#include "report.h"
#include "tap.h"

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
	};
	static const char *const accepted[] = { "^orders$", "a+?b*?c??",
	    "(?i)orders", "(?:a|b){2,3}", "(?P<n>x)", "(?<n>x)", "[(?=]",
	    "[\\1]", "\\Q(?=\\E", "a\\+\\+", "[[:alpha:]]+", "x{2}?",
	    "\\d\\w\\s\\b", NULL };
	char id[RANK_IDLEN], id2[RANK_IDLEN], m[64];
	const char *why, *const *p;
	struct re2 *re;
	size_t i;

	plan(49);
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

	is(report_money(m, sizeof(m), 2340.4, 0), "$2,340", "money");
	is(report_money(m, sizeof(m), 38760, 0), "$38,760", "money, year");
	is(report_money(m, sizeof(m), 1234567.891, 2), "$1,234,567.89",
	    "money, cents");
	is(report_money(m, sizeof(m), 999.996, 2), "$1,000.00",
	    "money, rounded up");
	is(report_money(m, sizeof(m), -0.001, 2), "$0.00", "money, no -0");
	return (done());
}
