// gui-browser.mjs - optima-gui's pages in a real browser (Debian's chromium,
// driven by playwright-core); run by tests/1500-gui.t.
//
// usage: node gui-browser.mjs READONLY-URL EDITS-URL PROJECT EXPECTED SHOTS
//
// READONLY-URL is an optima-gui without --allow-edits, EDITS-URL one with it
// (and --theme dark), both over the project directory PROJECT; EXPECTED is
// the output of "optima list-recommendations --format json" for it; the
// screenshots go to the directory SHOTS.  Prints one "ok - ..." or
// "not ok - ..." line per check (the shell test numbers them), "# ..."
// for diagnostics.

import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const [ro, rw, project, expectedFile, shots] = process.argv.slice(2);
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

const money = (v) => v.toLocaleString('en-US', { style: 'currency',
    currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
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

const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
	timeout: TIMEOUT
});
try {
	const ctx = await browser.newContext({ viewport: { width: 1500,
	    height: 1000 }, acceptDownloads: true });
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
	await shot(page2, 'dashboard-dark.png');

	check(errors.length === 0, 'no errors in the pages\' consoles',
	    errors);
} catch (e) {
	check(false, 'the browser session ran to its end: ' + e.message);
} finally {
	await browser.close();
}
process.exit(failed ? 1 : 0);
