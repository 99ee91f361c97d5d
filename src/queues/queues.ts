import { type ConnectionOptions, type Job, type KeepJobs, Queue, UnrecoverableError, Worker } from 'bullmq';
import { z } from 'zod';
import { ChannelIdSchema } from '../messaging/channel.ts';
import { UnavailableError } from '../shared/errors.ts';
import type { Recipient } from '../storage/postgres/outbox.ts';

/** The queues of the service and the payload of their jobs. Payloads carry ids only, never personal data. */
export const JobSchemas = {
  /** Handle the waiting messages of one conversation, in order. */
  inbound: z.object({ conversationKey: z.string().regex(/^[0-9a-f]{16,64}$/) }),
  /**
   * `send`: send the due messages of one recipient, oldest first. `wake`: queue that `send` when a message held
   * back by quiet hours becomes due. The recipient is the channel and the keyed hash of the address.
   */
  outbound: z.object({ channel: ChannelIdSchema, addressHash: z.string().regex(/^[0-9a-f]{64}$/) }),
  /** Check one account against the population registry. */
  verify: z.object({
    citizenId: z.uuid(),
    round: z.number().int().min(0).default(0),
    /** The inbound message whose turn opened the account: the result is told once that turn is handled. */
    afterInbound: z.number().int().positive().optional(),
  }),
  /** Tell a citizen what changed in one dossier since they were last told (one message for several changes). */
  notice: z.object({ dossierId: z.uuid() }),
  /** Periodic housekeeping: re-queue lost work, purge old records. */
  maintenance: z.object({}),
  /** Tell a citizen whose hand-off to a person nobody has taken yet when to expect an answer. */
  handoff: z.object({ handoffId: z.number().int().positive() }),
  /** Expire an assisted-registration request (DKH) nobody answered, and tell the volunteer. */
  assisted: z.object({ requestId: z.uuid() }),
  /**
   * Data requests: `expire` a pending request nobody answered (at its expiry); `callback` posts
   * `{"id","status"}` to the agency's `callbackUrl`, retried on 5xx and network errors for 24 hours.
   */
  datarequest: z.object({
    requestId: z.uuid(),
    status: z.enum(['approved', 'refused', 'expired', 'withdrawn']).optional(),
  }),
} as const;

/**
 * The backoff type of turn jobs, computed by the workers (see {@link WORKER_BACKOFFS}): a queued turn then carries
 * only this name instead of the whole policy.
 */
export const TURN_BACKOFF = 'turn';

/**
 * Retry delays computed by the workers, by a job's backoff type. `turn`: exponential from 200 ms, the last half
 * of each delay random (BullMQ's `exponential` with `delay: 200, jitter: 0.5`).
 */
export const WORKER_BACKOFFS: Readonly<Record<string, (attemptsMade: number) => number>> = {
  [TURN_BACKOFF]: (attemptsMade) => {
    const longest = 200 * 2 ** (attemptsMade - 1);
    return Math.floor(longest * (0.5 + 0.5 * Math.random()));
  },
};

/** The name of a queue. */
export type QueueName = keyof typeof JobSchemas;
/** The payload of a job of queue `Q`. */
export type JobData<Q extends QueueName> = z.input<(typeof JobSchemas)[Q]>;

/** Every queue, ready to add jobs to. */
export type Queues = { readonly [Q in QueueName]: Queue<JobData<Q>> };

const DAY_S = 24 * 3600;

/**
 * How many entries each queue's event stream keeps (BullMQ's default is 10,000, about 80 bytes of Redis per
 * queued job until it is full). Nothing of ours reads these events (no `QueueEvents`): a short tail is kept to
 * look at by hand.
 */
export const QUEUE_EVENTS_KEPT = 500;

/**
 * What becomes of the jobs of a queue once finished, kept by its workers rather than in every job's options:
 * the options are stored with each waiting job, and a queued turn (one per conversation with a message waiting)
 * is cheaper in Redis without them. A job's own options, when it has them (jobs queued before), still apply.
 */
const FINISHED_JOBS_KEPT: Partial<Record<QueueName, { removeOnComplete: KeepJobs; removeOnFail: KeepJobs }>> =
  {
    inbound: { removeOnComplete: { count: 0 }, removeOnFail: { age: 7 * DAY_S, count: 10_000 } },
  };

/**
 * Opens the queues, with the retry and retention policy of each, on `connection`: give the producer connection
 * (an ioredis client without offline queue and with a command timeout), so that adding a job fails at once
 * instead of waiting while Redis is away. Connection errors are not events here: the operations that need
 * Redis fail, and `/readyz` reports it.
 */
