import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@dalli/core';
import { itemTtl, type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CacheHandlerValue,
  createIncrementalCacheHandler,
  type IncrementalCacheHandler,
} from '../../src/index.ts';

const DIALECTS = ['binary', 'meta', 'text'] as const;

let memcached: MemcachedProcess;
let distDir: string;
beforeAll(async () => {
  memcached = await startMemcached();
  distDir = mkdtempSync(join(tmpdir(), 'dalli-next-'));
  await mkdir(join(distDir, 'server'));
  writeFileSync(join(distDir, 'BUILD_ID'), 'build-1\n');
});
afterAll(async () => {
  await memcached.stop();
  rmSync(distDir, { recursive: true, force: true });
});

function page(tags: string, html = '<p>hello</p>') {
  return {
    kind: 'APP_PAGE',
    html,
    rscData: Buffer.from('rsc payload'),
    headers: { 'x-next-cache-tags': tags },
    postponed: undefined,
    status: 200,
    segmentData: new Map([['/_tree', Buffer.from([1, 2, 3])]]),
  };
}
/** The HTML of a page hit. */
const htmlOf = (hit: CacheHandlerValue | null) => (hit?.value as { html?: string } | null | undefined)?.html;
/** Waits for the clock's next millisecond: an entry written in the millisecond of a revalidation counts as revalidated. */
async function nextMillisecond(): Promise<void> {
  const now = Date.now();
  while (Date.now() <= now) await new Promise((resolve) => setImmediate(resolve));
}
const PAGE_GET = { kind: 'APP_PAGE', isFallback: false };
const fetchValue = (tags: string[]) => ({
  kind: 'FETCH',
  data: { headers: {}, body: 'e30=', url: 'http://127.0.0.1/x', status: 200 },
  revalidate: 3600,
  tags,
});

