import { describe, expect, it } from 'vitest';
import { type EjectionPolicy, ReplyWindow } from '../../../src/cluster/reply-window.ts';

const policy: EjectionPolicy = {
  latency: 100,
  latencyPercentile: 0.9,
  errorRate: 0.5,
  window: 10_000,
  minRequests: 20,
};

/** Records `count` replies of `ms` each at `now`; returns the last verdict. */
function replies(window: ReplyWindow, now: number, count: number, ms: number): string | undefined {
  let verdict: string | undefined;
  for (let i = 0; i < count; i++) verdict = window.reply(now, ms);
  return verdict;
}

describe('ReplyWindow', () => {
  it('ejects for latency once more than 1 − percentile of the replies are slower than the threshold', () => {
    const window = new ReplyWindow(policy);
    expect(replies(window, 0, 90, 5)).toBeUndefined();
    expect(replies(window, 0, 10, 150)).toBeUndefined(); // exactly 10 %: p90 is still fast
    expect(window.reply(0, 150)).toBe('latency');
  });

  it('judges nothing before minRequests, however slow', () => {
    const window = new ReplyWindow(policy);
    expect(replies(window, 0, 19, 5_000)).toBeUndefined();
    expect(window.reply(0, 5_000)).toBe('latency');
  });

  it('ejects for errors once failed requests reach errorRate of all requests', () => {
    const window = new ReplyWindow(policy);
    replies(window, 0, 15, 5);
    expect(window.failed(0, 14)).toBeUndefined();
    expect(window.failed(0, 1)).toBe('errors');
  });

  it('forgets what is older than the window, a tenth at a time', () => {
    const window = new ReplyWindow(policy);
    replies(window, 0, 19, 500);
    // 10 s later the slow replies have left the window: 19 fast ones are not enough to judge.
    expect(replies(window, 10_000, 19, 5)).toBeUndefined();
    expect(window.reply(10_000, 5)).toBeUndefined();
    // 9 s later they would still count.
    const recent = new ReplyWindow(policy);
    replies(recent, 0, 19, 500);
    expect(recent.reply(9_000, 5)).toBe('latency');
  });

  it('never ejects for what is not configured', () => {
    const latencyOnly = new ReplyWindow({ ...policy, errorRate: undefined });
    expect(latencyOnly.failed(0, 1_000)).toBeUndefined();
    const errorsOnly = new ReplyWindow({ ...policy, latency: undefined });
    expect(replies(errorsOnly, 0, 100, 60_000)).toBeUndefined();
  });

  it('starts afresh after clear', () => {
    const window = new ReplyWindow(policy);
    replies(window, 0, 19, 500);
    window.clear();
    expect(window.reply(0, 500)).toBeUndefined();
  });
});
