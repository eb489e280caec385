import { type Command, checkedUint32, Op } from '../command.ts';
import {
  dataLength,
  lineExpiration,
  writeCrlf,
  writeDecimal,
  writeLineWithData,
  writeText,
} from '../lines/ascii-lines.ts';
import { LineKind } from './meta-reply.ts';

/**
 * Meta-protocol requests (memcached doc/protocol.txt, "Meta Commands"), limited to the flags
 * memcached 1.6.18 knows: it answers an unknown flag with `CLIENT_ERROR invalid flag`. Every
 * request carries its opaque as `O<n>`; reads also ask for the key (`k`), so a hit names
 * the key it answers. Keys go as UTF-8, as binary sends them, so both dialects (and Dalli 5, whose
 * base64 keys memcached decodes to the same bytes) address the same item. The key rules already
 * exclude whitespace and control characters, so a key is always one token.
 */

type Encode = (command: Command, opaque: number, out: Buffer, at: number) => number;

/** A request that is one line without data, written from a string. */
function line(build: (command: Command, key: string, opaque: number) => string): Encode {
  return (command, opaque, out, at) => writeText(build(command, command.key as string, opaque), out, at);
}

/** An op meta cannot carry: the dispatcher refuses it first (its capability), so this is a bug guard. */
function none(command: Command): number {
  throw new RangeError(`no meta request for this command (op ${command.op})`);
}

/**
 * Every op's request, total over {@link Op}: a new op does not compile until it has a row here.
 * The ones on a hot path (get, set, and the near cache's gets and CAS-only revalidation) are
 * written piece by piece, without a string per request.
 */
const encoders = {
  [Op.get]: encodeGet,
  [Op.gets]: encodeGets,
  [Op.gat]: line((command, key, opaque) => `mg ${key} v f k T${expiration(command)} O${opaque}\r\n`),
  [Op.touch]: line((command, key, opaque) => `mg ${key} T${expiration(command)} O${opaque}\r\n`),
  [Op.set]: encodeStorage,
  [Op.add]: encodeStorage,
  [Op.replace]: encodeStorage,
  [Op.append]: encodeStorage,
  [Op.prepend]: encodeStorage,
  [Op.delete]: line(
    (command, key, opaque) => `md ${key}${casToken(command)} O${opaque}${command.quiet === true ? ' q' : ''}\r\n`,
  ),
  [Op.incr]: line(arithmeticLine),
  [Op.decr]: line(arithmeticLine),
  [Op.flush]: line((command) => `flush_all ${expiration(command)}\r\n`),
  [Op.version]: line(() => 'version\r\n'),
  [Op.stats]: line((command) => (command.key === undefined ? 'stats\r\n' : `stats ${command.key}\r\n`)),
  [Op.noop]: line(() => 'mn\r\n'),
  [Op.getWithMetadata]: line((_, key, opaque) => `mg ${key} v f c t h l O${opaque}\r\n`),
  [Op.saslListMechs]: none,
  [Op.saslAuth]: none,
  [Op.asciiAuth]: encodeAsciiAuth,
  [Op.leaseGet]: line(
    (command, key, opaque) => `mg ${key} v f c t${leaseToken(command)}${recacheToken(command)} O${opaque}\r\n`,
  ),
  [Op.invalidate]: line(
    (command, key, opaque) =>
      `md ${key} I${command.expiration === undefined ? '' : ` T${expiration(command)}`} O${opaque}\r\n`,
  ),
  [Op.gats]: line((command, key, opaque) => `mg ${key} v f c k T${expiration(command)} O${opaque}\r\n`),
  // memcached 1.6.18 answers `HD c<cas> k<key>`: the CAS alone, no value bytes.
  [Op.casOf]: encodeCasOf,
} as const satisfies Record<Op, Encode>;

/** A meta command: its reply echoes the opaque (`O<n>`), so no plain line answers it. */
const ECHOES_OPAQUE = undefined;

/**
 * The line that answers each command sent without an opaque, total over {@link Op}: a new op
 * does not compile until it says how its reply is told apart.
 */
