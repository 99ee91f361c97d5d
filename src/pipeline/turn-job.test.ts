import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { InMemoryContactRepository } from '../../test/fakes/in-memory-contact-repository.ts';
import { InMemoryConversationStore } from '../../test/fakes/in-memory-conversation-store.ts';
import { InMemoryInbox } from '../../test/fakes/in-memory-inbox.ts';
import { InMemoryOutbox } from '../../test/fakes/in-memory-outbox.ts';
import { InMemoryRateLimiter } from '../../test/fakes/in-memory-rate-limiter.ts';
import { InMemoryRecipientLock } from '../../test/fakes/in-memory-recipient-lock.ts';
import type { Flow } from '../engine/flow-kit.ts';
import type { EngineDeps, SystemCopy } from '../engine/run-turn.ts';
import type { ChannelId } from '../messaging/channel.ts';
import type { InboundMessage } from '../messaging/inbound-message.ts';
import type { OutboundMessage } from '../messaging/outbound-message.ts';
import { SendFailedError } from '../shared/errors.ts';
import type { Recipient } from '../storage/postgres/outbox.ts';
import { createSender, lockKeyOf, type SendControl } from './send-job.ts';
import { createTurnJob, DEFECT_ATTEMPTS } from './turn-job.ts';

// The turn stage over fakes of its ports (inbox, outbox, conversation store, lock, rate limiter, a provider):
// replies sent at once from the turn's worker, or left to the send job; order; replays; poison messages.

const SMS: ChannelId = 'sms-gateway';
const PHONE = '+84905123456';
const KEY = 'a1b2c3d4e5f60718';

/** Two replies to "HD"; "ASK" asks a name and greets it; "BOOM" always throws (a defect). */
const help: Flow = {
  id: 'help',
  version: 1,
  start: async () => ({ next: null, replies: [{ text: 'help 1' }, { text: 'help 2' }] }),
  resume: async () => null,
  prompt: () => [],
};
const ask: Flow = {
  id: 'ask',
  version: 1,
  start: async () => ({ next: { step: 'name' }, replies: [{ text: 'your name?' }] }),
  resume: async (_state, text) => ({ next: null, replies: [{ text: `hello ${text}` }] }),
  prompt: () => [{ text: 'your name?' }],
};
const boom: Flow = {
  id: 'boom',
  version: 1,
  start: async () => {
    throw new TypeError('a bug');
  },
  resume: async () => null,
  prompt: () => [],
};
const copy = new Proxy({} as SystemCopy, {
  get: (_target, name) => () => ({ text: String(name) }),
});

/** A provider that records what it accepted; `refuse` makes it refuse the next sends for now. */
function provider() {
  const accepted: OutboundMessage[] = [];
  let refusals = 0;
  let held: Promise<void> | null = null;
  return {
    accepted,
    texts: () => accepted.map((m) => m.reply.text),
    refuseNext(count: number) {
      refusals = count;
    },
    /** Keeps the next send waiting until the returned function is called. */
    holdNext() {
      let release = () => {};
      held = new Promise((resolve) => {
        release = resolve;
      });
      return () => release();
    },
    async send(message: OutboundMessage) {
      const wait = held;
      held = null;
      if (wait !== null) await wait;
      if (refusals > 0) {
        refusals -= 1;
        throw new SendFailedError('busy', { retryable: true, channel: message.channel, providerCode: '503' });
      }
      accepted.push(message);
      return { providerMessageId: `p-${accepted.length}`, segments: 1 };
    },
  };
}

