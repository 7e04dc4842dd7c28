#include <sys/socket.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <netinet/in.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <microhttpd.h>

#include "gui_api.h"
#include "gui_http.h"
#include "projdir.h"

#define MAXASSET	(4 * 1024 * 1024)	/* bytes in a static file */
#define MAXBODY		8192		/* bytes in a request's body */
#define MAXARGS		16		/* arguments in a query string */
#define MAXMEM		(32 * 1024)	/* a connection's headers and URL */
#define MAXCONN		64
#define MAXPERIP	16		/* connections from one address */
#define TIMEOUT		30		/* seconds a connection may idle */
#define DEADLINE	10		/* seconds to send a whole request */
#define MAXNAMES	256		/* Host names accepted */

/* The only files served; the URL picks one by comparison, never a path. */
static const struct asset {
	const char *url, *file, *type;
} assets[] = {
	{ "/", "index.html", "text/html; charset=utf-8" },
	{ "/app.js", "app.js", "text/javascript; charset=utf-8" },
	{ "/app.css", "app.css", "text/css; charset=utf-8" },
	{ "/README", "../README.md", "text/plain; charset=utf-8" },
	{ "/chart.umd.js", "node_modules/chart.js/dist/chart.umd.js",
	    "text/javascript; charset=utf-8" },
};
#define NASSETS	(sizeof(assets) / sizeof(assets[0]))

static const char csp[] = "default-src 'none'; script-src 'self'; "
    "style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/*
 * A connection, as the keeper of deadlines sees it: from the moment it
 * opens, or its last answer has been sent, it has DEADLINE seconds to
 * send a whole request (line, headers and body); else its socket is shut
 * down, which ends it.  An answer being made or sent has no deadline but
 * libmicrohttpd's idle timeout.
 */
struct conn {
	int used;
	int fd;			/* its socket, while used */
	int waiting;		/* for a request: the deadline holds */
	time_t deadline;	/* CLOCK_MONOTONIC seconds */
};

struct server {
	const struct gui_http_opts *o;
	const char *root;
	struct gui_api *api;
	char *body[NASSETS];
	size_t len[NASSETS];
	unsigned int port;	/* listened on */
	char *names[MAXNAMES];	/* Host names of this server at port */
	size_t nnames;
	pthread_mutex_t lock;	/* conns */
	struct conn conns[MAXCONN + 8];
};

/* What a request has sent so far. */
struct req {
	char body[MAXBODY];
	size_t len;
	int too_big;
};

/* The query arguments, as gui_api wants them. */
struct args {
	json_t *o;
	int bad;
};

/* ---- responses ---- */

/* Answer ${code} with the ${len} bytes of ${buf} of type ${type} (freed
 * or kept as ${mode} says), with the headers of every response, and as
 * an attachment ${filename} if not NULL. */
static enum MHD_Result
respond(struct MHD_Connection *c, unsigned int code, const char *type,
    void *buf, size_t len, enum MHD_ResponseMemoryMode mode,
    const char *filename)
{
	struct MHD_Response *r;
	enum MHD_Result rc;
	char disp[128];

	if ((r = MHD_create_response_from_buffer(len, buf, mode)) == NULL) {
		if (mode == MHD_RESPMEM_MUST_FREE)
			free(buf);
		return (MHD_NO);
	}
	if (MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
	    type) == MHD_NO ||
	    MHD_add_response_header(r, "Content-Security-Policy", csp) ==
	    MHD_NO ||
	    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff") ==
	    MHD_NO ||
	    MHD_add_response_header(r, "X-Frame-Options", "DENY") == MHD_NO ||
	    MHD_add_response_header(r, "Referrer-Policy", "no-referrer") ==
	    MHD_NO ||
	    MHD_add_response_header(r, "Cross-Origin-Resource-Policy",
	    "same-origin") == MHD_NO ||
	    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
	    "no-store") == MHD_NO) {
		MHD_destroy_response(r);
		return (MHD_NO);
	}
	if (filename != NULL) {
		snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"",
		    filename);
		if (MHD_add_response_header(r,
		    MHD_HTTP_HEADER_CONTENT_DISPOSITION, disp) == MHD_NO) {
			MHD_destroy_response(r);
			return (MHD_NO);
		}
	}
	if (code == MHD_HTTP_METHOD_NOT_ALLOWED &&
	    MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW,
	    "GET, HEAD, POST") == MHD_NO) {
		MHD_destroy_response(r);
		return (MHD_NO);
	}
	rc = MHD_queue_response(c, code, r);
	MHD_destroy_response(r);
	return (rc);
}

