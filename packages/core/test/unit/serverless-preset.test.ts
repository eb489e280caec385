import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.ts';
import { resolveClientOptions } from '../../src/options/resolve-client-options.ts';

describe("preset: 'serverless'", () => {
  it('means TLS, the meta protocol, no failover and no discovery', () => {
    expect(resolveClientOptions({ preset: 'serverless' })).toMatchObject({
      preset: 'serverless',
      tls: {},
      protocol: 'meta',
      failover: false,
      discovery: 'none',
    });
  });

  it('keeps the text protocol and TLS options when given', () => {
    const ca = '-----BEGIN CERTIFICATE-----';
    expect(resolveClientOptions({ preset: 'serverless', protocol: 'text', tls: { ca } })).toMatchObject({
      protocol: 'text',
      tls: { ca },
    });
  });

  it.each([
    ['binary protocol', { protocol: 'binary' }, /refuses protocol binary/],
    ['plain TCP', { tls: false }, /needs TLS/],
    ['failover', { failover: true }, /no client-side failover/],
    ['discovery', { discovery: 'config' }, /without discovery/],
  ] as const)('refuses %s rather than override it', (_name, options, message) => {
    expect(() => resolveClientOptions({ preset: 'serverless', ...options })).toThrow(InvalidArgumentError);
    expect(() => resolveClientOptions({ preset: 'serverless', ...options })).toThrow(message);
  });

  it('refuses an unknown preset', () => {
    expect(() => resolveClientOptions({ preset: 'elasticache' as never })).toThrow(/"preset" 'serverless' must be/);
  });
});
