import { buildApp } from '../http/build-app.ts';
import type { ChannelId } from '../messaging/channel.ts';
import { withDeadline } from '../shared/deadline.ts';
import { createRedisGuessLimiter } from '../storage/redis/redis-guess-limiter.ts';
import type { Services } from './services.ts';

/** How long a scrape of /metrics waits for the database's counts before answering without them. */
const METRICS_DATABASE_DEADLINE_MS = 2000;

/** Messages a web chat may send: per session, and per client address whatever its sessions (a minute each). */
export const WEB_CHAT_LIMITS = { session: 20, client: 60, windowMs: 60_000 } as const;

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
    adminTokenFile: services.adminTokenFile,
    citizens: services.citizens,
    cipher: services.cipher,
    clock: services.clock,
    agencies: services.agencies,
    teams: services.teams,
    releaseHeld: (memberId, by, at) => services.handoffDesk.release(memberId, by, at),
    handoffs: services.handoffs,
    contacts: services.contacts,
    staffHandoffs: services.handoffDesk,
    inboxDesk: services.handoffDesk,
    handoffEvents: services.handoffEvents,
    campaignStats: services.campaignStats,
    failedMessages: services.inbox,
    documents: services.documents,
    dossiers: services.dossiers,
    files: services.files,
    signer: services.signer,
    dossierStatusChanged: (dossier, at) => services.dossierNotices.statusChanged(dossier, at),
    dataRequests: services.dataRequests,
    allowHttpCallbacks: config.NODE_ENV !== 'production',
    dataRequestCreated: (request) => services.dataRequestEvents.created(request),
    async dataRequestDue(request) {
      return (await services.dataRequestEvents.expire(request.id)) ?? request;
    },
    shares: services.shares,
    guessLimiter: services.guessLimiter,
    sharePlaceHeader: config.SHARE_PLACE_HEADER,
    trustProxy: trustProxyOf(config.TRUST_PROXY),
    production: config.NODE_ENV === 'production',
    shareViewed: (share, view) => services.shareNotices.shareViewed(share, view),
    exportData: (citizenId) => services.dataExport(citizenId),
    consoleSessions: services.consoleSessions,
    boardQueues: Object.values(queues),
    consoleCodes: services.consoleCodes,
    assisted: services.assisted,
    assistedRequests: services.assistedRequests,
    async sendConsoleCode(member, text, language, dedupeKey) {
      await services.queueOutbound([
        {
          dedupeKey,
          channel: member.channel as ChannelId,
          to: member.address,
          reply: { text },
          language,
          purpose: 'otp',
        },
      ]);
    },
    devPhones: services.devOutbox
      ? {
          feed: services.devPhoneFeed,
          adoption: services.devPhones,
          list: () => services.devPhoneStore.list(),
          phoneLimiter: createRedisGuessLimiter({
            redis: services.redis,
            prefix: config.QUEUE_PREFIX,
            name: 'dev-phone-answer',
            misses: WEB_CHAT_LIMITS.session + 1,
            windowMs: WEB_CHAT_LIMITS.windowMs,
          }),
          clientLimiter: createRedisGuessLimiter({
            redis: services.redis,
            prefix: config.QUEUE_PREFIX,
            name: 'dev-phone-client',
            misses: WEB_CHAT_LIMITS.client + 1,
            windowMs: WEB_CHAT_LIMITS.windowMs,
          }),
        }
      : undefined,
    simulator: { feed: services.simulatorFeed, production: config.NODE_ENV === 'production' },
    webChat: {
      feed: services.webChat,
      devOutbox: services.devOutbox,
      noSms: services.smsChannel === null && !services.devOutbox,
      setLanguage: (session, language) => services.contacts.setLanguage('web', session, language),
      sessionLimiter: createRedisGuessLimiter({
        redis: services.redis,
        prefix: config.QUEUE_PREFIX,
        name: 'web-chat-session',
        // The message that goes over the limit is the one refused.
        misses: WEB_CHAT_LIMITS.session + 1,
        windowMs: WEB_CHAT_LIMITS.windowMs,
      }),
      clientLimiter: createRedisGuessLimiter({
        redis: services.redis,
        prefix: config.QUEUE_PREFIX,
        name: 'web-chat-client',
        misses: WEB_CHAT_LIMITS.client + 1,
        windowMs: WEB_CHAT_LIMITS.windowMs,
      }),
    },
    readinessChecks: {
      redis: () => services.redis.ping(),
      database: () => services.db.query('SELECT 1'),
    },
    async metricsText() {
      // Redis answers within its command timeout or not at all: without it the scrape still answers, with the
      // process metrics, dcz_redis_up 0 and no queue depths (rather than stale ones).
      const depths = await Promise.all(
        Object.entries(queues).map(async ([name, queue]) => ({
          name,
          counts: await queue.getJobCounts('wait', 'active', 'delayed', 'failed', 'prioritized'),
        })),
      ).catch(() => null);
      metrics.queueDepth.reset();
      for (const { name, counts } of depths ?? []) {
        for (const [state, n] of Object.entries(counts)) metrics.queueDepth.set({ queue: name, state }, n);
      }
      metrics.redisUp.set(depths === null ? 0 : 1);
      // Likewise without PostgreSQL: dcz_database_up 0 and no registration counts.
      const registrations = await withDeadline(
        services.citizens.countByStatus(),
        METRICS_DATABASE_DEADLINE_MS,
        'The database',
      ).catch(() => null);
      metrics.registrations.reset();
      for (const [status, n] of Object.entries(registrations ?? {})) metrics.registrations.set({ status }, n);
      metrics.databaseUp.set(registrations === null ? 0 : 1);
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
