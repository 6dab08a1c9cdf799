// aekit latent explorer: the test set's codes as a zoomable scatter, thumbnails on hover,
// decoding on click, interpolation between two picked points, loss curves, and live updates
// from the server's event stream while a run trains. Plain JS over canvas; no libraries.
'use strict';

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f',
                 '#bcbd22', '#17becf'];
const GRID_CELLS = 12;   // decoded grid: cells per side
const STEPS = 11;        // interpolation frames

const $ = (id) => document.getElementById(id);
const scatter = $('scatter');
const ctx = scatter.getContext('2d');
const state = {
  info: null, points: null, version: -1,
  view: { cx: 0, cy: 0, scale: 1 },
  hovered: -1, picks: [], grid: null, gridKey: '', strip: null,
};

async function getJson(url) {
  const r = await fetch(url);
  const body = await r.json();
  if (!r.ok) throw new Error(body.error || r.statusText);
  return body;
}

// POSTs JSON and returns an object URL of the PNG answer.
async function postForPng(url, body) {
  const r = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' },
                               body: JSON.stringify(body) });
  if (!r.ok) throw new Error((await r.json()).error || r.statusText);
  return URL.createObjectURL(await r.blob());
}

function setStatus(text) { $('status').textContent = text; }

// ---- view: data coordinates <-> canvas pixels ----
function toScreen(x, y) {
  const v = state.view;
  return [scatter.width / 2 + (x - v.cx) * v.scale, scatter.height / 2 - (y - v.cy) * v.scale];
}
function toData(px, py) {
  const v = state.view;
  return [v.cx + (px - scatter.width / 2) / v.scale, v.cy - (py - scatter.height / 2) / v.scale];
}
function resetView() {
  const xy = state.points.xy;
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (const [x, y] of xy) { x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y); }
  const span = Math.max(x1 - x0, y1 - y0, 1e-6);
  state.view = { cx: (x0 + x1) / 2, cy: (y0 + y1) / 2, scale: 0.9 * Math.min(scatter.width, scatter.height) / span };
  draw();
}

// ---- drawing ----
function draw() {
  ctx.clearRect(0, 0, scatter.width, scatter.height);
  if (!state.points || !state.points.n) return;
  if (state.grid && $('grid-on').checked && state.grid.key === viewKey()) {
    ctx.globalAlpha = 0.85;
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(state.grid.img, 0, 0, scatter.width, scatter.height);
    ctx.globalAlpha = 1;
  }
  const { xy, labels } = state.points;
  for (let i = 0; i < xy.length; ++i) {
    const [sx, sy] = toScreen(xy[i][0], xy[i][1]);
    if (sx < -4 || sy < -4 || sx > scatter.width + 4 || sy > scatter.height + 4) continue;
    ctx.fillStyle = labels.length ? PALETTE[((labels[i] % 10) + 10) % 10] : '#1f77b4';
    ctx.beginPath();
    ctx.arc(sx, sy, 3, 0, 2 * Math.PI);
    ctx.fill();
  }
  state.picks.forEach((i, k) => {
    const [sx, sy] = toScreen(xy[i][0], xy[i][1]);
    ctx.strokeStyle = '#000';
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.arc(sx, sy, 7, 0, 2 * Math.PI);
    ctx.stroke();
    ctx.fillStyle = '#000';
    ctx.font = 'bold 13px sans-serif';
    ctx.fillText(k ? 'B' : 'A', sx + 9, sy - 7);
  });
  if (state.hovered >= 0) {
    const [sx, sy] = toScreen(xy[state.hovered][0], xy[state.hovered][1]);
    ctx.strokeStyle = '#000';
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.arc(sx, sy, 5, 0, 2 * Math.PI);
    ctx.stroke();
  }
}

function drawLegend() {
  const labels = state.points.labels || [];
  const seen = [...new Set(labels)].sort((a, b) => a - b);
  $('legend').innerHTML = seen.map((l) =>
    `<span><i style="background:${PALETTE[((l % 10) + 10) % 10]}"></i>${l}</span>`).join('');
}

