#include <string.h>

#include "usagetype.h"

/**
 * usagetype_is(u, name, ia):
 * Non-zero if the usage type ${u} is ${name} with an optional region
 * prefix (upper-case letters and digits, then a dash) and an optional
 * "IA-"; then *${ia} is 1 if "IA-" was there, else 0.
 */
int
usagetype_is(const char *u, const char *name, int *ia)
{
	size_t n = strlen(u), m = strlen(name), j;
	int i;

	/* The name is at the end: what comes before it is parsed from the
	 * right, so "IA-" is never taken for a region's prefix. */
	if (n < m || strcmp(u + n - m, name) != 0)
		return (0);
	n -= m;
	if ((i = n >= 3 && strncmp(u + n - 3, "IA-", 3) == 0))
		n -= 3;
	if (n == 0) {
		*ia = i;
		return (1);
	}
	/* What is left is the region's prefix and a dash: "EU-". */
	if (n < 2 || u[n - 1] != '-')
		return (0);
	for (j = 0; j < n - 1; j++)
		if (!(u[j] >= 'A' && u[j] <= 'Z') &&
		    !(u[j] >= '0' && u[j] <= '9'))
			return (0);
	*ia = i;
	return (1);
}

/**
 * usagetype_match(u, names, n, ia):
 * The index of the first of the ${n} names ${names} that the usage type
 * ${u} is (see usagetype_is), setting *${ia}; -1 if none.
 */
int
usagetype_match(const char *u, const char *const *names, int n, int *ia)
{
	int i;

	for (i = 0; i < n; i++)
		if (usagetype_is(u, names[i], ia))
			return (i);
	return (-1);
}
