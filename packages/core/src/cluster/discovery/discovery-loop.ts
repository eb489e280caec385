import { discoveryErrorChannel, publish } from '../../diagnostics.ts';
import { DalliError, ProtocolError } from '../../errors.ts';
import type { Membership } from '../membership.ts';

/** Where a cluster's server list comes from: a configuration endpoint, or DNS. */
export interface DiscoverySource {
  readonly kind: 'config' | 'dns';
  /** The endpoint or DNS names asked, for reports. */
  readonly target: string;
  /** The server list now, or undefined when it is not newer than the last one read. */
  read(): Promise<readonly string[] | undefined>;
}

export interface DiscoveryLoopOptions {
  readonly client: object;
  /** Milliseconds between reads. */
  readonly interval: number;
}

/** Until a first list is known, a failed read is retried this soon rather than a whole interval later. */
const FIRST_RETRY_MS = 1_000;
/** Reads asked for by connection failures come at most this often. */
const MIN_REFRESH_GAP_MS = 1_000;

/**
 * Reads a discovery source every interval and applies what it gives through the membership. A
 * read that fails (endpoint unreachable, malformed reply, bad entries) changes nothing: the last
 * good list stays, and the failure is published on `dalli:discovery:error`. The timer does not
 * keep the process alive.
 */
export class DiscoveryLoop {
  readonly #source: DiscoverySource;
  readonly #membership: Membership;
  readonly #options: DiscoveryLoopOptions;
  #timer: NodeJS.Timeout | undefined;
  #soon: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #known = false;
  #lastRead = 0;
  #stopped = false;

  constructor(source: DiscoverySource, membership: Membership, options: DiscoveryLoopOptions) {
    this.#source = source;
    this.#membership = membership;
    this.#options = options;
  }

  /** Reads now (one read at a time: a call during a read shares it), then schedules the next. */
  refresh(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    this.#running ??= this.#read().finally(() => {
      this.#running = undefined;
      this.#schedule();
    });
    return this.#running;
  }

  /** A read because a connection failed: now, or a second after the last read if that was sooner. */
  refreshSoon(): void {
    if (this.#stopped || this.#soon !== undefined) return;
    const wait = this.#lastRead + MIN_REFRESH_GAP_MS - Date.now();
    if (wait <= 0) {
      void this.refresh();
      return;
    }
    this.#soon = setTimeout(() => {
      this.#soon = undefined;
      void this.refresh();
    }, wait);
    this.#soon.unref();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    clearTimeout(this.#soon);
  }

  async #read(): Promise<void> {
    this.#lastRead = Date.now();
    try {
      const servers = await this.#source.read();
      if (servers !== undefined && !this.#stopped) {
        await this.#membership.apply(servers, this.#source.kind);
        this.#known = true;
      }
    } catch (error) {
      this.#report(error);
    }
  }

  #schedule(): void {
    if (this.#stopped) return;
    clearTimeout(this.#timer);
    const delay = this.#known ? this.#options.interval : Math.min(FIRST_RETRY_MS, this.#options.interval);
    this.#timer = setTimeout(() => void this.refresh(), delay);
    this.#timer.unref();
  }

  #report(error: unknown): void {
    const source = this.#source;
    const reported =
      error instanceof DalliError
        ? error
        : new ProtocolError(`discovery (${source.kind}) from ${source.target}: ${String(error)}`, {
            server: source.target,
            operation: 'discovery',
            cause: error,
          });
    publish(discoveryErrorChannel, () => ({
      client: this.#options.client,
      source: source.kind,
      target: source.target,
      error: reported,
    }));
  }
}
