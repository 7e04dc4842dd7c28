'use strict';
// CloudWatch GetMetricData over the metrics DynamoDB publishes (AWS/DynamoDB,
// from the traffic model in workload.js) for the caller's account and
// region: AWS JSON 1.0 as the AWS SDK for JavaScript v3 sends it, and the
// query protocol with XML replies as awscli sends it.
//
// Datapoints are timestamped at StartTime (rounded down by its age) plus
// whole periods, StartTime inclusive, EndTime exclusive; a datapoint
// aggregates the complete minutes of its period. CloudWatch keeps 1-minute
// data for 15 days, 5-minute for 63 and 1-hour for 455: older datapoints
// of a period that is not a multiple of what is kept are not returned.
// A page holds at most MaxDatapoints (100,800) datapoints, newest first
// (or oldest first with ScanBy TimestampAscending) across all queries; the
// NextToken continues where the page stopped.

const crypto = require('node:crypto');
const workload = require('../workload.js');

const NS = 'http://monitoring.amazonaws.com/doc/2010-08-01/';
const MAX_QUERIES = 500;
const MAX_DATAPOINTS = 100800;
const DAY = 86400;
// [period multiple, seconds kept], finest last.
const RETENTION = [[3600, 455 * DAY], [300, 63 * DAY], [60, 15 * DAY]];
const STATS = new Set(['Sum', 'Average', 'Maximum', 'Minimum', 'SampleCount']);
// Percentiles and trimmed statistics: valid, but DynamoDB publishes
// statistic sets, which have none.
const EXTENDED = /^(p|tm|tc|ts|wm)(\d{1,2}(\.\d+)?|100)$/;
const ID = /^[a-z][a-zA-Z0-9_]*$/;
// Query error codes as the JSON protocol names them.
const JSON_CODES = {
  InvalidParameterValue: 'InvalidParameterValueException',
  MissingParameter: 'MissingRequiredParameterException',
  ValidationError: 'ValidationException',
};

function fail(code, message) {
  return Object.assign(new Error(message), { status: 400, code });
}

// Form parameters as the structure they flatten: {"A.member.1.B": v,
// "A.member.2.B": w} -> {A: [{B: v}, {B: w}]}; "A=" is an empty list.
function unflatten(params) {
  const root = {};
  for (const [key, value] of Object.entries(params)) {
    const parts = key.split('.');
    if (parts.some((x) => x === '__proto__' || x === 'constructor' || x === 'prototype')) continue;
    let node = root;
    for (const part of parts.slice(0, -1)) {
      if (typeof node[part] !== 'object') node[part] = {};
      node = node[part];
    }
    node[parts[parts.length - 1]] = value;
  }
  return lists(root);
}

function lists(node) {
  if (typeof node !== 'object') return node;
  if (typeof node.member === 'object') {
    return Object.keys(node.member).sort((a, b) => a - b).map((k) => lists(node.member[k]));
  }
  for (const k of Object.keys(node)) node[k] = lists(node[k]);
  return node;
}

// Seconds since 1970 of a request timestamp: a number (JSON) or ISO 8601
// (query); NaN if it is neither.
function seconds(v) {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v)) return Date.parse(v) / 1000;
  return NaN;
}

function int(v) {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return Number.isInteger(n) ? n : NaN;
}

