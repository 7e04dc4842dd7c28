// gui-browser.mjs - optima-gui's pages in a real browser (Debian's chromium,
// driven by playwright-core); run by tests/1500-gui.t.
//
// usage: node gui-browser.mjs READONLY-URL EDITS-URL PROJECT EXPECTED SHOTS
//     EMPTY-URL
//
// READONLY-URL is an optima-gui without --allow-edits, EDITS-URL one with it
// (and --theme dark), both over the project directory PROJECT; EXPECTED is
// the output of "optima list-recommendations --format json" for it; the
// screenshots go to the directory SHOTS; EMPTY-URL is an optima-gui over a
// project directory without records.  Every page is seen at 1440 by 900
// (a laptop) and at 390 by 844 (a phone), and checked for 360 px too.
// Prints one "ok - ..." or "not ok - ..." line per check (the shell test
// numbers them), "# ..." for diagnostics.

import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const [ro, rw, project, expectedFile, shots, empty] =
    process.argv.slice(2);
const expected = JSON.parse(readFileSync(expectedFile, 'utf8'));
const TIMEOUT = 60000;

let failed = 0;
function check(cond, what, detail) {
	console.log((cond ? 'ok' : 'not ok') + ' - ' + what);
	if (!cond) {
		failed++;
		if (detail !== undefined)
			console.log('# ' + JSON.stringify(detail));
	}
}

// Dollars as the command line writes them (report_money: printf's %.*f of
// the double): the exact value of the double rounded, a tie to even,
// worked out here with integers.
function cliMoney(v, digits) {
	const d = digits === undefined ? 2 : digits;
	const dv = new DataView(new ArrayBuffer(8));
	dv.setFloat64(0, Math.abs(v));
	const hi = dv.getUint32(0), bits = (hi >>> 20) & 0x7ff;
	let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(dv.getUint32(4));
	let e = -1074;
	if (bits !== 0) {
		m |= 1n << 52n;
		e = bits - 1075;
	}
	let num = m * 10n ** BigInt(d), den = 1n;
	if (e >= 0)
		num <<= BigInt(e);
	else
		den <<= BigInt(-e);
	let q = num / den;
	const r = num - q * den;
	if (2n * r > den || (2n * r === den && q % 2n === 1n))
		q++;
	let s = q.toString().padStart(d + 1, '0');
	let whole = d ? s.slice(0, -d) : s;
	whole = whole.replace(/\B(?=(\d{3})+$)/g, ',');
	return (v < 0 && q > 0n ? '-' : '') + '$' + whole +
	    (d ? '.' + s.slice(-d) : '');
}
const money = (v) => cliMoney(v, 2);
const cents = (v) => Math.round(v * 100);
const potential = (r) => r.status === 'pending' || r.status === 'accepted';
// What a recommendation counts for in the totals: its joint figure (with
// the others of its account and region, reserved capacity counted).
const joint = (r) => r.effective_monthly_savings_usd ?? r.monthly_savings_usd;
const sumJoint = (rs) => rs.reduce((a, r) => a + joint(r), 0);
const bySavings = (a, b) => b.monthly_savings_usd - a.monthly_savings_usd ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

// An RFC 4180 reader: quoted fields, doubled quotes, CRLF.
function parseCsv(text) {
	const rows = [];
	let row = [], f = '', q = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (q) {
			if (c === '"' && text[i + 1] === '"') {
				f += '"';
				i++;
			} else if (c === '"')
				q = false;
			else
				f += c;
		} else if (c === '"')
			q = true;
		else if (c === ',') {
			row.push(f);
			f = '';
		} else if (c === '\r' && text[i + 1] === '\n') {
			row.push(f);
			rows.push(row);
			row = [];
			f = '';
			i++;
		} else
			f += c;
	}
	if (f !== '' || row.length)
		rows.push(row.concat([f]));
	return rows;
}

async function ready(page, name) {
	await page.waitForSelector(`body[data-ready="${name}"]`,
	    { timeout: TIMEOUT });
}

async function go(page, base, hash, name) {
	await page.goto(base + hash, { waitUntil: 'domcontentloaded' });
	await ready(page, name);
}

async function rowIds(page) {
	return page.$$eval('[data-testid=rows] tr', (trs) =>
	    trs.map((t) => t.dataset.id));
}

async function waitRows(page, n) {
	await page.waitForFunction((k) => document.querySelectorAll(
	    '[data-testid=rows] tr').length === k ||
	    (k === 0 && document.querySelector('[data-testid=empty]')), n,
	    { timeout: TIMEOUT });
}

async function shot(page, name) {
	await page.screenshot({ path: join(shots, name), fullPage: true });
}

// The elements of the page wider than the viewport or off its edges
// (the first few, described), and the document's width.
async function overflow(page) {
	return page.evaluate(() => {
		const w = document.documentElement.clientWidth;
		const bad = [];
		for (const e of document.querySelectorAll('body *')) {
			const r = e.getBoundingClientRect();
			if (r.width === 0 && r.height === 0)
				continue;
			if (r.right > w + 0.5 || r.left < -0.5)
				bad.push(e.tagName.toLowerCase() +
				    (e.id ? '#' + e.id : '') + (e.className &&
				    typeof e.className === 'string' ? '.' +
				    e.className.trim().replace(/ +/g, '.') :
				    '') + ' ' + Math.round(r.left) + '..' +
				    Math.round(r.right));
		}
		return { width: w, scroll: document.documentElement.scrollWidth,
		    bad: bad.slice(0, 6), n: bad.length };
	});
}

