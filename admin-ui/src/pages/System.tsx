import { Badge, ErrorBox, Section } from '../components/ui';
import { num, when } from '../format';
import { useApi } from '../hooks';

interface SystemBody {
  services: {
    name: string;
    url: string;
    health: string;
    ready: string;
    metrics: { requests_total: number; client_errors_total: number; server_errors_total: number; uptime_seconds: number | null; requests_per_minute: number | null; server_errors_per_minute: number | null } | null;
  }[];
  database: { kind: string; status: string };
  migrations: { version: string; applied_at: string }[];
  payments: string;
}

const state = (s: string) => <Badge tone={s === 'ok' || s === 'ready' ? 'good' : s === 'unreachable' ? 'muted' : 'bad'}>{s}</Badge>;

export function System() {
  const { data, error, reload, loading } = useApi<SystemBody>('/admin/system');
  return (
    <>
      <header className="page-head">
        <h1>System</h1>
        <button type="button" className="secondary" onClick={reload} disabled={loading}>
          Refresh
        </button>
      </header>
      <ErrorBox error={error} />
      {data && (
        <>
          <div className="stats">
            <div className="stat">
              <div className="stat-label">Database</div>
              <div className="stat-value">{data.database.kind}</div>
              <div className="stat-sub">{state(data.database.status)}</div>
            </div>
            <div className="stat">
              <div className="stat-label">Payments</div>
              <div className="stat-value">{data.payments}</div>
            </div>
            <div className="stat">
              <div className="stat-label">Migrations applied</div>
              <div className="stat-value">{data.migrations.length}</div>
              <div className="stat-sub">latest {data.migrations[data.migrations.length - 1]?.version}</div>
            </div>
          </div>
          <Section title="Services">
            <table>
              <thead>
                <tr>
                  <th>Service</th>
                  <th>URL</th>
                  <th>Health</th>
                  <th>Ready</th>
                  <th className="num">Requests</th>
                  <th className="num">Per minute</th>
                  <th className="num">4xx</th>
                  <th className="num">5xx</th>
                  <th className="num">Up (s)</th>
                </tr>
              </thead>
              <tbody>
                {data.services.map((s) => (
                  <tr key={s.name}>
                    <td>{s.name}</td>
                    <td className="mono">{s.url}</td>
                    <td>{state(s.health)}</td>
                    <td>{state(s.ready)}</td>
                    <td className="num">{num(s.metrics?.requests_total)}</td>
                    <td className="num">{num(s.metrics?.requests_per_minute)}</td>
                    <td className="num">{num(s.metrics?.client_errors_total)}</td>
                    <td className="num">{num(s.metrics?.server_errors_total)}</td>
                    <td className="num">{num(s.metrics?.uptime_seconds)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Section>
          <Section title="Migrations">
            <ul className="columns">
              {data.migrations.map((m) => (
                <li key={m.version}>
                  <span className="mono">{m.version}</span> <span className="muted">{when(m.applied_at)}</span>
                </li>
              ))}
            </ul>
          </Section>
        </>
      )}
    </>
  );
}
