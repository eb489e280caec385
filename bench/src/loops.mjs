// The two drivers. Every loop is bounded by a count of operations and by time.
import { Histogram } from './histogram.mjs';

/** One operation in 8 has its latency timed: plenty for percentiles, and the harness stays light. */
const SAMPLE = 8;

/**
 * Keeps `concurrency` operations in flight until `maxOps` complete or `maxMs` pass.
 * `op(index, done)` starts operation `index` and calls `done(error?)` when it completes.
 */
export function closedLoop({ op, concurrency, maxOps, maxMs }) {
  return new Promise((resolve, reject) => {
    const latency = new Histogram();
    let issued = 0;
    let completed = 0;
    let failed;
    let stopped = false;
    const started = performance.now();
    const cpu = process.cpuUsage();
    // The clock is read every 64 completions, not every operation.
    const outOfBudget = () => {
      if (!stopped && (issued >= maxOps || (completed % 64 === 0 && performance.now() - started > maxMs)))
        stopped = true;
      return stopped;
    };
    const finish = (error) => {
      if (failed !== undefined) return;
      if (error) {
        failed = error;
        reject(error);
        return;
      }
      completed++;
      if (!outOfBudget()) issue();
      else if (completed === issued) resolve(result(started, cpu, completed, latency));
    };
    const issue = () => {
      const index = issued++;
      if (index % SAMPLE !== 0) {
        op(index, finish);
        return;
      }
      const at = performance.now();
      op(index, (error) => {
        if (!error) latency.record((performance.now() - at) * 1000);
        finish(error);
      });
    };
    for (let i = 0; i < concurrency && !outOfBudget(); i++) issue();
  });
}

/**
 * Starts operations at a fixed `rate` per second for `durationMs`, whatever the replies do, and
 * measures each latency from the moment it was due (so a stall shows, not hides, in the tail).
 */
export function fixedRate({ op, rate, durationMs, maxInFlight }) {
  return new Promise((resolve, reject) => {
    const latency = new Histogram();
    let issued = 0;
    let completed = 0;
    let inFlight = 0;
    let failed;
    const total = Math.floor((rate * durationMs) / 1000);
    const started = performance.now();
    const cpu = process.cpuUsage();
    const tick = () => {
      if (failed !== undefined) return;
      const due = Math.min(total, Math.floor(((performance.now() - started) * rate) / 1000));
      while (issued < due && inFlight < maxInFlight) {
        const scheduled = started + (issued * 1000) / rate;
        const index = issued++;
        inFlight++;
        op(index, (error) => {
          inFlight--;
          if (failed !== undefined) return;
          if (error) {
            failed = error;
            reject(error);
            return;
          }
          latency.record((performance.now() - scheduled) * 1000);
          completed++;
          if (completed === total) resolve(result(started, cpu, completed, latency));
        });
      }
      if (issued < total) setTimeout(tick, 1);
      else if (completed < total && performance.now() - started <= durationMs * 3) setTimeout(tick, 5);
      else if (completed < total) resolve(result(started, cpu, completed, latency)); // gave up on the stragglers
    };
    tick();
  });
}

function result(started, cpuStart, ops, latency) {
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  return {
    ops,
    seconds,
    opsPerSecond: ops / seconds,
    cpuMicrosPerOp: (cpu.user + cpu.system) / ops,
    p50Ms: latency.percentile(0.5),
    p99Ms: latency.percentile(0.99),
  };
}
