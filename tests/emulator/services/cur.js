'use strict';
// Cost and Usage Report Service (AWS JSON 1.1): DescribeReportDefinitions,
// the legacy report definitions of the management account (org.cur, the
// reports curdata.js delivers to S3). Other accounts have none.

const { page, fail } = require('./dynamodb.js');

// The model bounds MaxResults to exactly 5, which is also the page size.
const PAGE = 5;

function definition(cur, r) {
  return {
    ReportName: r.name, TimeUnit: r.timeUnit, Format: r.format, Compression: r.compression,
    AdditionalSchemaElements: r.resources ? ['RESOURCES'] : [],
    S3Bucket: cur.bucket, S3Prefix: cur.prefix, S3Region: cur.region,
    AdditionalArtifacts: r.artifacts, RefreshClosedReports: true, ReportVersioning: r.versioning,
  };
}

const actions = {
  DescribeReportDefinitions(ctx, p) {
    if (p.MaxResults !== undefined && p.MaxResults !== PAGE) {
      const bound = p.MaxResults < PAGE ? 'greater' : 'less';
      throw fail(400, 'ValidationException', `1 validation error detected: Value '${p.MaxResults}' at ` +
        `'maxResults' failed to satisfy constraint: Member must have value ${bound} than or equal to ${PAGE}`);
    }
    const cur = ctx.org.cur;
    const all = ctx.account === ctx.org.management ? cur.reports.map((r) => definition(cur, r)) : [];
    const [items, next] = page(all, PAGE, p.NextToken);
    return next ? { ReportDefinitions: items, NextToken: next } : { ReportDefinitions: items };
  },
};

module.exports = { protocol: 'json', version: '1.1', target: 'AWSOrigamiServiceGatewayService', actions };
