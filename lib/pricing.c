#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "atomicio.h"
#include "aws_client.h"
#include "aws_creds.h"
#include "aws_http.h"
#include "log.h"
#include "ndjson.h"
#include "pricelist.h"
#include "pricing.h"
#include "progress.h"
#include "projdir.h"
#include "savingsplan.h"

#define SERVICE		"AmazonDynamoDB"
/* The Savings Plans price list: Database Savings Plans, on the offers'
 * host (AWS Billing, "Getting price list files using the AWS Price List
 * Bulk API": SavingsPlanCode AWSDatabaseSavingsPlans). */
#define SP_INDEX	"/savingsPlan/v1.0/aws/AWSDatabaseSavingsPlans/" \
			"current/region_index.json"
#define SP_PLAN		"Database"

/* One region's prices on their way. */
struct fetch {
	struct run *r;
	const char *region;
	char what[1024];	/* the source, for messages */
	int state;		/* 0 pending, 1 fetched, -1 failed */
	int transient;		/* failed on a transient AWS error */
	struct aws_pages pages;	/* GetProducts: the pages so far */
	/* Its Savings Plans rates, the same way. */
	char spwhat[1024];
	int spstate, sptransient;
	struct aws_pages sppages;
};

struct run {
	const struct pricing_opts *o;
	struct pricelist *pl;
	struct savingsplan *sp;
	struct aws_client cl;
	struct aws_client spcl;	/* --source api: savingsplans */
	struct fetch *f;
	size_t nf;
};

/* Add ${s} to the set of strings ${set}. */
static int
set_add(json_t *set, const char *s)
{

	return (json_object_set_new(set, s, json_true()));
}

/* The regions of the table records of the project (and their replicas). */
static int
take_table(json_t *rec, const struct ndjson_pos *pos, void *ctx)
{
	const char *region = json_string_value(json_object_get(rec, "region"));
	json_t *v;
	size_t i;

	if (region == NULL || !projdir_valid_region(region)) {
		ndjson_warnx(pos, "a table record without a valid \"region\"");
		return (-1);
	}
	if (set_add(ctx, region))
		return (-1);
	json_array_foreach(json_object_get(rec, "replicas"), i, v)
		if (json_is_string(v) &&
		    projdir_valid_region(json_string_value(v)) &&
		    set_add(ctx, json_string_value(v)))
			return (-1);
	return (0);
}

static int
take_file(const char *path, const struct projdir_entry *e, void *ctx)
{
	char *files[] = { (char *)path, NULL };

	if (e == NULL || e->file != PROJDIR_TABLES)
		return (0);
	return (ndjson_foreach(files, NDJSON_MAXLINE, take_table, ctx));
}

/* The regions to price: as given, else those discovered, sorted. */
static json_t *
regions_wanted(const struct projdir *pd, const struct pricing_opts *o)
{
	json_t *set;
	char *const *v;

	if ((set = json_object()) == NULL)
		return (NULL);
	if (o->regions != NULL) {
		for (v = o->regions; *v != NULL; v++)
			if (set_add(set, *v))
				goto fail;
	} else if (projdir_walk(pd, take_file, set))
		goto fail;
	return (set);
fail:
	json_decref(set);
	return (NULL);
}

static void
failed(struct fetch *f, const struct aws_error *e)
{

	f->state = -1;
	f->transient = e->retry != AWS_RETRY_NO;
	warnx("%s: %s%s%s", f->what, e->code, *e->message ? ": " : "",
	    e->message);
}

static void
sp_failed(struct fetch *f, const struct aws_error *e)
{

	f->spstate = -1;
	f->sptransient = e->retry != AWS_RETRY_NO;
	warnx("%s: %s%s%s", f->spwhat, e->code, *e->message ? ": " : "",
	    e->message);
}

/* Parse ${body} of ${len} bytes from ${what} as JSON; NULL if it is not
 * (reported with the line and column). */
static json_t *
parse(const char *body, size_t len, const char *what)
{
	json_error_t je;
	json_t *j;

	if ((j = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je)) == NULL)
		warnx("%s:%d:%d: %s", what, je.line, je.column, je.text);
	else if (!json_is_object(j)) {
		warnx("%s: not a JSON object", what);
		json_decref(j);
		j = NULL;
	}
	return (j);
}

