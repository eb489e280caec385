import { describe, expect, it } from 'vitest';
import { Op } from '../../../src/protocol/command.ts';
import { proxies, proxyRefusal } from '../../../src/protocol/proxies.ts';
import { textProtocol } from '../../../src/protocol/text/text-protocol.ts';

const allOps = Object.values(Op);

describe('proxies', () => {
  it('twemproxy refuses exactly the commands nutcracker 0.5.0 hangs up on: stats, flush_all, gat, gats', () => {
    const refused = allOps.filter((op) => proxyRefusal('twemproxy', op) !== undefined);
    expect(refused.sort()).toEqual([Op.gat, Op.flush, Op.stats, Op.gats].sort());
    expect(proxyRefusal('twemproxy', Op.stats)).toBe(
      'twemproxy (nutcracker) does not support this command: it would close the connection on it',
    );
  });

  it('refuses nothing without a proxy', () => {
    expect(allOps.filter((op) => proxyRefusal(undefined, op) !== undefined)).toEqual([]);
  });

  it("says 'not in its dialect' of exactly the commands text has no request for", () => {
    const encodes = (op: Op): boolean => {
      const command = { op, key: 'k', value: 'v' };
      try {
        textProtocol.encode(command, 0, Buffer.alloc(textProtocol.encodeBound(command)), 0);
        return true;
      } catch {
        return false;
      }
    };
    expect(proxies.twemproxy.protocol).toBe(textProtocol.name);
    const handles = proxies.twemproxy.handles;
    expect(allOps.filter((op) => handles[op] === 'not in its dialect')).toEqual(allOps.filter((op) => !encodes(op)));
  });
});
