#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "atomicio.h"

struct atomicio {
	FILE *fp;
	char *path;		/* the file to replace */
	char *tmp;		/* the temporary file beside it; NULL: ${path}
				   is not a regular file, written in place */
	char *dir;		/* their directory */
};

/* Split ${path} into malloced directory and base name. */
static int
split(const char *path, char **dir, char **base)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL) {
		*dir = strdup(".");
		*base = strdup(path);
	} else {
		*dir = strndup(path, slash == path ? 1 : (size_t)(slash - path));
		*base = strdup(slash + 1);
	}
	if (*dir == NULL || *base == NULL) {
		free(*dir);
		free(*base);
		*dir = *base = NULL;
		return (-1);
	}
	return (0);
}

/*
 * Open ${path} for writing in place, if it names something other than a
 * regular file or a directory (/dev/null, a FIFO, a terminal): fill ${a}
 * and return 1.  Return 0 if it does not, -1 on error (reported).
 */
static int
in_place(struct atomicio *a, const char *path)
{
	struct stat st;
	int fd;

	if (stat(path, &st) != 0 || S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))
		return (0);
	if ((a->path = strdup(path)) == NULL ||
	    (fd = open(path, O_WRONLY | O_CLOEXEC)) == -1) {
		warn("%s", path);
		return (-1);
	}
	if ((a->fp = fdopen(fd, "w")) == NULL) {
		warn("%s", path);
		close(fd);
		return (-1);
	}
	return (1);
}

/*
 * Start writing ${path} as atomicio_open does; with ${user}, a path that
 * names something other than a regular file is written in place.
 */
static struct atomicio *
start(const char *path, mode_t mode, int user)
{
	static unsigned long counter;
	struct atomicio *a;
	struct timespec ts;
	struct stat st;
	char *base = NULL;
	size_t len;
	int fd = -1, i;

	if ((a = calloc(1, sizeof(*a))) == NULL ||
	    split(path, &a->dir, &base)) {
		warn("%s", path);
		goto err;
	}
	if (user) {
		if ((i = in_place(a, path)) == -1)
			goto err;
		if (i == 1) {
			free(base);
			return (a);
		}
	} else if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode) &&
	    !S_ISLNK(st.st_mode)) {
		/* A link is replaced by the rename; anything else refused. */
		warnx("%s: not a regular file (refused)", path);
		goto err;
	}
	if (*base == '\0') {
		warnx("%s: not a file name", path);
		goto err;
	}
	len = strlen(a->dir) + strlen(base) + 12;
	if ((a->path = strdup(path)) == NULL || (a->tmp = malloc(len)) == NULL) {
		warn("%s", path);
		goto err;
	}
	/* The user's directories are the user's to make. */
	if (user && stat(a->dir, &st) == -1) {
		if (errno == ENOENT || errno == ENOTDIR)
			warnx("%s: the directory %s does not exist", path,
			    a->dir);
		else
			warn("%s: %s", path, a->dir);
		goto err;
	}
	if (user && !S_ISDIR(st.st_mode)) {
		warnx("%s: %s is not a directory", path, a->dir);
		goto err;
	}
	if (!user && atomicio_mkdirs(a->dir))
		goto err;
	/*
	 * Like mkstemp, but created with ${mode} so the umask applies as to
	 * any file: ".NAME." and six hex digits that differ between
	 * processes, calls and instants; retried if taken.
	 */
	for (i = 0; fd == -1 && i < 100; i++) {
		clock_gettime(CLOCK_REALTIME, &ts);
		snprintf(a->tmp, len, "%s/.%s.%06lx", a->dir, base,
		    ((unsigned long)getpid() * 2654435761UL + counter++ * 40503UL +
		    (unsigned long)ts.tv_nsec) & 0xffffffUL);
		fd = open(a->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
		if (fd == -1 && errno != EEXIST)
			break;
	}
	if (fd == -1) {
		warn("%s", a->tmp);
		goto err;
	}
	if ((a->fp = fdopen(fd, "w")) == NULL) {
		warn("%s", a->tmp);
		close(fd);
		unlink(a->tmp);
		goto err;
	}
	free(base);
	return (a);

err:
	free(base);
	if (a != NULL) {
		free(a->tmp);
		free(a->path);
		free(a->dir);
	}
	free(a);
	return (NULL);
}

