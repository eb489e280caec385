import { afterEach, describe, expect, it } from 'vitest';
import { type MemcachedProcess, SASL_PASSWORD, SASL_USER, startMemcached, stopAllMemcached } from '../src/index.ts';
import { rawVersion, saslPlainFrame } from './raw-version.ts';

const VERSION = /^\d+\.\d+\.\d+/;

describe('startMemcached', () => {
  afterEach(() => stopAllMemcached());

  it('starts a plain server on a free loopback port', async () => {
    const server = await startMemcached();
    expect(server.address).toBe(`127.0.0.1:${server.port}`);
    expect(await rawVersion({ port: server.port })).toMatch(VERSION);
  });

  it('starts two servers on different ports', async () => {
    const [a, b] = await Promise.all([startMemcached(), startMemcached()]);
    expect(a.port).not.toBe(b.port);
  });

  it('starts a SASL server whose sasldb accepts the test user and refuses a wrong password', async () => {
    const server = await startMemcached({ kind: 'sasl' });
    // memcached -S answers VERSION before authentication, so this proves the server is up…
    expect(await rawVersion({ port: server.port })).toMatch(VERSION);
    const good = await authStatus(server, SASL_PASSWORD);
    const bad = await authStatus(server, 'wrong');
    expect(good).toBe(0x00);
    expect(bad).toBe(0x20);
  });

  it('starts a TLS server whose certificate verifies against the generated CA', async () => {
    const server = await startMemcached({ kind: 'tls' });
    const ca = server.tls?.ca as string;
    expect(await rawVersion({ port: server.port, host: '127.0.0.1' }, { ca, servername: 'localhost' })).toMatch(
      VERSION,
    );
  });

  it('starts a mutual-TLS server that requires the client certificate', async () => {
    const server = await startMemcached({ kind: 'tls', mutualTls: true });
    const files = server.tls;
    if (files === undefined) throw new Error('no TLS files');
    const base = { ca: files.ca, servername: 'localhost' };
    const withCert = { ...base, cert: files.clientCert, key: files.clientKey };
    expect(await rawVersion({ port: server.port, host: '127.0.0.1' }, withCert)).toMatch(VERSION);
    await expect(rawVersion({ port: server.port, host: '127.0.0.1' }, base)).rejects.toThrow();
  });

  it('starts a server on a Unix socket', async () => {
    const server = await startMemcached({ kind: 'unix' });
    expect(server.address).toBe(server.socketPath);
    expect(await rawVersion({ path: server.socketPath as string })).toMatch(VERSION);
  });

  it('restarts a killed server on the same port', async () => {
    const server = await startMemcached();
    server.signal('SIGKILL');
    await expect.poll(() => server.running).toBe(false);
    await server.restart();
    expect(await rawVersion({ port: server.port })).toMatch(VERSION);
  });

  it('freezes a server so it answers nothing, thaws it, and stops a frozen one', async () => {
    const server = await startMemcached();
    await server.freeze();
    const answered = await Promise.race([
      rawVersion({ port: server.port }).then(() => true),
      new Promise((resolve) => setTimeout(() => resolve(false), 200)),
    ]);
    expect(answered).toBe(false);
    await server.thaw();
    expect(await rawVersion({ port: server.port })).toMatch(VERSION);
    await server.freeze();
    await server.stop();
    expect(server.running).toBe(false);
  });

  it('passes extra arguments to memcached', async () => {
    await expect(startMemcached({ args: ['--no-such-flag'] })).rejects.toThrow(/exited/);
  });
});

/** The status of a SASL PLAIN auth reply (0 = authenticated, 0x20 = refused). */
async function authStatus(server: MemcachedProcess, password: string): Promise<number> {
  const { connect } = await import('node:net');
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, server.host, () => socket.write(saslPlainFrame(SASL_USER, password)));
    socket.once('data', (reply) => {
      socket.destroy();
      resolve(reply.readUInt16BE(6));
    });
    socket.once('error', reject);
  });
}
