// The few assertions the runtime suite needs, usable under any runtime (no test framework there).

/** Throws unless `actual` and `expected` have the same JSON form. */
export function same(actual, expected, what) {
  const a = JSON.stringify(actual, mapsAsEntries);
  const e = JSON.stringify(expected, mapsAsEntries);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

/** Throws unless `condition` holds. */
export function truthy(condition, what) {
  if (!condition) throw new Error(what);
}

/** Resolves the error `promise` rejects with; throws if it resolves. */
export async function rejection(promise, what) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error(`${what}: expected a rejection`);
}

function mapsAsEntries(_key, value) {
  if (value instanceof Map) return { map: [...value] };
  if (value instanceof Uint8Array) return { bytes: [...value] };
  return value;
}
