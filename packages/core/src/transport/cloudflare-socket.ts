import { EventEmitter } from 'node:events';

/**
 * The part of `cloudflare:sockets` this transport uses (Cloudflare Workers' TCP API):
 * https://developers.cloudflare.com/workers/runtime-apis/tcp-sockets/
 */
interface WorkersSocket {
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;
  readonly opened: Promise<unknown>;
  close(): Promise<void>;
}
type WorkersConnect = (
  address: { hostname: string; port: number },
  options: { secureTransport: 'on' | 'off'; allowHalfOpen: boolean },
) => WorkersSocket;

/**
 * Workers allow six simultaneous outgoing connections per request; a seventh `connect()` waits
 * until one closes, which for a connection pool that holds its sockets means forever. Opening one
 * more fails at once instead (a ConnectionError for the requests on it).
 * https://developers.cloudflare.com/workers/platform/limits/#simultaneous-open-connections
 */
export const WORKERS_CONNECTION_LIMIT = 6;
let open = 0;

/** The `cloudflare:sockets` module, loaded on first use: the specifier exists only in workerd. */
let sockets: Promise<{ connect: WorkersConnect }> | undefined;
const SOCKETS_MODULE = 'cloudflare:sockets';

/** Whether this code runs in Cloudflare Workers (workerd sets this user agent). */
export function onCloudflareWorkers(): boolean {
  return (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent === 'Cloudflare-Workers';
}

/**
 * A TCP socket over `cloudflare:sockets` `connect()`, with the events and methods of Node's
 * `net.Socket` that the connection uses: `connect` (or `secureConnect`), `data`, `end`, `error`,
 * `close`; `write(bytes, done)`, `destroy()`. TLS is `secureTransport: 'on'`, verified by the
 * runtime against the host name (Workers take no CA, certificate or SNI option).
 */
export class CloudflareSocket extends EventEmitter {
  #socket: WorkersSocket | undefined;
  #writer: WritableStreamDefaultWriter<Uint8Array> | undefined;
  #counted = false;
  #destroyed = false;

  constructor(host: string, port: number, secure: boolean) {
    super();
    if (open >= WORKERS_CONNECTION_LIMIT) {
      const message = `Cloudflare Workers allow ${WORKERS_CONNECTION_LIMIT} simultaneous connections per request; all are open`;
      queueMicrotask(() => this.#fail(new Error(message)));
      return;
    }
    open++;
    this.#counted = true;
    sockets ??= import(/* @vite-ignore */ SOCKETS_MODULE) as Promise<{ connect: WorkersConnect }>;
    sockets.then(({ connect }) => this.#start(connect, host, port, secure)).catch((error) => this.#fail(error));
  }

  async #start(connect: WorkersConnect, hostname: string, port: number, secure: boolean): Promise<void> {
    if (this.#destroyed) return;
    const socket = connect({ hostname, port }, { secureTransport: secure ? 'on' : 'off', allowHalfOpen: false });
    this.#socket = socket;
    this.#writer = socket.writable.getWriter();
    await socket.opened;
    if (this.#destroyed) return;
    this.emit(secure ? 'secureConnect' : 'connect');
    const reader = socket.readable.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (this.#destroyed) return;
      if (done) break;
      this.emit('data', Buffer.from(value.buffer, value.byteOffset, value.byteLength));
    }
    this.emit('end');
    this.destroy();
  }

  /** Queues `bytes`; `done` runs once the runtime has taken them, so their memory can be reused. */
  write(bytes: Uint8Array, done?: () => void): boolean {
    const writer = this.#writer;
    if (writer === undefined || this.#destroyed) return false;
    try {
      writer.write(bytes).then(done, (error: unknown) => this.#fail(error));
    } catch (error) {
      // Workers throw here for a socket opened by an earlier request: fail it, never the caller.
      this.#fail(error);
    }
    return true;
  }

  destroy(): this {
    if (this.#destroyed) return this;
    this.#destroyed = true;
    if (this.#counted) open--;
    this.#socket?.close().catch(() => {});
    queueMicrotask(() => this.emit('close'));
    return this;
  }

  /** Workers keep no process alive and have no Nagle or keepalive setting: nothing to do. */
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }

  #fail(cause: unknown): void {
    if (this.#destroyed) return;
    this.emit('error', cause instanceof Error ? cause : new Error(String(cause)));
    this.destroy();
  }
}
