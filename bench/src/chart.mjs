// Draws the results as an SVG bar chart: for each scenario, each client's throughput as a share
// of the raw lower bound measured in the same run. Plain SVG, no dependencies.
const COLORS = ['#2b6cb0', '#90cdf4', '#dd6b20', '#38a169', '#805ad5', '#d53f8c'];
const escapeXml = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;');

/**
 * @param records one per scenario and client
 * @param clientOrder client names in the bench's order, which fixes each client's colour and row
 */
export function renderChart(records, { title, clientOrder }) {
  const charted = records
    .filter((r) => r.ratioToRaw !== undefined)
    .sort((a, b) => clientOrder.indexOf(a.client) - clientOrder.indexOf(b.client));
  const scenarios = [...new Set(charted.map((r) => r.scenario))];
  const clients = clientOrder.filter((name) => charted.some((r) => r.client === name));
  const bar = 14;
  const gap = 12;
  const labelWidth = 270;
  const plotWidth = 520;
  // A group is as tall as the clients that ran in it (the traced variant runs in one scenario only).
  const groups = scenarios.map((scenario) => charted.filter((r) => r.scenario === scenario));
  const groupTops = [];
  let plotHeight = 0;
  for (const group of groups) {
    groupTops.push(plotHeight);
    plotHeight += group.length * bar + gap;
  }
  const top = 60;
  const height = top + plotHeight + 30 + Math.ceil(clients.length / 2) * 18;
  const width = labelWidth + plotWidth + 90;
  const scale = (ratio) => Math.min(ratio, 1.25) * (plotWidth / 1.25);
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="22" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="10" y="40" fill="#555">Throughput as a share of the raw lower bound (pre-encoded requests, header-only parsing), same run. Longer is better.</text>`,
  ];
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    const x = labelWidth + scale(tick);
    out.push(
      `<line x1="${x}" y1="${top - 6}" x2="${x}" y2="${top + plotHeight}" stroke="${tick === 1 ? '#333' : '#ddd'}"/>`,
    );
    out.push(`<text x="${x}" y="${top - 9}" text-anchor="middle" fill="#555">${tick.toFixed(2)}</text>`);
  }
  groups.forEach((group, s) => {
    const y0 = top + groupTops[s];
    out.push(
      `<text x="${labelWidth - 8}" y="${y0 + (group.length * bar) / 2 + 4}" text-anchor="end">${escapeXml(scenarios[s])}</text>`,
    );
    group.forEach((record, row) => {
      const color = COLORS[clients.indexOf(record.client) % COLORS.length];
      const y = y0 + row * bar;
      const w = Math.max(1, scale(record.ratioToRaw));
      out.push(`<rect x="${labelWidth}" y="${y}" width="${w.toFixed(1)}" height="${bar - 2}" fill="${color}"/>`);
      out.push(
        `<text x="${labelWidth + w + 4}" y="${y + bar - 4}" font-size="10" fill="#333">${record.ratioToRaw.toFixed(2)}</text>`,
      );
    });
  });
  const legendTop = top + plotHeight + 20;
  clients.forEach((client, c) => {
    const x = 10 + (c % 2) * 330;
    const y = legendTop + Math.floor(c / 2) * 18;
    out.push(`<rect x="${x}" y="${y - 10}" width="12" height="12" fill="${COLORS[c % COLORS.length]}"/>`);
    out.push(`<text x="${x + 18}" y="${y}">${escapeXml(client)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
