import { ExitCode } from './exit-codes.ts';
import type { Io } from './io.ts';

const ALTERNATE_SCREEN = '\u001b[?1049h\u001b[?25l';
const MAIN_SCREEN = '\u001b[?25h\u001b[?1049l';
const HOME_AND_CLEAR = '\u001b[H\u001b[2J';
const QUIT_KEYS = new Set(['q', 'Q', '\u0003']); // \u0003: Ctrl-C, which raw mode delivers as a byte

/**
 * The live view: redraws what `render` gives on the terminal's alternate screen, waiting
 * `waitMs` between two renders, until `q` or Ctrl-C (or SIGINT/SIGTERM), then gives the terminal
 * back as it was. `render(true)` is the first screen.
 */
export async function runLive(
  io: Io,
  render: (first: boolean) => Promise<string>,
  waitMs: number,
  heading: string,
): Promise<ExitCode> {
  const { stdout, stdin } = io;
  let stopped = false;
  let wake: (() => void) | undefined;
  const stop = (): void => {
    stopped = true;
    wake?.();
  };
  const onKey = (data: Buffer | string): void => {
    if ([...data.toString()].some((key) => QUIT_KEYS.has(key))) stop();
  };
  stdin.setRawMode?.(true);
  stdin.on('data', onKey);
  stdin.resume();
  process.once('SIGINT', stop).once('SIGTERM', stop);
  stdout.write(ALTERNATE_SCREEN);
  try {
    stdout.write(`${HOME_AND_CLEAR}${heading}\n\n${await render(true)}`);
    while (!stopped) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (stopped) break;
      const screen = await render(false);
      stdout.write(`${HOME_AND_CLEAR}${heading}   ${new Date().toISOString().slice(11, 19)} UTC\n\n${screen}`);
    }
  } finally {
    stdin.off('data', onKey);
    stdin.setRawMode?.(false);
    stdin.pause();
    process.off('SIGINT', stop).off('SIGTERM', stop);
    stdout.write(MAIN_SCREEN);
  }
  return ExitCode.ok;
}
