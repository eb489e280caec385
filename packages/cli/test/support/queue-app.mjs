// An application as `dalli top --metrics-url` watches one: its own @dalli/core client over the
// servers given, and @dalli/otel's in-app Prometheus handler at /metrics on a free loopback port
// (its URL printed first). Lines on stdin drive it: `connect` reads one key per server (so each
// has a connection), `hold SERVER N` issues N reads of keys the ring puts on SERVER without
// awaiting them (a frozen server keeps them queued). Closing stdin closes everything.
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import { Client } from '@dalli/core';
import { prometheusHandler } from '@dalli/otel/prometheus';

const servers = process.argv.slice(2);
const client = new Client(servers, { failover: false, socketTimeout: 30 });
const metrics = prometheusHandler(client);
const http = createServer((request, response) => {
  if (request.url === '/metrics') metrics(request, response);
  else response.writeHead(404).end();
});
http.listen(0, '127.0.0.1', () => console.log(`http://127.0.0.1:${http.address().port}/metrics`));

/** `count` keys the client's ring puts on `server`. */
function keysOn(server, count) {
  const keys = [];
  for (let i = 0; keys.length < count; i++) if (client.locate(`q:${i}`).server === server) keys.push(`q:${i}`);
  return keys;
}

const held = [];
const lines = createInterface({ input: process.stdin });
lines.on('line', async (line) => {
  const [command, server, count] = line.split(' ');
  if (command === 'connect') {
    await client.getMulti(servers.map((name) => keysOn(name, 1)[0]));
    console.log('connected');
  } else if (command === 'hold') {
    for (const key of keysOn(server, Number(count))) held.push(client.get(key).catch(() => undefined));
    console.log('held');
  }
});
lines.on('close', async () => {
  await Promise.all(held);
  metrics.stop();
  http.close();
  await client.close();
});
