import { parse as parseQueryString } from 'node:querystring';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { type AdminDeps, adminRoutes } from './routes/admin.ts';
import { type HealthDeps, healthRoutes } from './routes/health.ts';
import { type WebhookDeps, webhookRoutes } from './routes/webhooks.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body exactly as received, for signatures over raw bytes. */
    rawBody?: Buffer;
  }
}

/** What the HTTP layer needs; built by the composition root (src/app). */
export type HttpDeps = WebhookDeps & AdminDeps & HealthDeps & { readonly logger: FastifyBaseLogger };

/**
 * Builds the fastify application (without listening), so tests drive it with `inject()` and the server entry
 * point only adds `listen`. Form and JSON bodies keep their raw bytes; the error handler never leaks internals.
 */
export function buildApp(deps: HttpDeps): FastifyInstance {
  const app = Fastify({
    loggerInstance: deps.logger,
    bodyLimit: 256 * 1024,
    trustProxy: false,
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (req, body, done) => {
    req.rawBody = body as Buffer;
    done(null, { ...parseQueryString((body as Buffer).toString('utf8')) });
  });
  // A body that is not JSON is passed on as `undefined` with its raw bytes: webhook routes check the signature
  // over the raw bytes first (a forged request is 403 whatever its body), then refuse what they cannot read.
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    req.rawBody = body as Buffer;
    if ((body as Buffer).length === 0) return done(null, {});
    try {
      done(null, JSON.parse((body as Buffer).toString('utf8')));
    } catch {
      done(null, undefined);
    }
  });

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return reply.code(status).send({ error: { code: 'INTERNAL', message: 'Internal Server Error' } });
    }
    return reply.code(status).send({ error: { code: error.code ?? 'BAD_REQUEST', message: error.message } });
  });
  app.setNotFoundHandler((_request, reply) =>
    reply.code(404).send({ error: { code: 'NOT_FOUND', message: 'No such route' } }),
  );

  app.register(healthRoutes(deps));
  app.register(webhookRoutes(deps));
  app.register(adminRoutes(deps));
  return app;
}
