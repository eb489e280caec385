// The raw lower bound: what a client cannot beat on this machine. Requests are encoded once,
// before the run, and written in batches on one socket per server; replies are parsed only as far
// as their 24-byte header. No promises, no objects per request, no values decoded.
import { connect } from 'node:net';
import { Histogram } from '../histogram.mjs';
import { key, SET_PREFIX } from '../scenarios.mjs';

const RING = 1024;

function frame(opcode, keyText, value, opaque) {
  const keyBytes = Buffer.from(keyText ?? '');
  const extras = opcode === 0x01 ? 8 : 0;
  const valueBytes = value === undefined ? Buffer.alloc(0) : Buffer.from(value);
  const out = Buffer.alloc(24 + extras + keyBytes.length + valueBytes.length);
  out[0] = 0x80;
  out[1] = opcode;
  out.writeUInt16BE(keyBytes.length, 2);
  out[4] = extras;
  out.writeUInt32BE(extras + keyBytes.length + valueBytes.length, 8);
  out.writeUInt32BE(opaque, 12);
  keyBytes.copy(out, 24 + extras);
  valueBytes.copy(out, 24 + extras + keyBytes.length);
  return out;
}

/** One operation's bytes: a get, a set, or a multi-get (GETKQ… + NOOP), as the scenario asks. */
function encodeOp(scenario, index) {
  switch (scenario.kind) {
    case 'get':
      return frame(0x00, key(index), undefined, index);
    case 'set':
      return frame(0x01, key(index, SET_PREFIX), scenario.value, index);
    case 'mix':
      return index % 10 === 0
        ? frame(0x01, key(index), scenario.value, index)
        : frame(0x00, key(index), undefined, index);
    case 'getMulti': {
      const parts = Array.from({ length: scenario.batch }, (_, i) =>
        frame(0x0d, key(index * scenario.batch + i), undefined, i),
      );
      return Buffer.concat([...parts, frame(0x0a, undefined, undefined, index)]);
    }
  }
  throw new Error(`raw bound: no encoding for ${scenario.kind}`);
}

/** One socket's closed loop: a ring of pre-encoded operations, written as replies free slots. */
class RawLane {
  constructor(socket, scenario, lane, latency, budget) {
    this.socket = socket;
    this.latency = latency;
    this.budget = budget;
    this.multi = scenario.kind === 'getMulti';
    const ops = Array.from({ length: RING }, (_, i) => encodeOp(scenario, i * 7 + lane));
    this.ring = Buffer.concat(ops);
    this.offsets = [0];
    for (const op of ops) this.offsets.push(this.offsets.at(-1) + op.length);
    this.cursor = 0;
    this.issuedAt = new Float64Array(65_536);
    this.head = 0;
    this.tail = 0;
    this.outstanding = 0;
    this.header = Buffer.alloc(24);
    this.headerFill = 0;
    this.skip = 0;
    socket.on('data', (chunk) => this.onData(chunk));
  }

  issue(count) {
    if (count <= 0) return;
    const now = performance.now();
    this.socket.cork();
    let left = count;
    while (left > 0) {
      const take = Math.min(left, RING - this.cursor);
      this.socket.write(this.ring.subarray(this.offsets[this.cursor], this.offsets[this.cursor + take]));
      this.cursor = (this.cursor + take) % RING;
      left -= take;
    }
    this.socket.uncork();
    for (let i = 0; i < count; i++) this.issuedAt[this.tail++ & 65_535] = now;
    this.outstanding += count;
    this.budget.issued += count;
  }

  onData(chunk) {
    let at = 0;
    let done = 0;
    while (at < chunk.length) {
      if (this.skip > 0) {
        const skipped = Math.min(this.skip, chunk.length - at);
        this.skip -= skipped;
        at += skipped;
        continue;
      }
      const taken = Math.min(24 - this.headerFill, chunk.length - at);
      chunk.copy(this.header, this.headerFill, at, at + taken);
      this.headerFill += taken;
      at += taken;
      if (this.headerFill < 24) break;
      this.headerFill = 0;
      this.skip = this.header.readUInt32BE(8);
      if (!this.multi || this.header[1] === 0x0a) done++;
    }
    if (done === 0) return;
    const now = performance.now();
    for (let i = 0; i < done; i++) this.latency.record((now - this.issuedAt[this.head++ & 65_535]) * 1000);
    this.outstanding -= done;
    this.budget.completed += done;
    this.issue(this.budget.allowance(done));
    this.budget.check();
  }
}

export const raw = {
  name: 'raw bound',
  /** Runs `scenario` with `concurrency` operations in flight, spread over one socket per server. */
  run(scenario, addresses, { maxOps, maxMs }) {
    return new Promise((resolve, reject) => {
      const latency = new Histogram();
      const started = performance.now();
      const cpu = process.cpuUsage();
      const lanes = [];
      const budget = {
        issued: 0,
        completed: 0,
        allowance: (wanted) => (budget.issued >= maxOps || performance.now() - started > maxMs ? 0 : wanted),
        check: () => {
          if (budget.completed !== budget.issued || lanes.some((lane) => lane.outstanding > 0)) return;
          const seconds = (performance.now() - started) / 1000;
          const used = process.cpuUsage(cpu);
          for (const lane of lanes) lane.socket.destroy();
          resolve({
            ops: budget.completed,
            seconds,
            opsPerSecond: budget.completed / seconds,
            cpuMicrosPerOp: (used.user + used.system) / budget.completed,
            p50Ms: latency.percentile(0.5),
            p99Ms: latency.percentile(0.99),
          });
        },
      };
      let connected = 0;
      addresses.forEach((address, lane) => {
        const [host, port] = address.split(':');
        const socket = connect({ host, port: Number(port), noDelay: true }, () => {
          if (++connected < addresses.length) return;
          for (const [i, each] of lanes.entries()) {
            each.issue(
              Math.floor(scenario.concurrency / lanes.length) + (i < scenario.concurrency % lanes.length ? 1 : 0),
            );
          }
        });
        socket.on('error', reject);
        lanes.push(new RawLane(socket, scenario, lane, latency, budget));
      });
    });
  },
};