// The request, checked, as {queries, start, end, token, ascending, max}.
function parse(p) {
  for (const name of ['MetricDataQueries', 'StartTime', 'EndTime']) {
    if (p[name] === undefined) throw fail('MissingParameter', `The parameter ${name} is required.`);
  }
  const list = p.MetricDataQueries === '' ? [] : p.MetricDataQueries;
  if (!Array.isArray(list)) throw fail('MissingParameter', 'The parameter MetricDataQueries is required.');
  const queries = list.map((q) => (q && typeof q === 'object' ? q : {}));
  if (queries.length > MAX_QUERIES) {
    throw fail('ValidationError', `The collection MetricDataQueries must not have a size greater than ${MAX_QUERIES}.`);
  }
  const bad = [];
  queries.forEach((q, i) => {
    if (!ID.test(q.Id || '')) {
      bad.push(`The value ${q.Id || ''} for parameter MetricDataQueries.member.${i + 1}.Id is not matching the expected pattern ^[a-z][a-zA-Z0-9_]*$.`);
    }
  });
  if (bad.length > 0) throw fail('ValidationError', bad.join('\n'));
  if (new Set(queries.map((q) => q.Id)).size !== queries.length) {
    throw fail('ValidationError', 'The values for parameter id in MetricDataQueries are not unique.');
  }
  const start = seconds(p.StartTime);
  const end = seconds(p.EndTime);
  for (const [name, v] of [['StartTime', start], ['EndTime', end]]) {
    if (!Number.isFinite(v)) throw fail('InvalidParameterValue', `The parameter ${name} must be a valid timestamp.`);
  }
  if (start === end) throw fail('ValidationError', 'The parameter StartTime must not equal parameter EndTime.');
  if (start > end) throw fail('ValidationError', 'The parameter EndTime must be greater than StartTime.');
  const ascending = p.ScanBy === 'TimestampAscending';
  if (p.ScanBy !== undefined && !ascending && p.ScanBy !== 'TimestampDescending') {
    throw fail('ValidationError', `1 validation error detected: Value '${p.ScanBy}' at 'scanBy' failed to satisfy constraint: Member must satisfy enum value set: [TimestampDescending, TimestampAscending]`);
  }
  const max = p.MaxDatapoints === undefined ? MAX_DATAPOINTS : int(p.MaxDatapoints);
  if (!(max >= 1)) {
    throw fail('ValidationError', `1 validation error detected: Value '${p.MaxDatapoints}' at 'maxDatapoints' failed to satisfy constraint: Member must have value greater than or equal to 1`);
  }
  return { queries: queries.map(query), start, end, ascending, token: p.NextToken,
    max: Math.min(max, MAX_DATAPOINTS) };
}

// One MetricDataQuery (the ${i}th), checked.
function query(q, i) {
  const at = `MetricDataQueries.member.${i + 1}`;
  if (q.Expression !== undefined) {
    if (q.MetricStat !== undefined) {
      throw fail('ValidationError', `The parameters ${at}.MetricStat and ${at}.Expression are mutually exclusive and you have specified both.`);
    }
    throw fail('ValidationError', `${at}.Expression: metric math and Metrics Insights are not supported by this emulator.`);
  }
  const s = q.MetricStat;
  if (typeof s !== 'object' || typeof s.Metric !== 'object') {
    throw fail('ValidationError', `The parameter ${at}.MetricStat is required.`);
  }
  const period = int(s.Period);
  if (!(period >= 1)) {
    throw fail('ValidationError', `1 validation error detected: Value '${s.Period}' at 'metricDataQueries.${i + 1}.member.metricStat.period' failed to satisfy constraint: Member must have value greater than or equal to 1`);
  }
  if (period % 60 !== 0 && ![1, 5, 10, 20, 30].includes(period)) {
    throw fail('ValidationError', `The value ${period} for parameter ${at}.MetricStat.Period is not valid. The period must be 1, 5, 10, 20, 30, 60 or a multiple of 60.`);
  }
  if (!STATS.has(s.Stat) && !EXTENDED.test(s.Stat || '')) {
    throw fail('ValidationError', `The value ${s.Stat || ''} for parameter ${at}.MetricStat.Stat is not a valid statistic.`);
  }
  const dims = Array.isArray(s.Metric.Dimensions) ? s.Metric.Dimensions : [];
  return {
    id: q.Id, label: q.Label, returnData: q.ReturnData !== false && q.ReturnData !== 'false',
    namespace: s.Metric.Namespace, name: s.Metric.MetricName,
    dims: Object.fromEntries(dims.map((d) => [d.Name, d.Value])), ndims: dims.length,
    period, stat: s.Stat, unit: s.Unit, account: q.AccountId,
  };
}

