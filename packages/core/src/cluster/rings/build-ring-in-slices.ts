import { setImmediate as nextTurn } from 'node:timers/promises';
import { buildRing, checkMembers, type Distribution, pointSetPlans } from './build-ring.ts';
import type { KeyRing, RingMember } from './key-ring.ts';
import { pointSet } from './point-sets.ts';
import { sortSteps } from './sorted-points.ts';

/** The longest the build runs before letting the event loop take a turn, in ms. */
const SLICE_MS = 2;

/**
 * The ring {@link buildRing} gives, built in slices of at most about {@link SLICE_MS} ms with a turn
 * of the event loop between them, so that a fleet of thousands of servers (1.6 million points to
 * hash and sort) never holds up the requests in flight. Bad servers reject it before any work.
 */
export async function buildRingInSlices(distribution: Distribution, members: readonly RingMember[]): Promise<KeyRing> {
  // The checks and the plans (a few milliseconds for 10,000 servers) count against the first slice.
  let sliceEnd = performance.now() + SLICE_MS;
  checkMembers(distribution, members);
  const plans = pointSetPlans(distribution, members);
  if (plans === undefined) return buildRing(distribution, members);
  const sets: Uint32Array[] = [];
  for (const plan of plans) {
    // One server's points: 40 MD5 or 160 SHA-1 digests at equal weights, tens of microseconds.
    sets.push(pointSet(plan));
    if (performance.now() >= sliceEnd) sliceEnd = await nextSlice();
  }
  const steps = sortSteps(sets);
  for (;;) {
    const step = steps.next();
    if (step.done === true) return buildRing(distribution, members, step.value);
    if (performance.now() >= sliceEnd) sliceEnd = await nextSlice();
  }
}

/** Lets the event loop run (I/O and timers included), then returns when the next slice ends. */
async function nextSlice(): Promise<number> {
  await nextTurn();
  return performance.now() + SLICE_MS;
}
