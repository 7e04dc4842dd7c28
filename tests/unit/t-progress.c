#define _XOPEN_SOURCE 600

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "progress.h"
#include "tap.h"

/* Run a display with standard error on a pseudo-terminal; read it back. */
static int
ontty(char *buf, size_t size)
{
	struct progress *p;
	ssize_t n;
	size_t got = 0;
	int master, slave, saved;

	if ((master = posix_openpt(O_RDWR | O_NOCTTY)) == -1 ||
	    grantpt(master) || unlockpt(master) ||
	    (slave = open(ptsname(master), O_RDWR | O_NOCTTY)) == -1)
		return (-1);
	saved = dup(STDERR_FILENO);
	dup2(slave, STDERR_FILENO);
	p = progress_new("Working", "units", 3, 0);
	progress_update(p, 1, 3, 1);
	progress_update(p, 3, 3, 2);
	progress_end(p, 3);
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(slave);
	fcntl(master, F_SETFL, O_NONBLOCK);
	while (got + 1 < size &&
	    (n = read(master, buf + got, size - got - 1)) > 0)
		got += (size_t)n;
	buf[got] = '\0';
	close(master);
	return (got > 0 ? 0 : -1);
}

int
main(void)
{
	struct progress *p;
	char buf[512];

	plan(10);
	is(progress_render(buf, sizeof(buf), "Collecting metrics", "datapoints",
	    390617, 976543, 72, 0), "Collecting metrics [#######-------------]"
	    "  39% | 390,617/976,543 datapoints | 1m12s elapsed | ETA 1m48s",
	    "bar, counts, elapsed and ETA");
	is(progress_render(buf, sizeof(buf), "Discovering", "tables", 0, 10,
	    3, 0), "Discovering [--------------------]   0% | 0/10 tables | "
	    "3s elapsed | ETA ?", "no ETA before the first unit");
	is(progress_render(buf, sizeof(buf), "Done", "units", 10, 10, 7300, 0),
	    "Done [####################] 100% | 10/10 units | 2h01m elapsed | "
	    "ETA 0s", "complete");
	is(progress_render(buf, sizeof(buf), "Listing", "accounts", 1234567, 0,
	    5, 0), "Listing: 1,234,567 accounts | 5s elapsed",
	    "unknown total");
	is(progress_render(buf, sizeof(buf), "Collecting metrics",
	    "datapoints", 1, 2, 1, 20), "Collecting metrics [",
	    "cut to the terminal's width");
	is(progress_render(buf, sizeof(buf), "Collecting metrics",
	    "datapoints", 390617, 976543, 72, 79), "Collecting metrics "
	    "[###-------]  39% | 390,617/976,543 datapoints | ETA 1m48s",
	    "the ETA kept at 80 columns");

	/* Standard error is not a terminal here: nothing is drawn. */
	capture();
	p = progress_new("Working", "units", 3, 0);
	progress_update(p, 1, 3, 1);
	progress_update(p, 3, 3, 2);
	progress_end(p, 3);
	is(captured(), "", "silent off a terminal");

	/* On a terminal (a pseudo-terminal here) the line is drawn. */
	ok(ontty(buf, sizeof(buf)) == 0, "drawn on a terminal");
	ok(strstr(buf, "\r\033[KWorking [####################] 100% | "
	    "3/3 units") != NULL, "redrawn in place, final state shown");
	ok(buf[strlen(buf) - 1] == '\n' || strstr(buf, "\r\n") != NULL,
	    "line ended");
	return (done());
}
