import { dalli, dalliMeta, dalliText } from './dalli.mjs';
import { dalliTraced } from './dalli-traced.mjs';
import { memcacheJs } from './memcache.mjs';
import { memcacheClient } from './memcache-client.mjs';
import { memcachedClient } from './memcached.mjs';
import { memjsClient } from './memjs.mjs';
import { raw } from './raw.mjs';

/** Every client measured, by id. The raw bound has its own driver; the others share the loops. */
export const clients = {
  raw,
  dalli,
  'dalli-meta': dalliMeta,
  'dalli-text': dalliText,
  'dalli-traced': dalliTraced,
  memjs: memjsClient,
  memcached: memcachedClient,
  'memcache-client': memcacheClient,
  memcache: memcacheJs,
};