static void
offer_done(const char *body, size_t len, const struct aws_error *e, void *ctx)
{
	struct fetch *f = ctx;
	json_t *j;

	if (e != NULL) {
		failed(f, e);
		return;
	}
	if ((j = parse(body, len, f->what)) == NULL ||
	    pricelist_offer(f->r->pl, j, f->region, f->what))
		f->state = -1;
	else
		f->state = 1;
	json_decref(j);
}

/* The path of a URL the price list gives (it gives paths, but a full
 * URL on AWS's host would do). */
static const char *
url_path(const char *url)
{
	const char *p;

	if (strncmp(url, "https://", 8) == 0 &&
	    (p = strchr(url + 8, '/')) != NULL)
		return (p);
	return (url);
}

/* The region index: where each region's current offer file is. */
static void
index_done(const char *body, size_t len, const struct aws_error *e, void *ctx)
{
	struct run *r = ctx;
	struct fetch *f;
	const char *url;
	json_t *j = NULL, *regions;
	size_t i;

	if (e == NULL && (j = parse(body, len, "the price list's region "
	    "index")) != NULL && !json_is_object(regions = json_object_get(j,
	    "regions")))
		warnx("the price list's region index has no regions");
	for (i = 0; i < r->nf; i++) {
		f = &r->f[i];
		if (e != NULL) {
			failed(f, e);
			continue;
		}
		if (j == NULL || !json_is_object(regions)) {
			f->state = -1;
			continue;
		}
		url = json_string_value(json_object_get(json_object_get(
		    regions, f->region), "currentVersionUrl"));
		if (url == NULL || *url != '/' || strstr(url, "..") != NULL) {
			warnx("%s: the price list's region index has no offer "
			    "file for this region", f->region);
			f->state = -1;
			continue;
		}
		snprintf(f->what, sizeof(f->what), "%s%s", r->cl.ep.url,
		    url_path(url));
		if (aws_client_get(&r->cl, url_path(url), offer_done, f))
			f->state = -1;
	}
	json_decref(j);
}

static void
sp_offer_done(const char *body, size_t len, const struct aws_error *e,
    void *ctx)
{
	struct fetch *f = ctx;
	json_t *j;

	if (e != NULL) {
		sp_failed(f, e);
		return;
	}
	if ((j = parse(body, len, f->spwhat)) == NULL ||
	    savingsplan_offer(f->r->sp, j, f->region, f->spwhat))
		f->spstate = -1;
	else
		f->spstate = 1;
	json_decref(j);
}

/* The Savings Plans region index: a list of {regionCode, versionUrl}.  A
 * region it does not list has no Database Savings Plans: no rates. */
static void
sp_index_done(const char *body, size_t len, const struct aws_error *e,
    void *ctx)
{
	struct run *r = ctx;
	struct fetch *f;
	const char *url, *code;
	json_t *j = NULL, *regions = NULL, *v;
	size_t i, k;

	if (e == NULL && (j = parse(body, len, "the Savings Plans price "
	    "list's region index")) != NULL && !json_is_array(regions =
	    json_object_get(j, "regions")))
		warnx("the Savings Plans price list's region index has no "
		    "regions");
	for (i = 0; i < r->nf; i++) {
		f = &r->f[i];
		if (f->spstate != 0)
			continue;
		if (e != NULL) {
			sp_failed(f, e);
			continue;
		}
		if (!json_is_array(regions)) {
			f->spstate = -1;
			continue;
		}
		url = NULL;
		json_array_foreach(regions, k, v)
			if ((code = json_string_value(json_object_get(v,
			    "regionCode"))) != NULL &&
			    strcmp(code, f->region) == 0)
				url = json_string_value(json_object_get(v,
				    "versionUrl"));
		if (url == NULL) {
			log_msg(LOG_INFO, "pricing: %s: no Database Savings "
			    "Plans in the price list", f->region);
			f->spstate = 1;
			continue;
		}
		if (*url != '/' || strstr(url, "..") != NULL) {
			warnx("%s: the Savings Plans price list's region index "
			    "gives a bad versionUrl", f->region);
			f->spstate = -1;
			continue;
		}
		snprintf(f->spwhat, sizeof(f->spwhat), "%s%s", r->cl.ep.url,
		    url);
		if (aws_client_get(&r->cl, url, sp_offer_done, f))
			f->spstate = -1;
	}
	json_decref(j);
}

