import { currentUser, optionalUser } from '../../http/authenticate.js';
import { guardedRoutes, publicRoutes, signedInRoutes, type RoutePlugin } from '../../http/routes.js';
import { AppError, conflict, rateLimited } from '../../http/errors.js';
import { bearerSecurity, errorResponses as errors } from '../../http/schemas.js';
import { revokeUserTokens } from '../../http/user-standing.js';
import type { Platform } from '../../platform.js';
import { checkPassword, hashPassword } from '../auth/passwords.js';
import { LoginResponse } from '../auth/schemas.js';
import { newSession } from '../auth/login-body.js';
import { findUserByEmail, findUserById, type UserRow } from '../auth/users.js';
import { meBody } from '../auth/account-routes.js';
import { deleteAccount } from './deletion.js';
import { prepareLink, sendQuietly } from './emails.js';
import { exportUserData } from './export.js';
import {
  ChangeEmailBody,
  ChangePasswordBody,
  ExportResponse,
  ForgotPasswordBody,
  MailboxResponse,
  MessageResponse,
  PasswordBody,
  ResetPasswordBody,
  TokenBody,
  VerifiedResponse,
} from './schemas.js';
import { consumeToken, retireTokens, tokensSentSince, type TokenPurpose } from './tokens.js';

const tags = ['auth'];
/** Links of one kind an account may be sent per hour (forgot-password, resend, email change). */
export const LINKS_PER_HOUR = 3;
const FORGOT_BODY = { message: 'If an account uses that email, a link to reset its password is on its way.' };

const hourAgo = (now: Date) => new Date(now.getTime() - 3_600_000);
const gone = () => new AppError('unauthenticated', 'This account no longer exists.');

async function requirePassword(user: UserRow, password: string): Promise<void> {
  if (!(await checkPassword(user.password_hash, password))) throw new AppError('wrong_password', 'Your current password is not correct.');
}

/** Sends the verification link to a newly registered account (Auth's registration hook). */
export async function sendVerification(platform: Platform, user: Pick<UserRow, 'id' | 'email'>): Promise<void> {
  const send = await prepareLink(platform, platform.db, { userId: user.id, purpose: 'verify_email', email: user.email });
  await sendQuietly(platform, send);
}

