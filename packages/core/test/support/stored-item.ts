import { binaryProtocol } from '../../src/protocol/binary/index.ts';
import { Op } from '../../src/protocol/command.ts';
import { type Reply, ReplyStatus } from '../../src/protocol/reply.ts';
import { Connection } from '../../src/transport/connection.ts';
import { exchange } from './exchanges.ts';

/** An item exactly as memcached holds it: the flags word and the value bytes. */
export interface StoredItem {
  readonly flags: number;
  readonly bytes: Buffer;
}

function decodeItem(reply: Reply): StoredItem | undefined {
  if (reply.status === ReplyStatus.notFound) return undefined;
  return { flags: reply.flags, bytes: Buffer.from(reply.buffer.subarray(reply.valueStart, reply.valueEnd)) };
}

/**
 * Reads an item by its wire key on a connection of its own, below the client's value rules, so
 * tests can check the bytes and flags that really went over the wire.
 */
export async function storedItem(address: string, wireKey: string): Promise<StoredItem | undefined> {
  const [host, port] = address.split(':') as [string, string];
  const connection = new Connection({
    server: address,
    protocol: binaryProtocol,
    address: { host, port: Number(port) },
    timeout: 2_000,
    maxBodyLength: 64 << 20,
  });
  const get = exchange({ name: 'storedItem', decode: decodeItem, idempotent: true }, { op: Op.get, key: wireKey });
  connection.send(get);
  try {
    return await get.promise;
  } finally {
    await connection.close();
  }
}
