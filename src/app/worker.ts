import { DelayedError, type Job, type Worker } from 'bullmq';
import { createWorker, type QueueName } from '../queues/queues.ts';
import { createMaintenanceJob } from './jobs/maintenance-job.ts';
import { createSendJob } from './jobs/send-job.ts';
import { createTurnJob, type TurnProbes } from './jobs/turn-job.ts';
import { createVerifyJob } from './jobs/verify-job.ts';
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
  const turn = createTurnJob(services, options.probes);
  const send = createSendJob(services);
  const verify = createVerifyJob(services);
  const maintain = createMaintenanceJob(services);

  const wanted = (name: QueueName) => !options.only || options.only.includes(name);
  const workers = [
    wanted('inbound') && createWorker('inbound', (data) => turn(data), base),
    wanted('outbound') &&
      createWorker(
        'outbound',
        (data, job, token) => send(data, sendAttempt(job, token, data.reservedFor)),
        base,
      ),
    wanted('verify') &&
      createWorker('verify', (data, job) => verify(data, attempts(job)), { ...base, concurrency: 4 }),
    wanted('notice') &&
      createWorker('notice', (data) => services.dossierNotices.send(data.dossierId), {
        ...base,
        concurrency: 4,
      }),
    wanted('maintenance') && createWorker('maintenance', () => maintain(), { ...base, concurrency: 1 }),
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

/** The attempt a job is on, and how many it has. */
function attempts(job: Job) {
  return { attemptsMade: job.attemptsMade, maxAttempts: job.opts.attempts ?? 1 };
}

/** The send job's view of its BullMQ job: attempts, and moving it to the delayed set without failing it. */
function sendAttempt(job: Job, token: string | undefined, reservedFor: number | undefined) {
  return {
    ...attempts(job),
    reservedFor,
    async defer(delayMs: number, reserved: boolean): Promise<never> {
      await job.updateData({ ...job.data, reservedFor: reserved ? job.attemptsMade : undefined });
      await job.moveToDelayed(Date.now() + delayMs, token);
      throw new DelayedError();
    },
  };
}

function errorCode(error: Error): string {
  return 'code' in error && typeof error.code === 'string' ? error.code : error.name;
}
