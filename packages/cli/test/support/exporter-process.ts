import { type ServingProcess, startServing } from './serving-process.ts';

/** `dalli exporter` running as a child process, with the /metrics URL it printed. */
export type RunningExporter = ServingProcess;

/** Starts it on a free port; `extra` flags (TLS, SASL) and `env` (the password) as a user gives them. */
export function startExporter(
  servers: string,
  extra: readonly string[] = [],
  env: Readonly<Record<string, string>> = {},
): Promise<RunningExporter> {
  const args = ['exporter', '--servers', servers, '--port', '0', '--timeout', '0.5', ...extra];
  return startServing(args, /http:\/\/127\.0\.0\.1:\d+\/metrics/, env);
}
