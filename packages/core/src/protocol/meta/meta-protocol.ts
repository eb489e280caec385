import { type Command, Op } from '../command.ts';
import { FrameError } from '../frame-error.ts';
import { lineRequestBound } from '../lines/ascii-lines.ts';
import { asciiLogin } from '../lines/ascii-login.ts';
import { LineReader } from '../lines/line-reader.ts';
import type { Reply } from '../reply.ts';
import type { WireProtocol } from '../wire-protocol.ts';
import { LineKind, type MetaReply, metaGrammar } from './meta-reply.ts';
import { encodeMetaRequest, plainReplyOf } from './meta-request.ts';

/**
 * Whether `reply` answers `command` (sent with `opaque`). Meta replies echo the opaque; a quiet
 * request passed over was a silent success (or miss). The other lines carry none: they answer
 * the oldest request, which must be one that expects that line. An error line carries none
 * either: with quiet requests ahead of it the connection holds it until the next reply says whose
 * it is (`namesNoRequest`); here it answers the first request that is not quiet. (Only a retiring
 * connection, which just counts replies, asks about a quiet request: a quiet read passed over then
 * counts as settled, a quiet write cannot be told apart, and the socket is dropped.)
 */
function answers(reply: Reply, command: Command, opaque: number): boolean {
  const line = reply as MetaReply;
  const quiet = command.quiet === true;
  if (line.opaque !== undefined) {
    if (line.opaque === opaque) return true;
    if (quiet) return false;
    throw new FrameError(`reply with opaque ${line.opaque} arrived before the reply to opaque ${opaque}`);
  }
  if (line.kind === LineKind.error) {
    if (!quiet) return true;
    if (command.op === Op.get) return false;
    throw new FrameError('an error reply arrived while quiet writes were unanswered: whose it is cannot be told');
  }
  if (quiet) return false;
  const expected = plainReplyOf(command.op);
  const fits = expected === line.kind || (expected === LineKind.stat && line.kind === LineKind.end);
  if (fits) return true;
  if (line.kind === LineKind.meta) {
    // memcached before 1.6.18 did not echo the opaque on a miss (EN).
    throw new FrameError('a meta reply without its opaque: the meta protocol needs memcached 1.6.18 or later');
  }
  throw new FrameError(`a reply line of kind ${line.kind} does not answer the request in flight`);
}

/**
 * memcached's meta protocol (1.6.18 and later): text lines, pipelined, matched by opaque
 * (`O<n>`); multi-key operations are quiet (`q`) requests closed by `mn`. Spoken by memcached's
 * proxy and ElastiCache Serverless; login with memcached's ASCII authentication (`-Y`).
 */
export const metaProtocol: WireProtocol = {
  name: 'meta',
  capabilities: {
    metadata: true,
    leases: true,
    counterWithInitial: true,
    conditionalDelete: true,
    multiKeyGet: undefined,
    throughProxies: true,
    login: 'ascii',
  },
  encodeBound: lineRequestBound,
  encode: encodeMetaRequest,
  reader: (maxValueLength, sink) => new LineReader(metaGrammar, maxValueLength, sink),
  answers,
  namesNoRequest: (reply) => {
    const line = reply as MetaReply;
    return line.kind === LineKind.error && line.opaque === undefined;
  },
  isQuiet: (command) => command.quiet === true,
  barrier: { op: Op.noop },
  loginName: 'ASCII (memcached -Y)',
  login: asciiLogin,
};
