import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import examples from './openapi-examples.json' with { type: 'json' };
import { IDEMPOTENT_OPERATIONS, OPERATION_IDS } from './operations.js';

type Json = Record<string, unknown>;
type OpenApiDocument = { paths?: Record<string, Record<string, Json>>; components?: Json } & Json;
interface GuideExample {
  method: string;
  path: string;
  request?: unknown;
  response?: unknown;
}

/** The API guide's bodies (`npm run openapi:examples` takes them from the guide). */
const GUIDE_EXAMPLES = examples as GuideExample[];

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

const STATUS_TEXT: Record<string, string> = {
  200: 'OK', 201: 'Created', 204: 'No Content', 400: 'Bad request', 401: 'Not authenticated', 402: 'Payment required',
  403: 'Forbidden', 404: 'Not found', 409: 'Conflict', 413: 'Body too large', 422: 'Validation failed',
  429: 'Too many requests', 500: 'Internal error', 503: 'Unavailable',
};

/**
 * What every service's OpenAPI 3.1 document is built from (the gateway's merges every
 * route): operationIds from the catalogue (src/http/operations.ts), named component
 * schemas, enums, declared headers and the guide's bodies as examples.
 */
export function openApiOptions(title: string): FastifyDynamicSwaggerOptions {
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title,
        version: '1.0.0',
        description: 'Errors are `{ detail, code }`; the codes are listed in docs/errors.md.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          agentKey: { type: 'apiKey', in: 'header', name: 'X-Agent-Key' },
        },
      },
    },
    transform: ({ schema, url, route }) => {
      const method = (Array.isArray(route.method) ? route.method[0] : route.method) as string;
      const operationId = (schema as Json | undefined)?.operationId ?? OPERATION_IDS[`${method.toUpperCase()} ${url}`];
      return { schema: (operationId ? { ...schema, operationId } : schema) as typeof schema, url };
    },
    transformObject: (doc) => finishDocument((doc as { openapiObject: OpenApiDocument }).openapiObject),
  };
}

export function finishDocument(doc: OpenApiDocument): OpenApiDocument {
  doc.components ??= {};
  const components = doc.components as Record<string, Record<string, unknown>>;
  components.schemas ??= {};
  const schemas = components.schemas as Record<string, Json>;
  components.parameters = {
    ...components.parameters,
    IdempotencyKey: {
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: 'Any 1–255 characters; a retry with the same key and body answers what the first request answered, once.',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    },
    RequestId: {
      name: 'X-Request-Id',
      in: 'header',
      required: false,
      description: 'Your id for this request (echoed back, and in the server log); one is made up when absent.',
      schema: { type: 'string', maxLength: 128 },
    },
  };
  components.headers = {
    ...components.headers,
    'X-Request-Id': { description: 'The id of this request in the server log.', schema: { type: 'string' } },
    'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } },
  };
  const register = (preferred: string, schema: Json): Json => {
    const text = JSON.stringify(schema);
    for (const [name, existing] of Object.entries(schemas)) {
      if (JSON.stringify(existing) === text && (name === preferred || name.startsWith(preferred) || !schema.title)) {
        return { $ref: `#/components/schemas/${name}` };
      }
    }
    let name = preferred;
    for (let n = 2; schemas[name]; n++) name = `${preferred}${n}`;
    schemas[name] = schema;
    return { $ref: `#/components/schemas/${name}` };
  };

  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      const id = typeof op.operationId === 'string' ? op.operationId : undefined;
      const base = id ? id[0]!.toUpperCase() + id.slice(1) : undefined;
      const example = GUIDE_EXAMPLES.find((e) => e.method.toLowerCase() === method && pathMatches(path, e.path));

      const parameters = ((op.parameters as Json[] | undefined) ?? []).map((param) => {
        if ((param.schema as Json | undefined)?.default !== undefined) param.required = false;
        if (param.schema) param.schema = enums(param.schema as Json);
        return param;
      });
      if (id && IDEMPOTENT_OPERATIONS.has(id)) parameters.push({ $ref: '#/components/parameters/IdempotencyKey' });
      parameters.push({ $ref: '#/components/parameters/RequestId' });
      op.parameters = parameters;

      const requestBody = op.requestBody as { required?: boolean; content?: Record<string, Json> } | undefined;
      for (const media of Object.values(requestBody?.content ?? {})) {
        const schema = enums(withDefaultsOptional(media.schema as Json));
        if (!(schema.required as string[] | undefined)?.length) requestBody!.required = false;
        media.schema = base ? register(String(schema.title ?? `${base}Request`), hoist(schema, register)) : schema;
        if (example?.request !== undefined) media.example = example.request;
      }

      for (const [status, response] of Object.entries((op.responses ?? {}) as Record<string, Json>)) {
        if (!response.description || response.description === 'Default Response') {
          response.description = STATUS_TEXT[status] ?? 'Response';
        }
        response.headers = {
          ...(response.headers as Json | undefined),
          'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' },
          ...(status === '429' || status === '503' ? { 'Retry-After': { $ref: '#/components/headers/Retry-After' } } : {}),
        };
        for (const media of Object.values((response.content ?? {}) as Record<string, Json>)) {
          if (!media.schema) continue;
          const schema = enums(media.schema as Json);
          const ok = Number(status) < 300;
          const suffix = status === '200' || status === '201' ? '' : status;
          const name = String(schema.title ?? (ok ? `${base}${suffix}Response` : 'Error'));
          media.schema = base || schema.title ? register(name, hoist(schema, register)) : schema;
          if (ok && example?.response !== undefined) media.example = example.response;
        }
      }
    }
  }
  return doc;
}

