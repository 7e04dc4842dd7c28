'use strict';
// CloudWatch GetMetricData through the AWS SDK for JavaScript v3 (AWS JSON
// 1.0), checked against the traffic model; and the model itself.

const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { start } = require('./helper.js');
const workload = require('../workload.js');
const { STSClient, AssumeRoleCommand } = require('@aws-sdk/client-sts');
const { CloudWatchClient, GetMetricDataCommand, paginateGetMetricData } =
  require('@aws-sdk/client-cloudwatch');

const DAY = 86400;
const HOUR = 3600;
const STATS = ['Sum', 'Average', 'Maximum', 'Minimum', 'SampleCount'];
const METRICS = ['ConsumedReadCapacityUnits', 'ConsumedWriteCapacityUnits',
  'ProvisionedReadCapacityUnits', 'ProvisionedWriteCapacityUnits',
  'ReadThrottleEvents', 'WriteThrottleEvents'];

// Every table of a place and every index of it: {table, gsi, dims, mdl}.
function resources(org, tables) {
  const out = [];
  for (const t of tables) {
    out.push({ table: t, gsi: null, mdl: workload.model(org.seed, t, null),
      dims: [{ Name: 'TableName', Value: t.name }] });
    for (const g of t.gsis) {
      out.push({ table: t, gsi: g, mdl: workload.model(org.seed, t, g),
        dims: [{ Name: 'TableName', Value: t.name }, { Name: 'GlobalSecondaryIndexName', Value: g.name }] });
    }
  }
  return out;
}

function q(id, dims, metric, stat, period, extra = {}) {
  return Object.assign({ Id: id, MetricStat: { Metric: { Namespace: 'AWS/DynamoDB',
    MetricName: metric, Dimensions: dims }, Period: period, Stat: stat } }, extra);
}

// The statistic over minute statistic sets, as CloudWatch combines them.
function combine(sets, stat) {
  const n = sets.reduce((a, s) => a + s.count, 0);
  const sum = sets.reduce((a, s) => a + s.sum, 0);
  switch (stat) {
    case 'Sum': return sum;
    case 'Average': return sum / n;
    case 'Maximum': return Math.max(...sets.map((s) => s.max));
    case 'Minimum': return Math.min(...sets.map((s) => s.min));
    default: return n;
  }
}

// What CloudWatch should answer for slots start + k * period < end, oldest
// first, from the model one minute at a time: {ts, vs}. Minutes from
// ${upto} on are not complete yet.
function expected(mdl, metric, stat, period, from, end, upto) {
  const out = { ts: [], vs: [] };
  for (let t = from; t < end; t += period) {
    const sets = [];
    for (let m = t / 60; m < (t + period) / 60 && m < upto / 60; m++) {
      const s = workload.minute(mdl, metric, m);
      if (s) sets.push(s);
    }
    if (sets.length === 0) continue;
    out.ts.push(t);
    out.vs.push(combine(sets, stat));
  }
  return out;
}

// The same from one long series (fast; consistent with minute()).
function expectedFast(mdl, metric, stat, period, from, end, upto) {
  const s = workload.series(mdl, metric, from / 60, Math.min(end, upto) / 60);
  const out = { ts: [], vs: [] };
  for (let t = from; t < end; t += period) {
    const sets = [];
    for (let i = (t - from) / 60; i < (t + period - from) / 60 && i < s.sum.length; i++) {
      if (s.count[i] > 0) sets.push({ sum: s.sum[i], count: s.count[i], min: s.min[i], max: s.max[i] });
    }
    if (sets.length > 0) {
      out.ts.push(t);
      out.vs.push(combine(sets, stat));
    }
  }
  return out;
}

function got(result) {
  return { ts: result.Timestamps.map((d) => d.getTime() / 1000), vs: result.Values };
}

function reversed(x) {
  return { ts: x.ts.slice().reverse(), vs: x.vs.slice().reverse() };
}

// The last whole hour that ended at least an hour ago.
function lastHour() {
  return Math.floor(Date.now() / 1000 / HOUR) * HOUR - HOUR;
}

function mean(mdl, metric, from, to) {
  const s = workload.series(mdl, metric, from, to);
  return s.sum.reduce((a, b) => a + b, 0) / (to - from) / 60;
}

