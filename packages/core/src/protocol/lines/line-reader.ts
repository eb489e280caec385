import { FrameError } from '../frame-error.ts';
import type { Reply } from '../reply.ts';
import type { ReplyReader, ReplySink } from '../wire-protocol.ts';

/** What a line dialect (meta, text) tells the reader about its lines. */
export interface LineGrammar {
  /** The length of the value that follows the line, or -1 when none does. */
  valueLength(buffer: Buffer, lineStart: number, lineEnd: number): number;
  /** The reply the line (and its value, between valueStart and valueEnd) makes. */
  reply(buffer: Buffer, lineStart: number, lineEnd: number, valueStart: number, valueEnd: number): Reply;
}

/** No reply line is longer than this (a 250-byte key and every flag fit many times over). */
const MAX_LINE_LENGTH = 8192;
const CR = 13;
const LF = 10;

/**
 * Reads the replies of a line dialect (meta or text: a line, and after some lines a value of
 * announced length and a CRLF) from chunks split anywhere. Lines and values that sit wholly in one chunk are read in
 * place; a reply split across chunks is assembled once, in a buffer of its exact size when its
 * length is known. A value over the limit is skipped, never buffered.
 */
export class LineReader implements ReplyReader {
  readonly #grammar: LineGrammar;
  readonly #maxValueLength: number;
  readonly #sink: ReplySink;
  /** Bytes of a reply that started in an earlier chunk. */
  #pending: Buffer | undefined;
  #pendingFill = 0;
  /** The pending reply's full length, once its line is known (0 while the line is incomplete). */
  #pendingLength = 0;
  /** Bytes of a skipped value (and its CRLF) still to discard. */
  #skipping = 0;

  constructor(grammar: LineGrammar, maxValueLength: number, sink: ReplySink) {
    this.#grammar = grammar;
    this.#maxValueLength = maxValueLength;
    this.#sink = sink;
  }

  get midReply(): boolean {
    return this.#pending !== undefined || this.#skipping > 0;
  }

  push(chunk: Buffer): void {
    let buffer = chunk;
    let at = 0;
    if (this.#skipping > 0) at = this.#skip(chunk, 0);
    if (this.#pending !== undefined && at < chunk.length) {
      if (this.#pendingLength === 0) {
        // An unfinished line: join it with this chunk and read on from the joined bytes.
        buffer = Buffer.concat([this.#pending.subarray(0, this.#pendingFill), chunk.subarray(at)]);
        at = 0;
        this.#pending = undefined;
      } else {
        at = this.#fillPending(chunk, at);
      }
    }
    while (at < buffer.length) {
      const next = this.#readReply(buffer, at);
      if (next === -1) return;
      at = next;
    }
  }

  /** Reads the reply at `at`; returns where the next starts, or -1 when the rest is kept for later. */
  #readReply(buffer: Buffer, at: number): number {
    const lf = lineFeed(buffer, at);
    if (lf === -1) {
      if (buffer.length - at > MAX_LINE_LENGTH) throw new FrameError('a reply line with no end');
      this.#keep(buffer, at, buffer.length - at, 0);
      return -1;
    }
    if (lf === at || buffer[lf - 1] !== CR) throw new FrameError('a reply line not ended by CRLF');
    const lineEnd = lf - 1;
    const size = this.#grammar.valueLength(buffer, at, lineEnd);
    if (size === -1) {
      this.#sink.onReply(this.#grammar.reply(buffer, at, lineEnd, lf + 1, lf + 1));
      return lf + 1;
    }
    if (size > this.#maxValueLength) {
      this.#sink.onOversized(this.#grammar.reply(buffer, at, lineEnd, lf + 1, lf + 1), size);
      this.#skipping = size + 2;
      return this.#skip(buffer, lf + 1);
    }
    const total = lf + 1 + size + 2 - at;
    if (buffer.length - at < total) {
      this.#keep(buffer, at, buffer.length - at, total);
      return -1;
    }
    this.#emitValue(buffer, at, lineEnd, size);
    return at + total;
  }

  #emitValue(buffer: Buffer, at: number, lineEnd: number, size: number): void {
    const valueStart = lineEnd + 2;
    const valueEnd = valueStart + size;
    if (buffer[valueEnd] !== CR || buffer[valueEnd + 1] !== LF) throw new FrameError('a value not ended by CRLF');
    this.#sink.onReply(this.#grammar.reply(buffer, at, lineEnd, valueStart, valueEnd));
  }

  /** Keeps `length` bytes from `at` for the next chunk; `total` is the reply's length when known. */
  #keep(buffer: Buffer, at: number, length: number, total: number): void {
    this.#pending = Buffer.allocUnsafe(Math.max(total, length));
    this.#pendingFill = buffer.copy(this.#pending, 0, at, at + length);
    this.#pendingLength = total;
  }

  /** Completes a reply of known length from `chunk`; returns where the rest of the chunk starts. */
  #fillPending(chunk: Buffer, at: number): number {
    const pending = this.#pending as Buffer;
    const taken = chunk.copy(pending, this.#pendingFill, at, at + this.#pendingLength - this.#pendingFill);
    this.#pendingFill += taken;
    if (this.#pendingFill < this.#pendingLength) return chunk.length;
    this.#pending = undefined;
    const lineEnd = pending.indexOf(LF) - 1;
    this.#emitValue(pending, 0, lineEnd, this.#pendingLength - lineEnd - 4);
    return at + taken;
  }

  #skip(chunk: Buffer, at: number): number {
    const skipped = Math.min(this.#skipping, chunk.length - at);
    this.#skipping -= skipped;
    return at + skipped;
  }
}

/** The next LF from `at`, or -1. A loop: a reply line is shorter than a call into Buffer#indexOf costs. */
function lineFeed(buffer: Buffer, at: number): number {
  const end = Math.min(buffer.length, at + MAX_LINE_LENGTH + 1);
  for (let i = at; i < end; i++) if (buffer[i] === LF) return i;
  return -1;
}
