import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { useZodSchemas } from '../api-errors.ts';

/** What health and metrics routes need. */
export interface HealthDeps {
  /** Each dependency's check; resolves when it answers. */
  readonly readinessChecks: Readonly<Record<string, () => Promise<unknown>>>;
  /** Prometheus text, refreshed on each scrape. */
  metricsText(): Promise<{ contentType: string; body: string }>;
}

const CHECK_TIMEOUT_MS = 2000;
/** Operational routes: open to whoever reaches the port (keep /metrics on an internal network). */
const PUBLIC = { access: 'public' } as const;

const Readiness = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.record(z.string(), z.enum(['ok', 'down'])).describe('Each dependency: `redis`, `database`'),
});

const HEALTHZ = {
  config: PUBLIC,
  schema: {
    tags: ['operations'],
    summary: 'Liveness: the process answers',
    response: { 200: z.object({ status: z.literal('ok') }) },
  },
} as const;

const READYZ = {
  config: PUBLIC,
  schema: {
    tags: ['operations'],
    summary: 'Readiness: Redis and the database answer',
    response: { 200: Readiness, 503: Readiness.describe('Something is down: see `checks`') },
  },
} as const;

const METRICS = {
  config: PUBLIC,
  schema: {
    tags: ['operations'],
    summary: 'Prometheus metrics',
    response: {
      200: {
        description: 'The Prometheus text exposition format',
        content: { 'text/plain': { schema: z.string() } },
      },
    },
  },
} as const;

/** `/healthz` (the process answers), `/readyz` (Redis and the database answer; 503 otherwise), `/metrics`. */
export function healthRoutes(deps: HealthDeps): FastifyPluginAsync {
  return async (app) => {
    useZodSchemas(app);
    app.get('/healthz', HEALTHZ, async () => ({ status: 'ok' }));

    app.get('/readyz', READYZ, async (_request, reply) => {
      const entries = await Promise.all(
        Object.entries(deps.readinessChecks).map(async ([name, check]) => {
          try {
            await Promise.race([
              check(),
              new Promise((_, reject) =>
                setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS).unref(),
              ),
            ]);
            return [name, 'ok'] as const;
          } catch {
            return [name, 'down'] as const;
          }
        }),
      );
      const checks = Object.fromEntries(entries);
      const ready = entries.every(([, state]) => state === 'ok');
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
    });

    app.get('/metrics', METRICS, async (_request, reply) => {
      const { contentType, body } = await deps.metricsText();
      return reply.type(contentType).send(body);
    });
  };
}
