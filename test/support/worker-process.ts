/**
 * A worker process for crash tests: the real services and workers, built from the environment like
 * `npm run start:worker`. With CRASH_AFTER_TURN_STORED=1 it kills itself (SIGKILL, no clean-up) right after the
 * first turn has stored its effects and replies, before the conversation is saved: the worst moment to die.
 * CHILD_QUEUES limits the queues it works on (comma-separated).
 */
import { loadConfig } from '../../src/app/config.ts';
import { createLogger } from '../../src/app/logger.ts';
import { createServices } from '../../src/app/services.ts';
import { startWorkers } from '../../src/app/worker.ts';
import type { QueueName } from '../../src/queues/queues.ts';
import { TEST_ENV_DEFAULTS } from './services.ts';

// Like the in-process harness: no quiet hours unless the spawning test sets them.
const config = loadConfig({ ...TEST_ENV_DEFAULTS, ...process.env });
const services = await createServices(config, createLogger('silent'));
const only = process.env.CHILD_QUEUES?.split(',') as QueueName[] | undefined;
const crash = process.env.CRASH_AFTER_TURN_STORED === '1';
await startWorkers(services, {
  ...(only ? { only } : {}),
  probes: {
    async afterTurnStored() {
      if (crash) process.kill(process.pid, 'SIGKILL');
    },
  },
});
process.stdout.write('ready\n');
process.on('SIGTERM', () => process.exit(0));
