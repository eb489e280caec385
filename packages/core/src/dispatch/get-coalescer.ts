import type { Server } from '../cluster/server.ts';
import { KeyGroupExchange } from './key-group-exchange.ts';
import type { Retriable } from './retriable.ts';

/**
 * Keys per coalesced line. Shorter than a getMulti's lines: memcached answers a line in one go,
 * and with several short lines in flight it answers one while the client reads the last and
 * issues the next, where one line of 100 makes them take turns (bench get-100: text at 0.55× binary
 * with lines of 100, 0.66× with lines of 25, 0.61× with lines of 10).
 */
const KEYS_PER_LINE = 25;

/**
 * Single gets issued in the same tick to the same server, sent as multi-key gets (text
 * `get k1 k2 …`, at most 25 keys each) for a dialect with no quiet requests: memcached
 * answers a line of many keys in one write, but a pipeline of one-key gets in many small ones.
 * Each value goes to its own caller (checked against the key it asked for); the END proves the
 * rest missed. A get alone in its tick goes as it is, and so does each get of a multi-key get
 * answered by an error line, so that every caller learns its own key's answer.
 */
export class GetCoalescer {
  readonly #keysPerGet: number;
  #pending = new Map<Server, Retriable[]>();
  #scheduled = false;

  constructor(keysPerGet: number) {
    this.#keysPerGet = Math.min(keysPerGet, KEYS_PER_LINE);
  }

  /** Queues a get for `server`; it is sent at the end of this tick, with the others. */
  add(server: Server, exchange: Retriable): void {
    exchange.attempts++;
    const queued = this.#pending.get(server);
    if (queued === undefined) this.#pending.set(server, [exchange]);
    else queued.push(exchange);
    if (this.#scheduled) return;
    this.#scheduled = true;
    process.nextTick(this.#flush);
  }

  readonly #flush = (): void => {
    this.#scheduled = false;
    const pending = this.#pending;
    this.#pending = new Map();
    for (const [server, queued] of pending) {
      // An aborted get is not sent at all.
      const gets = queued.length === 1 ? queued : queued.filter((exchange) => !exchange.settled);
      const limit = this.#keysPerGet;
      for (let at = 0; at < gets.length; at += limit) {
        const group = gets.length <= limit ? gets : gets.slice(at, at + limit);
        if (group.length === 1) server.send(group[0] as Retriable);
        else server.send(new KeyGroupExchange(group, (get) => server.send(get)));
      }
    }
  };
}
