'use strict';
// The organization the emulator serves, generated deterministically from a
// seed (presets small, medium, large) or read from a JSON description.

const fs = require('node:fs');
const { peakFactor } = require('./workload.js');

// mulberry32: a small, fast, deterministic PRNG.
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const SECRET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function pick(rand, list) { return list[Math.floor(rand() * list.length)]; }
function chars(rand, alphabet, n) {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
  return s;
}

const SHAPES = ['steady', 'diurnal', 'spiky', 'idle', 'ramp', 'batch',
  'overprovisioned', 'cold'];
const NAMES = ['orders', 'users', 'sessions', 'audit-logs', 'events', 'inventory',
  'payments', 'carts', 'catalog', 'archive', 'devices', 'messages', 'profiles',
  'ledger', 'jobs', 'metrics-raw'];
const INDEXES = ['by-customer', 'by-date', 'by-status', 'by-owner', 'by-email', 'by-type'];
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2'];
// Per preset: accounts, regions, mean tables per account and region, the
// share of tables that are global, and how often each shape occurs
// (weights in SHAPES order).
const PRESETS = {
  small: { accounts: 3, regions: REGIONS.slice(0, 3), tablesPerRegion: 3, global: 0.15,
    shapes: [3, 3, 2, 1, 1, 2, 2, 1] },
  medium: { accounts: 20, regions: REGIONS, tablesPerRegion: 4, global: 0.1,
    shapes: [5, 4, 2, 3, 1, 2, 2, 1] },
  large: { accounts: 1000, regions: REGIONS, tablesPerRegion: 2.5, global: 0.05,
    shapes: [6, 3, 2, 5, 1, 2, 2, 1] },
};

// How a table of each shape is billed and sized, as weights of plans:
// ondemand (PAY_PER_REQUEST), fit (provisioned with headroom), auto
// (provisioned with auto scaling), peak (provisioned for the peak all day),
// over (far more than used), short (below the peaks: throttles).
const PLANS = ['ondemand', 'fit', 'auto', 'peak', 'over', 'short'];
const SHAPE_PLANS = {
  steady: [4, 4, 2, 0, 1, 0],
  diurnal: [2, 0, 5, 2, 0, 1],
  spiky: [6, 0, 0, 2, 0, 2],
  idle: [4, 3, 0, 0, 3, 0],
  ramp: [2, 2, 4, 0, 0, 2],
  batch: [5, 0, 0, 3, 0, 2],
  overprovisioned: [0, 0, 4, 0, 6, 0],
  cold: [5, 5, 0, 0, 0, 0],
};
// The first table of each shape in an organization has this plan (and an
// index), so that even the small preset shows every case.
const SHOWCASE = { steady: 'ondemand', diurnal: 'auto', spiky: 'short', idle: 'fit',
  ramp: 'auto', batch: 'peak', overprovisioned: 'over', cold: 'fit' };

function between(rand, lo, hi) { return lo + rand() * (hi - lo); }
// Log-uniform: traffic and sizes spread over orders of magnitude.
function spread(rand, lo, hi) { return lo * (hi / lo) ** rand(); }
function weighted(rand, weights) {
  let r = rand() * weights.reduce((a, b) => a + b, 0);
  let i = 0;
  while (r >= weights[i]) r -= weights[i++];
  return i;
}
// DynamoDB's default quota of units per table.
const MAX_UNITS = 40000;
function units(x) { return Math.max(1, Math.ceil(x)); }
function round3(x) { return Math.round(x * 1000) / 1000; }