/**
 * atomicio_open(path, mode):
 * Start writing ${path}: create its directory if need be, and a temporary
 * file beside it with permissions ${mode} (less the umask).  A symbolic
 * link at ${path} is replaced, never followed; anything else that is not
 * a regular file (a FIFO, a device) is refused.  Return the handle, or
 * NULL on error (reported).
 */
struct atomicio *
atomicio_open(const char *path, mode_t mode)
{

	return (start(path, mode, 0));
}

/**
 * atomicio_open_output(path, mode):
 * As atomicio_open, for an output the user named: a path that names
 * something other than a regular file (/dev/null, a FIFO, a terminal) is
 * written in place instead, never replaced, and a missing directory is an
 * error (it is never created).
 */
struct atomicio *
atomicio_open_output(const char *path, mode_t mode)
{

	return (start(path, mode, 1));
}

/**
 * atomicio_open_regular(path, flags, mode):
 * Open the file ${path} with the open(2) ${flags} and ${mode}, as a file
 * of the project is opened for reading or appending: never through a
 * symbolic link, never waiting on a FIFO or a device, and only if it is a
 * regular file.  Return the descriptor (close-on-exec), or -1 on error
 * (reported, errno kept: ENOENT for a missing file).
 */
int
atomicio_open_regular(const char *path, int flags, mode_t mode)
{
	struct stat st;
	int fd, e;

	/* Nothing but a regular file is opened at all (a tape rewinds). */
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		warnx("%s: %s (refused)", path, S_ISLNK(st.st_mode) ?
		    "a symbolic link" : "not a regular file");
		errno = S_ISLNK(st.st_mode) ? ELOOP : EINVAL;
		return (-1);
	}
	if ((fd = open(path, flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC,
	    mode)) == -1) {
		e = errno;
		if (e == ELOOP || e == ENXIO)
			warnx("%s: not a regular file (refused)", path);
		else
			warn("%s", path);
		errno = e;
		return (-1);
	}
	/* What was opened is what counts: it may have changed since. */
	if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
		warnx("%s: not a regular file (refused)", path);
		close(fd);
		errno = EINVAL;
		return (-1);
	}
	if (!S_ISREG(st.st_mode) ||
	    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) == -1) {
		e = errno;
		warn("%s", path);
		close(fd);
		errno = e;
		return (-1);
	}
	return (fd);
}

/**
 * atomicio_sweep(path):
 * Remove the temporary files an interrupted writer of ${path} left beside
 * it (".NAME." and six hex digits).  Only one writer of a file may run at
 * a time.  Return 0, or -1 on error (reported).
 */
int
atomicio_sweep(const char *path)
{
	struct dirent *de;
	DIR *d;
	char *dir = NULL, *base = NULL, *stale;
	size_t n;
	int rc = 0;

	if (split(path, &dir, &base)) {
		warn("%s", path);
		return (-1);
	}
	n = strlen(base);
	if ((d = opendir(dir)) == NULL) {
		if (errno != ENOENT) {
			warn("%s", dir);
			rc = -1;
		}
		goto out;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] != '.' || strncmp(de->d_name + 1, base, n) != 0 ||
		    de->d_name[n + 1] != '.' || strlen(de->d_name + n + 2) != 6 ||
		    strspn(de->d_name + n + 2, "0123456789abcdef") != 6)
			continue;
		if ((stale = malloc(strlen(dir) + n + 10)) == NULL) {
			warn("%s", dir);
			rc = -1;
			break;
		}
		snprintf(stale, strlen(dir) + n + 10, "%s/%s", dir, de->d_name);
		if (unlink(stale) && errno != ENOENT) {
			warn("unlink %s", stale);
			rc = -1;
		}
		free(stale);
	}
	closedir(d);
out:
	free(dir);
	free(base);
	return (rc);
}

/**
 * atomicio_fp(a):
 * The stream to write the contents of ${a} to.
 */
FILE *
atomicio_fp(struct atomicio *a)
{

	return (a->fp);
}

/* Free ${a} without touching the file system. */
static void
release(struct atomicio *a)
{

	free(a->tmp);
	free(a->path);
	free(a->dir);
	free(a);
}

