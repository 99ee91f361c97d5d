import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createDevSmsAdapter } from '../../adapters/dev-sms/dev-sms.adapter.ts';
import { createSimulatorAdapter, simulatorFeedKey } from '../../adapters/simulator/simulator.adapter.ts';
import { createWebAdapter } from '../../adapters/web/web.adapter.ts';
import { createAssisted } from '../../flows/assisted/assisted.effects.ts';
import { createHandoffDesk } from '../../flows/handoff/handoff-desk.ts';
import { handoffStanding } from '../../flows/handoff/handoff-standing.ts';
import { maskLocalPhone } from '../../flows/identity/phone-proof.ts';
import { createFlows, keywords, menu, phoneShared, systemCopy } from '../../flows/index.ts';
import { exportCitizenData } from '../domain/citizens/export-data.ts';
import { purgeDueAccounts } from '../domain/citizens/purge-accounts.ts';
import { HandoffEventSchema, type HandoffEventSource } from '../domain/handoffs/handoff-events.ts';
import { createShare } from '../domain/shares/create-share.ts';
import { WRONG_INVITE_CODES } from '../domain/teams/join-team.ts';
import type { KeywordRule } from '../engine/commands.ts';
import type { Flow } from '../engine/flow-kit.ts';
import type { EngineDeps } from '../engine/run-turn.ts';
import {
  type ChannelId,
  ChannelIdSchema,
  isSimulatedChannel,
  SIMULATED_CHANNELS,
  SMS_CHANNELS,
} from '../messaging/channel.ts';
import type { InboundMessage } from '../messaging/inbound-message.ts';
import { refuseOutsideWindow } from '../messaging/inbound-window.ts';
import { createDataRequestEvents } from '../pipeline/data-requests.ts';
import { createDossierNotices } from '../pipeline/dossier-notices.ts';
import { createIntake } from '../pipeline/intake.ts';
import { createNotifier } from '../pipeline/notify.ts';
import { createPhoneProof } from '../pipeline/phone-proof.ts';
import { createShareNotices } from '../pipeline/share-notices.ts';
import {
  createQueues,
  enqueueAssistedExpiry,
  enqueueConversations,
  enqueueDataRequestCallback,
  enqueueDataRequestExpiry,
  enqueueDossierNotice,
  enqueueHandoffWait,
  enqueueSend,
  enqueueVerification,
  enqueueWake,
  type Queues,
} from '../queues/queues.ts';
import { createRedisRateLimiter } from '../queues/rate-limiter.ts';
import { createRedisRecipientLock } from '../queues/recipient-lock.ts';
import { createPopulationRegistry } from '../registry/create-registry.ts';
import { createDataCipher } from '../shared/crypto.ts';
import { createPgAgencyRepository } from '../storage/postgres/agency-repository.ts';
import { createPgAssistedRequestRepository } from '../storage/postgres/assisted-request-repository.ts';
import { createPgCampaignStats } from '../storage/postgres/campaign-stats.ts';
import { createPgCitizenRepository } from '../storage/postgres/citizen-repository.ts';
import { createPgContactRepository } from '../storage/postgres/contact-repository.ts';
import { createPgDataRequestRepository } from '../storage/postgres/data-request-repository.ts';
import { migrate, openDatabase } from '../storage/postgres/database.ts';
import { createPgDevPhoneStore } from '../storage/postgres/dev-phone-store.ts';
import { createPgDocumentRepository } from '../storage/postgres/document-repository.ts';
import { PgDossierNoticeStore } from '../storage/postgres/dossier-notice-store.ts';
import { createPgDossierRepository } from '../storage/postgres/dossier-repository.ts';
import { createPgHandoffRepository } from '../storage/postgres/handoff-repository.ts';
import { Inbox } from '../storage/postgres/inbox.ts';
import { createPgMessageHistory } from '../storage/postgres/message-history.ts';
import { type NewOutbound, Outbox, type Recipient, recipientOf } from '../storage/postgres/outbox.ts';
import { createPgProviderTokenStore } from '../storage/postgres/provider-token-store.ts';
import { createPgShareRepository } from '../storage/postgres/share-repository.ts';
import { createPgTeamRepository } from '../storage/postgres/team-repository.ts';
import { createRedisConsoleSessions } from '../storage/redis/redis-console-sessions.ts';
import { createRedisConversationStore } from '../storage/redis/redis-conversation-store.ts';
import { createRedisGuessLimiter } from '../storage/redis/redis-guess-limiter.ts';
import { createRedisPhoneCodeStore } from '../storage/redis/redis-phone-code-store.ts';
import { createRedisTopic, type RedisTopic } from '../storage/redis/redis-pubsub.ts';
import { createRedisWebChat } from '../storage/redis/redis-web-chat.ts';
import { resolveAdminToken } from './admin-token.ts';
import { type ChannelOverrides, createAdapters, smsChannelOf } from './channels.ts';
import type { Config } from './config.ts';
import { createDevPhoneAdoption } from './dev-phones.ts';
import { resolveEncryptionKey } from './encryption-key.ts';
import { openFileStore } from './file-store.ts';
import { createMetrics } from './metrics.ts';
import { REDIS_COMMAND_TIMEOUT_MS, reconnectDelayMs, redisOptionsFromUrl } from './redis-connection.ts';
import { resolveDocumentSigner } from './signing-key.ts';
import { createTurnEnvironment } from './turn-environment.ts';