/* Answer ${code} with the JSON value ${v} (consumed). */
static enum MHD_Result
respond_json(struct MHD_Connection *c, unsigned int code, json_t *v)
{
	char *s;

	s = v != NULL ? json_dumps(v, JSON_COMPACT) : NULL;
	json_decref(v);
	if (s == NULL)
		return (MHD_NO);
	return (respond(c, code, "application/json; charset=utf-8", s,
	    strlen(s), MHD_RESPMEM_MUST_FREE, NULL));
}

/* Answer ${code} with {"error":${msg}}. */
static enum MHD_Result
respond_error(struct MHD_Connection *c, unsigned int code, const char *msg)
{

	return (respond_json(c, code, gui_api_error(msg)));
}

/* ---- requests ---- */

/* libmicrohttpd: add the query argument ${key}=${value} to the
 * arguments ${cls}, or mark them malformed. */
static enum MHD_Result
take_arg(void *cls, enum MHD_ValueKind kind, const char *key, size_t klen,
    const char *value, size_t vlen)
{
	struct args *a = cls;
	json_t *v;

	(void)kind;
	if (value == NULL) {
		value = "";
		vlen = 0;
	}
	/* A NUL (%00) in a key or value, a repeated key, too many keys,
	 * text that is not UTF-8: the query string is malformed. */
	if (strlen(key) != klen || strlen(value) != vlen ||
	    json_object_size(a->o) >= MAXARGS ||
	    json_object_get(a->o, key) != NULL ||
	    (v = json_stringn(value, vlen)) == NULL ||
	    json_object_set_new(a->o, key, v)) {
		a->bad = 1;
		return (MHD_NO);
	}
	return (MHD_YES);
}

/* Decode %XX in a URL's path or a query argument, as libmicrohttpd
 * does, but with no NUL within: a %00 becomes 0xff, a byte that is never
 * UTF-8, so that "/index.html%00.js" is no file and an argument holding
 * it is malformed. */
static size_t
unescape(void *cls, struct MHD_Connection *c, char *s)
{
	size_t i, n;

	(void)cls;
	(void)c;
	n = MHD_http_unescape(s);
	for (i = 0; i < n; i++)
		if (s[i] == '\0')
			s[i] = (char)0xff;
	return (n);
}

/* libmicrohttpd: count the Host headers into *${ctx}. */
static enum MHD_Result
count_host(void *ctx, enum MHD_ValueKind kind, const char *key,
    const char *value)
{

	if (strcasecmp(key, MHD_HTTP_HEADER_HOST) == 0)
		(*(int *)ctx)++;
	return (MHD_YES);
}

/* Split the Host header ${h} into its host name (${n} bytes) and port
 * (-1 if it has none).  Return 0, or -1 if it is malformed. */
static int
split_host(const char *h, size_t *n, long *port)
{
	const char *c, *p;
	char *end;

	if (*h == '[') {
		if ((c = strchr(h, ']')) == NULL)
			return (-1);
		c++;
	} else
		c = h + strcspn(h, ":");
	*n = (size_t)(c - h);
	*port = -1;
	if (*n == 0 || (*c != '\0' && *c != ':'))
		return (-1);
	if (*c == ':') {
		p = c + 1;
		if (*p < '0' || *p > '9' || strlen(p) > 5)
			return (-1);
		*port = strtol(p, &end, 10);
		if (*end != '\0' || *port < 1 || *port > 65535)
			return (-1);
	}
	return (0);
}

/* Whether ${n} bytes at ${h} are the name ${name} (case aside). */
static int
same_name(const char *h, size_t n, const char *name)
{

	return (strlen(name) == n && strncasecmp(h, name, n) == 0);
}

