import { afterAll, beforeAll, describe, it } from 'vitest';
import { checkCampaign, expectClean, startCampaign } from './support/campaign.ts';
import { type FaultStack, openFaultStack } from './support/fault-stack.ts';
import { CITIZENS, LANES } from './support/sizes.ts';

// Fault 2: several worker processes compete for the same queues (three workers, two web processes, one Redis,
// one PostgreSQL). Each conversation's messages must still be handled one at a time, in order, once.

describe('fault: three workers competing', () => {
  let stack: FaultStack;

  beforeAll(async () => {
    stack = await openFaultStack();
    await Promise.all([stack.startWeb(), stack.startWeb()]);
    for (let i = 0; i < 3; i += 1) await stack.startWorker();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('answers every message once, in order, and opens one account per citizen', async () => {
    const campaign = startCampaign(stack, { first: 0, citizens: CITIZENS, lanes: LANES, tag: 'workers' });
    expectClean(await checkCampaign(stack, campaign, 'three workers competing'));
  });
});
