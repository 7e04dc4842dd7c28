'use strict';
// The Cost and Usage Report: report definitions through the SDK, and the
// files in S3 (legacy CSV.gz and Parquet, CUR 2.0 Parquet and CSV.gz)
// checked against the organization: storage from table sizes, throughput
// from capacity and mean traffic, priced from the price list.

const { test } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');
const { parquetReadObjects } = require('hyparquet');
const { S3Client, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command } = require('@aws-sdk/client-s3');
const { CostAndUsageReportServiceClient, DescribeReportDefinitionsCommand, paginateDescribeReportDefinitions } =
  require('@aws-sdk/client-cost-and-usage-report-service');
const { STSClient, AssumeRoleCommand } = require('@aws-sdk/client-sts');
const pricelist = require('../pricelist.js');
const { start } = require('./helper.js');

const GB = 1024 ** 3;
const DAY = 86400000;
// AWS's billing codes of the regions, as inter-region transfer spells them.
const CODES = { 'us-east-1': 'USE1', 'us-west-2': 'USW2', 'eu-west-1': 'EU', 'ap-southeast-2': 'APS2' };

function ymd(ms) { return new Date(ms).toISOString().slice(0, 10).replace(/-/g, ''); }

// The billing periods of ${months} complete months and the current one,
// with data up to the start of today: {start, end, dataEnd}.
function periods(months) {
  const d = new Date();
  const today = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const out = [];
  for (let i = months; i >= 0; i--) {
    const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - i, 1);
    const end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - i + 1, 1);
    out.push({ start, end, dataEnd: Math.min(end, today) });
  }
  return out;
}

function table(account, region, name, f) {
  return Object.assign({ account, region, name, billingMode: 'PAY_PER_REQUEST', tableClass: 'STANDARD',
    rcu: 0, wcu: 0, read: 0, write: 0, sizeBytes: 10 * GB, itemCount: 1000,
    created: Date.UTC(2024, 0, 1) / 1000, gsis: [], replicas: [], tags: { team: 'data', env: 'prod' } }, f);
}

// An organization with every kind of line item: reserved capacity, both
// table classes and billing modes, global tables, a table created last
// month.
function writeOrg(dir, cur) {
  const now = new Date();
  const created = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 11, 6) / 1000;
  const [m, a] = ['111111111111', '222222222222'];
  const org = {
    seed: 5, accounts: [{ id: m, name: 'management' }, { id: a, name: 'member-1' }],
    regions: ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2'],
    tables: [
      table(m, 'us-east-1', 'orders', { billingMode: 'PROVISIONED', rcu: 2000, wcu: 1200, read: 500, write: 100,
        sizeBytes: 200 * GB, gsis: [{ name: 'by-customer', rcu: 100, wcu: 50, read: 10, write: 5,
          sizeBytes: 5 * GB, itemCount: 10 }] }),
      table(m, 'eu-west-1', 'events', { tableClass: 'STANDARD_INFREQUENT_ACCESS', read: 12.5, write: 3.25,
        sizeBytes: 3 * 1024 * GB, gsis: [{ name: 'by-date', rcu: 0, wcu: 0, read: 1, write: 3.25,
          sizeBytes: 1024 * GB, itemCount: 10 }] }),
      table(a, 'ap-southeast-2', 'archive', { billingMode: 'PROVISIONED', tableClass: 'STANDARD_INFREQUENT_ACCESS',
        rcu: 20, wcu: 10, read: 0.5, write: 0.2, sizeBytes: 5 * 1024 * GB, created }),
      table(a, 'us-east-1', 'carts', { read: 80, write: 40, replicas: ['us-west-2'] }),
      table(a, 'us-west-2', 'carts', { read: 60, write: 40, replicas: ['us-east-1'] }),
      table(m, 'us-east-1', 'ledger', { billingMode: 'PROVISIONED', rcu: 50, wcu: 30, read: 20, write: 10,
        replicas: ['eu-west-1'] }),
      table(m, 'eu-west-1', 'ledger', { billingMode: 'PROVISIONED', rcu: 40, wcu: 30, read: 15, write: 10,
        replicas: ['us-east-1'], tags: { team: 'payments', env: 'prod' } }),
    ],
    cur,
  };
  const file = path.join(dir, 'org.json');
  fs.writeFileSync(file, JSON.stringify(org));
  return file;
}

