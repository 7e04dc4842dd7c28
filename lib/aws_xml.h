#ifndef AWS_XML_H
#define AWS_XML_H

#include <stddef.h>

/*
 * The XML of AWS replies (query protocol, S3), read into a small tree:
 * elements with their text, namespaces ignored, attributes dropped.
 */

struct aws_xml {
	char *name;
	char *text;		/* the element's own text, trimmed */
	struct aws_xml *child, *next;
};

/**
 * aws_xml_parse(body, len):
 * Parse the ${len} bytes at ${body}; return the root element, or NULL if
 * it is not well-formed XML (reported with the line).
 */
struct aws_xml *aws_xml_parse(const char *, size_t);

/**
 * aws_xml_find(node, path):
 * The first element below ${node} along ${path} ("Credentials/AccessKeyId"
 * names children, then grandchildren), or NULL.
 */
const struct aws_xml *aws_xml_find(const struct aws_xml *, const char *);

/**
 * aws_xml_text(node, path):
 * The text of aws_xml_find(${node}, ${path}), or NULL.
 */
const char *aws_xml_text(const struct aws_xml *, const char *);

/**
 * aws_xml_free(node):
 * Free the tree ${node}.  NULL is a no-op.
 */
void aws_xml_free(struct aws_xml *);

#endif
