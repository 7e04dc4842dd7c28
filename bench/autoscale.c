/*
 * autoscale - how fast the capacity simulation core runs
 *
 * usage: autoscale [resources]
 *
 * Makes 16 synthetic 14-day, 1-minute demand profiles (daily cycles,
 * noise, spikes, idle gaps), then for ${resources} resources (default
 * 2000, each with one of the profiles and its own auto scaling settings)
 * simulates target tracking of reads and writes and judges three capacity
 * arrays per dimension (auto scaled, fixed, and a current one) for burst,
 * throttling and hourly billing: what optima-simulate does per resource
 * once the records are read.  Prints resources per second, for the auto
 * scaler alone and for the whole.
 */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "autoscale.h"
#include "parsenum.h"

#define DAYS		14
#define N		(DAYS * 1440)
#define PROFILES	16
#define PI		3.14159265358979323846

static unsigned long long seed = 88172645463325252ULL;

/* xorshift64: a uniform double in [0, 1). */
static double
uniform(void)
{

	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return ((double)(seed >> 11) / 9007199254740992.0);
}

/* A demand profile in consumed units per minute around ${base} u/s. */
static void
profile(double *d, double base)
{
	double x;
	size_t i;

	for (i = 0; i < N; i++) {
		x = base * (1 + 0.6 * sin(2 * PI * (double)i / 1440));
		x *= 0.8 + 0.4 * uniform();
		if (uniform() < 0.002)
			x *= 5;			/* a spike */
		if (i % 5000 < 30)
			x = 0;			/* a gap: no datapoints */
		d[i] = floor(x * 60 * 2) / 2;	/* whole half units */
	}
}

static double
seconds(const struct timespec *a, const struct timespec *b)
{

	return ((double)(b->tv_sec - a->tv_sec) +
	    (double)(b->tv_nsec - a->tv_nsec) / 1e9);
}

int
main(int argc, char *argv[])
{
	static double rd[PROFILES][N], wd[PROFILES][N];
	static double rcap[N], wcap[N], cur[N], fix[N];
	static double hourly[DAYS * 24 + 1];
	struct autoscale_grid g = { 1793491200, 60, N };  /* 2026-11-01 */
	struct autoscale_opts o;
	struct autoscale_stats st[2];
	struct autoscale_usage u;
	struct timespec t0, t1, t2;
	long long n = 2000, r;
	double check = 0, c, run = 0, all;
	size_t i, p;
	int k;

	if (argc > 2 || (argc == 2 && parsenum_llong(&n, argv[1], 1, 1e7))) {
		fprintf(stderr, "usage: autoscale [resources]\n");
		return (2);
	}
	for (p = 0; p < PROFILES; p++) {
		profile(rd[p], 5.0 * (double)(p + 1));
		profile(wd[p], 1.0 * (double)(p + 1));
	}
	for (i = 0; i < N; i++)
		cur[i] = 100 + 20 * (double)((i / 360) % 3);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (r = 0; r < n; r++) {
		p = (size_t)r % PROFILES;
		o.delay = AUTOSCALE_DELAY;
		o.read.target = o.write.target = 0.5 + 0.1 * (double)(r % 4);
		o.read.min = o.write.min = 1 + (double)(r % 5);
		o.read.max = o.write.max = 40000;
		o.read.start = o.write.start = -1;

		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (autoscale_run(&g, &o, rd[p], wd[p], rcap, wcap, st))
			return (1);
		clock_gettime(CLOCK_MONOTONIC, &t2);
		run += seconds(&t1, &t2);
		check += st[0].decreases + st[1].increases;

		for (k = 0; k < 2; k++) {
			const double *d = k == 0 ? rd[p] : wd[p];

			autoscale_assess(&g, k == 0 ? rcap : wcap, d, hourly,
			    &u);
			check += u.throttled_units + u.unit_hours;
			for (c = 0, i = 0; i < N; i++)
				c = fmax(c, d[i]);
			c = autoscale_fixed(&g, c, AUTOSCALE_FIXED_UTIL);
			for (i = 0; i < N; i++)
				fix[i] = c;
			autoscale_assess(&g, fix, d, hourly, &u);
			check += u.unit_hours;
			autoscale_assess(&g, cur, d, hourly, &u);
			check += u.throttled_minutes;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t2);
	all = seconds(&t0, &t2);
	printf("autoscale: %lld resources x 2 dimensions x %d days of 1-minute "
	    "demand in %.2f s: auto scaler %.0f resources/s, with 3 capacity "
	    "arrays judged per dimension %.0f resources/s (check %.6g)\n",
	    n, DAYS, all, (double)n / run, (double)n / all, check);
	return (0);
}