// RFC 4180 rows of ${text} as objects keyed by the header.
function csv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\n') {
      row.push(cell); rows.push(row); row = []; cell = '';
    } else cell += c;
  }
  const [head, ...body] = rows;
  return { head, rows: body.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]]))) };
}

async function get(s3, Bucket, Key) {
  const r = await s3.send(new GetObjectCommand({ Bucket, Key }));
  return Buffer.from(await r.Body.transformToByteArray());
}

async function parquet(buf) {
  const file = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length);
  return parquetReadObjects({ file });
}

// Line items in one naming: {account, region, resource, usageType,
// operation, type, term, start (ms), amount, rate, cost, net, product}.
function legacy(r) {
  return { account: r['lineItem/UsageAccountId'], region: r['product/region'], resource: r['lineItem/ResourceId'],
    usageType: r['lineItem/UsageType'], operation: r['lineItem/Operation'], type: r['lineItem/LineItemType'],
    term: r['pricing/term'], start: Date.parse(r['lineItem/UsageStartDate']), amount: Number(r['lineItem/UsageAmount']),
    rate: Number(r['lineItem/UnblendedRate']), cost: Number(r['lineItem/UnblendedCost']),
    net: Number(r['lineItem/NetUnblendedCost']), product: r['product/ProductName'], code: r['lineItem/ProductCode'],
    team: r['resourceTags/user:team'] };
}
function athena(r) {
  return { account: r.line_item_usage_account_id, region: r.product_region, resource: r.line_item_resource_id,
    usageType: r.line_item_usage_type, operation: r.line_item_operation, type: r.line_item_line_item_type,
    term: r.pricing_term, start: new Date(r.line_item_usage_start_date).getTime(), amount: r.line_item_usage_amount,
    rate: Number(r.line_item_unblended_rate), cost: r.line_item_unblended_cost, net: r.line_item_net_unblended_cost,
    product: r.product_product_name, code: r.line_item_product_code, team: r.resource_tags_user_team };
}
function cur2(r) {
  const product = typeof r.product === 'string' ? JSON.parse(r.product) : r.product;
  const tags = typeof r.resource_tags === 'string' ? JSON.parse(r.resource_tags) : r.resource_tags;
  const num = (x) => (typeof x === 'string' ? Number(x) : x);
  return { account: r.line_item_usage_account_id, region: r.product_region_code, resource: r.line_item_resource_id,
    usageType: r.line_item_usage_type, operation: r.line_item_operation, type: r.line_item_line_item_type,
    term: r.pricing_term, start: new Date(r.line_item_usage_start_date).getTime(), amount: num(r.line_item_usage_amount),
    rate: Number(r.line_item_unblended_rate), cost: num(r.line_item_unblended_cost),
    net: num(r.line_item_net_unblended_cost), product: product.product_name, code: r.line_item_product_code,
    team: tags.user_team || '' };
}

function close(a, b, what) {
  assert.ok(Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b)), `${what}: ${a} != ${b}`);
}

// The same line items, whatever the naming or format.
function sameItems(a, b, what) {
  const k = (x) => [x.account, x.region, x.resource, x.usageType, x.operation, x.type, x.start].join('|');
  assert.strictEqual(a.length, b.length, what);
  const by = new Map(b.map((x) => [k(x), x]));
  for (const x of a) {
    const y = by.get(k(x));
    assert.ok(y, `${what}: ${k(x)}`);
    close(x.amount, y.amount, what);
    close(x.cost, y.cost, what);
    close(x.net, y.net, what);
    assert.strictEqual(x.rate, y.rate, what);
    assert.deepStrictEqual([x.term, x.product, x.code, x.team], [y.term, y.product, y.code, y.team], what);
  }
}

