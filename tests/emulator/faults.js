'use strict';
// Faults the emulator injects, chosen by --faults SPEC (grammar in
// README.md): each service's own throttling error, server errors, added
// latency, connection resets, truncated bodies, request-rate limits,
// denied calls and denied accounts or regions, listings that never end.
// They fire on exact calls ("the first N") or
// at random from the seed, and are counted, so that a test can tell how
// often a client was refused and retried.

const { prng } = require('./org.js');
const { json, query, restXml } = require('./protocol.js');

// The kinds a rule can have; the counters reported (5xx counts 500, 503
// and 5xx rules; rps counts requests refused for their rate; deny counts
// AccessDenied answers for denied accounts and regions and deny rules).
const ERRORS = ['throttle', '500', '503', '5xx', 'reset', 'truncate', 'deny', 'loop', 'datapoints'];
const COUNTERS = ['requests', 'throttle', '5xx', 'latency', 'reset', 'truncate', 'rps', 'deny'];
// Counted too, but printed only when a rule of theirs fired (the summary
// line of older specs stays as it was).
const EXTRA_COUNTERS = ['loop', 'datapoints'];

// What datapoints=TARGET:MODE makes of a GetMetricData reply.
const DATAPOINTS = ['negative', 'huge', 'infinite', 'duplicate', 'extra'];

// The tokens of a listing that never ends (loop=TARGET:N): the request's
// field that names the page, the reply's field that names the next one.
const LOOP_TOKEN = /^emulator-loop-(\d+)$/;
const LOOP_FIELDS = {
  'dynamodb:ListTables': ['ExclusiveStartTableName', 'LastEvaluatedTableName'],
  '': ['NextToken', 'NextToken'],
};

// AWS enforces this quota on every account and region; a spec may change
// it (rps=monitoring:GetMetricData:N, 0 for none).
const DEFAULT_RPS = 'rps=monitoring:GetMetricData:50';

// Each service's own throttling error: [status, code, message].
const THROTTLE = {
  dynamodb: [400, 'ThrottlingException', 'Rate of requests exceeds the allowed throughput.'],
  monitoring: [400, 'Throttling', 'Rate exceeded'],
  sts: [400, 'Throttling', 'Rate exceeded'],
  organizations: [400, 'TooManyRequestsException',
    'You have sent too many requests in too short a period of time. Try again later.'],
  pricing: [429, 'ThrottlingException', 'Rate exceeded'],
  savingsplans: [429, 'ThrottlingException', 'Rate exceeded'],
  'application-autoscaling': [400, 'ThrottlingException', 'Rate exceeded'],
  s3: [503, 'SlowDown', 'Please reduce your request rate.'],
  imds: [429, 'TooManyRequests', 'Too Many Requests'],
};
const THROTTLE_BY_PROTOCOL = {
  json: [400, 'ThrottlingException', 'Rate exceeded'],
  query: [400, 'Throttling', 'Rate exceeded'],
  rest: [503, 'SlowDown', 'Please reduce your request rate.'],
};
// Server errors: the common AWS codes, or the service's own.
const SERVER = {
  500: { '': ['InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.'],
    dynamodb: ['InternalServerError', 'Internal server error'],
    s3: ['InternalError', 'We encountered an internal error. Please try again.'] },
  503: { '': ['ServiceUnavailable', 'The request has failed due to a temporary failure of the server.'],
    s3: ['ServiceUnavailable', 'Reduce your request rate.'] },
};

function bad(text, why) { return new Error(`--faults: ${text}: ${why}`); }

// "first:N" or a probability in (0, 1].
function parseWhen(text, s) {
  let m = /^first:(\d+)$/.exec(s);
  if (m && Number(m[1]) > 0) return { first: Number(m[1]) };
  m = /^(0?\.\d+|1(\.0*)?)$/.exec(s);
  if (m && Number(s) > 0) return { p: Number(s) };
  throw bad(text, `"${s}" is neither first:N nor a probability in (0, 1]`);
}

// "*" or SERVICE[:ACTION], then optionally /REGION.
function parseTarget(text, s, services) {
  const [what, region, extra] = s.split('/');
  if (extra !== undefined || region === '' || (region && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region))) {
    throw bad(text, `bad region in "${s}"`);
  }
  if (what === '*') return { service: null, action: null, region: region || null };
  const [service, action, more] = what.split(':');
  if (!services.includes(service)) {
    throw bad(text, `unknown service "${service}" (one of *, ${services.join(', ')})`);
  }
  if (more !== undefined || (action !== undefined && !/^[A-Z][A-Za-z0-9]*$/.test(action))) {
    throw bad(text, `bad action in "${what}"`);
  }
  return { service, action: action || null, region: region || null };
}

