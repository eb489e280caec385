import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, InvalidArgumentError } from '../../src/index.ts';

let node: MemcachedProcess;
let ca: string;

beforeAll(async () => {
  node = await startMemcached({ kind: 'tls' });
  ca = node.tls?.ca as string;
});
afterAll(() => node.stop());

/** The one endpoint, by the host name its certificate gives, as a Serverless endpoint is reached. */
const endpoint = (): string => `localhost:${node.port}`;

describe.each(['meta', 'text'] as const)("preset: 'serverless' with the %s protocol", (protocol) => {
  it('reads and writes through one TLS endpoint, host name checked', async () => {
    const client = new Client(endpoint(), { preset: 'serverless', protocol, tls: { ca } });
    try {
      await expect(client.set('sl:a', { n: 1 })).resolves.toBe(true);
      await client.setMulti([
        ['sl:b', 2],
        ['sl:c', 3],
      ]);
      expect(await client.get('sl:a')).toEqual({ n: 1 });
      expect(await client.getMulti(['sl:a', 'sl:b', 'sl:c', 'sl:none'])).toEqual(
        new Map<string, unknown>([
          ['sl:a', { n: 1 }],
          ['sl:b', 2],
          ['sl:c', 3],
        ]),
      );
    } finally {
      await client.close();
    }
  });
});

describe("preset: 'serverless'", () => {
  it('connects over TLS without being told: the test CA, unknown to the system, is refused', async () => {
    const client = new Client(endpoint(), { preset: 'serverless', socketTimeout: 0.5 });
    try {
      await expect(client.get('sl:a')).rejects.toThrow(/certificate/);
    } finally {
      await client.close();
    }
  });

  it('takes exactly one server, and setServers keeps it that way', async () => {
    expect(
      () => new Client([endpoint(), endpoint().replace('localhost', '127.0.0.1')], { preset: 'serverless' }),
    ).toThrow(InvalidArgumentError);
    const client = new Client(endpoint(), { preset: 'serverless', tls: { ca } });
    try {
      await expect(client.setServers([endpoint(), `127.0.0.1:${node.port}`])).rejects.toThrow(/exactly one server/);
      expect(client.servers().map((state) => state.name)).toEqual([endpoint()]);
    } finally {
      await client.close();
    }
  });
});