/* Whether the Host header ${h} names this server: one of its names with
 * the port it listens on (or none, on port 80), or a name of
 * --allowed-host with any port. */
static int
host_named(const struct server *s, const char *h)
{
	/* Set once the server listens (--port 0: after it started). */
	unsigned int ours = __atomic_load_n(&s->port, __ATOMIC_ACQUIRE);
	size_t i, n;
	long port;

	if (split_host(h, &n, &port))
		return (0);
	if (port == (long)ours || (port == -1 && ours == 80))
		for (i = 0; i < s->nnames; i++)
			if (same_name(h, n, s->names[i]))
				return (1);
	for (i = 0; i < s->o->nallowed; i++)
		if (same_name(h, n, s->o->allowed[i]))
			return (1);
	return (0);
}

/* Whether the request's one Host header names this server (a request
 * with two is malformed: RFC 9112, section 3.2). */
static int
host_ok(const struct server *s, struct MHD_Connection *c)
{
	const char *h;
	int n = 0;

	MHD_get_connection_values(c, MHD_HEADER_KIND, count_host, &n);
	if (n != 1 || (h = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_HOST)) == NULL)
		return (0);
	return (host_named(s, h));
}

/* Whether a decision comes from the page: JSON, from its own origin
 * (the Host header, which host_ok has checked, behind http:// or, through
 * a proxy, https://). */
static int
same_origin(struct MHD_Connection *c)
{
	const char *ct, *origin, *host, *site;

	ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_TYPE);
	origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
	host = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_HOST);
	site = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    "Sec-Fetch-Site");
	if (ct == NULL || strncasecmp(ct, "application/json", 16) != 0 ||
	    (ct[16] != '\0' && ct[16] != ';'))
		return (0);
	if (site != NULL && strcmp(site, "same-origin") != 0)
		return (0);
	if (origin != NULL) {
		if (host == NULL)
			return (0);
		if (strncmp(origin, "http://", 7) == 0)
			origin += 7;
		else if (strncmp(origin, "https://", 8) == 0)
			origin += 8;
		else
			return (0);
		if (strcmp(origin, host) != 0)
			return (0);
	}
	return (1);
}

/* ---- deadlines ---- */

/* The seconds of CLOCK_MONOTONIC. */
static time_t
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec);
}

/* The slot of the connection ${c}, or NULL. */
static struct conn *
slot(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci;

	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return (ci != NULL ? ci->socket_context : NULL);
}

/* Start (${waiting}) or stop the deadline of the connection ${c}. */
static void
wait_for(struct server *s, struct MHD_Connection *c, int waiting)
{
	struct conn *k;

	pthread_mutex_lock(&s->lock);
	if ((k = slot(c)) != NULL) {
		k->waiting = waiting;
		k->deadline = now() + DEADLINE;
	}
	pthread_mutex_unlock(&s->lock);
}

/* libmicrohttpd: a connection opened or closed; keep its slot. */
static void
notify(void *cls, struct MHD_Connection *c, void **ctx,
    enum MHD_ConnectionNotificationCode toe)
{
	struct server *s = cls;
	const union MHD_ConnectionInfo *ci;
	struct conn *k = NULL;
	size_t i;

	pthread_mutex_lock(&s->lock);
	if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
		/* Before its socket is closed: never shut down another's. */
		if ((k = *ctx) != NULL)
			k->used = 0;
		*ctx = NULL;
	} else if ((ci = MHD_get_connection_info(c,
	    MHD_CONNECTION_INFO_CONNECTION_FD)) != NULL) {
		for (i = 0; i < sizeof(s->conns) / sizeof(s->conns[0]); i++)
			if (!s->conns[i].used) {
				k = &s->conns[i];
				break;
			}
		if (k == NULL)
			shutdown(ci->connect_fd, SHUT_RDWR);
		else {
			k->used = 1;
			k->fd = ci->connect_fd;
			k->waiting = 1;
			k->deadline = now() + DEADLINE;
			*ctx = k;
		}
	}
	pthread_mutex_unlock(&s->lock);
}

