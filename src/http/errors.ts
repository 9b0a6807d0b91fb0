/**
 * The error catalogue: every failure a client can see, with its status and a stable
 * machine code. Handlers throw `AppError`s; the error handler renders `{ detail, code }`.
 */
export const ERROR_STATUS = {
  bad_request: 400,
  unauthenticated: 401,
  /** /agent/* without the voice agent's key. */
  agent_unauthenticated: 401,
  /** A signed Stripe event without the envelope every event has (id, type, data.object). */
  webhook_event_invalid: 400,
  /** GET /ads/ssv with a signature that does not verify, or without what a reward needs. */
  ad_callback_invalid: 400,
  payment_required: 402,
  forbidden: 403,
  not_found: 404,
  session_not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  /** A path parameter longer than the router takes. */
  uri_too_long: 414,
  validation_failed: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
  /** The database connection was lost mid-request (the pool replaces it): retry. */
  database_unavailable: 503,
  /** No database connection free in time, or a statement ran past its timeout: retry. */
  database_busy: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface FieldError {
  field: string;
  message: string;
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly extra: { errors?: FieldError[]; headers?: Record<string, string>; reason?: string } = {},
  ) {
    super(detail);
    this.status = ERROR_STATUS[code];
  }
}

export const badRequest = (detail: string) => new AppError('bad_request', detail);
export const unauthenticated = (detail = 'Authentication required: send a valid Bearer access token.') =>
  new AppError('unauthenticated', detail, { headers: { 'www-authenticate': 'Bearer' } });
export const paymentRequired = (detail: string) => new AppError('payment_required', detail);
export const forbidden = (detail: string) => new AppError('forbidden', detail);
export const notFound = (detail: string) => new AppError('not_found', detail);
export const conflict = (detail: string) => new AppError('conflict', detail);
export const validationFailed = (detail: string, errors?: FieldError[]) =>
  new AppError('validation_failed', detail, { errors });
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
