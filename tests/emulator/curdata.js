'use strict';
// The organization's Cost and Usage Report: DynamoDB line items derived
// from each table's size, capacity and mean traffic, priced from the price
// list (pricelist.js), and delivered the way AWS lays them out in S3:
// legacy CUR as CSV.gz and Parquet with manifests, CUR 2.0 data exports as
// Parquet and CSV.gz. Every object is built when asked for and is the same
// bytes for the same organization and day.

const crypto = require('node:crypto');
const zlib = require('node:zlib');
const { parquetWriteBuffer } = require('hyparquet-writer');
const pricelist = require('./pricelist.js');

const GB = 1024 ** 3;
const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

// Charges the price list module does not carry, at us-east-1 list prices
// in every region: they are neither storage nor throughput.
const OTHER = { pitr: 0.2, streams: 0.0000002, transferOut: 0.09, interRegion: 0.02 };

// The billing code of a region, as data transfer usage types spell it even
// in us-east-1 ("USE1-USW2-AWS-Out-Bytes").
function code(region) { return pricelist.usagePrefix(region).replace(/-$/, '') || 'USE1'; }

function sha256(s) { return crypto.hash('sha256', s, 'buffer'); }
// A stable small integer from ${s}, to pick which tables have extras.
function pick(s, n) { return sha256(s).readUInt32BE(0) % n; }
// RFC 4648 base32 (lower case, no padding) of ${buf}, cut to ${n} letters.
function base32(buf, n) {
  const A = 'abcdefghijklmnopqrstuvwxyz234567';
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of buf) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += A[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += A[(value << (5 - bits)) & 31];
  return out.slice(0, n);
}
function uuid(s) {
  const h = sha256(s).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

// The price list products of ${region} by usage type: {sku, family,
// attributes, unit, rate, description, rateCode, reserved} (reserved: the
// 1-year term's hourly rate, where there is one).
const catalogs = new Map();
function catalog(region) {
  if (catalogs.has(region)) return catalogs.get(region);
  const offer = pricelist.offer([region]);
  const byUsage = new Map();
  for (const p of Object.values(offer.products)) {
    const od = Object.values(Object.values(offer.terms.OnDemand[p.sku])[0].priceDimensions);
    const paid = od.find((d) => d.endRange === 'Inf');
    const e = { sku: p.sku, family: p.productFamily, attributes: p.attributes, unit: paid.unit,
      rate: Number(paid.pricePerUnit.USD), description: paid.description, rateCode: paid.rateCode };
    const year = Object.values(offer.terms.Reserved[p.sku] || {})
      .find((t) => t.termAttributes.LeaseContractLength === '1yr');
    if (year) {
      const d = Object.values(year.priceDimensions).find((x) => x.unit !== 'Quantity');
      e.reserved = { rate: Number(d.pricePerUnit.USD), description: d.description, rateCode: d.rateCode };
    }
    byUsage.set(p.attributes.usagetype, e);
  }
  catalogs.set(region, byUsage);
  return byUsage;
}

// The billing periods delivered at ${now}: the last ${months} complete
// months and the current one, with data up to the start of today.
function periods(cur, now) {
  const d = new Date(now);
  const today = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const out = [];
  for (let i = cur.months; i >= 0; i--) {
    const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - i, 1);
    const end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - i + 1, 1);
    out.push({ start, end, dataEnd: Math.min(end, today), closed: end <= today, today });
  }
  return out;
}

// The line item intervals of a report of ${timeUnit} in ${p}.
function slices(timeUnit, p) {
  if (timeUnit === 'MONTHLY') return p.dataEnd > p.start ? [[p.start, p.dataEnd]] : [];
  const step = timeUnit === 'HOURLY' ? HOUR : DAY;
  const out = [];
  for (let s = p.start; s < p.dataEnd; s += step) out.push([s, s + step]);
  return out;
}

function sum(list, f) { return list.reduce((a, x) => a + f(x), 0); }

// Reserved capacity bought for a table: 100-unit blocks covering about
// half of large provisioned Standard single-region capacity.
function reserved(t, units) {
  if (t.billingMode !== 'PROVISIONED' || t.tableClass !== 'STANDARD' ||
      t.replicas.length > 0 || units < 1000) return 0;
  return 100 * Math.floor(units / 200);
}

