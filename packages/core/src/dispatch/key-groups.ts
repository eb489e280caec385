import type { Server } from '../cluster/server.ts';
import type { BatchPart } from './batch.ts';
import { KeyGroupExchange } from './key-group-exchange.ts';

/**
 * Sends each server's gets as multi-key requests within the dialect's bounds (text
 * `gets k1 k2 …\r\n`): at most `keys` keys, whose bytes and one space each stay within `keyBytes`.
 */
export function sendKeyGroups<R>(
  groups: ReadonlyMap<Server, BatchPart<R>[]>,
  bounds: { readonly keys: number; readonly keyBytes: number },
): void {
  for (const [server, parts] of groups) {
    let group: BatchPart<R>[] = [];
    let bytes = 0;
    const flush = (): void => {
      for (const part of group) part.attempts++;
      server.send(new KeyGroupExchange(group));
      group = [];
      bytes = 0;
    };
    for (const part of parts) {
      const size = Buffer.byteLength(part.wireKey) + 1;
      if (group.length === bounds.keys || (group.length > 0 && bytes + size > bounds.keyBytes)) flush();
      group.push(part);
      bytes += size;
    }
    if (group.length > 0) flush();
  }
}
