/*
 * fuzzfile - the fuzz targets' inputs as files (see fuzzfile.h)
 */

#define _XOPEN_SOURCE 700

#include <sys/stat.h>

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzzfile.h"

static char dir[256];
static char path[PATH_MAX + 256];

static int
rm_entry(const char *p, const struct stat *st, int flag, struct FTW *f)
{

	if (f->level == 0)
		return (0);
	return (remove(p) == 0 || errno == ENOENT ? 0 : -1);
}

static void
rm_dir(void)
{

	fuzzfile_clean();
	rmdir(dir);
}

const char *
fuzzfile_dir(void)
{
	const char *tmp;

	if (dir[0] != '\0')
		return (dir);
	/* In memory where there is such a place: fuzzing writes a lot. */
	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(dir, sizeof(dir), "%s/optima-fuzz.XXXXXX", tmp);
	if (mkdtemp(dir) == NULL) {
		perror(dir);
		dir[0] = '\0';
		return (NULL);
	}
	atexit(rm_dir);
	return (dir);
}

void
fuzzfile_clean(void)
{

	if (dir[0] != '\0')
		nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Make the parent directories of ${p}, below the scratch directory. */
static int
mkparents(char *p)
{
	char *s;

	for (s = p + strlen(dir) + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		if (mkdir(p, 0700) == -1 && errno != EEXIST) {
			perror(p);
			return (-1);
		}
		*s = '/';
	}
	return (0);
}

const char *
fuzzfile_write(const char *name, const void *data, size_t size)
{
	FILE *fp;

	if (fuzzfile_dir() == NULL)
		return (NULL);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (mkparents(path) == -1)
		return (NULL);
	if ((fp = fopen(path, "w")) == NULL) {
		perror(path);
		return (NULL);
	}
	if ((size > 0 && fwrite(data, 1, size, fp) != size) || fclose(fp) != 0) {
		perror(path);
		return (NULL);
	}
	return (path);
}

size_t
fuzzfile_split(const uint8_t *data, size_t size, const uint8_t **parts,
    size_t *lens, size_t n)
{
	size_t i, k, start;

	for (k = 0; k < n; k++) {
		parts[k] = data;
		lens[k] = 0;
	}
	if (n == 0)
		return (0);
	for (i = 0, k = 0, start = 0; i <= size && k < n; i++) {
		/* A part ends at the end, or before a line "%%". */
		if (i == size || (i + 3 <= size && (i == 0 || data[i - 1] == '\n') &&
		    memcmp(data + i, "%%\n", 3) == 0)) {
			parts[k] = data + start;
			lens[k] = i - start;
			k++;
			if (i == size)
				break;
			i += 2;
			start = i + 1;
		}
	}
	if (k == n && start < size && lens[n - 1] + (size_t)(parts[n - 1] - data) < size)
		lens[n - 1] = size - (size_t)(parts[n - 1] - data);
	return (k);
}
