/**
 * A small registry of Prometheus metric families and their text exposition format (version
 * 0.0.4, the one every Prometheus scrapes): `# HELP`, `# TYPE`, then one line per series. Label
 * values are escaped as the format requires (backslash, double quote, newline). Nothing here
 * does I/O; the HTTP handlers that serve it live beside their users.
 */

/** The content type a scrape answer carries. */
export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Label names to values; the order given is the order written. */
export type Labels = Readonly<Record<string, string>>;

/** `counter`, `gauge` or `histogram`. */
export type MetricType = 'counter' | 'gauge' | 'histogram';

interface Series {
  readonly labels: Labels;
  value: number;
  /** Histograms: cumulative counts are computed when written; these are per bucket. */
  readonly buckets?: number[];
  sum?: number;
}

/** One metric family: a name, its help, its type and its series by label set. */
export class MetricFamily {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  /** Histograms: the upper bounds of the buckets (the `+Inf` bucket is implied). */
  readonly bounds: readonly number[];
  readonly #series = new Map<string, Series>();
  /** The same label objects, given again, find their series without building its text. */
  #byLabels = new WeakMap<Labels, Series>();

  constructor(name: string, help: string, type: MetricType, bounds: readonly number[] = []) {
    this.name = name;
    this.help = help;
    this.type = type;
    this.bounds = bounds;
  }

  /** Adds `amount` to a counter (or gauge) series. */
  add(labels: Labels, amount = 1): void {
    this.#get(labels).value += amount;
  }

  /** Sets a gauge series (or a counter read from a source that counts, such as `stats`). */
  set(labels: Labels, value: number): void {
    this.#get(labels).value = value;
  }

  /** Records one observation in a histogram series. */
  observe(labels: Labels, value: number): void {
    const series = this.#get(labels);
    series.value++;
    series.sum = (series.sum ?? 0) + value;
    const buckets = series.buckets as number[];
    for (let i = 0; i < this.bounds.length; i++) {
      if (value <= (this.bounds[i] as number)) {
        buckets[i] = (buckets[i] ?? 0) + 1;
        break;
      }
    }
  }

  /** Drops every series (for families rebuilt on each scrape). */
  clear(): void {
    this.#series.clear();
    this.#byLabels = new WeakMap();
  }

  /** The family in the text format, or '' when it has no series yet. */
  render(): string {
    if (this.#series.size === 0) return '';
    const lines = [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} ${this.type}`];
    for (const series of this.#series.values()) {
      if (this.type !== 'histogram') lines.push(`${this.name}${labelText(series.labels)} ${number(series.value)}`);
      else lines.push(...this.#histogramLines(series));
    }
    return `${lines.join('\n')}\n`;
  }

  #histogramLines(series: Series): string[] {
    const lines: string[] = [];
    let cumulative = 0;
    this.bounds.forEach((bound, i) => {
      cumulative += series.buckets?.[i] ?? 0;
      lines.push(`${this.name}_bucket${labelText({ ...series.labels, le: number(bound) })} ${cumulative}`);
    });
    lines.push(`${this.name}_bucket${labelText({ ...series.labels, le: '+Inf' })} ${series.value}`);
    lines.push(`${this.name}_sum${labelText(series.labels)} ${number(series.sum ?? 0)}`);
    lines.push(`${this.name}_count${labelText(series.labels)} ${series.value}`);
    return lines;
  }

  #get(labels: Labels): Series {
    const known = this.#byLabels.get(labels);
    if (known !== undefined) return known;
    const series = this.#seriesOf(labels);
    this.#byLabels.set(labels, series);
    return series;
  }

  #seriesOf(labels: Labels): Series {
    const id = labelText(labels);
    let series = this.#series.get(id);
    if (series === undefined) {
      series = { labels, value: 0, ...(this.type === 'histogram' ? { buckets: [], sum: 0 } : {}) };
      this.#series.set(id, series);
    }
    return series;
  }
}

/** Metric families in the order they were added, rendered as one scrape answer. */
export class MetricRegistry {
  readonly #families: MetricFamily[] = [];

  /** Adds a family and returns it. */
  family(name: string, help: string, type: MetricType, bounds?: readonly number[]): MetricFamily {
    const family = new MetricFamily(name, help, type, bounds);
    this.#families.push(family);
    return family;
  }

  /** Every family with at least one series, in the text exposition format. */
  render(): string {
    return this.#families.map((family) => family.render()).join('');
  }
}

function labelText(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(',')}}`;
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(help: string): string {
  return help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** A sample value as the format writes it (`+Inf`, `NaN`, or a plain number). */
function number(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}
