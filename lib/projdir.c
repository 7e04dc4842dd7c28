#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <err.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomicio.h"
#include "datetime.h"
#include "projdir.h"

struct projdir {
	char *root;
	int lockfd;		/* state/lock, held; -1 if not */
};

/* Every file of the layout: its short name and the kind of its records. */
static const struct {
	const char *name;
	const char *kind;
} files[PROJDIR_NFILES] = {
	[PROJDIR_CONF] = { "conf", NULL },
	[PROJDIR_ACCOUNTS] = { "accounts", "account" },
	[PROJDIR_TABLES] = { "tables", "table" },
	[PROJDIR_METRICS] = { "metrics", "series" },
	[PROJDIR_PRICES] = { "prices", "price" },
	[PROJDIR_SAVINGS_PLANS] = { "savings_plans", "savings_plan_rate" },
	[PROJDIR_CUR] = { "cur", "cur_usage" },
	[PROJDIR_SCENARIOS] = { "scenarios", "scenario" },
	[PROJDIR_RECOMMENDATIONS] = { "recommendations", "recommendation" },
	[PROJDIR_DECISIONS] = { "decisions", "decision" },
	[PROJDIR_USAGE] = { "usage", "usage" },
	[PROJDIR_COMMITMENTS] = { "commitments", "recommendation" },
	[PROJDIR_STATE] = { "state", NULL },
	[PROJDIR_LOG] = { "log", NULL },
};

/* A malloced string formatted as by printf, or NULL (reported). */
static char *
mkpath(const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (p = malloc((size_t)n + 1)) == NULL) {
		warn("projdir");
		return (NULL);
	}
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return (p);
}

/**
 * projdir_open(root, create):
 * Open the project directory ${root}; if ${root} is NULL, the one named by
 * $OPTIMA_PROJECT_ROOT, else the current directory.  If ${create} is
 * non-zero a missing directory is created.  Return NULL on error
 * (reported).
 */
struct projdir *
projdir_open(const char *root, int create)
{
	struct projdir *pd;
	struct stat sb;

	if (root == NULL && (root = getenv("OPTIMA_PROJECT_ROOT")) == NULL)
		root = ".";
	if (*root == '\0') {
		warnx("empty project directory name");
		return (NULL);
	}
	if (create && atomicio_mkdirs(root))
		return (NULL);
	if (stat(root, &sb)) {
		warn("project directory %s", root);
		return (NULL);
	}
	if (!S_ISDIR(sb.st_mode)) {
		warnx("project directory %s: not a directory", root);
		return (NULL);
	}
	if ((pd = malloc(sizeof(*pd))) == NULL ||
	    (pd->root = strdup(root)) == NULL) {
		warn("projdir_open");
		free(pd);
		return (NULL);
	}
	pd->lockfd = -1;
	return (pd);
}

/**
 * projdir_root(pd):
 * The path of the project directory ${pd}.
 */
const char *
projdir_root(const struct projdir *pd)
{

	return (pd->root);
}

/**
 * projdir_valid_account(s), projdir_valid_region(s):
 * Non-zero if ${s} is a well-formed AWS account id (12 digits) or region
 * name ("us-east-1", "us-gov-west-1", ...).
 */
int
projdir_valid_account(const char *s)
{
	int i;

	for (i = 0; i < 12; i++)
		if (!isdigit((unsigned char)s[i]))
			return (0);
	return (s[12] == '\0');
}

int
projdir_valid_region(const char *s)
{
	const char *p;
	int parts = 1;

	/* Lowercase words joined by dashes, two letters first, digits last. */
	if (strlen(s) >= sizeof(((struct projdir_entry *)0)->region) ||
	    !islower((unsigned char)s[0]) || !islower((unsigned char)s[1]))
		return (0);
	for (p = s; *p != '\0'; p++) {
		if (*p == '-') {
			if (p[1] == '-' || p[1] == '\0')
				return (0);
			parts++;
		} else if (!islower((unsigned char)*p) &&
		    !isdigit((unsigned char)*p))
			return (0);
	}
	p = strrchr(s, '-');
	return (parts >= 3 && p != NULL && isdigit((unsigned char)p[1]));
}

