#ifndef USAGETYPE_H
#define USAGETYPE_H

/*
 * DynamoDB's usage types, as the Price List and the Cost and Usage Report
 * spell them: "[PREFIX-][IA-]NAME", where PREFIX is the region's billing
 * prefix (none in us-east-1, "EU" in eu-west-1, "USE2", "APS2", ...
 * elsewhere), IA- marks the Standard-IA table class, and NAME is the
 * dimension ("ReadRequestUnits", "TimedStorage-ByteHrs", ...).
 */

/**
 * usagetype_is(u, name, ia):
 * Non-zero if the usage type ${u} is ${name} with an optional region
 * prefix (upper-case letters and digits, then a dash) and an optional
 * "IA-"; then *${ia} is 1 if "IA-" was there, else 0.
 */
int usagetype_is(const char *, const char *, int *);

/**
 * usagetype_match(u, names, n, ia):
 * The index of the first of the ${n} names ${names} that the usage type
 * ${u} is (see usagetype_is), setting *${ia}; -1 if none.
 */
int usagetype_match(const char *, const char *const *, int, int *);

#endif
