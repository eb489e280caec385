import { spawnSync } from 'node:child_process';

/** Debian's python3-pylibmc (libmemcached 1.0.18), which the test command installs. */
const PYTHON = '/usr/bin/python3';

/**
 * Writes `keys` (each with its own value) through pylibmc with `behaviors`, onto `servers`
 * (`host:port:weight`), the way a Python app sharing the cluster does.
 */
export function writeThroughPylibmc(servers: readonly string[], behaviors: object, keys: readonly string[]): void {
  const program = `
import json, sys, pylibmc
job = json.load(sys.stdin)
client = pylibmc.Client(job['servers'], binary=False, behaviors=job['behaviors'])
keys = job['keys']
for start in range(0, len(keys), 1000):
    chunk = {k: ('value of ' + k).encode('utf-8') for k in keys[start:start + 1000]}
    failed = client.set_multi(chunk)
    if failed:
        raise SystemExit('pylibmc could not store %d keys, e.g. %r' % (len(failed), failed[0]))
`;
  const run = spawnSync(PYTHON, ['-c', program], {
    input: JSON.stringify({ servers, behaviors, keys }),
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`pylibmc failed (${run.status}): ${run.stderr}`);
}