// The workload model a query reads ({mdl, series}: the model and the
// series already computed for this request), or null for a metric DynamoDB
// does not publish for an existing resource of the caller.
function source(ctx, q, models) {
  if (q.namespace !== 'AWS/DynamoDB' || !STATS.has(q.stat) || q.period % 60 !== 0) return null;
  if ((q.unit !== undefined && q.unit !== 'Count') || (q.account && q.account !== ctx.account)) return null;
  const { TableName: name, GlobalSecondaryIndexName: index } = q.dims;
  if (name === undefined || q.ndims !== (index === undefined ? 1 : 2)) return null;
  const key = `${name}\n${index}`;
  if (!models.has(key)) {
    const table = ctx.tables(ctx.account, ctx.region).find((t) => t.name === name);
    const gsi = table && index !== undefined ? (table.gsis || []).find((g) => g.name === index) : null;
    models.set(key, table && (index === undefined || gsi) ?
      { mdl: workload.model(ctx.org.seed ?? 1, table, gsi || null), series: new Map() } : null);
  }
  const src = models.get(key);
  return src && workload.publishes(src.mdl, q.name) ? src : null;
}

// CloudWatch rounds StartTime down to the resolution kept at its age.
function roundStart(start, now) {
  const age = now - start;
  const step = age < 15 * DAY ? 60 : age < 63 * DAY ? 300 : 3600;
  return Math.floor(start / step) * step;
}

// Per query: the slots k (timestamps start + k * period) that can hold
// data, [lo, hi), or lo == hi.
function plan(q, src, start, end, now, shared) {
  const P = q.period;
  const p = { q, src, P, lo: 0, hi: 0, ticks: shared };
  if (!src) return p;
  const kept = RETENTION.find(([mult]) => P % mult === 0)[1];
  const complete = Math.floor(now / 60) * 60;
  p.lo = Math.max(0, Math.ceil((now - kept - start) / P), Math.floor((src.mdl.created * 60 - start) / P));
  p.hi = Math.max(p.lo, Math.min(Math.ceil((end - start) / P), Math.ceil((complete - start) / P)));
  return p;
}

function statistic(stat, n, total, lo, hi) {
  switch (stat) {
    case 'Sum': return total;
    case 'Average': return total / n;
    case 'Maximum': return hi;
    case 'Minimum': return lo;
    default: return n;
  }
}

// Whether each of ${slots} slots of ${per} minutes has a datapoint.
function full(count, per, slots) {
  for (let i = 0; i < slots; i++) {
    let any = false;
    for (let j = i * per; j < (i + 1) * per && j < count.length && !any; j++) any = count[j] > 0;
    if (!any) return false;
  }
  return true;
}

// The timestamps of slots [ka, kb) of plan ${p}, in scan order: one array
// for all the queries of a request that have them all.
function ticks(p, start, ka, kb, desc) {
  const key = `${p.P} ${ka} ${kb} ${desc}`;
  if (!p.ticks.has(key)) {
    const ts = [];
    for (let k = desc ? kb - 1 : ka; k >= ka && k < kb; k += desc ? -1 : 1) ts.push(start + k * p.P);
    p.ticks.set(key, ts);
  }
  return p.ticks.get(key);
}

// The datapoints of slots [ka, kb) of plan ${p}: {ts, vs}, oldest first,
// or newest first if ${desc}. The arrays may be shared: never change them.
function points(p, start, now, ka, kb, desc) {
  ka = Math.max(ka, p.lo);
  kb = Math.min(kb, p.hi);
  if (ka >= kb) return { ts: [], vs: [] };
  const per = p.P / 60;
  const m0 = start / 60 + ka * per;
  const m1 = Math.min(start / 60 + kb * per, Math.floor(now / 60));
  // Statistics of one metric share its minutes.
  const key = `${p.q.name} ${m0} ${m1}`;
  if (!p.src.series.has(key)) p.src.series.set(key, workload.series(p.src.mdl, p.q.name, m0, m1));
  const { sum, count, min, max } = p.src.series.get(key);
  const dense = full(count, per, kb - ka);
  const ts = dense ? ticks(p, start, ka, kb, desc) : [];
  const vs = [];
  const stat = p.q.stat;
  const step = desc ? -1 : 1;
  for (let k = desc ? kb - 1 : ka; k >= ka && k < kb; k += step) {
    const i = (k - ka) * per;
    const j1 = Math.min(i + per, m1 - m0);
    let n = 0;
    let total = 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (let j = i; j < j1; j++) {
      if (count[j] === 0) continue;
      n += count[j];
      total += sum[j];
      if (min[j] < lo) lo = min[j];
      if (max[j] > hi) hi = max[j];
    }
    if (n === 0) continue;
    if (!dense) ts.push(start + k * p.P);
    vs.push(statistic(stat, n, total, lo, hi));
  }
  return { ts, vs };
}