// The cells showing money ($1,234.56) whose text is not against their
// right edge.
async function moneyLeft(page) {
	return page.evaluate(() => {
		const bad = [];
		let n = 0;
		for (const c of document.querySelectorAll('main td, main th')) {
			if (!/^-?\$[\d,]+(\.\d+)?/.test(c.textContent.trim()))
				continue;
			const r = c.getBoundingClientRect();
			if (r.width === 0)
				continue;
			n++;
			const st = getComputedStyle(c);
			const range = document.createRange();
			range.selectNodeContents(c);
			const t = range.getBoundingClientRect();
			const right = r.right - parseFloat(st.paddingRight) -
			    parseFloat(st.borderRightWidth);
			if (!/right|end/.test(st.textAlign) ||
			    Math.abs(t.right - right) > 2)
				bad.push(c.textContent.trim() + ' ' +
				    st.textAlign + ' ' + Math.round(t.right) +
				    '/' + Math.round(right));
		}
		return { n: n, bad: bad.slice(0, 6) };
	});
}

// The datasets' labels of the chart ${id}.
async function chartLabels(page, id) {
	return page.evaluate((i) => {
		const c = Chart.getChart(document.querySelector(
		    `[data-testid=${i}]`));
		return c ? c.data.datasets.map((d) => d.label) : [];
	}, id);
}

// What the pages of each type draw, the global filters kept in the
// address from page to page, the README, and the tables page: every table
// there and reachable, in the order of its current cost.
async function analyses(browser, errors) {
	const ctx = await browser.newContext({ viewport: { width: 1440,
	    height: 900 } });
	ctx.setDefaultTimeout(TIMEOUT);
	const page = await ctx.newPage();
	page.on('pageerror', (e) => errors.push(e.message));
	const data = (id) => page.evaluate((i) => {
		const c = Chart.getChart(document.querySelector(
		    `[data-testid=${i}]`));
		return c ? { labels: c.data.labels, sets: c.data.datasets
		    .map((d) => d.data) } : null;
	}, id);
	const get = (u) => page.evaluate(async (x) => (await fetch(x))
	    .json(), u);
	const near = (a, b) => Math.abs(a - b) < 1e-9 * Math.max(1,
	    Math.abs(b));

	// Table class: each table's ratio against its region's break-even.
	await go(page, ro, '#/table_class', 'table_class');
	let a = await get('/api/analysis?type=table_class');
	let c = await data('chart-class');
	const ue = a.points.find((p) => p.region === 'us-east-1');
	check(c !== null && c.labels.length === Math.min(20,
	    a.points.length) && a.points.length === Math.min(25, a.count) &&
	    c.sets[0].every((v, i) => near(v, Math.max(a.points[i].ratio,
	    1e-3))) && c.sets[1].every((v, i) => v ===
	    a.points[i].breakeven), 'table class: a bar of each table\'s ' +
	    'storage to throughput ratio, a mark of its break-even', c);
	check(Math.abs(ue.breakeven - ((1.55 + 7.8) / (1.25 + 6.25) - 1) /
	    (1 - 0.1 / 0.25)) < 1e-9,
	    'table class: the break-even of us-east-1 from its prices',
	    ue.breakeven);
	const above = a.points.filter((p) => p.ratio >= p.breakeven);
	check(above.some((p) => p.table === 'cold-archive') &&
	    !above.some((p) => p.table === 'oversized-catalog') &&
	    Number(await page.getAttribute('[data-testid=class-note]',
	    'data-above')) === a.above_breakeven && a.above_breakeven >=
	    above.length && a.count === 34, 'table class: ' +
	    a.above_breakeven + ' of ' + a.count + ' tables above their ' +
	    'break-even');
	await shot(page, 'analysis-table-class.png');

	// Utilization: average and peak against provisioned, and the
	// savings of tables and indexes.
	await go(page, ro, '#/utilization', 'utilization');
	a = await get('/api/analysis?type=utilization');
	for (const d of ['read', 'write']) {
		c = await data('chart-util-' + d);
		const pc = (p, k) => 100 * p[d][k] / p[d].provisioned;
		check(c !== null && c.sets.length === 2 &&
		    c.labels.length === Math.min(20, a.points.length) &&
		    c.sets[0].every((v, i) => near(v, pc(a.points[i],
		    'avg'))) && c.sets[1].every((v, i) => near(v,
		    pc(a.points[i], 'peak'))), `utilization: ${d}s, ` +
		    'average and peak of provisioned, of each resource', c);
	}
	check(a.points.some((p) => p.index) && a.points.some((p) => !p.index),
	    'utilization: tables and indexes charted');
	const split = await page.$eval('[data-testid=split]', (e) =>
	    [Number(e.dataset.tables), Number(e.dataset.indexes)]);
	const total = Number(await page.getAttribute(
	    '[data-testid=filtered-total]', 'data-raw'));
	c = await data('chart-split');
	check(split[1] > 0 && split[0] > 0 && near(split[0] + split[1],
	    total) && c !== null && c.sets[0][1] === split[1],
	    'utilization: the savings split between tables and indexes', [
	    split, total]);
	await shot(page, 'analysis-utilization.png');

	// Capacity: current cost beside on-demand, auto scaled and fixed.
	await go(page, ro, '#/capacity', 'capacity');
	const rows = (await get('/api/recommendations?type=capacity')).rows
	    .filter((r) => typeof r.details.current_usd === 'number');
	c = await data('chart-capacity');
	const keys = ['current_usd', 'on_demand_usd', 'autoscaled_usd',
	    'fixed_usd'];
	check(c !== null && c.sets.length === 4 && c.labels.length ===
	    Math.min(10, rows.length) && keys.every((k, j) =>
	    c.sets[j].every((v, i) => v === rows[i].details[k])),
	    'capacity: each table\'s current cost beside on-demand, auto ' +
	    'scaled and fixed', c);

	// The global filters, from page to page in the address.
	await go(page, ro, '#/capacity?region=us-east-1&table_regex=o',
	    'capacity?region=us-east-1&table_regex=o');
	const has = (h, q) => Object.entries(q).every(([k, v]) =>
	    new URLSearchParams(h.split('?')[1] || '').get(k) === v);
	const g = { region: 'us-east-1', table_regex: 'o' };
	await page.click('nav a[data-page=tables]');
	await page.waitForFunction(() => document.body.dataset.ready &&
	    document.body.dataset.ready.startsWith('tables'));
	let h = await page.evaluate(() => location.hash);
	const regions = await page.$$eval('[data-testid=rows] tr td:nth-child(3)',
	    (tds) => tds.map((t) => t.textContent));
	check(has(h, g) && regions.length > 0 && regions.every((r) =>
	    r === 'us-east-1') && await page.inputValue(
	    '[data-testid=filter-table_regex]') === 'o', 'filters: kept ' +
	    'from capacity to tables: ' + h, regions);
	await page.click('[data-testid=rows] a.tablelink');
	await page.waitForFunction(() => (document.body.dataset.ready ||
	    '').startsWith('table?'));
	h = await page.evaluate(() => location.hash);
	check(has(h, { f_region: 'us-east-1', f_table_regex: 'o' }),
	    'filters: kept on a table\'s page: ' + h);
	await page.click('nav a[data-page=utilization]');
	await ready(page, 'utilization?region=us-east-1&table_regex=o');
	check(await page.inputValue('[data-testid=filter-region]') ===
	    'us-east-1', 'filters: kept from a table\'s page to ' +
	    'utilization');
	await page.click('nav a[data-page=table_class]');
	await ready(page, 'table_class?region=us-east-1&table_regex=o');
	c = await data('chart-class');
	check(c !== null && c.labels.length > 0 && c.labels.every((l) =>
	    l[1].startsWith('us-east-1 ') && /o/.test(l[0])),
	    'filters: the table class chart of the filters\' tables', c);

	// The documentation: the README.
	const href = await page.getAttribute('nav a[data-page=docs]', 'href');
	const doc = await page.evaluate(async (u) => {
		const r = await fetch(u);
		return [r.status, r.headers.get('content-type'),
		    await r.text()];
	}, href);
	check(href === '/README' && doc[0] === 200 &&
	    /^text\/plain/.test(doc[1]) && /optima-gui/.test(doc[2]),
	    'docs: the navigation links to the README', doc.slice(0, 2));

	// Every table, each reachable, by current cost.
	await go(page, ro, '#/tables?sort=cost', 'tables?sort=cost');
	const links = await page.$$eval('[data-testid=rows] tr', (trs) =>
	    trs.map((t) => [Number(t.dataset.cost), t.querySelector(
	    'a.tablelink').getAttribute('href')]));
	const all = await get('/api/tables');
	const costs = links.map((l) => l[0]);
	check(links.length === all.analyzed && all.analyzed === 34 &&
	    costs.every((v, i) => i === 0 || costs[i - 1] >= v) &&
	    costs[0] > costs[costs.length - 1], 'tables: all ' +
	    links.length + ' by current cost, the largest first', costs);
	let reached = 0;
	for (const [, l] of links) {
		const q = new URLSearchParams(l.split('?')[1]);
		const r = await page.evaluate(async (u) => (await fetch(u))
		    .status, '/api/table?' + new URLSearchParams({
		    account: q.get('account'), region: q.get('region'),
		    table: q.get('table') }).toString());
		reached += r === 200;
	}
	check(reached === links.length && new Set(links.map((l) => l[1]))
	    .size === links.length, 'tables: each of the ' + links.length +
	    ' links to a page of its own', reached);
	await page.selectOption('[data-testid=filter-sort]', 'savings');
	await page.waitForSelector('table[data-sort=savings]');
	check(!(await page.evaluate(() => location.hash)).includes('sort='),
	    'tables: the order in the address');
	await shot(page, 'analysis-tables.png');
	await ctx.close();
}

