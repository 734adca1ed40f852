// DOM helpers that never parse HTML: every string goes in as text (names in DGA feeds are hostile).

/** el('td', {class: 'x'}, 'text', childNode, ...) */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k in e && typeof v !== 'string') e[k] = v; // properties such as value/max on meter and progress
    else e.setAttribute(k, String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

export function fmtInt(n) {
  return n === null || n === undefined || n < 0 ? '–' : Math.round(n).toLocaleString('en-US');
}

export function fmtTime(ms) {
  if (!ms) return '';
  const d = new Date(ms);
  return d.toTimeString().slice(0, 8);
}

/**
 * A time from a log (epoch ms or an ISO string): the clock time when it is today, else the local
 * date too, since logs replayed later carry old times. '' when absent or unreadable.
 */
export function fmtWhen(t) {
  if (t === null || t === undefined || t === '') return '';
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) return '';
  const time = d.toTimeString().slice(0, 8);
  if (d.toDateString() === new Date().toDateString()) return time;
  const p = n => String(n).padStart(2, '0');
  return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()) + ' ' + time;
}

/**
 * A verdict cell and a score cell for one result {domain, is_dga, score, family, error, model, point}:
 * the verdict's tooltip names the operating point whose threshold made it, and the model.
 */
export function verdictCells(r) {
  if (r.error) {
    return [el('td', {class: 'verdict invalid', title: r.error}, 'invalid'), el('td', {class: 'muted'}, r.error), el('td')];
  }
  const score = Number(r.score ?? 0);
  return [
    el('td', {class: 'verdict ' + (r.is_dga ? 'dga' : 'ok'),
      title: r.point ? 'operating point ' + r.point + (r.model ? ', model ' + r.model : '') : undefined},
      r.is_dga ? 'DGA' : 'ok'),
    el('td', {}, scoreBar(score, r.is_dga), score.toFixed(3)),
    el('td', {}, r.family ?? ''),
  ];
}

/** A score bar: the fill width is set through the CSSOM, which the style-src CSP allows. */
export function scoreBar(score, dga) {
  const fill = el('span', {class: 'fill' + (dga ? ' dga' : '')});
  fill.style.width = Math.max(0, Math.min(1, score)) * 100 + '%';
  return el('span', {class: 'bar', role: 'meter', 'aria-valuemin': '0', 'aria-valuemax': '1',
    'aria-valuenow': score.toFixed(3)}, fill);
}
