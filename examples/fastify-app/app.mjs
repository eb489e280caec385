import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import Fastify from 'fastify';

/**
 * A Fastify 5 app whose sessions live in memcached: @fastify/session takes express-session-style
 * stores, and DalliSessionStore is one. `secure: false` because the example serves plain HTTP on
 * loopback; behind HTTPS, keep @fastify/session's default (true).
 */
export async function createApp({ sessionStore }) {
  const app = Fastify();
  await app.register(fastifyCookie);
  await app.register(fastifySession, {
    store: sessionStore,
    secret: process.env.SESSION_SECRET ?? 'an example secret of at least 32 characters',
    saveUninitialized: false,
    cookie: { secure: false, maxAge: 30 * 60_000 },
  });

  app.get('/visits', async (request) => {
    request.session.visits = (request.session.visits ?? 0) + 1;
    return { visits: request.session.visits, user: request.session.user ?? null };
  });
  app.post('/login', async (request) => {
    // A new session id at login (session fixation); the visits carry over.
    const visits = request.session.visits;
    await request.session.regenerate();
    Object.assign(request.session, { user: request.query.user ?? 'guest', visits });
    return { user: request.session.user };
  });
  app.post('/logout', async (request) => {
    await request.session.destroy();
    return { out: true };
  });
  return app;
}
