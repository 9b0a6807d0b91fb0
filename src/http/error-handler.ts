import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ERROR_STATUS, fromDatabaseError, type FieldError } from './errors.js';
import { fieldErrors } from './validation-errors.js';

interface ErrorBody {
  detail: string;
  code: string;
  errors?: FieldError[];
}

/** One renderer for every error: `{ detail, code }`; 5xx bodies stay generic, details go to the log. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const appError = toAppError(err);
    if (appError.status >= 500) {
      request.log.error({ err }, 'request failed');
    } else {
      request.log.info({ code: appError.code, status: appError.status }, appError.detail);
    }
    for (const [k, v] of Object.entries(appError.extra.headers ?? {})) reply.header(k, v);
    const body: ErrorBody = { detail: appError.detail, code: appError.code };
    if (appError.extra.errors) body.errors = appError.extra.errors;
    return reply.status(appError.status).send(body);
  });

  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ detail: `No route for ${request.method} ${request.url.split('?')[0]}.`, code: 'not_found' }),
  );
}

/**
 * Fastify's own refusals before routing (a path parameter past the router's length limit, a
 * malformed URL): the same `{ detail, code }` shape as every other error.
 */
export function frameworkErrorReply(err: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const e = err.code === 'FST_ERR_MAX_PARAM_LENGTH'
    ? new AppError('uri_too_long', 'A path parameter is too long.')
    : new AppError('bad_request', 'The request URL is malformed.');
  void reply.status(e.status).send({ detail: e.detail, code: e.code });
}

export function toAppError(err: FastifyError | Error): AppError {
  if (err instanceof AppError) return err;
  const fe = err as FastifyError;
  if (fe.validation) {
    const errors = fieldErrors(fe.validationContext, fe.validation);
    const detail = errors.map((e) => `${e.field} ${e.message}`).join('; ');
    return new AppError('validation_failed', `Invalid request: ${detail}.`, { errors });
  }
  const db = fromDatabaseError(err);
  if (db) return db;
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large', 'Request body is too large.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupported_content_type', 'Unsupported Content-Type: send application/json.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('invalid_json', 'Request body is not valid JSON.');
  }
  if (fe.statusCode === 429) {
    const retry = String((fe as { retryAfter?: number }).retryAfter ?? 60);
    return new AppError('rate_limited', fe.message, { headers: { 'retry-after': retry } });
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    const code = (Object.keys(ERROR_STATUS) as (keyof typeof ERROR_STATUS)[]).find((k) => ERROR_STATUS[k] === fe.statusCode) ?? 'bad_request';
    return new AppError(code, fe.message);
  }
  return new AppError('internal', 'Internal server error.');
}
