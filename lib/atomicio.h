#ifndef ATOMICIO_H
#define ATOMICIO_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/*
 * Files that are either complete or absent.  A file is written to a
 * temporary file ".NAME.XXXXXX" in its own directory, then flushed,
 * fsynced and renamed over NAME, and the directory is fsynced, so a crash
 * at any moment leaves the old file or the new one, never a mix.
 */

struct atomicio;

/**
 * atomicio_open(path, mode):
 * Start writing ${path}: create its directory if need be, and a temporary
 * file beside it with permissions ${mode} (less the umask).  A symbolic
 * link at ${path} is replaced, never followed; anything else that is not
 * a regular file (a FIFO, a device) is refused.  Return the handle, or
 * NULL on error (reported).
 */
struct atomicio *atomicio_open(const char *, mode_t);

/**
 * atomicio_open_output(path, mode):
 * As atomicio_open, for an output the user named: a path that names
 * something other than a regular file (/dev/null, a FIFO, a terminal) is
 * written in place instead, never replaced, and a missing directory is an
 * error (it is never created).
 */
struct atomicio *atomicio_open_output(const char *, mode_t);

/**
 * atomicio_open_regular(path, flags, mode):
 * Open the file ${path} with the open(2) ${flags} and ${mode}, as a file
 * of the project is opened for reading or appending: never through a
 * symbolic link, never waiting on a FIFO or a device, and only if it is a
 * regular file.  Return the descriptor (close-on-exec), or -1 on error
 * (reported, errno kept: ENOENT for a missing file).
 */
int atomicio_open_regular(const char *, int, mode_t);

/**
 * atomicio_fp(a):
 * The stream to write the contents of ${a} to.
 */
FILE *atomicio_fp(struct atomicio *);

/**
 * atomicio_commit(a):
 * Flush, fsync and close the temporary file of ${a}, rename it over its
 * path and fsync the directory; free ${a}.  On any error (reported) the
 * temporary file is removed, the old file is left as it was, and -1 is
 * returned.
 */
int atomicio_commit(struct atomicio *);

/**
 * atomicio_sweep(path):
 * Remove the temporary files an interrupted writer of ${path} left beside
 * it (".NAME." and six hex digits).  Only one writer of a file may run at
 * a time.  Return 0, or -1 on error (reported).
 */
int atomicio_sweep(const char *);

/**
 * atomicio_abort(a):
 * Discard the temporary file of ${a} and free ${a}; the old file is left as
 * it was.  NULL is a no-op.
 */
void atomicio_abort(struct atomicio *);

/**
 * atomicio_write_all(fd, buf, len):
 * Write the ${len} bytes at ${buf} to ${fd}, over short writes and EINTR.
 * Return 0, or -1 with errno set.
 */
int atomicio_write_all(int, const void *, size_t);

/**
 * atomicio_fsync_dir(dir):
 * Make the entries of the directory ${dir} durable.  Return 0, or -1 on
 * error (reported).
 */
int atomicio_fsync_dir(const char *);

/**
 * atomicio_mkdirs(dir):
 * Create the directory ${dir} and any missing parents, as mkdir -p does.
 * Return 0, or -1 on error (reported).
 */
int atomicio_mkdirs(const char *);

/**
 * atomicio_close_stdout():
 * Flush and close standard output, as the last act of a program that
 * wrote to it.  Return 0, or -1 on a write error (reported): a full disk,
 * a closed pipe or /dev/full is a failure, never silence.
 */
int atomicio_close_stdout(void);

#endif
