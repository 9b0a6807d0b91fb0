import { randomInt } from 'node:crypto';

/** No 0/O, 1/I/L: codes are read aloud and typed from gift cards. 31 symbols, 12 of them ≈ 59 bits. */
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A fresh crypto-random code, XXXX-XXXX-XXXX. */
export function generateActivationCode(): string {
  let raw = '';
  for (let i = 0; i < 12; i++) raw += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
}

/** Canonical form of what a user typed (case, spaces and dashes forgiven), or null if it cannot be a code. */
export function normalizeActivationCode(input: string): string | null {
  const raw = input.toUpperCase().replace(/[\s-]/g, '');
  if (!/^[A-Z0-9]{12}$/.test(raw)) return null;
  return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
}