function drawCurves() {
  const c = $('curves'), g = c.getContext('2d');
  g.clearRect(0, 0, c.width, c.height);
  const rows = (state.info && state.info.metrics) || [];
  const series = [['train_loss', '#1f77b4'], ['val_loss', '#d62728']];
  const L = 56, R = 12, T = 12, B = 32, W = c.width - L - R, H = c.height - T - B;
  g.strokeStyle = '#888';
  g.strokeRect(L, T, W, H);
  g.fillStyle = '#333';
  g.font = '11px sans-serif';
  if (!rows.length) { g.fillText('no finished epoch yet', L + 10, T + 20); return; }
  const vals = rows.flatMap((r) => series.map(([k]) => r[k])).filter(Number.isFinite);
  let lo = Math.min(...vals), hi = Math.max(...vals);
  if (hi - lo < 1e-12) { lo -= 1; hi += 1; }
  const n = rows.length, ex = (e) => L + (n === 1 ? W / 2 : (e - 1) / (n - 1) * W);
  const ey = (v) => T + H - (v - lo) / (hi - lo) * H;
  g.fillText(hi.toPrecision(4), 2, T + 8);
  g.fillText(lo.toPrecision(4), 2, T + H);
  g.fillText('epoch 1', L, T + H + 14);
  g.fillText(`epoch ${n}`, L + W - 44, T + H + 14);
  series.forEach(([k, colour], s) => {
    g.strokeStyle = colour;
    g.fillStyle = colour;
    g.lineWidth = 2;
    g.beginPath();
    rows.forEach((r, i) => { const x = ex(i + 1), y = ey(r[k]); i ? g.lineTo(x, y) : g.moveTo(x, y); });
    g.stroke();
    rows.forEach((r, i) => { g.beginPath(); g.arc(ex(i + 1), ey(r[k]), 2.5, 0, 2 * Math.PI); g.fill(); });
    g.fillText(k, L + 8 + s * 90, T + H + 26);
  });
}

// ---- decoded grid of the visible region (2-D codes only) ----
function viewKey() { const v = state.view; return `${state.version}:${v.cx}:${v.cy}:${v.scale}`; }
let gridTimer = 0;
function scheduleGrid() {
  clearTimeout(gridTimer);
  if (!$('grid-on').checked || state.points.pca || state.points.code_size !== 2) return draw();
  gridTimer = setTimeout(async () => {
    const key = viewKey(), pts = [];
    for (let r = 0; r < GRID_CELLS; ++r)
      for (let c = 0; c < GRID_CELLS; ++c)
        pts.push(toData((c + 0.5) * scatter.width / GRID_CELLS, (r + 0.5) * scatter.height / GRID_CELLS));
    const url = await postForPng(`/api/plane/decode?format=png&pad=0&cols=${GRID_CELLS}`, { points: pts });
    const img = new Image();
    img.onload = () => { state.grid = { key, img }; draw(); };
    img.src = url;
  }, 150);
  draw();
}

// ---- pointer: hover, click, zoom, pan ----
function nearest(px, py, radius) {
  let best = -1, bestD = radius * radius;
  state.points.xy.forEach(([x, y], i) => {
    const [sx, sy] = toScreen(x, y), d = (sx - px) ** 2 + (sy - py) ** 2;
    if (d <= bestD) { bestD = d; best = i; }
  });
  return best;
}

function canvasXY(e) {
  const r = scatter.getBoundingClientRect();
  return [e.clientX - r.left, e.clientY - r.top];
}

let drag = null;
scatter.addEventListener('mousedown', (e) => { drag = { xy: canvasXY(e), moved: false, view: { ...state.view } }; });
window.addEventListener('mouseup', (e) => {
  if (!drag) return;
  const wasClick = !drag.moved;
  drag = null;
  if (wasClick && e.target === scatter) onClick(...canvasXY(e));
  else scheduleGrid();
});
scatter.addEventListener('mousemove', (e) => {
  if (!state.points || !state.points.n) return;
  const [px, py] = canvasXY(e);
  if (drag) {
    const dx = px - drag.xy[0], dy = py - drag.xy[1];
    if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
    if (drag.moved) {
      state.view.cx = drag.view.cx - dx / state.view.scale;
      state.view.cy = drag.view.cy + dy / state.view.scale;
      draw();
    }
    return;
  }
  const i = nearest(px, py, 6);
  if (i !== state.hovered) { state.hovered = i; draw(); }
  const hover = $('hover');
  if (i < 0) { hover.hidden = true; return; }
  const img = $('hover-img'), src = `/api/points/${i}/input.png?scale=3&pad=0`;
  if (img.getAttribute('src') !== src) img.src = src;
  $('hover-label').textContent = (state.points.labels.length ? `label ${state.points.labels[i]} · ` : '') + `#${i}`;
  hover.style.left = `${Math.min(px + 14, scatter.width - 100)}px`;
  hover.style.top = `${Math.min(py + 14, scatter.height - 110)}px`;
  hover.hidden = false;
});
scatter.addEventListener('mouseleave', () => { $('hover').hidden = true; state.hovered = -1; draw(); });
scatter.addEventListener('wheel', (e) => {
  e.preventDefault();
  const [px, py] = canvasXY(e), [x, y] = toData(px, py);
  const f = Math.exp(-e.deltaY * 0.0015);
  state.view.scale *= f;
  state.view.cx = x - (px - scatter.width / 2) / state.view.scale;
  state.view.cy = y + (py - scatter.height / 2) / state.view.scale;
  scheduleGrid();
}, { passive: false });

