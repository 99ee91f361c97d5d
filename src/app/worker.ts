import { DelayedError, type Job, type Worker } from 'bullmq';
import { createDataRequestCallbackJob } from '../pipeline/data-requests.ts';
import { createHandoffWaitJob } from '../pipeline/handoff-wait-job.ts';
import { createMaintenanceJob, type MaintenanceJobDeps } from '../pipeline/maintenance-job.ts';
import { createSender } from '../pipeline/send-job.ts';
import { createTurnJob, type TurnProbes } from '../pipeline/turn-job.ts';
import { createVerifyJob, type VerifyJobDeps } from '../pipeline/verify-job.ts';
import {
  createWorker,
  enqueueConversation,
  enqueueSend,
  enqueueVerification,
  type QueueName,
  WAKE_JOB,
} from '../queues/queues.ts';
import { AppError } from '../shared/errors.ts';
import { type Recipient, recipientOf } from '../storage/postgres/outbox.ts';
import { effectiveRateLimits } from './rate-limits.ts';
import type { Services } from './services.ts';

/** The running workers of a process. */
export interface Workers {
  /** Stops taking jobs, waits for the jobs in progress (in-flight turns) to finish, then resolves. */
  close(): Promise<void>;
  readonly workers: readonly Worker[];
}

/**
 * Starts the BullMQ workers of every queue (or of the queues in `only`, to scale roles apart), and the
 * minute-by-minute maintenance schedule.
 */