export function createQueues(connection: ConnectionOptions, prefix: string): Queues {
  const open = <Q extends QueueName>(name: Q, defaultJobOptions: Queue['defaultJobOptions']) => {
    const queue = new Queue<JobData<Q>>(name, {
      connection,
      prefix,
      defaultJobOptions,
      streams: { events: { maxLen: QUEUE_EVENTS_KEPT } },
    });
    queue.on('error', () => undefined);
    return queue;
  };
  return {
    // Finished turn jobs: FINISHED_JOBS_KEPT (removed when completed, failed ones kept 7 days, at most 10,000).
    inbound: open('inbound', { attempts: 12, backoff: { type: TURN_BACKOFF } }),
    // Retries here are for our own failures (database, Redis); the send job retries a provider's refusal itself.
    outbound: open('outbound', {
      attempts: 8,
      backoff: { type: 'exponential', delay: 2000, jitter: 0.3 },
      removeOnComplete: true,
      removeOnFail: { age: 30 * DAY_S, count: 50_000 },
    }),
    verify: open('verify', {
      attempts: 6,
      backoff: { type: 'exponential', delay: 5000, jitter: 0.3 },
      removeOnComplete: { age: DAY_S },
      removeOnFail: { age: 30 * DAY_S },
    }),
    // Completed notice jobs are removed at once, so the maintenance job can queue a lost one again by its id.
    notice: open('notice', {
      attempts: 8,
      backoff: { type: 'exponential', delay: 2000, jitter: 0.3 },
      removeOnComplete: true,
      removeOnFail: { age: 30 * DAY_S },
    }),
    maintenance: open('maintenance', { removeOnComplete: true, removeOnFail: { count: 100 } }),
    handoff: open('handoff', {
      attempts: 8,
      backoff: { type: 'exponential', delay: 2000, jitter: 0.3 },
      removeOnComplete: { age: DAY_S },
      removeOnFail: { age: 30 * DAY_S },
    }),
    assisted: open('assisted', {
      attempts: 8,
      backoff: { type: 'exponential', delay: 2000, jitter: 0.3 },
      removeOnComplete: { age: DAY_S },
      removeOnFail: { age: 30 * DAY_S },
    }),
    // A callback is retried with backoff (1 s, 2 s, 4 s… capped by the job at 24 hours after it was queued).
    datarequest: open('datarequest', {
      attempts: 40,
      backoff: { type: 'exponential', delay: 1000, jitter: 0.2 },
      removeOnComplete: { age: DAY_S },
      removeOnFail: { age: 30 * DAY_S },
    }),
  };
}

/** Awaits adding a job; when the queue cannot take it (Redis unreachable or not answering): UnavailableError. */
async function added(adding: Promise<unknown>): Promise<void> {
  try {
    await adding;
  } catch (error) {
    throw new UnavailableError('The job queue', error);
  }
}

/** Queues the turn of a conversation; at most one runs at a time and one more waits (see ADR 0004). */
export async function enqueueConversation(queues: Queues, conversationKey: string): Promise<void> {
  await enqueueConversations(queues, [conversationKey]);
}

/**
 * Queues the turns of several conversations in one Redis round trip (BullMQ `addBulk`: one pipeline), each as
 * {@link enqueueConversation} does. When it fails, some of them may be queued and others not.
 */
export async function enqueueConversations(
  queues: Queues,
  conversationKeys: readonly string[],
): Promise<void> {
  if (conversationKeys.length === 0) return;
  await added(
    queues.inbound.addBulk(
      conversationKeys.map((conversationKey) => ({
        name: 'turn',
        data: { conversationKey },
        opts: { deduplication: { id: conversationKey, keepLastIfActive: true } },
      })),
    ),
  );
}

/** The job option that delays a job by `delayMs` (whole ms), or none when it is not in the future. */
function delayOf(delayMs = 0): { delay?: number } {
  const delay = Math.max(0, Math.round(delayMs));
  return delay > 0 ? { delay } : {};
}

/** The name of the job that wakes a recipient's `send` when a held-back message becomes due. */
export const WAKE_JOB = 'wake';

/**
 * Queues the sending of a recipient's due messages. At most one `send` job of a recipient runs at a time and one
 * more waits (deduplication with `keepLastIfActive`, as for conversations): its messages leave in the order they
 * were made, and different recipients are sent to in parallel. `delayMs`: not before then (a turn handing over a
 * message the provider refused for now).
 */
export async function enqueueSend(queues: Queues, recipient: Recipient, delayMs?: number): Promise<void> {
  const { channel, addressHash } = recipient;
  await added(
    queues.outbound.add(
      'send',
      { channel, addressHash },
      { deduplication: { id: `to-${channel}-${addressHash}`, keepLastIfActive: true }, ...delayOf(delayMs) },
    ),
  );
}

/**
 * Queues the sending of the recipient's messages in `delayMs`, when message `outboundId` held back by quiet
 * hours becomes due (one wake-up per message while its job exists).
 */
export async function enqueueWake(
  queues: Queues,
  recipient: Recipient,
  outboundId: number,
  delayMs: number,
): Promise<void> {
  const { channel, addressHash } = recipient;
  await added(
    queues.outbound.add(
      WAKE_JOB,
      { channel, addressHash },
      { jobId: `wake-${outboundId}`, ...delayOf(delayMs) },
    ),
  );
}

