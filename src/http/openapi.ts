import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';

type Json = Record<string, unknown>;
type OpenApiDocument = { paths?: Record<string, Record<string, Json>> } & Json;

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/** What every service's OpenAPI document is built from (the gateway's merges every route). */
export function openApiOptions(title: string): FastifyDynamicSwaggerOptions {
  return {
    openapi: {
      openapi: '3.1.0',
      info: { title, version: '1.0.0' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          agentKey: { type: 'apiKey', in: 'header', name: 'X-Agent-Key' },
        },
      },
    },
    transformObject: (doc) => finishDocument((doc as { openapiObject: OpenApiDocument }).openapiObject),
  };
}

/** A request field with a default is one the client may leave out. */
export function finishDocument(doc: OpenApiDocument): OpenApiDocument {
  for (const item of Object.values(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      for (const param of (op.parameters as Json[] | undefined) ?? []) {
        if ((param.schema as Json | undefined)?.default !== undefined) param.required = false;
      }
      const content = (op.requestBody as { content?: Record<string, { schema?: Json }> } | undefined)?.content;
      for (const media of Object.values(content ?? {})) {
        if (media.schema) media.schema = withDefaultsOptional(media.schema);
        if (media.schema && !(media.schema.required as string[] | undefined)?.length) {
          (op.requestBody as Json).required = false;
        }
      }
    }
  }
  return doc;
}

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