function world(options: { directSendBudgetMs?: number } = {}) {
  const recipientOf = (channel: ChannelId, address: string): Recipient => ({
    channel,
    addressHash: `${channel}-${address}`.padEnd(64, '0'),
  });
  const outbox = new InMemoryOutbox(recipientOf);
  const inbox = new InMemoryInbox(outbox);
  const lock = new InMemoryRecipientLock({ ttlMs: 30_000 });
  const gateway = provider();
  const queued: { recipient: Recipient; delayMs: number | undefined }[] = [];
  const failed: string[] = [];
  const queueSend = async (recipient: Recipient, delayMs?: number) => {
    queued.push({ recipient, delayMs });
  };
  const logger = pino({ level: 'silent' });
  const sender = createSender({
    outbox,
    contacts: new InMemoryContactRepository(),
    citizens: { findById: async () => null },
    adapters: new Map([[SMS, gateway]]),
    rateLimiter: new InMemoryRateLimiter(),
    rateLimitsOf: () => ({}),
    lock,
    keyedHash: (purpose, value) => `${purpose}:${value}`,
    smsChannel: SMS,
    queueOutbound: async () => {},
    queueSend,
    metrics: { messagesOut: { inc: () => {} } },
    logger,
    clock: () => new Date(),
  });
  const engine: Omit<EngineDeps, 'deliver'> = {
    store: new InMemoryConversationStore({ ttlSeconds: 600 }),
    environment: {
      loadPerson: async () => ({
        language: 'vi',
        optedOut: false,
        phone: null,
        citizen: null,
        standing: null,
      }),
      proveVouchedPhone: async () => null,
      setLanguage: async () => {},
      setOptedOut: async () => {},
    },
    flows: new Map([help, ask, boom].map((flow) => [flow.id, flow])),
    keywords: [
      { keywords: ['HD'], command: { type: 'start', flowId: 'help' } },
      { keywords: ['ASK'], command: { type: 'start', flowId: 'ask' } },
      { keywords: ['BOOM'], command: { type: 'start', flowId: 'boom' } },
    ],
    menu: [],
    copy,
    phoneShared: { type: 'start', flowId: 'ask' },
  };
  const turnJob = createTurnJob({
    inbox,
    engine,
    outbox,
    sender,
    queueSend,
    recipientOf,
    metrics: {
      turnSeconds: { observe: () => {} },
      inboundFailed: { inc: ({ channel }) => failed.push(channel) },
    },
    logger,
    directSendBudgetMs: options.directSendBudgetMs ?? 60_000,
  });
  let n = 0;
  /** A message from the person, stored in the inbox as intake does. */
  const text = async (body: string) => {
    n += 1;
    const message: InboundMessage = {
      channel: SMS,
      providerMessageId: `m${n}`,
      from: PHONE,
      text: body,
      receivedAt: new Date().toISOString(),
    };
    return (await inbox.accept(message, KEY)).id;
  };
  const run = () => turnJob({ conversationKey: KEY });
  const recipient = recipientOf(SMS, PHONE);
  /** The send job of the person, run to its end (a deferral is reported, as BullMQ would delay the job). */
  const sendJob = async () => {
    const control: SendControl = {
      defer: (delayMs) => Promise.reject(new Error(`deferred ${delayMs}`)),
    };
    await sender.sendJob(recipient, control);
  };
  return { inbox, outbox, lock, gateway, queued, failed, text, run, recipient, sendJob };
}

/** Waits until `condition` holds, yielding to the event loop in between (no fixed sleep). */
async function eventually(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i += 1) await new Promise((resolve) => setImmediate(resolve));
  expect(condition()).toBe(true);
}

