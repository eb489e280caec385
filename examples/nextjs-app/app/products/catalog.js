import { cacheLife, cacheTag } from 'next/cache';

/**
 * A stand-in for a slow catalogue query, cached with "use cache" under the tag 'products'. Each
 * computation gets a new `version`, so a page shows which computation it was rendered from.
 */
export async function loadCatalog() {
  'use cache';
  cacheTag('products');
  cacheLife('hours');
  return {
    version: crypto.randomUUID(),
    computedAt: new Date().toISOString(),
    products: ['Moka pot', 'Kettle', 'Grinder'],
  };
}
