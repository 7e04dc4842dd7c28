'use strict';
// Application Auto Scaling through the AWS SDK for JavaScript v3: every
// auto scaled table and index of the organization, page by page, as
// scalable targets with target tracking policies; and the generated
// organization they come from: global tables, throttling tables, presets.

const test = require('node:test');
const assert = require('node:assert');
const { start } = require('./helper.js');
const { makeOrg, SHAPES } = require('../org.js');
const { DynamoDBClient, DescribeTableCommand } = require('@aws-sdk/client-dynamodb');
const { STSClient, AssumeRoleCommand } = require('@aws-sdk/client-sts');
const { ApplicationAutoScalingClient, paginateDescribeScalableTargets, paginateDescribeScalingPolicies,
  DescribeScalableTargetsCommand, DescribeScalingPoliciesCommand } =
  require('@aws-sdk/client-application-auto-scaling');

// What the organization says is auto scaled in ${account} and ${region}:
// [{id, dimension, cfg}] by resource id and dimension.
function model(org, account, region) {
  const out = [];
  const add = (id, kind, autoscaling) => {
    for (const [key, unit] of [['read', 'ReadCapacityUnits'], ['write', 'WriteCapacityUnits']]) {
      if (autoscaling && autoscaling[key]) out.push({ id, dimension: `dynamodb:${kind}:${unit}`, cfg: autoscaling[key] });
    }
  };
  for (const t of org.tables) {
    if (t.account !== account || t.region !== region || t.billingMode !== 'PROVISIONED') continue;
    add(`table/${t.name}`, 'table', t.autoscaling);
    for (const g of t.gsis) add(`table/${t.name}/index/${g.name}`, 'index', g.autoscaling);
  }
  return out.sort((a, b) => `${a.id} ${a.dimension}`.localeCompare(`${b.id} ${b.dimension}`));
}

// Credentials of each account: the management account's own, the
// members' through MetricsCollectorRole.
async function credentials(e, account) {
  if (account === e.emu.org.management) return e.config().credentials;
  const r = await new STSClient(e.config()).send(new AssumeRoleCommand({
    RoleArn: `arn:aws:iam::${account}:role/MetricsCollectorRole`, RoleSessionName: 'aas' }));
  return { accessKeyId: r.Credentials.AccessKeyId, secretAccessKey: r.Credentials.SecretAccessKey,
    sessionToken: r.Credentials.SessionToken };
}

async function all(paginator, key) {
  const items = [];
  let pages = 0;
  for await (const page of paginator) {
    items.push(...page[key]);
    pages++;
  }
  return [items, pages];
}

test('every auto scaled table and index, in every account and region', async (t) => {
  const e = await start();
  t.after(e.close);
  const org = e.emu.org;
  let tables = 0;
  let indexes = 0;
  for (const a of org.accounts) {
    const credentialsOf = await credentials(e, a.id);
    for (const region of org.regions) {
      const client = new ApplicationAutoScalingClient(e.config({ credentials: credentialsOf, region }));
      const want = model(org, a.id, region);
      tables += want.filter((w) => w.dimension.startsWith('dynamodb:table')).length;
      indexes += want.filter((w) => w.dimension.startsWith('dynamodb:index')).length;

      const [targets, pages] = await all(paginateDescribeScalableTargets({ client, pageSize: 2 },
        { ServiceNamespace: 'dynamodb' }), 'ScalableTargets');
      assert.strictEqual(pages, Math.max(1, Math.ceil(want.length / 2)));
      assert.deepStrictEqual(targets.map((x) => [x.ResourceId, x.ScalableDimension, x.MinCapacity, x.MaxCapacity]),
        want.map((w) => [w.id, w.dimension, w.cfg.min, w.cfg.max]));
      for (const x of targets) {
        assert.strictEqual(x.ServiceNamespace, 'dynamodb');
        assert.match(x.RoleARN, new RegExp(`^arn:aws:iam::${a.id}:role/aws-service-role/dynamodb\\.application-autoscaling\\.amazonaws\\.com/`));
        assert.ok(x.CreationTime instanceof Date);
        const table = org.tables.find((y) => y.account === a.id && y.region === region &&
          x.ResourceId.split('/')[1] === y.name);
        assert.ok(x.CreationTime.getTime() >= table.created * 1000);
        assert.deepStrictEqual(x.SuspendedState, { DynamicScalingInSuspended: false,
          DynamicScalingOutSuspended: false, ScheduledScalingSuspended: false });
        assert.match(x.ScalableTargetARN, new RegExp(`^arn:aws:application-autoscaling:${region}:${a.id}:scalable-target/[0-9a-f]{36}$`));
      }

      const [policies] = await all(paginateDescribeScalingPolicies({ client, pageSize: 3 },
        { ServiceNamespace: 'dynamodb' }), 'ScalingPolicies');
      assert.deepStrictEqual(policies.map((p) => [p.ResourceId, p.ScalableDimension]),
        want.map((w) => [w.id, w.dimension]));
      policies.forEach((p, i) => {
        const w = want[i];
        const metric = `DynamoDB${w.dimension.endsWith('ReadCapacityUnits') ? 'Read' : 'Write'}CapacityUtilization`;
        assert.strictEqual(p.PolicyType, 'TargetTrackingScaling');
        assert.strictEqual(p.PolicyName, `${metric}:${w.id}`);
        assert.deepStrictEqual(p.TargetTrackingScalingPolicyConfiguration, {
          TargetValue: w.cfg.target, PredefinedMetricSpecification: { PredefinedMetricType: metric },
          ScaleOutCooldown: w.cfg.scaleOutCooldown, ScaleInCooldown: w.cfg.scaleInCooldown,
          DisableScaleIn: w.cfg.disableScaleIn });
        assert.match(p.PolicyARN, new RegExp(`^arn:aws:autoscaling:${region}:${a.id}:scalingPolicy:[0-9a-f-]{36}:resource/dynamodb/`));
        assert.ok(p.PolicyARN.endsWith(`:resource/dynamodb/${w.id}:policyName/${p.PolicyName}`));
        assert.deepStrictEqual(p.Alarms.map((x) => x.AlarmName.replace(/-[0-9a-f-]{36}$/, '')),
          ['AlarmHigh', 'AlarmLow', 'ProvisionedCapacityHigh', 'ProvisionedCapacityLow']
            .map((k) => `TargetTracking-${w.id}-${k}`));
        for (const x of p.Alarms) assert.strictEqual(x.AlarmARN, `arn:aws:cloudwatch:${region}:${a.id}:alarm:${x.AlarmName}`);
        assert.ok(p.CreationTime instanceof Date);
      });
    }
  }
  // The organization is worth the test: auto scaled tables and indexes.
  assert.ok(tables > 0 && indexes > 0, `${tables} table and ${indexes} index targets`);
});