function tableHash(account, region, table) {
	return 'table?' + new URLSearchParams({ account: account,
	    region: region, table: table }).toString();
}

// The pages of idle tables and of commitments: their rows, figures and
// charts against the records; an idle table's page in words; a purchase
// decided on.
async function newTypes(browser, errors) {
	const ctx = await browser.newContext({ viewport: { width: 1440,
	    height: 900 } });
	ctx.setDefaultTimeout(TIMEOUT);
	const page = await ctx.newPage();
	page.on('pageerror', (e) => errors.push(e.message));
	const pct = (v) => v.toLocaleString('en-US',
	    { maximumFractionDigits: 1 }) + ' %';

	await go(page, ro, '', 'dashboard');
	for (const t of ['idle', 'commitment']) {
		const v = await page.getAttribute(`[data-testid=type-${t}]`,
		    'data-raw');
		check(v !== null && cents(Number(v)) === cents(sumJoint(
		    expected.filter(potential).filter((r) => r.type === t))),
		    `dashboard: ${t} savings`, v);
	}

	const idle = expected.filter((r) => r.type === 'idle')
	    .sort(bySavings);
	await go(page, ro, '#/idle', 'idle');
	await waitRows(page, idle.length);
	check(idle.length > 0 && JSON.stringify(await rowIds(page)) ===
	    JSON.stringify(idle.map((r) => r.id)), 'idle: the rows are the ' +
	    'idle tables, largest saving first', idle.length);
	const heads = await page.$$eval('table.recs th', (ths) =>
	    ths.map((h) => h.textContent));
	check(['Table', 'Account', 'Region', 'Idle days', 'Size', 'Cost now',
	    'Keep: saving/month', 'Retire: saving/month'].every((h) =>
	    heads.includes(h)), 'idle: its columns', heads);
	for (const r of idle) {
		const cells = await page.$$eval(`tr[data-id="${r.id}"] td`,
		    (tds) => Object.fromEntries(tds.map((td) =>
		    [td.dataset.label, td.textContent])));
		check(cells['Idle days'] === String(r.idle.days) &&
		    cells['Cost now'] === money(r.current_monthly_usd) &&
		    cells['Keep: saving/month'].startsWith(money(
		    r.idle.keep.monthly_savings_usd)) &&
		    cells['Retire: saving/month'] === money(
		    r.idle.retire.monthly_savings_usd), `idle: ${r.table}'s ` +
		    'figures are its record\'s', cells);
	}
	const bars = await page.evaluate(() => {
		const c = Chart.getChart(document.querySelector(
		    '[data-testid=chart-idle]'));
		return c ? c.data.datasets.map((d) => d.data) : [];
	});
	check(bars.length === 3 && cents(bars[0][0]) ===
	    cents(idle[0].current_monthly_usd) && cents(bars[1][0]) ===
	    cents(idle[0].idle.keep.monthly_usd) && cents(bars[2][0]) ===
	    cents(idle[0].idle.retire.backup_monthly_usd), 'idle: the chart ' +
	    'of cost now, kept and retired', bars);
	await page.click(`tr[data-id="${idle[0].id}"] a.tablelink`);
	await page.waitForSelector('[data-testid=idle-facts]');
	const facts = await page.textContent('[data-testid=idle-facts]');
	check(facts.includes('No read and no write in ' + idle[0].idle.days +
	    ' days') && facts.includes(money(idle[0].idle.keep
	    .monthly_savings_usd)) && facts.includes(money(idle[0].idle
	    .retire.monthly_savings_usd)) && !/_usd|_bytes/.test(facts),
	    'idle: the table page tells its facts in words', facts);
	check((await page.textContent('[data-testid=retire-apply]'))
	    .includes('delete-table'), 'idle: the commands that would ' +
	    'retire it, apart');

	const cmt = expected.filter((r) => r.type === 'commitment')
	    .sort(bySavings);
	await go(page, ro, '#/commitment', 'commitment');
	await waitRows(page, cmt.length);
	check(cmt.length > 0 && JSON.stringify(await rowIds(page)) ===
	    JSON.stringify(cmt.map((r) => r.id)), 'commitments: the rows ' +
	    'are the purchases, largest saving first', cmt.length);
	const rc = cmt.filter((r) => r.commitment === 'reserved_capacity');
	const sp = cmt.filter((r) => r.commitment === 'savings_plan');
	const lines = await page.evaluate(() => [...document.querySelectorAll(
	    '[data-testid=chart-commitment]')].map((e) => {
		const c = Chart.getChart(e);
		return [e.dataset.id, c ? c.data.datasets.map((d) =>
		    [d.label, d.data]) : []];
	}));
	check(rc.length > 0 && lines.length === rc.length, 'commitments: ' +
	    'a chart of each reserved capacity purchase', lines.length);
	for (const r of rc) {
		const l = Object.fromEntries((lines.find((x) => x[0] ===
		    r.id) || [0, []])[1]);
		const lvl = (k, v) => (l[k] || []).length ===
		    r.profile.today.length && l[k].every((x) => x === v);
		check(JSON.stringify(l.today) === JSON.stringify(
		    r.profile.today) && JSON.stringify(l['after the changes']) ===
		    JSON.stringify(r.profile.planned) &&
		    lvl('reserved now', r.existing_units) &&
		    lvl('with the purchase', r.existing_units + r.units),
		    `commitments: ${r.capacity} in ${r.region}, the hourly ` +
		    'usage today and planned, with the levels reserved',
		    Object.keys(l));
		const cells = await page.$$eval(
		    `[data-testid=coverage] tr[data-id="${r.id}"] td`,
		    (tds) => Object.fromEntries(tds.map((td) =>
		    [td.dataset.label, td.textContent])));
		check(cells['Coverage today'] === pct(r.coverage_today_pct) &&
		    cells['Coverage planned'] === pct(r.coverage_planned_pct) &&
		    cells['Utilization planned'].startsWith(pct(
		    r.utilization_pct)) && cells['To buy'] ===
		    r.units.toLocaleString('en-US'), `commitments: ` +
		    `${r.capacity} in ${r.region}, coverage and utilization ` +
		    'today and planned', cells);
		const row = await page.$$eval(`[data-testid=rows] ` +
		    `tr[data-id="${r.id}"] td`, (tds) => Object.fromEntries(
		    tds.map((td) => [td.dataset.label, td.textContent])));
		check(row['Upfront'] === money(r.upfront_usd) &&
		    row['Savings/month'] === money(r.monthly_savings_usd) &&
		    row['Break-even'] === 'month ' + r.break_even_month &&
		    row['Term'] === '1 year' && /reserved/.test(
		    row['Purchase']), `commitments: ${r.capacity} in ` +
		    `${r.region}, its purchase in words`, row);
	}
	const plan = await page.textContent('[data-testid=savings-plan]');
	check(sp.length === 1 && plan.includes(cliMoney(
	    sp[0].hourly_commitment_usd, 3) + ' an hour') &&
	    plan.includes(money(sp[0].monthly_savings_usd)),
	    'commitments: the Database Savings Plan in words', plan);
	check(!/_pct|_usd|reserved_capacity|savings_plan/.test(
	    await page.textContent('main')), 'commitments: words, not ' +
	    'field names');
	await ctx.close();

	// A purchase accepted, with --allow-edits.
	const c2 = await browser.newContext({ viewport: { width: 1440,
	    height: 900 } });
	c2.setDefaultTimeout(TIMEOUT);
	const p2 = await c2.newPage();
	p2.on('pageerror', (e) => errors.push(e.message));
	await go(p2, rw, '#/commitment', 'commitment');
	await waitRows(p2, cmt.length);
	await p2.click(`[data-testid="accepted-${rc[0].id}"]`);
	await p2.waitForSelector(`tr[data-id="${rc[0].id}"] .status.accepted`);
	const dec = readFileSync(join(project, 'decisions.ndjson'), 'utf8')
	    .trim().split('\n').map((l) => JSON.parse(l));
	check(dec.some((d) => d.id === rc[0].id && d.status === 'accepted'),
	    'commitments: a purchase accepted, in decisions.ndjson');
	await c2.close();
}

