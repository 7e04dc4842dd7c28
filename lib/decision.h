#ifndef DECISION_H
#define DECISION_H

#include <time.h>

#include <jansson.h>

/*
 * Decisions: what people decided about recommendations, as decision
 * records appended to decisions.ndjson, never rewritten.  The last
 * decision for an id wins; ids are stable across re-analysis (see
 * rank.h), so a decision outlives the recommendations.ndjson it was made
 * against.
 */

/**
 * decision_valid_status(s):
 * Non-zero if ${s} is a status: pending, accepted, rejected or
 * implemented.
 */
int decision_valid_status(const char *);

/**
 * decision_load(path):
 * Read the decision records of ${path} (a missing file has none) into a
 * new JSON object mapping each id to its last decision record.  A line
 * that is not a decision record (a line torn by a crash or a full disk)
 * is reported with file:line and skipped.  Return NULL on a read error
 * (reported).
 */
json_t *decision_load(const char *);

/**
 * decision_status(decisions, id):
 * The status of ${id} according to ${decisions} (as decision_load made
 * it; NULL for none): its last decision's, else "pending".  Borrowed.
 */
const char *decision_status(const json_t *, const char *);

/**
 * decision_append(path, id, status, note, at):
 * Append a decision record setting ${id} to ${status}, with ${note}
 * (NULL for none), made at ${at}, to ${path}: one write(2) of the whole
 * line in append mode, then fsync (and of the directory, if the file was
 * created).  Return 0, or -1 on error (reported).
 */
int decision_append(const char *, const char *, const char *, const char *,
    time_t);

#endif
