import { useState } from 'react';
import { api, query } from '../api';
import { ActionButton, Badge, ErrorBox, LoadMore } from '../components/ui';
import { when } from '../format';
import { usePaged } from '../hooks';

interface Event {
  id: string;
  source: string;
  type: string;
  status: 'processed' | 'pending' | 'failed';
  received_at: string;
  failed_rounds: number;
  next_attempt_at: string | null;
}

const tone = { processed: 'good', pending: 'warn', failed: 'bad' } as const;

export function Webhooks() {
  const [status, setStatus] = useState('');
  const [source, setSource] = useState('');
  const list = usePaged<Event>(`/admin/webhooks${query({ status, source, limit: 100 })}`);
  return (
    <>
      <header className="page-head">
        <h1>Webhooks</h1>
        <div className="row">
          <label className="inline">
            Status
            <select value={status} onChange={(e) => setStatus(e.target.value)}>
              <option value="">all</option>
              <option value="processed">processed</option>
              <option value="pending">pending</option>
              <option value="failed">failed</option>
            </select>
          </label>
          <label className="inline">
            Source
            <select value={source} onChange={(e) => setSource(e.target.value)}>
              <option value="">all</option>
              <option value="stripe">Stripe</option>
              <option value="livekit">LiveKit</option>
              <option value="simulated">simulated deliveries</option>
            </select>
          </label>
        </div>
      </header>
      <p className="muted">Stripe and LiveKit events are applied once, in the transaction that records them. Simulated deliveries wait here until applied; a failed one is retried with growing waits, or replayed now.</p>
      <ErrorBox error={list.error} />
      <table>
        <thead>
          <tr>
            <th>Received</th>
            <th>Source</th>
            <th>Type</th>
            <th>Event id</th>
            <th>State</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {list.items.map((e) => (
            <tr key={`${e.source}-${e.id}`}>
              <td>{when(e.received_at)}</td>
              <td>{e.source}</td>
              <td className="mono">{e.type}</td>
              <td className="mono">{e.id}</td>
              <td>
                <Badge tone={tone[e.status]}>{e.status}</Badge>
                {e.status === 'failed' && <span className="muted"> {e.failed_rounds} rounds, next {when(e.next_attempt_at)}</span>}
              </td>
              <td>{e.status === 'failed' && <ActionButton small label="Replay" title={`Replay ${e.type}?`} description="Delivered to the handler now; an event is applied once however often it is replayed." onConfirm={(v) => api.post(`/admin/webhooks/${e.id}/replay`, { reason: v.reason })} onDone={list.reload} />}</td>
            </tr>
          ))}
          {!list.loading && list.items.length === 0 && (
            <tr>
              <td colSpan={6} className="muted">
                No events.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <LoadMore hasMore={list.hasMore} onMore={() => void list.loadMore()} />
    </>
  );
}
