import { useState } from 'react';
import { Link } from 'wouter';
import { api, download, query } from '../api';
import { ActionButton, Badge, ErrorBox, LoadMore } from '../components/ui';
import { minutes, when } from '../format';
import { usePaged } from '../hooks';

interface Session {
  id: string;
  user_id: string;
  email: string;
  room_name: string;
  persona_slug: string | null;
  status: 'active' | 'completed';
  started_at: string;
  ended_at: string | null;
  billed_seconds: number | null;
  charged_seconds: number | null;
  end_reason: string | null;
  /** Columns the voice agent reports (usage, latency, provider cost), when it does. */
  extra: Record<string, unknown>;
}

const label = (k: string) => k.replace(/_/g, ' ');
const show = (v: unknown) => (v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));

export function Sessions() {
  const [status, setStatus] = useState<'active' | ''>('active');
  const list = usePaged<Session>(`/admin/sessions${query({ status, limit: 50 })}`);
  const extraKeys = [...new Set(list.items.flatMap((s) => Object.keys(s.extra)))].sort();
  return (
    <>
      <header className="page-head">
        <h1>Sessions</h1>
        <button type="button" className="secondary" onClick={() => void download(`/admin/sessions.csv${query({ status })}`, 'sessions.csv')}>
          Export CSV
        </button>
      </header>
      <div className="tabs" role="tablist">
        <button type="button" role="tab" aria-selected={status === 'active'} onClick={() => setStatus('active')}>
          Live now
        </button>
        <button type="button" role="tab" aria-selected={status === ''} onClick={() => setStatus('')}>
          Recent
        </button>
      </div>
      <ErrorBox error={list.error} />
      <table>
        <thead>
          <tr>
            <th>Started</th>
            <th>User</th>
            <th>Persona</th>
            <th>Status</th>
            <th className="num">Billed</th>
            <th className="num">Charged</th>
            <th>Ended because</th>
            {extraKeys.map((k) => (
              <th key={k}>{label(k)}</th>
            ))}
            <th />
          </tr>
        </thead>
        <tbody>
          {list.items.map((s) => (
            <tr key={s.id}>
              <td>{when(s.started_at)}</td>
              <td>
                <Link href={`/users/${s.user_id}`}>{s.email}</Link>
              </td>
              <td>{s.persona_slug ?? '—'}</td>
              <td>{s.status === 'active' ? <Badge tone="warn">live</Badge> : 'completed'}</td>
              <td className="num">{minutes(s.billed_seconds)}</td>
              <td className="num">{minutes(s.charged_seconds)}</td>
              <td>{s.end_reason ?? '—'}</td>
              {extraKeys.map((k) => (
                <td key={k}>{show(s.extra[k])}</td>
              ))}
              <td>
                {s.status === 'active' && (
                  <ActionButton small destructive label="End" title={`End ${s.email}'s session now?`} description="Billed up to now; its LiveKit room is closed." onConfirm={(v) => api.post(`/admin/sessions/${s.id}/end`, { reason: v.reason })} onDone={list.reload} />
                )}
              </td>
            </tr>
          ))}
          {!list.loading && list.items.length === 0 && (
            <tr>
              <td colSpan={8 + extraKeys.length} className="muted">
                {status === 'active' ? 'Nobody is in a session right now.' : 'No sessions yet.'}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <LoadMore hasMore={list.hasMore} onMore={() => void list.loadMore()} />
    </>
  );
}
