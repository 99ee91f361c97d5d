import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createFlows, keywords, menu, phoneShared, systemCopy } from '../../flows/index.ts';
import type { EngineDeps } from '../engine/run-turn.ts';
import { isSmsChannel } from '../messaging/channel.ts';
import type { InboundMessage } from '../messaging/inbound-message.ts';
import { mergeReplies } from '../messaging/merge-replies.ts';
import {
  createQueues,
  enqueueConversation,
  enqueueSend,
  enqueueVerification,
  type Queues,
} from '../queues/queues.ts';
import { createRedisRateLimiter } from '../queues/rate-limiter.ts';
import { createPopulationRegistry } from '../registry/create-registry.ts';
import { createDataCipher } from '../shared/crypto.ts';
import { createPgCitizenRepository } from '../storage/postgres/citizen-repository.ts';
import { createPgContactRepository } from '../storage/postgres/contact-repository.ts';
import { migrate, openDatabase } from '../storage/postgres/database.ts';
import { Inbox } from '../storage/postgres/inbox.ts';
import { type NewOutbound, Outbox } from '../storage/postgres/outbox.ts';
import { createPgProviderTokenStore } from '../storage/postgres/provider-token-store.ts';
import { createRedisConversationStore } from '../storage/redis/redis-conversation-store.ts';
import { createRedisPhoneCodeStore } from '../storage/redis/redis-phone-code-store.ts';
import { type ChannelOverrides, createAdapters, smsChannelOf } from './channels.ts';
import type { Config } from './config.ts';
import { resolveEncryptionKey } from './encryption-key.ts';
import { createMetrics } from './metrics.ts';
import { createNotifier } from './notify.ts';
import { createPhoneProof } from './phone-proof.ts';
import { redisOptionsFromUrl } from './redis-connection.ts';
import { createTurnEnvironment } from './turn-environment.ts';

/** How long after an account is opened its registry check starts. */
const FIRST_CHECK_DELAY_MS = 1000;

/**
 * The composition root: builds every concrete part from the configuration. Web and worker processes share it;
 * nothing else in the code base creates infrastructure.
 */
export async function createServices(
  config: Config,
  logger: Logger,
  overrides: { channels?: ChannelOverrides } = {},
) {
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

  const adapters = createAdapters(config, {
    tokens: createPgProviderTokenStore(db, cipher),
    logger,
    overrides: overrides.channels,
  });
  /** The SMS channel for phone codes and for notifications a messenger refused. */
  const smsChannel = smsChannelOf(adapters);
  const rateLimiter = createRedisRateLimiter(redis, config.QUEUE_PREFIX);

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

  /** Stores messages in the outbox (once per dedupe key) and queues their sending: the one way out. */
  const queueOutbound = async (items: readonly NewOutbound[]): Promise<void> => {
    for (const id of await outbox.add(items)) await enqueueSend(queues, id);
  };

  const flows = createFlows({
    citizens,
    contacts,
    // A moment later, so the reply that opens the account is stored (and goes out) before the result.
    verifyLater: (citizenId) => enqueueVerification(queues, citizenId, { delayMs: FIRST_CHECK_DELAY_MS }),
    ...createPhoneProof({
      codes: createRedisPhoneCodeStore({ redis, cipher, prefix: config.QUEUE_PREFIX }),
      citizens,
      contacts,
      async textCode({ phone, text, language, dedupeKey }) {
        if (smsChannel === null) return false;
        await queueOutbound([
          { dedupeKey, channel: smsChannel, to: phone, reply: { text }, language, purpose: 'otp' },
        ]);
        return true;
      },
    }),
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
    phoneShared,
    async deliver(ref, message, replies) {
      // Messengers get one message per turn (in order, one quota unit); SMS one per reply, each one segment.
      const messages = isSmsChannel(message.channel)
        ? replies
        : (['reply', 'opt_out_confirmation'] as const).flatMap((purpose) => {
            const same = replies.filter((r) => r.purpose === purpose);
            const reply = mergeReplies(same.map((r) => r.reply));
            return reply && same[0] ? [{ ...same[0], reply }] : [];
          });
      await queueOutbound(
        messages.map((r, index) => ({
          dedupeKey: `in-${ref}-${index}`,
          channel: message.channel,
          to: message.from,
          reply: r.reply,
          language: r.language,
          purpose: r.purpose,
        })),
      );
    },
  };

  const notify = createNotifier({ contacts, adapters, smsChannel, queueOutbound });

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
    smsChannel,
    rateLimiter,
    notify,
    queueOutbound,
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
