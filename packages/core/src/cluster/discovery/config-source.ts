import type { ConnectionOptions as TlsOptions } from 'node:tls';
import { textQuery } from '../../transport/text-query.ts';
import type { ServerEntry } from '../server-string.ts';
import {
  CONFIG_GET_CLUSTER,
  configReplyComplete,
  decodeConfigReply,
  isUnknownCommand,
  LEGACY_GET_CLUSTER,
  nodeServerString,
} from './config-reply.ts';
import type { DiscoveryAnswer, DiscoverySource } from './discovery-loop.ts';

/** A cluster config reply is a few lines per node; anything this large is not one. */
const MAX_REPLY_BYTES = 1024 * 1024;

/**
 * An ElastiCache / Memorystore configuration endpoint. Asks `config get cluster` in the text
 * protocol on its own short connection, whatever dialect the data connections speak (as AWS's
 * clients do), falling back to the legacy `get AmazonElastiCache:cluster` for engines older than
 * 1.4.14; yields the node list only when its version is higher than the last one applied.
 */
export class ConfigSource implements DiscoverySource {
  readonly kind = 'config';
  readonly target: string;
  readonly #endpoint: ServerEntry;
  readonly #tls: TlsOptions | undefined;
  readonly #timeout: number;
  readonly #maxNodes: number;
  #version = -1;
  #legacy = false;

  constructor(endpoint: ServerEntry, tls: TlsOptions | undefined, timeoutMs: number, maxNodes: number) {
    this.target = endpoint.name;
    this.#endpoint = endpoint;
    this.#tls = tls;
    this.#timeout = timeoutMs;
    this.#maxNodes = maxNodes;
  }

  async read(): Promise<DiscoveryAnswer | undefined> {
    let reply = await this.#ask(this.#legacy ? LEGACY_GET_CLUSTER : CONFIG_GET_CLUSTER);
    if (!this.#legacy && isUnknownCommand(reply)) {
      this.#legacy = true;
      reply = await this.#ask(LEGACY_GET_CLUSTER);
    }
    // Refused past maxNodes before its version is taken: the next read asks again.
    const config = decodeConfigReply(reply, this.target, this.#maxNodes);
    if (config.version <= this.#version) return undefined;
    const servers = config.nodes.map(nodeServerString);
    this.#version = config.version;
    return { servers, problems: [] };
  }

  #ask(command: string): Promise<string> {
    const query = {
      server: this.target,
      address: this.#endpoint.address,
      tls: this.#tls,
      timeout: this.#timeout,
      maxBytes: MAX_REPLY_BYTES,
      operation: command.trimEnd(),
      complete: configReplyComplete,
    };
    return textQuery(query, command);
  }
}
