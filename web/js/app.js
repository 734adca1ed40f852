// dgad-mesh dashboard. Plain ES module, no build step, no third-party code. Every name from the
// network is put into the page with textContent (see dom.js), never as HTML.
import {el, clear, fmtInt, fmtTime, verdictCells} from './dom.js';
import {lineChart, barChart} from './charts.js';
import {hostsView} from './hosts.js';

const $ = id => document.getElementById(id);
const TOKEN_KEY = 'dgad-web-token';
const LIVE_MAX = 1000;      // results kept for the live table
const LIVE_SHOWN = 200;     // rows rendered
const SUBMIT_SHOWN = 2000;
const CHUNK = 1000;         // names per POST /api/classify
const SPAN = 300;           // chart window, seconds

let token = localStorage.getItem(TOKEN_KEY) || '';
let started = false;
let stream = null;

const state = {
  live: [],                 // newest last
  seconds: new Map(),       // epoch second -> {n, dga, valid}
  families: new Map(),      // family -> count since page load
  familyOptions: new Set(),
  seen: 0,
  stats: null, statsAt: 0,  // latest dgad.stats (leader)
  cluster: null,            // latest GET /api/cluster, or 'absent'
  queue: null,
  node: null,
  dirty: true,
};

// ------------------------------------------------------------------ HTTP

class AuthError extends Error {}

async function api(path, opts = {}) {
  const headers = new Headers(opts.headers || {});
  if (token) headers.set('Authorization', 'Bearer ' + token);
  const res = await fetch(path, {...opts, headers});
  if (res.status === 401) {
    showLogin(token ? 'the token was not accepted' : '');
    throw new AuthError('token required');
  }
  return res;
}

async function apiJson(path, opts) {
  const res = await api(path, opts);
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    const e = new Error((body && body.error) || res.status + ' ' + res.statusText);
    e.status = res.status;
    throw e;
  }
  return body;
}

const hosts = hostsView({apiJson, AuthError});

// ------------------------------------------------------------------ views

// One page, two views; the address's fragment names the view, so it can be bookmarked and the
// browser's back button moves between them.
const VIEWS = {overview: 'view-overview', hosts: 'view-hosts'};

function showView() {
  const name = Object.hasOwn(VIEWS, location.hash.slice(1)) ? location.hash.slice(1) : 'overview';
  for (const [v, id] of Object.entries(VIEWS)) {
    $(id).hidden = v !== name;
    const tab = $('nav-' + v);
    if (v === name) tab.setAttribute('aria-current', 'page');
    else tab.removeAttribute('aria-current');
  }
  hosts.show(name === 'hosts' && started);
}

window.addEventListener('hashchange', showView);

// ------------------------------------------------------------------ login

function showLogin(message) {
  $('login').hidden = false;
  $('app').hidden = true;
  $('login-error').textContent = message || '';
  if (stream) { stream.close(); stream = null; }
}

$('login-form').addEventListener('submit', async ev => {
  ev.preventDefault();
  token = $('token').value.trim();
  try {
    await apiJson('/api/results/recent?limit=1');
    localStorage.setItem(TOKEN_KEY, token);
    $('login').hidden = true;
    $('app').hidden = false;
    start();
  } catch (e) {
    if (!(e instanceof AuthError)) $('login-error').textContent = e.message;
  }
});

$('logout').addEventListener('click', () => {
  localStorage.removeItem(TOKEN_KEY);
  token = '';
  location.reload();
});

// ------------------------------------------------------------------ live data

function bucket(sec) {
  let b = state.seconds.get(sec);
  if (!b) {
    b = {n: 0, dga: 0, valid: 0};
    state.seconds.set(sec, b);
    const old = sec - SPAN - 5;
    for (const k of state.seconds.keys()) if (k < old) state.seconds.delete(k);
  }
  return b;
}

function addLive(results) {
  for (const r of results) {
    state.live.push(r);
    if (r.family && !state.familyOptions.has(r.family)) {
      state.familyOptions.add(r.family);
      const sel = $('f-family');
      const opts = [...state.familyOptions].sort();
      const keep = sel.value;
      while (sel.options.length > 1) sel.remove(1);
      for (const f of opts) sel.add(el('option', {value: f}, f));
      sel.value = keep;
    }
  }
  if (state.live.length > LIVE_MAX) state.live.splice(0, state.live.length - LIVE_MAX);
  state.dirty = true;
}

