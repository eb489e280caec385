import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUN_FOLDER_VARIABLE } from './scratch-dir.ts';
import { writeTlsFiles } from './tls-certificates.ts';

/** What a test run's teardown found and removed. */
export interface TestRunCleanup {
  /** Processes of the run still alive at its end (a killed worker's servers), now killed: `pid command`. */
  readonly killed: readonly string[];
}

/** A test run's scratch folder, from {@link beginTestRun} to {@link TestRun.end}. */
export interface TestRun {
  readonly folder: string;
  /** Kills every process of the run still alive and removes the folder with everything in it. */
  end(): TestRunCleanup;
}

/**
 * Starts a test run (vitest's global setup): one scratch folder that every scratch directory of
 * the run goes into (workers and their children inherit it through the environment, and `TMPDIR`
 * points there too, so tests' own temporary files follow), and the TLS material made once for
 * the whole run. A worker that vitest kills never runs its exit hooks; the run's end cleans up
 * after it.
 */
export function beginTestRun(): TestRun {
  const folder = mkdtempSync(join(tmpdir(), 'dalli-run-'));
  const systemTmp = process.env.TMPDIR;
  process.env[RUN_FOLDER_VARIABLE] = folder;
  process.env.TMPDIR = folder;
  writeTlsFiles(join(folder, 'tls'));
  return {
    folder,
    end: () => {
      const killed = killRunProcesses(folder);
      rmSync(folder, { recursive: true, force: true });
      delete process.env[RUN_FOLDER_VARIABLE];
      if (systemTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = systemTmp;
      return { killed };
    },
  };
}

/**
 * Kills the processes whose environment names this run's folder: every process the run's workers
 * spawned inherited it (memcached, dnsmasq, nutcracker, peers, example apps), so whatever a killed
 * worker left behind is found without any record of its own. The run's own process and its
 * workers are spared: vitest stops those itself.
 */
function killRunProcesses(folder: string): string[] {
  const marker = `${RUN_FOLDER_VARIABLE}=${folder}\0`;
  const killed: string[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const environment = readProc(pid, 'environ');
    if (!environment.startsWith(marker) && !environment.includes(`\0${marker}`)) continue;
    const command = readProc(pid, 'cmdline').replaceAll('\0', ' ').trim();
    if (command.includes('vitest')) continue;
    try {
      process.kill(pid, 'SIGKILL');
      killed.push(`${pid} ${command}`);
    } catch {
      // It exited between the scan and the kill.
    }
  }
  return killed;
}

function readProc(pid: number, file: string): string {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'latin1');
  } catch {
    return ''; // gone, or not ours to read
  }
}
