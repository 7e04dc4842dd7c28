#include <sys/wait.h>

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <err.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "aws_config.h"
#include "aws_creds.h"
#include "aws_endpoint.h"
#include "aws_http.h"
#include "aws_xml.h"
#include "datetime.h"
#include "parsenum.h"
#include "strbuf.h"

extern char **environ;

#define EARLY		300	/* refresh this many seconds before expiry */
#define PROCESS_MS	60000	/* credential_process: the answer's deadline */
#define MAXDEPTH	8	/* source_profile chains */

enum kind {
	K_CHAIN,	/* not resolved yet */
	K_ENV, K_PROFILE, K_ROLE, K_WEBID, K_PROCESS, K_CONTAINER, K_IMDS
};

struct aws_creds {
	enum kind kind;
	const struct aws_config *cfg;
	char *profile;
	char region[32];
	char source[512];
	/* The current key. */
	char *akid, *secret, *token;
	time_t expiration;
	int have;
	/* A role: assumed with ${base}'s key, or with a web identity. */
	struct aws_creds *base;
	int owns_base;
	char *role_arn, *session, *external_id, *token_file;
	int duration;
	char *command;		/* credential_process */
	int last_resort;	/* instance metadata, for want of anything else */
	struct aws_creds **members;	/* roles assumed from these */
	size_t nmembers;
	char account[16];	/* of a member role */
	time_t failed_at;	/* the last fetch failed then: wait a while */
	struct aws_error err;	/* and how, if AWS said */
};

/* The "credentials" of the endpoints that hand out credentials. */
static const struct aws_service metadata = { "credentials", "", "", "", "",
    AWS_PROTO_JSON11, NULL, NULL, 0, 0 };

static char *
dupnull(const char *s)
{

	return (s != NULL ? strdup(s) : NULL);
}

static const char *
env(const char *name)
{
	const char *v = getenv(name);

	return (v != NULL && *v != '\0' ? v : NULL);
}

static void
wipe(char **s)
{

	if (*s != NULL) {
		OPENSSL_cleanse(*s, strlen(*s));
		free(*s);
		*s = NULL;
	}
}

/* Take a new key (copies; wipes the old one). */
static int
set_key(struct aws_creds *c, const char *akid, const char *secret,
    const char *token, time_t expiration)
{

	wipe(&c->akid);
	wipe(&c->secret);
	wipe(&c->token);
	if (akid == NULL || secret == NULL || *akid == '\0' || *secret == '\0') {
		warnx("%s: incomplete credentials", c->source);
		return (-1);
	}
	c->akid = strdup(akid);
	c->secret = strdup(secret);
	c->token = token != NULL && *token != '\0' ? strdup(token) : NULL;
	c->expiration = expiration;
	c->have = c->akid != NULL && c->secret != NULL;
	return (c->have ? 0 : -1);
}

static struct aws_creds *
creds_new(const struct aws_config *cfg, const char *profile,
    const char *region)
{
	struct aws_creds *c;

	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (profile != NULL && (c->profile = strdup(profile)) == NULL)) {
		warn("aws_creds");
		free(c);
		return (NULL);
	}
	c->cfg = cfg;
	snprintf(c->region, sizeof(c->region), "%s", region ? region :
	    "us-east-1");
	snprintf(c->source, sizeof(c->source), "none");
	return (c);
}

/* One request, performed at once: the body of a 2xx reply, malloced, or
 * NULL (reported). */
struct call {
	char *body;
	size_t len;
	long status;
	struct aws_error err;
	int failed;
};

static void
call_done(struct aws_http_request *req, const struct aws_http_response *r,
    void *ctx)
{
	struct call *cl = ctx;

	cl->status = r->status;
	if ((cl->failed = r->failed))
		cl->err = r->err;
	else if ((cl->body = malloc(r->len + 1)) != NULL) {
		memcpy(cl->body, r->body, r->len);
		cl->body[r->len] = '\0';
		cl->len = r->len;
	}
}

/* Perform ${req} for ${c}'s credentials; the body, or NULL (reported,
 * the error kept in c->err). */