function sum(items, f) { return items.filter(f).reduce((a, x) => a + x.amount, 0); }

// Line items of period ${p} agree with the organization's tables.
function checkAgainstOrg(org, p, items, what) {
  const monthSec = (p.end - p.start) / 1000;
  for (const t of org.tables) {
    const sec = Math.max(0, (p.dataEnd - Math.max(p.start, t.created * 1000)) / 1000);
    const mine = items.filter((x) => x.resource === t.arn);
    const ut = pricelist.usageTypes(t.region, t.tableClass);
    const price = pricelist.unitPrices(t.region, t.tableClass);
    const label = `${what} ${t.arn}`;
    const gsi = (f) => t.gsis.reduce((a, g) => a + f(g), 0);
    const storage = mine.filter((x) => x.usageType === ut.storageGbMonth);
    close(sum(storage, () => true), (t.sizeBytes + gsi((g) => g.sizeBytes)) / GB * sec / monthSec, `${label} storage`);
    close(storage.reduce((a, x) => a + x.cost, 0), sum(storage, () => true) * price.storageGbMonth, `${label} storage cost`);
    for (const x of mine) {
      assert.ok(x.usageType.startsWith(pricelist.usagePrefix(t.region)), `${label} ${x.usageType}`);
      assert.strictEqual(x.account, t.account);
      assert.strictEqual(x.region, t.region);
      const throughputOrStorage = /RequestUnits|CapacityUnit-Hrs|TimedStorage-ByteHrs/.test(x.usageType) &&
        !/PITR/.test(x.usageType);
      if (throughputOrStorage && x.type === 'Usage') {
        assert.strictEqual(x.usageType.includes('IA-'), t.tableClass === 'STANDARD_INFREQUENT_ACCESS', `${label} ${x.usageType}`);
      }
    }
    const repl = (x) => /ReplWrite/.test(x.usageType);
    if (t.billingMode === 'PROVISIONED') {
      close(sum(mine, (x) => /ReadCapacityUnit-Hrs$/.test(x.usageType)), (t.rcu + gsi((g) => g.rcu)) * sec / 3600, `${label} RCU-hours`);
      close(sum(mine, (x) => /WriteCapacityUnit-Hrs$/.test(x.usageType)), (t.wcu + gsi((g) => g.wcu)) * sec / 3600, `${label} WCU-hours`);
      close(sum(mine, (x) => x.usageType === ut.replicatedWcuHour), t.replicas.length ? t.wcu * sec / 3600 : 0, `${label} rWCU-hours`);
      assert.ok(!mine.some((x) => /RequestUnits/.test(x.usageType)), label);
    } else {
      close(sum(mine, (x) => /ReadRequestUnits$/.test(x.usageType)), (t.read + gsi((g) => g.read)) * sec, `${label} read units`);
      close(sum(mine, (x) => /WriteRequestUnits$/.test(x.usageType)), (t.write + gsi((g) => g.write)) * sec, `${label} write units`);
      close(sum(mine, (x) => x.usageType === ut.replicatedWriteRequestUnit), t.replicas.length ? t.write * sec : 0, `${label} replicated write units`);
      close(mine.filter((x) => x.usageType === ut.readRequestUnit).reduce((a, x) => a + x.cost, 0),
        sum(mine, (x) => x.usageType === ut.readRequestUnit) * price.readRequestUnit, `${label} read cost`);
      assert.ok(!mine.some((x) => /CapacityUnit-Hrs/.test(x.usageType)), label);
    }
    for (const r of t.replicas) {
      if (sec > 0) assert.ok(mine.some((x) => x.usageType === `${CODES[t.region]}-${CODES[r]}-AWS-Out-Bytes`), `${label} transfer`);
    }
    assert.ok(!mine.some(repl) || t.replicas.length > 0, label);
  }
  for (const x of items) {
    assert.ok(x.code === 'AmazonDynamoDB' && x.product === 'Amazon DynamoDB', what);
    assert.ok(Math.abs(x.net - x.cost) < 1e-9, what);
  }
}

