import { useState } from 'react';
import { api, query } from '../api';
import { ActionButton, Badge, ErrorBox, LoadMore } from '../components/ui';
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
  return (
    <>
      <header className="page-head">
        <h1>Personas</h1>
        <label className="inline">
          Show
          <select value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="">all</option>
            <option value="catalogue">catalogue</option>
            <option value="custom">custom (for review)</option>
          </select>
        </label>
      </header>
      <ErrorBox error={list.error} />
      <table>
        <thead>
          <tr>
            <th>Persona</th>
            <th>Category</th>
            <th>Access</th>
            <th className="num">Sessions</th>
            <th className="num">Minutes</th>
            <th className="num">Rating</th>
            <th className="num">Revenue</th>
            <th>Status</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {list.items.map((p) => (
            <tr key={p.slug}>
              <td>
                <strong>{p.name}</strong> <span className="muted mono">{p.slug}</span>
                {p.is_custom && <div className="muted">custom, by {p.owner_email}: {p.summary}</div>}
              </td>
              <td>{p.category}</td>
              <td>{p.access_level}</td>
              <td className="num">{num(p.sessions)}</td>
              <td className="num">{num(p.minutes)}</td>
              <td className="num">{p.rating === null ? '—' : `${p.rating.toFixed(2)} (${p.rating_count})`}</td>
              <td className="num">{money(p.revenue_cents)}</td>
              <td>{p.published ? <Badge tone="good">published</Badge> : <Badge tone="muted">unpublished</Badge>}</td>
              <td>
                {p.published ? (
                  <ActionButton small destructive label={p.is_custom ? 'Take down' : 'Unpublish'} title={`${p.is_custom ? 'Take down' : 'Unpublish'} ${p.name}?`} description="It leaves the catalogue and no new session can start with it, not even by its owner." onConfirm={(v) => api.patch(`/admin/personas/${p.slug}`, { published: false, reason: v.reason })} onDone={list.reload} />
                ) : (
                  <ActionButton small label="Publish" title={`Publish ${p.name}?`} onConfirm={(v) => api.patch(`/admin/personas/${p.slug}`, { published: true, reason: v.reason })} onDone={list.reload} />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <LoadMore hasMore={list.hasMore} onMore={() => void list.loadMore()} />
    </>
  );
}
