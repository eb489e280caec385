// The application: sessions in memcached, and a product route that reads through the cache.
// It only sees public packages; main.mjs decides which servers it talks to.
import { DalliError } from '@dalli/core';
import express from 'express';
import session from 'express-session';
import { loadProduct, PRODUCT_IDS } from './products.mjs';

const PRODUCT_TTL = 60; // seconds

/**
 * @param {{ cache: import('@dalli/core').Client, sessionStore: import('express-session').Store }} deps
 */
export function createApp({ cache, sessionStore }) {
  const app = express();
  app.use(
    session({
      store: sessionStore,
      secret: process.env.SESSION_SECRET ?? 'not a secret: set SESSION_SECRET',
      resave: false, // the store implements touch()
      saveUninitialized: false,
      cookie: { maxAge: 30 * 60 * 1000 },
    }),
  );

  app.get('/', (req, res) => {
    req.session.visits = (req.session.visits ?? 0) + 1;
    const links = PRODUCT_IDS.map((id) => `<li><a href="/products/${id}">/products/${id}</a></li>`).join('');
    res
      .type('html')
      .send(
        `<h1>dalli-ts + Express</h1><p>Visits in this session: ${req.session.visits}</p>` +
          `<ul>${links}<li><a href="/servers">/servers</a></li></ul>`,
      );
  });

  // Session state lives in memcached: any app instance behind the load balancer sees it.
  app.get('/visits', (req, res) => {
    req.session.visits = (req.session.visits ?? 0) + 1;
    res.json({ visits: req.session.visits });
  });

  // Cache-aside with Dalli's fetch: the cached product, or one loaded now and cached for a minute.
  app.get('/products/:id', async (req, res) => {
    const started = performance.now();
    let source = 'cache';
    const product = await cache.fetch(`product:${req.params.id}`, PRODUCT_TTL, () => {
      source = 'database';
      return loadProduct(req.params.id);
    });
    if (product === undefined) {
      res.status(404).json({ error: 'no such product' });
      return;
    }
    res.json({ product, source, ms: Math.round(performance.now() - started) });
  });

  // After the product changes in the database, drop the cached copy.
  app.delete('/products/:id/cache', async (req, res) => {
    res.json({ deleted: await cache.delete(`product:${req.params.id}`) });
  });

  app.get('/servers', (_req, res) => {
    res.json(cache.servers());
  });

  // Express 5 passes rejected promises here: a cache outage is a clear 503, not a hang.
  app.use((error, _req, res, _next) => {
    if (!(error instanceof DalliError)) throw error;
    res.status(503).json({ error: error.code, message: error.message });
  });
  return app;
}
