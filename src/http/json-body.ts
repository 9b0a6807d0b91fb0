import type { FastifyInstance } from 'fastify';

/**
 * A POST without a body is the empty object: most fetch wrappers send
 * `Content-Type: application/json` with nothing after it, and some send no type at all.
 * Anything else goes through Fastify's own JSON parser (prototype poisoning refused).
 */
export function installJsonBody(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString();
    if (text.trim() === '') return done(null, {});
    return parseJson(request, text, done);
  });
  app.addHook('preValidation', (request, _reply, done) => {
    if (request.body === undefined && request.method !== 'GET' && request.routeOptions.schema?.body) request.body = {};
    done();
  });
}
