import { afterEach, describe, expect, it, vi } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.ts';
import type { ClientOptions } from '../../src/options/client-options.ts';
import { resolveClientOptions } from '../../src/options/resolve-client-options.ts';

describe('resolveClientOptions', () => {
  it('fills in Dalli-like defaults', () => {
    const options = resolveClientOptions();
    expect(options).toMatchObject({
      namespace: undefined,
      expiresIn: 0,
      compress: true,
      compressionMinSize: 4096,
      valueMaxBytes: 1_048_576,
      decompressedMaxBytes: 8_388_608,
      raw: false,
      socketTimeout: 1,
    });
  });

  it('resolves every duration, given in seconds, to milliseconds once', () => {
    const options = resolveClientOptions({
      socketTimeout: 0.25,
      socketFailureDelay: 0.01,
      downRetryDelay: 5,
      discovery: 'dns',
      discoveryInterval: 30,
      idleTimeout: 0.5,
    });
    expect(options.ms).toEqual({
      socketTimeout: 250,
      socketFailureDelay: 10,
      downRetryDelay: 5000,
      discoveryInterval: 30_000,
      idleTimeout: 500,
    });
    expect(resolveClientOptions().ms).toEqual({
      socketTimeout: 1000,
      socketFailureDelay: 100,
      downRetryDelay: 30_000,
      discoveryInterval: 60_000,
      idleTimeout: 300_000,
    });
  });

  it('gives a request socketMaxFailures attempts unless requestMaxAttempts says otherwise', () => {
    expect(resolveClientOptions({ socketMaxFailures: 4 }).requestMaxAttempts).toBe(4);
    expect(resolveClientOptions({ socketMaxFailures: 4, requestMaxAttempts: 1 }).requestMaxAttempts).toBe(1);
    expect(() => resolveClientOptions({ requestMaxAttempts: 0 })).toThrow(/requestMaxAttempts/);
  });

  it('speaks binary unless protocol names another dialect, and refuses an unknown one', () => {
    expect(resolveClientOptions().protocol).toBe('binary');
    expect(resolveClientOptions({ protocol: 'meta' }).protocol).toBe('meta');
    expect(() => resolveClientOptions({ protocol: 'ascii' as never })).toThrow(
      /option "protocol" must be one of binary, meta/,
    );
  });

  it('refuses an unknown option, naming it', () => {
    expect(() => resolveClientOptions({ expires_in: 60 } as never)).toThrow(/unknown option "expires_in"/);
  });

  it.each([
    ['expiresIn', -1],
    ['compress', 'yes'],
    ['compressionMinSize', 1.5],
    ['serializer', JSON],
    ['compressor', {}],
    ['valueMaxBytes', 0],
    ['decompressedMaxBytes', -5],
    ['raw', 1],
    ['digest', 'md5'],
    ['socketTimeout', 0],
    ['socketMaxFailures', 0],
    ['socketFailureDelay', -0.1],
    ['downRetryDelay', Number.NaN],
    ['failover', 'no'],
    ['username', ''],
    ['password', 42],
    ['tls', 'yes'],
  ])('refuses %s = %s', (name, value) => {
    expect(() => resolveClientOptions({ [name]: value } as never)).toThrow(InvalidArgumentError);
  });

  it('treats an option given as undefined as absent', () => {
    expect(resolveClientOptions({ socketTimeout: undefined }).socketTimeout).toBe(1);
  });
});

