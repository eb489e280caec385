import { FrameError } from '../frame-error.ts';
import type { ReplyReader, ReplySink } from '../wire-protocol.ts';
import { HEADER_LENGTH, Magic, Opcode } from './constants.ts';
import { BinaryReply } from './reply.ts';

/**
 * No memcached item exceeds 1 GiB (its `-I` ceiling); a longer announced body is garbage, not a
 * big value, and fails at once rather than after the reader waits for bytes that never come.
 */
export const PROTOCOL_MAX_BODY_LENGTH: number = 1024 * 1024 * 1024 + 1024;

/**
 * Incremental reader: push socket chunks of any size and it emits complete frames. Frames that
 * sit wholly inside one chunk are emitted as views of that chunk (no copy); only a frame that
 * straddles chunks is assembled into a buffer of exactly its size, once its header is validated.
 */
export class FrameReader implements ReplyReader {
  readonly #maxBodyLength: number;
  readonly #sink: ReplySink;
  /** Header bytes of a frame split before its 24th byte. */
  readonly #header = Buffer.allocUnsafe(HEADER_LENGTH);
  #headerFill = 0;
  /** A frame whose header is known but whose body is still arriving. */
  #pending: Buffer | undefined;
  #pendingFill = 0;
  /** Body bytes of an oversized frame still to discard. */
  #skipping = 0;

  /**
   * @param maxBodyLength largest body kept, in bytes. A longer body is skipped without being
   *   buffered and reported through `sink.onOversized`, so the stream stays in step and no memory
   *   is sized by the length.
   */
  constructor(maxBodyLength: number, sink: ReplySink) {
    this.#maxBodyLength = maxBodyLength;
    this.#sink = sink;
  }

  /** True when bytes of an unfinished frame are buffered (an EOF now would cut a frame). */
  get midReply(): boolean {
    return this.#headerFill > 0 || this.#pending !== undefined || this.#skipping > 0;
  }