function showDecoded(url) {
  const img = $('decoded');
  img.src = url;
  img.hidden = false;
}

async function onClick(px, py) {
  const i = nearest(px, py, 6);
  try {
    if (i >= 0) {
      showDecoded(await postForPng('/api/decode?format=png&scale=4&pad=0', { codes: [state.points.codes[i]] }));
      $('decoded-caption').textContent = `point #${i}` + (state.points.labels.length ? ` (label ${state.points.labels[i]})` : '') + ' decoded';
      state.picks = state.picks.length === 2 ? [i] : [...state.picks, i];
      $('pick-a').textContent = state.picks.length > 0 ? `#${state.picks[0]}` : '–';
      $('pick-b').textContent = state.picks.length > 1 ? `#${state.picks[1]}` : '–';
      draw();
      if (state.picks.length === 2) await interpolate();
    } else {
      const [x, y] = toData(px, py);
      showDecoded(await postForPng('/api/plane/decode?format=png&scale=4&pad=0', { points: [[x, y]] }));
      $('decoded-caption').textContent = `position (${x.toFixed(2)}, ${y.toFixed(2)}) decoded` +
        (state.points.pca ? ' (mean code + x PC1 + y PC2)' : '');
    }
  } catch (err) { setStatus(`error: ${err.message}`); }
}

// ---- interpolation strip and slider ----
async function interpolate() {
  const [a, b] = state.picks.map((i) => state.points.codes[i]);
  const url = await postForPng('/api/interpolate?format=png&pad=0',
                               { a, b, steps: STEPS, method: $('method').value });
  const strip = $('strip');
  await new Promise((resolve) => { strip.onload = resolve; strip.src = url; });
  strip.hidden = false;
  $('slider-row').hidden = false;
  $('frame').hidden = false;
  $('slider').max = STEPS - 1;
  showFrame();
}

function showFrame() {
  const k = Number($('slider').value), shape = state.info.input_shape;
  const w = shape[shape.length - 1], h = shape[shape.length - 2];
  const f = $('frame'), g = f.getContext('2d');
  g.imageSmoothingEnabled = false;
  g.clearRect(0, 0, f.width, f.height);
  g.drawImage($('strip'), k * w, 0, w, h, 0, 0, f.width, f.height);
  $('slider-t').textContent = `t = ${(k / (STEPS - 1)).toFixed(1)} (${$('method').value})`;
}
$('slider').addEventListener('input', showFrame);
$('method').addEventListener('change', () => { if (state.picks.length === 2) interpolate(); });
$('grid-on').addEventListener('change', scheduleGrid);
$('reset-view').addEventListener('click', () => { resetView(); scheduleGrid(); });

// ---- loading, and reloading when the run publishes a new epoch ----
async function load() {
  const info = await getJson('/api/info');
  state.info = info;
  $('run-name').textContent = info.name ? `· ${info.name}` : '';
  if (!info.ready) { setStatus(`waiting for the first epoch: ${info.problem}`); drawCurves(); return; }
  const points = await getJson('/api/points');
  const first = !state.points || !state.points.n;
  state.points = points;
  state.version = points.version;
  state.picks = state.picks.filter((i) => i < points.n);
  $('projection').textContent = points.n ? `Projection: ${points.projection}. ${points.n} test samples.`
                                         : `No scatter: ${points.unavailable}`;
  $('grid-toggle').hidden = !(points.n && points.code_size === 2);
  setStatus(`${info.epochs_done} epoch(s) · code ${info.code_size}-D${info.is_vae ? ' (VAE means)' : ''} · weights ${info.weights}`);
  if (points.n) { drawLegend(); if (first) resetView(); scheduleGrid(); }
  drawCurves();
  document.body.dataset.version = String(state.version);
}

const events = new EventSource('/api/events');
events.addEventListener('snapshot', (e) => {
  const d = JSON.parse(e.data);
  if (d.version !== state.version) load().catch((err) => setStatus(`error: ${err.message}`));
});
load().then(() => { document.body.dataset.ready = '1'; }).catch((err) => setStatus(`error: ${err.message}`));

// For tests and the console: where point i is drawn, relative to the canvas.
window.explorer = { state, screenOf: (i) => toScreen(...state.points.xy[i]) };
