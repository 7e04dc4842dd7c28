#ifndef FUZZFILE_H
#define FUZZFILE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Helpers of the fuzz targets (tests/fuzz/fuzz-*.c): their inputs as the
 * files the code under test reads, in a scratch directory of the process,
 * removed at exit.
 */

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/**
 * fuzzfile_dir():
 * The scratch directory of this process (made on first use), or NULL
 * (reported).
 */
const char *fuzzfile_dir(void);

/**
 * fuzzfile_write(name, data, size):
 * Write ${size} bytes at ${data} to the file ${name} of the scratch
 * directory (its parent directories made), replacing it; return its
 * path (static storage, valid until the next call), or NULL (reported).
 */
const char *fuzzfile_write(const char *, const void *, size_t);

/**
 * fuzzfile_split(data, size, parts, lens, n):
 * Split the input at the lines "%%" into at most ${n} parts: ${parts}[i]
 * and ${lens}[i], missing ones empty.  Return how many there were.
 */
size_t fuzzfile_split(const uint8_t *, size_t, const uint8_t **, size_t *,
    size_t);

/**
 * fuzzfile_clean():
 * Remove every file of the scratch directory (not the directory).
 */
void fuzzfile_clean(void);

#endif