test('every shape keeps its mean; a minute is the same in any window', () => {
  const to = Math.floor(Date.now() / 60000);
  const from = to - 4 * 84 * 1440; // four whole ramps
  for (const shape of ['steady', 'diurnal', 'spiky', 'idle', 'ramp', 'batch', 'overprovisioned', 'cold']) {
    const t = { account: '123456789012', region: 'us-east-1', name: `t-${shape}`, shape,
      billingMode: 'PAY_PER_REQUEST', read: 40, write: 8, created: 0, sizeBytes: 1e9, itemCount: 1e6 };
    const mdl = workload.model(1, t, null);
    const r = mean(mdl, 'ConsumedReadCapacityUnits', from, to);
    const w = mean(mdl, 'ConsumedWriteCapacityUnits', from, to);
    assert.ok(Math.abs(r / 40 - 1) < 0.04, `${shape}: read mean ${r}, not 40`);
    assert.ok(Math.abs(w / 8 - 1) < 0.04, `${shape}: write mean ${w}, not 8`);
    // Requests consume whole units: half units for (eventually consistent)
    // reads, units for writes; the per-request statistics are consistent.
    for (const [metric, q] of [['ConsumedReadCapacityUnits', 0.5], ['ConsumedWriteCapacityUnits', 1]]) {
      const s = workload.series(mdl, metric, to - 1440, to);
      for (let i = 0; i < 1440; i++) {
        if (s.count[i] === 0) continue;
        const avg = s.sum[i] / s.count[i];
        assert.ok(Number.isInteger(s.sum[i] / q) && Number.isInteger(s.count[i]) && s.min[i] >= q &&
          s.min[i] <= avg && avg <= s.max[i] && s.max[i] <= s.sum[i], `${shape} ${metric} minute ${i}`);
      }
    }
    const empty = workload.series(mdl, 'ConsumedReadCapacityUnits', from, to).count.filter((c) => c === 0).length;
    if (['idle', 'cold', 'batch'].includes(shape)) assert.ok(empty > 0, `${shape} has minutes without traffic`);
    else assert.strictEqual(empty, 0, `${shape} has traffic every minute`);
    assert.ok(!workload.publishes(mdl, 'ProvisionedReadCapacityUnits'), 'on-demand: no provisioned metric');
  }

  // Auto scaled capacity of a minute does not depend on the window asked.
  const t = { account: '123456789012', region: 'us-east-1', name: 'auto', shape: 'spiky',
    billingMode: 'PROVISIONED', rcu: 10, wcu: 10, read: 50, write: 5, created: 0,
    autoscaling: { read: { min: 5, max: 4000, target: 70 }, write: null } };
  const mdl = workload.model(1, t, null);
  const from3 = to - to % 5 - 3 * 1440;
  const long = workload.series(mdl, 'ProvisionedReadCapacityUnits', from3, to);
  let changes = 0;
  for (let m = from3; m < to; m += 5) {
    const one = workload.minute(mdl, 'ProvisionedReadCapacityUnits', m);
    const i = m - from3;
    assert.ok(one && one.sum === long.sum[i], `capacity at minute ${m}`);
    assert.ok(one.sum >= 5 && one.sum <= 4000);
    if (i > 0 && long.sum[i] !== long.sum[i - 5]) changes++;
  }
  assert.ok(changes > 10, 'auto scaling follows the bursts');
  assert.strictEqual(workload.minute(mdl, 'ProvisionedReadCapacityUnits', to - to % 5 - 4), null,
    'provisioned capacity is published every 5 minutes');
  assert.ok(workload.minute(mdl, 'ProvisionedWriteCapacityUnits', to - to % 5).sum === 10);
  // Consumed never exceeds the capacity in force; the excess is throttled.
  const consumed = workload.series(mdl, 'ConsumedReadCapacityUnits', to - 1440, to);
  const cap = workload.series(mdl, 'ProvisionedReadCapacityUnits', to - 1440 - 4, to);
  const thr = workload.series(mdl, 'ReadThrottleEvents', to - 1440, to);
  let throttled = 0;
  for (let i = 0; i < 1440; i++) {
    const m = to - 1440 + i;
    const p = cap.sum[m - m % 5 - (to - 1440 - 4)];
    if (m % 5 === 0) assert.ok(consumed.sum[i] <= p * 60, `minute ${m}: consumed within capacity`);
    if (thr.count[i] > 0) throttled++;
  }
  assert.ok(throttled > 0, 'bursts above the capacity are throttled');
});

