import { errorLineStatus } from '../ascii-lines.ts';
import { FrameError } from '../frame-error.ts';
import type { LineGrammar } from '../line-reader.ts';
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

/** One text reply line (and its value, for `VALUE`). */
export class TextReply implements Reply {
  readonly kind: TextLine;
  readonly status: ReplyStatus;
  readonly buffer: Buffer;
  readonly lineStart: number;
  readonly lineEnd: number;
  readonly valueStart: number;
  readonly valueEnd: number;
  /** The line's space-separated words (for VALUE and STAT lines; empty otherwise). */
  readonly #words: readonly string[];

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
    this.#words =
      kind === TextLine.value || kind === TextLine.stat ? buffer.toString('utf8', lineStart, lineEnd).split(' ') : [];
  }

  get final(): boolean {
    return this.kind !== TextLine.value && this.kind !== TextLine.stat;
  }

  get flags(): number {
    return this.kind === TextLine.value ? Number(this.#words[2]) : 0;
  }

  get cas(): bigint {
    const cas = this.#words[4];
    return this.kind === TextLine.value && cas !== undefined ? BigInt(cas) : 0n;
  }

  get counter(): bigint | undefined {
    return this.kind === TextLine.number
      ? BigInt(this.buffer.toString('latin1', this.lineStart, this.lineEnd))
      : undefined;
  }

  get text(): string {
    if (this.kind === TextLine.stat) return this.#words.slice(2).join(' ');
    if (this.kind === TextLine.version) return this.buffer.toString('latin1', this.lineStart + 8, this.lineEnd);
    if (this.kind === TextLine.error) {
      const line = this.buffer.toString('utf8', this.lineStart, this.lineEnd);
      const space = line.indexOf(' ');
      return space === -1 ? UNKNOWN_COMMAND : line.slice(space + 1);
    }
    return '';
  }

  get key(): string {
    return this.#words[1] ?? '';
  }

  get metadata(): ItemMetadata | undefined {
    return undefined;
  }

  keyIs(wireKey: string): boolean {
    return this.kind === TextLine.value && this.#words[1] === wireKey;
  }
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
      if (buffer.toString('latin1', lineStart, lineStart + 6) !== 'VALUE ') return -1;
      const words = buffer.toString('latin1', lineStart, lineEnd).split(' ');
      const size = Number(words[3]);
      if (words.length < 4 || !Number.isSafeInteger(size) || size < 0) throw new FrameError('a malformed VALUE line');
      return size;
    },
    reply(buffer, lineStart, lineEnd, valueStart, valueEnd) {
      const [kind, status] = classify(buffer, lineStart, lineEnd, inStats);
      inStats = kind === TextLine.stat;
      return new TextReply(kind, status, buffer, lineStart, lineEnd, valueStart, valueEnd);
    },
  };
}

function classify(buffer: Buffer, start: number, end: number, inStats: boolean): [TextLine, ReplyStatus] {
  const line = buffer.toString('latin1', start, end);
  const known = words.get(line);
  if (known !== undefined) return known;
  if (line.startsWith('VALUE ')) return [TextLine.value, ReplyStatus.ok];
  if (line === 'END') return [TextLine.end, inStats ? ReplyStatus.ok : ReplyStatus.notFound];
  if (line.startsWith('STAT ')) return [TextLine.stat, ReplyStatus.ok];
  if (line.startsWith('VERSION ')) return [TextLine.version, ReplyStatus.ok];
  if (/^\d{1,20}$/.test(line)) return [TextLine.number, ReplyStatus.ok];
  const error = errorLineStatus(line);
  if (error !== undefined) return [TextLine.error, error];
  throw new FrameError(`an unknown reply line "${line.slice(0, 32)}"`);
}
