/**
 * The gauge `@dalli/otel/prometheus` exports per server: the requests a client holds for it, sent
 * and not yet answered plus those queued behind them (`ServerState.inFlight`, what `maxQueued` caps).
 */
export const QUEUE_GAUGE = 'dalli_client_requests_in_flight';

/**
 * An application's queue depth per server, read from its metrics endpoint (the in-app
 * `prometheusHandler` of `@dalli/otel/prometheus`). Only the application's process knows what
 * its client holds for each server; this is how `top`, another process, gets to see it.
 */
export class AppQueueDepths {
  readonly url: string;
  readonly #timeoutMs: number;

  constructor(url: string, timeoutMs: number) {
    this.url = url;
    this.#timeoutMs = timeoutMs;
  }

  /** Requests held per server name, summed over the app's clients; rejects when no such metrics come back. */
  async read(): Promise<Map<string, number>> {
    const response = await fetch(this.url, { signal: AbortSignal.timeout(this.#timeoutMs), redirect: 'error' });
    const text = await response.text();
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const depths = parseQueueDepths(text);
    // A client without servers has none: the gauge is absent (the handler renders no empty family).
    if (depths.size === 0 && !text.includes('dalli_client_')) {
      throw new Error(`no dalli_client_ metrics there (is it @dalli/otel's prometheusHandler?)`);
    }
    return depths;
  }
}

/**
 * The {@link QUEUE_GAUGE} samples of a text exposition, by their `server` label; series of one
 * server from several clients (other labels) are added up. Other families and comments are skipped.
 */
export function parseQueueDepths(text: string): Map<string, number> {
  const depths = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(QUEUE_GAUGE)) continue;
    const rest = line.slice(QUEUE_GAUGE.length);
    // `dalli_client_requests_in_flight_more` is another family.
    if (rest[0] !== '{' && rest[0] !== ' ') continue;
    const sample = labelsAndValue(rest);
    const server = sample?.labels.get('server');
    if (sample === undefined || server === undefined || !Number.isFinite(sample.value)) continue;
    depths.set(server, (depths.get(server) ?? 0) + sample.value);
  }
  return depths;
}

/** `{name="value",…} 12` (labels optional, an optional timestamp after the value). */
function labelsAndValue(rest: string): { labels: Map<string, string>; value: number } | undefined {
  const labels = new Map<string, string>();
  let at = 0;
  if (rest[0] === '{') {
    at = 1;
    while (rest[at] !== '}') {
      const equals = rest.indexOf('="', at);
      if (equals < 0) return undefined;
      const name = rest.slice(at, equals).trim();
      const value = quoted(rest, equals + 2);
      if (value === undefined) return undefined;
      labels.set(name, value.text);
      at = value.end;
      if (rest[at] === ',') at++;
      else if (rest[at] !== '}') return undefined;
    }
    at++;
  }
  const [value = ''] = rest.slice(at).trim().split(/\s+/);
  return { labels, value: value === '' ? Number.NaN : Number(value) };
}

/** A label value from just after its opening quote: unescaped, and the index after its closing quote. */
function quoted(rest: string, from: number): { text: string; end: number } | undefined {
  let text = '';
  for (let at = from; at < rest.length; at++) {
    const char = rest[at];
    if (char === '"') return { text, end: at + 1 };
    if (char !== '\\') {
      text += char;
      continue;
    }
    const escaped = rest[++at];
    text += escaped === 'n' ? '\n' : (escaped ?? '');
  }
  return undefined;
}
