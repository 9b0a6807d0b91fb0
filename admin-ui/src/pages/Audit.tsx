import { useState } from 'react';
import { query } from '../api';
import { ErrorBox, LoadMore } from '../components/ui';
import { when } from '../format';
import { usePaged } from '../hooks';

interface Entry {
  id: string;
  admin_email: string | null;
  action: string;
  object_type: string;
  object_id: string;
  before: unknown;
  after: unknown;
  reason: string;
  created_at: string;
}

const json = (v: unknown) => (v === null || v === undefined ? '—' : JSON.stringify(v));

export function Audit() {
  const [filter, setFilter] = useState({ admin_id: '', object_type: '', object_id: '' });
  const [applied, setApplied] = useState(filter);
  const list = usePaged<Entry>(`/admin/audit${query({ ...applied, limit: 100 })}`);
  const field = (k: keyof typeof filter, label: string) => (
    <label className="inline">
      {label}
      <input value={filter[k]} onChange={(e) => setFilter((f) => ({ ...f, [k]: e.target.value.trim() }))} />
    </label>
  );
  return (
    <>
      <header className="page-head">
        <h1>Audit log</h1>
      </header>
      <form className="row filters" onSubmit={(e) => { e.preventDefault(); setApplied(filter); }} aria-label="Filter the audit log">
        {field('admin_id', 'Admin id')}
        {field('object_type', 'Object type')}
        {field('object_id', 'Object id')}
        <button type="submit" className="secondary">
          Filter
        </button>
      </form>
      <ErrorBox error={list.error} />
      <table>
        <thead>
          <tr>
            <th>When</th>
            <th>Admin</th>
            <th>Action</th>
            <th>Object</th>
            <th>Reason</th>
            <th>Before → after</th>
          </tr>
        </thead>
        <tbody>
          {list.items.map((a) => (
            <tr key={a.id}>
              <td>{when(a.created_at)}</td>
              <td>{a.admin_email ?? <span className="muted">platform</span>}</td>
              <td className="mono">{a.action}</td>
              <td className="mono">
                {a.object_type} {a.object_id}
              </td>
              <td>{a.reason}</td>
              <td className="mono small-text">
                {json(a.before)} → {json(a.after)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <LoadMore hasMore={list.hasMore} onMore={() => void list.loadMore()} />
    </>
  );
}
