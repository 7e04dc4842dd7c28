#include <sys/stat.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "tap.h"

static int
lines(const char *s)
{
	int n = 0;

	for (; s != NULL && *s != '\0'; s++)
		n += *s == '\n';
	return (n);
}

int
main(void)
{
	const char *f = strdup(path(scratch(), "logs/optima.log"));
	const char *s;

	plan(14);
	ok(log_open(f, "WARNING", 0) == 0, "open creates the directory");
	log_msg(LOG_INFO, "below the level");
	log_msg(LOG_WARNING, "account %s denied", "123456789012");
	log_msg(LOG_ERROR, "two\nlines");
	log_close();
	s = slurp(f);
	is_int(lines(s), 2, "only WARNING and above");
	ok(strstr(s, "Z t-log[") != NULL &&
	    strstr(s, "] WARNING account 123456789012 denied\n") != NULL,
	    "time, program, pid, level, message");
	ok(strstr(s, "ERROR two lines\n") != NULL, "newlines folded");
	ok(s[4] == '-' && s[10] == 'T' && s[19] == 'Z', "UTC timestamp");

	/* Appends; verbose logs everything and echoes it to stderr. */
	capture();
	ok(log_open(f, "ERROR", 1) == 0, "reopen verbose");
	log_msg(LOG_DEBUG, "detail");
	log_close();
	s = captured();
	ok(strstr(s, "DEBUG detail") != NULL, "echoed to stderr");
	is_int(lines(slurp(f)), 3, "appended, debug included");

	/* Without a log nothing happens; an unwritable path is an error. */
	log_msg(LOG_ERROR, "nowhere");
	is_int(lines(slurp(f)), 3, "closed log is not written");
	capture();
	ok(log_open("/proc/no/such/log", "INFO", 0) == -1 &&
	    strlen(captured()) > 0, "unwritable log reported");

	/* Never appended to through a link, nor if not a regular file. */
	spew(path(scratch(), "secret"), "secret\n");
	unlink(f);
	ok(symlink(path(scratch(), "secret"), f) == 0, "the log is a link");
	capture();
	ok(log_open(f, "INFO", 0) == -1 && strstr(captured(),
	    "optima.log: a symbolic link") != NULL, "refused, named");
	log_msg(LOG_ERROR, "through the link");
	log_close();
	is(slurp(path(scratch(), "secret")), "secret\n", "its target untouched");
	unlink(f);
	capture();
	ok(mkfifo(f, 0600) == 0 && log_open(f, "INFO", 0) == -1 &&
	    strstr(captured(), "optima.log: not a regular file") != NULL,
	    "a FIFO is refused at once");
	free((char *)f);
	return (done());
}
