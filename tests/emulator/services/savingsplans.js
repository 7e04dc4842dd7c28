'use strict';
// Savings Plans (REST-JSON, signing name savingsplans, endpoint
// https://savingsplans.amazonaws.com signed for us-east-1; botocore
// savingsplans 2019-06-28): DescribeSavingsPlansOfferingRates over the
// Database Savings Plans rates of pricelist.js. POST
// /DescribeSavingsPlansOfferingRates with a JSON body; the reply is
// {searchResults, nextToken}; an error is its name in x-amzn-ErrorType and
// {"message"} in the body.

const crypto = require('node:crypto');
const pricelist = require('../pricelist.js');
const { restJson } = require('../protocol.js');

const RATES = pricelist.savingsPlanOfferingRates();
const PLAN_TYPES = ['Compute', 'EC2Instance', 'SageMaker', 'Database'];
const PAYMENT_OPTIONS = ['All Upfront', 'Partial Upfront', 'No Upfront'];
// SavingsPlanRateFilterAttribute.
const FILTERS = ['region', 'instanceFamily', 'instanceType', 'productDescription', 'tenancy', 'productId'];
const LISTS = ['savingsPlanOfferingIds', 'savingsPlanPaymentOptions', 'savingsPlanTypes', 'products',
  'serviceCodes', 'usageTypes', 'operations'];
const TOKEN_KEY = crypto.randomBytes(32);
// The model's PaginationToken: ^[A-Za-z0-9/=\+]+$, at most 1024.
const TOKEN_RE = /^[A-Za-z0-9/=+]+$/;

function fail(status, code, message) {
  return Object.assign(new Error(message), { status, code });
}

function invalid(message) {
  return fail(400, 'ValidationException', message);
}

function list(p, name) {
  const v = p[name];
  if (v === undefined) return null;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw invalid(`${name} must be a list of strings`);
  return v;
}

// Tokens: base64 of the offset and a MAC of it and the query.
function mac(query, offset) {
  return crypto.createHmac('sha256', TOKEN_KEY).update(`${query}|${offset}`).digest('hex').slice(0, 16);
}

function token(query, offset) {
  return Buffer.from(JSON.stringify({ o: offset, m: mac(query, offset) })).toString('base64');
}

function offsetOf(tok, query) {
  if (tok === undefined || tok === null) return 0;
  if (typeof tok !== 'string' || tok.length > 1024 || !TOKEN_RE.test(tok)) throw invalid('Invalid nextToken');
  let t = null;
  try {
    t = JSON.parse(Buffer.from(tok, 'base64').toString());
  } catch {
    t = null;
  }
  if (!t || !Number.isInteger(t.o) || t.m !== mac(query, t.o)) throw invalid('Invalid nextToken');
  return t.o;
}

function describeSavingsPlansOfferingRates(p) {
  const lists = {};
  for (const name of LISTS) lists[name] = list(p, name);
  for (const t of lists.savingsPlanTypes || []) {
    if (!PLAN_TYPES.includes(t)) throw invalid(`Invalid savingsPlanTypes value ${t}`);
  }
  for (const o of lists.savingsPlanPaymentOptions || []) {
    if (!PAYMENT_OPTIONS.includes(o)) throw invalid(`Invalid savingsPlanPaymentOptions value ${o}`);
  }
  const filters = p.filters === undefined ? [] : p.filters;
  if (!Array.isArray(filters)) throw invalid('filters must be a list');
  for (const f of filters) {
    if (!f || !FILTERS.includes(f.name) || !Array.isArray(f.values)) throw invalid('Invalid filter');
  }
  const max = p.maxResults === undefined ? 1000 : p.maxResults;
  if (!Number.isInteger(max) || max < 0 || max > 1000) throw invalid('maxResults must be between 0 and 1000');
  const pass = (name, v) => !lists[name] || lists[name].includes(v);
  const matched = RATES.filter((x) => pass('savingsPlanOfferingIds', x.savingsPlanOffering.offeringId) &&
    pass('savingsPlanPaymentOptions', x.savingsPlanOffering.paymentOption) &&
    pass('savingsPlanTypes', x.savingsPlanOffering.planType) && pass('products', x.productType) &&
    pass('serviceCodes', x.serviceCode) && pass('usageTypes', x.usageType) &&
    pass('operations', x.operation) &&
    filters.every((f) => x.properties.some((q) => q.name === f.name && f.values.includes(q.value))));
  const query = crypto.createHash('sha256').update(JSON.stringify([lists, filters])).digest('hex');
  const start = offsetOf(p.nextToken, query);
  const size = max === 0 ? 1000 : max;
  const out = { searchResults: matched.slice(start, start + size) };
  if (start + size < matched.length) out.nextToken = token(query, start + size);
  return out;
}

function error(res, status, code, message) {
  restJson.error(res, status, code, message);
}

function handle(ctx, req, res, body) {
  const path = req.url.split('?')[0];
  if (req.method !== 'POST' || path !== '/DescribeSavingsPlansOfferingRates') {
    return error(res, 404, 'UnknownOperationException', `No operation at ${req.method} ${path}`);
  }
  let p;
  try {
    p = body.length ? JSON.parse(body.toString()) : {};
  } catch {
    p = null;
  }
  if (!p || typeof p !== 'object' || Array.isArray(p)) {
    return error(res, 400, 'SerializationException', 'Start of structure or map found where not expected.');
  }
  try {
    return restJson.reply(res, describeSavingsPlansOfferingRates(p));
  } catch (e) {
    if (!e.code) throw e;
    return error(res, e.status, e.code, e.message);
  }
}

module.exports = { protocol: 'rest', authErrors: 'restJson', handle, error };
