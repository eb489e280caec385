import type { EventEmitter } from 'node:events';

type Listener = (...args: unknown[]) => void;

/** What the current synchronous turn showed of a Keyv attaching. */
interface Turn {
  /** The last `error` listener added in this turn. */
  listener: Listener | undefined;
  /** Whether `capabilities` was read in this turn (Keyv 6 reads it before it listens; Keyv 5 never does). */
  capabilitiesRead: boolean;
}

/** A Keyv attaching now: its `error` listener, and whether it read `capabilities` first. */
export interface Attaching {
  readonly listener: Listener;
  readonly capabilitiesRead: boolean;
}

/**
 * Counts the Keyvs that hold one adapter, apart from the `error` listeners the app adds itself.
 * Keyv 5 and 6 both listen for the adapter's errors and, in the same synchronous turn, set its
 * namespace (Keyv 6 without a namespace reads it instead): a listener followed that way is a
 * Keyv's. A listener the app added is not, so it never passes for a second Keyv.
 */
export class KeyvHolders {
  readonly #adapter: EventEmitter;
  readonly #keyvs = new WeakSet<Listener>();
  #turn: Turn | undefined;

  constructor(adapter: EventEmitter) {
    this.#adapter = adapter;
    adapter.on('newListener', (event: string | symbol, listener: Listener) => {
      if (event === 'error') this.#current().listener = listener;
    });
  }

  /** Notes a read of `capabilities`, which only Keyv 6 makes before it listens. */
  capabilitiesRead(): void {
    this.#current().capabilitiesRead = true;
  }

  /**
   * Called on each access to the namespace: the Keyv attaching now, when an `error` listener was
   * added earlier in this turn and no namespace access has claimed it yet.
   */
  attaching(): Attaching | undefined {
    const turn = this.#turn;
    const listener = turn?.listener;
    if (turn === undefined || listener === undefined || this.#keyvs.has(listener)) return undefined;
    turn.listener = undefined;
    return { listener, capabilitiesRead: turn.capabilitiesRead };
  }

  /** Counts the Keyv from now on (until its listener is removed). */
  adopt(keyv: Attaching): void {
    this.#keyvs.add(keyv.listener);
  }

  /** Detaches a Keyv that is refused: its listener goes, so it never counts. */
  refuse(keyv: Attaching): void {
    this.#adapter.off('error', keyv.listener);
  }

  /**
   * Runs `setNamespace` with the number of Keyvs that hold the adapter, the one attaching now
   * included; that one is counted from then on, or detached if `setNamespace` throws.
   */
  settle(keyv: Attaching | undefined, setNamespace: (keyvs: number) => void): void {
    const holders = this.#adapter.listeners('error').filter((listener) => this.#keyvs.has(listener as Listener));
    try {
      setNamespace(holders.length + (keyv === undefined ? 0 : 1));
    } catch (error) {
      if (keyv !== undefined) this.refuse(keyv);
      throw error;
    }
    if (keyv !== undefined) this.adopt(keyv);
  }

  /** This turn's record, created on first use and dropped when the turn ends. */
  #current(): Turn {
    if (this.#turn === undefined) {
      const turn: Turn = { listener: undefined, capabilitiesRead: false };
      this.#turn = turn;
      queueMicrotask(() => {
        if (this.#turn === turn) this.#turn = undefined;
      });
    }
    return this.#turn;
  }
}