static char *
perform(struct aws_creds *c, struct aws_http_request *req, long timeout_ms,
    int attempts)
{
	struct aws_http_opts o = { 1, attempts, timeout_ms, timeout_ms, NULL };
	struct call cl;
	struct aws_http *h;

	memset(&cl, 0, sizeof(cl));
	if ((h = aws_http_new(&o)) == NULL)
		return (NULL);
	req->done = call_done;
	req->ctx = &cl;
	aws_http_submit(h, req);
	aws_http_run(h);
	aws_http_free(h);
	if (cl.failed) {
		warnx("%s: %s: %s", c->source, cl.err.code, cl.err.message);
		c->err = cl.err;
		return (NULL);
	}
	if (cl.body == NULL)
		warn("%s", c->source);
	return (cl.body);
}

/* Read the Credentials of an STS reply; 0 on success. */
static int
sts_reply(struct aws_creds *c, const char *body, const char *action)
{
	char path[128];
	struct aws_xml *x;
	const char *exp;
	time_t t = 0;
	int rc;

	if ((x = aws_xml_parse(body, strlen(body))) == NULL)
		return (-1);
	snprintf(path, sizeof(path), "%sResult/Credentials/Expiration", action);
	exp = aws_xml_text(x, path);
	if (exp == NULL || datetime_parse(&t, exp)) {
		warnx("%s: %s reply without a valid Expiration", c->source,
		    action);
		aws_xml_free(x);
		return (-1);
	}
	path[strlen(action) + strlen("Result/Credentials/")] = '\0';
	rc = set_key(c,
	    aws_xml_text(aws_xml_find(x, path), "AccessKeyId"),
	    aws_xml_text(aws_xml_find(x, path), "SecretAccessKey"),
	    aws_xml_text(aws_xml_find(x, path), "SessionToken"), t);
	aws_xml_free(x);
	return (rc);
}

/* Append "&Name=value" (value encoded) to a query form. */
static void
param(struct strbuf *b, const char *name, const char *value)
{

	strbuf_addf(b, "&%s=", name);
	aws_sigv4_encode(b, value, strlen(value), 0);
}

/* sts:AssumeRole (signed with the base key) or AssumeRoleWithWebIdentity
 * (unsigned, with the token file's contents). */
static int
fetch_role(struct aws_creds *c)
{
	struct aws_http_request req;
	const struct aws_service *sts = aws_service_find("sts");
	struct aws_endpoint ep;
	struct strbuf b;
	char *form, *body, *tok = NULL, duration[16], session[64];
	const char *action = c->kind == K_WEBID ? "AssumeRoleWithWebIdentity" :
	    "AssumeRole";
	int rc;

	if (aws_endpoint_resolve(sts, c->region, c->cfg, c->profile, &ep))
		return (-1);
	if (c->kind == K_WEBID) {
		struct strbuf t;
		char chunk[4096];
		ssize_t n;
		int fd;

		if ((fd = open(c->token_file, O_RDONLY)) == -1) {
			warn("web identity token %s", c->token_file);
			return (-1);
		}
		strbuf_init(&t, 1 << 20);
		while ((n = read(fd, chunk, sizeof(chunk))) > 0)
			strbuf_add(&t, chunk, (size_t)n);
		close(fd);
		if (n < 0 || (tok = strbuf_finish(&t)) == NULL) {
			warnx("web identity token %s: unreadable", c->token_file);
			return (-1);
		}
		tok[strcspn(tok, "\r\n")] = '\0';
	}
	snprintf(duration, sizeof(duration), "%d", c->duration);
	snprintf(session, sizeof(session), "optima-%lld",
	    (long long)time(NULL));
	strbuf_init(&b, 1 << 20);
	strbuf_addf(&b, "Action=%s&Version=%s", action, sts->version);
	param(&b, "RoleArn", c->role_arn);
	param(&b, "RoleSessionName", c->session ? c->session : session);
	param(&b, "DurationSeconds", duration);
	if (c->external_id != NULL)
		param(&b, "ExternalId", c->external_id);
	if (tok != NULL)
		param(&b, "WebIdentityToken", tok);
	wipe(&tok);
	if ((form = strbuf_finish(&b)) == NULL)
		return (-1);
	memset(&req, 0, sizeof(req));
	req.svc = sts;
	req.ep = ep;
	req.action = action;
	req.method = "POST";
	req.path = "/";
	req.content_type = "application/x-www-form-urlencoded; charset=utf-8";
	req.body = form;
	req.len = strlen(form);
	if (c->kind == K_ROLE)
		req.keys = (struct aws_key_source){ aws_creds_get, c->base };
	body = perform(c, &req, 10000, 0);
	wipe(&form);
	if (body == NULL)
		return (-1);
	rc = sts_reply(c, body, action);
	wipe(&body);
	return (rc);
}

