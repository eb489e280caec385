import { once } from 'node:events';
import { connect } from 'node:net';
import { Client } from '@dalli/core';
import {
  type MemcachedProcess,
  replyFrame,
  type ScriptedServer,
  startMemcached,
  startScriptedServer,
} from '@dalli/test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DALLI_BIN, runDalli } from '../support/run-dalli.ts';
import { TmuxTerminal } from '../support/tmux.ts';

/** Retitles the window (OSC 0 … BEL) and clears the screen (CSI 2J) if a terminal receives it raw. */
const HOSTILE = 'top\u001b]0;pwned-title\u0007mid\u001b[2Jend';
const HOSTILE_SHOWN = String.raw`top\x1b]0;pwned-title\x07mid\x1b[2Jend`;
const VALUE = `${HOSTILE}\n\tindented`;
const EVIL_KEY = 'evil\u001b]0;pwned-title\u0007\u001b[2J';
/** CSI as one C1 character (U+009B), which JSON leaves as it is, then DEL. */
const C1_AND_DEL = 'a\u009b2Jb\u007f';
// biome-ignore lint/suspicious/noControlCharactersInRegex: what must not reach a terminal raw
const CONTROL_BUT_LINE_FEED = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
const BINARY_STAT = 0x10;
/** memcached's binary "out of memory" status, whose text the client puts in its error message. */
const OUT_OF_MEMORY = 0x82;

let server: MemcachedProcess;
let hostile: ScriptedServer;
let terminal: TmuxTerminal | undefined;

beforeAll(async () => {
  server = await startMemcached();
  const client = new Client(server.address);
  // Stored as its bytes (unserialized), as a program in any language may store it.
  await client.set('hostile', Buffer.from(VALUE), undefined, { raw: true });
  await client.close();
  await storeUnderRawKey(server.address, EVIL_KEY);
  // A server that answers stats with a hostile version and every other request with a hostile error.
  hostile = await startScriptedServer((request, socket) => {
    if (request.opcode !== BINARY_STAT) {
      socket.write(replyFrame({ ...request, status: OUT_OF_MEMORY, value: Buffer.from(HOSTILE) }));
      return;
    }
    socket.write(replyFrame({ ...request, key: 'version', value: Buffer.from(HOSTILE) }));
    socket.write(replyFrame({ ...request, key: 'pid', value: Buffer.from('1') }));
    socket.write(replyFrame({ ...request, key: 'c1_and_del', value: Buffer.from(C1_AND_DEL) }));
    socket.write(replyFrame({ ...request }));
  });
});
afterAll(async () => {
  await hostile.close();
  await server.stop();
});
afterEach(() => {
  terminal?.close();
  terminal = undefined;
});

/**
 * A key with control characters, written over the text protocol (memcached splits its keys on
 * spaces only), as a program other than this client can do.
 */
async function storeUnderRawKey(address: string, key: string): Promise<void> {
  const [host, port] = address.split(':') as [string, string];
  const socket = connect(Number(port), host);
  socket.write(`set ${key} 0 0 1\r\nx\r\n`);
  const [reply] = (await once(socket, 'data')) as [Buffer];
  socket.destroy();
  expect(reply.toString()).toBe('STORED\r\n');
}

/** Runs dalli in a real terminal (tmux) after a marker line, and returns the screen and window title at its end. */
async function onTerminal(args: string): Promise<{ screen: string; title: string }> {
  terminal = new TmuxTerminal();
  terminal.start(`echo marker-before; ${process.execPath} ${DALLI_BIN} ${args}; echo "dalli exited $?"; sleep 60`);
  const screen = await terminal.waitFor((text) => text.includes('dalli exited'));
  return { screen, title: terminal.title() };
}

describe('dalli get: control characters in a cached value', () => {
  it('on a terminal, ESC, BEL and CSI are shown escaped; line breaks and tabs stay readable', async () => {
    const { screen, title } = await onTerminal(`get hostile --servers ${server.address}`);
    expect(title).not.toBe('pwned-title');
    expect(screen).toContain('marker-before');
    expect(screen).toContain(`${HOSTILE_SHOWN}\n        indented\ndalli exited 0`);
  });

  it('piped, the output is the value byte for byte', async () => {
    const { status, stdoutBytes } = await runDalli(['get', 'hostile', '--servers', server.address]);
    expect(status).toBe(0);
    expect(stdoutBytes.equals(Buffer.from(`${VALUE}\n`))).toBe(true);
  });

  it('--raw on a terminal writes the stored bytes as they are (the window title changes)', async () => {
    const { screen, title } = await onTerminal(`get hostile --raw --servers ${server.address}`);
    expect(title).toBe('pwned-title');
    expect(screen).not.toContain('marker-before');
  });
});

describe('dalli keys: control characters in a key name from metadump', () => {
  it('on a terminal, the key is shown escaped', async () => {
    const { screen, title } = await onTerminal(`keys --servers ${server.address}`);
    expect(title).not.toBe('pwned-title');
    expect(screen).toContain('marker-before');
    expect(screen).toMatch(/\s+evil\\x1b\]0;pwned-title\\x07\\x1b\[2J\n/);
  });

  it('piped, the key is written as stored', async () => {
    const { status, stdout } = await runDalli(['keys', '--servers', server.address]);
    expect(status).toBe(0);
    expect(stdout).toContain(`  ${EVIL_KEY}\n`);
  });

  it('--raw on a terminal writes the key as stored (the window title changes)', async () => {
    const { title } = await onTerminal(`keys --raw --servers ${server.address}`);
    expect(title).toBe('pwned-title');
  });
});

describe('dalli stats: control characters from a hostile server', () => {
  it('on a terminal, a stat value is shown escaped', async () => {
    const { screen, title } = await onTerminal(`stats --servers ${hostile.address}`);
    expect(title).not.toBe('pwned-title');
    expect(screen).toContain('marker-before');
    expect(screen).toMatch(new RegExp(`^version\\s+${HOSTILE_SHOWN.replace(/[\\[\]]/g, '\\$&')}$`, 'm'));
  });

  it('--raw on a terminal writes the stat as received (the window title changes)', async () => {
    const { title } = await onTerminal(`stats --raw --servers ${hostile.address}`);
    expect(title).toBe('pwned-title');
  });

  it('--json escapes DEL and C1 controls too (still JSON, the same string once parsed)', async () => {
    const { stdout } = await runDalli(['stats', '--json', '--servers', hostile.address]);
    expect(stdout).not.toMatch(CONTROL_BUT_LINE_FEED);
    const { stats } = JSON.parse(stdout)[hostile.address];
    expect(stats.version).toBe(HOSTILE);
    expect(stats.c1_and_del).toBe(C1_AND_DEL);
  });
});

describe('error lines carry a hostile server’s text escaped, even when piped', () => {
  it('get: the server error is one line on stderr with its control characters escaped', async () => {
    const { status, stderr } = await runDalli(['get', 'k', '--servers', hostile.address]);
    expect(status).toBe(3);
    expect(stderr).toContain(HOSTILE_SHOWN);
    expect(stderr).not.toMatch(CONTROL_BUT_LINE_FEED);
    expect(stderr.split('\n')).toHaveLength(2);
  });

  it('on a terminal, the error line is escaped too', async () => {
    const { screen, title } = await onTerminal(`get k --servers ${hostile.address}`);
    expect(title).not.toBe('pwned-title');
    expect(screen).toContain(HOSTILE_SHOWN);
    expect(screen).toContain('dalli exited 3');
  });
});
