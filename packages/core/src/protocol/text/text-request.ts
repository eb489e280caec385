import { type Command, checkedUint32, Op } from '../command.ts';
import { dataLength, lineExpiration, writeLineWithData, writeText } from '../lines/ascii-lines.ts';

/**
 * Classic text-protocol requests (memcached doc/protocol.txt, "Commands"): what twemproxy,
 * mcrouter and old servers accept. Replies come in order and name no opaque, so nothing is sent
 * quiet: every key of a batch is its own pipelined request with its own reply. Keys go as UTF-8;
 * the key rules already exclude whitespace and control characters, so no key can break a line.
 */

/** Writes `command` into `out` at `at` and returns the offset just past it. */
export function encodeTextRequest(command: Command, _opaque: number, out: Buffer, at: number): number {
  const line = textLine(command);
  if (line !== undefined) return writeText(line, out, at);
  return encodeStorage(command, out, at);
}

function textLine(command: Command): string | undefined {
  const key = command.key as string;
  switch (command.op) {
    case Op.get:
      return command.keys === undefined ? `get ${key}\r\n` : `get ${command.keys.join(' ')}\r\n`;
    case Op.gets:
      return `gets ${key}\r\n`;
    case Op.gat:
      return `gat ${expiration(command)} ${key}\r\n`;
    case Op.touch:
      return `touch ${key} ${expiration(command)}\r\n`;
    case Op.delete:
      return `delete ${key}\r\n`;
    case Op.incr:
      return `incr ${key} ${command.delta ?? 1n}\r\n`;
    case Op.decr:
      return `decr ${key} ${command.delta ?? 1n}\r\n`;
    case Op.flush:
      return `flush_all ${expiration(command)}\r\n`;
    // The text protocol has no no-op; version is the cheapest request with a reply.
    case Op.version:
    case Op.noop:
      return 'version\r\n';
    case Op.stats:
      return command.key === undefined ? 'stats\r\n' : `stats ${command.key}\r\n`;
    default:
      return undefined;
  }
}

const storageCommands: Partial<Record<Op, string>> = {
  [Op.set]: 'set',
  [Op.add]: 'add',
  [Op.replace]: 'replace',
  [Op.append]: 'append',
  [Op.prepend]: 'prepend',
  // memcached -Y: the first command must be a set whose data is "user pass"; its key is ignored.
  [Op.asciiAuth]: 'set',
};

/** `<command> <key> <flags> <exptime> <bytes> [<cas>]`, then the data and CRLF. */
function encodeStorage(command: Command, out: Buffer, at: number): number {
  const name = storageCommands[command.op];
  if (name === undefined) throw new RangeError(`no text request for this command (op ${command.op})`);
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