describe('turn stage', () => {
  it("sends a turn's replies at once, in order, from the turn's worker, with no send job", async () => {
    const w = world();
    const id = await w.text('HD');
    await w.run();
    expect(w.gateway.texts()).toEqual(['help 1', 'help 2']);
    expect(w.queued).toEqual([]);
    expect(w.lock.isHeld(lockKeyOf(w.recipient))).toBe(false);
    await expect(w.inbox.nextPending(KEY)).resolves.toBeNull();
    expect(w.outbox.state(1)).toMatchObject({ status: 'queued', attempts: 1 });
    expect(id).toBe(1);
  });

  it("handles a conversation's waiting messages oldest first, each one's replies before the next turn", async () => {
    const w = world();
    await w.text('ASK');
    await w.text('An');
    await w.text('HD');
    await w.run();
    expect(w.gateway.texts()).toEqual(['your name?', 'hello An', 'help 1', 'help 2']);
    await expect(w.inbox.nextPending(KEY)).resolves.toBeNull();
  });

  it('leaves the replies to the send job while an older message to the person is still due, which goes first', async () => {
    const w = world();
    await w.outbox.add([
      {
        dedupeKey: 'notice-1',
        channel: SMS,
        to: PHONE,
        reply: { text: 'older notice' },
        language: 'vi',
        purpose: 'notification',
      },
    ]);
    await w.text('HD');
    await w.run();
    expect(w.gateway.texts()).toEqual([]);
    expect(w.queued).toEqual([{ recipient: w.recipient, delayMs: 0 }]);
    await w.sendJob();
    expect(w.gateway.texts()).toEqual(['older notice', 'help 1', 'help 2']);
  });

  it('leaves the replies to the send job, after the backoff, when the provider refuses for now', async () => {
    const w = world();
    w.gateway.refuseNext(1);
    await w.text('HD');
    await w.run();
    expect(w.gateway.texts()).toEqual([]);
    expect(w.queued).toHaveLength(1);
    expect(w.queued[0]?.delayMs).toBeGreaterThan(0);
    expect(w.outbox.state(1)).toMatchObject({ status: 'pending', attempts: 1, errorCode: '503' });
    await expect(w.inbox.nextPending(KEY)).resolves.toBeNull();
    await w.sendJob();
    expect(w.gateway.texts()).toEqual(['help 1', 'help 2']);
  });

  it('leaves the replies to the send job when another sender holds the lock, and the send job waits for it', async () => {
    const w = world();
    const other = await w.lock.acquire(lockKeyOf(w.recipient));
    await w.text('HD');
    await w.run();
    expect(w.gateway.texts()).toEqual([]);
    expect(w.queued).toEqual([{ recipient: w.recipient, delayMs: undefined }]);
    await expect(w.sendJob()).rejects.toThrow(/deferred/);
    if ('release' in other) await other.release();
    await w.sendJob();
    expect(w.gateway.texts()).toEqual(['help 1', 'help 2']);
  });

  it('replays a turn saved before a crash without a second turn or stored reply; what was not marked sent goes again, same clientRef', async () => {
    const w = world();
    await w.text('HD');
    const marking = w.inbox.markProcessedAndNext.bind(w.inbox);
    w.inbox.markProcessedAndNext = async () => {
      throw new Error('the worker died here');
    };
    await expect(w.run()).rejects.toThrow(/died/);
    expect(w.gateway.texts()).toEqual(['help 1', 'help 2']);
    w.inbox.markProcessedAndNext = marking;
    w.queued.length = 0;
    await w.run();
    expect(w.queued).toEqual([{ recipient: w.recipient, delayMs: undefined }]);
    await w.sendJob();
    // The acceptance was to be recorded with the handled mark that the crash lost: as when a send job dies
    // between the provider's acceptance and markSent, the messages go again with the same clientRef.
    expect(w.gateway.accepted.map((m) => m.clientRef)).toEqual(['out-1', 'out-2', 'out-1', 'out-2']);
    expect(w.outbox.state(3)).toBeUndefined();
    await expect(w.inbox.nextPending(KEY)).resolves.toBeNull();
  });

  it('sends a reply the provider accepted but that was not marked sent again, with the same clientRef, by the send job', async () => {
    const w = world();
    await w.text('ASK');
    const marking = w.outbox.markSent.bind(w.outbox);
    w.outbox.markSent = async () => {
      throw new Error('PostgreSQL went away');
    };
    await w.run();
    w.outbox.markSent = marking;
    expect(w.queued).toEqual([{ recipient: w.recipient, delayMs: undefined }]);
    await w.sendJob();
    expect(w.gateway.accepted.map((m) => [m.reply.text, m.clientRef])).toEqual([
      ['your name?', 'out-1'],
      ['your name?', 'out-1'],
    ]);
    expect(w.outbox.state(1)).toMatchObject({ status: 'queued' });
  });

  it("goes on with the conversation's next turns while the provider is slow, and every reply leaves once, in order", async () => {
    const w = world({ directSendBudgetMs: 20 });
    const release = w.gateway.holdNext();
    await w.text('ASK');
    await w.text('An');
    await w.run();
    await expect(w.inbox.nextPending(KEY)).resolves.toBeNull();
    expect(w.gateway.texts()).toEqual([]);
    expect(w.queued.length).toBeGreaterThan(0);
    release();
    await eventually(() => !w.lock.isHeld(lockKeyOf(w.recipient)));
    await w.sendJob();
    expect(w.gateway.accepted.map((m) => [m.reply.text, m.clientRef])).toEqual([
      ['your name?', 'out-1'],
      ['hello An', 'out-2'],
    ]);
    expect(w.outbox.state(1)).toMatchObject({ status: 'queued', attempts: 1 });
  });

  it('gives a poison message up after its last attempt: one apology, counted, and the next message answered', async () => {
    const w = world();
    const poison = await w.text('BOOM');
    await w.text('HD');
    for (let attempt = 1; attempt < DEFECT_ATTEMPTS; attempt += 1) {
      await expect(w.run()).rejects.toMatchObject({ code: 'TURN_FAILED' });
    }
    expect(w.gateway.texts()).toEqual([]);
    await w.run();
    expect(w.gateway.texts()).toEqual(['failed', 'help 1', 'help 2']);
    expect(w.failed).toEqual([SMS]);
    await expect(w.inbox.listFailed({ limit: 5 })).resolves.toMatchObject([
      { id: poison, attempts: DEFECT_ATTEMPTS, errorClass: 'TypeError' },
    ]);
  });
});
