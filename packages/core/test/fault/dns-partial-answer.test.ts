import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Client, ConnectionError, type DiscoveryErrorMessage } from '../../src/index.ts';
import { ClusterEvents } from '../support/cluster-events.ts';
import { ScriptedDnsServer } from '../support/scripted-dns-server.ts';

// Nothing connects: these tests read the server list discovery builds, not the servers.
const NAME = 'memcached.cache.test';
const PORT = 11211;
let dns: ScriptedDnsServer;
let made: { client: Client; events: ClusterEvents } | undefined;

beforeAll(async () => {
  dns = await ScriptedDnsServer.start();
});
afterAll(() => dns.close());
afterEach(async () => {
  made?.events.stop();
  await made?.client.close();
  made = undefined;
});

function discovering(): { client: Client; events: ClusterEvents } {
  made = ClusterEvents.around(
    () =>
      new Client(`${NAME}:${PORT}`, {
        discovery: 'dns',
        discoveryInterval: 0.05,
        dnsServers: [dns.address],
        socketTimeout: 0.2,
      }),
  );
  return made;
}

const names = (client: Client): string[] => client.servers().map((state) => state.name);

/**
 * Waits (bounded) for a report, after those already seen, that `matches`: a read already under way
 * when the script changed may still report the old answers.
 */
async function reportSeen(
  events: ClusterEvents,
  matches: (message: DiscoveryErrorMessage) => boolean,
): Promise<DiscoveryErrorMessage> {
  const from = events.errors.length;
  await expect.poll(() => events.errors.slice(from).some(matches), { timeout: 5_000, interval: 10 }).toBe(true);
  return events.errors.slice(from).find(matches) as DiscoveryErrorMessage;
}

describe("discovery: 'dns' when one of the A and AAAA queries fails", () => {
  it('uses the A records when the AAAA query gets SERVFAIL, and reports the failure as applied', async () => {
    dns.answers.A = ['127.0.0.1', '127.0.0.2'];
    dns.answers.AAAA = 'SERVFAIL';
    const { client, events } = discovering();
    await events.changesSeen(1);
    expect(names(client)).toEqual([`127.0.0.1:${PORT}`, `127.0.0.2:${PORT}`]);
    const reported = await events.errorsSeen(1);
    expect(reported).toMatchObject({ source: 'dns', applied: true });
    expect(reported.error).toBeInstanceOf(ConnectionError);
    expect(reported.error.message).toMatch(/the AAAA query for memcached\.cache\.test failed .*SERVFAIL/);
  });

  it("keeps a failing family's last good addresses, so a passing failure moves no key", async () => {
    dns.answers.A = ['127.0.0.1'];
    dns.answers.AAAA = ['::1'];
    const { client, events } = discovering();
    await events.changesSeen(1);
    const both = names(client);
    expect(both).toHaveLength(2);

    dns.answers.AAAA = 'SERVFAIL';
    await reportSeen(events, (message) => message.applied && message.error.message.includes('the AAAA query'));
    expect(names(client)).toEqual(both);
    dns.answers.A = 'REFUSED';
    dns.answers.AAAA = ['::1'];
    await reportSeen(events, (message) => message.applied && message.error.message.includes('the A query'));
    expect(names(client)).toEqual(both);
    expect(events.changes).toHaveLength(1);

    // A family that answers again is followed: its new addresses replace the remembered ones.
    dns.answers.A = ['127.0.0.3'];
    await events.changesSeen(2);
    expect(names(client)).toContain(`127.0.0.3:${PORT}`);
  });

  it('fails the read, keeping the last good list, only when both queries fail', async () => {
    dns.answers.A = ['127.0.0.1'];
    dns.answers.AAAA = [];
    const { client, events } = discovering();
    await events.changesSeen(1);
    dns.answers.A = 'SERVFAIL';
    dns.answers.AAAA = 'REFUSED';
    const failed = await reportSeen(events, (message) => !message.applied);
    expect(failed.error.message).toMatch(
      /resolving memcached\.cache\.test failed \(queryA .*SERVFAIL.*; queryAaaa .*REFUSED/,
    );
    expect(failed.error.cause).toBeInstanceOf(AggregateError);
    expect(names(client)).toEqual([`127.0.0.1:${PORT}`]);
  });
});
