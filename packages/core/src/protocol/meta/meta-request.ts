import { dataLength, lineExpiration, writeCrlf, writeDecimal, writeLineWithData, writeText } from '../ascii-lines.ts';
import { type Command, checkedUint32, Op } from '../command.ts';

/**
 * Meta-protocol requests (memcached doc/protocol.txt, "Meta Commands"), limited to the flags
 * memcached 1.6.18 knows: it answers an unknown flag with `CLIENT_ERROR invalid flag`. Every
 * request carries its opaque as `O<n>`; reads also ask for the key (`k`), so a hit names
 * the key it answers. Keys go as UTF-8, as binary sends them, so both dialects (and Dalli 5, whose
 * base64 keys memcached decodes to the same bytes) address the same item. The key rules already
 * exclude whitespace and control characters, so a key is always one token.
 */

/** Writes `command` into `out` at `at` and returns the offset just past it. */
export function encodeMetaRequest(command: Command, opaque: number, out: Buffer, at: number): number {
  // The two commands on the hot path are written piece by piece, without a string per request.
  if (command.op === Op.get) return encodeGet(command, opaque, out, at);
  if (command.op === Op.set) return encodeStorage(command, opaque, out, at);
  const line = metaLine(command, opaque);
  if (line !== undefined) return writeText(line, out, at);
  return encodeStorage(command, opaque, out, at);
}

/** `mg <key> v f k O<opaque>`; quiet, also `q`. */
function encodeGet(command: Command, opaque: number, out: Buffer, at: number): number {
  let end = writeText('mg ', out, at);
  end = writeText(command.key as string, out, end);
  end = writeText(command.quiet === true ? ' v f k q O' : ' v f k O', out, end);
  return writeCrlf(out, writeDecimal(opaque, out, end));
}

/** The whole request for every command without a data block. */
function metaLine(command: Command, opaque: number): string | undefined {
  const key = command.key as string;
  switch (command.op) {
    case Op.gets:
      return `mg ${key} v f c k O${opaque}\r\n`;
    case Op.gat:
      return `mg ${key} v f k T${expiration(command)} O${opaque}\r\n`;
    case Op.touch:
      return `mg ${key} T${expiration(command)} O${opaque}\r\n`;
    case Op.getWithMetadata:
      return `mg ${key} v f c t h l O${opaque}\r\n`;
    case Op.leaseGet:
      return `mg ${key} v f c t${leaseToken(command)}${recacheToken(command)} O${opaque}\r\n`;
    case Op.casOf:
      return `mg ${key} c k O${opaque}\r\n`;
    case Op.invalidate:
      return `md ${key} I${command.expiration === undefined ? '' : ` T${expiration(command)}`} O${opaque}\r\n`;
    case Op.delete:
      return `md ${key}${casToken(command)} O${opaque}${command.quiet === true ? ' q' : ''}\r\n`;
    case Op.incr:
    case Op.decr:
      return arithmeticLine(command, key, opaque);
    case Op.flush:
      return `flush_all ${expiration(command)}\r\n`;
    case Op.version:
      return 'version\r\n';
    case Op.stats:
      return command.key === undefined ? 'stats\r\n' : `stats ${command.key}\r\n`;
    case Op.noop:
      return 'mn\r\n';
    default:
      return undefined;
  }
}

/** `ma`: the new value back (`v`); with an initial value, `N<ttl>` creates a missing counter holding `J`. */
function arithmeticLine(command: Command, key: string, opaque: number): string {
  const mode = command.op === Op.incr ? 'I' : 'D';
  const create = command.initial === undefined ? '' : ` N${expiration(command)} J${command.initial}`;
  return `ma ${key} v D${command.delta ?? 1n}${create} M${mode} O${opaque}\r\n`;
}

const storageModes: Partial<Record<Op, 'S' | 'E' | 'R' | 'A' | 'P'>> = {
  [Op.set]: 'S',
  [Op.add]: 'E',
  [Op.replace]: 'R',
  [Op.append]: 'A',
  [Op.prepend]: 'P',
};

/** Each mode's token and the opaque flag's letter, built once: no string per request. */
const modeTokens = { S: ' MS O', E: ' ME O', R: ' MR O', A: ' MA O', P: ' MP O' } as const;

/**
 * `ms <key> <length> F<flags> T<ttl> [C<cas>] M<mode> O<opaque> [q]`, then the data and CRLF (the
 * ASCII login's `set` has the same shape). Append and prepend keep the item's flags and TTL:
 * memcached ignores F and T there, so they are left out.
 */
function encodeStorage(command: Command, opaque: number, out: Buffer, at: number): number {
  const value = command.value ?? '';
  const length = dataLength(value);
  if (command.op === Op.asciiAuth) {
    // memcached -Y: the first command must be a set whose data is "user pass"; its key is ignored.
    return writeLineWithData(`set auth 0 0 ${length}\r\n`, value, out, at);
  }
  const mode = storageModes[command.op];
  if (mode === undefined) throw new RangeError(`no meta request for this command (op ${command.op})`);
  let end = writeText('ms ', out, at);
  end = writeText(command.key as string, out, end);
  out[end] = 32;
  end = writeDecimal(length, out, end + 1);
  if (mode !== 'A' && mode !== 'P') {
    end = writeText(' F', out, end);
    end = writeDecimal(checkedUint32(command.flags ?? 0, 'flags'), out, end);
    end = writeText(' T', out, end);
    end = writeDecimal(expiration(command), out, end);
  }
  const cas = command.cas;
  if (cas !== undefined && cas !== 0n) end = writeText(` C${cas}`, out, end);
  end = writeText(modeTokens[mode], out, end);
  end = writeDecimal(opaque, out, end);
  if (command.quiet === true) end = writeText(' q', out, end);
  return writeLineWithData('\r\n', value, out, end);
}

const expiration = lineExpiration;

/** `C<cas>` when the command is conditional; a CAS of 0 means "any version", as in binary. */
function casToken(command: Command): string {
  const cas = command.cas;
  return cas === undefined || cas === 0n ? '' : ` C${cas}`;
}

/** `N<seconds>` when the lease read may create a stub on a miss (opt-in: other clients read it as ""). */
function leaseToken(command: Command): string {
  return command.expiration === undefined ? '' : ` N${expiration(command)}`;
}

/** `R<seconds>` when the lease read asks for an early recache (1.6.18 never gives it on TTL 0 items). */
function recacheToken(command: Command): string {
  return command.recache === undefined ? '' : ` R${checkedUint32(command.recache, 'recache')}`;
}
