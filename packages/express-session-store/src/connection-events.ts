import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { Client } from '@dalli/core';

/**
 * Tracks whether any of a client's servers is reachable, from the client's `dalli:server:down`
 * and `dalli:server:up` diagnostics. `onChange(false)` when the last one goes down,
 * `onChange(true)` when one comes back. While none is up, a NOOP every `probeInterval` gives the
 * client the requests it needs to notice a recovery (the session middleware sends none then).
 */
export class ServerAvailability {
  readonly #client: Client;
  readonly #down = new Set<string>();
  readonly #onChange: (available: boolean) => void;
  readonly #probeInterval: number;
  #probe: NodeJS.Timeout | undefined;

  constructor(client: Client, onChange: (available: boolean) => void, probeInterval = 1_000) {
    this.#client = client;
    this.#onChange = onChange;
    this.#probeInterval = probeInterval;
    subscribe('dalli:server:down', this.#onDown);
    subscribe('dalli:server:up', this.#onUp);
  }

  stop(): void {
    unsubscribe('dalli:server:down', this.#onDown);
    unsubscribe('dalli:server:up', this.#onUp);
    this.#stopProbing();
  }

  readonly #onDown = (message: unknown): void => {
    const { client, server } = message as { client: unknown; server: string };
    if (client !== this.#client) return;
    this.#down.add(server);
    if (this.#down.size < this.#client.servers().length || this.#probe !== undefined) return;
    this.#probe = setInterval(() => {
      this.#client.noop().catch(() => {});
    }, this.#probeInterval);
    this.#probe.unref();
    this.#onChange(false);
  };

  readonly #onUp = (message: unknown): void => {
    const { client, server } = message as { client: unknown; server: string };
    if (client !== this.#client || !this.#down.delete(server)) return;
    if (this.#probe === undefined) return;
    this.#stopProbing();
    this.#onChange(true);
  };

  #stopProbing(): void {
    if (this.#probe !== undefined) clearInterval(this.#probe);
    this.#probe = undefined;
  }
}
