'use strict';
// The traffic model behind the emulator's CloudWatch metrics: for a table
// or global secondary index of the organization (org.js), what DynamoDB
// would have published for any UTC minute. Every number is a pure function
// of the resource, the metric, the minute and the organization's seed, so
// any window at any period gives consistent numbers, and nothing is kept
// per table.
//
// A resource's demand follows its table's workload shape, scaled so that
// its long-run mean is the resource's `read`/`write` field (capacity units
// per second). Per minute DynamoDB publishes a statistic set: the units
// consumed (Sum), the requests that consumed them (SampleCount) and the
// least and most one request consumed (Minimum, Maximum). Provisioned
// capacity is published every 5 minutes; auto scaled capacity follows
// sustained demand (2 consecutive minutes, then the alarm's and the
// update's lag) and comes down at most once an hour. Demand above the
// capacity in force is throttled: consumed capacity stops at the capacity
// and the excess requests are throttle events. On-demand resources have
// neither provisioned capacity nor throttling. A minute without traffic has
// no datapoint. Not modelled: burst capacity, scaling cooldowns, the daily
// limit on decreases; a policy with scale-in disabled holds the capacity of
// the shape's highest demand.
//
// Replicas of a global table (same account and name, `replicas` set) share
// their shape's timing and their writes, minute by minute; reads are local.
//
// A resource with a truthy `throttles` field (true, or surges per day)
// also gets single-minute surges to 1.5 times its highest capacity, which
// no auto scaling can follow; the rest of its demand is scaled down so its
// mean demand is unchanged (its consumed mean is then a little lower).

const TAU = 2 * Math.PI;
const DAY = 1440;
// Minutes from the second of 2 minutes over target to the new capacity.
const SCALE_LAG = 4;
const SURGE = 1.5;
const SURGES_PER_DAY = 4;

// Metric -> which dimension (read/write) and what is published.
const METRICS = {
  ConsumedReadCapacityUnits: ['read', 'consumed'],
  ConsumedWriteCapacityUnits: ['write', 'consumed'],
  ProvisionedReadCapacityUnits: ['read', 'provisioned'],
  ProvisionedWriteCapacityUnits: ['write', 'provisioned'],
  ReadThrottleEvents: ['read', 'throttles'],
  WriteThrottleEvents: ['write', 'throttles'],
};

// Shape parameters; each shape's factor has mean 1.
const SPIKY = { chance: 0.3, minutes: 3, level: 30 };
SPIKY.base = (1 - SPIKY.chance * SPIKY.minutes / 60 * SPIKY.level) /
  (1 - SPIKY.chance * SPIKY.minutes / 60);
const BATCH = { minutes: 60, idle: 0.02, busyChance: 0.3 };
BATCH.level = (DAY - (DAY - BATCH.minutes) * BATCH.idle) / BATCH.minutes;
const RAMP = { period: 84 * DAY, from: 0.25, to: 1.75 };
// Traffic in a few minutes only (a datapoint now and then), in more.
const IDLE = { chance: 0.02 };
const COLD = { chance: 0.5 };
// The highest factor each shape reaches.
const PEAK = { idle: 1.5 / IDLE.chance, diurnal: 1.6 * 1.1, spiky: SPIKY.level * 1.2,
  ramp: RAMP.to * 1.1, batch: BATCH.level * 1.2, cold: 1.5 / COLD.chance };

