import { useEffect, useState } from 'react';
import { Link } from 'wouter';
import { download, query } from '../api';
import { Badge, ErrorBox, LoadMore } from '../components/ui';
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
      <ErrorBox error={list.error} />
      <table>
        <thead>
          <tr>
            <th>Email</th>
            <th>Name</th>
            <th>Role</th>
            <th>Status</th>
            <th className="num">Balance</th>
            <th>Joined</th>
            <th>Last sign-in</th>
          </tr>
        </thead>
        <tbody>
          {list.items.map((u) => (
            <tr key={u.id}>
              <td>
                <Link href={`/users/${u.id}`}>{u.email}</Link>
              </td>
              <td>{u.full_name}</td>
              <td>{u.role === 'admin' ? <Badge tone="warn">admin</Badge> : 'user'}</td>
              <td>{u.status === 'active' ? <Badge tone="good">active</Badge> : <Badge tone="bad">disabled</Badge>}</td>
              <td className="num">{minutes(u.balance_seconds)}</td>
              <td>{when(u.created_at)}</td>
              <td>{when(u.last_login)}</td>
            </tr>
          ))}
          {!list.loading && list.items.length === 0 && (
            <tr>
              <td colSpan={7} className="muted">
                No user matches “{q}”.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <LoadMore hasMore={list.hasMore} onMore={() => void list.loadMore()} />
    </>
  );
}
