import type { JWK } from 'jose';

/**
 * What a bearer token proves, and the keys that sign it: the plumbing (Platform, the
 * authenticated scope) knows tokens only through this interface; the auth service
 * implements it (src/services/auth/access-tokens.ts).
 */
export interface AccessClaims {
  /** The user id. */
  sub: string;
  email: string;
  role: 'user' | 'admin';
}

/** What a verified token says: its claims and when it was issued (ms precision). */
export interface VerifiedClaims extends AccessClaims {
  issuedAt: Date;
}

export interface AccessTokens {
  sign(claims: AccessClaims): Promise<string>;
  /** Verifies signature, algorithm, issuer, audience and time; throws on any failure. */
  verify(token: string): Promise<VerifiedClaims>;
  /** The public half of every key still trusted, for `/.well-known/jwks.json`. */
  publicJwks(): { keys: JWK[] };
  readonly ttlSeconds: number;
}
