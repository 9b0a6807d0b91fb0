import { useState } from 'react';
import { Link } from 'wouter';
import { api, download, query } from '../api';
import { type Column, PagedTable } from '../components/tables';
import { ActionButton, Badge } from '../components/ui';
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
  const columns: Column<Session>[] = [
    { head: 'Started', cell: (s) => when(s.started_at) },
    { head: 'User', cell: (s) => <Link href={`/users/${s.user_id}`}>{s.email}</Link> },
    { head: 'Persona', cell: (s) => s.persona_slug ?? '—' },
    { head: 'Status', cell: (s) => (s.status === 'active' ? <Badge tone="warn">live</Badge> : 'completed') },
    { head: 'Billed', num: true, cell: (s) => minutes(s.billed_seconds) },
    { head: 'Charged', num: true, cell: (s) => minutes(s.charged_seconds) },
    { head: 'Ended because', cell: (s) => s.end_reason ?? '—' },
    ...extraKeys.map((k): Column<Session> => ({ head: label(k), cell: (s) => show(s.extra[k]) })),
    {
      head: '',
      cell: (s) =>
        s.status === 'active' && (
          <ActionButton small destructive label="End" title={`End ${s.email}'s session now?`} description="Billed up to now; its LiveKit room is closed." onConfirm={(v) => api.post(`/admin/sessions/${s.id}/end`, { reason: v.reason })} onDone={list.reload} />
        ),
    },
  ];
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
      <PagedTable list={list} columns={columns} rowKey={(s) => s.id} empty={status === 'active' ? 'Nobody is in a session right now.' : 'No sessions yet.'} />
    </>
  );
}
