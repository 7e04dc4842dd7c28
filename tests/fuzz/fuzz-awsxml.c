/*
 * fuzz-awsxml - a libFuzzer entry point for the XML replies (lib/aws_xml.c)
 * and the AWS error replies of every protocol (lib/aws_error.c)
 *
 * The input is parsed as XML, and the paths optima reads from query and S3
 * replies looked up; then it is read as the error body of a JSON, a query
 * and an S3 service.
 */

#include <stddef.h>
#include <stdint.h>

#include "aws_endpoint.h"
#include "aws_error.h"
#include "aws_xml.h"
#include "fuzzfile.h"

volatile size_t fuzz_sink;

static const char *const paths[] = {
	"AssumeRoleResult/Credentials/AccessKeyId",
	"AssumeRoleResult/Credentials/Expiration",
	"GetCallerIdentityResult/Arn",
	"Error/Code", "Error/Message", "Code", "Message", "RequestId",
	"Contents/Key", "Contents/Size", "IsTruncated", "NextContinuationToken",
	"DescribeRegionsResult/regionInfo/item/regionName",
	NULL
};

static const char *const services[] = {
	"dynamodb", "sts", "s3", "cloudwatch", "pricing", NULL
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct aws_service *svc;
	const struct aws_xml *n;
	struct aws_xml *x;
	struct aws_error e;
	const char *t;
	size_t i;

	if ((x = aws_xml_parse((const char *)data, size)) != NULL) {
		for (i = 0; paths[i] != NULL; i++) {
			if ((t = aws_xml_text(x, paths[i])) != NULL)
				fuzz_sink += (unsigned char)t[0];
			for (n = aws_xml_find(x, paths[i]); n != NULL;
			    n = n->next)
				fuzz_sink += n->child != NULL;
		}
		aws_xml_free(x);
	}
	for (i = 0; services[i] != NULL; i++) {
		if ((svc = aws_service_find(services[i])) == NULL)
			continue;
		aws_error_parse(&e, svc, 400, i % 2 ? "Throttling;Sender" :
		    NULL, "rid", (const char *)data, size);
		fuzz_sink += (size_t)e.retry + (unsigned char)e.code[0] +
		    (unsigned char)e.message[0];
	}
	return (0);
}
