/* optima-gui: the dashboard page.
 *
 * Every value from the server reaches the page as text: elements are built
 * with createElement and textContent, never from HTML strings, so a table
 * name or a tag holding markup shows as the characters it is.  Charts are
 * drawn by Chart.js (served by optima-gui from npm's install). */
'use strict';

const TYPES = {
	capacity: 'Capacity',
	table_class: 'Table class',
	utilization: 'Utilization',
	idle: 'Idle tables',
	commitment: 'Commitments'
};
/* The titles of the types' pages. */
const TITLES = {
	idle: 'Idle tables',
	commitment: 'Commitments to buy'
};
/* Reserved capacity's dimensions. */
const DIMS = { rcu: 'read', wcu: 'write' };
const STATUSES = ['pending', 'accepted', 'rejected', 'implemented'];
const MODES = { PROVISIONED: 'provisioned', PAY_PER_REQUEST: 'on-demand' };
const CLASSES = { STANDARD: 'Standard',
	STANDARD_INFREQUENT_ACCESS: 'Standard-IA' };
const SCENARIOS = {
	current: 'current settings',
	on_demand: 'on-demand',
	provisioned_autoscaled: 'auto scaled',
	provisioned_fixed: 'fixed capacity'
};
/* The evidence's fields in words; others are spelt out from their name. */
const WORDS = {
	read: 'read', write: 'write', growth: 'growth',
	avg_units_per_s: 'average units per second',
	peak_units_per_s: 'peak units per second',
	throttle_events: 'throttle events (CloudWatch)',
	provisioned_avg: 'average provisioned units per second',
	utilization_pct: 'utilization, %',
	peak_to_average: 'peak to average',
	first_avg_units_per_s: 'average units per second, first days',
	last_avg_units_per_s: 'average units per second, last days',
	first_peak_units_per_s: 'peak units per second, first days',
	last_peak_units_per_s: 'peak units per second, last days',
	coverage: 'days with metrics (fraction)',
	days: 'days', days_asked: 'days asked for',
	period: 'seconds per datapoint',
	approximate: 'coarser than a minute',
	throttled_minutes: 'throttled minutes a month, recommended',
	throttle_budget_minutes: 'throttle budget, minutes a month',
	over_throttle_budget: 'cheaper, over the throttle budget',
	scenario: 'option', table_class: 'class',
	monthly_usd: 'dollars a month',
	observed_days: 'its own days', observed_start: 'judged from',
	observed_from: 'its days counted from',
	table_class_updated: 'class last changed',
	table_class_change_from: 'class changes allowed from'
};
/* The narrow layout of style.css: one column, rows as cards. */
const NARROW = '(max-width: 760px)';
const PALETTE = ['#2f6fde', '#e8833a', '#3aa657', '#c0392b', '#8e44ad',
	'#16a2b8', '#b8860b', '#d35494', '#607d8b', '#795548'];

/* The filters kept across pages, in the address: on a table's page, whose
 * own account and region are in "account" and "region", with "f_" before
 * their names. */
const GLOBALS = ['account', 'region', 'min_savings', 'table_regex'];
/* Tables or indexes in a chart of a page. */
const TOPN = 10;

let config = { theme: 'light', allow_edits: false, project: '' };
let charts = [];
let globals = {};

/* ---- DOM ---- */

/* The settings of auto scaling ${c}, a scenario's capacity: tuned per
 * dimension ({read, write}) or one for both. */
function asText(c) {
	const one = (x) => x.min + '–' + x.max + ' at ' + x.target + ' %';
	return c.read ? 'read ' + one(c.read) + ', write ' + one(c.write) :
	    one(c);
}

/* el(tag, attrs, ...children): an element; strings become text nodes. */
function el(tag, attrs, ...children) {
	const e = document.createElement(tag);
	for (const [k, v] of Object.entries(attrs || {})) {
		if (v === undefined || v === null || v === false)
			continue;
		if (k === 'on')
			for (const [ev, f] of Object.entries(v))
				e.addEventListener(ev, f);
		else if (k === 'text')
			e.textContent = String(v);
		else
			e.setAttribute(k, String(v));
	}
	for (const c of children.flat()) {
		if (c === undefined || c === null)
			continue;
		e.append(c instanceof Node ? c : document.createTextNode(
		    String(c)));
	}
	return e;
}

/*
 * money(v, digits): v in dollars as the command line writes it
 * (report_money of lib/report.c): rounded as printf's %.2f rounds the
 * double, to the nearest cent of its exact value and a tie (a value
 * exactly half-way, such as 0.125) to the even cent; so 1485.185, which is
 * 1485.18499999999994543031789362430572509765625, is $1,485.18 (where
 * toLocaleString says $1,485.19).  toFixed rounds the exact value too, a
 * tie away from zero: only the ties are made even here.
 */
function money(v, digits) {
	if (typeof v !== 'number' || !isFinite(v))
		return '–';
	const d = digits === undefined ? 2 : digits;
	const a = Math.abs(v);
	let s = a.toFixed(d);
	const p = Math.pow(2, d);
	if (Number.isInteger(a * p * 2) && !Number.isInteger(a * p) &&
	    a < 1e12) {
		/* a is n + 1/2 units of the last digit, exactly. */
		const n = Math.floor(a * Math.pow(10, d));
		s = (n % 2 === 0 ? n : n + 1).toString().padStart(d + 1, '0');
		if (d > 0)
			s = s.slice(0, -d) + '.' + s.slice(-d);
	}
	const neg = v < 0 && /[1-9]/.test(s);
	const [whole, frac] = s.split('.');
	return (neg ? '-' : '') + '$' + whole.replace(/\B(?=(\d{3})+$)/g,
	    ',') + (frac !== undefined ? '.' + frac : '');
}

function number(v, digits) {
	if (typeof v !== 'number' || !isFinite(v))
		return '–';
	return v.toLocaleString('en-US', { maximumFractionDigits:
	    digits === undefined ? 1 : digits });
}

function pct(v) {
	return typeof v === 'number' ? number(v, 1) + ' %' : '–';
}

/* A size in bytes, in GiB as the table's page has it. */
function size(b) {
	if (typeof b !== 'number')
		return '–';
	return number(b / 1073741824, 2) + ' GiB';
}

/* A commitment's term ("1yr") in words. */
function term(t) {
	const m = /^([0-9]+)yr$/.exec(t || '');
	return m ? m[1] + (m[1] === '1' ? ' year' : ' years') : '–';
}

/* What the commitment ${r} buys, in words. */
function purchase(r) {
	const d = r.details || {};
	if (d.commitment === 'reserved_capacity')
		return number(d.units, 0) + ' ' + (DIMS[d.capacity] || '') +
		    ' capacity units reserved (' + (d.capacity || '')
		    .toUpperCase() + ')';
	if (d.commitment === 'savings_plan')
		return 'Database Savings Plan, ' + money(d.hourly_usd, 3) +
		    '/hour';
	return r.change;
}

function mode(m) {
	return MODES[m] || m || '–';
}

function tclass(c) {
	return CLASSES[c] || c || '–';
}

/* A scenario in words: "auto scaled in Standard-IA". */
function option(sc, cls) {
	return (SCENARIOS[sc] || sc) + ' in ' + tclass(cls);
}

/* ${n} things, in words: "1 recommendation", "2 recommendations". */
function count(n, thing) {
	return number(n, 0) + ' ' + thing + (n === 1 ? '' : 's');
}

/* A field of the evidence in words. */
function word(k) {
	return WORDS[k] || k.replace(/_/g, ' ');
}

function narrow() {
	return window.matchMedia(NARROW).matches;
}

/*
 * Fit each table of rows to its box, whatever the width of the window: if
 * its columns do not fit, without its "lo" columns (slim); if they still do
 * not, as cards (app.css), with every column, or without the "lo" ones if
 * the table says so (data-slim-cards).
 */
function fit() {
	const over = (t) => t.offsetWidth > t.parentElement.clientWidth + 1;
	for (const t of document.querySelectorAll('table.recs')) {
		t.classList.remove('cards', 'slim');
		if (!over(t))
			continue;
		t.classList.add('slim');
		if (!over(t))
			continue;
		t.classList.add('cards');
		if (!t.dataset.slimCards)
			t.classList.remove('slim');
	}
}

function cssvar(name) {
	return getComputedStyle(document.documentElement)
	    .getPropertyValue(name).trim();
}

function clearCharts() {
	for (const c of charts)
		c.destroy();
	charts = [];
}

function chart(canvas, cfg) {
	Chart.defaults.color = cssvar('--fg');
	Chart.defaults.borderColor = cssvar('--grid');
	Chart.defaults.animation = false;
	const c = new Chart(canvas, cfg);
	charts.push(c);
	return c;
}

/* ---- the API ---- */

async function api(path, params) {
	const q = new URLSearchParams();
	for (const [k, v] of Object.entries(params || {}))
		if (v !== undefined && v !== null && v !== '')
			q.set(k, v);
	const url = path + (q.toString() ? '?' + q.toString() : '');
	const r = await fetch(url, { headers: { Accept: 'application/json' } });
	let body;
	try {
		body = await r.json();
	} catch (e) {
		body = { error: 'the server answered ' + r.status };
	}
	if (!r.ok)
		throw new Error(body.error || ('HTTP ' + r.status));
	return body;
}

