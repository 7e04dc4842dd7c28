#ifndef LOG_H
#define LOG_H

#include <time.h>

/*
 * The log, logs/optima.log in the project directory: one line per event,
 * "2026-11-25T10:00:00Z optima-discover[1234] INFO message", appended with
 * a single write so that concurrent programs never interleave within a
 * line.  Messages at or above LOG_LEVEL go to the file; with --verbose
 * every message also goes to standard error.  Never log a secret.
 */

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARNING, LOG_ERROR };

/**
 * log_open(path, level, verbose):
 * Start logging to ${path} (its directory is created; NULL for no file) at
 * ${level}, one of "DEBUG", "INFO", "WARNING" or "ERROR"; with ${verbose},
 * or OPTIMA_VERBOSE set non-empty in the environment (optima --verbose
 * COMMAND), log everything and echo it to standard error.  Return 0, or
 * -1 on error (reported; logging is then off).
 */
int log_open(const char *, const char *, int);

/**
 * log_msg(level, fmt, ...):
 * Log a message at ${level}.  Without an open log, does nothing.
 */
void log_msg(enum log_level, const char *, ...)
    __attribute__((format(printf, 2, 3)));

/**
 * log_progname():
 * Run by optima(7), whose script sets OPTIMA_COMMAND to the command the
 * user typed ("optima collect"), the program's messages (err(3),
 * warnx(3)) name that command, not the program; the log's lines still
 * name the program.  Done before main in every program that logs; a
 * program that does not calls it first.
 */
void log_progname(void);

/**
 * log_close():
 * Stop logging.
 */
void log_close(void);

#endif
