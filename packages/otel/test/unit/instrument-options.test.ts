import { tracingChannel } from 'node:diagnostics_channel';
import { expect, it } from 'vitest';
import { instrument } from '../../src/index.ts';

const noServers = { servers: () => [] };

it('refuses an unknown queryText mode before subscribing to anything', () => {
  const before = tracingChannel('dalli:command').hasSubscribers;
  expect(() => instrument(noServers, { queryText: 'all' as 'raw' })).toThrow(
    new TypeError("instrument: queryText must be 'off', 'raw' or 'obfuscated', not all"),
  );
  expect(tracingChannel('dalli:command').hasSubscribers).toBe(before);
});

it('subscribes only while running: stop() leaves no subscriber on the channel', () => {
  expect(tracingChannel('dalli:command').hasSubscribers).toBe(false);
  const running = instrument(noServers);
  expect(tracingChannel('dalli:command').hasSubscribers).toBe(true);
  running.stop();
  expect(tracingChannel('dalli:command').hasSubscribers).toBe(false);
});
