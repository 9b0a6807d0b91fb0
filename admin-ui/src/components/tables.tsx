import type { ReactNode } from 'react';
import { ErrorBox, LoadMore } from './ui';

export interface Column<T> {
  head: ReactNode;
  cell: (row: T) => ReactNode;
  /** Right-aligned figures. */
  num?: boolean;
  /** Cell class (e.g. `mono`). */
  className?: string;
}

/** One table of rows; `empty` is shown in a single row when there are none. */
export function DataTable<T>(props: { columns: Column<T>[]; rows: T[]; rowKey: (row: T) => string; empty?: ReactNode; rowTestId?: (row: T) => string }) {
  const { columns, rows, rowKey, empty, rowTestId } = props;
  const cellClass = (c: Column<T>) => [c.num ? 'num' : '', c.className ?? ''].join(' ').trim() || undefined;
  return (
    <table>
      <thead>
        <tr>
          {columns.map((c, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a render's columns are fixed, so a position names one
            <th key={i} className={c.num ? 'num' : undefined}>
              {c.head}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)} data-testid={rowTestId?.(row)}>
            {columns.map((c, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a render's columns are fixed, so a position names one
              <td key={i} className={cellClass(c)}>
                {c.cell(row)}
              </td>
            ))}
          </tr>
        ))}
        {empty !== undefined && rows.length === 0 && (
          <tr>
            <td colSpan={columns.length} className="muted">
              {empty}
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

/** What `usePaged` returns, as the paged table needs it. */
export interface PagedList<T> {
  items: T[];
  hasMore: boolean;
  loadMore: () => Promise<void>;
  error: Error | null;
  loading: boolean;
}

/** A cursor-paged list: its error, its table, and "Load more" while pages remain. */
export function PagedTable<T>(props: { list: PagedList<T>; columns: Column<T>[]; rowKey: (row: T) => string; empty?: ReactNode; rowTestId?: (row: T) => string }) {
  const { list, empty, ...table } = props;
  return (
    <>
      <ErrorBox error={list.error} />
      <DataTable {...table} rows={list.items} empty={list.loading ? undefined : empty} />
      <LoadMore hasMore={list.hasMore} onMore={() => void list.loadMore()} />
    </>
  );
}

/** A labelled drop-down filter; `options` maps each value to its label ('' = all). */
export function SelectFilter(props: { label: string; value: string; onChange: (v: string) => void; options: Record<string, string> }) {
  return (
    <label className="inline">
      {props.label}
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {Object.entries(props.options).map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}
