/** The admin API from the panel: bearer tokens kept for this tab only, one retry after a refresh. */

interface Tokens {
  access_token: string;
  refresh_token: string;
}

const KEY = 'mindbot-admin-tokens';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: { field: string; message: string }[] = [],
  ) {
    super(message);
  }
}

export function storedTokens(): Tokens | null {
  const raw = sessionStorage.getItem(KEY);
  return raw ? (JSON.parse(raw) as Tokens) : null;
}

export function saveTokens(t: Tokens | null): void {
  if (t) sessionStorage.setItem(KEY, JSON.stringify({ access_token: t.access_token, refresh_token: t.refresh_token }));
  else sessionStorage.removeItem(KEY);
  window.dispatchEvent(new Event('mindbot-auth'));
}

async function toError(res: Response): Promise<ApiError> {
  let body: { detail?: string; code?: string; errors?: { field: string; message: string }[] } = {};
  try {
    body = await res.json();
  } catch {
    // Not JSON (a proxy's page): the status says enough.
  }
  return new ApiError(res.status, body.code ?? 'error', body.detail ?? `The server answered ${res.status}.`, body.errors);
}

async function refresh(): Promise<boolean> {
  const t = storedTokens();
  if (!t) return false;
  const res = await fetch('/auth/refresh', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refresh_token: t.refresh_token }) });
  if (!res.ok) return false;
  saveTokens(await res.json());
  return true;
}

export async function request(method: string, path: string, body?: unknown, retry = true): Promise<Response> {
  const t = storedTokens();
  const headers: Record<string, string> = {};
  if (t) headers.authorization = `Bearer ${t.access_token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (res.status === 401 && retry && t && (await refresh())) return request(method, path, body, false);
  if (res.status === 401) saveTokens(null);
  if (!res.ok) throw await toError(res);
  return res;
}

export const api = {
  get: async <T>(path: string): Promise<T> => (await request('GET', path)).json() as Promise<T>,
  post: async <T>(path: string, body: unknown): Promise<T> => (await request('POST', path, body)).json() as Promise<T>,
  patch: async <T>(path: string, body: unknown): Promise<T> => (await request('PATCH', path, body)).json() as Promise<T>,
};

export async function signIn(email: string, password: string): Promise<void> {
  const res = await fetch('/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (!res.ok) throw await toError(res);
  const tokens = (await res.json()) as Tokens;
  const me = await fetch('/admin/me', { headers: { authorization: `Bearer ${tokens.access_token}` } });
  if (me.status === 403) throw new ApiError(403, 'forbidden', 'This account is not an administrator.');
  if (!me.ok) throw await toError(me);
  saveTokens(tokens);
}

export async function signOut(): Promise<void> {
  const t = storedTokens();
  saveTokens(null);
  if (t) await fetch('/auth/logout', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refresh_token: t.refresh_token }) }).catch(() => undefined);
}

/** Downloads a CSV export (the route needs the bearer token, so a plain link would not do). */
export async function download(path: string, filename: string): Promise<void> {
  const res = await request('GET', path);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  URL.revokeObjectURL(url);
}

export const query = (params: Record<string, string | number | boolean | undefined | null>): string => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
};

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}
