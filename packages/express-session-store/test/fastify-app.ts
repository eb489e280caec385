import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import Fastify, { type FastifyInstance } from 'fastify';
import type { DalliSessionStore } from '../src/index.ts';

declare module 'fastify' {
  interface Session {
    user?: string;
  }
}

/** The secret the app signs its session cookies with. */
export const FASTIFY_SECRET = 'a test secret that is at least 32 characters long';

/** The cookie @fastify/session sets by default. */
export const FASTIFY_COOKIE = 'sessionId';

/**
 * A Fastify 5 app with @fastify/session over the store, routes as {@link sessionApp}'s. Every error
 * Fastify answers with a 5xx (a failed session read or save included) is pushed to `errors`.
 */
export async function fastifySessionApp(
  store: DalliSessionStore,
  options: { rolling?: boolean } = {},
  errors: unknown[] = [],
): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(fastifyCookie);
  await app.register(fastifySession, {
    // @fastify/session types its store as its own callback interface; DalliSessionStore offers it.
    store: store as never,
    secret: FASTIFY_SECRET,
    saveUninitialized: false,
    rolling: options.rolling ?? true,
    cookie: { secure: false, maxAge: 60_000 },
  });
  app.setErrorHandler((error: { code?: string }, _request, reply) => {
    errors.push(error);
    return reply.status(500).send({ error: error.code ?? 'unknown' });
  });
  app.get<{ Querystring: { user: string } }>('/login', async (request) => {
    // A login issues a new session id, as an app should (session fixation).
    await request.session.regenerate();
    request.session.user = request.query.user;
    return { user: request.session.user };
  });
  app.get<{ Querystring: { user: string } }>('/rename', async (request) => {
    request.session.user = request.query.user;
    return { user: request.session.user };
  });
  app.get('/whoami', async (request) => ({ user: request.session?.user ?? null }));
  app.get('/logout', async (request) => {
    await request.session.destroy();
    return { out: true };
  });
  return app;
}

/** The session id in @fastify/session's cookie (`<id>.<signature>`). */
export function fastifySessionId(setCookie: string[] | string | undefined): string {
  const header = (Array.isArray(setCookie) ? setCookie : [setCookie ?? '']).find((line) =>
    line.startsWith(`${FASTIFY_COOKIE}=`),
  );
  if (header === undefined) throw new Error('no session cookie was set');
  const value = decodeURIComponent(header.slice(FASTIFY_COOKIE.length + 1, header.indexOf(';')));
  return value.slice(0, value.lastIndexOf('.'));
}