// The line items of table ${t} in period ${p} for a report of
// ${timeUnit}: naming-neutral records, appended to ${out}. GSIs are billed
// on their table; a replica of a global table bills its table's writes as
// replicated writes, its indexes' as plain writes.
function tableLines(t, p, timeUnit, out) {
  const cat = catalog(t.region);
  const ut = pricelist.usageTypes(t.region, t.tableClass);
  const std = pricelist.usageTypes(t.region, 'STANDARD');
  const month = (p.end - p.start) / 1000;
  const created = t.created * 1000;
  const gb = (t.sizeBytes + sum(t.gsis, (g) => g.sizeBytes)) / GB;
  const global = t.replicas.length > 0;
  const gsi = (f) => sum(t.gsis, f);
  const res = { read: reserved(t, t.rcu), write: reserved(t, t.wcu) };
  const line = (s, e, f) => out.push(Object.assign({ table: t, account: t.account, region: t.region,
    start: s, end: e, type: 'Usage', term: 'OnDemand', resource: t.arn, attrs: {} }, f));
  // Usage of the price list product of ${usageType}.
  const priced = (s, e, usageType, amount, f = {}) => {
    if (amount <= 0) return;
    const c = cat.get(usageType);
    line(s, e, Object.assign({ usageType, operation: c.attributes.operation, amount, rate: c.rate,
      unit: c.unit, family: c.family, attrs: c.attributes, sku: c.sku, rateCode: c.rateCode,
      description: c.description }, f));
  };
  for (const [s, e] of slices(timeUnit, p)) {
    if (created >= e) continue;
    const sec = (e - Math.max(s, created)) / 1000;
    priced(s, e, ut.storageGbMonth, gb * sec / month);
    if (t.billingMode === 'PROVISIONED') {
      priced(s, e, ut.rcuHour, (t.rcu + gsi((g) => g.rcu) - res.read) * sec / 3600);
      priced(s, e, ut.wcuHour, ((global ? 0 : t.wcu) + gsi((g) => g.wcu) - res.write) * sec / 3600);
      if (global) priced(s, e, ut.replicatedWcuHour, t.wcu * sec / 3600);
      for (const [dim, usageType] of [['read', std.rcuHour], ['write', std.wcuHour]]) {
        const r = cat.get(usageType).reserved;
        priced(s, e, usageType, res[dim] * sec / 3600, { type: 'DiscountedUsage', term: 'Reserved',
          rate: 0, publicRate: cat.get(usageType).rate, description: r.description, rateCode: r.rateCode,
          lease: '1yr', purchaseOption: 'Heavy Utilization' });
      }
    } else {
      priced(s, e, ut.readRequestUnit, (t.read + gsi((g) => g.read)) * sec);
      priced(s, e, ut.writeRequestUnit, ((global ? 0 : t.write) + gsi((g) => g.write)) * sec);
      if (global) priced(s, e, ut.replicatedWriteRequestUnit, t.write * sec);
    }
    otherLines(t, s, e, sec, month, line);
  }
  for (const [dim, usageType] of [['read', std.rcuHour], ['write', std.wcuHour]]) {
    if (!res[dim] || created >= p.end) continue;
    const c = cat.get(usageType);
    // Reserved capacity's monthly charge, at the start of the month.
    line(p.start, p.end, { usageType: `${pricelist.usagePrefix(t.region)}HeavyUsage:dynamodb.${dim}`,
      operation: c.attributes.operation, amount: res[dim] * (p.end - p.start) / HOUR, rate: c.reserved.rate,
      type: 'RIFee', term: 'Reserved', resource: '', unit: c.unit, family: c.family, attrs: c.attributes,
      sku: c.sku, rateCode: c.reserved.rateCode, lease: '1yr', purchaseOption: 'Heavy Utilization',
      description: `USD ${c.reserved.rate} hourly fee per ${dim === 'read' ? 'Read' : 'Write'} Capacity Unit (1 year)` });
  }
}

