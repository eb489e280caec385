// Draws the results as an SVG bar chart: for each scenario, each client's throughput as a share
// of the raw lower bound measured in the same run. Plain SVG, no dependencies.
const COLORS = ['#2b6cb0', '#90cdf4', '#dd6b20', '#38a169', '#805ad5', '#d53f8c'];
const escapeXml = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;');

export function renderChart(records, { title }) {
  const scenarios = [...new Set(records.filter((r) => r.ratioToRaw !== undefined).map((r) => r.scenario))];
  const clients = [...new Set(records.filter((r) => r.ratioToRaw !== undefined).map((r) => r.client))];
  const bar = 14;
  const gap = 10;
  const labelWidth = 270;
  const plotWidth = 520;
  const groupHeight = clients.length * bar + gap;
  const top = 60;
  const height = top + scenarios.length * groupHeight + 30 + Math.ceil(clients.length / 2) * 18;
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
      `<line x1="${x}" y1="${top - 6}" x2="${x}" y2="${top + scenarios.length * groupHeight}" stroke="${tick === 1 ? '#333' : '#ddd'}"/>`,
    );
    out.push(`<text x="${x}" y="${top - 9}" text-anchor="middle" fill="#555">${tick.toFixed(2)}</text>`);
  }
  scenarios.forEach((scenario, s) => {
    const y0 = top + s * groupHeight;
    out.push(
      `<text x="${labelWidth - 8}" y="${y0 + (clients.length * bar) / 2 + 4}" text-anchor="end">${escapeXml(scenario)}</text>`,
    );
    clients.forEach((client, c) => {
      const record = records.find((r) => r.scenario === scenario && r.client === client);
      if (record?.ratioToRaw === undefined) return;
      const y = y0 + c * bar;
      const w = Math.max(1, scale(record.ratioToRaw));
      out.push(
        `<rect x="${labelWidth}" y="${y}" width="${w.toFixed(1)}" height="${bar - 2}" fill="${COLORS[c % COLORS.length]}"/>`,
      );
      out.push(
        `<text x="${labelWidth + w + 4}" y="${y + bar - 4}" font-size="10" fill="#333">${record.ratioToRaw.toFixed(2)}</text>`,
      );
    });
  });
  const legendTop = top + scenarios.length * groupHeight + 20;
  clients.forEach((client, c) => {
    const x = 10 + (c % 2) * 330;
    const y = legendTop + Math.floor(c / 2) * 18;
    out.push(`<rect x="${x}" y="${y - 10}" width="12" height="12" fill="${COLORS[c % COLORS.length]}"/>`);
    out.push(`<text x="${x + 18}" y="${y}">${escapeXml(client)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
