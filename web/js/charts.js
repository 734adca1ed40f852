// Small canvas charts (no library): a time-series line/area chart and a horizontal bar chart.

function css(name, fallback) {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

function setup(canvas) {
  const ratio = window.devicePixelRatio || 1;
  const w = canvas.clientWidth || 400;
  const h = canvas.height / (canvas._ratio || 1);
  canvas._ratio = ratio;
  canvas.style.height = h + 'px'; // CSSOM, allowed by the style-src CSP (no inline style attribute)
  canvas.width = Math.round(w * ratio);
  canvas.height = Math.round(h * ratio);
  const g = canvas.getContext('2d');
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, w, h);
  g.font = '11px system-ui, sans-serif';
  return {g, w, h};
}

function niceMax(v) {
  if (v <= 0) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/** points: [{t: epochSeconds, v: number}] over the last `span` seconds. */
export function lineChart(canvas, points, {span = 300, color = '--accent', max = null, unit = ''} = {}) {
  const {g, w, h} = setup(canvas);
  const left = 46, right = 8, top = 8, bottom = 20;
  const now = Math.floor(Date.now() / 1000);
  const t0 = now - span;
  const top_ = max ?? niceMax(Math.max(0, ...points.map(p => p.v)));
  const x = t => left + (t - t0) / span * (w - left - right);
  const y = v => top + (1 - v / top_) * (h - top - bottom);
  g.strokeStyle = css('--line', '#333');
  g.fillStyle = css('--muted', '#888');
  g.lineWidth = 1;
  for (let i = 0; i <= 4; i++) {
    const v = top_ * i / 4;
    g.beginPath(); g.moveTo(left, y(v)); g.lineTo(w - right, y(v)); g.stroke();
    g.fillText(fmt(v) + unit, 2, y(v) + 4);
  }
  for (let m = 0; m <= span / 60; m++) {
    const t = now - m * 60;
    const label = m === 0 ? 'now' : '-' + m + 'm';
    const tw = g.measureText(label).width;
    g.fillText(label, Math.min(x(t) - tw / 2, w - right - tw), h - 4);
  }
  const pts = points.filter(p => p.t >= t0).sort((a, b) => a.t - b.t);
  if (pts.length === 0) {
    g.fillText('no data yet', left + 10, top + 20);
    return;
  }
  const c = css(color, '#4da3ff');
  g.beginPath();
  pts.forEach((p, i) => (i ? g.lineTo(x(p.t), y(p.v)) : g.moveTo(x(p.t), y(p.v))));
  g.strokeStyle = c; g.lineWidth = 1.6; g.stroke();
  g.lineTo(x(pts[pts.length - 1].t), y(0)); g.lineTo(x(pts[0].t), y(0)); g.closePath();
  g.globalAlpha = 0.15; g.fillStyle = c; g.fill(); g.globalAlpha = 1;
}

/** bars: [[label, value], ...] largest first. */
export function barChart(canvas, bars, {color = '--dga'} = {}) {
  const {g, w, h} = setup(canvas);
  const rows = bars.slice(0, 10);
  g.fillStyle = css('--muted', '#888');
  if (rows.length === 0) {
    g.fillText('no DGA names yet', 10, 20);
    return;
  }
  const left = 110, rowH = (h - 4) / 10, max = Math.max(...rows.map(b => b[1]));
  rows.forEach(([label, v], i) => {
    const yy = 2 + i * rowH;
    g.fillStyle = css('--text', '#ddd');
    g.fillText(String(label).slice(0, 16), 4, yy + rowH * 0.65);
    g.fillStyle = css(color, '#f66');
    const bw = Math.max(2, (w - left - 60) * v / max);
    g.fillRect(left, yy + rowH * 0.2, bw, rowH * 0.6);
    g.fillStyle = css('--muted', '#888');
    g.fillText(fmt(v), left + bw + 6, yy + rowH * 0.65);
  });
}

function fmt(v) {
  if (v >= 1e6) return (v / 1e6).toFixed(1) + 'M';
  if (v >= 1e4) return (v / 1e3).toFixed(0) + 'k';
  if (v >= 1e3) return (v / 1e3).toFixed(1) + 'k';
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}
