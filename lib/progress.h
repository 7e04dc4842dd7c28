#ifndef PROGRESS_H
#define PROGRESS_H

#include <stddef.h>
#include <stdint.h>

/*
 * A progress display on standard error, only when it is a terminal:
 *
 *   Collecting metrics [########------------]  40% | 390,617/976,543
 *   datapoints | 1m12s elapsed | ETA 1m48s
 *
 * (one line, redrawn at most ten times a second).  Off a terminal (cron,
 * pipes, files) nothing at all is printed.
 */

struct progress;

/**
 * progress_new(label, unit, total, now):
 * Start a display for ${total} ${unit}s of work (0 if not known yet) at
 * monotonic time ${now} in seconds.  Return NULL on allocation failure
 * (reported); every function takes NULL as a display that shows nothing.
 */
struct progress *progress_new(const char *, const char *, uint64_t, double);

/**
 * progress_update(p, done, total, now):
 * ${done} of ${total} units are finished at time ${now}; redraw if due.
 */
void progress_update(struct progress *, uint64_t, uint64_t, double);

/**
 * progress_end(p, now):
 * Draw the final state, end the line and free ${p}.  NULL is a no-op.
 */
void progress_end(struct progress *, double);

/**
 * progress_commas(buf, size, n):
 * Write ${n} with thousands separators (976543: "976,543") into ${buf} of
 * ${size} bytes; return ${buf}.
 */
char *progress_commas(char *, size_t, uint64_t);

/**
 * progress_render(buf, size, label, unit, done, total, elapsed, width):
 * Format one display line of at most ${width} columns into ${buf}: if
 * the whole line is wider, the bar narrows, then the elapsed time and then
 * the bar are left out, so that the ETA stays; if none of these fits, the
 * whole line is cut.  Return ${buf}.
 */
char *progress_render(char *, size_t, const char *, const char *, uint64_t,
    uint64_t, double, int);

/**
 * progress_now():
 * The monotonic clock, in seconds.
 */
double progress_now(void);

#endif
