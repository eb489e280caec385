import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from './run-command.ts';

/**
 * Writes a Cyrus SASL configuration for memcached into `dir`: PLAIN over a sasldb holding `users`.
 * memcached finds it through `SASL_CONF_PATH=dir` (Debian's build ignores MEMCACHED_SASL_PWDB).
 */
export function writeSaslConfig(dir: string, users: Readonly<Record<string, string>>): void {
  const database = join(dir, 'sasldb2');
  writeFileSync(join(dir, 'memcached.conf'), `mech_list: plain\nsasldb_path: ${database}\n`);
  for (const [user, password] of Object.entries(users)) {
    runCommand('saslpasswd2', ['-a', 'memcached', '-c', '-p', '-f', database, user], password);
  }
}
