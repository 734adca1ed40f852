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

/** A verdict cell and a score cell for one result {domain, is_dga, score, family, error}. */
export function verdictCells(r) {
  if (r.error) {
    return [el('td', {class: 'verdict invalid', title: r.error}, 'invalid'), el('td', {class: 'muted'}, r.error), el('td')];
  }
  const score = Number(r.score ?? 0);
  return [
    el('td', {class: 'verdict ' + (r.is_dga ? 'dga' : 'ok')}, r.is_dga ? 'DGA' : 'ok'),
    el('td', {}, el('meter', {min: 0, max: 1, low: 0.5, high: 0.8, optimum: 0, value: score}), score.toFixed(3)),
    el('td', {}, r.family ?? ''),
  ];
}
