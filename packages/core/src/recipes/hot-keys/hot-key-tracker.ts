import { hotKeyChannel, publish } from '../../diagnostics/diagnostics.ts';
import type { ResolvedHotKeyOptions } from '../../options/hot-key-options.ts';
import { HeavyHitters } from './heavy-hitters.ts';

/** A key this client asked one server for often, on `dalli:hotkey`, at the end of the window it was hot in. */
export interface HotKeyMessage {
  readonly client: object;
  readonly key: string;
  /** The server the ring places it on. */
  readonly server: string;
  /** Its share (0…1) of this client's requests to that server in the window (a lower bound). */
  readonly share: number;
  /** Requests for it counted in the window (a lower bound). */
  readonly requests: number;
  /** The window's length, in milliseconds. */
  readonly window: number;
}

/** Counters kept: any key over 1/201 (0.5 %) of the requests is among them; 200 keys of 250 bytes fit 64 KiB. */
const CAPACITY = 200;
/** A key is not reported on fewer requests than this in a window, however few the window had in all. */
const MIN_REQUESTS = 10;
/** One request in this many is placed on the ring, to share the requests out among servers. */
const SAMPLE_EVERY = 8;

/**
 * Finds the keys that carry a large share of one server's requests from this client (the few keys
 * that, as the Facebook memcache paper reports, can carry a fifth of a server's load): a
 * heavy-hitter sketch over every requested key, read and reset once per window. Placing every key
 * on the ring would cost a hash per request, so the servers' totals are estimated from a sample.
 */
export class HotKeyTracker {
  readonly #client: object;
  readonly #options: ResolvedHotKeyOptions;
  readonly #locate: (key: string) => string | undefined;
  readonly #found: (keys: ReadonlySet<string>) => void;
  readonly #hitters = new HeavyHitters(CAPACITY);
  #samples = new Map<string, number>();
  #sampled = 0;
  readonly #timer: ReturnType<typeof setInterval> | undefined;

  /**
   * @param locate the server a key is placed on, undefined for a key that cannot be placed
   * @param found the hot keys of each window, as it ends
   * @param timed false to end windows only by calling {@link HotKeyTracker.endWindow} (tests)
   */
  constructor(
    client: object,
    options: ResolvedHotKeyOptions,
    locate: (key: string) => string | undefined,
    found: (keys: ReadonlySet<string>) => void,
    timed = true,
  ) {
    this.#client = client;
    this.#options = options;
    this.#locate = locate;
    this.#found = found;
    if (timed) {
      this.#timer = setInterval(() => this.endWindow(), options.window);
      this.#timer.unref?.();
    }
  }

  observe(key: string): void {
    this.#hitters.add(key);
    if (this.#hitters.total % SAMPLE_EVERY !== 0) return;
    const server = this.#locate(key);
    if (server === undefined) return;
    this.#samples.set(server, (this.#samples.get(server) ?? 0) + 1);
    this.#sampled++;
  }

  /** Ends the window: reports (and returns) its hot keys, then starts counting afresh. */
  endWindow(): HotKeyMessage[] {
    const total = this.#hitters.total;
    const hot: HotKeyMessage[] = [];
    for (const [key, requests] of this.#hitters.entries()) {
      if (requests < MIN_REQUESTS) continue;
      const server = this.#locate(key);
      if (server === undefined) continue;
      const share = requests / this.#serverTotal(server, total, requests);
      if (share < this.#options.share) continue;
      hot.push({ client: this.#client, key, server, share, requests, window: this.#options.window });
    }
    this.#hitters.reset();
    this.#samples = new Map();
    this.#sampled = 0;
    for (const message of hot) publish(hotKeyChannel, () => message);
    this.#found(new Set(hot.map((message) => message.key)));
    return hot;
  }

  close(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
  }

  /** The server's requests in the window: the total, shared out as the sample was; never below the key's own. */
  #serverTotal(server: string, total: number, requests: number): number {
    if (this.#sampled === 0 || this.#samples.size <= 1) return Math.max(total, requests);
    return Math.max(requests, Math.round((total * (this.#samples.get(server) ?? 0)) / this.#sampled));
  }
}