// Point-in-time recovery, streams and data transfer: DynamoDB charges that
// are neither storage nor throughput, on some tables.
function otherLines(t, s, e, sec, month, line) {
  const P = pricelist.usagePrefix(t.region);
  const other = (usageType, operation, amount, rate, f) => {
    if (amount <= 0) return;
    line(s, e, Object.assign({ usageType, operation, amount, rate,
      sku: base32(sha256(`${t.region}|${usageType}`), 16).toUpperCase() }, f));
  };
  if (pick(`pitr/${t.arn}`, 3) === 0) {
    other(`${P}TimedPITRStorage-ByteHrs`, '', t.sizeBytes / GB * sec / month, OTHER.pitr,
      { unit: 'GB-Mo', family: 'Database Storage',
        attrs: { volumeType: 'Amazon DynamoDB - Point-In-Time-Restore (PITR) Backup Storage' },
        description: `$${OTHER.pitr} per GB-Month of point-in-time recovery backup storage` });
  }
  if (pick(`streams/${t.arn}`, 4) === 1) {
    other(`${P}Streams-Requests`, 'GetRecords', Math.round(t.write * sec / 10), OTHER.streams,
      { unit: 'Requests', family: 'API Request', attrs: { group: 'DDB-StreamsReadRequests',
        groupDescription: 'DynamoDB Streams read request (GetRecords API)' },
      description: '$0.02 per 100,000 DynamoDB Streams read request units' });
  }
  if (pick(`transfer/${t.arn}`, 5) === 2) {
    other(`${P}DataTransfer-Out-Bytes`, '', t.read * sec * 4096 / GB / 20, OTHER.transferOut,
      { unit: 'GB', family: 'Data Transfer', attrs: { servicecode: 'AWSDataTransfer',
        transferType: 'AWS Outbound' }, description: `$${OTHER.transferOut} per GB - data transfer out` });
  }
  for (const r of t.replicas) {
    other(`${code(t.region)}-${code(r)}-AWS-Out-Bytes`, '', t.write * sec * 1024 / GB, OTHER.interRegion,
      { unit: 'GB', family: 'Data Transfer', attrs: { servicecode: 'AWSDataTransfer',
        transferType: 'InterRegion Outbound', toLocation: pricelist.location(r) },
      description: `$${OTHER.interRegion} per GB - ${pricelist.location(t.region)} data transfer to ${pricelist.location(r)}` });
  }
}

// All line items of period ${p} for report ${r} ({timeUnit, resources})
// over ${tables}, costs filled in; without resources, lines that differ
// only by table are summed. Reports and exports of the same granularity
// share the line items of a period (a few are remembered per file).
const remembered = new WeakMap();
function lines(tables, p, r) {
  if (!remembered.has(tables)) remembered.set(tables, new Map());
  const memo = remembered.get(tables);
  const k = `${p.start}|${p.dataEnd}|${r.timeUnit}`;
  let out = memo.get(k);
  if (!out) {
    out = [];
    for (const t of tables) tableLines(t, p, r.timeUnit, out);
    for (const l of out) {
      l.cost = l.amount * l.rate;
      l.publicRate = l.publicRate === undefined ? l.rate : l.publicRate;
      l.publicCost = l.amount * l.publicRate;
    }
    if (memo.size >= 4) memo.delete(memo.keys().next().value);
    memo.set(k, out);
  }
  return r.resources ? out : merge(out);
}

function merge(items) {
  const by = new Map();
  for (const l of items) {
    const k = [l.account, l.region, l.start, l.end, l.type, l.usageType, l.operation,
      JSON.stringify(l.table.tags)].join('|');
    const m = by.get(k);
    if (!m) by.set(k, Object.assign({}, l, { resource: '' }));
    else for (const f of ['amount', 'cost', 'publicCost']) m[f] += l[f];
  }
  return [...by.values()];
}

