#ifndef CHECKPOINT_H
#define CHECKPOINT_H

#include <time.h>

#include <jansson.h>

struct projdir;

/*
 * Checkpoints: one marker per finished unit of work, under state/ in the
 * project directory.  A stage ("discover", "metrics", ...) splits its work
 * into units named like partitions ("account=ID/region=R"); a unit is
 * marked done only after its data is durable, so a run killed at any
 * moment and started again with --resume skips exactly the finished units.
 *
 *   state/STAGE.run              the stage's current run: started, units
 *                                planned; removed when the run finishes
 *   state/STAGE/UNIT.done        one marker per finished unit
 *   state/STAGE/UNIT.failed      why a unit failed, until it is done
 */

struct checkpoint;

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
struct checkpoint *checkpoint_open(const struct projdir *, const char *, int,
    time_t, unsigned long, const json_t *);

/**
 * checkpoint_done(c, unit):
 * Return 1 if ${unit} of the run ${c} is done, 0 if not, -1 on error
 * (reported; a malformed unit name is one).
 */
int checkpoint_done(const struct checkpoint *, const char *);

/**
 * checkpoint_mark(c, unit, now):
 * Record, durably, that ${unit} was finished at ${now}.  Call only once the
 * unit's data is durable.  Return 0, or -1 on error (reported).
 */
int checkpoint_mark(struct checkpoint *, const char *, time_t);

/**
 * checkpoint_fail(c, unit, now, code, message):
 * Record that ${unit} failed at ${now} with the AWS error ${code} and
 * ${message}, for optima status; the unit stays to be done.  Return 0, or
 * -1 on error (reported).
 */
int checkpoint_fail(struct checkpoint *, const char *, time_t, const char *,
    const char *);

/**
 * checkpoint_finish(c):
 * The run ${c} is complete: remove its run marker and free ${c}.  Return
 * 0, or -1 on error (reported; ${c} is freed all the same).
 */
int checkpoint_finish(struct checkpoint *);

/**
 * checkpoint_free(c):
 * Free ${c}, leaving its run unfinished (to be resumed).  NULL is a no-op.
 */
void checkpoint_free(struct checkpoint *);

/**
 * checkpoint_list(pd, cb, ctx):
 * For every stage with markers or an unfinished run in ${pd}, in sorted
 * order, call ${cb}(stage, run, done, failures, ${ctx}): ${run} is the
 * unfinished run's description (borrowed; NULL if none), ${done} the
 * number of units marked done and ${failures} (borrowed) the array of the
 * failure records of units not done, sorted by unit.  Return 0, or -1 on
 * error (reported) or if a callback returned non-zero.
 */
int checkpoint_list(const struct projdir *,
    int (*)(const char *, const json_t *, unsigned long, const json_t *,
    void *), void *);

#endif
