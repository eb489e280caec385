import { once } from 'node:events';
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** One chunk of traffic through the proxy, as {@link FaultProxy.transcript} records it. */
export interface TranscriptEntry {
  /** Which accepted connection, counting from 0. */
  readonly connection: number;
  /** `client`: sent by the client towards the server; `server`: forwarded to the client. */
  readonly from: 'client' | 'server';
  readonly bytes: Buffer;
}

/** What the proxy does to traffic; change it at any time with {@link FaultProxy.set}. */
export interface Faults {
  /** Milliseconds to hold each server→client chunk (order is kept); a function varies it per chunk. */
  readonly replyDelay: number | (() => number);
  /** Re-slices server→client bytes into writes of at most this many bytes (0: off). */
  readonly splitReplies: number;
  /** Gathers server→client chunks for this many milliseconds and writes them as one (0: off). */
  readonly mergeReplies: number;
  /**
   * After this many server→client bytes on a connection, forward nothing more and apply
   * {@link truncateAction}. Undefined: off.
   */
  readonly truncateRepliesAfter: number | undefined;
  /** `end`: close the client side cleanly; `reset`: send a TCP RST; `stall`: keep it open, silent. */
  readonly truncateAction: 'end' | 'reset' | 'stall';
  /** Swallow all traffic in both directions without closing anything. */
  readonly blackhole: boolean;
}

const noFaults: Faults = {
  replyDelay: 0,
  splitReplies: 0,
  mergeReplies: 0,
  truncateRepliesAfter: undefined,
  truncateAction: 'end',
  blackhole: false,
};

interface Pipe {
  readonly index: number;
  readonly client: Socket;
  readonly server: Socket;
  /** Server→client chunks not yet forwarded, in order. */
  readonly queue: Buffer[];
  pumping: boolean;
  repliedBytes: number;
  truncated: boolean;
  /** Client→server bytes held back (a stalled server thread), or undefined when flowing. */
  held: Buffer[] | undefined;
}

/**
 * A TCP proxy on 127.0.0.1 in front of a real memcached, for fault tests: it delays, splits,
 * merges or truncates replies, resets connections, swallows traffic, or injects bytes of its own.
 */
export class FaultProxy {
  readonly #target: { host: string; port: number };
  readonly #server: Server;
  readonly #pipes = new Set<Pipe>();
  /** Held connections whose client went away: their bytes still reach the server on release. */
  readonly #closedHeld = new Set<Pipe>();
  #faults: Faults = noFaults;
  #port = 0;
  /** Connections accepted so far. */
  accepted = 0;
  /** Chunks received from clients (with TCP_NODELAY on both ends, about one per client write). */
  clientChunks = 0;
  /** Every chunk in both directions, in the order the proxy saw them (client bytes as received, replies as forwarded). */
  readonly transcript: TranscriptEntry[] = [];

  constructor(target: { host: string; port: number }) {
    this.#target = target;
    this.#server = createServer({ noDelay: true }, (client) => this.#accept(client));
  }

  get port(): number {
    return this.#port;
  }

  /** `127.0.0.1:port`, for a client's server list. */
  get address(): string {
    return `127.0.0.1:${this.#port}`;
  }

  /** Open client connections. */
  get connections(): number {
    return this.#pipes.size;
  }

