import type { Queryable } from '../../db/database.js';
import type { Platform } from '../../platform.js';
import { issueToken, TOKEN_TTL_MINUTES, type TokenPurpose } from './tokens.js';

/** The client page each link opens; the page posts the token back to the API. */
const PAGES: Record<TokenPurpose, string> = {
  verify_email: '/verify-email',
  reset_password: '/reset-password',
  change_email: '/confirm-email',
};

const COPY: Record<TokenPurpose, { subject: string; lead: string; action: string }> = {
  verify_email: { subject: 'Confirm your email', lead: 'Welcome to MindBot. Confirm your email address:', action: 'Confirm email' },
  reset_password: {
    subject: 'Reset your password',
    lead: 'Someone asked to reset your MindBot password. If it was you, choose a new one:',
    action: 'Choose a new password',
  },
  change_email: { subject: 'Confirm your new email', lead: 'Confirm this address as the new email of your MindBot account:', action: 'Confirm new email' },
};

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function linkFor(platform: Platform, purpose: TokenPurpose, token: string): string {
  const url = new URL(PAGES[purpose], platform.config.APP_URL);
  url.searchParams.set('token', token);
  return url.toString();
}

/** A short, plain message with a text and an HTML part. */
export function compose(purpose: TokenPurpose, link: string) {
  const { subject, lead, action } = COPY[purpose];
  const minutes = TOKEN_TTL_MINUTES[purpose];
  const validity = minutes >= 120 ? `${minutes / 60} hours` : `${minutes} minutes`;
  const tail = `The link works once, for ${validity}. If you did not ask for this, ignore this email.`;
  return {
    subject,
    text: `${lead}\n\n${link}\n\n${tail}\n`,
    html: `<p>${escapeHtml(lead)}</p><p><a href="${escapeHtml(link)}">${escapeHtml(action)}</a></p><p>${escapeHtml(tail)}</p>`,
  };
}

/**
 * Issues a token in `q` and returns the send to run once `q` has committed (a message for a
 * token that was rolled back would carry a dead link).
 */
export async function prepareLink(
  platform: Platform,
  q: Queryable,
  input: { userId: string; purpose: TokenPurpose; email: string },
): Promise<() => Promise<void>> {
  const token = await issueToken(q, { ...input, now: platform.clock.now() });
  const link = linkFor(platform, input.purpose, token);
  return () => platform.mailer.send({ to: input.email, link, ...compose(input.purpose, link) });
}

/** Sends without failing the caller: an SMTP outage costs the mail (the user can ask again), not the request. */
export async function sendQuietly(platform: Platform, send: () => Promise<void>): Promise<void> {
  try {
    await send();
  } catch (err) {
    platform.log.error({ err: (err as Error).message }, 'mail could not be sent');
  }
}
