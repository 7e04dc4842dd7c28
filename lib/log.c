#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "atomicio.h"
#include "datetime.h"
#include "log.h"

/* program_invocation_short_name, as err(3) uses it, without _GNU_SOURCE. */
extern char *program_invocation_short_name;

/* The program's own name, for the log's lines. */
static const char *logname;

/* log_progname() before main, in every program that links this file. */
static void log_init(void) __attribute__((constructor));

static void
log_init(void)
{

	log_progname();
}

/**
 * log_progname():
 * Run by optima(7), whose script sets OPTIMA_COMMAND to the command the
 * user typed ("optima collect"), the program's messages (err(3),
 * warnx(3)) name that command, not the program; the log's lines still
 * name the program.
 */
void
log_progname(void)
{
	char *name;

	if (logname != NULL)
		return;
	logname = program_invocation_short_name;
	if ((name = getenv("OPTIMA_COMMAND")) != NULL && *name != '\0' &&
	    strncmp(name, "optima", 6) == 0 && strlen(name) <= 64)
		program_invocation_short_name = name;
}

static const char *const names[] = { "DEBUG", "INFO", "WARNING", "ERROR" };

static int logfd = -1;
static enum log_level minlevel = LOG_INFO;
static int echo;

/**
 * log_open(path, level, verbose):
 * Start logging to ${path} (its directory is created; NULL for no file) at
 * ${level}, one of "DEBUG", "INFO", "WARNING" or "ERROR"; with ${verbose},
 * or OPTIMA_VERBOSE set non-empty in the environment (optima --verbose
 * COMMAND), log everything and echo it to standard error.  Return 0, or
 * -1 on error (reported; logging is then off).
 */
int
log_open(const char *path, const char *level, int verbose)
{
	const char *slash, *v;
	char *dir;
	int i;

	log_close();
	minlevel = LOG_INFO;
	for (i = 0; i < 4; i++)
		if (strcmp(level, names[i]) == 0)
			minlevel = (enum log_level)i;
	if ((v = getenv("OPTIMA_VERBOSE")) != NULL && *v != '\0')
		verbose = 1;
	if ((echo = verbose))
		minlevel = LOG_DEBUG;
	if (path == NULL)
		return (0);
	if ((slash = strrchr(path, '/')) != NULL) {
		if ((dir = strndup(path, (size_t)(slash - path))) == NULL) {
			warn("%s", path);
			return (-1);
		}
		i = atomicio_mkdirs(dir);
		free(dir);
		if (i)
			return (-1);
	}
	/* Appended to only if a regular file, never through a link. */
	if ((logfd = atomicio_open_regular(path, O_WRONLY | O_APPEND |
	    O_CREAT, 0644)) == -1)
		return (-1);
	return (0);
}

/**
 * log_msg(level, fmt, ...):
 * Log a message at ${level}.  Without an open log, does nothing.
 */
void
log_msg(enum log_level level, const char *fmt, ...)
{
	char line[2048], now[DATETIME_LEN];
	va_list ap;
	char *p;
	size_t n;
	int saved = errno;

	if ((logfd == -1 && !echo) || level < minlevel)
		return;
	n = (size_t)snprintf(line, sizeof(line), "%s %s[%ld] %s ",
	    datetime_format(now, time(NULL)), logname,
	    (long)getpid(), names[level]);
	va_start(ap, fmt);
	if (n < sizeof(line))
		vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	/* One line, however long the message: cut it and end it. */
	n = strlen(line);
	for (p = line; (p = strchr(p, '\n')) != NULL; p++)
		*p = ' ';
	if (n == sizeof(line) - 1)
		n--;
	line[n++] = '\n';
	/* A log that cannot be written must not stop the work. */
	if (logfd != -1)
		(void)!atomicio_write_all(logfd, line, n);
	if (echo)
		(void)!atomicio_write_all(STDERR_FILENO, line, n);
	errno = saved;
}

/**
 * log_close():
 * Stop logging.
 */
void
log_close(void)
{

	if (logfd != -1)
		close(logfd);
	logfd = -1;
	echo = 0;
}