// ${to} followed by ${from}, in new arrays (both may be shared).
function append(to, from) {
  if (from.ts.length === 0) return;
  to.ts = to.ts.length === 0 ? from.ts : to.ts.concat(from.ts);
  to.vs = to.vs.length === 0 ? from.vs : to.vs.concat(from.vs);
}

// Where a page starts: after timestamp t in scan order, and at t itself
// from query q on.
function decodeToken(token, hash, n) {
  let c;
  try {
    c = JSON.parse(Buffer.from(token, 'base64').toString());
  } catch {
    c = null;
  }
  if (!c || c.h !== hash || !Number.isInteger(c.t) || !Number.isInteger(c.q) || c.q < 0 || c.q > n) {
    throw fail('InvalidNextToken', 'The NextToken is not valid for this request.');
  }
  return c;
}

function requestHash(r) {
  return crypto.createHash('sha256').update(JSON.stringify([r.queries, r.start, r.end, r.ascending]))
    .digest('base64url').slice(0, 22);
}

// One page of the request ${r} for the plans ${plans}: per plan {ts, vs}
// in scan order, and the cursor {t, q} of the next page or null.
function page(r, plans, start, now, cursor) {
  const asc = r.ascending;
  const n = plans.length;
  const out = plans.map(() => ({ ts: [], vs: [] }));
  let budget = r.max;
  const slot = (p, t) => (t - start) % p.P === 0 && (t - start) / p.P >= p.lo && (t - start) / p.P < p.hi;
  // Queries from cursor.q on still owe their datapoint at cursor.t.
  for (let j = cursor.q; j < n; j++) {
    if (!slot(plans[j], cursor.t)) continue;
    const k = (cursor.t - start) / plans[j].P;
    const one = points(plans[j], start, now, k, k + 1, false);
    if (one.ts.length === 0) continue;
    if (budget === 0) return { out, next: { t: cursor.t, q: j } };
    append(out[j], one);
    budget--;
  }
  // The slots still to scan, per plan: [lo, hi).
  const left = plans.map((p) => {
    const k = (cursor.t - start) / p.P;
    return asc ? [Math.max(p.lo, Math.floor(k) + 1), p.hi] : [p.lo, Math.min(p.hi, Math.ceil(k))];
  });
  const alive = () => plans.filter((p, j) => left[j][0] < left[j][1]);
  // Whole windows of time while every datapoint they may hold fits.
  let edge = cursor.t + (asc ? 1 : 0);
  for (;;) {
    const live = alive();
    if (live.length === 0) return { out, next: null };
    const rate = live.reduce((a, p) => a + 1 / p.P, 0);
    // All that is left if it fits, else what surely fits.
    const all = left.reduce((a, [lo, hi]) => a + Math.max(0, hi - lo), 0);
    const span = all <= budget ? Infinity : Math.floor((budget - live.length) / rate);
    if (span < 60) break;
    const a = asc ? edge : edge - span;
    const b = asc ? edge + span : edge;
    plans.forEach((p, j) => {
      const ka = Math.max(left[j][0], Math.ceil((a - start) / p.P));
      const kb = Math.min(left[j][1], Math.ceil((b - start) / p.P));
      if (ka >= kb) return;
      const got = points(p, start, now, ka, kb, !asc);
      append(out[j], got);
      budget -= got.ts.length;
      left[j] = asc ? [kb, left[j][1]] : [left[j][0], ka];
    });
    edge = asc ? b : a;
  }
  return tail(plans, left, out, budget, start, now, asc);
}