  /** Consumes `chunk`; throws {@link FrameError} on bytes that cannot be a valid response. */
  push(chunk: Buffer): void {
    let at = 0;
    if (this.#skipping > 0) at = this.#skip(chunk, 0);
    if (this.#headerFill > 0) at = this.#fillHeader(chunk);
    if (this.#pending !== undefined) at = this.#fillPending(chunk, at);
    while (at < chunk.length) {
      const available = chunk.length - at;
      if (available < HEADER_LENGTH) {
        // Check the magic byte now: garbage (an ASCII "ERROR\r\n") fails at once, not at a timeout.
        checkMagic(chunk, at);
        chunk.copy(this.#header, 0, at);
        this.#headerFill = available;
        return;
      }
      const bodyLength = checkHeader(chunk, at);
      if (bodyLength > this.#maxBodyLength) {
        at = this.#skip(chunk, this.#startSkipping(chunk, at, bodyLength));
        continue;
      }
      const frameLength = HEADER_LENGTH + bodyLength;
      if (available < frameLength) {
        this.#pending = Buffer.allocUnsafe(frameLength);
        this.#pendingFill = chunk.copy(this.#pending, 0, at);
        return;
      }
      this.#emit(chunk, at);
      at += frameLength;
    }
  }

  /** Completes a split header from the start of `chunk`; returns where the rest of the chunk starts. */
  #fillHeader(chunk: Buffer): number {
    const taken = chunk.copy(this.#header, this.#headerFill, 0);
    this.#headerFill += taken;
    if (this.#headerFill < HEADER_LENGTH) return chunk.length;
    this.#headerFill = 0;
    const bodyLength = checkHeader(this.#header, 0);
    if (bodyLength > this.#maxBodyLength) {
      this.#startSkipping(this.#header, 0, bodyLength);
      return this.#skip(chunk, taken);
    }
    this.#pending = Buffer.allocUnsafe(HEADER_LENGTH + bodyLength);
    this.#pendingFill = this.#header.copy(this.#pending, 0);
    return taken;
  }

  #fillPending(chunk: Buffer, at: number): number {
    const pending = this.#pending as Buffer;
    const taken = chunk.copy(pending, this.#pendingFill, at);
    this.#pendingFill += taken;
    if (this.#pendingFill < pending.length) return chunk.length;
    this.#pending = undefined;
    this.#emit(pending, 0);
    return at + taken;
  }

  /** Reports an oversized frame and arranges to discard its body; returns where its body starts. */
  #startSkipping(buffer: Buffer, at: number, bodyLength: number): number {
    const opcode = buffer[at + 1] as number;
    // STAT replies are many small frames: a huge one there is garbage, not a big value.
    if (opcode === Opcode.stat) throw new FrameError(`a ${bodyLength}-byte STAT frame`);
    this.#skipping = bodyLength;
    const header = Buffer.from(buffer.subarray(at, at + HEADER_LENGTH));
    const reply = new BinaryReply(opcode, uint16(buffer, at + 6), uint32(buffer, at + 12), 0, 0, 0, header, 0);
    this.#sink.onOversized(reply, bodyLength);
    return at + HEADER_LENGTH;
  }

  /** Discards skipped body bytes from `at`; returns where the rest of the chunk starts. */
  #skip(chunk: Buffer, at: number): number {
    const skipped = Math.min(this.#skipping, chunk.length - at);
    this.#skipping -= skipped;
    return at + skipped;
  }

  #emit(buffer: Buffer, offset: number): void {
    this.#sink.onReply(
      new BinaryReply(
        buffer[offset + 1] as number,
        uint16(buffer, offset + 6),
        uint32(buffer, offset + 12),
        buffer[offset + 4] as number,
        uint16(buffer, offset + 2),
        uint32(buffer, offset + 8),
        buffer,
        offset,
      ),
    );
  }
}

// Byte arithmetic: Buffer#readUInt32BE's argument checks cost more than the reads themselves, and
// the reader has already made sure the bytes are there.
function uint16(buffer: Buffer, at: number): number {
  return ((buffer[at] as number) << 8) | (buffer[at + 1] as number);
}

function uint32(buffer: Buffer, at: number): number {
  return (
    (((buffer[at] as number) << 24) >>> 0) +
    (((buffer[at + 1] as number) << 16) | ((buffer[at + 2] as number) << 8) | (buffer[at + 3] as number))
  );
}

/** The replies of memcached's text protocol to a line it cannot take, as a server without binary sends them. */
const TEXT_REPLY_WORDS = ['ERROR', 'CLIENT_ERROR', 'SERVER_ERROR'].map((word) => Buffer.from(word, 'latin1'));

function checkMagic(buffer: Buffer, at: number): void {
  const magic = buffer[at];
  if (magic === Magic.response) return;
  const bad = `bad magic byte 0x${(magic ?? 0).toString(16)} (expected 0x81)`;
  // A text-protocol answer to a binary request (the greeting NOOP's newline ends the server's line).
  const word = TEXT_REPLY_WORDS.find((candidate) => buffer.subarray(at, at + candidate.length).equals(candidate));
  if (word === undefined) throw new FrameError(bad);
  throw new FrameError(
    `${bad}: the server answered in the text protocol ("${word.toString('latin1')}"), so it does not accept ` +
      "the binary protocol (memcached -B ascii, a proxy, ElastiCache Serverless): set protocol: 'meta' or 'text'",
  );
}

/** Validates the header at `at` and returns its body length. */
function checkHeader(buffer: Buffer, at: number): number {
  checkMagic(buffer, at);
  const bodyLength = uint32(buffer, at + 8);
  if (bodyLength > PROTOCOL_MAX_BODY_LENGTH) {
    throw new FrameError(`body length ${bodyLength} is more than any memcached item can hold`);
  }
  const extrasLength = buffer[at + 4] as number;
  const keyLength = uint16(buffer, at + 2);
  if (extrasLength + keyLength > bodyLength) {
    throw new FrameError(`extras (${extrasLength}) and key (${keyLength}) exceed body length ${bodyLength}`);
  }
  return bodyLength;
}
