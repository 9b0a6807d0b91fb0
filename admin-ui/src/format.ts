export const money = (cents: number | null | undefined, currency = 'usd'): string => {
  if (cents === null || cents === undefined) return '—';
  const n = cents / 100;
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() }).format(n);
};

export const minutes = (seconds: number | null | undefined): string => {
  if (seconds === null || seconds === undefined) return '—';
  const m = Math.round((seconds / 60) * 100) / 100;
  return `${m.toLocaleString('en-US')} min`;
};

export const when = (iso: string | null | undefined): string => {
  if (!iso) return '—';
  const d = new Date(iso);
  return `${d.toISOString().replace('T', ' ').slice(0, 16)} UTC`;
};

export const num = (n: number | null | undefined): string => (n === null || n === undefined ? '—' : n.toLocaleString('en-US'));