/** Email verification, password recovery and change, email change; the dev mailbox. */
export function accountRecoveryRoutes(platform: Platform): RoutePlugin {
  const perIp = { rateLimit: { max: platform.config.AUTH_RATE_LIMIT_PER_MINUTE, timeWindow: '1 minute' } };
  const atMostPerHour = async (userId: string, purpose: TokenPurpose) =>
    (await tokensSentSince(platform.db, userId, purpose, hourAgo(platform.clock.now()))) < LINKS_PER_HOUR;

  return publicRoutes(async (app) => {

    await app.register(guardedRoutes(optionalUser(platform), async (scope) => {

      scope.post(
        '/auth/verify-email',
        {
          config: perIp,
          schema: { tags, summary: 'Confirm the email with the token of the link sent to it', body: TokenBody, response: { 200: VerifiedResponse, ...errors(400, 401, 422, 429) } },
        },
        async (request) => {
          const now = platform.clock.now();
          const email = await platform.db.transaction(async (tx) => {
            const t = await consumeToken(tx, request.body.token, 'verify_email', now, request.user?.id);
            // A link sent to an address the account no longer uses confirms nothing.
            const rows = await tx.query<{ email: string }>(
              `UPDATE users SET email_verified_at = COALESCE(email_verified_at, $2)
                WHERE id = $1 AND lower(email) = lower($3) AND deleted_at IS NULL RETURNING email`,
              [t.userId, now, t.email],
            );
            if (!rows[0]) throw new AppError('invalid_token', 'That link was sent to an address this account no longer uses.');
            return rows[0].email;
          });
          return { email, email_verified: true as const, message: 'Your email is confirmed.' };
        },
      );

      scope.post(
        '/auth/forgot-password',
        {
          config: perIp,
          schema: {
            tags,
            summary: 'Email a password-reset link (the same answer whether or not the email has an account)',
            body: ForgotPasswordBody,
            response: { 202: MessageResponse, ...errors(401, 422, 429) },
          },
        },
        async (request, reply) => {
          const user = await findUserByEmail(platform.db, request.body.email);
          if (user && (await atMostPerHour(user.id, 'reset_password'))) {
            const send = await prepareLink(platform, platform.db, { userId: user.id, purpose: 'reset_password', email: user.email });
            // Not awaited: waiting for the mail server would make a known email answer slower
            // than an unknown one. A failed send is logged; the user can ask again.
            void sendQuietly(platform, send);
          }
          return reply.status(202).send(FORGOT_BODY);
        },
      );

      scope.post(
        '/auth/reset-password',
        {
          config: perIp,
          schema: {
            tags,
            summary: 'Set a new password with the token of a reset link; every session is signed out',
            body: ResetPasswordBody,
            response: { 200: MessageResponse, ...errors(400, 401, 422, 429) },
          },
        },
        async (request) => {
          const now = platform.clock.now();
          const passwordHash = await hashPassword(request.body.password);
          await platform.db.transaction(async (tx) => {
            const t = await consumeToken(tx, request.body.token, 'reset_password', now, request.user?.id);
            await tx.query(`UPDATE users SET password_hash = $2 WHERE id = $1`, [t.userId, passwordHash]);
            // Whoever could read the mailbox may have more links: the new password retires them all.
            await retireTokens(tx, t.userId, 'reset_password', now);
            await revokeUserTokens(tx, t.userId, now);
          });
          return { message: 'Your password has been changed; sign in with it. Every other session was signed out.' };
        },
      );

      scope.post(
        '/auth/confirm-email',
        {
          config: perIp,
          schema: {
            tags,
            summary: 'Make the new email of a change take effect, with the token of the link sent to it',
            body: TokenBody,
            response: { 200: VerifiedResponse, ...errors(400, 401, 409, 422, 429) },
          },
        },
        async (request) => {
          const now = platform.clock.now();
          const email = await platform.db.transaction(async (tx) => {
            const t = await consumeToken(tx, request.body.token, 'change_email', now, request.user?.id);
            const taken = await tx.query(`SELECT 1 FROM users WHERE lower(email) = lower($1) AND id <> $2`, [t.email, t.userId]);
            if (taken.length > 0) throw new AppError('email_taken', 'Another account now uses that email.');
            await tx.query(`UPDATE users SET email = $2, email_verified_at = $3 WHERE id = $1`, [t.userId, t.email, now]);
            return t.email;
          });
          return { email, email_verified: true as const, message: 'Your new email is in effect.' };
        },
      );
    }));

    await app.register(signedInRoutes(platform, async (scope) => {
      const signedIn = async (request: Parameters<typeof currentUser>[0]) => {
        const user = await findUserById(platform.db, currentUser(request).id);
        if (!user) throw gone();
        return user;
      };

      scope.post(
        '/auth/resend-verification',
        {
          config: perIp,
          schema: {
            tags,
            summary: 'Send the email-confirmation link again',
            security: bearerSecurity,
            response: { 202: MessageResponse, ...errors(401, 409, 429) },
          },
        },
        async (request, reply) => {
          const user = await signedIn(request);
          if (user.email_verified_at) throw conflict('Your email is already confirmed.');
          if (!(await atMostPerHour(user.id, 'verify_email'))) throw rateLimited(3600);
          await sendVerification(platform, user);
          return reply.status(202).send({ message: `A confirmation link is on its way to ${user.email}.` });
        },
      );

      scope.post(
        '/auth/change-password',
        {
          config: perIp,
          schema: {
            tags,
            summary: 'Change the password (the current one required); other sessions are signed out, this one gets new tokens',
            security: bearerSecurity,
            body: ChangePasswordBody,
            response: { 200: LoginResponse, ...errors(401, 403, 422, 429) },
          },
        },
        async (request) => {
          const user = await signedIn(request);
          await requirePassword(user, request.body.current_password);
          const passwordHash = await hashPassword(request.body.new_password);
          const now = platform.clock.now();
          return platform.db.transaction(async (tx) => {
            await tx.query(`UPDATE users SET password_hash = $2 WHERE id = $1`, [user.id, passwordHash]);
            await retireTokens(tx, user.id, 'reset_password', now);
            await revokeUserTokens(tx, user.id, now);
            return newSession(platform, tx, user, now);
          });
        },
      );

      scope.post(
        '/auth/change-email',
        {
          config: perIp,
          schema: {
            tags,
            summary: 'Ask to change the email: a confirmation link goes to the new address, which takes effect once confirmed',
            security: bearerSecurity,
            body: ChangeEmailBody,
            response: { 202: MessageResponse, ...errors(401, 403, 409, 422, 429) },
          },
        },
        async (request, reply) => {
          const user = await signedIn(request);
          await requirePassword(user, request.body.password);
          const email = request.body.new_email;
          if (email.toLowerCase() === user.email.toLowerCase()) throw conflict('That is already your email.');
          if (await findUserByEmail(platform.db, email)) throw new AppError('email_taken', 'Another account already uses that email.');
          if (!(await atMostPerHour(user.id, 'change_email'))) throw rateLimited(3600);
          const send = await prepareLink(platform, platform.db, { userId: user.id, purpose: 'change_email', email });
          await sendQuietly(platform, send);
          return reply.status(202).send({ message: `A confirmation link is on its way to ${email}; your email changes once you follow it.` });
        },
      );

      scope.delete(
        '/auth/me',
        {
          config: perIp,
          schema: {
            tags,
            summary: 'Delete the account (password required): personal data is erased, payments and the ledger stay anonymised',
            security: bearerSecurity,
            body: PasswordBody,
            response: { 204: { type: 'null', description: 'Deleted' }, ...errors(401, 403, 422, 429, 503) },
          },
        },
        async (request, reply) => {
          const user = await signedIn(request);
          await requirePassword(user, request.body.password);
          await deleteAccount(platform, user);
          return reply.status(204).send();
        },
      );

      scope.get(
        '/auth/me/export',
        {
          schema: {
            tags,
            summary: 'Everything held about you, as JSON (profile, ledger, sessions, payments, subscriptions, personas, ratings, preferences, memory)',
            security: bearerSecurity,
            response: { 200: ExportResponse, ...errors(401) },
          },
        },
        async (request, reply) => {
          const user = await signedIn(request);
          reply.header('content-disposition', 'attachment; filename="mindbot-export.json"');
          return { exported_at: platform.clock.now().toISOString(), profile: meBody(user), ...(await exportUserData(platform.db, user.id)) };
        },
      );
    }));

    if (!platform.config.isProduction) {
      app.get(
        '/dev/mailbox',
        { schema: { tags: ['dev'], summary: 'Messages the development mailbox holds (not in production)', response: { 200: MailboxResponse } } },
        async () => ({ messages: [...platform.mailer.messages()] }),
      );
    }
  });
}
