#ifndef GUI_API_H
#define GUI_API_H

#include <stddef.h>
#include <time.h>

#include <jansson.h>

struct projdir;

/*
 * The dashboard's API, without HTTP: what each request of optima-gui
 * answers, as a JSON value (or CSV text) and an HTTP status, from the
 * project's recommendations.ndjson, commitments.ndjson (the purchases
 * of optima-commit, recommendations of type commitment, of no table),
 * scenarios.ndjson, decisions.ndjson, tables/ and metrics/.  Files are read again when they change (their
 * size, time or inode), so a new analysis or a decision made by optima
 * mark shows at the next request.  Of recommendations.ndjson and
 * scenarios.ndjson only indexes are kept (where each record's line is,
 * and the figures the lists and totals need: about 200 bytes a
 * recommendation, 80 a scenario), read in place without a JSON value
 * per record (see jscan.h); a list reads its rows' lines again, one at a
 * time, a drill-down its table's.
 *
 * A recommendation's status is the one decisions.ndjson gives now (see
 * decision.h).  The potential savings (the dashboard's totals) are those
 * of the recommendations pending or accepted, as report_summary counts
 * them: rejected and implemented ones save nothing more.
 *
 * Requests are given as a JSON object of their query arguments, every
 * value a string (see gui_http.h); an argument that is unknown, repeated,
 * or of the wrong form is answered 400 with {"error":"..."}, as is a
 * table-name regular expression outside the RE2 subset or that does not
 * compile (the message says why).  No value from a request is ever used
 * as a path: tables are looked up among the records, and their account
 * and region taken from those.
 *
 * The functions may be called from several threads at once on the same
 * api: each request works on the values of the files as they were when
 * it began; a slow one (a drill-down) holds up no other.
 */

struct gui_api;

/* HTTP statuses the functions answer with. */
#define GUI_API_OK		200
#define GUI_API_BAD		400
#define GUI_API_FORBIDDEN	403
#define GUI_API_NOT_FOUND	404
#define GUI_API_ERROR		500

/**
 * gui_api_open(pd, allow_edits):
 * The API of the project directory ${pd} (borrowed: it must outlive the
 * result); decisions are written only if ${allow_edits}.  Return NULL on
 * allocation failure (reported).
 */
struct gui_api *gui_api_open(const struct projdir *, int);

/**
 * gui_api_refresh(api):
 * Read the project's files that changed since they were last read (all
 * of them the first time), as every request does first: so that the
 * first does not wait for them.  Return 0, or -1 (reported; the next
 * request reads them again).
 */
int gui_api_refresh(struct gui_api *);

/**
 * gui_api_summary(api, status):
 * The dashboard: {"total_monthly_usd","total_annual_usd","count",
 * "recommendations","tables_analyzed","by_type":[{"type","count",
 * "monthly_usd"}],"by_region":[...],"top_tables":[{"account","region",
 * "table","monthly_usd"}] (10 at most, largest first),"by_status":{...},
 * "by_confidence":{...},"accounts":[...],"regions":[...]}.  Set ${status}.
 */
json_t *gui_api_summary(struct gui_api *, int *);

/**
 * gui_api_list(api, args, status):
 * The recommendations and commitments the filters of ${args} select
 * (type: capacity, table_class, utilization, idle or commitment, account,
 * region, status, mode: the current billing mode, min_savings: USD a
 * month, table_regex), largest saving first, each with its current status
 * and a "details" object of the figures its type's page shows:
 * {"rows":[...],"count","total_monthly_usd","total_annual_usd"}.  Set
 * ${status}.  The rows are read again from recommendations.ndjson and
 * written one at a time: only the answer's text is held whole (see
 * gui_api_list_text).
 */
json_t *gui_api_list(struct gui_api *, const json_t *, int *);

/**
 * gui_api_list_text(api, args, buf, len, status):
 * What gui_api_list(${args}) answers, as compact JSON text, without its
 * value: on success set ${buf} (malloced) and ${len}, and return 0 with
 * ${status} 200; else return -1 with ${status} and ${buf} a malloced JSON
 * error object (NULL out of memory).
 */
