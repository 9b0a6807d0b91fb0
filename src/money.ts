/** Money is integer cents everywhere; it becomes decimals and display strings only here, at the edge of a response. */
export const centsToDecimal = (cents: number): number => Math.round(cents) / 100;

export function formatCents(cents: number, currency = 'usd'): string {
  const symbol = currency.toLowerCase() === 'usd' ? '$' : `${currency.toUpperCase()} `;
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(Math.round(cents));
  return `${sign}${symbol}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
