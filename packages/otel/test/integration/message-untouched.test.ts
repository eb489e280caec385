import { tracingChannel } from 'node:diagnostics_channel';
import { Client } from '@dalli/core';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { instrument } from '../../src/index.ts';
import { OtelSdk } from '../support/otel-sdk.ts';

let memcached: MemcachedProcess;
let sdk: OtelSdk;

beforeAll(async () => {
  memcached = await startMemcached();
  sdk = new OtelSdk();
});
afterAll(async () => {
  await sdk.shutdown();
  await memcached.stop();
});

/** What another subscriber sees of each settled operation's message: its keys and its JSON. */
async function seenByAnother(client: Client): Promise<{ keys: string[]; json: string }> {
  let seen: { keys: string[]; json: string } | undefined;
  const other = {
    start() {},
    end() {},
    asyncStart() {},
    error() {},
    asyncEnd(message: object) {
      const { client: _client, ...rest } = message as Record<string, unknown>;
      seen = { keys: Object.keys(message), json: JSON.stringify(rest) };
    },
  };
  tracingChannel('dalli:command').subscribe(other);
  try {
    await client.get('untouched:k');
  } finally {
    tracingChannel('dalli:command').unsubscribe(other);
  }
  return seen as { keys: string[]; json: string };
}

it("keeps its start time and span off the keys and JSON of core's message, as other subscribers see it", async () => {
  const client = new Client(memcached.address);
  try {
    const bare = await seenByAnother(client);
    const otel = instrument(client, { tracerProvider: sdk.tracerProvider, meterProvider: sdk.meterProvider });
    const observed = await seenByAnother(client);
    otel.stop();
    expect(observed).toEqual(bare);
    expect(sdk.spans.getFinishedSpans().map((span) => span.name)).toEqual(['get']);
  } finally {
    await client.close();
  }
});
