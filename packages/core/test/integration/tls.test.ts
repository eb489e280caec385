import { type MemcachedProcess, SASL_PASSWORD, SASL_USER, startMemcached, type TlsFiles } from '@dalli/test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuthError, Client, type ClientOptions, ConnectionError, type ProtocolName } from '../../src/index.ts';
import { DIALECTS } from '../support/dialects.ts';

let tls: MemcachedProcess;
let files: TlsFiles;
const clients: Client[] = [];

beforeAll(async () => {
  tls = await startMemcached({ kind: 'tls' });
  files = tls.tls as TlsFiles;
});
afterAll(() => tls.stop());
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

function client(servers: string, options: ClientOptions, protocol: ProtocolName = 'binary'): Client {
  const made = new Client(servers, { protocol, ...options });
  clients.push(made);
  return made;
}

// A long timeout proves the failures below are fast: they are not timeouts.
const patient = { socketTimeout: 10, socketMaxFailures: 1 };

describe.each(DIALECTS)('TLS in the %s protocol', (protocol) => {
  it('talks to a TLS server, verifying its certificate against the given CA', async () => {
    const cache = client(tls.address, { tls: { ca: files.ca, servername: 'localhost' } }, protocol);
    expect(await cache.set('tls:k', 'secret value')).toBe(true);
    expect(await cache.get('tls:k')).toBe('secret value');
    expect((await cache.version())[tls.address]).toMatch(/^\d+\./);
  });

  it('fails fast with a clear ConnectionError when the certificate does not verify', async () => {
    const cache = client(
      tls.address,
      { ...patient, tls: { ca: files.strangerCert, servername: 'localhost' } },
      protocol,
    );
    const error = await cache.get('k').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toMatch(/TLS handshake failed: .*(self[- ]signed|unable to (get|verify))/i);
  });

  it('fails fast when the server name does not match the certificate', async () => {
    const cache = client(tls.address, { ...patient, tls: { ca: files.ca, servername: 'not-this-host' } }, protocol);
    const error = await cache.get('k').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toMatch(/TLS handshake failed: .*not-this-host/);
  });

  it('fails fast, naming the likely cause, when TLS meets a plain port', async () => {
    const plain = await startMemcached();
    const cache = client(plain.address, { ...patient, tls: { ca: files.ca, servername: 'localhost' } }, protocol);
    const error = await cache.get('k').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toMatch(/TLS handshake failed \(is this a plain, non-TLS port\?\)/);
    await plain.stop();
  });

  it('fails fast, naming the likely cause, when a plain client meets a TLS port', async () => {
    const cache = client(tls.address, patient, protocol);
    const error = await cache.get('k').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toMatch(/if the server requires TLS, set the tls option/);
  });
});

describe.each(DIALECTS)('mutual TLS in the %s protocol', (protocol) => {
  let mutual: MemcachedProcess;
  beforeAll(async () => {
    mutual = await startMemcached({ kind: 'tls', mutualTls: true });
  });
  afterAll(() => mutual.stop());

  it('connects with a client certificate signed by the CA the server trusts', async () => {
    const cache = client(
      mutual.address,
      {
        tls: { ca: files.ca, servername: 'localhost', cert: files.clientCert, key: files.clientKey },
      },
      protocol,
    );
    expect(await cache.set('mtls:k', 1)).toBe(true);
    expect(await cache.get('mtls:k')).toBe(1);
  });

  it('is refused, quickly and clearly, without a client certificate or with a stranger one', async () => {
    const bare = client(mutual.address, { ...patient, tls: { ca: files.ca, servername: 'localhost' } }, protocol);
    const error = await bare.get('k').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toMatch(/the server wants a client certificate: set tls.cert and tls.key/);
    const stranger = client(
      mutual.address,
      {
        ...patient,
        tls: { ca: files.ca, servername: 'localhost', cert: files.strangerCert, key: files.strangerKey },
      },
      protocol,
    );
    await expect(stranger.get('k')).rejects.toBeInstanceOf(ConnectionError);
  });
});

// SASL is a binary-protocol login (meta and text log in with -Y's ASCII set; see ascii-auth.test.ts).
describe('TLS with SASL', () => {
  let both: MemcachedProcess;
  beforeAll(async () => {
    both = await startMemcached({ kind: 'tls+sasl' });
  });
  afterAll(() => both.stop());

  it('authenticates over TLS', async () => {
    const cache = client(both.address, {
      tls: { ca: files.ca, servername: 'localhost' },
      username: SASL_USER,
      password: SASL_PASSWORD,
    });
    expect(await cache.set('both:k', 'ok')).toBe(true);
    expect(await cache.get('both:k')).toBe('ok');
  });

  it('refuses a wrong password over TLS with an AuthError', async () => {
    const cache = client(both.address, {
      tls: { ca: files.ca, servername: 'localhost' },
      username: SASL_USER,
      password: 'wrong',
    });
    await expect(cache.get('k')).rejects.toBeInstanceOf(AuthError);
  });
});

describe.each(DIALECTS)('Unix sockets in the %s protocol', (protocol) => {
  it('connects to socket paths, weighted, alongside TCP servers', async () => {
    const [a, b] = await Promise.all([startMemcached({ kind: 'unix' }), startMemcached({ kind: 'unix' })]);
    const cache = client(`${a.address}:2,${b.address}`, {}, protocol);
    const keys = Array.from({ length: 300 }, (_, i) => `unix:${i}`);
    await cache.setMulti(keys.map((key) => [key, key] as const));
    expect((await cache.getMulti(keys)).size).toBe(300);
    const onA = keys.filter((key) => cache.locate(key).server === a.address).length;
    expect(onA).toBeGreaterThan(150);
    expect(Object.keys(await cache.stats())).toEqual([a.address, b.address]);
    await Promise.all([a.stop(), b.stop()]);
  });
});
