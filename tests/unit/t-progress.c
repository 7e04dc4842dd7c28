#include <string.h>

#include "progress.h"
#include "tap.h"

int
main(void)
{
	struct progress *p;
	char buf[512];

	plan(6);
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

	/* Standard error is not a terminal here: nothing is drawn. */
	capture();
	p = progress_new("Working", "units", 3, 0);
	progress_update(p, 1, 3, 1);
	progress_update(p, 3, 3, 2);
	progress_end(p, 3);
	is(captured(), "", "silent off a terminal");
	return (done());
}
