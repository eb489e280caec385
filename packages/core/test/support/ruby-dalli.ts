import { spawnSync } from 'node:child_process';

/** Whether Ruby with the dalli gem (Debian's ruby-dalli) is installed; the test command installs it. */
export const rubyDalliAvailable: boolean = spawnSync('ruby', ['-e', "require 'dalli'"]).status === 0;

/**
 * Runs a Ruby script with Dalli loaded and `INPUT` bound to `input` (passed as JSON on stdin), and returns
 * what the script printed as JSON. Dalli's own logging is silenced.
 */
export function runRubyDalli<T>(script: string, input: unknown = null): T {
  const program = `
    require 'dalli'
    require 'json'
    Dalli.logger.level = Logger::ERROR
    INPUT = JSON.parse(STDIN.read)
    result = begin
      ${script}
    end
    STDOUT.write(JSON.generate({ 'result' => result }))
  `;
  const run = spawnSync('ruby', ['-e', program], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`ruby failed (${run.status}): ${run.stderr}`);
  return (JSON.parse(run.stdout) as { result: T }).result;
}
