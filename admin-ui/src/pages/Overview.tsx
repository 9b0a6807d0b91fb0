import { useMemo, useState } from 'react';
import { query } from '../api';
import { Chart, color } from '../components/Chart';
import { ErrorBox, Stat } from '../components/ui';
import { money, num } from '../format';
import { useApi } from '../hooks';

interface Daily {
  date: string;
  [k: string]: number | string;
}
interface OverviewBody {
  from: string;
  to: string;
  totals: {
    users: { total: number; new: number };
    active_subscriptions: number;
    revenue_cents: { time_cards: number; subscriptions: number; refunds: number; net: number };
    minutes: { sold: number; consumed: number; expired: number; granted: number; rewarded: number };
    sessions: { total: number; live_now: number };
  };
  daily: Daily[];
}

const day = (d: Date) => d.toISOString().slice(0, 10);
const daysAgo = (n: number) => day(new Date(Date.now() - n * 86_400_000));
const dollars = (cents: number) => money(cents).replace(/\.00$/, '');
const mins = (v: number) => `${Math.round(v * 10) / 10}`;
const shift = (d: string, days: number) => day(new Date(Date.parse(`${d}T00:00:00Z`) + days * 86_400_000));
/** The API covers at most 366 days: moving one end past the other or too far moves the other along. */
const MAX_SPAN = 365;
const withFrom = (p: { from: string; to: string }, from: string) => {
  // biome-ignore lint/complexity/useMathMinMax: these are YYYY-MM-DD strings, which Math.min cannot compare
  const to = p.to < from ? from : p.to > shift(from, MAX_SPAN) ? shift(from, MAX_SPAN) : p.to;
  return { from, to };
};
const withTo = (p: { from: string; to: string }, to: string) => {
  // biome-ignore lint/complexity/useMathMinMax: these are YYYY-MM-DD strings, which Math.max cannot compare
  const from = p.from > to ? to : p.from < shift(to, -MAX_SPAN) ? shift(to, -MAX_SPAN) : p.from;
  return { from, to };
};

export function Overview() {
  const [period, setPeriod] = useState({ from: daysAgo(29), to: day(new Date()) });
  const { data, error, loading } = useApi<OverviewBody>(`/admin/overview${query(period)}`);
  const preset = (n: number) => setPeriod({ from: daysAgo(n - 1), to: day(new Date()) });
  const charts = useMemo(() => {
    if (!data) return null;
    const days = data.daily.map((d) => d.date);
    const col = (k: string, scale = 1) => data.daily.map((d) => Number(d[k]) / scale);
    return {
      days,
      revenue: [
        { label: 'Time cards', values: col('revenue_time_cards_cents'), color: color(0) },
        { label: 'Subscriptions', values: col('revenue_subscriptions_cents'), color: color(1) },
        { label: 'Refunds', values: col('refunds_cents'), color: color(3) },
      ],
      minutes: [
        { label: 'Sold', values: col('seconds_sold', 60), color: color(0) },
        { label: 'Consumed', values: col('seconds_consumed', 60), color: color(1) },
        { label: 'Granted', values: col('seconds_granted', 60), color: color(2) },
        { label: 'Expired', values: col('seconds_expired', 60), color: color(3) },
      ],
      activity: [
        { label: 'New users', values: col('users_new'), color: color(0) },
        { label: 'Sessions', values: col('sessions'), color: color(4) },
      ],
    };
  }, [data]);
  const t = data?.totals;
  return (
    <>
      <header className="page-head">
        <h1>Overview</h1>
        <form className="period" onSubmit={(e) => e.preventDefault()} aria-label="Period">
          <label>
            From
            <input type="date" value={period.from} onChange={(e) => { const v = e.target.value; if (v) setPeriod((p) => withFrom(p, v)); }} />
          </label>
          <label>
            To
            <input type="date" value={period.to} onChange={(e) => { const v = e.target.value; if (v) setPeriod((p) => withTo(p, v)); }} />
          </label>
          <div className="presets" role="group" aria-label="Quick periods">
            {[7, 30, 90, 365].map((n) => (
              <button key={n} type="button" className="secondary small" onClick={() => preset(n)}>
                {n === 365 ? '1 year' : `${n} days`}
              </button>
            ))}
          </div>
        </form>
      </header>
      <ErrorBox error={error} />
      {loading && !data && <p className="muted">Loading…</p>}
      {t && (
        <>
          <div className="stats">
            <Stat testId="stat-revenue" label="Net revenue" value={money(t.revenue_cents.net)} sub={`${money(t.revenue_cents.time_cards)} cards · ${money(t.revenue_cents.subscriptions)} subs · −${money(t.revenue_cents.refunds)} refunds`} />
            <Stat testId="stat-users" label="Users" value={num(t.users.total)} sub={`${num(t.users.new)} new in period`} />
            <Stat testId="stat-subscriptions" label="Active subscriptions" value={num(t.active_subscriptions)} />
            <Stat testId="stat-sessions" label="Sessions" value={num(t.sessions.total)} sub={`${num(t.sessions.live_now)} live now`} />
          </div>
          <div className="stats">
            <Stat testId="stat-minutes-sold" label="Minutes sold" value={num(t.minutes.sold)} />
            <Stat testId="stat-minutes-consumed" label="Minutes consumed" value={num(t.minutes.consumed)} />
            <Stat testId="stat-minutes-granted" label="Minutes granted" value={num(t.minutes.granted)} sub={`${num(t.minutes.rewarded)} rewarded by ads`} />
            <Stat testId="stat-minutes-expired" label="Minutes expired" value={num(t.minutes.expired)} />
          </div>
          {charts && (
            <div className="charts">
              <Chart title="Revenue per day" days={charts.days} series={charts.revenue} format={dollars} />
              <Chart title="Minutes per day" days={charts.days} series={charts.minutes} format={mins} />
              <Chart title="Sign-ups and sessions per day" days={charts.days} series={charts.activity} />
            </div>
          )}
        </>
      )}
    </>
  );
}
