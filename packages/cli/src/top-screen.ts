import { table } from './format/table.ts';
import { escapeControls } from './format/terminal-text.ts';
import { bytes, percent } from './stats-figures.ts';
import { healthNote } from './top-health.ts';
import type { ServerRow } from './top-sampler.ts';

const HEADER = ['SERVER', 'OPS/S', 'GET', 'SET', 'DEL', 'INCR', 'DECR', 'TOUCH', 'HIT', 'EVICT/S', 'IN/S', 'OUT/S'];
const COLOUR = { red: '\u001b[31m', yellow: '\u001b[33m', green: '\u001b[32m', bold: '\u001b[1m', reset: '\u001b[0m' };

/**
 * The `top` table: one row per server, coloured red when down, yellow when missing or evicting,
 * green otherwise; why a server is down follows the table, with what the client's health tracking
 * says (flapping, ejected, next probe), also for a server that is up. With `queued`, a last QUEUED
 * column gives the requests the watched client or application holds for each server (in flight
 * plus queued; `?` while the application's metrics cannot be read).
 */
export function renderRows(rows: readonly ServerRow[], colour: boolean, queued = false): string {
  const paint = (code: string, text: string): string => (colour ? `${code}${text}${COLOUR.reset}` : text);
  const titles = [...HEADER, 'CONNS', 'ITEMS', ...(queued ? ['QUEUED'] : [])];
  const lines = rows.map((row) => {
    const figures = cells(row, paint);
    if (!queued) return figures;
    // A down row is short; QUEUED still goes in the last column (a stalled server's queue is the news).
    return [...figures, ...Array<string>(titles.length - 1 - figures.length).fill(''), `${row.queued ?? '?'}`];
  });
  const reasons = rows.flatMap((row) => {
    const note = healthNote(row.health);
    if (row.up) return note === undefined ? [] : [paint(COLOUR.yellow, `${row.name} ${note}`)];
    return [
      paint(COLOUR.red, `${row.name} down: ${escapeControls(row.error)}${note === undefined ? '' : ` (${note})`}`),
    ];
  });
  const header = titles.map((title) => paint(COLOUR.bold, title));
  return table([header, ...lines]) + reasons.map((reason) => `${reason}\n`).join('');
}

/** One server's figures; a down server's row is its name and DOWN. */
function cells(row: ServerRow, paint: (code: string, text: string) => string): string[] {
  if (!row.up) return [paint(COLOUR.red, row.name), paint(COLOUR.red, 'DOWN')];
  const r = row.rates;
  const ops = r.opsPerSecond;
  const warn = r.evictionsPerSecond > 0 || (r.hitRatio !== undefined && r.hitRatio < 0.8);
  return [
    paint(warn ? COLOUR.yellow : COLOUR.green, row.name),
    rate(r.totalOpsPerSecond),
    ...[ops.get, ops.set, ops.delete, ops.incr, ops.decr, ops.touch].map(rate),
    percent(r.hitRatio),
    rate(r.evictionsPerSecond),
    `${bytes(Math.round(r.bytesInPerSecond))}`,
    `${bytes(Math.round(r.bytesOutPerSecond))}`,
    `${r.connections}`,
    `${r.items}`,
  ];
}

function rate(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}
