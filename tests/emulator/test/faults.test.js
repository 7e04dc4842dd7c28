'use strict';
// Faults (--faults) as the AWS SDK for JavaScript v3 sees them: each
// service's own throttling error, server errors, latency, reset
// connections, truncated bodies, rate limits, denied accounts and regions;
// exact, reproducible and counted.

const test = require('node:test');
const assert = require('node:assert');
const http = require('node:http');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { start } = require('./helper.js');
const { Faults, parse } = require('../faults.js');
const { makeOrg } = require('../org.js');
const sigv4 = require('../sigv4.js');
const { isThrottlingError, isTransientError } = require('@smithy/core/retry');
const { STSClient, GetCallerIdentityCommand, AssumeRoleCommand } = require('@aws-sdk/client-sts');
const { OrganizationsClient, ListAccountsCommand } = require('@aws-sdk/client-organizations');
const { DynamoDBClient, ListTablesCommand, DescribeTableCommand } = require('@aws-sdk/client-dynamodb');
const { ApplicationAutoScalingClient, DescribeScalableTargetsCommand } =
  require('@aws-sdk/client-application-auto-scaling');
const { CloudWatchClient, GetMetricDataCommand } = require('@aws-sdk/client-cloudwatch');
const { PricingClient, GetProductsCommand } = require('@aws-sdk/client-pricing');
const { S3Client, ListObjectsV2Command } = require('@aws-sdk/client-s3');

const RUN = path.join(__dirname, '..', 'run');

// The error ${promise} fails with.
async function failure(promise) {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
}

function sleep(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }

test('throttling: each service\'s own error, a throttle to the SDK', async (t) => {
  const e = await start({ faults: 'throttle=dynamodb@first:1,throttle=sts@first:1,' +
    'throttle=organizations@first:1,throttle=application-autoscaling:DescribeScalableTargets@first:1' });
  t.after(e.close);
  const cases = [
    [new DynamoDBClient(e.config()), new ListTablesCommand({}), 'ThrottlingException', 400],
    [new STSClient(e.config()), new GetCallerIdentityCommand({}), 'Throttling', 400],
    [new OrganizationsClient(e.config()), new ListAccountsCommand({}), 'TooManyRequestsException', 400],
    [new ApplicationAutoScalingClient(e.config()),
      new DescribeScalableTargetsCommand({ ServiceNamespace: 'dynamodb' }), 'ThrottlingException', 400],
  ];
  for (const [client, command, name, status] of cases) {
    const err = await failure(client.send(command));
    assert.strictEqual(err.name, name);
    assert.strictEqual(err.$metadata.httpStatusCode, status);
    assert.ok(isThrottlingError(err), `${name} is a throttle`);
    await client.send(command); // first:1 - the next call goes through
  }
  assert.strictEqual(e.emu.faults.counts.throttle, 4);

  // A client that retries gets through, and the throttles are counted.
  const e2 = await start({ faults: 'throttle=dynamodb:ListTables@first:2' });
  t.after(e2.close);
  const ok = await new DynamoDBClient(e2.config({ maxAttempts: 3 })).send(new ListTablesCommand({}));
  assert.strictEqual(ok.$metadata.attempts, 3);
  assert.deepStrictEqual([e2.emu.faults.counts.requests, e2.emu.faults.counts.throttle], [3, 2]);
});

// A server that answers every request with the faults' error for the
// route ${route} (a service of another module), to see how the service's
// own SDK client reads it.
async function errorServer(t, route, status) {
  const faults = new Faults('', 1, [route.name]);
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => faults.error(res, route, status));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  return { endpoint: `http://127.0.0.1:${server.address().port}`, region: 'us-east-1', maxAttempts: 1,
    credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret' } };
}

