import { BroadcastChannel } from 'node:worker_threads';
import type { InvalidationBus, InvalidationMessage } from '../../options/near-cache-options.ts';

/**
 * An {@link InvalidationBus} between the threads of one process (and their workers) over Node's
 * `BroadcastChannel`: no dependency, no server. It does not leave the process: between hosts, wire
 * the interface to a real bus (Redis pub/sub, NATS…; see the README).
 */
export class BroadcastChannelBus implements InvalidationBus {
  readonly #channel: BroadcastChannel;
  readonly #listeners = new Set<(message: InvalidationMessage) => void>();

  /** @param name the channel's name; every thread using the same name shares it. */
  constructor(name: string) {
    this.#channel = new BroadcastChannel(name);
    this.#channel.onmessage = (event) => {
      const message = (event as { data: InvalidationMessage }).data;
      for (const listener of this.#listeners) listener(message);
    };
    // A bus nobody closed must not keep the process alive.
    this.#channel.unref();
  }

  publish(message: InvalidationMessage): void {
    this.#channel.postMessage(message);
    // A channel never hears its own posts: clients sharing this bus in one thread hear them here
    // (the publisher too, which drops keys it already dropped).
    for (const listener of this.#listeners) listener(message);
  }

  subscribe(listener: (message: InvalidationMessage) => void): () => void {
    // Each subscriber gets its own function, so one listener subscribed twice is two subscriptions.
    const own = (message: InvalidationMessage): void => listener(message);
    this.#listeners.add(own);
    return () => this.#listeners.delete(own);
  }

  /** Closes the channel: this thread no longer sends or hears invalidations. */
  close(): void {
    this.#channel.close();
  }
}