// Mean consumed read and write units per second of a workload ${shape}.
function traffic(rand, shape) {
  switch (shape) {
    case 'steady': { const r = spread(rand, 5, 500); return [r, r * between(rand, 0.1, 0.5)]; }
    case 'diurnal': { const r = spread(rand, 10, 1000); return [r, r * between(rand, 0.2, 0.5)]; }
    case 'spiky': { const r = spread(rand, 1, 50); return [r, r * between(rand, 0.2, 1)]; }
    case 'idle': return [between(rand, 0, 0.05), between(rand, 0, 0.02)];
    case 'ramp': { const r = spread(rand, 5, 300); return [r, r * between(rand, 0.2, 0.6)]; }
    case 'batch': return [spread(rand, 0.5, 20), spread(rand, 2, 100)];
    case 'overprovisioned': { const r = spread(rand, 2, 100); return [r, r * between(rand, 0.1, 0.5)]; }
    default: return [between(rand, 0.05, 2), between(rand, 0.01, 0.5)]; // cold
  }
}

// Provisioned units for ${mean} consumed units of a ${shape} under ${plan}
// (not auto); "peak" holds the traffic model's highest demand.
function provision(rand, plan, mean, shape) {
  switch (plan) {
    case 'fit': return units(Math.max(5, mean * between(rand, 1.3, 2)));
    case 'peak': return units(mean * peakFactor(shape) * between(rand, 1.1, 1.3));
    case 'over': return units(Math.max(100, mean * between(rand, 10, 50)));
    default: return units(mean * between(rand, 1.05, 1.3)); // short
  }
}

// Target tracking for ${mean} consumed units: {min, max, target, ...} and
// the capacity it holds now. Over-provisioned tables get a minimum far
// above their use; a few policies never scale in.
function scaling(rand, mean, over) {
  const target = pick(rand, [50, 60, 70, 70, 70, 80, 90]);
  const need = units(mean / (target / 100));
  const min = Math.min(MAX_UNITS, units(need * (over ? between(rand, 4, 20) : between(rand, 0.2, 0.8))));
  const max = Math.min(MAX_UNITS, units(Math.max(min, need) * between(rand, 2, 10)));
  const cooldown = rand() < 0.5 ? 0 : 60;
  return [{ min, max, target, scaleInCooldown: cooldown, scaleOutCooldown: cooldown,
    disableScaleIn: rand() < 0.05 }, Math.min(max, Math.max(min, need))];
}

// Set ${r}'s capacity (r is a table or index) for ${plan}; auto scaling
// for reads always, for writes mostly.
function capacity(rand, r, plan, over, shape) {
  if (plan === 'ondemand') return;
  if (plan !== 'auto') {
    r.rcu = provision(rand, plan, r.read, shape);
    r.wcu = provision(rand, plan, r.write, shape);
    return;
  }
  const [read, rcu] = scaling(rand, r.read, over);
  r.rcu = rcu;
  r.autoscaling = { read, write: null };
  if (rand() < 0.85) [r.autoscaling.write, r.wcu] = scaling(rand, r.write, over);
  else r.wcu = provision(rand, 'fit', r.write, shape);
}

// A table of workload ${shape} billed by ${plan}: capacity, size, traffic,
// indexes (at least ${minIndexes}).
function makeTable(rand, account, region, name, shape, plan, created, minIndexes) {
  const [read, write] = traffic(rand, shape);
  const t = {
    account, region, name, shape,
    billingMode: plan === 'ondemand' ? 'PAY_PER_REQUEST' : 'PROVISIONED',
    tableClass: rand() < (shape === 'cold' ? 0.2 : 0.03) ? 'STANDARD_INFREQUENT_ACCESS' : 'STANDARD',
    rcu: 0, wcu: 0, sizeBytes: 0, itemCount: 0, created,
    // Mean consumed capacity units per second.
    read: round3(read), write: round3(write),
    gsis: [], replicas: [], autoscaling: null, tags: {},
  };
  const over = shape === 'overprovisioned';
  capacity(rand, t, plan, over, shape);
  if (plan === 'short') t.throttles = true;
  t.sizeBytes = Math.floor(shape === 'cold' ? spread(rand, 2, 12) * 1024 ** 4 :
    spread(rand, 0.05, 200) * 1024 ** 3);
  t.itemCount = Math.floor(t.sizeBytes / between(rand, 200, 4000));
  t.tags = { team: pick(rand, ['payments', 'growth', 'platform', 'data']),
    env: pick(rand, ['prod', 'staging']) };
  const n = Math.max(minIndexes, weighted(rand, [10, 6, 3, 1]));
  const names = INDEXES.slice();
  for (let i = 0; i < n; i++) {
    const g = { name: names.splice(Math.floor(rand() * names.length), 1)[0], rcu: 0, wcu: 0,
      read: round3(t.read * between(rand, 0.05, 0.6)),
      write: round3(t.write * between(rand, 0.2, 1)),
      sizeBytes: Math.floor(t.sizeBytes * between(rand, 0.05, 0.5)),
      itemCount: Math.floor(t.itemCount * between(rand, 0.3, 1)), autoscaling: null };
    // Indexes get their own capacity, with headroom even on short tables.
    capacity(rand, g, plan === 'short' ? 'fit' : plan, over, shape);
    t.gsis.push(g);
  }
  return t;
}

