// Writes a run's results as JSON, a chart (SVG) and Markdown tables, under bench/results/<name>.*
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderChart } from './chart.mjs';
import { clients } from './clients/index.mjs';
import { renderMarkdown, renderSummary } from './markdown.mjs';

export const resultsDir = fileURLToPath(new URL('../results/', import.meta.url));

export function writeReports(summary, name) {
  const clientOrder = Object.values(clients).map((client) => client.name);
  mkdirSync(resultsDir, { recursive: true });
  const base = `${resultsDir}${name}`;
  writeFileSync(`${base}.json`, `${JSON.stringify(summary, null, 2)}\n`);
  const title = `memcached clients on Node ${summary.node}, ${summary.date.slice(0, 10)}`;
  writeFileSync(`${base}.svg`, renderChart(summary.records, { title, clientOrder }));
  writeFileSync(`${base}.md`, `${renderSummary(summary.records, clientOrder)}\n${renderMarkdown(summary.records)}`);
  return [`${base}.json`, `${base}.svg`, `${base}.md`];
}
