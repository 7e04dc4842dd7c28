'use strict';
// How many CloudWatch datapoints a second the emulator serves: a client on
// loopback makes full GetMetricData calls (100,800 datapoints: five
// 1-minute series of 14 days) over AWS JSON 1.0, signed as the SDK signs,
// against the emulator in its own process. Besides datapoints a second,
// it tells datapoints per second of the emulator's CPU time (Linux), which
// other work on the machine disturbs less.
//
// usage: node bench.js [--seconds n] [--concurrency n] [--min datapoints/s]

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { SignatureV4 } = require('@smithy/signature-v4');
const { Hash } = require('@smithy/hash-node');
const { makeOrg } = require('./org.js');

const FULL = 100800;
const SEED = 1;

function args(argv) {
  const o = { seconds: 10, concurrency: 2, min: 0 };
  for (let i = 0; i < argv.length; i += 2) {
    const key = { '--seconds': 'seconds', '--concurrency': 'concurrency', '--min': 'min' }[argv[i]];
    const v = Number(argv[i + 1]);
    if (!key || !(v >= 0)) {
      process.stderr.write('usage: node bench.js [--seconds n] [--concurrency n] [--min datapoints/s]\n');
      process.exit(2);
    }
    o[key] = v;
  }
  return o;
}

// Start the emulator (no request-rate quota) and read its environment.
async function emulator(dir) {
  const env = path.join(dir, 'emu.env');
  const child = spawn(process.execPath, [path.join(__dirname, 'server.js'), '--port', '0',
    '--org', 'small', '--seed', String(SEED), '--env', env,
    '--faults', 'rps=monitoring:GetMetricData:0'], { stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; !fs.existsSync(env); i++) {
    if (i > 100 || child.exitCode !== null) throw new Error('the emulator did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  const vars = Object.fromEntries([...fs.readFileSync(env, 'utf8').matchAll(/^export (\w+)=(.*)$/gm)]
    .map((m) => [m[1], m[2]]));
  return { child, vars };
}

// A request for 100,800 datapoints: five 1-minute series of 14 days of a
// table with traffic every minute.
function body(org, region) {
  const t = org.tables.find((x) => x.account === org.management && x.region === region &&
    ['steady', 'diurnal', 'ramp', 'overprovisioned'].includes(x.shape));
  const end = Math.floor(Date.now() / 1000 / 3600) * 3600 - 3600;
  const q = (id, metric, stat) => ({ Id: id, MetricStat: { Metric: { Namespace: 'AWS/DynamoDB',
    MetricName: metric, Dimensions: [{ Name: 'TableName', Value: t.name }] }, Period: 60, Stat: stat } });
  return JSON.stringify({ StartTime: end - 14 * 86400, EndTime: end, MetricDataQueries: [
    q('rsum', 'ConsumedReadCapacityUnits', 'Sum'), q('wsum', 'ConsumedWriteCapacityUnits', 'Sum'),
    q('ravg', 'ConsumedReadCapacityUnits', 'Average'), q('rmax', 'ConsumedReadCapacityUnits', 'Maximum'),
    q('wn', 'ConsumedWriteCapacityUnits', 'SampleCount')] });
}

async function call(agent, signer, url, payload) {
  const req = await signer.sign({ method: 'POST', protocol: 'http:', hostname: url.hostname,
    port: Number(url.port), path: '/', body: payload, headers: { host: url.host,
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'GraniteServiceVersion20100801.GetMetricData' } });
  return new Promise((resolve, reject) => {
    const r = http.request({ agent, host: url.hostname, port: url.port, method: 'POST', path: '/',
      headers: req.headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
    });
    r.on('error', reject);
    r.end(payload);
  });
}

// CPU seconds process ${pid} has used (user and system).
function cpu(pid) {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

function datapoints(buf) {
  const out = JSON.parse(buf.toString());
  if (out.NextToken !== undefined) throw new Error('the call did not fit one page');
  return out.MetricDataResults.reduce((a, m) => a + m.Values.length, 0);
}

async function main() {
  const o = args(process.argv.slice(2));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'optima-bench-'));
  const { child, vars } = await emulator(dir);
  try {
    const url = new URL(vars.AWS_ENDPOINT_URL);
    const signer = new SignatureV4({ service: 'monitoring', region: vars.AWS_REGION,
      sha256: Hash.bind(null, 'sha256'), credentials: { accessKeyId: vars.AWS_ACCESS_KEY_ID,
        secretAccessKey: vars.AWS_SECRET_ACCESS_KEY } });
    const agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency });
    const payload = body(makeOrg('small', SEED), vars.AWS_REGION);
    // Warm up, and check the call is a full one.
    for (let i = 0; i < 3; i++) {
      const r = await call(agent, signer, url, payload);
      if (r.status !== 200) throw new Error(`HTTP ${r.status}: ${r.body.toString().slice(0, 300)}`);
      const n = datapoints(r.body);
      if (n !== FULL) throw new Error(`a call gave ${n} datapoints, not ${FULL}`);
    }
    let calls = 0;
    let bytes = 0;
    const c0 = cpu(child.pid);
    const t0 = process.hrtime.bigint();
    const until = t0 + BigInt(Math.round(o.seconds * 1e9));
    await Promise.all(Array.from({ length: o.concurrency }, async () => {
      while (process.hrtime.bigint() < until) {
        const r = await call(agent, signer, url, payload);
        if (r.status !== 200) throw new Error(`HTTP ${r.status}`);
        calls++;
        bytes += r.body.length;
      }
    }));
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    const busy = cpu(child.pid) - c0;
    const rate = calls * FULL / secs;
    process.stdout.write(`GetMetricData: ${calls} calls of ${FULL} datapoints in ${secs.toFixed(1)} s, ` +
      `concurrency ${o.concurrency}: ${Math.round(rate)} datapoints/s, ` +
      `${(bytes / secs / 1e6).toFixed(1)} MB/s, ${(secs * 1000 / calls * o.concurrency).toFixed(1)} ms a call; ` +
      `${Math.round(calls * FULL / busy)} datapoints per CPU second of the emulator ` +
      `(${(busy * 1000 / calls).toFixed(1)} ms a call)\n`);
    agent.destroy();
    if (rate < o.min) {
      process.stderr.write(`bench: below ${o.min} datapoints/s\n`);
      process.exitCode = 1;
    }
  } finally {
    child.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`bench: ${e.message}\n`);
  process.exit(1);
});
