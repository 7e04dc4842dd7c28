/*
 * aws-call - make AWS requests through optima's transport, for tests
 *
 * usage: aws-call [-c count] [-r rate] [-t trace] service action [body]
 *
 * Sends ${body} (JSON for JSON services, the form for query ones; empty
 * for "{}") to ${action} of ${service} ${count} times at once, with the
 * credentials of $AWS_ACCESS_KEY_ID, $AWS_SECRET_ACCESS_KEY and
 * $AWS_SESSION_TOKEN, at most ${rate} requests per second.  Prints each
 * response body; exits 75 if a request failed after its retries on a
 * retryable error, 1 on another failure.
 */

#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomicio.h"
#include "aws_endpoint.h"
#include "aws_http.h"
#include "parsenum.h"

static int status;

static int
envkey(void *ctx, int refresh, struct aws_sigv4_key *k)
{

	k->access_key_id = getenv("AWS_ACCESS_KEY_ID");
	k->secret_access_key = getenv("AWS_SECRET_ACCESS_KEY");
	k->session_token = getenv("AWS_SESSION_TOKEN");
	if (k->session_token != NULL && *k->session_token == '\0')
		k->session_token = NULL;
	return (k->access_key_id == NULL || k->secret_access_key == NULL);
}

static void
done(struct aws_http_request *req, const struct aws_http_response *r,
    void *ctx)
{

	if (r->failed) {
		warnx("%s %s: %s: %s (HTTP %ld, %d attempts%s%s)",
		    req->svc->name, req->action, r->err.code, r->err.message,
		    r->err.status, r->attempts, r->err.request_id[0] ?
		    ", request " : "", r->err.request_id);
		if (status == 0 || r->err.retry != AWS_RETRY_NO)
			status = r->err.retry != AWS_RETRY_NO ? 75 : 1;
		return;
	}
	fwrite(r->body, 1, r->len, stdout);
	putchar('\n');
}

static void
usage(void)
{

	fprintf(stderr, "usage: aws-call [-c count] [-r rate] [-t trace] "
	    "service action [body]\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	struct aws_http_opts o = { 0 };
	struct aws_http_request *reqs;
	const struct aws_service *svc;
	struct aws_endpoint ep;
	struct aws_http *h;
	char target[256], *form = NULL;
	const char *body;
	double rate = 0;
	int ch, count = 1, i;

	while ((ch = getopt(argc, argv, "c:r:t:")) != -1) {
		switch (ch) {
		case 'c':
			if (parsenum_int(&count, optarg, 1, 100000))
				usage();
			break;
		case 'r':
			if (parsenum_double(&rate, optarg, 0.001, 1e6))
				usage();
			break;
		case 't':
			o.trace = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 2 || argc > 3 || (svc = aws_service_find(argv[0])) == NULL)
		usage();
	body = argc == 3 ? argv[2] : "";
	if (aws_endpoint_resolve(svc, aws_region_resolve(NULL, NULL, NULL),
	    NULL, NULL, &ep))
		return (1);
	if (svc->protocol == AWS_PROTO_QUERY) {
		size_t n = strlen(argv[1]) + strlen(svc->version) +
		    strlen(body) + 32;

		form = malloc(n);
		snprintf(form, n, "Action=%s&Version=%s%s%s", argv[1],
		    svc->version, *body ? "&" : "", body);
		body = form;
	} else if (*body == '\0')
		body = "{}";
	snprintf(target, sizeof(target), "%s.%s", svc->target ? svc->target :
	    "", argv[1]);
	if ((h = aws_http_new(&o)) == NULL ||
	    (reqs = calloc((size_t)count, sizeof(*reqs))) == NULL)
		return (1);
	for (i = 0; i < count; i++) {
		reqs[i] = (struct aws_http_request){ .svc = svc, .ep = ep,
		    .action = argv[1], .method = "POST", .path = "/",
		    .content_type = svc->protocol == AWS_PROTO_QUERY ?
		    "application/x-www-form-urlencoded; charset=utf-8" :
		    svc->protocol == AWS_PROTO_JSON10 ?
		    "application/x-amz-json-1.0" : "application/x-amz-json-1.1",
		    .target = svc->target ? target : NULL, .body = body,
		    .len = strlen(body), .keys = { envkey, NULL },
		    .limit = rate > 0 ? argv[0] : NULL, .rate = rate,
		    .done = done };
		aws_http_submit(h, &reqs[i]);
	}
	if (aws_http_run(h))
		status = 1;
	fprintf(stderr, "aws-call: %lu attempts, %lu retries, %lu throttled, "
	    "%lu failed\n", aws_http_stats(h).attempts,
	    aws_http_stats(h).retries, aws_http_stats(h).throttled,
	    aws_http_stats(h).failed);
	aws_http_free(h);
	free(reqs);
	free(form);
	if (atomicio_close_stdout())
		status = 1;
	return (status);
}