// The rest of a page datapoint by datapoint, in (time, query) order, from
// per-query look-ahead buffers that grow while they come back empty.
function tail(plans, left, out, budget, start, now, asc) {
  const ahead = plans.map(() => ({ ts: [], vs: [], i: 0, size: 16 }));
  const more = plans.map(() => ({ ts: [], vs: [] }));
  const done = (next) => {
    more.forEach((m, j) => append(out[j], m));
    return { out, next };
  };
  const peek = (j) => {
    const b = ahead[j];
    while (b.i === b.ts.length && left[j][0] < left[j][1]) {
      const [lo, hi] = left[j];
      const ka = asc ? lo : Math.max(lo, hi - b.size);
      const kb = asc ? Math.min(hi, lo + b.size) : hi;
      Object.assign(b, points(plans[j], start, now, ka, kb, !asc), { i: 0 });
      left[j] = asc ? [kb, hi] : [lo, ka];
      b.size *= 2;
    }
    return b.i < b.ts.length ? b.ts[b.i] : null;
  };
  for (;;) {
    let best = -1;
    let bt = 0;
    for (let j = 0; j < plans.length; j++) {
      const t = peek(j);
      if (t !== null && (best < 0 || (asc ? t < bt : t > bt))) {
        best = j;
        bt = t;
      }
    }
    if (best < 0) return done(null);
    if (budget === 0) return done({ t: bt, q: best });
    const b = ahead[best];
    more[best].ts.push(b.ts[b.i]);
    more[best].vs.push(b.vs[b.i]);
    b.i++;
    budget--;
  }
}

// Whether plan ${p} (the ${j}th) has slots after cursor ${c}.
function more(p, j, c, start, asc) {
  const k = (c.t - start) / p.P;
  if (Number.isInteger(k) && j >= c.q && k >= p.lo && k < p.hi) return true;
  return asc ? Math.max(p.lo, Math.floor(k) + 1) < p.hi : p.lo < Math.min(p.hi, Math.ceil(k));
}

function getMetricData(ctx, input) {
  const r = parse(input);
  const now = Math.floor(ctx.now() / 1000);
  const start = roundStart(r.start, now);
  const models = new Map();
  const shared = new Map();
  const plans = r.queries.map((q) => plan(q, source(ctx, q, models), start, r.end, now, shared));
  const hash = requestHash(r);
  const cursor = r.token !== undefined ? decodeToken(r.token, hash, plans.length) :
    { t: r.ascending ? start - 1 : Math.ceil(r.end), q: plans.length };
  const { out, next } = page(r, plans, start, now, cursor);
  const results = [];
  plans.forEach((p, j) => {
    if (!p.q.returnData) return;
    results.push({ Id: p.q.id, Label: p.q.label ?? p.q.name, Timestamps: out[j].ts,
      Values: out[j].vs, StatusCode: next && more(p, j, next, start, r.ascending) ? 'PartialData' : 'Complete',
      Messages: [] });
  });
  const reply = { MetricDataResults: results, Messages: [] };
  if (next) reply.NextToken = Buffer.from(JSON.stringify({ t: next.t, q: next.q, h: hash })).toString('base64');
  return reply;
}

const actions = {
  // The query protocol hands over form parameters, JSON the structure.
  GetMetricData(ctx, p) {
    const form = typeof p.Action === 'string';
    try {
      return getMetricData(ctx, form ? unflatten(p) : p);
    } catch (e) {
      if (!form && JSON_CODES[e.code]) e.code = JSON_CODES[e.code];
      throw e;
    }
  },
};

function iso(t) {
  return new Date(t * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

// The reply as the query protocol's XML has it: ISO 8601 timestamps.
function toQuery(action, reply) {
  return Object.assign({}, reply, {
    MetricDataResults: reply.MetricDataResults.map((m) =>
      Object.assign({}, m, { Timestamps: m.Timestamps.map(iso) })),
  });
}

module.exports = { protocol: 'json+query', version: '1.0', target: 'GraniteServiceVersion20100801',
  errorPrefix: 'com.amazonaws.cloudwatch#', ns: NS, actions, toQuery };