test('GetMetricData gives the model\'s numbers for every metric, statistic and period', async (t) => {
  const e = await start();
  t.after(e.close);
  const org = e.emu.org;
  const cw = new CloudWatchClient(e.config());
  const all = resources(org, e.emu.byPlace.get(`${org.management}/${org.regions[0]}`));
  assert.ok(all.some((r) => r.gsi) && all.some((r) => r.table.billingMode === 'PAY_PER_REQUEST') &&
    all.some((r) => r.table.autoscaling), 'tables, indexes, on-demand and auto scaled');
  const end = lastHour();
  const from = end - 6 * HOUR;
  let points = 0;
  for (const period of [60, 300, 3600]) {
    const queries = [];
    const want = new Map();
    all.forEach((r, i) => METRICS.forEach((metric, j) => {
      // Minute statistic sets once per resource and metric.
      const x = STATS.map((stat) => expected(r.mdl, metric, stat, period, from, end, end));
      STATS.forEach((stat, k) => {
        const id = `r${i}_${j}_${k}`;
        queries.push(q(id, r.dims, metric, stat, period));
        want.set(id, x[k]);
      });
    }));
    const out = await cw.send(new GetMetricDataCommand({ MetricDataQueries: queries,
      StartTime: new Date(from * 1000), EndTime: new Date(end * 1000), ScanBy: 'TimestampAscending' }));
    assert.strictEqual(out.NextToken, undefined);
    assert.strictEqual(out.MetricDataResults.length, queries.length);
    for (const res of out.MetricDataResults) {
      assert.deepStrictEqual(got(res), want.get(res.Id), `${res.Id} at ${period} s`);
      assert.strictEqual(res.StatusCode, 'Complete');
      assert.strictEqual(res.Label, queries.find((x) => x.Id === res.Id).MetricStat.Metric.MetricName);
      points += res.Values.length;
    }
  }
  assert.ok(points > 10000, `a real amount of data (${points} points)`);

  // Over two weeks the short-provisioned table throttles, as the model says.
  const short = all.find((r) => r.table.throttles && !r.gsi);
  assert.ok(short, 'a table provisioned short');
  const two = await cw.send(new GetMetricDataCommand({ StartTime: new Date((end - 14 * DAY) * 1000),
    EndTime: new Date(end * 1000), ScanBy: 'TimestampAscending', MetricDataQueries: [
      q('thr', short.dims, 'ReadThrottleEvents', 'Sum', 3600)] }));
  const thr = expectedFast(short.mdl, 'ReadThrottleEvents', 'Sum', 3600, end - 14 * DAY, end, end);
  assert.ok(thr.vs.length > 0);
  assert.deepStrictEqual(got(two.MetricDataResults[0]), thr);
});