// "2026-09-01T00:00:00Z"; line items share few instants, so remember them.
const isoMemo = new Map();
function iso(ms) {
  let s = isoMemo.get(ms);
  if (!s) {
    s = new Date(ms).toISOString().replace('.000Z', 'Z');
    if (isoMemo.size > 100000) isoMemo.clear();
    isoMemo.set(ms, s);
  }
  return s;
}
function ymd(ms) { return new Date(ms).toISOString().slice(0, 10).replace(/-/g, ''); }
function pad5(i) { return String(i).padStart(5, '0'); }
// Amounts, rates and costs as the CSV files print them.
function fmt(x) {
  const s = x.toFixed(10).replace(/\.?0+$/, '');
  return s === '-0' ? '0' : s;
}

// Legacy CUR columns: [category/name, manifest type, value of line item
// ${l} in context ${x}, place in CUR 2.0: 'map' (in the product map) or
// 'legacy' (none); otherwise the Athena form of the name].
const COLUMNS = [
  ['identity/LineItemId', 'String', (l, x) => x.id(l)],
  ['identity/TimeInterval', 'Interval', (l) => `${iso(l.start)}/${iso(l.end)}`],
  ['bill/InvoiceId', 'String', (l, x) => x.invoice],
  ['bill/InvoicingEntity', 'String', () => 'Amazon Web Services, Inc.'],
  ['bill/BillingEntity', 'String', () => 'AWS'],
  ['bill/BillType', 'String', () => 'Anniversary'],
  ['bill/PayerAccountId', 'String', (l, x) => x.org.management],
  ['bill/BillingPeriodStartDate', 'DateTime', (l, x) => x.p.start],
  ['bill/BillingPeriodEndDate', 'DateTime', (l, x) => x.p.end],
  ['lineItem/UsageAccountId', 'String', (l) => l.account],
  ['lineItem/LineItemType', 'String', (l) => l.type],
  ['lineItem/UsageStartDate', 'DateTime', (l) => l.start],
  ['lineItem/UsageEndDate', 'DateTime', (l) => l.end],
  ['lineItem/ProductCode', 'String', () => 'AmazonDynamoDB'],
  ['lineItem/UsageType', 'String', (l) => l.usageType],
  ['lineItem/Operation', 'String', (l) => l.operation],
  ['lineItem/AvailabilityZone', 'String', () => ''],
  ['lineItem/ResourceId', 'String', (l) => l.resource],
  ['lineItem/UsageAmount', 'BigDecimal', (l) => l.amount],
  ['lineItem/NormalizationFactor', 'OptionalBigDecimal', () => null],
  ['lineItem/NormalizedUsageAmount', 'OptionalBigDecimal', () => null],
  ['lineItem/CurrencyCode', 'String', () => 'USD'],
  ['lineItem/UnblendedRate', 'BigDecimal', (l) => l.rate],
  ['lineItem/UnblendedCost', 'BigDecimal', (l) => l.cost],
  ['lineItem/BlendedRate', 'BigDecimal', (l) => l.rate],
  ['lineItem/BlendedCost', 'BigDecimal', (l) => l.cost],
  ['lineItem/NetUnblendedRate', 'OptionalBigDecimal', (l) => l.rate],
  ['lineItem/NetUnblendedCost', 'OptionalBigDecimal', (l) => l.cost],
  ['lineItem/LineItemDescription', 'String', (l) => l.description],
  ['lineItem/TaxType', 'String', () => ''],
  ['lineItem/LegalEntity', 'String', () => 'Amazon Web Services, Inc.'],
  ['product/ProductName', 'String', () => 'Amazon DynamoDB', 'map'],
  ['product/group', 'OptionalString', (l) => l.attrs.group || '', 'map'],
  ['product/groupDescription', 'OptionalString', (l) => l.attrs.groupDescription || '', 'map'],
  ['product/location', 'OptionalString', (l) => pricelist.location(l.region)],
  ['product/locationType', 'OptionalString', () => 'AWS Region'],
  ['product/operation', 'OptionalString', (l) => l.operation],
  ['product/productFamily', 'OptionalString', (l) => l.family],
  ['product/region', 'OptionalString', (l) => l.region, 'map'],
  ['product/regionCode', 'OptionalString', (l) => l.region],
  ['product/servicecode', 'OptionalString', (l) => l.attrs.servicecode || 'AmazonDynamoDB'],
  ['product/servicename', 'OptionalString',
    (l) => (l.attrs.servicecode === 'AWSDataTransfer' ? 'AWS Data Transfer' : 'Amazon DynamoDB'), 'map'],
  ['product/sku', 'OptionalString', (l) => l.sku],
  ['product/toLocation', 'OptionalString', (l) => l.attrs.toLocation || ''],
  ['product/transferType', 'OptionalString', (l) => l.attrs.transferType || '', 'map'],
  ['product/usagetype', 'OptionalString', (l) => l.usageType],
  ['product/volumeType', 'OptionalString', (l) => l.attrs.volumeType || '', 'map'],
  ['pricing/LeaseContractLength', 'OptionalString', (l) => l.lease || ''],
  ['pricing/OfferingClass', 'OptionalString', (l) => (l.lease ? 'standard' : '')],
  ['pricing/PurchaseOption', 'OptionalString', (l) => l.purchaseOption || ''],
  ['pricing/RateCode', 'OptionalString', (l) => l.rateCode || ''],
  ['pricing/currency', 'OptionalString', () => 'USD'],
  ['pricing/publicOnDemandCost', 'OptionalBigDecimal', (l) => l.publicCost],
  ['pricing/publicOnDemandRate', 'OptionalBigDecimal', (l) => l.publicRate],
  ['pricing/term', 'OptionalString', (l) => l.term],
  ['pricing/unit', 'OptionalString', (l) => l.unit],
];