/** How long after an account is opened its registry check starts. */
const FIRST_CHECK_DELAY_MS = 1000;

/**
 * Group commit of intake (src/pipeline/intake.ts): at most 200 messages in one insert, and at most 2 inserts at
 * once, so that under load the webhooks that wait form the next batch (docs/benchmarks.md, "What limits intake").
 */
export const INTAKE_BATCHES = { maxBatch: 200, maxInFlight: 2 } as const;

/**
 * The composition root: builds every concrete part from the configuration. Web and worker processes share it;
 * nothing else in the code base creates infrastructure.
 */
export async function createServices(
  configured: Config,
  logger: Logger,
  overrides: {
    channels?: ChannelOverrides;
    clock?: () => Date;
    /**
     * Conversations added to the service's own, with the keywords that start them (tried first): tests add one
     * (a flow that always throws, to check the poison-message handling); the service adds none.
     */
    extraFlows?: { readonly flows: readonly Flow[]; readonly keywords: readonly KeywordRule[] };
  } = {},
) {
  /** The time as every part sees it (tests set it); real time by default. */
  const clock = overrides.clock ?? (() => new Date());
  /** ADMIN_TOKEN, or outside production a development one kept in DATA_DIR/admin-token. */
  const adminToken = await resolveAdminToken(configured.ADMIN_TOKEN, {
    nodeEnv: configured.NODE_ENV,
    dataDir: configured.DATA_DIR,
    logger,
  });
  const config: Config = { ...configured, ADMIN_TOKEN: adminToken.token };
  const masterKey = await resolveEncryptionKey(config.DATA_ENCRYPTION_KEY, config.DATA_DIR, logger);
  const cipher = createDataCipher(masterKey);
  const db = await openDatabase({ url: config.DATABASE_URL, dataDir: `${config.DATA_DIR}/pglite` });
  const applied = await migrate(db);
  if (applied.length > 0) logger.info({ applied, database: db.kind }, 'database migrations applied');

  const redisOptions = { ...redisOptionsFromUrl(config.REDIS_URL), retryStrategy: reconnectDelayMs };
  // The producer connection: every Redis command our code awaits (adding jobs to the queues, the stores, the
  // limiters) goes through it, and fails instead of waiting while Redis is away: refused at once while
  // disconnected (no offline queue), failed after REDIS_COMMAND_TIMEOUT_MS when the server accepts the
  // connection but does not answer, and a connection that got no answer that long is dropped (so the commands
  // after it are refused at once, and a half-open connection is noticed). So webhooks answer 503 and providers
  // retry. ioredis reconnects by itself.
  const redis = new Redis({
    ...redisOptions,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: false,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    socketTimeout: REDIS_COMMAND_TIMEOUT_MS,
    lazyConnect: true,
  });
  redis.on('error', () => {
    // Reported by /readyz and by the failing operations.
  });
  await redis.connect().catch(() => undefined);
  const queues = createQueues(redis, config.QUEUE_PREFIX);
  // A queue reads the server's version on its first connection, and an add waits for that: wait for it here
  // (a process started while Redis is away waits for it), so that no request ever does.
  await Promise.all(Object.values(queues).map((queue) => queue.waitUntilReady()));
  // The workers' connections, which BullMQ opens for itself (blocking ones included): these wait for Redis
  // while it is away (no command limit, offline queue) and the workers resume by themselves when it is back.
  const queueConnection = { ...redisOptions, maxRetriesPerRequest: null };

  const citizens = createPgCitizenRepository(db, cipher);
  const contacts = createPgContactRepository(db, cipher);
  const inbox = new Inbox(db, cipher);
  const outbox = new Outbox(db, cipher);
  const shares = createPgShareRepository(db, cipher);
  const agencies = createPgAgencyRepository(db);
  const teams = createPgTeamRepository(db, cipher);
  const documents = createPgDocumentRepository(db, cipher);
  const dossiers = createPgDossierRepository(db, cipher);
  /** Agencies' requests for a citizen's data and papers (docs/agency-api.md). */
  const dataRequests = createPgDataRequestRepository(db, cipher);
  const handoffs = createPgHandoffRepository(db, cipher);
  /** The dashboard's figures (docs/dashboard.md). */
  const campaignStats = createPgCampaignStats(db);
  /** The files of papers, encrypted at rest under a key derived from the master key. */
  const fileStore = await openFileStore(config, masterKey);
  const files = fileStore.files;
  logger.info({ filesStore: fileStore.kind }, "papers' files store opened");
  const signer = await resolveDocumentSigner(
    config.DOCUMENT_SIGNING_KEY,
    config.DOCUMENT_RETIRED_PUBLIC_KEYS,
    config.DATA_DIR,
    logger,
  );
  /** Counts failed share-link lookups per client (keyed hash of the IP) to stop guessing. */
  const guessLimiter = createRedisGuessLimiter({ redis, prefix: config.QUEUE_PREFIX });
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
  /** The chats of the service's own page: replies go to a per-session feed in Redis, streamed by the web process. */
  const webChat = createRedisWebChat({ redis, cipher, prefix: config.QUEUE_PREFIX });
  adapters.set('web', createWebAdapter({ feed: webChat, publicBaseUrl: config.PUBLIC_BASE_URL }));
  /** The console simulator's channels: replies go to the simulated conversation's feed, never to a provider. */
  const simulatorFeed = createRedisWebChat({ redis, cipher, prefix: `${config.QUEUE_PREFIX}:simulator` });
  for (const channel of SIMULATED_CHANNELS) {
    adapters.set(
      channel,
      createSimulatorAdapter({
        channel,
        feed: simulatorFeed,
        smsEncoding: config.SMS_ENCODING,
        publicBaseUrl: config.PUBLIC_BASE_URL,
      }),
    );
  }
  /**
   * Development mode (docs/channels/web.md): no SMS channel configured and not production. Then the development
   * phones (`dev-sms`) are the SMS channel: every text to a phone is shown on `/dev/phones`, never sent, and only
   * to phones development mode adopted (which had no account when it first texted or answered as them).
   */
  const devOutbox = devOutboxOn(config, smsChannelOf(adapters));
  const devPhoneStore = createPgDevPhoneStore(db, cipher);
  const devPhones = createDevPhoneAdoption({ store: devPhoneStore, citizens });
  /** The development phones' feeds, one per phone, streamed by `/dev/phones`. */
  const devPhoneFeed = createRedisWebChat({ redis, cipher, prefix: `${config.QUEUE_PREFIX}:dev-phones` });
  if (devOutbox) {
    adapters.set(
      'dev-sms',
      createDevSmsAdapter({ feed: devPhoneFeed, phones: devPhones, smsEncoding: config.SMS_ENCODING, clock }),
    );
    logger.warn(
      'development mode: no SMS is sent; texts to phones are shown on /dev/phones (development phones), see docs/channels/web.md',
    );
  }
  /** The SMS channel for phone codes and for notifications a messenger refused (`dev-sms` in development mode). */
  const smsChannel = smsChannelOf(adapters);
  const rateLimiter = createRedisRateLimiter(redis, config.QUEUE_PREFIX);
  /** One sender per recipient at a time (the send job or a turn sending its replies at once). */
  const recipientLock = createRedisRecipientLock(redis, config.QUEUE_PREFIX, config.WORKER_LOCK_MS);

  /** The conversation key of an address: a keyed hash, so Redis keys and job ids carry no phone number. */
  const conversationKeyOf = (channel: string, address: string) =>
    cipher.keyedHash('conversation', `${channel}:${address}`).slice(0, 40);

  /**
   * Stores an inbound message once and queues its conversation's turn. A message signed outside the
   * deduplication window is refused first (`WebhookRejectedError`, answered 400): nothing is stored.
   */
  const intake = createIntake({
    acceptMany: (items) => inbox.acceptMany(items),
    enqueueConversations: (keys) => enqueueConversations(queues, keys),
    countAccepted: (channel) => metrics.messagesIn.inc({ channel }),
    ...INTAKE_BATCHES,
  });
  const acceptInbound = async (message: InboundMessage): Promise<{ fresh: boolean }> => {
    refuseOutsideWindow(message, clock());
    const stored = await intake({
      message,
      conversationKey: conversationKeyOf(message.channel, message.from),
    });
    return { fresh: stored.fresh };
  };

  /**
   * Stores messages in the outbox (once per dedupe key) and queues the sending to their recipients (once per
   * recipient): the one way out. A message with `notBefore` (quiet hours) gets a wake-up then instead.
   */
  const queueOutbound = async (items: readonly NewOutbound[]): Promise<void> => {
    const ids = await outbox.add(items);
    const due = new Map<string, Recipient>();
    for (const [index, item] of items.entries()) {
      const recipient = recipientOf(cipher, item.channel, item.to);
      const delayMs = (item.notBefore?.getTime() ?? 0) - clock().getTime();
      if (delayMs > 0) await enqueueWake(queues, recipient, ids[index] ?? 0, delayMs);
      else due.set(`${recipient.channel}:${recipient.addressHash}`, recipient);
    }
    for (const recipient of due.values()) await enqueueSend(queues, recipient);
  };

  // A moment later, so the reply that opens the account is stored (and goes out) before the result; the job also
  // waits for the opening message's turn (a crash may replay it much later), when a turn opened the account.
  const verifyLater = (citizenId: string, openedByRef?: string) =>
    enqueueVerification(queues, citizenId, {
      delayMs: FIRST_CHECK_DELAY_MS,
      afterInbound:
        openedByRef !== undefined && /^[1-9]\d{0,15}$/u.test(openedByRef) ? Number(openedByRef) : undefined,
    });
  /** Assisted registration (DKH): consent by SMS, the expiry job, telling the volunteer. */
  const assistedRequests = createPgAssistedRequestRepository(db, cipher);
  const assisted = createAssisted({
    teams,
    assisted: assistedRequests,
    citizens,
    contacts,
    keyedHash: cipher.keyedHash,
    smsChannel,
    consentTtlSeconds: config.ASSISTED_CONSENT_TTL_SECONDS,
    sendMessage: ({ channel, to, text, language, dedupeKey }) =>
      queueOutbound([{ dedupeKey, channel, to, reply: { text }, language, purpose: 'reply' }]),
    expireLater: (requestId, at) =>
      enqueueAssistedExpiry(queues, requestId, at.getTime() - clock().getTime()),
    verifyLater,
  });

  /** Queues the waiting notice of a hand-off for `dueAt` (10 minutes after it opened, or the next 07:00). */
  const scheduleHandoffWait = (handoffId: number, dueAt: Date) =>
    enqueueHandoffWait(queues, handoffId, dueAt, dueAt.getTime() - clock().getTime());
  /** Hand-offs to a person: opened by GAP, taken by a team member, relayed both ways, answered by staff. */
  /** Hand-off changes (id, kind, ward), published where the desk changes state, heard by the web process. */
  const handoffTopic = createRedisTopic({ redis, channel: `${config.QUEUE_PREFIX}:handoff-events` });
  const handoffEvents = handoffEventsOver(handoffTopic);
  const handoffDesk = createHandoffDesk({
    handoffChanged: (event) => handoffTopic.publish(JSON.stringify(event)),
    handoffs,
    teams,
    citizens,
    contacts,
    scheduleHandoffWait,
    sendHandoffMessages: (messages) =>
      queueOutbound(
        messages.map((m) => ({
          dedupeKey: m.dedupeKey,
          channel: ChannelIdSchema.parse(m.channel),
          to: m.to,
          reply: { text: m.text },
          language: m.language,
          purpose: 'reply',
          citizenId: m.citizenId ?? undefined,
        })),
      ),
  });

  /** Data requests: the citizen's notice, the expiry job, the agency's callbacks. */
  const dataRequestEvents = createDataRequestEvents({
    dataRequests,
    citizens,
    documents,
    notify: (...args) => notify(...args),
    expireLater: (requestId, delayMs) => enqueueDataRequestExpiry(queues, requestId, delayMs),
    callbackLater: (requestId, status) => enqueueDataRequestCallback(queues, requestId, status),
    clock,
  });

  const flows = createFlows({
    dataRequests,
    dataRequestChanged: (request) => dataRequestEvents.changed(request),
    handoffDesk,
    handoffs,
    citizens,
    contacts,
    verifyLater,
    assisted,
    documents,
    dossiers,
    shares,
    createShare: (input) =>
      createShare({ shares, documents, cipher, publicBaseUrl: config.PUBLIC_BASE_URL }, input),
    teams,
    wrongInviteCodes: createRedisGuessLimiter({
      redis,
      prefix: config.QUEUE_PREFIX,
      name: 'invite-guess',
      ...WRONG_INVITE_CODES,
    }),
    keyedHash: cipher.keyedHash,
    ...createPhoneProof({
      codes: createRedisPhoneCodeStore({ redis, cipher, prefix: config.QUEUE_PREFIX }),
      citizens,
      contacts,
      devOutbox,
      async textCode({ phone, text, language, dedupeKey, via }) {
        if (isSimulatedChannel(via.channel)) {
          // A code asked for in the simulator is shown in the simulator only (and reaches no real account).
          await simulatorFeed.push(simulatorFeedKey(via.channel, via.address), {
            kind: 'sms',
            to: maskLocalPhone(phone),
            text,
          });
          return true;
        }
        if (smsChannel === null) return false;
        // Development mode: the code is also shown in the web chat that asked for it (a convenience).
        if (devOutbox && via.channel === 'web') {
          await webChat.push(via.address, { kind: 'sms', to: maskLocalPhone(phone), text });
        }
        await queueOutbound([
          { dedupeKey, channel: smsChannel, to: phone, reply: { text }, language, purpose: 'otp' },
        ]);
        return true;
      },
    }),
  });

  /** The engine's parts; the turn stage stores and sends a turn's replies (src/pipeline/turn-job.ts). */
  const engine: Omit<EngineDeps, 'deliver'> = {
    store: createRedisConversationStore({
      redis,
      cipher,
      prefix: config.QUEUE_PREFIX,
      ttlSeconds: config.CONVERSATION_TTL_SECONDS,
    }),
    environment: createTurnEnvironment({ citizens, contacts, standing: handoffStanding(handoffs) }),
    flows: overrides.extraFlows
      ? new Map([...flows, ...overrides.extraFlows.flows.map((flow) => [flow.id, flow] as const)])
      : flows,
    keywords: overrides.extraFlows ? [...overrides.extraFlows.keywords, ...keywords] : keywords,
    menu,
    copy: systemCopy,
    phoneShared,
  };

  const notify = createNotifier({
    contacts,
    adapters,
    smsChannel,
    queueOutbound,
    clock,
    quietHours: config.QUIET_HOURS,
  });
  const dossierNotices = createDossierNotices({
    store: new PgDossierNoticeStore(db, cipher),
    citizens,
    notify,
    queueNotice: (dossierId, dueAt, delayMs) => enqueueDossierNotice(queues, dossierId, dueAt, delayMs),
    clock,
    quietHours: config.QUIET_HOURS,
    logger,
  });
  const shareNotices = createShareNotices({ shares, documents, citizens, notify });

  /** The citizen's data export (DULIEU link): everything held about them, JSON-ready; null once purged. */
  const dataExport = (citizenId: string) =>
    exportCitizenData({ citizens, contacts, documents, dossiers, shares, dataRequests }, citizenId, clock());
  const messageHistory = createPgMessageHistory(db, cipher, conversationKeyOf);
  /** Purges the closed accounts whose 30 days are over (run by the maintenance job); resolves how many. */
  const purgeAccounts = () =>
    purgeDueAccounts(
      {
        citizens,
        contacts,
        documents,
        files,
        dossiers,
        shares,
        handoffs: {
          async forgetChats(citizenId, chats, at) {
            // A hand-off asked for by SMS is the phone's chat, linked to the account or not.
            const phone = (await citizens.findById(citizenId))?.phone;
            const sms = phone ? SMS_CHANNELS.map((channel) => ({ channel, address: phone })) : [];
            await handoffs.forgetChats(citizenId, [...chats, ...sms], at);
          },
        },
        async forgetMessages(citizenId, identities) {
          // Phone codes and SMS fallbacks went to the account's phone on the SMS channels, linked or not.
          const phone = (await citizens.findById(citizenId))?.phone;
          const sms = phone ? SMS_CHANNELS.map((channel) => ({ channel, address: phone })) : [];
          await messageHistory.forget(citizenId, [...identities, ...sms]);
        },
      },
      clock(),
    );

  return {
    config,
    /** `DATA_DIR/admin-token` when the admin token is a generated development one (the sign-in page says so). */
    adminTokenFile: adminToken.file,
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
    shares,
    agencies,
    teams,
    assisted,
    assistedRequests,
    documents,
    dossiers,
    dataRequests,
    handoffs,
    handoffDesk,
    handoffEvents,
    scheduleHandoffWait,
    campaignStats,
    files,
    signer,
    guessLimiter,
    registry,
    metrics,
    adapters,
    smsChannel,
    devOutbox,
    devPhones,
    devPhoneStore,
    devPhoneFeed,
    webChat,
    simulatorFeed,
    rateLimiter,
    recipientLock,
    clock,
    notify,
    dossierNotices,
    shareNotices,
    dataRequestEvents,
    dataExport,
    purgeAccounts,
    queueOutbound,
    engine,
    conversationKeyOf,
    acceptInbound,
    /** The console's sessions, and its members' sign-in codes (the phone-code store under its own prefix). */
    consoleSessions: createRedisConsoleSessions({ redis, cipher, prefix: config.QUEUE_PREFIX }),
    consoleCodes: createRedisPhoneCodeStore({ redis, cipher, prefix: `${config.QUEUE_PREFIX}:console` }),
    async close() {
      await Promise.allSettled(Object.values(queues).map((q) => q.close()));
      await webChat.close();
      await simulatorFeed.close();
      await devPhoneFeed.close();
      await registry.close?.();
      await handoffTopic.close();
      fileStore.close();
      redis.disconnect();
      await db.close();
    },
  };
}

/**
 * Whether development mode is on: only without any configured SMS channel, and never in production. Then the
 * development phones (`dev-sms`, `/dev/phones`) are the SMS channel, phone codes asked for in the web chat are also
 * shown in that page, and a code shown in a page can never reach an existing account.
 */
export function devOutboxOn(config: Pick<Config, 'NODE_ENV'>, smsChannel: ChannelId | null): boolean {
  return smsChannel === null && config.NODE_ENV !== 'production';
}

/** Everything the composition root built. */
export type Services = Awaited<ReturnType<typeof createServices>>;

/** The hand-off changes of a topic, as the Inbox hears them (a message that is not one is ignored). */
function handoffEventsOver(topic: RedisTopic): HandoffEventSource {
  return {
    subscribe: (listener) =>
      topic.subscribe((message) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(message);
        } catch {
          return;
        }
        const event = HandoffEventSchema.safeParse(parsed);
        if (event.success) listener(event.data);
      }),
  };
}
