import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCampaign, expectClean, startCampaign } from './support/campaign.ts';
import { type FaultStack, openFaultStack } from './support/fault-stack.ts';
import { CITIZENS, LANES } from './support/sizes.ts';

// Fault 7: the only web process is restarted three times while webhooks are in flight: twice killed (SIGKILL:
// requests cut, connections reset) and once stopped (SIGTERM: it finishes the requests it has, refuses new
// connections), then started again on the same port. A webhook answered 2xx must be handled; one that got no
// answer is delivered again by the gateway and must be handled once.

const RESTARTS = ['SIGKILL', 'SIGTERM', 'SIGKILL'] as const;

describe('fault: the web process restarted with requests in flight', () => {
  let stack: FaultStack;

  beforeAll(async () => {
    stack = await openFaultStack();
    await stack.startWeb();
    await stack.startWorker();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('handles every acknowledged webhook and every redelivered one once', async () => {
    const campaign = startCampaign(stack, { first: 0, citizens: CITIZENS, lanes: LANES, tag: 'web' });
    for (const [k, how] of RESTARTS.entries()) {
      await campaign.reached(Math.floor((campaign.totalTurns * (k + 1)) / (RESTARTS.length + 2)));
      await stack.restartWeb(0, how);
    }
    const report = await checkCampaign(stack, campaign, 'web restarted 3 times (SIGKILL, SIGTERM, SIGKILL)');
    expectClean(report);
    // The gateway did see the web process go away.
    expect(report.delivery.statuses[0]).toBeGreaterThan(0);
  });
});
