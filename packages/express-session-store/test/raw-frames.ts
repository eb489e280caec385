import { connect } from 'node:net';

/** Opcodes of the binary request frames in a chunk. */
export function frameOpcodes(bytes: Buffer): number[] {
  const opcodes: number[] = [];
  for (let at = 0; at + 24 <= bytes.length; at += 24 + bytes.readUInt32BE(at + 8))
    opcodes.push(bytes[at + 1] as number);
  return opcodes;
}

const NOOP = Buffer.from([0x80, 0x0a, ...new Array<number>(22).fill(0)]);

/**
 * Sends binary request frames to memcached on a connection of its own, as if they arrived late
 * from another connection, and resolves once the server has answered all of them (a NOOP closes them).
 */
export function deliverLate(address: string, frames: Buffer): Promise<void> {
  const colon = address.lastIndexOf(':');
  return new Promise((resolve, reject) => {
    const socket = connect(Number(address.slice(colon + 1)), address.slice(0, colon));
    let replies = Buffer.alloc(0);
    socket.once('connect', () => socket.write(Buffer.concat([frames, NOOP])));
    socket.on('data', (chunk) => {
      replies = Buffer.concat([replies, chunk]);
      if (!frameOpcodes(replies).includes(0x0a)) return;
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}