test('NextToken pages hold at most 100,800 datapoints and continue where they stopped', async (t) => {
  // Without CloudWatch's 50 calls a second: small pages come fast.
  const e = await start({ faults: 'rps=monitoring:GetMetricData:0' });
  t.after(e.close);
  const org = e.emu.org;
  const cw = new CloudWatchClient(e.config());
  const all = resources(org, e.emu.byPlace.get(`${org.management}/${org.regions[0]}`)).filter((r) => !r.gsi);
  const end = lastHour();
  const from = end - 14 * DAY;
  // The original tool's essential set, for every table: 18 queries each.
  const queries = [];
  const want = new Map();
  all.forEach((r, i) => {
    const set = [];
    for (const period of [60, 300]) {
      for (const metric of METRICS.slice(0, 2)) for (const stat of ['Sum', 'Average', 'Maximum']) set.push([metric, stat, period]);
      for (const metric of METRICS.slice(4)) set.push([metric, 'Sum', period]);
    }
    set.push([METRICS[2], 'Average', 300], [METRICS[3], 'Average', 300]);
    set.forEach(([metric, stat, period], j) => {
      const id = `t${i}_${j}`;
      queries.push(q(id, r.dims, metric, stat, period));
      want.set(id, reversed(expectedFast(r.mdl, metric, stat, period, from, end, end)));
    });
  });
  const total = [...want.values()].reduce((a, x) => a + x.ts.length, 0);
  assert.ok(total > 2 * 100800, `enough data for three pages (${total})`);
  const merged = new Map(queries.map((x) => [x.Id, { ts: [], vs: [] }]));
  const pages = [];
  for await (const page of paginateGetMetricData({ client: cw }, {
    MetricDataQueries: queries, StartTime: new Date(from * 1000), EndTime: new Date(end * 1000) })) {
    pages.push(page);
    for (const res of page.MetricDataResults) {
      const m = merged.get(res.Id);
      const g = got(res);
      m.ts.push(...g.ts);
      m.vs.push(...g.vs);
    }
  }
  const sizes = pages.map((p) => p.MetricDataResults.reduce((a, r) => a + r.Values.length, 0));
  assert.strictEqual(pages.length, Math.ceil(total / 100800), `pages of ${sizes}`);
  sizes.slice(0, -1).forEach((n) => assert.strictEqual(n, 100800));
  // A query is PartialData while it has datapoints older than the page's.
  const cut = Math.min(...pages[0].MetricDataResults.flatMap((r) => got(r).ts));
  for (const r of pages[0].MetricDataResults) {
    if (want.get(r.Id).ts.some((x) => x < cut)) assert.strictEqual(r.StatusCode, 'PartialData', r.Id);
  }
  assert.ok(pages.at(-1).MetricDataResults.every((r) => r.StatusCode === 'Complete'));
  // Newest first by default, across the whole answer.
  const newest = Math.max(...pages[0].MetricDataResults.flatMap((r) => got(r).ts));
  const oldest = Math.min(...pages.at(-1).MetricDataResults.flatMap((r) => got(r).ts));
  assert.strictEqual(newest, end - 60);
  assert.strictEqual(oldest, from);
  for (const [id, w] of want) assert.deepStrictEqual(merged.get(id), w, id);

  // Small pages split a timestamp between queries; ascending order.
  const few = queries.slice(0, 3);
  const asc = new Map(few.map((x) => [x.Id, { ts: [], vs: [] }]));
  let n = 0;
  for await (const page of paginateGetMetricData({ client: cw, pageSize: 7 }, {
    MetricDataQueries: few, StartTime: new Date((end - 2 * HOUR) * 1000), EndTime: new Date(end * 1000),
    ScanBy: 'TimestampAscending' })) {
    n++;
    assert.ok(page.MetricDataResults.reduce((a, r) => a + r.Values.length, 0) <= 7);
    for (const res of page.MetricDataResults) {
      asc.get(res.Id).ts.push(...got(res).ts);
      asc.get(res.Id).vs.push(...got(res).vs);
    }
  }
  assert.ok(n > 10);
  for (const x of few) {
    const r = all[Number(x.Id.slice(1).split('_')[0])];
    const { MetricName: metric } = x.MetricStat.Metric;
    assert.deepStrictEqual(asc.get(x.Id), expected(r.mdl, metric, x.MetricStat.Stat, x.MetricStat.Period,
      end - 2 * HOUR, end, end), x.Id);
  }

  await assert.rejects(cw.send(new GetMetricDataCommand({ MetricDataQueries: queries,
    StartTime: new Date(from * 1000), EndTime: new Date(end * 1000), NextToken: 'bm9wZQ==' })),
  { name: 'InvalidNextToken' });
  // A token belongs to its request.
  await assert.rejects(cw.send(new GetMetricDataCommand({ MetricDataQueries: queries.slice(1),
    StartTime: new Date(from * 1000), EndTime: new Date(end * 1000), NextToken: pages[0].NextToken })),
  { name: 'InvalidNextToken' });
});