test('throttling and server errors of CloudWatch, Pricing and S3, as their clients read them', async (t) => {
  const monitoring = { name: 'monitoring', protocol: 'json', mod: { protocol: 'json+query', version: '1.0' } };
  const pricing = { name: 'pricing', protocol: 'json', mod: { protocol: 'json', version: '1.1' } };
  const s3 = { name: 's3', protocol: 'rest', mod: { protocol: 'rest' } };
  const getMetricData = new GetMetricDataCommand({ MetricDataQueries: [], StartTime: new Date(0), EndTime: new Date() });
  const getProducts = new GetProductsCommand({ ServiceCode: 'AmazonDynamoDB' });
  const list = new ListObjectsV2Command({ Bucket: 'cur' });
  const cases = [
    [CloudWatchClient, monitoring, getMetricData, 'throttle', 'Throttling', 400],
    [PricingClient, pricing, getProducts, 'throttle', 'ThrottlingException', 429],
    [S3Client, s3, list, 'throttle', 'SlowDown', 503],
    [CloudWatchClient, monitoring, getMetricData, 500, 'InternalFailure', 500],
    [PricingClient, pricing, getProducts, 503, 'ServiceUnavailable', 503],
    [S3Client, s3, list, 500, 'InternalError', 500],
  ];
  for (const [Client, route, command, kind, name, status] of cases) {
    const config = await errorServer(t, route, kind);
    const err = await failure(new Client(Object.assign(config, { forcePathStyle: true })).send(command));
    assert.deepStrictEqual([err.name, err.$metadata.httpStatusCode], [name, status], `${route.name} ${kind}`);
    assert.ok(kind === 'throttle' ? isThrottlingError(err) : isTransientError(err));
  }
});

test('server errors: 500, 503, and 5xx alternating', async (t) => {
  const e = await start({ faults: '500=dynamodb:ListTables@first:1,503=sts@first:1,5xx=organizations@first:2' });
  t.after(e.close);
  const ddb = new DynamoDBClient(e.config());
  let err = await failure(ddb.send(new ListTablesCommand({})));
  assert.deepStrictEqual([err.name, err.$metadata.httpStatusCode], ['InternalServerError', 500]);
  assert.ok(isTransientError(err), 'the SDK retries it');
  err = await failure(new STSClient(e.config()).send(new GetCallerIdentityCommand({})));
  assert.deepStrictEqual([err.name, err.$metadata.httpStatusCode], ['ServiceUnavailable', 503]);
  const orgs = new OrganizationsClient(e.config());
  const statuses = [];
  for (let i = 0; i < 3; i++) {
    statuses.push(await orgs.send(new ListAccountsCommand({})).then(() => 200, (x) => x.$metadata.httpStatusCode));
  }
  assert.deepStrictEqual(statuses, [500, 503, 200]);
  assert.strictEqual(e.emu.faults.counts['5xx'], 4);
});

test('latency and truncated bodies', async (t) => {
  const e = await start({ faults: 'latency=dynamodb:DescribeTable:400ms,truncate=sts@first:2' });
  t.after(e.close);
  const org = e.emu.org;
  const table = org.tables.find((x) => x.account === org.management && x.region === org.regions[0]);
  const ddb = new DynamoDBClient(e.config());
  let t0 = Date.now();
  await ddb.send(new DescribeTableCommand({ TableName: table.name }));
  assert.ok(Date.now() - t0 >= 400, 'DescribeTable is slowed down');
  t0 = Date.now();
  await ddb.send(new ListTablesCommand({}));
  assert.ok(Date.now() - t0 < 400, 'others are not');

  // A truncated body: the status line and headers, half the body, close.
  const sts = new STSClient(e.config());
  const cut = await failure(sts.send(new GetCallerIdentityCommand({})));
  assert.strictEqual(cut.$metadata.httpStatusCode, 200);
  assert.match(`${cut.code} ${cut.message}`, /ECONNRESET|aborted/);
  assert.ok(isTransientError(cut));
  const me = await new STSClient(e.config({ maxAttempts: 2 })).send(new GetCallerIdentityCommand({}));
  assert.deepStrictEqual([me.Account, me.$metadata.attempts], [org.management, 2]);
  assert.deepStrictEqual([e.emu.faults.counts.truncate, e.emu.faults.counts.latency], [2, 1]);
});

test('a reset connection, as the SDK sees it', async (t) => {
  const e = await start({ faults: 'reset=dynamodb:ListTables@first:1' });
  t.after(e.close);
  const err = await failure(new DynamoDBClient(e.config()).send(new ListTablesCommand({})));
  assert.strictEqual(err.code, 'ECONNRESET');
  assert.ok(isTransientError(err));
  assert.strictEqual(e.emu.faults.counts.reset, 1);
});