// One rule of a spec: KIND=TARGET[@WHEN], latency=TARGET:Nms[@WHEN],
// loop=TARGET:N[@WHEN], datapoints=TARGET:MODE[@WHEN], rps=TARGET:N,
// deny-account=ID, deny-region=REGION.
function parseRule(text, services) {
  const eq = text.indexOf('=');
  if (eq < 0) throw bad(text, 'expected KIND=...');
  const kind = text.slice(0, eq);
  let rest = text.slice(eq + 1);
  if (kind === 'deny-account') {
    if (!/^\d{12}$/.test(rest)) throw bad(text, 'expected a 12-digit account id');
    return { kind, account: rest };
  }
  if (kind === 'deny-region') {
    if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(rest)) throw bad(text, 'expected a region');
    return { kind, region: rest };
  }
  if (!ERRORS.includes(kind) && kind !== 'latency' && kind !== 'rps') throw bad(text, `unknown fault "${kind}"`);
  const arg = { latency: 'ms', rps: 'limit', loop: 'tokens', datapoints: 'mode' }[kind];
  const rule = { kind, when: { p: 1 } };
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    if (kind === 'rps') throw bad(text, 'a rate limit has no @');
    rule.when = parseWhen(text, rest.slice(at + 1));
    rest = rest.slice(0, at);
  }
  if (kind === 'datapoints') {
    const c = rest.lastIndexOf(':');
    if (c < 0 || !DATAPOINTS.includes(rest.slice(c + 1))) throw bad(text, `expected TARGET:MODE, MODE one of ${DATAPOINTS.join(', ')}`);
    rule.mode = rest.slice(c + 1);
    rest = rest.slice(0, c);
  } else if (arg) {
    const c = rest.lastIndexOf(':');
    const m = kind === 'latency' ? /^(\d+)ms$/.exec(rest.slice(c + 1)) : /^(\d+)$/.exec(rest.slice(c + 1));
    if (c < 0 || !m || (kind === 'loop' && Number(m[1]) < 1)) {
      throw bad(text, `expected ${kind === 'latency' ? 'TARGET:Nms' : kind === 'loop' ? 'TARGET:N, N >= 1' : 'TARGET:N'}`);
    }
    rule[arg] = Number(m[1]);
    rest = rest.slice(0, c);
  }
  return Object.assign(rule, parseTarget(text, rest, services));
}

// The rules of ${spec} (comma-separated), with the default GetMetricData
// rate limit unless the spec sets its own; throws on a bad spec.
function parse(spec, services) {
  const rules = spec ? spec.split(',').map((s) => parseRule(s.trim(), services)) : [];
  const own = rules.some((r) => r.kind === 'rps' && r.service === 'monitoring' && r.action === 'GetMetricData');
  if (!own) rules.push(parseRule(DEFAULT_RPS, ['monitoring']));
  return rules.filter((r) => r.kind !== 'rps' || r.limit > 0);
}

// The status a server error rule answers with: its own, or for 5xx, 500
// on its 1st, 3rd ... firing and 503 on the others.
function serverStatus(rule) {
  if (rule.kind !== '5xx') return Number(rule.kind);
  rule.fired = (rule.fired || 0) + 1;
  return rule.fired % 2 === 1 ? 500 : 503;
}

function sleep(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }

class Faults {
  // ${services}: the service names a spec may use.
  constructor(spec, seed, services) {
    this.rules = parse(spec, services);
    this.rules.forEach((r, i) => {
      r.seen = 0;
      r.rand = prng((seed * 1000003 + i) >>> 0);
      if (r.kind === 'rps') r.windows = new Map();
    });
    this.counts = Object.fromEntries([...COUNTERS, ...EXTRA_COUNTERS].map((k) => [k, 0]));
  }

  // Add the spec's denied accounts and regions to ${org}.
  deny(org) {
    for (const r of this.rules) {
      if (r.kind === 'deny-account') org.deniedAccounts.push(r.account);
      if (r.kind === 'deny-region') org.deniedRegions.push(r.region);
    }
  }

  count(kind) { this.counts[kind]++; }

  summary() {
    const extra = EXTRA_COUNTERS.filter((k) => this.counts[k] > 0);
    return `faults: ${[...COUNTERS, ...extra].map((k) => `${k}=${this.counts[k]}`).join(' ')}`;
  }

  // Rule ${rule} applies to the request ${r} (a route) in ${region}. "*"
  // leaves out the unsigned side doors (instance metadata, container
  // credentials, public files): they get faults only when named.
  applies(rule, r, region) {
    if (rule.kind.startsWith('deny-')) return false;
    if (rule.service === null ? r.unsigned && r.protocol === 'rest' : rule.service !== r.name) return false;
    if (rule.action !== null && rule.action !== r.action) return false;
    return rule.region === null || rule.region === region;
  }

