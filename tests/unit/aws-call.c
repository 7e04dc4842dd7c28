/*
 * aws-call - make AWS requests through optima's client, for tests
 *
 * usage: aws-call [-a role-arn] [-c count] [-m account] [-p profile]
 *            [-R range] [-r rate] [-t trace] service action [input]
 *
 * Sends ${input} to ${action} of ${service} ${count} times at once, with
 * the credentials of the default chain (of ${profile}), or of ${role-arn}
 * or of the member ${account}'s MetricsCollectorRole assumed with them, at
 * most ${rate} requests per second.  ${input} is a
 * JSON object for JSON services ("{}" if empty), the form parameters for
 * query ones, and "bucket/key?query" for S3, whose action is the method.
 * Prints where the credentials came from on stderr, and each reply on
 * stdout: JSON as it came, XML as one <Name>text</Name> line per element
 * with text, S3 bodies as they came.  Exits 75 if a request failed after
 * its retries on a retryable error, 1 on another failure.
 */

#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "atomicio.h"
#include "aws_client.h"
#include "aws_config.h"
#include "aws_creds.h"
#include "aws_endpoint.h"
#include "aws_http.h"
#include "aws_xml.h"
#include "parsenum.h"

static int status;

static void
failed(const struct aws_error *e)
{

	warnx("%s: %s: %s (HTTP %ld%s%s)", e->service, e->code, e->message,
	    e->status, e->request_id[0] ? ", request " : "", e->request_id);
	if (status == 0 || e->retry != AWS_RETRY_NO)
		status = e->retry != AWS_RETRY_NO ? 75 : 1;
}

static void
json_done(json_t *out, const struct aws_error *e, void *ctx)
{

	if (e != NULL)
		failed(e);
	else {
		json_dumpf(out, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
		putchar('\n');
	}
}

static void
print_xml(const struct aws_xml *x)
{

	for (; x != NULL; x = x->next) {
		if (x->text != NULL && *x->text != '\0')
			printf("<%s>%s</%s>\n", x->name, x->text, x->name);
		print_xml(x->child);
	}
}

static void
query_done(const struct aws_xml *x, const struct aws_error *e, void *ctx)
{

	if (e != NULL)
		failed(e);
	else
		print_xml(x);
}

static void
raw_done(const char *body, size_t len, const struct aws_error *e, void *ctx)
{

	if (e != NULL)
		failed(e);
	else
		fwrite(body, 1, len, stdout);
}

static void
usage(void)
{

	fprintf(stderr, "usage: aws-call [-a role-arn] [-c count] [-m account] "
	    "[-p profile]\n                [-R range] [-r rate] [-t trace] "
	    "service action [input]\n");
	exit(2);
}

/* Queue one request of ${action} with ${input} on ${c}. */
static int
queue(struct aws_client *c, const char *action, const char *input,
    const char *range)
{
	json_error_t je;
	char bucket[256], *key, *q;
	json_t *in;

	switch (c->svc->protocol) {
	case AWS_PROTO_QUERY:
		return (aws_client_query(c, action, input, query_done, NULL));
	case AWS_PROTO_RESTXML:
		snprintf(bucket, sizeof(bucket), "%s", input);
		if ((q = strchr(bucket, '?')) != NULL)
			*q++ = '\0';
		if ((key = strchr(bucket, '/')) != NULL)
			*key++ = '\0';
		return (aws_client_s3(c, action, bucket, key, q, range, raw_done,
		    NULL));
	default:
		if ((in = json_loads(*input ? input : "{}", 0, &je)) == NULL) {
			warnx("input: %s", je.text);
			return (-1);
		}
		return (aws_client_json(c, action, in, json_done, NULL));
	}
}

int
main(int argc, char *argv[])
{
	struct aws_http_opts o = { 0 };
	struct aws_client c;
	struct aws_http *h;
	struct aws_config *cfg;
	struct aws_creds *chain, *role = NULL, *creds;
	const char *input, *profile = NULL, *role_arn = NULL, *region;
	const char *range = NULL, *member = NULL;
	double rate = 0;
	int ch, count = 1, i;

	while ((ch = getopt(argc, argv, "a:c:m:p:R:r:t:")) != -1) {
		switch (ch) {
		case 'a':
			role_arn = optarg;
			break;
		case 'c':
			if (parsenum_int(&count, optarg, 1, 100000))
				usage();
			break;
		case 'm':
			member = optarg;
			break;
		case 'p':
			profile = optarg;
			break;
		case 'R':
			range = optarg;
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
	if (argc < 2 || argc > 3)
		usage();
	input = argc == 3 ? argv[2] : "";
	if ((cfg = aws_config_load_default()) == NULL)
		return (1);
	region = aws_region_resolve(NULL, cfg, aws_config_profile(profile));
	if ((chain = aws_creds_chain(cfg, profile, region)) == NULL ||
	    (h = aws_http_new(&o)) == NULL)
		return (1);
	creds = chain;
	if (role_arn != NULL && (creds = role = aws_creds_assume(chain,
	    role_arn, "aws-call", NULL, 3600, region)) == NULL)
		return (1);
	if (member != NULL && (creds = aws_creds_member(chain, member,
	    "MetricsCollectorRole", region, NULL)) == NULL)
		return (1);
	if (aws_client_init(&c, h, argv[0], region, cfg, profile, creds))
		return (1);
	if (rate > 0)
		c.rate = rate;
	for (i = 0; i < count; i++)
		if (queue(&c, argv[1], input, range))
			return (1);
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
	if (atomicio_close_stdout())
		status = 1;
	return (status);
}