test('a rate limit: a burst is cut at the limit, a paced client never is', async (t) => {
  const e = await start({ faults: 'rps=dynamodb:ListTables:5' });
  t.after(e.close);
  const org = e.emu.org;
  const burst = async (region, n) => {
    const client = new DynamoDBClient(e.config({ region }));
    const results = await Promise.allSettled(Array.from({ length: n }, () => client.send(new ListTablesCommand({}))));
    for (const r of results) if (r.status === 'rejected') assert.strictEqual(r.reason.name, 'ThrottlingException');
    return results.filter((r) => r.status === 'fulfilled').length;
  };
  assert.strictEqual(await burst(org.regions[0], 8), 5);
  assert.strictEqual(e.emu.faults.counts.rps, 3);
  // Per region: another region has its own allowance.
  assert.strictEqual(await burst(org.regions[1], 5), 5);
  // Other APIs are not limited.
  const ddb = new DynamoDBClient(e.config());
  const table = org.tables.find((x) => x.account === org.management && x.region === org.regions[0]);
  await Promise.all(Array.from({ length: 10 }, () => ddb.send(new DescribeTableCommand({ TableName: table.name }))));

  await sleep(1100);
  for (let i = 0; i < 10; i++) {
    await ddb.send(new ListTablesCommand({}));
    await sleep(210);
  }
  assert.strictEqual(e.emu.faults.counts.rps, 3);
});

// The default: GetMetricData at 50 per second per account and region.
test('GetMetricData is limited to 50 per second, per account and region', async (t) => {
  const faults = new Faults('', 1, ['monitoring']);
  const route = { name: 'monitoring', action: 'GetMetricData', protocol: 'json',
    mod: { protocol: 'json+query', version: '1.0' } };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', async () => {
      const auth = sigv4.parseAuthorization(req.headers.authorization);
      if (await faults.inject(route, auth.region, { account: auth.accessKeyId }, req, res)) return;
      const body = JSON.stringify({ MetricDataResults: [], Messages: [] });
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'content-length': body.length });
      res.end(body);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  const client = (region, accessKeyId) => new CloudWatchClient({ region, maxAttempts: 1,
    endpoint: `http://127.0.0.1:${server.address().port}`, credentials: { accessKeyId, secretAccessKey: 'x' } });
  const burst = async (c, n) => {
    const command = new GetMetricDataCommand({ MetricDataQueries: [], StartTime: new Date(0), EndTime: new Date() });
    const results = await Promise.allSettled(Array.from({ length: n }, () => c.send(command)));
    for (const r of results) if (r.status === 'rejected') assert.strictEqual(r.reason.name, 'Throttling');
    return results.filter((r) => r.status === 'fulfilled').length;
  };
  assert.strictEqual(await burst(client('us-east-1', 'AKIAONE'), 60), 50);
  assert.strictEqual(await burst(client('eu-west-1', 'AKIAONE'), 50), 50);
  assert.strictEqual(await burst(client('us-east-1', 'AKIATWO'), 50), 50);
  assert.strictEqual(faults.counts.rps, 10);
});

test('denied accounts and regions', async (t) => {
  const org = makeOrg('small', 7);
  const [denied, allowed] = [org.accounts[1].id, org.accounts[2].id];
  const region = org.regions[2];
  const e = await start({ faults: `deny-account=${denied},deny-region=${region}` });
  t.after(e.close);
  const sts = new STSClient(e.config());
  const assume = (account) => sts.send(new AssumeRoleCommand({
    RoleArn: `arn:aws:iam::${account}:role/MetricsCollectorRole`, RoleSessionName: 'deny' }));
  const err = await failure(assume(denied));
  assert.deepStrictEqual([err.name, err.$metadata.httpStatusCode], ['AccessDenied', 403]);
  await assume(allowed);
  const inRegion = await failure(new DynamoDBClient(e.config({ region })).send(new ListTablesCommand({})));
  assert.strictEqual(inRegion.name, 'AccessDeniedException');
  await new DynamoDBClient(e.config({ region: org.regions[0] })).send(new ListTablesCommand({}));
  assert.strictEqual(e.emu.faults.counts.deny, 2);
});

