#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "atomicio.h"
#include "tap.h"

/* The number of entries of ${dir} whose names start with ${prefix}. */
static int
entries(const char *dir, const char *prefix)
{
	struct dirent *de;
	DIR *d;
	int n = 0;

	if ((d = opendir(dir)) == NULL)
		return (-1);
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, prefix, strlen(prefix)) == 0)
			n++;
	closedir(d);
	return (n);
}

/* Write ${text} to ${p} through atomicio; return the commit's result. */
static int
put(const char *p, const char *text)
{
	struct atomicio *a;

	if ((a = atomicio_open(p, 0644)) == NULL)
		return (-1);
	fputs(text, atomicio_fp(a));
	return (atomicio_commit(a));
}

int
main(void)
{
	const char *dir = scratch(), *f = path(dir, "data.ndjson");
	struct atomicio *a;
	struct stat sb;
	char c;
	int fds[2], fd, status;
	pid_t pid;

	plan(32);
	umask(022);
	ok(put(f, "old\n") == 0, "first commit");
	is(slurp(f), "old\n", "content written");
	ok(stat(f, &sb) == 0 && (sb.st_mode & 0777) == 0644, "mode 0644");
	is_int(entries(dir, ".data.ndjson."), 0, "no temporary file left");

	/* Abort: the old file stays, the temporary file goes. */
	a = atomicio_open(f, 0644);
	fputs("new and unfinished", atomicio_fp(a));
	fflush(atomicio_fp(a));
	is_int(entries(dir, ".data.ndjson."), 1, "temporary file beside it");
	atomicio_abort(a);
	is(slurp(f), "old\n", "abort keeps the old file");
	is_int(entries(dir, ".data.ndjson."), 0, "abort removes the temporary");

	/* SIGKILL in the middle of a write leaves the old file intact. */
	if (pipe(fds) == -1 || (pid = fork()) == -1)
		return (1);
	if (pid == 0) {
		int i;

		a = atomicio_open(f, 0644);
		for (i = 0; i < 100000; i++)
			fprintf(atomicio_fp(a), "{\"kind\":\"x\",\"i\":%d}\n", i);
		fflush(atomicio_fp(a));
		(void)!write(fds[1], "w", 1);
		pause();
		_exit(0);
	}
	close(fds[1]);
	ok(read(fds[0], &c, 1) == 1, "child is mid-write");
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "child killed");
	is(slurp(f), "old\n", "killed write left the old file intact");
	is_int(entries(dir, ".data.ndjson."), 1,
	    "the killed write's temporary file is all that is left");

	/* A commit that cannot rename fails and leaves the old state. */
	ok(mkdir(path(dir, "isdir"), 0755) == 0 &&
	    put(path(dir, "isdir/sub"), "x") == 0, "file in a subdirectory");
	capture();
	ok(put(path(dir, "isdir"), "y") == -1, "rename over a directory fails");
	ok(strstr(captured(), "isdir") != NULL, "failure names the file");
	is_int(entries(dir, ".isdir."), 0, "failed commit removes temporary");

	/* Directories are created as needed. */
	ok(put(path(dir, "a/b/c/d.ndjson"), "deep\n") == 0 &&
	    strcmp(slurp(path(dir, "a/b/c/d.ndjson")), "deep\n") == 0,
	    "missing parents created");
	ok(atomicio_write_all(-1, "x", 1) == -1, "write_all reports errors");

	/* The umask applies, as to any new file. */
	umask(077);
	ok(put(path(dir, "private"), "p") == 0 &&
	    stat(path(dir, "private"), &sb) == 0 && (sb.st_mode & 0777) == 0600,
	    "umask 077 gives 0600");
	umask(022);

	/* An interrupted writer's leftovers are swept, nothing else. */
	spew(path(dir, ".s.ndjson.0a1b2c"), "stale");
	spew(path(dir, ".s.ndjson.zzzzzz"), "not ours");
	spew(path(dir, ".t.ndjson.0a1b2c"), "another file's");
	spew(path(dir, "s.ndjson"), "the file");
	ok(atomicio_sweep(path(dir, "s.ndjson")) == 0 &&
	    slurp(path(dir, ".s.ndjson.0a1b2c")) == NULL &&
	    slurp(path(dir, ".s.ndjson.zzzzzz")) != NULL &&
	    slurp(path(dir, ".t.ndjson.0a1b2c")) != NULL &&
	    slurp(path(dir, "s.ndjson")) != NULL, "sweep");
	ok(atomicio_sweep(path(dir, "nodir/x.ndjson")) == 0,
	    "sweep of a missing directory");

	/* What the user names as an output and is not a regular file is
	 * written in place, never replaced. */
	ok(mkfifo(path(dir, "fifo"), 0600) == 0, "a FIFO");
	if ((pid = fork()) == 0) {
		FILE *in = fopen(path(dir, "fifo"), "r");
		int got = in != NULL && getc(in) == 'x';

		_exit(got ? 0 : 1);
	}
	ok((a = atomicio_open_output(path(dir, "fifo"), 0644)) != NULL &&
	    fputs("x\n", atomicio_fp(a)) >= 0 && atomicio_commit(a) == 0 &&
	    waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0, "a FIFO is written through");
	ok(stat(path(dir, "fifo"), &sb) == 0 && S_ISFIFO(sb.st_mode) &&
	    entries(dir, ".fifo.") == 0, "and is still a FIFO");
	ok((a = atomicio_open_output("/dev/null", 0644)) != NULL &&
	    atomicio_commit(a) == 0 && stat("/dev/null", &sb) == 0 &&
	    S_ISCHR(sb.st_mode), "/dev/null stays a device");

	/* A file of the project: a FIFO is refused, a link replaced. */
	alarm(10);
	ok(atomicio_open(path(dir, "fifo"), 0644) == NULL &&
	    entries(dir, ".fifo.") == 0, "atomicio_open refuses a FIFO");
	spew(path(dir, "target"), "outside\n");
	ok(symlink(path(dir, "target"), path(dir, "link")) == 0 &&
	    put(path(dir, "link"), "new\n") == 0 &&
	    lstat(path(dir, "link"), &sb) == 0 && S_ISREG(sb.st_mode),
	    "a link is replaced by the file");
	is(slurp(path(dir, "target")), "outside\n", "its target untouched");

	/* Reading or appending: a regular file only, never waited on. */
	ok((fd = atomicio_open_regular(path(dir, "log"), O_WRONLY | O_APPEND |
	    O_CREAT, 0644)) != -1 && write(fd, "a\n", 2) == 2 &&
	    (fcntl(fd, F_GETFL) & O_NONBLOCK) == 0 && close(fd) == 0,
	    "a regular file is opened, blocking");
	ok(symlink(path(dir, "target"), path(dir, "loglink")) == 0 &&
	    atomicio_open_regular(path(dir, "loglink"), O_WRONLY | O_APPEND,
	    0) == -1 && errno == ELOOP, "a link is refused");
	is(slurp(path(dir, "target")), "outside\n", "its target untouched");
	ok(atomicio_open_regular(path(dir, "fifo"), O_RDONLY, 0) == -1 &&
	    atomicio_open_regular(path(dir, "fifo"), O_WRONLY, 0) == -1 &&
	    atomicio_open_regular("/dev/zero", O_RDONLY, 0) == -1,
	    "a FIFO or a device is refused at once");
	ok(atomicio_open_regular(path(dir, "none"), O_RDONLY, 0) == -1 &&
	    errno == ENOENT, "a missing file: ENOENT");
	alarm(0);
	return (done());
}
