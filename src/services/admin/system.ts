import { type Config, localUrl } from '../../config.js';
import type { Platform } from '../../platform.js';

/** A service to look at: its name and the base URL it answers on. */
export interface ServiceTarget {
  name: string;
  url: string;
}

const PROBE_TIMEOUT_MS = 1500;

/** Every service at its configured port on this host (the gateway too). */
export function serviceTargets(config: Config, services: readonly { name: string; port(config: Config): number }[]): ServiceTarget[] {
  const base = (port: number) => localUrl(config.HOST, port);
  return [...services.map((s) => ({ name: s.name, url: base(s.port(config)) })), { name: 'gateway', url: base(config.GATEWAY_PORT) }];
}

async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string } | null> {
  try {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return { status: res.status, text: await res.text() };
  } catch {
    return null;
  }
}

/** Request counts from a service's Prometheus text: every request, 4xx and 5xx, and the process's uptime. */
export function requestCounts(metrics: string, nowSeconds: number) {
  let total = 0;
  let clientErrors = 0;
  let serverErrors = 0;
  let started: number | null = null;
  for (const line of metrics.split('\n')) {
    const m = /^http_requests_total\{([^}]*)\}\s+([0-9.e+]+)/.exec(line);
    if (m) {
      const n = Number(m[2]);
      const status = /status="(\d+)"/.exec(m[1]!)?.[1] ?? '';
      total += n;
      if (status.startsWith('4')) clientErrors += n;
      if (status.startsWith('5')) serverErrors += n;
      continue;
    }
    const s = /^process_start_time_seconds(?:\{[^}]*\})?\s+([0-9.e+]+)/.exec(line);
    if (s) started = Number(s[1]);
  }
  const uptime = started === null ? null : Math.max(1, nowSeconds - started);
  const perMinute = (n: number) => (uptime === null ? null : Math.round((n / uptime) * 60 * 100) / 100);
  return {
    requests_total: total,
    client_errors_total: clientErrors,
    server_errors_total: serverErrors,
    uptime_seconds: uptime === null ? null : Math.round(uptime),
    requests_per_minute: perMinute(total),
    server_errors_per_minute: perMinute(serverErrors),
  };
}

/** Each service's health, readiness and request rates, the database's kind and state, the migrations applied. */
export async function systemStatus(platform: Platform, targets: ServiceTarget[]) {
  const token = platform.config.METRICS_TOKEN;
  const metricsAuth: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const services = await Promise.all(
    targets.map(async (t) => {
      const [health, ready, metrics] = await Promise.all([get(`${t.url}/health`), get(`${t.url}/ready`), get(`${t.url}/metrics`, metricsAuth)]);
      return {
        name: t.name,
        url: t.url,
        health: health === null ? ('unreachable' as const) : health.status === 200 ? ('ok' as const) : ('failing' as const),
        ready: ready === null ? ('unreachable' as const) : ready.status === 200 ? ('ready' as const) : ('not_ready' as const),
        metrics: metrics?.status === 200 ? requestCounts(metrics.text, Date.now() / 1000) : null,
      };
    }),
  );
  let database: 'ok' | 'unreachable' = 'ok';
  try {
    await platform.db.ping();
  } catch (err) {
    platform.log.error({ err }, 'database not reachable');
    database = 'unreachable';
  }
  const migrations = database === 'ok'
    ? await platform.db.query<{ version: string; applied_at: Date }>(`SELECT version, applied_at FROM schema_migrations ORDER BY version`)
    : [];
  return {
    services,
    database: { kind: platform.db.kind, status: database },
    migrations: migrations.map((m) => ({ version: m.version, applied_at: new Date(m.applied_at).toISOString() })),
    payments: platform.payments.kind,
  };
}
