/* optima-health - can optima reach AWS, as whom, with the permissions it needs */

#include <sys/stat.h>

#include <err.h>
#include <errno.h>
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

/* Print the usage (to standard output with ${help}) and exit. */
static void __attribute__((noreturn))
usage(int help)
{

	cmdline_usage(help, "usage: optima-health [--use-org] [--verbose] "
	    "[--profile name] [--project-root dir]\n"
	    "                     [--region region]\n"
	    "       optima-health --version\n");
}

/* Keep what sts:GetCallerIdentity said, or its error, in ${ctx}. */
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

/* What organizations:ListAccounts said: a member account to try. */
struct member {
	char account[16];
	struct aws_error err;
	int failed;
};

/* Keep the first active account of a ListAccounts reply that is not the
 * caller's (${m}->account holds the caller's on entry). */
static void
members(json_t *out, const struct aws_error *e, void *ctx)
{
	struct member *m = ctx;
	const char *id, *state;
	json_t *a;
	size_t i;

	if (e != NULL) {
		m->failed = 1;
		m->err = *e;
		return;
	}
	json_array_foreach(json_object_get(out, "Accounts"), i, a) {
		/* "Status" retires in 2026; "State" replaces it. */
		if ((state = json_string_value(json_object_get(a, "State"))) ==
		    NULL)
			state = json_string_value(json_object_get(a, "Status"));
		id = json_string_value(json_object_get(a, "Id"));
		if (state == NULL || strcmp(state, "ACTIVE") != 0 || id == NULL ||
		    strlen(id) != 12 || strcmp(id, m->account) == 0)
			continue;
		snprintf(m->account, sizeof(m->account), "%s", id);
		return;
	}
	m->account[0] = '\0';
}

/*
 * sts:AssumeRole of ${role} into a member account of the organization (the
 * first active one that is not the caller's ${own}), proved by asking STS
 * who the role is.  Print the check's line; return 0, 1 if it failed, 75
 * if AWS could not be reached, -1 on error (reported).
 */
static int
assume_member(struct aws_http *http, struct aws_client *org,
    struct aws_creds *creds, const struct aws_config *cfg,
    const char *profile, const char *region, const char *own,
    const char *role)
{
	struct member m;
	struct whoami w;
	struct aws_client sts;
	struct aws_creds *c;
	const struct aws_error *why;

	memset(&m, 0, sizeof(m));
	snprintf(m.account, sizeof(m.account), "%s", own);
	if (aws_client_json(org, "ListAccounts", json_pack("{s:i}",
	    "MaxResults", 20), members, &m) || aws_http_run(http))
		return (-1);
	if (m.failed) {
		printf("FAIL  sts:AssumeRole %s: no member account: %s: %s\n",
		    role, m.err.code, m.err.message);
		return (m.err.retry != AWS_RETRY_NO ? 75 : 1);
	}
	if (m.account[0] == '\0') {
		printf("ok    sts:AssumeRole %s: no member account to try (the "
		    "organization has only this one)\n", role);
		return (0);
	}
	if ((c = aws_creds_member(creds, m.account, role, region, own)) ==
	    NULL || aws_client_init(&sts, http, "sts", region, cfg, profile,
	    c))
		return (-1);
	memset(&w, 0, sizeof(w));
	if (aws_client_query(&sts, "GetCallerIdentity", NULL, identity, &w) ||
	    aws_http_run(http))
		return (-1);
	if (!w.failed) {
		printf("ok    sts:AssumeRole %s in account %s: %s\n", role,
		    m.account, w.arn);
		return (0);
	}
	/* No credentials: AWS's answer to the AssumeRole says why. */
	if ((why = aws_creds_error(c)) != NULL)
		w.err = *why;
	printf("FAIL  sts:AssumeRole %s in account %s: %s: %s\n", role,
	    m.account, w.err.code, w.err.message);
	return (w.err.retry != AWS_RETRY_NO ? 75 : 1);
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
	struct stat sb;
	char conf[4096];
	size_t i, n = 0;
	int ch, m, org = 0, verbose = 0, rc = 0;

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

	/* Settings: options, then the environment and optima.conf.  A
	 * project directory that does not exist yet has no optima.conf:
	 * AWS is checked all the same (the first run creates it). */
	if (root == NULL && (root = getenv("OPTIMA_PROJECT_ROOT")) == NULL)
		root = ".";
	if (*root != '\0' && lstat(root, &sb) == -1 && errno == ENOENT) {
		printf("ok    project directory %s does not exist yet: the "
		    "first run creates it\n", root);
		pd = NULL;
		if ((size_t)snprintf(conf, sizeof(conf), "%s/optima.conf",
		    root) >= sizeof(conf)) {
			warnx("%s: name too long", root);
			return (1);
		}
		if ((s = settings_load(conf)) == NULL)
			return (1);
	} else if ((pd = projdir_open(root, 0)) == NULL ||
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
	/* The role of a member account, once the organization is known. */
	for (i = 0; org && i < n; i++)
		if (strcmp(probes[i].permission,
		    "organizations:ListAccounts") == 0 &&
		    probes[i].state == AWS_PROBE_GRANTED) {
			if ((m = assume_member(http, &clients[7], creds, cfg,
			    profile, region, who.account,
			    settings_get(s, "ORGANIZATIONS_ROLE_NAME"))) == -1)
				return (1);
			if (m != 0 && rc != 75)
				rc = m;
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