test('report definitions: paging, the management account only', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'optima-cur-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((x) => `report-${x}`);
  const file = writeOrg(dir, { bucket: 'billing-reports', prefix: 'billing/cur', months: 1,
    reports: names.map((name, i) => ({ name, format: i % 2 ? 'textORcsv' : 'Parquet', resources: i !== 3,
      timeUnit: ['HOURLY', 'DAILY', 'MONTHLY'][i % 3] })) });
  const e = await start({ org: file });
  t.after(e.close);
  const client = new CostAndUsageReportServiceClient(e.config());
  const pages = [];
  for await (const p of paginateDescribeReportDefinitions({ client, pageSize: 5 }, {})) pages.push(p.ReportDefinitions);
  assert.deepStrictEqual(pages.map((p) => p.length), [5, 2]);
  const all = pages.flat();
  assert.deepStrictEqual(all.map((r) => r.ReportName), names);
  for (const [i, r] of all.entries()) {
    assert.strictEqual(r.S3Bucket, 'billing-reports');
    assert.strictEqual(r.S3Prefix, 'billing/cur');
    assert.strictEqual(r.S3Region, 'us-east-1');
    assert.strictEqual(r.Format, i % 2 ? 'textORcsv' : 'Parquet');
    assert.strictEqual(r.Compression, i % 2 ? 'GZIP' : 'Parquet');
    assert.strictEqual(r.TimeUnit, ['HOURLY', 'DAILY', 'MONTHLY'][i % 3]);
    assert.deepStrictEqual(r.AdditionalSchemaElements, i === 3 ? [] : ['RESOURCES']);
    assert.strictEqual(r.ReportVersioning, i % 2 ? 'CREATE_NEW_REPORT' : 'OVERWRITE_REPORT');
    assert.deepStrictEqual(r.AdditionalArtifacts, i % 2 ? [] : ['ATHENA']);
  }
  await assert.rejects(client.send(new DescribeReportDefinitionsCommand({ MaxResults: 2 })),
    { name: 'ValidationException' });
  await assert.rejects(client.send(new DescribeReportDefinitionsCommand({ NextToken: 'bm9wZQ==' })),
    { name: 'ValidationException' });

  const role = await new STSClient(e.config()).send(new AssumeRoleCommand({
    RoleArn: `arn:aws:iam::222222222222:role/${e.emu.org.roleName}`, RoleSessionName: 'cur' }));
  const member = new CostAndUsageReportServiceClient(e.config({ credentials: {
    accessKeyId: role.Credentials.AccessKeyId, secretAccessKey: role.Credentials.SecretAccessKey,
    sessionToken: role.Credentials.SessionToken } }));
  const none = await member.send(new DescribeReportDefinitionsCommand({}));
  assert.deepStrictEqual(none.ReportDefinitions, []);
  assert.strictEqual(none.NextToken, undefined);
});

test('the default reports of a generated organization', async (t) => {
  const e = await start();
  t.after(e.close);
  const org = e.emu.org;
  const r = await new CostAndUsageReportServiceClient(e.config()).send(new DescribeReportDefinitionsCommand({}));
  assert.deepStrictEqual(r.ReportDefinitions.map((x) => x.ReportName), org.cur.reports.map((x) => x.name));
  assert.strictEqual(r.ReportDefinitions.filter((x) => !x.AdditionalSchemaElements.includes('RESOURCES')).length, 1);
  assert.ok(r.ReportDefinitions.some((x) => x.Format === 'Parquet'));
  assert.ok(r.ReportDefinitions.some((x) => x.Format === 'textORcsv'));
  assert.strictEqual(r.NextToken, undefined);

  // The legacy CSV report of each period agrees with the tables.
  const s3 = new S3Client(e.config());
  const csvReport = org.cur.reports.find((x) => x.format === 'textORcsv' && x.resources);
  for (const p of periods(org.cur.months)) {
    const key = `${org.cur.prefix}/${csvReport.name}/${ymd(p.start)}-${ymd(p.end)}/${csvReport.name}-Manifest.json`;
    const manifest = JSON.parse(await get(s3, org.cur.bucket, key));
    const items = [];
    for (const k of manifest.reportKeys) {
      items.push(...csv(zlib.gunzipSync(await get(s3, org.cur.bucket, k)).toString()).rows.map(legacy));
    }
    checkAgainstOrg(org, p, items, key);
  }
});

