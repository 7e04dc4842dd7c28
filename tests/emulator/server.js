'use strict';
// The local AWS: one loopback port serving the AWS APIs optima calls,
// routed by the SigV4 credential scope's service and X-Amz-Target or
// Action, every signed request verified with the AWS SDK's own signer.

const http = require('node:http');
const fs = require('node:fs');
const { makeOrg } = require('./org.js');
const sigv4 = require('./sigv4.js');
const { json, query, restXml, AUTH_ERRORS } = require('./protocol.js');

const SERVICES = {
  dynamodb: require('./services/dynamodb.js'),
  sts: require('./services/sts.js'),
  organizations: require('./services/organizations.js'),
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
      denied: (account, r) => this.org.deniedAccounts.includes(account) ||
        (r !== undefined && this.org.deniedRegions.includes(r)),
    };
  }

  async handle(req, res) {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks);
    const svc = this.route(req, body);
    if (!svc) {
      return restXml.error(res, 400, 'InvalidRequest', `No service for ${req.method} ${req.url}`);
    }
    const { name, mod, action, input } = svc;
    const unsigned = mod.unsigned && mod.unsigned.includes(action) && !req.headers.authorization;
    let key = null;
    let region = 'us-east-1';
    if (!unsigned) {
      const v = await sigv4.verify(req, body, (id) => this.keys.get(id) || null, this.clock());
      if (!v.ok) return this.authError(res, mod, v);
      if (v.auth.service !== name) {
        return this.fail(res, mod, { status: 400, code: 'InvalidSignatureException',
          message: `Credential should be scoped to correct service: '${name}'.` });
      }
      key = v.key;
      region = v.auth.region;
    }
    const ctx = this.context(name, region, key);
    const fn = mod.actions[action];
    if (!fn) {
      return this.fail(res, mod, { status: 400, code: mod.protocol === 'query' ? 'InvalidAction' : 'UnknownOperationException',
        message: `Could not find operation ${action}` });
    }
    if (name !== 'sts' && key && ctx.denied(key.account, region)) {
      return this.fail(res, mod, { status: mod.protocol === 'query' ? 403 : 400,
        code: mod.protocol === 'query' ? 'AccessDenied' : 'AccessDeniedException',
        message: `User: ${key.arn || key.account} is not authorized to perform: ${name}:${action}` });
    }
    let result;
    try {
      result = await fn(ctx, input);
    } catch (e) {
      if (!e.code) throw e;
      return this.fail(res, mod, e);
    }
    if (mod.protocol === 'json') json.reply(res, mod.version, result);
    else if (mod.protocol === 'query') query.reply(res, mod.ns, action, result);
    else mod.reply(res, result);
  }

  // Which service and action a request is for, from the credential scope
  // (or, unsigned, the target or Action), and its parsed input; or null.
  route(req, body) {
    const auth = sigv4.parseAuthorization(req.headers.authorization);
    const target = req.headers['x-amz-target'];
    let name = auth ? auth.service : null;
    if (!name && target) {
      name = Object.keys(SERVICES).find((n) => SERVICES[n].target === target.split('.')[0]);
    }
    const form = /x-www-form-urlencoded/.test(req.headers['content-type'] || '');
    const params = form ? Object.fromEntries(new URLSearchParams(body.toString())) : {};
    if (!name && params.Action) name = 'sts';
    const mod = SERVICES[name];
    if (!mod) return null;
    if (mod.protocol === 'json') {
      let input = {};
      try {
        input = body.length ? JSON.parse(body.toString()) : {};
      } catch {
        input = null;
      }
      return { name, mod, action: (target || '').split('.')[1] || '', input };
    }
    if (mod.protocol === 'query') return { name, mod, action: params.Action || '', input: params };
    return { name, mod, action: mod.action(req), input: req };
  }

  authError(res, mod, v) {
    const table = AUTH_ERRORS[mod.protocol === 'json' ? 'json' : mod.protocol === 'query' ? 'query' : 's3'];
    const [status, code, message] = table[v.code];
    return this.fail(res, mod, { status, code, message: message || v.message, auth: true });
  }

  fail(res, mod, e) {
    if (mod.protocol === 'json') {
      const prefix = e.auth ? 'com.amazon.coral.service#' : (mod.errorPrefix || '');
      return json.error(res, mod.version, e.status, e.code, e.message, prefix);
    }
    if (mod.protocol === 'query') return query.error(res, mod.ns, e.status, e.code, e.message);
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
    return [
      `export AWS_ENDPOINT_URL=http://127.0.0.1:${port}`,
      `export AWS_REGION=${this.org.regions[0]}`,
      `export AWS_ACCESS_KEY_ID=${k.accessKeyId}`,
      `export AWS_SECRET_ACCESS_KEY=${k.secretAccessKey}`,
      'unset AWS_SESSION_TOKEN AWS_PROFILE',
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
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.close(() => process.exit(0)));
}

if (require.main === module) main();

module.exports = { Emulator, parseArgs };
