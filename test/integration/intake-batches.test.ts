import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../src/messaging/inbound-message.ts';
import { createIntake, type IntakeItem } from '../../src/pipeline/intake.ts';
import {
  createQueues,
  createWorker,
  enqueueConversations,
  QUEUE_EVENTS_KEPT,
  type Queues,
  TURN_BACKOFF,
} from '../../src/queues/queues.ts';
import { createDataCipher } from '../../src/shared/crypto.ts';
import { type Database, migrate, openDatabase } from '../../src/storage/postgres/database.ts';
import { Inbox } from '../../src/storage/postgres/inbox.ts';
import { createRedisPrefix, createTestDatabase, eventually, REDIS_URL } from '../support/services.ts';

// Intake's group commit on real PostgreSQL and Redis: concurrent messages stored in one insert and their turns
// queued in one round trip, in the order received, each provider message once, and a failed batch failing all of
// its messages (their webhooks answer 503) and storing none of them.

const cipher = createDataCipher(randomBytes(32));
let db: Database;
let queues: Queues;
let inbox: Inbox;
let redis: ReturnType<typeof createRedisPrefix>;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const database = await createTestDatabase();
  db = await openDatabase({ url: database.url, dataDir: 'unused' });
  await migrate(db);
  redis = createRedisPrefix();
  queues = createQueues({ url: REDIS_URL }, redis.prefix);
  inbox = new Inbox(db, cipher);
  cleanup = async () => {
    await Promise.all(Object.values(queues).map((queue) => queue.close()));
    await redis.cleanup();
    await db.close();
    await database.drop();
  };
});

afterAll(async () => {
  await cleanup();
});

const message = (providerMessageId: string, from: string, text = 'HD'): InboundMessage => ({
  channel: 'sms-gateway',
  providerMessageId,
  from,
  text,
  receivedAt: '2026-12-05T00:00:00.000Z',
});
const item = (providerMessageId: string, conversationKey: string, text = 'HD'): IntakeItem => ({
  message: message(providerMessageId, `+8490${conversationKey.slice(-7).padStart(7, '0')}`, text),
  conversationKey,
});
/** A conversation key as the service makes them (40 hex digits). */
const conversation = (n: number) => n.toString(16).padStart(40, '0');

/** Intake over the real inbox and queues, recording the batches it wrote. */
function recordedIntake() {
  const batches: string[][] = [];
  const counted: string[] = [];
  const intake = createIntake({
    acceptMany: (items) => {
      batches.push(items.map((i) => i.message.providerMessageId));
      return inbox.acceptMany(items);
    },
    enqueueConversations: (keys) => enqueueConversations(queues, keys),
    countAccepted: (channel) => counted.push(channel),
    maxBatch: 200,
    maxInFlight: 1,
  });
  return { intake, batches, counted };
}

async function waitingTurns(): Promise<string[]> {
  const jobs = await queues.inbound.getJobs(['wait']);
  return jobs.map((job) => (job.data as { conversationKey: string }).conversationKey).sort();
}

