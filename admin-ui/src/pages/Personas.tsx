import { useState } from 'react';
import { api, query } from '../api';
import { type Column, PagedTable, SelectFilter } from '../components/tables';
import { ActionButton, Badge } from '../components/ui';
import { money, num } from '../format';
import { usePaged } from '../hooks';

interface Persona {
  slug: string;
  name: string;
  summary: string;
  category: string;
  access_level: string;
  is_custom: boolean;
  owner_email: string | null;
  published: boolean;
  sessions: number;
  minutes: number;
  rating: number | null;
  rating_count: number;
  revenue_cents: number;
}

export function Personas() {
  const [kind, setKind] = useState('');
  const list = usePaged<Persona>(`/admin/personas${query({ kind, limit: 100 })}`);
  const publish = (p: Persona, published: boolean) => (v: Record<string, string>) => api.patch(`/admin/personas/${p.slug}`, { published, reason: v.reason });
  const columns: Column<Persona>[] = [
    {
      head: 'Persona',
      cell: (p) => (
        <>
          <strong>{p.name}</strong> <span className="muted mono">{p.slug}</span>
          {p.is_custom && (
            <div className="muted">
              custom, by {p.owner_email}: {p.summary}
            </div>
          )}
        </>
      ),
    },
    { head: 'Category', cell: (p) => p.category },
    { head: 'Access', cell: (p) => p.access_level },
    { head: 'Sessions', num: true, cell: (p) => num(p.sessions) },
    { head: 'Minutes', num: true, cell: (p) => num(p.minutes) },
    { head: 'Rating', num: true, cell: (p) => (p.rating === null ? '—' : `${p.rating.toFixed(2)} (${p.rating_count})`) },
    { head: 'Revenue', num: true, cell: (p) => money(p.revenue_cents) },
    { head: 'Status', cell: (p) => (p.published ? <Badge tone="good">published</Badge> : <Badge tone="muted">unpublished</Badge>) },
    {
      head: '',
      cell: (p) =>
        p.published ? (
          <ActionButton small destructive label={p.is_custom ? 'Take down' : 'Unpublish'} title={`${p.is_custom ? 'Take down' : 'Unpublish'} ${p.name}?`} description="It leaves the catalogue and no new session can start with it, not even by its owner." onConfirm={publish(p, false)} onDone={list.reload} />
        ) : (
          <ActionButton small label="Publish" title={`Publish ${p.name}?`} onConfirm={publish(p, true)} onDone={list.reload} />
        ),
    },
  ];
  return (
    <>
      <header className="page-head">
        <h1>Personas</h1>
        <SelectFilter label="Show" value={kind} onChange={setKind} options={{ '': 'all', catalogue: 'catalogue', custom: 'custom (for review)' }} />
      </header>
      <PagedTable list={list} columns={columns} rowKey={(p) => p.slug} />
    </>
  );
}