async function decide(id, status) {
	const r = await fetch('/api/decision', {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ id: id, status: status })
	});
	const body = await r.json().catch(() => ({}));
	if (!r.ok)
		throw new Error(body.error || ('HTTP ' + r.status));
	return body;
}

/* ---- pages ---- */

function page(title, ...children) {
	const main = document.getElementById('main');
	clearCharts();
	main.replaceChildren(el('h2', null, title), windowLine(),
	    ...children.filter((c) => c !== null && c !== undefined));
	return main;
}

/* The window of the analysis and the dates of its data, in words. */
function windowLine() {
	const w = config.window || {};
	return el('p', { class: 'muted window', 'data-testid': 'window',
	    'data-days': w.days, 'data-start': w.start, 'data-end': w.end },
	    w.days ? 'Analysis window: ' + number(w.days, 0) + ' days' +
	    (w.start ? ', metrics of ' + w.start + ' to ' + w.end +
	    ' (UTC)' : ', no metrics') + '.' :
	    'No analysis yet: no scenarios.');
}

/* The query of the global filters ${g}, with ${prefix} before each name,
 * after the arguments ${first}. */
function query(first, g, prefix) {
	const q = new URLSearchParams(first || {});
	for (const k of GLOBALS)
		if (g[k] !== undefined && g[k] !== '')
			q.set((prefix || '') + k, g[k]);
	const t = q.toString();
	return t ? '?' + t : '';
}

/* Keep ${g} as the global filters, in the links of the navigation. */
function keep(g) {
	globals = {};
	for (const k of GLOBALS)
		if (g[k] !== undefined && g[k] !== '')
			globals[k] = g[k];
	for (const a of document.querySelectorAll('nav a[data-page]'))
		if (a.dataset.page !== 'docs')
			a.setAttribute('href', '#/' + (a.dataset.page ===
			    'dashboard' ? '' : a.dataset.page) +
			    query(null, globals));
}

function failure(msg) {
	return el('p', { class: 'error', role: 'alert',
	    'data-testid': 'error' }, msg);
}

function card(label, value, testid, raw) {
	return el('div', { class: 'card' },
	    el('div', { class: 'label' }, label),
	    el('div', { class: 'value', 'data-testid': testid,
	    'data-raw': raw }, value));
}

function tableLink(r) {
	return el('a', { href: '#/table' + query({ account: r.account,
	    region: r.region, table: r.table }, globals, 'f_'),
	    class: 'tablelink' }, r.table);
}

/* A label of a chart: a table's name (and its index's), cut short when
 * narrow. */
function label(r) {
	const x = r.table + (r.index ? ' / ' + r.index : '');
	if (!narrow())
		return [x, r.region + ' ' + r.account];
	return x.length > 16 ? x.slice(0, 15) + '…' : x;
}

/* The box of a chart of horizontal bars of ${n} rows of ${per} bars. */
function barBox(canvas, n, per) {
	const b = el('div', { class: 'chartbox' }, canvas);
	b.style.height = Math.max(160, 80 + n * Math.max(narrow() ? 0 : 32,
	    12 + 10 * per)) + 'px';
	return b;
}

/* Whether the rows ${a} have savings to chart. */
function worth(a) {
	return (a || []).some((x) => x.monthly_usd > 0);
}

/* The box of the chart ${canvas} of the rows ${a}; without savings, words
 * in its place (not axes from $0 to $1). */
function plot(cls, canvas, a) {
	return worth(a) ? el('div', { class: cls }, canvas) :
	    el('p', { class: 'muted nochart', 'data-testid': 'nochart' },
	    'No savings to chart: no pending or accepted recommendation.');
}

async function dashboard() {
	const s = await api('/api/summary');
	const pie = el('canvas', { 'data-testid': 'chart-types',
	    'aria-label': 'Savings by analysis type' });
	const bar = el('canvas', { 'data-testid': 'chart-top',
	    'aria-label': 'Top 10 tables by savings' });
	const regions = el('canvas', { 'data-testid': 'chart-regions',
	    'aria-label': 'Savings by region' });
	const byStatus = el('table', { class: 'stats' },
	    el('tbody', null, STATUSES.map((k) => el('tr', null,
	    el('th', null, k), el('td', { class: 'num',
	    'data-testid': 'status-' + k },
	    number(s.by_status[k] || 0, 0))))));
	const byConf = el('table', { class: 'stats' },
	    el('tbody', null, (s.by_confidence || []).map((c) =>
	    el('tr', null, el('th', null, c.name), el('td', { class: 'num' },
	    number(c.count, 0)), el('td', { class: 'num' },
	    money(c.monthly_usd))))));
	const byType = el('table', { class: 'stats',
	    'data-testid': 'types' },
	    el('tbody', null, (s.by_type || []).map((c) =>
	    el('tr', null, el('th', null, el('a', { href: '#/' + c.name +
	    query(null, globals) },
	    TYPES[c.name] || c.name)), el('td', { class: 'num' },
	    number(c.count, 0)), el('td', { class: 'num',
	    'data-testid': 'type-' + c.name, 'data-raw': c.monthly_usd },
	    money(c.monthly_usd))))));
	const byRegion = el('table', { class: 'stats',
	    'data-testid': 'regions' },
	    el('tbody', null, (s.by_region || []).map((c) =>
	    el('tr', null, el('th', null, c.name), el('td', { class: 'num' },
	    number(c.count, 0)), el('td', { class: 'num' },
	    money(c.monthly_usd))))));
	const bs = s.by_status || {};
	const left = ['rejected', 'implemented'].map((k) => number(bs[k] || 0,
	    0) + ' ' + k).join(' and ');
	page('Dashboard',
	    el('div', { class: 'cards' },
	    card('Potential savings per month', money(s.total_monthly_usd),
	    'total-monthly', s.total_monthly_usd),
	    card('Per year', money(s.total_annual_usd), 'total-annual',
	    s.total_annual_usd),
	    card('Recommendations (pending or accepted)', number(s.count, 0),
	    'count', s.count),
	    card(el('a', { href: '#/tables' + query(null, globals) },
	    'Tables analyzed'),
	    number(s.tables_analyzed, 0), 'tables-analyzed',
	    s.tables_analyzed)),
	    el('p', { class: 'muted', 'data-testid': 'totals-note' },
	    'The totals count the pending and accepted recommendations ' +
	    'only; rejected and implemented ones are not included (' + left +
	    ').'),
	    s.recommendations === 0 ? el('p', { class: 'muted' },
	    'No recommendations yet: run optima run, or the analyze ' +
	    'commands, on this project directory.') : null,
	    el('div', { class: 'grid wide-right' },
	    el('section', { class: 'panel' }, el('h3', null,
	    'Savings by analysis type'), plot('chartbox', pie, s.by_type),
	    byType),
	    el('section', { class: 'panel' }, el('h3', null,
	    'Top 10 tables by savings'), plot('chartbox tall', bar,
	    s.top_tables))),
	    el('div', { class: 'grid' },
	    el('section', { class: 'panel' }, el('h3', null,
	    'Savings by region'), plot('chartbox small', regions,
	    s.by_region), byRegion),
	    el('section', { class: 'panel' }, el('h3', null,
	    'Summary statistics'),
	    el('p', null, count(s.recommendations, 'recommendation') +
	    ' in all, for ' + number(
	    (s.accounts || []).length, 0) + ' accounts and ' + number(
	    (s.regions || []).length, 0) + ' regions.'),
	    el('h4', null, 'By status'), byStatus,
	    el('h4', null, 'By confidence (pending or accepted)'), byConf)));
	const types = s.by_type || [];
	if (!worth(types))
		return;
	chart(pie, { type: 'pie', data: {
		labels: types.map((t) => TYPES[t.name] || t.name),
		datasets: [{ data: types.map((t) => t.monthly_usd),
		    backgroundColor: PALETTE }] },
	    options: { maintainAspectRatio: false, plugins: { tooltip: {
		callbacks: { label: (c) => c.label + ': ' +
		    money(c.parsed) + '/month' } } } } });
	const top = s.top_tables || [];
	/* Narrow, a bar's label is its table alone, cut to 16 characters. */
	const cut = (x) => x.length > 16 ? x.slice(0, 15) + '…' : x;
	chart(bar, { type: 'bar', data: {
		labels: top.map((t) => narrow() ? cut(t.table) : [t.table,
		    t.region + ' ' + t.account]),
		datasets: [{ label: 'USD per month', data: top.map((t) =>
		    t.monthly_usd), backgroundColor: PALETTE[0] }] },
	    options: { indexAxis: 'y', maintainAspectRatio: false,
		plugins: { legend: { display: false } },
		scales: { x: { ticks: { callback: (v) => money(v, 0) } } } } });
	const reg = s.by_region || [];
	chart(regions, { type: 'bar', data: {
		labels: reg.map((r) => r.name),
		datasets: [{ label: 'USD per month', data: reg.map((r) =>
		    r.monthly_usd), backgroundColor: PALETTE[1] }] },
	    options: { maintainAspectRatio: false,
		plugins: { legend: { display: false } },
		scales: { y: { ticks: { callback: (v) => money(v, 0) } } } } });
}

