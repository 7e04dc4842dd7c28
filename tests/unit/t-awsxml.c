#include <stdio.h>
#include <string.h>

#include "aws_xml.h"
#include "tap.h"

int
main(void)
{
	const char *sts =
	    "<?xml version=\"1.0\"?>\n"
	    "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
	    "  <AssumeRoleResult>\n"
	    "    <Credentials>\n"
	    "      <AccessKeyId>ASIAEXAMPLE</AccessKeyId>\n"
	    "      <SecretAccessKey>s&amp;cret</SecretAccessKey>\n"
	    "      <Expiration>2026-11-25T11:00:00Z</Expiration>\n"
	    "    </Credentials>\n"
	    "  </AssumeRoleResult>\n"
	    "  <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>\n"
	    "</AssumeRoleResponse>\n";
	const char *list = "<ListBucketResult><Contents><Key>a</Key></Contents>"
	    "<Contents><Key>b</Key></Contents><s3:X xmlns:s3=\"u\">y</s3:X>"
	    "</ListBucketResult>";
	const struct aws_xml *c;
	struct aws_xml *x;
	int n;

	plan(9);
	ok((x = aws_xml_parse(sts, strlen(sts))) != NULL, "parse");
	is(x->name, "AssumeRoleResponse", "root");
	is(aws_xml_text(x, "AssumeRoleResult/Credentials/AccessKeyId"),
	    "ASIAEXAMPLE", "nested text, trimmed");
	is(aws_xml_text(x, "AssumeRoleResult/Credentials/SecretAccessKey"),
	    "s&cret", "entities decoded");
	is(aws_xml_text(x, "AssumeRoleResult/Nope"), NULL, "missing path");
	aws_xml_free(x);

	x = aws_xml_parse(list, strlen(list));
	for (n = 0, c = x ? x->child : NULL; c != NULL; c = c->next)
		n += strcmp(c->name, "Contents") == 0;
	is_int(n, 2, "repeated elements are siblings");
	is(aws_xml_text(x, "X"), "y", "prefix dropped");
	aws_xml_free(x);

	capture();
	ok(aws_xml_parse("<a><b></a>", 10) == NULL, "mismatched tag");
	ok(strstr(captured(), "XML reply, line 1") != NULL, "error has line");
	return (done());
}
