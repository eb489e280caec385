import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';

/** One binary-protocol request as the scripted server received it. */
export interface ScriptedRequest {
  readonly opcode: number;
  readonly opaque: number;
  readonly key: string;
  /** Which accepted connection it came on, counting from 0. */
  readonly connection: number;
}

/** The binary NOOP opcode. */
const NOOP = 0x0a;

/** Answers one request (every request but a NOOP): write whatever bytes the fault needs to `socket` (or nothing at all). */
export type ScriptedReply = (request: ScriptedRequest, socket: Socket) => void;

/**
 * A hostile or broken "server" on 127.0.0.1 that speaks just enough of the binary protocol to cut
 * requests into frames and hand each to a script: for replies no real memcached would send (a
 * counter without its 8 bytes, a STAT reply that never ends). Never a stand-in for memcached.
 */
export class ScriptedServer {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  #port = 0;
  /** Connections accepted so far. */
  accepted = 0;

  constructor(reply: ScriptedReply) {
    this.#server = createServer({ noDelay: true }, (socket) => this.#accept(socket, reply));
  }

  get address(): string {
    return `127.0.0.1:${this.#port}`;
  }

  async listen(): Promise<this> {
    this.#server.listen(0, '127.0.0.1');
    await once(this.#server, 'listening');
    const address = this.#server.address();
    if (address === null || typeof address !== 'object') throw new Error('scripted server has no port');
    this.#port = address.port;
    return this;
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(socket: Socket, reply: ScriptedReply): void {
    const connection = this.accepted++;
    this.#sockets.add(socket);
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 24 && pending.length >= 24 + pending.readUInt32BE(8)) {
        const keyStart = 24 + (pending[4] as number);
        const key = pending.toString('utf8', keyStart, keyStart + pending.readUInt16BE(2));
        const request = { opcode: pending[1] as number, opaque: pending.readUInt32BE(12), key, connection };
        pending = pending.subarray(24 + pending.readUInt32BE(8));
        if (socket.destroyed) continue;
        // A NOOP (the client's greeting on a new connection, a batch's barrier) is answered as
        // memcached answers it, so that scripts only deal with the requests they are about.
        if (request.opcode === NOOP) socket.write(replyFrame({ opcode: NOOP, opaque: request.opaque }));
        else reply(request, socket);
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.#sockets.delete(socket));
  }
}

/** A binary reply frame: header fields, then extras, key and value, as memcached lays them out. */
export function replyFrame(fields: {
  opcode: number;
  opaque: number;
  status?: number;
  extras?: Buffer;
  key?: string;
  value?: Buffer;
}): Buffer {
  const extras = fields.extras ?? Buffer.alloc(0);
  const key = Buffer.from(fields.key ?? '', 'utf8');
  const value = fields.value ?? Buffer.alloc(0);
  const header = Buffer.alloc(24);
  header[0] = 0x81;
  header[1] = fields.opcode;
  header.writeUInt16BE(key.length, 2);
  header[4] = extras.length;
  header.writeUInt16BE(fields.status ?? 0, 6);
  header.writeUInt32BE(extras.length + key.length + value.length, 8);
  header.writeUInt32BE(fields.opaque, 12);
  return Buffer.concat([header, extras, key, value]);
}

/** Starts a scripted server on a free 127.0.0.1 port. */
export function startScriptedServer(reply: ScriptedReply): Promise<ScriptedServer> {
  return new ScriptedServer(reply).listen();
}