/* The columns of each type's page: [header, cell(row)]. */
function columns(type) {
	const common = [
		['Table', (r) => tableLink(r), 'table'],
		['Account', (r) => r.account, 'name'],
		['Region', (r) => r.region, 'name']
	];
	if (type === 'utilization')
		common.splice(1, 0, ['Index', (r) => r.index || null, 'name']);
	/* A commitment is a purchase of a payer, of no table. */
	if (type === 'commitment')
		common.splice(0, 2, ['Purchase', (r) => purchase(r), 'table'],
		    ['Payer', (r) => r.account, 'name']);
	const status = ['Status', (r) => el('span', { class: 'status ' +
	    r.status }, r.status)];
	const tail = [
		['Savings/month', (r) => el('span', null,
		    money(r.monthly_savings_usd), el('small',
		    { class: 'block' }, pct(r.savings_pct))), 'num saving'],
		['Confidence', (r) => r.confidence],
		['Status', (r) => el('span', { class: 'status ' + r.status },
		    r.status)]
	];
	const d = (r) => r.details || {};
	if (type === 'idle')
		return common.concat([
			['Idle days', (r) => number(d(r).idle_days, 0), 'num'],
			['Size', (r) => size(d(r).size_bytes), 'num'],
			['Cost now', (r) => money(r.current_monthly_usd),
			    'num'],
			['Keep: saving/month', (r) => el('span', null,
			    money(d(r).keep_savings_usd), el('small',
			    { class: 'block' }, mode(d(r).keep_mode) + ' ' +
			    tclass(d(r).keep_class))), 'num saving'],
			['Retire: saving/month', (r) =>
			    money(d(r).retire_savings_usd), 'num saving'],
			status]);
	if (type === 'commitment')
		return common.concat([
			['Term', (r) => term(d(r).term), 'lo'],
			['Upfront', (r) => money(d(r).upfront_usd), 'num lo'],
			['Hourly', (r) => money(d(r).hourly_usd, 4), 'num lo'],
			['Utilization', (r) => pct(d(r).utilization_pct),
			    'num'],
			['Coverage', (r) => pct(d(r).coverage_pct), 'num lo'],
			['Savings/month', (r) => money(r.monthly_savings_usd),
			    'num saving'],
			['Over the term', (r) => money(d(r).term_savings_usd),
			    'num lo'],
			['Break-even', (r) => d(r).break_even_month ?
			    'month ' + d(r).break_even_month : '–', 'num lo'],
			['Next 100 units', (r) => d(r).commitment ===
			    'reserved_capacity' ? money(d(r)
			    .next_block_monthly_usd) + '/month' : '–', 'num lo'],
			status]);
	const mid = {
		capacity: [
			['Current', (r) => mode(d(r).current_mode), 'name'],
			['Recommended', (r) => mode(d(r).recommended_mode),
			    'name'],
			['Change', (r) => r.change, 'change'],
			['On-demand', (r) => money(d(r).on_demand_usd),
			    'num lo'],
			['Auto scaled', (r) => {
				const a = d(r).autoscaling;
				return el('span', null,
				    money(d(r).autoscaled_usd),
				    a ? el('small', { class: 'block' }, asText(a) +
				    ', ' +
				    number(d(r).autoscaled_throttled_minutes,
				    0) + ' min throttled') : null);
			}, 'num wrap lo'],
			['Fixed', (r) => money(d(r).fixed_usd), 'num lo']
		],
		table_class: [
			['Mode', (r) => mode((r.current || {}).billing_mode)],
			['Change', (r) => r.change, 'change'],
			['Storage / throughput', (r) =>
			    d(r).storage_to_throughput === null ? '–' :
			    number(d(r).storage_to_throughput, 2), 'num lo'],
			['Standard', (r) => money(d(r).standard_usd),
			    'num lo'],
			['Standard-IA', (r) => money(d(r).standard_ia_usd),
			    'num lo']
		],
		utilization: [
			['Resource', (r) => d(r).resource, 'lo'],
			['Utilization R/W', (r) =>
			    pct(d(r).read_utilization_pct) + ' / ' +
			    pct(d(r).write_utilization_pct), 'num lo'],
			['Current R/W', (r) => number(d(r).current_read, 0) +
			    ' / ' + number(d(r).current_write, 0), 'num'],
			['Recommended R/W', (r) =>
			    number(d(r).recommended_read, 0) + ' / ' +
			    number(d(r).recommended_write, 0), 'num'],
			['Change', (r) => r.change, 'change']
		]
	};
	return common.concat(mid[type] || [], tail);
}

function actions(r, done) {
	if (!config.allow_edits)
		return null;
	const b = (label, status) => el('button', { type: 'button',
	    class: 'act ' + status, 'data-testid': status + '-' + r.id,
	    disabled: r.status === status ? 'disabled' : null,
	    on: { click: async (ev) => {
		ev.target.disabled = true;
		try {
			await decide(r.id, status);
			done();
		} catch (e) {
			alert(e.message);
			ev.target.disabled = false;
		}
	} } }, label);
	return el('td', { class: 'actions', 'data-label': 'Decision' },
	    b('Accept', 'accepted'),
	    b('Reject', 'rejected'));
}

// Run load() now, and again when the filters of form are sent or a
// choice of it changes.
function reloadOn(form, load) {
	form.addEventListener('submit', (ev) => {
		ev.preventDefault();
		load();
	});
	for (const e of form.querySelectorAll('select'))
		e.addEventListener('change', load);
	return load();
}

function filtersOf(form) {
	const f = {};
	for (const [k, v] of new FormData(form).entries())
		if (v !== '')
			f[k] = v;
	return f;
}

async function typePage(type, params) {
	const s = await api('/api/summary');
	const opt = (v, label) => el('option', { value: v }, label);
	const sel = (name, label, options) => el('label', null, label,
	    el('select', { name: name, 'data-testid': 'filter-' + name },
	    opt('', 'all'), options));
	const form = el('form', { class: 'filters', 'data-testid': 'filters' },
	    sel('account', 'Account', (s.accounts || []).map((a) =>
	    opt(a, a))),
	    sel('region', 'Region', (s.regions || []).map((r) => opt(r, r))),
	    el('label', null, 'Minimum savings ($/month)',
	    el('input', { name: 'min_savings', type: 'number', min: '0',
	    step: 'any', 'data-testid': 'filter-min_savings' })),
	    sel('mode', 'Current mode', Object.keys(MODES).map((m) =>
	    opt(m, MODES[m]))),
	    sel('status', 'Status', STATUSES.map((x) => opt(x, x))),
	    el('label', null, 'Table name (RE2 regex)',
	    el('input', { name: 'table_regex', type: 'text',
	    placeholder: 'e.g. ^prod-', maxlength: '256',
	    'data-testid': 'filter-table_regex' })),
	    el('button', { type: 'submit', 'data-testid': 'apply' },
	    'Apply'));
	for (const [k, v] of Object.entries(params))
		if (form.elements[k])
			form.elements[k].value = v;
	/* Narrow, the filters fold away unless one is set. */
	const set = Object.keys(params).some((k) => form.elements[k] &&
	    params[k] !== '');
	const box = el('details', { class: 'filterbox',
	    open: !narrow() || set ? 'open' : null },
	    el('summary', null, 'Filters'), form);
	const status = el('div', { class: 'result' });
	const csv = el('a', { class: 'button', 'data-testid': 'csv',
	    download: 'optima-' + type + '.csv' }, 'Export CSV');
	const out = el('div', { class: 'tablewrap' });
	const viz = el('div', { 'data-testid': 'analysis' });
	page(TITLES[type] || TYPES[type] + ' recommendations', box,
	    el('div', { class: 'bar' }, status, csv), viz, out);

	let own = [];
	const load = async () => {
		const f = Object.assign(filtersOf(form), { type: type });
		const q = new URLSearchParams(f);
		csv.setAttribute('href', '/api/recommendations.csv?' +
		    q.toString());
		/* Keep the filters in the address, for reloads and links,
		 * and the global ones for the other pages. */
		const h = new URLSearchParams(filtersOf(form)).toString();
		history.replaceState(null, '', '#/' + type + (h ? '?' + h :
		    ''));
		keep(filtersOf(form));
		let res;
		try {
			res = await api('/api/recommendations', f);
		} catch (e) {
			status.replaceChildren(failure(e.message));
			out.replaceChildren();
			csv.classList.add('disabled');
			csv.removeAttribute('href');
			return;
		}
		csv.classList.remove('disabled');
		/* The total is of every row shown, whatever its status. */
		const no = res.rows.filter((r) => r.status === 'rejected' ||
		    r.status === 'implemented');
		const rej = no.filter((r) => r.status === 'rejected').length;
		status.replaceChildren(el('span', { 'data-testid': 'count',
		    'data-raw': res.count }, count(res.count,
		    'recommendation') + ', '), el('strong', {
		    'data-testid': 'filtered-total',
		    'data-raw': res.total_monthly_usd },
		    money(res.total_monthly_usd) + '/month'),
		    ' (' + money(res.total_annual_usd) + '/year), ',
		    el('span', { 'data-testid': 'total-note' }, no.length ?
		    'including ' + rej + ' rejected and ' + (no.length - rej) +
		    ' implemented' : 'none of them rejected or implemented'));
		const cols = columns(type);
		const head = el('tr', null, cols.map((c) => el('th',
		    { class: c[2] }, c[0])), config.allow_edits ?
		    el('th', null, 'Decision') : null);
		const body = el('tbody', { 'data-testid': 'rows' },
		    res.rows.map((r) => el('tr', { 'data-id': r.id },
		    cols.map((c) => el('td', { class: c[2],
		    'data-label': c[0] }, c[1](r))),
		    actions(r, load))));
		out.replaceChildren(res.rows.length ? el('table',
		    { class: 'recs' }, el('thead', null, head), body) :
		    el('p', { class: 'muted', 'data-testid': 'empty' },
		    'No recommendation matches these filters.'));
		/* The charts drawn for the table as it fits. */
		fit();
		for (const c of own)
			c.destroy();
		charts = charts.filter((c) => !own.includes(c));
		const before = charts.length;
		try {
			await ANALYSES[type](viz, res.rows);
		} catch (e) {
			viz.replaceChildren(failure(e.message));
		}
		own = charts.slice(before);
		fit();
		if (type === 'utilization') {
			const g = res.rows.filter((r) => r.index).length;
			out.append(el('p', { class: 'muted' },
			    (res.rows.length - g) + ' tables, ' + g +
			    ' global secondary indexes.'));
		}
	};
	await reloadOn(form, load);
}