/* End the connections whose request is late: shut their sockets down,
 * which their threads see as the end of the request. */
static void
reap(struct server *s)
{
	struct conn *k;
	time_t t = now();
	size_t i;

	pthread_mutex_lock(&s->lock);
	for (i = 0; i < sizeof(s->conns) / sizeof(s->conns[0]); i++) {
		k = &s->conns[i];
		if (k->used && k->waiting && t >= k->deadline) {
			shutdown(k->fd, SHUT_RDWR);
			k->waiting = 0;
		}
	}
	pthread_mutex_unlock(&s->lock);
}

/* Answer the GET of the API's ${url}. */
static enum MHD_Result
api_get(struct server *s, struct MHD_Connection *c, const char *url)
{
	struct args a;
	json_t *v;
	char *buf;
	size_t len;
	int st;

	if (strcmp(url, "/api/config") == 0)
		return (respond_json(c, MHD_HTTP_OK, json_pack(
		    "{s:s,s:b,s:s,s:f,s:o*}", "theme", s->o->theme,
		    "allow_edits", s->o->allow_edits, "project", s->root,
		    "min_savings_usd", s->o->min_savings, "window",
		    gui_api_window(s->api, &st))));
	a.bad = 0;
	if ((a.o = json_object()) == NULL)
		return (MHD_NO);
	MHD_get_connection_values_n(c, MHD_GET_ARGUMENT_KIND, take_arg, &a);
	if (a.bad) {
		json_decref(a.o);
		return (respond_error(c, MHD_HTTP_BAD_REQUEST, "malformed "
		    "query string"));
	}
	if (strcmp(url, "/api/summary") == 0) {
		if (json_object_size(a.o) != 0) {
			st = MHD_HTTP_BAD_REQUEST;
			v = gui_api_error("the summary takes no arguments");
		} else
			v = gui_api_summary(s->api, &st);
	} else if (strcmp(url, "/api/recommendations") == 0)
		v = gui_api_list(s->api, a.o, &st);
	else if (strcmp(url, "/api/table") == 0)
		v = gui_api_table(s->api, a.o, &st);
	else if (strcmp(url, "/api/tables") == 0)
		v = gui_api_tables(s->api, a.o, &st);
	else if (strcmp(url, "/api/analysis") == 0)
		v = gui_api_analysis(s->api, a.o, &st);
	else if (strcmp(url, "/api/recommendations.csv") == 0) {
		if (gui_api_csv(s->api, a.o, &buf, &len, &st) == 0) {
			json_decref(a.o);
			return (respond(c, (unsigned int)st,
			    "text/csv; charset=utf-8; header=present", buf,
			    len, MHD_RESPMEM_MUST_FREE,
			    "optima-recommendations.csv"));
		}
		json_decref(a.o);
		if (buf == NULL)
			return (MHD_NO);
		return (respond(c, (unsigned int)st,
		    "application/json; charset=utf-8", buf, len,
		    MHD_RESPMEM_MUST_FREE, NULL));
	} else {
		json_decref(a.o);
		return (respond_error(c, MHD_HTTP_NOT_FOUND, "not found"));
	}
	json_decref(a.o);
	return (respond_json(c, (unsigned int)st, v));
}

/* Answer the decision whose body ${q} holds. */
static enum MHD_Result
api_decide(struct server *s, struct MHD_Connection *c, struct req *q)
{
	json_t *body, *v;
	int st;

	if (q->too_big)
		return (respond_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "the "
		    "body is too large"));
	if ((body = json_loadb(q->body, q->len, JSON_REJECT_DUPLICATES,
	    NULL)) == NULL)
		return (respond_error(c, MHD_HTTP_BAD_REQUEST, "the body is "
		    "not JSON"));
	v = gui_api_decide(s->api, body, time(NULL), &st);
	json_decref(body);
	return (respond_json(c, (unsigned int)st, v));
}

/* The headers of a request are in: answer it now, unless it is a
 * decision the server takes, whose body is to come (within the deadline)
 * into a new ${*con_cls}. */
