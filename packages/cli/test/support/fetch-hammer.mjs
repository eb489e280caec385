// Another process hammering one key, for `dalli top --keys`: text gets of `hot` (one in `every`)
// and of distinct cold keys, `count` in all, then "done". Raw text over one socket: this process
// is an app the operator does not touch.
import { connect } from 'node:net';

const [address, hot, every, count] = process.argv.slice(2);
const at = address.lastIndexOf(':');
const socket = connect(Number(address.slice(at + 1)), address.slice(0, at));
let pending = 0;
let sent = 0;
socket.setEncoding('latin1');
socket.on('data', (chunk) => {
  pending -= chunk.split('END\r\n').length - 1;
  if (pending === 0) send();
});
function send() {
  if (sent >= Number(count)) {
    console.log('done');
    socket.end();
    return;
  }
  let batch = '';
  for (let i = 0; i < 100; i++, sent++) batch += `get ${sent % Number(every) === 0 ? hot : `cold:${sent}`}\r\n`;
  pending = 100;
  socket.write(batch);
}
socket.on('connect', send);
