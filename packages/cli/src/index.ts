/**
 * `dalli`, the memcached command line, as a function: {@link main} runs it with given arguments
 * and streams and resolves its exit code. Most people want the binary: `npx dalli --help`.
 *
 * @packageDocumentation
 * @module @dalli/cli
 */
export { ExitCode, UsageError } from './exit-codes.ts';
export type { Io } from './io.ts';
export { main } from './main.ts';
