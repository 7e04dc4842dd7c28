#ifndef GUI_HTTP_H
#define GUI_HTTP_H

#include <stdio.h>

struct projdir;

/*
 * The dashboard's web server (libmicrohttpd, one thread): a fixed set of
 * static files, read into memory when it starts, and the JSON API of
 * gui_api.h.
 *
 *   GET  /                          index.html
 *   GET  /app.js, /app.css          the page's script and style
 *   GET  /chart.umd.js              Chart.js, as npm installed it under
 *                                   node_modules/chart.js/dist/
 *   GET  /api/config                {"theme","allow_edits","project"}
 *   GET  /api/summary               the dashboard (gui_api_summary)
 *   GET  /api/recommendations       a page's rows (gui_api_list)
 *   GET  /api/recommendations.csv   the same rows as CSV (gui_api_csv)
 *   GET  /api/table                 a table's drill-down (gui_api_table)
 *   POST /api/decision              a decision (gui_api_decide)
 *
 * Nothing else is served: a URL is compared with this list, never turned
 * into a path.  Every response carries a restrictive
 * Content-Security-Policy (scripts, styles and fetches from the server
 * itself only), X-Content-Type-Options: nosniff, no caching and no
 * framing.  Requests are bounded: 32 KiB of headers and URL, query
 * strings of at most 16 arguments, bodies of at most 8 KiB, 64
 * connections, 30 seconds idle.  When the server listens on a loopback
 * address, requests must name it in their Host header (a page elsewhere
 * cannot reach it through DNS rebinding); a decision must come as
 * application/json from the page's own origin.
 */

struct gui_http_opts {
	const char *host;	/* the address to listen on */
	int port;		/* 0: any free port */
	const char *theme;	/* "light" or "dark" */
	int allow_edits;	/* accept decisions */
	const char *assets;	/* the directory of index.html */
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