static enum MHD_Result
headers(struct server *s, struct MHD_Connection *c, const char *url,
    const char *method, void **con_cls)
{
	size_t i;
	int get, decision;

	get = strcmp(method, MHD_HTTP_METHOD_GET) == 0 ||
	    strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
	decision = strcmp(method, MHD_HTTP_METHOD_POST) == 0 &&
	    strcmp(url, "/api/decision") == 0;
	if (decision && s->o->allow_edits && host_ok(s, c) &&
	    same_origin(c)) {
		if ((*con_cls = calloc(1, sizeof(struct req))) == NULL)
			return (MHD_NO);
		return (MHD_YES);
	}
	wait_for(s, c, 0);
	if (!host_ok(s, c))
		return (respond_error(c, MHD_HTTP_MISDIRECTED_REQUEST,
		    "this server is not that host"));
	if (decision && !s->o->allow_edits)
		return (respond_error(c, MHD_HTTP_FORBIDDEN, "read-only: "
		    "start optima gui with --allow-edits to decide"));
	if (decision)
		return (respond_error(c, MHD_HTTP_FORBIDDEN, "a decision must "
		    "come from the page, as application/json"));
	if (!get)
		return (respond_error(c, MHD_HTTP_METHOD_NOT_ALLOWED,
		    "method not allowed"));
	if (strncmp(url, "/api/", 5) == 0)
		return (api_get(s, c, url));
	for (i = 0; i < NASSETS; i++)
		if (strcmp(url, assets[i].url) == 0 ||
		    (i == 0 && strcmp(url, "/index.html") == 0))
			return (respond(c, MHD_HTTP_OK, assets[i].type,
			    s->body[i], s->len[i], MHD_RESPMEM_PERSISTENT,
			    NULL));
	return (respond(c, MHD_HTTP_NOT_FOUND, "text/plain; charset=utf-8",
	    (void *)"not found\n", 10, MHD_RESPMEM_PERSISTENT, NULL));
}

/* libmicrohttpd: a request's headers are in, or a piece of its body, or
 * the end of its body. */
static enum MHD_Result
handle(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	struct server *s = cls;
	struct req *q = *con_cls;

	(void)version;
	if (q == NULL)
		return (headers(s, c, url, method, con_cls));
	/* The body of a decision, in pieces. */
	if (*upload_size > 0) {
		if (q->len + *upload_size > sizeof(q->body))
			q->too_big = 1;
		else {
			memcpy(q->body + q->len, upload, *upload_size);
			q->len += *upload_size;
		}
		*upload_size = 0;
		return (MHD_YES);
	}
	wait_for(s, c, 0);
	return (api_decide(s, c, q));
}

/* libmicrohttpd: a request is over; the connection's next one has
 * DEADLINE seconds from now. */
static void
completed(void *cls, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{

	(void)toe;
	free(*con_cls);
	*con_cls = NULL;
	wait_for(cls, c, 1);
}

/* ---- starting ---- */

/* Read the static files from ${dir}. */
static int
load_assets(struct server *s, const char *dir)
{
	char p[4096];
	struct stat sb;
	ssize_t n;
	size_t i, got;
	int fd;

	for (i = 0; i < NASSETS; i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, assets[i].file);
		if ((fd = open(p, O_RDONLY)) == -1) {
			warn("%s%s", p, i == NASSETS - 1 ? " (run scripts/"
			    "setup, or npm ci in gui/)" : "");
			return (-1);
		}
		if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode) ||
		    sb.st_size > MAXASSET || (s->body[i] = malloc(
		    (size_t)sb.st_size + 1)) == NULL) {
			warnx("%s: not a file of at most %d bytes", p,
			    MAXASSET);
			close(fd);
			return (-1);
		}
		for (got = 0; got < (size_t)sb.st_size; got += (size_t)n)
			if ((n = read(fd, s->body[i] + got, (size_t)sb.st_size -
			    got)) <= 0) {
				warn("%s", p);
				close(fd);
				return (-1);
			}
		s->len[i] = got;
		close(fd);
	}
	return (0);
}

