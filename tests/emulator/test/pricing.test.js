'use strict';
// The DynamoDB price list through the AWS SDK for JavaScript v3
// PricingClient and through the public offer files: paging, filters,
// reserved terms, errors, and the same SKU at the same price both ways.
// Prices are checked against pricelist.js's source tables (unitPrices,
// reservedPrices) and a few well-known us-east-1 list prices.

const test = require('node:test');
const assert = require('node:assert');
const { start } = require('./helper.js');
const pricelist = require('../pricelist.js');
const { PricingClient, GetProductsCommand, paginateGetProducts, DescribeServicesCommand,
  paginateGetAttributeValues, GetAttributeValuesCommand } = require('@aws-sdk/client-pricing');

const SERVICE = 'AmazonDynamoDB';
const IA = 'STANDARD_INFREQUENT_ACCESS';
const term = (Type, Field, Value) => ({ Type, Field, Value });

// Every product matching ${filters}, read ${pageSize} at a time; the
// pages are counted in ${pages} when given.
async function products(client, filters, pageSize = 100, pages = []) {
  const out = [];
  const input = { ServiceCode: SERVICE, Filters: filters, FormatVersion: 'aws_v1' };
  for await (const page of paginateGetProducts({ client, pageSize }, input)) {
    assert.strictEqual(page.FormatVersion, 'aws_v1');
    assert.ok(page.PriceList.length <= pageSize);
    pages.push(page.PriceList.length);
    out.push(...page.PriceList.map((s) => JSON.parse(String(s))));
  }
  return out;
}

function onDemand(item) {
  const terms = Object.values(item.terms.OnDemand);
  assert.strictEqual(terms.length, 1);
  assert.strictEqual(terms[0].offerTermCode, 'JRTCKXETXF');
  return Object.values(terms[0].priceDimensions);
}

// The open-ended (paid) on-demand price of ${item}, as optima reads it.
function paid(item) {
  const dims = onDemand(item).filter((d) => d.endRange === 'Inf');
  assert.strictEqual(dims.length, 1);
  assert.strictEqual(dims[0].pricePerUnit.USD.split('.')[1].length, 10);
  return Number(dims[0].pricePerUnit.USD);
}

const usageSet = (regions, classes = pricelist.TABLE_CLASSES) =>
  new Set(regions.flatMap((r) => classes.flatMap((c) => Object.values(pricelist.usageTypes(r, c)))));
const usages = (items) => new Set(items.map((i) => i.product.attributes.usagetype));

test('GetProducts pages through each region, every usage type at its list price', async (t) => {
  const e = await start();
  t.after(e.close);
  const client = new PricingClient(e.config());
  for (const region of pricelist.REGION_CODES) {
    const pages = [];
    const items = await products(client, [term('TERM_MATCH', 'regionCode', region)], 4, pages);
    assert.ok(pages.length > 1, `${region} came in ${pages.length} page(s)`);
    assert.deepStrictEqual(usages(items), usageSet([region]));
    assert.strictEqual(items.length, usageSet([region]).size);
    const byUsage = new Map(items.map((i) => [i.product.attributes.usagetype, i]));
    for (const cls of pricelist.TABLE_CLASSES) {
      const want = pricelist.unitPrices(region, cls);
      for (const [key, usagetype] of Object.entries(pricelist.usageTypes(region, cls))) {
        assert.strictEqual(paid(byUsage.get(usagetype)), want[key], `${region} ${cls} ${key}`);
      }
    }
    for (const i of items) {
      assert.strictEqual(i.serviceCode, SERVICE);
      assert.strictEqual(i.version, pricelist.VERSION);
      assert.strictEqual(i.publicationDate, pricelist.PUBLICATION_DATE);
      assert.strictEqual(i.product.attributes.servicecode, SERVICE);
      assert.strictEqual(i.product.attributes.location, pricelist.location(region));
      assert.strictEqual(i.product.attributes.locationType, 'AWS Region');
      assert.match(i.product.sku, /^[A-Z0-9]{16}$/);
    }
  }
  const all = await products(client, [], 100);
  assert.deepStrictEqual(usages(all), usageSet(pricelist.REGION_CODES));
});

