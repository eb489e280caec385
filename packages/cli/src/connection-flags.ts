import { readFileSync } from 'node:fs';
import type { ParseArgsConfig } from 'node:util';
import type { ClientOptions, Discovery, Distribution, Preset, ProtocolName } from '@dalli/core';
import { UsageError } from './exit-codes.ts';
import type { FlagValues as Values } from './flag-values.ts';

type FlagConfig = NonNullable<ParseArgsConfig['options']>;

/** Flags every command accepts: where the cluster is and how to reach it. */
export const connectionFlags: FlagConfig = {
  servers: { type: 'string', short: 's' },
  protocol: { type: 'string' },
  distribution: { type: 'string' },
  namespace: { type: 'string' },
  timeout: { type: 'string' },
  tls: { type: 'boolean' },
  'tls-ca': { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  username: { type: 'string', short: 'u' },
  'password-env': { type: 'string' },
  discovery: { type: 'string' },
  'dns-servers': { type: 'string' },
  preset: { type: 'string' },
};

/** The help text for {@link connectionFlags}. */
export const CONNECTION_HELP = `Connection (every command):
  -s, --servers LIST       host:port[,host:port…]; else MEMCACHE_SERVERS; else 127.0.0.1:11211
  --protocol NAME          binary (default; the only one with SASL), meta (memcached 1.6.18+), text
  --distribution NAME      dalli (default), ketama, libmemcached-consistent, twemproxy, node-memcached, memjs
  --namespace NS           prefix every key with "NS:"
  --timeout SECONDS        connect and reply timeout (default 1)
  --tls                    connect over TLS (system CAs unless --tls-ca)
  --tls-ca FILE            CA certificate (PEM) that signed the servers' certificates; implies --tls
  --tls-cert FILE, --tls-key FILE   client certificate and key (PEM) for mutual TLS; imply --tls
  -u, --username USER      SASL user (binary), or the ASCII login of memcached -Y (meta, text
                           and keys); the password is read from MEMCACHE_PASSWORD
  --password-env VAR       read the SASL password from the variable VAR instead
                           (never from a flag: flags show in the process list)
  --discovery MODE         none (default); config: --servers is one ElastiCache / Memorystore
                           configuration endpoint; dns: each host name is expanded to its addresses;
                           srv: each name's _memcache._tcp SRV records (ports and weights)
  --dns-servers LIST       host:port[,host:port…] asked by --discovery dns or srv (default: the system's)
  --preset serverless      ElastiCache Serverless: one TLS endpoint, meta protocol, no failover`;

/** What the connection flags resolve to: the server list and the client options. */
export interface ConnectionSettings {
  readonly servers: readonly string[];
  readonly options: ClientOptions;
}

/** Reads the connection flags (and the environment) into a server list and client options. */
export function connectionSettings(values: Values, env: NodeJS.ProcessEnv): ConnectionSettings {
  const list = (values.servers as string | undefined) ?? env.MEMCACHE_SERVERS ?? '127.0.0.1:11211';
  const servers = commaList(list);
  if (servers.length === 0) throw new UsageError('--servers names no server');
  return {
    servers,
    options: {
      protocol: values.protocol as ProtocolName | undefined,
      namespace: values.namespace as string | undefined,
      distribution: values.distribution as Distribution | undefined,
      socketTimeout: values.timeout === undefined ? undefined : seconds('--timeout', values.timeout as string),
      tls: tlsOptions(values),
      ...discoveryOptions(values),
      ...credentials(values, env),
    },
  };
}

const DISCOVERY_MODES: readonly Discovery[] = ['none', 'config', 'dns', 'srv'];
const PRESETS: readonly Preset[] = ['serverless'];

/** Where the server list comes from; bad values are usage errors here, before a client exists. */
function discoveryOptions(values: Values): Pick<ClientOptions, 'discovery' | 'dnsServers' | 'preset'> {
  const discovery = choice('--discovery', values.discovery as string | undefined, DISCOVERY_MODES);
  const preset = choice('--preset', values.preset as string | undefined, PRESETS);
  const dns = values['dns-servers'] as string | undefined;
  if (dns === undefined) return { discovery, preset };
  if (discovery !== 'dns' && discovery !== 'srv') throw new UsageError('--dns-servers needs --discovery dns or srv');
  const dnsServers = commaList(dns);
  if (dnsServers.length === 0) throw new UsageError('--dns-servers names no DNS server');
  return { discovery, preset, dnsServers };
}

function commaList(text: string): string[] {
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

function choice<T extends string>(flag: string, text: string | undefined, allowed: readonly T[]): T | undefined {
  if (text === undefined || (allowed as readonly string[]).includes(text)) return text as T | undefined;
  const names = allowed.length === 1 ? allowed[0] : `${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}`;
  throw new UsageError(`${flag} must be ${names} (got "${text}")`);
}

function tlsOptions(values: Values): ClientOptions['tls'] {
  const files = { ca: values['tls-ca'], cert: values['tls-cert'], key: values['tls-key'] };
  const given = Object.entries(files).filter(([, path]) => path !== undefined);
  if (given.length === 0) return values.tls === true ? true : undefined;
  return Object.fromEntries(given.map(([name, path]) => [name, readPem(`--tls-${name}`, path as string)]));
}

function readPem(flag: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`${flag}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/**
 * The SASL login. The password comes only from the environment, never from a flag, since a flag
 * value shows in `ps` to every user of the machine.
 */
function credentials(values: Values, env: NodeJS.ProcessEnv): Pick<ClientOptions, 'username' | 'password'> {
  const username = (values.username as string | undefined) ?? env.MEMCACHE_USERNAME;
  const variable = (values['password-env'] as string | undefined) ?? 'MEMCACHE_PASSWORD';
  if (username === undefined || username === '') {
    if (values['password-env'] !== undefined) throw new UsageError('--password-env needs --username');
    return {};
  }
  const password = env[variable];
  if (password === undefined) throw new UsageError(`--username ${username} needs a password in ${variable}`);
  return { username, password };
}

/** A number of seconds from a flag, finite and not negative. */
export function seconds(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) {
    throw new UsageError(`${flag} must be a number of seconds, 0 or more (got "${text}")`);
  }
  return value;
}