// Every page at a laptop's width and a phone's: nothing wider than the
// window, money against the right of its cells, the table pages in
// words with what they recommend, or why nothing; screenshots of all.
async function layouts(browser, errors) {
	const rec = (t) => expected.find((r) => r.table === t && !r.index);
	const tp = (t, a, g) => {
		const r = a ? { account: a, region: g } : rec(t);
		return ['table-' + t, '#/' + tableHash(r.account, r.region, t),
		    tableHash(r.account, r.region, t)];
	};
	const pages = [['dashboard', '', 'dashboard'],
	    ['capacity', '#/capacity', 'capacity'],
	    ['table-class', '#/table_class', 'table_class'],
	    ['utilization', '#/utilization', 'utilization'],
	    ['idle', '#/idle', 'idle'],
	    ['commitments', '#/commitment', 'commitment'],
	    ['tables', '#/tables', 'tables'], tp('jobs'), tp('audit-log'),
	    tp('steady-orders'), tp('payments'),
	    tp('new-feature', '333333333333', 'us-east-1'),
	    tp('devices', '111111111111', 'eu-west-1'),
	    tp('carts', '333333333333', 'us-east-1')];
	for (const [w, h] of [[1440, 900], [390, 844], [360, 740],
	    [1024, 768], [768, 1024]]) {
		const ctx = await browser.newContext({ viewport: { width: w,
		    height: h } });
		ctx.setDefaultTimeout(TIMEOUT);
		const page = await ctx.newPage();
		page.on('pageerror', (e) => errors.push(e.message));
		for (const [name, hash, ready] of pages) {
			await go(page, ro, hash, ready);
			const o = await overflow(page);
			check(o.n === 0 && o.scroll <= o.width,
			    `${name} at ${w} px: no element wider than the ` +
			    'window', o);
			const wl = await page.$eval('[data-testid=window]',
			    (e) => [e.textContent, e.dataset.start,
			    e.dataset.end]);
			check(/^Analysis window: 14 days, metrics of \d{4}-/
			    .test(wl[0]) && wl[0].includes(wl[1] + ' to ' +
			    wl[2]), `${name} at ${w} px: the window and ` +
			    'the dates of the data', wl);
			const m = await moneyLeft(page);
			check(m.n > 0 && m.bad.length === 0,
			    `${name} at ${w} px: money right-aligned ` +
			    `(${m.n} cells)`, m.bad);
			if (w === 1440 || w === 390)
				await shot(page, `${name}-${w}.png`);
			if (w > 760 || name !== 'capacity')
				continue;
			// A phone: the rows are cards, the table's name, its
			// change and its saving first.
			const order = await page.$$eval('[data-testid=rows] tr',
			    (trs) => trs.every((tr) => {
				const y = (s) => tr.querySelector(s)
				    .getBoundingClientRect().top;
				const rest = [...tr.children].filter((td) =>
				    !td.matches('.table, .change, .saving'))
				    .map((td) => td.getBoundingClientRect().top);
				return y('td.table') < y('td.change') &&
				    y('td.change') < y('td.saving') &&
				    rest.every((t) => t > y('td.saving'));
			    }));
			check(order, `capacity at ${w} px: each row a card, ` +
			    'table, change and saving first');
			check(!(await page.$eval('details.filterbox',
			    (d) => d.open)) && !(await page.isVisible(
			    '[data-testid=filter-region]')),
			    `capacity at ${w} px: the filters folded away`);
		}
		if (w <= 760) {
			// The navigation is a menu.
			await go(page, ro, '', 'dashboard');
			const hidden = !(await page.isVisible(
			    'nav a[data-page=capacity]'));
			await page.click('#menu');
			const shown = await page.isVisible(
			    'nav a[data-page=capacity]');
			await shot(page, `menu-${w}.png`);
			await page.click('nav a[data-page=capacity]');
			await ready(page, 'capacity');
			check(hidden && shown && !(await page.isVisible(
			    'nav a[data-page=table_class]')),
			    `at ${w} px the navigation is a menu that ` +
			    'opens and closes', [hidden, shown]);
		} else
			check(await page.isVisible('nav a[data-page=capacity]') &&
			    !(await page.isVisible('#menu')),
			    `at ${w} px the navigation is shown, no menu`);
		if (w === 390) {
			// Decisions, in the dark, on a phone.
			await go(page, rw, '#/capacity', 'capacity');
			const o = await overflow(page);
			check(o.n === 0 && await page.locator(
			    'button.act:visible').count() > 0, 'capacity ' +
			    'with decisions at 390 px: the buttons, nothing ' +
			    'wider than the window', o);
			await shot(page, 'capacity-edits-dark-390.png');
			// Every table, and a way to the page of one without
			// a recommendation.
			await go(page, ro, '#/tables', 'tables');
			const none = await page.locator(
			    '[data-testid=rows] tr[data-none]').count();
			const all = await page.locator('[data-testid=rows] tr')
			    .count();
			const told = await page.textContent(
			    '[data-testid=tables-count]');
			check(told.startsWith(all + ' tables analyzed: ' +
			    (all - none) + ' with recommendations, ' + none +
			    ' without') && none > 0, 'tables: ' + told);
			await page.click('tr[data-none] a.tablelink >> ' +
			    'text=inventory');
			await page.waitForSelector('[data-testid=why]');
			check(true, 'tables: a table without a recommendation ' +
			    'links to its page, which says why');
			await tablePages(page, tp);
			// Empty: no axes of $0 to $1.
			await go(page, empty, '', 'dashboard');
			check(await page.locator('canvas').count() === 0 &&
			    await page.locator('[data-testid=nochart]')
			    .count() === 3 && await page.textContent(
			    '[data-testid=total-monthly]') === '$0.00',
			    'empty project: no charts, words instead');
			await shot(page, 'empty-dashboard-390.png');
		}
		if (w === 1440) {
			await go(page, empty, '', 'dashboard');
			check(await page.locator('canvas').count() === 0,
			    'empty project at 1440 px: no charts');
			await shot(page, 'empty-dashboard-1440.png');
			// One rounding: the page's money() is the command
			// line's, ties and all.
			const vals = [1485.185, 0.125, 0.375, 2.675, 1.005,
			    -0.125, 1485.1850000000002, 1e6 + 0.005, 0.5,
			    2.5, 1234567.891, 0, -0.001].concat(expected.map(
			    (r) => r.monthly_savings_usd));
			const got = await page.evaluate((vs) => vs.map((v) =>
			    [money(v), money(v, 0)]), vals);
			const wrong = vals.filter((v, i) => got[i][0] !==
			    cliMoney(v) || got[i][1] !== cliMoney(v, 0));
			check(wrong.length === 0, 'money is rounded as the ' +
			    `command line rounds it (${vals.length} values)`,
			    wrong);
			const odd = expected.find((r) => r.monthly_savings_usd ===
			    1485.185);
			if (odd) {
				await go(page, ro, '#/' + odd.type, odd.type);
				const cell = await page.textContent(
				    `tr[data-id="${odd.id}"] td.saving`);
				check(cell.startsWith('$1,485.18') &&
				    !cell.startsWith('$1,485.19'),
				    `${odd.table}: 1485.185 shown as ` + cell);
			}
		}
		await ctx.close();
	}
}

