#ifndef GUI_HTTP_H
#define GUI_HTTP_H

#include <stddef.h>
#include <stdio.h>

struct projdir;

/*
 * The dashboard's web server (libmicrohttpd, a thread per connection, so
 * that a slow answer holds up no other): a fixed set of static files,
 * read into memory when it starts, and the JSON API of gui_api.h.
 *
 *   GET  /                          index.html
 *   GET  /app.js, /app.css          the page's script and style
 *   GET  /chart.umd.js              Chart.js, as npm installed it under
 *                                   node_modules/chart.js/dist/
 *   GET  /api/config                {"theme","allow_edits","project",
 *                                   "min_savings_usd","window"
 *                                   (gui_api_window)}
 *   GET  /api/summary               the dashboard (gui_api_summary)
 *   GET  /api/recommendations       a page's rows (gui_api_list)
 *   GET  /api/recommendations.csv   the same rows as CSV (gui_api_csv)
 *   GET  /api/table                 a table's drill-down (gui_api_table)
 *   GET  /api/tables                every table (gui_api_tables)
 *   GET  /api/analysis              a type's chart (gui_api_analysis)
 *   GET  /README                    the README, as text (../README.md
 *                                   from the page's directory)
 *   POST /api/decision              a decision (gui_api_decide)
 *
 * Nothing else is served: a URL is compared with this list, never turned
 * into a path.  Every response carries a restrictive
 * Content-Security-Policy (scripts, styles and fetches from the server
 * itself only), X-Content-Type-Options: nosniff, no caching and no
 * framing.  Requests are bounded: 32 KiB of headers and URL, query
 * strings of at most 16 arguments, bodies of at most 8 KiB, 64
 * connections, 16 from one address, 10 seconds to send a whole request
 * (from the connection's start or its previous answer: a client sending
 * a header now and then is cut off), 30 seconds idle while an answer is
 * sent.  Whatever address it listens on, a request must name the server
 * in its Host header (see names() in gui_http.c, and --allowed-host), so
 * that a page elsewhere cannot reach it through DNS rebinding; a decision
 * must come as application/json from the page's own origin.
 */

struct gui_http_opts {
	const char *host;	/* the address to listen on */
	int port;		/* 0: any free port */
	const char *theme;	/* "light" or "dark" */
	int allow_edits;	/* accept decisions */
	double min_savings;	/* MIN_SAVINGS_THRESHOLD_USD, for the page */
	const char *assets;	/* the directory of index.html */
	char **allowed;		/* more Host names accepted, with any port */
	size_t nallowed;
};

/**
 * gui_http_serve(pd, o, announce):
 * Serve the dashboard of the project directory ${pd} as ${o} says, and
 * print its URL to ${announce} once it listens; return when SIGINT,
 * SIGTERM or SIGHUP arrives (they are blocked in the calling thread).
 * Return 0, or -1 if it could not start (reported: an asset missing, the
 * address taken, ...).
 */
int gui_http_serve(const struct projdir *, const struct gui_http_opts *,
    FILE *);

#endif
