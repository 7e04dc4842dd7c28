#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "ndjson.h"
#include "tap.h"

static int count;

static int
counter(json_t *rec, const struct ndjson_pos *pos, void *ctx)
{

	count++;
	if (ctx != NULL && (unsigned long)count == *(unsigned long *)ctx) {
		ndjson_warnx(pos, "stopped here");
		return (1);
	}
	return (0);
}

/* Read ${text} as file NAME; return the records passed or -1. */
static int
run(const char *name, const char *text, size_t maxline, const char **err)
{
	char *files[2] = { NULL, NULL };
	int rc;

	files[0] = (char *)path(scratch(), name);
	spew(files[0], text);
	count = 0;
	capture();
	rc = ndjson_foreach(files, maxline, counter, NULL);
	*err = captured();
	return (rc == 0 ? count : -1);
}

static int
has(const char *s, const char *sub)
{

	return (s != NULL && strstr(s, sub) != NULL);
}

int
main(void)
{
	static const char nul[] = "{\"kind\":\"a\"}\n{\"kind\":\"a\0\"}\n";
	char big[300], *files[4];
	const char *err;
	json_t *rec;
	FILE *fp;
	unsigned long stop = 2;

	plan(33);
	is_int(run("ok.ndjson", "{\"kind\":\"a\"}\n{\"kind\":\"b\",\"x\":[1,2]}\n"
	    "{\"kind\":\"c\"}\n", NDJSON_MAXLINE, &err), 3, "three records");
	is(err, "", "no complaint");
	is_int(run("nonl.ndjson", "{\"kind\":\"a\"}\n{\"kind\":\"b\"}",
	    NDJSON_MAXLINE, &err), 2, "last line without newline");
	is_int(run("crlf.ndjson", "{\"kind\":\"a\"}\r\n", NDJSON_MAXLINE,
	    &err), 1, "CRLF line");

	is_int(run("bad.ndjson", "{\"kind\":\"a\"}\n{\"kind\":\n{\"kind\":\"c\"}\n",
	    NDJSON_MAXLINE, &err), -1, "malformed line fails");
	ok(has(err, "bad.ndjson:2: invalid JSON"), "error names file:line: %s",
	    err);
	is_int(count, 1, "records before the bad line were passed");
	run("arr.ndjson", "[1]\n", NDJSON_MAXLINE, &err);
	ok(has(err, "arr.ndjson:1: not a JSON object"), "array: %s", err);
	run("nokind.ndjson", "{\"kind\":\"a\"}\n{\"x\":1}\n", NDJSON_MAXLINE,
	    &err);
	ok(has(err, "nokind.ndjson:2: record has no string \"kind\""),
	    "no kind: %s", err);
	run("numkind.ndjson", "{\"kind\":7}\n", NDJSON_MAXLINE, &err);
	ok(has(err, ":1: record has no string"), "numeric kind: %s", err);
	run("dup.ndjson", "{\"kind\":\"a\",\"kind\":\"b\"}\n", NDJSON_MAXLINE,
	    &err);
	ok(has(err, "dup.ndjson:1: invalid JSON") && has(err, "duplicate"),
	    "duplicate key: %s", err);
	run("blank.ndjson", "{\"kind\":\"a\"}\n\n", NDJSON_MAXLINE, &err);
	ok(has(err, "blank.ndjson:2: empty line"), "blank line: %s", err);
	run("utf8.ndjson", "{\"kind\":\"\xff\"}\n", NDJSON_MAXLINE, &err);
	ok(has(err, "utf8.ndjson:1: invalid JSON"), "invalid UTF-8: %s", err);
	run("trail.ndjson", "{\"kind\":\"a\"} x\n", NDJSON_MAXLINE, &err);
	ok(has(err, "trail.ndjson:1: invalid JSON"), "trailing junk: %s", err);
	fp = fopen(path(scratch(), "nul.ndjson"), "w");
	fwrite(nul, 1, sizeof(nul) - 1, fp);
	fclose(fp);
	files[0] = (char *)path(scratch(), "nul.ndjson");
	files[1] = NULL;
	capture();
	ndjson_foreach(files, 100, counter, NULL);
	err = captured();
	ok(has(err, "nul.ndjson:2: invalid JSON"), "NUL byte: %s", err);

	/* The cap: a line of exactly the cap passes, one byte more fails. */
	memset(big, ' ', sizeof(big));
	memcpy(big, "{\"kind\":\"a\"}", 12);
	big[200] = '\n';
	big[201] = '\0';
	is_int(run("cap.ndjson", big, 200, &err), 1, "line at the cap");
	is_int(run("cap.ndjson", big, 199, &err), -1, "line over the cap");
	ok(has(err, "cap.ndjson:1: line longer than 199 bytes"), "cap: %s",
	    err);

	/* Several files: line numbers start again; a callback can stop. */
	spew(path(scratch(), "a"), "{\"kind\":\"a\"}\n");
	spew(path(scratch(), "b"), "{\"kind\":\"a\"}\n{\"kind\":\"a\"}\n");
	files[0] = strdup(path(scratch(), "a"));
	files[1] = strdup(path(scratch(), "b"));
	files[2] = NULL;
	count = 0;
	capture();
	ok(ndjson_foreach(files, 100, counter, &stop) == -1, "callback stops");
	err = captured();
	ok(has(err, "/b:1: stopped here"), "position in second file: %s", err);
	capture();
	free(files[1]);
	files[1] = "missing";
	ok(ndjson_foreach(files + 1, 100, counter, NULL) == -1 &&
	    has(captured(), "missing: No such file"), "missing file");

	/* The writer: compact, 15 digits, no trailing zeros. */
	rec = json_pack("{s:s, s:f, s:f, s:I, s:s}", "kind", "price",
	    "a", 0.1, "b", 1.25e-07, "n", (json_int_t)123456789012,
	    "s", "caf\xc3\xa9 \"q\"");
	fp = fopen(path(scratch(), "out"), "w");
	ok(ndjson_write(fp, rec) == 0 && fclose(fp) == 0, "write");
	is(slurp(path(scratch(), "out")), "{\"kind\":\"price\",\"a\":0.1,"
	    "\"b\":1.25e-7,\"n\":123456789012,\"s\":\"caf\xc3\xa9 \\\"q\\\"\"}\n",
	    "written compact, in order, shortest decimals");
	fp = fopen("/dev/full", "w");
	setvbuf(fp, NULL, _IONBF, 0);
	ok(fp != NULL && ndjson_write(fp, rec) == -1, "/dev/full fails");
	if (fp != NULL)
		fclose(fp);
	json_decref(rec);
	free(files[0]);

	/* A file of the project: regular, not a link, never waited on. */
	alarm(10);
	files[0] = strdup(path(scratch(), "fifo"));
	files[1] = NULL;
	ok(mkfifo(files[0], 0600) == 0, "a FIFO");
	capture();
	ok(ndjson_foreach(files, 100, counter, NULL) == -1 &&
	    has(captured(), "fifo: not a regular file"),
	    "a FIFO is refused at once");
	spew(path(scratch(), "target"), "{\"kind\":\"a\"}\n");
	files[2] = strdup(path(scratch(), "link"));
	files[3] = NULL;
	ok(symlink(path(scratch(), "target"), files[2]) == 0, "a link");
	capture();
	ok(ndjson_foreach(files + 2, 100, counter, NULL) == -1 &&
	    has(captured(), "link: a symbolic link"), "a link is refused");
	/* An operand, named by the user: a pipe, a link. */
	ndjson_operands(files);
	if (fork() == 0) {
		fp = fopen(files[0], "w");
		fputs("{\"kind\":\"a\"}\n", fp);
		_exit(fclose(fp) != 0);
	}
	count = 0;
	ok(ndjson_foreach(files, 100, counter, NULL) == 0 && count == 1,
	    "an operand may be a FIFO");
	wait(NULL);
	ndjson_operands(files + 2);
	count = 0;
	ok(ndjson_foreach(files + 2, 100, counter, NULL) == 0 && count == 1,
	    "or a link");
	ndjson_operands(NULL);
	alarm(0);

	/* A reader of a descriptor, from its offset, with each line's place
	 * in the file: what the GUI's index of scenarios reads again. */
	{
		struct ndjson_reader *r;
		const char *p = path(scratch(), "off.ndjson");
		size_t len;
		off_t off;
		int fd;

		spew(p, "{\"kind\":\"a\"}\n{\"kind\":\"bb\"}\n");
		fd = open(p, O_RDONLY);
		r = ndjson_reader_fdopen(fd, p, 100);
		ok(r != NULL && ndjson_reader_next(r, &rec) == 1, "fdopen: a "
		    "record");
		json_decref(rec);
		ok(ndjson_reader_next(r, &rec) == 1 &&
		    (off = ndjson_reader_offset(r, &len)) == 13 && len == 13,
		    "the second line at byte 13, 13 bytes");
		json_decref(rec);
		ok(ndjson_reader_next(r, &rec) == 0, "then the end");
		ndjson_reader_close(r);
	}
	free(files[0]);
	free(files[2]);
	return (done());
}
