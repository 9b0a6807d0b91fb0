import { useState } from 'react';
import { query } from '../api';
import { type Column, PagedTable } from '../components/tables';
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

const columns: Column<Entry>[] = [
  { head: 'When', cell: (a) => when(a.created_at) },
  { head: 'Admin', cell: (a) => a.admin_email ?? <span className="muted">platform</span> },
  { head: 'Action', className: 'mono', cell: (a) => a.action },
  { head: 'Object', className: 'mono', cell: (a) => `${a.object_type} ${a.object_id}` },
  { head: 'Reason', cell: (a) => a.reason },
  { head: 'Before → after', className: 'mono small-text', cell: (a) => `${json(a.before)} → ${json(a.after)}` },
];

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
      <PagedTable list={list} columns={columns} rowKey={(a) => a.id} />
    </>
  );
}