/* The options of each table of the rows ${rows} (the first TOPN):
 * current settings beside on-demand, auto scaled and fixed capacity. */
function capacityChart(viz, rows) {
	const top = rows.filter((r) => r.details &&
	    typeof r.details.current_usd === 'number').slice(0, TOPN);
	if (!top.length) {
		viz.replaceChildren();
		return;
	}
	const canvas = el('canvas', { 'data-testid': 'chart-capacity',
	    'aria-label': 'Monthly cost of each option' });
	viz.replaceChildren(el('section', { class: 'panel' },
	    el('h3', null, 'Monthly cost of each option'),
	    el('p', { class: 'muted' }, 'The ' + top.length + ' largest ' +
	    'savings of these filters: the current settings beside ' +
	    'on-demand, auto scaling and a fixed capacity, in the ' +
	    'current class.'), barBox(canvas, top.length, 4)));
	const opts = [['current_usd', 'current settings'],
	    ['on_demand_usd', 'on-demand'], ['autoscaled_usd', 'auto scaled'],
	    ['fixed_usd', 'fixed capacity']];
	costBars(canvas, top, opts.map(([k, name], i) => ({ label: name,
	    data: top.map((r) => r.details[k]), backgroundColor: [PALETTE[3],
	    PALETTE[0], PALETTE[1], PALETTE[2]][i] })));
}

/* Horizontal bars of a month's cost: ${datasets} of the rows ${top}. */
function costBars(canvas, top, datasets) {
	chart(canvas, { type: 'bar', data: { labels: top.map(label),
	    datasets: datasets },
	    options: { indexAxis: 'y', maintainAspectRatio: false,
	    plugins: { legend: { labels: { boxWidth: 14 } }, tooltip: {
	    callbacks: { label: (c) => c.dataset.label + ': ' +
	    money(c.parsed.x) + '/month' } } },
	    scales: { x: { beginAtZero: true, ticks: { maxTicksLimit:
	    narrow() ? 4 : 8, callback: (v) => money(v, 0) } } } } });
}

/* Each table's storage-to-throughput cost ratio beside the break-even of
 * its region, over which Standard-IA costs less (the server's TOPN-odd
 * largest tables). */
async function classChart(viz) {
	const a = await api('/api/analysis', Object.assign({ type:
	    'table_class' }, globals));
	const top = a.points.slice(0, 2 * TOPN);
	if (!top.length) {
		viz.replaceChildren(el('p', { class: 'muted' },
		    'No table to chart.'));
		return;
	}
	const canvas = el('canvas', { 'data-testid': 'chart-class',
	    'aria-label': 'Storage to throughput cost ratio' });
	const above = (p) => typeof p.breakeven === 'number' &&
	    p.ratio >= p.breakeven;
	/* A log scale: a ratio of 0 (storage in the free tier) at its
	 * lowest. */
	const low = 1e-3;
	viz.replaceChildren(el('section', { class: 'panel' },
	    el('h3', null, 'Storage to throughput cost, against the ' +
	    'break-even'),
	    el('p', { 'data-testid': 'class-note', 'data-count': a.count,
	    'data-above': a.above_breakeven }, number(a.above_breakeven, 0) +
	    ' of ' + number(a.count, 0) + ' tables cost more to store ' +
	    'than their region\'s break-even ratio, where Standard-IA ' +
	    'costs less. The ' + top.length + ' costing most:'),
	    barBox(canvas, top.length, 1),
	    el('p', { class: 'muted' }, 'Each bar is a table\'s storage ' +
	    'cost divided by its throughput (reads and writes) cost, a ' +
	    'month at Standard prices; the mark, its region\'s ' +
	    'break-even, from the prices of both classes ' +
	    '(optima-rank(1)).')));
	chart(canvas, { type: 'bar', data: { labels: top.map(label),
	    datasets: [{ label: 'storage ÷ throughput', data: top.map((p) =>
	    Math.max(p.ratio, low)), backgroundColor: top.map((p) =>
	    above(p) ? PALETTE[2] : PALETTE[0]), order: 2 },
	    { type: 'line', label: 'break-even of the region',
	    data: top.map((p) => p.breakeven), showLine: false,
	    pointStyle: 'line', pointRotation: 90, pointRadius: 9,
	    pointHoverRadius: 11, pointBorderWidth: 3,
	    borderColor: PALETTE[3], backgroundColor: PALETTE[3],
	    order: 1 }] },
	    options: { indexAxis: 'y', maintainAspectRatio: false,
	    plugins: { legend: { labels: { boxWidth: 14 } }, tooltip: {
	    callbacks: { label: (c) => {
		const p = top[c.dataIndex];
		return c.datasetIndex ? 'break-even ' + number(p.breakeven,
		    3) : 'ratio ' + number(p.ratio, 3) + ' (storage ' +
		    money(p.storage_usd) + ', throughput ' +
		    money(p.throughput_usd) + ' a month)';
	    } } } },
	    scales: { x: { type: 'logarithmic', min: low, title: {
	    display: !narrow(), text: 'storage ÷ throughput (log scale)' },
	    ticks: { callback: (v) => Math.abs(Math.log10(v) -
	    Math.round(Math.log10(v))) < 1e-9 ? number(v, 3) : '' } } } } });
}

/* Each provisioned table's and index's utilization, average and peak
 * against provisioned, and the savings of the rows ${rows} split between
 * tables and global secondary indexes. */
async function utilChart(viz, rows) {
	const a = await api('/api/analysis', Object.assign({ type:
	    'utilization' }, globals));
	const top = a.points.slice(0, 2 * TOPN);
	const live = rows.filter((r) => r.status === 'pending' ||
	    r.status === 'accepted');
	const sum = (x) => x.reduce((t, r) => t +
	    (typeof r.effective_monthly_savings_usd === 'number' ?
	    r.effective_monthly_savings_usd : r.monthly_savings_usd), 0);
	/* An index's part of its table's saving: what its own settings
	 * save (current and recommended "indexes"), at list prices. */
	const part = (r) => {
		if (r.index)
			return 1;
		const c = (r.current || {}).indexes || {};
		const n = (r.recommended || {}).indexes || {};
		let x = 0;
		for (const [k, v] of Object.entries(c))
			x += (v.monthly_usd || 0) - ((n[k] || {}).monthly_usd ||
			    0);
		return r.monthly_savings_usd > 0 ? Math.min(1, Math.max(0,
		    x / r.monthly_savings_usd)) : 0;
	};
	const gsi = sum(live.map((r) => Object.assign({}, r, {
	    effective_monthly_savings_usd: part(r) * (typeof
	    r.effective_monthly_savings_usd === 'number' ?
	    r.effective_monthly_savings_usd : r.monthly_savings_usd) })));
	const split = [sum(live) - gsi, gsi];
	const pie = el('canvas', { 'data-testid': 'chart-split',
	    'aria-label': 'Savings of tables and indexes' });
	const dims = ['read', 'write'].map((d) => [d, el('canvas',
	    { 'data-testid': 'chart-util-' + d,
	    'aria-label': d + ' utilization' })]);
	viz.replaceChildren(el('div', { class: 'grid wide-right' },
	    el('section', { class: 'panel' }, el('h3', null,
	    'Savings: tables and indexes'),
	    el('p', { 'data-testid': 'split', 'data-tables': split[0],
	    'data-indexes': split[1] }, money(split[0]) + ' a month of ' +
	    'tables, ' + money(split[1]) + ' of global secondary indexes ' +
	    '(pending or accepted).'),
	    split[0] + split[1] > 0 ? el('div', { class: 'chartbox small' },
	    pie) : null,
	    el('p', { class: 'muted' }, 'An index\'s part of its ' +
	    'table\'s recommendation is what its own settings save, in ' +
	    'proportion.')),
	    el('section', { class: 'panel' }, el('h3', null,
	    'Utilization of provisioned capacity'),
	    el('p', { class: 'muted', 'data-testid': 'util-note',
	    'data-count': a.count }, top.length ? 'Average and peak ' +
	    'units per second, as a share of the average provisioned, of ' +
	    'the ' + top.length + ' costing most of ' + number(a.count, 0) +
	    ' provisioned tables and indexes.' : 'No provisioned table or ' +
	    'index.'),
	    top.length ? dims.flatMap(([d, c]) => [el('h4', null,
	    d === 'read' ? 'Reads' : 'Writes'), barBox(c, top.length, 2)]) :
	    null)));
	if (split[0] + split[1] > 0)
		chart(pie, { type: 'doughnut', data: { labels: ['tables',
		    'global secondary indexes'], datasets: [{ data: split,
		    backgroundColor: [PALETTE[0], PALETTE[1]] }] },
		    options: { maintainAspectRatio: false, plugins: {
		    tooltip: { callbacks: { label: (c) => c.label + ': ' +
		    money(c.parsed) + '/month' } } } } });
	const share = (p, d, k) => p[d].provisioned > 0 ? 100 * p[d][k] /
	    p[d].provisioned : 0;
	for (const [d, c] of top.length ? dims : [])
		chart(c, { type: 'bar', data: { labels: top.map(label),
		    datasets: [['avg', 'average', PALETTE[0]],
		    ['peak', 'peak', PALETTE[1]]].map(([k, name, col]) => ({
		    label: name + ' % of provisioned', data: top.map((p) =>
		    share(p, d, k)), backgroundColor: col })) },
		    options: { indexAxis: 'y', maintainAspectRatio: false,
		    plugins: { legend: { labels: { boxWidth: 14 } }, tooltip: {
		    callbacks: { label: (x) => {
			const p = top[x.dataIndex][d];
			const k = x.datasetIndex ? 'peak' : 'avg';
			return x.dataset.label + ': ' + number(x.parsed.x, 0) +
			    ' % (' + number(p[k], 1) + ' of ' +
			    number(p.provisioned, 1) + ' units a second)';
		    } } } },
		    scales: { x: { beginAtZero: true, suggestedMax: 100,
		    ticks: { callback: (v) => v + ' %' } } } } });
}

