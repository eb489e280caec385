import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.ts';
import { resolveClientOptions } from '../../src/options.ts';

describe('resolveClientOptions', () => {
  it('fills in Dalli-like defaults', () => {
    const options = resolveClientOptions();
    expect(options).toMatchObject({
      namespace: undefined,
      expiresIn: 0,
      compress: true,
      compressionMinSize: 4096,
      valueMaxBytes: 1_048_576,
      decompressedMaxBytes: 67_108_864,
      raw: false,
      socketTimeout: 1,
    });
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
  ])('refuses %s = %s', (name, value) => {
    expect(() => resolveClientOptions({ [name]: value } as never)).toThrow(InvalidArgumentError);
  });

  it('treats an option given as undefined as absent', () => {
    expect(resolveClientOptions({ socketTimeout: undefined }).socketTimeout).toBe(1);
  });
});
