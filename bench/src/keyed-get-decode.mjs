// The client-side cost of checking a keyed single-get reply (GETK) against a plain GET reply:
// frames are read and decoded from memory, no socket, so the figure does not depend on the load of
// the machine as much as an end-to-end run does. Runs the two in alternating rounds.
//
//   node24 bench/src/keyed-get-decode.mjs [--src packages/core/src] [--frames 1000000] [--rounds 5]
//
// Loads the TypeScript sources directly (Node 24 strips types).
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    src: { type: 'string', default: 'packages/core/src' },
    frames: { type: 'string', default: '1000000' },
    rounds: { type: 'string', default: '5' },
  },
});
const base = new URL(`${values.src.replace(/\/$/, '')}/`, `file://${process.cwd()}/`);
const { FrameReader } = await import(new URL('protocol/index.ts', base).href);
const { decodeGet, decodeKeyedSingleGet } = await import(new URL('operations/decoders.ts', base).href);
const { ValueCodec } = await import(new URL('values/value-codec.ts', base).href);
const { zlibCompressor } = await import(new URL('values/compressor.ts', base).href);
const { jsonSerializer } = await import(new URL('values/serializer.ts', base).href);

const FRAMES = Number(values.frames);
const KEY = 'bench:keyed:123';
const VALUE = Buffer.alloc(100, 0x76);

function frame(opcode, key) {
  const keyBytes = Buffer.from(key);
  const header = Buffer.alloc(24);
  header[0] = 0x81;
  header[1] = opcode;
  header.writeUInt16BE(keyBytes.length, 2);
  header[4] = 4;
  header.writeUInt32BE(4 + keyBytes.length + VALUE.length, 8);
  return Buffer.concat([header, Buffer.alloc(4), keyBytes, VALUE]);
}

/** 1,000 replies per 64 KiB-ish chunk, as a socket would hand them over. */
function chunks(one) {
  const perChunk = 500;
  const chunk = Buffer.concat(Array.from({ length: perChunk }, () => one));
  return { chunk, count: Math.ceil(FRAMES / perChunk) };
}

const codec = new ValueCodec({
  serializer: jsonSerializer,
  compressor: zlibCompressor,
  compress: false,
  compressionMinSize: 4096,
  valueMaxBytes: 1 << 20,
  decompressedMaxBytes: 1 << 23,
});
const context = { server: 'bench', operation: 'get', codec, raw: false, routeKey: KEY };

function run(decode, one) {
  const { chunk, count } = chunks(one);
  let decoded = 0;
  const reader = new FrameReader({
    maxBodyLength: 1 << 21,
    onFrame: (reply) => {
      if (decode(reply, context) !== undefined) decoded++;
    },
    onOversized: () => {},
  });
  const cpu = process.cpuUsage();
  for (let i = 0; i < count; i++) reader.push(chunk);
  const used = process.cpuUsage(cpu);
  return { nsPerReply: +(((used.user + used.system) * 1000) / decoded).toFixed(1), replyBytes: one.length };
}

const variants = [
  ['GET', decodeGet, frame(0x00, '')],
  ['GETK', decodeKeyedSingleGet, frame(0x0c, KEY)],
];
const results = { GET: [], GETK: [] };
run(decodeGet, variants[0][2]); // warm-up
run(decodeKeyedSingleGet, variants[1][2]);
for (let round = 0; round < Number(values.rounds); round++) {
  for (const [name, decode, one] of variants) results[name].push(run(decode, one));
}
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
for (const [name, , one] of variants) {
  const ns = results[name].map((result) => result.nsPerReply);
  console.log(JSON.stringify({ variant: name, replyBytes: one.length, nsPerReply: ns, medianNs: median(ns) }));
}
