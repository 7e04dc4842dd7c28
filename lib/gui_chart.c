#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <err.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "autoscale.h"
#include "datetime.h"
#include "gui_chart.h"
#include "projdir.h"
#include "series.h"

#define DAY	86400
#define FNV_OFFSET	UINT64_C(14695981039346656037)
#define FNV_PRIME	UINT64_C(1099511628211)

struct gui_chart_days {
	pthread_mutex_t lock;
	int valid;		/* sig and last are those of a pass */
	uint64_t sig;		/* the folders, as sign() saw them */
	time_t last;		/* the last day of a day file, or 0 */
};

/* One pass over metrics/. */
struct pass {
	size_t rootlen;		/* of the project's root, in paths */
	int names;		/* read the names of the day files too */
	uint64_t sig;		/* the sum of sign()'s hashes */
	time_t last;		/* the last day seen, or 0 */
};

/* The metrics the chart reads, in the order of struct grid's m[]. */
enum { C_READ, C_WRITE, P_READ, P_WRITE, NM };

struct grid {
	struct autoscale_grid g;
	double *m[NM];		/* per period; NaN: no datapoint */
	double *cap[2];		/* auto scaled capacity: read, write */
	int seen;		/* days with a series of the table */
};

/* ---- where the metrics end ---- */

/* A new record of where the metrics end (see gui_chart.h). */
struct gui_chart_days *
gui_chart_days_new(void)
{
	struct gui_chart_days *c;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		warn("gui");
		return (NULL);
	}
	if ((errno = pthread_mutex_init(&c->lock, NULL)) != 0) {
		warn("gui");
		free(c);
		return (NULL);
	}
	return (c);
}

/* Free ${c}. */
void
gui_chart_days_free(struct gui_chart_days *c)
{

	if (c == NULL)
		return;
	pthread_mutex_destroy(&c->lock);
	free(c);
}

/* Continue the FNV-1a hash ${h} with the ${n} bytes at ${p}. */
static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ b[i]) * FNV_PRIME;
	return (h);
}

/* Add the folder ${path} as ${sb} describes it to the signature: any
 * file made, renamed or removed in it changes its time.  A sum, so that
 * the order folders are read in does not matter. */
static void
sign(struct pass *ps, const char *path, const struct stat *sb)
{
	uint64_t h;

	h = fnv(FNV_OFFSET, path, strlen(path) + 1);
	h = fnv(h, &sb->st_dev, sizeof(sb->st_dev));
	h = fnv(h, &sb->st_ino, sizeof(sb->st_ino));
	h = fnv(h, &sb->st_mtim.tv_sec, sizeof(sb->st_mtim.tv_sec));
	h = fnv(h, &sb->st_mtim.tv_nsec, sizeof(sb->st_mtim.tv_nsec));
	ps->sig += h;
}

/* Take the day of the file ${path} of a region's folder, if it is a day
 * file of the layout (not a folder, which projdir_walk would enter). */
static void
day_name(struct pass *ps, const char *path)
{
	struct projdir_entry e;
	struct stat sb;
	time_t t;

	if (projdir_classify(path + ps->rootlen + 1, &e) != 0 ||
	    e.file != PROJDIR_METRICS ||
	    datetime_parse_date(&t, e.date) != 0 || t <= ps->last)
		return;
	/* Only a later day costs a stat. */
	if (lstat(path, &sb) == 0 && !S_ISDIR(sb.st_mode))
		ps->last = t;
}

/* Visit the folder ${dir} at ${depth} below metrics/ (0: metrics/, 1: an
 * account's, 2: a region's): sign its subfolders and go down into them;
 * at depth 2 take the names of its day files.  Only names are read: no
 * file is opened. */
static int
pass_dir(struct pass *ps, const char *dir, int depth)
{
	char path[PATH_MAX];
	struct dirent *de;
	struct stat sb;
	DIR *d;
	int fd, rc = 0;

	/* Never through a link (one made since its parent was read). */
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW)) == -1 ||
	    (d = fdopendir(fd)) == NULL) {
		rc = errno;
		if (fd != -1)
			close(fd);
		/* A folder removed or replaced since its parent was read. */
		if (rc == ENOENT || rc == ENOTDIR || rc == ELOOP)
			return (0);
		errno = rc;
		warn("%s", dir);
		return (-1);
	}
	while (rc == 0 && (errno = 0, de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0 ||
		    (size_t)snprintf(path, sizeof(path), "%s/%s", dir,
		    de->d_name) >= sizeof(path))
			continue;
		if (depth == 2)
			day_name(ps, path);
		else if (lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			sign(ps, path, &sb);
			if (depth == 0 || ps->names)
				rc = pass_dir(ps, path, depth + 1);
		}
	}
	if (rc == 0 && errno != 0) {
		warn("%s", dir);
		rc = -1;
	}
	closedir(d);
	return (rc);
}

