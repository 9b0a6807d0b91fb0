import { AjvCompiler } from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';

/**
 * Fastify's own schema compilers, shared by every app of the process: the gateway mounts
 * the very route schemas the service apps do, so each is compiled once, not once per app.
 * Validators share one Ajv (which keeps what it compiled per schema object); serialisers
 * are kept per response schema object. Safe because every app is built by createApp with
 * the same compiler options and no app adds shared (`$id`) schemas.
 */
const buildValidator = AjvCompiler();
const buildSerializerFactory = SerializerSelector();
const serializers = new WeakMap<object, ReturnType<ReturnType<typeof buildSerializerFactory>>>();

const buildSerializer: typeof buildSerializerFactory = (externalSchemas, options) => {
  const compile = buildSerializerFactory(externalSchemas, options);
  return (route) => {
    const schema = route.schema as object;
    let serialize = serializers.get(schema);
    if (!serialize) {
      serialize = compile(route);
      serializers.set(schema, serialize);
    }
    return serialize;
  };
};

export const sharedCompilers = { buildValidator, buildSerializer };
