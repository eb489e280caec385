import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, ProtocolError } from '../../src/index.ts';
import { startScriptedLineServer } from '../support/scripted-line-server.ts';

/** The CAS token the scripted server writes for each key: only `good:*` keys get a real one. */
const tokens: Record<string, string> = { 'bad:letters': '12ab', 'bad:huge': '18446744073709551616' };
const tokenFor = (key: string): string => tokens[key] ?? '42';

let server: { address: string; close: () => void };
/** Requests the scripted server was sent, by key. */
const asked = new Map<string, number>();
const requests = (key: string): number => asked.get(key) ?? 0;
beforeAll(async () => {
  server = await startScriptedLineServer((line, socket) => {
    const key = /^(?:mg|gets) (\S+)/.exec(line)?.[1];
    if (key !== undefined) asked.set(key, requests(key) + 1);
    const meta = /^mg (\S+) .*O(\d+)/.exec(line);
    if (meta !== null) {
      const [, key, opaque] = meta as unknown as [string, string, string];
      socket.write(`VA 1 f0 c${tokenFor(key)} k${key} O${opaque}\r\nx\r\n`);
      return;
    }
    const text = /^gets (\S+)$/.exec(line);
    if (text !== null) {
      const key = text[1] as string;
      socket.write(`VALUE ${key} 0 1 ${tokenFor(key)}\r\nx\r\nEND\r\n`);
    }
  });
});
afterAll(() => server.close());

describe.each(['meta', 'text'] as const)('%s: a reply with a malformed CAS token', (protocol) => {
  it.each(['bad:letters', 'bad:huge'])('fails gets(%s) with a ProtocolError, never a SyntaxError', async (key) => {
    asked.clear();
    const client = new Client(server.address, { protocol, downRetryDelay: 0 });
    const error = await client.gets(key).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).message).toMatch(/CAS token/);
    await client.close();
  });

  it('fails only that request: one sent behind it on the same connection gets its own answer', async () => {
    asked.clear();
    const client = new Client(server.address, { protocol, downRetryDelay: 0 });
    const [bad, behind] = await Promise.allSettled([client.gets('bad:letters'), client.gets('good:1')]);
    expect(bad.status === 'rejected' && bad.reason instanceof ProtocolError).toBe(true);
    expect(behind).toEqual({ status: 'fulfilled', value: { value: 'x', cas: 42n } });
    // The malformed reply is not asked again (it would only come back the same), and the server stays up.
    expect(requests('bad:letters')).toBe(1);
    expect(client.servers()[0]?.up).toBe(true);
    expect(await client.gets('good:2')).toEqual({ value: 'x', cas: 42n });
    await client.close();
  });
});