// 32-bit string hash (FNV-1a).
function hashString(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

// A uniform number in [0, 1) for ${key} and an integer ${n} below 2^31
// (minutes since 1970 are): a finalised multiplicative hash (murmur3's fmix32).
function unit(key, n) {
  let h = (key ^ Math.imul(n, 0x9e3779b1)) >>> 0;
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

function num(v) {
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? n : 0;
}

// {min, max, target} of an auto scaling dimension, target as a fraction.
function scaling(policy, fixed) {
  if (!policy || typeof policy !== 'object') return null;
  const min = Math.max(1, Math.ceil(num(policy.min)) || 1);
  let target = num(policy.target) || 70;
  if (target > 1) target /= 100;
  return { min, max: Math.max(min, Math.floor(num(policy.max)) || fixed || min), target,
    scaleIn: !policy.disableScaleIn };
}

// The model of one dimension (read or write) of a resource.
function dimension(key, shapeKey, res, table, dim) {
  const shape = table.shape;
  const provisioned = (table.billingMode || 'PROVISIONED') === 'PROVISIONED';
  const fixed = num(dim === 'read' ? res.rcu : res.wcu);
  const auto = provisioned ? scaling(res.autoscaling && res.autoscaling[dim], fixed) : null;
  const items = num(res.itemCount) || num(table.itemCount);
  const size = items ? Math.max(1, (num(res.sizeBytes) || num(table.sizeBytes)) / items) : 1024;
  // Reads are eventually consistent 4 KB units of 1 to 3 items; writes 1 KB.
  const q = dim === 'read' ? 0.5 : 1;
  const perItem = dim === 'read' ? 0.5 * Math.ceil(size / 4096) : Math.ceil(size / 1024);
  const uAvg = perItem * (dim === 'read' ? 1 + 2 * unit(hashString(key + '/items'), 0) : 1);
  const d = {
    shape, mean: num(res[dim]), q, uAvg, uMax: q * Math.ceil(4 * uAvg / q),
    provisioned, fixed, auto,
    kNoise: hashString(key + '/noise'), kRound: hashString(key + '/round'),
    kSparse: hashString(key + '/sparse'), kSurge: hashString(key + '/surge'),
    // Shared by the table, its indexes, reads and writes: when peaks,
    // bursts and batches happen.
    kSpike: hashString(shapeKey + '/spike'), kSpikeAt: hashString(shapeKey + '/spike-at'),
    phase: Math.floor(unit(hashString(shapeKey + '/phase'), 0) * DAY),
    batchAt: Math.floor(unit(hashString(shapeKey + '/batch'), 0) * 240),
    rampAt: Math.floor(unit(hashString(shapeKey + '/ramp'), 0) * RAMP.period),
    surgeChance: 0, surgeLevel: 0, scale: 1,
  };
  const ceiling = auto ? auto.max : fixed;
  if (res.throttles && provisioned && d.mean > 0 && ceiling > 0) {
    const perDay = typeof res.throttles === 'number' ? res.throttles : SURGES_PER_DAY;
    d.surgeLevel = SURGE * ceiling / d.mean;
    d.surgeChance = Math.min(perDay / DAY, 0.5 / d.surgeLevel);
    d.scale = (1 - d.surgeChance * d.surgeLevel) / (1 - d.surgeChance);
  }
  if (auto && !auto.scaleIn) {
    const peak = d.mean * 60 * Math.max(d.scale * peakFactor(shape), d.surgeLevel) + q;
    auto.held = Math.min(auto.max, Math.max(auto.min, Math.ceil(peak / 60 / auto.target)));
  }
  return d;
}

// The model of ${table}, or of its index ${gsi}, for an organization
// generated from ${seed}.
function model(seed, table, gsi) {
  const global = Array.isArray(table.replicas) && table.replicas.length > 0;
  const shapeKey = `${seed}/${table.account}/${global ? 'global' : table.region}/${table.name}`;
  const index = gsi ? `/index/${gsi.name}` : '';
  const res = gsi || table;
  return {
    created: Math.ceil(num(table.created) / 60),
    read: dimension(`${seed}/${table.account}/${table.region}/${table.name}${index}/read`,
      shapeKey, res, table, 'read'),
    write: dimension(`${shapeKey}${index}/write`, shapeKey, res, table, 'write'),
  };
}

// The shape's demand factor in minute ${m} (mean 1 over the long run).
function factor(d, m) {
  const u = unit(d.kNoise, m);
  switch (d.shape) {
    case 'idle':
      return unit(d.kSparse, m) < IDLE.chance ? (0.5 + u) / IDLE.chance : 0;
    case 'diurnal':
      return (1 + 0.6 * Math.sin(TAU * (m - d.phase) / DAY)) * (0.9 + 0.2 * u);
    case 'spiky': {
      const h = Math.floor(m / 60);
      const at = h * 60 + Math.floor(unit(d.kSpikeAt, h) * (61 - SPIKY.minutes));
      const burst = unit(d.kSpike, h) < SPIKY.chance && m >= at && m < at + SPIKY.minutes;
      return (burst ? SPIKY.level : SPIKY.base) * (0.8 + 0.4 * u);
    }
    case 'ramp': {
      const x = ((m + d.rampAt) % RAMP.period) / RAMP.period;
      return (RAMP.from + (RAMP.to - RAMP.from) * x) * (0.9 + 0.2 * u);
    }
    case 'batch': {
      const t = (m - d.batchAt) % DAY;
      if (t >= 0 && t < BATCH.minutes) return BATCH.level * (0.8 + 0.4 * u);
      return unit(d.kSparse, m) < BATCH.busyChance ? BATCH.idle / BATCH.busyChance * (0.5 + u) : 0;
    }
    case 'cold':
      return unit(d.kSparse, m) < COLD.chance ? (0.5 + u) / COLD.chance : 0;
    default: // steady, overprovisioned
      return 0.9 + 0.2 * u;
  }
}

// Units demanded in minute ${m}, in whole request quanta (rounded up or
// down at random in proportion, which keeps the mean).
function demand(d, m) {
  if (d.mean === 0) return 0;
  const f = d.surgeChance > 0 && unit(d.kSurge, m) < d.surgeChance ?
    d.surgeLevel : d.scale * factor(d, m);
  return d.q * Math.floor(d.mean * 60 * f / d.q + unit(d.kRound, m));
}

// Capacity per second in force in each minute of [m0, m1).
function capacity(d, m0, m1) {
  const out = new Float64Array(m1 - m0);
  if (!d.auto) return out.fill(d.fixed);
  if (d.auto.held) return out.fill(d.auto.held);
  const { min, max, target } = d.auto;
  // Sustained demand of minute k: the lesser of minutes k-1 and k. The
  // capacity of minute m answers the most sustained demand from the start
  // of the previous hour to minute m - SCALE_LAG.
  const from = Math.floor((m0 - SCALE_LAG) / 60) * 60 - 61;
  const want = new Float64Array(m1 - from);
  for (let k = from; k < m1 - SCALE_LAG; k++) want[k - from] = demand(d, k);
  let hour = NaN;
  let peak = 0;
  for (let m = m0; m < m1; m++) {
    const e = m - SCALE_LAG;
    const h = Math.floor(e / 60) * 60 - 60;
    if (h !== hour) {
      hour = h;
      peak = 0;
      for (let k = h; k < e; k++) peak = Math.max(peak, Math.min(want[k - 1 - from], want[k - from]));
    }
    peak = Math.max(peak, Math.min(want[e - 1 - from], want[e - from]));
    out[m - m0] = Math.min(max, Math.max(min, Math.ceil(peak / 60 / target)));
  }
  return out;
}

// One minute's statistic set of consumed capacity ${s} (> 0).
function requests(d, s, out, i) {
  const n = Math.max(1, Math.min(Math.floor(s / d.q), Math.round(s / d.uAvg)));
  out.sum[i] = s;
  out.count[i] = n;
  if (n === 1) {
    out.min[i] = s;
    out.max[i] = s;
  } else {
    out.min[i] = d.q;
    out.max[i] = Math.min(s - (n - 1) * d.q, Math.max(d.q * Math.ceil(s / n / d.q), d.uMax));
  }
}

// The statistic sets DynamoDB published for ${metric} of model ${mdl} in
// the minutes [m0, m1): {sum, count, min, max} arrays indexed by minute
// - m0, count 0 where there is no datapoint.
function series(mdl, metric, m0, m1) {
  const n = Math.max(0, m1 - m0);
  const out = { sum: new Float64Array(n), count: new Float64Array(n),
    min: new Float64Array(n), max: new Float64Array(n) };
  if (!publishes(mdl, metric)) return out;
  const [dim, kind] = METRICS[metric];
  const d = mdl[dim];
  const cap = d.provisioned ? capacity(d, m0, m1) : null;
  for (let i = Math.max(0, mdl.created - m0); i < n; i++) {
    const m = m0 + i;
    if (kind === 'provisioned') {
      if (m % 5 === 0) {
        out.sum[i] = out.min[i] = out.max[i] = cap[i];
        out.count[i] = 1;
      }
      continue;
    }
    const want = demand(d, m);
    const limit = cap ? cap[i] * 60 : Infinity;
    if (kind === 'consumed') {
      const s = Math.min(want, limit);
      if (s > 0) requests(d, s, out, i);
    } else if (want > limit) {
      const events = Math.ceil((want - limit) / d.uAvg);
      out.sum[i] = out.count[i] = events;
      out.min[i] = out.max[i] = 1;
    }
  }
  return out;
}

// Whether DynamoDB publishes ${metric} for model ${mdl} at all.
function publishes(mdl, metric) {
  const spec = METRICS[metric];
  return Boolean(spec) && (spec[1] === 'consumed' || mdl[spec[0]].provisioned);
}

// Minute ${m}'s statistic set {sum, count, min, max}, or null.
function minute(mdl, metric, m) {
  const s = series(mdl, metric, m, m + 1);
  return s.count[0] > 0 ? { sum: s.sum[0], count: s.count[0], min: s.min[0], max: s.max[0] } : null;
}

// The highest demand of a ${shape} as a multiple of its mean: what
// capacity provisioned for the peak must hold.
function peakFactor(shape) {
  return PEAK[shape] ?? 1.1;
}

module.exports = { model, series, minute, publishes, peakFactor, METRICS: Object.keys(METRICS) };
