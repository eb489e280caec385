import { type ServingProcess, startServing } from './serving-process.ts';

/** `dalli dashboard` running as a child process, with the URL it printed. */
export type RunningDashboard = ServingProcess;

export function startDashboard(servers: string, extra: readonly string[] = []): Promise<RunningDashboard> {
  const args = ['dashboard', '--servers', servers, '--port', '0', '--interval', '0.3', ...extra];
  return startServing(args, /http:\/\/127\.0\.0\.1:\d+\//);
}
