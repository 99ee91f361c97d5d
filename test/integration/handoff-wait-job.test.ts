import type { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handoffCopy } from '../../flows/handoff/handoff.copy.ts';
import { createHandoffDesk, type HandoffOutbound } from '../../flows/handoff/handoff-desk.ts';
import type { HandoffChat } from '../../src/domain/handoffs/handoff.ts';
import { createHandoffWaitJob, requeueLostWaits } from '../../src/pipeline/handoff-wait-job.ts';
import { STALLED_AFTER_MS } from '../../src/pipeline/maintenance-job.ts';
import { createQueues, createWorker, enqueueHandoffWait, type Queues } from '../../src/queues/queues.ts';
import { newHandoff } from '../contracts/handoff-repository.contract.ts';
import { InMemoryCitizenRepository } from '../fakes/in-memory-citizen-repository.ts';
import { InMemoryContactRepository } from '../fakes/in-memory-contact-repository.ts';
import { InMemoryHandoffRepository } from '../fakes/in-memory-handoff-repository.ts';
import { InMemoryTeamRepository } from '../fakes/in-memory-team-repository.ts';
import { createRedisPrefix, eventually, REDIS_URL } from '../support/services.ts';

// The waiting-notice job (src/pipeline/handoff-wait-job.ts) as the worker runs it: real BullMQ on a real Redis
// (a fresh key prefix), delayed jobs and retries included, over in-memory fakes of our storage ports.

/** 10:00 in Đà Nẵng, when the hand-offs of this file are opened. */
const OPENED = new Date('2026-11-27T03:00:00Z');
/** The job's clock: 10 minutes later, within answer hours. */
const DUE = new Date(OPENED.getTime() + 10 * 60_000);