// CUR 2.0 columns that legacy CUR does not have (besides its map columns
// and static product columns, which stay empty for DynamoDB).
const CUR2_ONLY = [
  ['bill_payer_account_name', 's', (l, x) => x.name(x.org.management)],
  ['line_item_usage_account_name', 's', (l, x) => x.name(l.account)],
  ['cost_category', 'm', () => ({})],
  ['discount', 'md', () => ({})],
  ['discount_bundled_discount', 'd', () => null],
  ['discount_total_discount', 'd', () => null],
  ['product', 'm', (l, x) => x.product(l)],
  ['resource_tags', 'm', (l) => tagsOf(l, (k) => `user_${k}`)],
  ...['product_comment', 'product_fee_code', 'product_fee_description', 'product_from_location',
    'product_from_location_type', 'product_from_region_code', 'product_instance_family',
    'product_instance_type', 'product_instancesku', 'product_pricing_unit',
    'product_to_location_type', 'product_to_region_code', 'pricing_rate_id',
    'reservation_reservation_a_r_n', 'reservation_start_time', 'reservation_end_time',
    'savings_plan_savings_plan_a_r_n', 'savings_plan_offering_type'].map((n) => [n, 's', () => null]),
  ...['reservation_effective_cost', 'reservation_amortized_upfront_cost_for_usage',
    'reservation_recurring_fee_for_usage', 'savings_plan_savings_plan_effective_cost',
    'savings_plan_savings_plan_rate', 'savings_plan_used_commitment'].map((n) => [n, 'd', () => null]),
];

// Cost allocation tags of line item ${l}'s table, keys through ${name}.
function tagsOf(l, name) {
  if (l.type === 'RIFee') return {};
  return Object.fromEntries(Object.entries(l.table.tags).map(([k, v]) => [name(k), v]));
}

// "lineItem/UsageAccountId" -> "line_item_usage_account_id", as Athena and
// the Parquet files spell legacy columns ("reservation_a_r_n" included).
function athena(name) {
  return name.split('/').map((part) => part.replace(/[A-Z]/g,
    (ch, i) => `${i ? '_' : ''}${ch.toLowerCase()}`)).join('_').replace(/:/g, '_');
}

function kind(type, name) {
  if (type === 'DateTime') return 't';
  if (/BigDecimal$/.test(type)) return /Rate$/.test(name) ? 's' : 'd';
  return 's';
}

