import { tracingChannel } from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { DalliInstrumentation } from '../../src/index.ts';

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  name: string;
  version: string;
};

it("names itself after the package, with the package's version", () => {
  const otel = new DalliInstrumentation({ enabled: false });
  expect([otel.instrumentationName, otel.instrumentationVersion]).toEqual([packageJson.name, packageJson.version]);
});

it('subscribes at construction unless enabled: false, as OpenTelemetry instrumentations do', () => {
  const idle = new DalliInstrumentation({ enabled: false });
  expect(tracingChannel('dalli:command').hasSubscribers).toBe(false);
  expect(idle.getConfig().enabled).toBe(false);
  const running = new DalliInstrumentation();
  expect(running.getConfig().enabled).toBe(true);
  expect(tracingChannel('dalli:command').hasSubscribers).toBe(true);
  running.disable();
  expect(tracingChannel('dalli:command').hasSubscribers).toBe(false);
});

it('enable() twice subscribes once: one disable() leaves no subscriber', () => {
  const otel = new DalliInstrumentation({ enabled: false });
  otel.enable();
  otel.enable();
  otel.disable();
  expect(tracingChannel('dalli:command').hasSubscribers).toBe(false);
});

it('refuses an unknown queryText mode, at construction and in setConfig, without subscribing', () => {
  const error = new TypeError("DalliInstrumentation: queryText must be 'off', 'raw' or 'obfuscated', not all");
  expect(() => new DalliInstrumentation({ queryText: 'all' as 'raw' })).toThrow(error);
  const otel = new DalliInstrumentation({ enabled: false });
  expect(() => otel.setConfig({ queryText: 'all' as 'raw' })).toThrow(error);
  expect(tracingChannel('dalli:command').hasSubscribers).toBe(false);
});