function onResults(ev) {
  const b = bucket(Math.floor(Date.now() / 1000)); // arrival time: immune to clock skew between hosts
  b.n += ev.classified;
  b.dga += ev.dga;
  b.valid += ev.classified - ev.invalid;
  state.seen += ev.classified;
  for (const [f, n] of Object.entries(ev.families || {})) state.families.set(f, (state.families.get(f) || 0) + n);
  addLive(ev.results || []);
}

function connect() {
  const url = '/api/stream' + (token ? '?access_token=' + encodeURIComponent(token) : '');
  const es = new EventSource(url);
  stream = es;
  const conn = $('conn');
  es.addEventListener('open', () => { conn.dataset.state = 'live'; conn.textContent = 'live'; });
  es.addEventListener('error', async () => {
    conn.dataset.state = 'down';
    conn.textContent = 'reconnecting…';
    if (es.readyState === EventSource.CLOSED && stream === es) {
      stream = null;
      try {
        await api('/api/results/recent?limit=1'); // 401 shows the login form
        setTimeout(connect, 2000);
      } catch (e) {
        if (!(e instanceof AuthError)) setTimeout(connect, 2000);
      }
    }
  });
  es.addEventListener('hello', e => {
    const h = JSON.parse(e.data);
    state.node = h.node;
    if (h.queue_depth >= 0) state.queue = {queue_depth: h.queue_depth};
    state.dirty = true;
  });
  es.addEventListener('results', e => onResults(JSON.parse(e.data)));
  es.addEventListener('stats', e => { state.stats = JSON.parse(e.data); state.statsAt = Date.now(); state.dirty = true; });
  es.addEventListener('queue', e => { state.queue = JSON.parse(e.data); state.dirty = true; });
  es.addEventListener('alert', e => hosts.onAlert(JSON.parse(e.data)));
}

// ------------------------------------------------------------------ rendering

function filtered() {
  const dgaOnly = $('f-dga').checked;
  const family = $('f-family').value;
  const text = $('f-text').value.trim().toLowerCase();
  const out = [];
  for (let i = state.live.length - 1; i >= 0 && out.length < LIVE_SHOWN; i--) {
    const r = state.live[i];
    if (dgaOnly && !r.is_dga) continue;
    if (family && r.family !== family) continue;
    if (text && !String(r.domain).toLowerCase().includes(text)) continue;
    out.push(r);
  }
  return out;
}

function renderLive() {
  if ($('f-pause').checked) return;
  const body = $('live-table').tBodies[0];
  const rows = filtered();
  const frag = document.createDocumentFragment();
  for (const r of rows) {
    frag.append(el('tr', {},
      el('td', {class: 'muted'}, fmtTime(r.time)),
      el('td', {class: 'domain', title: r.domain}, r.domain),
      ...verdictCells(r),
      el('td', {class: 'muted'}, r.node || '')));
  }
  clear(body);
  body.append(frag);
  $('live-count').textContent = rows.length + ' shown of ' + state.live.length + ' kept';
}

function freshStats() {
  return state.stats && Date.now() - state.statsAt < 5000 ? state.stats : null;
}

function renderTiles() {
  const stats = freshStats();
  const now = Math.floor(Date.now() / 1000);
  let n5 = 0, dga60 = 0, valid60 = 0;
  for (const [sec, b] of state.seconds) {
    if (sec >= now - 5 && sec < now) n5 += b.n;
    if (sec >= now - 60) { dga60 += b.dga; valid60 += b.valid; }
  }
  const throughput = stats ? stats.total.throughput : n5 / 5;
  const share = stats ? stats.total.dga_share : (valid60 ? dga60 / valid60 : null);
  $('t-throughput').textContent = fmtInt(throughput);
  $('t-share').textContent = share === null || share === undefined ? '–' : (share * 100).toFixed(1) + '%';
  const q = stats && stats.queue_depth !== undefined ? stats.queue_depth : state.queue && state.queue.queue_depth;
  $('t-queue').textContent = fmtInt(q);
  if (state.queue && state.queue.set) $('t-queue-set').textContent = state.queue.set;
  $('t-inflight').textContent = stats ? fmtInt(stats.in_flight) : '–';
  $('t-seen').textContent = fmtInt(state.seen);
}

