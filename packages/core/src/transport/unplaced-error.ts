import { FrameError } from '../protocol/frame-error.ts';
import type { Reply } from '../protocol/reply.ts';
import type { WireProtocol } from '../protocol/wire-protocol.ts';
import type { Exchange } from './exchange.ts';
import type { RequestQueue } from './request-queue.ts';

/**
 * Where the next reply puts a held error line, counted from the front of the in-flight queue: the
 * first `failed` requests take it as their reply, the next `silent` ones were silent successes,
 * and then, if `own`, the request after them takes it as its own reply.
 */
export interface Placement {
  readonly failed: number;
  readonly silent: number;
  readonly own: boolean;
}

/**
 * An error line that names no request (meta: no opaque, no key) which arrived while quiet
 * requests were in flight ahead of the first request that is not quiet. memcached's proxy and
 * ElastiCache Serverless send one for a quiet `mg` whose backend failed. It answers either one of
 * those `quiet` candidates or the request after them, and the next reply tells which: if it
 * answers a quiet candidate, the error was an earlier candidate's; if it answers the request after
 * them, the error was a quiet one's (which one cannot be known, so each fails with it); otherwise
 * that request got no other reply, so the error was its own and the quiet ones were silent.
 */
export class UnplacedError {
  /** The error line, copied out of the socket chunk it was read from. */
  readonly reply: Reply;
  /** How many quiet requests at the front of the in-flight queue it may answer. */
  readonly quiet: number;

  constructor(reply: Reply, quiet: number) {
    this.reply = detachedReply(reply);
    this.quiet = quiet;
  }

  /** Where `next`, the reply after the error line, puts it. Throws a `FrameError` if nothing fits. */
  place(next: Reply, inFlight: RequestQueue<Exchange>, protocol: WireProtocol): Placement {
    if (protocol.namesNoRequest?.(next) === true) {
      throw new FrameError(
        'two error lines naming no request came among quiet requests: whose they are cannot be told',
      );
    }
    for (let i = 0; i < this.quiet; i++) {
      const exchange = inFlight.at(i) as Exchange;
      if (!protocol.answers(next, exchange.request, exchange.opaque)) continue;
      // The oldest request answered after the error line: no request before it could have had it.
      if (i === 0) throw new FrameError('an error line arrived before the reply to the oldest request');
      return { failed: i, silent: 0, own: false };
    }
    const after = inFlight.at(this.quiet) as Exchange;
    if (answersAfter(protocol, next, after)) return { failed: this.quiet, silent: 0, own: false };
    return { failed: 0, silent: this.quiet, own: true };
  }
}

/** Whether `next` answers `after`, a request that is not quiet: a mismatch is an answer, not a fault, here. */
function answersAfter(protocol: WireProtocol, next: Reply, after: Exchange): boolean {
  try {
    return protocol.answers(next, after.request, after.opaque);
  } catch (error) {
    if (error instanceof FrameError) return false;
    throw error;
  }
}

/** What an error line says, without the buffer it was read from (the next chunk may reuse it). */
function detachedReply(reply: Reply): Reply {
  return {
    status: reply.status,
    buffer: EMPTY,
    valueStart: 0,
    valueEnd: 0,
    flags: 0,
    cas: 0n,
    counter: undefined,
    text: reply.text,
    key: '',
    final: true,
    metadata: undefined,
    keyIs: () => false,
  };
}

const EMPTY = Buffer.alloc(0);