test('ScanBy, StartTime rounding and retention', async (t) => {
  const e = await start();
  t.after(e.close);
  const org = e.emu.org;
  const cw = new CloudWatchClient(e.config());
  const r = resources(org, e.emu.byPlace.get(`${org.management}/${org.regions[0]}`))
    .find((x) => x.table.shape === 'steady' && !x.gsi);
  const metric = 'ConsumedReadCapacityUnits';
  const ask = async (from, to, period, extra = {}) => (await cw.send(new GetMetricDataCommand(Object.assign({
    MetricDataQueries: [q('m', r.dims, metric, 'Sum', period)],
    StartTime: new Date(from * 1000), EndTime: new Date(to * 1000) }, extra)))).MetricDataResults[0];
  const end = lastHour();

  const byDefault = got(await ask(end - HOUR, end, 60));
  const up = got(await ask(end - HOUR, end, 60, { ScanBy: 'TimestampAscending' }));
  const down = got(await ask(end - HOUR, end, 60, { ScanBy: 'TimestampDescending' }));
  const want = expected(r.mdl, metric, 'Sum', 60, end - HOUR, end, end);
  assert.strictEqual(want.ts.length, 60);
  assert.deepStrictEqual(up, want);
  assert.deepStrictEqual(down, reversed(want));
  assert.deepStrictEqual(byDefault, reversed(want));

  // Under 15 days StartTime is rounded to the minute, then to 5 minutes,
  // then to the hour; datapoints are timestamped from there.
  const odd = end - 2 * DAY + 754;
  assert.deepStrictEqual(got(await ask(odd, odd + 600, 300, { ScanBy: 'TimestampAscending' })),
    expected(r.mdl, metric, 'Sum', 300, odd - 34, odd + 600, end));
  const older = end - 20 * DAY + 754;
  assert.deepStrictEqual(got(await ask(older, older + 1200, 300, { ScanBy: 'TimestampAscending' })),
    expected(r.mdl, metric, 'Sum', 300, older - 154, older + 1200, end));

  // 1-minute data for 15 days, 5-minute for 63, 1-hour for 455.
  const at20 = end - 20 * DAY;
  assert.deepStrictEqual(got(await ask(at20, at20 + 6 * HOUR, 60)), { ts: [], vs: [] });
  const five = got(await ask(at20, at20 + 6 * HOUR, 300, { ScanBy: 'TimestampAscending' }));
  assert.strictEqual(five.ts.length, 72);
  assert.deepStrictEqual(five, expected(r.mdl, metric, 'Sum', 300, at20, at20 + 6 * HOUR, end));
  const at100 = end - 100 * DAY;
  assert.deepStrictEqual(got(await ask(at100, at100 + DAY, 300)), { ts: [], vs: [] });
  const hourly = got(await ask(at100, at100 + DAY, 3600, { ScanBy: 'TimestampAscending' }));
  assert.strictEqual(hourly.ts.length, r.table.created <= at100 ? 24 : 0);
  assert.deepStrictEqual(hourly, expectedFast(r.mdl, metric, 'Sum', 3600, at100, at100 + DAY, end));
  const at500 = end - 500 * DAY;
  assert.deepStrictEqual(got(await ask(at500, at500 + DAY, 3600)), { ts: [], vs: [] });
  // A window across the 15-day line keeps only its recent 1-minute part.
  // It ends 14 days after end, so it holds a day less the minutes since
  // end (an hour or two: as many as passed while asking).
  const before = Date.now() / 1000;
  const across = got(await ask(end - 16 * DAY, end - 14 * DAY, 60, { ScanBy: 'TimestampAscending' }));
  const after = Date.now() / 1000;
  assert.ok(across.ts[0] >= before - 15 * DAY - 60);
  const n = across.ts.length;
  assert.ok(n >= 1440 - Math.ceil((after - end) / 60) && n <= 1440 - Math.ceil((before - end) / 60),
    `${n} minutes`);
});

