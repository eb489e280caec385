// Parallel requests on one session, over HTTP through a real Express 5 app: how many answer
// non-2xx, per scenario and round, and whether the session afterwards holds a written value.
// Build first (`pnpm --filter @dalli/express-session run build`), then:
//   node packages/express-session-store/bench/parallel-requests.mjs [--parallel 50] [--rounds 5] [--protocol binary]
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { startMemcached } from '@dalli/test-utils';
import express from 'express';
import session from 'express-session';
import { DalliSessionStore } from '../dist/index.mjs';

const { values: args } = parseArgs({
  options: {
    parallel: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '5' },
    protocol: { type: 'string', default: 'binary' },
  },
});
const PARALLEL = Number(args.parallel);
const ROUNDS = Number(args.rounds);
// The table is this script's output (biome's console rule covers bench/ at the root only).
const print = (line) => process.stdout.write(`${line}\n`);

const memcached = await startMemcached();
const store = new DalliSessionStore({ servers: memcached.address, clientOptions: { protocol: args.protocol } });

/** An app whose `/write?value=` changes the session and whose `/read` does not. */
async function listen(resave) {
  const app = express();
  app.use(session({ store, secret: 'bench', resave, saveUninitialized: false, cookie: { maxAge: 60_000 } }));
  app.get('/write', (req, res) => {
    req.session.value = String(req.query.value);
    res.json({ value: req.session.value });
  });
  // Saving before answering (the README's advice where a save matters): a failed save is a 500.
  app.get('/write-and-save', (req, res, next) => {
    req.session.value = String(req.query.value);
    req.session.save((error) => (error ? next(error) : res.json({ value: req.session.value })));
  });
  app.get('/read', (req, res) => res.json({ value: req.session.value ?? null }));
  // A save express-session makes after the response has started fails too late for a 500: count it here.
  app.use((error, _req, res, _next) => {
    errors.set(error.code, (errors.get(error.code) ?? 0) + 1);
    if (!res.headersSent) res.status(500).json({ error: error.code ?? 'unknown' });
  });
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${server.address().port}` };
}

/** Errors that reached the app's error handler, by code. */
const errors = new Map();

async function scenario(resave, path) {
  errors.clear();
  const { server, url } = await listen(resave);
  const failures = [];
  let held = 0;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const login = await fetch(`${url}/write?value=start`);
      const cookie = login.headers.getSetCookie()[0].split(';')[0];
      const written = new Set(['start']);
      const responses = await Promise.all(
        Array.from({ length: PARALLEL }, (_, i) => {
          written.add(`v${i}`);
          return fetch(`${url}${path.replace('$i', i)}`, { headers: { cookie } });
        }),
      );
      let failed = 0;
      for (const response of responses) {
        await response.arrayBuffer();
        if (response.status >= 300) failed++;
      }
      // express-session saves after the response is written: let the last saves land.
      await new Promise((resolve) => setTimeout(resolve, 100));
      const after = await (await fetch(`${url}/read`, { headers: { cookie } })).json();
      if (written.has(after.value)) held++;
      failures.push(failed);
    }
  } finally {
    server.close();
  }
  return { failures, errors, held };
}

const scenarios = [
  ['modifying, saved before answering, resave: false', false, '/write-and-save?value=v$i'],
  ['modifying, saved before answering, resave: true', true, '/write-and-save?value=v$i'],
  ['modifying, saved after answering, resave: false', false, '/write?value=v$i'],
  ['read-only, resave: true', true, '/read'],
];
print(
  `| ${PARALLEL} parallel requests (${args.protocol}) | non-2xx per round | non-2xx | errors at next(err) | session holds a written value |`,
);
print('| --- | --- | --- | --- | --- |');
try {
  for (const [name, resave, path] of scenarios) {
    const { failures, errors, held } = await scenario(resave, path);
    const total = failures.reduce((a, b) => a + b, 0);
    const codes = [...errors].map(([code, n]) => `${n} ${code}`).join(', ') || '0';
    print(`| ${name} | ${failures.join(' ')} | ${total}/${PARALLEL * ROUNDS} | ${codes} | ${held}/${ROUNDS} |`);
  }
} finally {
  await store.close();
  await memcached.stop();
}
