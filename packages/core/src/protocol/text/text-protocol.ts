import { type Command, Op } from '../command.ts';
import { FrameError } from '../frame-error.ts';
import { lineRequestBound } from '../lines/ascii-lines.ts';
import { asciiLogin } from '../lines/ascii-login.ts';
import { LineReader } from '../lines/line-reader.ts';
import type { Reply } from '../reply.ts';
import type { WireProtocol } from '../wire-protocol.ts';
import { TextLine, type TextReply, textGrammar } from './text-reply.ts';
import { answeringLines, encodeTextRequest, textRefusal } from './text-request.ts';

/** ElastiCache Serverless refuses longer command lines; 100 keys of 250 bytes would make 25 KB. */
const GET_LINE_MAX_BYTES = 16_384;
/** The bytes of a multi-key get line besides its keys and their spaces: `gets` and CRLF. */
const GET_LINE_OVERHEAD = 'gets\r\n'.length;

/**
 * Text replies come in request order and carry no opaque: a reply answers the oldest request, and
 * must be a line that request can get (a VALUE must name its key), or the replies are out of step.
 */
function answers(reply: Reply, command: Command): boolean {
  const line = reply as TextReply;
  if (line.kind === TextLine.error) return true;
  if (!answeringLines(command.op).includes(line.kind)) {
    throw new FrameError(`a reply line of kind ${line.kind} does not answer the request in flight`);
  }
  if (line.kind === TextLine.value && !valueFits(line, command)) {
    throw new FrameError(`a value for key "${line.key}" arrived for a get of other keys`);
  }
  return true;
}

/** A value must name its get's key; a multi-key get's exchange checks the key against its own. */
function valueFits(line: TextReply, command: Command): boolean {
  return command.keys !== undefined || line.keyIs(command.key as string);
}

/**
 * memcached's classic text protocol: what twemproxy, mcrouter and old servers accept. Pipelined
 * on one connection, replies in order; no quiet requests, so multi-key operations send a request
 * per key in one write. Login with memcached's ASCII authentication (`-Y`).
 */
export const textProtocol: WireProtocol = {
  name: 'text',
  encodeBound: lineRequestBound,
  encode: encodeTextRequest,
  reader: (maxValueLength, sink) => new LineReader(textGrammar(), maxValueLength, sink),
  answers,
  capabilities: {
    metadata: false,
    leases: false,
    counterWithInitial: false,
    conditionalDelete: false,
    // A batch's gets go as `gets k1 k2 …`: one request, so memcached answers them in one go.
    multiKeyGet: { keys: 100, keyBytes: GET_LINE_MAX_BYTES - GET_LINE_OVERHEAD },
    throughProxies: true,
    login: 'ascii',
  },
  isQuiet: () => false,
  barrier: { op: Op.noop },
  refusal: textRefusal,
  loginName: 'ASCII (memcached -Y)',
  login: asciiLogin,
};
