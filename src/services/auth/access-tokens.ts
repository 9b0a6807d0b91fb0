import { randomUUID } from 'node:crypto';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  importJWK,
  jwtVerify,
  SignJWT,
  type JWK,
  type JWTVerifyGetKey,
  type KeyObject,
} from 'jose';
import type { Clock } from '../../clock.js';
import type { AccessTokens, VerifiedClaims } from '../../http/access-tokens.js';

export interface AccessTokenOptions {
  privateJwks: JWK[];
  issuer: string;
  audience: string;
  ttlMinutes: number;
  clock: Clock;
  /** Verify against a remote JWKS (a service deployed apart from Auth). */
  jwksUrl?: string;
}

const ALGORITHMS = ['EdDSA', 'ES256'];

/**
 * Verifying an EdDSA token costs about 0.3 ms, on every authenticated request. A token
 * that verified is remembered (by its exact text) until it expires, or for a few minutes
 * when it lives longer, so a key retired at a remote JWKS stops being honoured soon.
 */
const VERIFIED_CACHE_SIZE = 10_000;
const VERIFIED_CACHE_SECONDS = 300;

class VerifiedTokens {
  private readonly entries = new Map<string, { claims: VerifiedClaims; nbf: number; until: number }>();
  constructor(private readonly max: number) {}

  get(token: string, now: number): VerifiedClaims | undefined {
    const e = this.entries.get(token);
    if (!e) return undefined;
    if (now >= e.until) {
      this.entries.delete(token);
      return undefined;
    }
    return now >= e.nbf ? e.claims : undefined;
  }

  set(token: string, claims: VerifiedClaims, nbf: number, until: number): void {
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, { claims, nbf, until });
  }
}

export function publicPart(jwk: JWK): JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = jwk;
  return pub;
}

export async function createAccessTokens(opts: AccessTokenOptions): Promise<AccessTokens> {
  const [signing] = opts.privateJwks;
  if (!signing?.kid || !signing.alg || !ALGORITHMS.includes(signing.alg)) {
    throw new Error(`The signing JWK needs a kid and an alg of ${ALGORITHMS.join(' or ')}`);
  }
  const signingKey = (await importJWK(signing, signing.alg)) as KeyObject;
  const jwks = { keys: opts.privateJwks.map(publicPart) };
  const keySet: JWTVerifyGetKey = opts.jwksUrl ? createRemoteJWKSet(new URL(opts.jwksUrl)) : createLocalJWKSet(jwks);
  const ttlSeconds = opts.ttlMinutes * 60;
  const nowSeconds = () => Math.floor(opts.clock.now().getTime() / 1000);
  const verified = new VerifiedTokens(VERIFIED_CACHE_SIZE);

  return {
    ttlSeconds,
    publicJwks: () => jwks,
    sign: (claims) => {
      const nowMs = opts.clock.now().getTime();
      const now = Math.floor(nowMs / 1000);
      // iat_ms: `iat` has whole seconds; a revocation cut-off (tokens_valid_after) needs more.
      return new SignJWT({ email: claims.email, role: claims.role, iat_ms: nowMs })
        .setProtectedHeader({ alg: signing.alg!, kid: signing.kid!, typ: 'JWT' })
        .setSubject(claims.sub)
        .setIssuer(opts.issuer)
        .setAudience(opts.audience)
        .setIssuedAt(now)
        .setNotBefore(now)
        .setExpirationTime(now + ttlSeconds)
        .setJti(randomUUID())
        .sign(signingKey);
    },
    verify: async (token) => {
      const now = nowSeconds();
      const cached = verified.get(token, now);
      if (cached) return cached;
      const { payload } = await jwtVerify(token, keySet, {
        issuer: opts.issuer,
        audience: opts.audience,
        algorithms: ALGORITHMS,
        currentDate: opts.clock.now(),
        requiredClaims: ['sub', 'exp', 'iat', 'nbf'],
      });
      const role = payload.role === 'admin' ? 'admin' : 'user';
      if (typeof payload.sub !== 'string' || typeof payload.email !== 'string') throw new Error('malformed claims');
      const issuedAtMs = typeof payload.iat_ms === 'number' ? payload.iat_ms : payload.iat! * 1000;
      const claims: VerifiedClaims = { sub: payload.sub, email: payload.email, role, issuedAt: new Date(issuedAtMs) };
      verified.set(token, claims, payload.nbf!, Math.min(payload.exp!, now + VERIFIED_CACHE_SECONDS));
      return claims;
    },
  };
}