// The legacy columns of report ${r} in ${org}: {name, category, short,
// type, kind, get}; resource tags last.
function legacyColumns(org, r) {
  const keys = [...new Set(org.tables.flatMap((t) => Object.keys(t.tags)))].sort();
  const cols = COLUMNS.filter((c) => r.resources || c[0] !== 'lineItem/ResourceId').concat(
    keys.map((k) => [`resourceTags/user:${k}`, 'OptionalString',
      (l) => (l.type === 'RIFee' ? '' : l.table.tags[k] || '')]));
  return cols.map(([name, type, get]) => ({ name, type, get, kind: kind(type, name),
    category: name.split('/')[0], short: name.split('/')[1] }));
}

// The CUR 2.0 columns, in the dictionary's (alphabetical) order.
function cur2Columns() {
  const cols = COLUMNS.filter((c) => !c[3]).map(([name, type, get]) =>
    ({ name: athena(name), kind: kind(type, name), get }));
  for (const [name, k, get] of CUR2_ONLY) cols.push({ name, kind: k, get });
  return cols.sort((a, b) => (a.name < b.name ? -1 : 1));
}

// The product map of CUR 2.0: the attributes legacy CUR has as columns,
// present only when they have a value.
function productMap(l, x) {
  const m = {};
  for (const [name, , get, where] of COLUMNS) {
    if (where !== 'map') continue;
    const v = get(l, x);
    if (v !== '' && v !== null) m[athena(name.split('/')[1])] = v;
  }
  return m;
}

const PARQUET_TYPES = {
  s: { type: 'BYTE_ARRAY', converted_type: 'UTF8' },
  d: { type: 'DOUBLE' },
  t: { type: 'INT64', converted_type: 'TIMESTAMP_MILLIS' },
};

