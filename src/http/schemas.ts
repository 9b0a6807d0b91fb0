import { Type, type Static, type TSchema } from '@sinclair/typebox';

/** Shapes shared by every service's routes. */
export const ErrorResponse = Type.Object(
  {
    detail: Type.String(),
    code: Type.Optional(Type.String()),
    reason: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
  },
  { description: 'Every 4xx/5xx body' },
);

/** `{ [status]: ErrorResponse }` for each error status a route answers: `response: { 200: Body, ...errorResponses(401, 422) }`. */
export const errorResponses = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, ErrorResponse]));

export const HealthResponse = Type.Object({ status: Type.Literal('ok'), service: Type.String() });
export const ReadyResponse = Type.Object({ status: Type.Literal('ready') });

/** ISO-8601 timestamp string. */
export const Timestamp = Type.String({ format: 'date-time' });

/**
 * `T | null` for a scalar schema, written as one JSON-schema type list rather than anyOf:
 * the response serializer then checks for null instead of running a validator over every
 * branch, which made `anyOf` fields the most expensive part of rendering a response.
 */
export function Nullable<T extends TSchema & { type: string }>(schema: T) {
  return Type.Unsafe<Static<T> | null>({ ...schema, type: [schema.type, 'null'] });
}

export const NullableTimestamp = Nullable(Timestamp);


export const bearerSecurity = [{ bearer: [] }];
