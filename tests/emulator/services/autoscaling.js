'use strict';
// Application Auto Scaling (AWS JSON 1.1): DescribeScalableTargets and
// DescribeScalingPolicies, for the DynamoDB tables and indexes of the
// caller's account and region that have auto scaling in the organization;
// RegisterScalableTarget, PutScalingPolicy (target tracking) and
// DeregisterScalableTarget change it.

const crypto = require('node:crypto');
const { fail, find } = require('./dynamodb.js');

const NAMESPACES = ['appstream', 'cassandra', 'comprehend', 'custom-resource', 'dynamodb',
  'ec2', 'ecs', 'elasticache', 'elasticmapreduce', 'kafka', 'lambda', 'neptune', 'rds',
  'sagemaker', 'workspaces'];
const DIMENSIONS = ['appstream:fleet:DesiredCapacity', 'cassandra:table:ReadCapacityUnits',
  'cassandra:table:WriteCapacityUnits', 'comprehend:document-classifier-endpoint:DesiredInferenceUnits',
  'comprehend:entity-recognizer-endpoint:DesiredInferenceUnits', 'custom-resource:ResourceType:Property',
  'dynamodb:index:ReadCapacityUnits', 'dynamodb:index:WriteCapacityUnits',
  'dynamodb:table:ReadCapacityUnits', 'dynamodb:table:WriteCapacityUnits',
  'ec2:spot-fleet-request:TargetCapacity', 'ecs:service:DesiredCount',
  'elasticmapreduce:instancegroup:InstanceCount', 'elasticache:cache-cluster:Nodes',
  'elasticache:replication-group:NodeGroups', 'elasticache:replication-group:Replicas',
  'kafka:broker-storage:VolumeSize', 'lambda:function:ProvisionedConcurrency',
  'neptune:cluster:ReadReplicaCount', 'rds:cluster:ReadReplicaCount',
  'sagemaker:inference-component:DesiredCopyCount', 'sagemaker:variant:DesiredInstanceCount',
  'sagemaker:variant:DesiredProvisionedConcurrency', 'workspaces:workspacespool:DesiredUserSessions'];
// Auto scaling of a table or index sets the policy up with four alarms.
const ALARMS = ['AlarmHigh', 'AlarmLow', 'ProvisionedCapacityHigh', 'ProvisionedCapacityLow'];

