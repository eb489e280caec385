import { connect as netConnect, type Socket } from 'node:net';
import { type ConnectionOptions, connect as tlsConnect } from 'node:tls';

/**
 * Sends a binary VERSION request on a fresh socket and resolves with the reply text. Deliberately
 * independent of @dalli/core, which these utilities exist to test.
 */
export function rawVersion(
  target: { port: number; host?: string } | { path: string },
  tls?: ConnectionOptions,
  preface: Buffer = Buffer.alloc(0),
): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = Buffer.alloc(24);
    request[0] = 0x80;
    request[1] = 0x0b;
    const onReady = (): void => {
      socket.write(Buffer.concat([preface, request]));
    };
    const socket: Socket =
      tls === undefined ? netConnect(target as never, onReady) : tlsConnect({ ...tls, ...target }, onReady);
    let received = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      // Skip replies to the preface (SASL frames) and read the last frame, the VERSION reply.
      let at = 0;
      while (received.length >= at + 24) {
        const length = 24 + received.readUInt32BE(at + 8);
        if (received.length < at + length) return;
        if (received[at + 1] === 0x0b) {
          socket.destroy();
          resolve(received.toString('utf8', at + 24, at + length));
          return;
        }
        at += length;
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error('closed before a VERSION reply')));
  });
}

/** A binary SASL PLAIN auth frame, to put before the VERSION request. */
export function saslPlainFrame(user: string, password: string): Buffer {
  const key = Buffer.from('PLAIN');
  const value = Buffer.from(`\0${user}\0${password}`);
  const frame = Buffer.alloc(24 + key.length + value.length);
  frame[0] = 0x80;
  frame[1] = 0x21;
  frame.writeUInt16BE(key.length, 2);
  frame.writeUInt32BE(key.length + value.length, 8);
  key.copy(frame, 24);
  value.copy(frame, 24 + key.length);
  return frame;
}
