'use strict';
// The local AWS: one loopback port serving the AWS APIs optima calls,
// routed by the SigV4 credential scope's service and X-Amz-Target or
// Action, every signed request verified with the AWS SDK's own signer.

const http = require('node:http');
const fs = require('node:fs');
const { makeOrg } = require('./org.js');
const faults = require('./faults.js');
const sigv4 = require('./sigv4.js');
const { json, query, restXml, AUTH_ERRORS } = require('./protocol.js');

// Services by SigV4 signing name. A module has `actions` (name -> fn(ctx,
// input) returning the result or throwing {status, code, message}) and a
// `protocol`: 'json' (with `version` and `target`), 'query' (with `ns`),
// 'json+query' (both; chosen by the request's content type), or 'rest'
// (with `handle(ctx, req, res, body)` doing its own replies and
// `authErrors` naming the table in protocol.js for signature failures).
// A module with `match(req)` also serves unsigned requests it matches
// (instance metadata, container credentials, public price list files).
// A module with `env(ctx, endpoint)` adds its lines to the --env file; one
// with `error(res, status, code, message)` words the faults' errors.
const SERVICES = {
  dynamodb: require('./services/dynamodb.js'),
  organizations: require('./services/organizations.js'),
  sts: require('./services/sts.js'),
  monitoring: require('./services/cloudwatch.js'),
  'application-autoscaling': require('./services/autoscaling.js'),
  imds: require('./services/imds.js'),
  container: require('./services/container.js'),
  pricing: require('./services/pricing.js'),
  offers: require('./services/offers.js'),
  s3: require('./services/s3.js'),
  cur: require('./services/cur.js'),
  'bcm-data-exports': require('./services/dataexports.js'),
  ec2: require('./services/ec2.js'),
  savingsplans: require('./services/savingsplans.js'),
};

const USAGE = 'usage: run [--port n] [--org small|medium|large|file] [--faults spec] ' +
  '[--env file] [--seed n] [--session-seconds n]';

function parseArgs(argv) {
  const o = { port: 0, org: 'small', faults: '', env: null, seed: 1, sessionSeconds: 3600 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    const int = (v) => {
      if (!/^\d+$/.test(v)) usage(`${a}: ${v} is not a number`);
      return Number(v);
    };
    switch (a) {
      case '--port': o.port = int(val()); break;
      case '--org': o.org = val(); break;
      case '--faults': o.faults = val(); break;
      case '--env': o.env = val(); break;
      case '--seed': o.seed = int(val()); break;
      case '--session-seconds': o.sessionSeconds = int(val()); break;
      case '--help': process.stdout.write(`${USAGE}\n`); process.exit(0); break;
      default: usage(`unknown option ${a}`);
    }
  }
  try {
    faults.parse(o.faults, Object.keys(SERVICES));
  } catch (e) {
    usage(e.message);
  }
  return o;
}

function usage(msg) {
  process.stderr.write(`emulator: ${msg}\n${USAGE}\n`);
  process.exit(2);
}

class Emulator {
  constructor(opts) {
    this.opts = opts;
    this.org = makeOrg(opts.org, opts.seed);
    this.faults = new faults.Faults(opts.faults, opts.seed, Object.keys(SERVICES));
    this.faults.deny(this.org);
    this.keys = new Map();
    for (const k of this.org.keys) this.keys.set(k.accessKeyId, k);
    // Tables by "account/region", for the per-account views.
    this.byPlace = new Map();
    for (const t of this.org.tables) {
      const key = `${t.account}/${t.region}`;
      if (!this.byPlace.has(key)) this.byPlace.set(key, []);
      this.byPlace.get(key).push(t);
    }
    this.clock = () => Date.now();
  }

  // The per-request context handed to a service's action.
  context(service, region, key) {
    return {
      org: this.org, keys: this.keys, key, region, service,
      account: key ? key.account : null,
      now: this.clock,
      sessionSeconds: this.opts.sessionSeconds,
      tables: (account, r) => this.byPlace.get(`${account}/${r}`) || [],
      denied: (account, r) => {
        const no = this.org.deniedAccounts.includes(account) ||
          (r !== undefined && this.org.deniedRegions.includes(r));
        if (no) this.faults.count('deny');
        return no;
      },
    };
  }

