'use strict';
// The public price list files (AWS Price List Bulk API) the way
// https://pricing.us-east-1.amazonaws.com serves them: unsigned GET or HEAD
// of the service index, DynamoDB's version index, its region index and
// offer files, under "current" and under the version they point to; and
// the Database Savings Plans' region index (a list of regionCode and
// versionUrl) and each region's Savings Plans price list file, under
// /savingsPlan/v1.0/aws/AWSDatabaseSavingsPlans/.
// Bodies are pretty-printed like AWS's (Jackson: "key" : value), with an
// ETag and Last-Modified so that clients can revalidate (304).

const crypto = require('node:crypto');
const pricelist = require('../pricelist.js');
const { send, restXml } = require('../protocol.js');

const BASE = '/offers/v1.0/aws';
const SP_BASE = `/savingsPlan/v1.0/aws/${pricelist.SP_OFFER}`;
const OFFER = `${BASE}/${pricelist.SERVICE}`;
// Versions take effect on the first of their month (AWS's version index
// shows versionEffectiveBeginDate 2025-09-01 for version 20250912...).
const EFFECTIVE_BEGIN = `${pricelist.PUBLICATION_DATE.slice(0, 8)}01T00:00:00Z`;

// JSON as AWS's files print it: two-space indent, " : ", "[ ]", "{ }".
function pretty(v, indent = '') {
  if (Array.isArray(v)) return v.length ? `[ ${v.map((x) => pretty(x, indent)).join(', ')} ]` : '[ ]';
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  const keys = Object.keys(v);
  if (keys.length === 0) return '{ }';
  const inner = `${indent}  `;
  return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)} : ${pretty(v[k], inner)}`).join(',\n')}\n${indent}}`;
}

function header() {
  return { formatVersion: pricelist.FORMAT_VERSION, disclaimer: pricelist.DISCLAIMER,
    publicationDate: pricelist.PUBLICATION_DATE };
}

function serviceIndex() {
  return Object.assign(header(), { offers: { [pricelist.SERVICE]: {
    offerCode: pricelist.SERVICE,
    versionIndexUrl: `${OFFER}/index.json`,
    currentVersionUrl: `${OFFER}/current/index.json`,
    currentRegionIndexUrl: `${OFFER}/current/region_index.json`,
    // As AmazonEC2's entry names its Compute Savings Plans' region index.
    currentSavingsPlanIndexUrl: `${SP_BASE}/current/region_index.json`,
  } } });
}

function versionIndex() {
  return Object.assign(header(), { offerCode: pricelist.SERVICE, currentVersion: pricelist.VERSION,
    versions: { [pricelist.VERSION]: { versionEffectiveBeginDate: EFFECTIVE_BEGIN,
      versionEffectiveEndDate: '', offerVersionUrl: `${OFFER}/${pricelist.VERSION}/index.json` } } });
}

function regionIndex() {
  return Object.assign(header(), { regions: Object.fromEntries(pricelist.REGION_CODES.map((r) =>
    [r, { regionCode: r, currentVersionUrl: `${OFFER}/${pricelist.VERSION}/${r}/index.json` }])) });
}

function spRegionIndex() {
  return { disclaimer: pricelist.DISCLAIMER, publicationDate: pricelist.PUBLICATION_DATE,
    regions: pricelist.REGION_CODES.map((r) => ({ regionCode: r,
      versionUrl: `${SP_BASE}/${pricelist.SP_VERSION}/${r}/index.json` })) };
}

// Every file by path, serialized once.
function documents() {
  const docs = [[`${BASE}/index.json`, serviceIndex()], [`${OFFER}/index.json`, versionIndex()]];
  for (const v of ['current', pricelist.VERSION]) {
    docs.push([`${OFFER}/${v}/index.json`, pricelist.offer()]);
    docs.push([`${OFFER}/${v}/region_index.json`, regionIndex()]);
    for (const r of pricelist.REGION_CODES) docs.push([`${OFFER}/${v}/${r}/index.json`, pricelist.offer([r])]);
  }
  for (const v of ['current', pricelist.SP_VERSION]) {
    docs.push([`${SP_BASE}/${v}/region_index.json`, spRegionIndex()]);
    for (const r of pricelist.REGION_CODES) {
      docs.push([`${SP_BASE}/${v}/${r}/index.json`, pricelist.savingsPlanOffer(r)]);
    }
  }
  const modified = new Date(pricelist.PUBLICATION_DATE).toUTCString();
  return new Map(docs.map(([path, obj]) => {
    const body = pretty(obj);
    const etag = `"${crypto.createHash('md5').update(body).digest('hex')}"`;
    return [path, { body, headers: { etag, 'last-modified': modified } }];
  }));
}

const DOCUMENTS = documents();

function match(req) {
  return (req.method === 'GET' || req.method === 'HEAD') &&
    (req.url.startsWith('/offers/') || req.url.startsWith('/savingsPlan/'));
}

// A reply without a body (HEAD, 304).
function bare(res, status, headers) {
  res.writeHead(status, headers);
  res.end();
}

function handle(ctx, req, res) {
  const path = req.url.split('?')[0];
  const doc = DOCUMENTS.get(path);
  if (!doc) {
    if (req.method === 'HEAD') return bare(res, 404, { 'content-type': 'application/xml' });
    return restXml.error(res, 404, 'NoSuchKey', 'The specified key does not exist.', { Key: path.slice(1) });
  }
  const tags = (req.headers['if-none-match'] || '').split(',').map((t) => t.trim());
  if (tags.includes(doc.headers.etag) || tags.includes('*')) return bare(res, 304, doc.headers);
  if (req.method === 'HEAD') {
    return bare(res, 200, Object.assign({ 'content-type': 'application/json',
      'content-length': Buffer.byteLength(doc.body) }, doc.headers));
  }
  return send(res, 200, 'application/json', doc.body, doc.headers);
}

module.exports = { protocol: 'rest', match, handle };
