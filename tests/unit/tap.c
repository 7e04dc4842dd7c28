#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"

static int planned, run, failed;
static char scratchdir[4096];
static int saved_stderr = -1;
static char capfile[4200];

void
plan(int n)
{

	planned = n;
	printf("1..%d\n", n);
	fflush(stdout);
}

static int
report(int cond, const char *fmt, va_list ap)
{

	run++;
	if (!cond)
		failed++;
	printf("%s %d - ", cond ? "ok" : "not ok", run);
	vprintf(fmt, ap);
	printf("\n");
	fflush(stdout);
	return (cond);
}

int
ok(int cond, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(cond, fmt, ap);
	va_end(ap);
	return (cond);
}

int
is(const char *got, const char *want, const char *fmt, ...)
{
	va_list ap;
	int cond;

	cond = (got == NULL && want == NULL) ||
	    (got != NULL && want != NULL && strcmp(got, want) == 0);
	va_start(ap, fmt);
	report(cond, fmt, ap);
	va_end(ap);
	if (!cond)
		printf("#   got: \"%s\"\n#  want: \"%s\"\n",
		    got ? got : "(null)", want ? want : "(null)");
	return (cond);
}

int
is_int(long long got, long long want, const char *fmt, ...)
{
	va_list ap;
	int cond = got == want;

	va_start(ap, fmt);
	report(cond, fmt, ap);
	va_end(ap);
	if (!cond)
		printf("#   got: %lld\n#  want: %lld\n", got, want);
	return (cond);
}

static void
cleanup(void)
{
	char cmd[4200];

	if (scratchdir[0] != '\0' && getenv("KEEP_SCRATCH") == NULL) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratchdir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", scratchdir);
	}
}

const char *
scratch(void)
{
	const char *tmp = getenv("TMPDIR");

	if (scratchdir[0] != '\0')
		return (scratchdir);
	snprintf(scratchdir, sizeof(scratchdir), "%s/optima-unit.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if (mkdtemp(scratchdir) == NULL) {
		perror("mkdtemp");
		exit(1);
	}
	atexit(cleanup);
	return (scratchdir);
}

const char *
path(const char *dir, const char *name)
{
	static char buf[4][4200];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
	return (buf[i]);
}

void
spew(const char *p, const char *text)
{
	FILE *fp;

	if ((fp = fopen(p, "w")) == NULL || fputs(text, fp) == EOF ||
	    fclose(fp) == EOF) {
		perror(p);
		exit(1);
	}
}

const char *
slurp(const char *p)
{
	static char buf[1 << 16];
	size_t n;
	FILE *fp;

	if ((fp = fopen(p, "r")) == NULL)
		return (NULL);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return (buf);
}

void
capture(void)
{
	int fd;

	snprintf(capfile, sizeof(capfile), "%s/.stderr", scratch());
	fflush(stderr);
	saved_stderr = dup(STDERR_FILENO);
	if ((fd = open(capfile, O_WRONLY | O_CREAT | O_TRUNC, 0644)) == -1) {
		perror(capfile);
		exit(1);
	}
	dup2(fd, STDERR_FILENO);
	close(fd);
}

const char *
captured(void)
{

	fflush(stderr);
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	return (slurp(capfile));
}

int
done(void)
{

	if (run != planned)
		printf("# planned %d tests but ran %d\n", planned, run);
	return (failed == 0 && run == planned ? 0 : 1);
}

int
done_testing(void)
{

	printf("1..%d\n", run);
	return (failed == 0 ? 0 : 1);
}
