import { parse as parseQueryString } from 'node:querystring';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import { isTransientError } from '../shared/transient-errors.ts';
import { type AccessControlDeps, installAccessControl } from './access-control.ts';
import { unavailable } from './api-errors.ts';
import { type ConsoleDeps, consoleRoutes, consoleSessionResolver } from './console/console-routes.ts';
import { type DashboardDeps, dashboardRoutes } from './console/dashboard-routes.ts';
import { type InboxDeps, inboxRoutes } from './console/inbox-routes.ts';
import { type QueueBoardDeps, queueBoardRoutes } from './console/queues-routes.ts';
import { type RegisterDeps, registerRoutes } from './console/register-routes.ts';
import { type SimulatorDeps, simulatorRoutes } from './console/simulator-routes.ts';
import { installCookieSecurity } from './cookie-security.ts';
import { registerOpenApi } from './openapi.ts';
import { type AdminDeps, adminRoutes } from './routes/admin.ts';
import { type AdminAgencyDeps, adminAgencyRoutes } from './routes/admin-agencies.ts';
import { type AdminFailedMessagesDeps, adminFailedMessagesRoutes } from './routes/admin-failed-messages.ts';
import { type AdminHandoffDeps, adminHandoffRoutes } from './routes/admin-handoffs.ts';
import { type AdminStatsDeps, adminStatsRoutes } from './routes/admin-stats.ts';
import { type AdminTeamDeps, adminTeamRoutes } from './routes/admin-teams.ts';
import { type AgencyApiDeps, agencyApiRoutes } from './routes/agency-api.ts';
import { type AgencyDataRequestDeps, agencyDataRequestRoutes } from './routes/agency-data-requests.ts';
import { type DevPhonesDeps, devPhoneRoutes } from './routes/dev-phones.ts';
import { type HealthDeps, healthRoutes } from './routes/health.ts';
import { type SharePageDeps, sharePageRoutes } from './routes/share-page.ts';
import { type WebChatDeps, webChatRoutes } from './routes/web-chat.ts';
import { type WebhookDeps, webhookRoutes } from './routes/webhooks.ts';
import { type WellKnownDeps, wellKnownRoutes } from './routes/well-known.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body exactly as received, for signatures over raw bytes. */
    rawBody?: Buffer;
  }
}

/** What the HTTP layer needs; built by the composition root (src/app). */
export type HttpDeps = AccessControlDeps &
  WebhookDeps &
  AdminDeps &
  HealthDeps &
  AdminAgencyDeps &
  AdminTeamDeps &
  AdminHandoffDeps &
  AdminStatsDeps &
  AdminFailedMessagesDeps &
  AgencyApiDeps &
  AgencyDataRequestDeps &
  WellKnownDeps &
  SharePageDeps &
  ConsoleDeps &
  WebChatDeps &
  DevPhonesDeps &
  DashboardDeps &
  InboxDeps &
  QueueBoardDeps &
  RegisterDeps &
  SimulatorDeps & {
    readonly logger: FastifyBaseLogger;
    /**
     * TRUST_PROXY: which proxies in front may say the client's address (X-Forwarded-For): `true`, addresses or
     * CIDRs (comma-separated), or a function of (address, hop). Unset: none; the socket's address is the client's.
     */
    readonly trustProxy?: boolean | string | ((address: string, hop: number) => boolean) | undefined;
    /** NODE_ENV is production: cookies are always `Secure` (unset: the same). Else the flag follows the protocol. */
    readonly production?: boolean | undefined;
  };

declare module 'fastify' {
  interface FastifyInstance {
    /** No SMS channel and not production: texts to phones are shown on `/dev/phones` (docs/channels/web.md). */
    developmentMode: boolean;
  }
}

/**
 * How the router reads paths. A path parameter may be as long as a URL can be (Node's 16 KB of headers): a
 * made-up share token of 300 characters reaches its route and is answered as any link that cannot be opened
 * (404, counted as a guess), not with a 414 that tells a guesser something different.
 */
export const ROUTER_OPTIONS = { maxParamLength: 16 * 1024 } as const;

