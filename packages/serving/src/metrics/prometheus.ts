/**
 * A small Prometheus text-format (0.0.4) registry: counters, gauges and histograms with labels.
 * Written here rather than pulled in: the service needs a handful of series and no push gateway.
 */
type Labels = Record<string, string>;

/** `a="1",b="2"`: labels in name order, values escaped. Runs several times per request, so no arrays are built when avoidable. */
export function labelKey(labels: Labels): string {
  const keys = Object.keys(labels);
  if (keys.length > 1) keys.sort();
  let key = '';
  for (const k of keys) key += `${key ? ',' : ''}${k}="${escapeLabel(labels[k])}"`;
  return key;
}

const NEEDS_ESCAPE = /[\\\n"]/;

function escapeLabel(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replaceAll('\\', '\\\\').replaceAll('\n', '\\n').replaceAll('"', '\\"');
}

function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  return String(n);
}

interface Metric {
  render(): string[];
}

export class Counter implements Metric {
  private readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(labels: Labels = {}, by = 1): void {
    this.incKey(labelKey(labels), by);
  }
  /** `inc` with the series key already made by `labelKey` (for hot paths that cache keys). */
  incKey(key: string, by = 1): void {
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }
  get(labels: Labels = {}): number {
    return this.values.get(labelKey(labels)) ?? 0;
  }
  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const [key, value] of this.values) lines.push(`${this.name}${key ? `{${key}}` : ''} ${formatNumber(value)}`);
    return lines;
  }
}

export class Gauge implements Metric {
  private readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  set(labels: Labels, value: number): void {
    this.values.set(labelKey(labels), value);
  }
  /** Drops every series: for info-style gauges whose label set changes (the model id). */
  reset(): void {
    this.values.clear();
  }
  get(labels: Labels = {}): number | undefined {
    return this.values.get(labelKey(labels));
  }
  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`];
    for (const [key, value] of this.values) lines.push(`${this.name}${key ? `{${key}}` : ''} ${formatNumber(value)}`);
    return lines;
  }
}

interface HistogramSeries {
  labels: Labels;
  buckets: number[];
  sum: number;
  count: number;
}

export class Histogram implements Metric {
  private readonly series = new Map<string, HistogramSeries>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly bounds: readonly number[],
  ) {}
  observe(labels: Labels, value: number): void {
    const key = labelKey(labels);
    let s = this.series.get(key);
    if (!s) {
      s = { labels, buckets: new Array<number>(this.bounds.length).fill(0), sum: 0, count: 0 };
      this.series.set(key, s);
    }
    for (let i = 0; i < this.bounds.length; i++) if (value <= this.bounds[i]) s.buckets[i] += 1;
    s.sum += value;
    s.count += 1;
  }
  count(labels: Labels = {}): number {
    return this.series.get(labelKey(labels))?.count ?? 0;
  }
  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const s of this.series.values()) {
      const base = labelKey(s.labels);
      const sep = base ? ',' : '';
      this.bounds.forEach((b, i) => lines.push(`${this.name}_bucket{${base}${sep}le="${formatNumber(b)}"} ${s.buckets[i]}`));
      lines.push(`${this.name}_bucket{${base}${sep}le="+Inf"} ${s.count}`);
      lines.push(`${this.name}_sum${base ? `{${base}}` : ''} ${formatNumber(s.sum)}`);
      lines.push(`${this.name}_count${base ? `{${base}}` : ''} ${s.count}`);
    }
    return lines;
  }
}

/**
 * A gauge or counter read when the page is rendered (process memory, CPU): nothing is kept between scrapes. A value
 * that cannot be read (`undefined`) leaves the series out, not at 0.
 */
export class Collected implements Metric {
  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'gauge' | 'counter',
    private readonly read: () => number | undefined,
  ) {}
  render(): string[] {
    const value = this.read();
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`];
    if (value !== undefined && Number.isFinite(value)) lines.push(`${this.name} ${formatNumber(value)}`);
    return lines;
  }
}

export class MetricsRegistry {
  private readonly metrics: Metric[] = [];
  register<T extends Metric>(metric: T): T {
    this.metrics.push(metric);
    return metric;
  }
  render(): string {
    return `${this.metrics.flatMap((m) => m.render()).join('\n')}\n`;
  }
}

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
