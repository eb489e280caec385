import { describe, expect, it } from 'vitest';
import {
  configReplyComplete,
  decodeConfigReply,
  isUnknownCommand,
  nodeServerString,
} from '../../../src/cluster/discovery/config-reply.ts';
import { DiscoveryLimitError, ProtocolError } from '../../../src/errors.ts';

const NODES =
  'myCluster.pc4ldq.0001.use1.cache.amazonaws.com|10.82.235.120|11211 myCluster.pc4ldq.0002.use1.cache.amazonaws.com|10.80.249.27|11211';
const BODY = `12\n${NODES}\n`;

/** The documented shape: header with the body's byte length, version line, node line, blank line, END. */
const reply = (body = BODY, header = 'CONFIG cluster 0'): string =>
  `${header} ${Buffer.byteLength(body)}\r\n${body}\r\nEND\r\n`;

describe('decodeConfigReply', () => {
  it('reads the version and the nodes of the AWS documentation example', () => {
    expect(decodeConfigReply(reply(), 'cfg:11211')).toEqual({
      version: 12,
      nodes: [
        { host: 'myCluster.pc4ldq.0001.use1.cache.amazonaws.com', ip: '10.82.235.120', port: 11211 },
        { host: 'myCluster.pc4ldq.0002.use1.cache.amazonaws.com', ip: '10.80.249.27', port: 11211 },
      ],
    });
  });

  it('refuses a reply listing more nodes than maxNodes, counted before any node is parsed', () => {
    expect(decodeConfigReply(reply(), 'cfg:11211', 2).nodes).toHaveLength(2);
    // The second entry is malformed: the count refuses the reply before the parser would see it.
    const error = (() => {
      try {
        decodeConfigReply(reply(`12\nhost|10.0.0.1|11211 not-a-node\n`), 'cfg:11211', 1);
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(DiscoveryLimitError);
    expect(error).toMatchObject({ code: 'ERR_DALLI_DISCOVERY_LIMIT', nodes: 2, limit: 1, server: 'cfg:11211' });
  });

  it('reads the legacy get AmazonElastiCache:cluster reply the same way', () => {
    expect(decodeConfigReply(reply(BODY, 'VALUE AmazonElastiCache:cluster 0'), 'cfg:11211').version).toBe(12);
  });

  it('keeps an entry with only an IP, or only a host name', () => {
    const body = '3\n|10.0.0.1|11211 node-b.example|  |11212\n';
    expect(() => decodeConfigReply(reply(body), 'cfg')).toThrow(ProtocolError);
    const valid = '3\n|10.0.0.1|11211 node-b.example||11212\n';
    expect(decodeConfigReply(reply(valid), 'cfg').nodes).toEqual([
      { host: '', ip: '10.0.0.1', port: 11211 },
      { host: 'node-b.example', ip: '', port: 11212 },
    ]);
  });

  it.each([
    ['an error line', 'ERROR\r\n'],
    ['a truncated reply', reply().slice(0, 60)],
    ['a length that does not match the body', `CONFIG cluster 0 5\r\n${BODY}\r\nEND\r\n`],
    ['a version that is not a number', reply(`v12\n${NODES}\n`)],
    ['no node', reply('12\n\n')],
    ['a node without a port', reply('12\nhost|10.0.0.1|\n')],
    ['a port out of range', reply('12\nhost|10.0.0.1|70000\n')],
    ['a node with neither host nor IP', reply('12\n||11211\n')],
    ['a host name with a space or a shell character', reply('12\nho$t|10.0.0.1|11211\n')],
    ['random bytes', '\u0000\u00ff garbage \r\nEND\r\n'],
    ['a reply for another key', reply(BODY, 'VALUE other 0')],
  ])('rejects %s with a ProtocolError naming the endpoint', (_name, bytes) => {
    expect(() => decodeConfigReply(bytes, 'cfg.example:11211')).toThrow(ProtocolError);
    expect(() => decodeConfigReply(bytes, 'cfg.example:11211')).toThrow(
      /config get cluster on cfg\.example:11211: configuration endpoint/,
    );
  });
});

describe('nodeServerString', () => {
  it('prefers the host name, so TLS checks it and a node keeps its ring place when its IP changes', () => {
    expect(nodeServerString({ host: 'node-1.cache.local', ip: '10.0.0.1', port: 11211 })).toBe(
      'node-1.cache.local:11211',
    );
  });

  it('keeps an ElastiCache TLS host name that begins with a digit as a host name', () => {
    const host = '1a2b3c.serverless.use1.cache.amazonaws.com';
    expect(nodeServerString({ host, ip: '10.0.0.9', port: 11211 })).toBe(`${host}:11211`);
  });

  it('falls back to the IP, bracketing IPv6', () => {
    expect(nodeServerString({ host: '', ip: '10.0.0.1', port: 11211 })).toBe('10.0.0.1:11211');
    expect(nodeServerString({ host: '', ip: 'fd00::1', port: 11211 })).toBe('[fd00::1]:11211');
  });
});

describe('configReplyComplete / isUnknownCommand', () => {
  it('sees a reply as whole only at END or an error line', () => {
    const whole = reply();
    for (let cut = 1; cut < whole.length; cut++) expect(configReplyComplete(whole.slice(0, cut))).toBe(false);
    expect(configReplyComplete(whole)).toBe(true);
    expect(configReplyComplete('ERROR\r\n')).toBe(true);
    expect(configReplyComplete('SERVER_ERROR out of memory\r\n')).toBe(true);
  });

  it('takes a bare ERROR as an engine without config get cluster', () => {
    expect(isUnknownCommand('ERROR\r\n')).toBe(true);
    expect(isUnknownCommand(reply())).toBe(false);
  });
});
