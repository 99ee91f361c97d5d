import { afterAll, beforeAll, describe, it } from 'vitest';
import { checkCampaign, expectClean, startCampaign } from './support/campaign.ts';
import { type FaultStack, openFaultStack } from './support/fault-stack.ts';
import { expectWebhookRefusedFor } from './support/outage.ts';
import { CITIZENS, LANES } from './support/sizes.ts';

// Fault 3: Redis (a private redis-server with its append-only file, `appendfsync always`: every write is on disk
// before Redis answers it, so even a crash loses nothing Redis acknowledged) goes away twice during the campaign:
// first killed (SIGKILL, a crash), then stopped (SIGTERM, as an orchestrator restarts it). While it is away the
// webhooks answer 503 with Retry-After and /readyz says Redis is down; once it is back with what its file kept
// (queues, conversations, locks), every message is answered once. With `appendfsync everysec` (Redis's default
// for the file) a crash may lose the last second of writes: jobs and conversation changes the service was told
// were stored; the inbox in PostgreSQL then has the message, and the maintenance sweep queues it again.

describe('fault: Redis restarted (append-only file, appendfsync always)', () => {
  let stack: FaultStack;

  beforeAll(async () => {
    stack = await openFaultStack({ appendOnly: 'always' });
    await stack.startWeb();
    await stack.startWorker();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('answers 503 while Redis is away, then every message once, and opens one account per citizen', async () => {
    const campaign = startCampaign(stack, { first: 0, citizens: CITIZENS, lanes: LANES, tag: 'redis' });
    await campaign.reached(Math.floor(campaign.totalTurns / 3));
    await stack.redis.kill();
    const afterCrash = await expectWebhookRefusedFor(stack, 'redis');
    await stack.redis.restart();
    await afterCrash();
    await campaign.reached(Math.floor((campaign.totalTurns * 2) / 3));
    await stack.redis.stop();
    const afterStop = await expectWebhookRefusedFor(stack, 'redis');
    await stack.redis.restart();
    await afterStop();
    const report = await checkCampaign(
      stack,
      campaign,
      'Redis killed and stopped (AOF, appendfsync always)',
      {
        otherMessages: 2,
      },
    );
    // The 503s while Redis is away are proven by the probes above: whether campaign webhooks also met the outage
    // depends on timing (lanes wait for their replies, and Redis comes back within the intake's deadline).
    expectClean(report);
  });
});
