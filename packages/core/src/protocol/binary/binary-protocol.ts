import { type Command, Op } from '../command.ts';
import { FrameError } from '../frame-error.ts';
import type { Reply } from '../reply.ts';
import type { WireProtocol } from '../wire-protocol.ts';
import { isQuiet, Opcode } from './constants.ts';
import { FrameReader } from './frame-reader.ts';
import type { BinaryReply } from './reply.ts';
import { encodeFrame, frameLengthBound } from './request.ts';
import { saslLogin } from './sasl-login.ts';

/** No opcode: the command has no binary form. */
const NONE = 0xff;

/**
 * The opcode of each command and of its quiet form, total over {@link Op}: a new op does not
 * compile until it has a row here (getk, gatk, getkq name the key, so a hit is checked).
 */
const opcodeRows = {
  [Op.get]: [Opcode.getk, Opcode.getkq],
  [Op.gets]: [Opcode.getk, Opcode.getkq],
  [Op.gat]: [Opcode.gatk, NONE],
  [Op.touch]: [Opcode.touch, NONE],
  [Op.set]: [Opcode.set, Opcode.setq],
  [Op.add]: [Opcode.add, Opcode.addq],
  [Op.replace]: [Opcode.replace, Opcode.replaceq],
  [Op.append]: [Opcode.append, NONE],
  [Op.prepend]: [Opcode.prepend, NONE],
  [Op.delete]: [Opcode.delete, Opcode.deleteq],
  [Op.incr]: [Opcode.increment, NONE],
  [Op.decr]: [Opcode.decrement, NONE],
  [Op.flush]: [Opcode.flush, NONE],
  [Op.version]: [Opcode.version, NONE],
  [Op.stats]: [Opcode.stat, NONE],
  [Op.noop]: [Opcode.noop, NONE],
  // Meta only (capabilities metadata and leases), and the ASCII login: no binary form.
  [Op.getWithMetadata]: [NONE, NONE],
  [Op.saslListMechs]: [Opcode.saslListMechs, NONE],
  [Op.saslAuth]: [Opcode.saslAuth, NONE],
  [Op.asciiAuth]: [NONE, NONE],
  [Op.leaseGet]: [NONE, NONE],
  [Op.invalidate]: [NONE, NONE],
  // GATK's reply carries the CAS token in its header, as every binary reply does.
  [Op.gats]: [Opcode.gatk, NONE],
  // Meta only (capability metadata): binary has no read of the CAS without the value.
  [Op.casOf]: [NONE, NONE],
} as const satisfies Record<Op, readonly [number, number]>;

/** The rows as two byte tables, indexed by op: one load per request. */
const opcodes = new Uint8Array(32).fill(NONE);
const quietOpcodes = new Uint8Array(32).fill(NONE);
for (const [op, [opcode, quiet]] of Object.entries(opcodeRows)) {
  opcodes[Number(op)] = opcode;
  quietOpcodes[Number(op)] = quiet;
}

/** The opcode `command` is sent with. */
export function opcodeOf(command: Command): Opcode {
  const opcode = (command.quiet === true ? quietOpcodes : opcodes)[command.op] as number;
  if (opcode === NONE) throw new RangeError(`no binary request for this command (op ${command.op})`);
  return opcode as Opcode;
}

/**
 * memcached's binary protocol: 24-byte headers, replies matched by opaque, quiet opcodes closed
 * by a NOOP, SASL PLAIN login. Deprecated by memcached and refused by proxies, but the only one
 * with SASL.
 */
export const binaryProtocol: WireProtocol = {
  name: 'binary',
  capabilities: {
    metadata: false,
    leases: false,
    counterWithInitial: true,
    conditionalDelete: true,
    multiKeyGet: undefined,
    // Deprecated by memcached: proxies refuse it.
    throughProxies: false,
    login: 'sasl',
  },
  encodeBound: (command) => frameLengthBound(opcodeOf(command), command),
  encode: (command, opaque, out, at) => encodeFrame(opcodeOf(command), command, opaque, out, at),
  reader: (maxValueLength, sink) => new FrameReader(maxValueLength, sink),
  answers(reply: Reply, command: Command, opaque: number): boolean {
    const frame = reply as BinaryReply;
    if (frame.opaque === opaque) {
      const opcode = opcodeOf(command);
      if (frame.opcode !== opcode) {
        const got = frame.opcode.toString(16);
        throw new FrameError(`reply opcode 0x${got} does not match request opcode 0x${opcode.toString(16)}`);
      }
      return true;
    }
    if (command.quiet === true) return false;
    throw new FrameError(`reply with opaque ${frame.opaque} arrived before the reply to opaque ${opaque}`);
  },
  isQuiet: (command) => command.quiet === true && isQuiet(opcodeOf(command)),
  barrier: { op: Op.noop },
  // A NOOP's opcode byte is a newline: a server that only reads text lines (memcached -B ascii,
  // a proxy) sees one at once and answers ERROR, instead of waiting for a line that never ends.
  greeting: { op: Op.noop },
  loginName: 'SASL',
  login: saslLogin,
};
