import { setImmediate as nextTurn } from 'node:timers/promises';
import { buildRing, checkMembers, type Distribution, pointSetPlanner } from './build-ring.ts';
import type { KeyRing, RingMember } from './key-ring.ts';
import { pointSet } from './point-sets.ts';
import { sortSteps } from './sorted-points.ts';

/** The longest the build runs before letting the event loop take a turn, in ms. */
export const SLICE_MS = 2;

/**
 * The ring {@link buildRing} gives, built in slices of at most about {@link SLICE_MS} ms with a turn
 * of the event loop between them, so that a fleet of thousands of servers (1.6 million points to
 * hash and sort) never holds up the requests in flight. Bad servers reject it before any work.
 */
export async function buildRingInSlices(distribution: Distribution, members: readonly RingMember[]): Promise<KeyRing> {
  checkMembers(distribution, members);
  const plan = pointSetPlanner(distribution, members);
  if (plan === undefined) return buildRing(distribution, members);
  // Nothing more before a turn: the caller may be a constructor, which already holds the loop
  // while it reads the fleet's server strings. The plans are made one by one in the slices.
  let sliceEnd = await nextSlice();
  const sets: Uint32Array[] = [];
  for (let i = 0; i < members.length; i++) {
    // One server's points: 40 MD5 or 160 SHA-1 digests at equal weights, tens of microseconds.
    sets.push(pointSet(plan(members[i] as RingMember, i)));
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
export async function nextSlice(): Promise<number> {
  await nextTurn();
  return performance.now() + SLICE_MS;
}
