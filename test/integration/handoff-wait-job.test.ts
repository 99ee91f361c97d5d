import type { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandoffDesk, type HandoffOutbound } from '../../flows/handoff/handoff-desk.ts';
import { handoffCopy } from '../../flows/handoff/handoff.copy.ts';
import { createHandoffWaitJob } from '../../src/app/jobs/handoff-wait-job.ts';
import type { HandoffChat } from '../../src/domain/handoffs/handoff.ts';
import { createQueues, createWorker, enqueueHandoffWait, type Queues } from '../../src/queues/queues.ts';
import { newHandoff } from '../contracts/handoff-repository.contract.ts';
import { InMemoryCitizenRepository } from '../fakes/in-memory-citizen-repository.ts';
import { InMemoryContactRepository } from '../fakes/in-memory-contact-repository.ts';
import { InMemoryHandoffRepository } from '../fakes/in-memory-handoff-repository.ts';
import { InMemoryTeamRepository } from '../fakes/in-memory-team-repository.ts';
import { createRedisPrefix, eventually, REDIS_URL } from '../support/services.ts';

// The waiting-notice job (src/app/jobs/handoff-wait-job.ts) as the worker runs it: real BullMQ on a real Redis
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
      for (const message of messages) if (!outbox.has(message.dedupeKey)) outbox.set(message.dedupeKey, message);
      if (failNextSend) {
        failNextSend = false;
        throw new Error('the outbox answered too late');
      }
    },
    scheduleHandoffWait: (handoffId, dueAt) => enqueueHandoffWait(queues, handoffId, dueAt, delayMs),
  });

  const toChat = (chat: HandoffChat) =>
    [...outbox.values()].filter((m) => m.channel === chat.channel && m.to === chat.address).map((m) => m.text);
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
      { memberId: joined.member.id, teamId: created.team.id, chat: { channel: 'twilio-sms', address: '+84905000111' } },
      OPENED,
    );

    await enqueueHandoffWait(queues, handoff.id, DUE, delayMs);
    await finished(handoff.id);

    expect(toChat(chat)).toEqual([]);
    await expect(handoffs.findById(handoff.id)).resolves.toMatchObject({ status: 'held', waitingNoticeAt: null });
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
});
