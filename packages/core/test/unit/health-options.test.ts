import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.ts';
import type { ClientOptions } from '../../src/options/client-options.ts';
import { resolveClientOptions } from '../../src/options/resolve-client-options.ts';

describe('the health option', () => {
  it("defaults to flap memory with the memcached proxy's ramp and cap (1.5, 3600 s), a flap time of 30 s, and no ejection, in milliseconds", () => {
    expect(resolveClientOptions().health).toEqual({
      flapTime: 30_000,
      flapBackoffRamp: 1.5,
      flapBackoffMax: 3_600_000,
      eject: undefined,
    });
  });

  it('resolves seconds to milliseconds once and fills in the ejection defaults', () => {
    const { health } = resolveClientOptions({
      health: { flapTime: 2.5, flapBackoffRamp: 1.5, flapBackoffMax: 600, eject: { latency: 0.05 } },
    });
    expect(health).toEqual({
      flapTime: 2_500,
      flapBackoffRamp: 1.5,
      flapBackoffMax: 600_000,
      eject: { latency: 50, latencyPercentile: 0.9, errorRate: undefined, window: 10_000, minRequests: 20 },
    });
  });

  it('takes flapTime 0 as no flap memory', () => {
    expect(resolveClientOptions({ health: { flapTime: 0 } }).health.flapTime).toBe(0);
  });

  it.each([
    [{ health: 5 }, /must be \{ flapTime/],
    [{ health: { flapTim: 1 } }, /has no option "flapTim"/],
    [{ health: { flapTime: -1 } }, /flapTime must be/],
    [{ health: { flapBackoffRamp: 0.5 } }, /flapBackoffRamp must be a finite number, 1 or more/],
    [{ health: { flapBackoffMax: Number.POSITIVE_INFINITY } }, /flapBackoffMax must be/],
    [{ health: { eject: {} } }, /eject needs latency, errorRate or both/],
    [{ health: { eject: { latency: 0 } } }, /eject.latency must be/],
    [{ health: { eject: { latency: 1, latencyPercentile: 1 } } }, /eject.latencyPercentile must be/],
    [{ health: { eject: { errorRate: 1.5 } } }, /eject.errorRate must be/],
    [{ health: { eject: { errorRate: 0.5, window: 0 } } }, /eject.window must be/],
    [{ health: { eject: { errorRate: 0.5, minRequests: 2.5 } } }, /eject.minRequests must be/],
    [{ health: { eject: { errorRate: 0.5, slow: 1 } } }, /has no option "eject.slow"/],
  ])('refuses %j with an InvalidArgumentError naming the field', (options, message) => {
    const resolve = (): unknown => resolveClientOptions(options as unknown as ClientOptions);
    expect(resolve).toThrow(InvalidArgumentError);
    expect(resolve).toThrow(message);
  });
});
