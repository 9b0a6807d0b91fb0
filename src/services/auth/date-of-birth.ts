import { validationFailed } from '../../http/errors.js';

const EARLIEST = '1900-01-01';

/** Accepts a real calendar date (YYYY-MM-DD) between 1900-01-01 and yesterday (UTC). */
export function checkDateOfBirth(value: string, now: Date): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const [y, m, d] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
  const date = new Date(Date.UTC(y, m - 1, d));
  const real = match !== null && date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  if (!real) {
    throw validationFailed('date_of_birth must be a real calendar date written YYYY-MM-DD.', [
      { field: 'date_of_birth', message: 'is not a real date' },
    ]);
  }
  const today = now.toISOString().slice(0, 10);
  if (value >= today || value < EARLIEST) {
    throw validationFailed(`date_of_birth must be a past date, on or after ${EARLIEST}.`, [
      { field: 'date_of_birth', message: 'is not a past date' },
    ]);
  }
  return value;
}
