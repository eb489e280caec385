import type { Command } from './command.ts';
import type { Reply } from './reply.ts';

/** The dialects a client can speak. */
export type ProtocolName = 'binary' | 'meta' | 'text';

/** Who hears what a {@link ReplyReader} reads, in stream order. */
export interface ReplySink {
  onReply(reply: Reply): void;
  /**
   * A reply whose value (`length` bytes) is over the reader's limit: the value is skipped, never
   * buffered, and `reply` carries only what is needed to match it to its request.
   */
  onOversized(reply: Reply, length: number): void;
}

/** Reads replies from socket chunks of any size, split anywhere. Throws a `FrameError` on garbage. */
export interface ReplyReader {
  push(chunk: Buffer): void;
  /** True while part of a reply is buffered: an EOF now would cut a reply. */
  readonly midReply: boolean;
}

/** A username and a password that is only revealed to the login. */
export interface LoginCredentials {
  readonly username: string;
  reveal(): string;
}

/**
 * Runs on every new socket before any other request may be written (authentication). `send`
 * writes a command at once and resolves with its reply, whatever its status.
 */
export type Handshake = (send: (command: Command) => Promise<Reply>) => Promise<void>;

/**
 * What a dialect can do beyond what every dialect does. The layers above decide by these, never
 * by the dialect's name; an operation names the capability it needs (`OperationSpec.needs`).
 */
export interface Capabilities {
  /** Reads that return what the server knows of the item: CAS, TTL left, hit before, last access (`mg c t h l`). */
  readonly metadata: boolean;
  /** Leases: a read whose miss makes a stub and wins the recompute, stale items, invalidate (`mg N R`, `md I`). */
  readonly leases: boolean;
  /** incr/decr that create a missing counter with an initial value in the same request. */
  readonly counterWithInitial: boolean;
  /** A delete conditional on a CAS token. */
  readonly conditionalDelete: boolean;
  /**
   * Several keys in one get request (text `gets k1 k2 …`), for a dialect whose replies carry no
   * opaque, so that a batch cannot be quiet requests: at most `keys` keys, whose bytes plus one
   * separator each stay within `keyBytes`. Undefined: one quiet get per key.
   */
  readonly multiKeyGet: { readonly keys: number; readonly keyBytes: number } | undefined;
  /** Accepted by the proxies in front of memcached (twemproxy, mcrouter, ElastiCache Serverless). */
  readonly throughProxies: boolean;
  /** The login a new socket runs: binary SASL, or memcached's ASCII authentication (`-Y`). */
  readonly login: 'sasl' | 'ascii';
}

/** A capability an operation may need: one of the yes/no ones. */
export type Capability = {
  [K in keyof Capabilities]: Capabilities[K] extends boolean ? K : never;
}[keyof Capabilities];

/**
 * One wire dialect: everything the connection needs to know about bytes. The connection owns the
 * socket, the order of requests and their deadlines; the protocol encodes, reads, and says which
 * request a reply answers. As Dalli's `Protocol::Binary`/`Protocol::Meta`, siblings of one shape.
 */
export interface WireProtocol {
  readonly name: ProtocolName;
  readonly capabilities: Capabilities;
  /** Bytes `encode` may write for `command`, at most: cheap, for reserving room. */
  encodeBound(command: Command): number;
  /** Writes `command` into `out` at `at` (room for `encodeBound` is there) and returns the end offset. */
  encode(command: Command, opaque: number, out: Buffer, at: number): number;
  /** A reader for one connection; it drops any value longer than `maxValueLength` bytes. */
  reader(maxValueLength: number, sink: ReplySink): ReplyReader;
  /**
   * Whether `reply` answers the request sent as `command` with `opaque`: true if it does, false
   * if the request is quiet and the reply proves it done silently. Throws a `FrameError` when the
   * reply cannot be that request's: the replies are then out of step.
   */
  answers(reply: Reply, command: Command, opaque: number): boolean;
  /**
   * Whether `reply` is an error line that names no request (meta: no opaque): among quiet requests,
   * which one it answers only the next reply tells (see `UnplacedError`). Undefined: every reply
   * names its request (binary), or no request is quiet (text).
   */
  namesNoRequest?(reply: Reply): boolean;
  /** Whether `command` is sent so that success gets no reply (then a write must not end with it). */
  isQuiet(command: Command): boolean;
  /** A command whose reply proves every earlier one done: it closes a write ending with a quiet one. */
  readonly barrier: Command;
  /**
   * Sent first on every new socket, not awaited: a server that does not speak the dialect answers
   * it at once with something the reader refuses, so the mistake fails fast instead of timing out.
   */
  readonly greeting?: Command | undefined;
  /** Why this dialect cannot carry `command` (a sentence for the caller), or undefined when it can. */
  refusal?(command: Command): string | undefined;
  /** What its login is called in messages ("SASL"). */
  readonly loginName: string;
  /** The login run on every new socket for these credentials. */
  login(credentials: LoginCredentials, server: string): Handshake;
}
