'use strict';
// The danet serve page: upload or pick an image, show the segmentation, and fetch the position
// attention row of the pixel under the mouse (or the pinned one) from the server on demand.

const $ = (id) => document.getElementById(id);

// Inferno-like ramp, the same stops as dev.danet.viz.HeatMap.
const RAMP = [[0, 0, 0, 4], [0.25, 87, 16, 110], [0.5, 188, 55, 84], [0.75, 249, 142, 9], [1, 252, 255, 164]];

function rampColour(t) {
  const u = Math.max(0, Math.min(1, t));
  for (let i = 1; i < RAMP.length; i++) {
    if (u <= RAMP[i][0]) {
      const a = RAMP[i - 1], b = RAMP[i], f = (u - a[0]) / (b[0] - a[0]);
      return [a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2]), a[3] + f * (b[3] - a[3])];
    }
  }
  return [252, 255, 164];
}

const state = {
  info: null,        // /api/info
  analysis: null,    // /api/analyze answer
  pictures: {},      // kind -> HTMLImageElement
  grey: null,        // the photo in grey, for heat overlays
  pinned: null,      // {x, y} or null
  wanted: null,      // the point whose attention should be shown next
  shown: null,       // the point whose attention is shown
  loading: false,    // an attention request is in flight
  row: null,         // the attention row shown (the server's JSON) ...
  rowPoint: null,    // ... and its pixel
  channelMaps: new Map(), // channel -> tile element
};

function setStatus(text, error) {
  const s = $('status');
  s.textContent = text;
  s.classList.toggle('error', !!error);
}

async function errorText(response) {
  try {
    const body = await response.json();
    return body.error || response.statusText;
  } catch (e) {
    return response.status + ' ' + response.statusText;
  }
}

async function loadInfo() {
  const r = await fetch('/api/info');
  const info = await r.json();
  state.info = info;
  $('model-info').textContent = 'Model: ' + info.model + ' (' + info.weights + '). Inference: ' + info.inference
      + '. Uploads up to ' + Math.round(info.limits.maxUploadBytes / 1048576) + ' MB and '
      + (info.limits.maxPixels / 1e6).toFixed(1) + ' megapixels.';
  const samples = $('samples');
  for (const name of info.samples) {
    const b = document.createElement('button');
    b.type = 'button';
    b.title = name;
    b.dataset.name = name;
    const img = document.createElement('img');
    img.src = '/api/samples/' + encodeURIComponent(name);
    img.alt = name;
    b.appendChild(img);
    b.addEventListener('click', () => pickSample(name));
    samples.appendChild(b);
  }
  const ramp = $('ramp').getContext('2d');
  for (let x = 0; x < 256; x++) {
    const c = rampColour(x / 255);
    ramp.fillStyle = `rgb(${c[0]},${c[1]},${c[2]})`;
    ramp.fillRect(x, 0, 1, 10);
  }
}

async function pickSample(name) {
  setStatus('loading sample ' + name + ' ...');
  const r = await fetch('/api/samples/' + encodeURIComponent(name));
  if (!r.ok) {
    setStatus('error: ' + await errorText(r), true);
    return;
  }
  analyze(await r.blob(), name);
}

async function analyze(blob, name) {
  setStatus('segmenting ' + name + ' ...');
  $('view').dataset.state = 'loading';
  let r;
  try {
    r = await fetch('/api/analyze?name=' + encodeURIComponent(name), {method: 'POST', body: blob,
      headers: {'Content-Type': blob.type || 'application/octet-stream'}});
  } catch (e) {
    setStatus('error: the server did not answer (' + e + ')', true);
    $('view').dataset.state = 'error';
    return;
  }
  if (!r.ok) {
    setStatus('error: ' + await errorText(r), true);
    $('view').dataset.state = 'error';
    return;
  }
  const analysis = await r.json();
  await show(analysis);
  const t = analysis.timing;
  setStatus(name + ': ' + analysis.width + 'x' + analysis.height + ' segmented in '
      + (t.totalSeconds).toFixed(2) + ' s. Hover over the picture to see position attention.');
}

function loadImage(src) {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error('could not load ' + src));
    img.src = src;
  });
}

async function show(analysis) {
  state.analysis = analysis;
  state.pinned = null;
  state.wanted = null;
  state.shown = null;
  state.channelMaps.clear();
  state.row = null;
  const kinds = Object.keys(analysis.pictures);
  const images = await Promise.all(kinds.map((k) => loadImage(analysis.pictures[k])));
  kinds.forEach((k, i) => { state.pictures[k] = images[i]; });
  state.grey = greyPhoto(state.pictures.photo);
  $('download-label').href = analysis.pictures.label;
  $('download-label').download = analysis.name.replace(/\.[^.]*$/, '') + '_label.png';
  for (const c of [$('view'), $('attention')]) {
    c.width = analysis.width;
    c.height = analysis.height;
  }
  $('result').hidden = false;
  drawView();
  drawLegend(analysis.classes);
  drawChannelList(analysis.attention);
  const a = analysis.attention;
  $('attention').dataset.point = '';
  $('attention').dataset.digest = '';
  if (a.position) {
    const ctx = $('attention').getContext('2d');
    ctx.drawImage(state.grey, 0, 0);
    $('pam-caption').textContent = 'hover over the segmentation';
  } else {
    $('pam-caption').textContent = 'this model has no position attention module';
  }
  const t = analysis.timing;
  $('timing').textContent = `wait ${t.waitSeconds.toFixed(3)} s, decode ${t.decodeSeconds.toFixed(3)} s, segmentation `
      + `${t.segmentSeconds.toFixed(3)} s, attention features ${t.attentionSeconds.toFixed(3)} s`
      + (a.position || a.channel ? ` (feature grid ${a.gridWidth}x${a.gridHeight})` : '');
  $('view').dataset.state = 'ready';
  $('view').dataset.id = analysis.id;
}

