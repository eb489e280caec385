import { casToken } from '../cas-token.ts';
import { FrameError } from '../frame-error.ts';
import { decimal, errorLineStatus, spaceOrEnd } from '../lines/ascii-lines.ts';
import type { LineGrammar } from '../lines/line-reader.ts';
import { type ItemMetadata, LeaseFlag, type Reply, ReplyStatus } from '../reply.ts';

/** A counter's value: memcached writes a 64-bit unsigned integer in decimal. */
const DECIMAL = /^\d{1,20}$/;

/** What kind of line a reply is: it decides which request it can answer. */
export const LineKind = {
  /** A meta reply (`VA`, `HD`, `EN`, `NF`, `NS`, `EX`): it echoes the opaque. */
  meta: 0,
  /** `MN`: the barrier's reply. */
  noop: 1,
  /** `STAT name value`, then `END`. */
  stat: 2,
  end: 3,
  version: 4,
  /** `OK` (flush_all). */
  ok: 5,
  /** `STORED` (the ASCII login's set). */
  stored: 6,
  /** `ERROR`, `CLIENT_ERROR …`, `SERVER_ERROR …`: no opaque, whoever they answer. */
  error: 7,
} as const;
export type LineKind = (typeof LineKind)[keyof typeof LineKind];

const NO_METADATA = -1;

/** What `ERROR` means to a meta client: the server (or a proxy in front of it) has no meta commands. */
const UNKNOWN_COMMAND =
  'ERROR: the server does not know the command (the meta protocol needs memcached 1.6.18 or later; ' +
  "behind twemproxy or mcrouter, set protocol: 'text')";

/**
 * One reply line (and its value, for `VA`), parsed once: the return code and the flags the
 * client asked for. The value stays in `buffer`; the key and the CAS are decoded on demand.
 */
export class MetaReply implements Reply {
  readonly kind: LineKind;
  readonly status: ReplyStatus;
  readonly buffer: Buffer;
  /** Where the line starts and ends (before its CR), for the text and the flags. */
  readonly lineStart: number;
  readonly lineEnd: number;
  readonly valueStart: number;
  readonly valueEnd: number;
  opaque: number | undefined = undefined;
  flags = 0;
  leaseFlags = 0;
  #casStart = NO_METADATA;
  #keyStart = NO_METADATA;
  #keyEnd = NO_METADATA;
  #ttl = NO_METADATA;
  #hitBefore = NO_METADATA;
  #lastAccess = NO_METADATA;

  constructor(buffer: Buffer, lineStart: number, lineEnd: number, valueStart: number, valueEnd: number) {
    this.buffer = buffer;
    this.lineStart = lineStart;
    this.lineEnd = lineEnd;
    this.valueStart = valueStart;
    this.valueEnd = valueEnd;
    // The meta codes (HD, VA, EN…) are nearly every reply: told apart without building a tuple.
    const metaStatus = metaStatusOf(buffer, lineStart, lineEnd);
    if (metaStatus !== undefined) {
      this.kind = LineKind.meta;
      this.status = metaStatus;
      this.#readFlags(lineStart + 2);
      return;
    }
    const [kind, status] = classify(buffer, lineStart, lineEnd);
    this.kind = kind;
    this.status = status;
  }

  get final(): boolean {
    return this.kind !== LineKind.stat;
  }

  get cas(): bigint {
    const start = this.#casStart;
    return start === NO_METADATA ? 0n : casToken(this.buffer, start, spaceOrEnd(this.buffer, start, this.lineEnd));
  }

  get counter(): bigint | undefined {
    // Anything but a decimal number is no counter (the command reads that as a ProtocolError).
    const digits = this.buffer.toString('latin1', this.valueStart, this.valueEnd);
    return DECIMAL.test(digits) ? BigInt(digits) : undefined;
  }

  /** The line after its code (a version, a statistic's value, an error's words), or a value's text. */
  get text(): string {
    if (this.kind === LineKind.meta) return '';
    if (this.kind === LineKind.error && this.status === ReplyStatus.unknownCommand) return UNKNOWN_COMMAND;
    if (this.kind === LineKind.stat) {
      const nameEnd = this.buffer.indexOf(32, this.lineStart + 5);
      return this.buffer.toString('utf8', nameEnd + 1, this.lineEnd);
    }
    const space = this.buffer.indexOf(32, this.lineStart);
    return space === -1 || space > this.lineEnd ? '' : this.buffer.toString('utf8', space + 1, this.lineEnd);
  }

  get key(): string {
    if (this.kind === LineKind.stat) {
      const nameEnd = this.buffer.indexOf(32, this.lineStart + 5);
      return this.buffer.toString('utf8', this.lineStart + 5, nameEnd);
    }
    return this.#keyStart === NO_METADATA ? '' : this.buffer.toString('utf8', this.#keyStart, this.#keyEnd);
  }