const plainReplies = {
  [Op.get]: ECHOES_OPAQUE,
  [Op.gets]: ECHOES_OPAQUE,
  [Op.gat]: ECHOES_OPAQUE,
  [Op.touch]: ECHOES_OPAQUE,
  [Op.set]: ECHOES_OPAQUE,
  [Op.add]: ECHOES_OPAQUE,
  [Op.replace]: ECHOES_OPAQUE,
  [Op.append]: ECHOES_OPAQUE,
  [Op.prepend]: ECHOES_OPAQUE,
  [Op.delete]: ECHOES_OPAQUE,
  [Op.incr]: ECHOES_OPAQUE,
  [Op.decr]: ECHOES_OPAQUE,
  [Op.flush]: LineKind.ok,
  [Op.version]: LineKind.version,
  [Op.stats]: LineKind.stat,
  [Op.noop]: LineKind.noop,
  [Op.getWithMetadata]: ECHOES_OPAQUE,
  // Binary SASL: never sent in meta (its login is ASCII).
  [Op.saslListMechs]: ECHOES_OPAQUE,
  [Op.saslAuth]: ECHOES_OPAQUE,
  [Op.asciiAuth]: LineKind.stored,
  [Op.leaseGet]: ECHOES_OPAQUE,
  [Op.invalidate]: ECHOES_OPAQUE,
  [Op.gats]: ECHOES_OPAQUE,
  [Op.casOf]: ECHOES_OPAQUE,
} as const satisfies Record<Op, LineKind | undefined>;

/** The line that answers `op` when it is sent without an opaque (flush, version, stats, mn, login); undefined for meta commands. */
export function plainReplyOf(op: Op): LineKind | undefined {
  return plainReplies[op];
}

/** Writes `command` into `out` at `at` and returns the offset just past it. */
export function encodeMetaRequest(command: Command, opaque: number, out: Buffer, at: number): number {
  // The hot path's two ops skip the table's indirect call: a direct call the JIT can inline.
  const op = command.op;
  if (op === Op.get) return encodeGet(command, opaque, out, at);
  if (op === Op.set) return encodeStorage(command, opaque, out, at);
  return encoders[op](command, opaque, out, at);
}

/** `mg <key> v f k O<opaque>`; quiet, also `q`. */
function encodeGet(command: Command, opaque: number, out: Buffer, at: number): number {
  return encodeMetaGet(command.key as string, command.quiet === true ? ' v f k q O' : ' v f k O', opaque, out, at);
}

/** `mg <key> v f c k O<opaque>`: a get that keeps the CAS (the near cache's reads). */
function encodeGets(command: Command, opaque: number, out: Buffer, at: number): number {
  return encodeMetaGet(command.key as string, ' v f c k O', opaque, out, at);
}

/** `mg <key> c k O<opaque>`: memcached 1.6.18 answers `HD c<cas> k<key>`, the CAS alone, no value bytes. */
function encodeCasOf(command: Command, opaque: number, out: Buffer, at: number): number {
  return encodeMetaGet(command.key as string, ' c k O', opaque, out, at);
}

/** `mg <key><flags><opaque>\r\n`, where `flags` is a constant ending in the opaque's letter. */
function encodeMetaGet(key: string, flags: string, opaque: number, out: Buffer, at: number): number {
  let end = writeText('mg ', out, at);
  end = writeText(key, out, end);
  end = writeText(flags, out, end);
  return writeCrlf(out, writeDecimal(opaque, out, end));
}

/** memcached -Y: the first command must be a set whose data is "user pass"; its key is ignored. */
function encodeAsciiAuth(command: Command, _opaque: number, out: Buffer, at: number): number {
  const value = command.value ?? '';
  return writeLineWithData(`set auth 0 0 ${dataLength(value)}\r\n`, value, out, at);
}

/** `ma`: the new value back (`v`); with an initial value, `N<ttl>` creates a missing counter holding `J`. */
function arithmeticLine(command: Command, key: string, opaque: number): string {
  const mode = command.op === Op.incr ? 'I' : 'D';
  const create = command.initial === undefined ? '' : ` N${expiration(command)} J${command.initial}`;
  return `ma ${key} v D${command.delta ?? 1n}${create} M${mode} O${opaque}\r\n`;
}

type StorageOp = typeof Op.set | typeof Op.add | typeof Op.replace | typeof Op.append | typeof Op.prepend;
const storageModes = {
  [Op.set]: 'S',
  [Op.add]: 'E',
  [Op.replace]: 'R',
  [Op.append]: 'A',
  [Op.prepend]: 'P',
} as const satisfies Record<StorageOp, 'S' | 'E' | 'R' | 'A' | 'P'>;

/** Each mode's token and the opaque flag's letter, built once: no string per request. */
const modeTokens = { S: ' MS O', E: ' ME O', R: ' MR O', A: ' MA O', P: ' MP O' } as const;

/**
 * `ms <key> <length> F<flags> T<ttl> [C<cas>] M<mode> O<opaque> [q]`, then the data and CRLF. Append and prepend keep the item's flags and TTL:
 * memcached ignores F and T there, so they are left out.
 */
function encodeStorage(command: Command, opaque: number, out: Buffer, at: number): number {
  const value = command.value ?? '';
  const length = dataLength(value);
  const mode = storageModes[command.op as StorageOp];
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
