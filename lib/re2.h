#ifndef RE2_H
#define RE2_H

/*
 * Regular expressions in the subset RE2 accepts, matched by PCRE2: what
 * the original tool's table filters took (RE2 syntax), so that a pattern
 * means the same here as there.  Backreferences, lookahead and lookbehind,
 * atomic groups, possessive quantifiers, \C, recursion, conditionals,
 * callouts, backtracking verbs and \K are refused, since RE2 has none of
 * them (and they can make matching slow); so are counted repetitions
 * above {1000}, and nested ones whose counts multiply to more than 1000,
 * as RE2 refuses them.
 *
 * RE2 matches in time linear in the text; PCRE2 backtracks, and a pattern
 * such as (\w*){1,1000}\W could take it hours.  So each match is bounded
 * (two million steps of PCRE2's matcher over the whole name, a
 * backtracking depth of 1000, 16 MiB of memory), to tens of milliseconds
 * at most, and one that needs more is an error, not a "no match".
 */

struct re2;

/**
 * re2_compile(pattern, what):
 * Check that ${pattern} is in the RE2 subset and compile it (UTF-8,
 * unanchored: it matches if it matches part of a name).  Return the
 * compiled pattern, or NULL if it is not in the subset or does not
 * compile (reported as "${what} PATTERN: reason", e.g. what is
 * "--table-regex"), or on allocation failure.
 */
struct re2 *re2_compile(const char *, const char *);

/**
 * re2_check(pattern, why):
 * Return 0 if ${pattern} uses only what RE2 has, else -1 with ${why}
 * pointing at a static description of the first construct it lacks.
 * Nothing is reported; compilation errors are not found here.
 */
int re2_check(const char *, const char **);

/**
 * re2_match(re, s):
 * Return 1 if ${re} matches (part of) the string ${s}, 0 if it does not,
 * or -1 if finding out takes more than the limits allow (reported as
 * "${what} PATTERN: matching a name of N bytes takes more steps than
 * allowed ...") or on another PCRE2 error such as ${s} not being UTF-8
 * (reported).  A caller must treat -1 as an error, not as a match.
 */
int re2_match(const struct re2 *, const char *);

/**
 * re2_free(re):
 * Free ${re}.  NULL is a no-op.
 */
void re2_free(struct re2 *);

#endif
