/*
 * simulate-gen - a generated project for the simulation benchmark
 *
 * usage: simulate-gen dir [tables [days]]
 *
 * Writes into the project directory ${dir} ${tables} tables (default
 * 2000) in accounts of 50 tables in each of two regions, a third of them
 * on demand, with 0 to 2 global secondary indexes each, the prices of
 * both regions, and ${days} days (default 14) of 1-minute series for
 * every table and index as optima-fetch-metrics writes them: consumed
 * capacity with a daily cycle and noise, provisioned capacity every 5
 * minutes, throttle events never.
 */

#include <err.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "atomicio.h"
#include "parsenum.h"

#define PER	50	/* tables per account and region */
#define PI	3.14159265358979323846

static const char *const regions[] = { "eu-west-1", "us-east-1" };
static const char *const metrics[] = { "ConsumedReadCapacityUnits",
	"ConsumedWriteCapacityUnits", "ProvisionedReadCapacityUnits",
	"ProvisionedWriteCapacityUnits", "ReadThrottleEvents",
	"WriteThrottleEvents" };
static const char *const stats[] = { "Sum", "Sum", "Maximum", "Maximum",
	"Sum", "Sum" };

static unsigned long long seed = 88172645463325252ULL;

static double
uniform(void)
{

	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return ((double)(seed >> 11) / 9007199254740992.0);
}

static FILE *
create(const char *path)
{
	char *dir = strdup(path), *slash;
	FILE *fp;

	if (dir == NULL)
		err(1, "strdup");
	if ((slash = strrchr(dir, '/')) != NULL) {
		*slash = '\0';
		if (atomicio_mkdirs(dir))
			exit(1);
	}
	free(dir);
	if ((fp = fopen(path, "w")) == NULL)
		err(1, "%s", path);
	return (fp);
}

int
main(int argc, char *argv[])
{
	char path[4096], account[13], name[32];
	int ntables = 2000, days = 14, nacc, a, r, t, g, d, m, i;
	double mean[2], cap[2];
	FILE *fp;

	if (argc < 2 || argc > 4 ||
	    (argc > 2 && parsenum_int(&ntables, argv[2], 1, 1000000)) ||
	    (argc > 3 && parsenum_int(&days, argv[3], 1, 60))) {
		fprintf(stderr, "usage: simulate-gen dir [tables [days]]\n");
		return (2);
	}
	nacc = (ntables + 2 * PER - 1) / (2 * PER);
	for (r = 0; r < 2; r++) {
		snprintf(path, sizeof(path), "%s/prices/region=%s.ndjson",
		    argv[1], regions[r]);
		fp = create(path);
		fprintf(fp, "{\"kind\":\"price\",\"region\":\"%s\","
		    "\"table_class\":\"STANDARD\",\"currency\":\"USD\","
		    "\"read_request_unit\":1.25e-07,\"write_request_unit\":"
		    "6.25e-07,\"replicated_write_request_unit\":6.25e-07,"
		    "\"rcu_hour\":0.00013,\"wcu_hour\":0.00065,"
		    "\"replicated_wcu_hour\":0.00065,\"storage_gb_month\":0.25,"
		    "\"free_tier\":{\"rcu\":25,\"wcu\":25,\"storage_gb\":25}}\n"
		    "{\"kind\":\"price\",\"region\":\"%s\",\"table_class\":"
		    "\"STANDARD_INFREQUENT_ACCESS\",\"currency\":\"USD\","
		    "\"read_request_unit\":1.55e-07,\"write_request_unit\":"
		    "7.8e-07,\"replicated_write_request_unit\":7.8e-07,"
		    "\"rcu_hour\":0.00016,\"wcu_hour\":0.00081,"
		    "\"replicated_wcu_hour\":0.00081,\"storage_gb_month\":0.1,"
		    "\"free_tier\":{\"rcu\":0,\"wcu\":0,\"storage_gb\":0}}\n",
		    regions[r], regions[r]);
		fclose(fp);
	}
	for (a = 0; a < nacc; a++) {
		snprintf(account, sizeof(account), "%012d", 100000 + a);
		for (r = 0; r < 2; r++) {
			int first = (a * 2 + r) * PER, n = PER;

			if (first >= ntables)
				break;
			if (first + n > ntables)
				n = ntables - first;
			snprintf(path, sizeof(path), "%s/tables/account=%s/"
			    "region=%s.ndjson", argv[1], account, regions[r]);
			fp = create(path);
			for (t = 0; t < n; t++) {
				fprintf(fp, "{\"kind\":\"table\",\"account\":"
				    "\"%s\",\"region\":\"%s\",\"table\":"
				    "\"t%04d\",\"billing_mode\":\"%s\","
				    "\"table_class\":\"STANDARD\","
				    "\"read_capacity\":100,\"write_capacity\":"
				    "50,\"size_bytes\":%lld,\"indexes\":[",
				    account, regions[r], t, t % 3 == 0 ?
				    "PAY_PER_REQUEST" : "PROVISIONED", (long long)t * 37000000);
				for (g = 0; g < t % 3; g++)
					fprintf(fp, "%s{\"index\":\"gsi%d\","
					    "\"read_capacity\":20,"
					    "\"write_capacity\":10,"
					    "\"size_bytes\":1000000}", g ? "," :
					    "", g);
				fprintf(fp, "],\"replicas\":[],\"autoscaling\":"
				    "null}\n");
			}
			fclose(fp);
			for (d = 0; d < days; d++) {
				snprintf(path, sizeof(path), "%s/metrics/"
				    "account=%s/region=%s/date=2026-10-%02d."
				    "ndjson", argv[1], account, regions[r],
				    d + 1);
				fp = create(path);
				for (t = 0; t < n; t++)
				for (g = -1; g < t % 3; g++) {
					snprintf(name, sizeof(name), "\"gsi%d\"",
					    g);
					mean[0] = 5 + 200 * uniform();
					mean[1] = 1 + 50 * uniform();
					cap[0] = ceil(mean[0] * 1.8);
					cap[1] = ceil(mean[1] * 1.8);
					for (m = 0; m < 6; m++) {
						fprintf(fp, "{\"kind\":\"series\","
						    "\"account\":\"%s\",\"region\":"
						    "\"%s\",\"table\":\"t%04d\","
						    "\"index\":%s,\"metric\":"
						    "\"%s\",\"stat\":\"%s\","
						    "\"period\":60,\"start\":"
						    "\"2026-10-%02dT00:00:00Z\","
						    "\"values\":[", account,
						    regions[r], t, g < 0 ? "null" :
						    name, metrics[m], stats[m],
						    d + 1);
						for (i = 0; i < 1440; i++) {
							double x = mean[m & 1] *
							    60 * (1 + 0.6 * sin(2 *
							    PI * i / 1440)) *
							    (0.8 + 0.4 * uniform());

							if (i > 0)
								putc(',', fp);
							if (m >= 4 || (m >= 2 &&
							    (t % 3 == 0 || i % 5)))
								fputs("null", fp);
							else if (m >= 2)
								fprintf(fp, "%.0f",
								    cap[m & 1]);
							else
								fprintf(fp, "%.1f",
								    floor(x * 2) / 2);
						}
						fputs("]}\n", fp);
					}
				}
				if (fclose(fp))
					err(1, "%s", path);
			}
		}
	}
	return (0);
}
