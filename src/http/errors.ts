/**
 * The error catalogue: every failure a client can see, with its status, a stable machine
 * code and what it means. One reason has one code on every endpoint; `docs/errors.md` is
 * generated from this table (`npm run docs:errors`). Handlers throw `AppError`s; the error
 * handler renders `{ detail, code }` (plus `errors` for validation failures).
 */
export const ERRORS = {
  bad_request: { status: 400, description: 'The request is malformed in a way no other code names.' },
  invalid_json: { status: 400, description: 'The body is not valid JSON.' },
  unsupported_content_type: { status: 400, description: 'The body is not `application/json`.' },
  invalid_signature: { status: 400, description: 'A webhook signature is missing or does not match the payload.' },
  webhook_event_invalid: { status: 400, description: 'A signed Stripe event without the envelope every event has (id, type, created, data.object).' },
  ad_callback_invalid: { status: 400, description: 'An ad network callback (`GET /ads/ssv`) whose signature does not verify, or that lacks what a reward needs.' },
  invalid_token: { status: 400, description: 'A one-time link (email verification, password reset, email change) is unknown, used, or not this account\'s.' },
  token_expired: { status: 400, description: 'A one-time link has expired: ask for a new one.' },

  unauthenticated: { status: 401, description: 'No valid Bearer access token (missing, expired, revoked or the account is disabled).' },
  invalid_credentials: { status: 401, description: 'The email or the password is wrong.' },
  refresh_token_invalid: { status: 401, description: 'The refresh token is unknown, expired, already used or revoked: sign in again.' },
  agent_unauthenticated: { status: 401, description: '`/agent/*` without the voice agent\'s `X-Agent-Key`.' },

  insufficient_balance: { status: 402, description: 'The time balance is empty, or does not cover a second with this persona.' },
  payment_declined: { status: 402, description: 'The card was declined; nothing was issued.' },

  forbidden: { status: 403, description: 'Not allowed, for a reason no other code names.' },
  admin_required: { status: 403, description: 'The route needs an administrator account.' },
  premium_required: { status: 403, description: 'A Premium feature (a Premium persona, custom personas) on the free tier.' },
  age_restricted: { status: 403, description: 'The persona has an age restriction the account does not meet, or has no date of birth yet.' },
  daily_limit_reached: { status: 403, description: 'Today\'s minutes with this persona are used up (resets at midnight UTC).' },
  rating_requires_session: { status: 403, description: 'A persona can be rated only after a session with it.' },
  wrong_password: { status: 403, description: 'The current password, asked again before a sensitive change, is wrong.' },
  email_unverified: { status: 403, description: 'The action needs a confirmed email (`REQUIRE_VERIFIED_EMAIL_FOR_PURCHASE`).' },
  room_not_owned: { status: 403, description: 'The LiveKit room belongs to another user.' },

  not_found: { status: 404, description: 'No such route or resource, where no more specific code applies.' },
  user_not_found: { status: 404, description: 'No such user.' },
  persona_not_found: { status: 404, description: 'No persona with that slug (or it is another user\'s custom persona).' },
  package_not_found: { status: 404, description: 'No time-card package with that id (`GET /time/pricing` lists them).' },
  plan_not_found: { status: 404, description: 'No subscription plan with that id (`GET /plans` lists them).' },
  activation_code_not_found: { status: 404, description: 'No time card has that activation code.' },
  session_not_found: { status: 404, description: 'No session with that id for this caller.' },
  subscription_not_found: { status: 404, description: 'The account has no subscription.' },

  conflict: { status: 409, description: 'The request conflicts with the current state, for a reason no other code names.' },
  email_taken: { status: 409, description: 'An account with that email already exists.' },
  session_live: { status: 409, description: 'The user already has a live session; end it first.' },
  session_id_used: { status: 409, description: 'That session_id was used before; start with a new one.' },
  session_ended: { status: 409, description: 'The session has already ended.' },
  card_not_activatable: { status: 409, description: 'The time card is unpaid, failed, refunded, disputed or already activated (`detail` says which).' },
  already_subscribed: { status: 409, description: 'The account is already on that tier or has an active subscription.' },
  subscription_superseded: { status: 409, description: 'A newer subscription request replaced this one.' },
  custom_persona_limit: { status: 409, description: 'The account keeps the most custom personas it may.' },
  date_of_birth_locked: { status: 409, description: 'The date of birth is recorded and cannot be changed by the user.' },
  idempotency_in_progress: { status: 409, description: 'A request with this `Idempotency-Key` is still running; retry shortly.' },

  payload_too_large: { status: 413, description: 'The body is over 64 KiB.' },
  uri_too_long: { status: 414, description: 'A path parameter is longer than the router takes.' },

  validation_failed: { status: 422, description: 'A field is missing or invalid: `errors` lists each `{ field, message }`, with `allowed` values for enums.' },
  coupon_not_found: { status: 422, description: 'The coupon code does not exist (or is inactive).' },
  coupon_expired: { status: 422, description: 'The coupon has expired.' },
  coupon_exhausted: { status: 422, description: 'The coupon has been fully redeemed.' },
  coupon_already_redeemed: { status: 422, description: 'This account has already used the coupon.' },
  coupon_new_users_only: { status: 422, description: 'The coupon is for new customers, before their first purchase.' },
  coupon_below_minimum: { status: 422, description: 'The coupon would take the price below the smallest chargeable amount.' },
  idempotency_key_reused: { status: 422, description: 'The `Idempotency-Key` was used before with a different body.' },
  content_flagged: { status: 422, description: 'Moderation flagged the text; nothing was saved.' },

  rate_limited: { status: 429, description: 'Too many requests; `Retry-After` says when to try again.' },

  internal: { status: 500, description: 'An unexpected failure; the body stays generic, the log has the details (find it by `X-Request-Id`).' },
  database_unavailable: { status: 503, description: 'The database connection was lost mid-request (the pool replaces it); nothing was changed, retry.' },
  database_busy: { status: 503, description: 'No database connection was free in time, or a statement ran past its timeout; retry.' },
  unavailable: { status: 503, description: 'A dependency (database, payment provider, moderation) is unavailable; nothing was changed, retry later.' },
} as const satisfies Record<string, { status: number; description: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** Code → HTTP status. */
export const ERROR_STATUS = Object.fromEntries(Object.entries(ERRORS).map(([code, e]) => [code, e.status])) as {
  [K in ErrorCode]: (typeof ERRORS)[K]['status'];
};

/** The codes answered with HTTP status `S`. */
export type CodeWithStatus<S extends number> = { [K in ErrorCode]: (typeof ERRORS)[K]['status'] extends S ? K : never }[ErrorCode];

export interface FieldError {
  field: string;
  message: string;
  /** For enum fields: the values that are accepted. */
  allowed?: (string | number | boolean)[];
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly extra: { errors?: FieldError[]; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.status = ERRORS[code].status;
  }
}

export const badRequest = (detail: string, code: CodeWithStatus<400> = 'bad_request') => new AppError(code, detail);
export const unauthenticated = (detail = 'Authentication required: send a valid Bearer access token.', code: CodeWithStatus<401> = 'unauthenticated') =>
  new AppError(code, detail, { headers: { 'www-authenticate': 'Bearer' } });
export const paymentRequired = (detail: string, code: CodeWithStatus<402> = 'insufficient_balance') => new AppError(code, detail);
export const forbidden = (detail: string, code: CodeWithStatus<403> = 'forbidden') => new AppError(code, detail);
export const notFound = (detail: string, code: CodeWithStatus<404> = 'not_found') => new AppError(code, detail);
export const conflict = (detail: string, code: CodeWithStatus<409> = 'conflict') => new AppError(code, detail);
export const validationFailed = (detail: string, errors?: FieldError[], code: CodeWithStatus<422> = 'validation_failed') =>
  new AppError(code, detail, { errors });
export const rateLimited = (retryAfterSeconds: number) =>
  new AppError('rate_limited', `Too many requests: try again in ${retryAfterSeconds} seconds.`, {
    headers: { 'retry-after': String(retryAfterSeconds) },
  });

/** Postgres constraint failures that reach the handler unmapped become client errors. */
export function fromDatabaseError(err: unknown): AppError | undefined {
  const code = (err as { code?: unknown }).code;
  if (code === '23505') return conflict('That resource already exists.');
  if (code === '23503') return notFound('A referenced resource does not exist.');
  if (code === '23514') return conflict('That change would break a rule on the stored data.');
  if (code === '40001' || code === '40P01') return new AppError('unavailable', 'The server is busy; please retry.', { headers: { 'retry-after': '1' } });
  if (code === '53300' || code === '57014' || code === '55P03') {
    return new AppError('database_busy', 'The server is busy; please retry.', { headers: { 'retry-after': '1' } });
  }
  if (typeof code === 'string' && (code.startsWith('08') || code.startsWith('57P'))) {
    return new AppError('database_unavailable', 'The database connection was lost; please retry.', { headers: { 'retry-after': '1' } });
  }
  return undefined;
}