/* Each idle table's cost now beside keeping it (on-demand in the cheaper
 * class) and the backup that retiring it leaves (the first TOPN). */
function idleChart(viz, rows) {
	const top = rows.filter((r) => r.details).slice(0, TOPN);
	if (!top.length) {
		viz.replaceChildren();
		return;
	}
	const canvas = el('canvas', { 'data-testid': 'chart-idle',
	    'aria-label': 'Idle tables: cost now, kept, retired' });
	viz.replaceChildren(el('section', { class: 'panel' },
	    el('h3', null, 'Cost a month: now, kept, retired'),
	    el('p', { class: 'muted' }, 'Tables without a read or a write ' +
	    'over the days of the analysis: what each costs now, kept ' +
	    'on-demand in the cheaper class, and retired (the on-demand ' +
	    'backup left once it is deleted; optima never deletes it).'),
	    barBox(canvas, top.length, 3)));
	const opts = [['now', (r) => r.current_monthly_usd, PALETTE[3]],
	    ['kept', (r) => r.details.keep_usd, PALETTE[0]],
	    ['retired (backup)', (r) => r.details.backup_usd, PALETTE[2]]];
	costBars(canvas, top, opts.map(([name, f, c]) => ({ label: name,
	    data: top.map(f), backgroundColor: c })));
}

/* The hour ${t} (epoch seconds) as a chart's label: MM-DD HH:00, UTC. */
function hour(t) {
	const d = new Date(t * 1000);
	return d.toISOString().slice(5, 13).replace('T', ' ') + ':00';
}

/* The reserved capacity of ${rows}, by region: today's and planned
 * coverage and utilization, and each one's hourly reservable usage,
 * today and after the changes, with the levels reserved drawn on it; a
 * Database Savings Plan in words. */
function commitmentChart(viz, rows) {
	const d = (r) => r.details || {};
	const rc = rows.filter((r) => d(r).commitment ===
	    'reserved_capacity').sort((a, b) => (a.account + a.region +
	    d(a).capacity).localeCompare(b.account + b.region +
	    d(b).capacity));
	const sp = rows.filter((r) => d(r).commitment === 'savings_plan');
	const parts = [];
	const draw = [];
	if (rc.length) {
		const heads = ['Region', 'Payer', 'Capacity', 'Reserved now',
		    'Coverage today', 'Utilization today', 'To buy',
		    'Coverage planned', 'Utilization planned'];
		const cls = ['name', 'name lo', 'name', 'num', 'num', 'num',
		    'num', 'num', 'num'];
		parts.push(el('section', { class: 'panel' },
		    el('h3', null, 'Coverage and utilization by region'),
		    el('p', { class: 'muted' }, 'Of the reservable usage ' +
		    '(provisioned Standard capacity beyond the free tier, ' +
		    'summed over the payer\'s accounts): today with the ' +
		    'reservations bought, and planned, after the ' +
		    'recommended changes, with the purchase.'),
		    el('div', { class: 'tablewrap' }, el('table',
		    { class: 'recs', 'data-testid': 'coverage' },
		    el('thead', null, el('tr', null, heads.map((h, i) =>
		    el('th', { class: cls[i] }, h)))),
		    el('tbody', null, rc.map((r) => {
			const x = d(r);
			const v = [r.region, r.account, DIMS[x.capacity] ||
			    x.capacity, number(x.existing_units, 0),
			    pct(x.coverage_today_pct), x.existing_units > 0 ?
			    pct(x.existing_utilization_today_pct) : '–',
			    number(x.units, 0), pct(x.coverage_planned_pct),
			    el('span', null, pct(x.utilization_pct),
			    x.existing_units > 0 ? el('small', { class:
			    'block' }, 'reserved now: ' +
			    pct(x.existing_utilization_pct)) : null)];
			return el('tr', { 'data-id': r.id }, v.map((c, i) =>
			    el('td', { class: cls[i], 'data-label': heads[i] },
			    c)));
		    }))))));
		for (const r of rc) {
			const p = r.profile || {};
			if (!Array.isArray(p.today) || !Array.isArray(p.planned) ||
			    typeof p.start !== 'number' ||
			    typeof p.step !== 'number' || p.step <= 0)
				continue;
			const x = d(r);
			const canvas = el('canvas', { 'data-testid':
			    'chart-commitment', 'data-id': r.id,
			    'aria-label': 'Hourly reservable usage' });
			parts.push(el('section', { class: 'panel' },
			    el('h3', null, 'Reserved ' + (DIMS[x.capacity] ||
			    x.capacity) + ' capacity, ' + r.region + ', payer ' +
			    r.account),
			    el('p', { class: 'muted' }, 'Capacity units billed ' +
			    'each hour, ' + (p.step === 3600 ? 'hour by hour' :
			    'each point the average of ' + (p.step / 3600) +
			    ' hours') + ', beyond the free tier; the lines ' +
			    'are the units reserved now (' +
			    number(x.existing_units, 0) + ') and with the ' +
			    number(x.units, 0) + ' to buy (' +
			    number(x.existing_units + x.units, 0) + ').'),
			    el('div', { class: 'chartbox wide' }, canvas)));
			draw.push([canvas, r, p]);
		}
	}
	for (const r of sp)
		parts.push(el('section', { class: 'panel' },
		    el('h3', null, 'Database Savings Plan, payer ' + r.account),
		    el('p', { 'data-testid': 'savings-plan' },
		    'Commit ' + money(d(r).hourly_usd, 3) + ' an hour for ' +
		    term(d(r).term) + ': ' + pct(d(r).utilization_pct) +
		    ' of it used, ' + pct(d(r).coverage_pct) + ' of the ' +
		    'eligible on-demand cost covered (after the changes and ' +
		    'the reserved capacity), saving ' +
		    money(r.monthly_savings_usd) + ' a month.')));
	viz.replaceChildren(...parts);
	for (const [canvas, r, p] of draw) {
		const x = d(r);
		const n = Math.min(p.today.length, p.planned.length, 2000);
		const labels = [];
		for (let i = 0; i < n; i++)
			labels.push(hour(p.start + i * p.step));
		const flat = (v) => labels.map(() => v);
		const sets = [
		    { label: 'today', data: p.today.slice(0, n),
		    borderColor: PALETTE[3], borderWidth: 1 },
		    { label: 'after the changes', data: p.planned.slice(0, n),
		    borderColor: PALETTE[0], borderWidth: 2 },
		    { label: 'reserved now', data: flat(x.existing_units),
		    borderColor: PALETTE[8], borderDash: [4, 4],
		    borderWidth: 1 },
		    { label: 'with the purchase', data: flat(x.existing_units +
		    x.units), borderColor: PALETTE[2], borderDash: [8, 4],
		    borderWidth: 2 }];
		chart(canvas, { type: 'line', data: { labels: labels,
		    datasets: sets.map((s) => Object.assign(s, {
		    pointRadius: 0, fill: false })) },
		    options: { maintainAspectRatio: false,
		    interaction: { mode: 'index', intersect: false },
		    plugins: { legend: { labels: { boxWidth: 14 } },
		    tooltip: { callbacks: { label: (c) => c.dataset.label +
		    ': ' + number(c.parsed.y, 0) + ' units' } } },
		    scales: { x: { ticks: { maxTicksLimit: narrow() ? 3 : 10,
		    maxRotation: 0, callback: (v) => narrow() ?
		    labels[v].slice(0, 5) : labels[v] } }, y: { beginAtZero: true, title: {
		    display: !narrow(), text: 'capacity units' } } } } });
	}
}