/** A request field with a default is one the client may leave out. */
function withDefaultsOptional(schema: Json): Json {
  const props = schema.properties as Record<string, Json> | undefined;
  const required = schema.required as string[] | undefined;
  if (!props || !required) return schema;
  const left = required.filter((name) => props[name]?.default === undefined);
  const copy: Json = { ...schema };
  if (left.length) copy.required = left;
  else delete copy.required;
  return copy;
}

/** A union of literals (TypeBox's anyOf of consts, one-value enums once rendered) written as the enum it is. */
function enums(schema: Json): Json {
  return walk(schema, (node) => {
    const branches = node.anyOf as Json[] | undefined;
    const single = (b: Json) => ('const' in b ? [b.const] : Array.isArray(b.enum) && b.enum.length === 1 ? b.enum : undefined);
    const literal = (b: Json) => single(b) !== undefined && Object.keys(b).every((k) => k === 'const' || k === 'enum' || k === 'type');
    if (!branches?.length || !branches.every(literal)) return node;
    const values = branches.flatMap((b) => single(b)!);
    const types = [...new Set(values.map((v) => (v === null ? 'null' : typeof v)))];
    const { anyOf: _drop, ...rest } = node;
    return { ...rest, ...(types.length === 1 ? { type: types[0] } : {}), enum: values };
  });
}

/** Sub-schemas with a title become shared components of that name. */
function hoist(schema: Json, register: (name: string, schema: Json) => Json): Json {
  let top = true;
  return walk(schema, (node) => {
    if (top) {
      top = false;
      return node;
    }
    return typeof node.title === 'string' ? register(node.title, node) : node;
  }, true);
}

function walk(schema: Json, visit: (node: Json) => Json, preOrderTop = false): Json {
  const recur = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(recur);
    if (value && typeof value === 'object') {
      const out: Json = {};
      for (const [k, v] of Object.entries(value)) out[k] = k === 'example' || k === 'default' || k === 'const' || k === 'enum' ? v : recur(v);
      return visit(out);
    }
    return value;
  };
  if (preOrderTop) {
    const first = visit(schema);
    const out: Json = {};
    for (const [k, v] of Object.entries(first)) out[k] = k === 'example' || k === 'default' || k === 'const' || k === 'enum' ? v : recur(v);
    return out;
  }
  return recur(schema) as Json;
}

/** Whether the guide's concrete path (`/personas/professor-oak-tutor`) is an instance of an OpenAPI path template. */
function pathMatches(template: string, concrete: string): boolean {
  const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}|\{[^}]+\}/g, '[^/]+');
  return new RegExp(`^${pattern}$`).test(concrete);
}
