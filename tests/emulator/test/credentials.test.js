'use strict';
// Credentials from the emulator's EC2 instance metadata (IMDSv2) and
// container endpoints, fetched by the AWS SDK's own providers, sign
// requests; and the endpoints refuse what IMDS and the ECS agent refuse.

const test = require('node:test');
const assert = require('node:assert');
const http = require('node:http');
const { start } = require('./helper.js');
const { fromInstanceMetadata } = require('@smithy/credential-provider-imds');
const { fromHttp } = require('@aws-sdk/credential-provider-http');
const { STSClient, GetCallerIdentityCommand } = require('@aws-sdk/client-sts');
const { DynamoDBClient, ListTablesCommand } = require('@aws-sdk/client-dynamodb');

// The variables the emulator writes to its --env file.
function envOf(e) {
  const port = new URL(e.endpoint).port;
  return Object.fromEntries(e.emu.envLines(port).split('\n')
    .map((l) => /^export (\w+)=(.*)$/.exec(l)).filter(Boolean).map((m) => [m[1], m[2]]));
}

function request(url, options = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, options, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

// Whoever holds ${credentials} is who STS says, and sees the management
// account's tables.
async function signsAs(e, credentials) {
  const me = await new STSClient(e.config({ credentials })).send(new GetCallerIdentityCommand({}));
  const org = e.emu.org;
  assert.strictEqual(me.Account, org.management);
  const region = org.regions[0];
  const tables = await new DynamoDBClient(e.config({ credentials, region })).send(new ListTablesCommand({}));
  assert.deepStrictEqual(tables.TableNames, org.tables
    .filter((t) => t.account === org.management && t.region === region).map((t) => t.name).sort());
  return me.Arn;
}

test('IMDSv2 credentials through the SDK provider', async (t) => {
  const e = await start({ sessionSeconds: 900 });
  t.after(e.close);
  const env = envOf(e);
  assert.strictEqual(env.EMULATOR_IMDS_ENDPOINT, `${e.endpoint}/`);
  const saved = { ...process.env };
  t.after(() => { process.env = saved; });
  process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = env.EMULATOR_IMDS_ENDPOINT;
  process.env.AWS_EC2_METADATA_V1_DISABLED = 'true';

  const before = Date.now();
  const credentials = await fromInstanceMetadata({ timeout: 2000 })();
  assert.match(credentials.accessKeyId, /^ASIA[A-Z2-7]{16}$/);
  assert.ok(credentials.sessionToken);
  // --session-seconds sets the lifetime (IMDS rounds to the second).
  const life = credentials.expiration.getTime() - before;
  assert.ok(life > 898000 && life <= 901000, `lifetime ${life} ms`);
  const arn = await signsAs(e, credentials);
  assert.strictEqual(arn, `arn:aws:sts::${e.emu.org.management}:assumed-role/optima-instance-role/i-0e5d4a3b2c1f09876`);
});

test('IMDSv2 refuses what AWS refuses', async (t) => {
  const e = await start();
  t.after(e.close);
  const base = e.endpoint;
  const creds = `${base}/latest/meta-data/iam/security-credentials/`;
  const put = (headers) => request(`${base}/latest/api/token`, { method: 'PUT', headers });

  assert.strictEqual((await request(creds)).status, 401, 'IMDSv1 (no token) is refused');
  assert.strictEqual((await put({})).status, 400, 'a token needs a TTL');
  assert.strictEqual((await put({ 'x-aws-ec2-metadata-token-ttl-seconds': '0' })).status, 400);
  assert.strictEqual((await put({ 'x-aws-ec2-metadata-token-ttl-seconds': '21601' })).status, 400);
  assert.strictEqual((await put({ 'x-aws-ec2-metadata-token-ttl-seconds': '60',
    'x-forwarded-for': '10.0.0.1' })).status, 403, 'no tokens through a proxy');
  assert.strictEqual((await request(`${base}/latest/api/token`)).status, 405);

  const got = await put({ 'x-aws-ec2-metadata-token-ttl-seconds': '60' });
  assert.strictEqual(got.status, 200);
  assert.strictEqual(got.headers['x-aws-ec2-metadata-token-ttl-seconds'], '60');
  const token = { 'x-aws-ec2-metadata-token': got.body };
  const list = await request(creds, { headers: token });
  assert.deepStrictEqual([list.status, list.body], [200, 'optima-instance-role']);
  const role = await request(`${creds}optima-instance-role`, { headers: token });
  const doc = JSON.parse(role.body);
  assert.deepStrictEqual(Object.keys(doc),
    ['Code', 'LastUpdated', 'Type', 'AccessKeyId', 'SecretAccessKey', 'Token', 'Expiration']);
  assert.strictEqual(doc.Code, 'Success');
  assert.strictEqual(doc.Type, 'AWS-HMAC');
  assert.match(doc.Expiration, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.strictEqual((await request(`${creds}OtherRole`, { headers: token })).status, 404);
  const region = await request(`${base}/latest/meta-data/placement/region`, { headers: token });
  assert.strictEqual(region.body, e.emu.org.regions[0]);

  const forged = { 'x-aws-ec2-metadata-token': Buffer.from(`${Date.now() + 60000}:forged`).toString('base64') };
  assert.strictEqual((await request(creds, { headers: forged })).status, 401);
  // A token past its TTL.
  e.emu.clock = () => Date.now() + 61000;
  assert.strictEqual((await request(creds, { headers: token })).status, 401);
});

test('container credentials through the SDK provider', async (t) => {
  const e = await start();
  t.after(e.close);
  const env = envOf(e);
  assert.match(env.EMULATOR_CONTAINER_PATH, /^\/v2\/credentials\/[0-9a-f-]{36}$/);
  assert.strictEqual(env.EMULATOR_CONTAINER_URI, `${e.endpoint}${env.EMULATOR_CONTAINER_PATH}`);

  const credentials = await fromHttp({ awsContainerCredentialsFullUri: env.EMULATOR_CONTAINER_URI,
    awsContainerAuthorizationToken: env.EMULATOR_CONTAINER_TOKEN })();
  assert.match(credentials.accessKeyId, /^ASIA/);
  assert.ok(credentials.expiration instanceof Date);
  const arn = await signsAs(e, credentials);
  assert.match(arn, new RegExp(`^arn:aws:sts::${e.emu.org.management}:assumed-role/optima-task-role/`));

  const got = await request(env.EMULATOR_CONTAINER_URI, { headers: { authorization: env.EMULATOR_CONTAINER_TOKEN } });
  assert.strictEqual(JSON.parse(got.body).RoleArn, `arn:aws:iam::${e.emu.org.management}:role/optima-task-role`);

  // A wrong token, no token, and a wrong id are refused, as the SDK sees it.
  await assert.rejects(fromHttp({ awsContainerCredentialsFullUri: env.EMULATOR_CONTAINER_URI,
    awsContainerAuthorizationToken: 'wrong', maxRetries: 0 })(), /status: 401/);
  const none = await request(env.EMULATOR_CONTAINER_URI);
  assert.strictEqual(none.status, 401);
  const wrong = await request(`${e.endpoint}/v2/credentials/00000000-0000-4000-a000-000000000000`,
    { headers: { authorization: env.EMULATOR_CONTAINER_TOKEN } });
  assert.deepStrictEqual([wrong.status, JSON.parse(wrong.body).code], [400, 'InvalidIdInRequest']);
});
