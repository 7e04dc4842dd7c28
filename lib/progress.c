#include <sys/ioctl.h>

#include <err.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"

struct progress {
	char *label, *unit;
	uint64_t done, total;
	double start, drawn;
	int tty;
};

/**
 * progress_now():
 * The monotonic clock, in seconds.
 */
double
progress_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

/**
 * progress_commas(buf, size, n):
 * Write ${n} with thousands separators (976543: "976,543") into ${buf} of
 * ${size} bytes; return ${buf}.
 */
char *
progress_commas(char *buf, size_t size, uint64_t n)
{
	char digits[32];
	size_t len, i, o = 0;

	len = (size_t)snprintf(digits, sizeof(digits), "%ju", (uintmax_t)n);
	for (i = 0; i < len && o + 2 < size; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return (buf);
}

/* A duration as "42s", "3m07s" or "2h05m". */
static char *
duration(char *buf, size_t size, double secs)
{
	unsigned long s = secs > 0 && secs < 1e9 ? (unsigned long)secs : 0;

	if (s < 60)
		snprintf(buf, size, "%lus", s);
	else if (s < 3600)
		snprintf(buf, size, "%lum%02lus", s / 60, s % 60);
	else
		snprintf(buf, size, "%luh%02lum", s / 3600, s / 60 % 60);
	return (buf);
}

/**
 * progress_render(buf, size, label, unit, done, total, elapsed, width):
 * Format one display line of at most ${width} columns into ${buf}: if
 * the whole line is wider, the bar narrows, then the elapsed time and then
 * the bar are left out, so that the ETA stays; only then is it cut.
 * Return ${buf}.
 */
char *
progress_render(char *buf, size_t size, const char *label, const char *unit,
    uint64_t done, uint64_t total, double elapsed, int width)
{
	char d[32], t[32], el[32], els[64], eta[32], bar[64];
	double frac;
	int i, barw, k, v;

	duration(el, sizeof(el), elapsed);
	if (total == 0) {
		snprintf(buf, size, "%s: %s %s | %s elapsed", label,
		    progress_commas(d, sizeof(d), done), unit, el);
	} else {
		frac = done >= total ? 1 : (double)done / (double)total;
		if (done == 0)
			snprintf(eta, sizeof(eta), "?");
		else
			duration(eta, sizeof(eta),
			    elapsed * (1 - frac) / frac);
		/*
		 * The ETA stays in sight: if the line is too wide, the bar
		 * narrows, then the elapsed time goes, then the bar.  If
		 * none fits, the whole line is cut.
		 */
		for (k = 0;; k++) {
			v = k < 4 ? k : 0;
			barw = v == 0 ? 20 : v < 3 ? 10 : 0;
			for (i = 0; i < barw; i++)
				bar[i] = i < (int)(frac * barw) ? '#' : '-';
			bar[barw] = '\0';
			snprintf(els, sizeof(els), " | %s elapsed", el);
			snprintf(buf, size, "%s%s%s%s %3d%% | %s/%s %s%s | "
			    "ETA %s", label, barw > 0 ? " [" : "", bar,
			    barw > 0 ? "]" : "", (int)(frac * 100),
			    progress_commas(d, sizeof(d), done),
			    progress_commas(t, sizeof(t), total), unit,
			    v < 2 ? els : "", eta);
			if (width <= 0 || strlen(buf) <= (size_t)width ||
			    k == 4)
				break;
		}
	}
	if (width > 0 && (size_t)width < size)
		buf[width] = '\0';
	return (buf);
}

/**
 * progress_new(label, unit, total, now):
 * Start a display for ${total} ${unit}s of work (0 if not known yet) at
 * monotonic time ${now} in seconds.  Return NULL on allocation failure
 * (reported); every function takes NULL as a display that shows nothing.
 */
struct progress *
progress_new(const char *label, const char *unit, uint64_t total, double now)
{
	struct progress *p;

	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (p->label = strdup(label)) == NULL ||
	    (p->unit = strdup(unit)) == NULL) {
		warn("progress");
		if (p != NULL)
			free(p->label);
		free(p);
		return (NULL);
	}
	p->total = total;
	p->start = now;
	p->drawn = -1;
	p->tty = isatty(STDERR_FILENO);
	return (p);
}

/* Draw the line for ${p} at ${now}. */
static void
draw(struct progress *p, double now)
{
	struct winsize ws;
	char line[512];
	int width = 80;

	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1)
		width = ws.ws_col - 1;
	progress_render(line, sizeof(line), p->label, p->unit, p->done,
	    p->total, now - p->start, width);
	/* Return to the start of the line and clear it, then draw. */
	fprintf(stderr, "\r\033[K%s", line);
	fflush(stderr);
	p->drawn = now;
}

/**
 * progress_update(p, done, total, now):
 * ${done} of ${total} units are finished at time ${now}; redraw if due.
 */
void
progress_update(struct progress *p, uint64_t done, uint64_t total, double now)
{

	if (p == NULL)
		return;
	p->done = done;
	p->total = total;
	if (p->tty && (p->drawn < 0 || now - p->drawn >= 0.1))
		draw(p, now);
}

/**
 * progress_end(p, now):
 * Draw the final state, end the line and free ${p}.  NULL is a no-op.
 */
void
progress_end(struct progress *p, double now)
{

	if (p == NULL)
		return;
	if (p->tty) {
		draw(p, now);
		fputc('\n', stderr);
	}
	free(p->label);
	free(p->unit);
	free(p);
}
