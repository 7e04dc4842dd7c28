'use strict';
// Faults the emulator injects, chosen by --faults SPEC (grammar in
// README.md): each service's own throttling error, server errors, added
// latency, connection resets, truncated bodies, request-rate limits,
// denied calls and denied accounts or regions. They fire on exact calls ("the first N") or
// at random from the seed, and are counted, so that a test can tell how
// often a client was refused and retried.

const { prng } = require('./org.js');
const { json, query, restXml } = require('./protocol.js');

// The kinds a rule can have; the counters reported (5xx counts 500, 503
// and 5xx rules; rps counts requests refused for their rate; deny counts
// AccessDenied answers for denied accounts and regions and deny rules).
const ERRORS = ['throttle', '500', '503', '5xx', 'reset', 'truncate', 'deny'];
const COUNTERS = ['requests', 'throttle', '5xx', 'latency', 'reset', 'truncate', 'rps', 'deny'];

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
// rps=TARGET:N, deny-account=ID, deny-region=REGION.
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
  const rule = { kind, when: { p: 1 } };
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    if (kind === 'rps') throw bad(text, 'a rate limit has no @');
    rule.when = parseWhen(text, rest.slice(at + 1));
    rest = rest.slice(0, at);
  }
  if (kind === 'latency' || kind === 'rps') {
    const c = rest.lastIndexOf(':');
    const arg = rest.slice(c + 1);
    const m = kind === 'latency' ? /^(\d+)ms$/.exec(arg) : /^(\d+)$/.exec(arg);
    if (c < 0 || !m) throw bad(text, `expected ${kind === 'latency' ? 'TARGET:Nms' : 'TARGET:N'}`);
    rule[kind === 'latency' ? 'ms' : 'limit'] = Number(m[1]);
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
    this.counts = Object.fromEntries(COUNTERS.map((k) => [k, 0]));
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
    return `faults: ${COUNTERS.map((k) => `${k}=${this.counts[k]}`).join(' ')}`;
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

module.exports = { Faults, parse };