// Hex digits that stay the same for the same ${parts}: the ids AWS
// generates, stable across requests and runs.
function digest(...parts) {
  return crypto.createHash('sha256').update(parts.join('\n')).digest('hex');
}
function uuid(...parts) {
  const h = digest(...parts);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

// The scalable targets of the caller's account and region, in the order
// AWS lists them (by resource, then dimension): {t, resourceId, dimension,
// metric, cfg} for each auto scaled capacity of a table or index.
function targets(ctx) {
  const out = [];
  for (const t of ctx.tables(ctx.account, ctx.region)) {
    if (t.billingMode !== 'PROVISIONED') continue;
    add(out, t, `table/${t.name}`, 'table', t.autoscaling);
    for (const g of t.gsis) add(out, t, `table/${t.name}/index/${g.name}`, 'index', g.autoscaling);
  }
  return out.sort((a, b) => (a.resourceId < b.resourceId ? -1 : a.resourceId > b.resourceId ? 1 :
    a.dimension < b.dimension ? -1 : 1));
}

function add(out, t, resourceId, kind, autoscaling) {
  if (!autoscaling) return;
  for (const [key, what] of [['read', 'Read'], ['write', 'Write']]) {
    if (!autoscaling[key]) continue;
    out.push({ t, resourceId, dimension: `dynamodb:${kind}:${what}CapacityUnits`,
      metric: `DynamoDB${what}CapacityUtilization`, cfg: autoscaling[key] });
  }
}

// Registered two minutes after the table was created; epoch seconds.
function created(x) { return x.t.created + 120; }

function scalableTarget(ctx, x) {
  return {
    ServiceNamespace: 'dynamodb',
    ResourceId: x.resourceId,
    ScalableDimension: x.dimension,
    MinCapacity: x.cfg.min,
    MaxCapacity: x.cfg.max,
    RoleARN: `arn:aws:iam::${ctx.account}:role/aws-service-role/dynamodb.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_DynamoDBTable`,
    CreationTime: created(x),
    SuspendedState: { DynamicScalingInSuspended: false, DynamicScalingOutSuspended: false,
      ScheduledScalingSuspended: false },
    ScalableTargetARN: `arn:aws:application-autoscaling:${ctx.region}:${ctx.account}:scalable-target/` +
      digest(ctx.account, ctx.region, x.resourceId, x.dimension).slice(0, 36),
  };
}

// The console names a DynamoDB policy after its metric and resource.
function policyName(x) { return `${x.metric}:${x.resourceId}`; }

function scalingPolicy(ctx, x) {
  const name = policyName(x);
  const id = uuid(ctx.account, ctx.region, x.resourceId, x.dimension);
  const alarm = (kind) => {
    const n = `TargetTracking-${x.resourceId}-${kind}-${uuid(id, kind)}`;
    return { AlarmName: n, AlarmARN: `arn:aws:cloudwatch:${ctx.region}:${ctx.account}:alarm:${n}` };
  };
  return {
    PolicyARN: `arn:aws:autoscaling:${ctx.region}:${ctx.account}:scalingPolicy:${id}:` +
      `resource/dynamodb/${x.resourceId}:policyName/${name}`,
    PolicyName: name,
    ServiceNamespace: 'dynamodb',
    ResourceId: x.resourceId,
    ScalableDimension: x.dimension,
    PolicyType: 'TargetTrackingScaling',
    TargetTrackingScalingPolicyConfiguration: {
      TargetValue: x.cfg.target,
      PredefinedMetricSpecification: { PredefinedMetricType: x.metric },
      ScaleOutCooldown: x.cfg.scaleOutCooldown || 0,
      ScaleInCooldown: x.cfg.scaleInCooldown || 0,
      DisableScaleIn: Boolean(x.cfg.disableScaleIn),
    },
    Alarms: ALARMS.map(alarm),
    CreationTime: created(x) + 1,
  };
}

function invalid(value, member, constraint) {
  return fail(400, 'ValidationException',
    `1 validation error detected: Value ${value === undefined ? 'null' : `'${value}'`} at '${member}' failed to satisfy constraint: ${constraint}`);
}

// Check the request members both operations share; returns MaxResults.
function validate(p, most) {
  if (!NAMESPACES.includes(p.ServiceNamespace)) {
    throw invalid(p.ServiceNamespace, 'serviceNamespace', p.ServiceNamespace === undefined ?
      'Member must not be null' : `Member must satisfy enum value set: [${NAMESPACES.join(', ')}]`);
  }
  if (p.ScalableDimension !== undefined && !DIMENSIONS.includes(p.ScalableDimension)) {
    throw invalid(p.ScalableDimension, 'scalableDimension',
      `Member must satisfy enum value set: [${DIMENSIONS.join(', ')}]`);
  }
  const max = p.MaxResults === undefined ? most : p.MaxResults;
  if (!Number.isInteger(max) || max < 1 || max > most) {
    throw invalid(p.MaxResults, 'maxResults', max < 1 ? 'Member must have value greater than or equal to 1' :
      `Member must have value less than or equal to ${most}`);
  }
  return max;
}

// One page of ${list}: the token is the opaque offset of the next page.
function page(list, size, token) {
  let start = 0;
  if (token !== undefined) {
    const m = /^aas1:(\d+)$/.exec(Buffer.from(String(token), 'base64').toString());
    start = m ? Number(m[1]) : -1;
    if (start < 0 || start > list.length) throw fail(400, 'InvalidNextTokenException', 'Invalid token');
  }
  const end = start + size;
  return [list.slice(start, end), end < list.length ? Buffer.from(`aas1:${end}`).toString('base64') : undefined];
}

function listed(key, items, next) {
  return next ? { [key]: items, NextToken: next } : { [key]: items };
}

// The provisioned table or index and the dimension ('read' or 'write') a
// request for dynamodb names in ResourceId and ScalableDimension; the
// table or index must be in the caller's account and region.
function resource(ctx, p) {
  validate(p, 1);
  if (p.ServiceNamespace !== 'dynamodb') {
    throw fail(400, 'ValidationException', 'Only the dynamodb namespace is served by this emulator');
  }
  const m = /^table\/([^/]+)(?:\/index\/([^/]+))?$/.exec(p.ResourceId || '');
  const d = /^dynamodb:(table|index):(Read|Write)CapacityUnits$/.exec(p.ScalableDimension || '');
  if (!m || !d || (d[1] === 'index') !== (m[2] !== undefined)) {
    throw fail(400, 'ValidationException', `Unsupported resource ${p.ResourceId} or dimension ${p.ScalableDimension}`);
  }
  let t;
  try {
    t = find(ctx, m[1]);
  } catch {
    throw fail(400, 'ValidationException', `DynamoDB table ${m[1]} does not exist`);
  }
  const x = m[2] === undefined ? t : t.gsis.find((g) => g.name === m[2]);
  if (!x) throw fail(400, 'ValidationException', `DynamoDB index ${m[2]} of ${m[1]} does not exist`);
  if (t.billingMode !== 'PROVISIONED') {
    throw fail(400, 'ValidationException', `DynamoDB table ${m[1]} is not in provisioned mode`);
  }
  return [x, d[2].toLowerCase()];
}

function capacity(v, member) {
  if (!Number.isInteger(v) || v < 1 || v > 40000) {
    throw invalid(v, member, 'Member must have value between 1 and 40000');
  }
  return v;
}

const actions = {
  RegisterScalableTarget(ctx, p) {
    const [x, k] = resource(ctx, p);
    const old = x.autoscaling && x.autoscaling[k];
    const min = p.MinCapacity === undefined && old ? old.min : capacity(p.MinCapacity, 'minCapacity');
    const max = p.MaxCapacity === undefined && old ? old.max : capacity(p.MaxCapacity, 'maxCapacity');
    if (min > max) throw fail(400, 'ValidationException', 'Minimum capacity cannot be greater than maximum capacity');
    x.autoscaling = x.autoscaling || { read: null, write: null };
    // A target without a policy yet keeps AWS's default target of 70%.
    x.autoscaling[k] = Object.assign({ target: 70 }, old || {}, { min, max });
    // "it changes the resource's current capacity to a value that is
    // inside of this range" (RegisterScalableTarget, API reference).
    const u = k === 'read' ? 'rcu' : 'wcu';
    x[u] = Math.min(Math.max(x[u], min), max);
    return { ScalableTargetARN: `arn:aws:application-autoscaling:${ctx.region}:${ctx.account}:scalable-target/` +
      digest(ctx.account, ctx.region, p.ResourceId, p.ScalableDimension).slice(0, 36) };
  },

  PutScalingPolicy(ctx, p) {
    const [x, k] = resource(ctx, p);
    if (!x.autoscaling || !x.autoscaling[k]) {
      throw fail(400, 'ObjectNotFoundException', `No scalable target registered for service namespace: dynamodb, resource ID: ${p.ResourceId}, scalable dimension: ${p.ScalableDimension}`);
    }
    const c = p.TargetTrackingScalingPolicyConfiguration;
    if (p.PolicyType !== 'TargetTrackingScaling' || !c || typeof c.TargetValue !== 'number' ||
        !(c.TargetValue >= 8.515920e-109 && c.TargetValue <= 6.8056473e+38)) {
      throw fail(400, 'ValidationException', 'Only TargetTrackingScaling policies with a TargetValue are served by this emulator');
    }
    const cfg = x.autoscaling[k];
    cfg.target = c.TargetValue;
    cfg.scaleInCooldown = c.ScaleInCooldown || 0;
    cfg.scaleOutCooldown = c.ScaleOutCooldown || 0;
    cfg.disableScaleIn = Boolean(c.DisableScaleIn);
    const id = uuid(ctx.account, ctx.region, p.ResourceId, p.ScalableDimension);
    return { PolicyARN: `arn:aws:autoscaling:${ctx.region}:${ctx.account}:scalingPolicy:${id}:` +
      `resource/dynamodb/${p.ResourceId}:policyName/${p.PolicyName}`, Alarms: [] };
  },

  DeregisterScalableTarget(ctx, p) {
    const [x, k] = resource(ctx, p);
    if (!x.autoscaling || !x.autoscaling[k]) {
      throw fail(400, 'ObjectNotFoundException', `No scalable target registered for service namespace: dynamodb, resource ID: ${p.ResourceId}, scalable dimension: ${p.ScalableDimension}`);
    }
    x.autoscaling[k] = null;
    if (!x.autoscaling.read && !x.autoscaling.write) x.autoscaling = null;
    return {};
  },

  DescribeScalableTargets(ctx, p) {
    const max = validate(p, 50);
    let all = p.ServiceNamespace === 'dynamodb' ? targets(ctx) : [];
    if (Array.isArray(p.ResourceIds) && p.ResourceIds.length > 0) {
      all = all.filter((x) => p.ResourceIds.includes(x.resourceId));
    }
    if (p.ScalableDimension) all = all.filter((x) => x.dimension === p.ScalableDimension);
    const [items, next] = page(all, max, p.NextToken);
    return listed('ScalableTargets', items.map((x) => scalableTarget(ctx, x)), next);
  },

  DescribeScalingPolicies(ctx, p) {
    const max = validate(p, 10);
    let all = p.ServiceNamespace === 'dynamodb' ? targets(ctx) : [];
    if (p.ResourceId) all = all.filter((x) => x.resourceId === p.ResourceId);
    if (p.ScalableDimension) all = all.filter((x) => x.dimension === p.ScalableDimension);
    if (Array.isArray(p.PolicyNames) && p.PolicyNames.length > 0) {
      all = all.filter((x) => p.PolicyNames.includes(policyName(x)));
    }
    const [items, next] = page(all, max, p.NextToken);
    return listed('ScalingPolicies', items.map((x) => scalingPolicy(ctx, x)), next);
  },
};

module.exports = { protocol: 'json', version: '1.1', target: 'AnyScaleFrontendService', actions };