/* Non-zero if ${s} is "YYYY-MM-DD" (${month} zero) or "YYYY-MM". */
static int
valid_date(const char *s, int month)
{
	time_t t;

	return (month ? datetime_parse_month(&t, s) == 0 :
	    datetime_parse_date(&t, s) == 0);
}

/* Check that the parts ${file} needs are present and well-formed. */
static int
check_parts(enum projdir_file file, const char *account, const char *region,
    const char *date)
{
	int needacct = 0, needreg = 0, needdate = 0;

	switch (file) {
	case PROJDIR_METRICS:
		needdate = 1;
		/* FALLTHROUGH */
	case PROJDIR_TABLES:
	case PROJDIR_USAGE:
		needacct = 1;
		/* FALLTHROUGH */
	case PROJDIR_PRICES:
	case PROJDIR_SAVINGS_PLANS:
		needreg = 1;
		break;
	case PROJDIR_CUR:
		needdate = 2;
		break;
	default:
		break;
	}
	if (needacct && (account == NULL || !projdir_valid_account(account))) {
		warnx("invalid account id \"%s\"", account ? account : "");
		return (-1);
	}
	if (needreg && (region == NULL || !projdir_valid_region(region))) {
		warnx("invalid region \"%s\"", region ? region : "");
		return (-1);
	}
	if (needdate && (date == NULL || !valid_date(date, needdate == 2))) {
		warnx("invalid %s \"%s\"", needdate == 2 ? "billing period" :
		    "date", date ? date : "");
		return (-1);
	}
	return (0);
}

/**
 * projdir_check(pd, path):
 * Check that no directory on the way from the root of ${pd} to ${path}
 * (below the root; the root itself may be a link) is a symbolic link or
 * something other than a directory.  Missing directories are fine.
 * Return 0, or -1 (reported, naming the culprit).
 */
int
projdir_check(const struct projdir *pd, const char *path)
{
	struct stat sb;
	size_t n = strlen(pd->root);
	char *p, *s;
	int rc = 0;

	if (strncmp(path, pd->root, n) != 0 || path[n] != '/')
		return (0);
	if ((p = strdup(path)) == NULL) {
		warn("%s", path);
		return (-1);
	}
	for (s = strchr(p + n + 1, '/'); s != NULL; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (lstat(p, &sb)) {
			if (errno != ENOENT) {
				warn("%s", p);
				rc = -1;
			}
			break;
		}
		if (S_ISLNK(sb.st_mode)) {
			warnx("%s: a symbolic link inside the project directory "
			    "(refused)", p);
			rc = -1;
			break;
		}
		if (!S_ISDIR(sb.st_mode)) {
			warnx("%s: not a directory", p);
			rc = -1;
			break;
		}
		*s = '/';
	}
	free(p);
	return (rc);
}

/*
 * The path of ${file} in the directory ${r}, malloced, or NULL; that of
 * state/ ends with a slash, so that its own last part is checked too.
 */
static char *
layout(const char *r, enum projdir_file file, const char *account,
    const char *region, const char *date)
{

	switch (file) {
	case PROJDIR_CONF:
		return (mkpath("%s/optima.conf", r));
	case PROJDIR_TABLES:
		return (mkpath("%s/tables/account=%s/region=%s.ndjson", r,
		    account, region));
	case PROJDIR_USAGE:
		return (mkpath("%s/usage/account=%s/region=%s.ndjson", r,
		    account, region));
	case PROJDIR_METRICS:
		return (mkpath("%s/metrics/account=%s/region=%s/date=%s.ndjson",
		    r, account, region, date));
	case PROJDIR_PRICES:
		return (mkpath("%s/prices/region=%s.ndjson", r, region));
	case PROJDIR_SAVINGS_PLANS:
		return (mkpath("%s/prices/savings_plans/region=%s.ndjson", r,
		    region));
	case PROJDIR_CUR:
		return (mkpath("%s/cur/billing_period=%s.ndjson", r, date));
	case PROJDIR_STATE:
		return (mkpath("%s/state/", r));
	case PROJDIR_LOG:
		return (mkpath("%s/logs/optima.log", r));
	case PROJDIR_ACCOUNTS:
	case PROJDIR_SCENARIOS:
	case PROJDIR_RECOMMENDATIONS:
	case PROJDIR_DECISIONS:
	case PROJDIR_COMMITMENTS:
		return (mkpath("%s/%s.ndjson", r, files[file].name));
	case PROJDIR_NFILES:
		break;
	}
	return (NULL);
}

