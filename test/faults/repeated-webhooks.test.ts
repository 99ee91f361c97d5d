import { afterAll, beforeAll, describe, it } from 'vitest';
import { checkCampaign, expectClean, startCampaign } from './support/campaign.ts';
import { type FaultStack, openFaultStack } from './support/fault-stack.ts';
import { CITIZENS, LANES } from './support/sizes.ts';

// Fault 6: the gateway delivers every webhook two or three times, to either of two web processes: the second copy
// at the same moment as the first (they race), the third after the citizen's next message, so out of order. Each
// message must be stored and answered once, in the order the citizen wrote.

describe('fault: every webhook delivered two or three times, some out of order', () => {
  let stack: FaultStack;

  beforeAll(async () => {
    stack = await openFaultStack();
    await Promise.all([stack.startWeb(), stack.startWeb()]);
    await stack.startWorker();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('answers each message once, in order, and opens one account per citizen', async () => {
    const campaign = startCampaign(stack, {
      first: 0,
      citizens: CITIZENS,
      lanes: LANES,
      tag: 'copies',
      copies: (i, step) => ((i + step) % 2 === 0 ? 3 : 2),
    });
    expectClean(await checkCampaign(stack, campaign, 'every webhook delivered 2 or 3 times, some late'));
  });
});
