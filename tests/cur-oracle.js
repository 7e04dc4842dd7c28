'use strict';
// What each table of the emulator's organization used and paid in a
// billing period, from the organization itself (sizes, capacity, mean
// traffic, creation time) and its list prices, as the emulator bills them
// (curdata.js), not from its report files: checks the cur_usage records
// on standard input, prints one line per figure that differs, then
// "checked N records".
//
//   node tests/cur-oracle.js PRESET SEED [--no-resources] < cur_usage.ndjson
//
// With --no-resources the expected records are per account and region
// (table null): the sums of its tables'.

const crypto = require('node:crypto');
const readline = require('node:readline');
const { makeOrg } = require('./emulator/org.js');
const pricelist = require('./emulator/pricelist.js');

const org = makeOrg(process.argv[2], Number(process.argv[3]));
const noResources = process.argv.includes('--no-resources');
const GB = 1024 ** 3;
const DAY = 86400 * 1000;
const OTHER = { pitr: 0.2, streams: 0.0000002, transferOut: 0.09, interRegion: 0.02 };
const FIELDS = ['storage_gb_month', 'storage_usd', 'read_request_units', 'write_request_units',
  'rcu_hours', 'wcu_hours', 'throughput_usd', 'replicated_write_request_units',
  'replicated_wcu_hours', 'replicated_usd', 'reserved_rcu_hours', 'reserved_wcu_hours',
  'reserved_fee_usd', 'other_usd'];

function pick(s, n) { return crypto.createHash('sha256').update(s).digest().readUInt32BE(0) % n; }
function sum(list, f) { return list.reduce((a, x) => a + f(x), 0); }

function empty(account, region, table, period) {
  const r = { account, region, table, billing_period: period, table_class: null, reserved: false };
  for (const f of FIELDS) r[f] = 0;
  return r;
}

// The expected records of ${period} ("YYYY-MM"), by "account/region/table".
function expected(period) {
  const [y, m] = period.split('-').map(Number);
  const start = Date.UTC(y, m - 1, 1);
  const end = Date.UTC(y, m, 1);
  const month = (end - start) / 1000;
  const out = new Map();
  const get = (account, region, table) => {
    const k = `${account}/${region}/${table}`;
    if (!out.has(k)) out.set(k, empty(account, region, table, period));
    return out.get(k);
  };
  for (const t of org.tables) {
    const created = t.created * 1000;
    if (created >= end) continue;
    const r = get(t.account, t.region, noResources ? null : t.name);
    const p = pricelist.unitPrices(t.region, t.tableClass);
    const gsi = (f) => sum(t.gsis, f);
    const global = t.replicas.length > 0;
    const reservable = t.billingMode === 'PROVISIONED' && t.tableClass === 'STANDARD' && !global;
    const res = { read: reservable && t.rcu >= 1000 ? 100 * Math.floor(t.rcu / 200) : 0,
      write: reservable && t.wcu >= 1000 ? 100 * Math.floor(t.wcu / 200) : 0 };
    const sec = (end - Math.max(start, created)) / 1000;
    const h = sec / 3600;
    const gb = (t.sizeBytes + gsi((g) => g.sizeBytes)) / GB;
    r.storage_gb_month += gb * sec / month;
    r.storage_usd += gb * sec / month * p.storageGbMonth;
    if (t.billingMode === 'PROVISIONED') {
      const rcu = t.rcu + gsi((g) => g.rcu);
      const wcu = (global ? 0 : t.wcu) + gsi((g) => g.wcu);
      r.rcu_hours += rcu * h;
      r.wcu_hours += wcu * h;
      r.reserved_rcu_hours += res.read * h;
      r.reserved_wcu_hours += res.write * h;
      r.throughput_usd += (rcu - res.read) * h * p.rcuHour + (wcu - res.write) * h * p.wcuHour;
      if (global) {
        r.replicated_wcu_hours += t.wcu * h;
        r.replicated_usd += t.wcu * h * p.replicatedWcuHour;
      }
    } else {
      const reads = (t.read + gsi((g) => g.read)) * sec;
      const writes = ((global ? 0 : t.write) + gsi((g) => g.write)) * sec;
      r.read_request_units += reads;
      r.write_request_units += writes;
      r.throughput_usd += reads * p.readRequestUnit + writes * p.writeRequestUnit;
      if (global) {
        r.replicated_write_request_units += t.write * sec;
        r.replicated_usd += t.write * sec * p.replicatedWriteRequestUnit;
      }
    }
    if (res.read || res.write) r.reserved = true;
    if (r.storage_gb_month > 0 || r.rcu_hours > 0 || r.read_request_units > 0 ||
        r.write_request_units > 0 || r.wcu_hours > 0) r.table_class = t.tableClass;
    // Other charges, billed day by day (streams are rounded per day).
    for (let s = start; s < end; s += DAY) {
      if (created >= s + DAY) continue;
      const d = (s + DAY - Math.max(s, created)) / 1000;
      if (pick(`pitr/${t.arn}`, 3) === 0) r.other_usd += t.sizeBytes / GB * d / month * OTHER.pitr;
      if (pick(`streams/${t.arn}`, 4) === 1) r.other_usd += Math.round(t.write * d / 10) * OTHER.streams;
      if (pick(`transfer/${t.arn}`, 5) === 2) r.other_usd += t.read * d * 4096 / GB / 20 * OTHER.transferOut;
      r.other_usd += t.replicas.length * t.write * d * 1024 / GB * OTHER.interRegion;
    }
    // Reserved capacity's fees: no table.
    const rp = pricelist.reservedPrices(t.region)['1yr'];
    for (const [dim, unit] of [['read', 'rcu'], ['write', 'wcu']]) {
      if (!res[dim]) continue;
      const fee = get(t.account, t.region, null);
      fee.reserved_fee_usd += res[dim] * (end - start) / 3600000 * rp[unit].hourly;
      fee.reserved = true;
    }
  }
  return out;
}

