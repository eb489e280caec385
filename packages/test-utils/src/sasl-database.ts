import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from './run-command.ts';
import { scratchDir } from './scratch-dir.ts';

/**
 * Creates a Cyrus SASL configuration for memcached in a temporary directory: PLAIN over a sasldb
 * holding `users`. memcached finds it through `SASL_CONF_PATH` (Debian's build ignores
 * MEMCACHED_SASL_PWDB). Returns the directory to pass as SASL_CONF_PATH.
 */
export function createSaslConfig(users: Readonly<Record<string, string>>): string {
  const dir = scratchDir('sasl');
  const database = join(dir, 'sasldb2');
  writeFileSync(join(dir, 'memcached.conf'), `mech_list: plain\nsasldb_path: ${database}\n`);
  for (const [user, password] of Object.entries(users)) {
    runCommand('saslpasswd2', ['-a', 'memcached', '-c', '-p', '-f', database, user], password);
  }
  return dir;
}
