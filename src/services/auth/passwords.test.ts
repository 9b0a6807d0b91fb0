import { verify } from '@node-rs/argon2';
import { describe, expect, it, vi } from 'vitest';
import { ARGON2_OPTIONS, checkPassword, dummyPasswordHash, hashPassword } from './passwords.js';

vi.mock('@node-rs/argon2', async (importOriginal) => {
  const real = await importOriginal<typeof import('@node-rs/argon2')>();
  return { ...real, verify: vi.fn(real.verify) };
});

const OWASP_PHC = /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/;

describe('passwords', () => {
  it('hash with argon2id at OWASP parameters, salted, without truncating long passwords', async () => {
    expect(ARGON2_OPTIONS).toMatchObject({ memoryCost: 19456, timeCost: 2, parallelism: 1 });
    const long = 'p'.repeat(128);
    const a = await hashPassword(long);
    expect(a).toMatch(OWASP_PHC);
    expect(await hashPassword(long)).not.toBe(a);
    expect(await checkPassword(a, long)).toBe(true);
    expect(await checkPassword(a, long.slice(0, 127))).toBe(false);
  });

  it('do the same argon2 work for an unknown account as for a wrong password, and never accept it', async () => {
    const stored = await hashPassword('the-real-password');
    vi.mocked(verify).mockClear();
    expect(await checkPassword(stored, 'a-wrong-password')).toBe(false);
    expect(await checkPassword(undefined, 'dummy password for unknown accounts')).toBe(false);
    expect(vi.mocked(verify)).toHaveBeenCalledTimes(2);
    // The unknown-account check verifies against a hash of the same cost as a real one.
    const dummyTarget = vi.mocked(verify).mock.calls[1]?.[0];
    expect(dummyTarget).toBe(await dummyPasswordHash());
    expect(dummyTarget).toMatch(OWASP_PHC);
  });
});