/* The folder metrics/ of ${pd}, as projdir lays it out: three levels
 * above a day file. */
static char *
metrics_dir(const struct projdir *pd)
{
	char *p, *s;
	int i;

	if ((p = projdir_path(pd, PROJDIR_METRICS, "000000000000",
	    "us-east-1", "1970-01-01")) == NULL)
		return (NULL);
	for (i = 0; i < 3; i++) {
		if ((s = strrchr(p, '/')) == NULL) {
			free(p);
			return (NULL);
		}
		*s = '\0';
	}
	return (p);
}

/* A pass over the folder ${dir} (metrics/), which may be missing. */
static int
pass(struct pass *ps, const char *dir)
{
	struct stat sb;

	ps->sig = 0;
	ps->last = 0;
	if (lstat(dir, &sb) == -1) {
		if (errno == ENOENT)
			return (0);
		warn("%s", dir);
		return (-1);
	}
	sign(ps, dir, &sb);
	return (pass_dir(ps, dir, 0));
}

/* Where the metrics of ${pd} end, from ${c} if no folder changed
 * (see gui_chart.h). */
int
gui_chart_days_end(struct gui_chart_days *c, const struct projdir *pd,
    time_t *end)
{
	struct pass ps;
	uint64_t sig;
	char *dir;
	int rc = -1;

	*end = 0;
	if ((dir = metrics_dir(pd)) == NULL)
		return (-1);
	memset(&ps, 0, sizeof(ps));
	ps.rootlen = strlen(projdir_root(pd));
	pthread_mutex_lock(&c->lock);
	if (pass(&ps, dir))
		goto out;
	if (!c->valid || ps.sig != c->sig) {
		/* A folder changed: read the names of the day files. */
		sig = ps.sig;
		ps.names = 1;
		if (pass(&ps, dir))
			goto out;
		c->sig = sig;
		c->last = ps.last;
		c->valid = 1;
	}
	if (c->last != 0)
		*end = c->last + DAY;
	rc = 0;
out:
	pthread_mutex_unlock(&c->lock);
	free(dir);
	return (rc);
}

/* ---- the chart ---- */

/* The slot in m[] of series metric ${metric}, or -1. */
static int
slot_of(int metric)
{

	switch (metric) {
	case SERIES_CONSUMED_READ:
		return (C_READ);
	case SERIES_CONSUMED_WRITE:
		return (C_WRITE);
	case SERIES_PROVISIONED_READ:
		return (P_READ);
	case SERIES_PROVISIONED_WRITE:
		return (P_WRITE);
	default:
		return (-1);
	}
}

/* The period of the first record of the day file ${path}: 0 if it has
 * none, -1 on error (reported). */
static int
day_period(const char *path)
{
	struct series_reader *r;
	struct series s;
	int rc;

	if ((r = series_open(path)) == NULL)
		return (-1);
	rc = series_next(r, &s);
	if (rc == 1)
		rc = s.period;
	series_close(r);
	return (rc);
}

/* Lay the values of ${s} at period ${slot} of ${gr}: summed over the
 * grid's period (consumed), or the highest (provisioned). */
static void
lay(struct grid *gr, const struct series *s, int m, size_t slot)
{
	size_t i, j, k = (size_t)(gr->g.period / s->period), n = s->n / k;
	double acc, v;

	for (i = 0; i < n; i++) {
		acc = NAN;
		for (j = 0; j < k; j++) {
			v = s->values[i * k + j];
			if (isnan(v))
				continue;
			acc = isnan(acc) ? v : m >= P_READ ? fmax(acc, v) :
			    acc + v;
		}
		gr->m[m][slot + i] = acc;
	}
}

