// Another process's write, for the near-cache staleness test: stores `value` (flags 0, so a raw
// client reads it as bytes) under `key` with a plain text `set`, prints "stored" and exits.
import { connect } from 'node:net';

const [address, key, value] = process.argv.slice(2);
const at = address.lastIndexOf(':');
const socket = connect(Number(address.slice(at + 1)), address.slice(0, at));
socket.setEncoding('utf8');
socket.write(`set ${key} 0 0 ${Buffer.byteLength(value)}\r\n${value}\r\n`);
let reply = '';
socket.on('data', (chunk) => {
  reply += chunk;
  if (!reply.endsWith('\r\n')) return;
  socket.end();
  if (reply !== 'STORED\r\n') {
    console.error(`memcached replied ${JSON.stringify(reply)}`);
    process.exitCode = 1;
  } else console.log('stored');
});
