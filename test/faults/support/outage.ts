import { expect } from 'vitest';
import { smsGatewayInbound } from '../../fakes/fake-sms-gateway-server.ts';
import { eventually } from '../../support/services.ts';
import type { FaultStack } from './fault-stack.ts';

/**
 * While `part` is away: /readyz answers 503 and names it (`down`, the other part `ok`), and a signed webhook is
 * answered 503 `UNAVAILABLE` with a `Retry-After` of whole seconds. Waits (a condition) until /readyz has noticed.
 * The probe's webhook comes from a phone outside every campaign; resolves with what a gateway does next: deliver
 * it again, until it is taken (call it once the part is back).
 */
export async function expectWebhookRefusedFor(
  stack: FaultStack,
  part: 'redis' | 'database',
): Promise<() => Promise<void>> {
  const web = stack.webs[0];
  if (!web) throw new Error('no web process');
  const other = part === 'redis' ? 'database' : 'redis';
  const ready = await eventually(async () => {
    const response = await fetch(`${web.url}/readyz`, { signal: AbortSignal.timeout(10_000) });
    const body = (await response.json()) as { checks?: Record<string, string> };
    return response.status === 503 && body.checks?.[part] === 'down' ? body : undefined;
  }, 30_000);
  expect(ready).toEqual({ status: 'not_ready', checks: { [part]: 'down', [other]: 'ok' } });
  const probe = smsGatewayInbound(stack.secret, {
    id: `probe-${part}-${Date.now()}`,
    from: '+84909999999',
    text: 'HD',
  });
  const response = await fetch(`${web.url}/webhooks/sms-gateway`, {
    method: 'POST',
    headers: probe.headers,
    body: probe.body,
    signal: AbortSignal.timeout(30_000),
  });
  expect(response.status).toBe(503);
  expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
  expect(await response.json()).toEqual({ error: { code: 'UNAVAILABLE', message: expect.any(String) } });
  return async () => {
    await eventually(async () => {
      const again = await fetch(`${web.url}/webhooks/sms-gateway`, {
        method: 'POST',
        headers: probe.headers,
        body: probe.body,
        signal: AbortSignal.timeout(30_000),
      });
      return again.status === 200;
    }, 60_000);
  };
}
