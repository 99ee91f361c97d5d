import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCampaign, expectClean, startCampaign } from './support/campaign.ts';
import { type FaultStack, openFaultStack } from './support/fault-stack.ts';
import { expectWebhookRefusedFor } from './support/outage.ts';
import { CITIZENS, LANES } from './support/sizes.ts';

// Fault 4: PostgreSQL (a private cluster) is stopped (`pg_ctl stop -m fast`: sessions ended, new ones refused)
// for 20 seconds in the middle of the campaign. Meanwhile the webhooks answer 503 with Retry-After and /readyz
// says the database is down; the campaign's gateway posts every refused webhook again until it is taken. Once
// PostgreSQL is back, every message is answered once and every citizen has one account.

/** How long PostgreSQL stays down: the fault itself, not a wait for something. */
const DOWN_MS = 20_000;

describe('fault: PostgreSQL unavailable for 20 s', () => {
  let stack: FaultStack;

  beforeAll(async () => {
    stack = await openFaultStack({ privatePostgres: true });
    await stack.startWeb();
    await stack.startWorker();
  });
  afterAll(async () => {
    await stack?.postgres?.restart().catch(() => undefined);
    await stack?.close();
  });

  it('answers 503 with Retry-After while it is down, then every message once', async () => {
    const postgres = stack.postgres;
    if (!postgres) throw new Error('no private cluster');
    const campaign = startCampaign(stack, { first: 0, citizens: CITIZENS, lanes: LANES, tag: 'pg' });
    await campaign.reached(Math.floor(campaign.totalTurns / 3));
    await postgres.stop();
    const down = performance.now();
    const deliverAgain = await expectWebhookRefusedFor(stack, 'database');
    await new Promise((resolve) => setTimeout(resolve, DOWN_MS - (performance.now() - down)));
    await postgres.restart();
    await deliverAgain();
    const report = await checkCampaign(stack, campaign, 'PostgreSQL down for 20 s', {
      otherMessages: 1,
    });
    expectClean(report);
    expect(report.delivery.statuses[503]).toBeGreaterThan(0);
  });
});