int gui_api_list_text(struct gui_api *, const json_t *, char **, size_t *,
    int *);

/**
 * gui_api_csv(api, args, buf, len, status):
 * The rows of gui_api_list(${args}) as RFC 4180 CSV (every field quoted,
 * CRLF), a header row first: the columns of optima list-recommendations
 * --format csv, then those of "details" for the type (if ${args} names
 * one).  On success set ${buf} (malloced) and ${len}, and return 0 with
 * ${status} 200; else return -1 with ${status} and ${buf} a malloced JSON
 * error object.
 */
int gui_api_csv(struct gui_api *, const json_t *, char **, size_t *, int *);

/**
 * gui_api_table(api, args, status):
 * The drill-down of the table ${args} names (account, region, table):
 * {"table":its table record or null,"recommendations":[...],
 * "scenarios":[... of the table and of each index],"chart":see
 * gui_chart.h, or null}.  Set ${status} (404 if no scenario names it).
 * Only the table's account's and region's files of tables/ and metrics/
 * are read, one record at a time; at most 4 charts are drawn at once.
 */
json_t *gui_api_table(struct gui_api *, const json_t *, int *);

/**
 * gui_api_tables(api, args, status):
 * Every table of scenarios.ndjson (not its indexes) that the global
 * filters of ${args} select (account, region, min_savings: of the
 * savings below, table_regex), and what is recommended for it:
 * {"rows":[{"account","region","table","recommendations" (how many, of
 * any status),"pending_or_accepted","monthly_savings_usd" (of those
 * pending or accepted),"current_usd" (the current settings' monthly cost
 * of the table with its indexes),"indexes" (how many)}],"analyzed" (tables in all)},
 * in no order.  Set ${status}.
 */
json_t *gui_api_tables(struct gui_api *, const json_t *, int *);

/**
 * gui_api_analysis(api, args, status):
 * What the chart of the page of the type ${args} names ("table_class" or
 * "utilization") shows, of the tables (or tables and indexes) the global
 * filters of ${args} select but min_savings: {"type","count" (how many
 * there are),"points":[...]}, at most 25 points, the largest first.
 * Of table_class, each table's costs a month at Standard prices in its
 * current settings (by storage plus throughput): {"account","region",
 * "table","table_class" (now),"storage_usd","throughput_usd","ratio",
 * "breakeven"}, where the break-even is the ratio of storage to
 * throughput above which Standard-IA costs less, from the region's
 * on-demand prices, (IA throughput / Standard throughput - 1) / (1 - IA
 * storage / Standard storage), absent without them; and
 * "above_breakeven", how many of the count are.  Of utilization, each
 * provisioned table or index (by its monthly cost now):
 * {"account","region","table","index","monthly_usd","read":{"avg",
 * "peak","provisioned"},"write":{...}} in units a second.  Set ${status}.
 */
json_t *gui_api_analysis(struct gui_api *, const json_t *, int *);

/**
 * gui_api_window(api, status):
 * The window of the analysis: {"days" (the longest of the scenarios),
 * "start","end" (its first and last day, YYYY-MM-DD, where the metrics
 * end; null without metrics)}.  Set ${status}.
 */
json_t *gui_api_window(struct gui_api *, int *);

/**
 * gui_api_decide(api, body, now, status):
 * Record the decision of the JSON object ${body} ({"id","status"[,
 * "note"]}) made at ${now}, with decision_append, as optima mark does:
 * 403 unless edits are allowed, 400 for a malformed body, 404 for an id
 * no recommendation has.  Return {"id","status"}, or {"error"}; set
 * ${status}.
 */
json_t *gui_api_decide(struct gui_api *, const json_t *, time_t, int *);

/**
 * gui_api_error(msg):
 * A new {"error":msg} object (NULL on allocation failure).
 */
json_t *gui_api_error(const char *);

/**
 * gui_api_free(api):
 * Free ${api}.  NULL is a no-op.
 */
void gui_api_free(struct gui_api *);

#endif