test('the report files agree with the organization, in every format', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'optima-cur-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  // Two tables per data file: manifests list several files.
  const e = await start({ org: writeOrg(dir, { months: 1, tablesPerFile: 2 }) });
  t.after(e.close);
  const org = e.emu.org;
  const cur = org.cur;
  const Bucket = cur.bucket;
  const s3 = new S3Client(e.config());
  const [parquetReport, csvReport, summary] = cur.reports;
  const files = Math.ceil(org.tables.length / 2);

  for (const p of periods(cur.months)) {
    const range = `${ymd(p.start)}-${ymd(p.end)}`;
    const bp = new Date(p.start).toISOString().slice(0, 7);

    // Legacy CSV: the period's manifest names the latest assembly's files;
    // the day before's assembly stays beside it.
    const m = JSON.parse(await get(s3, Bucket, `${cur.prefix}/${csvReport.name}/${range}/${csvReport.name}-Manifest.json`));
    assert.strictEqual(m.reportName, csvReport.name);
    assert.strictEqual(m.compression, 'GZIP');
    assert.strictEqual(m.contentType, 'text/csv');
    assert.strictEqual(m.account, org.management);
    assert.deepStrictEqual(m.billingPeriod, { start: `${ymd(p.start)}T000000.000Z`, end: `${ymd(p.end)}T000000.000Z` });
    assert.strictEqual(m.reportKeys.length, files);
    for (const k of m.reportKeys) {
      assert.ok(k.startsWith(`${cur.prefix}/${csvReport.name}/${range}/${m.assemblyId}/`), k);
      assert.ok(k.endsWith('.csv.gz'), k);
    }
    assert.ok(m.columns.some((c) => c.category === 'lineItem' && c.name === 'ResourceId'));
    const folders = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: `${cur.prefix}/${csvReport.name}/${range}/`, Delimiter: '/' }));
    assert.strictEqual(folders.CommonPrefixes.length, p.dataEnd - DAY > p.start ? 2 : 1);
    const legacyCsv = [];
    for (const k of m.reportKeys) {
      const { head, rows } = csv(zlib.gunzipSync(await get(s3, Bucket, k)).toString());
      assert.deepStrictEqual(head, m.columns.map((c) => `${c.category}/${c.name}`));
      legacyCsv.push(...rows.map(legacy));
    }
    checkAgainstOrg(org, p, legacyCsv, `${csvReport.name} ${range}`);

    // Reserved capacity: zero-cost discounted usage and the monthly fee.
    const orders = org.tables.find((x) => x.name === 'orders');
    const sec = (p.dataEnd - p.start) / 1000;
    const discounted = legacyCsv.filter((x) => x.resource === orders.arn && x.type === 'DiscountedUsage');
    close(sum(discounted, (x) => x.usageType === 'ReadCapacityUnit-Hrs'), 1000 * sec / 3600, 'reserved RCU-hours');
    close(sum(discounted, (x) => x.usageType === 'WriteCapacityUnit-Hrs'), 600 * sec / 3600, 'reserved WCU-hours');
    assert.ok(discounted.every((x) => x.cost === 0 && x.term === 'Reserved'));
    const fee = legacyCsv.filter((x) => x.type === 'RIFee' && x.usageType === 'HeavyUsage:dynamodb.read');
    assert.strictEqual(fee.length, 1);
    close(fee[0].amount, 1000 * (p.end - p.start) / 3600000, 'reserved read fee hours');
    close(fee[0].cost, fee[0].amount * pricelist.reservedPrices('us-east-1')['1yr'].rcu.hourly, 'reserved read fee');

    // Without RESOURCES: the same totals, no table named.
    const sm = JSON.parse(await get(s3, Bucket, `${cur.prefix}/${summary.name}/${range}/${summary.name}-Manifest.json`));
    assert.ok(!sm.columns.some((c) => c.name === 'ResourceId'));
    const merged = [];
    for (const k of sm.reportKeys) merged.push(...csv(zlib.gunzipSync(await get(s3, Bucket, k)).toString()).rows.map(legacy));
    assert.ok(merged.every((x) => x.resource === undefined));
    const totals = (list) => {
      const out = new Map();
      for (const x of list) {
        const k = [x.account, x.region, x.usageType, x.type].join('|');
        out.set(k, (out.get(k) || 0) + x.amount);
      }
      return out;
    };
    const want = totals(legacyCsv);
    const got = totals(merged);
    assert.deepStrictEqual([...got.keys()].sort(), [...want.keys()].sort());
    for (const [k, v] of want) close(got.get(k), v, `summary ${k}`);

    // Legacy Parquet (Athena's column names): the same line items.
    const pm = JSON.parse(await get(s3, Bucket, `${cur.prefix}/${parquetReport.name}/${range}/${parquetReport.name}-Manifest.json`));
    assert.strictEqual(pm.compression, 'Parquet');
    assert.strictEqual(pm.reportKeys.length, files);
    const legacyParquet = [];
    for (const k of pm.reportKeys) {
      const month = new Date(p.start).getUTCMonth() + 1;
      assert.ok(k.startsWith(`${cur.prefix}/${parquetReport.name}/${parquetReport.name}/year=${bp.slice(0, 4)}/month=${month}/`), k);
      assert.ok(k.endsWith('.snappy.parquet'), k);
      legacyParquet.push(...(await parquet(await get(s3, Bucket, k))).map(athena));
    }
    sameItems(legacyParquet, legacyCsv, `${parquetReport.name} ${range}`);

    // CUR 2.0, Parquet and CSV.gz, each with its metadata manifest.
    for (const x of cur.exports) {
      const xm = JSON.parse(await get(s3, Bucket, `${cur.prefix}/${x.name}/metadata/BILLING_PERIOD=${bp}/${x.name}-Manifest.json`));
      assert.strictEqual(xm.dataFiles.length, files);
      assert.deepStrictEqual(xm.billingPeriod, { start: new Date(p.start).toISOString(), end: new Date(p.end).toISOString() });
      const items = [];
      for (const uri of xm.dataFiles) {
        const prefix = `s3://${Bucket}/${cur.prefix}/${x.name}/data/BILLING_PERIOD=${bp}/`;
        assert.ok(uri.startsWith(prefix), uri);
        const buf = await get(s3, Bucket, uri.slice(`s3://${Bucket}/`.length));
        const rows = x.format === 'PARQUET' ? await parquet(buf) : csv(zlib.gunzipSync(buf).toString()).rows;
        for (const row of rows) assert.deepStrictEqual(Object.keys(row), xm.columns.map((c) => c.name));
        items.push(...rows.map(cur2));
      }
      sameItems(items, legacyCsv, `${x.name} ${range}`);
    }
  }

  // The same organization and day give the same bytes.
  const again = await start({ org: path.join(dir, 'org.json') });
  t.after(again.close);
  const key = `${cur.prefix}/${cur.exports[0].name}/data/BILLING_PERIOD=${new Date(periods(1)[0].start).toISOString().slice(0, 7)}/${cur.exports[0].name}-00001.snappy.parquet`;
  const a = await s3.send(new HeadObjectCommand({ Bucket, Key: key }));
  const b = await new S3Client(again.config()).send(new HeadObjectCommand({ Bucket, Key: key }));
  assert.strictEqual(a.ETag, b.ETag);
  assert.strictEqual(a.ContentLength, b.ContentLength);
});
