'use strict';
// AWS Data Exports (bcm-data-exports, AWS JSON 1.1): ListExports and
// GetExport, the CUR 2.0 exports of the management account (org.cur
// exports, whose files curdata.js delivers to S3). Other accounts have
// none.

const { page, fail } = require('./dynamodb.js');
const { exportArn, cur2Columns } = require('../curdata.js');

// ListExports: MaxResults 1..300; without it, this many a page.
const MAX = 300;
const PAGE = 20;
const ARN = /^arn:[-a-z0-9]{1,63}:bcm-data-exports:[-a-z0-9]{0,63}:[0-9]{12}:export\/.+$/;
// Export definitions are a year old and refreshed daily.
const DAY = 86400;

function validation(message) {
  return fail(400, 'ValidationException', message);
}

// The export's status: healthy, refreshed at the start of today.
function status(ctx, e) {
  const now = Math.floor(ctx.now() / 1000);
  const created = now - now % DAY - 365 * DAY;
  return { StatusCode: 'HEALTHY', CreatedAt: created, LastUpdatedAt: created,
    LastRefreshedAt: now - now % DAY };
}

// The query of export ${e}: the CUR 2.0 columns it delivers (all but the
// resource id without INCLUDE_RESOURCES) from its table.
function query(e) {
  if (e.table !== 'COST_AND_USAGE_REPORT') return `SELECT * FROM ${e.table}`;
  const cols = cur2Columns().map((c) => c.name).filter((n) => e.resources || n !== 'line_item_resource_id');
  return `SELECT ${cols.join(', ')} FROM COST_AND_USAGE_REPORT`;
}

function tableConfigurations(e) {
  if (e.table !== 'COST_AND_USAGE_REPORT') return {};
  return { COST_AND_USAGE_REPORT: { TIME_GRANULARITY: e.timeUnit,
    INCLUDE_RESOURCES: e.resources ? 'TRUE' : 'FALSE',
    INCLUDE_MANUAL_DISCOUNT_COMPATIBILITY: 'FALSE', INCLUDE_SPLIT_COST_ALLOCATION_DATA: 'FALSE' } };
}

function definition(ctx, e) {
  const cur = ctx.org.cur;
  return {
    ExportArn: exportArn(ctx.org, e), Name: e.name,
    Description: `${e.name}: ${e.format === 'PARQUET' ? 'Parquet' : 'CSV'} CUR 2.0`,
    DataQuery: { QueryStatement: query(e), TableConfigurations: tableConfigurations(e) },
    DestinationConfigurations: { S3Destination: { S3Bucket: cur.bucket, S3Prefix: cur.prefix,
      S3Region: cur.region, S3OutputConfigurations: { OutputType: 'CUSTOM', Format: e.format,
        Compression: e.compression, Overwrite: e.overwrite } } },
    RefreshCadence: { Frequency: 'SYNCHRONOUS' },
  };
}

// The exports the caller's account sees.
function exportsOf(ctx) {
  return ctx.account === ctx.org.management ? ctx.org.cur.exports : [];
}

const actions = {
  ListExports(ctx, p) {
    const max = p.MaxResults === undefined ? PAGE : p.MaxResults;
    if (!Number.isInteger(max) || max < 1 || max > MAX) {
      throw validation(`1 validation error detected: Value '${p.MaxResults}' at 'maxResults' failed to ` +
        `satisfy constraint: Member must have value ${max < 1 ? 'greater' : 'less'} than or equal to ${max < 1 ? 1 : MAX}`);
    }
    if (p.NextToken !== undefined && (typeof p.NextToken !== 'string' || p.NextToken.length > 8192)) {
      throw validation('Invalid NextToken');
    }
    const all = exportsOf(ctx).map((e) => ({ ExportArn: exportArn(ctx.org, e), ExportName: e.name,
      ExportStatus: status(ctx, e) }));
    const [items, next] = page(all, max, p.NextToken || undefined);
    return next ? { Exports: items, NextToken: next } : { Exports: items };
  },

  GetExport(ctx, p) {
    if (typeof p.ExportArn !== 'string' || !ARN.test(p.ExportArn)) {
      throw validation(`1 validation error detected: Value '${p.ExportArn === undefined ? 'null' : p.ExportArn}' ` +
        'at \'exportArn\' failed to satisfy constraint: Member must satisfy regular expression pattern: ' +
        'arn:[-a-z0-9]{1,63}:bcm-data-exports:[-a-z0-9]{0,63}:[0-9]{12}:export/.+');
    }
    const e = exportsOf(ctx).find((x) => exportArn(ctx.org, x) === p.ExportArn);
    if (!e) throw fail(400, 'ResourceNotFoundException', `Export ${p.ExportArn} does not exist.`);
    return { Export: definition(ctx, e), ExportStatus: status(ctx, e) };
  },
};

module.exports = { protocol: 'json', version: '1.1', target: 'AWSBillingAndCostManagementDataExports', actions };
