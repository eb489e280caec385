import { startMemcached } from '@dalli/test-utils';
import { Keyv as Keyv6 } from 'keyv6';
import { describe, expect, it } from 'vitest';
import { KeyvDalli } from '../src/index.ts';

describe('errors name the operation that failed', () => {
  it.each([
    ['set', true, (keyv: Keyv6) => keyv.set('k', 'v')],
    ['delete', true, (keyv: Keyv6) => keyv.delete('k')],
    ['set', false, (keyv: Keyv6) => keyv.set('k', 'v')],
    ['delete', false, (keyv: Keyv6) => keyv.delete('k')],
  ])(
    'a failing %s says so, not "get" (the namespace token read beside it; store used before: %s)',
    async (operation, warm, run) => {
      const down = await startMemcached();
      const keyv = new Keyv6({
        store: new KeyvDalli(down.address, { socketTimeout: 0.2, socketMaxFailures: 1 }),
        namespace: 'errors',
      });
      if (warm) await keyv.set('warm', 1);
      await down.stop();
      const error = await run(keyv).then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(error).toMatchObject({ code: expect.stringMatching(/^ERR_DALLI_/) });
      expect(String((error as Error).message)).toMatch(new RegExp(`\\b${operation}\\b`));
      expect(String((error as Error).message)).not.toMatch(/\bget\b/);
      await keyv.disconnect();
    },
  );
});
