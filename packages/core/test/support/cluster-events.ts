import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClusterChangeMessage, DiscoveryErrorMessage } from '../../src/index.ts';

/** Records a client's `dalli:cluster:change` and `dalli:discovery:error` messages until `stop()`. */
export class ClusterEvents {
  readonly changes: ClusterChangeMessage[] = [];
  readonly errors: DiscoveryErrorMessage[] = [];
  /** The client listened to, set once it is made (its first discovery read starts in its constructor). */
  readonly #holder: { client?: object };
  readonly #onChange = (message: unknown): void => {
    const change = message as ClusterChangeMessage;
    if (change.client === this.#holder.client) this.changes.push(change);
  };
  readonly #onError = (message: unknown): void => {
    const error = message as DiscoveryErrorMessage;
    if (error.client === this.#holder.client) this.errors.push(error);
  };

  /** Records messages of the client made by `make`, listening before it exists so its first read is seen. */
  static around<C extends object>(make: () => C): { client: C; events: ClusterEvents } {
    const holder: { client?: object } = {};
    const events = new ClusterEvents(holder);
    const client = make();
    holder.client = client;
    return { client, events };
  }

  private constructor(holder: { client?: object }) {
    this.#holder = holder;
    subscribe('dalli:cluster:change', this.#onChange);
    subscribe('dalli:discovery:error', this.#onError);
  }

  stop(): void {
    unsubscribe('dalli:cluster:change', this.#onChange);
    unsubscribe('dalli:discovery:error', this.#onError);
  }

  /** Waits (bounded) until `count` changes have been seen in all. */
  async changesSeen(count: number, timeoutMs = 10_000): Promise<ClusterChangeMessage> {
    await until(() => this.changes.length >= count, timeoutMs, `${count} cluster changes`);
    return this.changes[count - 1] as ClusterChangeMessage;
  }

  /** Waits (bounded) until `count` discovery errors have been seen in all. */
  async errorsSeen(count: number, timeoutMs = 10_000): Promise<DiscoveryErrorMessage> {
    await until(() => this.errors.length >= count, timeoutMs, `${count} discovery errors`);
    return this.errors[count - 1] as DiscoveryErrorMessage;
  }
}

async function until(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
