import { describe, expect, it } from 'vitest';
import { CODE_ALPHABET, generateActivationCode, normalizeActivationCode } from './activation-code.js';
import { balanceBody, toMinutes } from './ledger.js';
import { formatCents } from '../../money.js';

describe('activation codes', () => {
  it('are XXXX-XXXX-XXXX from an alphabet without look-alikes, and do not repeat', () => {
    const codes = new Set(Array.from({ length: 5000 }, generateActivationCode));
    expect(codes.size).toBe(5000);
    for (const code of codes) expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const used = new Set([...codes].join('').replace(/-/g, ''));
    for (const ambiguous of ['0', 'O', '1', 'I', 'L']) expect(used.has(ambiguous)).toBe(false);
    expect(used.size).toBe(CODE_ALPHABET.length);
  });

  it('forgive case, spaces and dashes when typed', () => {
    expect(normalizeActivationCode(' abcd efgh-jkmn ')).toBe('ABCD-EFGH-JKMN');
    expect(normalizeActivationCode('ABCD-EFGH')).toBeNull();
    expect(normalizeActivationCode("ABCD-EFGH-JK'; --")).toBeNull();
  });
});

describe('rendering and rounding', () => {
  it('minutes and hours carry at most two decimals', () => {
    expect(toMinutes(61)).toBe(1.02);
    expect(balanceBody({ totalSeconds: 19_800, activeCards: 1, nextExpiration: null })).toEqual({ total_minutes: 330, total_hours: 5.5, active_cards: 1, next_expiration: null });
    expect(balanceBody({ totalSeconds: 1, activeCards: 1, nextExpiration: new Date(0) }).total_minutes).toBe(0.02);
  });

  it('prices display from cents', () => {
    expect(formatCents(999)).toBe('$9.99');
    expect(formatCents(4499)).toBe('$44.99');
    expect(formatCents(100_000)).toBe('$1000.00');
  });
});
