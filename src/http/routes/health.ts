import type { FastifyPluginAsync } from 'fastify';

/** What health and metrics routes need. */
export interface HealthDeps {
  /** Each dependency's check; resolves when it answers. */
  readonly readinessChecks: Readonly<Record<string, () => Promise<unknown>>>;
  /** Prometheus text, refreshed on each scrape. */
  metricsText(): Promise<{ contentType: string; body: string }>;
}

const CHECK_TIMEOUT_MS = 2000;

/** `/healthz` (the process answers), `/readyz` (Redis and the database answer; 503 otherwise), `/metrics`. */
export function healthRoutes(deps: HealthDeps): FastifyPluginAsync {
  return async (app) => {
    app.get('/healthz', async () => ({ status: 'ok' }));

    app.get('/readyz', async (_request, reply) => {
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

    app.get('/metrics', async (_request, reply) => {
      const { contentType, body } = await deps.metricsText();
      return reply.type(contentType).send(body);
    });
  };
}
