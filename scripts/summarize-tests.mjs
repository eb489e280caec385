// Prints the suite's outcome as one plain line, "N passed, N failed", summed over the vitest JSON
// reports given as arguments. A missing or unreadable report counts as one failure: a run that
// crashed before reporting must not look green. Exits non-zero when anything failed.
import { readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
for (const file of process.argv.slice(2)) {
  try {
    const report = JSON.parse(readFileSync(file, 'utf8'));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    // Files that failed to load report no tests but are failures all the same.
    failed += report.testResults.filter(
      (result) => result.status === 'failed' && result.assertionResults.length === 0,
    ).length;
  } catch {
    failed += 1;
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