  get metadata(): ItemMetadata | undefined {
    if (this.#ttl === NO_METADATA && this.#hitBefore === NO_METADATA) return undefined;
    return { cas: this.cas, ttl: this.#ttl, hitBefore: this.#hitBefore === 1, lastAccess: this.#lastAccess };
  }

  keyIs(wireKey: string): boolean {
    const start = this.#keyStart;
    if (start === NO_METADATA) return false;
    const length = this.#keyEnd - start;
    if (length !== wireKey.length) return this.key === wireKey;
    const buffer = this.buffer;
    for (let i = 0; i < length; i++) {
      const code = wireKey.charCodeAt(i);
      if (code >= 0x80) return this.key === wireKey;
      if (buffer[start + i] !== code) return false;
    }
    return true;
  }

  /** Reads the flags the client asks for; any other flag is left alone. */
  #readFlags(from: number): void {
    const buffer = this.buffer;
    const end = this.lineEnd;
    let at = from;
    while (at < end) {
      if (buffer[at] === 32) {
        at++;
        continue;
      }
      const tokenEnd = spaceOrEnd(buffer, at, end);
      this.#readFlag(buffer[at] as number, at + 1, tokenEnd);
      at = tokenEnd;
    }
  }

  #readFlag(flag: number, start: number, end: number): void {
    switch (flag) {
      case 0x4f: // O: opaque
        this.opaque = decimal(this.buffer, start, end);
        return;
      case 0x66: // f: client flags
        this.flags = decimal(this.buffer, start, end);
        return;
      case 0x63: // c: CAS
        this.#casStart = start;
        return;
      case 0x6b: // k: key
        this.#keyStart = start;
        this.#keyEnd = end;
        return;
      case 0x74: // t: TTL left, -1 for never
        this.#ttl = this.buffer[start] === 0x2d ? -1 : decimal(this.buffer, start, end);
        return;
      case 0x68: // h: hit before
        this.#hitBefore = decimal(this.buffer, start, end);
        return;
      case 0x6c: // l: seconds since last access
        this.#lastAccess = decimal(this.buffer, start, end);
        return;
      case 0x57: // W: this request won the right to recompute
        this.leaseFlags |= LeaseFlag.win;
        return;
      case 0x58: // X: the item is stale (md … I)
        this.leaseFlags |= LeaseFlag.stale;
        return;
      case 0x5a: // Z: another request already won
        this.leaseFlags |= LeaseFlag.alreadyWon;
        return;
    }
  }
}

/** The meta lines: `VA <size> <flags>*` is followed by a value. */
export const metaGrammar: LineGrammar = {
  valueLength(buffer, lineStart, lineEnd) {
    if (buffer[lineStart] !== 0x56 || buffer[lineStart + 1] !== 0x41 || buffer[lineStart + 2] !== 32) return -1;
    return decimal(buffer, lineStart + 3, spaceOrEnd(buffer, lineStart + 3, lineEnd));
  },
  reply: (buffer, lineStart, lineEnd, valueStart, valueEnd) =>
    new MetaReply(buffer, lineStart, lineEnd, valueStart, valueEnd),
};

/** Two-letter meta return codes, by their bytes. */
const metaCodes: ReadonlyMap<number, ReplyStatus> = new Map<number, ReplyStatus>([
  [code('VA'), ReplyStatus.ok],
  [code('HD'), ReplyStatus.ok],
  [code('EN'), ReplyStatus.notFound],
  [code('NF'), ReplyStatus.notFound],
  [code('NS'), ReplyStatus.notStored],
  [code('EX'), ReplyStatus.exists],
]);

function code(text: string): number {
  return (text.charCodeAt(0) << 8) | text.charCodeAt(1);
}

/** The status of a meta reply line (its two-letter code, then flags from `start + 2`), or undefined if it is none. */
function metaStatusOf(buffer: Buffer, start: number, end: number): ReplyStatus | undefined {
  const length = end - start;
  if (length < 2 || (length > 2 && buffer[start + 2] !== 32)) return undefined;
  return metaCodes.get(((buffer[start] as number) << 8) | (buffer[start + 1] as number));
}

/** The kind and status of a line that is not a meta reply (`MN`, classic and error lines). */
function classify(buffer: Buffer, start: number, end: number): [LineKind, ReplyStatus] {
  const length = end - start;
  const word = length === 2 || (length > 2 && buffer[start + 2] === 32);
  if (word && buffer[start] === 0x4d && buffer[start + 1] === 0x4e) return [LineKind.noop, ReplyStatus.ok];
  const line = buffer.toString('latin1', start, Math.min(end, start + 32));
  if (line.startsWith('STAT ')) return [LineKind.stat, ReplyStatus.ok];
  if (line === 'END') return [LineKind.end, ReplyStatus.ok];
  if (line.startsWith('VERSION ')) return [LineKind.version, ReplyStatus.ok];
  if (line === 'OK') return [LineKind.ok, ReplyStatus.ok];
  if (line === 'STORED') return [LineKind.stored, ReplyStatus.ok];
  const status = errorLineStatus(buffer.toString('latin1', start, end));
  if (status !== undefined) return [LineKind.error, status];
  throw new FrameError(`an unknown reply line "${line}"`);
}