/**
 * Builds the fastify application (without listening), so tests drive it with `inject()` and the server entry
 * point only adds `listen`. Form and JSON bodies keep their raw bytes; the error handler never leaks internals.
 */
export function buildApp(deps: HttpDeps): FastifyInstance {
  const app = Fastify({
    loggerInstance: deps.logger,
    bodyLimit: 256 * 1024,
    trustProxy: deps.trustProxy ?? false,
    routerOptions: ROUTER_OPTIONS,
    // While the server drains (SIGTERM), a request arriving on an open keep-alive connection is handled as usual
    // (its connection is then closed): fastify's own answer would be a bare 503 without Retry-After, which breaks
    // the webhook contract. Nothing the request needs is closed before the server (src/app/main.ts).
    return503OnClosing: false,
    // The router refuses a URL that is not percent-encoded UTF-8 before any route: answer it like the others,
    // without repeating the URL.
    frameworkErrors: (error, request, reply) => {
      const answer = reply as FastifyReply;
      if (error.code === 'FST_ERR_BAD_URL') {
        return answer
          .code(400)
          .send({ error: { code: 'VALIDATION', message: 'url: must be percent-encoded UTF-8' } });
      }
      if (error.statusCode !== undefined && error.statusCode < 500) {
        return answer
          .code(error.statusCode)
          .send({ error: { code: 'BAD_REQUEST', message: 'This URL cannot be routed' } });
      }
      request.log.error({ err: error }, 'request failed');
      return answer.code(500).send({ error: { code: 'INTERNAL', message: 'Internal Server Error' } });
    },
  });

  // Development mode (no SMS channel, not production): every page says so (the console reads it per request).
  app.decorate('developmentMode', deps.webChat.devOutbox);

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
    // PostgreSQL or Redis away: 503 with Retry-After, never a 500 (the request can be sent again as it was).
    if (status >= 500 && isTransientError(error)) return unavailable(request, reply, error);
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return reply.code(status).send({ error: { code: 'INTERNAL', message: 'Internal Server Error' } });
    }
    return reply.code(status).send({ error: { code: error.code ?? 'BAD_REQUEST', message: error.message } });
  });
  app.setNotFoundHandler((_request, reply) =>
    reply.code(404).send({ error: { code: 'NOT_FOUND', message: 'No such route' } }),
  );

  // Before any route: every route declares who may call it, and this checks it on the route that matched.
  const consoleSession = deps.consoleSessions
    ? consoleSessionResolver({ sessions: deps.consoleSessions, teams: deps.teams })
    : undefined;
  installAccessControl(app, { ...deps, consoleSession });
  installCookieSecurity(app, { production: deps.production ?? true });
  // Then the OpenAPI document, which collects the routes registered after it.
  const providerHeaders = [...deps.adapters.values()].flatMap((a) => a.webhooks.map((w) => w.authHeader));
  registerOpenApi(app, { publicBaseUrl: deps.publicBaseUrl, providerHeaders: [...new Set(providerHeaders)] });
  app.register(healthRoutes(deps));
  app.register(webhookRoutes(deps));
  app.register(adminRoutes(deps));
  app.register(adminAgencyRoutes(deps));
  app.register(adminTeamRoutes(deps));
  app.register(adminHandoffRoutes(deps));
  app.register(adminStatsRoutes(deps));
  app.register(adminFailedMessagesRoutes(deps));
  app.register(agencyApiRoutes(deps));
  app.register(agencyDataRequestRoutes(deps));
  app.register(wellKnownRoutes(deps));
  app.register(sharePageRoutes(deps));
  app.register(consoleRoutes(deps));
  app.register(registerRoutes(deps));
  app.register(webChatRoutes(deps));
  app.register(devPhoneRoutes(deps));
  app.register(dashboardRoutes(deps));
  app.register(simulatorRoutes({ ...deps, consoleSession }));
  if (consoleSession) app.register(inboxRoutes({ ...deps, consoleSession }));
  if (consoleSession && deps.boardQueues) app.register(queueBoardRoutes({ ...deps, consoleSession }));
  return app;
}