function parquetElements(c) {
  if (c.kind === 'm' || c.kind === 'md') {
    return [{ name: c.name, repetition_type: 'OPTIONAL', converted_type: 'MAP', num_children: 1 },
      { name: 'key_value', repetition_type: 'REPEATED', num_children: 2 },
      { name: 'key', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
      Object.assign({ name: 'value', repetition_type: 'OPTIONAL' }, PARQUET_TYPES[c.kind === 'm' ? 's' : 'd'])];
  }
  return [Object.assign({ name: c.name, repetition_type: 'OPTIONAL' }, PARQUET_TYPES[c.kind])];
}

function parquetFile(cols, items, x) {
  const schema = [{ name: 'schema', num_children: cols.length }];
  const columnData = [];
  for (const c of cols) {
    schema.push(...parquetElements(c));
    columnData.push({ name: c.name, data: items.map((l) => {
      const v = c.get(l, x);
      if (v === null) return v;
      if (c.kind === 't') return new Date(v);
      return c.kind === 's' && typeof v === 'number' ? fmt(v) : v;
    }) });
  }
  // Statistics would make writing several times slower; CUR readers do not
  // need them.
  return Buffer.from(parquetWriteBuffer({ schema, columnData, statistics: false }));
}

function csvCell(c, v) {
  if (v === null || v === undefined) return '';
  if (c.kind === 't') return iso(v);
  if (typeof v === 'number') return fmt(v);
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return s.includes(',') || s.includes('"') || s.includes('\n') ? `"${s.replace(/"/g, '""')}"` : s;
}

// A CSV data file; with the organization's cur.blankLines N, a broken
// one: its header, then N empty lines and no line item.
function csvFile(cols, items, x) {
  let out = `${cols.map((c) => c.name).join(',')}\n`;
  if (x.org.cur.blankLines) return zlib.gzipSync(out + '\n'.repeat(x.org.cur.blankLines));
  for (const l of items) {
    let row = '';
    for (const c of cols) row += `${row ? ',' : ''}${csvCell(c, c.get(l, x))}`;
    out += `${row}\n`;
  }
  return zlib.gzipSync(out);
}

// The context columns read line items in: the report or export ${r},
// period ${p} and its identifiers.
function context(org, r, p) {
  const names = new Map(org.accounts.map((a) => [a.id, a.name]));
  const x = {
    org, r, p, name: (id) => names.get(id) || id,
    invoice: p.closed ? String(100000000 + sha256(`${org.seed}|${p.start}`).readUInt32BE(0) % 900000000) : '',
    id: (l) => base32(sha256([org.seed, r.name, l.account, l.region, l.resource || JSON.stringify(l.table.tags),
      l.usageType, l.operation, l.type, l.start].join('|')), 52),
  };
  x.product = (l) => productMap(l, x);
  return x;
}

function json(v) { return Buffer.from(`${JSON.stringify(v, null, 2)}\n`); }

// The deliveries of legacy report ${r} for period ${p}: the latest, and
// with CREATE_NEW_REPORT the one of the day before, kept beside it.
function deliveries(r, p) {
  const prev = p.dataEnd - DAY;
  const out = r.versioning === 'CREATE_NEW_REPORT' && prev > p.start ?
    [Object.assign({}, p, { dataEnd: prev, closed: false, latest: false })] : [];
  return out.concat(Object.assign({}, p, { latest: true }));
}

function delivered(p) { return Math.min(p.closed ? p.end + 2 * DAY : p.dataEnd, p.today); }

function key(...parts) { return parts.filter((x) => x !== '' && x !== undefined).join('/'); }

// The objects of legacy report ${r} for period ${p}.
function legacyObjects(org, r, p, files, out) {
  const cur = org.cur;
  const parquet = r.format === 'Parquet';
  const base = key(cur.prefix, r.name);
  const range = `${ymd(p.start)}-${ymd(p.end)}`;
  const cols = legacyColumns(org, r);
  for (const d of deliveries(r, p)) {
    const assembly = uuid(`${org.seed}|${r.name}|${d.start}|${d.dataEnd}`);
    const month = new Date(d.start);
    const dir = parquet ? key(base, r.name, `year=${month.getUTCFullYear()}`, `month=${month.getUTCMonth() + 1}`) :
      key(base, range, r.versioning === 'CREATE_NEW_REPORT' ? assembly : '');
    const version = String(d.dataEnd);
    const modified = delivered(d);
    const keys = files.map((tables, i) => {
      const k = key(dir, `${r.name}-${pad5(i + 1)}.${parquet ? 'snappy.parquet' : 'csv.gz'}`);
      out.push({ key: k, version, modified, build: () => {
        const items = lines(tables, d, r);
        const x = context(org, r, d);
        return parquet ? parquetFile(cols.map((c) => Object.assign({}, c, { name: athena(c.name) })), items, x) :
          csvFile(cols, items, x);
      } });
      return k;
    });
    const manifest = () => json({
      assemblyId: assembly, account: org.management,
      columns: cols.map((c) => ({ category: c.category, name: c.short, type: c.type })),
      charset: 'UTF-8', compression: r.compression, contentType: parquet ? 'Parquet' : 'text/csv',
      reportId: sha256(`${org.management}/${r.name}`).toString('hex'), reportName: r.name,
      billingPeriod: { start: `${ymd(d.start)}T000000.000Z`, end: `${ymd(d.end)}T000000.000Z` },
      bucket: cur.bucket, reportKeys: keys, additionalArtifactKeys: [],
    });
    if (d.latest) out.push({ key: key(base, range, `${r.name}-Manifest.json`), version, modified, build: manifest });
    if (!parquet && r.versioning === 'CREATE_NEW_REPORT') {
      out.push({ key: key(dir, `${r.name}-Manifest.json`), version, modified, build: manifest });
    }
  }
}

// Athena integration: the refresh status table and the crawler template.
function athenaObjects(org, r, first, today, out) {
  const base = key(org.cur.prefix, r.name);
  out.push({ key: key(base, r.name, 'cost_and_usage_data_status', 'cost_and_usage_data_status.parquet'),
    version: String(today), modified: today,
    build: () => Buffer.from(parquetWriteBuffer({ columnData: [{ name: 'status', data: ['READY'], type: 'STRING' }] })) });
  const db = `athenacurcfn_${r.name.replace(/[^a-z0-9]/gi, '_').toLowerCase()}`;
  out.push({ key: key(base, 'crawler-cfn.yml'), version: '', modified: first, build: () => Buffer.from([
    'AWSTemplateFormatVersion: 2010-09-09',
    'Resources:',
    '  AWSCURDatabase:',
    '    Type: \'AWS::Glue::Database\'',
    '    Properties:',
    '      DatabaseInput:',
    `        Name: '${db}'`,
    '      CatalogId: !Ref AWS::AccountId',
    '  AWSCURCrawler:',
    '    Type: \'AWS::Glue::Crawler\'',
    '    Properties:',
    `      Name: AWSCURCrawler-${r.name}`,
    `      DatabaseName: '${db}'`,
    '      Role: !Sub arn:aws:iam::${AWS::AccountId}:role/AWSCURCrawlerComponentFunction',
    '      Targets:',
    '        S3Targets:',
    `          - Path: 's3://${org.cur.bucket}/${key(base, r.name)}'`,
    '            Exclusions:',
    '              - \'**.json\'',
    '              - \'**.yml\'',
    '              - \'**.sql\'',
    '              - \'**.csv\'',
    '              - \'**.gz\'',
    '              - \'**.zip\'',
    '',
  ].join('\n')) });
}

// The ARN of CUR 2.0 export ${e}: its name and a stable UUID.
function exportArn(org, e) {
  return `arn:aws:bcm-data-exports:us-east-1:${org.management}:export/${e.name}-${uuid(`${org.seed}|${e.name}`)}`;
}

// The objects of CUR 2.0 export ${e} for period ${p}.
function exportObjects(org, e, p, files, out) {
  const cur = org.cur;
  const parquet = e.format === 'PARQUET';
  const r = { name: e.name, timeUnit: e.timeUnit || cur.timeUnit, resources: e.resources !== false };
  const part = `BILLING_PERIOD=${new Date(p.start).toISOString().slice(0, 7)}`;
  // Without INCLUDE_RESOURCES the query has no line_item_resource_id.
  const cols = cur2Columns().filter((c) => r.resources || c.name !== 'line_item_resource_id');
  const version = String(p.dataEnd);
  const modified = delivered(p);
  const keys = files.map((tables, i) => {
    const k = key(cur.prefix, e.name, 'data', part, `${e.name}-${pad5(i + 1)}.${parquet ? 'snappy.parquet' : 'csv.gz'}`);
    out.push({ key: k, version, modified, build: () => {
      const items = lines(tables, p, r);
      const x = context(org, r, p);
      return parquet ? parquetFile(cols, items, x) : csvFile(cols, items, x);
    } });
    return k;
  });
  const TYPES = { s: 'string', d: 'double', t: 'timestamp', m: 'map<string,string>', md: 'map<string,double>' };
  out.push({ key: key(cur.prefix, e.name, 'metadata', part, `${e.name}-Manifest.json`), version, modified,
    build: () => json({
      executionId: uuid(`${org.seed}|${e.name}|${p.start}|${p.dataEnd}`),
      exportArn: exportArn(org, e),
      exportName: e.name,
      billingPeriod: { start: new Date(p.start).toISOString(), end: new Date(p.end).toISOString() },
      bucket: cur.bucket,
      dataFiles: keys.map((k) => `s3://${cur.bucket}/${k}`),
      columns: cols.map((c) => ({ name: c.name, type: TYPES[c.kind] })),
      compression: parquet ? 'PARQUET' : 'GZIP', format: parquet ? 'PARQUET' : 'TEXT_OR_CSV',
    }) });
}

// Every object of the report bucket at ${now}, sorted by key: {key,
// version (what its bytes depend on besides the key), modified (ms),
// build() -> Buffer}.
function objects(org, now) {
  const cur = org.cur;
  const ps = periods(cur, now);
  const files = [];
  for (let i = 0; i < Math.max(1, org.tables.length); i += cur.tablesPerFile) {
    files.push(org.tables.slice(i, i + cur.tablesPerFile));
  }
  const out = [];
  for (const r of cur.reports) {
    for (const p of ps) legacyObjects(org, r, p, files, out);
    if (r.artifacts.includes('ATHENA')) athenaObjects(org, r, ps[0].start, ps[0].today, out);
  }
  for (const e of cur.exports) {
    if (e.table !== 'COST_AND_USAGE_REPORT') continue;
    for (const p of ps) exportObjects(org, e, p, files, out);
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

module.exports = { objects, exportArn, cur2Columns, periods };