function renderCharts() {
  const now = Math.floor(Date.now() / 1000);
  const tp = [], share = [];
  for (let s = now - SPAN; s < now; s++) {
    const b = state.seconds.get(s);
    tp.push({t: s, v: b ? b.n : 0});
    if (b && b.valid > 0) share.push({t: s, v: 100 * b.dga / b.valid});
  }
  lineChart($('c-throughput'), tp, {span: SPAN});
  lineChart($('c-share'), share, {span: SPAN, color: '--dga', max: 100, unit: '%'});
  const stats = freshStats();
  const fam = stats && stats.total && stats.total.families && Object.keys(stats.total.families).length
    ? Object.entries(stats.total.families) : [...state.families.entries()];
  fam.sort((a, b) => b[1] - a[1]);
  barChart($('c-families'), fam);
}

function renderNodes() {
  const stats = freshStats();
  const cluster = state.cluster && state.cluster !== 'absent' ? state.cluster : null;
  const nodes = (stats && stats.nodes) || (cluster && cluster.nodes) || [];
  const leader = (stats && stats.leader) || (cluster && cluster.leader) || null;
  $('leader').textContent = leader ? 'leader: ' + leader : (state.node ? 'node: ' + state.node : '');
  const body = $('nodes').tBodies[0];
  clear(body);
  for (const n of nodes) {
    body.append(el('tr', {},
      el('td', {}, n.id === leader ? el('span', {class: 'leader-mark', title: 'leader'}, '★ ') : '', n.name || n.id),
      el('td', {}, (n.roles || []).join(', ')),
      // The model version its classifiers serve ("declared@hash"; two while they switch) and the operating
      // point they judge at: which node runs which, and why two nodes may judge one name differently.
      el('td', {class: 'mono', title: n.model ? n.model + (n.point ? ', operating point ' + n.point : '')
        : 'no classifier on this node'}, n.model ? n.model + (n.point ? ' · ' + n.point : '') : '–'),
      el('td', {}, fmtInt(n.throughput)),
      el('td', {}, fmtInt(n.classified)),
      el('td', {}, fmtInt(n.dga)),
      el('td', {class: 'muted'}, n.started ? new Date(n.started).toLocaleString() : '')));
  }
  $('nodes-note').textContent = nodes.length ? ''
    : 'No cluster statistics yet (they come from the leader over dgad.stats and /api/cluster). This page is served by node '
      + (state.node || '?') + '.';
}

// ------------------------------------------------------------------ jobs

async function refreshJobs() {
  try {
    const jobs = await apiJson('/api/jobs');
    $('jobs-note').textContent = jobs.length ? '' : 'No batch jobs yet: tick "as a batch job" above to submit one.';
    const body = $('jobs-table').tBodies[0];
    clear(body);
    for (const j of [...jobs].sort((a, b) => (b.created || 0) - (a.created || 0))) {
      body.append(el('tr', {},
        el('td', {class: 'domain'}, j.id),
        el('td', {class: 'status-' + j.status}, j.status),
        el('td', {}, el('progress', {max: Math.max(1, j.total || 0), value: j.done || 0}),
          ' ' + (j.total ? Math.floor(100 * (j.done || 0) / j.total) : 0) + '%'),
        el('td', {}, fmtInt(j.done) + ' / ' + fmtInt(j.total)),
        el('td', {class: 'muted'}, j.created ? new Date(j.created).toLocaleTimeString() : ''),
        el('td', {}, downloadButton(j.id, 'jsonl'), ' ', downloadButton(j.id, 'csv'))));
    }
  } catch (e) {
    if (e instanceof AuthError) return;
    $('jobs-note').textContent = e.status === 404
      ? 'Batch jobs are not served by this node.'
      : 'jobs: ' + e.message;
  }
}

