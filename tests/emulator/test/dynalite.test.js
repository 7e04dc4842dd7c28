'use strict';
// dynalite, an independent DynamoDB, and the emulator answer the
// operations they share the same way: the same tables (from an --org file
// for the emulator, created through the SDK in dynalite) list, page and
// describe alike through the AWS SDK for JavaScript v3.

const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const dynalite = require('dynalite');
const {
  DynamoDBClient, CreateTableCommand, DescribeTableCommand, ListTablesCommand,
  TagResourceCommand, ListTagsOfResourceCommand,
} = require('@aws-sdk/client-dynamodb');
const { start } = require('./helper.js');

const ACCOUNT = '123456789012';
const TABLES = [
  { name: 'alpha', rcu: 5, wcu: 2, tags: { team: 'a' } },
  { name: 'beta', rcu: 40, wcu: 10, tags: { team: 'b', env: 'prod' } },
  { name: 'gamma', rcu: 1, wcu: 1, tags: {} },
];

// The fields both must agree on, of a described table.
function shape(t) {
  return {
    TableName: t.TableName, TableStatus: t.TableStatus,
    KeySchema: t.KeySchema, AttributeDefinitions: t.AttributeDefinitions,
    Read: t.ProvisionedThroughput.ReadCapacityUnits,
    Write: t.ProvisionedThroughput.WriteCapacityUnits,
    Decreases: t.ProvisionedThroughput.NumberOfDecreasesToday,
    Arn: t.TableArn.replace(/:\d{12}:/, ':ACCOUNT:'), Size: t.TableSizeBytes,
    Items: t.ItemCount, Created: t.CreationDateTime instanceof Date,
  };
}

test('dynalite and the emulator describe the same tables alike', async (t) => {
  // The emulator, from a file naming exactly these tables.
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'optima-org-')), 'org.json');
  fs.writeFileSync(file, JSON.stringify({
    accounts: [{ id: ACCOUNT }], regions: ['us-east-1'],
    tables: TABLES.map((x) => ({ account: ACCOUNT, region: 'us-east-1', name: x.name,
      rcu: x.rcu, wcu: x.wcu, tags: x.tags })),
  }));
  const e = await start({ org: file });
  t.after(e.close);

  // dynalite, with the same tables created through the SDK.
  const server = dynalite({ createTableMs: 0 });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise((r) => server.close(r)));
  const ddl = new DynamoDBClient({ endpoint: `http://127.0.0.1:${server.address().port}`,
    region: 'us-east-1', credentials: { accessKeyId: 'AKIDDYNALITE', secretAccessKey: 'x' } });
  for (const x of TABLES) {
    const created = await ddl.send(new CreateTableCommand({
      TableName: x.name,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      ProvisionedThroughput: { ReadCapacityUnits: x.rcu, WriteCapacityUnits: x.wcu },
    }));
    const tags = Object.entries(x.tags).map(([Key, Value]) => ({ Key, Value }));
    if (tags.length) {
      await ddl.send(new TagResourceCommand({ ResourceArn: created.TableDescription.TableArn, Tags: tags }));
    }
  }
  const emu = new DynamoDBClient(e.config());

  for (const client of [emu, ddl]) {
    const page1 = await client.send(new ListTablesCommand({ Limit: 2 }));
    assert.deepStrictEqual(page1, Object.assign({}, page1,
      { TableNames: ['alpha', 'beta'], LastEvaluatedTableName: 'beta' }));
    const page2 = await client.send(new ListTablesCommand({ ExclusiveStartTableName: 'beta' }));
    assert.deepStrictEqual(page2.TableNames, ['gamma']);
    assert.strictEqual(page2.LastEvaluatedTableName, undefined);
  }
  for (const x of TABLES) {
    const a = (await emu.send(new DescribeTableCommand({ TableName: x.name }))).Table;
    const b = (await ddl.send(new DescribeTableCommand({ TableName: x.name }))).Table;
    assert.deepStrictEqual(shape(a), shape(b), x.name);
    const ta = await emu.send(new ListTagsOfResourceCommand({ ResourceArn: a.TableArn }));
    const tb = await ddl.send(new ListTagsOfResourceCommand({ ResourceArn: b.TableArn }));
    const sorted = (l) => (l.Tags || []).slice().sort((p, q) => p.Key.localeCompare(q.Key));
    assert.deepStrictEqual(sorted(ta), sorted(tb), `${x.name} tags`);
  }
  for (const client of [emu, ddl]) {
    await assert.rejects(client.send(new DescribeTableCommand({ TableName: 'missing' })),
      { name: 'ResourceNotFoundException' });
  }
});
