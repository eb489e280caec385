import { ConnectionError, InvalidArgumentError, NoServerAvailableError, TimeoutError } from '../../errors.ts';
import { escapeKey } from '../../keys/key-escape.ts';
import { compareTokens, newToken } from './generation-token.ts';
import { greatestToken, type ReplicaClient, type ReplicaRead, TokenReplicas } from './token-replicas.ts';

/** Options of {@link ClearableNamespace}. */
export interface ClearableNamespaceOptions {
  /**
   * Milliseconds a generation read from memcached stays in use before it is read again, counted
   * from when the read was issued. The bound on how late a `clear()` is seen: every operation, in
   * any process, that starts `refresh` ms after a `clear()` resolved uses the new generation.
   * Default 1000; 0 reads on every operation (lookups issued in one tick still share one read).
   */
  readonly refresh?: number;
}

const DEFAULT_REFRESH_MS = 1_000;
/** Attempts to create the first token while other processes race to create theirs. */
const CREATE_ATTEMPTS = 3;

/** A read of the replicas in flight, and when it was issued (performance.now()). */
interface PendingRead {
  readonly promise: Promise<string>;
  readonly issuedAt: number;
}

/**
 * A namespace whose keys can all be dropped at once without `flush_all`, which would empty the
 * whole server for every app on it. Keys live under a generation token (`<name>:<generation>:<key>`);
 * `clear()` writes a new, greater token, after which the old keys are never read again and age out
 * by TTL or LRU.
 *
 * The token is kept on up to three servers (`token-replicas.ts`) and is ordered (see
 * `generation-token.ts`): the current generation is the greatest token any replica holds, and never
 * one older than this process has seen. So one server's outage changes nothing, a server that
 * comes back with an old token cannot undo a clear, and nothing written meanwhile is rolled back.
 * A brand new token is made only when every replica answered that it holds none.
 *
 * A generation read is used for `refresh` ms (default 1 s) before the replicas are read again, so
 * under load the namespace costs about no extra gets per operation; the price is that another
 * process's `clear()` is seen up to `refresh` ms late (this process's own at once).
 */
export class ClearableNamespace {
  readonly name: string;
  /** Milliseconds a generation read stays in use; see {@link ClearableNamespaceOptions.refresh}. */
  readonly refresh: number;
  readonly #replicas: TokenReplicas;
  /** The greatest generation this process has seen. */
  #known: string | undefined;
  /** When the newest read whose answer `#known` is at least as new as was issued (performance.now()). */
  #knownAt = Number.NEGATIVE_INFINITY;
  #pending: PendingRead | undefined;
  #pendingThisTick = false;

  /**
   * @param client the client whose servers keep the keys and the token replicas
   * @param name the namespace; a key lives under `<name>:<generation>:<key>`
   * @throws InvalidArgumentError for a `refresh` that is not a finite number of milliseconds, 0 or more
   */
  constructor(client: ReplicaClient, name: string, options: ClearableNamespaceOptions = {}) {
    this.name = name;
    this.refresh = resolveRefresh(options);
    this.#replicas = new TokenReplicas(client, `${escapeKey(name)}:__generation`);
  }

  /** The wire-ready key for `key` in the current generation. */
  async key(key: string): Promise<string> {
    return this.keyIn(await this.generation(), key);
  }

  /** The keys for `keys` in the current generation, from one token read. */
  async keys(keys: readonly string[]): Promise<string[]> {
    const generation = await this.generation();
    return keys.map((key) => this.keyIn(generation, key));
  }

  /**
   * The wire-ready key for `key` in a given generation: for callers that hold a token already and
   * read the current one beside their operation (one round trip) rather than before it.
   */
  keyIn(generation: string, key: string): string {
    return `${escapeKey(this.name)}:${generation}:${escapeKey(key)}`;
  }

  /** The generation read within the last `refresh` ms, which operations use without reading again; else undefined. */
  get fresh(): string | undefined {
    return performance.now() - this.#knownAt < this.refresh ? this.#known : undefined;
  }

  /** The greatest generation this process has seen, however long ago; undefined before the first read. */
  get known(): string | undefined {
    return this.#known;
  }

