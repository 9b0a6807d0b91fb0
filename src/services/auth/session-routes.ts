import { AppError, conflict, rateLimited, unauthenticated } from '../../http/errors.js';
import type { Platform } from '../../platform.js';
import { checkDateOfBirth } from './date-of-birth.js';
import { loginFailuresFor } from './login-failures.js';
import { checkPassword, dummyPasswordHash, hashPassword } from './passwords.js';
import { requireGoodStanding } from '../../http/user-standing.js';
import { publicRoutes, type RoutePlugin } from '../../http/routes.js';
import { errorResponses } from '../../http/schemas.js';
import { revokeFamilyOf, rotateRefreshToken } from './refresh-tokens.js';
import { LoginBody, LoginResponse, RefreshBody, RegisterBody } from './schemas.js';
import { newSession, sessionBody } from './login-body.js';
import { findUserByEmail, findUserById, insertUser, newUserId, recordLogin, type UserRow } from './users.js';

const tags = ['auth'];
const errors = errorResponses;

/** What other layers add to registration (the verification email), run once the account is committed. */
export interface SessionHooks {
  onRegistered?(user: UserRow): Promise<void>;
}

/** Register, login, refresh and logout: the routes that hand out or revoke credentials. */
export function sessionRoutes(platform: Platform, hooks: SessionHooks = {}): RoutePlugin {
  const failures = loginFailuresFor(platform);
  const perIp = { rateLimit: { max: platform.config.AUTH_RATE_LIMIT_PER_MINUTE, timeWindow: '1 minute' } };

  // A store outage must not lock everyone out; like the per-IP limiter, fail open and say so.
  const storeDown = (err: Error) => platform.log.warn({ err: err.message }, 'login failure store unavailable');
  const attempt = (email: string) => failures.attempt(email).catch((err: Error) => {
    storeDown(err);
    return 0;
  });
  const succeeded = (email: string) => failures.succeeded(email).catch(storeDown);

  return publicRoutes(async (app) => {
    // The first unknown-email login must not pay for computing the dummy hash.
    await dummyPasswordHash();

    app.post(
      '/auth/register',
      {
        config: perIp,
        schema: { tags, summary: 'Create an account', body: RegisterBody, response: { 201: LoginResponse, ...errors(409, 413, 422, 429) } },
      },
      async (request, reply) => {
        const now = platform.clock.now();
        const b = request.body;
        const dateOfBirth = b.date_of_birth === undefined ? null : checkDateOfBirth(b.date_of_birth, now);
        const passwordHash = await hashPassword(b.password);
        const created = await platform.db.transaction(async (tx) => {
          const user = await insertUser(tx, { id: newUserId(), email: b.email, fullName: b.full_name, passwordHash, dateOfBirth, now });
          if (!user) return undefined;
          return { user, body: await newSession(platform, tx, user, now) };
        });
        if (!created) throw conflict('An account with that email already exists.', 'email_taken');
        await hooks.onRegistered?.(created.user);
        return reply.status(201).send(created.body);
      },
    );

    app.post(
      '/auth/login',
      {
        config: perIp,
        schema: { tags, summary: 'Sign in', body: LoginBody, response: { 200: LoginResponse, ...errors(401, 422, 429) } },
      },
      async (request) => {
        const { email, password } = request.body;
        const wait = await attempt(email);
        if (wait > 0) throw rateLimited(wait);
        const user = await findUserByEmail(platform.db, email);
        if (!(await checkPassword(user?.password_hash, password)) || !user) {
          throw unauthenticated('Incorrect email or password.', 'invalid_credentials');
        }
        await succeeded(email);
        const now = platform.clock.now();
        await requireGoodStanding(platform.db, user.id, now);
        return platform.db.transaction(async (tx) => {
          await recordLogin(tx, user.id, now);
          return newSession(platform, tx, user, now);
        });
      },
    );

    app.post(
      '/auth/refresh',
      {
        config: perIp,
        schema: {
          tags,
          summary: 'Exchange a refresh token for new tokens (the old one stops working)',
          body: RefreshBody,
          response: { 200: LoginResponse, ...errors(401, 422, 429) },
        },
      },
      async (request) => {
        const now = platform.clock.now();
        const ttlDays = platform.config.REFRESH_TOKEN_TTL_DAYS;
        // Reuse revokes the family inside the transaction; it must commit before we answer 401.
        const result = await platform.db.transaction(async (tx) => {
          const rotated = await rotateRefreshToken(tx, request.body.refresh_token, now, ttlDays);
          if (!rotated.ok) return rotated;
          await requireGoodStanding(tx, rotated.userId, now);
          const user = await findUserById(tx, rotated.userId);
          if (!user) throw new AppError('internal', 'refresh token family without a user');
          return { ...rotated, user };
        });
        if (!result.ok) {
          if (result.reason === 'reused') request.log.warn({ reason: result.reason }, 'refresh token reuse: family revoked');
          throw unauthenticated(REFRESH_REFUSALS[result.reason], 'refresh_token_invalid');
        }
        return sessionBody(platform, result.user, result.token);
      },
    );

    app.post(
      '/auth/logout',
      {
        schema: {
          tags,
          summary: 'Revoke a refresh token and every token rotated from the same login',
          body: RefreshBody,
          response: { 204: { type: 'null', description: 'Signed out' }, ...errors(401, 422) },
        },
      },
      async (request, reply) => {
        const known = await revokeFamilyOf(platform.db, request.body.refresh_token, platform.clock.now());
        if (!known) throw unauthenticated('That refresh token is not valid.', 'refresh_token_invalid');
        return reply.status(204).send();
      },
    );
  });
}

const REFRESH_REFUSALS = {
  unknown: 'That refresh token is not valid.',
  expired: 'That refresh token has expired; sign in again.',
  revoked: 'That refresh token has been revoked; sign in again.',
  reused: 'That refresh token was already used; every session from that sign-in has been revoked. Sign in again.',
} as const;
