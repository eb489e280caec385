import { casToken } from '../cas-token.ts';
import { FrameError } from '../frame-error.ts';
import { decimal, errorLineStatus, spaceOrEnd } from '../lines/ascii-lines.ts';
import type { LineGrammar } from '../lines/line-reader.ts';
import { type ItemMetadata, type Reply, ReplyStatus } from '../reply.ts';

/** What kind of line a text reply is: it decides which request it can answer. */
export const TextLine = {
  /** `VALUE <key> <flags> <bytes> [<cas>]`, then the value; `END` follows the last. */
  value: 0,
  end: 1,
  stored: 2,
  notStored: 3,
  exists: 4,
  notFound: 5,
  deleted: 6,
  touched: 7,
  ok: 8,
  version: 9,
  stat: 10,
  /** incr/decr: the new value, in decimal. */
  number: 11,
  error: 12,
} as const;
export type TextLine = (typeof TextLine)[keyof typeof TextLine];

const words: ReadonlyMap<string, [TextLine, ReplyStatus]> = new Map<string, [TextLine, ReplyStatus]>([
  ['STORED', [TextLine.stored, ReplyStatus.ok]],
  ['NOT_STORED', [TextLine.notStored, ReplyStatus.notStored]],
  ['EXISTS', [TextLine.exists, ReplyStatus.exists]],
  ['NOT_FOUND', [TextLine.notFound, ReplyStatus.notFound]],
  ['DELETED', [TextLine.deleted, ReplyStatus.ok]],
  ['TOUCHED', [TextLine.touched, ReplyStatus.ok]],
  ['OK', [TextLine.ok, ReplyStatus.ok]],
]);

/** One text reply line (and its value, for `VALUE`), its fields found by scanning its bytes once. */
export class TextReply implements Reply {
  readonly kind: TextLine;
  readonly status: ReplyStatus;
  readonly buffer: Buffer;
  readonly lineStart: number;
  readonly lineEnd: number;
  readonly valueStart: number;
  readonly valueEnd: number;
  /** Where each space-separated word of a VALUE or STAT line starts (the next word's start ends it). */
  readonly #words: number[];

  // Positional parameters rather than an options bag: this runs once per reply.
  constructor(
    kind: TextLine,
    status: ReplyStatus,
    buffer: Buffer,
    lineStart: number,
    lineEnd: number,
    valueStart: number,
    valueEnd: number,
  ) {
    this.kind = kind;
    this.status = status;
    this.buffer = buffer;
    this.lineStart = lineStart;
    this.lineEnd = lineEnd;
    this.valueStart = valueStart;
    this.valueEnd = valueEnd;
    this.#words = kind === TextLine.value || kind === TextLine.stat ? wordStarts(buffer, lineStart, lineEnd) : [];
  }

  get final(): boolean {
    return this.kind !== TextLine.value && this.kind !== TextLine.stat;
  }

  get flags(): number {
    return this.kind === TextLine.value ? decimal(this.buffer, this.#wordStart(2), this.#wordEnd(2)) : 0;
  }

  get cas(): bigint {
    if (this.kind !== TextLine.value || this.#words.length < 5) return 0n;
    return casToken(this.buffer, this.#wordStart(4), this.#wordEnd(4));
  }

  get counter(): bigint | undefined {
    return this.kind === TextLine.number
      ? BigInt(this.buffer.toString('latin1', this.lineStart, this.lineEnd))
      : undefined;
  }

  get text(): string {
    if (this.kind === TextLine.stat) return this.buffer.toString('utf8', this.#wordStart(2), this.lineEnd);
    if (this.kind === TextLine.version) return this.buffer.toString('latin1', this.lineStart + 8, this.lineEnd);
    if (this.kind === TextLine.error) {
      const line = this.buffer.toString('utf8', this.lineStart, this.lineEnd);
      const space = line.indexOf(' ');
      return space === -1 ? UNKNOWN_COMMAND : line.slice(space + 1);
    }
    return '';
  }

  get key(): string {
    return this.#words.length < 2 ? '' : this.buffer.toString('utf8', this.#wordStart(1), this.#wordEnd(1));
  }

  get metadata(): ItemMetadata | undefined {
    return undefined;
  }

  /** Compares the key bytes with `wireKey` without decoding them (ASCII fast path). */
  keyIs(wireKey: string): boolean {
    if (this.kind !== TextLine.value) return false;
    const start = this.#wordStart(1);
    const length = this.#wordEnd(1) - start;
    if (length !== wireKey.length) return this.key === wireKey;
    for (let i = 0; i < length; i++) {
      const code = wireKey.charCodeAt(i);
      if (code >= 0x80) return this.key === wireKey;
      if (this.buffer[start + i] !== code) return false;
    }
    return true;
  }

  #wordStart(index: number): number {
    return this.#words[index] ?? this.lineEnd;
  }

  #wordEnd(index: number): number {
    const next = this.#words[index + 1];
    return next === undefined ? this.lineEnd : next - 1;
  }
}

function wordStarts(buffer: Buffer, start: number, end: number): number[] {
  const starts = [start];
  for (let at = spaceOrEnd(buffer, start, end); at < end; at = spaceOrEnd(buffer, at + 1, end)) starts.push(at + 1);
  return starts;
}

const UNKNOWN_COMMAND = 'ERROR: the server (or a proxy in front of it) does not know the command';

/**
 * The text lines, for one connection: `END` closes a get (alone, a miss) or a run of `STAT`
 * lines, and only the reader knows which it follows.
 */
export function textGrammar(): LineGrammar {
  let inStats = false;
  return {
    valueLength(buffer, lineStart, lineEnd) {
      if (!isValueLine(buffer, lineStart)) return -1;
      const words = wordStarts(buffer, lineStart, lineEnd);
      const sizeStart = words[3];
      if (sizeStart === undefined) throw new FrameError('a malformed VALUE line');
      const next = words[4];
      return decimal(buffer, sizeStart, next === undefined ? lineEnd : next - 1);
    },
    reply(buffer, lineStart, lineEnd, valueStart, valueEnd) {
      const [kind, status] = classify(buffer, lineStart, lineEnd, inStats);
      inStats = kind === TextLine.stat;
      return new TextReply(kind, status, buffer, lineStart, lineEnd, valueStart, valueEnd);
    },
  };
}

const VALUE_WORD = Buffer.from('VALUE ');

function isValueLine(buffer: Buffer, start: number): boolean {
  for (let i = 0; i < 6; i++) if (buffer[start + i] !== VALUE_WORD[i]) return false;
  return true;
}

const VALUE_REPLY: [TextLine, ReplyStatus] = [TextLine.value, ReplyStatus.ok];

function classify(buffer: Buffer, start: number, end: number, inStats: boolean): [TextLine, ReplyStatus] {
  if (isValueLine(buffer, start)) return VALUE_REPLY;
  const line = buffer.toString('latin1', start, end);
  const known = words.get(line);
  if (known !== undefined) return known;
  if (line === 'END') return [TextLine.end, inStats ? ReplyStatus.ok : ReplyStatus.notFound];
  if (line.startsWith('STAT ')) return [TextLine.stat, ReplyStatus.ok];
  if (line.startsWith('VERSION ')) return [TextLine.version, ReplyStatus.ok];
  if (/^\d{1,20}$/.test(line)) return [TextLine.number, ReplyStatus.ok];
  const error = errorLineStatus(line);
  if (error !== undefined) return [TextLine.error, error];
  throw new FrameError(`an unknown reply line "${line.slice(0, 32)}"`);
}
