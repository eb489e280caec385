import type { KeyLocation } from '../../cluster/cluster.ts';
import type { ServerState } from '../../cluster/server.ts';
import type { CasValue } from '../../commands/reads.ts';
import { BatchError } from '../../errors.ts';
import type { CasWriteOptions, ReadOptions, WriteOptions } from '../../options/operation-options.ts';
import { compareTokens, isToken } from './generation-token.ts';

/**
 * The client operations the replicas need: the public `Client` has them. Declared here, so the
 * recipe depends on the client's public surface, not on its module.
 */
export interface ReplicaClient {
  getMulti(keys: Iterable<string>, options?: ReadOptions): Promise<Map<string, unknown>>;
  gets(key: string, options?: ReadOptions): Promise<CasValue | undefined>;
  add(key: string, value: unknown, ttl?: number, options?: WriteOptions): Promise<boolean>;
  set(key: string, value: unknown, ttl?: number, options?: CasWriteOptions): Promise<boolean>;
  setMulti(entries: Iterable<readonly [string, unknown]>, ttl?: number, options?: WriteOptions): Promise<void>;
  locate(key: string): KeyLocation;
  servers(): ServerState[];
}

/** Copies of the token kept at most: one server's outage leaves two. */
const REPLICAS = 3;
/** Suffixes tried to find keys that land on distinct servers (a few suffice unless weights are very skewed). */
const SUFFIX_PROBES = 64;

/** What one replica answered to a read. */
export type ReplicaRead =
  | { readonly key: string; readonly state: 'token'; readonly token: string }
  | { readonly key: string; readonly state: 'missing' | 'invalid' }
  | { readonly key: string; readonly state: 'failed'; readonly error: unknown };

/**
 * The copies of a namespace's generation token, each under its own key on a distinct server, so
 * that no single server holds the namespace's fate. Replica 0 is `<name>:__generation`, the key
 * used before there were replicas (a running deployment keeps its generation); the others are
 * `<name>:__generation:<i>` with suffixes picked so each lands on a server of its own, picked again
 * when the server list changes. All are read in one `getMulti` (one round trip), and a read
 * succeeds when any replica answers.
 */
export class TokenReplicas {
  readonly #client: ReplicaClient;
  readonly #base: string;
  #keys: readonly string[];
  #servers: string | undefined;
  #repairing = false;

  /** `base`: the wire-ready key of replica 0. */
  constructor(client: ReplicaClient, base: string) {
    this.#client = client;
    this.#base = base;
    this.#keys = [base];
  }

  /** The replica keys for the current server list, replica 0 first. */
  keys(): readonly string[] {
    const servers = this.#client.servers().map((server) => server.name);
    const signature = servers.join(' ');
    if (signature !== this.#servers) {
      this.#keys = this.#choose(new Set(servers).size);
      this.#servers = signature;
    }
    return this.#keys;
  }

  /**
   * Every replica's answer, from one `getMulti`. Rejects (with the first failure) only when no
   * replica answered; a partial failure is reported per replica as `failed`.
   */
  async read(): Promise<ReplicaRead[]> {
    const keys = this.keys();
    let found: Map<string, unknown>;
    let failures: ReadonlyMap<string, unknown> = new Map();
    try {
      found = await this.#client.getMulti(keys, { raw: true });
    } catch (error) {
      if (!(error instanceof BatchError) || error.errors.size >= keys.length) throw firstFailure(error);
      found = error.results as Map<string, unknown>;
      failures = error.errors;
    }
    return keys.map((key): ReplicaRead => {
      if (failures.has(key)) return { key, state: 'failed', error: failures.get(key) };
      const value = found.get(key);
      if (value === undefined) return { key, state: 'missing' };
      const text = String(value);
      return isToken(text) ? { key, state: 'token', token: text } : { key, state: 'invalid' };
    });
  }

