#ifndef PROJDIR_H
#define PROJDIR_H

/*
 * The project directory: every path of its layout is known here and only
 * here, both ways (from parts to a path, and from a path to its parts).
 *
 *   optima.conf                                   settings
 *   accounts.ndjson                               account records
 *   tables/account=ID/region=R.ndjson             table records
 *   metrics/account=ID/region=R/date=D.ndjson     series records
 *   prices/region=R.ndjson                        price records
 *   prices/savings_plans/region=R.ndjson          savings_plan_rate records
 *   cur/billing_period=YYYY-MM.ndjson             cur_usage records
 *   scenarios.ndjson                              scenario records
 *   recommendations.ndjson                        recommendation records
 *   decisions.ndjson                              decision records
 *   state/                                        checkpoint markers
 *   logs/optima.log                               the log
 */

enum projdir_file {
	PROJDIR_CONF,
	PROJDIR_ACCOUNTS,
	PROJDIR_TABLES,		/* account, region */
	PROJDIR_METRICS,	/* account, region, date (YYYY-MM-DD) */
	PROJDIR_PRICES,		/* region */
	PROJDIR_SAVINGS_PLANS,	/* region */
	PROJDIR_CUR,		/* billing period (YYYY-MM) as date */
	PROJDIR_SCENARIOS,
	PROJDIR_RECOMMENDATIONS,
	PROJDIR_DECISIONS,
	PROJDIR_USAGE,		/* account, region */
	PROJDIR_COMMITMENTS,
	PROJDIR_STATE,		/* the directory */
	PROJDIR_LOG,
	PROJDIR_NFILES
};

/* A file of the layout, as named by its path. */
struct projdir_entry {
	enum projdir_file file;
	char account[13];
	char region[32];
	char date[11];
};

struct projdir;

/**
 * projdir_open(root, create):
 * Open the project directory ${root}; if ${root} is NULL, the one named by
 * $OPTIMA_PROJECT_ROOT, else the current directory.  If ${create} is
 * non-zero a missing directory is created.  Return NULL on error
 * (reported).
 */
struct projdir *projdir_open(const char *, int);

/**
 * projdir_root(pd):
 * The path of the project directory ${pd}.
 */
const char *projdir_root(const struct projdir *);

/**
 * projdir_path(pd, file, account, region, date):
 * The path of ${file} in ${pd}, as a malloced string; the parts a file
 * does not need may be NULL.  Return NULL if a part it needs is missing or
 * malformed (reported: values come from records, so this guards the
 * layout against "../" and the like), if a directory on its way is a
 * symbolic link (see projdir_check), or on allocation failure.
 */
char *projdir_path(const struct projdir *, enum projdir_file, const char *,
    const char *, const char *);

/**
 * projdir_check(pd, path):
 * Check that no directory on the way from the root of ${pd} to ${path}
 * (below the root; the root itself may be a link) is a symbolic link or
 * something other than a directory.  Missing directories are fine.
 * Return 0, or -1 (reported, naming the culprit).  projdir_path checks
 * the paths it makes.
 */
int projdir_check(const struct projdir *, const char *);

/**
 * projdir_lock(pd):
 * Claim ${pd} for this process until projdir_free: an exclusive flock(2)
 * of state/lock (created if need be, never through a link; never
 * written).  Return 0, or -1 if another process holds it ("another optima
 * is running in DIR (pid N)", the holder found in /proc/locks) or on
 * error (reported).  Every program that writes the project takes it.
 */
int projdir_lock(struct projdir *);

/**
 * projdir_classify(rel, e):
 * If the path ${rel}, relative to the project root, is a file of the
 * layout, fill ${e} and return 0; otherwise return -1.
 */
int projdir_classify(const char *, struct projdir_entry *);

/**
 * projdir_record_kind(file):
 * The "kind" of the records the data file ${file} holds, or NULL if it
 * holds no records.
 */
const char *projdir_record_kind(enum projdir_file);

/**
 * projdir_name(file):
 * A short name for ${file}: "accounts", "tables", "metrics", ...
 */
const char *projdir_name(enum projdir_file);

/**
 * projdir_valid_account(s), projdir_valid_region(s):
 * Non-zero if ${s} is a well-formed AWS account id (12 digits) or region
 * name ("us-east-1", "us-gov-west-1", ...).
 */
int projdir_valid_account(const char *);
int projdir_valid_region(const char *);

/**
 * projdir_walk(pd, cb, ctx):
 * Call ${cb}(path, e, ${ctx}) for every data file of ${pd} in sorted
 * order, and ${cb}(path, NULL, ${ctx}) for every other file found under
 * its data directories (leftover temporary files of interrupted writes,
 * strays).  A symbolic link among them (or a data directory that is one)
 * is an error.  Stop if a callback returns non-zero.  Return 0, or -1 on
 * an error (reported) or a stop.
 */
int projdir_walk(const struct projdir *,
    int (*)(const char *, const struct projdir_entry *, void *), void *);

/**
 * projdir_free(pd):
 * Free ${pd}, and release its lock if it holds it.  NULL is a no-op.
 */
void projdir_free(struct projdir *);

#endif
