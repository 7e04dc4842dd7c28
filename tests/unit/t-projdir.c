#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomicio.h"
#include "projdir.h"
#include "tap.h"

static char seen[4096];

static int
visit(const char *p, const struct projdir_entry *e, void *ctx)
{
	const char *rel = p + strlen((const char *)ctx) + 1;
	size_t n = strlen(seen);

	snprintf(seen + n, sizeof(seen) - n, "%s%s%s;", e ? "" : "?",
	    e ? projdir_name(e->file) : "", e ? ":" : "");
	n = strlen(seen);
	snprintf(seen + n, sizeof(seen) - n - 1, "%s;", rel);
	return (0);
}

/* The path of ${file} relative to the root, or NULL. */
static const char *
rel(struct projdir *pd, enum projdir_file file, const char *a, const char *r,
    const char *d)
{
	static char buf[1024];
	char *p;

	if ((p = projdir_path(pd, file, a, r, d)) == NULL)
		return (NULL);
	snprintf(buf, sizeof(buf), "%s", p + strlen(projdir_root(pd)) + 1);
	free(p);
	return (buf);
}

int
main(void)
{
	const char *root = strdup(path(scratch(), "proj"));
	struct projdir_entry e;
	struct projdir *pd, *pd2 = NULL;
	const char *p;
	char pid[32], *q;

	plan(36);
	capture();
	ok(projdir_open(root, 0) == NULL, "missing directory without create");
	ok(strstr(captured(), "proj") != NULL, "error names it");
	ok((pd = projdir_open(root, 1)) != NULL, "created");
	is(projdir_root(pd), root, "root");

	is(rel(pd, PROJDIR_TABLES, "123456789012", "us-east-1", NULL),
	    "tables/account=123456789012/region=us-east-1.ndjson", "tables");
	is(rel(pd, PROJDIR_METRICS, "123456789012", "us-gov-west-1",
	    "2026-11-01"), "metrics/account=123456789012/region=us-gov-west-1/"
	    "date=2026-11-01.ndjson", "metrics");
	is(rel(pd, PROJDIR_PRICES, NULL, "ap-southeast-2", NULL),
	    "prices/region=ap-southeast-2.ndjson", "prices");
	is(rel(pd, PROJDIR_CUR, NULL, NULL, "2026-10"),
	    "cur/billing_period=2026-10.ndjson", "cur");
	is(rel(pd, PROJDIR_ACCOUNTS, NULL, NULL, NULL), "accounts.ndjson",
	    "accounts");
	is(rel(pd, PROJDIR_DECISIONS, NULL, NULL, NULL), "decisions.ndjson",
	    "decisions");
	is(rel(pd, PROJDIR_LOG, NULL, NULL, NULL), "logs/optima.log", "log");

	capture();
	ok(rel(pd, PROJDIR_TABLES, "../../etc/xx", "us-east-1", NULL) == NULL,
	    "account with ../ refused");
	ok(rel(pd, PROJDIR_TABLES, "123456789012", "us-east-1/../x", NULL) ==
	    NULL, "region with ../ refused");
	ok(rel(pd, PROJDIR_METRICS, "123456789012", "us-east-1", "2026-02-30")
	    == NULL, "impossible date refused");
	ok(rel(pd, PROJDIR_TABLES, NULL, "us-east-1", NULL) == NULL,
	    "missing account refused");
	ok(strstr(captured(), "invalid account id") != NULL, "reason given");

	ok(projdir_classify("metrics/account=123456789012/region=eu-west-1/"
	    "date=2026-11-02.ndjson", &e) == 0 && e.file == PROJDIR_METRICS &&
	    strcmp(e.account, "123456789012") == 0 &&
	    strcmp(e.region, "eu-west-1") == 0 &&
	    strcmp(e.date, "2026-11-02") == 0, "classify metrics");
	ok(projdir_classify("cur/billing_period=2026-10.ndjson", &e) == 0 &&
	    e.file == PROJDIR_CUR && strcmp(e.date, "2026-10") == 0,
	    "classify cur");
	ok(projdir_classify("recommendations.ndjson", &e) == 0 &&
	    e.file == PROJDIR_RECOMMENDATIONS, "classify recommendations");
	ok(projdir_classify("tables/account=12345/region=us-east-1.ndjson",
	    &e) == -1, "short account is not of the layout");
	ok(projdir_classify("tables.ndjson", &e) == -1,
	    "tables.ndjson is not of the layout");
	ok(projdir_classify("prices/region=us-east-1.ndjson.tmp", &e) == -1,
	    "suffix is not of the layout");

	/* Every path classifies back to its parts. */
	q = projdir_path(pd, PROJDIR_METRICS, "000000000001", "cn-north-1",
	    "2024-02-29");
	ok(q != NULL && projdir_classify(q + strlen(root) + 1, &e) == 0 &&
	    strcmp(e.date, "2024-02-29") == 0, "path and classify agree");
	free(q);

	ok(projdir_valid_region("il-central-1") &&
	    !projdir_valid_region("us-east") && !projdir_valid_region("US-EAST-1")
	    && !projdir_valid_region("us--east-1"), "region names");

	/* The walk: sorted, data files classified, leftovers flagged. */
	p = "{\"kind\":\"x\"}\n";
	atomicio_mkdirs(path(root, "tables/account=210987654321"));
	atomicio_mkdirs(path(root, "tables/account=123456789012"));
	atomicio_mkdirs(path(root, "metrics/account=123456789012/region=us-east-1"));
	spew(path(root, "tables/account=210987654321/region=us-east-1.ndjson"), p);
	spew(path(root, "tables/account=123456789012/region=us-west-2.ndjson"), p);
	spew(path(root, "tables/account=123456789012/.region=us-west-2.ndjson.Ab12Cd"), p);
	spew(path(root, "metrics/account=123456789012/region=us-east-1/date=2026-11-01.ndjson"), p);
	spew(path(root, "accounts.ndjson"), p);
	spew(path(root, ".accounts.ndjson.XyZ123"), p);
	spew(path(root, "notes.txt"), p);
	spew(path(root, "optima.conf"), "");
	ok(projdir_walk(pd, visit, (void *)root) == 0, "walk");
	is(seen, "?;.accounts.ndjson.XyZ123;accounts:;accounts.ndjson;"
	    "metrics:;metrics/account=123456789012/region=us-east-1/"
	    "date=2026-11-01.ndjson;"
	    "?;tables/account=123456789012/.region=us-west-2.ndjson.Ab12Cd;"
	    "tables:;tables/account=123456789012/region=us-west-2.ndjson;"
	    "tables:;tables/account=210987654321/region=us-east-1.ndjson;",
	    "walk order and classes");
	is_int(projdir_record_kind(PROJDIR_METRICS)[0], 's', "series kind");

	/* Below the root no link is followed, for reading or writing. */
	atomicio_mkdirs(path(scratch(), "outside"));
	capture();
	ok(symlink(path(scratch(), "outside"), path(root, "prices")) == 0 &&
	    projdir_walk(pd, visit, (void *)root) == -1 &&
	    strstr(captured(), "prices: a symbolic link") != NULL,
	    "a linked data directory stops the walk, named");
	capture();
	ok(rel(pd, PROJDIR_PRICES, NULL, "us-east-1", NULL) == NULL &&
	    strstr(captured(), "prices: a symbolic link") != NULL,
	    "and has no paths");
	unlink(path(root, "prices"));
	capture();
	ok(symlink(path(scratch(), "outside"),
	    path(root, "metrics/account=123456789012/region=us-west-2")) == 0 &&
	    rel(pd, PROJDIR_METRICS, "123456789012", "us-west-2",
	    "2026-11-01") == NULL && projdir_walk(pd, visit, (void *)root) ==
	    -1 && strstr(captured(), "region=us-west-2: a symbolic link") !=
	    NULL, "nor has a linked directory deeper down");
	unlink(path(root, "metrics/account=123456789012/region=us-west-2"));
	capture();
	ok(symlink(path(scratch(), "outside"), path(root, "state")) == 0 &&
	    rel(pd, PROJDIR_STATE, NULL, NULL, NULL) == NULL &&
	    strstr(captured(), "state: a symbolic link") != NULL,
	    "a linked state/ is refused");
	unlink(path(root, "state"));
	ok(symlink(root, path(scratch(), "root-link")) == 0 &&
	    (pd2 = projdir_open(path(scratch(), "root-link"), 0)) != NULL &&
	    rel(pd2, PROJDIR_STATE, NULL, NULL, NULL) != NULL &&
	    projdir_walk(pd2, visit, (void *)root) == 0,
	    "the root itself may be a link");

	/* One writer at a time: the second is told who holds it. */
	snprintf(pid, sizeof(pid), "(pid %ld)", (long)getpid());
	ok(projdir_lock(pd) == 0, "the lock is taken");
	capture();
	ok(projdir_lock(pd2) == -1 && strstr(p = captured(),
	    "another optima is running in") != NULL &&
	    strstr(p, pid) != NULL, "a second claim says who holds it");
	is(slurp(path(root, "state/lock")), "", "the lock file stays empty");
	projdir_free(pd);
	ok(projdir_lock(pd2) == 0, "free releases it");
	projdir_free(pd2);
	free((char *)root);
	return (done());
}
