/* optima-health - can optima reach AWS, as whom, with the permissions it needs */

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
#include "aws_http.h"
#include "aws_probe.h"
#include "aws_xml.h"
#include "cmdline.h"
#include "projdir.h"
#include "settings.h"
#include "version.h"

/* What sts:GetCallerIdentity said. */
struct whoami {
	char arn[512], account[16];
	struct aws_error err;
	int failed;
};

static void __attribute__((noreturn))
usage(int help)
{

	cmdline_usage(help, "usage: optima-health [--use-org] [--verbose] "
	    "[--profile name] [--project-root dir]\n"
	    "                     [--region region]\n"
	    "       optima-health --version\n");
}

static void
identity(const struct aws_xml *x, const struct aws_error *e, void *ctx)
{
	struct whoami *w = ctx;
	const char *arn, *acct;

	if (e != NULL) {
		w->failed = 1;
		w->err = *e;
		return;
	}
	arn = aws_xml_text(x, "GetCallerIdentityResult/Arn");
	acct = aws_xml_text(x, "GetCallerIdentityResult/Account");
	snprintf(w->arn, sizeof(w->arn), "%s", arn ? arn : "?");
	snprintf(w->account, sizeof(w->account), "%s", acct ? acct : "?");
}

/* Print the IAM statement that grants the denied permissions. */
static void
advise(const struct aws_probe *p, size_t n, const char *arn)
{
	json_t *actions = json_array(), *st;
	char *text;
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i].state == AWS_PROBE_DENIED)
			json_array_append_new(actions,
			    json_string(p[i].permission));
	if (json_array_size(actions) == 0) {
		json_decref(actions);
		return;
	}
	st = json_pack("{s:s, s:o, s:s}", "Effect", "Allow", "Action", actions,
	    "Resource", "*");
	if ((text = json_dumps(st, JSON_INDENT(2))) != NULL)
		printf("\nTo grant what is missing, add this statement to the "
		    "IAM policy of\n%s:\n%s\n", arn, text);
	free(text);
	json_decref(st);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "profile", required_argument, NULL, 'P' },
		{ "project-root", required_argument, NULL, 'p' },
		{ "region", required_argument, NULL, 'r' },
		{ "use-org", no_argument, NULL, 'o' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const services[] = { "sts", "dynamodb",
	    "cloudwatch", "autoscaling", "pricing", "cur", "bcm-data-exports",
	    "organizations" };
	struct aws_client clients[8], *list[9];
	struct aws_probe probes[AWS_PROBE_MAX];
	struct whoami who;
	struct projdir *pd;
	struct settings *s;
	struct aws_config *cfg;
	struct aws_creds *creds;
	struct aws_http *http;
	const char *root = NULL, *profile = NULL, *region = NULL;
	size_t i, n = 0;
	int ch, org = 0, verbose = 0, rc = 0;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'P':
			profile = optarg;
			break;
		case 'p':
			root = optarg;
			break;
		case 'r':
			region = optarg;
			break;
		case 'o':
			org = 1;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'V':
			version_print(stdout, "optima-health");
			printf("%s\n", aws_http_version());
			return (atomicio_close_stdout() ? 1 : 0);
		case 'h':
			usage(1);
		default:
			usage(0);
		}
	}
	if (optind != argc)
		usage(0);

	/* Settings: options, then the environment and optima.conf. */
	if ((pd = projdir_open(root, 0)) == NULL ||
	    (s = cmdline_settings(pd)) == NULL)
		return (1);
	if ((profile && settings_set(s, "AWS_PROFILE", profile)) ||
	    (region && settings_set(s, "AWS_REGION", region)))
		return (2);
	profile = settings_get(s, "AWS_PROFILE");
	org = org || settings_bool(s, "USE_ORGANIZATIONS");
	if ((cfg = aws_config_load_default()) == NULL)
		return (1);
	region = aws_region_resolve(settings_get(s, "AWS_REGION"), cfg,
	    aws_config_profile(profile));
	if ((creds = aws_creds_chain(cfg, profile, region)) == NULL ||
	    (http = aws_http_new(NULL)) == NULL)
		return (1);
	for (i = 0; i < sizeof(services) / sizeof(services[0]); i++) {
		if (aws_client_init(&clients[i], http, services[i], region, cfg,
		    profile, creds))
			return (1);
		list[i] = &clients[i];
	}
	list[i] = NULL;

	/* Who are we?  Nothing else is worth asking if that fails. */
	memset(&who, 0, sizeof(who));
	if (aws_client_query(&clients[0], "GetCallerIdentity", NULL, identity,
	    &who) || aws_http_run(http))
		return (1);
	printf("ok    region: %s\n", region);
	if (who.failed) {
		printf("FAIL  credentials (%s): %s: %s\n", aws_creds_source(creds),
		    who.err.code, who.err.message);
		rc = who.err.retry != AWS_RETRY_NO ? 75 : 1;
		goto out;
	}
	printf("ok    credentials: %s\n", aws_creds_source(creds));
	printf("ok    caller: %s (account %s)\n", who.arn, who.account);
	if (aws_probe_all(list, who.account, region, org, probes, &n) ||
	    aws_http_run(http))
		return (1);
	for (i = 0; i < n; i++) {
		if (probes[i].state == AWS_PROBE_GRANTED) {
			printf("ok    %s\n", probes[i].permission);
			continue;
		}
		printf("FAIL  %s: %s\n", probes[i].permission,
		    probes[i].state == AWS_PROBE_DENIED ? "denied" :
		    probes[i].detail);
		if (verbose && probes[i].state == AWS_PROBE_DENIED)
			printf("      %s\n", probes[i].detail);
		rc = 1;
	}
	advise(probes, n, who.arn);
out:
	aws_http_free(http);
	aws_creds_free(creds);
	aws_config_free(cfg);
	settings_free(s);
	projdir_free(pd);
	if (atomicio_close_stdout())
		rc = 1;
	return (rc);
}
