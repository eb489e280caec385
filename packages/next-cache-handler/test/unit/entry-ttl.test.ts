import { expect, it } from 'vitest';
import { entryTtl } from '../../src/entry-ttl.ts';

it('gives an entry its expire as TTL, rounded up to whole seconds', () => {
  expect(entryTtl(60)).toBe(60);
  expect(entryTtl(0.2)).toBe(1);
});

it("keeps an entry without TTL when it has no end: none given, or Next.js's 0xfffffffe for forever", () => {
  expect(entryTtl(undefined)).toBe(0);
  expect(entryTtl(0xfffffffe)).toBe(0);
  expect(entryTtl(Number.POSITIVE_INFINITY)).toBe(0);
});

it('keeps a year (the "max" profile) as a TTL', () => {
  expect(entryTtl(365 * 24 * 3600)).toBe(365 * 24 * 3600);
});