/**
 * projdir_path(pd, file, account, region, date):
 * The path of ${file} in ${pd}, as a malloced string; the parts a file
 * does not need may be NULL.  Return NULL if a part it needs is missing or
 * malformed (reported: values come from records, so this guards the
 * layout against "../" and the like), if a directory on its way is a
 * symbolic link (see projdir_check), or on allocation failure.
 */
char *
projdir_path(const struct projdir *pd, enum projdir_file file,
    const char *account, const char *region, const char *date)
{
	char *p;

	if (check_parts(file, account, region, date) ||
	    (p = layout(pd->root, file, account, region, date)) == NULL)
		return (NULL);
	if (projdir_check(pd, p)) {
		free(p);
		return (NULL);
	}
	if (file == PROJDIR_STATE)
		p[strlen(p) - 1] = '\0';
	return (p);
}

/*
 * If ${s} starts with "${key}=" and a value of less than ${size} bytes
 * ending at ${end}, copy the value into ${out} and return what follows it;
 * else NULL.
 */
static const char *
part(const char *s, const char *key, const char *end, char *out, size_t size)
{
	size_t klen = strlen(key), vlen;
	const char *v, *e;

	if (strncmp(s, key, klen) != 0 || s[klen] != '=')
		return (NULL);
	v = s + klen + 1;
	if ((e = strstr(v, end)) == NULL || (vlen = (size_t)(e - v)) >= size ||
	    vlen == 0)
		return (NULL);
	memcpy(out, v, vlen);
	out[vlen] = '\0';
	return (e + strlen(end));
}

/**
 * projdir_classify(rel, e):
 * If the path ${rel}, relative to the project root, is a file of the
 * layout, fill ${e} and return 0; otherwise return -1.
 */
int
projdir_classify(const char *rel, struct projdir_entry *e)
{
	const char *s;
	enum projdir_file f;

	memset(e, 0, sizeof(*e));
	if (strcmp(rel, "optima.conf") == 0)
		e->file = PROJDIR_CONF;
	else if (strcmp(rel, "logs/optima.log") == 0)
		e->file = PROJDIR_LOG;
	else if (strncmp(rel, "tables/", 7) == 0) {
		e->file = PROJDIR_TABLES;
		if ((s = part(rel + 7, "account", "/", e->account,
		    sizeof(e->account))) == NULL ||
		    (s = part(s, "region", ".ndjson", e->region,
		    sizeof(e->region))) == NULL || *s != '\0')
			return (-1);
	} else if (strncmp(rel, "usage/", 6) == 0) {
		e->file = PROJDIR_USAGE;
		if ((s = part(rel + 6, "account", "/", e->account,
		    sizeof(e->account))) == NULL ||
		    (s = part(s, "region", ".ndjson", e->region,
		    sizeof(e->region))) == NULL || *s != '\0')
			return (-1);
	} else if (strncmp(rel, "metrics/", 8) == 0) {
		e->file = PROJDIR_METRICS;
		if ((s = part(rel + 8, "account", "/", e->account,
		    sizeof(e->account))) == NULL ||
		    (s = part(s, "region", "/", e->region,
		    sizeof(e->region))) == NULL ||
		    (s = part(s, "date", ".ndjson", e->date,
		    sizeof(e->date))) == NULL || *s != '\0')
			return (-1);
	} else if (strncmp(rel, "prices/savings_plans/", 21) == 0) {
		e->file = PROJDIR_SAVINGS_PLANS;
		if ((s = part(rel + 21, "region", ".ndjson", e->region,
		    sizeof(e->region))) == NULL || *s != '\0')
			return (-1);
	} else if (strncmp(rel, "prices/", 7) == 0) {
		e->file = PROJDIR_PRICES;
		if ((s = part(rel + 7, "region", ".ndjson", e->region,
		    sizeof(e->region))) == NULL || *s != '\0')
			return (-1);
	} else if (strncmp(rel, "cur/", 4) == 0) {
		e->file = PROJDIR_CUR;
		if ((s = part(rel + 4, "billing_period", ".ndjson", e->date,
		    sizeof(e->date))) == NULL || *s != '\0')
			return (-1);
	} else {
		for (f = PROJDIR_ACCOUNTS; f < PROJDIR_NFILES; f++) {
			s = files[f].name;
			if (files[f].kind != NULL &&
			    strncmp(rel, s, strlen(s)) == 0 &&
			    strcmp(rel + strlen(s), ".ndjson") == 0)
				break;
		}
		if (f == PROJDIR_NFILES || f == PROJDIR_TABLES ||
		    f == PROJDIR_USAGE ||
		    f == PROJDIR_METRICS || f == PROJDIR_PRICES ||
		    f == PROJDIR_SAVINGS_PLANS || f == PROJDIR_CUR)
			return (-1);
		e->file = f;
	}
	/* The parts must be what projdir_path would accept. */
	if (e->account[0] != '\0' && !projdir_valid_account(e->account))
		return (-1);
	if (e->region[0] != '\0' && !projdir_valid_region(e->region))
		return (-1);
	if (e->date[0] != '\0' && !valid_date(e->date, e->file == PROJDIR_CUR))
		return (-1);
	return (0);
}

