import { hash, verify, type Algorithm, type Options } from '@node-rs/argon2';

/** OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. */
export const ARGON2_OPTIONS: Options = {
  algorithm: 2 as Algorithm, // Argon2id (a const enum, not importable under isolatedModules)
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
};

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

/** Hashes off the event loop (libuv thread pool); the PHC string carries salt and parameters. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

let dummyHash: Promise<string> | undefined;

/** The hash unknown emails are checked against; computed once (warm it at start-up). */
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('dummy password for unknown accounts');
  return dummyHash;
}

/**
 * Checks `password` against `stored`. With no stored hash (unknown email) it verifies
 * against the dummy hash instead, so both cases cost the same argon2 work and answer
 * in about the same time.
 */
export async function checkPassword(stored: string | undefined, password: string): Promise<boolean> {
  const target = stored ?? (await dummyPasswordHash());
  const ok = await verify(target, password).catch(() => false);
  return ok && stored !== undefined;
}
