'use strict';
// DynamoDB (AWS JSON 1.0): ListTables, DescribeTable, ListTagsOfResource,
// and UpdateTable (billing mode, provisioned throughput, table class and
// the indexes' throughput), which changes the table of the caller's
// account and region at once (it stays ACTIVE), and the billing mode of a
// global table's replicas in the other regions with it.

function fail(status, code, message) {
  return Object.assign(new Error(message), { status, code });
}

function throughput(rcu, wcu, billing) {
  return { NumberOfDecreasesToday: 0,
    ReadCapacityUnits: billing === 'PAY_PER_REQUEST' ? 0 : rcu,
    WriteCapacityUnits: billing === 'PAY_PER_REQUEST' ? 0 : wcu };
}

// The table ${name} of the caller's account and region, or a
// ResourceNotFoundException.
function find(ctx, name) {
  const t = ctx.tables(ctx.account, ctx.region).find((x) => x.name === name);
  if (!t) throw fail(400, 'ResourceNotFoundException', `Requested resource not found: Table: ${name} not found`);
  return t;
}

function describe(t) {
  const table = {
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' }],
    TableName: t.name,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    TableStatus: 'ACTIVE',
    CreationDateTime: t.created,
    ProvisionedThroughput: throughput(t.rcu, t.wcu, t.billingMode),
    TableSizeBytes: t.sizeBytes,
    ItemCount: t.itemCount,
    TableArn: t.arn,
    TableId: `00000000-0000-4000-8000-${t.arn.length.toString(16).padStart(12, '0')}`,
    DeletionProtectionEnabled: false,
  };
  // Real DynamoDB omits the summaries for tables never switched.
  if (t.billingMode === 'PAY_PER_REQUEST') {
    table.BillingModeSummary = { BillingMode: 'PAY_PER_REQUEST',
      LastUpdateToPayPerRequestDateTime: t.created };
    table.OnDemandThroughput = { MaxReadRequestUnits: -1, MaxWriteRequestUnits: -1 };
  }
  // The class summary of a table created in, or switched to, a class:
  // when it last changed (classUpdated, epoch seconds; else its creation).
  if (t.tableClass !== 'STANDARD' || t.classUpdated) {
    table.TableClassSummary = { TableClass: t.tableClass,
      LastUpdateDateTime: t.classUpdated || t.created };
  }
  if (t.gsis.length > 0) {
    table.GlobalSecondaryIndexes = t.gsis.map((g) => ({
      IndexName: g.name,
      KeySchema: [{ AttributeName: 'sk', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'ALL' },
      IndexStatus: 'ACTIVE',
      ProvisionedThroughput: throughput(g.rcu, g.wcu, t.billingMode),
      IndexSizeBytes: g.sizeBytes,
      ItemCount: g.itemCount,
      IndexArn: `${t.arn}/index/${g.name}`,
      ...(t.billingMode === 'PAY_PER_REQUEST' ?
        { OnDemandThroughput: { MaxReadRequestUnits: -1, MaxWriteRequestUnits: -1 } } : {}),
    }));
  }
  if (t.replicas.length > 0) {
    table.GlobalTableVersion = '2019.11.21';
    table.Replicas = t.replicas.map((r) => ({ RegionName: r, ReplicaStatus: 'ACTIVE' }));
  }
  return table;
}

function page(list, size, token) {
  const start = token ? Number(Buffer.from(token, 'base64').toString()) : 0;
  if (!Number.isInteger(start) || start < 0 || start > list.length) {
    throw fail(400, 'ValidationException', 'Invalid NextToken');
  }
  const next = start + size < list.length ? Buffer.from(String(start + size)).toString('base64') : undefined;
  return [list.slice(start, start + size), next];
}

// A capacity of ${p}'s ProvisionedThroughput member ${k}: 1 to 40000.
function units(p, k, member) {
  const n = p[k];
  if (!Number.isInteger(n) || n < 1 || n > 40000) {
    throw fail(400, 'ValidationException', `1 validation error detected: Value '${n}' at '${member}.${k[0].toLowerCase()}${k.slice(1)}' failed to satisfy constraint: Member must have value between 1 and 40000`);
  }
  return n;
}

// UpdateTable's changes to ${t}, checked first and then made together.
function update(ctx, t, p) {
  const billing = p.BillingMode === undefined ? t.billingMode : p.BillingMode;
  if (!['PROVISIONED', 'PAY_PER_REQUEST'].includes(billing)) {
    throw fail(400, 'ValidationException', `1 validation error detected: Value '${billing}' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]`);
  }
  const cls = p.TableClass === undefined ? t.tableClass : p.TableClass;
  if (!['STANDARD', 'STANDARD_INFREQUENT_ACCESS'].includes(cls)) {
    throw fail(400, 'ValidationException', `1 validation error detected: Value '${cls}' at 'tableClass' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, STANDARD_INFREQUENT_ACCESS]`);
  }
  const pt = p.ProvisionedThroughput;
  if (billing === 'PAY_PER_REQUEST' && pt) {
    throw fail(400, 'ValidationException', 'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
  }
  if (billing === 'PROVISIONED' && t.billingMode !== 'PROVISIONED' && !pt) {
    throw fail(400, 'ValidationException', 'One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode is PROVISIONED');
  }
  const rcu = pt ? units(pt, 'ReadCapacityUnits', 'provisionedThroughput') : t.rcu;
  const wcu = pt ? units(pt, 'WriteCapacityUnits', 'provisionedThroughput') : t.wcu;
  const gsi = [];
  for (const u of p.GlobalSecondaryIndexUpdates || []) {
    const x = u && u.Update;
    const g = x && t.gsis.find((i) => i.name === x.IndexName);
    if (!g) {
      throw fail(400, 'ValidationException', x ? `One or more parameter values were invalid: Global Secondary Index ${x.IndexName} not found` :
        'Only Update of an index is served by this emulator');
    }
    const gpt = x.ProvisionedThroughput || {};
    gsi.push([g, units(gpt, 'ReadCapacityUnits', 'provisionedThroughput'),
      units(gpt, 'WriteCapacityUnits', 'provisionedThroughput')]);
  }
  if (billing === 'PROVISIONED' && t.billingMode !== 'PROVISIONED' &&
      gsi.length < t.gsis.length) {
    throw fail(400, 'ValidationException', 'One or more parameter values were invalid: ProvisionedThroughput must be specified for index when BillingMode is PROVISIONED');
  }
  if (billing === t.billingMode && cls === t.tableClass && !pt && gsi.length === 0) {
    throw fail(400, 'ValidationException', 'The parameter cannot be empty: at least one of the table\'s settings must change');
  }
  // A global table's replicas switch mode with it, as AWS switches them
  // all: to provisioned at the same throughput (each index's too).
  if (billing !== t.billingMode) {
    for (const r of t.replicas) {
      const x = ctx.tables(ctx.account, r).find((y) => y.name === t.name);
      if (!x) continue;
      x.billingMode = billing;
      [x.rcu, x.wcu] = [rcu, wcu];
      for (const [g, gr, gw] of gsi) {
        const xg = x.gsis.find((i) => i.name === g.name);
        if (xg) [xg.rcu, xg.wcu] = [gr, gw];
      }
      if (billing === 'PAY_PER_REQUEST') {
        x.autoscaling = null;
        for (const g of x.gsis) g.autoscaling = null;
      }
    }
  }
  t.billingMode = billing;
  if (cls !== t.tableClass) t.classUpdated = Math.floor(ctx.now() / 1000);
  t.tableClass = cls;
  t.rcu = rcu;
  t.wcu = wcu;
  for (const [g, r, w] of gsi) [g.rcu, g.wcu] = [r, w];
  // Auto scaling does not stay on a table that is no longer provisioned.
  if (billing === 'PAY_PER_REQUEST') {
    t.autoscaling = null;
    for (const g of t.gsis) g.autoscaling = null;
  }
}

const actions = {
  ListTables(ctx, p) {
    const limit = p.Limit === undefined ? 100 : p.Limit;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      throw fail(400, 'ValidationException', `1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100`);
    }
    const names = ctx.tables(ctx.account, ctx.region).map((t) => t.name).sort();
    const from = p.ExclusiveStartTableName ?
      names.findIndex((n) => n > p.ExclusiveStartTableName) : 0;
    const rest = from < 0 ? [] : names.slice(from);
    const out = { TableNames: rest.slice(0, limit) };
    if (rest.length > limit) out.LastEvaluatedTableName = out.TableNames[limit - 1];
    return out;
  },

  DescribeTable(ctx, p) {
    return { Table: describe(find(ctx, p.TableName)) };
  },

  UpdateTable(ctx, p) {
    const t = find(ctx, p.TableName);
    update(ctx, t, p);
    return { TableDescription: describe(t) };
  },

  ListTagsOfResource(ctx, p) {
    const t = ctx.tables(ctx.account, ctx.region).find((x) => x.arn === p.ResourceArn);
    if (!t) throw fail(400, 'ResourceNotFoundException', `Requested resource not found: ResourcArn: ${p.ResourceArn} not found`);
    const tags = Object.entries(t.tags).map(([Key, Value]) => ({ Key, Value }));
    const [items, next] = page(tags, 10, p.NextToken);
    return next ? { Tags: items, NextToken: next } : { Tags: items };
  },
};

module.exports = { protocol: 'json', version: '1.0', target: 'DynamoDB_20120810',
  errorPrefix: 'com.amazonaws.dynamodb.v20120810#', actions, page, fail, find };