test('well-known list prices and the free tier as priced ranges', async (t) => {
  const e = await start();
  t.after(e.close);
  const client = new PricingClient(e.config());
  const one = async (usagetype) => {
    const items = await products(client, [term('TERM_MATCH', 'usagetype', usagetype)]);
    assert.strictEqual(items.length, 1, usagetype);
    return items[0];
  };
  // us-east-1 (no usage-type prefix), after the November 2024 price cut.
  assert.strictEqual(paid(await one('TimedStorage-ByteHrs')), 0.25);
  assert.strictEqual(paid(await one('IA-TimedStorage-ByteHrs')), 0.10);
  assert.strictEqual(paid(await one('TimedBackupStorage-ByteHrs')), 0.10);
  assert.strictEqual(paid(await one('ReadRequestUnits')) * 1e6, 0.125);
  assert.strictEqual(paid(await one('WriteRequestUnits')) * 1e6, 0.625);
  assert.strictEqual(paid(await one('ReadCapacityUnit-Hrs')), 0.00013);
  assert.strictEqual(paid(await one('WriteCapacityUnit-Hrs')), 0.00065);

  const ranges = (item) => onDemand(item).map((d) => [d.beginRange, d.endRange, Number(d.pricePerUnit.USD)]);
  for (const region of pricelist.REGION_CODES) {
    const std = pricelist.usageTypes(region, 'STANDARD');
    const p = pricelist.unitPrices(region, 'STANDARD');
    const hours = String(pricelist.FREE_TIER.rcu * 744);
    const gb = String(pricelist.FREE_TIER.storageGb);
    assert.deepStrictEqual(ranges(await one(std.storageGbMonth)), [['0', gb, 0], [gb, 'Inf', p.storageGbMonth]]);
    assert.deepStrictEqual(ranges(await one(std.rcuHour)), [['0', hours, 0], [hours, 'Inf', p.rcuHour]]);
    assert.deepStrictEqual(ranges(await one(std.wcuHour)), [['0', hours, 0], [hours, 'Inf', p.wcuHour]]);
    assert.deepStrictEqual(ranges(await one(std.readRequestUnit)), [['0', 'Inf', p.readRequestUnit]]);
    // Standard-IA and replicated writes have no free tier.
    const ia = pricelist.usageTypes(region, IA);
    const q = pricelist.unitPrices(region, IA);
    assert.deepStrictEqual(ranges(await one(ia.storageGbMonth)), [['0', 'Inf', q.storageGbMonth]]);
    assert.deepStrictEqual(ranges(await one(ia.rcuHour)), [['0', 'Inf', q.rcuHour]]);
    assert.deepStrictEqual(ranges(await one(std.replicatedWcuHour)), [['0', 'Inf', p.replicatedWcuHour]]);
  }
});

test('reserved capacity: 1 and 3 years, upfront plus hourly, Standard RCU and WCU only', async (t) => {
  const e = await start();
  t.after(e.close);
  const client = new PricingClient(e.config());
  for (const region of pricelist.REGION_CODES) {
    const items = await products(client, [term('TERM_MATCH', 'regionCode', region)]);
    const reserved = items.filter((i) => i.terms.Reserved);
    const std = pricelist.usageTypes(region, 'STANDARD');
    assert.deepStrictEqual(usages(reserved), new Set([std.rcuHour, std.wcuHour]));
    const want = pricelist.reservedPrices(region);
    for (const item of reserved) {
      const unit = item.product.attributes.usagetype === std.rcuHour ? 'rcu' : 'wcu';
      assert.strictEqual(item.product.productFamily, 'Provisioned IOPS');
      const terms = Object.values(item.terms.Reserved);
      assert.deepStrictEqual(terms.map((x) => x.termAttributes.LeaseContractLength).sort(), ['1yr', '3yr']);
      for (const x of terms) {
        assert.strictEqual(x.termAttributes.PurchaseOption, 'Heavy Utilization');
        assert.strictEqual(x.termAttributes.OfferingClass, 'standard');
        const dims = Object.values(x.priceDimensions);
        const fee = dims.find((d) => d.unit === 'Quantity');
        const hourly = dims.find((d) => d.unit !== 'Quantity');
        assert.strictEqual(fee.description, 'Upfront Fee');
        assert.strictEqual(Number(fee.pricePerUnit.USD), want[x.termAttributes.LeaseContractLength][unit].upfront);
        assert.strictEqual(Number(hourly.pricePerUnit.USD), want[x.termAttributes.LeaseContractLength][unit].hourly);
        assert.strictEqual(hourly.unit, unit === 'rcu' ? 'ReadCapacityUnit-Hrs' : 'WriteCapacityUnit-Hrs');
        assert.ok(hourly.rateCode.startsWith(`${item.product.sku}.${x.offerTermCode}.`));
      }
    }
  }
});

