/** Something to tell when an AbortSignal fires. */
export interface AbortTarget {
  onAbort(reason: unknown): void;
}

const targetsBySignal = new WeakMap<AbortSignal, Set<AbortTarget>>();

/**
 * Registers `target` to hear about `signal`. One listener per signal, whatever the number of
 * operations sharing it: a request-scoped signal passed to hundreds of calls must not trip Node's
 * listener-leak warning nor cost a listener (and a closure) per call.
 */
export function watchAbort(signal: AbortSignal, target: AbortTarget): void {
  let targets = targetsBySignal.get(signal);
  if (targets === undefined) {
    const watched = new Set<AbortTarget>();
    targets = watched;
    targetsBySignal.set(signal, watched);
    signal.addEventListener(
      'abort',
      () => {
        targetsBySignal.delete(signal);
        for (const watcher of watched) watcher.onAbort(signal.reason);
      },
      { once: true },
    );
  }
  targets.add(target);
}

export function unwatchAbort(signal: AbortSignal, target: AbortTarget): void {
  targetsBySignal.get(signal)?.delete(target);
}
