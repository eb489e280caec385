import type { Io } from '../io.ts';

// C0 controls, DEL and C1 controls: the characters a terminal may act on (retitle the window,
// clear the screen, move the cursor, answer with a report…) instead of showing them.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are what is matched
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
// The same but for line feed and tab, which a value shown on its own keeps for its layout.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are what is matched
const CONTROLS_BUT_LAYOUT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

function hexEscape(char: string): string {
  return `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

/**
 * Text with every control character shown as `\xHH` (ESC as `\x1b`, BEL as `\x07`, CSI as
 * `\x9b`), so that data from a cache or a server is read, never obeyed, by the terminal.
 */
export function escapeControls(text: string): string {
  return text.replace(CONTROLS, hexEscape);
}

/** {@link escapeControls}, but line feeds and tabs stay as they are: a multi-line value stays readable. */
export function escapeControlsKeepingLayout(text: string): string {
  return text.replace(CONTROLS_BUT_LAYOUT, hexEscape);
}

/**
 * How data from the cache or a server goes to stdout: escaped on a terminal; as it is when stdout
 * is piped (a program reads it, byte for byte) or when the user asks for it with `--raw`.
 */
export function screenText(io: Io, raw: boolean, escaping: (text: string) => string): (text: string) => string {
  return raw || io.stdout.isTTY !== true ? (text) => text : escaping;
}
