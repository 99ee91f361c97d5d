import { buildApp } from '../http/build-app.ts';
import type { Services } from './services.ts';

/** Builds the HTTP application over the services (shared by main and the tests). */
export function buildHttp(services: Services) {
  const { config, metrics, queues } = services;
  return buildApp({
    logger: services.logger,
    publicBaseUrl: config.PUBLIC_BASE_URL,
    adapters: services.adapters,
    acceptInbound: services.acceptInbound,
    applyDeliveryReport: (channel, report) => services.outbox.applyDeliveryReport(channel, report),
    adminToken: config.ADMIN_TOKEN,
    citizens: services.citizens,
    readinessChecks: {
      redis: () => services.redis.ping(),
      database: () => services.db.query('SELECT 1'),
    },
    async metricsText() {
      for (const [name, queue] of Object.entries(queues)) {
        const counts = await queue.getJobCounts('wait', 'active', 'delayed', 'failed', 'prioritized');
        for (const [state, n] of Object.entries(counts)) metrics.queueDepth.set({ queue: name, state }, n);
      }
      for (const [status, n] of Object.entries(await services.citizens.countByStatus())) {
        metrics.registrations.set({ status }, n);
      }
      return { contentType: metrics.registry.contentType, body: await metrics.registry.metrics() };
    },
  });
}
