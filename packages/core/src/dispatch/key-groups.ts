import type { Server } from '../cluster/server.ts';
import type { BatchPart } from './batch.ts';
import { KeyGroupExchange } from './key-group-exchange.ts';

/**
 * Sends each server's share of a batch, one request a key, in one step per server (admitted or
 * refused whole by the server's queue depth, see `Server#sendAll`).
 */
export function sendShares<R>(shares: ReadonlyMap<Server, BatchPart<R>[]>): void {
  for (const [server, parts] of shares) {
    for (const part of parts) part.attempts++;
    server.sendAll(parts);
  }
}

/**
 * Sends each server's gets as multi-key requests within the dialect's bounds (text
 * `gets k1 k2 …\r\n`): at most `keys` keys, whose bytes and one space each stay within `keyBytes`;
 * a server's requests go in one step, as {@link sendShares} does.
 */
export function sendKeyGroups<R>(
  shares: ReadonlyMap<Server, BatchPart<R>[]>,
  bounds: { readonly keys: number; readonly keyBytes: number },
): void {
  for (const [server, parts] of shares) {
    const requests: KeyGroupExchange[] = [];
    let group: BatchPart<R>[] = [];
    let bytes = 0;
    const close = (): void => {
      for (const part of group) part.attempts++;
      requests.push(new KeyGroupExchange(group));
      group = [];
      bytes = 0;
    };
    for (const part of parts) {
      const size = Buffer.byteLength(part.wireKey) + 1;
      if (group.length === bounds.keys || (group.length > 0 && bytes + size > bounds.keyBytes)) close();
      group.push(part);
      bytes += size;
    }
    if (group.length > 0) close();
    server.sendAll(requests);
  }
}