static int describe_rates(struct fetch *, const char *);

static void
rates_done(json_t *out, const struct aws_error *e, void *ctx)
{
	struct fetch *f = ctx;
	struct aws_error err;
	const char *token;

	if (e != NULL) {
		sp_failed(f, e);
		return;
	}
	if (savingsplan_reply(f->r->sp, out, f->region, f->spwhat)) {
		f->spstate = -1;
		return;
	}
	token = json_string_value(json_object_get(out, "nextToken"));
	switch (aws_pages_next(&f->sppages, "savingsplans",
	    "DescribeSavingsPlansOfferingRates", token, &err)) {
	case 1:
		if (describe_rates(f, token))
			f->spstate = -1;
		break;
	case 0:
		f->spstate = 1;
		break;
	default:
		sp_failed(f, &err);
	}
}

/* Ask for a page of the Database Savings Plans rates of ${f}'s region. */
static int
describe_rates(struct fetch *f, const char *token)
{
	json_t *in;

	in = json_pack("{s:[s], s:[s], s:[{s:s, s:[s]}], s:i}",
	    "savingsPlanTypes", SP_PLAN, "serviceCodes", SERVICE, "filters",
	    "name", "region", "values", f->region, "maxResults", 1000);
	if (in == NULL || (token != NULL && json_object_set_new(in,
	    "nextToken", json_string(token)))) {
		json_decref(in);
		warnx("%s: out of memory", f->spwhat);
		return (-1);
	}
	return (aws_client_json(&f->r->spcl, "DescribeSavingsPlansOfferingRates",
	    in, rates_done, f));
}

static int get_products(struct fetch *, const char *);

static void
products_done(json_t *out, const struct aws_error *e, void *ctx)
{
	struct fetch *f = ctx;
	struct aws_error err;
	const char *token;
	json_t *list, *v, *item;
	size_t i;

	if (e != NULL) {
		failed(f, e);
		return;
	}
	if (!json_is_array(list = json_object_get(out, "PriceList"))) {
		warnx("%s: a reply without a PriceList", f->what);
		f->state = -1;
		return;
	}
	json_array_foreach(list, i, v) {
		/* Each item is a JSON document in a string. */
		if ((item = json_is_string(v) ? parse(json_string_value(v),
		    json_string_length(v), f->what) : NULL) == NULL ||
		    pricelist_item(f->r->pl, item, f->what)) {
			if (!json_is_string(v))
				warnx("%s: a PriceList item that is not a "
				    "string", f->what);
			json_decref(item);
			f->state = -1;
			return;
		}
		json_decref(item);
	}
	token = json_string_value(json_object_get(out, "NextToken"));
	switch (aws_pages_next(&f->pages, "pricing", "GetProducts", token,
	    &err)) {
	case 1:
		if (get_products(f, token))
			f->state = -1;
		break;
	case 0:
		f->state = 1;
		break;
	default:
		failed(f, &err);
	}
}

/* Ask for a page of ${f}'s region's products. */
static int
get_products(struct fetch *f, const char *token)
{
	json_t *in;

	in = json_pack("{s:s, s:[{s:s, s:s, s:s}], s:s, s:i}",
	    "ServiceCode", SERVICE, "Filters", "Type", "TERM_MATCH", "Field",
	    "regionCode", "Value", f->region, "FormatVersion", "aws_v1",
	    "MaxResults", 100);
	if (in == NULL || (token != NULL && json_object_set_new(in,
	    "NextToken", json_string(token)))) {
		json_decref(in);
		warnx("%s: out of memory", f->what);
		return (-1);
	}
	return (aws_client_json(&f->r->cl, "GetProducts", in, products_done, f));
}

