import { Link } from 'wouter';
import { api } from '../api';
import { DataTable } from '../components/tables';
import { ActionButton, Badge, ErrorBox, Section, Stat } from '../components/ui';
import { minutes, money, when } from '../format';
import { useApi } from '../hooks';

interface Card {
  id: string;
  kind: string;
  status: string;
  total_seconds: number;
  remaining_seconds: number;
  amount_cents: number;
  expires_at: string | null;
  created_at: string;
  held: boolean;
}
interface Session {
  id: string;
  persona_slug: string | null;
  status: string;
  started_at: string;
  ended_at: string | null;
  billed_seconds: number | null;
  charged_seconds: number | null;
  end_reason: string | null;
}
interface Payment {
  id: string;
  amount_cents: number;
  currency: string;
  status: string;
  purpose: string;
  created_at: string;
}
interface Detail {
  id: string;
  email: string;
  full_name: string;
  role: string;
  status: 'active' | 'disabled';
  created_at: string;
  last_login: string | null;
  balance: { total_seconds: number; active_cards: number; next_expiration: string | null };
  cards: Card[];
  sessions: Session[];
  payments: Payment[];
  subscription: { plan_id: string; status: string; current_period_end: string | null } | null;
  ad_rewards: { id: string; reward_type: string; time_reward_seconds: number | null; discount_percent: number | null; created_at: string }[];
}

export function UserDetail({ id }: { id: string }) {
  const { data: u, error, reload } = useApi<Detail>(`/admin/users/${encodeURIComponent(id)}`);
  if (error) return <ErrorBox error={error} />;
  if (!u) return <p className="muted">Loading…</p>;
  const grant = async (v: Record<string, string>) => api.post(`/admin/users/${u.id}/grants`, { minutes: Number(v.minutes), reason: v.reason });
  return (
    <>
      <p>
        <Link href="/users">← Users</Link>
      </p>
      <header className="page-head">
        <div>
          <h1>{u.full_name}</h1>
          <p className="muted">
            {u.email} · {u.role} · joined {when(u.created_at)} · last sign-in {when(u.last_login)}
          </p>
        </div>
        <div className="card-actions">
          {u.status === 'active' ? (
            <ActionButton
              label="Disable account"
              title={`Disable ${u.email}?`}
              description="Their access and refresh tokens stop working at once and any live session ends, billed up to now."
              destructive
              onConfirm={(v) => api.post(`/admin/users/${u.id}/disable`, { reason: v.reason })}
              onDone={reload}
            />
          ) : (
            <ActionButton label="Enable account" title={`Enable ${u.email}?`} description="They will have to sign in again." onConfirm={(v) => api.post(`/admin/users/${u.id}/enable`, { reason: v.reason })} onDone={reload} />
          )}
        </div>
      </header>
      <div className="stats">
        <Stat testId="user-balance" label="Balance" value={minutes(u.balance.total_seconds)} sub={`${u.balance.active_cards} active cards · next expiry ${when(u.balance.next_expiration)}`} />
        <Stat label="Status" value={u.status === 'active' ? <Badge tone="good">active</Badge> : <Badge tone="bad">disabled</Badge>} />
        <Stat label="Subscription" value={u.subscription ? `${u.subscription.plan_id}` : 'Free'} sub={u.subscription ? `${u.subscription.status} until ${when(u.subscription.current_period_end)}` : undefined} />
      </div>
      <Section
        title="Time cards"
        actions={
          <ActionButton
            label="Grant minutes"
            title={`Grant minutes to ${u.email}`}
            description="Credited at once as a card of its own (kind admin_grant), valid for a year."
            fields={[{ name: 'minutes', label: 'Minutes', type: 'number', min: 1 }]}
            confirmLabel="Grant"
            onConfirm={grant}
            onDone={reload}
          />
        }
      >
        <DataTable
          columns={[
            { head: 'Card', className: 'mono', cell: (c: Card) => c.id },
            { head: 'Kind', cell: (c: Card) => c.kind },
            { head: 'Status', cell: (c: Card) => c.status },
            { head: 'Remaining / total', num: true, cell: (c: Card) => `${minutes(c.remaining_seconds)} / ${minutes(c.total_seconds)}` },
            { head: 'Paid', num: true, cell: (c: Card) => (c.amount_cents ? money(c.amount_cents) : '—') },
            { head: 'Expires', cell: (c: Card) => when(c.expires_at) },
            {
              head: '',
              cell: (c: Card) =>
                c.status === 'active' &&
                c.held &&
                c.remaining_seconds > 0 && (
                  <ActionButton
                    small
                    label="Void"
                    title="Void the unspent time on this card?"
                    description={`${minutes(c.remaining_seconds)} leave the balance; what was spent stays spent.`}
                    destructive
                    onConfirm={(v) => api.post(`/admin/cards/${c.id}/void`, { reason: v.reason })}
                    onDone={reload}
                  />
                ),
            },
          ]}
          rows={u.cards}
          rowKey={(c) => c.id}
          empty="None."
        />
      </Section>
      <Section title="Sessions">
        <DataTable
          columns={[
            { head: 'Started', cell: (s: Session) => when(s.started_at) },
            { head: 'Persona', cell: (s: Session) => s.persona_slug ?? '—' },
            { head: 'Status', cell: (s: Session) => (s.status === 'active' ? <Badge tone="warn">live</Badge> : s.status) },
            { head: 'Billed', num: true, cell: (s: Session) => minutes(s.billed_seconds) },
            { head: 'Charged', num: true, cell: (s: Session) => minutes(s.charged_seconds) },
            { head: 'Ended because', cell: (s: Session) => s.end_reason ?? '—' },
            {
              head: '',
              cell: (s: Session) =>
                s.status === 'active' && (
                  <ActionButton small destructive label="End" title="End this session now?" description="Billed up to now; its LiveKit room is closed." onConfirm={(v) => api.post(`/admin/sessions/${s.id}/end`, { reason: v.reason })} onDone={reload} />
                ),
            },
          ]}
          rows={u.sessions}
          rowKey={(s) => s.id}
          empty="None."
        />
      </Section>
      <Section title="Payments">
        <DataTable
          columns={[
            { head: 'When', cell: (p: Payment) => when(p.created_at) },
            { head: 'Purpose', cell: (p: Payment) => p.purpose },
            { head: 'Status', cell: (p: Payment) => p.status },
            { head: 'Amount', num: true, cell: (p: Payment) => money(p.amount_cents, p.currency) },
          ]}
          rows={u.payments}
          rowKey={(p) => p.id}
          empty="None."
        />
      </Section>
      <Section title="Ad rewards">
        {u.ad_rewards.length === 0 ? (
          <p className="muted">None.</p>
        ) : (
          <ul>
            {u.ad_rewards.map((a) => (
              <li key={a.id}>
                {when(a.created_at)}: {a.reward_type === 'time' ? minutes(a.time_reward_seconds) : `${a.discount_percent}% off`}
              </li>
            ))}
          </ul>
        )}
      </Section>
    </>
  );
}
