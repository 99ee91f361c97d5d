/**
 * The minimal durable pipeline of `npm run bench`, written plainly on the same stack as the service: the
 * `web` role checks the gateway's HMAC over the raw body, inserts the SMS into PostgreSQL with deduplication on
 * its id and adds a BullMQ job (only when the row is new), then answers 200; the `worker` role marks the row
 * handled and posts a signed reply to the gateway (idempotent on `clientRef`). It is what a turn costs with no
 * conversation engine at all: the service's end-to-end throughput is compared with it in the same run.
 *
 *     node --import tsx bench/baselines/minimal-pipeline.ts web|worker
 *     env: PORT (web), REDIS_URL, DATABASE_URL, QUEUE_PREFIX, SMS_GATEWAY_URL, SMS_GATEWAY_SECRET
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import Fastify from 'fastify';
import pg from 'pg';

const role = process.argv[2] === 'worker' ? 'worker' : 'web';
const secret = process.env.SMS_GATEWAY_SECRET ?? '';
const connection = { url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' };
const prefix = process.env.QUEUE_PREFIX ?? 'bench';
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const sign = (body: string | Buffer) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

if (role === 'web') {
  const queue = new Queue('bench-turns', { connection, prefix });
  const app = Fastify();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) =>
    done(null, body),
  );
  app.post('/in', async (request, reply) => {
    const raw = request.body as Buffer;
    const given = Buffer.from(String(request.headers['x-signature'] ?? ''));
    const expected = Buffer.from(sign(raw));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return reply.code(403).send({ error: 'signature' });
    }
    const sms = JSON.parse(raw.toString('utf8')) as { id: string; from: string; text: string };
    const inserted = await pool.query(
      'INSERT INTO bench_turns (id, sender, text) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING RETURNING id',
      [sms.id, sms.from, sms.text],
    );
    if (inserted.rowCount === 1) {
      await queue.add('turn', { id: sms.id }, { jobId: sms.id, removeOnComplete: true });
    }
    return { ok: true };
  });
  app.get('/ready', async () => ({ ok: true }));
  await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
  process.on('SIGTERM', () => {
    void Promise.all([app.close(), queue.close(), pool.end()]).then(() => process.exit(0));
  });
} else {
  const gateway = process.env.SMS_GATEWAY_URL ?? '';
  const worker = new Worker(
    'bench-turns',
    async (job) => {
      const { rows } = await pool.query<{ sender: string; text: string }>(
        'UPDATE bench_turns SET handled_at = now() WHERE id = $1 RETURNING sender, text',
        [job.data.id],
      );
      const row = rows[0];
      if (!row) return;
      const body = JSON.stringify({ to: row.sender, text: `Reply to ${row.text}`, clientRef: job.data.id });
      const response = await fetch(gateway, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-signature': sign(body) },
        body,
      });
      if (!response.ok) throw new Error(`gateway answered ${response.status}`);
      await response.arrayBuffer();
    },
    { connection, prefix, concurrency: 50 },
  );
  await worker.waitUntilReady();
  process.stdout.write('ready\n');
  process.on('SIGTERM', () => {
    void Promise.all([worker.close(), pool.end()]).then(() => process.exit(0));
  });
}
