#ifndef RANK_H
#define RANK_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include <jansson.h>

/*
 * Rank: one decision per table over billing mode x table class x capacity
 * settings, from its scenario records (analysis-model.md, section 6), told
 * as up to three kinds of recommendation records:
 *
 *   capacity	the billing mode changes (on-demand <-> provisioned);
 *   table_class	the table class changes (Standard <-> Standard-IA);
 *   utilization	the table stays provisioned with lower capacity or auto
 *		scaling instead; or an index had no reads all window and is
 *		worth a review (never "delete").
 *
 * The decision is the cheapest scenario that is allowed: a provisioned
 * scenario that would throttle more than the budget is not, nor are new
 * capacity settings for a provisioned table whose read and write
 * utilization are both at or above the low-utilization threshold, nor a
 * fixed capacity for an on-demand table that grew over the window or
 * where it saves no more than the minimum over auto scaling, nor
 * Standard-IA below the break-even ratio when one is given, nor a class
 * change within 30 days of the last one (or when the table had its 2 in
 * the last 30 days, as decisions.ndjson knows), nor one that saves less
 * than the minimum on its own over the cheapest option keeping the
 * class.  Indexes change with their table, in its figures.  When the
 * mode (or the settings) and the class both change, the saving is split
 * into two steps, each taken after the one before, so the recommendations
 * of a table add up exactly to its saving; when neither step saves on its
 * own, they are one recommendation; when one step is under the minimum
 * saving, it is not made: the other change alone, the one that saves
 * more.
 *
 * A global table's replicas (the current records name them: "replicas")
 * are one decision, once all are read: one billing mode for all, from
 * the sum of their costs in their classes now, never a fixed capacity
 * (their write settings must be the same: auto scaling), told as one
 * recommendation in the first replica's region, with each replica's
 * figures in "replicas"; then each replica's class, as its own.  When a
 * replica's region has no scenarios, the settings stay (warned).
 *
 * When the latest run of optima-simulate was restricted to some tables
 * (their scenario records carry the highest "partial_run" of the file),
 * only those tables are decided again: every other table keeps its
 * recommendations of ${previous} as they were, in its place, with its
 * status from decisions.ndjson.
 *
 * An analysis of one type (the analyze commands: rank_opts.type) writes
 * that type's recommendations and keeps the other types' of ${previous},
 * each as the analysis of its type made it, so that the three analyses
 * stay views of one decision per table: a kept recommendation gives way
 * only to a new one that changes the same thing (the capacity, which
 * capacity and utilization recommendations both change, or the class), as
 * the two could not both be applied nor their savings added up.
 */

struct rank_opts {
	double min_savings;	/* USD a month: smaller ones are dropped */
	double throttle_budget;	/* throttled minutes a month allowed */
	double low_utilization;	/* percent: lower capacity only below it */
	double breakeven;	/* Standard-IA needs storage >= this times
				   throughput (USD); 0: the prices decide */
	time_t now;		/* for the limit of 2 class changes in 30 days */
	const char *previous;	/* the recommendations to keep for tables
				   not simulated again, and of the other
				   types; NULL: none */
	const char *type;	/* write only this type's; NULL: all */
};

/* The length of an id, with its NUL: "util-" and 16 hex digits. */
#define RANK_IDLEN	24

/**
 * rank_id(buf, type, account, region, table, index, target):
 * Write into ${buf} (RANK_IDLEN bytes) the id of the recommendation of
 * ${type} for ${table} (${index}, or NULL for the table) of ${account} and
 * ${region} that changes it to ${target} (a billing mode, a table class,
 * "capacity" or "review"; for a commitment, its kind and term):
 * "cap-", "cls-", "util-" or "cmt-" and a 64-bit FNV-1a
 * hash of the rest in hex.  The same change of the same table has the same
 * id in every analysis, so decisions about it survive.
 */
void rank_id(char *, const char *, const char *, const char *, const char *,
    const char *, const char *);

/**
 * rank_confidence(coverage, days, peak_to_average, approximate):
 * "high", "medium" or "low", for figures judged on ${days} days (the
 * window's, or a resource's own when it existed for fewer): low with less
 * than 80 % of them covered or under 7 days; medium with less than 95 %,
 * under 14 days, a peak over 10 times the average, or a grid coarser than
 * a minute; high otherwise.
 */
const char *rank_confidence(double, double, double, int);

/**
 * rank_run(opts, files, decisions, out, analyzed, written):
 * Read the scenario records of ${files} (NULL-terminated; "-" is the
 * standard input; the records of a table must be together, as
 * optima-simulate writes them), decide each table as ${opts} says, and
 * write its recommendations to ${out} with their status from
 * ${decisions} (see decision.h).  Count the tables in ${analyzed} and
 * append each recommendation written to the array ${written} (NULL: not
 * kept).  Return 0, or -1 on an error (reported, with file:line for bad
 * records).
 */
int rank_run(const struct rank_opts *, char *const *, const json_t *, FILE *,
    size_t *, json_t *);

#endif