test('filters: TERM_MATCH, EQUALS, CONTAINS, ANY_OF, NONE_OF, all of them at once', async (t) => {
  const e = await start();
  t.after(e.close);
  const client = new PricingClient(e.config());
  const regions = pricelist.REGION_CODES;
  assert.deepStrictEqual(usages(await products(client, [term('CONTAINS', 'usagetype', 'IA-')])),
    usageSet(regions, [IA]));
  assert.deepStrictEqual(usages(await products(client, [term('ANY_OF', 'regionCode', `${regions[0]},${regions[2]}`)])),
    usageSet([regions[0], regions[2]]));
  assert.deepStrictEqual(usages(await products(client, [term('NONE_OF', 'regionCode', regions[0])])),
    usageSet(regions.slice(1)));
  const eu = pricelist.usageTypes('eu-west-1', 'STANDARD');
  assert.deepStrictEqual(usages(await products(client, [term('EQUALS', 'usagetype', eu.writeRequestUnit)])),
    new Set([eu.writeRequestUnit]));
  const storage = await products(client, [term('TERM_MATCH', 'productFamily', 'Database Storage'),
    term('TERM_MATCH', 'regionCode', 'eu-west-1'), term('TERM_MATCH', 'ServiceCode', SERVICE)]);
  assert.deepStrictEqual(usages(storage), new Set([eu.storageGbMonth,
    pricelist.usageTypes('eu-west-1', IA).storageGbMonth]));
  const [sku] = storage.map((i) => i.product.sku);
  assert.deepStrictEqual((await products(client, [term('TERM_MATCH', 'sku', sku)])).map((i) => i.product.sku), [sku]);
  assert.deepStrictEqual(await products(client, [term('TERM_MATCH', 'regionCode', 'eu-west-1'),
    term('TERM_MATCH', 'usagetype', pricelist.usageTypes('us-east-1', 'STANDARD').storageGbMonth)]), []);
});

test('offer files and GetProducts carry the same SKUs at the same prices', async (t) => {
  const e = await start();
  t.after(e.close);
  const client = new PricingClient(e.config());
  const get = async (path) => {
    const res = await fetch(`${e.endpoint}${path}`);
    assert.strictEqual(res.status, 200, path);
    assert.match(res.headers.get('content-type'), /json/);
    return res.json();
  };
  const index = await get('/offers/v1.0/aws/index.json');
  const entry = index.offers[SERVICE];
  assert.strictEqual(entry.offerCode, SERVICE);
  const versions = await get(entry.versionIndexUrl);
  assert.strictEqual(versions.currentVersion, pricelist.VERSION);
  const regionIndex = await get(entry.currentRegionIndexUrl);
  assert.deepStrictEqual(Object.keys(regionIndex.regions), pricelist.REGION_CODES);
  const everything = await get(versions.versions[pricelist.VERSION].offerVersionUrl);
  for (const region of pricelist.REGION_CODES) {
    const { regionCode, currentVersionUrl } = regionIndex.regions[region];
    assert.strictEqual(regionCode, region);
    assert.strictEqual(currentVersionUrl, `/offers/v1.0/aws/${SERVICE}/${pricelist.VERSION}/${region}/index.json`);
    const offer = await get(currentVersionUrl);
    assert.deepStrictEqual(await get(`/offers/v1.0/aws/${SERVICE}/current/${region}/index.json`), offer);
    assert.strictEqual(offer.formatVersion, 'v1.0');
    assert.strictEqual(offer.offerCode, SERVICE);
    assert.strictEqual(offer.version, pricelist.VERSION);
    assert.strictEqual(offer.publicationDate, pricelist.PUBLICATION_DATE);
    assert.match(offer.disclaimer, /informational purposes only/);
    const items = await products(client, [term('TERM_MATCH', 'regionCode', region)]);
    assert.strictEqual(Object.keys(offer.products).length, items.length);
    for (const item of items) {
      const { sku } = item.product;
      assert.deepStrictEqual(offer.products[sku], { sku, productFamily: item.product.productFamily,
        attributes: item.product.attributes });
      assert.deepStrictEqual(everything.products[sku], offer.products[sku]);
      for (const type of ['OnDemand', 'Reserved']) {
        assert.deepStrictEqual(offer.terms[type][sku], item.terms[type], `${sku} ${type}`);
      }
    }
  }
  // Revalidation, HEAD, and AWS's answer for a file that is not there.
  const path = `/offers/v1.0/aws/${SERVICE}/current/region_index.json`;
  const first = await fetch(`${e.endpoint}${path}`);
  const etag = first.headers.get('etag');
  assert.match(etag, /^"[0-9a-f]{32}"$/);
  assert.strictEqual(first.headers.get('last-modified'), new Date(pricelist.PUBLICATION_DATE).toUTCString());
  assert.strictEqual((await fetch(`${e.endpoint}${path}`, { headers: { 'if-none-match': etag } })).status, 304);
  const head = await fetch(`${e.endpoint}${path}`, { method: 'HEAD' });
  assert.strictEqual(head.status, 200);
  assert.strictEqual(Number(head.headers.get('content-length')), Buffer.byteLength(await first.text()));
  const missing = await fetch(`${e.endpoint}/offers/v1.0/aws/AmazonS4/current/index.json`);
  assert.strictEqual(missing.status, 404);
  assert.match(await missing.text(), /<Code>NoSuchKey<\/Code>.*<Key>offers\/v1\.0\/aws\/AmazonS4\/current\/index\.json<\/Key>/);
});