/**
 * projdir_record_kind(file):
 * The "kind" of the records the data file ${file} holds, or NULL if it
 * holds no records.
 */
const char *
projdir_record_kind(enum projdir_file file)
{

	return (files[file].kind);
}

/**
 * projdir_name(file):
 * A short name for ${file}: "accounts", "tables", "metrics", ...
 */
const char *
projdir_name(enum projdir_file file)
{

	return (files[file].name);
}

/* State of one walk. */
struct walk {
	const struct projdir *pd;
	int (*cb)(const char *, const struct projdir_entry *, void *);
	void *ctx;
};

/* Non-zero if ${name}, at the root, is a directory of data files. */
static int
data_dir(const char *name)
{

	return (strcmp(name, "tables") == 0 || strcmp(name, "metrics") == 0 ||
	    strcmp(name, "usage") == 0 ||
	    strcmp(name, "prices") == 0 || strcmp(name, "cur") == 0);
}

/*
 * Visit the entries of ${rel} (relative to the root, "" for the root), in
 * sorted order; below the root, descend into every directory.
 */
static int
walk_dir(struct walk *w, const char *rel)
{
	struct dirent **names;
	struct projdir_entry e;
	struct stat sb;
	char *path, *sub;
	int i, n, rc = 0;

	if ((path = mkpath("%s%s%s", w->pd->root, *rel ? "/" : "", rel)) == NULL)
		return (-1);
	if ((n = scandir(path, &names, NULL, alphasort)) == -1) {
		if (errno != ENOENT || *rel == '\0') {
			warn("%s", path);
			rc = -1;
		}
		free(path);
		return (rc);
	}
	free(path);
	for (i = 0; i < n; i++) {
		const char *name = names[i]->d_name;

		if (rc != 0 || strcmp(name, ".") == 0 ||
		    strcmp(name, "..") == 0)
			continue;
		if ((sub = mkpath("%s%s%s", rel, *rel ? "/" : "", name)) == NULL)
			rc = -1;
		else if ((path = mkpath("%s/%s", w->pd->root, sub)) == NULL) {
			free(sub);
			rc = -1;
		}
		if (rc != 0)
			continue;
		if (lstat(path, &sb)) {
			warn("%s", path);
			rc = -1;
		} else if (S_ISLNK(sb.st_mode) && (*rel != '\0' ||
		    data_dir(name) || (projdir_classify(sub, &e) == 0 &&
		    projdir_record_kind(e.file) != NULL))) {
			/* Followed, it would lead out; skipped, data vanish. */
			warnx("%s: a symbolic link inside the project directory "
			    "(refused)", path);
			rc = -1;
		} else if (S_ISDIR(sb.st_mode)) {
			/* At the root, only the data directories. */
			if (*rel != '\0' || data_dir(name))
				rc = walk_dir(w, sub);
		} else if (projdir_classify(sub, &e) == 0) {
			if (projdir_record_kind(e.file) != NULL)
				rc = w->cb(path, &e, w->ctx);
		} else if (*rel != '\0' || name[0] == '.') {
			/* A stray, or a temporary file left by a crash. */
			if (*rel != '\0' || strstr(name, ".ndjson.") != NULL)
				rc = w->cb(path, NULL, w->ctx);
		}
		free(sub);
		free(path);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return (rc == 0 ? 0 : -1);
}

/**
 * projdir_walk(pd, cb, ctx):
 * Call ${cb}(path, e, ${ctx}) for every data file of ${pd} in sorted
 * order, and ${cb}(path, NULL, ${ctx}) for every other file found under
 * its data directories (leftover temporary files of interrupted writes,
 * strays).  A symbolic link among them (or a data directory that is one)
 * is an error.  Stop if a callback returns non-zero.  Return 0, or -1 on
 * an error (reported) or a stop.
 */
int
projdir_walk(const struct projdir *pd,
    int (*cb)(const char *, const struct projdir_entry *, void *), void *ctx)
{
	struct walk w = { pd, cb, ctx };

	return (walk_dir(&w, ""));
}

/*
 * The process that holds a flock(2) of the file open at ${fd}, from
 * /proc/locks (Linux: "1: FLOCK ADVISORY WRITE PID MAJ:MIN:INODE 0 EOF"),
 * or 0 if unknown.  The file itself is never written: its contents stay
 * as they are, empty.
 */
static long
holder(int fd)
{
	struct stat sb;
	unsigned long ino;
	unsigned int maj, min;
	char line[256], type[16];
	long pid = 0, p;
	FILE *fp;

	if (fstat(fd, &sb) || (fp = fopen("/proc/locks", "re")) == NULL)
		return (0);
	while (pid == 0 && fgets(line, sizeof(line), fp) != NULL)
		if (sscanf(line, "%*s %15s %*s %*s %ld %x:%x:%lu", type, &p, &maj,
		    &min, &ino) == 5 && strcmp(type, "FLOCK") == 0 &&
		    ino == (unsigned long)sb.st_ino &&
		    maj == major(sb.st_dev) && min == minor(sb.st_dev))
			pid = p;
	fclose(fp);
	return (pid);
}

/**
 * projdir_lock(pd):
 * Claim ${pd} for this process until projdir_free: an exclusive flock(2)
 * of state/lock (created if need be, never through a link).  Return 0,
 * or -1 if another process holds it ("another optima is running in DIR
 * (pid N)") or on error (reported).
 */
int
projdir_lock(struct projdir *pd)
{
	char *state, *path = NULL;
	long pid;
	int fd = -1, rc = -1;

	if ((state = projdir_path(pd, PROJDIR_STATE, NULL, NULL, NULL)) ==
	    NULL || atomicio_mkdirs(state) ||
	    (path = mkpath("%s/lock", state)) == NULL ||
	    (fd = atomicio_open_regular(path, O_RDONLY | O_CREAT, 0644)) == -1)
		goto done;
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		if (errno != EWOULDBLOCK)
			warn("flock %s", path);
		else if ((pid = holder(fd)) > 0)
			warnx("another optima is running in %s (pid %ld)",
			    pd->root, pid);
		else
			warnx("another optima is running in %s", pd->root);
		goto done;
	}
	if (pd->lockfd != -1)
		close(pd->lockfd);
	pd->lockfd = fd;
	fd = -1;
	rc = 0;
done:
	if (fd != -1)
		close(fd);
	free(path);
	free(state);
	return (rc);
}

/**
 * projdir_free(pd):
 * Free ${pd}, and release its lock if it holds it.  NULL is a no-op.
 */
void
projdir_free(struct projdir *pd)
{

	/* Behave consistently with free(NULL). */
	if (pd == NULL)
		return;
	if (pd->lockfd != -1)
		close(pd->lockfd);
	free(pd->root);
	free(pd);
}
