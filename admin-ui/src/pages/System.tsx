import { DataTable } from '../components/tables';
import { Badge, ErrorBox, Section } from '../components/ui';
import { num, when } from '../format';
import { useApi } from '../hooks';

interface Service {
  name: string;
  url: string;
  health: string;
  ready: string;
  metrics: { requests_total: number; client_errors_total: number; server_errors_total: number; uptime_seconds: number | null; requests_per_minute: number | null; server_errors_per_minute: number | null } | null;
}
interface SystemBody {
  services: Service[];
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
            <DataTable
              columns={[
                { head: 'Service', cell: (s: Service) => s.name },
                { head: 'URL', className: 'mono', cell: (s: Service) => s.url },
                { head: 'Health', cell: (s: Service) => state(s.health) },
                { head: 'Ready', cell: (s: Service) => state(s.ready) },
                { head: 'Requests', num: true, cell: (s: Service) => num(s.metrics?.requests_total) },
                { head: 'Per minute', num: true, cell: (s: Service) => num(s.metrics?.requests_per_minute) },
                { head: '4xx', num: true, cell: (s: Service) => num(s.metrics?.client_errors_total) },
                { head: '5xx', num: true, cell: (s: Service) => num(s.metrics?.server_errors_total) },
                { head: 'Up (s)', num: true, cell: (s: Service) => num(s.metrics?.uptime_seconds) },
              ]}
              rows={data.services}
              rowKey={(s) => s.name}
            />
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
