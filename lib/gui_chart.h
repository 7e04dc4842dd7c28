#ifndef GUI_CHART_H
#define GUI_CHART_H

#include <stddef.h>

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
 * optima-simulate takes it; the grid is the coarsest period of its day
 * files.  Only the table's own series are read (not its indexes').
 */

struct gui_chart_opts {
	int days;		/* the window, 1 to 3660 */
	double target;		/* auto scaling target, 0.2 to 0.9 */
	double min, max;	/* auto scaling bounds, whole units */
	int provisioned;	/* the table is provisioned now */
	double read_capacity;	/* its record's capacity, when no metric */
	double write_capacity;	/* says what was in effect */
	size_t points;		/* at most this many points, at least 2 */
};

/**
 * gui_chart_table(pd, account, region, table, o):
 * Read the series of ${table} of ${account} and ${region} in ${pd} and
 * simulate its auto scaling as ${o} says.  Return a new JSON object:
 *   {"start":ISO,"end":ISO,"period":s,"step":s,"points":n,"days_seen":d,
 *    "read":{"consumed":[..],"provisioned":[..]|null,"autoscaled":[..],
 *            "throttled_units":u,"throttled_minutes":m,
 *            "increases":i,"decreases":d},
 *    "write":{...}}
 * where point i covers [start + i * step, start + (i + 1) * step), its
 * consumed value being the highest units per second in it and its
 * capacities the highest in effect; throttling is that of the auto scaled
 * capacity over the window.  Return NULL on an error (reported), or if
 * the project has no metrics (nothing reported; errno is ENOENT).
 */
json_t *gui_chart_table(const struct projdir *, const char *, const char *,
    const char *, const struct gui_chart_opts *);

#endif
