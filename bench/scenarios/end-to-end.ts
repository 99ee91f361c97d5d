/**
 * End to end: citizens each send one `HD` by the SMS gateway's webhook, 50 at a time, and the benchmark waits
 * until the gateway has received every reply; the service runs as two processes (`web` and `worker`), as a new
 * user would deploy it. The same load goes through the minimal durable pipeline of
 * bench/baselines/minimal-pipeline.ts in the same run. Then a fixed rate of 300 turns a second (open loop) gives
 * the latency from webhook to reply. Targets: 1,000 turns/s, and p99 under 150 ms at 300 turns/s.
 */
import { smsGatewayInbound } from '../../test/fakes/fake-sms-gateway-server.ts';
import { runLoad } from '../lib/http-load.ts';
import type { Figure } from '../lib/report.ts';
import { openStack, phoneOf, type Stack } from '../lib/stack.ts';
import { percentile } from '../lib/stats.ts';

const CONNECTIONS = 50;

interface Turns {
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
}

/**
 * Posts `count` one-message turns from distinct phones (offset `first`) to `url + path` and waits for that many
 * more replies at the gateway; the latency of each is from its post to its reply's arrival.
 */
async function turns(
  stack: Stack,
  options: { url: string; path: string; first: number; count: number; ratePerSecond?: number; tag: string },
): Promise<Turns> {
  const before = stack.gateway.messages.length;
  const receivedAt = new Date().toISOString();
  const load = await runLoad({
    baseUrl: options.url,
    total: options.count,
    concurrency: CONNECTIONS,
    ...(options.ratePerSecond ? { ratePerSecond: options.ratePerSecond } : {}),
    make: (i) => {
      const signed = smsGatewayInbound(stack.secret, {
        id: `${options.tag}-${i}`,
        from: phoneOf(options.first + i),
        text: 'HD',
        receivedAt,
      });
      return { path: options.path, body: signed.body, headers: { ...signed.headers } };
    },
  });
  const failed = load.count - (load.statuses[200] ?? 0);
  if (failed > 0)
    throw new Error(`${options.tag}: ${failed} webhooks not answered 200 (${JSON.stringify(load.statuses)})`);
  const replies = (await stack.gateway.waitForMessages(before + options.count, 300_000)).slice(before);
  const sentAt = new Map<string, number>();
  for (let i = 0; i < options.count; i += 1) {
    sentAt.set(phoneOf(options.first + i), performance.timeOrigin + (load.sentAt[i] ?? 0));
  }
  const latencies: number[] = [];
  let last = 0;
  for (const reply of replies) {
    const sent = sentAt.get(reply.to);
    if (sent === undefined) throw new Error(`${options.tag}: a reply to a phone that sent nothing`);
    latencies.push(reply.at.getTime() - sent);
    last = Math.max(last, reply.at.getTime());
  }
  const first = performance.timeOrigin + (load.sentAt[0] ?? 0);
  return {
    perSecond: options.count / ((last - first) / 1000),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

/** Round trips per turn between two readings of the stack's counters. */
function perTurn(
  before: { redisCommands: number; pgTransactions: number },
  after: { redisCommands: number; pgTransactions: number },
  turnsCount: number,
) {
  return {
    redis: (after.redisCommands - before.redisCommands) / turnsCount,
    pg: (after.pgTransactions - before.pgTransactions) / turnsCount,
  };
}

/** Runs the end-to-end scenario with `count` citizens per contender and `rateSeconds` seconds at 300 turns/s. */
export async function endToEnd(count: number, rateSeconds: number): Promise<Figure[]> {
  const stack = await openStack();
  try {
    await stack.query(
      'CREATE TABLE bench_turns (id text PRIMARY KEY, sender text NOT NULL, text text NOT NULL, handled_at timestamptz)',
    );
    const baselineWorker = await stack.startBaseline('bench/baselines/minimal-pipeline.ts', 'worker');
    const baselineWeb = await stack.startBaseline('bench/baselines/minimal-pipeline.ts', 'web');
    await turns(stack, { url: baselineWeb.url, path: '/in', first: 900_000, count: 200, tag: 'mwarm' });
    const minimalBefore = await stack.counters();
    const minimal = await turns(stack, { url: baselineWeb.url, path: '/in', first: 0, count, tag: 'min' });
    const minimalTrips = perTurn(minimalBefore, await stack.counters(), count);
    await Promise.all([baselineWeb.child.stop(), baselineWorker.child.stop()]);

    await stack.startWorker();
    const web = await stack.startWeb();
    const path = '/webhooks/sms-gateway';
    await turns(stack, { url: web.url, path, first: 800_000, count: 200, tag: 'swarm' });
    const serviceBefore = await stack.counters();
    const service = await turns(stack, { url: web.url, path, first: 100_000, count, tag: 'svc' });
    const serviceTrips = perTurn(serviceBefore, await stack.counters(), count);
    const rate = await turns(stack, {
      url: web.url,
      path,
      first: 200_000,
      count: 300 * rateSeconds,
      ratePerSecond: 300,
      tag: 'rate',
    });

    const what = `${count} citizens, one HD each, ${CONNECTIONS} at a time`;
    return [
      {
        scenario: 'end to end',
        name: `minimal durable pipeline (${what})`,
        value: minimal.perSecond,
        unit: 'turns/s',
        better: 'higher',
        note: `webhook → reply p50 ${minimal.p50.toFixed(0)} ms, p99 ${minimal.p99.toFixed(0)} ms`,
      },
      {
        scenario: 'end to end',
        name: `the service, web + worker processes (${what})`,
        value: service.perSecond,
        unit: 'turns/s',
        better: 'higher',
        target: 1000,
        baseline: { name: 'minimal durable pipeline', value: minimal.perSecond },
        note: `webhook → reply p50 ${service.p50.toFixed(0)} ms, p99 ${service.p99.toFixed(0)} ms`,
      },
      {
        scenario: 'end to end',
        name: 'Redis commands per turn (every queue, with those run inside Lua scripts)',
        value: serviceTrips.redis,
        unit: 'commands',
        better: 'lower',
        baseline: { name: 'minimal durable pipeline', value: minimalTrips.redis },
      },
      {
        scenario: 'end to end',
        name: 'PostgreSQL transactions per turn (a statement outside a transaction counts one)',
        value: serviceTrips.pg,
        unit: 'transactions',
        better: 'lower',
        baseline: { name: 'minimal durable pipeline', value: minimalTrips.pg },
      },
      {
        scenario: 'end to end',
        name: `webhook → reply p99 at 300 turns/s for ${rateSeconds} s`,
        value: rate.p99,
        unit: 'ms',
        better: 'lower',
        target: 150,
        note: `p50 ${rate.p50.toFixed(0)} ms; achieved ${rate.perSecond.toFixed(0)} turns/s`,
      },
    ];
  } finally {
    await stack.close();
  }
}
