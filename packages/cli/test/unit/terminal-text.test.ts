import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { errorLine } from '../../src/exit-codes.ts';
import { json } from '../../src/format/table.ts';
import { escapeControls, escapeControlsKeepingLayout, screenText } from '../../src/format/terminal-text.ts';
import type { Io } from '../../src/io.ts';
import { renderRows } from '../../src/top-screen.ts';

const io = (isTTY: boolean): Io => {
  const stdout = Object.assign(new PassThrough(), { isTTY });
  return { stdout, stderr: new PassThrough(), stdin: new PassThrough(), env: {} };
};

describe('control characters on the way to a terminal', () => {
  it('escapes every C0 control, DEL and every C1 control as \\xHH, and nothing else', () => {
    expect(escapeControls('a\u0000\u0007\u001b[2J\r\n\t\u007f\u0080\u009b\u009fz')).toBe(
      String.raw`a\x00\x07\x1b[2J\x0d\x0a\x09\x7f\x80\x9b\x9fz`,
    );
    expect(escapeControls('héllo ü 日本 \\x1b ~')).toBe('héllo ü 日本 \\x1b ~');
  });

  it('keeps line feeds and tabs for a value shown on its own, and escapes carriage returns', () => {
    expect(escapeControlsKeepingLayout('line 1\r\n\tline 2\u001b]0;t\u0007')).toBe(
      'line 1\\x0d\n\tline 2\\x1b]0;t\\x07',
    );
  });

  it('escapes on a terminal, and leaves text as it is when piped or with --raw', () => {
    expect(screenText(io(true), false, escapeControls)('\u001b')).toBe('\\x1b');
    expect(screenText(io(false), false, escapeControls)('\u001b')).toBe('\u001b');
    expect(screenText(io(true), true, escapeControls)('\u001b')).toBe('\u001b');
  });

  it('error lines are escaped always, and stay one line', () => {
    expect(errorLine(new Error('SERVER_ERROR \u001b]0;t\u0007\nbusy\u009b2J'))).toBe(
      'dalli: SERVER_ERROR \\x1b]0;t\\x07 busy\\x9b2J\n',
    );
  });

  it('--json escapes DEL and C1 controls as \\u00HH, which parse back to the same string', () => {
    const value = { s: 'a\u001b\u007f\u009bz' };
    const text = json(value, 0);
    expect(text).toBe(`${String.raw`{"s":"a\u001b\u007f\u009bz"}`}\n`);
    expect(JSON.parse(text)).toEqual(value);
  });

  it("top shows a down server's error escaped, its own colours intact", () => {
    const screen = renderRows([{ name: '127.0.0.1:1', queued: 0, up: false, error: 'SERVER_ERROR \u001b[2J' }], true);
    expect(screen).toContain(String.raw`127.0.0.1:1 down: SERVER_ERROR \x1b[2J`);
    expect(screen).toContain('\u001b[31m');
  });
});
