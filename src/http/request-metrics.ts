import type { MetricValue, MetricValueWithName, Registry } from 'prom-client';

/** A value line as prom-client's registry reads it: `sharedLabels` is in its code, not its types. */
type Line = MetricValueWithName<string> & { sharedLabels?: Labels };

/** Latency buckets of http_request_duration_seconds, in seconds. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] as const;

type Labels = { method: string; route: string; status: string };

interface Tally {
  labels: Labels;
  count: number;
  sum: number;
  /** Observations per bucket, not cumulative; the last one is +Inf. */
  buckets: number[];
}

/**
 * The request counter and latency histogram of one app (`http_requests_total`,
 * `http_request_duration_seconds`), counted per (method, route, status) as plain numbers and
 * turned into prom-client metrics only when /metrics is read. prom-client's own Counter and
 * Histogram hash the label set again on every observation, even through a child from
 * `labels()`: that was a tenth of the CPU an answer from the catalogue cache costs.
 */
export class RequestMetrics {
  private readonly tallies = new Map<string, Tally>();

  record(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${route} ${status}`;
    let t = this.tallies.get(key);
    if (!t) {
      t = { labels: { method, route, status: String(status) }, count: 0, sum: 0, buckets: new Array(LATENCY_BUCKETS.length + 1).fill(0) };
      this.tallies.set(key, t);
    }
    t.count++;
    t.sum += seconds;
    let i = 0;
    while (i < LATENCY_BUCKETS.length && seconds > LATENCY_BUCKETS[i]!) i++;
    t.buckets[i]!++;
  }

  /**
   * Registers both metrics in `registry`, in the shape prom-client's own take (a histogram's
   * label set as `sharedLabels`), so its exposition formats them the same.
   */
  register(registry: Registry): void {
    const tallies = () => [...this.tallies.values()];
    registry.registerMetric(
      view('http_requests_total', 'HTTP requests served', 'counter', () => tallies().map((t) => ({ labels: t.labels, value: t.count }))),
    );
    registry.registerMetric(
      view('http_request_duration_seconds', 'HTTP request latency', 'histogram', () =>
        tallies().flatMap((t) => {
          let cumulative = 0;
          const lines: Line[] = t.buckets.map((n, i) => {
            cumulative += n;
            const le = i < LATENCY_BUCKETS.length ? LATENCY_BUCKETS[i]! : '+Inf';
            return { metricName: 'http_request_duration_seconds_bucket', labels: { le }, sharedLabels: t.labels, value: cumulative };
          });
          lines.push({ metricName: 'http_request_duration_seconds_sum', labels: {}, sharedLabels: t.labels, value: t.sum });
          lines.push({ metricName: 'http_request_duration_seconds_count', labels: {}, sharedLabels: t.labels, value: t.count });
          return lines;
        }),
      ),
    );
  }
}

/** A read-only metric in the shape prom-client's Registry reads (`get()`, name, help, type). */
function view(name: string, help: string, type: 'counter' | 'histogram', values: () => MetricValue<string>[]) {
  const metric = {
    name,
    help,
    type,
    aggregator: 'sum' as const,
    get: async () => ({ name, help, type, aggregator: 'sum', values: values() }),
    reset: () => {},
  };
  return metric as unknown as Parameters<Registry['registerMetric']>[0];
}
