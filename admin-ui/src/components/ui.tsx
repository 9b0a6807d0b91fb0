import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { ApiError } from '../api';

export function ErrorBox({ error }: { error: Error | null | undefined }) {
  if (!error) return null;
  const fields = error instanceof ApiError ? error.fields : [];
  return (
    <div className="error" role="alert">
      <strong>{error.message}</strong>
      {fields.length > 0 && (
        <ul>
          {fields.map((f) => (
            <li key={f.field}>
              {f.field}: {f.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Stat({ label, value, sub, testId }: { label: string; value: ReactNode; sub?: ReactNode; testId?: string }) {
  return (
    <div className="stat" data-testid={testId}>
      <div className="stat-label">{label}</div>
      <div className="stat-value">{value}</div>
      {sub && <div className="stat-sub">{sub}</div>}
    </div>
  );
}

export function Badge({ tone, children }: { tone: 'good' | 'bad' | 'warn' | 'muted'; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

export function LoadMore({ hasMore, onMore }: { hasMore: boolean; onMore: () => void }) {
  if (!hasMore) return null;
  return (
    <button type="button" className="secondary" onClick={onMore}>
      Load more
    </button>
  );
}

export function Section({ title, actions, children }: { title: string; actions?: ReactNode; children: ReactNode }) {
  return (
    <section className="card">
      <header className="card-head">
        <h2>{title}</h2>
        <div className="card-actions">{actions}</div>
      </header>
      {children}
    </section>
  );
}

export interface ActionField {
  name: string;
  label: string;
  type?: 'number' | 'text';
  min?: number;
  required?: boolean;
  initial?: string;
}

/**
 * A button that opens a dialog asking for the reason (kept in the audit log) and any other
 * field, then confirms. Destructive actions say so and use a red confirm button. The native
 * <dialog> traps focus and closes on Escape.
 */
export function ActionButton(props: {
  label: string;
  title: string;
  description?: ReactNode;
  destructive?: boolean;
  fields?: ActionField[];
  confirmLabel?: string;
  onConfirm: (values: Record<string, string>) => Promise<unknown>;
  onDone?: () => void;
  small?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (open) ref.current?.showModal();
  }, [open]);
  const close = () => {
    ref.current?.close();
    setOpen(false);
    setError(null);
  };
  const submit = async (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const values = Object.fromEntries(new FormData(e.currentTarget).entries()) as Record<string, string>;
    setBusy(true);
    try {
      await props.onConfirm(values);
      close();
      props.onDone?.();
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" className={`${props.destructive ? 'danger' : ''} ${props.small ? 'small' : ''}`} onClick={() => setOpen(true)}>
        {props.label}
      </button>
      {open && (
        <dialog ref={ref} aria-labelledby={`${id}-title`} onClose={() => setOpen(false)}>
          <form onSubmit={submit}>
            <h3 id={`${id}-title`}>{props.title}</h3>
            {props.description && <div className="dialog-text">{props.description}</div>}
            {props.destructive && <p className="warning">This cannot be undone from here.</p>}
            {(props.fields ?? []).map((f, i) => (
              <label key={f.name}>
                {f.label}
                <input name={f.name} type={f.type ?? 'text'} min={f.min} required={f.required ?? true} defaultValue={f.initial} autoFocus={i === 0} />
              </label>
            ))}
            <label>
              Reason (kept in the audit log)
              <textarea name="reason" required maxLength={500} rows={2} autoFocus={(props.fields ?? []).length === 0} />
            </label>
            <ErrorBox error={error} />
            <div className="dialog-actions">
              <button type="button" className="secondary" onClick={close}>
                Cancel
              </button>
              <button type="submit" className={props.destructive ? 'danger' : ''} disabled={busy}>
                {busy ? 'Working…' : props.confirmLabel ?? props.label}
              </button>
            </div>
          </form>
        </dialog>
      )}
    </>
  );
}