/* Fetch the prices of every region of ${r} into r->pl. */
static int
fetch(struct run *r, const struct aws_config *cfg)
{
	const struct pricing_opts *o = r->o;
	struct aws_creds *chain = NULL;
	struct aws_http *http;
	size_t i;
	int rc = -1;

	if ((http = aws_http_new(NULL)) == NULL)
		return (-1);
	/* Database Savings Plans are not sold in China: no rates. */
	for (i = 0; i < r->nf; i++)
		if (strncmp(r->f[i].region, "cn-", 3) == 0)
			r->f[i].spstate = 1;
	if (o->source == PRICING_OFFER_FILE) {
		/* The public files need no credentials; China has its own. */
		if (aws_client_init(&r->cl, http, "offers", r->f[0].region, cfg,
		    o->profile, NULL))
			goto out;
		if (aws_client_get(&r->cl, strncmp(r->f[0].region, "cn-", 3) ?
		    "/offers/v1.0/aws/" SERVICE "/current/region_index.json" :
		    "/offers/v1.0/cn/" SERVICE "/current/region_index.json",
		    index_done, r))
			goto out;
		for (i = 0; i < r->nf; i++)
			snprintf(r->f[i].spwhat, sizeof(r->f[i].spwhat), "%s%s",
			    r->cl.ep.url, SP_INDEX);
		if (strncmp(r->f[0].region, "cn-", 3) != 0 &&
		    aws_client_get(&r->cl, SP_INDEX, sp_index_done, r))
			goto out;
	} else {
		if ((chain = aws_creds_chain(cfg, o->profile, o->region)) ==
		    NULL || aws_client_init(&r->cl, http, "pricing", o->region,
		    cfg, o->profile, chain) || aws_client_init(&r->spcl, http,
		    "savingsplans", o->region, cfg, o->profile, chain))
			goto out;
		for (i = 0; i < r->nf; i++) {
			snprintf(r->f[i].what, sizeof(r->f[i].what),
			    "pricing GetProducts %s", r->f[i].region);
			if (get_products(&r->f[i], NULL))
				goto out;
			snprintf(r->f[i].spwhat, sizeof(r->f[i].spwhat),
			    "savingsplans DescribeSavingsPlansOfferingRates %s",
			    r->f[i].region);
			if (r->f[i].spstate == 0 && describe_rates(&r->f[i],
			    NULL))
				goto out;
		}
	}
	rc = aws_http_run(http);
out:
	aws_http_free(http);
	aws_creds_free(chain);
	return (rc);
}

/* Read the offer files or GetProducts replies ${files} into r->pl. */
static int
read_files(struct run *r, char *const *files)
{
	json_error_t je;
	json_t *j, *list, *v, *item;
	FILE *fp;
	size_t i;
	int rc;

	for (; *files != NULL; files++) {
		if ((fp = strcmp(*files, "-") ? fopen(*files, "r") : stdin) ==
		    NULL) {
			warn("%s", *files);
			return (-1);
		}
		if ((j = json_loadf(fp, JSON_REJECT_DUPLICATES, &je)) == NULL)
			warnx("%s:%d:%d: %s", *files, je.line, je.column,
			    je.text);
		if (fp != stdin)
			fclose(fp);
		if (j == NULL)
			return (-1);
		if (json_object_get(j, "searchResults") != NULL)
			rc = savingsplan_reply(r->sp, j, NULL, *files);
		else if (json_object_get(json_object_get(j, "terms"),
		    "savingsPlan") != NULL)
			rc = savingsplan_offer(r->sp, j, NULL, *files);
		else if ((list = json_object_get(j, "PriceList")) != NULL) {
			rc = json_is_array(list) ? 0 : -1;
			json_array_foreach(list, i, v) {
				item = json_is_string(v) ? parse(
				    json_string_value(v), json_string_length(v),
				    *files) : json_incref(v);
				if (item == NULL || pricelist_item(r->pl, item,
				    *files))
					rc = -1;
				json_decref(item);
				if (rc)
					break;
			}
			if (!json_is_array(list))
				warnx("%s: PriceList is not an array", *files);
		} else
			rc = pricelist_offer(r->pl, j, NULL, *files);
		json_decref(j);
		if (rc)
			return (-1);
	}
	return (0);
}

/* Write ${region}'s price records ${rec} to its file in ${pd}. */
static int
save(const struct projdir *pd, const char *region,
    json_t *rec[2])
{
	struct atomicio *a;
	char *path;
	int rc = -1;

	if ((path = projdir_path(pd, PROJDIR_PRICES, NULL, region, NULL)) ==
	    NULL)
		return (-1);
	if (atomicio_sweep(path) == 0 && (a = atomicio_open(path, 0644)) !=
	    NULL) {
		if (ndjson_write(atomicio_fp(a), rec[0]) ||
		    ndjson_write(atomicio_fp(a), rec[1])) {
			warn("%s", path);
			atomicio_abort(a);
		} else
			rc = atomicio_commit(a);
	}
	free(path);
	return (rc);
}

