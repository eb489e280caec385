import { type Command, checkedUint32, Op } from '../command.ts';
import { dataLength, lineExpiration, writeLineWithData, writeText } from '../lines/ascii-lines.ts';
import { TextLine } from './text-reply.ts';

/**
 * Classic text-protocol requests (memcached doc/protocol.txt, "Commands"): what twemproxy,
 * mcrouter and old servers accept. Replies come in order and name no opaque, so nothing is sent
 * quiet: every key of a batch is its own pipelined request with its own reply. Keys go as UTF-8;
 * the key rules already exclude whitespace and control characters, so no key can break a line.
 */

type Encode = (command: Command, out: Buffer, at: number) => number;

/** A request that is one line without data, written from a string. */
function line(build: (command: Command, key: string) => string): Encode {
  return (command, out, at) => writeText(build(command, command.key as string), out, at);
}

/** A storage command (`set`, `add`, …): a line, then the data. */
function storage(name: string): Encode {
  return (command, out, at) => encodeStorage(name, command, out, at);
}

/** An op text cannot carry: the dispatcher refuses it first (capability, `textRefusal`), so this is a bug guard. */
function none(command: Command): number {
  throw new RangeError(`no text request for this command (op ${command.op})`);
}

/** Every op's request, total over {@link Op}: a new op does not compile until it has a row here. */
const encoders = {
  [Op.get]: line((command, key) =>
    command.keys === undefined ? `get ${key}\r\n` : `get ${command.keys.join(' ')}\r\n`,
  ),
  [Op.gets]: line((_, key) => `gets ${key}\r\n`),
  [Op.gat]: line((command, key) => `gat ${expiration(command)} ${key}\r\n`),
  [Op.touch]: line((command, key) => `touch ${key} ${expiration(command)}\r\n`),
  [Op.set]: storage('set'),
  [Op.add]: storage('add'),
  [Op.replace]: storage('replace'),
  [Op.append]: storage('append'),
  [Op.prepend]: storage('prepend'),
  [Op.delete]: line((_, key) => `delete ${key}\r\n`),
  [Op.incr]: line((command, key) => `incr ${key} ${command.delta ?? 1n}\r\n`),
  [Op.decr]: line((command, key) => `decr ${key} ${command.delta ?? 1n}\r\n`),
  [Op.flush]: line((command) => `flush_all ${expiration(command)}\r\n`),
  [Op.version]: line(() => 'version\r\n'),
  [Op.stats]: line((command) => (command.key === undefined ? 'stats\r\n' : `stats ${command.key}\r\n`)),
  // The text protocol has no no-op; version is the cheapest request with a reply.
  [Op.noop]: line(() => 'version\r\n'),
  [Op.getWithMetadata]: none,
  [Op.saslListMechs]: none,
  [Op.saslAuth]: none,
  // memcached -Y: the first command must be a set whose data is "user pass"; its key is ignored.
  [Op.asciiAuth]: storage('set'),
  [Op.leaseGet]: none,
  [Op.invalidate]: none,
  [Op.gats]: line((command, key) => `gats ${expiration(command)} ${key}\r\n`),
  [Op.casOf]: none,
} as const satisfies Record<Op, Encode>;

const getLines: readonly TextLine[] = [TextLine.value, TextLine.end];
const storageLines: readonly TextLine[] = [TextLine.stored, TextLine.notStored, TextLine.exists, TextLine.notFound];

/** No line answers it: text cannot carry the command (the dispatcher refuses it before). */
const NOT_CARRIED: readonly TextLine[] = [];

/**
 * The lines that can answer each command (an error line answers any), total over {@link Op}: a
 * new op does not compile until it has a row here.
 */
const answersTo = {
  [Op.get]: getLines,
  [Op.gets]: getLines,
  [Op.gat]: getLines,
  [Op.touch]: [TextLine.touched, TextLine.notFound],
  [Op.set]: storageLines,
  [Op.add]: storageLines,
  [Op.replace]: storageLines,
  [Op.append]: storageLines,
  [Op.prepend]: storageLines,
  [Op.delete]: [TextLine.deleted, TextLine.notFound],
  [Op.incr]: [TextLine.number, TextLine.notFound],
  [Op.decr]: [TextLine.number, TextLine.notFound],
  [Op.flush]: [TextLine.ok],
  [Op.version]: [TextLine.version],
  [Op.noop]: [TextLine.version],
  [Op.stats]: [TextLine.stat, TextLine.end],
  [Op.getWithMetadata]: NOT_CARRIED,
  [Op.saslListMechs]: NOT_CARRIED,
  [Op.saslAuth]: NOT_CARRIED,
  [Op.asciiAuth]: [TextLine.stored],
  [Op.leaseGet]: NOT_CARRIED,
  [Op.invalidate]: NOT_CARRIED,
  [Op.gats]: getLines,
  [Op.casOf]: NOT_CARRIED,
} as const satisfies Record<Op, readonly TextLine[]>;

/** The reply lines that can answer `op` (an error line answers any). */
export function answeringLines(op: Op): readonly TextLine[] {
  return answersTo[op];
}

/** Writes `command` into `out` at `at` and returns the offset just past it. */
export function encodeTextRequest(command: Command, _opaque: number, out: Buffer, at: number): number {
  return encoders[command.op](command, out, at);
}

/** `<command> <key> <flags> <exptime> <bytes> [<cas>]`, then the data and CRLF. */
function encodeStorage(name: string, command: Command, out: Buffer, at: number): number {
  const value = command.value ?? '';
  const length = dataLength(value);
  const cas = command.cas;
  const conditional = cas !== undefined && cas !== 0n;
  const key = command.op === Op.asciiAuth ? 'auth' : (command.key as string);
  const flags = checkedUint32(command.flags ?? 0, 'flags');
  const head = conditional
    ? `cas ${key} ${flags} ${expiration(command)} ${length} ${cas}\r\n`
    : `${name} ${key} ${flags} ${expiration(command)} ${length}\r\n`;
  return writeLineWithData(head, value, out, at);
}

const expiration = lineExpiration;

/** Why the text protocol cannot carry `command`, or undefined when it can. */
export function textRefusal(command: Command): string | undefined {
  if (command.op === Op.delete && command.cas !== undefined && command.cas !== 0n) {
    return "a delete with a CAS token needs protocol 'binary' or 'meta': the text protocol has no conditional delete";
  }
  if ((command.op === Op.incr || command.op === Op.decr) && command.initial !== undefined) {
    return 'the text protocol has no initial value for incr or decr';
  }
  if (command.op === Op.getWithMetadata) return "getWithMetadata needs protocol 'meta'";
  return undefined;
}