export async function startWorkers(
  services: Services,
  options: { probes?: TurnProbes; only?: readonly QueueName[] } = {},
): Promise<Workers> {
  const { config, logger, queueConnection, queues } = services;
  const base = {
    connection: queueConnection,
    prefix: config.QUEUE_PREFIX,
    concurrency: config.WORKER_CONCURRENCY,
    lockDurationMs: config.WORKER_LOCK_MS,
  };
  const queueSend = (recipient: Recipient, delayMs?: number) => enqueueSend(queues, recipient, delayMs);
  const sender = createSender({
    outbox: services.outbox,
    contacts: services.contacts,
    citizens: services.citizens,
    adapters: services.adapters,
    rateLimiter: services.rateLimiter,
    rateLimitsOf: (channel) =>
      effectiveRateLimits(services.adapters.get(channel)?.rateLimits, config.OUTBOUND_RATE_LIMITS[channel]),
    lock: services.recipientLock,
    keyedHash: services.cipher.keyedHash,
    smsChannel: services.smsChannel,
    queueOutbound: services.queueOutbound,
    queueSend,
    metrics: services.metrics,
    logger,
    clock: services.clock,
  });
  const turn = createTurnJob(
    {
      inbox: services.inbox,
      engine: services.engine,
      outbox: services.outbox,
      sender,
      queueSend,
      recipientOf: (channel, address) => recipientOf(services.cipher, channel, address),
      metrics: services.metrics,
      logger,
    },
    options.probes,
  );
  const verify = createVerifyJob(verifyJobDeps(services));
  const maintain = createMaintenanceJob(maintenanceJobDeps(services));
  /** The expiry of an assisted-registration request; a job that ran a moment early is retried. */
  const expireAssisted = async (requestId: string) => {
    if ((await services.assisted.expire(requestId, services.clock())) === 'early')
      throw new AppError('ASSISTED_NOT_DUE', 'the request expires a moment later', {
        retryable: true,
        context: { requestId },
      });
  };
  const handoffWait = createHandoffWaitJob({
    desk: services.handoffDesk,
    schedule: services.scheduleHandoffWait,
    clock: services.clock,
  });

  const callback = createDataRequestCallbackJob({
    dataRequests: services.dataRequests,
    agencies: services.agencies,
    cipher: services.cipher,
    logger,
    publicOnly: services.config.NODE_ENV === 'production',
  });

  const wanted = (name: QueueName) => !options.only || options.only.includes(name);
  const workers = [
    wanted('inbound') && createWorker('inbound', (data) => turn(data), base),
    wanted('outbound') &&
      createWorker(
        'outbound',
        (data, job, token) =>
          job.name === WAKE_JOB ? enqueueSend(queues, data) : sender.sendJob(data, jobControl(job, token)),
        base,
      ),
    wanted('verify') &&
      createWorker(
        'verify',
        (data, job, token) => verify(data, { ...attempts(job), ...jobControl(job, token) }),
        {
          ...base,
          concurrency: 4,
        },
      ),
    wanted('notice') &&
      createWorker('notice', (data) => services.dossierNotices.send(data.dossierId), {
        ...base,
        concurrency: 4,
      }),
    wanted('maintenance') && createWorker('maintenance', () => maintain(), { ...base, concurrency: 1 }),
    wanted('assisted') &&
      createWorker('assisted', (data) => expireAssisted(data.requestId), {
        ...base,
        concurrency: 4,
      }),
    wanted('handoff') && createWorker('handoff', (data) => handoffWait(data), { ...base, concurrency: 2 }),
    wanted('datarequest') &&
      createWorker(
        'datarequest',
        async (data, job) => {
          if (job.name === 'callback' && data.status !== undefined) {
            await callback({ requestId: data.requestId, status: data.status, queuedAt: job.timestamp });
          } else await services.dataRequestEvents.expire(data.requestId);
        },
        { ...base, concurrency: 4 },
      ),
  ].filter((worker): worker is Worker => worker !== false);
  for (const worker of workers) {
    worker.on('error', (error) => logger.error({ err: error, queue: worker.name }, 'worker error'));
    worker.on('failed', (job, error) => {
      if (!job) return;
      const final = job.attemptsMade >= (job.opts.attempts ?? 1);
      logger[final ? 'error' : 'warn'](
        { queue: worker.name as QueueName, jobId: job.id, attempt: job.attemptsMade, code: errorCode(error) },
        final ? 'job failed for good (kept for inspection)' : 'job failed, will retry',
      );
    });
  }
  const schedule = () =>
    queues.maintenance.upsertJobScheduler(
      'maintenance',
      { every: 60_000 },
      { name: 'maintenance', data: {} },
    );
  await schedule();
  // A Redis that comes back without its data has lost the schedule too: set it again at every reconnection.
  const reschedule = () => {
    schedule().catch((error: Error) =>
      logger.warn(
        { code: errorCode(error) },
        'maintenance schedule not set; next try at the next reconnection',
      ),
    );
  };
  services.redis.on('ready', reschedule);
  await Promise.all(workers.map((w) => w.waitUntilReady()));

  return {
    workers,
    async close() {
      services.redis.off('ready', reschedule);
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}

/** The verify job's ports, from the services. */
export function verifyJobDeps(services: Services): VerifyJobDeps {
  const { citizens, registry, notify, queueOutbound, teams, contacts, clock, logger, queues } = services;
  return {
    citizens,
    inboundPending: (id) => services.inbox.isPending(id),
    registry,
    notify,
    queueOutbound,
    teams,
    contacts,
    checkLater: (citizenId, round, delayMs) => enqueueVerification(queues, citizenId, { round, delayMs }),
    clock,
    logger,
  };
}

/** The maintenance job's ports, from the services. */
export function maintenanceJobDeps(services: Services): MaintenanceJobDeps {
  const { queues } = services;
  return {
    inbox: services.inbox,
    outbox: services.outbox,
    queueTurn: (conversationKey) => enqueueConversation(queues, conversationKey),
    queueSend: (recipient) => enqueueSend(queues, recipient),
    dossierNotices: services.dossierNotices,
    handoffs: services.handoffs,
    scheduleHandoffWait: services.scheduleHandoffWait,
    purgeAccounts: services.purgeAccounts,
    assistedRequests: services.assistedRequests,
    assisted: services.assisted,
    dataRequests: services.dataRequests,
    dataRequestEvents: services.dataRequestEvents,
    citizens: services.citizens,
    metrics: services.metrics,
    logger: services.logger,
    clock: services.clock,
  };
}

/** The attempt a job is on, and how many it has. */
function attempts(job: Job) {
  return { attemptsMade: job.attemptsMade, maxAttempts: job.opts.attempts ?? 1 };
}

/** A job's control of its BullMQ job: moving it to the delayed set without failing it (send, verify). */
function jobControl(job: Job, token: string | undefined) {
  return {
    async defer(delayMs: number): Promise<never> {
      await job.moveToDelayed(Date.now() + Math.max(1, Math.round(delayMs)), token);
      throw new DelayedError();
    },
  };
}

function errorCode(error: Error): string {
  return 'code' in error && typeof error.code === 'string' ? error.code : error.name;
}
