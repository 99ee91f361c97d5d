import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createTwilioSmsAdapter } from '../../adapters/twilio-sms/twilio-sms.adapter.ts';
import { createFlows, keywords, menu, systemCopy } from '../../flows/index.ts';
import type { EngineDeps } from '../engine/run-turn.ts';
import type { ChannelAdapter } from '../messaging/channel-adapter.ts';
import type { InboundMessage } from '../messaging/inbound-message.ts';
import {
  createQueues,
  enqueueConversation,
  enqueueSend,
  enqueueVerification,
  type Queues,
} from '../queues/queues.ts';
import { createPopulationRegistry } from '../registry/create-registry.ts';
import { createDataCipher } from '../shared/crypto.ts';
import { createPgCitizenRepository } from '../storage/postgres/citizen-repository.ts';
import { createPgContactRepository } from '../storage/postgres/contact-repository.ts';
import { migrate, openDatabase } from '../storage/postgres/database.ts';
import { Inbox } from '../storage/postgres/inbox.ts';
import { Outbox } from '../storage/postgres/outbox.ts';
import { createRedisConversationStore } from '../storage/redis/redis-conversation-store.ts';
import type { Config } from './config.ts';
import { resolveEncryptionKey } from './encryption-key.ts';
import { createMetrics } from './metrics.ts';
import { redisOptionsFromUrl } from './redis-connection.ts';
import { createTurnEnvironment } from './turn-environment.ts';

/**
 * The composition root: builds every concrete part from the configuration. Web and worker processes share it;
 * nothing else in the code base creates infrastructure.
 */
export async function createServices(config: Config, logger: Logger) {
  const cipher = createDataCipher(
    await resolveEncryptionKey(config.DATA_ENCRYPTION_KEY, config.DATA_DIR, logger),
  );
  const db = await openDatabase({ url: config.DATABASE_URL, dataDir: `${config.DATA_DIR}/pglite` });
  const applied = await migrate(db);
  if (applied.length > 0) logger.info({ applied, database: db.kind }, 'database migrations applied');

  const redisOptions = redisOptionsFromUrl(config.REDIS_URL);
  // Fails fast (no endless offline queue) so webhooks answer 503 and providers retry when Redis is down.
  const redis = new Redis({
    ...redisOptions,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: false,
    lazyConnect: true,
  });
  redis.on('error', () => {
    // Reported by /readyz and by the failing operations; ioredis reconnects by itself.
  });
  await redis.connect().catch(() => undefined);
  const queueConnection = { ...redisOptions, maxRetriesPerRequest: null };
  const queues = createQueues(queueConnection, config.QUEUE_PREFIX);

  const citizens = createPgCitizenRepository(db, cipher);
  const contacts = createPgContactRepository(db, cipher);
  const inbox = new Inbox(db, cipher);
  const outbox = new Outbox(db, cipher);
  const registry = await createPopulationRegistry(
    config.POPULATION_REGISTRY,
    config.POPULATION_REGISTRY_TOKEN ? { token: config.POPULATION_REGISTRY_TOKEN } : {},
  );
  const metrics = createMetrics();

  const adapters = new Map<string, ChannelAdapter>();
  if (config.TWILIO_ACCOUNT_SID && config.TWILIO_AUTH_TOKEN && config.TWILIO_FROM) {
    adapters.set(
      'twilio-sms',
      createTwilioSmsAdapter({
        accountSid: config.TWILIO_ACCOUNT_SID,
        authToken: config.TWILIO_AUTH_TOKEN,
        from: config.TWILIO_FROM,
        publicBaseUrl: config.PUBLIC_BASE_URL,
        apiUrl: config.TWILIO_API_URL,
        encoding: config.SMS_ENCODING,
      }),
    );
  }

  /** The conversation key of an address: a keyed hash, so Redis keys and job ids carry no phone number. */
  const conversationKeyOf = (channel: string, address: string) =>
    cipher.keyedHash('conversation', `${channel}:${address}`).slice(0, 40);

  /** Stores an inbound message once and queues its conversation's turn. */
  const acceptInbound = async (message: InboundMessage): Promise<{ fresh: boolean }> => {
    const key = conversationKeyOf(message.channel, message.from);
    const stored = await inbox.accept(message, key);
    if (stored.pending) await enqueueConversation(queues, key);
    if (stored.fresh) metrics.messagesIn.inc({ channel: message.channel });
    return { fresh: stored.fresh };
  };

  const flows = createFlows({
    citizens,
    contacts,
    verifyLater: (citizenId) => enqueueVerification(queues, citizenId),
  });

  const engine: EngineDeps = {
    store: createRedisConversationStore({
      redis,
      cipher,
      prefix: config.QUEUE_PREFIX,
      ttlSeconds: config.CONVERSATION_TTL_SECONDS,
    }),
    environment: createTurnEnvironment({ citizens, contacts }),
    flows,
    keywords,
    menu,
    copy: systemCopy,
    async deliver(ref, message, replies) {
      const ids = await outbox.add(
        replies.map((r, index) => ({
          dedupeKey: `in-${ref}-${index}`,
          channel: message.channel,
          to: message.from,
          reply: r.reply,
          language: r.language,
          purpose: r.purpose,
        })),
      );
      for (const id of ids) await enqueueSend(queues, id);
    },
  };

  return {
    config,
    logger,
    cipher,
    db,
    redis,
    queueConnection,
    queues: queues satisfies Queues,
    citizens,
    contacts,
    inbox,
    outbox,
    registry,
    metrics,
    adapters,
    engine,
    conversationKeyOf,
    acceptInbound,
    async close() {
      await Promise.allSettled(Object.values(queues).map((q) => q.close()));
      await registry.close?.();
      redis.disconnect();
      await db.close();
    },
  };
}

/** Everything the composition root built. */
export type Services = Awaited<ReturnType<typeof createServices>>;
