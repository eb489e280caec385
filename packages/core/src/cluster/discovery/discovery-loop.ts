import { discoveryErrorChannel, publish } from '../../diagnostics/diagnostics.ts';
import { DalliError, ProtocolError } from '../../errors.ts';
import type { Cluster } from '../cluster.ts';
import type { Membership } from '../membership.ts';

/** What one read of a discovery source gave. */
export interface DiscoveryAnswer {
  /** The server list, in ring order. */
  readonly servers: readonly string[];
  /**
   * Parts of the read that failed while the rest still gave the list (an AAAA query refused while
   * the A query answered): reported, not fatal.
   */
  readonly problems: readonly DalliError[];
}

/** Where a cluster's server list comes from: a configuration endpoint, DNS names, or SRV records. */
export interface DiscoverySource {
  readonly kind: 'config' | 'dns' | 'srv';
  /** The endpoint or DNS names asked, for reports. */
  readonly target: string;
  /**
   * The server list now, or undefined when it is not newer than the last one read. Throws when the
   * read gave nothing usable (unreachable, malformed, more servers than `discoveryMaxNodes`).
   */
  read(): Promise<DiscoveryAnswer | undefined>;
}

export interface DiscoveryLoopOptions {
  readonly client: object;
  /** The cluster whose `discoveryError` explains an empty cluster's NoServerAvailableError. */
  readonly cluster: Cluster;
  /** Milliseconds between reads. */
  readonly interval: number;
}

/** Until a first list is known, a failed read is retried this soon rather than a whole interval later. */
const FIRST_RETRY_MS = 1_000;
/** Reads asked for by connection failures come at most this often. */
const MIN_REFRESH_GAP_MS = 1_000;

/**
 * Reads a discovery source every interval and applies what it gives through the membership. A
 * read that fails (endpoint unreachable, malformed reply, bad entries, too many servers) changes
 * nothing: the last good list stays, the failure is published on `dalli:discovery:error`, and it
 * is kept on the cluster as the reason a cluster still empty has no server. The timer does not
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
      const answer = await this.#source.read();
      if (answer !== undefined && !this.#stopped) {
        await this.#membership.apply(answer.servers, this.#source.kind);
        this.#known = true;
        for (const problem of answer.problems) this.#report(problem, true);
      }
      this.#options.cluster.discoveryError = undefined;
    } catch (error) {
      this.#options.cluster.discoveryError = this.#report(error, false);
    }
  }

  #schedule(): void {
    if (this.#stopped) return;
    clearTimeout(this.#timer);
    const delay = this.#known ? this.#options.interval : Math.min(FIRST_RETRY_MS, this.#options.interval);
    this.#timer = setTimeout(() => void this.refresh(), delay);
    this.#timer.unref();
  }

  /** Publishes a failure of the read (`applied`: the rest of the answer was used) and returns it typed. */
  #report(error: unknown, applied: boolean): DalliError {
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
      applied,
    }));
    return reported;
  }
}