const ANALYSES = {
	capacity: capacityChart,
	table_class: classChart,
	utilization: utilChart,
	idle: idleChart,
	commitment: commitmentChart
};

/* The evidence ${obj} in words: "read: average units per second". */
/* The orders of the tables page: [label, compare]. */
const SORTS = {
	savings: ['savings', (a, b) => b.monthly_savings_usd -
	    a.monthly_savings_usd],
	cost: ['current cost', (a, b) => b.current_usd - a.current_usd],
	name: ['name', () => 0]
};

/* Every table analyzed that the global filters select, in the order
 * ${params}.sort says (savings, else current cost, else name): each
 * links to its page, which says what is recommended, or why nothing is. */
async function tablesPage(params) {
	const s = await api('/api/summary');
	const sort = SORTS[params.sort] ? params.sort : 'savings';
	const opt = (v, label) => el('option', { value: v }, label);
	const sel = (name, label, options) => el('label', null, label,
	    el('select', { name: name, 'data-testid': 'filter-' + name },
	    options));
	const form = el('form', { class: 'filters', 'data-testid': 'filters' },
	    sel('account', 'Account', [opt('', 'all')].concat(
	    (s.accounts || []).map((a) => opt(a, a)))),
	    sel('region', 'Region', [opt('', 'all')].concat(
	    (s.regions || []).map((r) => opt(r, r)))),
	    el('label', null, 'Minimum savings ($/month)',
	    el('input', { name: 'min_savings', type: 'number', min: '0',
	    step: 'any', 'data-testid': 'filter-min_savings' })),
	    el('label', null, 'Table name (RE2 regex)',
	    el('input', { name: 'table_regex', type: 'text',
	    placeholder: 'e.g. ^prod-', maxlength: '256',
	    'data-testid': 'filter-table_regex' })),
	    sel('sort', 'Sort by', Object.entries(SORTS).map(([k, v]) =>
	    opt(k, v[0]))),
	    el('button', { type: 'submit', 'data-testid': 'apply' },
	    'Apply'));
	for (const [k, v] of Object.entries(params))
		if (form.elements[k])
			form.elements[k].value = v;
	form.elements.sort.value = sort;
	const set = GLOBALS.some((k) => params[k]);
	const box = el('details', { class: 'filterbox',
	    open: !narrow() || set ? 'open' : null },
	    el('summary', null, 'Filters'), form);
	const out = el('div', null);
	page('Tables', box, out);
	const heads = [['Table', 'table'], ['Account', 'name'],
	    ['Region', 'name'], ['Current cost/month', 'num'],
	    ['Recommendations', 'change'],
	    ['Savings/month (pending or accepted)', 'num saving']];
	const cells = (r) => [tableLink(r), r.account, r.region,
	    el('span', { 'data-raw': r.current_usd }, money(r.current_usd),
	    r.indexes ? el('small', { class: 'block' }, 'with ' +
	    r.indexes + (r.indexes === 1 ? ' index' : ' indexes')) : null),
	    r.recommendations === 0 ? 'none: its page says why' :
	    r.recommendations === r.pending_or_accepted ?
	    r.recommendations + ' pending or accepted' : r.recommendations +
	    ', ' + r.pending_or_accepted + ' of them pending or accepted',
	    r.pending_or_accepted ?
	    money(r.monthly_savings_usd) : '–'];
	const load = async () => {
		const f = filtersOf(form);
		const order = SORTS[f.sort] ? f.sort : 'savings';
		delete f.sort;
		keep(f);
		history.replaceState(null, '', '#/tables' + query(
		    order === 'savings' ? null : { sort: order }, globals));
		let res;
		try {
			res = await api('/api/tables', globals);
		} catch (e) {
			out.replaceChildren(failure(e.message));
			return;
		}
		const rows = res.rows.slice().sort((a, b) =>
		    SORTS[order][1](a, b) ||
		    a.table.localeCompare(b.table) ||
		    a.account.localeCompare(b.account) ||
		    a.region.localeCompare(b.region));
		const none = rows.filter((r) => r.recommendations === 0)
		    .length;
		out.replaceChildren(el('p', { 'data-testid': 'tables-count',
		    'data-count': rows.length, 'data-analyzed': res.analyzed },
		    number(rows.length, 0) + ' tables' + (rows.length ===
		    res.analyzed ? ' analyzed' : ' of ' +
		    number(res.analyzed, 0) + ' analyzed') + ': ' +
		    number(rows.length - none, 0) + ' with recommendations, ' +
		    number(none, 0) + ' without; by ' + SORTS[order][0] + '.'),
		    rows.length ? el('div', { class: 'tablewrap' },
		    el('table', { class: 'recs', 'data-testid': 'tables',
		    'data-sort': order },
		    el('thead', null, el('tr', null, heads.map(([h, c]) =>
		    el('th', { class: c }, h)))),
		    el('tbody', { 'data-testid': 'rows' }, rows.map((r) =>
		    el('tr', { 'data-none': r.recommendations === 0 ?
		    'true' : null, 'data-cost': r.current_usd },
		    cells(r).map((v, i) => el('td', { class: heads[i][1],
		    'data-label': heads[i][0] }, v))))))) :
		    el('p', { class: 'muted', 'data-testid': 'empty' },
		    res.analyzed ? 'No table matches these filters.' :
		    'No table analyzed yet: run optima run on this ' +
		    'project directory.'));
		fit();
	};
	await reloadOn(form, load);
}

function kv(obj) {
	const rows = [];
	const value = (k, v) => k === 'scenario' ? SCENARIOS[v] || v :
	    k === 'table_class' ? tclass(v) : typeof v === 'number' ?
	    number(v, 3) : Array.isArray(v) ? v.join(', ') : String(v);
	const walk = (o, prefix) => {
		for (const [k, v] of Object.entries(o || {})) {
			if (v !== null && typeof v === 'object' &&
			    !Array.isArray(v))
				walk(v, prefix + word(k) + ': ');
			else
				rows.push(el('tr', null, el('th', null,
				    prefix + word(k)), el('td',
				    { class: typeof v === 'number' ? 'num' :
				    null }, k.endsWith('_usd') ? money(v) :
				    value(k, v))));
		}
	};
	walk(obj, '');
	return el('table', { class: 'kv' }, el('tbody', null, rows));
}

/* The recommendation of ${recs} that says where the table ends up: of
 * the table (not an index), the last of its steps (none names it in
 * "after"); or null. */
function decided(recs) {
	const t = recs.filter((r) => !r.index && r.recommended);
	const after = new Set(t.map((r) => r.after).filter(Boolean));
	return t.find((r) => !after.has(r.id)) || null;
}

/* The facts of the idle table of ${r}, in words. */
function idleFacts(r) {
	const x = r.details || {};
	return el('ul', { class: 'facts', 'data-testid': 'idle-facts' },
	    el('li', null, 'No read and no write in ' +
	    number(x.idle_days, 0) + ' days; ' + size(x.size_bytes) + ', ' +
	    number(x.item_count, 0) + ' items.'),
	    el('li', null, 'It costs ' + money(r.current_monthly_usd) +
	    ' a month now: ' + money(x.storage_usd) + ' storage, ' +
	    money(x.capacity_usd) + ' capacity, of which ' +
	    money(x.indexes_usd) + ' its indexes.'),
	    el('li', null, 'Kept ' + mode(x.keep_mode) + ' in ' +
	    tclass(x.keep_class) + ': ' + money(x.keep_usd) + ' a month, ' +
	    'saving ' + money(x.keep_savings_usd) + '.'),
	    el('li', null, typeof x.retire_savings_usd === 'number' ?
	    'Retired (an on-demand backup of ' + number(x.backup_gb, 2) +
	    ' GB, then the table deleted): ' + money(x.backup_usd) +
	    ' a month for the backup, saving ' +
	    money(x.retire_savings_usd) + '.' : 'Retired: no backup ' +
	    'price in the price list to tell what it saves.'));
}

/* The capacity the recommendation ${rec} sets, in words. */
function settingsText(rec) {
	const to = rec.recommended || {};
	const cap = to.capacity || {};
	if (to.billing_mode === 'PAY_PER_REQUEST')
		return 'no capacity to set, each request is paid for';
	if (to.scenario === 'provisioned_fixed')
		return 'a fixed ' + number(cap.read, 0) + ' read and ' +
		    number(cap.write, 0) + ' write units per second';
	const span = (c) => 'from ' + number(c.min, 0) + ' to ' +
	    number(c.max, 0) + ' units per second at ' + number(c.target, 0) +
	    ' % utilization';
	if (to.scenario === 'provisioned_autoscaled' && cap.read)
		return 'auto scaling ' + span(cap.read) + ' for reads, ' +
		    span(cap.write) + ' for writes';
	if (to.scenario === 'provisioned_autoscaled')
		return 'auto scaling ' + span(cap) + ', for reads and writes';
	return 'the capacity as it is';
}

/* The growth of the table of the current scenario ${cur}, in percent, as
 * optima-rank(1) judges it: the most its average or peak units per second
 * rose from the first days to the last, of reads or writes; Infinity for
 * demand at the end and none at the start; null without "growth". */
