/**
 * Memory: the Redis bytes a queued message costs (the web process alone receives webhooks that no worker takes:
 * the growth of the stack's own Redis divided by the messages) and the bytes of a live conversation (citizens who
 * sent `DK` and were asked their name: the conversations' keys, measured with MEMORY USAGE), and the resident
 * memory of the web and worker processes after the other scenarios' kind of load. Target: at most 1 KB of Redis
 * per live conversation and per queued message.
 */
import { Redis } from 'ioredis';
import { smsGatewayInbound } from '../../test/fakes/fake-sms-gateway-server.ts';
import { runLoad } from '../lib/http-load.ts';
import type { Figure } from '../lib/report.ts';
import { openStack, phoneOf } from '../lib/stack.ts';

/** Redis's `used_memory`, in bytes. */
async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? Number.NaN);
}

/** Every key matching `pattern` (SCAN). */
async function keys(redis: Redis, pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    found.push(...batch);
  } while (cursor !== '0');
  return found;
}

/** Resident set size of a process, from /proc, in MiB. */
async function rssMiB(pid: number | undefined): Promise<number> {
  if (pid === undefined) return Number.NaN;
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) / 1024;
}

/** Runs the memory scenario with `count` messages and `count` conversations. */
export async function memory(count: number): Promise<Figure[]> {
  const stack = await openStack();
  const redis = new Redis(stack.env.REDIS_URL ?? '');
  try {
    const receivedAt = new Date().toISOString();
    const post = (url: string, tag: string, text: string, first: number) =>
      runLoad({
        baseUrl: url,
        total: count,
        concurrency: 50,
        make: (i) => {
          const signed = smsGatewayInbound(stack.secret, {
            id: `${tag}-${i}`,
            from: phoneOf(first + i),
            text,
            receivedAt,
          });
          return { path: '/webhooks/sms-gateway', body: signed.body, headers: { ...signed.headers } };
        },
      });

    // Queued messages: no worker runs, so every message waits in the queue.
    const intakeOnly = await stack.startWeb();
    await post(intakeOnly.url, 'warm', 'HD', 900_000);
    const before = await usedMemory(redis);
    await post(intakeOnly.url, 'queued', 'HD', 0);
    const perQueued = ((await usedMemory(redis)) - before) / count;
    await intakeOnly.child.stop();

    // Live conversations: a worker takes the waiting messages and then the citizens' DK.
    const worker = await stack.startWorker();
    const web = await stack.startWeb();
    await stack.gateway.waitForMessages(2 * count, 300_000);
    await post(web.url, 'dk', 'DK', 100_000);
    await stack.gateway.waitForMessages(3 * count, 300_000);
    const conversationKeys = await keys(redis, `${stack.prefix}:conv:*`);
    let conversationBytes = 0;
    for (const key of conversationKeys) conversationBytes += Number(await redis.memory('USAGE', key));
    const perConversation =
      conversationKeys.length === 0 ? Number.NaN : conversationBytes / conversationKeys.length;

    return [
      {
        scenario: 'memory',
        name: `Redis per queued message (${count} webhooks, no worker)`,
        value: perQueued,
        unit: 'bytes',
        better: 'lower',
        target: 1024,
      },
      {
        scenario: 'memory',
        name: `Redis per conversation (${conversationKeys.length} kept after HD and DK turns, MEMORY USAGE)`,
        value: perConversation,
        unit: 'bytes',
        better: 'lower',
        target: 1024,
      },
      {
        scenario: 'memory',
        name: `resident memory after ${3 * count} turns: web process`,
        value: await rssMiB(web.child.process.pid),
        unit: 'MiB',
        better: 'lower',
      },
      {
        scenario: 'memory',
        name: `resident memory after ${3 * count} turns: worker process`,
        value: await rssMiB(worker.process.pid),
        unit: 'MiB',
        better: 'lower',
      },
    ];
  } finally {
    redis.disconnect();
    await stack.close();
  }
}
