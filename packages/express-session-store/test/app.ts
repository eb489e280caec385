import express5, { type Express } from 'express';
import session, { type SessionOptions } from 'express-session';
import express4 from 'express4';
import type { DalliSessionStore } from '../src/index.ts';

declare module 'express-session' {
  interface SessionData {
    count?: number;
    user?: string;
  }
}

export type ExpressVersion = 4 | 5;

/**
 * A small app exercising the session store the way real apps do. Every error that reaches the
 * app's error handler is pushed to `errors`, including those of saves express-session makes after
 * the response has started (too late for a 500).
 */
export function sessionApp(
  version: ExpressVersion,
  store: DalliSessionStore,
  options: Partial<SessionOptions> = {},
  errors: unknown[] = [],
): Express {
  const express = (version === 5 ? express5 : express4) as typeof express5;
  const app = express();
  app.use(
    session({
      store,
      secret: 'test secret',
      resave: false,
      saveUninitialized: false,
      ...options,
      cookie: { maxAge: 60_000, ...options.cookie },
    }),
  );
  return sessionRoutes(app, errors);
}

/**
 * The routes of {@link sessionApp}, added to an app that already uses a session middleware, and an
 * error handler that pushes every error it sees to `errors`.
 */
export function sessionRoutes(app: Express, errors: unknown[] = []): Express {
  app.get('/count', (req, res) => {
    req.session.count = (req.session.count ?? 0) + 1;
    res.json({ count: req.session.count, user: req.session.user ?? null });
  });
  app.get('/login', (req, res) => {
    req.session.user = String(req.query.user);
    res.json({ user: req.session.user });
  });
  app.get('/login-and-save', (req, res, next) => {
    // Saving before answering: a failed save becomes this request's error, not a lost write.
    req.session.user = String(req.query.user);
    req.session.save((error) => (error ? next(error) : res.json({ user: req.session.user })));
  });
  app.get('/whoami', async (req, res) => {
    // Read-only: express-session touches the session instead of saving it.
    const wait = Number(req.query.wait ?? 0);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    res.json({ user: req.session?.user ?? null, count: req.session?.count ?? null });
  });
  app.get('/logout', (req, res, next) => {
    req.session.destroy((error) => (error ? next(error) : res.json({ out: true })));
  });
  app.get('/has-session', (req, res) => {
    res.json({ hasSession: req.session !== undefined });
  });
  app.use((error: { code?: string }, _req: unknown, res: express5.Response, _next: unknown) => {
    errors.push(error);
    if (!res.headersSent) res.status(500).json({ error: error.code ?? 'unknown' });
  });
  return app;
}

/** The session id in a `connect.sid` cookie (`s:<id>.<signature>`). */
export function sessionIdFrom(setCookie: string[] | string | undefined): string {
  const header = (Array.isArray(setCookie) ? setCookie : [setCookie ?? '']).find((line) =>
    line.startsWith('connect.sid='),
  );
  if (header === undefined) throw new Error('no session cookie was set');
  const value = decodeURIComponent(header.slice('connect.sid='.length, header.indexOf(';')));
  return value.slice(2, value.lastIndexOf('.'));
}