/**
 * Queues the notice of a dossier due at `dueAt` (`delayMs` from now). One job per dossier and due time, so a
 * repeated plan adds nothing.
 */
export async function enqueueDossierNotice(
  queues: Queues,
  dossierId: string,
  dueAt: Date,
  delayMs: number,
): Promise<void> {
  await added(
    queues.notice.add(
      'notice',
      { dossierId },
      { jobId: `notice-${dossierId}-${dueAt.getTime()}`, ...delayOf(delayMs) },
    ),
  );
}

/**
 * Queues the registry check of an account, optionally later (a new round after the registry was down).
 * `afterInbound`: the inbound message whose turn opened the account (the check's result waits for its turn).
 */
export async function enqueueVerification(
  queues: Queues,
  citizenId: string,
  options: { round?: number; delayMs?: number; afterInbound?: number | undefined } = {},
): Promise<void> {
  const round = options.round ?? 0;
  await added(
    queues.verify.add(
      'verify',
      options.afterInbound === undefined
        ? { citizenId, round }
        : { citizenId, round, afterInbound: options.afterInbound },
      { jobId: `verify-${citizenId}-${round}`, ...delayOf(options.delayMs) },
    ),
  );
}

/**
 * Queues the waiting check of hand-off `handoffId` in `delayMs` (10 minutes after it opened, or the next morning).
 * One job per hand-off and due time, so queuing the same check again adds nothing.
 */
export async function enqueueHandoffWait(
  queues: Queues,
  handoffId: number,
  dueAt: Date,
  delayMs: number,
): Promise<void> {
  await added(
    queues.handoff.add(
      'waiting',
      { handoffId },
      { jobId: `handoff-${handoffId}-${dueAt.getTime()}`, ...delayOf(delayMs) },
    ),
  );
}

/**
 * Queues the expiry of an assisted-registration request at its expiry (`delayMs` from now). One job per
 * request, so asking twice adds nothing.
 */
export async function enqueueAssistedExpiry(
  queues: Queues,
  requestId: string,
  delayMs: number,
): Promise<void> {
  await added(
    queues.assisted.add(
      'expire',
      { requestId },
      { jobId: `assisted-expire-${requestId}`, ...delayOf(delayMs) },
    ),
  );
}

/** Queues the expiry of a data request at its expiry (`delayMs` from now); once per request. */
export async function enqueueDataRequestExpiry(
  queues: Queues,
  requestId: string,
  delayMs: number,
): Promise<void> {
  await added(
    queues.datarequest.add(
      'expire',
      { requestId },
      { jobId: `datarequest-expire-${requestId}`, ...delayOf(delayMs) },
    ),
  );
}

/** Queues the callback telling an agency that its request became `status`; once per request and status. */
export async function enqueueDataRequestCallback(
  queues: Queues,
  requestId: string,
  status: 'approved' | 'refused' | 'expired' | 'withdrawn',
): Promise<void> {
  await added(
    queues.datarequest.add(
      'callback',
      { requestId, status },
      { jobId: `datarequest-callback-${requestId}-${status}` },
    ),
  );
}

/** The options a worker runs with. */
export interface WorkerOptions {
  readonly connection: ConnectionOptions;
  readonly prefix: string;
  readonly concurrency: number;
  /** How long a job stays locked to a worker that stopped answering before another worker takes it. */
  readonly lockDurationMs: number;
  readonly limiter?: { max: number; duration: number };
}

/**
 * Starts a worker for queue `name`: the payload is validated with the queue's schema (an invalid payload fails
 * at once, without retries), then `handler` runs. Errors marked `retryable: false` fail the job for good.
 */
export function createWorker<Q extends QueueName>(
  name: Q,
  handler: (data: z.output<(typeof JobSchemas)[Q]>, job: Job, token: string | undefined) => Promise<void>,
  options: WorkerOptions,
): Worker {
  const schema = JobSchemas[name];
  return new Worker(
    name,
    async (job: Job, token?: string) => {
      const parsed = schema.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError(`invalid ${name} job payload`);
      try {
        await handler(parsed.data as z.output<(typeof JobSchemas)[Q]>, job, token);
      } catch (error) {
        if (
          error instanceof Error &&
          'retryable' in error &&
          error.retryable === false &&
          !(error instanceof UnrecoverableError)
        ) {
          throw new UnrecoverableError(`${error.name}: ${error.message}`);
        }
        throw error;
      }
    },
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency,
      lockDuration: options.lockDurationMs,
      stalledInterval: Math.max(1000, Math.floor(options.lockDurationMs / 2)),
      maxStalledCount: 5,
      ...FINISHED_JOBS_KEPT[name],
      settings: {
        backoffStrategy: (attemptsMade: number, type?: string) => {
          const backoff = WORKER_BACKOFFS[type ?? ''];
          if (!backoff) throw new Error(`no backoff strategy named ${type} (queue ${name})`);
          return backoff(attemptsMade);
        },
      },
      ...(options.limiter ? { limiter: options.limiter } : {}),
    },
  );
}