function close(a, b) { return Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b)); }

async function main() {
  const got = [];
  for await (const line of readline.createInterface({ input: process.stdin })) {
    if (line) got.push(JSON.parse(line));
  }
  const byPeriod = new Map();
  let bad = 0;
  const seen = new Set();
  for (const r of got) {
    if (!byPeriod.has(r.billing_period)) byPeriod.set(r.billing_period, expected(r.billing_period));
    const want = byPeriod.get(r.billing_period);
    const k = `${r.account}/${r.region}/${r.table}`;
    seen.add(`${r.billing_period}|${k}`);
    const w = want.get(k);
    if (!w) {
      console.log(`${r.billing_period} ${k}: not in the model`);
      bad++;
      continue;
    }
    for (const f of FIELDS) {
      if (!close(r[f], w[f])) {
        console.log(`${r.billing_period} ${k}: ${f} ${r[f]}, the model says ${w[f]}`);
        bad++;
      }
    }
    if (r.reserved !== w.reserved || (w.table_class !== null && r.table_class !== w.table_class)) {
      console.log(`${r.billing_period} ${k}: reserved ${r.reserved} class ${r.table_class}, ` +
        `the model says ${w.reserved} ${w.table_class}`);
      bad++;
    }
    const parts = ['storage_usd', 'throughput_usd', 'replicated_usd', 'reserved_fee_usd', 'other_usd'];
    if (!close(sum(parts, (f) => r[f]), r.net_usd) || !close(r.unblended_usd, r.net_usd)) {
      console.log(`${r.billing_period} ${k}: net_usd ${r.net_usd} is not the sum of its parts`);
      bad++;
    }
  }
  for (const [period, want] of byPeriod) {
    for (const k of want.keys()) {
      if (!seen.has(`${period}|${k}`)) {
        console.log(`${period} ${k}: missing`);
        bad++;
      }
    }
  }
  console.log(`checked ${got.length} records${bad ? `, ${bad} differences` : ''}`);
}

main();
