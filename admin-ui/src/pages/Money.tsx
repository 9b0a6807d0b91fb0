import { useState } from 'react';
import { Link } from 'wouter';
import { api, download, query } from '../api';
import { type Column, DataTable, PagedTable, SelectFilter } from '../components/tables';
import { ActionButton, Badge, ErrorBox, Section } from '../components/ui';
import { money, when } from '../format';
import { useApi, usePaged } from '../hooks';

interface Payment {
  id: string;
  user_id: string;
  email: string;
  amount_cents: number;
  currency: string;
  status: string;
  purpose: string;
  created_at: string;
}
interface Coupon {
  code: string;
  description: string;
  percent_off: number | null;
  amount_off_cents: number | null;
  valid_until: string | null;
  max_redemptions: number | null;
  redemptions_count: number;
  new_users_only: boolean;
  active: boolean;
}
interface Tier {
  id: string;
  name: string;
  hours: number;
  bonus_minutes: number;
  price_cents: number;
  currency: string;
  active: boolean;
}

function Payments() {
  const [status, setStatus] = useState('');
  const list = usePaged<Payment>(`/admin/payments${query({ status, limit: 50 })}`);
  const columns: Column<Payment>[] = [
    { head: 'When', cell: (p) => when(p.created_at) },
    { head: 'User', cell: (p) => <Link href={`/users/${p.user_id}`}>{p.email}</Link> },
    { head: 'Purpose', cell: (p) => p.purpose },
    { head: 'Status', cell: (p) => (p.status === 'refunded' ? <Badge tone="bad">refund</Badge> : p.status) },
    { head: 'Amount', num: true, cell: (p) => money(p.amount_cents, p.currency) },
    {
      head: '',
      cell: (p) =>
        p.status === 'succeeded' &&
        p.purpose === 'time_card_purchase' && (
          <ActionButton
            small
            destructive
            label="Refund"
            title={`Refund ${p.email}'s payment of ${money(p.amount_cents, p.currency)}?`}
            description="Leave the amount empty to refund what is left. The provider refunds it; the card's time is taken back when its refund event arrives."
            fields={[{ name: 'amount_cents', label: 'Amount in cents (optional)', type: 'number', min: 1, required: false }]}
            onConfirm={(v) => api.post(`/admin/payments/${p.id}/refund`, { reason: v.reason, ...(v.amount_cents ? { amount_cents: Number(v.amount_cents) } : {}) })}
            onDone={list.reload}
          />
        ),
    },
  ];
  return (
    <Section
      title="Payments and refunds"
      actions={
        <>
          <SelectFilter label="Status" value={status} onChange={setStatus} options={{ '': 'all', succeeded: 'succeeded', refunded: 'refunded', failed: 'failed' }} />
          <button type="button" className="secondary" onClick={() => void download(`/admin/payments.csv${query({ status })}`, 'payments.csv')}>
            Export CSV
          </button>
        </>
      }
    >
      <PagedTable list={list} columns={columns} rowKey={(p) => p.id} />
    </Section>
  );
}

function NewCoupon({ onDone }: { onDone: () => void }) {
  const [error, setError] = useState<Error | null>(null);
  const [kind, setKind] = useState<'percent' | 'amount'>('percent');
  const submit = async (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const v = Object.fromEntries(new FormData(form).entries()) as Record<string, string>;
    try {
      await api.post('/admin/coupons', {
        code: v.code,
        description: v.description,
        ...(kind === 'percent' ? { percent_off: Number(v.off) } : { amount_off_cents: Number(v.off) }),
        ...(v.valid_until ? { valid_until: new Date(`${v.valid_until}T23:59:59Z`).toISOString() } : {}),
        ...(v.max_redemptions ? { max_redemptions: Number(v.max_redemptions) } : {}),
        new_users_only: v.new_users_only === 'on',
        reason: v.reason,
      });
      form.reset();
      setError(null);
      onDone();
    } catch (err) {
      setError(err as Error);
    }
  };
  return (
    <form className="grid-form" onSubmit={submit} aria-label="New coupon">
      <label>
        Code
        <input name="code" required pattern="[A-Za-z0-9_\-]{3,40}" title="3–40 letters, digits, _ or -" />
      </label>
      <label>
        Description
        <input name="description" required maxLength={200} />
      </label>
      <label>
        Discount
        <span className="row">
          <select value={kind} onChange={(e) => setKind(e.target.value as 'percent' | 'amount')} aria-label="Discount kind">
            <option value="percent">% off</option>
            <option value="amount">cents off</option>
          </select>
          <input name="off" type="number" min={1} max={kind === 'percent' ? 100 : undefined} required aria-label="Discount value" />
        </span>
      </label>
      <label>
        Valid until (optional)
        <input name="valid_until" type="date" />
      </label>
      <label>
        Max redemptions (optional)
        <input name="max_redemptions" type="number" min={1} />
      </label>
      <label className="check">
        <input name="new_users_only" type="checkbox" /> New customers only
      </label>
      <label className="wide">
        Reason (kept in the audit log)
        <input name="reason" required maxLength={500} />
      </label>
      <ErrorBox error={error} />
      <button type="submit">Create coupon</button>
    </form>
  );
}

