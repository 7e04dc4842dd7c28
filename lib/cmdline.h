#ifndef CMDLINE_H
#define CMDLINE_H

/*
 * What every program's command line shares: lists given as "a,b,c".
 */

/**
 * cmdline_list(s, valid, what):
 * Split ${s} ("a,b,c"; cut up in place) into a malloced, NULL-terminated
 * array of its items, each of which must pass ${valid} (NULL: any
 * non-empty item).  Return NULL if an item is invalid (reported as an
 * invalid ${what}), if there is none, or on allocation failure.
 */
char **cmdline_list(char *, int (*)(const char *), const char *);

#endif
