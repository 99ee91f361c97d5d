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
    cipher: services.cipher,
    clock: services.clock,
    agencies: services.agencies,
    documents: services.documents,
    dossiers: services.dossiers,
    files: services.files,
    signer: services.signer,
    dossierStatusChanged: (dossier, at) => services.dossierNotices.statusChanged(dossier, at),
    shares: services.shares,
    guessLimiter: services.guessLimiter,
    sharePlaceHeader: config.SHARE_PLACE_HEADER,
    trustProxy: trustProxyOf(config.TRUST_PROXY),
    shareViewed: (share, view) => services.shareNotices.shareViewed(share, view),
    exportData: (citizenId) => services.dataExport(citizenId),
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

/** TRUST_PROXY as fastify takes it: `true`/`false`, addresses/CIDRs (comma-separated), or a number of hops. */
function trustProxyOf(
  value: string | undefined,
): boolean | string | ((address: string, hop: number) => boolean) {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return (_address, hop) => hop < hops;
  }
  return value.replace(/\s+/g, '');
}
