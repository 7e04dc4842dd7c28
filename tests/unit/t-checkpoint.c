#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "atomicio.h"
#include "checkpoint.h"
#include "projdir.h"
#include "tap.h"

static char listed[1024];

static int
lister(const char *stage, const json_t *run, unsigned long done,
    const json_t *failures, void *ctx)
{
	const json_t *f;
	size_t i, n = strlen(listed);

	snprintf(listed + n, sizeof(listed) - n, "%s:%s:%lu:%lld;", stage,
	    run ? json_string_value(json_object_get(run, "started")) : "-",
	    done, run ? (long long)json_integer_value(json_object_get(run,
	    "units")) : -1LL);
	json_array_foreach(failures, i, f) {
		n = strlen(listed);
		snprintf(listed + n, sizeof(listed) - n, "!%s=%s;",
		    json_string_value(json_object_get(f, "unit")),
		    json_string_value(json_object_get(f, "code")));
	}
	return (0);
}

static const char *
list(struct projdir *pd)
{

	listed[0] = '\0';
	if (checkpoint_list(pd, lister, NULL))
		return ("error");
	return (listed);
}

int
main(void)
{
	const char *u1 = "account=123456789012/region=us-east-1";
	const char *u2 = "account=123456789012/region=eu-west-1";
	struct projdir *pd;
	struct checkpoint *c;
	time_t t0 = 1795564800;
	const char *out;
	json_t *a, *b;

	plan(34);
	pd = projdir_open(path(scratch(), "p"), 1);
	is(list(pd), "", "nothing to list in a new project");
	ok((c = checkpoint_open(pd, "discover", 0, t0, 2, NULL)) != NULL, "open");
	is_int(checkpoint_done(c, u1), 0, "not done yet");
	ok(checkpoint_mark(c, u1, t0 + 5) == 0, "mark");
	is_int(checkpoint_done(c, u1), 1, "done after mark");
	is_int(checkpoint_done(c, u2), 0, "other unit not done");
	is(slurp(path(projdir_root(pd), "state/discover/account=123456789012/"
	    "region=us-east-1.done")), "{\"kind\":\"checkpoint\",\"unit\":"
	    "\"account=123456789012/region=us-east-1\",\"done\":"
	    "\"2026-11-25T00:00:05Z\"}\n", "marker content");
	is(list(pd), "discover:2026-11-25T00:00:00Z:1:2;",
	    "unfinished run listed");
	checkpoint_free(c);

	/* Resume keeps the markers; a fresh run forgets them. */
	ok((c = checkpoint_open(pd, "discover", 1, t0 + 60, 2, NULL)) != NULL,
	    "resume");
	is_int(checkpoint_done(c, u1), 1, "resume keeps finished units");
	/* A failure is listed until the unit is done. */
	ok(checkpoint_fail(c, u2, t0 + 61, "AccessDenied", "no") == 0 &&
	    checkpoint_fail(c, "account=1/region=a", t0 + 62, "Throttling",
	    "slow") == 0, "fail");
	is_int(checkpoint_done(c, u2), 0, "a failed unit is not done");
	is(list(pd), "discover:2026-11-25T00:01:00Z:1:2;!account=1/region=a="
	    "Throttling;!account=123456789012/region=eu-west-1=AccessDenied;",
	    "failures listed, sorted by unit");
	ok(checkpoint_mark(c, u2, t0 + 65) == 0, "mark second");
	is(list(pd), "discover:2026-11-25T00:01:00Z:2:2;!account=1/region=a="
	    "Throttling;", "the failure of a unit done is forgotten");
	ok(checkpoint_finish(c) == 0, "finish");
	is(list(pd), "discover:-:2:-1;!account=1/region=a=Throttling;",
	    "finished run listed");
	ok((c = checkpoint_open(pd, "discover", 0, t0 + 120, 0, NULL)) != NULL,
	    "fresh run");
	is(list(pd), "discover:2026-11-25T00:02:00Z:0:0;",
	    "a fresh run forgets old failures");
	is_int(checkpoint_done(c, u1), 0, "fresh run forgets old markers");

	capture();
	is_int(checkpoint_done(c, "account=1/../../x"), -1, "../ refused");
	is_int(checkpoint_mark(c, "noequals", t0), -1, "malformed unit");
	ok(strstr(captured(), "invalid checkpoint unit") != NULL, "reason");
	checkpoint_free(c);

	/* A run resumed with other options would mix two kinds of units. */
	a = json_pack("{s:i}", "period", 60);
	b = json_pack("{s:i}", "period", 300);
	ok((c = checkpoint_open(pd, "metrics", 0, t0, 1, a)) != NULL,
	    "open with options");
	checkpoint_free(c);
	capture();
	ok(checkpoint_open(pd, "metrics", 1, t0, 1, b) == NULL &&
	    strstr(captured(), "started with other options ({\"period\":60})")
	    != NULL, "resume with other options refused");
	ok((c = checkpoint_open(pd, "metrics", 1, t0, 1, a)) != NULL,
	    "resume with the same options");
	checkpoint_free(c);
	json_decref(a);
	json_decref(b);
	capture();
	ok(checkpoint_open(pd, "../x", 0, t0, 0, NULL) == NULL &&
	    strstr(captured(), "invalid checkpoint stage") != NULL,
	    "bad stage refused");

	/* A fresh run removes old markers, never through a link. */
	out = strdup(path(scratch(), "outside"));
	atomicio_mkdirs(path(out, "sub"));
	spew(path(out, "a.done"), "keep");
	spew(path(out, "sub/b.done"), "keep");
	ok(symlink(out, path(projdir_root(pd), "state/cur")) == 0,
	    "state/cur is a link");
	capture();
	ok(checkpoint_open(pd, "cur", 0, t0, 0, NULL) == NULL &&
	    strstr(captured(), "state/cur: a symbolic link") != NULL,
	    "a fresh run refuses it, named");
	ok(slurp(path(out, "a.done")) != NULL &&
	    slurp(path(out, "sub/b.done")) != NULL, "its target kept whole");
	capture();
	ok(strcmp(list(pd), "error") == 0 &&
	    strstr(captured(), "state/cur: a symbolic link") != NULL,
	    "and the listing refuses it too");
	unlink(path(projdir_root(pd), "state/cur"));
	atomicio_mkdirs(path(projdir_root(pd), "state/discover"));
	ok(symlink(out, path(projdir_root(pd),
	    "state/discover/account=210987654321")) == 0, "a unit's directory "
	    "is a link");
	capture();
	ok(checkpoint_open(pd, "discover", 0, t0, 0, NULL) == NULL &&
	    strstr(captured(), "account=210987654321: a symbolic link") !=
	    NULL && slurp(path(out, "a.done")) != NULL,
	    "a fresh run refuses it, its target kept");
	capture();
	ok((c = checkpoint_open(pd, "discover", 1, t0, 0, NULL)) != NULL &&
	    checkpoint_mark(c, "account=210987654321/region=us-east-1",
	    t0) == -1 && slurp(path(out, "region=us-east-1.done")) == NULL &&
	    strstr(captured(), "account=210987654321: a symbolic link") != NULL,
	    "a resumed run marks nothing through it");
	checkpoint_free(c);
	free((char *)out);
	projdir_free(pd);
	return (done());
}
