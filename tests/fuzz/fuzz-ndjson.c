/*
 * fuzz-ndjson - a libFuzzer entry point for the NDJSON record reader
 *
 * The input is a file of records: each is read (with a small line cap, so
 * that over-long lines are met too) and written back; then the same file
 * is read again line by line.  Errors are expected; crashes, reads out of
 * bounds and leaks are not.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "fuzzfile.h"
#include "ndjson.h"

volatile size_t fuzz_sink;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	struct ndjson_reader *r;
	const char *path, *line;
	size_t len;
	json_t *rec;

	if (null == NULL && (null = fopen("/dev/null", "w")) == NULL)
		return (0);
	if ((path = fuzzfile_write("in.ndjson", data, size)) == NULL)
		return (0);
	if ((r = ndjson_reader_open(path, 4096)) == NULL)
		return (0);
	while (ndjson_reader_next(r, &rec) == 1) {
		fuzz_sink += ndjson_reader_pos(r)->line;
		ndjson_write(null, rec);
		json_decref(rec);
	}
	ndjson_reader_close(r);
	if ((r = ndjson_reader_open(path, 4096)) == NULL)
		return (0);
	while (ndjson_reader_line(r, &line, &len) == 1)
		fuzz_sink += len > 0 ? (unsigned char)line[len - 1] : 0;
	ndjson_reader_close(r);
	return (0);
}