/* Read the table's series of day file ${path} into ${gr} at ${slot}. */
static int
read_day(struct grid *gr, const char *path, const char *table, size_t slot)
{
	struct series_reader *r;
	struct series s;
	int rc, m, seen = 0;

	if ((r = series_open(path)) == NULL)
		return (-1);
	while ((rc = series_next(r, &s)) == 1) {
		if (s.index != NULL || strcmp(s.table, table) != 0 ||
		    (m = slot_of(s.metric)) < 0)
			continue;
		if (gr->g.period % s.period != 0) {
			warnx("%s: a series at %d s in a window at %d s "
			    "(skipped)", path, s.period, gr->g.period);
			continue;
		}
		lay(gr, &s, m, slot);
		seen = 1;
	}
	series_close(r);
	gr->seen += seen;
	return (rc < 0 ? -1 : 0);
}

/* The period of the grid of a window of ${days} days whose day files
 * are at most at ${p} seconds: ${p}, or the finest coarser period of
 * autoscale_run (300 or 3600 s) of which it is a divisor that keeps the
 * grid within GUI_CHART_MAXGRID periods (a day, which autoscale_run
 * refuses, if none). */
static int
grid_period(int p, int days)
{
	static const int coarser[] = { 300, 3600 };
	size_t i;

	if ((size_t)days * (size_t)(DAY / p) <= GUI_CHART_MAXGRID)
		return (p);
	for (i = 0; i < sizeof(coarser) / sizeof(coarser[0]); i++)
		if (coarser[i] > p && coarser[i] % p == 0 && (size_t)days *
		    (size_t)(DAY / coarser[i]) <= GUI_CHART_MAXGRID)
			return (coarser[i]);
	return (DAY);
}

/* Read the window [start, start + days) of ${account} and ${region}:
 * only the day files of those days, in that account's and region's
 * folder. */
static int
read_window(struct grid *gr, const struct projdir *pd, const char *account,
    const char *region, const char *table, time_t start, int days)
{
	char date[DATETIME_LEN], **paths;
	size_t i, j, per;
	int p, rc = -1;

	if ((paths = calloc((size_t)days, sizeof(*paths))) == NULL) {
		warn("gui");
		return (-1);
	}
	gr->g.t0 = start;
	gr->g.period = 60;
	for (i = 0; i < (size_t)days; i++) {
		if ((paths[i] = projdir_path(pd, PROJDIR_METRICS, account,
		    region, datetime_format_date(date, start + (time_t)i *
		    DAY))) == NULL)
			goto out;
		if (access(paths[i], F_OK) != 0) {
			free(paths[i]);
			paths[i] = NULL;
			continue;
		}
		if ((p = day_period(paths[i])) < 0)
			goto out;
		if (p > gr->g.period)
			gr->g.period = p;
	}
	gr->g.period = grid_period(gr->g.period, days);
	per = (size_t)(DAY / gr->g.period);
	gr->g.n = (size_t)days * per;
	for (j = 0; j < NM + 2; j++) {
		double **a = j < NM ? &gr->m[j] : &gr->cap[j - NM];

		if ((*a = malloc(gr->g.n * sizeof(**a))) == NULL) {
			warn("gui");
			goto out;
		}
		for (i = 0; i < gr->g.n; i++)
			(*a)[i] = NAN;
	}
	for (i = 0; i < (size_t)days; i++)
		if (paths[i] != NULL &&
		    read_day(gr, paths[i], table, i * per))
			goto out;
	rc = 0;
out:
	for (i = 0; i < (size_t)days; i++)
		free(paths[i]);
	free(paths);
	return (rc);
}

/* The array of ${v} (n values, per period of ${period} seconds if
 * ${rate}) downsampled to buckets of ${step} periods, the highest in each. */
static json_t *
downsample(const double *v, size_t n, size_t step, int period, int rate)
{
	json_t *a;
	size_t i, j;
	double hi, x;

	if ((a = json_array()) == NULL)
		return (NULL);
	for (i = 0; i < n; i += step) {
		hi = 0;
		for (j = i; j < n && j < i + step; j++) {
			x = rate ? v[j] / period : v[j];
			if (x > hi)
				hi = x;
		}
		if (json_array_append_new(a, json_real(hi))) {
			json_decref(a);
			return (NULL);
		}
	}
	return (a);
}

