import type { Command } from '../command.ts';
import { ExitCode, UsageError } from '../exit-codes.ts';
import { json, table } from '../format/table.ts';

/** `dalli locate <key…>`: where keys live, as the client's `locate()` sees it. No request is sent. */
export const locate: Command = {
  name: 'locate',
  usage: '<key…> [--json]',
  summary: 'wire key, hash, owning server and current route of each key',
  example: 'dalli locate user:42 session:abc --servers 10.0.0.1:11211,10.0.0.2:11211',
  flags: { json: { type: 'boolean' } },
  async run(context) {
    if (context.args.length === 0) throw new UsageError('locate needs at least one key');
    const client = context.client();
    const locations = context.args.map((key) => {
      const at = client.locate(key);
      return { key, wireKey: at.key, hash: at.hash, distribution: at.distribution, server: at.server, route: at.route };
    });
    if (context.flags.json) {
      context.io.stdout.write(json(locations));
      return ExitCode.ok;
    }
    const rows = locations.map((at) => [at.key, at.wireKey, String(at.hash), at.server, at.route ?? '(none: down)']);
    context.io.stdout.write(table([['KEY', 'WIRE KEY', 'HASH', 'SERVER', 'ROUTE'], ...rows]));
    return ExitCode.ok;
  },
};
