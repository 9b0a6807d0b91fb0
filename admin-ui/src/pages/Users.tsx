import { useEffect, useState } from 'react';
import { Link } from 'wouter';
import { download, query } from '../api';
import { type Column, PagedTable } from '../components/tables';
import { Badge } from '../components/ui';
import { minutes, when } from '../format';
import { usePaged } from '../hooks';

export interface UserSummary {
  id: string;
  email: string;
  full_name: string;
  role: 'user' | 'admin';
  status: 'active' | 'disabled';
  created_at: string;
  last_login: string | null;
  balance_seconds: number;
}

const columns: Column<UserSummary>[] = [
  { head: 'Email', cell: (u) => <Link href={`/users/${u.id}`}>{u.email}</Link> },
  { head: 'Name', cell: (u) => u.full_name },
  { head: 'Role', cell: (u) => (u.role === 'admin' ? <Badge tone="warn">admin</Badge> : 'user') },
  { head: 'Status', cell: (u) => (u.status === 'active' ? <Badge tone="good">active</Badge> : <Badge tone="bad">disabled</Badge>) },
  { head: 'Balance', num: true, cell: (u) => minutes(u.balance_seconds) },
  { head: 'Joined', cell: (u) => when(u.created_at) },
  { head: 'Last sign-in', cell: (u) => when(u.last_login) },
];

export function Users() {
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  // Searches as the admin types, once they pause.
  useEffect(() => {
    const t = setTimeout(() => setQ(text.trim()), 250);
    return () => clearTimeout(t);
  }, [text]);
  const list = usePaged<UserSummary>(`/admin/users${query({ q, limit: 50 })}`);
  return (
    <>
      <header className="page-head">
        <h1>Users</h1>
        <button type="button" className="secondary" onClick={() => void download(`/admin/users.csv${query({ q })}`, 'users.csv')}>
          Export CSV
        </button>
      </header>
      <form role="search" onSubmit={(e) => { e.preventDefault(); setQ(text.trim()); }}>
        <label className="search">
          Search users
          <input type="search" placeholder="Part of an email or name" value={text} onChange={(e) => setText(e.target.value)} autoFocus />
        </label>
      </form>
      <PagedTable list={list} columns={columns} rowKey={(u) => u.id} empty={<>No user matches “{q}”.</>} />
    </>
  );
}