  /**
   * The current generation token, created if there is none yet: the one read within `refresh` ms,
   * else from a read of the replicas (shared with the operations that started within `refresh` ms
   * of it, or in the same tick).
   */
  generation(): Promise<string> {
    const fresh = this.fresh;
    if (fresh !== undefined) return Promise.resolve(fresh);
    const pending = this.#pending;
    if (pending !== undefined && (this.#pendingThisTick || performance.now() - pending.issuedAt < this.refresh)) {
      return pending.promise;
    }
    return this.#startRead();
  }

  /**
   * The current generation, read again from the replicas at once, fresh or not, when `seen` (a
   * generation found on a stored record) is newer than any this process knows: another process
   * cleared the namespace less than `refresh` ago. A record alone is never trusted with the
   * generation (a garbled one could name any); the replicas decide. Without a newer `seen`, the
   * same as {@link generation}.
   */
  revalidate(seen: string): Promise<string> {
    const known = this.#known;
    if (known === undefined || compareTokens(seen, known) <= 0) return this.generation();
    return this.#startRead();
  }

  /**
   * Drops every key of the namespace: writes a token greater than any a replica holds to every
   * replica. Resolves when at least one took it (readers take the greatest); rejects with the
   * failure when none did.
   */
  async clear(): Promise<void> {
    const issuedAt = performance.now();
    // The greatest token held now, so the new one ranks above it even when this clock is behind
    // the one that made it. If no replica answers, the write below fails as well and says why.
    const read = await this.#replicas.read().catch((): ReplicaRead[] => []);
    const token = newToken(greater(greatestToken(read), this.#known));
    await this.#replicas.write(token);
    this.#adopt(token, issuedAt);
  }

  #startRead(): Promise<string> {
    const issuedAt = performance.now();
    const pending: PendingRead = { promise: this.#read(issuedAt), issuedAt };
    this.#pending = pending;
    this.#pendingThisTick = true;
    queueMicrotask(() =>
      setImmediate(() => {
        if (this.#pending === pending) this.#pendingThisTick = false;
      }),
    );
    const forget = (): void => {
      if (this.#pending === pending) this.#pending = undefined;
    };
    pending.promise.then(forget, forget);
    return pending.promise;
  }

  async #read(issuedAt: number): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      let read: ReplicaRead[];
      try {
        read = await this.#replicas.read();
      } catch (error) {
        // No replica answered: the generation this process knows keeps the namespace as available
        // as its other servers (nobody can clear it meanwhile without reaching a replica).
        if (this.#known !== undefined && isUnreachable(error)) return this.#known;
        throw error;
      }
      const current = greater(greatestToken(read), this.#known);
      if (current !== undefined) {
        this.#replicas.repair(read, current);
        return this.#adopt(current, issuedAt);
      }
      // A replica that did not answer may hold the generation: a new token would drop every key.
      const failed = read.find((replica) => replica.state === 'failed');
      if (failed !== undefined) throw failed.error;
      const token = newToken();
      if ((await this.#replicas.create(token, read)) || attempt >= CREATE_ATTEMPTS) return this.#adopt(token, issuedAt);
      // Another process created one meanwhile: read again; the greatest token wins everywhere.
    }
  }

  /** Takes `token` unless this process knows a greater one; either way it is current as of `issuedAt`. */
  #adopt(token: string, issuedAt: number): string {
    this.#known = greater(token, this.#known);
    this.#knownAt = Math.max(this.#knownAt, issuedAt);
    return this.#known as string;
  }
}

/** The greater of two tokens (the first when they rank alike), or the one that is defined. */
function greater(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return compareTokens(a, b) >= 0 ? a : b;
}

function isUnreachable(error: unknown): boolean {
  return error instanceof ConnectionError || error instanceof TimeoutError || error instanceof NoServerAvailableError;
}

function resolveRefresh(options: ClearableNamespaceOptions): number {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('ClearableNamespace options must be an object');
  }
  const refresh = options.refresh ?? DEFAULT_REFRESH_MS;
  if (typeof refresh !== 'number' || !Number.isFinite(refresh) || refresh < 0) {
    throw new InvalidArgumentError(
      `ClearableNamespace refresh must be a finite number of milliseconds, 0 or more, got ${String(refresh)}`,
    );
  }
  return refresh;
}