/* The object of one dimension ${k} (0 read, 1 write). */
static json_t *
dimension(const struct grid *gr, int k, const struct gui_chart_opts *o,
    size_t step, const struct autoscale_stats *st)
{
	struct autoscale_usage u;
	json_t *d;

	if (autoscale_assess(&gr->g, gr->cap[k], gr->m[C_READ + k], NULL,
	    &u))
		return (NULL);
	d = json_pack("{s:o*,s:o*,s:o*,s:f,s:f,s:i,s:i}",
	    "consumed", downsample(gr->m[C_READ + k], gr->g.n, step,
	    gr->g.period, 1),
	    "provisioned", o->provisioned ? downsample(gr->m[P_READ + k],
	    gr->g.n, step, gr->g.period, 0) : json_null(),
	    "autoscaled", downsample(gr->cap[k], gr->g.n, step, gr->g.period,
	    0),
	    "throttled_units", u.throttled_units,
	    "throttled_minutes", u.throttled_minutes,
	    "increases", st[k].increases, "decreases", st[k].decreases);
	if (d == NULL)
		warnx("gui: out of memory");
	return (d);
}

/* The periods in a point: the fewest that make a round interval (a
 * minute to a day) and at most ${points} points. */
static size_t
nice_step(const struct autoscale_grid *g, size_t points)
{
	static const int round[] = { 60, 120, 300, 600, 900, 1200, 1800,
	    3600, 7200, 10800, 14400, 21600, 43200, 86400 };
	size_t i, k;

	for (i = 0; i < sizeof(round) / sizeof(round[0]); i++) {
		if (round[i] % g->period != 0)
			continue;
		k = (size_t)(round[i] / g->period);
		if ((g->n + k - 1) / k <= points)
			return (k);
	}
	return ((g->n + points - 1) / points);
}

/* Simulate the grid ${gr} as ${o} says, and make the chart's object. */
static json_t *
chart(struct grid *gr, const struct gui_chart_opts *o)
{
	struct autoscale_opts ao;
	struct autoscale_stats st[2];
	char a[DATETIME_LEN], b[DATETIME_LEN];
	size_t i, step;
	json_t *rd, *wr;
	int k;

	for (k = 0; k < 2; k++) {
		struct autoscale_policy *p = k == 0 ? &ao.read : &ao.write;

		for (i = 0; i < gr->g.n; i++)
			if (isnan(gr->m[C_READ + k][i]))
				gr->m[C_READ + k][i] = 0;
		if (o->provisioned)
			autoscale_held(gr->m[P_READ + k], gr->m[P_READ + k],
			    gr->g.n, k == 0 ?
			    o->read_capacity : o->write_capacity);
		p->target = o->target[k];
		p->min = o->min[k];
		p->max = o->max[k];
		p->start = o->provisioned ? gr->m[P_READ + k][0] : -1;
	}
	ao.delay = AUTOSCALE_DELAY;
	if (autoscale_run(&gr->g, &ao, gr->m[C_READ], gr->m[C_WRITE],
	    gr->cap[0], gr->cap[1], st))
		return (NULL);
	step = nice_step(&gr->g, o->points);
	rd = dimension(gr, 0, o, step, st);
	wr = dimension(gr, 1, o, step, st);
	if (rd == NULL || wr == NULL) {
		json_decref(rd);
		json_decref(wr);
		return (NULL);
	}
	return (json_pack("{s:s,s:s,s:i,s:I,s:I,s:i,s:o,s:o}",
	    "start", datetime_format(a, gr->g.t0),
	    "end", datetime_format(b, gr->g.t0 + (time_t)gr->g.n *
	    gr->g.period),
	    "period", gr->g.period, "step", (json_int_t)step * gr->g.period,
	    "points", (json_int_t)((gr->g.n + step - 1) / step),
	    "days_seen", gr->seen, "read", rd, "write", wr));
}

/* The chart of ${table} (see gui_chart.h). */
json_t *
gui_chart_table(const struct projdir *pd, const char *account,
    const char *region, const char *table, const struct gui_chart_opts *o)
{
	struct grid gr;
	json_t *c = NULL;
	int j;

	if (o->days < 1 || o->days > 3660 || o->points < 2 ||
	    o->end % DAY != 0 || o->end < (time_t)o->days * DAY) {
		warnx("gui_chart_table: %d days to %lld, %zu points",
		    o->days, (long long)o->end, o->points);
		return (NULL);
	}
	memset(&gr, 0, sizeof(gr));
	if (read_window(&gr, pd, account, region, table, o->end -
	    (time_t)o->days * DAY, o->days) == 0)
		c = chart(&gr, o);
	for (j = 0; j < NM; j++)
		free(gr.m[j]);
	free(gr.cap[0]);
	free(gr.cap[1]);
	return (c);
}