test('filters, limits and tokens', async (t) => {
  const e = await start({ org: 'medium' });
  t.after(e.close);
  const org = e.emu.org;
  const busiest = org.regions.map((r) => [r, model(org, org.management, r)])
    .sort((a, b) => b[1].length - a[1].length)[0];
  const [region, want] = busiest;
  assert.ok(want.length >= 3, 'the management account has auto scaling');
  const client = new ApplicationAutoScalingClient(e.config({ region }));
  const send = (Command, input) => client.send(new Command(Object.assign({ ServiceNamespace: 'dynamodb' }, input)));

  const one = want[want.length - 1];
  const byResource = await send(DescribeScalableTargetsCommand, { ResourceIds: [one.id] });
  assert.deepStrictEqual(byResource.ScalableTargets.map((x) => x.ScalableDimension),
    want.filter((w) => w.id === one.id).map((w) => w.dimension));
  const byDimension = await send(DescribeScalableTargetsCommand,
    { ResourceIds: [one.id, 'table/no-such-table'], ScalableDimension: one.dimension });
  assert.deepStrictEqual(byDimension.ScalableTargets.map((x) => x.ResourceId), [one.id]);

  const policies = await send(DescribeScalingPoliciesCommand, { ResourceId: one.id, ScalableDimension: one.dimension });
  assert.strictEqual(policies.ScalingPolicies.length, 1);
  const named = await send(DescribeScalingPoliciesCommand, { PolicyNames: [policies.ScalingPolicies[0].PolicyName] });
  assert.deepStrictEqual(named.ScalingPolicies, policies.ScalingPolicies);
  assert.strictEqual(named.NextToken, undefined);

  // Default page sizes: 50 targets, 10 policies.
  const allTargets = await send(DescribeScalableTargetsCommand, {});
  assert.strictEqual(allTargets.ScalableTargets.length, Math.min(50, want.length));
  const firstPolicies = await send(DescribeScalingPoliciesCommand, {});
  assert.strictEqual(firstPolicies.ScalingPolicies.length, Math.min(10, want.length));
  assert.strictEqual(firstPolicies.NextToken !== undefined, want.length > 10);

  const other = await send(DescribeScalableTargetsCommand, { ServiceNamespace: 'ecs' });
  assert.deepStrictEqual(other.ScalableTargets, []);

  await assert.rejects(send(DescribeScalableTargetsCommand, { MaxResults: 51 }),
    (err) => err.name === 'ValidationException' && /maxResults/.test(err.message) &&
      err.$metadata.httpStatusCode === 400);
  await assert.rejects(send(DescribeScalingPoliciesCommand, { MaxResults: 11 }), { name: 'ValidationException' });
  await assert.rejects(send(DescribeScalableTargetsCommand, { ServiceNamespace: 'nosuch' }),
    (err) => err.name === 'ValidationException' && /serviceNamespace/.test(err.message));
  await assert.rejects(send(DescribeScalableTargetsCommand, { ScalableDimension: 'dynamodb:table:Nothing' }),
    { name: 'ValidationException' });
  await assert.rejects(send(DescribeScalingPoliciesCommand, { NextToken: 'garbage' }),
    { name: 'InvalidNextTokenException' });
});