/* Read {AccessKeyId, SecretAccessKey, Token|SessionToken, Expiration} from
 * the JSON ${body} of a container, instance or process source. */
static int
json_reply(struct aws_creds *c, const char *body)
{
	json_t *o, *v;
	const char *tok;
	time_t t = 0;
	int rc = -1;

	if ((o = json_loads(body, 0, NULL)) == NULL) {
		warnx("%s: the reply is not JSON", c->source);
		return (-1);
	}
	if ((v = json_object_get(o, "Version")) != NULL &&
	    json_integer_value(v) != 1) {
		warnx("%s: Version must be 1", c->source);
		goto out;
	}
	if ((v = json_object_get(o, "Code")) != NULL &&
	    strcmp(json_string_value(v) ? json_string_value(v) : "",
	    "Success") != 0) {
		warnx("%s: Code is not Success", c->source);
		goto out;
	}
	if ((v = json_object_get(o, "Expiration")) != NULL &&
	    (!json_is_string(v) || datetime_parse(&t, json_string_value(v)))) {
		warnx("%s: invalid Expiration", c->source);
		goto out;
	}
	tok = json_string_value(json_object_get(o, "Token"));
	if (tok == NULL)
		tok = json_string_value(json_object_get(o, "SessionToken"));
	rc = set_key(c, json_string_value(json_object_get(o, "AccessKeyId")),
	    json_string_value(json_object_get(o, "SecretAccessKey")), tok, t);
out:
	json_decref(o);
	return (rc);
}

/* Split a command line as a shell would split words (quotes and
 * backslashes), without running a shell; NULL-terminated, malloced. */
static char **
split_words(const char *s)
{
	char **argv = NULL, **na, *w;
	size_t n = 0, len;
	char q;

	if ((w = malloc(strlen(s) + 1)) == NULL)
		return (NULL);
	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0')
			break;
		for (len = 0, q = 0; *s != '\0' && (q || (*s != ' ' &&
		    *s != '\t')); s++) {
			if (q == 0 && (*s == '\'' || *s == '"'))
				q = *s;
			else if (q != 0 && *s == q)
				q = 0;
			else if (*s == '\\' && q != '\'' && s[1] != '\0')
				w[len++] = *++s;
			else
				w[len++] = *s;
		}
		if ((na = realloc(argv, (n + 2) * sizeof(*na))) == NULL)
			goto err;
		argv = na;
		if ((argv[n] = strndup(w, len)) == NULL)
			goto err;
		argv[++n] = NULL;
	}
	free(w);
	return (argv);
err:
	while (n > 0)
		free(argv[--n]);
	free(argv);
	free(w);
	return (NULL);
}

/* Milliseconds on a monotonic clock. */
static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* How long a credential_process may take: $OPTIMA_CREDENTIAL_PROCESS_
 * TIMEOUT_MS (100 to 3600000), else PROCESS_MS. */
static int
process_timeout(void)
{
	const char *v = env("OPTIMA_CREDENTIAL_PROCESS_TIMEOUT_MS");
	int n;

	if (v != NULL && parsenum_int(&n, v, 100, 3600000) == 0)
		return (n);
	return (PROCESS_MS);
}

/* Read ${fd} to its end into ${out}, until ${deadline}.  Return 0, 1 if
 * the deadline came first, -1 on a read error. */
static int
read_until(int fd, struct strbuf *out, long long deadline)
{
	struct pollfd pfd = { fd, POLLIN, 0 };
	char chunk[4096];
	long long left;
	ssize_t n;

	for (;;) {
		if ((left = deadline - now_ms()) <= 0)
			return (1);
		if ((n = poll(&pfd, 1, left > INT_MAX ? INT_MAX : (int)left)) ==
		    -1 && errno != EINTR)
			return (-1);
		if (n <= 0)
			continue;
		if ((n = read(fd, chunk, sizeof(chunk))) == 0)
			return (0);
		if (n > 0)
			strbuf_add(out, chunk, (size_t)n);
		else if (errno != EINTR)
			return (-1);
	}
}

/* Wait for ${pid} until ${deadline}, its status in ${st}.  Return 0, or 1
 * if it had not ended by then (it is then killed, with its process group
 * if it leads one, and reaped). */
