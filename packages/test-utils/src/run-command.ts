import { spawnSync } from 'node:child_process';

/** Runs a setup command (openssl, saslpasswd2) and throws with its output if it fails. */
export function runCommand(command: string, args: readonly string[], input?: string): void {
  const result = spawnSync(command, args, { input, encoding: 'utf8' });
  if (result.error !== undefined) {
    throw new Error(`${command} could not run (${result.error.message}); run the test command, which installs it`);
  }
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed with status ${result.status}: ${result.stderr}`);
  }
}
