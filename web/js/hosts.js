// The Hosts view: hosts ranked by their host score (GET /api/hosts), each opening to its evidence
// and a timeline of its DGA and NXDOMAIN queries (GET /api/hosts/<host>), and a notice when the
// stream says a host turned infected. Host fields and query names come from DNS logs, which anyone
// on the network can write into: every value goes into the page as text (dom.js) or as a number.
import {el, clear, fmtInt, fmtTime, fmtWhen, scoreBar} from './dom.js';

const $ = id => document.getElementById(id);
const SVG = 'http://www.w3.org/2000/svg';
const LIST_LIMIT = 200;        // hosts asked for and drawn
const REFRESH_MS = 5000;       // the timer's pace; alerts refresh sooner
const MAX_NOTICES = 5;         // alert notices kept on screen, newest first
const MAX_HIGHLIGHTED = 50;    // hosts marked as newly infected
const TIMELINE_ROWS = 200;     // rows of the timeline's table (the API keeps far fewer)

/**
 * The view, given the dashboard's HTTP helper (token, 401 handling) and its AuthError.
 * Returns {start, show(visible), onAlert(report)}.
 */
export function hostsView({apiJson, AuthError}) {
  const view = {
    visible: false,
    hosts: [],                 // the latest ranked list
    open: null,                // the host whose evidence is shown
    detail: null,              // GET /api/hosts/<open>, or {error}
    highlighted: new Map(),    // host -> time of its alert
  };
  const detailRow = el('tr', {id: 'host-detail', class: 'detail'});

  // ---------------------------------------------------------------- requests, one at a time

  // Everything this view asks the server goes through one loop, so a slow node sees at most one
  // request from it: asks made meanwhile only raise a flag, and the loop serves each flag once.
  const wanted = {list: false, detail: false};
  let running = false;

  function want(list, detail) {
    wanted.list ||= list;
    wanted.detail ||= detail && view.open !== null;
    if (!running) run();
  }

  async function run() {
    running = true;
    try {
      while (wanted.list || wanted.detail) {
        if (wanted.list) {
          wanted.list = false;
          await loadList();
        } else {
          wanted.detail = false;
          await loadDetail();
        }
      }
    } finally {
      running = false;
    }
  }

  async function loadList() {
    const infectedOnly = $('h-infected').checked;
    try {
      const body = await apiJson('/api/hosts?limit=' + LIST_LIMIT + (infectedOnly ? '&infected=true' : ''));
      if (infectedOnly !== $('h-infected').checked) return; // the filter changed meanwhile; asked again
      view.hosts = Array.isArray(body.hosts) ? body.hosts : [];
      $('hosts-count').textContent = fmtInt(body.tracked) + ' hosts tracked, ' + fmtInt(body.infected) + ' infected'
        + (view.hosts.length < (infectedOnly ? body.infected : body.tracked) ? ' (top ' + view.hosts.length + ' shown)' : '');
      $('hosts-status').textContent = 'updated ' + fmtTime(Date.now());
      renderTable();
    } catch (e) {
      if (!(e instanceof AuthError)) $('hosts-status').textContent = 'hosts: ' + e.message;
    }
  }

  async function loadDetail() {
    const host = view.open;
    if (host === null) return;
    let detail;
    try {
      detail = await apiJson('/api/hosts/' + encodeURIComponent(host));
    } catch (e) {
      if (e instanceof AuthError) return;
      detail = {error: e.message}; // the node's own words: unknown host, or evidence gone from the window
    }
    if (view.open !== host) return; // another host was opened meanwhile
    view.detail = detail;
    renderDetail();
  }

  // ---------------------------------------------------------------- the ranked table

  function renderTable() {
    const body = $('hosts-table').tBodies[0];
    // The rows are drawn anew; keyboard focus stays on the same host's button.
    const focused = body.contains(document.activeElement) ? document.activeElement.dataset.host : undefined;
    const frag = document.createDocumentFragment();
    let openShown = false;
    for (const h of view.hosts) {
      frag.append(hostRow(h));
      if (h.host === view.open) {
        frag.append(detailRow);
        openShown = true;
      }
    }
    if (view.open !== null && !openShown) {
      // The open host left the list (the filter, or the ranking's limit): its evidence stays at the end.
      frag.append(detailRow);
    }
    clear(body);
    body.append(frag);
    if (focused !== undefined) {
      for (const b of body.querySelectorAll('button.host')) {
        if (b.dataset.host === focused) { b.focus(); break; }
      }
    }
    const empty = $('hosts-empty');
    empty.hidden = view.hosts.length > 0;
    empty.textContent = $('h-infected').checked ? 'No infected host in the window.'
      : 'No hosts yet: send DNS logs with bin/dgad ingest FILE (or POST /api/ingest), and the hosts that queried them appear here.';
  }

  function hostRow(h) {
    const host = String(h.host ?? '');
    const open = host === view.open;
    const button = el('button', {type: 'button', class: 'host', 'aria-expanded': String(open),
      'aria-controls': 'host-detail', title: 'show the evidence of ' + host}, host);
    button.dataset.host = host;
    button.addEventListener('click', () => toggle(host));
    const families = Object.entries(h.families || {}).sort((a, b) => b[1] - a[1]);
    const top = families.slice(0, 3).map(([f, n]) => f + ' ' + n).join(', ')
      + (families.length > 3 ? ', +' + (families.length - 3) : '');
    const cls = [h.infected ? 'infected' : '', open ? 'open' : '', view.highlighted.has(host) ? 'alerted' : '']
      .filter(Boolean).join(' ');
    return el('tr', {class: cls || null},
      el('td', {class: 'domain'}, button),
      el('td', {}, badge(h.infected)),
      el('td', {class: 'num'}, Number(h.score ?? 0).toFixed(2)),
      el('td', {class: 'num'}, fmtInt(h.queries)),
      el('td', {class: 'num'}, fmtInt(h.dga_names)),
      el('td', {class: 'num'}, fmtInt(h.nxdomain)),
      el('td', {title: families.map(([f, n]) => f + ' ' + n).join(', ')}, top),
      el('td', {class: 'muted', title: h.last_seen ?? ''}, fmtWhen(h.last_seen)));
  }

  function badge(infected) {
    return el('span', {class: 'badge ' + (infected ? 'infected' : 'ok')}, infected ? 'infected' : 'ok');
  }

  function toggle(host) {
    if (view.open === host) {
      view.open = null;
      view.detail = null;
      renderTable();
      return;
    }
    view.open = host;
    view.detail = null; // until the full report arrives, the list's own evidence is shown
    view.highlighted.delete(host);
    renderDetail();
    renderTable();
    want(false, true);
  }

  // ---------------------------------------------------------------- one host's evidence

  function renderDetail() {
    clear(detailRow);
    if (view.open === null) return;
    const fromList = view.hosts.find(h => h.host === view.open);
    const r = view.detail && !view.detail.error ? view.detail : fromList;
    const cell = el('td', {colspan: '8'});
    detailRow.append(cell);
    cell.append(el('h3', {}, 'Evidence of ', el('span', {class: 'domain'}, view.open), ' ', r ? badge(r.infected) : ''));
    if (view.detail && view.detail.error) cell.append(el('p', {class: 'error'}, view.detail.error));
    if (!r) return;
    cell.append(el('p', {class: 'muted'},
      fmtInt(r.names) + ' names under ' + fmtInt(r.registrable_domains) + ' registrable domains; '
      + fmtInt(r.nxdomain_registrable_domains) + ' of them answered NXDOMAIN; seen '
      + (fmtWhen(r.first_seen) || '?') + ' to ' + (fmtWhen(r.last_seen) || '?')));
    cell.append(evidenceTable(r.evidence || []));
    if (r.timeline) {
      cell.append(timeline(r.timeline));
    } else if (!view.detail) {
      cell.append(el('p', {class: 'muted'}, 'loading the timeline…'));
    }
  }

  function evidenceTable(evidence) {
    if (evidence.length === 0) return el('p', {class: 'muted'}, 'No name weighs against this host.');
    const rows = evidence.map(e => el('tr', {},
      el('td', {class: 'domain', title: e.name ?? ''}, e.name ?? ''),
      el('td', {}, scoreBar(Number(e.score ?? 0), e.family != null), Number(e.score ?? 0).toFixed(3)),
      el('td', {}, e.family ?? ''),
      el('td', {class: e.rcode === 'NXDOMAIN' ? 'nx' : ''}, e.rcode || '–'),
      el('td', {class: 'num'}, e.weight == null ? '' : Number(e.weight).toFixed(2))));
    return el('table', {class: 'evidence'},
      el('caption', {}, 'the names that weigh most, heaviest first'),
      el('thead', {}, el('tr', {}, ...['name', 'score', 'family', 'rcode', 'weight'].map(t => el('th', {scope: 'col'}, t)))),
      el('tbody', {}, ...rows));
  }

  // ---------------------------------------------------------------- the timeline

  /** Two lanes, DGA names and NXDOMAIN answers, time on x; and the same entries as a table. */
  function timeline(entries) {
    const marked = entries.filter(e => e.family != null || e.rcode === 'NXDOMAIN');
    const wrap = el('div', {class: 'timeline'}, el('h3', {}, 'Timeline ',
      el('span', {class: 'muted'}, 'of its DGA and NXDOMAIN queries, first query per domain')));
    if (marked.length === 0) {
      wrap.append(el('p', {class: 'muted'}, 'No DGA name and no NXDOMAIN answer in the window.'));
      return wrap;
    }
    const timed = marked.filter(e => Number.isFinite(e.time));
    wrap.append(strip(timed));
    if (timed.length < marked.length) {
      wrap.append(el('p', {class: 'muted'}, fmtInt(marked.length - timed.length) + ' without a time in the log'));
    }
    const rows = marked.slice(-TIMELINE_ROWS).map(e => el('tr', {},
      el('td', {class: 'muted'}, Number.isFinite(e.time) ? fmtWhen(e.time) : ''),
      el('td', {class: 'domain', title: e.name ?? ''}, e.name ?? ''),
      el('td', {}, Number(e.score ?? 0).toFixed(3)),
      el('td', {}, e.family ?? ''),
      el('td', {class: e.rcode === 'NXDOMAIN' ? 'nx' : ''}, e.rcode || '–')));
    wrap.append(el('details', {}, el('summary', {}, 'as a table (' + marked.length + ')'),
      el('table', {class: 'timeline-table'},
        el('thead', {}, el('tr', {}, ...['time', 'name', 'score', 'family', 'rcode'].map(t => el('th', {scope: 'col'}, t)))),
        el('tbody', {}, ...rows))));
    return wrap;
  }

  function svg(tag, attrs = {}, text) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text; // text, never markup
    return e;
  }

  function strip(timed) {
    const W = 800, H = 78, left = 78, right = 12, laneH = 18;
    const lanes = [{label: 'DGA', y: 6, cls: 'dga', has: e => e.family != null},
      {label: 'NXDOMAIN', y: 30, cls: 'nx', has: e => e.rcode === 'NXDOMAIN'}];
    const t0 = Math.min(...timed.map(e => e.time));
    const t1 = Math.max(...timed.map(e => e.time));
    const x = t => t1 === t0 ? (left + W - right) / 2 : left + (t - t0) / (t1 - t0) * (W - left - right);
    const dga = timed.filter(lanes[0].has).length, nx = timed.filter(lanes[1].has).length;
    const s = svg('svg', {viewBox: `0 0 ${W} ${H}`, role: 'img', class: 'strip',
      'aria-label': `${dga} DGA names and ${nx} NXDOMAIN answers from ${fmtWhen(t0)} to ${fmtWhen(t1)}`});
    for (const lane of lanes) {
      s.append(svg('text', {x: 0, y: lane.y + 13, class: 'label'}, lane.label));
      s.append(svg('rect', {x: left, y: lane.y, width: W - left - right, height: laneH, class: 'lane'}));
      for (const e of timed) {
        if (!lane.has(e)) continue;
        const m = svg('rect', {x: (x(e.time) - 1.5).toFixed(1), y: lane.y, width: 3, height: laneH, class: 'mark ' + lane.cls});
        m.append(svg('title', {}, `${fmtWhen(e.time)}  ${e.name ?? ''}  ${Number(e.score ?? 0).toFixed(3)}`
          + `${e.family ? '  ' + e.family : ''}${e.rcode ? '  ' + e.rcode : ''}`));
        s.append(m);
      }
    }
    s.append(svg('text', {x: left, y: H - 4, class: 'label'}, fmtWhen(t0)));
    if (t1 !== t0) s.append(svg('text', {x: W - right, y: H - 4, class: 'label end'}, fmtWhen(t1)));
    return s;
  }

  // ---------------------------------------------------------------- alerts

  function onAlert(report) {
    const host = String(report.host ?? '');
    view.highlighted.delete(host);
    view.highlighted.set(host, Date.now());
    while (view.highlighted.size > MAX_HIGHLIGHTED) view.highlighted.delete(view.highlighted.keys().next().value);
    notice(host, report);
    want(true, host === view.open); // the ranking changed: refresh now, not at the next tick
  }

  function notice(host, report) {
    const box = $('alerts');
    for (const n of [...box.children]) if (n.dataset.host === host) n.remove();
    const families = Object.keys(report.families || {}).slice(0, 3).join(', ');
    const show = el('button', {type: 'button'}, 'show');
    const dismiss = el('button', {type: 'button', class: 'quiet', 'aria-label': 'dismiss the alert for ' + host}, '×');
    const n = el('div', {class: 'notice'},
      el('strong', {}, 'Host infected: '), el('span', {class: 'domain'}, host),
      el('span', {class: 'muted'}, ' score ' + Number(report.score ?? 0).toFixed(2) + ', '
        + fmtInt(report.dga_names) + ' DGA names, ' + fmtInt(report.nxdomain) + ' NXDOMAIN'
        + (families ? ', ' + families : '') + ' · ' + fmtTime(Date.now())),
      el('span', {class: 'spacer'}), show, dismiss);
    n.dataset.host = host;
    show.addEventListener('click', () => {
      location.hash = '#hosts';
      if (view.open !== host) toggle(host);
    });
    dismiss.addEventListener('click', () => {
      n.remove();
      view.highlighted.delete(host);
      countNotices();
      renderTable();
    });
    box.prepend(n);
    while (box.children.length > MAX_NOTICES) box.lastElementChild.remove();
    countNotices();
  }

  function countNotices() {
    const n = $('alerts').children.length;
    const badgeEl = $('nav-alerts');
    badgeEl.hidden = n === 0;
    badgeEl.textContent = String(n);
    badgeEl.title = n + ' host alert' + (n === 1 ? '' : 's');
  }

  // ---------------------------------------------------------------- wiring

  $('h-infected').addEventListener('change', () => want(true, false));
  // Escape closes the open host's evidence and gives the focus back to its button.
  $('hosts-table').addEventListener('keydown', ev => {
    if (ev.key !== 'Escape' || view.open === null) return;
    const host = view.open;
    toggle(host);
    for (const b of $('hosts-table').querySelectorAll('button.host')) {
      if (b.dataset.host === host) { b.focus(); break; }
    }
  });

  return {
    start() {
      setInterval(() => { if (view.visible && !document.hidden) want(true, true); }, REFRESH_MS);
    },
    show(visible) {
      view.visible = visible;
      if (visible) want(true, true);
    },
    onAlert,
  };
}