function growth(cur) {
	const g = (cur.evidence || {}).growth;
	if (!g)
		return null;
	let most = -Infinity;
	for (const d of ['read', 'write'])
		for (const k of ['avg', 'peak']) {
			const a = (g[d] || {})['first_' + k + '_units_per_s'];
			const b = (g[d] || {})['last_' + k + '_units_per_s'];
			if (typeof a !== 'number' || typeof b !== 'number')
				continue;
			most = Math.max(most, a > 0 ? 100 * (b / a - 1) :
			    b > 0 ? Infinity : 0);
		}
	return most === -Infinity ? null : most;
}

/* Which rule of optima-rank(1) keeps the table of ${cur} from the
 * cheaper option ${x}, in words; ${min} the minimum saving. */
function rule(cur, x, min) {
	const ev = cur.evidence || {};
	const util = (d) => (ev[d] || {}).utilization_pct;
	const when = cur.table_class_updated_epoch;
	if (cur.billing_mode === 'PROVISIONED' &&
	    x.scenario.startsWith('provisioned_') && util('read') >= 30 &&
	    util('write') >= 30)
		return 'its provisioned capacity is well used (' +
		    number(util('read'), 0) + ' % of reads, ' +
		    number(util('write'), 0) + ' % of writes, at or above ' +
		    'the 30 % under which optima-rank weighs other settings)';
	if (cur.billing_mode === 'PAY_PER_REQUEST' &&
	    x.scenario === 'provisioned_fixed') {
		const g = growth(cur);
		return g !== null && g > 10 ? 'the table grew (' +
		    (isFinite(g) ? number(g, 0) + ' %' : 'from nothing') +
		    ' from its first days to its last), and a fixed ' +
		    'capacity leaves no room for growth' : 'a fixed ' +
		    'capacity must cost ' + money(min) + ' less than auto ' +
		    'scaling to be chosen';
	}
	if (x.table_class !== cur.table_class && typeof when === 'number' &&
	    Date.now() / 1000 - when < 30 * 86400)
		return 'its class changed on ' + new Date(when * 1000)
		    .toISOString().slice(0, 10) + ', and AWS allows two ' +
		    'changes in 30 days';
	return 'a rule of optima-rank(1) rules it out (well used ' +
	    'capacity, growth, class changes)';
}

/*
 * Why the table of ${t} has no recommendation, from its scenarios and the
 * rules of optima-rank(1): {kind, text}; kind is optimal (its current
 * settings cost the least), minimum (the best saving is under
 * MIN_SAVINGS_THRESHOLD_USD), data (too few days to rule out growth, so
 * no fixed capacity for an on-demand table), throttle (a cheaper option
 * would throttle beyond the budget, none by default) or rules (other
 * rules: well used capacity, growth, class changes).  The sentence tells
 * the cheapest option and each other reason met before an option that
 * saves too little.
 */
function whyNone(t) {
	const tab = (t.scenarios || []).filter((x) => !x.index);
	const cur = tab.find((x) => x.scenario === 'current' &&
	    x.table_class === x.current_table_class);
	if (!cur || !cur.coverage)
		return { kind: 'data', text: 'Too little data: no metrics ' +
		    'for this table in its window.' };
	const min = typeof config.min_savings_usd === 'number' ?
	    config.min_savings_usd : 10;
	const days = typeof cur.observed_days === 'number' ?
	    cur.observed_days : cur.days;
	const cheaper = tab.filter((x) => x.monthly_usd <
	    cur.monthly_usd - 0.005).sort((a, b) => a.monthly_usd -
	    b.monthly_usd);
	const cap = cur.capacity || {};
	const as = cap.autoscaling || {};
	const range = (d) => as[d] ? d + ' ' + number(as[d].min, 0) + '–' +
	    number(as[d].max, 0) + ' at ' + number(as[d].target, 0) + ' %' :
	    d + ' ' + number(cap[d], 0);
	const now = cur.billing_mode === 'PAY_PER_REQUEST' ? 'on-demand' :
	    (Object.keys(as).length ? 'auto scaled, ' : 'provisioned ') +
	    range('read') + ', ' + range('write');
	if (!cheaper.length)
		return { kind: 'optimal', text: 'Already optimal: its ' +
		    'current settings, ' + now + ' in ' +
		    tclass(cur.table_class) + ', cost ' +
		    money(cur.monthly_usd) + ' a month, the least of its ' +
		    tab.length + ' options.' };
	const saves = (x) => money(cur.monthly_usd - x.monthly_usd) +
	    ' a month';
	const kind = (x) => x.scenario !== 'current' && x.scenario !==
	    'on_demand' && x.throttled_minutes > 0 ? 'throttle' :
	    x.scenario === 'provisioned_fixed' && cur.billing_mode ===
	    'PAY_PER_REQUEST' && days < 6 ? 'data' :
	    cur.monthly_usd - x.monthly_usd < min ? 'minimum' : 'rules';
	const say = {
		throttle: (x) => 'Would throttle: ' + option(x.scenario,
		    x.table_class) + ' would save ' + saves(x) +
		    ' but throttle ' + number(x.throttled_minutes, 0) +
		    ' minutes a month, and optima-rank allows no ' +
		    'throttling unless given a budget.',
		data: (x) => 'Too little data: judged on ' + number(days, 1) +
		    ' days, too few to rule out growth, so no fixed ' +
		    'capacity for an on-demand table (' + option(x.scenario,
		    x.table_class) + ' would save ' + saves(x) + ').',
		minimum: (x) => 'Below the minimum saving: the best option, ' +
		    option(x.scenario, x.table_class) + ', would save ' +
		    saves(x) + ', under the minimum of ' + money(min) +
		    ' (MIN_SAVINGS_THRESHOLD_USD).',
		rules: (x) => 'Ruled out by optima-rank\'s rules: ' +
		    option(x.scenario, x.table_class) + ' would save ' +
		    saves(x) + ', but ' + rule(cur, x, min) + '.'
	};
	const seen = [];
	for (const x of cheaper) {
		const k = kind(x);
		if (!seen.some((y) => y[0] === k))
			seen.push([k, x]);
		if (k === 'minimum' || k === 'rules')
			break;
	}
	return { kind: seen[0][0], text: seen.map(([k, x]) => say[k](x))
	    .join(' ') };
}

function timeChart(canvas, c, dim, rec) {
	const d = c[dim];
	const t0 = Date.parse(c.start);
	const labels = d.consumed.map((_, i) => {
		const t = new Date(t0 + i * c.step * 1000);
		return t.toISOString().slice(5, narrow() ? 10 : 16)
		    .replace('T', ' ');
	});
	const to = rec ? rec.recommended || {} : {};
	const sets = [
		{ label: 'consumed (peak units per second)',
		    data: d.consumed, borderColor: PALETTE[0],
		    backgroundColor: PALETTE[0] + '33', fill: true },
		{ label: to.scenario === 'provisioned_autoscaled' ?
		    'recommended: auto scaling (simulated)' :
		    'auto scaling, simulated (not recommended)',
		    data: d.autoscaled, borderColor: PALETTE[1],
		    backgroundColor: PALETTE[1] }
	];
	if (d.provisioned)
		sets.push({ label: 'provisioned now',
		    data: d.provisioned, borderColor: PALETTE[3],
		    backgroundColor: PALETTE[3], borderDash: [6, 4] });
	if (to.scenario === 'provisioned_fixed' && to.capacity &&
	    typeof to.capacity[dim] === 'number')
		sets.push({ label: 'recommended: fixed ' +
		    number(to.capacity[dim], 0),
		    data: d.consumed.map(() => to.capacity[dim]),
		    borderColor: PALETTE[2], backgroundColor: PALETTE[2],
		    borderWidth: 2.5 });
	for (const s of sets) {
		s.pointRadius = 0;
		s.borderWidth = s.borderWidth || 1.5;
		s.stepped = s.data !== d.consumed;
	}
	chart(canvas, { type: 'line', data: { labels: labels,
	    datasets: sets }, options: { maintainAspectRatio: false,
	    interaction: { mode: 'index', intersect: false },
	    plugins: { legend: { labels: { boxWidth: 14 } } },
	    scales: { x: { ticks: { maxTicksLimit: narrow() ? 4 : 10 } },
	    y: { beginAtZero: true, title: { display: !narrow(),
	    text: 'capacity units per second' } } } } });
}