/* Resolve the address to listen on into ${ss}. */
static int
address(const struct gui_http_opts *o, struct sockaddr_storage *ss,
    socklen_t *len)
{
	struct addrinfo hints, *res;
	char port[8];
	int e;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	snprintf(port, sizeof(port), "%d", o->port);
	if ((e = getaddrinfo(o->host, port, &hints, &res)) != 0) {
		warnx("--host %s: %s", o->host, gai_strerror(e));
		return (-1);
	}
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	return (0);
}

/* Whether ${ss} is a loopback address. */
static int
is_loopback(const struct sockaddr_storage *ss)
{
	const struct sockaddr_in *in = (const struct sockaddr_in *)ss;
	const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;

	if (ss->ss_family == AF_INET)
		return ((ntohl(in->sin_addr.s_addr) >> 24) == 127);
	return (ss->ss_family == AF_INET6 &&
	    IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr));
}

/* Whether ${ss} is the address of every interface (0.0.0.0, ::). */
static int
is_wildcard(const struct sockaddr_storage *ss)
{
	const struct sockaddr_in *in = (const struct sockaddr_in *)ss;
	const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;

	if (ss->ss_family == AF_INET)
		return (in->sin_addr.s_addr == htonl(INADDR_ANY));
	return (ss->ss_family == AF_INET6 &&
	    IN6_IS_ADDR_UNSPECIFIED(&in6->sin6_addr));
}

/* Accept ${name} (an IPv6 address in brackets if ${v6}) as this server's
 * name in Host headers.  Return 0, or -1 out of memory (reported). */
static int
add_name(struct server *s, const char *name, int v6)
{
	size_t n = strlen(name) + 3;
	char *p;

	if (*name == '\0' || s->nnames == MAXNAMES)
		return (0);
	if ((p = malloc(n)) == NULL) {
		warn("gui");
		return (-1);
	}
	snprintf(p, n, v6 ? "[%s]" : "%s", name);
	s->names[s->nnames++] = p;
	return (0);
}

/* Accept the address ${sa} (IPv4 or IPv6) as a name. */
static int
add_address(struct server *s, const struct sockaddr *sa)
{
	char buf[INET6_ADDRSTRLEN];
	const void *a;

	if (sa == NULL || (sa->sa_family != AF_INET &&
	    sa->sa_family != AF_INET6))
		return (0);
	a = sa->sa_family == AF_INET ?
	    (const void *)&((const struct sockaddr_in *)sa)->sin_addr :
	    (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr;
	if (inet_ntop(sa->sa_family, a, buf, sizeof(buf)) == NULL)
		return (0);
	return (add_name(s, buf, sa->sa_family == AF_INET6));
}

/* Accept the machine's own names (gethostname, and its first label) and,
 * if ${all}, the addresses of its interfaces. */
static int
add_own(struct server *s, int all)
{
	struct ifaddrs *ifa, *i;
	char host[256], *dot;
	int rc = 0;

	if (gethostname(host, sizeof(host)) == 0) {
		host[sizeof(host) - 1] = '\0';
		if (add_name(s, host, 0))
			return (-1);
		if ((dot = strchr(host, '.')) != NULL) {
			*dot = '\0';
			if (add_name(s, host, 0))
				return (-1);
		}
	}
	if (!all || getifaddrs(&ifa) == -1)
		return (0);
	for (i = ifa; i != NULL && rc == 0; i = i->ifa_next)
		rc = add_address(s, i->ifa_addr);
	freeifaddrs(ifa);
	return (rc);
}

/*
 * The names a Host header may give this server (with its port): the
 * address it listens on as given and as a number; on a loopback address
 * or all of them, localhost, 127.0.0.1 and [::1]; on another address or
 * all of them, the machine's names (and, on all of them, the addresses of
 * its interfaces).  A page elsewhere cannot reach it through DNS
 * rebinding: its Host header would name the page's site.
 */
static int
names(struct server *s, const char *host, const struct sockaddr_storage *ss)
{
	int lo = is_loopback(ss), any = is_wildcard(ss);

	if (add_name(s, host, strchr(host, ':') != NULL) ||
	    add_address(s, (const struct sockaddr *)ss))
		return (-1);
	if ((lo || any) && (add_name(s, "localhost", 0) ||
	    add_name(s, "127.0.0.1", 0) || add_name(s, "::1", 1)))
		return (-1);
	if (!lo && add_own(s, any))
		return (-1);
	return (0);
}

/* Listen as ${o} says, on ${ss}, with every bound of gui_http.h. */
static struct MHD_Daemon *
start(struct server *s, const struct gui_http_opts *o,
    struct sockaddr_storage *ss)
{
	unsigned int flags;

	/* A thread per connection: a slow answer (a drill-down of a large
	 * table, a slow regex) holds up no other request. */
	flags = MHD_USE_AUTO | MHD_USE_INTERNAL_POLLING_THREAD |
	    MHD_USE_THREAD_PER_CONNECTION | MHD_USE_ERROR_LOG |
	    (ss->ss_family == AF_INET6 ? MHD_USE_IPv6 : 0);
	return (MHD_start_daemon(flags, 0, NULL, NULL, handle, s,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)ss,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)MAXMEM,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)MAXCONN,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)MAXPERIP,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)TIMEOUT,
	    MHD_OPTION_NOTIFY_CONNECTION, notify, s,
	    MHD_OPTION_NOTIFY_COMPLETED, completed, s,
	    MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
	    MHD_OPTION_END));
}

