import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const DASHBOARD = fileURLToPath(new URL('../../../../docs/grafana-dashboard.json', import.meta.url));

it("docs/grafana-dashboard.json's queries are valid PromQL (promtool check rules) over the exported names", () => {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: { targets?: { expr: string }[] }[] };
  const expressions = dashboard.panels.flatMap((panel) => panel.targets ?? []).map((target) => target.expr);
  expect(expressions.length).toBeGreaterThan(10);
  // Grafana's variables, as Grafana substitutes them before sending the query.
  const promql = expressions.map((expr) => expr.replaceAll('$__rate_interval', '1m').replaceAll('$server', '.*'));
  const rules = promql.map((expr, i) => `      - record: dashboard:query${i}\n        expr: ${JSON.stringify(expr)}\n`);
  const dir = mkdtempSync(join(tmpdir(), 'dalli-dashboard-'));
  try {
    writeFileSync(join(dir, 'rules.yml'), `groups:\n  - name: dashboard\n    rules:\n${rules.join('')}`);
    const check = spawnSync('/usr/bin/promtool', ['check', 'rules', join(dir, 'rules.yml')], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  for (const name of ['memcached_up', 'memcached_commands_total', 'dalli_client_operation_duration_seconds_bucket'])
    expect(expressions.join('\n')).toContain(name);
});
