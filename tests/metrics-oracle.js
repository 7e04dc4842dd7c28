'use strict';
// What CloudWatch holds for the series records on standard input, from
// the emulator's traffic model itself (workload.js), not from its
// CloudWatch service: prints one line per value that differs, then
// "checked N series".
//
//   node tests/metrics-oracle.js PRESET SEED < series.ndjson

const readline = require('node:readline');
const { makeOrg } = require('./emulator/org.js');
const workload = require('./emulator/workload.js');

const org = makeOrg(process.argv[2], Number(process.argv[3]));
const models = new Map();

function model(r) {
  const key = [r.account, r.region, r.table, r.index].join('/');
  if (!models.has(key)) {
    const t = org.tables.find((x) => x.account === r.account && x.region === r.region &&
      x.name === r.table);
    const g = t && r.index !== null ? (t.gsis || []).find((x) => x.name === r.index) : null;
    models.set(key, t && (r.index === null || g) ? workload.model(org.seed ?? 1, t, g || null) : null);
  }
  return models.get(key);
}

// The dense values CloudWatch would give for ${r}'s day at its period.
function expected(r) {
  const per = r.period / 60;
  const m0 = Date.parse(r.start) / 60000;
  const n = 1440 / per;
  const out = new Array(n).fill(null);
  const mdl = model(r);
  if (!mdl || !workload.publishes(mdl, r.metric)) return out;
  const s = workload.series(mdl, r.metric, m0, m0 + 1440);
  for (let k = 0; k < n; k++) {
    let any = false;
    let v = r.stat === 'Sum' ? 0 : -Infinity;
    for (let j = k * per; j < (k + 1) * per; j++) {
      if (s.count[j] === 0) continue;
      any = true;
      v = r.stat === 'Sum' ? v + s.sum[j] : Math.max(v, s.max[j]);
    }
    if (any) out[k] = v;
  }
  return out;
}

function same(a, b) {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));
}

let checked = 0;
let bad = 0;
const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const r = JSON.parse(line);
  const want = expected(r);
  checked++;
  if (r.values.length !== want.length) {
    console.log(`${r.account} ${r.region} ${r.table} ${r.index} ${r.metric} ${r.start}: ${r.values.length} values, want ${want.length}`);
    bad++;
    return;
  }
  for (let i = 0; i < want.length; i++) {
    if (!same(r.values[i], want[i])) {
      if (bad++ < 20) {
        console.log(`${r.account} ${r.region} ${r.table} ${r.index} ${r.metric} ${r.start} [${i}]: ${r.values[i]}, want ${want[i]}`);
      }
    }
  }
});
rl.on('close', () => console.log(`checked ${checked} series`));
