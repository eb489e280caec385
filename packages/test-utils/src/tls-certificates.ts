import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from './run-command.ts';
import { RUN_FOLDER_VARIABLE, scratchDir } from './scratch-dir.ts';

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

/**
 * The certificates: those a test run made once for all its workers (see `beginTestRun`), or else
 * made now, once per process, in a scratch directory removed when the process exits.
 */
export function tlsFiles(): TlsFiles {
  if (cached !== undefined) return cached;
  const runFolder = process.env[RUN_FOLDER_VARIABLE];
  const shared = runFolder ? join(runFolder, 'tls') : undefined;
  if (shared !== undefined && existsSync(join(shared, DONE))) cached = readTlsFiles(shared);
  else cached = writeTlsFiles(scratchDir('tls'));
  return cached;
}

/** Marks a directory whose certificates are all written, so a reader never sees half of them. */
const DONE = 'complete';

/** Generates the certificates into `dir` (created if missing) with the openssl command. */
export function writeTlsFiles(dir: string): TlsFiles {
  mkdirSync(dir, { recursive: true });
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
  writeFileSync(file(DONE), '');
  return readTlsFiles(dir);
}

function readTlsFiles(dir: string): TlsFiles {
  const file = (name: string): string => join(dir, name);
  const read = (name: string): string => readFileSync(file(name), 'utf8');
  return {
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
}
