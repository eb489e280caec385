import { Client } from '@dalli/core';

/** What the one server at `address` holds under `key`, asked by a client of its own. */
export async function heldBy(address: string, key: string): Promise<unknown> {
  const single = new Client(address);
  try {
    return await single.get(key);
  } finally {
    await single.close();
  }
}