describe('intake: group commit of inbound messages', () => {
  it('stores concurrent messages in one batch, in the order received, and queues each conversation once', async () => {
    const { intake, batches, counted } = recordedIntake();
    const a = conversation(1);
    const b = conversation(2);
    const items = [
      item('g1-1', a, 'DK'),
      item('g1-2', b),
      item('g1-3', a, 'Nguyễn Văn An'),
      item('g1-4', a, 'CO'),
    ];
    const results = await Promise.all(items.map(intake));

    expect(results.every((r) => r.fresh && r.pending)).toBe(true);
    expect(batches).toEqual([['g1-1', 'g1-2', 'g1-3', 'g1-4']]);
    expect(counted).toHaveLength(4);
    // Conversation a's messages are handed out in the order they arrived: ids follow the batch's order.
    const texts: string[] = [];
    for (let next = await inbox.nextPending(a); next; next = await inbox.nextPending(a)) {
      texts.push(next.message.text);
      await inbox.markProcessed(next.id);
    }
    expect(texts).toEqual(['DK', 'Nguyễn Văn An', 'CO']);
    expect(await waitingTurns()).toEqual([a, b].sort());
  });

  it('stores the same provider message twice in one batch once: the first is fresh, both are pending', async () => {
    const { intake, batches, counted } = recordedIntake();
    const c = conversation(3);
    const results = await Promise.all([item('dup-1', c), item('dup-1', c), item('dup-2', c)].map(intake));

    expect(batches).toEqual([['dup-1', 'dup-1', 'dup-2']]);
    expect(results.map((r) => ({ fresh: r.fresh, pending: r.pending }))).toEqual([
      { fresh: true, pending: true },
      { fresh: false, pending: true },
      { fresh: true, pending: true },
    ]);
    expect(counted).toHaveLength(2);
    const { rows } = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM inbound_messages WHERE conversation_key = $1',
      [c],
    );
    expect(rows[0]?.n).toBe(2);
  });

  it('a retry of a message still waiting gets a turn again; a retry of a handled one does not', async () => {
    const { intake } = recordedIntake();
    const d = conversation(4);
    const e = conversation(5);
    await Promise.all([intake(item('r-1', d)), intake(item('r-2', e))]);
    const handled = await inbox.nextPending(e);
    if (!handled) throw new Error('no pending message');
    await inbox.markProcessed(handled.id);
    await queues.inbound.drain();

    const retries = await Promise.all([intake(item('r-1', d)), intake(item('r-2', e))]);
    expect(retries).toMatchObject([
      { fresh: false, pending: true },
      { fresh: false, pending: false },
    ]);
    expect(await waitingTurns()).toEqual([d]);
  });

  it('a batch that fails fails every message of it with the database error and stores none of them', async () => {
    const { intake } = recordedIntake();
    await queues.inbound.drain();
    // PostgreSQL refuses the whole statement: a text with a NUL byte cannot be stored.
    const refused = { ...item('f-2', conversation(7)), conversationKey: 'bad\u0000key' };
    const settled = await Promise.allSettled([intake(item('f-1', conversation(6))), intake(refused)]);

    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
    const reasons = settled.map((s) => (s.status === 'rejected' ? s.reason : null));
    expect(reasons[0]).toBe(reasons[1]);
    expect(String(reasons[0])).toMatch(/0x00|invalid byte sequence/);
    const { rows } = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM inbound_messages WHERE conversation_key = $1',
      [conversation(6)],
    );
    expect(rows[0]?.n).toBe(0);
    expect(await waitingTurns()).toEqual([]);

    // Delivered again (the provider's retry after the 503), it is stored and queued.
    await expect(intake(item('f-1', conversation(6)))).resolves.toMatchObject({ fresh: true, pending: true });
    expect(await waitingTurns()).toEqual([conversation(6)]);
  });

  it('keeps a queued turn small: no per-job retention options, and a bounded event stream', async () => {
    await queues.inbound.drain();
    await enqueueConversations(queues, [conversation(8)]);
    const [job] = await queues.inbound.getJobs(['wait']);
    expect(job?.data).toEqual({ conversationKey: conversation(8) });
    expect(job?.opts).not.toHaveProperty('removeOnComplete');
    expect(job?.opts).not.toHaveProperty('removeOnFail');
    expect(job?.opts).toMatchObject({
      attempts: 12,
      backoff: { type: TURN_BACKOFF },
      deduplication: { id: conversation(8), keepLastIfActive: true },
    });
    expect(await redis.redis.hget(`${redis.prefix}:inbound:meta`, 'opts.maxLenEvents')).toBe(
      String(QUEUE_EVENTS_KEPT),
    );
  });

  it('the inbound worker retries a turn with its backoff, removes a completed job and keeps a failed one', async () => {
    await queues.inbound.drain();
    await enqueueConversations(queues, [conversation(9)]);
    await queues.inbound.add('turn', { conversationKey: 'not a key' });
    const handled: string[] = [];
    const worker = createWorker(
      'inbound',
      async (data) => {
        handled.push(data.conversationKey);
        if (handled.length === 1) throw new Error('the first attempt fails');
      },
      { connection: { url: REDIS_URL }, prefix: redis.prefix, concurrency: 1, lockDurationMs: 30_000 },
    );
    try {
      await eventually(async () => {
        const counts = await queues.inbound.getJobCounts('wait', 'active', 'delayed', 'completed', 'failed');
        expect(counts).toEqual({ wait: 0, active: 0, delayed: 0, completed: 0, failed: 1 });
        return true;
      }, 20_000);
      expect(handled).toEqual([conversation(9), conversation(9)]);
    } finally {
      await worker.close();
    }
  });
});
