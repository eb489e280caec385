import { describe, expect, it } from 'vitest';
import { Client, type ClientOptions, InvalidArgumentError } from '../../../src/index.ts';
import { Op } from '../../../src/protocol/command.ts';
import { OutageJournal } from '../../../src/routing/outage-journal.ts';
import { clampExpiration } from '../../../src/routing/ttl-clamp.ts';

const GUTTER = { gutter: { servers: '127.0.0.1:1' } };

function refused(options: ClientOptions): string {
  try {
    new Client('127.0.0.1:2', options);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return (error as Error).message;
  }
  throw new Error('the options were accepted');
}

describe('the routes option', () => {
  it('accepts the proxy’s failover-gutter example, and names every mistake before anything is sent', () => {
    const client = new Client('127.0.0.1:2', {
      pools: GUTTER,
      routes: {
        write: { route: 'failover', children: ['main', { route: 'ttl', ttl: 300, child: 'gutter' }] },
        default: { route: 'failover', children: ['main', 'gutter'] },
      },
    });
    expect(client.routeStats()).toMatchObject({ failovers: 0, journaled: 0 });
    expect(client.servers().map((server) => server.name)).toEqual(['127.0.0.1:2', '127.0.0.1:1']);
    void client.close();
    expect(refused({ pools: GUTTER })).toMatch(/"pools" needs routes/);
    expect(refused({ pools: GUTTER, routes: { write: 'gutters' } })).toMatch(
      /"routes.write" names no pool \("gutters"/,
    );
    expect(refused({ routes: { read: { route: 'failover', children: [] } } })).toMatch(/routes.read.children/);
    expect(
      refused({
        pools: GUTTER,
        routes: { write: { route: 'failover', children: ['main', { route: 'ttl', ttl: 0, child: 'gutter' }] } },
      }),
    ).toMatch(/routes.write.children\[1\].ttl" must be seconds/);
    expect(refused({ routes: { reads: 'main' } })).toMatch(/"routes.reads" is not a kind/);
    expect(refused({ routes: { read: { route: 'mirror' } as never } })).toMatch(/routes.read.route" must be failover/);
    expect(refused({ pools: { main: { servers: '127.0.0.1:1' } }, routes: {} })).toMatch(/'main' is the client's own/);
    expect(refused({ pools: { x: { servers: [] } }, routes: { read: 'x' } })).toMatch(/pools.x".servers/);
    expect(
      refused({ pools: GUTTER, routes: { read: { route: 'shadow', child: 'main', shadow: 'gutter', rate: 2 } } }),
    ).toMatch(/rate" must be a share/);
    expect(
      refused({ pools: GUTTER, routes: { read: { route: 'zoneFailover', children: ['gutter'], local: 'a' } } }),
    ).toMatch(/which has no zone/);
    expect(refused({ routes: { read: { route: 'warmUp', child: 'main', from: 'main' } } })).toMatch(/another pool/);
  });
});

describe('clampExpiration', () => {
  const now = 1_800_000_000;
  const set = (expiration: number | undefined) => ({ op: Op.set, key: 'k', expiration });

  it('bounds never, longer TTLs and later Unix times to the clamp, and keeps shorter ones', () => {
    expect(clampExpiration(set(0), 300, now).expiration).toBe(300);
    expect(clampExpiration(set(3600), 300, now).expiration).toBe(300);
    expect(clampExpiration(set(60), 300, now).expiration).toBe(60);
    expect(clampExpiration(set(now + 3600), 300, now).expiration).toBe(300);
    expect(clampExpiration(set(now + 100), 300, now).expiration).toBe(now + 100);
    const append = { op: Op.append, key: 'k', value: 'x' };
    expect(clampExpiration(append, 300, now)).toBe(append);
  });
});

describe('OutageJournal', () => {
  it('holds at most its bound, dropping the oldest, and a key recorded again is stale anew', () => {
    const journal = new OutageJournal(2);
    expect(journal.record('a', 's1')).toBe(false);
    expect(journal.record('b', 's1')).toBe(false);
    (journal.get('a') as { invalidated: boolean }).invalidated = true;
    expect(journal.record('a', 's1')).toBe(false);
    expect(journal.get('a')?.invalidated).toBe(false);
    expect(journal.record('c', 's2')).toBe(true);
    expect(journal.get('b')).toBeUndefined();
    expect(journal.size).toBe(2);
  });
});
