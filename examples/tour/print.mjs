// How the tour prints: a heading per step, then aligned "what was called -> what came back" lines.
export const step = (title) => console.log(`\n▸ ${title}`);

export const show = (label, value) =>
  console.log(`  ${label.padEnd(40)} ${typeof value === 'string' ? value : JSON.stringify(value, jsonSafe)}`);

export const note = (text) => console.log(`  ${text}`);

// bigint (CAS tokens, counters) is not JSON; show it as digits.
const jsonSafe = (_key, value) => (typeof value === 'bigint' ? `${value}n` : value);
