/**
 * Intake: how many webhooks a second one web process acknowledges (`POST /webhooks/sms-gateway`: signature,
 * parsing, the inbox row with deduplication, the conversation's job), against a bare fastify route that only adds
 * a BullMQ job and the same route with a PostgreSQL insert first (bench/baselines/bare-intake.ts), in the same
 * run. No worker runs: only intake is measured. Target: at least 0.7 of the bare route.
 */
import { smsGatewayInbound } from '../../test/fakes/fake-sms-gateway-server.ts';
import { runLoad } from '../lib/http-load.ts';
import type { Figure } from '../lib/report.ts';
import { openStack, phoneOf } from '../lib/stack.ts';

const CONNECTIONS = 50;

/** Runs the intake scenario with `total` requests per contender. */
export async function intake(total: number): Promise<Figure[]> {
  const stack = await openStack();
  try {
    await stack.query('CREATE TABLE bench_inbound (id text PRIMARY KEY, body jsonb NOT NULL)');
    const body = (i: number, run: string) =>
      JSON.stringify({ id: `${run}-${i}`, from: phoneOf(i), to: '8079', text: 'HD' });
    const warm = Math.min(500, Math.ceil(total / 10));
    const measure = async (
      url: string,
      make: (i: number) => { path: string; body: string; headers: Record<string, string> },
    ) => {
      await runLoad({ baseUrl: url, total: warm, concurrency: CONNECTIONS, make: (i) => make(total + i) });
      const result = await runLoad({ baseUrl: url, total, concurrency: CONNECTIONS, make });
      const failed = result.count - (result.statuses[200] ?? 0);
      if (failed > 0)
        throw new Error(`${url}: ${failed} requests not answered 200 (${JSON.stringify(result.statuses)})`);
      return result;
    };

    const bare = await stack.startBaseline('bench/baselines/bare-intake.ts', 'add');
    const bareAdd = await measure(bare.url, (i) => ({
      path: '/in',
      body: body(i, 'bare'),
      headers: { 'content-type': 'application/json' },
    }));
    await bare.child.stop();

    const pgAddProcess = await stack.startBaseline('bench/baselines/bare-intake.ts', 'pg-add');
    const pgAdd = await measure(pgAddProcess.url, (i) => ({
      path: '/in',
      body: body(i, 'pg'),
      headers: { 'content-type': 'application/json' },
    }));
    await pgAddProcess.child.stop();

    const web = await stack.startWeb();
    const receivedAt = new Date().toISOString();
    const service = await measure(web.url, (i) => {
      const signed = smsGatewayInbound(stack.secret, {
        id: `svc-${i}`,
        from: phoneOf(i),
        text: 'HD',
        receivedAt,
      });
      return { path: '/webhooks/sms-gateway', body: signed.body, headers: { ...signed.headers } };
    });
    await web.child.stop();

    const what = `${CONNECTIONS} connections, ${total} requests`;
    return [
      {
        scenario: 'intake',
        name: `bare route, BullMQ add only (${what})`,
        value: bareAdd.perSecond,
        unit: 'req/s',
        better: 'higher',
      },
      {
        scenario: 'intake',
        name: `bare route, PostgreSQL insert + BullMQ add (${what})`,
        value: pgAdd.perSecond,
        unit: 'req/s',
        better: 'higher',
        baseline: { name: 'BullMQ add only', value: bareAdd.perSecond },
      },
      {
        scenario: 'intake',
        name: `POST /webhooks/sms-gateway, one web process (${what})`,
        value: service.perSecond,
        unit: 'req/s',
        better: 'higher',
        target: 0.7 * bareAdd.perSecond,
        baseline: { name: 'BullMQ add only', value: bareAdd.perSecond },
        note: `ack p50 ${service.p50.toFixed(1)} ms, p99 ${service.p99.toFixed(1)} ms`,
      },
    ];
  } finally {
    await stack.close();
  }
}