/* Write ${region}'s savings_plan_rate records ${recs} to its file. */
static int
save_sp(const struct projdir *pd, const char *region, const json_t *recs)
{
	struct atomicio *a;
	json_t *v;
	char *path;
	size_t i;
	int rc = -1;

	if ((path = projdir_path(pd, PROJDIR_SAVINGS_PLANS, NULL, region,
	    NULL)) == NULL)
		return (-1);
	if (atomicio_sweep(path) == 0 && (a = atomicio_open(path, 0644)) !=
	    NULL) {
		json_array_foreach(recs, i, v)
			if (ndjson_write(atomicio_fp(a), v))
				break;
		if (i < json_array_size(recs)) {
			warn("%s", path);
			atomicio_abort(a);
		} else
			rc = atomicio_commit(a);
	}
	free(path);
	return (rc);
}

/* The savings_plan_rate records of ${regions} (NULL-terminated), in one
 * array; those of a region without rates are none.  NULL on an error
 * (reported). */
static json_t *
sp_all(const struct run *r, const char *const *regions)
{
	json_t *all, *recs;

	if ((all = json_array()) == NULL) {
		warnx("savings plans: out of memory");
		return (NULL);
	}
	for (; *regions != NULL; regions++) {
		if (savingsplan_count(r->sp, *regions) == 0)
			continue;
		if (savingsplan_records(r->sp, r->pl, *regions, "file", &recs)) {
			json_decref(all);
			return (NULL);
		}
		if (json_array_extend(all, recs)) {
			warnx("savings plans: out of memory");
			json_decref(recs);
			json_decref(all);
			return (NULL);
		}
		json_decref(recs);
	}
	return (all);
}

static const char *
source_name(const struct run *r)
{

	if (r->o->inputs != NULL)
		return ("file");
	return (r->o->source == PRICING_API ? "api" : "offer-file");
}

