import { useCallback, useEffect, useState } from 'react';
import { api, type Page } from './api';

/** GETs `path` (again when it changes, or on reload()). */
export function useApi<T>(path: string | null) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` is how reload() asks for the same path again
  useEffect(() => {
    if (!path) return;
    let live = true;
    setLoading(true);
    api
      .get<T>(path)
      .then((d) => {
        if (!live) return;
        setData(d);
        setError(null);
      })
      .catch((e: Error) => live && setError(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [path, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}

/** A paged list: the first page for `path`, then "Load more" appends the next ones. */
export function usePaged<T>(path: string) {
  const first = useApi<Page<T>>(path);
  const [more, setMore] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [moreError, setMoreError] = useState<Error | null>(null);
  useEffect(() => {
    setMore([]);
    setCursor(first.data?.next_cursor ?? null);
  }, [first.data]);
  const loadMore = useCallback(async () => {
    if (!cursor) return;
    try {
      const sep = path.includes('?') ? '&' : '?';
      const page = await api.get<Page<T>>(`${path}${sep}cursor=${encodeURIComponent(cursor)}`);
      setMore((m) => [...m, ...page.items]);
      setCursor(page.next_cursor);
    } catch (e) {
      setMoreError(e as Error);
    }
  }, [cursor, path]);
  return {
    items: [...(first.data?.items ?? []), ...more],
    hasMore: cursor !== null,
    loadMore,
    error: first.error ?? moreError,
    loading: first.loading,
    reload: first.reload,
  };
}
