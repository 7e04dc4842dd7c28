'use strict';
// The AWS Price List Query API (AWS JSON 1.1, AWSPriceListService):
// GetProducts, DescribeServices and GetAttributeValues over the DynamoDB
// price list of pricelist.js.

const crypto = require('node:crypto');
const pricelist = require('../pricelist.js');
const { fail } = require('./dynamodb.js');

const FORMAT = 'aws_v1';
const FILTER_TYPES = ['TERM_MATCH', 'EQUALS', 'CONTAINS', 'ANY_OF', 'NONE_OF'];
const MAX_FILTERS = 50;
// AWS does not say how long a pagination token lives; tokens of this
// emulator expire after 15 minutes (ExpiredNextTokenException).
const TOKEN_TTL_MS = 15 * 60 * 1000;
const TOKEN_KEY = crypto.randomBytes(32);

// Each GetProducts item once, with the JSON string AWS sends for it.
const ITEMS = pricelist.priceList().map((item) => ({ item, json: JSON.stringify(item) }));

// The filterable fields of a product: its attributes, productFamily, sku.
function fields(item) {
  return Object.assign({ productFamily: item.product.productFamily, sku: item.product.sku },
    item.product.attributes);
}

const ATTRIBUTE_NAMES = [...new Set(ITEMS.flatMap((x) => Object.keys(fields(x.item))))]
  .filter((n) => n !== 'sku').sort();

function invalid(message) {
  return fail(400, 'InvalidParameterException', `Input Parameters are invalid. ${message}`);
}

// The service code, checked the way AWS does.
function service(code, required) {
  if (code === undefined || code === null || code === '') {
    if (required) throw invalid('serviceCode cannot be null or empty');
    return null;
  }
  if (typeof code !== 'string' || !/^[A-Za-z0-9]+$/.test(code)) {
    throw fail(400, 'InvalidParameterException', 'ServiceCode can only contain a-z, A-Z, 0-9');
  }
  if (code !== pricelist.SERVICE) {
    throw fail(400, 'NotFoundException', `The requested resource can't be found: service code ${code}.`);
  }
  return code;
}

function checkFormat(p) {
  if (p.FormatVersion !== undefined && p.FormatVersion !== FORMAT) {
    throw invalid(`formatVersion ${p.FormatVersion} is not supported; use ${FORMAT}`);
  }
}

function maxResults(p) {
  const n = p.MaxResults === undefined ? 100 : p.MaxResults;
  if (!Number.isInteger(n) || n < 1 || n > 100) throw invalid('maxResults must be between 1 and 100');
  return n;
}

// A predicate for one {Type, Field, Value} filter. ANY_OF and NONE_OF
// take a comma-separated list of values.
function predicate(f) {
  if (!f || typeof f !== 'object' || !f.Field || typeof f.Value !== 'string') {
    throw invalid('filter field and value cannot be null or empty');
  }
  if (!FILTER_TYPES.includes(f.Type)) {
    throw invalid(`filter type ${f.Type} is not one of ${FILTER_TYPES.join(', ')}`);
  }
  const field = f.Field === 'ServiceCode' ? 'servicecode' : f.Field;
  const list = f.Value.split(',').map((v) => v.trim());
  const test = {
    TERM_MATCH: (v) => v === f.Value,
    EQUALS: (v) => v === f.Value,
    CONTAINS: (v) => v !== undefined && v.includes(f.Value),
    ANY_OF: (v) => list.includes(v),
    NONE_OF: (v) => !list.includes(v),
  }[f.Type];
  return (item) => test(fields(item)[field]);
}

function filters(p) {
  const list = p.Filters === undefined ? [] : p.Filters;
  if (!Array.isArray(list)) throw invalid('filters must be a list');
  if (list.length > MAX_FILTERS) throw invalid(`number of filters cannot exceed ${MAX_FILTERS}`);
  return list.map(predicate);
}

function sign(body) {
  return crypto.createHmac('sha256', TOKEN_KEY).update(body).digest('base64').slice(0, 24);
}

// Opaque tokens like AWS's "mac:payload", bound to the query that made
// them and to the time they were issued.
function token(query, offset, now) {
  const body = Buffer.from(JSON.stringify({ q: query, o: offset, t: now })).toString('base64');
  return `${sign(body)}:${body}`;
}

function offsetOf(tok, query, now) {
  if (tok === undefined || tok === null) return 0;
  const [mac, body] = String(tok).split(':');
  let t = null;
  try {
    t = mac === sign(body || '') ? JSON.parse(Buffer.from(body, 'base64').toString()) : null;
  } catch {
    t = null;
  }
  if (!t || t.q !== query || !Number.isInteger(t.o)) {
    throw fail(400, 'InvalidNextTokenException', 'The pagination token is invalid. Try again without a pagination token.');
  }
  if (now - t.t > TOKEN_TTL_MS) {
    throw fail(400, 'ExpiredNextTokenException', 'The pagination token expired. Try again without a pagination token.');
  }
  return t.o;
}

// One page of ${list} for the request ${p}, keyed on ${query}.
function page(ctx, p, query, list) {
  const size = maxResults(p);
  const key = crypto.createHash('sha256').update(JSON.stringify(query)).digest('hex').slice(0, 16);
  const start = offsetOf(p.NextToken, key, ctx.now());
  const items = list.slice(start, start + size);
  const next = start + size < list.length ? token(key, start + size, ctx.now()) : undefined;
  return [items, next];
}

const actions = {
  GetProducts(ctx, p) {
    const code = service(p.ServiceCode, true);
    checkFormat(p);
    const tests = filters(p);
    const matched = ITEMS.filter((x) => tests.every((t) => t(x.item)));
    const [items, next] = page(ctx, p, ['GetProducts', code, p.Filters || []], matched);
    const out = { FormatVersion: FORMAT, PriceList: items.map((x) => x.json) };
    if (next) out.NextToken = next;
    return out;
  },

  DescribeServices(ctx, p) {
    const code = service(p.ServiceCode, false);
    checkFormat(p);
    const all = [{ ServiceCode: pricelist.SERVICE, AttributeNames: ATTRIBUTE_NAMES }];
    const [items, next] = page(ctx, p, ['DescribeServices', code], all);
    const out = { Services: items, FormatVersion: FORMAT };
    if (next) out.NextToken = next;
    return out;
  },

  GetAttributeValues(ctx, p) {
    const code = service(p.ServiceCode, true);
    if (!p.AttributeName) throw invalid('attributeName cannot be null or empty');
    if (!ATTRIBUTE_NAMES.includes(p.AttributeName)) {
      throw fail(400, 'NotFoundException', `The requested resource can't be found: attribute ${p.AttributeName}.`);
    }
    const values = [...new Set(ITEMS.map((x) => fields(x.item)[p.AttributeName]))]
      .filter((v) => v).sort().map((Value) => ({ Value }));
    const [items, next] = page(ctx, p, ['GetAttributeValues', code, p.AttributeName], values);
    return next ? { AttributeValues: items, NextToken: next } : { AttributeValues: items };
  },
};

module.exports = { protocol: 'json', version: '1.1', target: 'AWSPriceListService', actions };
