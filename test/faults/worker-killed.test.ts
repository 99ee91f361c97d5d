import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCampaign, expectClean, startCampaign } from './support/campaign.ts';
import { type FaultStack, openFaultStack } from './support/fault-stack.ts';
import { CITIZENS, LANES } from './support/sizes.ts';

// Fault 1: the only worker process is killed with SIGKILL (no clean-up, turns cut wherever they were) four times
// during the campaign, and started again each time. With fifty citizens writing at once it is always mid-turn.
// A cut turn's job is taken again once its lock expires (WORKER_LOCK_MS, 30 s by default): nothing may be lost,
// answered twice or registered twice.

const KILLS = 4;

describe('fault: the worker killed with SIGKILL mid-turn, several times', () => {
  let stack: FaultStack;

  beforeAll(async () => {
    stack = await openFaultStack();
    await stack.startWeb();
    await stack.startWorker();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('answers every message once and opens one account per citizen', async () => {
    const campaign = startCampaign(stack, { first: 0, citizens: CITIZENS, lanes: LANES, tag: 'sigkill' });
    let kills = 0;
    for (let k = 1; k <= KILLS; k += 1) {
      await campaign.reached(Math.floor((campaign.totalTurns * k) / (KILLS + 2)));
      await stack.killWorker(0);
      kills += 1;
      await stack.startWorker();
    }
    expect(kills).toBe(KILLS);
    expectClean(await checkCampaign(stack, campaign, `worker killed (SIGKILL) ${KILLS} times`));
  });
});
