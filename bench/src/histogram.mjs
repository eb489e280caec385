// Latency histogram with about 1% resolution and a fixed size, so recording millions of
// operations costs no memory that would distort the peak RSS being measured.
const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
const BUCKETS = 2400; // 1.01^2400 µs: far above any latency worth recording

export class Histogram {
  constructor() {
    this.counts = new Float64Array(BUCKETS);
    this.total = 0;
  }

  /** @param {number} micros */
  record(micros) {
    const bucket = micros <= 1 ? 0 : Math.min(BUCKETS - 1, Math.ceil(Math.log(micros) / LOG_GROWTH));
    this.counts[bucket]++;
    this.total++;
  }

  /** The latency, in milliseconds, under which `quantile` (0..1) of the operations completed. */
  percentile(quantile) {
    const target = quantile * this.total;
    let seen = 0;
    for (let bucket = 0; bucket < BUCKETS; bucket++) {
      seen += this.counts[bucket];
      if (seen >= target && seen > 0) return GROWTH ** bucket / 1000;
    }
    return Number.NaN;
  }
}