describe('credentials and TLS options', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('holds the credentials so the password never shows', () => {
    const { credentials } = resolveClientOptions({ username: 'u', password: 'pw-secret' });
    expect(credentials?.username).toBe('u');
    expect(credentials?.reveal()).toBe('pw-secret');
    expect(JSON.stringify(credentials)).not.toContain('pw-secret');
  });

  it('falls back to MEMCACHE_USERNAME and MEMCACHE_PASSWORD', () => {
    vi.stubEnv('MEMCACHE_USERNAME', 'env-user');
    vi.stubEnv('MEMCACHE_PASSWORD', 'env-pw');
    expect(resolveClientOptions().credentials?.username).toBe('env-user');
    expect(resolveClientOptions({ username: 'explicit', password: 'x' }).credentials?.username).toBe('explicit');
  });

  it('refuses a username without a password, and a password without a username', () => {
    expect(() => resolveClientOptions({ username: 'u' })).toThrow(/needs a password/);
    expect(() => resolveClientOptions({ password: 'p' })).toThrow(/needs a username/);
  });

  it('turns tls: true into default TLS options and false into plain TCP', () => {
    expect(resolveClientOptions({ tls: true }).tls).toEqual({});
    expect(resolveClientOptions({ tls: false }).tls).toBeUndefined();
    expect(resolveClientOptions({ tls: { servername: 'x' } }).tls).toEqual({ servername: 'x' });
  });

  it('defaults discovery to none, every 60 seconds, with the system DNS servers, at most 1000 nodes an answer', () => {
    expect(resolveClientOptions()).toMatchObject({
      discovery: 'none',
      discoveryInterval: 60,
      discoveryMaxNodes: 1000,
      dnsServers: undefined,
    });
    expect(resolveClientOptions({ discovery: 'dns', discoveryMaxNodes: 65_535 }).discoveryMaxNodes).toBe(65_535);
  });

  it.each([
    ['discovery', 'aws'],
    ['discovery', true],
    ['discoveryInterval', 0],
    ['discoveryInterval', -5],
    ['discoveryInterval', '60'],
    ['dnsServers', '127.0.0.1:5353'],
    ['dnsServers', []],
    ['dnsServers', ['']],
    ['discoveryMaxNodes', 0],
    ['discoveryMaxNodes', -1],
    ['discoveryMaxNodes', 1.5],
    ['discoveryMaxNodes', '1000'],
    ['discoveryMaxNodes', Number.POSITIVE_INFINITY],
    ['discoveryMaxNodes', 65_536],
  ])('refuses %s = %j', (name, value) => {
    expect(() => resolveClientOptions({ [name]: value })).toThrow(InvalidArgumentError);
  });
});

describe('an option that cannot take effect is refused, naming why', () => {
  it.each([
    ['coalesceGets with binary', { coalesceGets: false }, /"coalesceGets" applies only to protocol 'text'/],
    ['coalesceGets with meta', { coalesceGets: true, protocol: 'meta' }, /"coalesceGets" applies only/],
    ['discoveryInterval without discovery', { discoveryInterval: 10 }, /"discoveryInterval" needs discovery/],
    ['discoveryMaxNodes without discovery', { discoveryMaxNodes: 10 }, /"discoveryMaxNodes" needs discovery/],
    ['dnsServers with config discovery', { discovery: 'config', dnsServers: ['127.0.0.1'] }, /only used with/],
    ['compress: true with valueFormat memjs', { valueFormat: 'memjs', compress: true }, /"compress" cannot apply/],
    [
      'compressionMinSize with a memcached writer',
      { valueFormat: { read: 'dalli', write: 'memcached' }, compressionMinSize: 10 },
      /"compressionMinSize" cannot apply: valueFormat 'memcached'/,
    ],
  ] as const)('%s', (_, options, message) => {
    expect(() => resolveClientOptions(options as ClientOptions)).toThrow(InvalidArgumentError);
    expect(() => resolveClientOptions(options as ClientOptions)).toThrow(message);
  });

  it.each([
    ['coalesceGets with text', { protocol: 'text', coalesceGets: false }],
    ['discoveryInterval with config discovery', { discovery: 'config', discoveryInterval: 5 }],
    ['compress: false with valueFormat memjs', { valueFormat: 'memjs', compress: false }],
    [
      'compress with a memjs reader and a dalli writer',
      { valueFormat: { read: 'memjs', write: 'dalli' }, compress: true },
    ],
  ] as const)('accepts %s, where it takes effect', (_, options) => {
    expect(() => resolveClientOptions(options as ClientOptions)).not.toThrow();
  });
});