// A replica of global table ${t} in ${region}: the same table, its own
// reads, the same (replicated) writes.
function replica(rand, t, region) {
  const r = structuredClone(t);
  r.region = region;
  const f = between(rand, 0.5, 1);
  r.read = round3(t.read * f);
  for (const g of r.gsis) g.read = round3(g.read * f);
  return r;
}

// Generate the organization of a preset from ${seed}.
function generate(preset, seed) {
  const p = PRESETS[preset];
  const rand = prng(seed);
  const ids = new Set();
  const accounts = [];
  for (let i = 0; i < p.accounts; i++) {
    let id;
    do id = String(100000000000 + Math.floor(rand() * 899999999999)); while (ids.has(id));
    ids.add(id);
    accounts.push({ id, name: i === 0 ? 'management' : `member-${i}`,
      email: `aws+${i}@example.com`, state: 'ACTIVE' });
  }
  const tables = [];
  const base = Date.UTC(2024, 0, 1) / 1000;
  let k = 0;
  for (const a of accounts) {
    // Names taken per region; replicas of global tables count towards
    // their region's share.
    const used = new Map(p.regions.map((r) => [r, new Set()]));
    for (const region of p.regions) {
      const n = Math.floor(p.tablesPerRegion + rand());
      while (used.get(region).size < n) {
        let name;
        do name = pick(rand, NAMES); while (used.get(region).has(name));
        const showcase = k < SHAPES.length;
        const shape = showcase ? SHAPES[k] : SHAPES[weighted(rand, p.shapes)];
        const plan = showcase ? SHOWCASE[shape] : PLANS[weighted(rand, SHAPE_PLANS[shape])];
        const t = makeTable(rand, a.id, region, name, shape, plan,
          base + Math.floor(rand() * 600 * 86400), showcase ? 1 : 0);
        tables.push(t);
        used.get(region).add(name);
        if (k++ === 0 || rand() < p.global) {
          const free = p.regions.filter((r) => r !== region && !used.get(r).has(name));
          const others = [];
          for (let m = 1 + Math.floor(rand() * 2); m > 0 && free.length > 0; m--) {
            others.push(free.splice(Math.floor(rand() * free.length), 1)[0]);
          }
          for (const r of others) {
            tables.push(replica(rand, t, r));
            used.get(r).add(name);
          }
          const all = [region, ...others];
          for (const x of tables.slice(tables.length - others.length - 1)) {
            x.replicas = all.filter((r) => r !== x.region);
          }
        }
      }
    }
  }
  return finish({ seed, accounts, regions: p.regions, tables }, rand);
}

// Keys of the management account, and derived fields.
function finish(org, rand) {
  org.management = org.accounts[0].id;
  if (!org.keys) {
    org.keys = [{ accessKeyId: `AKIA${chars(rand, ALNUM, 16)}`,
      secretAccessKey: chars(rand, SECRET, 40), account: org.management }];
  }
  org.roleName = org.roleName || 'MetricsCollectorRole';
  org.deniedAccounts = org.deniedAccounts || [];
  org.deniedRegions = org.deniedRegions || [];
  for (const t of org.tables) {
    t.arn = `arn:aws:dynamodb:${t.region}:${t.account}:table/${t.name}`;
    t.gsis = t.gsis || [];
    t.replicas = t.replicas || [];
    t.tags = t.tags || {};
  }
  curDefaults(org);
  return org;
}

