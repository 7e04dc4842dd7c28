#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "atomicio.h"
#include "checkpoint.h"
#include "datetime.h"
#include "ndjson.h"
#include "projdir.h"

struct checkpoint {
	const struct projdir *pd;
	char *dir;		/* state/STAGE */
	char *run;		/* state/STAGE.run */
};

/* A stage is a lowercase word. */
static int
valid_stage(const char *s)
{
	const char *p;

	for (p = s; *p >= 'a' && *p <= 'z'; p++)
		;
	return (p != s && *p == '\0' && p - s < 64);
}

/* A unit is "key=value" parts joined by '/', in a safe alphabet. */
static int
valid_unit(const char *s)
{
	const char *p;
	int eq = 0;

	if (*s == '\0' || strlen(s) > 512)
		return (0);
	for (p = s; *p != '\0'; p++) {
		if (*p == '/') {
			if (!eq || p[1] == '\0')
				return (0);
			eq = 0;
		} else if (*p == '=') {
			if (eq || p == s || p[-1] == '/' || p[1] == '/' ||
			    p[1] == '\0')
				return (0);
			eq = 1;
		} else if (!((*p >= 'a' && *p <= 'z') ||
		    (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '_' || *p == '.'))
			return (0);
	}
	return (eq);
}

/* "${a}${b}${c}" as a malloced string, or NULL (reported). */
static char *
join(const char *a, const char *b, const char *c)
{
	size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
	char *p;

	if ((p = malloc(n)) == NULL) {
		warn("checkpoint");
		return (NULL);
	}
	snprintf(p, n, "%s%s%s", a, b, c);
	return (p);
}

/* Report that ${path} is a symbolic link, which optima never follows. */
static int
refuse_link(const char *path)
{

	warnx("%s: a symbolic link inside the project directory (refused)",
	    path);
	return (-1);
}

/*
 * Call ${fn}(path, ${ctx}) for each file below ${path}, the directory open
 * at ${fd} (closed); with ${rm}, remove every file and directory below it
 * instead.  Nothing is followed: a symbolic link is an error.
 */
static int
tree_at(int fd, const char *path, int (*fn)(const char *, void *),
    void *ctx, int rm)
{
	struct dirent *de;
	struct stat sb;
	DIR *d;
	char *sub;
	int sfd, rc = 0;

	if ((d = fdopendir(fd)) == NULL) {
		warn("%s", path);
		close(fd);
		return (-1);
	}
	while (rc == 0 && (errno = 0, de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if ((sub = join(path, "/", de->d_name)) == NULL) {
			rc = -1;
			break;
		}
		if (fstatat(dirfd(d), de->d_name, &sb, AT_SYMLINK_NOFOLLOW)) {
			warn("%s", sub);
			rc = -1;
		} else if (S_ISLNK(sb.st_mode))
			rc = refuse_link(sub);
		else if (S_ISDIR(sb.st_mode)) {
			if ((sfd = openat(dirfd(d), de->d_name, O_RDONLY |
			    O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) == -1) {
				warn("%s", sub);
				rc = -1;
			} else
				rc = tree_at(sfd, sub, fn, ctx, rm);
			if (rc == 0 && rm && unlinkat(dirfd(d), de->d_name,
			    AT_REMOVEDIR)) {
				warn("rmdir %s", sub);
				rc = -1;
			}
		} else if (rm) {
			if (unlinkat(dirfd(d), de->d_name, 0)) {
				warn("unlink %s", sub);
				rc = -1;
			}
		} else
			rc = fn(sub, ctx);
		free(sub);
	}
	if (rc == 0 && errno != 0) {
		warn("%s", path);
		rc = -1;
	}
	closedir(d);
	return (rc);
}

/*
 * Call ${fn}(path, ${ctx}) for each file below ${dir}; with ${rm} (${fn}
 * NULL), remove ${dir} and everything below it instead.  A missing ${dir}
 * has no files.  No symbolic link is followed, ${dir} included: one is
 * an error, so a link never leads a removal out of the project.
 */
static int
tree(const char *dir, int (*fn)(const char *, void *), void *ctx, int rm)
{
	struct stat sb;
	int fd;

	if (lstat(dir, &sb)) {
		if (errno == ENOENT)
			return (0);
		warn("%s", dir);
		return (-1);
	}
	if (S_ISLNK(sb.st_mode))
		return (refuse_link(dir));
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) == -1) {
		warn("%s", dir);
		return (-1);
	}
	if (tree_at(fd, dir, fn, ctx, rm))
		return (-1);
	if (rm && rmdir(dir)) {
		warn("rmdir %s", dir);
		return (-1);
	}
	return (0);
}

/* What list_stage found under a stage's directory. */
struct found {
	unsigned long done;
	json_t *failures;
};

static int
ends(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return (n > k && strcmp(s + n - k, suffix) == 0);
}

static int
count_markers(const char *path, void *ctx)
{
	struct found *f = ctx;
	struct ndjson_reader *r;
	json_t *rec;

	if (ends(path, ".done"))
		f->done++;
	else if (ends(path, ".failed")) {
		if ((r = ndjson_reader_open(path, 4096)) == NULL)
			return (-1);
		if (ndjson_reader_next(r, &rec) != 1) {
			ndjson_reader_close(r);
			return (-1);
		}
		ndjson_reader_close(r);
		json_array_append_new(f->failures, rec);
	}
	return (0);
}

static int
cmp_failures(const void *a, const void *b)
{
	const json_t *const *x = a, *const *y = b;
	const char *u = json_string_value(json_object_get(*x, "unit"));
	const char *v = json_string_value(json_object_get(*y, "unit"));

	return (strcmp(u ? u : "", v ? v : ""));
}

/* Sort the failure records of ${a} by unit; -1 if out of memory. */
static int
sort_failures(json_t *a)
{
	json_t **v;
	size_t i, n = json_array_size(a);

	if (n < 2)
		return (0);
	if ((v = malloc(n * sizeof(*v))) == NULL) {
		warn("checkpoint");
		return (-1);
	}
	for (i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(a, i));
	qsort(v, n, sizeof(*v), cmp_failures);
	json_array_clear(a);
	for (i = 0; i < n; i++)
		json_array_append_new(a, v[i]);
	free(v);
	return (0);
}

/* Write the JSON object ${o} (stolen) to ${path} atomically, first
 * removing what a writer of ${path} killed before its rename left. */
static int
write_json(const char *path, json_t *o)
{
	struct atomicio *a;
	int rc = -1;

	if (o == NULL) {
		warnx("%s: out of memory", path);
		return (-1);
	}
	if (atomicio_sweep(path) || (a = atomicio_open(path, 0644)) == NULL)
		goto done;
	if (ndjson_write(atomicio_fp(a), o)) {
		warn("%s", path);
		atomicio_abort(a);
		goto done;
	}
	rc = atomicio_commit(a);
done:
	json_decref(o);
	return (rc);
}

/* Whether the unfinished run at ${path} was started with ${params}: 1
 * if so (or if there is none), 0 if not (reported), -1 on error. */
static int
same_params(const char *path, const json_t *params)
{
	struct ndjson_reader *r;
	struct stat sb;
	json_t *run = NULL, *was;
	char *s;
	int rc;

	if (lstat(path, &sb) != 0)
		return (errno == ENOENT ? 1 : (warn("%s", path), -1));
	if ((r = ndjson_reader_open(path, 65536)) == NULL)
		return (-1);
	if (ndjson_reader_next(r, &run) != 1)
		rc = -1;
	else if ((was = json_object_get(run, "params")) == NULL && params == NULL)
		rc = 1;
	else if ((rc = was != NULL && params != NULL && json_equal(was,
	    params)) == 0) {
		s = was != NULL ? json_dumps(was, JSON_COMPACT) : NULL;
		warnx("--resume: the unfinished run was started with other "
		    "options (%s): rerun it with those, or without --resume",
		    s != NULL ? s : "none");
		free(s);
	}
	json_decref(run);
	ndjson_reader_close(r);
	return (rc);
}

/**
 * checkpoint_open(pd, stage, resume, now, planned, params):
 * Begin (or with ${resume}, continue) a run of ${stage} in ${pd} at time
 * ${now}, with ${planned} units of work (0 if not known yet) and the
 * options ${params} that decide what a unit holds (a JSON object, or
 * NULL).  Without ${resume} the markers of earlier runs are removed
 * first, so every unit is done again; with it, an unfinished run started
 * with other ${params} is an error.  A symbolic link under state/ is an
 * error too, never followed (nor removed through).  Return NULL on error
 * (reported).
 */
struct checkpoint *
checkpoint_open(const struct projdir *pd, const char *stage, int resume,
    time_t now, unsigned long planned, const json_t *params)
{
	struct checkpoint *c;
	char started[DATETIME_LEN];
	char *state;
	json_t *run;

	if (!valid_stage(stage)) {
		warnx("invalid checkpoint stage \"%s\"", stage);
		return (NULL);
	}
	if ((state = projdir_path(pd, PROJDIR_STATE, NULL, NULL, NULL)) == NULL)
		return (NULL);
	if ((c = calloc(1, sizeof(*c))) == NULL)
		goto err;
	c->pd = pd;
	if ((c->dir = join(state, "/", stage)) == NULL ||
	    (c->run = join(c->dir, ".run", "")) == NULL)
		goto err;
	if (resume && same_params(c->run, params) != 1)
		goto err;
	/* A fresh run forgets the old markers before it claims the stage. */
	if (!resume && tree(c->dir, NULL, NULL, 1))
		goto err;
	run = json_pack("{s:s, s:s, s:s, s:I}", "kind", "run", "stage", stage,
	    "started", datetime_format(started, now),
	    "units", (json_int_t)planned);
	if (run != NULL && params != NULL)
		json_object_set(run, "params", (json_t *)params);
	if (write_json(c->run, run))
		goto err;
	free(state);
	return (c);

err:
	free(state);
	checkpoint_free(c);
	return (NULL);
}

/* The marker path of ${unit} with ${suffix}, malloced, or NULL (reported). */
static char *
marker(const struct checkpoint *c, const char *unit, const char *suffix)
{
	char *p, *path;

	if (!valid_unit(unit)) {
		warnx("invalid checkpoint unit \"%s\"", unit);
		return (NULL);
	}
	if ((p = join(c->dir, "/", unit)) == NULL)
		return (NULL);
	path = join(p, suffix, "");
	free(p);
	/* Its directories are the unit's parts: none may be a link. */
	if (path != NULL && projdir_check(c->pd, path)) {
		free(path);
		return (NULL);
	}
	return (path);
}

/**
 * checkpoint_done(c, unit):
 * Return 1 if ${unit} of the run ${c} is done, 0 if not, -1 on error
 * (reported; a malformed unit name is one).
 */
int
checkpoint_done(const struct checkpoint *c, const char *unit)
{
	struct stat sb;
	char *path;
	int rc;

	if ((path = marker(c, unit, ".done")) == NULL)
		return (-1);
	if (lstat(path, &sb) == 0)
		rc = 1;
	else if (errno == ENOENT || errno == ENOTDIR)
		rc = 0;
	else {
		warn("%s", path);
		rc = -1;
	}
	free(path);
	return (rc);
}

/**
 * checkpoint_mark(c, unit, now):
 * Record, durably, that ${unit} was finished at ${now}.  Call only once the
 * unit's data is durable.  Return 0, or -1 on error (reported).
 */
int
checkpoint_mark(struct checkpoint *c, const char *unit, time_t now)
{
	char done[DATETIME_LEN];
	char *path, *failed;
	int rc;

	if ((path = marker(c, unit, ".done")) == NULL)
		return (-1);
	if ((failed = marker(c, unit, ".failed")) == NULL) {
		free(path);
		return (-1);
	}
	rc = write_json(path, json_pack("{s:s, s:s, s:s}", "kind", "checkpoint",
	    "unit", unit, "done", datetime_format(done, now)));
	/* An earlier run's failure of the unit is history now. */
	if (rc == 0 && unlink(failed) && errno != ENOENT) {
		warn("unlink %s", failed);
		rc = -1;
	}
	free(failed);
	free(path);
	return (rc);
}

/**
 * checkpoint_fail(c, unit, now, code, message):
 * Record that ${unit} failed at ${now} with the AWS error ${code} and
 * ${message}, for optima status; the unit stays to be done.  Return 0, or
 * -1 on error (reported).
 */
int
checkpoint_fail(struct checkpoint *c, const char *unit, time_t now,
    const char *code, const char *message)
{
	char when[DATETIME_LEN];
	char *path;
	int rc;

	if ((path = marker(c, unit, ".failed")) == NULL)
		return (-1);
	rc = write_json(path, json_pack("{s:s, s:s, s:s, s:s, s:s}", "kind",
	    "failure", "unit", unit, "failed", datetime_format(when, now),
	    "code", code, "message", message));
	free(path);
	return (rc);
}

/**
 * checkpoint_finish(c):
 * The run ${c} is complete: remove its run marker and free ${c}.  Return
 * 0, or -1 on error (reported; ${c} is freed all the same).
 */
int
checkpoint_finish(struct checkpoint *c)
{
	int rc = 0;

	if (unlink(c->run) && errno != ENOENT) {
		warn("unlink %s", c->run);
		rc = -1;
	}
	checkpoint_free(c);
	return (rc);
}

/**
 * checkpoint_free(c):
 * Free ${c}, leaving its run unfinished (to be resumed).  NULL is a no-op.
 */
void
checkpoint_free(struct checkpoint *c)
{

	/* Behave consistently with free(NULL). */
	if (c == NULL)
		return;
	free(c->dir);
	free(c->run);
	free(c);
}

/* Report stage ${stage} of the state directory ${state} to ${cb}. */
static int
list_stage(const char *state, const char *stage,
    int (*cb)(const char *, const json_t *, unsigned long, const json_t *,
    void *), void *ctx)
{
	struct ndjson_reader *r = NULL;
	struct found f = { 0, json_array() };
	struct stat sb;
	json_t *run = NULL;
	char *dir, *runpath = NULL;
	int rc = -1;

	if ((dir = join(state, "/", stage)) == NULL ||
	    (runpath = join(dir, ".run", "")) == NULL)
		goto out;
	if (f.failures == NULL || tree(dir, count_markers, &f, 0) ||
	    sort_failures(f.failures))
		goto out;
	if (lstat(runpath, &sb) == 0 &&
	    ((r = ndjson_reader_open(runpath, 4096)) == NULL ||
	    ndjson_reader_next(r, &run) != 1))
		goto out;
	rc = cb(stage, run, f.done, f.failures, ctx) ? -1 : 0;
out:
	json_decref(f.failures);
	json_decref(run);
	ndjson_reader_close(r);
	free(runpath);
	free(dir);
	return (rc);
}

/* Non-zero if ${dir}/${name} is a regular file. */
static int
plain_file(const char *dir, const char *name)
{
	struct stat sb;
	char *path;
	int rc;

	if ((path = join(dir, "/", name)) == NULL)
		return (0);
	rc = lstat(path, &sb) == 0 && S_ISREG(sb.st_mode);
	free(path);
	return (rc);
}

/**
 * checkpoint_list(pd, cb, ctx):
 * For every stage with markers or an unfinished run in ${pd}, in sorted
 * order, call ${cb}(stage, run, done, failures, ${ctx}): ${run} is the
 * unfinished run's description (borrowed; NULL if none), ${done} the
 * number of units marked done and ${failures} (borrowed) the array of the
 * failure records of units not done, sorted by unit.  Return 0, or -1 on
 * error (reported) or if a callback returned non-zero.
 */
int
checkpoint_list(const struct projdir *pd,
    int (*cb)(const char *, const json_t *, unsigned long, const json_t *,
    void *), void *ctx)
{
	struct dirent **names;
	char stage[64], last[64] = "";
	char *state, *dot;
	int i, n, rc = 0;

	if ((state = projdir_path(pd, PROJDIR_STATE, NULL, NULL, NULL)) == NULL)
		return (-1);
	if ((n = scandir(state, &names, NULL, alphasort)) == -1) {
		if (errno != ENOENT) {
			warn("%s", state);
			rc = -1;
		}
		free(state);
		return (rc);
	}
	/* "metrics" and "metrics.run" sort together: one stage. */
	for (i = 0; i < n; i++) {
		if (strlen(names[i]->d_name) >= sizeof(stage)) {
			free(names[i]);
			continue;
		}
		memcpy(stage, names[i]->d_name, strlen(names[i]->d_name) + 1);
		if ((dot = strchr(stage, '.')) != NULL &&
		    strcmp(dot, ".run") == 0)
			*dot = '\0';
		/* Stages are directories and runs: state/lock is neither. */
		if (rc == 0 && valid_stage(stage) && strcmp(stage, last) != 0 &&
		    (dot != NULL || !plain_file(state, stage))) {
			rc = list_stage(state, stage, cb, ctx);
			snprintf(last, sizeof(last), "%s", stage);
		}
		free(names[i]);
	}
	free(names);
	free(state);
	return (rc);
}
