/*
 * aws-call - make AWS requests through optima's transport, for tests
 *
 * usage: aws-call [-a role-arn] [-c count] [-p profile] [-r rate] [-t trace]
 *            service action [body]
 *
 * Sends ${body} (JSON for JSON services, the form for query ones; empty
 * for "{}") to ${action} of ${service} ${count} times at once, with the
 * credentials of the default chain (of ${profile}), or of ${role-arn}
 * assumed with them, at most ${rate} requests per second.  Prints where
 * the credentials came from on stderr and each response body on stdout;
 * exits 75 if a request failed after its retries on a retryable error, 1
 * on another failure.
 */

#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomicio.h"
#include "aws_config.h"
#include "aws_creds.h"
#include "aws_endpoint.h"
#include "aws_http.h"
#include "parsenum.h"

static int status;

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

	fprintf(stderr, "usage: aws-call [-a role-arn] [-c count] [-p profile] "
	    "[-r rate] [-t trace]\n                service action [body]\n");
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
	struct aws_config *cfg;
	struct aws_creds *chain, *role = NULL, *creds;
	char target[256], *form = NULL, *cpath, *kpath;
	const char *body, *profile = NULL, *role_arn = NULL, *region;
	double rate = 0;
	int ch, count = 1, i;

	while ((ch = getopt(argc, argv, "a:c:p:r:t:")) != -1) {
		switch (ch) {
		case 'a':
			role_arn = optarg;
			break;
		case 'p':
			profile = optarg;
			break;
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
	aws_config_paths(&cpath, &kpath);
	if ((cfg = aws_config_load(cpath, kpath)) == NULL)
		return (1);
	region = aws_region_resolve(NULL, cfg, profile ? profile :
	    getenv("AWS_PROFILE") ? getenv("AWS_PROFILE") : "default");
	if (aws_endpoint_resolve(svc, region, cfg, profile, &ep) ||
	    (chain = aws_creds_chain(cfg, profile, region)) == NULL)
		return (1);
	creds = chain;
	if (role_arn != NULL && (creds = role = aws_creds_assume(chain,
	    role_arn, "aws-call", NULL, 3600, region)) == NULL)
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
		    .len = strlen(body), .keys = { aws_creds_get, creds },
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
	fprintf(stderr, "aws-call: credentials from %s\n",
	    aws_creds_source(creds));
	aws_http_free(h);
	aws_creds_free(role);
	aws_creds_free(chain);
	aws_config_free(cfg);
	free(cpath);
	free(kpath);
	free(reqs);
	free(form);
	if (atomicio_close_stdout())
		status = 1;
	return (status);
}
