#ifndef AWS_CONFIG_H
#define AWS_CONFIG_H

/*
 * The AWS shared configuration and credentials files, as the AWS CLI and
 * SDKs read them: INI sections, "[default]" and "[profile NAME]" in the
 * config file, bare "[NAME]" in the credentials file, whose keys win for
 * the same profile; "[services NAME]" and "[sso-session NAME]" sections;
 * indented sub-keys ("s3 =" then "  addressing_style = path") read as
 * "s3.addressing_style".  Comments are whole lines starting '#' or ';'.
 */

struct aws_config;

/**
 * aws_config_load(config, credentials):
 * Read the config file ${config} and the credentials file ${credentials}
 * (either may be NULL or missing).  Return NULL on error (reported with
 * file:line).
 */
struct aws_config *aws_config_load(const char *, const char *);

/**
 * aws_config_paths(config, credentials):
 * The files the AWS tools read: $AWS_CONFIG_FILE, else ~/.aws/config;
 * $AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials.  Malloced strings
 * (NULL when there is no home directory).
 */
void aws_config_paths(char **, char **);

/**
 * aws_config_load_default():
 * aws_config_load of the files aws_config_paths names.
 */
struct aws_config *aws_config_load_default(void);

/**
 * aws_config_profile(opt):
 * The profile to use: ${opt} (the --profile option) if not NULL, else
 * $AWS_PROFILE, $AWS_DEFAULT_PROFILE, else "default".  Borrowed.
 */
const char *aws_config_profile(const char *);

/**
 * aws_config_get(c, profile, key):
 * The value of ${key} in ${profile} (credentials file first), or NULL.
 */
const char *aws_config_get(const struct aws_config *, const char *,
    const char *);

/**
 * aws_config_section(c, kind, name, key):
 * The value of ${key} in the section "[${kind} ${name}]" of the config file
 * (kind "services" or "sso-session"), or NULL.
 */
const char *aws_config_section(const struct aws_config *, const char *,
    const char *, const char *);

/**
 * aws_config_has_profile(c, profile):
 * Non-zero if either file has a section for ${profile}.
 */
int aws_config_has_profile(const struct aws_config *, const char *);

/**
 * aws_config_free(c):
 * Free ${c}.  NULL is a no-op.
 */
void aws_config_free(struct aws_config *);

#endif