  // Does ${rule} fire for this matching request?
  fires(rule) {
    rule.seen++;
    return rule.when.first ? rule.seen <= rule.when.first : rule.rand() < rule.when.p;
  }

  // Over ${rule}'s limit in the last second for this API, account and
  // region? Requests refused are not counted against it.
  limited(rule, r, region, account) {
    const key = `${account}/${region}/${r.name}/${r.action || ''}`;
    const now = Date.now();
    let w = rule.windows.get(key);
    if (!w) rule.windows.set(key, w = []);
    while (w.length > 0 && w[0] <= now - 1000) w.shift();
    if (w.length >= rule.limit) return true;
    w.push(now);
    return false;
  }

  // Inject the faults that apply to request ${r} of ${key}'s account in
  // ${region}: true when the fault has answered (or dropped) it, false
  // when the service should go on (perhaps with its reply to be cut).
  async inject(r, region, key, req, res) {
    this.count('requests');
    const account = key ? key.account : '-';
    const rules = this.rules.filter((x) => this.applies(x, r, region));
    for (const x of rules) {
      if (x.kind === 'rps' && this.limited(x, r, region, account)) {
        this.count('rps');
        return this.error(res, r, 'throttle');
      }
    }
    let delay = 0;
    let fault = null;
    for (const x of rules) {
      if (x.kind === 'latency' && this.fires(x)) {
        delay += x.ms;
        this.count('latency');
      } else if (ERRORS.includes(x.kind) && !fault && this.fires(x)) {
        fault = x;
      }
    }
    if (delay > 0) await sleep(delay);
    if (!fault) return false;
    switch (fault.kind) {
      case 'throttle':
        this.count('throttle');
        return this.error(res, r, 'throttle');
      case 'deny':
        this.count('deny');
        return this.denied(res, r, key);
      case 'reset':
        this.count('reset');
        req.socket.resetAndDestroy();
        return true;
      case 'truncate':
        this.count('truncate');
        truncate(res);
        return false;
      case 'loop':
        this.count('loop');
        loop(r, req, res, fault.tokens);
        return false;
      case 'datapoints':
        this.count('datapoints');
        if (r.protocol === 'json') rewrite(res, (body) => datapoints(body, fault.mode));
        return false;
      default:
        this.count('5xx');
        return this.error(res, r, serverStatus(fault));
    }
  }

  // Answer ${r} of ${key} with its protocol's AccessDenied; true.
  denied(res, r, key) {
    const message = `User: ${key ? key.arn || key.account : 'anonymous'} is not authorized to perform: ` +
      `${r.name}:${r.action || r.input.method}`;
    if (r.mod.error) r.mod.error(res, 403, 'AccessDenied', message);
    else if (r.protocol === 'json') json.error(res, r.mod.version, 400, 'AccessDeniedException', message, r.mod.errorPrefix || '');
    else if (r.protocol === 'query') query.error(res, r.mod.ns, 403, 'AccessDenied', message);
    else restXml.error(res, 403, 'AccessDenied', 'Access Denied');
    return true;
  }

  // Answer ${r} with its service's throttling error or the server error
  // ${status}, in its protocol; true.
  error(res, r, status) {
    let code;
    let message;
    let type = 'Receiver';
    if (status === 'throttle') {
      [status, code, message] = THROTTLE[r.name] || THROTTLE_BY_PROTOCOL[r.protocol];
      type = 'Sender';
    } else {
      const table = SERVER[status];
      [code, message] = table[r.name] || table[''];
    }
    if (r.mod.error) {
      r.mod.error(res, status, code, message);
    } else if (r.protocol === 'json') {
      // A JSON service that used to speak query (CloudWatch) names the
      // query error code in a header; its JSON type is the exception's.
      if (r.mod.protocol === 'json+query') {
        res.setHeader('x-amzn-query-error', `${code};${type}`);
        if (code === 'Throttling') code = 'ThrottlingException';
      }
      json.error(res, r.mod.version, status, code, message, r.mod.errorPrefix || '');
    } else if (r.protocol === 'query') {
      query.error(res, r.mod.ns, status, code, message, type);
    } else {
      restXml.error(res, status, code, message);
    }
    return true;
  }
}