test('the generated organizations', () => {
  for (const preset of ['small', 'medium', 'large']) {
    const t0 = Date.now();
    const org = makeOrg(preset, 7);
    const ms = Date.now() - t0;
    const where = (t) => `${preset} ${t.account}/${t.region}/${t.name}`;
    const byPlace = new Map(org.tables.map((t) => [`${t.account}/${t.region}/${t.name}`, t]));
    assert.strictEqual(byPlace.size, org.tables.length, `${preset}: names are unique per account and region`);
    for (const t of org.tables) {
      assert.ok(org.regions.includes(t.region) && SHAPES.includes(t.shape), where(t));
      assert.ok(t.read >= 0 && t.write >= 0 && t.sizeBytes > 0 && t.itemCount > 0, where(t));
      const resources = [t, ...t.gsis];
      if (t.billingMode === 'PAY_PER_REQUEST') {
        assert.ok(resources.every((r) => r.rcu === 0 && r.wcu === 0 && !r.autoscaling) && !t.throttles, where(t));
      } else {
        assert.ok(resources.every((r) => r.rcu >= 1 && r.wcu >= 1), where(t));
      }
      // Auto scaling holds the capacity between its bounds; indexes of
      // auto scaled tables scale too.
      for (const r of resources) {
        for (const [dim, units] of [['read', r.rcu], ['write', r.wcu]]) {
          const a = r.autoscaling && r.autoscaling[dim];
          if (a) assert.ok(a.min <= units && units <= a.max && a.target > 0 && a.target < 100, where(t));
        }
      }
      assert.strictEqual(t.gsis.some((g) => g.autoscaling), Boolean(t.autoscaling) && t.gsis.length > 0, where(t));
      // A throttling table is provisioned without auto scaling, close to
      // its use (replicas: their writes, reads are their own).
      if (t.throttles) {
        assert.ok(!t.autoscaling && (t.rcu <= Math.max(2, 2 * t.read) || t.wcu <= Math.max(2, 2 * t.write)), where(t));
      }
      // Each replica of a global table is there, naming the others.
      for (const r of t.replicas) {
        const other = byPlace.get(`${t.account}/${r}/${t.name}`);
        assert.ok(other, `${where(t)}: replica in ${r}`);
        assert.deepStrictEqual([...other.replicas, r].sort(), [...t.replicas, t.region].sort(), where(t));
        assert.deepStrictEqual([other.billingMode, other.wcu, other.write, other.gsis.map((g) => g.name)],
          [t.billingMode, t.wcu, t.write, t.gsis.map((g) => g.name)], where(t));
      }
    }
    const count = (f) => org.tables.filter(f).length;
    assert.ok(count((t) => t.replicas.length > 0) > 0, `${preset}: global tables`);
    assert.ok(count((t) => t.throttles) > 0, `${preset}: throttling tables`);
    assert.ok(count((t) => t.gsis.some((g) => g.autoscaling)) > 0, `${preset}: auto scaled indexes`);
    assert.deepStrictEqual([...new Set(org.tables.map((t) => t.shape))].sort(), [...SHAPES].sort());
    if (preset === 'large') {
      assert.strictEqual(org.accounts.length, 1000);
      assert.ok(org.tables.length > 9000 && org.tables.length < 11000, `${org.tables.length} tables`);
      assert.ok(ms < 2000, `large generated in ${ms} ms`);
    }
  }
});

test('a global table is in each of its regions', async (t) => {
  const e = await start();
  t.after(e.close);
  const org = e.emu.org;
  const g = org.tables.find((x) => x.account === org.management && x.replicas.length > 0);
  const regions = [g.region, ...g.replicas];
  assert.ok(regions.length >= 2);
  for (const region of regions) {
    const d = await new DynamoDBClient(e.config({ region })).send(new DescribeTableCommand({ TableName: g.name }));
    assert.strictEqual(d.Table.TableArn, `arn:aws:dynamodb:${region}:${org.management}:table/${g.name}`);
    assert.strictEqual(d.Table.GlobalTableVersion, '2019.11.21');
    assert.deepStrictEqual(d.Table.Replicas.map((r) => r.RegionName).sort(),
      regions.filter((r) => r !== region).sort());
  }
});