test('limits and validation errors', async (t) => {
  const e = await start();
  t.after(e.close);
  const cw = new CloudWatchClient(e.config());
  const dims = [{ Name: 'TableName', Value: 'x' }];
  const end = lastHour();
  const send = (queries, extra = {}) => cw.send(new GetMetricDataCommand(Object.assign({
    MetricDataQueries: queries, StartTime: new Date((end - HOUR) * 1000), EndTime: new Date(end * 1000) }, extra)));
  const many = (n) => Array.from({ length: n }, (_, i) => q(`m${i}`, dims, METRICS[0], 'Sum', 60));
  const ok = await send(many(500));
  assert.strictEqual(ok.MetricDataResults.length, 500);
  await assert.rejects(send(many(501)), (err) => err.name === 'ValidationException' &&
    /must not have a size greater than 500/.test(err.message) && err.$metadata.httpStatusCode === 400);
  await assert.rejects(send([q('Upper', dims, METRICS[0], 'Sum', 60), q('9lives', dims, METRICS[0], 'Sum', 60)]),
    (err) => err.name === 'ValidationException' && /Upper for parameter MetricDataQueries\.member\.1\.Id/.test(err.message) &&
      /9lives for parameter MetricDataQueries\.member\.2\.Id/.test(err.message));
  await assert.rejects(send([q('a-b', dims, METRICS[0], 'Sum', 60)]), { name: 'ValidationException' });
  await assert.rejects(send([q('a', dims, METRICS[0], 'Sum', 60), q('a', dims, METRICS[1], 'Sum', 60)]),
    { name: 'ValidationException', message: 'The values for parameter id in MetricDataQueries are not unique.' });
  await assert.rejects(send([q('a', dims, METRICS[0], 'Min', 60)]),
    { name: 'ValidationException', message: 'The value Min for parameter MetricDataQueries.member.1.MetricStat.Stat is not a valid statistic.' });
  await assert.rejects(send([q('a', dims, METRICS[0], 'Sum', 90)]), { name: 'ValidationException' });
  await assert.rejects(send([q('a', dims, METRICS[0], 'Sum', 60)], { StartTime: new Date(end * 1000) }),
    { name: 'ValidationException', message: 'The parameter StartTime must not equal parameter EndTime.' });
  await assert.rejects(send([q('a', dims, METRICS[0], 'Sum', 60)], { StartTime: new Date((end + 60) * 1000) }),
    { name: 'ValidationException', message: 'The parameter EndTime must be greater than StartTime.' });
  await assert.rejects(send([{ Id: 'e', Expression: 'SUM(METRICS())' }]), { name: 'ValidationException' });
  // The ids of queries with ReturnData false are not answered.
  const some = await send([q('a', dims, METRICS[0], 'Sum', 60), q('b', dims, METRICS[0], 'Sum', 60, { ReturnData: false })]);
  assert.deepStrictEqual(some.MetricDataResults.map((x) => x.Id), ['a']);
});

test('no datapoints where there is no traffic, no resource or no such metric', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'optima-cw-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'org.json');
  const account = '111122223333';
  fs.writeFileSync(file, JSON.stringify({ seed: 3, accounts: [{ id: account }], regions: ['us-east-1'],
    tables: [
      { account, region: 'us-east-1', name: 'quiet', shape: 'idle', read: 0, write: 0, rcu: 5, wcu: 5 },
      { account, region: 'us-east-1', name: 'busy', shape: 'steady', read: 20, write: 4,
        billingMode: 'PAY_PER_REQUEST', gsis: [{ name: 'by-x', read: 5, write: 4 }] },
    ] }));
  const e = await start({ org: file });
  t.after(e.close);
  const cw = new CloudWatchClient(e.config());
  const end = lastHour();
  const table = (name) => [{ Name: 'TableName', Value: name }];
  const out = await cw.send(new GetMetricDataCommand({ StartTime: new Date((end - DAY) * 1000),
    EndTime: new Date(end * 1000), MetricDataQueries: [
      q('quietr', table('quiet'), METRICS[0], 'Sum', 60),
      q('quietw', table('quiet'), METRICS[1], 'SampleCount', 300),
      q('quietthr', table('quiet'), METRICS[4], 'Sum', 60),
      q('quietcap', table('quiet'), METRICS[2], 'Average', 300),
      q('busycap', table('busy'), METRICS[2], 'Average', 300),
      q('busyr', table('busy'), METRICS[0], 'Sum', 3600),
      q('nosuchtable', table('nope'), METRICS[0], 'Sum', 60),
      q('nosuchindex', [...table('busy'), { Name: 'GlobalSecondaryIndexName', Value: 'nope' }], METRICS[0], 'Sum', 60),
      q('index', [...table('busy'), { Name: 'GlobalSecondaryIndexName', Value: 'by-x' }], METRICS[1], 'Sum', 3600),
      q('extradim', [...table('busy'), { Name: 'Operation', Value: 'GetItem' }], METRICS[0], 'Sum', 60),
      q('namespace', table('busy'), METRICS[0], 'Sum', 60, { MetricStat: { Metric: { Namespace: 'AWS/EC2',
        MetricName: METRICS[0], Dimensions: table('busy') }, Period: 60, Stat: 'Sum' } }),
      q('unknown', table('busy'), 'UserErrors', 'Sum', 60),
      q('percentile', table('busy'), METRICS[0], 'p99', 60),
    ] }));
  const by = Object.fromEntries(out.MetricDataResults.map((r) => [r.Id, r]));
  for (const id of ['quietr', 'quietw', 'quietthr', 'busycap', 'nosuchtable', 'nosuchindex', 'extradim',
    'namespace', 'unknown', 'percentile']) {
    assert.deepStrictEqual(got(by[id]), { ts: [], vs: [] }, id);
    assert.strictEqual(by[id].StatusCode, 'Complete', id);
  }
  // The idle table's capacity is still published; the busy one has traffic.
  assert.strictEqual(by.quietcap.Values.length, 288);
  assert.ok(by.quietcap.Values.every((v) => v === 5));
  assert.strictEqual(by.busyr.Values.length, 24);
  assert.strictEqual(by.index.Values.length, 24);
  const mean = by.busyr.Values.reduce((a, b) => a + b, 0) / DAY;
  assert.ok(Math.abs(mean / 20 - 1) < 0.05, `busy reads ${mean}/s`);
});