  async listen(): Promise<this> {
    this.#server.listen(0, '127.0.0.1');
    await once(this.#server, 'listening');
    const address = this.#server.address();
    if (address === null || typeof address !== 'object') throw new Error('proxy has no port');
    this.#port = address.port;
    return this;
  }

  /** Changes the faults for every connection, open or future; unspecified faults keep their value. */
  set(faults: Partial<Faults>): void {
    this.#faults = { ...this.#faults, ...faults };
  }

  /** Back to a transparent proxy. */
  heal(): void {
    this.#faults = noFaults;
  }

  /** Writes `bytes` to every client as if the server had sent them, after any replies still queued. */
  inject(bytes: Buffer): void {
    for (const pipe of this.#pipes) this.#enqueue(pipe, bytes);
  }

  /**
   * Holds the requests of the connections open now, as a stalled server thread would leave them
   * in its socket buffer; connections opened later flow (other threads still serve). A held
   * connection the client closes still delivers its bytes on {@link releaseHeld}, as the kernel
   * would, and only then is closed towards the server.
   */
  holdOpenConnections(): void {
    for (const pipe of this.#pipes) pipe.held ??= [];
  }

  /** Delivers the held requests in order and lets those connections flow again. */
  releaseHeld(): void {
    for (const pipe of [...this.#pipes, ...this.#closedHeld]) {
      const held = pipe.held;
      if (held === undefined) continue;
      pipe.held = undefined;
      for (const chunk of held) pipe.server.write(chunk);
      if (this.#closedHeld.delete(pipe)) pipe.server.end();
    }
  }

  /** Sends a TCP RST to every client and drops the server sides. */
  resetAll(): void {
    for (const pipe of this.#pipes) this.#drop(pipe, 'reset');
  }

  async close(): Promise<void> {
    for (const pipe of this.#pipes) this.#drop(pipe, 'reset');
    for (const pipe of this.#closedHeld) pipe.server.destroy();
    this.#closedHeld.clear();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(client: Socket): void {
    this.accepted++;
    const server = tcpConnect({ ...this.#target, noDelay: true });
    const pipe: Pipe = {
      index: this.accepted - 1,
      client,
      server,
      queue: [],
      pumping: false,
      repliedBytes: 0,
      truncated: false,
      held: undefined,
    };
    this.#pipes.add(pipe);
    client.on('data', (chunk) => {
      this.clientChunks++;
      this.transcript.push({ connection: pipe.index, from: 'client', bytes: chunk });
      if (pipe.held !== undefined) pipe.held.push(chunk);
      else if (!this.#faults.blackhole) server.write(chunk);
    });
    server.on('data', (chunk) => {
      if (!this.#faults.blackhole) this.#enqueue(pipe, chunk);
    });
    const drop = (): void => this.#drop(pipe, 'end');
    for (const socket of [client, server]) {
      socket.on('error', drop);
      socket.on('close', drop);
    }
  }

  #enqueue(pipe: Pipe, chunk: Buffer): void {
    if (pipe.truncated) return;
    pipe.queue.push(chunk);
    if (!pipe.pumping) void this.#pump(pipe);
  }

  /** Forwards queued replies one at a time, so delays never reorder bytes. */
  async #pump(pipe: Pipe): Promise<void> {
    pipe.pumping = true;
    while (pipe.queue.length > 0 && this.#pipes.has(pipe)) {
      const faults = this.#faults;
      const delay = typeof faults.replyDelay === 'function' ? faults.replyDelay() : faults.replyDelay;
      if (delay > 0) await sleep(delay);
      if (faults.mergeReplies > 0) await sleep(faults.mergeReplies);
      const bytes = Buffer.concat(pipe.queue.splice(0, faults.mergeReplies > 0 ? pipe.queue.length : 1));
      await this.#forward(pipe, this.#truncate(pipe, bytes), faults.splitReplies);
      if (pipe.truncated) await this.#applyTruncation(pipe);
    }
    pipe.pumping = false;
  }

  #truncate(pipe: Pipe, bytes: Buffer): Buffer {
    const limit = this.#faults.truncateRepliesAfter;
    if (limit === undefined || pipe.repliedBytes + bytes.length <= limit) {
      pipe.repliedBytes += bytes.length;
      return bytes;
    }
    const kept = bytes.subarray(0, Math.max(0, limit - pipe.repliedBytes));
    pipe.repliedBytes += kept.length;
    pipe.truncated = true;
    pipe.queue.length = 0;
    return kept;
  }

  async #forward(pipe: Pipe, bytes: Buffer, split: number): Promise<void> {
    const size = split > 0 ? split : bytes.length;
    for (let at = 0; at < bytes.length && this.#pipes.has(pipe); at += size) {
      const slice = bytes.subarray(at, at + size);
      this.transcript.push({ connection: pipe.index, from: 'server', bytes: slice });
      await written(pipe.client, slice);
      // A pause between slices, so the client reads each one separately instead of all at once.
      if (split > 0) await sleep(1);
    }
  }

  async #applyTruncation(pipe: Pipe): Promise<void> {
    const action = this.#faults.truncateAction;
    if (action === 'stall') return;
    // An RST that lands while the client still has unread bytes reads as a plain EOF on Linux;
    // give the client a moment to take the bytes, so a reset is seen as a reset.
    if (action === 'reset') await sleep(20);
    this.#drop(pipe, action);
  }

  #drop(pipe: Pipe, how: 'end' | 'reset'): void {
    if (!this.#pipes.delete(pipe)) return;
    if (pipe.held !== undefined && !pipe.server.destroyed) this.#closedHeld.add(pipe);
    else pipe.server.destroy();
    if (how === 'reset' && !pipe.client.destroyed) pipe.client.resetAndDestroy();
    else pipe.client.end();
  }
}

/**
 * Resolves once `socket` has handed `bytes` to the kernel: a reset issued before that would
 * close the connection with a FIN after the data instead of an RST.
 */
function written(socket: Socket, bytes: Buffer): Promise<void> {
  return new Promise((resolve) => socket.write(bytes, () => resolve()));
}

/** Starts a proxy in front of `target` on a free 127.0.0.1 port. */
export function startFaultProxy(target: { host: string; port: number }): Promise<FaultProxy> {
  return new FaultProxy(target).listen();
}