describe.each(DIALECTS)('%s protocol', (protocol) => {
  const clients: Client[] = [];
  /** A handler as one Next.js instance makes it: its own client, the module's options. */
  function instance(keyPrefix: string, serverDistDir = join(distDir, 'server')): IncrementalCacheHandler {
    const client = new Client(memcached.address, { protocol, socketTimeout: 0.5 });
    clients.push(client);
    const Handler = createIncrementalCacheHandler({ servers: client, keyPrefix });
    return new Handler({ serverDistDir });
  }
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
  });

  it('reads back a page with its buffers, its map of segments and its cacheControl, on another instance', async () => {
    const [a, b] = [instance(`${protocol}-rt`), instance(`${protocol}-rt`)];
    const cacheControl = { revalidate: 60, expire: 3600 };
    await a.set('/products', page('_N_T_/products'), { cacheControl });
    const hit = await b.get('/products', PAGE_GET);
    expect(hit?.value).toEqual(page('_N_T_/products'));
    expect(hit?.cacheControl).toEqual(cacheControl);
    expect(Math.abs((hit?.lastModified ?? 0) - Date.now())).toBeLessThan(60_000);
    expect(await b.get('/other', PAGE_GET)).toBeNull();
  });

  it('expires a page on every instance when one revalidates one of its tags (no durations: at once)', async () => {
    const [a, b] = [instance(`${protocol}-tag`), instance(`${protocol}-tag`)];
    await a.set('/p', page('_N_T_/layout,_N_T_/p,products'), { cacheControl: { revalidate: 60, expire: 3600 } });
    await a.set('/q', page('_N_T_/q,orders'), {});
    await b.revalidateTag('products');
    expect(await a.get('/p', PAGE_GET)).toBeNull();
    expect(await b.get('/p', PAGE_GET)).toBeNull();
    expect(await a.get('/q', PAGE_GET)).not.toBeNull();
    await nextMillisecond();
    await a.set('/p', page('_N_T_/layout,_N_T_/p,products', '<p>new</p>'), {});
    expect(htmlOf(await b.get('/p', PAGE_GET))).toBe('<p>new</p>');
  });

  it('marks a page stale (served once more, rendered anew in the background) within the expire of revalidateTag(tag, profile)', async () => {
    const [a, b] = [instance(`${protocol}-swr`), instance(`${protocol}-swr`)];
    await a.set('/p', page('products'), { cacheControl: { revalidate: 60, expire: 3600 } });
    await b.revalidateTag(['products'], { expire: 300 });
    const hit = await a.get('/p', PAGE_GET);
    expect(htmlOf(hit)).toBe('<p>hello</p>');
    // Next.js calls an entry stale once lastModified + revalidate is past, and expired past expire.
    const now = Date.now();
    expect((hit?.lastModified ?? 0) + 60_000).toBeLessThan(now);
    expect((hit?.lastModified ?? 0) + 3_600_000).toBeGreaterThan(now);
  });

  it('serves a stale page without a revalidate window with lastModified -1 (render before answering)', async () => {
    const a = instance(`${protocol}-swr-never`);
    await a.set('/p', page('products'), { cacheControl: { revalidate: false, expire: undefined } });
    await a.revalidateTag('products', { expire: 300 });
    expect((await a.get('/p', PAGE_GET))?.lastModified).toBe(-1);
  });

  it('expires a fetch entry by its own tags, and by the soft (implicit) tags of the page that reads it', async () => {
    const [a, b] = [instance(`${protocol}-fetch`), instance(`${protocol}-fetch`)];
    const setContext = { fetchCache: true, tags: ['catalog'] };
    await a.set('f1', fetchValue(['catalog']), setContext);
    const read = { kind: 'FETCH', tags: ['catalog'], softTags: ['_N_T_/layout', '_N_T_/shop'] };
    expect((await b.get('f1', read))?.value?.kind).toBe('FETCH');
    await a.revalidateTag('_N_T_/shop');
    expect(await b.get('f1', read)).toBeNull();
    await nextMillisecond();
    await a.set('f1', fetchValue(['catalog']), setContext);
    await a.revalidateTag('catalog', { expire: 300 });
    // Stale: a lastModified so old that any revalidate period is past.
    expect((await b.get('f1', read))?.lastModified).toBe(1);
  });

  it('gives an entry its cacheControl.expire as TTL, and none without one', async () => {
    const a = instance(`${protocol}-ttl`);
    await a.set('/short', page('t'), { cacheControl: { revalidate: 10, expire: 120 } });
    await a.set('/forever', page('t'), { cacheControl: { revalidate: false, expire: undefined } });
    const ttl = await itemTtl(memcached.address, `${protocol}-ttl:entry:build-1:/short`);
    expect(ttl).toBeGreaterThan(110);
    expect(ttl).toBeLessThanOrEqual(120);
    expect(await itemTtl(memcached.address, `${protocol}-ttl:entry:build-1:/forever`)).toBe(-1);
  });

  it('keeps builds apart: a new BUILD_ID never reads the entries of the previous build', async () => {
    const other = mkdtempSync(join(tmpdir(), 'dalli-next-'));
    try {
      await mkdir(join(other, 'server'));
      writeFileSync(join(other, 'BUILD_ID'), 'build-2');
      const [old, next] = [instance(`${protocol}-builds`), instance(`${protocol}-builds`, join(other, 'server'))];
      await old.set('/p', page('x'), {});
      expect(await next.get('/p', PAGE_GET)).toBeNull();
      expect(await old.get('/p', PAGE_GET)).not.toBeNull();
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('stores keys with spaces and long keys (escaped, shortened by the core)', async () => {
    const a = instance(`${protocol}-keys`);
    const long = `/${'segment/'.repeat(60)}end`;
    await a.set('/with space', page('t', 'space'), {});
    await a.set(long, page('t', 'long'), {});
    expect(htmlOf(await a.get('/with space', PAGE_GET))).toBe('space');
    expect(htmlOf(await a.get(long, PAGE_GET))).toBe('long');
  });

  it("keeps every concurrent revalidation of one tag: an immediate expiry is not lost to another instance's stale one", async () => {
    const handlers = Array.from({ length: 4 }, () => instance(`${protocol}-race`));
    await handlers[0]?.set('/p', page('hot'), { cacheControl: { revalidate: 60, expire: 3600 } });
    await Promise.all(
      handlers.map((handler, i) => handler.revalidateTag('hot', i === 0 ? undefined : { expire: 3600 })),
    );
    expect(await handlers[1]?.get('/p', PAGE_GET)).toBeNull();
  });
});
