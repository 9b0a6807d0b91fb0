import { useState } from 'react';
import { api, query } from '../api';
import { type Column, PagedTable, SelectFilter } from '../components/tables';
import { ActionButton, Badge } from '../components/ui';
import { when } from '../format';
import { usePaged } from '../hooks';

interface Event {
  id: string;
  source: string;
  type: string;
  status: 'processed' | 'rejected' | 'pending' | 'failed';
  received_at: string;
  failed_rounds: number;
  next_attempt_at: string | null;
  rejected_reason: string | null;
}

const tone = { processed: 'good', rejected: 'bad', pending: 'warn', failed: 'bad' } as const;

export function Webhooks() {
  const [status, setStatus] = useState('');
  const [source, setSource] = useState('');
  const list = usePaged<Event>(`/admin/webhooks${query({ status, source, limit: 100 })}`);
  const columns: Column<Event>[] = [
    { head: 'Received', cell: (e) => when(e.received_at) },
    { head: 'Source', cell: (e) => e.source },
    { head: 'Type', className: 'mono', cell: (e) => e.type },
    { head: 'Event id', className: 'mono', cell: (e) => e.id },
    {
      head: 'State',
      cell: (e) => (
        <>
          <Badge tone={tone[e.status]}>{e.status}</Badge>
          {e.status === 'failed' && <span className="muted"> {e.failed_rounds} rounds, next {when(e.next_attempt_at)}</span>}
          {e.status === 'rejected' && <span className="muted"> {e.rejected_reason}</span>}
        </>
      ),
    },
    {
      head: '',
      cell: (e) =>
        e.status === 'failed' && <ActionButton small label="Replay" title={`Replay ${e.type}?`} description="Delivered to the handler now; an event is applied once however often it is replayed." onConfirm={(v) => api.post(`/admin/webhooks/${e.id}/replay`, { reason: v.reason })} onDone={list.reload} />,
    },
  ];
  return (
    <>
      <header className="page-head">
        <h1>Webhooks</h1>
        <div className="row">
          <SelectFilter label="Status" value={status} onChange={setStatus} options={{ '': 'all', processed: 'processed', rejected: 'rejected', pending: 'pending', failed: 'failed' }} />
          <SelectFilter label="Source" value={source} onChange={setSource} options={{ '': 'all', stripe: 'Stripe', livekit: 'LiveKit', simulated: 'simulated deliveries' }} />
        </div>
      </header>
      <p className="muted">Stripe and LiveKit events are applied once, in the transaction that records them; a signed Stripe event that cannot be applied (an amount unlike the order's, say) is recorded as rejected, with why. Simulated deliveries wait here until applied; a failed one is retried with growing waits, or replayed now.</p>
      <PagedTable list={list} columns={columns} rowKey={(e) => `${e.source}-${e.id}`} empty="No events." />
    </>
  );
}
