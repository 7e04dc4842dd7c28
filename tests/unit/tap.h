#ifndef TAP_H
#define TAP_H

/*
 * A small TAP producer for the C unit tests: prove reads what they print.
 */

/* Announce ${n} tests. */
void plan(int);

/* Report a test: passes if ${cond}; return ${cond}. */
int ok(int, const char *, ...) __attribute__((format(printf, 2, 3)));

/* Compare strings (NULL allowed); report a difference. */
int is(const char *, const char *, const char *, ...)
    __attribute__((format(printf, 3, 4)));

/* Compare integers; report a difference. */
int is_int(long long, long long, const char *, ...)
    __attribute__((format(printf, 3, 4)));

/* Exit status for main: 0 if every test passed and the plan was met. */
int done(void);

/* Print the plan after the tests (for data-driven counts); exit status. */
int done_testing(void);

/* Make a fresh scratch directory for this test; return its path. */
const char *scratch(void);

/* Join ${dir} and ${name} into a static buffer (one of four in turn). */
const char *path(const char *, const char *);

/* Write ${text} to the file ${p}, replacing it. */
void spew(const char *, const char *);

/* Read the file ${p} into a static buffer; NULL if missing. */
const char *slurp(const char *);

/* Start capturing standard error; stop and return what was written. */
void capture(void);
const char *captured(void);

#endif