test('random faults are reproducible from the seed', async (t) => {
  const pattern = async (seed) => {
    const e = await start({ seed, faults: 'throttle=dynamodb:ListTables@0.5' });
    t.after(e.close);
    const ddb = new DynamoDBClient(e.config());
    let s = '';
    for (let i = 0; i < 24; i++) s += await ddb.send(new ListTablesCommand({})).then(() => '.', () => 'T');
    return s;
  };
  const a = await pattern(7);
  assert.strictEqual(await pattern(7), a);
  assert.notStrictEqual(await pattern(8), a);
  assert.match(a, /T/);
  assert.match(a, /\./);
});

test('the spec grammar', () => {
  const services = ['dynamodb', 'monitoring', 's3', 'pricing', 'sts'];
  const rules = parse('throttle=dynamodb:DescribeTable@0.3,5xx=monitoring@first:2,latency=*:50ms,' +
    'reset=s3@0.1,truncate=pricing/eu-west-1@first:1,rps=monitoring:GetMetricData:20,' +
    'deny-account=123456789012,deny-region=eu-west-1', services);
  const pick = (r) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'kind'));
  assert.deepStrictEqual(rules.map((r) => [r.kind, pick(r)]), [
    ['throttle', { when: { p: 0.3 }, service: 'dynamodb', action: 'DescribeTable', region: null }],
    ['5xx', { when: { first: 2 }, service: 'monitoring', action: null, region: null }],
    ['latency', { when: { p: 1 }, ms: 50, service: null, action: null, region: null }],
    ['reset', { when: { p: 0.1 }, service: 's3', action: null, region: null }],
    ['truncate', { when: { first: 1 }, service: 'pricing', action: null, region: 'eu-west-1' }],
    ['rps', { when: { p: 1 }, limit: 20, service: 'monitoring', action: 'GetMetricData', region: null }],
    ['deny-account', { account: '123456789012' }],
    ['deny-region', { region: 'eu-west-1' }],
  ]);
  // The default GetMetricData limit is there unless set; 0 lifts it.
  assert.deepStrictEqual(parse('', services).map((r) => [r.kind, r.service, r.action, r.limit]),
    [['rps', 'monitoring', 'GetMetricData', 50]]);
  assert.deepStrictEqual(parse('rps=monitoring:GetMetricData:0', services), []);
});

test('a bad spec is a usage error (exit 2)', () => {
  for (const spec of ['throttle', 'throttle=nosuch', 'throttle=dynamodb@1.5', 'throttle=dynamodb@first:0',
    'explode=dynamodb', 'latency=dynamodb', 'latency=dynamodb:50', 'rps=monitoring:GetMetricData:fast',
    'rps=dynamodb:5@0.5', 'deny-account=12345', 'deny-region=mars', 'throttle=dynamodb:describeTable',
    'throttle=dynamodb/nowhere', 'throttle=dynamodb:A:B', 'loop=dynamodb:ListTables', 'loop=s3:0',
    'datapoints=monitoring:GetMetricData', 'datapoints=monitoring:GetMetricData:odd']) {
    const r = spawnSync(RUN, ['--port', '0', '--faults', spec], { encoding: 'utf8', timeout: 10000 });
    assert.strictEqual(r.status, 2, `${spec}: ${r.stderr}`);
    assert.match(r.stderr, /^emulator: --faults: .*\nusage: run /, spec);
  }
});

