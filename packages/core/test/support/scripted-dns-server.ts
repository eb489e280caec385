import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { type AddressInfo, isIPv6 } from 'node:net';

/** What the server answers for one record type: addresses, or an error rcode. */
export type ScriptedAnswer = readonly string[] | 'SERVFAIL' | 'REFUSED';

const TYPE = { A: 1, AAAA: 28 } as const;
const RCODE = { SERVFAIL: 2, REFUSED: 5 } as const;

/**
 * A DNS server over UDP on 127.0.0.1 that answers A and AAAA questions for any name from a script
 * the test changes at will: for faults no real resolver gives on demand (a SERVFAIL for one type
 * only, a family that fails and comes back). RFC 1035 §4.1: the reply echoes the question and
 * points its answers' names at it (0xC00C).
 */
export class ScriptedDnsServer {
  readonly #socket: Socket;
  readonly answers: { A: ScriptedAnswer; AAAA: ScriptedAnswer } = { A: [], AAAA: [] };

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('message', (query, peer) => {
      const reply = this.#reply(query);
      if (reply !== undefined) socket.send(reply, peer.port, peer.address);
    });
  }

  static async start(): Promise<ScriptedDnsServer> {
    const socket = createSocket('udp4');
    socket.bind(0, '127.0.0.1');
    await once(socket, 'listening');
    return new ScriptedDnsServer(socket);
  }

  /** What a client's `dnsServers` option takes. */
  get address(): string {
    return `127.0.0.1:${(this.#socket.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#socket.close(() => resolve()));
  }

  #reply(query: Buffer): Buffer | undefined {
    let end = 12;
    while (end < query.length && query[end] !== 0) end += (query[end] as number) + 1;
    if (end + 5 > query.length) return undefined;
    const type = query.readUInt16BE(end + 1);
    const question = query.subarray(12, end + 5);
    const script = type === TYPE.A ? this.answers.A : type === TYPE.AAAA ? this.answers.AAAA : [];
    const header = Buffer.alloc(12);
    query.copy(header, 0, 0, 2);
    const rd = (query[2] as number) & 0x01;
    const rcode = typeof script === 'string' ? RCODE[script] : 0;
    header.writeUInt16BE(0x8400 | (rd << 8) | 0x80 | rcode, 2);
    header.writeUInt16BE(1, 4);
    const records = typeof script === 'string' ? [] : script.map((ip) => record(type, ip));
    header.writeUInt16BE(records.length, 6);
    return Buffer.concat([header, question, ...records]);
  }
}

function record(type: number, ip: string): Buffer {
  const data = isIPv6(ip) ? ipv6Bytes(ip) : Buffer.from(ip.split('.').map(Number));
  const fixed = Buffer.alloc(12);
  fixed.writeUInt16BE(0xc00c, 0);
  fixed.writeUInt16BE(type, 2);
  fixed.writeUInt16BE(1, 4);
  fixed.writeUInt32BE(0, 6);
  fixed.writeUInt16BE(data.length, 10);
  return Buffer.concat([fixed, data]);
}

function ipv6Bytes(ip: string): Buffer {
  const [head = '', tail = ''] = ip.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  const bytes = Buffer.alloc(16);
  for (const [i, group] of groups.entries()) bytes.writeUInt16BE(Number.parseInt(group, 16), i * 2);
  return bytes;
}
