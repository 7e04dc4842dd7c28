#ifndef AWS_PROBE_H
#define AWS_PROBE_H

#include <stddef.h>

struct aws_client;

/*
 * Is each permission optima needs granted?  One harmless call per
 * permission of the original tool's IAM policy (and the few optima adds),
 * made at once; a call that AWS answers with anything but an access
 * error proves the permission.
 */

enum aws_probe_state { AWS_PROBE_GRANTED, AWS_PROBE_DENIED, AWS_PROBE_FAILED };

struct aws_probe {
	const char *permission;		/* "dynamodb:ListTables" */
	const char *service;		/* our service name */
	int org;			/* only with Organizations */
	enum aws_probe_state state;
	char detail[700];		/* the error, when not granted */
};

/**
 * aws_probe_all(clients, account, region, org, probes, n):
 * Run every probe (those for Organizations only if ${org}) with the client
 * of its service in ${clients} (a NULL-terminated array), for ${account}
 * in ${region}; fill ${probes}, an array of at least AWS_PROBE_MAX, and
 * ${n}.  The transport must then be run (aws_http_run) to fill states.
 * Return 0, or -1 if a probe could not be queued (reported).
 */
int aws_probe_all(struct aws_client **, const char *, const char *, int,
    struct aws_probe *, size_t *);

#define AWS_PROBE_MAX	16

#endif
