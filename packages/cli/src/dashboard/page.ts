/** The dashboard's page: one card per server, filled by /app.js. */
export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>dalli dashboard</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; background: #f4f5f7; color: #1d2330; }
  header { display: flex; gap: 1em; align-items: baseline; padding: 12px 20px; background: #1d2330; color: #fff; }
  header h1 { font-size: 18px; margin: 0; }
  #status { color: #b8c0cc; }
  main { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 16px; padding: 16px 20px; }
  .server { background: #fff; border-radius: 8px; padding: 12px 16px; border-top: 4px solid #2e9d5b; box-shadow: 0 1px 3px #0002; }
  .server.warn { border-top-color: #e0a100; }
  .server.down { border-top-color: #d33a2c; }
  .server h2 { font-size: 15px; margin: 0 0 8px; font-family: ui-monospace, monospace; }
  .server .reason { color: #d33a2c; min-height: 1em; }
  canvas { width: 100%; height: 140px; display: block; }
  .legend span { margin-right: 1em; font-size: 12px; }
  .legend i { display: inline-block; width: 10px; height: 3px; margin-right: 4px; vertical-align: middle; }
  dl { display: grid; grid-template-columns: repeat(5, auto); gap: 2px 12px; margin: 8px 0 0; }
  dt { font-size: 11px; color: #667085; text-transform: uppercase; }
  dd { margin: 0 0 6px; font-family: ui-monospace, monospace; }
  .hot:empty { display: none; }
  .hot h3 { font-size: 12px; color: #667085; text-transform: uppercase; margin: 8px 0 4px; font-weight: normal; }
  .hot ol { margin: 0; padding-left: 2.2em; font-family: ui-monospace, monospace; font-size: 13px; }
  .hot li span { color: #667085; margin-left: 1em; }
  .hot .refused { color: #d33a2c; }
</style>
</head>
<body>
<header><h1>dalli dashboard</h1><span id="status">connecting…</span></header>
<main id="servers"></main>
<script src="/app.js"></script>
</body>
</html>
`;

/** The page's script: listens to /events (server-sent events) and draws each server's history. */
export const APP_JS = `'use strict';
const HISTORY = 120;
const SERIES = [['total', '#3b6fd8'], ['get', '#2e9d5b'], ['set', '#e07b00']];
const FIGURES = [['ops', 'ops/s'], ['get', 'get/s'], ['set', 'set/s'], ['hit', 'hit ratio'], ['evictions', 'evictions/s'],
  ['in', 'bytes in/s'], ['out', 'bytes out/s'], ['connections', 'connections'], ['items', 'items']];
const servers = new Map();

function card(name) {
  if (servers.has(name)) return servers.get(name);
  const section = document.createElement('section');
  section.className = 'server';
  section.dataset.server = name;
  section.innerHTML = '<h2></h2><div class="reason"></div><canvas width="960" height="280"></canvas><div class="legend">' +
    SERIES.map(([label, colour]) => '<span><i style="background:' + colour + '"></i>' + label + '/s</span>').join('') +
    '</div><dl>' + FIGURES.map(([key, label]) => '<div><dt>' + label + '</dt><dd data-figure="' + key + '">-</dd></div>').join('') + '</dl><div class="hot"></div>';
  section.querySelector('h2').textContent = name;
  const entry = { section, points: [] };
  servers.set(name, entry);
  const main = document.getElementById('servers');
  const after = [...main.children].find((other) => other.dataset.server > name);
  main.insertBefore(section, after ?? null);
  return entry;
}

function rate(value) { return value >= 100 ? value.toFixed(0) : value.toFixed(1); }
function bytes(value) {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
  return (unit === 0 ? Math.round(value) : value.toFixed(1)) + ' ' + units[unit];
}

// The client's health tracking, as top-health.ts words it for the terminal.
function healthNote(health) {
  if (!health) return '';
  const parts = [];
  if (health.ejected) parts.push('ejected for ' + (health.ejected === 'latency' ? 'slow replies' : 'failing requests'));
  if (health.flaps > 0) parts.push('flapping (' + health.flaps + ' in a row)');
  if (health.nextProbeIn !== undefined) parts.push('next probe in ' + (health.nextProbeIn / 1000).toFixed(1) + ' s');
  return parts.join(', ');
}

function update(row) {
  const entry = card(row.name);
  const { section } = entry;
  section.classList.toggle('down', !row.up);
  const note = healthNote(row.health);
  section.querySelector('.reason').textContent = (row.up ? '' : 'down: ' + row.error) + (note && !row.up ? ' (' + note + ')' : note);
  if (!row.up) return;
  const r = row.rates;
  section.classList.toggle('warn', note !== '' || r.evictionsPerSecond > 0 || (r.hitRatio !== undefined && r.hitRatio < 0.8));
  entry.points.push({ total: r.totalOpsPerSecond, get: r.opsPerSecond.get, set: r.opsPerSecond.set });
  if (entry.points.length > HISTORY) entry.points.shift();
  const figures = { ops: rate(r.totalOpsPerSecond), get: rate(r.opsPerSecond.get), set: rate(r.opsPerSecond.set),
    hit: r.hitRatio === undefined ? '-' : (r.hitRatio * 100).toFixed(1) + '%', evictions: rate(r.evictionsPerSecond),
    in: bytes(r.bytesInPerSecond), out: bytes(r.bytesOutPerSecond), connections: String(r.connections), items: String(r.items) };
  for (const [key, text] of Object.entries(figures)) section.querySelector('[data-figure="' + key + '"]').textContent = text;
  section.dataset.points = String(entry.points.length);
  draw(section.querySelector('canvas'), entry.points);
}

function draw(canvas, points) {
  const g = canvas.getContext('2d');
  const { width, height } = canvas;
  g.clearRect(0, 0, width, height);
  const top = Math.max(1, ...points.map((p) => p.total)) * 1.1;
  g.strokeStyle = '#e4e7ec'; g.lineWidth = 1; g.fillStyle = '#667085'; g.font = '20px system-ui';
  for (let i = 0; i <= 4; i++) {
    const y = height - (i / 4) * (height - 10);
    g.beginPath(); g.moveTo(0, y); g.lineTo(width, y); g.stroke();
    if (i > 0) g.fillText(rate((top * i) / 4), 4, y + 20);
  }
  for (const [key, colour] of SERIES) {
    g.strokeStyle = colour; g.lineWidth = 3; g.beginPath();
    points.forEach((p, i) => {
      const x = width - (points.length - 1 - i) * (width / (HISTORY - 1));
      const y = height - (p[key] / top) * (height - 10);
      if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
    });
    g.stroke();
  }
}

// Hot keys (dalli dashboard --keys): built with textContent, since a key may hold any characters.
function hotKeys(row) {
  const box = card(row.server).section.querySelector('.hot');
  const title = document.createElement('h3');
  const list = document.createElement('ol');
  if (row.ok) {
    title.textContent = 'most fetched keys (' + row.sample.fetches + ' fetches, watch fetchers)';
    for (const key of row.sample.keys) {
      const item = document.createElement('li');
      const share = document.createElement('span');
      item.textContent = key.key;
      share.textContent = (key.share * 100).toFixed(1) + '%';
      item.append(share);
      list.append(item);
    }
  } else {
    title.className = 'refused';
    title.textContent = 'hot keys: ' + row.error;
  }
  box.replaceChildren(title, list);
}

const events = new EventSource('/events');
events.onmessage = (message) => {
  const frame = JSON.parse(message.data);
  for (const row of frame.rows) update(row);
  for (const row of frame.keys ?? []) hotKeys(row);
  document.getElementById('status').textContent = frame.rows.length + ' servers, updated ' + new Date(frame.at).toLocaleTimeString();
};
events.onerror = () => { document.getElementById('status').textContent = 'disconnected; retrying…'; };
`;