// Let ${res}'s reply out cut in half: its headers promise the whole body
// (Content-Length), half of it is sent, then the connection is closed.
function truncate(res) {
  const chunks = [];
  const write = res.write.bind(res);
  const collect = (chunk, enc) => {
    if (chunk !== undefined && chunk !== null && typeof chunk !== 'function') {
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, typeof enc === 'string' ? enc : 'utf8'));
    }
  };
  res.write = (chunk, enc, cb) => {
    collect(chunk, enc);
    const done = typeof enc === 'function' ? enc : cb;
    if (done) process.nextTick(done);
    return true;
  };
  res.end = (chunk, enc) => {
    collect(chunk, enc);
    const body = Buffer.concat(chunks);
    write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket.destroy());
    return res;
  };
}

// Hold ${res}'s reply until it ends, then send ${edit}(status, body) (a
// Buffer; the body unchanged if it returns null) with its length.
function rewrite(res, edit) {
  const chunks = [];
  let head = null;
  res.writeHead = (status, ...rest) => {
    head = [status, ...rest];
    return res;
  };
  const write = res.write.bind(res);
  const end = res.end.bind(res);
  res.write = (chunk, enc, cb) => {
    if (chunk) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, typeof enc === 'string' ? enc : 'utf8'));
    const done = typeof enc === 'function' ? enc : cb;
    if (done) process.nextTick(done);
    return true;
  };
  res.end = (chunk, enc) => {
    if (chunk && typeof chunk !== 'function') res.write(chunk, enc);
    let body = Buffer.concat(chunks);
    const status = head ? head[0] : res.statusCode;
    const edited = status >= 200 && status < 300 ? edit(body) : null;
    if (edited) body = edited;
    delete res.writeHead;
    if (head) {
      const headers = Object.assign({}, ...head.slice(1).filter((h) => typeof h === 'object'));
      for (const k of Object.keys(headers)) if (k.toLowerCase() === 'content-length') delete headers[k];
      res.writeHead(head[0], Object.assign(headers, { 'content-length': body.length }));
    } else {
      res.setHeader('content-length', body.length);
    }
    write(body);
    return end();
  };
}

// A listing that never ends: the reply to ${r} names a next page whatever
// the service said, one of ${n} tokens of the emulator's own in turn
// (emulator-loop-1, -2, ... -n, then -1 again), so that the page after
// the n-th asks for a page asked for before (n = 1: the same token on
// every page). A request that names one is served the first page.
function loop(r, req, res, n) {
  let next = 'emulator-loop-1';
  const turn = (t) => {
    const m = LOOP_TOKEN.exec(t || '');
    if (m) next = `emulator-loop-${(Number(m[1]) % n) + 1}`;
    return m;
  };
  if (r.protocol === 'rest') {
    const url = new URL(req.url, 'http://s3');
    if (turn(url.searchParams.get('continuation-token'))) {
      url.searchParams.delete('continuation-token');
      req.url = url.pathname + url.search;
    }
    return rewrite(res, (body) => {
      const text = body.toString();
      if (!/<ListBucketResult[\s>]/.test(text.slice(0, 200))) return null;
      const token = `<NextContinuationToken>${next}</NextContinuationToken>`;
      return Buffer.from(text.replace(/<NextContinuationToken>[^<]*<\/NextContinuationToken>/, '')
        .replace(/<IsTruncated>[^<]*<\/IsTruncated>/, `${token}<IsTruncated>true</IsTruncated>`));
    });
  }
  if (r.protocol !== 'json' || !r.input) return null;
  const [given, field] = LOOP_FIELDS[`${r.name}:${r.action}`] || LOOP_FIELDS[''];
  if (turn(r.input[given])) delete r.input[given];
  return rewrite(res, (body) => {
    const out = JSON.parse(body.toString());
    out[field] = next;
    return Buffer.from(JSON.stringify(out));
  });
}

// A GetMetricData reply ${body} with the datapoints of its first result
// that has some made what no table can have: one value negative, 1e308
// or infinite (1e999, which JSON parsers read as Infinity), a timestamp
// twice, or more datapoints than GetMetricData ever gives in one reply
// (100,800: 100,801 copies of the first). Null if it has none.
function datapoints(body, mode) {
  const out = JSON.parse(body.toString());
  const m = (out.MetricDataResults || []).find((x) => x.Values && x.Values.length > 1);
  if (!m) return null;
  const INF = 123456789.25;
  if (mode === 'negative') m.Values[0] = -m.Values[0] - 1;
  if (mode === 'huge') m.Values[0] = 1e308;
  if (mode === 'infinite') m.Values[0] = INF;
  if (mode === 'duplicate') m.Timestamps[1] = m.Timestamps[0];
  if (mode === 'extra') {
    m.Timestamps = new Array(100801).fill(m.Timestamps[0]);
    m.Values = new Array(100801).fill(m.Values[0]);
  }
  return Buffer.from(JSON.stringify(out).replace(String(INF), '1e999'));
}

module.exports = { Faults, parse };
