// Hearth dashboard: six views (URL hash), live over SSE or polling.

const $ = (id) => document.getElementById(id);
const text = (id, s) => { $(id).textContent = s; };
const enc = encodeURIComponent;
const VIEWS = ['pool', 'power', 'energy', 'jobs', 'market', 'streams'];
const SPANS = { '15m': 900, '1h': 3600, '24h': 86400, '7d': 604800 };
const NA = '–';

// out: logged out; names: device ID -> name; job: the job shown.
const S = { role: '', view: '', out: false, members: [], names: new Map(), budgets: {},
	jobs: null, job: '', energy: null, cursor: '', es: null, timer: 0 };

// Power: P = {step (s), pool, dev: Map(id -> {id, name, s}), newest}; samples
// oldest first, given ms (their time) and x (seconds, cut to the step).
let P = null, span = '1h', seq = 0;
// navAt: when the page (0) or a hash change last navigated, on
// performance's clock; the power plot's first draw after it is timed.
let navAt = 0;
let chart = null, chartKey = '', energyChart = null;

// Talking to the gateway

// api GETs path, or POSTs body as JSON; errors carry the server's message.
async function api(path, body) {
	const init = body && { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
	const res = await fetch(path, init).catch(() => null);
	if (!res) throw Object.assign(new Error('The gateway cannot be reached.'), { status: 0 });
	const data = await res.json().catch(() => null);
	if (res.ok) return data;
	if (res.status === 401) loggedOut();
	// Errors are gateway/api.Error's {"code", "error"}.
	throw Object.assign(new Error(data?.error || `HTTP ${res.status}`), { status: res.status });
}

function showError(e) {
	text('error', e.message || e);
	$('error').hidden = S.out;
}

// act runs a mutation started by button b, disabled meanwhile.
async function act(b, fn) {
	b.disabled = true;
	try { await fn(); $('error').hidden = true; } catch (e) { showError(e); }
	b.disabled = false;
}

function loggedOut() {
	S.out = true;
	S.es?.close();
	clearTimeout(S.timer);
	for (const id of ['main', 'nav', 'error', 'live', 'who', 'logout']) $(id).hidden = true;
	$('login').hidden = false;
}

// Formatting

const num = (v, d = 1) => (v == null ? NA : v.toFixed(d));
const watts = (v) => (v == null ? NA : `${num(v)} W`);
const energy = (wh) => (wh >= 1000 ? `${(wh / 1000).toFixed(2)} kWh` : `${num(wh)} Wh`);
const when = (t) => (t ? new Date(t).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' }) : NA);
const nameOf = (id) => (id ? S.names.get(id) || id.slice(0, 7) : NA);
const css = (v) => getComputedStyle(document.body).getPropertyValue(v).trim();

function bytes(n) {
	let i = 0;
	for (; n >= 1024 && i < 4; i++) n /= 1024;
	return n ? `${n.toFixed(i && n < 10 ? 1 : 0)} ${['B', 'KiB', 'MiB', 'GiB', 'TiB'][i]}` : NA;
}

// ago says how long before now t was.
function ago(t) {
	const ms = Date.parse(t), s = Math.max(0, Date.now() - ms) / 1000;
	if (!(ms > 1e12)) return 'never'; // Go's zero time
	return s < 60 ? `${s | 0} s ago` : s < 3600 ? `${s / 60 | 0} min ago` : s < 86400 ? `${s / 3600 | 0} h ago` : `${s / 86400 | 0} d ago`;
}

const wei = (v) => { try { return BigInt(v || 0); } catch { return 0n; } };

// eth writes wei (a BigInt) in ether, to at most 6 places.
function eth(w) {
	const s = String(w / 10n ** 12n).padStart(7, '0'), frac = s.slice(-6).replace(/0+$/, '');
	return `${s.slice(0, -6)}${frac && '.' + frac} ETH`;
}

// Tables

const h = (tag, props) => Object.assign(document.createElement(tag), props);

// button gives row tr its action button, made once and kept.
const button = (tr, label) => tr.btn || (tr.btn = h('button', { type: 'button', textContent: label }));

// fill sets a row's cells to vals: text, or a node (kept if already in).
function fill(tr, vals) {
	vals.forEach((v, i) => {
		const td = tr.cells[i] || tr.insertCell();
		if (v instanceof Node) {
			if (td.firstChild !== v) td.replaceChildren(v);
		} else if (td.textContent !== String(v ?? '') || td.firstElementChild) td.textContent = v ?? '';
	});
}

// syncRows matches table id's rows to items by data-id, updated in place.
function syncRows(id, items, key, fillRow) {
	const body = $(id).tBodies[0], old = new Map([...body.rows].map((r) => [r.dataset.id, r]));
	items.forEach((it, i) => {
		const k = String(key(it));
		let tr = old.get(k);
		if (tr) old.delete(k);
		else (tr = document.createElement('tr')).dataset.id = k;
		fillRow(tr, it);
		if (body.rows[i] !== tr) body.insertBefore(tr, body.rows[i] || null);
	});
	for (const r of old.values()) r.remove();
}

// mark gives cell i of tr a class: s-STATE (a colour), or note.
const mark = (tr, i, cls) => { tr.cells[i].className = cls; };

const setLive = (mode) => Object.assign($('live'), { textContent: mode, className: mode, hidden: S.out });

// Pool

function setMembers(list) {
	const name = (m) => m.node?.name || m.id.slice(0, 7);
	S.members = (list || []).sort((a, b) => name(a).localeCompare(name(b)) || a.id.localeCompare(b.id));
	for (const m of S.members) S.names.set(m.id, name(m));
	if (S.view === 'pool') renderPool();
	if (S.view === 'power') fillDevices();
}

function renderPool() {
	const ready = S.members.filter((m) => m.state === 'ready');
	const sum = (k) => ready.reduce((a, m) => a + (m.power?.[k] || 0), 0);
	// The devices' budgets include their share of a pool total.
	const total = S.budgets.total_w;
	text('total-ready', `${ready.length} / ${S.members.length}`);
	text('total-watts', watts(sum('watts')));
	text('total-budget', watts(sum('budget_w')) + (total ? ` (limit ${watts(total)})` : ''));
	syncRows('pool-table', S.members, (m) => m.id, (tr, m) => {
		const p = m.power, n = m.node || {};
		const notes = [m.refusing, m.quarantined && `quarantined: ${m.quarantined}`,
			p?.paused && `paused ${(p.reasons || []).join('; ')}`, p?.sensor_error];
		fill(tr, [nameOf(m.id), m.state, n.arch, (n.runtimes || []).join(', '), m.temp_c == null ? NA : `${num(m.temp_c)} °C`,
			wattCell(tr, p), num(m.load1, 2), bytes(m.memory_free), `${m.running} / ${m.completed}`, ago(m.last_seen),
			notes.filter(Boolean).join(' · '), S.role === 'admin' && m.state === 'pending' ? button(tr, 'Approve') : '']);
		tr.title = m.id;
		mark(tr, 1, `s-${m.state}`);
		mark(tr, 10, 'note');
	});
}

// wattCell: a small bar of watts against budget, and the numbers.
function wattCell(tr, p) {
	if (!p) return NA;
	tr.bar = tr.bar || h('span', { className: 'watt', innerHTML: '<span class="bar"><i></i></span><span></span>' });
	const [bar, label] = tr.bar.children, b = p.budget_w;
	bar.firstChild.style.width = `${b > 0 ? Math.min(100, (100 * p.watts) / b) : 0}%`;
	bar.classList.toggle('over', p.watts > b);
	label.textContent = `${num(p.watts)} / ${num(b)} W`;
	return tr.bar;
}

// Power

async function loadPower(sp) {
	span = sp;
	for (const b of $('spans').children) b.ariaPressed = b.dataset.span === sp;
	const my = ++seq, p = await api(`/v1/pool/power?since=${sp}`);
	if (my !== seq) return; // another span was asked for since
	P = { step: p.step_s || 1, pool: [], dev: new Map(), newest: null, sig: [] };
	merge(p);
	drawPower();
}

// merge appends newer samples and drops those older than the span; a pool
// second that comes again summing more devices replaces the one held.
function merge(p) {
	if ((p.step_s || 1) !== P?.step) return;
	const prep = (s) => {
		s.ms = Date.parse(s.t);
		s.x = Math.floor(s.ms / 1000 / P.step) * P.step;
		if (!P.newest || s.ms > P.newest.ms) P.newest = s;
		return s;
	};
	for (const d of p.devices || []) {
		if (!P.dev.has(d.id)) P.dev.set(d.id, { id: d.id, s: [] });
		const dev = P.dev.get(d.id), a = dev.s;
		dev.name = d.name || dev.name;
		for (const s of (d.samples || []).map(prep)) {
			const last = a[a.length - 1];
			if (!last || s.ms > last.ms) a.push(s);
		}
	}
	const a = P.pool;
	for (const s of (p.pool || []).map(prep)) {
		let i = a.length - 1;
		if (i < 0 || s.ms > a[i].ms) a.push(s);
		else {
			while (i > 0 && a[i].ms > s.ms) i--;
			if (a[i].ms === s.ms && s.devices > a[i].devices) a[i] = s;
		}
	}
	// Signals are steps: a point holds until the next; only changes after
	// the last one held are new.
	for (const g of p.signals || []) {
		const ms = Date.parse(g.t), last = P.sig[P.sig.length - 1];
		if (!last || ms > last.ms) P.sig.push({ ms, solar: g.solar_w ?? null, heat: g.heat ?? null });
	}
	const cut = P.newest ? P.newest.ms - SPANS[span] * 1000 : 0;
	const keep = (arr) => arr.filter((s) => s.ms >= cut);
	const held = P.sig.findLastIndex((g) => g.ms <= cut);
	if (held > 0) P.sig = P.sig.slice(held);
	P.pool = keep(P.pool);
	for (const [id, d] of P.dev) if (!(d.s = keep(d.s)).length) P.dev.delete(id);
}

function chartSize(box) {
	const width = Math.max(280, box.clientWidth - 16);
	return { width, height: Math.round(Math.min(380, Math.max(220, width * 0.45))) };
}

const axis = (unit) => ({ stroke: css('--muted'), grid: { stroke: css('--grid') }, ticks: { show: false },
	...(unit && { size: 64, values: (u, vs) => vs.map((v) => `${+v.toFixed(3)} ${unit}`) }) });
// Time ticks of whole seconds and up (uPlot would tick milliseconds on a
// short span).
const timeAxis = () => ({ ...axis(), incrs: [1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800] });
const zeroUp = { range: (u, lo, hi) => [0, hi > 0 ? hi * 1.1 : 1] };
// A build without the chart library (no make ui) shows its tables only.
const noCharts = (box) => !window.uPlot && (box.textContent = 'This build has no charts (make ui).');

function drawPower() {
	const box = $('power-chart');
	if (S.view !== 'power' || !P || noCharts(box)) return;
	const label = (d) => d.name || nameOf(d.id);
	const devs = [...P.dev.values()]; // in the gateway's order, by name
	// x, the pool's watts and budget, then each device's on the same x.
	const xs = P.pool.map((s) => s.x), at = new Map(xs.map((x, i) => [x, i]));
	const data = [xs, P.pool.map((s) => s.watts), P.pool.map((s) => s.budget_w)];
	for (const d of devs) {
		const w = xs.map(() => null), b = [...w];
		for (const s of d.s) if (at.has(s.x)) [w[at.get(s.x)], b[at.get(s.x)]] = [s.watts, s.budget_w];
		data.push(w, b);
	}
	// The signals on the same x: the step in force at each second.
	const sigAt = (f) => { let j = -1; return xs.map((x) => { while (j + 1 < P.sig.length && P.sig[j + 1].ms <= x * 1000) j++; return j < 0 ? null : P.sig[j][f]; }); };
	const solar = sigAt('solar'), heat = sigAt('heat').map((v) => (v === null ? null : v * 100));
	const hasSolar = solar.some((v) => v !== null), hasHeat = heat.some((v) => v !== null);
	if (hasSolar) data.push(solar);
	if (hasHeat) data.push(heat);
	const key = `${P.step} ${devs.map(label)} ${hasSolar} ${hasHeat}`;
	if (chart && key === chartKey) {
		if (chart.width !== chartSize(box).width) chart.setSize(chartSize(box)); // resized while hidden
		return chart.setData(data);
	}
	chart?.destroy();
	chartKey = key;
	const stepped = uPlot.paths.stepped({ align: 1 }), value = (u, v) => watts(v);
	const series = [{}, { label: 'Pool', stroke: css('--fg'), width: 2, value },
		{ label: 'Pool budget', stroke: css('--muted'), width: 2, paths: stepped, value }];
	// A device's budget: dashed, hidden at first when there are many.
	devs.forEach((d, i) => {
		const stroke = `hsl(${(210 + i * 137.5) % 360} 60% 50%)`; // hues a golden angle apart
		series.push({ label: label(d), stroke, width: 1.5, spanGaps: true, value },
			{ label: `${label(d)} budget`, stroke, dash: [5, 4], paths: stepped, spanGaps: true, value, show: devs.length < 5 });
	});
	if (hasSolar) series.push({ label: 'Solar surplus', stroke: css('--solar'), width: 2, paths: stepped, value });
	if (hasHeat) series.push({ label: 'Heat demand', stroke: css('--heat'), width: 2, dash: [2, 3], paths: stepped, scale: '%', value: (u, v) => (v === null ? '–' : `${Math.round(v)} %`) });
	// For a browser test: the points drawn, the pool's budget now, and the
	// ms from the navigation to the first draw.
	const drawn = (u) => {
		const b = u.data[2];
		Object.assign(box.dataset, { points: b.length, budgetW: b.length ? +b[b.length - 1].toFixed(2) : '', drawn: 1 });
		if (navAt !== null) window.hearthPlotDrawnAt = performance.now() - navAt;
		navAt = null;
	};
	const axes = [timeAxis(), axis('W')];
	if (hasHeat) axes.push({ ...axis('%'), scale: '%', side: 1, grid: { show: false } });
	const opts = { ...chartSize(box), series, scales: { y: zeroUp, '%': { range: [0, 100] } }, axes, hooks: { draw: [drawn] } };
	chart = new uPlot(opts, data, box);
}

// The budget form (admins): a device's budget, or the pool's total.
function fillDevices() {
	const sel = $('budget-device');
	if (!sel || !S.members.length) return;
	const cur = sel.selectedIndex < 0 ? null : sel.value;
	const opts = S.members.filter((m) => m.state !== 'pending').map((m) => [nameOf(m.id), m.id]);
	opts.push(['the pool (total)', '']);
	if (sel.dataset.opts === String(opts)) return; // rebuilding would close it
	sel.dataset.opts = opts;
	sel.replaceChildren(...opts.map(([t, v]) => new Option(t, v)));
	if (cur !== null) sel.value = cur;
	if (sel.selectedIndex < 0) sel.selectedIndex = 0;
}

function setBudget(e) {
	e.preventDefault();
	const dev = $('budget-device').value;
	// A device keeps the rest of its policy (schedule, temperatures).
	const policy = { ...(dev && S.budgets.devices?.[dev]), watts: +$('budget-watts').value };
	act(e.submitter || $('budget-set'), async () => {
		S.budgets = await api('/v1/pool/budget', { device: dev || undefined, policy });
		setMembers(await api('/v1/pool/members'));
	});
}

// Energy

async function loadEnergy() {
	S.energy = (await api('/v1/pool/energy?days=30')) || [];
	if (S.view === 'energy') drawEnergy();
}

function drawEnergy() {
	const list = S.energy, box = $('energy-chart');
	if (!list) return;
	// The gateway sorts by day, then device: newest first here.
	syncRows('energy-table', [...list].reverse(), (d) => d.day + d.node, (tr, d) => fill(tr, [d.day, d.name || nameOf(d.node),
		d.tasks, energy(d.task_wh), energy(d.device_wh), num(d.sample_s / 3600)]));
	if (noCharts(box)) return;
	// The pool's [device Wh, tasks Wh] per day.
	const days = new Map();
	for (const d of list) {
		if (!days.has(d.day)) days.set(d.day, [0, 0]);
		days.get(d.day)[0] += d.device_wh;
		days.get(d.day)[1] += d.task_wh;
	}
	const keys = [...days.keys()].sort(), col = (i) => keys.map((k) => days.get(k)[i] / 1000);
	const value = (u, v) => (v == null ? NA : `${v.toFixed(3)} kWh`);
	const bars = (label, color, size) => ({ label, fill: css(color), stroke: css(color), value,
		paths: uPlot.paths.bars({ size: [size, 40] }), points: { show: false } });
	energyChart?.destroy();
	// The tasks' bar is drawn narrower, over the devices' whole energy.
	energyChart = new uPlot({ ...chartSize(box),
		series: [{}, bars("Devices' whole energy", '--bar', 0.8), bars("Tasks' energy", '--accent', 0.4)],
		scales: { x: { time: true, range: (u, lo, hi) => [lo - 43200, hi + 43200] }, y: zeroUp },
		axes: [timeAxis(), axis('kWh')] }, [keys.map((k) => new Date(`${k}T00:00`) / 1000), col(0), col(1)], box);
}

// Jobs

function setJobs(list) {
	S.jobs = (list || []).sort((a, b) => Date.parse(b.created) - Date.parse(a.created) || b.id.localeCompare(a.id));
	if (S.view === 'jobs') renderJobs();
	if (S.job) showJob(S.job).catch(showError); // the job shown may have moved on
}

function renderJobs() {
	$('jobs-empty').hidden = S.jobs.length > 0;
	syncRows('jobs-table', S.jobs, (j) => j.id, (tr, j) => {
		const c = j.counts, total = Object.values(c).reduce((a, n) => a + n, 0);
		fill(tr, [j.id, j.spec?.name || NA, j.state, `${c.done}/${total}${c.failed ? `, ${c.failed} failed` : ''}`,
			when(j.created), S.role === 'admin' && j.state === 'running' ? button(tr, 'Cancel') : '']);
		mark(tr, 2, `s-${j.state}`);
		tr.classList.toggle('sel', j.id === S.job);
	});
}

async function showJob(id) {
	S.job = id;
	const d = await api(`/v1/jobs/${enc(id)}`);
	if (S.job !== id) return;
	for (const tr of $('jobs-table').tBodies[0].rows) tr.classList.toggle('sel', tr.dataset.id === id);
	text('job-title', [`Job ${id}`, d.spec?.name, d.state, d.energy_wh && energy(d.energy_wh)].filter(Boolean).join(' · '));
	syncRows('job-tasks', d.tasks || [], (t) => t.index, (tr, t) => {
		const res = t.result, cert = t.certification;
		const votes = (t.replicas || []).map((v) => `${nameOf(v.node)} ${v.vote || v.state}${v.ringer ? ' (check)' : ''}`);
		if (cert) votes.push(cert.how ? `${cert.how} ${Math.round(cert.confidence * 100)}%` : cert.waiting);
		fill(tr, [t.index, t.state, nameOf(t.node), t.attempt, res ? (res.failure ? `${res.failure} ${res.reason || ''}` : res.exit_code) : NA,
			res ? `${(res.wall_ms / 1000).toFixed(1)} s` : NA, res?.energy_wh ? energy(res.energy_wh) : NA, votes.filter(Boolean).join(', ')]);
		mark(tr, 1, `s-${t.state}`);
		tr.title = (t.history || []).join('\n'); // why earlier attempts ended
	});
	$('job-detail').hidden = false;
}

// Market

async function loadMarket() {
	let info, orders;
	try {
		[info, orders] = await Promise.all([api('/v1/market/info'), api('/v1/market/orders')]);
	} catch (e) {
		if (e.status !== 404 && e.status !== 503) throw e;
	}
	$('market-off').hidden = !!info;
	$('market-on').hidden = !info;
	if (!info) return;
	orders = (orders || []).sort((a, b) => b.id - a.id);
	const price = (o) => wei(o.price_per_task) * BigInt(o.tasks || 0);
	const sum = (...states) => orders.reduce((a, o) => a + (states.includes(o.state) ? price(o) : 0n), 0n);
	// Earned: settled orders; in escrow: accepted, not paid yet.
	text('market-earned', eth(sum('settled')));
	text('market-escrow', eth(sum('accepting', 'running', 'settling', 'revealing', 'failed')));
	text('market-info', [info.paused && `Paused: ${info.paused}`, info.warning].filter(Boolean).join(' · '));
	syncRows('market-orders', orders, (o) => o.id, (tr, o) => {
		fill(tr, [o.id, o.state, `${o.tasks_done}/${o.tasks}`, eth(wei(o.price_per_task)), eth(price(o)), o.job || NA,
			when(o.deadline), when(o.updated), o.reason]);
		mark(tr, 1, `s-${o.state}`);
		mark(tr, 8, 'note');
	});
}

// Streams

async function loadStreams() {
	let list = [];
	try { list = (await api('/v1/streams')) || []; } catch (e) { if (e.status !== 404) throw e; }
	$('streams-empty').hidden = list.length > 0;
	$('streams-table').parentNode.hidden = !list.length;
	syncRows('streams-table', list, (s) => s.spec.name, (tr, s) => {
		const c = s.counts, parts = s.partitions || [];
		const where = parts.map((p) => `${p.index} → ${nameOf(p.node)}${p.state === 'running' ? '' : ` (${p.reason || p.state})`}` +
			(p.lag ? `, lag ${p.lag}` : ''));
		fill(tr, [s.spec.name, where.join('; '), c.received, c.processed, c.published, c.lag, c.dropped]);
		mark(tr, 1, 'note');
	});
}

// Live updates

// apply takes one update; power is drawn live for the 1 s spans.
function apply(st) {
	if (st.members) setMembers(st.members);
	if (st.power && SPANS[span] <= 3600) {
		merge(st.power);
		drawPower();
	}
	if (st.jobs) setJobs(st.jobs);
}

const since = (c) => (c ? `?since=${enc(c)}` : '');

function startLive() {
	if (!window.EventSource) return poll();
	const es = (S.es = new EventSource(`/ui/events${since(P?.newest?.t)}`));
	let errors = 0;
	es.onopen = () => setLive('live');
	es.addEventListener('state', (e) => {
		errors = 0;
		S.cursor = e.lastEventId || S.cursor;
		setLive('live');
		apply(JSON.parse(e.data));
	});
	// "away": the stream holds but the gateway does not answer it.
	es.addEventListener('away', () => setLive('offline'));
	// The browser reconnects by itself; three errors in a row: poll.
	es.onerror = () => {
		setLive('offline');
		if (++errors < 3 && es.readyState !== EventSource.CLOSED) return;
		es.close();
		poll();
	};
}

async function poll() {
	try {
		const st = await api(`/ui/state${since(S.cursor || P?.newest?.t)}`);
		S.cursor = st.cursor || S.cursor;
		setLive('polling');
		apply(st);
	} catch {
		setLive('offline');
	}
	if (!S.out) S.timer = setTimeout(poll, 2000);
}

// Views

const SHOW = {
	pool: renderPool,
	power: () => { fillDevices(); drawPower(); },
	energy: () => { drawEnergy(); return loadEnergy(); },
	jobs: () => (S.jobs ? renderJobs() : api('/v1/jobs?limit=100').then(setJobs)),
	market: loadMarket,
	streams: loadStreams,
};

function route() {
	const v = VIEWS.includes(location.hash.slice(1)) ? location.hash.slice(1) : 'pool';
	S.view = v;
	for (const n of VIEWS) $(`view-${n}`).hidden = n !== v;
	for (const a of $('nav').children) a.ariaCurrent = a.hash === `#${v}` ? 'page' : null;
	Promise.resolve().then(SHOW[v]).catch(showError);
}

function wire() {
	window.onhashchange = () => {
		navAt = performance.now();
		route();
	};
	$('error').onclick = () => { $('error').hidden = true; };
	$('spans').onclick = (e) => e.target.dataset.span && loadPower(e.target.dataset.span).catch(showError);
	$('budget-form').onsubmit = setBudget;
	$('pool-table').onclick = (e) => {
		const b = e.target.closest('button');
		b && act(b, async () => {
			await api(`/v1/pool/members/${enc(b.closest('tr').dataset.id)}/approve`, {});
			setMembers(await api('/v1/pool/members'));
		});
	};
	$('jobs-table').onclick = (e) => {
		const tr = e.target.closest('tbody tr'), b = e.target.closest('button'), id = tr?.dataset.id;
		if (!b) return tr && showJob(id).catch(showError);
		if (!confirm(`Cancel job ${id}? Its unfinished tasks will not run.`)) return;
		act(b, async () => {
			await api(`/v1/jobs/${enc(id)}/cancel`, {});
			setJobs(await api('/v1/jobs?limit=100'));
		});
	};
	// The charts follow the window's width.
	window.onresize = () => {
		if (chart && S.view === 'power') chart.setSize(chartSize($('power-chart')));
		if (energyChart && S.view === 'energy') energyChart.setSize(chartSize($('energy-chart')));
	};
}

async function main() {
	wire();
	let sess;
	try { sess = await api('/ui/session'); } catch (e) {
		if (e.status !== 401) showError(e);
		return;
	}
	S.role = document.body.dataset.role = sess.role;
	const gw = sess.gateway || '';
	Object.assign($('who'), { textContent: `${S.role} · gateway ${gw.slice(0, 7)} · ${sess.version}`, title: gw });
	if (S.role !== 'admin') $('budget-form').remove(); // viewers get no forms
	$('nav').hidden = $('main').hidden = $('logout').hidden = false;
	$('logout').onclick = () => fetch('/logout', { method: 'POST' }).finally(loggedOut);
	route();
	// Members and power together, then live updates.
	const [m, p] = await Promise.allSettled([api('/v1/pool/members'), loadPower(span)]);
	if (m.value) setMembers(m.value);
	for (const r of [m, p]) if (r.reason) showError(r.reason);
	startLive();
	if (S.role !== 'admin') return;
	api('/v1/pool/budget').then((b) => {
		S.budgets = b || {};
		if (S.view === 'pool') renderPool();
	}, showError);
}

main();