  async handle(req, res) {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks);
    const r = this.route(req, body);
    if (!r) {
      return restXml.error(res, 400, 'InvalidRequest', `No service for ${req.method} ${req.url}`);
    }
    let key = null;
    let region = this.org.regions[0];
    if (!(r.unsigned && !sigv4.parseAuthorization(req.headers.authorization))) {
      const v = await sigv4.verify(req, body, (id) => this.keys.get(id) || null, this.clock());
      if (!v.ok) return this.authError(res, r, v);
      if (v.auth.service !== r.name) {
        return this.fail(res, r, { status: 400, code: 'InvalidSignatureException',
          message: `Credential should be scoped to correct service: '${r.name}'.` });
      }
      key = v.key;
      region = v.auth.region;
    }
    if (await this.faults.inject(r, region, key, req, res)) return;
    const ctx = this.context(r.name, region, key);
    if (r.protocol === 'rest') return r.mod.handle(ctx, req, res, body);
    const fn = r.mod.actions[r.action];
    if (!fn || r.input === null) {
      return this.fail(res, r, fn ?
        { status: 400, code: 'SerializationException', message: 'Start of structure or map found where not expected.' } :
        { status: 400, code: r.protocol === 'query' ? 'InvalidAction' : 'UnknownOperationException',
          message: `Could not find operation ${r.action}` });
    }
    if (r.name !== 'sts' && key && ctx.denied(key.account, region)) {
      return this.fail(res, r, { status: r.protocol === 'query' ? 403 : 400,
        code: r.protocol === 'query' ? 'AccessDenied' : 'AccessDeniedException',
        message: `User: ${key.arn || key.account} is not authorized to perform: ${r.name}:${r.action}` });
    }
    let result;
    try {
      result = await fn(ctx, r.input);
    } catch (e) {
      if (!e.code) throw e;
      return this.fail(res, r, e);
    }
    if (r.protocol === 'json') return json.reply(res, r.mod.version, result);
    if (r.mod.toQuery) result = r.mod.toQuery(r.action, result);
    return query.reply(res, r.mod.ns, r.action, result);
  }

  // Which service and action a request is for, from the credential scope
  // (or, unsigned, the target or Action), and its parsed input; or null.
  route(req, body) {
    const auth = sigv4.parseAuthorization(req.headers.authorization);
    const target = req.headers['x-amz-target'];
    // Not SigV4: the container endpoint takes a plain token in Authorization.
    if (!auth) {
      const n = Object.keys(SERVICES).find((k) => SERVICES[k].match && SERVICES[k].match(req));
      if (n) return { name: n, mod: SERVICES[n], protocol: 'rest', unsigned: true, input: req };
    }
    let name = auth ? auth.service : null;
    if (!name && target) {
      name = Object.keys(SERVICES).find((n) => SERVICES[n].target === target.split('.')[0]);
    }
    const form = /x-www-form-urlencoded/.test(req.headers['content-type'] || '');
    const params = form ? Object.fromEntries(new URLSearchParams(body.toString())) : {};
    if (!name && params.Action) name = 'sts';
    const mod = SERVICES[name];
    if (!mod) return null;
    let protocol = mod.protocol;
    if (protocol === 'json+query') protocol = form ? 'query' : 'json';
    if (protocol === 'json') {
      let input = {};
      try {
        input = body.length ? JSON.parse(body.toString()) : {};
      } catch {
        input = null;
      }
      return { name, mod, protocol, action: (target || '').split('.')[1] || '', input };
    }
    if (protocol === 'query') {
      return { name, mod, protocol, action: params.Action || '', input: params,
        unsigned: mod.unsigned && mod.unsigned.includes(params.Action) };
    }
    return { name, mod, protocol, input: req };
  }

  authError(res, r, v) {
    const table = AUTH_ERRORS[r.protocol === 'rest' ? (r.mod.authErrors || 's3') : r.protocol];
    const [status, code, message] = table[v.code];
    return this.fail(res, r, { status, code, message: message || v.message, auth: true });
  }

  // Report the error ${e} ({status, code, message}) in ${r}'s protocol.
  fail(res, r, e) {
    if (r.protocol === 'json') {
      const prefix = e.auth ? 'com.amazon.coral.service#' : (r.mod.errorPrefix || '');
      return json.error(res, r.mod.version, e.status, e.code, e.message, prefix,
        r.mod.protocol === 'json+query' ? e.code : null);
    }
    if (r.protocol === 'query') return query.error(res, r.mod.ns, e.status, e.code, e.message);
    if (r.mod.error) return r.mod.error(res, e.status, e.code, e.message);
    return restXml.error(res, e.status, e.code, e.message);
  }

  listen(port) {
    const server = http.createServer((req, res) => {
      this.handle(req, res).catch((e) => {
        process.stderr.write(`emulator: ${req.method} ${req.url}: ${e.stack}\n`);
        if (!res.headersSent) restXml.error(res, 500, 'InternalError', 'We encountered an internal error. Please try again.');
      });
    });
    server.keepAliveTimeout = 60000;
    return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
  }

  envLines(port) {
    const k = this.org.keys[0];
    const endpoint = `http://127.0.0.1:${port}`;
    const extra = Object.entries(SERVICES).filter(([, m]) => m.env)
      .flatMap(([n, m]) => m.env(this.context(n, this.org.regions[0], null), endpoint));
    return [
      `export AWS_ENDPOINT_URL=${endpoint}`,
      `export AWS_REGION=${this.org.regions[0]}`,
      `export AWS_ACCESS_KEY_ID=${k.accessKeyId}`,
      `export AWS_SECRET_ACCESS_KEY=${k.secretAccessKey}`,
      'unset AWS_SESSION_TOKEN AWS_PROFILE',
      ...extra,
      '',
    ].join('\n');
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  let emu;
  try {
    emu = new Emulator(opts);
  } catch (e) {
    process.stderr.write(`emulator: ${e.message}\n`);
    process.exit(1);
  }
  const server = await emu.listen(opts.port);
  const port = server.address().port;
  const env = emu.envLines(port);
  if (opts.env) {
    const tmp = `${opts.env}.tmp`;
    fs.writeFileSync(tmp, env, { mode: 0o600 });
    fs.renameSync(tmp, opts.env);
  }
  process.stdout.write(env);
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, () => {
      process.stderr.write(`emulator: ${emu.faults.summary()}\n`);
      server.close(() => process.exit(0));
    });
  }
}

if (require.main === module) main();

module.exports = { Emulator, parseArgs };