// The table pages: the recommended option drawn and marked, words not
// field names, and why a table has no recommendation.
async function tablePages(page, tp) {
	const visit = async (t, a, g) => {
		const [, hash, ready] = tp(t, a, g);
		await go(page, ro, hash, ready);
	};
	const text = () => page.evaluate(() => {
		const m = document.querySelector('main').cloneNode(true);
		for (const p of m.querySelectorAll('pre'))
			p.remove();
		return m.textContent;
	});
	await visit('jobs');
	const marked = await page.$$eval('[data-testid=scenarios] tr.recommended',
	    (trs) => trs.map((t) => [t.dataset.scenario, t.dataset.class,
	    t.dataset.index || '']));
	check(marked.length >= 1 && marked.every(([s, c]) => s === 'on_demand' &&
	    c === 'STANDARD') && marked.some(([, , i]) => i === ''),
	    'jobs: the recommended option (on-demand, Standard) marked in ' +
	    'the table of options', marked);
	check(/Recommended: on-demand in Standard/.test(await page.textContent(
	    '[data-testid=recommended]')), 'jobs: the recommendation in words');
	const words = await text();
	// Field names: snake_case words and the API's upper-case values.
	const fields = words.match(new RegExp('\\b([a-z]+_[a-z_]+|' +
	    'STANDARD\\w*|PAY_PER_REQUEST|PROVISIONED)\\b', 'g'));
	check(fields === null, 'jobs: no field names on the page', fields);
	check(['on-demand', 'auto scaled', 'fixed capacity', 'Standard-IA',
	    'read: average units per second'].every((x) => words.includes(x)),
	    'jobs: words (on-demand, auto scaled, Standard-IA, average units ' +
	    'per second)');
	await visit('steady-orders');
	let labels = await chartLabels(page, 'chart-read');
	check(labels.some((l) => /^recommended: auto scaling/.test(l)),
	    'steady-orders: the recommended auto scaling drawn', labels);
	await shot(page, 'table-steady-orders-chart-390.png');
	await visit('payments');
	labels = await chartLabels(page, 'chart-write');
	check(labels.some((l) => /^recommended: auto scaling/.test(l)),
	    'payments: the recommended auto scaling drawn', labels);
	for (const [t, a, g, kind, re] of [
	    ['spiky-events', '111111111111', 'us-east-1', 'optimal',
	    /Already optimal: its current settings, on-demand in Standard, cost \$[\d,.]+ a month, the least of its \d+ options\./],
	    ['inventory', '222222222222', 'us-east-1', 'rules',
	    /Ruled out by optima-rank's rules: .* is well used \(/],
	    ['ledger', '111111111111', 'us-east-1', 'minimum',
	    /Below the minimum saving: .* under the minimum of \$10\.00/]]) {
		await visit(t, a, g);
		const why = await page.textContent('[data-testid=why]');
		const k = await page.getAttribute('[data-testid=why]',
		    'data-why');
		check(k === kind && re.test(why), `${t}: why no ` +
		    `recommendation (${kind}): ${why}`);
	}
	// What the demo has none of: a cheaper option that would throttle,
	// a table without metrics, a fixed capacity on too few days.
	const sc = (scenario, cls, usd, thr) => ({ index: null,
	    scenario: scenario, table_class: cls, current_table_class:
	    'STANDARD', billing_mode: scenario === 'on_demand' ||
	    scenario === 'current' ? 'PAY_PER_REQUEST' : 'PROVISIONED',
	    monthly_usd: usd, throttled_minutes: thr, coverage: 1, days: 14 });
	const whys = await page.evaluate((s) => [whyNone({ scenarios: s }),
	    whyNone({ scenarios: [Object.assign({}, s[0], { coverage: 0 })] }),
	    whyNone({ scenarios: [Object.assign({}, s[0], { observed_days:
	    2.5 }), s[1], s[3]] })],
	    [sc('current', 'STANDARD', 100, 0), sc('on_demand', 'STANDARD',
	    100, 0), sc('provisioned_autoscaled', 'STANDARD', 50, 30),
	    sc('provisioned_fixed', 'STANDARD', 95, 0)]);
	const thr = new RegExp('^Would throttle: auto scaled in Standard ' +
	    'would save \\$50\\.00 a month but throttle 30 minutes a month');
	check(whys[0].kind === 'throttle' && thr.test(whys[0].text),
	    'why: a cheaper option would throttle: ' + whys[0].text);
	check(whys[1].kind === 'data' && /^Too little data: no metrics/.test(
	    whys[1].text), 'why: no metrics: ' + whys[1].text);
	check(whys[2].kind === 'data' && new RegExp('^Too little data: ' +
	    'judged on 2\\.5 days, too few to rule out growth, so no fixed ' +
	    'capacity for an on-demand table \\(fixed capacity in Standard ' +
	    'would save \\$5\\.00 a month\\)\\.$').test(whys[2].text),
	    'why: too few days for a fixed capacity: ' + whys[2].text);
}

const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
	timeout: TIMEOUT
});
try {
	const ctx = await browser.newContext({ viewport: { width: 1440,
	    height: 900 }, acceptDownloads: true });
	ctx.setDefaultTimeout(TIMEOUT);
	const page = await ctx.newPage();
	const errors = [];
	page.on('pageerror', (e) => errors.push(e.message));
	// HTTP errors the tests cause (400, 403) are logged too; what
	// counts is an exception or a violation of the page's policy.
	page.on('console', (m) => {
		if (m.type() === 'error' && /Content.Security|Refused/.test(
		    m.text()))
			errors.push(m.text());
	});

	// The dashboard's totals are list-recommendations'.
	await go(page, ro, '', 'dashboard');
	const pot = expected.filter(potential);
	const month = await page.getAttribute('[data-testid=total-monthly]',
	    'data-raw');
	const monthText = await page.textContent(
	    '[data-testid=total-monthly]');
	check(cents(Number(month)) === cents(sumJoint(pot)),
	    'dashboard: monthly total is list-recommendations\'',
	    [month, sumJoint(pot)]);
	check(monthText === money(sumJoint(pot)),
	    'dashboard: monthly total shown as ' + monthText);
	const year = await page.getAttribute('[data-testid=total-annual]',
	    'data-raw');
	check(cents(Number(year)) === cents(12 * sumJoint(pot)),
	    'dashboard: annual total is list-recommendations\'',
	    [year, 12 * sumJoint(pot)]);
	for (const t of ['capacity', 'table_class', 'utilization']) {
		const v = await page.getAttribute(`[data-testid=type-${t}]`,
		    'data-raw');
		check(cents(Number(v)) === cents(sumJoint(pot.filter((r) =>
		    r.type === t))),
		    `dashboard: ${t} savings`);
	}
	const drawn = await page.evaluate(() => ['chart-types', 'chart-top',
	    'chart-regions'].map((id) => {
		const c = Chart.getChart(document.querySelector(
		    `[data-testid=${id}]`));
		return c ? c.data.datasets[0].data.length : 0;
	}));
	check(drawn.every((n) => n > 0), 'dashboard: the pie and bar charts ' +
	    'are drawn', drawn);
	await shot(page, 'dashboard.png');

	// A type's page: every row, then a filter, then a regex.
	const cap = expected.filter((r) => r.type === 'capacity')
	    .sort(bySavings);
	await go(page, ro, '#/capacity', 'capacity');
	await waitRows(page, cap.length);
	check(JSON.stringify(await rowIds(page)) ===
	    JSON.stringify(cap.map((r) => r.id)),
	    'capacity: the rows are the capacity recommendations, largest ' +
	    'saving first');
	check(await page.locator('button.act').count() === 0,
	    'read-only: no decision buttons');
	const posted = await page.evaluate(async (id) => (await fetch(
	    '/api/decision', { method: 'POST', headers: { 'Content-Type':
	    'application/json' }, body: JSON.stringify({ id: id,
	    status: 'accepted' }) })).status, cap[0].id);
	check(posted === 403, 'read-only: a decision is refused with 403',
	    posted);

	const region = cap.filter((r) => r.region === 'eu-west-1');
	await page.selectOption('[data-testid=filter-region]', 'eu-west-1');
	await waitRows(page, region.length);
	check(JSON.stringify(await rowIds(page)) ===
	    JSON.stringify(region.map((r) => r.id)) &&
	    region.length < cap.length,
	    `filter region: ${region.length} rows of ${cap.length}`);
	const re = region.filter((r) => /orders/.test(r.table));
	await page.fill('[data-testid=filter-table_regex]', 'orders');
	await page.click('[data-testid=apply]');
	await waitRows(page, re.length);
	const tables = await page.$$eval('[data-testid=rows] a.tablelink',
	    (as) => as.map((a) => a.textContent));
	check(re.length > 0 && re.length < region.length &&
	    tables.length === re.length &&
	    tables.every((t) => t.includes('orders')),
	    `regex "orders": ${re.length} rows`, tables);
	await shot(page, 'capacity-filtered.png');

	// CSV export: exactly the rows shown.
	const shown = await rowIds(page);
	const [dl] = await Promise.all([page.waitForEvent('download'),
	    page.click('[data-testid=csv]')]);
	const csv = parseCsv(readFileSync(await dl.path(), 'utf8'));
	check(csv[0][0] === 'id' && csv[0].includes('on_demand_usd'),
	    'CSV: a header row with the capacity columns', csv[0]);
	check(JSON.stringify(csv.slice(1).map((r) => r[0])) ===
	    JSON.stringify(shown), 'CSV: the rows shown, in order',
	    [csv.length, shown]);
	const widths = new Set(csv.map((r) => r.length));
	check(widths.size === 1, 'CSV: every row has every column',
	    [...widths]);

	// An invalid regex is an error on the page, not a crash.
	await page.fill('[data-testid=filter-table_regex]', '(a');
	await page.click('[data-testid=apply]');
	await page.waitForSelector('[data-testid=error]');
	const err = await page.textContent('[data-testid=error]');
	check(/missing closing parenthesis/.test(err),
	    'invalid regex: its error shown: ' + err);
	await shot(page, 'capacity-regex-error.png');
	await page.fill('[data-testid=filter-table_regex]', '(?=x)y');
	await page.click('[data-testid=apply]');
	await page.waitForFunction(() => /RE2/.test((document.querySelector(
	    '[data-testid=error]') || {}).textContent));
	check(true, 'regex outside RE2 (lookahead): its error shown');
	await page.fill('[data-testid=filter-table_regex]', '');
	await page.selectOption('[data-testid=filter-region]', '');
	await waitRows(page, cap.length);
	check(true, 'filters cleared: every row again');

	// HTML in a field is text.
	const evil = cap.find((r) => r.table.includes('<'));
	if (evil) {
		const t = await page.textContent(
		    `tr[data-id="${evil.id}"] a.tablelink`);
		check(t === evil.table, 'HTML in a table name shows as text');
		check(await page.locator('[data-testid=rows] script, ' +
		    '[data-testid=rows] img, [data-testid=rows] b').count() ===
		    0, 'HTML in fields makes no elements');
	}
	check(await page.evaluate(() => window.__xss === undefined),
	    'no injected script ran');

	// The other types' pages, with their columns.
	for (const [t, col] of [['table_class', 'Storage / throughput'],
	    ['utilization', 'Utilization R/W']]) {
		const n = expected.filter((r) => r.type === t).length;
		await go(page, ro, '#/' + t, t);
		await waitRows(page, n);
		const heads = await page.$$eval('table.recs th', (ths) =>
		    ths.map((h) => h.textContent));
		check(heads.includes(col), `${t}: ${n} rows, column "${col}"`,
		    heads);
		await shot(page, t.replace('_', '-') + '.png');
	}

	// The drill-down of a table: the chart, scenarios, evidence, CLI.
	const jobs = cap.find((r) => r.table === 'jobs');
	await go(page, ro, '#/capacity', 'capacity');
	await waitRows(page, cap.length);
	await page.click(`tr[data-id="${jobs.id}"] a.tablelink`);
	await page.waitForSelector('[data-testid=chart-read]');
	await page.waitForFunction(() => document.body.dataset.ready &&
	    document.body.dataset.ready.startsWith('table'));
	const series = await page.evaluate(() => ['chart-read',
	    'chart-write'].map((id) => {
		const c = Chart.getChart(document.querySelector(
		    `[data-testid=${id}]`));
		return c ? c.data.datasets.map((d) => d.data.length) : [];
	}));
	check(series.every((s) => s.length >= 2 && s.every((n) => n > 100)),
	    'drill-down: read and write charts of consumed and simulated ' +
	    'capacity', series);
	check(await page.locator('[data-testid=scenarios] tbody tr').count() >=
	    8, 'drill-down: the cost of every scenario');
	check((await page.textContent('[data-testid=apply]')).includes(
	    'aws dynamodb update-table --table-name jobs'),
	    'drill-down: the AWS CLI command');
	check(/units throttled/.test(await page.textContent(
	    '[data-testid=throttle-write]')), 'drill-down: throttle estimates');
	const tags = await page.textContent('[data-testid=tags]');
	check(tags.includes('<img src=x onerror=window.__xss=1>') &&
	    await page.locator('[data-testid=tags] img').count() === 0,
	    'drill-down: a tag holding HTML shows as text', tags);
	check(await page.evaluate(() => window.__xss === undefined),
	    'drill-down: no injected script ran');
	await shot(page, 'table-jobs.png');

	// With --allow-edits: accept and reject land in decisions.ndjson.
	const page2 = await ctx.newPage();
	page2.on('pageerror', (e) => errors.push(e.message));
	await go(page2, rw, '#/capacity', 'capacity');
	await waitRows(page2, cap.length);
	const [a, r] = [cap[0], cap[1]];
	await page2.click(`[data-testid="accepted-${a.id}"]`);
	await page2.waitForSelector(`tr[data-id="${a.id}"] .status.accepted`);
	await page2.click(`[data-testid="rejected-${r.id}"]`);
	await page2.waitForSelector(`tr[data-id="${r.id}"] .status.rejected`);
	const dec = readFileSync(join(project, 'decisions.ndjson'), 'utf8')
	    .trim().split('\n').map((l) => JSON.parse(l));
	check(dec.some((d) => d.kind === 'decision' && d.id === a.id &&
	    d.status === 'accepted'), 'accept: in decisions.ndjson', dec);
	check(dec.some((d) => d.kind === 'decision' && d.id === r.id &&
	    d.status === 'rejected'), 'reject: in decisions.ndjson', dec);
	await page2.evaluate(() => document.querySelector('.tablewrap')
	    .scrollTo(0, 0));
	await shot(page2, 'capacity-edits-dark.png');
	await go(page2, rw, '', 'dashboard');
	const after = await page2.getAttribute('[data-testid=total-monthly]',
	    'data-raw');
	check(cents(Number(after)) === cents(sumJoint(pot) - joint(r)),
	    'dashboard: a rejected saving is no ' +
	    'longer counted', [after]);
	const note = await page2.textContent('[data-testid=totals-note]');
	check(/pending and accepted recommendations only/.test(note) &&
	    /1 rejected/.test(note), 'dashboard: the totals say the ' +
	    'rejected recommendation is not included: ' + note);
	await shot(page2, 'dashboard-dark.png');
	await go(page2, rw, '#/capacity', 'capacity');
	await waitRows(page2, cap.length);
	const listNote = await page2.textContent('[data-testid=total-note]');
	check(/including 1 rejected/.test(listNote), 'capacity: the ' +
	    'total says it includes the rejected row: ' + listNote);

	await analyses(browser, errors);
	await newTypes(browser, errors);
	await layouts(browser, errors);

	check(errors.length === 0, 'no errors in the pages\' consoles',
	    errors);
} catch (e) {
	check(false, 'the browser session ran to its end: ' + e.message);
} finally {
	await browser.close();
}
process.exit(failed ? 1 : 0);
