'use strict';
// The AWS SDK for JavaScript v3 against the emulator: STS, Organizations,
// DynamoDB, and signature failures.

const test = require('node:test');
const assert = require('node:assert');
const { start } = require('./helper.js');
const { STSClient, GetCallerIdentityCommand, AssumeRoleCommand } = require('@aws-sdk/client-sts');
const { OrganizationsClient, paginateListAccounts } = require('@aws-sdk/client-organizations');
const { DynamoDBClient, paginateListTables, DescribeTableCommand, ListTagsOfResourceCommand } =
  require('@aws-sdk/client-dynamodb');

test('STS, Organizations and DynamoDB through the SDK', async (t) => {
  const e = await start();
  t.after(e.close);
  const org = e.emu.org;

  const me = await new STSClient(e.config()).send(new GetCallerIdentityCommand({}));
  assert.strictEqual(me.Account, org.management);

  const accounts = [];
  for await (const page of paginateListAccounts({ client: new OrganizationsClient(e.config()), pageSize: 2 }, {})) {
    accounts.push(...page.Accounts);
  }
  assert.deepStrictEqual(accounts.map((a) => a.Id), org.accounts.map((a) => a.id));
  assert.ok(accounts.every((a) => a.State === 'ACTIVE'));

  // Into a member account and its tables, page by page.
  const member = org.accounts[1].id;
  const role = await new STSClient(e.config()).send(new AssumeRoleCommand({
    RoleArn: `arn:aws:iam::${member}:role/MetricsCollectorRole`, RoleSessionName: 'test' }));
  const creds = { accessKeyId: role.Credentials.AccessKeyId,
    secretAccessKey: role.Credentials.SecretAccessKey, sessionToken: role.Credentials.SessionToken };
  assert.ok(role.Credentials.Expiration instanceof Date);
  const region = org.regions[1];
  const ddb = new DynamoDBClient(e.config({ credentials: creds, region }));
  const names = [];
  for await (const page of paginateListTables({ client: ddb, pageSize: 1 }, {})) names.push(...page.TableNames);
  const want = org.tables.filter((x) => x.account === member && x.region === region).map((x) => x.name).sort();
  assert.deepStrictEqual(names, want);

  const t0 = org.tables.find((x) => x.account === member && x.region === region);
  const d = await ddb.send(new DescribeTableCommand({ TableName: t0.name }));
  assert.strictEqual(d.Table.TableArn, t0.arn);
  assert.strictEqual(d.Table.TableSizeBytes, t0.sizeBytes);
  assert.strictEqual(d.Table.ProvisionedThroughput.ReadCapacityUnits,
    t0.billingMode === 'PROVISIONED' ? t0.rcu : 0);
  assert.ok(d.Table.CreationDateTime instanceof Date);
  const tags = await ddb.send(new ListTagsOfResourceCommand({ ResourceArn: t0.arn }));
  assert.deepStrictEqual(Object.fromEntries(tags.Tags.map((x) => [x.Key, x.Value])), t0.tags);
});

test('signature failures get AWS errors', async (t) => {
  const e = await start();
  t.after(e.close);
  const bad = e.config({ credentials: { accessKeyId: e.emu.org.keys[0].accessKeyId, secretAccessKey: 'wrong' } });
  await assert.rejects(new DynamoDBClient(bad).send(new DescribeTableCommand({ TableName: 'x' })),
    { name: 'InvalidSignatureException' });
  await assert.rejects(new STSClient(bad).send(new GetCallerIdentityCommand({})),
    { name: 'SignatureDoesNotMatch' });
  const unknown = e.config({ credentials: { accessKeyId: 'AKIAXXXXXXXXXXXXXXXX', secretAccessKey: 'x' } });
  await assert.rejects(new DynamoDBClient(unknown).send(new DescribeTableCommand({ TableName: 'x' })),
    { name: 'UnrecognizedClientException' });

  // A skewed clock, and a session token past its expiration.
  e.emu.clock = () => Date.now() + 20 * 60 * 1000;
  await assert.rejects(new DynamoDBClient(e.config()).send(new DescribeTableCommand({ TableName: 'x' })),
    (err) => err.name === 'InvalidSignatureException' && /Signature expired/.test(err.message));
  e.emu.clock = () => Date.now();
  const role = await new STSClient(e.config()).send(new AssumeRoleCommand({
    RoleArn: `arn:aws:iam::${e.emu.org.accounts[1].id}:role/MetricsCollectorRole`, RoleSessionName: 'test' }));
  e.emu.keys.get(role.Credentials.AccessKeyId).expiration = Date.now() - 1000;
  const expired = e.config({ credentials: { accessKeyId: role.Credentials.AccessKeyId,
    secretAccessKey: role.Credentials.SecretAccessKey, sessionToken: role.Credentials.SessionToken } });
  await assert.rejects(new DynamoDBClient(expired).send(new DescribeTableCommand({ TableName: 'x' })),
    { name: 'ExpiredTokenException' });
  await assert.rejects(new STSClient(expired).send(new GetCallerIdentityCommand({})),
    { name: 'ExpiredToken' });
});