int
pricing_run(struct projdir *pd, const struct aws_config *cfg,
    const struct pricing_opts *o, FILE *out)
{
	struct run r;
	const char **names = NULL, **spnames, *name;
	json_t *want = NULL, *rec[2] = { NULL, NULL }, *v, *sprecs = NULL;
	char num[32], *path, *sppath;
	struct stat st;
	size_t i, skus = 0, done = 0, cached = 0, transient = 0, bad = 0;
	size_t sprates = 0, spdone = 0, spbad = 0, sptransient = 0;
	int free_tier = 0, have, rc = 1;

	memset(&r, 0, sizeof(r));
	r.o = o;
	if ((r.pl = pricelist_new()) == NULL ||
	    (r.sp = savingsplan_new()) == NULL)
		goto out;
	if (o->inputs != NULL) {
		if (read_files(&r, o->inputs) || (names = o->regions != NULL ?
		    (const char **)o->regions : pricelist_regions(r.pl)) == NULL)
			goto out;
		/* The Savings Plans rates of those regions, checked first:
		 * bad rates leave nothing written. */
		if ((spnames = o->regions != NULL ? (const char **)o->regions :
		    savingsplan_regions(r.sp)) == NULL ||
		    (sprecs = sp_all(&r, spnames)) == NULL)
			goto out;
		for (i = 0; names[i] != NULL; i++) {
			if (pricelist_records(r.pl, names[i], "file", rec))
				goto out;
			if (ndjson_write(o->records, rec[0]) ||
			    ndjson_write(o->records, rec[1])) {
				warn("standard output");
				goto out;
			}
			json_decref(rec[0]);
			json_decref(rec[1]);
			rec[0] = rec[1] = NULL;
		}
		/* Then the Savings Plans rates. */
		json_array_foreach(sprecs, i, v)
			if (ndjson_write(o->records, v)) {
				warn("standard output");
				goto out;
			}
		rc = 0;
		goto out;
	}

	if ((want = regions_wanted(pd, o)) == NULL)
		goto out;
	if (json_object_size(want) == 0) {
		warnx("no regions to price (run optima discover first, or "
		    "give --regions)");
		goto out;
	}
	if ((r.f = calloc(json_object_size(want), sizeof(*r.f))) == NULL) {
		warn("pricing");
		goto out;
	}
	json_object_foreach(want, name, v) {
		if ((path = projdir_path(pd, PROJDIR_PRICES, NULL, name,
		    NULL)) == NULL)
			goto out;
		if ((sppath = projdir_path(pd, PROJDIR_SAVINGS_PLANS, NULL,
		    name, NULL)) == NULL) {
			free(path);
			goto out;
		}
		/* Cached: the prices and the Savings Plans rates. */
		have = stat(path, &st) == 0 && stat(sppath, &st) == 0;
		free(path);
		free(sppath);
		if (!o->force && have) {
			cached++;
			continue;
		}
		r.f[r.nf].r = &r;
		r.f[r.nf].region = name;
		snprintf(r.f[r.nf].what, sizeof(r.f[r.nf].what),
		    "%s price list", name);
		r.nf++;
	}
	log_msg(LOG_INFO, "pricing: %zu regions to fetch from %s, %zu cached",
	    r.nf, source_name(&r), cached);
	if (r.nf > 0 && fetch(&r, cfg))
		goto out;
	for (i = 0; i < r.nf; i++) {
		name = r.f[i].region;
		if (r.f[i].state == 1 && pricelist_records(r.pl, name,
		    source_name(&r), rec) == 0 && save(pd, name, rec) == 0) {
			done++;
			skus += pricelist_skus(r.pl, name);
			free_tier |= json_number_value(json_object_get(
			    json_object_get(rec[0], "free_tier"), "rcu")) > 0 ||
			    json_number_value(json_object_get(json_object_get(
			    rec[0], "free_tier"), "storage_gb")) > 0;
			log_msg(LOG_INFO, "pricing: %s: %zu SKUs", name,
			    pricelist_skus(r.pl, name));
		} else {
			if (r.f[i].transient)
				transient++;
			else
				bad++;
			json_decref(rec[0]);
			json_decref(rec[1]);
			rec[0] = rec[1] = NULL;
			continue;
		}
		json_decref(rec[0]);
		json_decref(rec[1]);
		rec[0] = rec[1] = NULL;
		/* The rates need the prices they discount. */
		if (r.f[i].spstate == 1 && savingsplan_records(r.sp, r.pl,
		    name, source_name(&r), &sprecs) == 0 &&
		    save_sp(pd, name, sprecs) == 0) {
			spdone++;
			sprates += json_array_size(sprecs);
			log_msg(LOG_INFO, "pricing: %s: %zu Savings Plans rates",
			    name, json_array_size(sprecs));
		} else if (r.f[i].spstate == -1 && r.f[i].sptransient)
			sptransient++;
		else
			spbad++;
		json_decref(sprecs);
		sprecs = NULL;
	}
	if (done > 0 || r.nf == 0)
		fprintf(out, "Collected %s DynamoDB SKUs across %zu region%s\n",
		    progress_commas(num, sizeof(num), skus), done, done == 1 ? "" :
		    "s");
	if (free_tier)
		fprintf(out, "Including free tier pricing data\n");
	if (cached > 0)
		fprintf(out, "Prices of %zu region%s already in prices/ were "
		    "kept (--force-refresh fetches them again)\n", cached,
		    cached == 1 ? "" : "s");
	if (spdone > 0)
		fprintf(out, "Collected %zu Database Savings Plans rate%s across "
		    "%zu region%s\n", sprates, sprates == 1 ? "" : "s", spdone,
		    spdone == 1 ? "" : "s");
	if (bad + transient > 0)
		fprintf(out, "No prices for %zu region%s: see the messages "
		    "above\n", bad + transient, bad + transient == 1 ? "" :
		    "s");
	if (spbad + sptransient > 0)
		fprintf(out, "No Savings Plans rates for %zu region%s: see the "
		    "messages above\n", spbad + sptransient, spbad +
		    sptransient == 1 ? "" : "s");
	rc = bad + spbad > 0 ? 1 : transient + sptransient > 0 ? 75 : 0;
out:
	json_decref(rec[0]);
	json_decref(rec[1]);
	json_decref(sprecs);
	json_decref(want);
	for (i = 0; r.f != NULL && i < r.nf; i++) {
		aws_pages_free(&r.f[i].pages);
		aws_pages_free(&r.f[i].sppages);
	}
	free(r.f);
	pricelist_free(r.pl);
	savingsplan_free(r.sp);
	return (rc);
}