describe('the hand-off waiting-notice job through BullMQ', () => {
  let space: ReturnType<typeof createRedisPrefix>;
  let producer: Redis;
  let queues: Queues;
  let worker: Worker;
  const handoffs = new InMemoryHandoffRepository();
  const teams = new InMemoryTeamRepository();
  /** What was stored to send, once per dedupe key, as the outbox stores it. */
  const outbox = new Map<string, HandoffOutbound>();
  /** Set to fail the next sending once, after the messages are stored (a crash before the job completed). */
  let failNextSend = false;
  /** The delay the desk's own scheduling gives a job (real milliseconds: the job waits in BullMQ's delayed set). */
  const delayMs = 150;

  const desk = createHandoffDesk({
    handoffs,
    teams,
    citizens: new InMemoryCitizenRepository(),
    contacts: new InMemoryContactRepository(),
    async sendHandoffMessages(messages) {
      for (const message of messages)
        if (!outbox.has(message.dedupeKey)) outbox.set(message.dedupeKey, message);
      if (failNextSend) {
        failNextSend = false;
        throw new Error('the outbox answered too late');
      }
    },
    scheduleHandoffWait: (handoffId, dueAt) => enqueueHandoffWait(queues, handoffId, dueAt, delayMs),
  });

  const toChat = (chat: HandoffChat) =>
    [...outbox.values()]
      .filter((m) => m.channel === chat.channel && m.to === chat.address)
      .map((m) => m.text);
  /** The job BullMQ holds for the waiting notice of `handoffId` due at {@link DUE}, once it has finished. */
  const finished = (handoffId: number) =>
    eventually(async () => {
      const job = await queues.handoff.getJob(`handoff-${handoffId}-${DUE.getTime()}`);
      return job && (await job.isCompleted()) ? job : undefined;
    }, 15_000);

  beforeAll(async () => {
    space = createRedisPrefix();
    producer = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
    queues = createQueues(producer, space.prefix);
    const url = new URL(REDIS_URL);
    worker = createWorker(
      'handoff',
      createHandoffWaitJob({
        desk,
        schedule: (handoffId, dueAt) => enqueueHandoffWait(queues, handoffId, dueAt, delayMs),
        clock: () => DUE,
      }),
      {
        connection: { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null },
        prefix: space.prefix,
        concurrency: 2,
        lockDurationMs: 30_000,
      },
    );
    await worker.waitUntilReady();
  });
  afterAll(async () => {
    await worker?.close();
    await Promise.all(Object.values(queues ?? {}).map((queue) => queue.close()));
    producer?.disconnect();
    await space?.cleanup();
  });

  it('still open after the delay: the citizen gets one notice, and it stays open', async () => {
    const chat = { channel: 'zalo-oa', address: 'citizen-open' };
    const opened = await desk.open({
      chat,
      citizenId: null,
      phone: null,
      reason: 'asked',
      firstMessage: null,
      ref: 'in-open',
      at: OPENED,
    });

    await finished(opened.handoff.id);

    expect(toChat(chat)).toEqual([handoffCopy.vi.waitingToday(opened.handoff.id)]);
    await expect(handoffs.findById(opened.handoff.id)).resolves.toMatchObject({
      status: 'open',
      waitingNoticeAt: DUE,
    });
  });

  it('taken before the delay: no notice', async () => {
    const chat = { channel: 'zalo-oa', address: 'citizen-taken' };
    const { handoff } = await handoffs.open(newHandoff({ chat, ref: 'in-taken' }), OPENED);
    const created = await teams.create({ name: 'Tổ CNS', wardCode: '20194', inviteCode: 'WAIT2345' });
    if (created.type !== 'created') throw new Error('team not created');
    const joined = await teams.join(
      created.team.id,
      { phone: '+84905000111', channel: 'twilio-sms', address: '+84905000111' },
      OPENED,
    );
    await handoffs.take(
      handoff.id,
      {
        memberId: joined.member.id,
        teamId: created.team.id,
        chat: { channel: 'twilio-sms', address: '+84905000111' },
      },
      OPENED,
    );

    await enqueueHandoffWait(queues, handoff.id, DUE, delayMs);
    await finished(handoff.id);

    expect(toChat(chat)).toEqual([]);
    await expect(handoffs.findById(handoff.id)).resolves.toMatchObject({
      status: 'held',
      waitingNoticeAt: null,
    });
  });

  it('run again after failing (BullMQ’s retry): still one notice', async () => {
    const chat = { channel: 'zalo-oa', address: 'citizen-retry' };
    const { handoff } = await handoffs.open(newHandoff({ chat, ref: 'in-retry' }), OPENED);
    failNextSend = true;

    await enqueueHandoffWait(queues, handoff.id, DUE, delayMs);
    const job = await finished(handoff.id);

    expect(job.attemptsMade).toBe(2);
    expect(toChat(chat)).toEqual([handoffCopy.vi.waitingToday(handoff.id)]);
    // Kept once in the thread too.
    const bot = (await handoffs.thread(handoff.id)).filter((m) => m.author === 'bot');
    expect(bot.map((m) => m.text)).toEqual([handoffCopy.vi.waitingToday(handoff.id)]);
  });

  it('queued again while its job is kept: nothing more is run or sent', async () => {
    const chat = { channel: 'zalo-oa', address: 'citizen-retry' };
    const handoff = await handoffs.activeForChat(chat);
    if (!handoff) throw new Error('no hand-off');

    await enqueueHandoffWait(queues, handoff.id, DUE, 0);

    const job = await finished(handoff.id);
    expect(job.attemptsMade).toBe(2);
    expect(toChat(chat)).toHaveLength(1);
  });

  describe('the maintenance job queues again a lost waiting notice', () => {
    const requeue = (now: Date) =>
      requeueLostWaits(
        {
          handoffs,
          schedule: (handoffId, dueAt) =>
            enqueueHandoffWait(queues, handoffId, dueAt, dueAt.getTime() - now.getTime()),
          clock: () => now,
        },
        STALLED_AFTER_MS,
      );

    it('an open hand-off whose job was lost gets its notice, once; one whose job is pending is left alone', async () => {
      const chat = { channel: 'zalo-oa', address: 'citizen-lost' };
      const pendingChat = { channel: 'zalo-oa', address: 'citizen-pending' };
      // Opened with no job queued: its job was lost.
      const { handoff: lost } = await handoffs.open(newHandoff({ chat, ref: 'in-lost' }), OPENED);
      // Opened with its job still delayed in BullMQ (for longer than this test lasts).
      const { handoff: pending } = await handoffs.open(
        newHandoff({ chat: pendingChat, ref: 'in-pending' }),
        OPENED,
      );
      await enqueueHandoffWait(queues, pending.id, DUE, 10 * 60_000);
      const jobs = () =>
        queues.handoff.getJobCountByTypes('completed', 'delayed', 'waiting', 'active', 'failed');
      const before = await jobs();

      // Within 2 minutes of the notice being due, it may still be on its way: nothing is queued.
      expect(await requeue(new Date(DUE.getTime() + STALLED_AFTER_MS - 1))).toBe(0);
      // Then both are queued again: the lost one runs; the pending one's job is already there, so nothing is added.
      const now = new Date(DUE.getTime() + STALLED_AFTER_MS);
      expect(await requeue(now)).toBe(2);
      await finished(lost.id);

      expect(toChat(chat)).toEqual([handoffCopy.vi.waitingToday(lost.id)]);
      await expect(handoffs.findById(lost.id)).resolves.toMatchObject({ waitingNoticeAt: DUE });
      expect(await jobs()).toBe(before + 1);
      await expect(
        queues.handoff.getJob(`handoff-${pending.id}-${DUE.getTime()}`).then((j) => j?.getState()),
      ).resolves.toBe('delayed');
      expect(toChat(pendingChat)).toEqual([]);

      // A minute later: the lost one has its notice; the pending one is queued again, which adds nothing.
      expect(await requeue(new Date(now.getTime() + 60_000))).toBe(1);
      expect(await jobs()).toBe(before + 1);
      expect(toChat(chat)).toHaveLength(1);
    });
  });
});
