import { DiscoveryLimitError, ProtocolError } from '../../errors.ts';

/** One node of a `config get cluster` reply: `hostname|ip|port`. */
export interface ConfigNode {
  /** The node's DNS name; ElastiCache TLS names may begin with a digit. May be empty (then `ip` is used). */
  readonly host: string;
  /** The node's IP address; may be empty (then `host` is used). */
  readonly ip: string;
  readonly port: number;
}

/** A cluster configuration: the version the endpoint gives it, and its nodes in the endpoint's order. */
export interface ClusterConfig {
  readonly version: number;
  readonly nodes: readonly ConfigNode[];
}

/** The command every ElastiCache / Memorystore discovery endpoint answers (memcached 1.4.14+ engines). */
export const CONFIG_GET_CLUSTER = 'config get cluster\r\n';
/** What endpoints older than ElastiCache engine 1.4.14 answer instead. */
export const LEGACY_GET_CLUSTER = 'get AmazonElastiCache:cluster\r\n';

// AWS: "CONFIG cluster 0 147\r\n12\nhost|ip|port host|ip|port\n\r\nEND\r\n"; the legacy form is a
// plain VALUE reply for the key AmazonElastiCache:cluster with the same body.
const HEADER = /^(?:CONFIG cluster|VALUE AmazonElastiCache:cluster) \d+ (\d+)\r\n/;
const NODE = /^([A-Za-z0-9._-]*)\|([0-9A-Fa-f.:]*)\|(\d{1,5})$/;

/** Whether `reply` holds a complete answer (or an error line) yet. */
export function configReplyComplete(reply: string): boolean {
  return reply.endsWith('END\r\n') || /(?:^|\n)(?:ERROR|CLIENT_ERROR[^\n]*|SERVER_ERROR[^\n]*)\r\n$/.test(reply);
}

/** Whether the endpoint does not know `config get cluster` (answer `ERROR`): ask the legacy key. */
export function isUnknownCommand(reply: string): boolean {
  return reply === 'ERROR\r\n';
}

/**
 * Parses a configuration endpoint's reply. Anything but the documented shape (a header whose
 * length matches the body, a numeric version, at least one well-formed node, then END) is a
 * {@link ProtocolError}, and more than `maxNodes` nodes a {@link DiscoveryLimitError}, counted
 * before any node is parsed: the caller keeps its last good list.
 */
export function decodeConfigReply(
  reply: string,
  endpoint: string,
  maxNodes: number = Number.POSITIVE_INFINITY,
): ClusterConfig {
  const fail = (why: string): never => {
    throw new ProtocolError(`configuration endpoint: ${why}`, {
      server: endpoint,
      operation: 'config get cluster',
    });
  };
  const header = HEADER.exec(reply) ?? fail(`unexpected reply ${JSON.stringify(reply.slice(0, 60))}`);
  const length = Number(header[1]);
  const start = header[0].length;
  const body = Buffer.from(reply.slice(start), 'latin1');
  if (body.length !== length + '\r\nEND\r\n'.length || !reply.endsWith('\r\nEND\r\n')) {
    fail(`reply length does not match its header (${length} bytes announced)`);
  }
  const lines = reply.slice(start, reply.length - '\r\nEND\r\n'.length).split('\n');
  const version = lines[0] ?? '';
  if (!/^\d{1,15}$/.test(version)) fail('the version line is not a number');
  const entries = (lines[1] ?? '')
    .trim()
    .split(' ')
    .filter((entry) => entry !== '');
  if (entries.length === 0) fail('the reply lists no node');
  if (entries.length > maxNodes) {
    throw new DiscoveryLimitError(entries.length, maxNodes, { server: endpoint, operation: 'config get cluster' });
  }
  const nodes = entries.map((entry) => {
    const match = NODE.exec(entry);
    const port = Number(match?.[3]);
    if (match === null || (match[1] === '' && match[2] === '') || port < 1 || port > 65_535) {
      return fail(`malformed node entry ${JSON.stringify(entry.slice(0, 80))}`);
    }
    return { host: match[1] as string, ip: match[2] as string, port };
  });
  return { version: Number(version), nodes };
}

/**
 * The server string for a node: its hostname when there is one (TLS certificates name hosts, and
 * the name stays stable when a replaced node gets a new IP), else its IP.
 */
export function nodeServerString(node: ConfigNode): string {
  if (node.host !== '') return `${node.host}:${node.port}`;
  return node.ip.includes(':') ? `[${node.ip}]:${node.port}` : `${node.ip}:${node.port}`;
}
