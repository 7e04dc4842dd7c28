'use strict';
// AWS Data Exports (bcm-data-exports): ListExports and GetExport of the
// management account's CUR 2.0 exports, their shapes, paging and errors,
// and the S3 location of every export holding its data. The AWS SDK for
// JavaScript has no Data Exports client here, so requests are signed with
// its signer and sent as AWS JSON 1.1, as the SDK would (Debian's awscli
// 2.9 predates bcm-data-exports).

const { test } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');
const { SignatureV4 } = require('@smithy/signature-v4');
const { Hash } = require('@smithy/hash-node');
const { parquetMetadata } = require('hyparquet');
const { S3Client, GetObjectCommand, ListObjectsV2Command } = require('@aws-sdk/client-s3');
const { STSClient, AssumeRoleCommand } = require('@aws-sdk/client-sts');
const { start } = require('./helper.js');

const M = '111111111111';
const A = '222222222222';

// Call ${action} of bcm-data-exports with ${input}, signed for us-east-1
// with ${creds} (default: the management account's keys): {status, body}.
async function call(e, action, input, creds) {
  const k = e.emu.org.keys[0];
  const signer = new SignatureV4({ service: 'bcm-data-exports', region: 'us-east-1',
    sha256: Hash.bind(null, 'sha256'),
    credentials: creds || { accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey } });
  const body = JSON.stringify(input);
  const port = e.server.address().port;
  const signed = await signer.sign({ method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port, path: '/',
    query: {}, body, headers: { host: `127.0.0.1:${port}`, 'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSBillingAndCostManagementDataExports.${action}` } });
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers: signed.headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, type: res.headers['content-type'],
        body: JSON.parse(Buffer.concat(chunks).toString()) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function ok(e, action, input, creds) {
  const r = await call(e, action, input, creds);
  assert.strictEqual(r.status, 200, JSON.stringify(r.body));
  assert.strictEqual(r.type, 'application/x-amz-json-1.1');
  return r.body;
}

async function error(e, action, input, code, creds) {
  const r = await call(e, action, input, creds);
  assert.ok(r.status >= 400, `${action}: ${r.status}`);
  assert.strictEqual(r.body.__type, code, JSON.stringify(r.body));
  return r.body;
}

// Every export, page by page of ${max}: [pages, exports].
async function listAll(e, max, creds) {
  const pages = [];
  let token;
  do {
    const r = await ok(e, 'ListExports', Object.assign({ MaxResults: max }, token ? { NextToken: token } : {}), creds);
    pages.push(r.Exports);
    token = r.NextToken;
  } while (token);
  return [pages, pages.flat()];
}

function writeOrg(dir, cur) {
  const org = {
    seed: 3, accounts: [{ id: M, name: 'management' }, { id: A, name: 'member-1' }],
    regions: ['us-east-1', 'eu-west-1'],
    tables: [{ account: M, region: 'us-east-1', name: 'orders', billingMode: 'PAY_PER_REQUEST', read: 5, write: 1,
      sizeBytes: 1e9 }, { account: A, region: 'eu-west-1', name: 'events', rcu: 10, wcu: 5, read: 2, write: 1,
      sizeBytes: 2e9 }],
    cur,
  };
  const file = path.join(dir, 'org.json');
  fs.writeFileSync(file, JSON.stringify(org));
  return file;
}

async function get(s3, Bucket, Key) {
  const r = await s3.send(new GetObjectCommand({ Bucket, Key }));
  return Buffer.from(await r.Body.transformToByteArray());
}

// The columns of data file ${buf}: a gzipped CSV's header or a Parquet
// file's top-level fields.
function columns(buf, format) {
  if (format === 'TEXT_OR_CSV') return zlib.gunzipSync(buf).toString().split('\n')[0].split(',');
  const meta = parquetMetadata(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));
  const out = [];
  // Top-level fields: a map column's key_value, key and value are its own.
  let skip = 0;
  for (const el of meta.schema.slice(1)) {
    if (skip > 0) {
      skip += (el.num_children || 0) - 1;
      continue;
    }
    out.push(el.name);
    skip = el.num_children || 0;
  }
  return out;
}

// Export ${x} (GetExport's Export) delivers its data where it says: a
// manifest per billing period naming its data files, whose columns are
// those its query selects.
async function delivered(e, x) {
  const s3 = new S3Client(e.config());
  const d = x.DestinationConfigurations.S3Destination;
  const out = d.S3OutputConfigurations;
  const root = `${d.S3Prefix}/${x.Name}`;
  const select = /^SELECT (.*) FROM COST_AND_USAGE_REPORT$/.exec(x.DataQuery.QueryStatement)[1].split(', ');
  const list = await s3.send(new ListObjectsV2Command({ Bucket: d.S3Bucket, Prefix: `${root}/metadata/` }));
  const manifests = (list.Contents || []).map((o) => o.Key);
  assert.strictEqual(manifests.length, e.emu.org.cur.months + 1, `${x.Name}: one manifest per billing period`);
  for (const key of manifests) {
    assert.match(key, new RegExp(`^${root}/metadata/BILLING_PERIOD=\\d{4}-\\d{2}/${x.Name}-Manifest\\.json$`));
    const m = JSON.parse(await get(s3, d.S3Bucket, key));
    assert.strictEqual(m.exportArn, x.ExportArn);
    assert.strictEqual(m.exportName, x.Name);
    assert.strictEqual(m.format, out.Format);
    assert.strictEqual(m.compression, out.Compression);
    assert.deepStrictEqual(m.columns.map((c) => c.name), select);
    assert.ok(m.dataFiles.length > 0);
    const period = key.split('/').at(-2);
    for (const f of m.dataFiles) {
      const k = f.slice(`s3://${d.S3Bucket}/`.length);
      assert.ok(f.startsWith(`s3://${d.S3Bucket}/${root}/data/${period}/`), f);
      assert.ok(k.endsWith(out.Format === 'PARQUET' ? '.snappy.parquet' : '.csv.gz'), k);
      assert.deepStrictEqual(columns(await get(s3, d.S3Bucket, k), out.Format), select, k);
    }
  }
}

test('the exports of a generated organization: shapes, and their data in S3', async (t) => {
  const e = await start();
  t.after(e.close);
  const org = e.emu.org;
  const [, all] = await listAll(e, 300);
  assert.deepStrictEqual(all.map((x) => x.ExportName), org.cur.exports.map((x) => x.name));
  for (const ref of all) {
    assert.match(ref.ExportArn, new RegExp(`^arn:aws:bcm-data-exports:us-east-1:${org.management}:export/` +
      `${ref.ExportName}-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$`));
    assert.strictEqual(ref.ExportStatus.StatusCode, 'HEALTHY');
    for (const f of ['CreatedAt', 'LastUpdatedAt', 'LastRefreshedAt']) {
      assert.ok(Number.isInteger(ref.ExportStatus[f]), f);
    }
    const r = await ok(e, 'GetExport', { ExportArn: ref.ExportArn });
    const x = r.Export;
    assert.strictEqual(r.ExportStatus.StatusCode, 'HEALTHY');
    assert.strictEqual(x.ExportArn, ref.ExportArn);
    assert.strictEqual(x.Name, ref.ExportName);
    assert.match(x.DataQuery.QueryStatement, /^SELECT bill_bill_type, .*line_item_resource_id, .* FROM COST_AND_USAGE_REPORT$/);
    assert.deepStrictEqual(x.DataQuery.TableConfigurations, { COST_AND_USAGE_REPORT: {
      TIME_GRANULARITY: org.cur.timeUnit, INCLUDE_RESOURCES: 'TRUE',
      INCLUDE_MANUAL_DISCOUNT_COMPATIBILITY: 'FALSE', INCLUDE_SPLIT_COST_ALLOCATION_DATA: 'FALSE' } });
    const parquet = x.Name === `${org.cur.report}-cur2`;
    assert.deepStrictEqual(x.DestinationConfigurations, { S3Destination: {
      S3Bucket: org.cur.bucket, S3Prefix: org.cur.prefix, S3Region: 'us-east-1',
      S3OutputConfigurations: { OutputType: 'CUSTOM', Format: parquet ? 'PARQUET' : 'TEXT_OR_CSV',
        Compression: parquet ? 'PARQUET' : 'GZIP', Overwrite: 'OVERWRITE_REPORT' } } });
    assert.deepStrictEqual(x.RefreshCadence, { Frequency: 'SYNCHRONOUS' });
    await delivered(e, x);
  }
});

test('paging, granularity, resource ids, other tables, errors, other accounts', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'optima-exports-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((x) => `export-${x}`);
  const file = writeOrg(dir, { bucket: 'billing', prefix: 'exports/cur2', months: 1, reports: [],
    exports: names.map((name, i) => ({ name, format: i % 2 ? 'TEXT_OR_CSV' : 'PARQUET',
      timeUnit: ['HOURLY', 'DAILY', 'MONTHLY'][i % 3], resources: i !== 3,
      ...(i === 6 ? { table: 'FOCUS_1_0_AWS' } : {}) })) });
  const e = await start({ org: file, faults: 'deny=bcm-data-exports:GetExport@first:1' });
  t.after(e.close);

  const [pages, all] = await listAll(e, 3);
  assert.deepStrictEqual(pages.map((p) => p.length), [3, 3, 1]);
  assert.deepStrictEqual(all.map((x) => x.ExportName), names);
  assert.deepStrictEqual((await ok(e, 'ListExports', {})).Exports.map((x) => x.ExportName), names);

  // The deny rule: the first GetExport only, counted.
  await error(e, 'GetExport', { ExportArn: all[0].ExportArn }, 'AccessDeniedException');
  assert.strictEqual(e.emu.faults.counts.deny, 1);
  for (const [i, ref] of all.entries()) {
    const x = (await ok(e, 'GetExport', { ExportArn: ref.ExportArn })).Export;
    if (i === 6) {
      assert.strictEqual(x.DataQuery.QueryStatement, 'SELECT * FROM FOCUS_1_0_AWS');
      assert.deepStrictEqual(x.DataQuery.TableConfigurations, {});
      const none = await new S3Client(e.config()).send(new ListObjectsV2Command({ Bucket: 'billing',
        Prefix: `exports/cur2/${x.Name}/` }));
      assert.strictEqual(none.KeyCount, 0, 'only CUR exports are delivered');
      continue;
    }
    const c = x.DataQuery.TableConfigurations.COST_AND_USAGE_REPORT;
    assert.strictEqual(c.TIME_GRANULARITY, ['HOURLY', 'DAILY', 'MONTHLY'][i % 3]);
    assert.strictEqual(c.INCLUDE_RESOURCES, i === 3 ? 'FALSE' : 'TRUE');
    assert.strictEqual(x.DataQuery.QueryStatement.includes('line_item_resource_id'), i !== 3);
    assert.strictEqual(x.DestinationConfigurations.S3Destination.S3Prefix, 'exports/cur2');
    await delivered(e, x);
  }

  await error(e, 'ListExports', { MaxResults: 0 }, 'ValidationException');
  await error(e, 'ListExports', { MaxResults: 301 }, 'ValidationException');
  await error(e, 'ListExports', { NextToken: 'bm9wZQ==' }, 'ValidationException');
  await error(e, 'GetExport', {}, 'ValidationException');
  await error(e, 'GetExport', { ExportArn: 'export-a' }, 'ValidationException');
  await error(e, 'GetExport', { ExportArn: `arn:aws:bcm-data-exports:us-east-1:${M}:export/nope-1` },
    'ResourceNotFoundException');
  await error(e, 'DeleteExport', { ExportArn: all[0].ExportArn }, 'UnknownOperationException');

  // A member account has no exports and cannot see the management's.
  const role = await new STSClient(e.config()).send(new AssumeRoleCommand({
    RoleArn: `arn:aws:iam::${A}:role/${e.emu.org.roleName}`, RoleSessionName: 'exports' }));
  const member = { accessKeyId: role.Credentials.AccessKeyId, secretAccessKey: role.Credentials.SecretAccessKey,
    sessionToken: role.Credentials.SessionToken };
  assert.deepStrictEqual(await ok(e, 'ListExports', {}, member), { Exports: [] });
  await error(e, 'GetExport', { ExportArn: all[0].ExportArn }, 'ResourceNotFoundException', member);

  // A bad signature is refused as for every service.
  const k = e.emu.org.keys[0];
  await error(e, 'ListExports', {}, 'com.amazon.coral.service#InvalidSignatureException',
    { accessKeyId: k.accessKeyId, secretAccessKey: 'wrong' });
});

test('a denied account, a throttled call', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'optima-exports-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const e = await start({ org: writeOrg(dir, { months: 1 }),
    faults: `deny-account=${M},throttle=bcm-data-exports:ListExports@first:1` });
  t.after(e.close);
  // Throttling comes first (faults before the account's denial).
  await error(e, 'ListExports', {}, 'ThrottlingException');
  await error(e, 'ListExports', {}, 'AccessDeniedException');
  assert.strictEqual(e.emu.faults.counts.throttle, 1);
  assert.strictEqual(e.emu.faults.counts.deny, 1);
});