function greyPhoto(photo) {
  const c = document.createElement('canvas');
  c.width = photo.width;
  c.height = photo.height;
  const ctx = c.getContext('2d');
  ctx.drawImage(photo, 0, 0);
  const d = ctx.getImageData(0, 0, c.width, c.height);
  for (let i = 0; i < d.data.length; i += 4) {
    const v = 0.299 * d.data[i] + 0.587 * d.data[i + 1] + 0.114 * d.data[i + 2];
    d.data[i] = d.data[i + 1] = d.data[i + 2] = v;
  }
  ctx.putImageData(d, 0, 0);
  return c;
}

function currentView() {
  return document.querySelector('input[name=view]:checked').value;
}

function drawMarker(ctx, p, pinned) {
  const r = Math.max(5, Math.min(ctx.canvas.width, ctx.canvas.height) / 40);
  ctx.lineWidth = 3;
  ctx.strokeStyle = 'black';
  ctx.beginPath(); ctx.arc(p.x + 0.5, p.y + 0.5, r, 0, 2 * Math.PI); ctx.stroke();
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = pinned ? '#ffd400' : 'white';
  ctx.beginPath(); ctx.arc(p.x + 0.5, p.y + 0.5, r, 0, 2 * Math.PI); ctx.stroke();
  ctx.fillStyle = pinned ? '#ffd400' : 'white';
  ctx.fillRect(p.x - 1, p.y - 1, 3, 3);
}

function drawView() {
  const ctx = $('view').getContext('2d');
  ctx.drawImage(state.pictures[currentView()], 0, 0);
  const p = state.pinned || state.wanted;
  if (p) {
    drawMarker(ctx, p, !!state.pinned);
  }
}

function drawLegend(classes) {
  const legend = $('legend');
  legend.replaceChildren();
  for (const c of classes) {
    const item = document.createElement('span');
    const sw = document.createElement('span');
    sw.className = 'swatch';
    sw.style.background = c.colour;
    item.appendChild(sw);
    const share = 100 * c.fraction;
    item.appendChild(document.createTextNode(c.name + ' ' + (share < 0.05 ? '<0.1' : share.toFixed(1)) + '%'));
    legend.appendChild(item);
  }
}

// Draws a (gridHeight x gridWidth) map over the grey photo: values scaled to [0, 1], coloured,
// stretched smoothly to the picture (the browser's bilinear scaling).
function drawHeat(canvas, map, scaleFromZero, sqrt) {
  const w = map.gridWidth, h = map.gridHeight;
  const low = scaleFromZero ? 0 : map.min;
  const range = map.max - low;
  const scale = (v) => (sqrt ? Math.sqrt(v) : v);
  const small = document.createElement('canvas');
  small.width = w;
  small.height = h;
  const sctx = small.getContext('2d');
  const data = sctx.createImageData(w, h);
  for (let i = 0; i < w * h; i++) {
    const c = rampColour(range > 0 ? scale((map.values[i] - low) / range) : 0);
    data.data[4 * i] = c[0]; data.data[4 * i + 1] = c[1]; data.data[4 * i + 2] = c[2]; data.data[4 * i + 3] = 255;
  }
  sctx.putImageData(data, 0, 0);
  const ctx = canvas.getContext('2d');
  ctx.globalAlpha = 1;
  ctx.drawImage(state.grey, 0, 0, canvas.width, canvas.height);
  ctx.globalAlpha = 0.7;
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(small, 0, 0, canvas.width, canvas.height);
  ctx.globalAlpha = 1;
}

// A checksum of the values, so a test (or a curious user) can tell two maps apart.
function digest(values) {
  let s = 0;
  for (let i = 0; i < values.length; i++) {
    s += values[i] * ((i % 97) + 1);
  }
  return s.toFixed(7);
}

function pointAt(event) {
  const canvas = $('view');
  const rect = canvas.getBoundingClientRect();
  const x = Math.floor((event.clientX - rect.left) * canvas.width / rect.width);
  const y = Math.floor((event.clientY - rect.top) * canvas.height / rect.height);
  return {x: Math.max(0, Math.min(canvas.width - 1, x)), y: Math.max(0, Math.min(canvas.height - 1, y))};
}

function requestAttention(p) {
  state.wanted = p;
  drawView();
  if (state.analysis && state.analysis.attention.position) {
    pump();
  }
}

