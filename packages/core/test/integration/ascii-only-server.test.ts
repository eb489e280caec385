import { startMemcached } from '@dalli/test-utils';
import { expect, it } from 'vitest';
import { Client, ProtocolError } from '../../src/index.ts';

it('fails fast with a ProtocolError saying the server does not accept binary, against memcached -B ascii', async () => {
  const ascii = await startMemcached({ kind: 'ascii-only' });
  // A long timeout: the failure must come from the server's answer, not from waiting it out.
  const client = new Client(ascii.address, { socketTimeout: 30 });
  const error = await client.get('k').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ProtocolError);
  expect((error as Error).message).toMatch(
    /get on 127\.0\.0\.1:\d+: .*the server answered in the text protocol \("ERROR"\), so it does not accept the binary protocol/,
  );
  // Marked down after its attempts, the server stays named for the real cause.
  await expect(client.set('k', 'v')).rejects.toThrow(/does not accept the binary protocol/);
  await client.close();
  await ascii.stop();
});
