#ifndef AWS_CREDS_H
#define AWS_CREDS_H

#include <time.h>

#include "aws_sigv4.h"

struct aws_config;
struct aws_error;

/*
 * AWS credentials, found as the AWS CLI and SDKs find them: the
 * environment; the profile's role (role_arn with source_profile or
 * credential_source), web identity, static keys, credential_process; the
 * container endpoint; EC2 instance metadata (IMDSv2).  Temporary
 * credentials are refreshed from their own source five minutes before
 * they expire, or when AWS says they have.  Roles assumed in member
 * accounts are credentials of their own, one per role.  Secrets are never
 * printed.
 */

struct aws_creds;

/**
 * aws_creds_chain(cfg, profile, region):
 * The credentials of the default chain for ${profile} (the --profile
 * option; NULL means $AWS_PROFILE, $AWS_DEFAULT_PROFILE or "default"),
 * with ${cfg} the shared files (may be NULL) and ${region} the region for
 * STS.  Nothing is fetched until the first aws_creds_get.  Return NULL on
 * error (reported).
 */
struct aws_creds *aws_creds_chain(const struct aws_config *, const char *,
    const char *);

/**
 * aws_creds_assume(base, role_arn, session, external_id, duration, region):
 * Credentials of ${role_arn}, assumed with ${base}'s (sts:AssumeRole with
 * ${session} as RoleSessionName, ${external_id} if not NULL, for
 * ${duration} seconds).  Nothing is fetched until the first
 * aws_creds_get.  ${base} must outlive the result.
 */
struct aws_creds *aws_creds_assume(struct aws_creds *, const char *,
    const char *, const char *, int, const char *);

/**
 * aws_creds_member(base, account, role, region, own):
 * The credentials of the role ${role} in the member account ${account},
 * assumed with ${base}'s: one per account, kept with ${base} (and freed
 * with it), so each is assumed once and refreshed when it nears expiry.
 * The management account itself, if ${account} is ${base}'s own (as
 * ${own} says; may be NULL), uses ${base}.  Return NULL on error
 * (reported).
 */
struct aws_creds *aws_creds_member(struct aws_creds *, const char *,
    const char *, const char *, const char *);

/**
 * aws_creds_member_drop(base, account):
 * Free the role of ${account} kept by ${base}, once nothing uses it (so
 * that a run over many accounts holds only those in use).  No-op if none.
 */
void aws_creds_member_drop(struct aws_creds *, const char *);

/**
 * aws_creds_get(ctx, refresh, key):
 * Fill ${key} from the credentials ${ctx} (a struct aws_creds), fetching or
 * refreshing them when needed or when ${refresh} is non-zero; with
 * ${refresh}, ${key} holds the key AWS refused, and a key already renewed
 * since is given instead of renewing again.  Return 0,
 * or -1 if there are none (reported, saying where it looked).  Fits
 * struct aws_key_source.
 */
int aws_creds_get(void *, int, struct aws_sigv4_key *);

/**
 * aws_creds_error(c):
 * The AWS error that made ${c}'s last fetch fail (an AccessDenied
 * AssumeRole, say), or NULL if it did not fail or AWS said nothing.
 */
const struct aws_error *aws_creds_error(const struct aws_creds *);

/**
 * aws_creds_source(c):
 * Where ${c}'s credentials came from ("environment", "profile dev",
 * "assumed role arn:...", "credential_process", "web identity",
 * "container", "instance metadata"), or "none" before the first get.
 */
const char *aws_creds_source(const struct aws_creds *);

/**
 * aws_creds_expiration(c):
 * When ${c}'s current credentials expire, or 0 if they do not.
 */
time_t aws_creds_expiration(const struct aws_creds *);

/**
 * aws_creds_free(c):
 * Free ${c}, wiping its secrets.  NULL is a no-op.
 */
void aws_creds_free(struct aws_creds *);

#endif
