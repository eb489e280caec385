import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  AuthError,
  BatchError,
  ClosedError,
  ConnectionError,
  DalliError,
  DiscoveryLimitError,
  ErrorCode,
  InvalidArgumentError,
  InvalidKeyError,
  NoServerAvailableError,
  ProtocolError,
  ReplyTooLargeError,
  ServerError,
  TimeoutError,
  ValueTooLargeError,
} from '../../src/index.ts';

describe('errors', () => {
  it('give every kind its own stable code under one base class', () => {
    const errors = [
      [new ConnectionError('x'), ErrorCode.connection],
      [new TimeoutError('x'), ErrorCode.timeout],
      [new ProtocolError('x'), ErrorCode.protocol],
      [new ServerError('outOfMemory', 'x'), ErrorCode.server],
      [new AuthError('x'), ErrorCode.auth],
      [new InvalidArgumentError('x'), ErrorCode.invalidArgument],
      [new InvalidKeyError('x'), ErrorCode.invalidKey],
      [new ValueTooLargeError('x'), ErrorCode.valueTooLarge],
      [new ReplyTooLargeError('x'), ErrorCode.replyTooLarge],
      [new NoServerAvailableError('x'), ErrorCode.noServer],
      [new DiscoveryLimitError(2, 1), ErrorCode.discoveryLimit],
      [new ClosedError('x'), ErrorCode.closed],
    ] as const;
    for (const [error, code] of errors) {
      expect(error).toBeInstanceOf(DalliError);
      expect(error).toBeInstanceOf(Error);
      expect(error.code).toBe(code);
    }
    expect(new Set(errors.map(([, code]) => code)).size).toBe(errors.length);
  });

  it('name the operation and the server in the message and keep the cause', () => {
    const cause = new Error('ECONNRESET');
    const error = new ConnectionError('reset', { server: '127.0.0.1:11211', operation: 'get', cause });
    expect(error.message).toBe('get on 127.0.0.1:11211: reset');
    expect(error.server).toBe('127.0.0.1:11211');
    expect(error.operation).toBe('get');
    expect(error.cause).toBe(cause);
    expect(error.name).toBe('ConnectionError');
  });

  it('are recognised by DalliError.is across copies of the package, by the global brand', () => {
    // What another installed copy's error looks like from here: its own class, the same global brand.
    const foreign = Object.assign(Object.create({ [Symbol.for('@dalli/core.DalliError')]: true }), {
      code: ErrorCode.timeout,
    });
    expect(foreign instanceof DalliError).toBe(false);
    expect(DalliError.is(foreign)).toBe(true);
    expect(DalliError.is(foreign, ErrorCode.timeout)).toBe(true);
    expect(DalliError.is(foreign, ErrorCode.closed)).toBe(false);
    expect(DalliError.is(new ClosedError('x'), ErrorCode.closed)).toBe(true);
  });

  it('refuse look-alikes in DalliError.is', () => {
    expect(DalliError.is(Object.assign(new Error('x'), { code: ErrorCode.timeout }))).toBe(false);
    expect(DalliError.is(null)).toBe(false);
    expect(DalliError.is('ERR_DALLI_TIMEOUT')).toBe(false);
  });

  it('tell an oversized reply from an oversized value: only the value one is a bad argument', () => {
    expect(new ReplyTooLargeError('x')).not.toBeInstanceOf(InvalidArgumentError);
    expect(new ReplyTooLargeError('x')).toBeInstanceOf(DalliError);
  });

  it('keep invalid-key and value-too-large errors catchable as invalid arguments', () => {
    expect(new InvalidKeyError('x')).toBeInstanceOf(InvalidArgumentError);
    expect(new ValueTooLargeError('x')).toBeInstanceOf(InvalidArgumentError);
  });

  it('keep a BatchError short when logged, with its results and errors still at hand', () => {
    const cause = new TimeoutError('no reply within 1000 ms', { operation: 'getMulti', server: '127.0.0.1:11211' });
    const errors = new Map(Array.from({ length: 1000 }, (_, i) => [`key:${i}`, cause] as const));
    const results = new Map([['key:ok', 'v'.repeat(10_000)]]);
    const error = new BatchError('getMulti', results, errors, 1001);
    expect(error.message).toBe(
      'getMulti: 1000 of 1001 keys failed on 127.0.0.1:11211: getMulti on 127.0.0.1:11211: no reply within 1000 ms',
    );
    expect(error.errors.get('key:999')).toBe(cause);
    expect(error.results.get('key:ok')).toHaveLength(10_000);
    const logged = inspect(error);
    expect(logged).toContain('1000 of 1001 keys failed');
    expect(logged).not.toContain('key:999');
    expect(logged).not.toContain('v'.repeat(100));
  });
});
