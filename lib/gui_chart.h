#ifndef GUI_CHART_H
#define GUI_CHART_H

#include <stddef.h>
#include <time.h>

#include <jansson.h>

struct projdir;

/*
 * The drill-down chart of one table: its consumed read and write capacity
 * over the window of the analysis, the provisioned capacity that was in
 * effect (from its metrics), and the capacity target tracking auto scaling
 * would have provisioned (autoscale_run, as optima-simulate runs it),
 * downsampled to a few hundred points for a browser to draw.
 *
 * The window is the last ${days} whole days of the project's metrics, as
 * optima-simulate takes it (gui_chart_days_end finds where they end); the
 * grid is the coarsest period of its day files, or 300 or 3600 s if the
 * window would have more than GUI_CHART_MAXGRID periods (61 days at a
 * minute, 305 at five: 3660 days at an hour fit).  Only the day files of the window in the
 * folder of the table's account and region are read, one record at a
 * time, and only the table's own series kept (not its indexes'): a chart
 * takes at most 6 arrays of GUI_CHART_MAXGRID doubles (4.2 MB) and one
 * record, however large the project.
 */

#define GUI_CHART_MAXGRID	87840	/* periods in a chart's grid */

struct gui_chart_opts {
	time_t end;		/* the window ends there (a UTC midnight) */
	int days;		/* the window, 1 to 3660 */
	double target[2];	/* auto scaling target, 0.2 to 0.9, of
				   reads and of writes */
	double min[2], max[2];	/* auto scaling bounds, whole units */
	int provisioned;	/* the table is provisioned now */
	double read_capacity;	/* its record's capacity, when no metric */
	double write_capacity;	/* says what was in effect */
	size_t points;		/* at most this many points, at least 2 */
};

/* Where the project's metrics end, as last found. */
struct gui_chart_days;

/**
 * gui_chart_days_new():
 * A new, empty, record of where the metrics of a project end, for
 * gui_chart_days_end; NULL on allocation failure (reported).
 */
struct gui_chart_days *gui_chart_days_new(void);

/**
 * gui_chart_days_end(days, pd, end):
 * Set ${end} to the midnight after the last day of the day files of
 * ${pd}'s metrics/ (0 if there are none), as simulate_window finds it,
 * from the names of the files alone.  The folders' names and times are
 * read at each call; the names of their day files only when a folder
 * changed since the last call with ${days} (which remembers the answer).
 * Safe to call from several threads at once.  Return 0, or -1 on an
 * error (reported).
 */
int gui_chart_days_end(struct gui_chart_days *, const struct projdir *,
    time_t *);

/**
 * gui_chart_days_free(days):
 * Free ${days}.  NULL is a no-op.
 */
void gui_chart_days_free(struct gui_chart_days *);

/**
 * gui_chart_table(pd, account, region, table, o):
 * Read the series of ${table} of ${account} and ${region} in ${pd} over
 * the window that ends at o->end and simulate its auto scaling as ${o}
 * says.  Return a new JSON object:
 *   {"start":ISO,"end":ISO,"period":s,"step":s,"points":n,"days_seen":d,
 *    "read":{"consumed":[..],"provisioned":[..]|null,"autoscaled":[..],
 *            "throttled_units":u,"throttled_minutes":m,
 *            "increases":i,"decreases":d},
 *    "write":{...}}
 * where point i covers [start + i * step, start + (i + 1) * step), its
 * consumed value being the highest units per second in it and its
 * capacities the highest in effect; throttling is that of the auto scaled
 * capacity over the window.  Return NULL on an error (reported).
 */
json_t *gui_chart_table(const struct projdir *, const char *, const char *,
    const char *, const struct gui_chart_opts *);

#endif