static int
reap(pid_t pid, int group, int *st, long long deadline)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	pid_t w;

	while ((w = waitpid(pid, st, WNOHANG)) == 0 && now_ms() < deadline)
		nanosleep(&tick, NULL);
	if (w == pid || (w == -1 && errno != EINTR))
		return (0);
	kill(group ? -pid : pid, SIGKILL);
	while (waitpid(pid, st, 0) == -1 && errno == EINTR)
		;
	return (1);
}

/*
 * credential_process: run the command, read its JSON from its output.  A
 * helper that does not answer (and exit) within process_timeout() is
 * killed, with its process group: it runs in a group of its own, so that
 * what it started goes with it, unless optima's standard input is a
 * terminal, where the helper may have to prompt (a process group in the
 * background cannot read the terminal).
 */
static int
fetch_process(struct aws_creds *c)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t sa;
	struct strbuf out;
	char **argv, *body;
	long long deadline;
	pid_t pid;
	int fds[2], st = 0, i, rc = -1, group, late, timeout;

	if ((argv = split_words(c->command)) == NULL || argv[0] == NULL) {
		warnx("%s: empty command", c->source);
		goto out0;
	}
	if (pipe(fds) == -1) {
		warn("credential_process");
		goto out0;
	}
	group = !isatty(STDIN_FILENO);
	posix_spawnattr_init(&sa);
	if (group) {
		posix_spawnattr_setpgroup(&sa, 0);
		posix_spawnattr_setflags(&sa, POSIX_SPAWN_SETPGROUP);
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	posix_spawn_file_actions_addclose(&fa, fds[1]);
	timeout = process_timeout();
	deadline = now_ms() + timeout;
	errno = posix_spawnp(&pid, argv[0], &fa, &sa, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&sa);
	close(fds[1]);
	if (errno != 0) {
		warn("credential_process %s", argv[0]);
		close(fds[0]);
		goto out0;
	}
	strbuf_init(&out, 1 << 20);
	late = read_until(fds[0], &out, deadline);
	close(fds[0]);
	/* Its output ended, or the time is up: it has until then to exit. */
	late = reap(pid, group, &st, late == 1 ? 0 : deadline) || late == 1;
	body = strbuf_finish(&out);
	if (late)
		warnx("credential_process %s: no answer in %g s (killed)",
		    argv[0], timeout / 1000.0);
	else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		warnx("credential_process %s: failed (status %d)", argv[0],
		    WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	else if (body == NULL)
		warnx("credential_process %s: output too large", argv[0]);
	else
		rc = json_reply(c, body);
	wipe(&body);
out0:
	for (i = 0; argv != NULL && argv[i] != NULL; i++)
		free(argv[i]);
	free(argv);
	return (rc);
}

/* Non-zero if the http URL ${url} is on a host the AWS SDKs allow for
 * container credentials without TLS. */
static int
container_host(const char *url)
{
	static const char *const hosts[] = { "127.", "localhost",
	    "169.254.170.2", "169.254.170.23", "[::1]", "[fd00:ec2::23]", NULL };
	const char *const *h;

	if (strncmp(url, "http://", 7) != 0)
		return (0);
	url += 7;
	for (h = hosts; *h != NULL; h++)
		if (strncmp(url, *h, strlen(*h)) == 0 &&
		    ((*h)[strlen(*h) - 1] == '.' || strchr(":/", url[strlen(*h)]) ||
		    url[strlen(*h)] == '\0'))
			return (1);
	return (0);
}

/* The container endpoint: relative URI on 169.254.170.2, or a full URI
 * on an allowed host, with the authorization token if there is one. */
static int
fetch_container(struct aws_creds *c)
{
	struct aws_http_request req;
	struct aws_sigv4_header auth;
	const char *rel = env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
	const char *full = env("AWS_CONTAINER_CREDENTIALS_FULL_URI");
	const char *tokfile = env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
	char tok[8192] = "", *body, *slash;
	FILE *fp;
	int rc;

	memset(&req, 0, sizeof(req));
	if (rel != NULL)
		snprintf(req.ep.url, sizeof(req.ep.url), "http://169.254.170.2");
	else if (strncmp(full, "https://", 8) != 0 && !container_host(full)) {
		/* Plain http only to the container agent or this host. */
		warnx("AWS_CONTAINER_CREDENTIALS_FULL_URI: %s is not https and "
		    "not a loopback or container agent address", full);
		return (-1);
	} else {
		snprintf(req.ep.url, sizeof(req.ep.url), "%s", full);
		/* Split "http://host:port/path" into endpoint and path. */
		if ((slash = strchr(req.ep.url + 8, '/')) != NULL) {
			rel = full + (slash - req.ep.url);
			*slash = '\0';
		} else
			rel = "/";
	}
	if (tokfile != NULL && (fp = fopen(tokfile, "r")) != NULL) {
		if (fgets(tok, sizeof(tok), fp) == NULL)
			tok[0] = '\0';
		fclose(fp);
		tok[strcspn(tok, "\r\n")] = '\0';
	} else if (env("AWS_CONTAINER_AUTHORIZATION_TOKEN") != NULL)
		snprintf(tok, sizeof(tok), "%s",
		    env("AWS_CONTAINER_AUTHORIZATION_TOKEN"));
	auth = (struct aws_sigv4_header){ "Authorization", tok };
	req.svc = &metadata;
	req.action = "container credentials";
	req.method = "GET";
	req.path = rel;
	if (tok[0] != '\0') {
		req.extra = &auth;
		req.nextra = 1;
	}
	body = perform(c, &req, 2000, 3);
	OPENSSL_cleanse(tok, sizeof(tok));
	if (body == NULL)
		return (-1);
	rc = json_reply(c, body);
	wipe(&body);
	return (rc);
}

/* EC2 instance metadata, IMDSv2: a session token, the role, its keys. */
static int
fetch_imds(struct aws_creds *c)
{
	struct aws_http_request req;
	struct aws_sigv4_header h;
	const char *ep = env("AWS_EC2_METADATA_SERVICE_ENDPOINT");
	char *token, *role, *body, path[512];
	int rc = -1;

	memset(&req, 0, sizeof(req));
	snprintf(req.ep.url, sizeof(req.ep.url), "%s", ep ? ep :
	    "http://169.254.169.254");
	if (req.ep.url[strlen(req.ep.url) - 1] == '/')
		req.ep.url[strlen(req.ep.url) - 1] = '\0';
	req.svc = &metadata;
	req.action = "instance metadata token";
	req.method = "PUT";
	req.path = "/latest/api/token";
	h = (struct aws_sigv4_header){ "X-aws-ec2-metadata-token-ttl-seconds",
	    "21600" };
	req.extra = &h;
	req.nextra = 1;
	if ((token = perform(c, &req, 1000, 1)) == NULL)
		return (-1);
	h = (struct aws_sigv4_header){ "X-aws-ec2-metadata-token", token };
	req.method = "GET";
	req.action = "instance metadata role";
	req.path = "/latest/meta-data/iam/security-credentials/";
	if ((role = perform(c, &req, 1000, 1)) == NULL)
		goto out;
	role[strcspn(role, "\r\n")] = '\0';
	snprintf(path, sizeof(path),
	    "/latest/meta-data/iam/security-credentials/%s", role);
	req.path = path;
	req.action = "instance metadata credentials";
	if ((body = perform(c, &req, 1000, 1)) != NULL) {
		rc = json_reply(c, body);
		wipe(&body);
	}
	free(role);
out:
	wipe(&token);
	return (rc);
}

static int
fetch(struct aws_creds *c)
{

	switch (c->kind) {
	case K_ROLE:
	case K_WEBID:
		return (fetch_role(c));
	case K_PROCESS:
		return (fetch_process(c));
	case K_CONTAINER:
		return (fetch_container(c));
	case K_IMDS:
		return (fetch_imds(c));
	default:
		/* Static keys do not change: nothing to refresh. */
		return (c->have ? 0 : -1);
	}
}

/* The name of the profile ${c} reads. */
static const char *
profile_name(const struct aws_creds *c)
{

	return (aws_config_profile(c->profile));
}

static int resolve(struct aws_creds *, const char *, int, int);

/* The base credentials of a role profile: its source_profile (resolved
 * without the environment, as the AWS tools do), or its credential_source. */
static int
role_base(struct aws_creds *c, const char *profile, int depth)
{
	const char *src = aws_config_get(c->cfg, profile, "source_profile");
	const char *cs = aws_config_get(c->cfg, profile, "credential_source");
	struct aws_creds *b;

	if ((b = creds_new(c->cfg, src, c->region)) == NULL)
		return (-1);
	c->base = b;
	c->owns_base = 1;
	if (src != NULL) {
		if (depth >= MAXDEPTH) {
			warnx("profile %s: source_profile chain too long or "
			    "circular", profile);
			return (-1);
		}
		/* A profile sourcing itself uses its own static keys. */
		return (resolve(b, src, depth + 1, strcmp(src, profile) == 0));
	}
	if (cs == NULL) {
		warnx("profile %s: role_arn needs source_profile or "
		    "credential_source", profile);
		return (-1);
	}
	if (strcmp(cs, "Environment") == 0)
		b->kind = K_ENV;
	else if (strcmp(cs, "Ec2InstanceMetadata") == 0)
		b->kind = K_IMDS;
	else if (strcmp(cs, "EcsContainer") == 0)
		b->kind = K_CONTAINER;
	else {
		warnx("profile %s: unknown credential_source %s", profile, cs);
		return (-1);
	}
	if (b->kind == K_ENV) {
		snprintf(b->source, sizeof(b->source), "environment");
		return (set_key(b, env("AWS_ACCESS_KEY_ID"),
		    env("AWS_SECRET_ACCESS_KEY"), env("AWS_SESSION_TOKEN"), 0));
	}
	snprintf(b->source, sizeof(b->source), "%s", b->kind == K_IMDS ?
	    "instance metadata" : "container");
	return (0);
}

/*
 * Decide where ${c}'s credentials come from, in the order of the AWS
 * tools, and take static ones at once.  With ${keys_only}, only the
 * profile's static keys count (a profile that is its own source).
 */
static int
resolve(struct aws_creds *c, const char *profile, int depth, int keys_only)
{
	const char *v;
	int explicit = c->profile != NULL && depth == 0;

	if (!keys_only && depth == 0 && !explicit &&
	    env("AWS_ACCESS_KEY_ID") != NULL) {
		c->kind = K_ENV;
		snprintf(c->source, sizeof(c->source), "environment");
		return (set_key(c, env("AWS_ACCESS_KEY_ID"),
		    env("AWS_SECRET_ACCESS_KEY"), env("AWS_SESSION_TOKEN") ?
		    env("AWS_SESSION_TOKEN") : env("AWS_SECURITY_TOKEN"), 0));
	}
	if (c->cfg != NULL && !keys_only &&
	    (v = aws_config_get(c->cfg, profile, "role_arn")) != NULL) {
		if (aws_config_get(c->cfg, profile, "web_identity_token_file")) {
			c->kind = K_WEBID;
			c->token_file = dupnull(aws_config_get(c->cfg, profile,
			    "web_identity_token_file"));
		} else
			c->kind = K_ROLE;
		c->role_arn = dupnull(v);
		c->session = dupnull(aws_config_get(c->cfg, profile,
		    "role_session_name"));
		c->external_id = dupnull(aws_config_get(c->cfg, profile,
		    "external_id"));
		v = aws_config_get(c->cfg, profile, "duration_seconds");
		c->duration = v ? atoi(v) : 3600;
		if (c->duration < 900 || c->duration > 43200)
			c->duration = 3600;
		snprintf(c->source, sizeof(c->source), "profile %s: %s %s",
		    profile, c->kind == K_WEBID ? "web identity" :
		    "assumed role", c->role_arn);
		return (c->kind == K_ROLE ? role_base(c, profile, depth) : 0);
	}
	if (!keys_only && depth == 0 && !explicit &&
	    env("AWS_WEB_IDENTITY_TOKEN_FILE") && env("AWS_ROLE_ARN")) {
		c->kind = K_WEBID;
		c->token_file = dupnull(env("AWS_WEB_IDENTITY_TOKEN_FILE"));
		c->role_arn = dupnull(env("AWS_ROLE_ARN"));
		c->session = dupnull(env("AWS_ROLE_SESSION_NAME"));
		c->duration = 3600;
		snprintf(c->source, sizeof(c->source), "web identity %s",
		    c->role_arn);
		return (0);
	}
	if (c->cfg != NULL &&
	    aws_config_get(c->cfg, profile, "aws_access_key_id") != NULL) {
		c->kind = K_PROFILE;
		snprintf(c->source, sizeof(c->source), "profile %s", profile);
		return (set_key(c, aws_config_get(c->cfg, profile,
		    "aws_access_key_id"), aws_config_get(c->cfg, profile,
		    "aws_secret_access_key"), aws_config_get(c->cfg, profile,
		    "aws_session_token"), 0));
	}
	if (c->cfg != NULL && !keys_only &&
	    (v = aws_config_get(c->cfg, profile, "credential_process")) != NULL) {
		c->kind = K_PROCESS;
		c->command = dupnull(v);
		snprintf(c->source, sizeof(c->source),
		    "profile %s: credential_process", profile);
		return (0);
	}
	if (c->cfg != NULL && (aws_config_get(c->cfg, profile, "sso_session") ||
	    aws_config_get(c->cfg, profile, "sso_start_url"))) {
		warnx("profile %s uses AWS IAM Identity Center (SSO): add "
		    "credential_process = aws configure export-credentials "
		    "--profile %s", profile, profile);
		return (-1);
	}
	if (depth > 0 || keys_only || explicit) {
		warnx("profile %s has no credentials", profile);
		return (-1);
	}
	if (env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") ||
	    env("AWS_CONTAINER_CREDENTIALS_FULL_URI")) {
		c->kind = K_CONTAINER;
		snprintf(c->source, sizeof(c->source), "container");
		return (0);
	}
	v = env("AWS_EC2_METADATA_DISABLED");
	if (v == NULL || strcasecmp(v, "true") != 0) {
		c->kind = K_IMDS;
		c->last_resort = 1;
		snprintf(c->source, sizeof(c->source), "instance metadata");
		return (0);
	}
	warnx("no AWS credentials found (looked in the environment, profile "
	    "%s, the container endpoint; instance metadata is disabled)",
	    profile);
	return (-1);
}

/**
 * aws_creds_chain(cfg, profile, region):
 * The credentials of the default chain for ${profile} (the --profile
 * option; NULL means $AWS_PROFILE, $AWS_DEFAULT_PROFILE or "default"),
 * with ${cfg} the shared files (may be NULL) and ${region} the region for
 * STS.  Nothing is fetched until the first aws_creds_get.  Return NULL on
 * error (reported).
 */
struct aws_creds *
aws_creds_chain(const struct aws_config *cfg, const char *profile,
    const char *region)
{

	return (creds_new(cfg, profile, region));
}

/**
 * aws_creds_assume(base, role_arn, session, external_id, duration, region):
 * Credentials of ${role_arn}, assumed with ${base}'s (sts:AssumeRole with
 * ${session} as RoleSessionName, ${external_id} if not NULL, for
 * ${duration} seconds).  Nothing is fetched until the first
 * aws_creds_get.  ${base} must outlive the result.
 */
struct aws_creds *
aws_creds_assume(struct aws_creds *base, const char *role_arn,
    const char *session, const char *external_id, int duration,
    const char *region)
{
	struct aws_creds *c;

	if ((c = creds_new(base->cfg, base->profile, region)) == NULL)
		return (NULL);
	c->kind = K_ROLE;
	c->base = base;
	c->role_arn = dupnull(role_arn);
	c->session = dupnull(session);
	c->external_id = dupnull(external_id);
	c->duration = duration;
	snprintf(c->source, sizeof(c->source), "assumed role %s", role_arn);
	if (c->role_arn == NULL || c->session == NULL) {
		aws_creds_free(c);
		return (NULL);
	}
	return (c);
}

/**
 * aws_creds_member(base, account, role, region, own):
 * The credentials of the role ${role} in the member account ${account},
 * assumed with ${base}'s: one per account, kept with ${base} (and freed
 * with it), so each is assumed once and refreshed when it nears expiry.
 * The management account itself, if ${account} is ${base}'s own (as
 * ${own} says; may be NULL), uses ${base}.  Return NULL on error
 * (reported).
 */
struct aws_creds *
aws_creds_member(struct aws_creds *base, const char *account,
    const char *role, const char *region, const char *own)
{
	struct aws_creds *c, **m;
	char arn[512];
	size_t i;

	if (own != NULL && strcmp(account, own) == 0)
		return (base);
	for (i = 0; i < base->nmembers; i++)
		if (strcmp(base->members[i]->account, account) == 0)
			return (base->members[i]);
	snprintf(arn, sizeof(arn), "arn:%s:iam::%s:role/%s",
	    strncmp(region, "cn-", 3) == 0 ? "aws-cn" :
	    strncmp(region, "us-gov-", 7) == 0 ? "aws-us-gov" : "aws",
	    account, role);
	if ((m = realloc(base->members, (base->nmembers + 1) *
	    sizeof(*m))) == NULL) {
		warn("aws_creds_member");
		return (NULL);
	}
	base->members = m;
	if ((c = aws_creds_assume(base, arn, "optima", NULL, 3600,
	    region)) == NULL)
		return (NULL);
	snprintf(c->account, sizeof(c->account), "%s", account);
	base->members[base->nmembers++] = c;
	return (c);
}

/**
 * aws_creds_member_drop(base, account):
 * Free the role of ${account} kept by ${base}, once nothing uses it (so
 * that a run over many accounts holds only those in use).  No-op if none.
 */
void
aws_creds_member_drop(struct aws_creds *base, const char *account)
{
	size_t i;

	for (i = 0; i < base->nmembers; i++)
		if (strcmp(base->members[i]->account, account) == 0) {
			aws_creds_free(base->members[i]);
			base->members[i] = base->members[--base->nmembers];
			return;
		}
}

/**
 * aws_creds_get(ctx, refresh, key):
 * Fill ${key} from the credentials ${ctx} (a struct aws_creds), fetching or
 * refreshing them when needed or when ${refresh} is non-zero; with
 * ${refresh}, ${key} holds the key AWS refused, and a key already renewed
 * since is given instead of renewing again.  Return 0,
 * or -1 if there are none (reported, saying where it looked).  Fits
 * struct aws_key_source.
 */
int
aws_creds_get(void *ctx, int refresh, struct aws_sigv4_key *key)
{
	struct aws_creds *c = ctx;

	if (c->kind == K_CHAIN &&
	    resolve(c, profile_name(c), 0, 0) != 0)
		return (-1);
	/* Requests in flight together all meet the expiry: the first one
	 * renews the key, the others (signed with the old key, which they
	 * pass in ${key}) take the new one. */
	if (refresh && c->have && key->access_key_id != NULL &&
	    strcmp(key->access_key_id, c->akid) != 0)
		refresh = 0;
	if (!c->have || refresh ||
	    (c->expiration != 0 && time(NULL) >= c->expiration - EARLY)) {
		if (refresh && c->base != NULL && c->base->expiration != 0)
			c->base->expiration = 1;	/* renew the base too */
		/* A role that cannot be assumed is not asked again at once:
		 * every request of the account would ask and be refused. */
		if (c->failed_at != 0 && time(NULL) - c->failed_at < 60)
			return (-1);
		memset(&c->err, 0, sizeof(c->err));
		if (fetch(c)) {
			c->failed_at = time(NULL);
			if (c->last_resort && !c->have)
				warnx("no AWS credentials found: none in the "
				    "environment, in profile %s or from a "
				    "container endpoint, and no instance "
				    "metadata", profile_name(c));
			return (-1);
		}
		c->failed_at = 0;
	}
	key->access_key_id = c->akid;
	key->secret_access_key = c->secret;
	key->session_token = c->token;
	return (0);
}

/**
 * aws_creds_error(c):
 * The AWS error that made ${c}'s last fetch fail (an AccessDenied
 * AssumeRole, say), or NULL if it did not fail or AWS said nothing.
 */
const struct aws_error *
aws_creds_error(const struct aws_creds *c)
{

	return (c->failed_at != 0 && c->err.code[0] != '\0' ? &c->err : NULL);
}

/**
 * aws_creds_source(c):
 * Where ${c}'s credentials came from ("environment", "profile dev",
 * "assumed role arn:...", "credential_process", "web identity",
 * "container", "instance metadata"), or "none" before the first get.
 */
const char *
aws_creds_source(const struct aws_creds *c)
{

	return (c->source);
}

/**
 * aws_creds_expiration(c):
 * When ${c}'s current credentials expire, or 0 if they do not.
 */
time_t
aws_creds_expiration(const struct aws_creds *c)
{

	return (c->expiration);
}

/**
 * aws_creds_free(c):
 * Free ${c}, wiping its secrets.  NULL is a no-op.
 */
void
aws_creds_free(struct aws_creds *c)
{

	/* Behave consistently with free(NULL). */
	if (c == NULL)
		return;
	wipe(&c->akid);
	wipe(&c->secret);
	wipe(&c->token);
	while (c->nmembers > 0)
		aws_creds_free(c->members[--c->nmembers]);
	free(c->members);
	if (c->owns_base)
		aws_creds_free(c->base);
	free(c->profile);
	free(c->role_arn);
	free(c->session);
	free(c->external_id);
	free(c->token_file);
	free(c->command);
	free(c);
}