// The Cost and Usage Report the management account delivers (curdata.js):
// bucket, prefix, legacy report definitions and CUR 2.0 exports, months
// kept besides the current one, line item granularity (monthly for large
// organizations, whose daily files would take minutes to write), tables
// per data file. An organization file may set any of them in "cur".
function curDefaults(org) {
  const c = Object.assign({ bucket: `optima-cur-${org.management}`, prefix: 'cur',
    region: 'us-east-1', report: 'optima', format: 'Parquet', months: 2,
    timeUnit: org.tables.length > 2000 ? 'MONTHLY' : 'DAILY', tablesPerFile: 1000 }, org.cur);
  const other = c.format === 'Parquet' ? 'textORcsv' : 'Parquet';
  c.reports = (c.reports || [
    { name: c.report, format: c.format },
    { name: `${c.report}-${other === 'Parquet' ? 'parquet' : 'csv'}`, format: other },
    // Without RESOURCES: line items do not name their table.
    { name: `${c.report}-summary`, format: 'textORcsv', resources: false },
  ]).map((r) => Object.assign({ timeUnit: c.timeUnit, resources: true,
    compression: r.format === 'Parquet' ? 'Parquet' : 'GZIP',
    versioning: r.format === 'Parquet' ? 'OVERWRITE_REPORT' : 'CREATE_NEW_REPORT',
    artifacts: r.format === 'Parquet' ? ['ATHENA'] : [] }, r));
  // CUR 2.0 data exports (bcm-data-exports): the table their query reads
  // (only COST_AND_USAGE_REPORT exports are delivered), granularity,
  // resource ids (INCLUDE_RESOURCES), compression, overwrite.
  c.exports = (c.exports || [{ name: `${c.report}-cur2`, format: 'PARQUET' },
    { name: `${c.report}-cur2-csv`, format: 'TEXT_OR_CSV' }]).map((e) => Object.assign({
    table: 'COST_AND_USAGE_REPORT', timeUnit: c.timeUnit, resources: true,
    compression: e.format === 'PARQUET' ? 'PARQUET' : 'GZIP', overwrite: 'OVERWRITE_REPORT' }, e));
  org.cur = c;
}

// Read an organization from a JSON file: {accounts:[{id,...}], regions,
// tables:[{account, region, name, ...}], keys?, roleName?, ...}.
function load(file) {
  const org = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const key of ['accounts', 'regions', 'tables']) {
    if (!Array.isArray(org[key])) throw new Error(`${file}: "${key}" must be an array`);
  }
  for (const a of org.accounts) {
    a.state = a.state || 'ACTIVE';
    a.name = a.name || a.id;
    a.email = a.email || `${a.id}@example.com`;
  }
  org.tables = org.tables.map((t) => Object.assign({
    billingMode: 'PROVISIONED', tableClass: 'STANDARD', rcu: 5, wcu: 5,
    sizeBytes: 0, itemCount: 0, created: Date.UTC(2024, 0, 1) / 1000,
    // classUpdated: when the class last changed (TableClassSummary's
    // LastUpdateDateTime), epoch seconds; null: never.
    classUpdated: null,
    read: 0, write: 0, autoscaling: null, shape: 'steady',
  }, t));
  // createdDaysAgo: created that many days before the emulator started,
  // for a table younger than any window.
  for (const t of org.tables) {
    if (t.createdDaysAgo != null) t.created = Math.floor(Date.now() / 1000 - t.createdDaysAgo * 86400);
  }
  return finish(org, prng(org.seed || 1));
}

function makeOrg(spec, seed) {
  if (PRESETS[spec]) return generate(spec, seed);
  return load(spec);
}

module.exports = { makeOrg, prng, SHAPES };
