import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { LATENCY_BUCKETS, RequestMetrics } from './request-metrics.js';

describe('RequestMetrics', () => {
  it('exposes exactly what prom-client’s own Counter and Histogram would for the same requests', async () => {
    const ours = new Registry();
    ours.setDefaultLabels({ service: 'time' });
    const tally = new RequestMetrics();
    tally.register(ours);

    const theirs = new Registry();
    theirs.setDefaultLabels({ service: 'time' });
    const labelNames = ['method', 'route', 'status'] as const;
    const counter = new Counter({ name: 'http_requests_total', help: 'HTTP requests served', labelNames, registers: [theirs] });
    const histogram = new Histogram({ name: 'http_request_duration_seconds', help: 'HTTP request latency', labelNames, buckets: [...LATENCY_BUCKETS], registers: [theirs] });

    // Every bucket edge, values either side of it, and beyond the last bucket.
    const seconds = [0, 0.0004, ...LATENCY_BUCKETS.flatMap((b) => [b, b * 1.01]), 7];
    const routes: [string, string, number][] = [['GET', '/time/balance', 200], ['POST', '/time/session/start', 402], ['GET', 'unmatched', 404]];
    seconds.forEach((s, i) => {
      const [method, route, status] = routes[i % routes.length]!;
      tally.record(method, route, status, s);
      const labels = { method, route, status: String(status) };
      counter.inc(labels);
      histogram.observe(labels, s);
    });

    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(await ours.metrics()).toContain('http_requests_total{method="GET",route="/time/balance",status="200",service="time"} 9');
  });
});
