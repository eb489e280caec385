import { setTimeout as sleep } from 'node:timers/promises';

const FIRST_DELAY_MS = 10;
const MAX_DELAY_MS = 250;

/**
 * Waits before the next poll of a key another process is computing: exponential from 10 ms up to
 * 250 ms, with full jitter so waiting processes do not poll in step, and never past `deadline`
 * (a `performance.now()` time). Returns the next attempt number.
 */
export async function backoff(attempt: number, deadline: number, signal: AbortSignal | undefined): Promise<number> {
  const ceiling = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** attempt);
  const delay = Math.min(ceiling / 2 + Math.random() * (ceiling / 2), Math.max(0, deadline - performance.now()));
  try {
    await sleep(delay, undefined, signal === undefined ? undefined : { signal });
  } catch (error) {
    // As every operation: an aborted wait rejects with the signal's reason, not a timer's AbortError.
    throw signal?.aborted ? signal.reason : error;
  }
  return attempt + 1;
}
