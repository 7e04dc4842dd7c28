#ifndef CMDLINE_H
#define CMDLINE_H

struct projdir;
struct settings;

/*
 * What every program's command line shares: lists given as "a,b,c", table
 * names, the project's settings and its log.
 */

/**
 * cmdline_list(s, valid, what):
 * Split ${s} ("a,b,c"; cut up in place) into a malloced, NULL-terminated
 * array of its items, each of which must pass ${valid} (NULL: any
 * non-empty item).  Return NULL if an item is invalid (reported as an
 * invalid ${what}), if there is none, or on allocation failure.
 */
char **cmdline_list(char *, int (*)(const char *), const char *);

/**
 * cmdline_listed(v, s):
 * Non-zero if the NULL-terminated list ${v} (from cmdline_list; NULL: an
 * empty list) holds ${s}.
 */
int cmdline_listed(char *const *, const char *);

/**
 * cmdline_table(s):
 * Non-zero if ${s} can be a DynamoDB table's name (1 to 255 bytes).
 */
int cmdline_table(const char *);

/**
 * cmdline_settings(pd):
 * The settings of the project ${pd}: the defaults, its optima.conf, the
 * environment (see settings_load).  Return NULL on error (reported).
 */
struct settings *cmdline_settings(const struct projdir *);

/**
 * cmdline_log(pd, s, verbose):
 * Start logging to the log of the project ${pd} (NULL: to no file, as a
 * filter does) at the LOG_LEVEL of ${s}, everything and on standard error
 * too with ${verbose}.  Return 0, or -1 on error (reported; logging is
 * then off).
 */
int cmdline_log(const struct projdir *, const struct settings *, int);

/**
 * cmdline_usage(help, text):
 * With ${help} (--help was asked for), print the usage message ${text} on
 * standard output and exit 0.  Else print it on standard error and exit
 * 2; run by optima(7) (OPTIMA_COMMAND names the command typed, "optima
 * collect"), say instead where that command's usage is, for the program's
 * own usage is not the command's.
 */
void cmdline_usage(int, const char *) __attribute__((noreturn));

#endif
