'use strict';
// The organization the emulator serves, generated deterministically from a
// seed (presets small, medium, large) or read from a JSON description.

const fs = require('node:fs');

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
const PRESETS = {
  small: { accounts: 3, regions: ['us-east-1', 'us-west-2', 'eu-west-1'], tablesPerRegion: 3 },
  medium: { accounts: 20, regions: ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2'], tablesPerRegion: 4 },
  large: { accounts: 1000, regions: ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2'], tablesPerRegion: 2.5 },
};

// A table of workload ${shape}: its billing, capacity, size and traffic.
function makeTable(rand, account, region, name, shape, created) {
  const t = {
    account, region, name, shape,
    billingMode: 'PROVISIONED', tableClass: 'STANDARD',
    rcu: 0, wcu: 0, sizeBytes: 0, itemCount: 0, created,
    // Mean consumed capacity units per second.
    read: 0, write: 0,
    gsis: [], replicas: [], autoscaling: null, tags: {},
  };
  const scale = 1 + Math.floor(rand() * 20);
  switch (shape) {
    case 'steady':
      t.billingMode = 'PAY_PER_REQUEST'; t.read = 40 * scale; t.write = 10 * scale; break;
    case 'diurnal':
      t.rcu = 120 * scale; t.wcu = 40 * scale; t.read = 50 * scale; t.write = 15 * scale;
      t.autoscaling = { read: { min: 10 * scale, max: 400 * scale, target: 70 },
        write: { min: 5 * scale, max: 200 * scale, target: 70 } };
      break;
    case 'spiky':
      t.billingMode = 'PAY_PER_REQUEST'; t.read = 2 * scale; t.write = 1 * scale; break;
    case 'idle':
      t.rcu = 50; t.wcu = 50; break;
    case 'ramp':
      t.rcu = 100 * scale; t.wcu = 50 * scale; t.read = 30 * scale; t.write = 10 * scale; break;
    case 'batch':
      t.billingMode = 'PAY_PER_REQUEST'; t.read = 1 * scale; t.write = 5 * scale; break;
    case 'overprovisioned':
      t.rcu = 1000 * scale; t.wcu = 500 * scale; t.read = 20 * scale; t.write = 5 * scale; break;
    case 'cold':
      t.rcu = 20; t.wcu = 10; t.read = 0.5; t.write = 0.2;
      t.sizeBytes = (2 + Math.floor(rand() * 10)) * 1024 ** 4; break;
  }
  if (!t.sizeBytes) t.sizeBytes = Math.floor((0.1 + rand() * 50) * 1024 ** 3);
  t.itemCount = Math.floor(t.sizeBytes / (400 + Math.floor(rand() * 2000)));
  t.tags = { team: pick(rand, ['payments', 'growth', 'platform', 'data']),
    env: pick(rand, ['prod', 'staging']) };
  if (rand() < 0.4) {
    const g = { name: `by-${pick(rand, ['customer', 'date', 'status', 'owner'])}`,
      rcu: t.billingMode === 'PROVISIONED' ? Math.max(5, Math.round(t.rcu / 4)) : 0,
      wcu: t.billingMode === 'PROVISIONED' ? Math.max(5, Math.round(t.wcu / 4)) : 0,
      read: t.read / 4, write: t.write, sizeBytes: Math.floor(t.sizeBytes / 5),
      itemCount: t.itemCount, autoscaling: null };
    t.gsis.push(g);
  }
  return t;
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
    for (const region of p.regions) {
      const n = Math.floor(p.tablesPerRegion + rand());
      const used = new Set();
      for (let j = 0; j < n; j++) {
        let name;
        do name = pick(rand, NAMES); while (used.has(name));
        used.add(name);
        const shape = SHAPES[k++ % SHAPES.length];
        tables.push(makeTable(rand, a.id, region, name, shape,
          base + Math.floor(rand() * 600 * 86400)));
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
  return org;
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
    read: 0, write: 0, autoscaling: null, shape: 'steady',
  }, t));
  return finish(org, prng(org.seed || 1));
}

function makeOrg(spec, seed) {
  if (PRESETS[spec]) return generate(spec, seed);
  return load(spec);
}

module.exports = { makeOrg, prng, SHAPES };
