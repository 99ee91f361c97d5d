import { afterAll, beforeAll, describe, it } from 'vitest';
import type { GatewayMode } from '../fakes/fake-sms-gateway-server.ts';
import { checkCampaign, expectClean, startCampaign } from './support/campaign.ts';
import { type FaultStack, openFaultStack } from './support/fault-stack.ts';
import { CITIZENS, LANES } from './support/sizes.ts';

// Fault 5: the SMS gateway is in trouble three times during the campaign: it answers 500 to every send for 5 s,
// then 429 with `Retry-After: 2` for 5 s, then answers every send only after 5 s, for 10 s. The send job retries
// with backoff (or after the time asked) and the gateway's idempotency key (`clientRef`) makes a repeated send
// harmless: every citizen gets every reply exactly once. The durations are the fault itself, not waits.

const TROUBLES: readonly { mode: GatewayMode; forMs: number }[] = [
  { mode: { kind: 'refuse', status: 500 }, forMs: 5000 },
  { mode: { kind: 'refuse', status: 429, headers: { 'retry-after': '2' } }, forMs: 5000 },
  { mode: { kind: 'slow', delayMs: 5000 }, forMs: 10_000 },
];

describe('fault: the SMS gateway answering 500, 429 and slowly', () => {
  let stack: FaultStack;

  beforeAll(async () => {
    stack = await openFaultStack();
    await stack.startWeb();
    await stack.startWorker();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('sends every reply exactly once in the end, and opens one account per citizen', async () => {
    const campaign = startCampaign(stack, { first: 0, citizens: CITIZENS, lanes: LANES, tag: 'provider' });
    for (const [k, { mode, forMs }] of TROUBLES.entries()) {
      await campaign.reached(Math.floor((campaign.totalTurns * (k + 1)) / (TROUBLES.length + 2)));
      stack.gateway.setMode(mode);
      await new Promise((resolve) => setTimeout(resolve, forMs));
      stack.gateway.setMode({ kind: 'normal' });
    }
    expectClean(await checkCampaign(stack, campaign, 'gateway answering 500, 429 and slowly (5 s)'));
  });
});