test('the counts are printed when the emulator is stopped', async () => {
  const child = spawn(RUN, ['--port', '0', '--seed', '7', '--faults', 'throttle=dynamodb:ListTables@first:1,deny-region=eu-west-1'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (c) => { err += c; });
  await new Promise((resolve) => child.stdout.on('data', (c) => {
    out += c;
    if (out.endsWith('\n') && /AWS_SECRET_ACCESS_KEY/.test(out)) resolve();
  }));
  const env = Object.fromEntries([...out.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
  const ddb = (region) => new DynamoDBClient({ endpoint: env.AWS_ENDPOINT_URL, region, maxAttempts: 1,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY } });
  await failure(ddb('us-east-1').send(new ListTablesCommand({})));
  await ddb('us-east-1').send(new ListTablesCommand({}));
  await failure(ddb('eu-west-1').send(new ListTablesCommand({})));
  const [code] = await Promise.all([new Promise((resolve) => child.on('exit', resolve)), child.kill('SIGTERM')]);
  assert.strictEqual(code, 0);
  assert.strictEqual(err, 'emulator: faults: requests=3 throttle=1 5xx=0 latency=0 reset=0 truncate=0 rps=0 deny=1\n');
});

test('listings that never end: the tokens come round again', async (t) => {
  const e = await start({ faults: 'loop=dynamodb:ListTables:2,loop=s3:1,loop=pricing:GetProducts:1' });
  t.after(e.close);
  const ddb = new DynamoDBClient(e.config());
  const tokens = [];
  let token;
  for (let i = 0; i < 4; i++) {
    const out = await ddb.send(new ListTablesCommand(token ? { ExclusiveStartTableName: token } : {}));
    assert.ok(out.TableNames.length > 0, 'every page is the first page again');
    tokens.push(token = out.LastEvaluatedTableName);
  }
  assert.deepStrictEqual(tokens, ['emulator-loop-1', 'emulator-loop-2', 'emulator-loop-1', 'emulator-loop-2']);
  const pricing = new PricingClient(e.config({ region: 'us-east-1' }));
  const input = { ServiceCode: 'AmazonDynamoDB', MaxResults: 1 };
  const p1 = await pricing.send(new GetProductsCommand(input));
  const p2 = await pricing.send(new GetProductsCommand({ ...input, NextToken: p1.NextToken }));
  assert.deepStrictEqual([p1.NextToken, p2.NextToken], ['emulator-loop-1', 'emulator-loop-1']);
  const bucket = e.emu.org.cur.bucket;
  const s3 = new S3Client(e.config({ region: 'us-east-1', forcePathStyle: true }));
  const l1 = await s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1000 }));
  const l2 = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: l1.NextContinuationToken }));
  assert.deepStrictEqual([l1.IsTruncated, l1.NextContinuationToken, l2.NextContinuationToken],
    [true, 'emulator-loop-1', 'emulator-loop-1']);
  assert.deepStrictEqual(l2.Contents.map((o) => o.Key), l1.Contents.map((o) => o.Key));
  assert.strictEqual(e.emu.faults.counts.loop, 8);
  assert.match(e.emu.faults.summary(), / loop=8$/);
});

test('datapoints no table has', async (t) => {
  const e = await start({ faults: 'datapoints=monitoring:GetMetricData:negative@first:1,' +
    'datapoints=monitoring:GetMetricData:duplicate@first:1,datapoints=monitoring:GetMetricData:extra@first:1' });
  t.after(e.close);
  const t0 = e.emu.org.tables.find((x) => x.shape === 'steady' && x.region === e.emu.org.regions[0] &&
    x.account === e.emu.org.management);
  const end = Math.floor(Date.now() / 86400000) * 86400;
  const input = { StartTime: new Date((end - 86400) * 1000), EndTime: new Date(end * 1000), ScanBy: 'TimestampAscending',
    MetricDataQueries: [{ Id: 'q0', MetricStat: { Metric: { Namespace: 'AWS/DynamoDB', MetricName: 'ConsumedReadCapacityUnits',
      Dimensions: [{ Name: 'TableName', Value: t0.name }] }, Period: 60, Stat: 'Sum' } }] };
  const cw = new CloudWatchClient(e.config());
  const replies = [];
  for (let i = 0; i < 4; i++) replies.push((await cw.send(new GetMetricDataCommand(input))).MetricDataResults[0]);
  assert.ok(replies[0].Values[0] < 0, 'negative');
  assert.strictEqual(replies[1].Timestamps[1].getTime(), replies[1].Timestamps[0].getTime(), 'duplicate');
  assert.strictEqual(replies[2].Values.length, 100801, 'extra');
  assert.ok(replies[3].Values.every((v) => v >= 0) && replies[3].Values.length <= 1440, 'then good');
  assert.strictEqual(e.emu.faults.counts.datapoints, 3);
});
