import { describe, expect, it } from 'vitest';
import { Client } from '../../src/index.ts';

describe('Client.isClient', () => {
  it('recognises a client of this copy', async () => {
    const client = new Client('127.0.0.1:1');
    expect(Client.isClient(client)).toBe(true);
    await client.close();
  });

  it('recognises a client of another copy by its global brand, without instanceof', () => {
    const foreign = Object.create({ [Symbol.for('@dalli/core.Client')]: true });
    expect(foreign instanceof Client).toBe(false);
    expect(Client.isClient(foreign)).toBe(true);
  });

  it('refuses look-alikes and non-objects', () => {
    expect(Client.isClient({ get: () => undefined, set: () => true })).toBe(false);
    expect(Client.isClient(null)).toBe(false);
    expect(Client.isClient('127.0.0.1:11211')).toBe(false);
  });
});
