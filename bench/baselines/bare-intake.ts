/**
 * The intake baselines of `npm run bench` (a process of its own, like the service's web process): a bare fastify
 * route `POST /in` that only adds the body to a BullMQ queue (`add`), or first inserts it into PostgreSQL with
 * deduplication on its id (`pg-add`). Nothing checks a signature or reads the body further: this is the floor
 * of our stack, not a service.
 *
 *     node --import tsx bench/baselines/bare-intake.ts add|pg-add
 *     env: PORT, REDIS_URL, DATABASE_URL (pg-add), QUEUE_PREFIX
 */
import { Queue } from 'bullmq';
import Fastify from 'fastify';
import pg from 'pg';

const mode = process.argv[2] === 'pg-add' ? 'pg-add' : 'add';
const queue = new Queue('bench-intake', {
  connection: { url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
  prefix: process.env.QUEUE_PREFIX ?? 'bench',
});
const pool = mode === 'pg-add' ? new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 }) : null;

const app = Fastify();
app.post<{ Body: { id: string } }>('/in', async (request) => {
  if (pool) {
    await pool.query('INSERT INTO bench_inbound (id, body) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [
      request.body.id,
      JSON.stringify(request.body),
    ]);
  }
  await queue.add('in', request.body, { removeOnComplete: true });
  return { ok: true };
});
app.get('/ready', async () => ({ ok: true }));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.on('SIGTERM', () => {
  void Promise.all([app.close(), queue.close(), pool?.end()]).then(() => process.exit(0));
});