async function tablePage(params) {
	const t = await api('/api/table', { account: params.account,
	    region: params.region, table: params.table });
	const rec = t.record || {};
	const facts = el('table', { class: 'kv' }, el('tbody', null,
	    [['Account', t.account], ['Region', t.region],
	    ['Billing mode', mode(rec.billing_mode)],
	    ['Table class', rec.table_class ? tclass(rec.table_class) :
	    undefined],
	    ['Read / write capacity', rec.billing_mode === 'PROVISIONED' ?
	    number(rec.read_capacity, 0) + ' / ' +
	    number(rec.write_capacity, 0) : '–'],
	    ['Size', typeof rec.size_bytes === 'number' ?
	    number(rec.size_bytes / 1073741824, 2) + ' GiB' : '–'],
	    ['Items', number(rec.item_count, 0)],
	    ['Indexes', (rec.indexes || []).map((i) => i.index).join(', ') ||
	    '–'],
	    ['Replicas', (rec.replicas || []).join(', ') || '–']]
	    .map(([k, v]) => el('tr', null, el('th', null, k),
	    el('td', null, v === undefined ? '–' : v)))));
	const tags = Object.entries(rec.tags || {});
	const tagList = el('ul', { class: 'tags', 'data-testid': 'tags' },
	    tags.map(([k, v]) => el('li', null, el('code', null, k), ' = ',
	    el('code', null, v))));

	const best = decided(t.recommendations);
	const why = t.recommendations.length ? null : whyNone(t);
	const recs = el('div', { 'data-testid': 'table-recs' },
	    t.recommendations.length ? t.recommendations.map((r) =>
	    el('section', { class: 'panel rec' },
	    el('h4', null, (TYPES[r.type] || r.type) + ': ' + r.change),
	    el('p', null, el('strong', null, money(r.monthly_savings_usd) +
	    '/month'), ' (' + money(r.annual_savings_usd) + '/year, ' +
	    pct(r.savings_pct) + '), confidence ' + r.confidence +
	    ', status ', el('span', { class: 'status ' + r.status },
	    r.status), ' ', el('small', null, r.id)),
	    el('p', null, r.reason),
	    r.type === 'idle' ? idleFacts(r) : null,
	    el('h5', null, r.type === 'idle' ? 'AWS CLI, to keep it' :
	    'AWS CLI'),
	    el('pre', { class: 'cli', 'data-testid': 'apply' }, r.apply),
	    r.type === 'idle' && r.retire_apply ? [el('h5', null,
	    'AWS CLI, to retire it (never run by optima)'),
	    el('pre', { class: 'cli', 'data-testid': 'retire-apply' },
	    r.retire_apply)] : null,
	    el('details', null, el('summary', null, 'Evidence'),
	    kv(r.evidence)),
	    config.allow_edits ? el('table', null, el('tbody', null,
	    el('tr', null, actions(r, () => route())))) : null)) :
	    el('p', { class: 'why', 'data-testid': 'why',
	    'data-why': why.kind }, 'No recommendation. ' + why.text));

	const order = ['current', 'on_demand', 'provisioned_autoscaled',
	    'provisioned_fixed'];
	const sc = t.scenarios.slice().sort((a, b) =>
	    (a.index || '').localeCompare(b.index || '') ||
	    order.indexOf(a.scenario) - order.indexOf(b.scenario) ||
	    a.table_class.localeCompare(b.table_class));
	const to = best ? best.recommended : {};
	const heads = ['Resource', 'Option', 'Class', 'Monthly', 'Read',
	    'Write', 'Storage', 'Throttled minutes a month',
	    'Throttled units a month'];
	/* Narrow, the "lo" columns are left out, even of the cards: the
	 * costs of reads, writes and storage, and the throttled units. */
	const cls = ['name', 'option', 'name', 'num', 'num lo', 'num lo',
	    'num lo', 'num', 'num lo'];
	const scen = el('table', { class: 'recs', 'data-testid': 'scenarios',
	    'data-slim-cards': 'true' },
	    el('thead', null, el('tr', null, heads.map((h, i) =>
	    el('th', { class: cls[i] }, h)))),
	    el('tbody', null, sc.map((s) => {
		const now = s.scenario === 'current' && s.table_class ===
		    s.current_table_class;
		const chosen = best && s.scenario === to.scenario &&
		    s.table_class === to.table_class;
		const bd = s.breakdown || {};
		const v = [s.index ? 'index ' + s.index : 'table',
		    el('span', null, SCENARIOS[s.scenario] || s.scenario,
		    now ? el('small', { class: 'tag' }, 'now') : null,
		    chosen ? el('small', { class: 'tag rec' },
		    'recommended') : null),
		    tclass(s.table_class), money(s.monthly_usd),
		    money(bd.read_usd), money(bd.write_usd),
		    money(bd.storage_usd), number(s.throttled_minutes, 0),
		    number(s.throttled_request_units, 0)];
		return el('tr', { class: [now ? 'now' : '', chosen ?
		    'recommended' : ''].join(' ').trim() || null,
		    'data-scenario': s.scenario, 'data-class': s.table_class,
		    'data-index': s.index || null },
		    v.map((x, i) => el('td', { class: cls[i],
		    'data-label': heads[i] }, x)));
	    })));

	const plots = el('div', null);
	const c = t.chart;
	const target = best ? el('p', { class: 'target',
	    'data-testid': 'recommended' }, el('strong', null,
	    'Recommended: '), option(to.scenario, to.table_class) + ': ' +
	    settingsText(best) + '.') : null;
	if (c) {
		const read = el('canvas', { 'data-testid': 'chart-read' });
		const write = el('canvas', { 'data-testid': 'chart-write' });
		const est = (d) => number(d.throttled_units, 0) +
		    ' units throttled in ' + number(d.throttled_minutes, 0) +
		    ' minutes over the window; ' + d.increases +
		    ' scale-outs, ' + d.decreases + ' scale-ins';
		plots.append(
		    el('p', { class: 'muted' }, c.start.slice(0, 10) + ' to ' +
		    c.end.slice(0, 10) + ', ' + (c.step / 60) +
		    '-minute points (each the peak of its interval).'),
		    target || '',
		    el('h4', null, 'Read'),
		    el('div', { class: 'chartbox wide' }, read),
		    el('p', { 'data-testid': 'throttle-read' },
		    'Simulated auto scaling: ' + est(c.read)),
		    el('h4', null, 'Write'),
		    el('div', { class: 'chartbox wide' }, write),
		    el('p', { 'data-testid': 'throttle-write' },
		    'Simulated auto scaling: ' + est(c.write)));
		page(t.table, el('div', { class: 'grid' },
		    el('section', { class: 'panel' }, el('h3', null,
		    'The table'), facts, el('h4', null, 'Tags'),
		    tags.length ? tagList : el('p', { class: 'muted' },
		    'none')),
		    el('section', { class: 'panel' }, el('h3', null,
		    'Recommendations'), recs)),
		    el('section', { class: 'panel' }, el('h3', null,
		    'Consumed, provisioned and recommended capacity'), plots),
		    el('section', { class: 'panel' }, el('h3', null,
		    'Cost of every option, a month'), el('div',
		    { class: 'tablewrap' }, scen)));
		timeChart(read, c, 'read', best);
		timeChart(write, c, 'write', best);
	} else {
		page(t.table, facts, tagList, recs, target,
		    el('p', { class: 'muted' }, 'No metrics for a chart.'),
		    scen);
	}
}

/* ---- routing ---- */

async function route() {
	const h = location.hash.replace(/^#\/?/, '');
	const [name, q] = h.split('?');
	const params = Object.fromEntries(new URLSearchParams(q || ''));
	delete document.body.dataset.ready;
	/* The global filters, as the address has them. */
	const g = {};
	for (const k of GLOBALS)
		g[k] = params[(name === 'table' ? 'f_' : '') + k];
	keep(g);
	menu(false);
	for (const a of document.querySelectorAll('nav a'))
		a.classList.toggle('active', a.dataset.page === (name ||
		    'dashboard'));
	try {
		/* The window of the analysis, as it is now. */
		config = await api('/api/config');
		if (name === '' || name === 'dashboard')
			await dashboard();
		else if (TYPES[name])
			await typePage(name, params);
		else if (name === 'table')
			await tablePage(params);
		else if (name === 'tables')
			await tablesPage(params);
		else
			page('Not found', el('p', null, 'No such page.'));
	} catch (e) {
		page('Error', failure(e.message));
	}
	fit();
	document.body.dataset.narrow = String(narrow());
	document.body.dataset.ready = h || 'dashboard';
}

/* Open or close the navigation, a menu on narrow screens. */
function menu(open) {
	document.querySelector('header').classList.toggle('open', open);
	document.getElementById('menu').setAttribute('aria-expanded',
	    String(open));
}

function theme(t) {
	document.documentElement.dataset.theme = t;
	localStorage.setItem('optima-theme', t);
}

async function start() {
	try {
		config = await api('/api/config');
	} catch (e) {
		page('Error', failure(e.message));
		return;
	}
	theme(localStorage.getItem('optima-theme') || config.theme);
	document.getElementById('theme').addEventListener('click', () => {
		theme(document.documentElement.dataset.theme === 'dark' ?
		    'light' : 'dark');
		route();
	});
	document.getElementById('menu').addEventListener('click', () =>
	    menu(!document.querySelector('header').classList.contains(
	    'open')));
	/* Charts are drawn for the layout, narrow or wide: the page is
	 * drawn again when the layout has changed and stays changed. */
	let timer = null, fitting = null;
	window.addEventListener('resize', () => {
		clearTimeout(fitting);
		fitting = setTimeout(fit, 100);
	});
	window.matchMedia(NARROW).addEventListener('change', () => {
		clearTimeout(timer);
		timer = setTimeout(() => {
			if (document.body.dataset.narrow !== String(narrow()))
				route();
		}, 300);
	});
	document.getElementById('mode').textContent = config.allow_edits ?
	    'decisions allowed' : 'read-only';
	document.getElementById('project').textContent = 'Project ' +
	    config.project;
	window.addEventListener('hashchange', route);
	await route();
}

document.addEventListener('DOMContentLoaded', start);
