import { describe, expect, it } from 'vitest';
import { judge, parseTagState, revalidated } from '../../src/tag-state.ts';

const T = 1_000_000;

describe('judge', () => {
  it('calls an entry fresh when none of its tags was ever revalidated', () => {
    expect(judge([undefined, undefined], T, T + 10)).toBe('fresh');
  });

  it('expires an entry written before (or in the millisecond of) an immediate revalidation, not one written after it', () => {
    const state = revalidated(undefined, T);
    expect(judge([state], T - 1, T + 10)).toBe('expired');
    expect(judge([state], T, T + 10)).toBe('expired');
    expect(judge([state], T + 1, T + 10)).toBe('fresh');
  });

  it('calls an entry stale inside the expire window of a revalidation with durations, expired after it', () => {
    const state = revalidated(undefined, T, { expire: 60 });
    expect(judge([state], T - 1, T + 59_999)).toBe('stale');
    expect(judge([state], T - 1, T + 60_000)).toBe('expired');
    expect(judge([state], T + 1, T + 120_000)).toBe('fresh');
  });

  it('keeps a stale entry stale forever when the durations have no expire', () => {
    const state = revalidated(undefined, T, {});
    expect(judge([state], T - 1, T + 1e12)).toBe('stale');
  });

  it('lets the worst tag decide', () => {
    const stale = revalidated(undefined, T, { expire: 60 });
    const expired = revalidated(undefined, T);
    expect(judge([stale, undefined, expired], T - 1, T + 1)).toBe('expired');
    expect(judge([undefined, stale], T - 1, T + 1)).toBe('stale');
  });
});

describe('revalidated', () => {
  it('keeps an earlier immediate expiry when a stale-while-revalidate revalidation follows', () => {
    const state = revalidated(revalidated(undefined, T), T + 100, { expire: 60 });
    expect(judge([state], T - 1, T + 101)).toBe('expired');
    expect(judge([state], T + 50, T + 101)).toBe('stale');
  });

  it('keeps the earlier deadline of a stale window still pending', () => {
    const first = revalidated(undefined, T, { expire: 10 });
    const second = revalidated(first, T + 1_000, { expire: 3600 });
    expect(second.expireAt).toBe(T + 10_000);
    expect(judge([second], T - 1, T + 10_000)).toBe('expired');
  });

  it('turns a stale window whose deadline passed into expiry before opening a new one', () => {
    const first = revalidated(undefined, T, { expire: 1 });
    const second = revalidated(first, T + 5_000, { expire: 3600 });
    expect(second.expireAt).toBe(T + 5_000 + 3_600_000);
    expect(judge([second], T, T + 5_001)).toBe('expired');
    expect(judge([second], T + 1, T + 5_001)).toBe('stale');
  });

  it('treats a negative expire as 0: expired at once', () => {
    const state = revalidated(undefined, T, { expire: -5 });
    expect(judge([state], T - 1, T)).toBe('expired');
  });
});

describe('parseTagState', () => {
  it('reads back what revalidated() makes, through JSON', () => {
    const state = revalidated(undefined, T, { expire: 5 });
    expect(parseTagState(JSON.parse(JSON.stringify(state)))).toEqual(state);
  });

  it('ignores values that are not tag states', () => {
    for (const value of [undefined, null, 'x', 42, {}, { expiredBefore: 1, staleBefore: '2', expireAt: null }]) {
      expect(parseTagState(value)).toBeUndefined();
    }
  });
});