function downloadButton(id, format) {
  const b = el('button', {type: 'button'}, format);
  b.addEventListener('click', async () => {
    const res = await api('/api/jobs/' + encodeURIComponent(id) + '/results?format=' + format);
    const blob = await res.blob();
    const a = el('a', {href: URL.createObjectURL(blob), download: 'job-' + id + '.' + format});
    document.body.append(a);
    a.click();
    a.remove();
  });
  return b;
}

async function refreshCluster() {
  try {
    state.cluster = await apiJson('/api/cluster');
    if (state.cluster && state.cluster.stats && !freshStats()) {
      state.stats = state.cluster.stats;
      state.statsAt = Date.now();
    }
  } catch (e) {
    if (e.status === 404) state.cluster = 'absent';
  }
  state.dirty = true;
}

// ------------------------------------------------------------------ submit

function parseNames(text) {
  const names = [];
  for (let line of text.split(/\r?\n/)) {
    line = line.trim();
    if (!line) continue;
    if (line.includes(',')) line = line.split(',')[0].trim().replace(/^"|"$/g, ''); // csv: first column
    if (names.length === 0 && /^(domain|name|fqdn|host)$/i.test(line)) continue;   // csv header
    names.push(line);
  }
  return names;
}

function showSubmitted(results) {
  const body = $('submit-results').tBodies[0];
  const frag = document.createDocumentFragment();
  for (const r of results) {
    frag.append(el('tr', {}, el('td', {class: 'domain', title: r.domain}, r.domain), ...verdictCells(r)));
  }
  body.insertBefore(frag, body.firstChild);
  while (body.rows.length > SUBMIT_SHOWN) body.deleteRow(body.rows.length - 1);
}

async function submit(names) {
  const status = $('submit-status');
  if (names.length === 0) { status.textContent = 'nothing to classify'; return; }
  const buttons = [$('one-submit'), $('many-submit'), $('file-submit')];
  buttons.forEach(b => { b.disabled = true; });
  try {
    if ($('as-job').checked && names.length > 1) {
      const job = await apiJson('/api/jobs', {method: 'POST', headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({domains: names})});
      status.textContent = 'job ' + job.id + ' queued with ' + fmtInt(job.total) + ' names';
      refreshJobs();
      return;
    }
    let done = 0;
    for (let i = 0; i < names.length; i += CHUNK) {
      const part = names.slice(i, i + CHUNK);
      const body = await apiJson('/api/classify', {method: 'POST', headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({domains: part})});
      showSubmitted([...body.results].reverse()); // newest on top, in input order per chunk
      done += part.length;
      status.textContent = 'classified ' + fmtInt(done) + ' of ' + fmtInt(names.length);
    }
  } catch (e) {
    if (!(e instanceof AuthError)) status.textContent = 'error: ' + e.message;
  } finally {
    buttons.forEach(b => { b.disabled = false; });
  }
}

$('one-form').addEventListener('submit', ev => {
  ev.preventDefault();
  const name = $('one-name').value.trim();
  if (name) submit([name]);
});
$('many-form').addEventListener('submit', ev => {
  ev.preventDefault();
  submit(parseNames($('many-names').value));
});
$('file-submit').addEventListener('click', async () => {
  const f = $('names-file').files[0];
  if (!f) { $('submit-status').textContent = 'choose a .txt or .csv file first'; return; }
  submit(parseNames(await f.text()));
});
for (const id of ['f-dga', 'f-family', 'f-text', 'f-pause']) {
  $(id).addEventListener('input', () => { state.dirty = true; });
}

// ------------------------------------------------------------------ start

async function start() {
  if (started) return;
  started = true;
  $('logout').hidden = !token;
  try {
    const recent = await apiJson('/api/results/recent?limit=' + LIVE_SHOWN);
    addLive([...recent].reverse());
  } catch (e) {
    if (e instanceof AuthError) { started = false; return; }
  }
  connect();
  hosts.start();
  showView();
  refreshCluster();
  refreshJobs();
  setInterval(() => {
    if (state.dirty) {
      state.dirty = false;
      renderLive();
      renderNodes();
    }
  }, 300);
  setInterval(() => { renderTiles(); renderCharts(); renderNodes(); }, 1000);
  setInterval(refreshJobs, 2000);
  setInterval(refreshCluster, 5000);
  renderTiles();
  renderCharts();
}

showView();
start();
