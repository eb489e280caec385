import type { Attributes, ObservableResult } from '@opentelemetry/api';

/**
 * Counts kept in this process and handed to an observable instrument at each collection, so an
 * operation costs a Map lookup instead of the SDK hashing its attribute set on every `add()`.
 * Rows are keyed by a short string the caller builds from bounded values (operation, server).
 */
export class CounterTable {
  readonly #rows = new Map<string, { readonly attributes: Attributes; value: number }>();

  /** Adds `amount` to the row `key`, made with `attributes()` the first time. */
  add(key: string, attributes: () => Attributes, amount = 1): void {
    const row = this.#rows.get(key);
    if (row === undefined) this.#rows.set(key, { attributes: attributes(), value: amount });
    else row.value += amount;
  }

  /** Reports every row (cumulative, as observable counters are). */
  observe = (result: ObservableResult): void => {
    for (const row of this.#rows.values()) result.observe(row.value, row.attributes);
  };
}