test('an idle table of the generated organization has a datapoint now and then', async (t) => {
  const e = await start();
  t.after(e.close);
  const org = e.emu.org;
  const idle = org.tables.find((x) => x.shape === 'idle' && x.read > 0);
  let config = e.config({ region: idle.region });
  if (idle.account !== org.management) {
    const role = await new STSClient(e.config()).send(new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${idle.account}:role/${org.roleName}`, RoleSessionName: 'cw' }));
    config = e.config({ region: idle.region, credentials: { accessKeyId: role.Credentials.AccessKeyId,
      secretAccessKey: role.Credentials.SecretAccessKey, sessionToken: role.Credentials.SessionToken } });
  }
  const cw = new CloudWatchClient(config);
  const end = lastHour();
  const [r] = resources(org, [idle]);
  const res = (await cw.send(new GetMetricDataCommand({ StartTime: new Date((end - DAY) * 1000),
    EndTime: new Date(end * 1000), ScanBy: 'TimestampAscending',
    MetricDataQueries: [q('idle', r.dims, METRICS[0], 'Sum', 60)] }))).MetricDataResults[0];
  const want = expectedFast(r.mdl, METRICS[0], 'Sum', 60, end - DAY, end, end);
  assert.deepStrictEqual(got(res), want);
  assert.ok(want.ts.length > 0 && want.ts.length < 1440 / 10, `${want.ts.length} minutes of 1440 with traffic`);
});

test('each caller sees its own account and region only', async (t) => {
  const e = await start();
  t.after(e.close);
  const org = e.emu.org;
  const member = org.accounts[1].id;
  const region = org.regions[0];
  const theirs = e.emu.byPlace.get(`${member}/${region}`);
  const ours = e.emu.byPlace.get(`${org.management}/${region}`);
  const only = ours.find((x) => !theirs.some((y) => y.name === x.name));
  assert.ok(only, 'a table name only the management account has');
  const role = await new STSClient(e.config()).send(new AssumeRoleCommand({
    RoleArn: `arn:aws:iam::${member}:role/${org.roleName}`, RoleSessionName: 'cw' }));
  const cw = new CloudWatchClient(e.config({ credentials: { accessKeyId: role.Credentials.AccessKeyId,
    secretAccessKey: role.Credentials.SecretAccessKey, sessionToken: role.Credentials.SessionToken } }));
  const end = lastHour();
  const [mine] = resources(org, [theirs[0]]);
  const out = await cw.send(new GetMetricDataCommand({ StartTime: new Date((end - HOUR) * 1000),
    EndTime: new Date(end * 1000), ScanBy: 'TimestampAscending', MetricDataQueries: [
      q('mine', mine.dims, METRICS[1], 'Sum', 300),
      q('notmine', [{ Name: 'TableName', Value: only.name }], METRICS[1], 'Sum', 300),
    ] }));
  assert.deepStrictEqual(got(out.MetricDataResults[0]),
    expected(mine.mdl, METRICS[1], 'Sum', 300, end - HOUR, end, end));
  assert.deepStrictEqual(got(out.MetricDataResults[1]), { ts: [], vs: [] });
  // The same table seen from another region is not there.
  const elsewhere = new CloudWatchClient(e.config({ region: org.regions.find((x) =>
    !e.emu.byPlace.get(`${org.management}/${x}`)?.some((y) => y.name === ours[0].name)) || 'ap-south-1' }));
  const none = await elsewhere.send(new GetMetricDataCommand({ StartTime: new Date((end - HOUR) * 1000),
    EndTime: new Date(end * 1000), MetricDataQueries: [q('x', [{ Name: 'TableName', Value: ours[0].name }], METRICS[1], 'Sum', 300)] }));
  assert.deepStrictEqual(got(none.MetricDataResults[0]), { ts: [], vs: [] });
});
