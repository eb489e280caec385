// The results as a Markdown table (one row per scenario and client), for the README.
const fixed = (value, digits) => (value === undefined ? '–' : value.toFixed(digits));
const thousands = (value) => Math.round(value).toLocaleString('en-US');

export function renderMarkdown(records) {
  const rows = [
    '| scenario | client | ops/s (median) | min–max | vs raw | CPU µs/op | p50 ms | p99 ms | peak RSS MB |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of records) {
    if (r.failed) {
      rows.push(`| ${r.scenario} | ${r.client} | failed | | | | | | |`);
      continue;
    }
    const range = `${thousands(r.opsPerSecondMin)}–${thousands(r.opsPerSecondMax)}`;
    const client = r.clientId === 'dalli' ? `**${r.client}**` : r.client;
    rows.push(
      `| ${r.scenario} | ${client} | ${thousands(r.opsPerSecond)} | ${range} | ${fixed(r.ratioToRaw, 2)} | ` +
        `${fixed(r.cpuMicrosPerOp, 2)} | ${fixed(r.p50Ms, 3)} | ${fixed(r.p99Ms, 3)} | ${fixed(r.peakRssMb, 0)} |`,
    );
  }
  return `${rows.join('\n')}\n`;
}

/** One row per scenario, one column per client: ops/s and the ratio to the raw bound. */
export function renderSummary(records, clientOrder) {
  const clients = clientOrder.filter((name) => records.some((r) => r.client === name && !r.failed));
  const scenarios = [...new Set(records.map((r) => r.scenario))];
  const rows = [`| scenario | ${clients.join(' | ')} |`, `| --- |${clients.map(() => ' ---: |').join('')}`];
  for (const scenario of scenarios) {
    const cells = clients.map((client) => {
      const r = records.find((record) => record.scenario === scenario && record.client === client);
      if (r === undefined) return '';
      if (r.failed) return 'failed';
      const ratio = r.ratioToRaw === undefined || r.clientId === 'raw' ? '' : ` (${r.ratioToRaw.toFixed(2)})`;
      const p99 = r.ratioToRaw === undefined ? `, p99 ${r.p99Ms.toFixed(2)} ms` : '';
      return `${thousands(r.opsPerSecond)}${ratio}${p99}`;
    });
    rows.push(`| ${scenario} | ${cells.join(' | ')} |`);
  }
  return `${rows.join('\n')}\n`;
}
