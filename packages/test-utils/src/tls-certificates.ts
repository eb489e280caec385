import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from './run-command.ts';
import { scratchDir } from './scratch-dir.ts';

/** PEM files of a throwaway CA, a server certificate for localhost/127.0.0.1 and a client certificate. */
export interface TlsFiles {
  readonly dir: string;
  readonly caCertFile: string;
  readonly serverCertFile: string;
  readonly serverKeyFile: string;
  /** PEM text, ready for Node's `tls.connect` options. */
  readonly ca: string;
  readonly clientCert: string;
  readonly clientKey: string;
  /** A certificate from an unrelated CA: a server or client presenting it must be refused. */
  readonly strangerCert: string;
  readonly strangerKey: string;
}

let cached: TlsFiles | undefined;

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** Generates the certificates once per process with the openssl command. */
export function tlsFiles(): TlsFiles {
  if (cached !== undefined) return cached;
  const dir = scratchDir('tls');
  const file = (name: string): string => join(dir, name);
  const selfSigned = (name: string, cn: string): void =>
    runCommand('openssl', [
      'req',
      '-x509',
      ...EC_KEY,
      '-keyout',
      file(`${name}.key`),
      '-out',
      file(`${name}.crt`),
      '-days',
      '2',
      '-subj',
      `/CN=${cn}`,
    ]);
  const signedByCa = (name: string, cn: string, extensions: string): void => {
    writeFileSync(file(`${name}.ext`), extensions);
    runCommand('openssl', [
      'req',
      ...EC_KEY,
      '-keyout',
      file(`${name}.key`),
      '-out',
      file(`${name}.csr`),
      '-subj',
      `/CN=${cn}`,
    ]);
    runCommand('openssl', [
      'x509',
      '-req',
      '-in',
      file(`${name}.csr`),
      '-CA',
      file('ca.crt'),
      '-CAkey',
      file('ca.key'),
      '-CAcreateserial',
      '-out',
      file(`${name}.crt`),
      '-days',
      '2',
      '-extfile',
      file(`${name}.ext`),
    ]);
  };
  selfSigned('ca', 'dalli-test-ca');
  selfSigned('stranger', 'dalli-test-stranger');
  signedByCa(
    'server',
    'localhost',
    'subjectAltName=DNS:localhost,DNS:1a2b3c.cache.test,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n',
  );
  signedByCa('client', 'dalli-test-client', 'extendedKeyUsage=clientAuth\n');
  const read = (name: string): string => readFileSync(file(name), 'utf8');
  cached = {
    dir,
    caCertFile: file('ca.crt'),
    serverCertFile: file('server.crt'),
    serverKeyFile: file('server.key'),
    ca: read('ca.crt'),
    clientCert: read('client.crt'),
    clientKey: read('client.key'),
    strangerCert: read('stranger.crt'),
    strangerKey: read('stranger.key'),
  };
  return cached;
}