function Coupons() {
  const list = usePaged<Coupon>('/admin/coupons?limit=100');
  const columns: Column<Coupon>[] = [
    { head: 'Code', className: 'mono', cell: (c) => c.code },
    {
      head: 'Description',
      cell: (c) => (
        <>
          {c.description}
          {c.new_users_only && <Badge tone="muted">new customers</Badge>}
        </>
      ),
    },
    { head: 'Discount', cell: (c) => (c.percent_off !== null ? `${c.percent_off}%` : money(c.amount_off_cents)) },
    { head: 'Redeemed', num: true, cell: (c) => `${c.redemptions_count}${c.max_redemptions !== null ? ` / ${c.max_redemptions}` : ''}` },
    { head: 'Valid until', cell: (c) => when(c.valid_until) },
    { head: 'Status', cell: (c) => (c.active ? <Badge tone="good">active</Badge> : <Badge tone="muted">inactive</Badge>) },
    {
      head: '',
      cell: (c) =>
        c.active && <ActionButton small destructive label="Deactivate" title={`Deactivate ${c.code}?`} description="Nobody can redeem it any more; past redemptions stay." onConfirm={(v) => api.post(`/admin/coupons/${encodeURIComponent(c.code)}/deactivate`, { reason: v.reason })} onDone={list.reload} />,
    },
  ];
  return (
    <Section title="Coupons">
      <PagedTable list={list} columns={columns} rowKey={(c) => c.code} rowTestId={(c) => `coupon-${c.code}`} />
      <h3>New coupon</h3>
      <NewCoupon onDone={list.reload} />
    </Section>
  );
}

function Tiers() {
  const { data, error, reload } = useApi<{ items: Tier[] }>('/admin/pricing-tiers');
  const columns: Column<Tier>[] = [
    {
      head: 'Package',
      cell: (t) => (
        <>
          {t.name} <span className="muted mono">{t.id}</span>
        </>
      ),
    },
    { head: 'Price', num: true, cell: (t) => money(t.price_cents, t.currency) },
    { head: 'Hours + bonus', num: true, cell: (t) => `${t.hours} h + ${t.bonus_minutes} min` },
    { head: 'Status', cell: (t) => (t.active ? <Badge tone="good">on sale</Badge> : <Badge tone="muted">off sale</Badge>) },
    {
      head: '',
      className: 'row',
      cell: (t) => (
        <>
          <ActionButton
            small
            label="Edit"
            title={`Edit ${t.name}`}
            description="Cards already bought keep what they were sold with."
            fields={[
              { name: 'price_cents', label: 'Price in cents', type: 'number', min: 50, initial: String(t.price_cents) },
              { name: 'hours', label: 'Hours', type: 'number', min: 1, initial: String(t.hours) },
              { name: 'bonus_minutes', label: 'Bonus minutes', type: 'number', min: 0, initial: String(t.bonus_minutes) },
            ]}
            confirmLabel="Save"
            onConfirm={(v) => api.patch(`/admin/pricing-tiers/${t.id}`, { price_cents: Number(v.price_cents), hours: Number(v.hours), bonus_minutes: Number(v.bonus_minutes), reason: v.reason })}
            onDone={reload}
          />
          <ActionButton small destructive={t.active} label={t.active ? 'Take off sale' : 'Put on sale'} title={`${t.active ? 'Take' : 'Put'} ${t.name} ${t.active ? 'off' : 'on'} sale?`} onConfirm={(v) => api.patch(`/admin/pricing-tiers/${t.id}`, { active: !t.active, reason: v.reason })} onDone={reload} />
        </>
      ),
    },
  ];
  return (
    <Section title="Pricing tiers">
      <ErrorBox error={error} />
      <DataTable columns={columns} rows={data?.items ?? []} rowKey={(t) => t.id} />
    </Section>
  );
}

export function Money() {
  return (
    <>
      <header className="page-head">
        <h1>Money</h1>
      </header>
      <Payments />
      <Coupons />
      <Tiers />
    </>
  );
}