  /**
   * Writes `token` to every replica (a clear). Resolves when at least one took it: readers take
   * the greatest token, so one copy is enough and the others are repaired by the next read.
   * Rejects with the first failure when none did.
   */
  async write(token: string): Promise<void> {
    const keys = this.keys();
    try {
      await this.#client.setMulti(
        keys.map((key) => [key, token] as const),
        0,
        { raw: true },
      );
    } catch (error) {
      if (error instanceof BatchError && error.errors.size < keys.length) return;
      throw firstFailure(error);
    }
  }

  /**
   * Writes a brand new `token` to replicas that hold none (every one answered, none with a token).
   * Resolves true when it went everywhere; false when another process wrote first somewhere
   * (read again: the greatest token wins).
   */
  async create(token: string, read: readonly ReplicaRead[]): Promise<boolean> {
    const written = await Promise.all(read.map((replica) => this.#raise(replica, token)));
    return written.every(Boolean);
  }

  /**
   * Brings replicas that answered with no token, or an older one, up to `current`, in the
   * background. Never lowers a replica: an older one is replaced by CAS only while it is still
   * older. A failed repair is simply tried again after the next read (the client's `dalli:command`
   * channel shows it); a replica that did not answer is left to that read too.
   */
  repair(read: readonly ReplicaRead[], current: string): void {
    if (this.#repairing) return;
    const behind = read.filter((replica) => isBehind(replica, current));
    if (behind.length === 0) return;
    this.#repairing = true;
    void Promise.allSettled(behind.map((replica) => this.#raise(replica, current))).then(() => {
      this.#repairing = false;
    });
  }

  /** Writes `token` unless the replica holds a token not older than it; true when the replica ends up with it. */
  async #raise(replica: ReplicaRead, token: string): Promise<boolean> {
    const options = { raw: true } as const;
    if (replica.state === 'missing') return this.#client.add(replica.key, token, 0, options);
    const stored = await this.#client.gets(replica.key, options);
    if (stored === undefined) return this.#client.add(replica.key, token, 0, options);
    const text = String(stored.value);
    if (text === token) return true;
    if (isToken(text) && compareTokens(text, token) > 0) return false;
    return this.#client.set(replica.key, token, 0, { ...options, cas: stored.cas });
  }

  #choose(servers: number): string[] {
    const keys = [this.#base];
    const wanted = Math.min(REPLICAS, servers);
    if (wanted < 2) return keys;
    const used = new Set([this.#client.locate(this.#base).server]);
    for (let suffix = 1; keys.length < wanted && suffix <= SUFFIX_PROBES; suffix++) {
      const key = `${this.#base}:${suffix}`;
      const server = this.#client.locate(key).server;
      if (used.has(server)) continue;
      used.add(server);
      keys.push(key);
    }
    return keys;
  }
}

/**
 * The greatest token the replicas hold, or undefined when none holds one. Among legacy tokens
 * (which carry no order) the lowest replica's wins: replica 0 is the one the code before
 * replicas read and cleared.
 */
export function greatestToken(read: readonly ReplicaRead[]): string | undefined {
  let greatest: string | undefined;
  for (const replica of read) {
    if (replica.state !== 'token') continue;
    if (greatest === undefined || compareTokens(replica.token, greatest) > 0) greatest = replica.token;
  }
  return greatest;
}

/**
 * Whether `replica` should be brought up to `current`: it answered with no token, or with one
 * that ranks below it, or with a different legacy token (legacy tokens carry no order; the one
 * chosen came from the lowest replica, which the code before replicas kept up to date).
 */
function isBehind(replica: ReplicaRead, current: string): boolean {
  if (replica.state === 'failed') return false;
  if (replica.state !== 'token') return true;
  return replica.token !== current && compareTokens(replica.token, current) <= 0;
}

/** The failure of the first key of a batch that failed as a whole (its class and code), or the error itself. */
function firstFailure(error: unknown): unknown {
  return error instanceof BatchError ? error.cause : error;
}
