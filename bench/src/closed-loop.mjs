// Keeps `concurrency` operations in flight until `totalOps` have completed or `maxMs` has passed,
// then reports throughput and the client process's CPU time per operation. Every loop here is
// bounded by both a count and a time.

/**
 * @param {{ op: (done: (error?: unknown) => void) => void, concurrency: number, totalOps: number, maxMs: number }} options
 * @returns {Promise<{ ops: number, seconds: number, opsPerSecond: number, cpuMicrosPerOp: number }>}
 */
export function closedLoop({ op, concurrency, totalOps, maxMs }) {
  return new Promise((resolve, reject) => {
    let issued = 0;
    let completed = 0;
    let failed = false;
    const started = performance.now();
    const cpuStart = process.cpuUsage();
    const stopIssuing = () => issued >= totalOps || performance.now() - started > maxMs;

    const finish = () => {
      const seconds = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpuStart);
      resolve({
        ops: completed,
        seconds,
        opsPerSecond: completed / seconds,
        cpuMicrosPerOp: (cpu.user + cpu.system) / completed,
      });
    };
    const done = (error) => {
      if (failed) return;
      if (error) {
        failed = true;
        reject(error);
        return;
      }
      completed++;
      if (!stopIssuing()) {
        issued++;
        op(done);
      } else if (completed === issued) {
        finish();
      }
    };
    for (let i = 0; i < concurrency && !stopIssuing(); i++) {
      issued++;
      op(done);
    }
  });
}
