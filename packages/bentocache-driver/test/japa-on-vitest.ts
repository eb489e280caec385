import { deepStrictEqual, notStrictEqual, strictEqual } from 'node:assert/strict';
import { afterAll, afterEach, beforeAll, it } from 'vitest';

type Cleanup = () => unknown;
type TestBody = (context: { assert: Assert; cleanup: (fn: Cleanup) => void }) => Promise<void>;
interface Assert {
  deepEqual(actual: unknown, expected: unknown): void;
  notEqual(actual: unknown, expected: unknown): void;
  isTrue(actual: unknown): void;
  isFalse(actual: unknown): void;
  isUndefined(actual: unknown): void;
}

/** The assertions bentocache's driver suite uses, from Japa's assert plugin, on node:assert. */
const assert: Assert = {
  deepEqual: (actual: unknown, expected: unknown) => deepStrictEqual(actual, expected),
  notEqual: (actual: unknown, expected: unknown) => notStrictEqual(actual, expected),
  isTrue: (actual: unknown) => strictEqual(actual, true),
  isFalse: (actual: unknown) => strictEqual(actual, false),
  isUndefined: (actual: unknown) => strictEqual(actual, undefined),
};

/**
 * The part of Japa's `test` and `group` that bentocache's shipped driver suite
 * (`bentocache/test_suite`) calls, mapped onto vitest in the current `describe`, so the suite runs
 * as bentocache wrote it without bringing in Japa.
 */
export function japaOnVitest(): { test: TestFn; group: Group } {
  const test: TestFn = (name, body) => {
    it(name, async () => {
      const cleanups: Cleanup[] = [];
      try {
        await body({ assert, cleanup: (fn) => cleanups.push(fn) });
      } finally {
        for (const fn of cleanups.reverse()) await fn();
      }
    });
  };
  const group: Group = {
    setup(fn) {
      let cleanup: unknown;
      beforeAll(async () => {
        cleanup = await fn();
      });
      afterAll(async () => {
        if (typeof cleanup === 'function') await cleanup();
      });
    },
    // The suite disables Japa's per-test timeout; vitest's testTimeout applies instead.
    tap() {},
    each: { teardown: (fn) => afterEach(fn) },
  };
  return { test, group };
}

type TestFn = (name: string, body: TestBody) => void;
interface Group {
  setup(fn: () => unknown): void;
  tap(fn: unknown): void;
  each: { teardown(fn: () => unknown): void };
}