/**
 * atomicio_commit(a):
 * Flush, fsync and close the temporary file of ${a}, rename it over its
 * path and fsync the directory; free ${a}.  On any error (reported) the
 * temporary file is removed, the old file is left as it was, and -1 is
 * returned.
 */
int
atomicio_commit(struct atomicio *a)
{
	FILE *fp = a->fp;

	a->fp = NULL;
	if (a->tmp == NULL) {
		/* Written in place: nothing to sync or rename. */
		if (fflush(fp) || ferror(fp)) {
			warn("%s", a->path);
			fclose(fp);
			release(a);
			return (-1);
		}
		if (fclose(fp)) {
			warn("%s", a->path);
			release(a);
			return (-1);
		}
		release(a);
		return (0);
	}
	if (fflush(fp) || ferror(fp) || fsync(fileno(fp))) {
		warn("%s", a->path);
		fclose(fp);
		goto err;
	}
	if (fclose(fp)) {
		warn("%s", a->path);
		goto err;
	}
	if (rename(a->tmp, a->path)) {
		warn("rename %s to %s", a->tmp, a->path);
		goto err;
	}
	if (atomicio_fsync_dir(a->dir)) {
		release(a);
		return (-1);
	}
	release(a);
	return (0);

err:
	unlink(a->tmp);
	release(a);
	return (-1);
}

/**
 * atomicio_abort(a):
 * Discard the temporary file of ${a} and free ${a}; the old file is left as
 * it was.  NULL is a no-op.
 */
void
atomicio_abort(struct atomicio *a)
{

	/* Behave consistently with free(NULL). */
	if (a == NULL)
		return;
	if (a->fp != NULL)
		fclose(a->fp);
	if (a->tmp != NULL)
		unlink(a->tmp);
	release(a);
}

/**
 * atomicio_write_all(fd, buf, len):
 * Write the ${len} bytes at ${buf} to ${fd}, over short writes and EINTR.
 * Return 0, or -1 with errno set.
 */
int
atomicio_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len > 0) {
		if ((n = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			return (-1);
		}
		p += n;
		len -= (size_t)n;
	}
	return (0);
}

/**
 * atomicio_fsync_dir(dir):
 * Make the entries of the directory ${dir} durable.  Return 0, or -1 on
 * error (reported).
 */
int
atomicio_fsync_dir(const char *dir)
{
	int fd;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY)) == -1) {
		warn("%s", dir);
		return (-1);
	}
	/* Some file systems cannot fsync a directory; that is no error. */
	if (fsync(fd) && errno != EINVAL && errno != ENOTSUP) {
		warn("fsync %s", dir);
		close(fd);
		return (-1);
	}
	close(fd);
	return (0);
}

/**
 * atomicio_mkdirs(dir):
 * Create the directory ${dir} and any missing parents, as mkdir -p does.
 * Return 0, or -1 on error (reported).
 */
int
atomicio_mkdirs(const char *dir)
{
	struct stat sb;
	char *p, *s;

	if (stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode))
		return (0);
	if ((p = strdup(dir)) == NULL) {
		warn("%s", dir);
		return (-1);
	}
	/* Create each prefix in turn; one that exists already is fine. */
	for (s = p + 1;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		*s = '\0';
		if (mkdir(p, 0777) && errno != EEXIST) {
			warn("mkdir %s", p);
			free(p);
			return (-1);
		}
		if (dir[s - p] == '\0')
			break;
		*s = '/';
	}
	free(p);
	if (stat(dir, &sb) || !S_ISDIR(sb.st_mode)) {
		warnx("%s: not a directory", dir);
		return (-1);
	}
	return (0);
}

/**
 * atomicio_close_stdout():
 * Flush and close standard output, as the last act of a program that
 * wrote to it.  Return 0, or -1 on a write error (reported): a full disk,
 * a closed pipe or /dev/full is a failure, never silence.
 */
int
atomicio_close_stdout(void)
{
	int bad;

	bad = fflush(stdout) != 0 || ferror(stdout);
	if (fclose(stdout) || bad) {
		warn("write error on standard output");
		return (-1);
	}
	return (0);
}
