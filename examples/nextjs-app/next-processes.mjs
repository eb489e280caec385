// Runs the Next.js command line of this example: `next build`, and `next start` instances on free
// loopback ports. Telemetry is off: nothing here reaches the network.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { freePort } from '@dalli/test-utils';

const dir = fileURLToPath(new URL('.', import.meta.url));
const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');

function nextCommand(args, env) {
  return spawn(process.execPath, [nextBin, ...args], {
    cwd: dir,
    env: { ...process.env, ...env, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Whether .next holds a build newer than every source of the app (and than @dalli/next's build). */
export function isBuilt() {
  const builtAt = mtime('.next/BUILD_ID');
  const sources = ['app/layout.jsx', 'app/products/page.jsx', 'app/products/catalog.js', 'app/api/revalidate/route.js'];
  const inputs = [
    ...sources,
    'next.config.mjs',
    'cache-handler.mjs',
    'use-cache-handler.mjs',
    'node_modules/@dalli/next/dist/index.mjs',
  ];
  return builtAt > 0 && inputs.every((file) => mtime(file) < builtAt);
}

function mtime(file) {
  try {
    return statSync(new URL(file, `file://${dir}`)).mtimeMs;
  } catch {
    return 0;
  }
}

/** `next build`; resolves with its wall-clock seconds, rejects with its output if it fails. */
export async function build(env) {
  const started = performance.now();
  const child = nextCommand(['build'], env);
  let output = '';
  for (const stream of [child.stdout, child.stderr])
    stream.setEncoding('utf8').on('data', (chunk) => (output += chunk));
  const [status] = await once(child, 'close');
  if (status !== 0) throw new Error(`next build failed (exit ${status}):\n${output}`);
  return (performance.now() - started) / 1000;
}

/** A `next start` on a free 127.0.0.1 port, resolved once it is ready: `{ url, stop() }`. */
export async function start(env) {
  const port = await freePort();
  const child = nextCommand(['start', '--port', String(port), '--hostname', '127.0.0.1'], env);
  let output = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => (output += chunk));
  child.stdout.setEncoding('utf8');
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (/Ready in/.test(output)) resolve();
    });
    child.once('close', (status) => reject(new Error(`next start exited (${status}) before it was ready:\n${output}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const closed = once(child, 'close');
      child.kill('SIGTERM');
      await closed;
    },
  };
}
