import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The long poles: the live placement oracles (thousands of keys through real peers) and the
 * Next.js example (a `next build`), the slowest files of the suite by far.
 */
const ORACLE = /\/test\/integration\/distribution\/|\/examples\/nextjs-app\//;

/**
 * Vitest's order (failed first, then longest first by its timing cache, or largest first without
 * one), with the long poles in front: a fresh clone has no timing cache, and a long pole
 * started last would keep the whole run waiting on one worker.
 */
export class OraclesFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const oracle = (file: TestSpecification): boolean => ORACLE.test(file.moduleId);
    return [...sorted.filter(oracle), ...sorted.filter((file) => !oracle(file))];
  }
}
