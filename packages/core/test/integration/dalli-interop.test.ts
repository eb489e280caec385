import { describe, expect, it } from 'vitest';
import { Client } from '../../src/index.ts';
import { KeyBuilder, md5KeyDigest } from '../../src/keys/key-builder.ts';
import { DIALECTS } from '../support/dialects.ts';
import { memcachedClient } from '../support/memcached-client.ts';
import { rubyDalliAvailable, runRubyDalli } from '../support/ruby-dalli.ts';
import { storedItem } from '../support/stored-item.ts';

// Ruby's Dalli 3 (Debian's ruby-dalli) is the oracle: the test command installs it. These tests
// are skipped only on a machine without Ruby, and say so.
const describeWithRuby = describe.skipIf(!rubyDalliAvailable);
if (!rubyDalliAvailable) console.warn('Ruby Dalli interop tests skipped: `ruby -e "require \'dalli\'"` failed');

// Ruby's Dalli 3 speaks binary; this client writes and reads in each dialect beside it.
describe.each(DIALECTS)('%s protocol', (protocol) => {
  const suite = memcachedClient(protocol);

  const bigText = `${'Persistence of Memory — '.repeat(300)}fin`;

  describeWithRuby('values shared with Ruby Dalli', () => {
    it('reads values Dalli writes raw, plain and compressed', async () => {
      runRubyDalli(
        `dc = Dalli::Client.new(INPUT['server'])
         dc.set('interop:ruby:raw', 'héllo from ruby', 0, raw: true)
         dc.set('interop:ruby:raw:big', INPUT['big'], 0, raw: true)`,
        { server: suite.memcached.address, big: bigText },
      );
      expect(await suite.client.get('interop:ruby:raw')).toBe('héllo from ruby');
      expect((await storedItem(suite.memcached.address, 'interop:ruby:raw:big'))?.flags).toBe(0x2);
      expect(await suite.client.get('interop:ruby:raw:big')).toBe(bigText);
    });

    it('writes raw values Dalli reads, plain and compressed', async () => {
      await suite.client.set('interop:node:raw', 'héllo from node', 0, { raw: true });
      await suite.client.set('interop:node:raw:big', bigText, 0, { raw: true });
      expect((await storedItem(suite.memcached.address, 'interop:node:raw:big'))?.flags).toBe(0x2);
      const read = runRubyDalli<string[]>(
        `dc = Dalli::Client.new(INPUT['server'])
         [dc.get('interop:node:raw'), dc.get('interop:node:raw:big')].map { |v| v.force_encoding('UTF-8') }`,
        { server: suite.memcached.address },
      );
      expect(read).toEqual(['héllo from node', bigText]);
    });

    it('reads objects Dalli writes with its JSON serializer, plain and compressed', async () => {
      runRubyDalli(
        `dc = Dalli::Client.new(INPUT['server'], serializer: JSON)
         dc.set('interop:ruby:json', { 'name' => 'Gala', 'tags' => ['a', nil], 'n' => 1.5 })
         dc.set('interop:ruby:json:big', { 'text' => INPUT['big'] })`,
        { server: suite.memcached.address, big: bigText },
      );
      expect(await suite.client.get('interop:ruby:json')).toEqual({ name: 'Gala', tags: ['a', null], n: 1.5 });
      expect((await storedItem(suite.memcached.address, 'interop:ruby:json:big'))?.flags).toBe(0x3);
      expect(await suite.client.get('interop:ruby:json:big')).toEqual({ text: bigText });
    });

    it('writes objects Dalli reads with its JSON serializer, plain and compressed', async () => {
      await suite.client.set('interop:node:json', { name: 'Dalí', list: [1, 'two', null], nested: { ok: true } });
      await suite.client.set('interop:node:json:big', { text: bigText });
      const read = runRubyDalli<unknown[]>(
        `dc = Dalli::Client.new(INPUT['server'], serializer: JSON)
         [dc.get('interop:node:json'), dc.get('interop:node:json:big')]`,
        { server: suite.memcached.address },
      );
      expect(read).toEqual([{ name: 'Dalí', list: [1, 'two', null], nested: { ok: true } }, { text: bigText }]);
    });
  });

  describeWithRuby('wire keys shared with Ruby Dalli', () => {
    const cases: [string | null, string][] = [
      [null, 'plain'],
      ['app', 'plain'],
      [null, 'ключ:日本語'],
      ['名前空間', 'ключ'],
      [null, 'k'.repeat(250)],
      [null, 'k'.repeat(251)],
      [null, `long:${'x'.repeat(400)}`],
      ['app', 'y'.repeat(246)],
      ['app', 'y'.repeat(247)],
      ['app', `long:${'z'.repeat(400)}`],
      [null, `ascii-then-multibyte:${'a'.repeat(230)}ключ`],
    ];

    it('produces the same wire key as Dalli for long, namespaced and multibyte keys', () => {
      const dalli = runRubyDalli<string[]>(
        `INPUT.map { |(ns, key)| Dalli::KeyManager.new(namespace: ns).validate_key(key) }`,
        cases,
      );
      const ours = cases.map(([namespace, key]) =>
        new KeyBuilder(namespace ?? undefined, md5KeyDigest).wireKey(key, 'get'),
      );
      expect(ours).toEqual(dalli);
    });

    it('finds, under the same key and namespace, the values Dalli stored', async () => {
      const reader = new Client(suite.memcached.address, { namespace: 'shared', protocol });
      const keys = [...new Set(cases.map(([, key]) => key))];
      runRubyDalli(
        `dc = Dalli::Client.new(INPUT['server'], namespace: 'shared', serializer: JSON)
         INPUT['keys'].each_with_index { |k, i| dc.set(k, { 'i' => i }) }`,
        { server: suite.memcached.address, keys },
      );
      const found = await reader.getMulti(keys);
      expect(keys.map((key) => found.get(key))).toEqual(keys.map((_, i) => ({ i })));
      await reader.close();
    });

    it('stays within 250 bytes where Dalli, counting characters, would send a longer key', () => {
      const key = 'я'.repeat(200); // 200 characters, 400 bytes
      const [dalliKey] = runRubyDalli<string[]>(`[Dalli::KeyManager.new({}).validate_key(INPUT)]`, key);
      const ours = new KeyBuilder(undefined, md5KeyDigest).wireKey(key, 'get');
      expect(Buffer.byteLength(dalliKey as string)).toBe(400);
      expect(Buffer.byteLength(ours)).toBeLessThanOrEqual(250);
    });
  });
});
