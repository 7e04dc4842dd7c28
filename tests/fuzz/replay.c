/*
 * replay - run a fuzz target over files, without libFuzzer
 *
 *   fuzz-NAME FILE|DIR...
 *
 * Each file (each regular file of a directory) is read and passed to the
 * target's LLVMFuzzerTestOneInput once, so that the committed corpora and
 * the inputs that once crashed are run by make check under the
 * sanitizers and valgrind like any other test.  Prints one TAP line per
 * file; exits 1 if a file cannot be read.
 */

#include <sys/stat.h>

#include <dirent.h>
#include <err.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzzfile.h"

static int n;

static int
replay(const char *path)
{
	uint8_t *buf = NULL, *nbuf;
	size_t len = 0, cap = 0, r;
	FILE *fp;

	if ((fp = fopen(path, "rb")) == NULL) {
		warn("%s", path);
		return (-1);
	}
	do {
		if (cap - len < 65536) {
			if ((nbuf = realloc(buf, cap + 65536)) == NULL) {
				warn("%s", path);
				free(buf);
				fclose(fp);
				return (-1);
			}
			buf = nbuf;
			cap += 65536;
		}
		len += (r = fread(buf + len, 1, cap - len, fp));
	} while (r > 0);
	if (ferror(fp)) {
		warn("%s", path);
		free(buf);
		fclose(fp);
		return (-1);
	}
	fclose(fp);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	printf("ok %d - %s\n", ++n, path);
	fflush(stdout);
	return (0);
}

static int
compare(const void *a, const void *b)
{

	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/* Replay the files of ${dir}, in name order. */
static int
replay_dir(const char *dir)
{
	char path[PATH_MAX], **names = NULL, **nn;
	size_t i, k = 0;
	struct dirent *d;
	struct stat st;
	DIR *dp;
	int rc = 0;

	if ((dp = opendir(dir)) == NULL) {
		warn("%s", dir);
		return (-1);
	}
	while ((d = readdir(dp)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		if ((nn = realloc(names, (k + 1) * sizeof(*names))) == NULL ||
		    (nn[k] = strdup(d->d_name)) == NULL) {
			warn("%s", dir);
			if (nn != NULL)
				names = nn;
			rc = -1;
			break;
		}
		names = nn;
		k++;
	}
	closedir(dp);
	if (k > 0)
		qsort(names, k, sizeof(*names), compare);
	for (i = 0; i < k; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (rc == 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		    replay(path))
			rc = -1;
		free(names[i]);
	}
	free(names);
	return (rc);
}

int
main(int argc, char *argv[])
{
	struct stat st;
	int i, rc = 0;

	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == -1) {
			/* A target without crashes has no directory of them. */
			continue;
		}
		if (S_ISDIR(st.st_mode) ? replay_dir(argv[i]) : replay(argv[i]))
			rc = 1;
	}
	printf("1..%d\n", n);
	return (rc);
}