test('DescribeServices and GetAttributeValues', async (t) => {
  const e = await start();
  t.after(e.close);
  const client = new PricingClient(e.config());
  const d = await client.send(new DescribeServicesCommand({ ServiceCode: SERVICE, FormatVersion: 'aws_v1' }));
  assert.strictEqual(d.Services.length, 1);
  assert.strictEqual(d.Services[0].ServiceCode, SERVICE);
  for (const name of ['productFamily', 'regionCode', 'usagetype', 'group', 'volumeType', 'location']) {
    assert.ok(d.Services[0].AttributeNames.includes(name), name);
  }
  const values = [];
  const pager = paginateGetAttributeValues({ client, pageSize: 1 }, { ServiceCode: SERVICE, AttributeName: 'regionCode' });
  for await (const page of pager) values.push(...page.AttributeValues.map((v) => v.Value));
  assert.deepStrictEqual(values, [...pricelist.REGION_CODES].sort());
  const families = await client.send(new GetAttributeValuesCommand({ ServiceCode: SERVICE, AttributeName: 'productFamily' }));
  assert.deepStrictEqual(families.AttributeValues.map((v) => v.Value), ['Amazon DynamoDB PayPerRequest Throughput',
    'DDB-Operation-ReplicatedWrite', 'Database Storage', 'Provisioned IOPS', 'Storage Snapshot']);
  await assert.rejects(client.send(new GetAttributeValuesCommand({ ServiceCode: SERVICE, AttributeName: 'colour' })),
    { name: 'NotFoundException' });
});

test('errors: parameters, service codes, pagination tokens, signatures', async (t) => {
  const e = await start();
  t.after(e.close);
  const client = new PricingClient(e.config());
  const rejects = (input, name) => assert.rejects(client.send(new GetProductsCommand(input)),
    (err) => err.name === name && err.$metadata.httpStatusCode === 400, `${JSON.stringify(input)} ${name}`);
  await rejects({}, 'InvalidParameterException');
  await rejects({ ServiceCode: 'Amazon DynamoDB' }, 'InvalidParameterException');
  await rejects({ ServiceCode: 'AmazonS4' }, 'NotFoundException');
  await rejects({ ServiceCode: SERVICE, MaxResults: 101 }, 'InvalidParameterException');
  await rejects({ ServiceCode: SERVICE, FormatVersion: 'aws_v2' }, 'InvalidParameterException');
  await rejects({ ServiceCode: SERVICE, Filters: [term('REGEX', 'usagetype', '.*')] }, 'InvalidParameterException');
  await rejects({ ServiceCode: SERVICE, Filters: Array(51).fill(term('TERM_MATCH', 'regionCode', 'us-east-1')) },
    'InvalidParameterException');
  await rejects({ ServiceCode: SERVICE, NextToken: 'bm90IGEgdG9rZW4=' }, 'InvalidNextTokenException');

  const first = await client.send(new GetProductsCommand({ ServiceCode: SERVICE, MaxResults: 1 }));
  assert.ok(first.NextToken);
  // A token belongs to the query that made it.
  await rejects({ ServiceCode: SERVICE, MaxResults: 1, NextToken: first.NextToken,
    Filters: [term('TERM_MATCH', 'regionCode', 'eu-west-1')] }, 'InvalidNextTokenException');
  // Sixteen minutes later (client and server clocks moved together) it has expired.
  const later = 16 * 60 * 1000;
  e.emu.clock = () => Date.now() + later;
  const skewed = new PricingClient(e.config({ systemClockOffset: later }));
  await assert.rejects(skewed.send(new GetProductsCommand({ ServiceCode: SERVICE, MaxResults: 1, NextToken: first.NextToken })),
    { name: 'ExpiredNextTokenException' });
  e.emu.clock = () => Date.now();

  const bad = e.config({ credentials: { accessKeyId: e.emu.org.keys[0].accessKeyId, secretAccessKey: 'wrong' } });
  await assert.rejects(new PricingClient(bad).send(new GetProductsCommand({ ServiceCode: SERVICE })),
    { name: 'InvalidSignatureException' });
});