/* Wait for one of the signals of ${set}, ending late requests each
 * second meanwhile. */
static void
wait_signal(struct server *s, const sigset_t *set)
{
	struct timespec second = { 1, 0 };

	for (;;) {
		if (sigtimedwait(set, NULL, &second) != -1)
			return;
		if (errno == EAGAIN)
			reap(s);
	}
}

/* Serve the dashboard until a signal comes (see gui_http.h). */
int
gui_http_serve(const struct projdir *pd, const struct gui_http_opts *o,
    FILE *announce)
{
	struct server s;
	struct sockaddr_storage ss;
	struct MHD_Daemon *d = NULL;
	const union MHD_DaemonInfo *info;
	sigset_t set;
	socklen_t sslen;
	size_t i;
	int v6, lock = 0, rc = -1;

	memset(&s, 0, sizeof(s));
	s.o = o;
	s.root = projdir_root(pd);
	if (load_assets(&s, o->assets) || address(o, &ss, &sslen) ||
	    names(&s, o->host, &ss) ||
	    (s.api = gui_api_open(pd, o->allow_edits)) == NULL)
		goto out;
	(void)sslen;
	v6 = ss.ss_family == AF_INET6;
	if ((errno = pthread_mutex_init(&s.lock, NULL)) != 0) {
		warn("pthread_mutex_init");
		goto out;
	}
	lock = 1;

	/* The server's threads inherit the blocked signals; this thread
	 * waits for them. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	if ((errno = pthread_sigmask(SIG_BLOCK, &set, NULL)) != 0) {
		warn("pthread_sigmask");
		goto out;
	}
	s.port = (unsigned int)o->port;
	if ((d = start(&s, o, &ss)) == NULL) {
		warnx("cannot listen on %s port %d", o->host, o->port);
		goto out;
	}
	if ((info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT)) ==
	    NULL || info->port == 0) {
		warnx("cannot tell the port listened on");
		goto out;
	}
	__atomic_store_n(&s.port, info->port, __ATOMIC_RELEASE);
	fprintf(announce, "Serving the project directory %s%s\n"
	    "Open http://%s%s%s:%u/ in a browser (Ctrl-C stops the "
	    "server)\n", s.root, o->allow_edits ? " (decisions allowed)" :
	    " (read-only)", v6 ? "[" : "", o->host, v6 ? "]" : "", s.port);
	if (fflush(announce) == EOF) {
		warn("announce");
		goto out;
	}
	wait_signal(&s, &set);
	rc = 0;
out:
	if (d != NULL)
		MHD_stop_daemon(d);
	if (lock)
		pthread_mutex_destroy(&s.lock);
	gui_api_free(s.api);
	for (i = 0; i < NASSETS; i++)
		free(s.body[i]);
	for (i = 0; i < s.nnames; i++)
		free(s.names[i]);
	return (rc);
}
