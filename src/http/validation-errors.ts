import type { FastifySchemaValidationError } from 'fastify';
import type { FieldError } from './errors.js';

type Allowed = string | number | boolean;

/**
 * Ajv's errors as one `{ field, message, allowed? }` per failing field, in words a client
 * can show: a union of literals reports the values it accepts once, not "must be equal to
 * constant" per branch.
 */
export function fieldErrors(context: string | undefined, errors: FastifySchemaValidationError[]): FieldError[] {
  const byField = new Map<string, FastifySchemaValidationError[]>();
  for (const e of errors) {
    const field = fieldName(context, e.instancePath, e.params as Record<string, unknown>);
    byField.set(field, [...(byField.get(field) ?? []), e]);
  }
  return [...byField].map(([field, list]) => {
    const allowed = allowedValues(list);
    if (allowed) return { field, message: `must be one of: ${allowed.join(', ')}`, allowed };
    const e = list.find((x) => x.keyword !== 'anyOf' && x.keyword !== 'oneOf') ?? list[0]!;
    return { field, message: describe(e) };
  });
}

function allowedValues(list: FastifySchemaValidationError[]): Allowed[] | undefined {
  const values: Allowed[] = [];
  for (const e of list) {
    const p = e.params as { allowedValue?: Allowed; allowedValues?: Allowed[] };
    if (e.keyword === 'const') values.push(p.allowedValue as Allowed);
    else if (e.keyword === 'enum') values.push(...(p.allowedValues ?? []));
  }
  return values.length > 0 ? [...new Set(values)] : undefined;
}

function describe(e: FastifySchemaValidationError): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return 'is required';
    case 'type':
      return `must be ${article(String(p.type).replace(',', ' or '))}`;
    case 'minLength':
      return `must be at least ${p.limit} characters`;
    case 'maxLength':
      return `must be at most ${p.limit} characters`;
    case 'minimum':
      return `must be at least ${p.limit}`;
    case 'exclusiveMinimum':
      return `must be more than ${p.limit}`;
    case 'maximum':
      return `must be at most ${p.limit}`;
    case 'exclusiveMaximum':
      return `must be less than ${p.limit}`;
    case 'minItems':
      return `must have at least ${p.limit} items`;
    case 'maxItems':
      return `must have at most ${p.limit} items`;
    case 'format':
      return `must be a valid ${p.format}`;
    case 'pattern':
      return 'has an invalid format';
    default:
      return e.message ?? 'is invalid';
  }
}

const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

function fieldName(context: string | undefined, path: string, params: Record<string, unknown>): string {
  const parts = path.split('/').filter(Boolean);
  if (typeof params.missingProperty === 'string') parts.push(params.missingProperty);
  const field = parts.join('.');
  return field ? field : context ?? 'request';
}
