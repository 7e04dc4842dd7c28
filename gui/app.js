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
	utilization: 'Utilization'
};
const STATUSES = ['pending', 'accepted', 'rejected', 'implemented'];
const MODES = { PROVISIONED: 'provisioned', PAY_PER_REQUEST: 'on-demand' };
const PALETTE = ['#2f6fde', '#e8833a', '#3aa657', '#c0392b', '#8e44ad',
	'#16a2b8', '#b8860b', '#d35494', '#607d8b', '#795548'];

let config = { theme: 'light', allow_edits: false, project: '' };
let charts = [];

/* ---- DOM ---- */

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

function money(v, digits) {
	if (typeof v !== 'number' || !isFinite(v))
		return '–';
	const d = digits === undefined ? 2 : digits;
	return v.toLocaleString('en-US', { style: 'currency',
	    currency: 'USD', minimumFractionDigits: d,
	    maximumFractionDigits: d });
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

function mode(m) {
	return MODES[m] || m || '–';
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
	main.replaceChildren(el('h2', null, title),
	    ...children.filter((c) => c !== null && c !== undefined));
	return main;
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
	const q = new URLSearchParams({ account: r.account, region: r.region,
	    table: r.table });
	return el('a', { href: '#/table?' + q.toString(),
	    class: 'tablelink' }, r.table);
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
	    el('th', null, k), el('td', { 'data-testid': 'status-' + k },
	    number(s.by_status[k] || 0, 0))))));
	const byConf = el('table', { class: 'stats' },
	    el('tbody', null, (s.by_confidence || []).map((c) =>
	    el('tr', null, el('th', null, c.name), el('td', null,
	    number(c.count, 0)), el('td', null, money(c.monthly_usd))))));
	const byType = el('table', { class: 'stats',
	    'data-testid': 'types' },
	    el('tbody', null, (s.by_type || []).map((c) =>
	    el('tr', null, el('th', null, el('a', { href: '#/' + c.name },
	    TYPES[c.name] || c.name)), el('td', { class: 'num' },
	    number(c.count, 0)), el('td', { class: 'num',
	    'data-testid': 'type-' + c.name, 'data-raw': c.monthly_usd },
	    money(c.monthly_usd))))));
	const byRegion = el('table', { class: 'stats',
	    'data-testid': 'regions' },
	    el('tbody', null, (s.by_region || []).map((c) =>
	    el('tr', null, el('th', null, c.name), el('td', null,
	    number(c.count, 0)), el('td', null, money(c.monthly_usd))))));
	page('Dashboard',
	    el('div', { class: 'cards' },
	    card('Potential savings per month', money(s.total_monthly_usd),
	    'total-monthly', s.total_monthly_usd),
	    card('Per year', money(s.total_annual_usd), 'total-annual',
	    s.total_annual_usd),
	    card('Recommendations (pending or accepted)', number(s.count, 0),
	    'count', s.count),
	    card('Tables analyzed', number(s.tables_analyzed, 0),
	    'tables-analyzed', s.tables_analyzed)),
	    s.recommendations === 0 ? el('p', { class: 'muted' },
	    'No recommendations yet: run optima run, or the analyze ' +
	    'commands, on this project directory.') : null,
	    el('div', { class: 'grid wide-right' },
	    el('section', { class: 'panel' }, el('h3', null,
	    'Savings by analysis type'), el('div', { class: 'chartbox' },
	    pie), byType),
	    el('section', { class: 'panel' }, el('h3', null,
	    'Top 10 tables by savings'), el('div', { class: 'chartbox tall' },
	    bar))),
	    el('div', { class: 'grid' },
	    el('section', { class: 'panel' }, el('h3', null,
	    'Savings by region'), el('div', { class: 'chartbox small' },
	    regions), byRegion),
	    el('section', { class: 'panel' }, el('h3', null,
	    'Summary statistics'),
	    el('p', null, number(s.recommendations, 0) +
	    ' recommendations in all, for ' + number(
	    (s.accounts || []).length, 0) + ' accounts and ' + number(
	    (s.regions || []).length, 0) + ' regions.'),
	    el('h4', null, 'By status'), byStatus,
	    el('h4', null, 'By confidence (pending or accepted)'), byConf)));
	const types = s.by_type || [];
	chart(pie, { type: 'pie', data: {
		labels: types.map((t) => TYPES[t.name] || t.name),
		datasets: [{ data: types.map((t) => t.monthly_usd),
		    backgroundColor: PALETTE }] },
	    options: { maintainAspectRatio: false, plugins: { tooltip: {
		callbacks: { label: (c) => c.label + ': ' +
		    money(c.parsed) + '/month' } } } } });
	const top = s.top_tables || [];
	chart(bar, { type: 'bar', data: {
		labels: top.map((t) => [t.table, t.region + ' ' + t.account]),
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
		common.splice(1, 0, ['Index', (r) => r.index || '', 'name']);
	const tail = [
		['Savings/month', (r) => el('span', null,
		    money(r.monthly_savings_usd), el('small',
		    { class: 'block' }, pct(r.savings_pct))), 'num'],
		['Confidence', (r) => r.confidence],
		['Status', (r) => el('span', { class: 'status ' + r.status },
		    r.status)]
	];
	const d = (r) => r.details || {};
	const mid = {
		capacity: [
			['Current', (r) => mode(d(r).current_mode), 'name'],
			['Recommended', (r) => mode(d(r).recommended_mode),
			    'name'],
			['Change', (r) => r.change, 'change'],
			['On-demand', (r) => money(d(r).on_demand_usd), 'num'],
			['Auto scaled', (r) => {
				const a = d(r).autoscaling;
				return el('span', null,
				    money(d(r).autoscaled_usd),
				    a ? el('small', { class: 'block' }, a.min + '–' +
				    a.max + ' at ' + a.target + ' %, ' +
				    number(d(r).autoscaled_throttled_minutes,
				    0) + ' min throttled') : null);
			}, 'num wrap'],
			['Fixed', (r) => money(d(r).fixed_usd), 'num']
		],
		table_class: [
			['Mode', (r) => mode((r.current || {}).billing_mode)],
			['Change', (r) => r.change],
			['Storage / throughput', (r) =>
			    d(r).storage_to_throughput === null ? '–' :
			    number(d(r).storage_to_throughput, 2), 'num'],
			['Standard', (r) => money(d(r).standard_usd), 'num'],
			['Standard-IA', (r) => money(d(r).standard_ia_usd),
			    'num']
		],
		utilization: [
			['Resource', (r) => d(r).resource],
			['Utilization R/W', (r) =>
			    pct(d(r).read_utilization_pct) + ' / ' +
			    pct(d(r).write_utilization_pct), 'num'],
			['Current R/W', (r) => number(d(r).current_read, 0) +
			    ' / ' + number(d(r).current_write, 0), 'num'],
			['Recommended R/W', (r) =>
			    number(d(r).recommended_read, 0) + ' / ' +
			    number(d(r).recommended_write, 0), 'num'],
			['Change', (r) => r.change]
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
	return el('td', { class: 'actions' }, b('Accept', 'accepted'),
	    b('Reject', 'rejected'));
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
	const status = el('div', { class: 'result' });
	const csv = el('a', { class: 'button', 'data-testid': 'csv',
	    download: 'optima-' + type + '.csv' }, 'Export CSV');
	const out = el('div', { class: 'tablewrap' });
	page(TYPES[type] + ' recommendations', form,
	    el('div', { class: 'bar' }, status, csv), out);

	const load = async () => {
		const f = Object.assign(filtersOf(form), { type: type });
		const q = new URLSearchParams(f);
		csv.setAttribute('href', '/api/recommendations.csv?' +
		    q.toString());
		/* Keep the filters in the address, for reloads and links. */
		const h = new URLSearchParams(filtersOf(form)).toString();
		history.replaceState(null, '', '#/' + type + (h ? '?' + h :
		    ''));
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
		status.replaceChildren(el('span', { 'data-testid': 'count',
		    'data-raw': res.count }, number(res.count, 0) +
		    ' recommendations, '), el('strong', {
		    'data-testid': 'filtered-total',
		    'data-raw': res.total_monthly_usd },
		    money(res.total_monthly_usd) + '/month'),
		    ' (' + money(res.total_annual_usd) + '/year)');
		const cols = columns(type);
		const head = el('tr', null, cols.map((c) => el('th',
		    { class: c[2] }, c[0])), config.allow_edits ?
		    el('th', null, 'Decision') : null);
		const body = el('tbody', { 'data-testid': 'rows' },
		    res.rows.map((r) => el('tr', { 'data-id': r.id },
		    cols.map((c) => el('td', { class: c[2] }, c[1](r))),
		    actions(r, load))));
		out.replaceChildren(res.rows.length ? el('table',
		    { class: 'recs' }, el('thead', null, head), body) :
		    el('p', { class: 'muted', 'data-testid': 'empty' },
		    'No recommendation matches these filters.'));
		if (type === 'utilization') {
			const g = res.rows.filter((r) => r.index).length;
			out.append(el('p', { class: 'muted' },
			    (res.rows.length - g) + ' tables, ' + g +
			    ' global secondary indexes.'));
		}
	};
	form.addEventListener('submit', (ev) => {
		ev.preventDefault();
		load();
	});
	for (const e of form.querySelectorAll('select'))
		e.addEventListener('change', load);
	await load();
}

function kv(obj) {
	const rows = [];
	const walk = (o, prefix) => {
		for (const [k, v] of Object.entries(o || {})) {
			if (v !== null && typeof v === 'object' &&
			    !Array.isArray(v))
				walk(v, prefix + k + '.');
			else
				rows.push(el('tr', null, el('th', null,
				    prefix + k), el('td', null,
				    typeof v === 'number' ? number(v, 3) :
				    Array.isArray(v) ? v.join(', ') :
				    String(v))));
		}
	};
	walk(obj, '');
	return el('table', { class: 'kv' }, el('tbody', null, rows));
}

function timeChart(canvas, c, dim) {
	const d = c[dim];
	const t0 = Date.parse(c.start);
	const labels = d.consumed.map((_, i) => {
		const t = new Date(t0 + i * c.step * 1000);
		return t.toISOString().slice(5, 16).replace('T', ' ');
	});
	const sets = [
		{ label: 'consumed (peak units/s)', data: d.consumed,
		    borderColor: PALETTE[0], backgroundColor: PALETTE[0] +
		    '33', fill: true },
		{ label: 'simulated auto scaling', data: d.autoscaled,
		    borderColor: PALETTE[1], backgroundColor: PALETTE[1] }
	];
	if (d.provisioned)
		sets.push({ label: 'provisioned (current)',
		    data: d.provisioned, borderColor: PALETTE[3],
		    backgroundColor: PALETTE[3], borderDash: [6, 4] });
	for (const s of sets) {
		s.pointRadius = 0;
		s.borderWidth = 1.5;
		s.stepped = s.data !== d.consumed;
	}
	chart(canvas, { type: 'line', data: { labels: labels,
	    datasets: sets }, options: { maintainAspectRatio: false,
	    interaction: { mode: 'index', intersect: false },
	    scales: { x: { ticks: { maxTicksLimit: 10 } },
	    y: { beginAtZero: true, title: { display: true,
	    text: 'capacity units per second' } } } } });
}

async function tablePage(params) {
	const t = await api('/api/table', { account: params.account,
	    region: params.region, table: params.table });
	const rec = t.record || {};
	const facts = el('table', { class: 'kv' }, el('tbody', null,
	    [['Account', t.account], ['Region', t.region],
	    ['Billing mode', mode(rec.billing_mode)],
	    ['Table class', rec.table_class],
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
	    el('h5', null, 'AWS CLI'),
	    el('pre', { class: 'cli', 'data-testid': 'apply' }, r.apply),
	    el('details', null, el('summary', null, 'Evidence'),
	    kv(r.evidence)),
	    config.allow_edits ? el('table', null, el('tbody', null,
	    el('tr', null, actions(r, () => route())))) : null)) :
	    el('p', { class: 'muted' }, 'No recommendation for this table.'));

	const order = ['current', 'on_demand', 'provisioned_autoscaled',
	    'provisioned_fixed'];
	const sc = t.scenarios.slice().sort((a, b) =>
	    (a.index || '').localeCompare(b.index || '') ||
	    order.indexOf(a.scenario) - order.indexOf(b.scenario) ||
	    a.table_class.localeCompare(b.table_class));
	const scen = el('table', { class: 'recs', 'data-testid': 'scenarios' },
	    el('thead', null, el('tr', null, ['Resource', 'Scenario',
	    'Class', 'Monthly', 'Read', 'Write', 'Storage',
	    'Throttled min/month', 'Throttled units/month'].map((h) =>
	    el('th', null, h)))),
	    el('tbody', null, sc.map((s) => el('tr', {
	    class: s.scenario === 'current' && s.table_class ===
	    s.current_table_class ? 'now' : null },
	    el('td', null, s.index ? 'index ' + s.index : 'table'),
	    el('td', null, s.scenario), el('td', null, s.table_class),
	    el('td', { class: 'num' }, money(s.monthly_usd)),
	    el('td', { class: 'num' }, money((s.breakdown || {}).read_usd)),
	    el('td', { class: 'num' }, money((s.breakdown || {}).write_usd)),
	    el('td', { class: 'num' },
	    money((s.breakdown || {}).storage_usd)),
	    el('td', { class: 'num' }, number(s.throttled_minutes, 0)),
	    el('td', { class: 'num' },
	    number(s.throttled_request_units, 0))))));

	const plots = el('div', null);
	const c = t.chart;
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
		    'Consumed and provisioned capacity'), plots),
		    el('section', { class: 'panel' }, el('h3', null,
		    'Cost of every scenario'), el('div',
		    { class: 'tablewrap' }, scen)));
		timeChart(read, c, 'read');
		timeChart(write, c, 'write');
	} else {
		page(t.table, facts, tagList, recs, el('p', { class: 'muted' },
		    'No metrics for a chart.'), scen);
	}
}

/* ---- routing ---- */

async function route() {
	const h = location.hash.replace(/^#\/?/, '');
	const [name, query] = h.split('?');
	const params = Object.fromEntries(new URLSearchParams(query || ''));
	delete document.body.dataset.ready;
	for (const a of document.querySelectorAll('nav a'))
		a.classList.toggle('active', a.dataset.page === (name ||
		    'dashboard'));
	try {
		if (name === '' || name === 'dashboard')
			await dashboard();
		else if (TYPES[name])
			await typePage(name, params);
		else if (name === 'table')
			await tablePage(params);
		else
			page('Not found', el('p', null, 'No such page.'));
	} catch (e) {
		page('Error', failure(e.message));
	}
	document.body.dataset.ready = h || 'dashboard';
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
	document.getElementById('mode').textContent = config.allow_edits ?
	    'decisions allowed' : 'read-only';
	document.getElementById('project').textContent = 'Project ' +
	    config.project;
	window.addEventListener('hashchange', route);
	await route();
}

document.addEventListener('DOMContentLoaded', start);