// At most one attention request in flight; when it returns, the latest wanted point goes next,
// so the map follows the mouse without queueing stale requests on the server.
async function pump() {
  if (state.loading || !state.wanted) {
    return;
  }
  const p = state.wanted;
  const id = state.analysis.id;
  if (state.shown && state.shown.x === p.x && state.shown.y === p.y && state.shown.id === id) {
    return;
  }
  state.loading = true;
  try {
    const r = await fetch(`/api/images/${id}/attention?x=${p.x}&y=${p.y}`);
    if (!r.ok) {
      setStatus('error: ' + await errorText(r), true);
      return;
    }
    const row = await r.json();
    if (!state.analysis || state.analysis.id !== id) {
      return;
    }
    state.row = row;
    state.rowPoint = p;
    drawAttention();
    const canvas = $('attention');
    canvas.dataset.point = p.x + ',' + p.y;
    canvas.dataset.cell = row.cell;
    canvas.dataset.digest = digest(row.values);
    canvas.dataset.sum = row.sum.toFixed(6);
    $('pam-caption').textContent = `pixel (${p.x}, ${p.y}), feature cell (${row.cellX}, ${row.cellY}) of `
        + `${row.gridWidth}x${row.gridHeight}; largest weight ${row.max.toExponential(2)}, sum ${row.sum.toFixed(4)}`;
    state.shown = {x: p.x, y: p.y, id: id};
  } catch (e) {
    setStatus('error: attention request failed (' + e + ')', true);
  } finally {
    state.loading = false;
  }
  if (state.wanted && (state.wanted.x !== p.x || state.wanted.y !== p.y)) {
    pump();
  }
}

function drawAttention() {
  const canvas = $('attention');
  drawHeat(canvas, state.row, true, $('sqrt').checked);
  drawMarker(canvas.getContext('2d'), state.rowPoint, !!state.pinned);
}

function drawChannelList(attention) {
  const list = $('channels');
  list.replaceChildren();
  $('channel-maps').replaceChildren();
  if (!attention.channel) {
    list.textContent = 'This model has no channel attention module.';
    return;
  }
  for (const ch of attention.channels) {
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.dataset.channel = ch.channel;
    box.addEventListener('change', () => toggleChannel(ch, box.checked));
    label.appendChild(box);
    const text = ch.kind === 'class'
        ? ` channel ${ch.channel}: ${ch.className} (contrast ${ch.score.toFixed(2)})`
        : ` channel ${ch.channel}: most active overall`;
    if (ch.colour) {
      const sw = document.createElement('span');
      sw.className = 'swatch';
      sw.style.cssText = `display:inline-block;width:11px;height:11px;margin:0 3px 0 5px;background:${ch.colour}`;
      label.appendChild(sw);
    }
    label.appendChild(document.createTextNode(text));
    list.appendChild(label);
  }
}

async function toggleChannel(ch, on) {
  const tiles = $('channel-maps');
  if (!on) {
    const tile = state.channelMaps.get(ch.channel);
    if (tile) {
      tile.remove();
      state.channelMaps.delete(ch.channel);
    }
    return;
  }
  const r = await fetch(`/api/images/${state.analysis.id}/channels/${ch.channel}`);
  if (!r.ok) {
    setStatus('error: ' + await errorText(r), true);
    return;
  }
  const map = await r.json();
  const figure = document.createElement('figure');
  const canvas = document.createElement('canvas');
  canvas.width = state.analysis.width;
  canvas.height = state.analysis.height;
  canvas.dataset.channel = ch.channel;
  drawHeat(canvas, map, false);
  const caption = document.createElement('figcaption');
  caption.textContent = `channel ${ch.channel}` + (ch.className ? ` (${ch.className})` : '')
      + `: activation ${map.min.toFixed(2)} .. ${map.max.toFixed(2)}`;
  figure.appendChild(canvas);
  figure.appendChild(caption);
  tiles.appendChild(figure);
  state.channelMaps.set(ch.channel, figure);
}

function setUp() {
  $('file').addEventListener('change', (e) => {
    const file = e.target.files[0];
    if (file) {
      analyze(file, file.name);
    }
  });
  const drop = $('drop');
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const file = e.dataTransfer.files[0];
    if (file) {
      analyze(file, file.name);
    }
  });
  const view = $('view');
  view.addEventListener('mousemove', (e) => {
    if (!state.pinned && state.analysis) {
      requestAttention(pointAt(e));
    }
  });
  view.addEventListener('click', (e) => {
    if (!state.analysis) {
      return;
    }
    state.pinned = pointAt(e);
    $('unpin').disabled = false;
    requestAttention(state.pinned);
  });
  $('unpin').addEventListener('click', () => {
    state.pinned = null;
    $('unpin').disabled = true;
    drawView();
  });
  $('sqrt').addEventListener('change', () => {
    if (state.row) {
      drawAttention();
    }
  });
  for (const radio of document.querySelectorAll('input[name=view]')) {
    radio.addEventListener('change', drawView);
  }
  loadInfo().catch((e) => setStatus('error: could not reach the server (' + e + ')', true));
}

setUp();
