import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { redisOptionsFromUrl } from './redis-connection.ts';

/** Thrown when Redis is not reachable and cannot be started here; the message is the one line to print. */
export class RedisUnavailableError extends Error {}

/** Whether a Redis server answers PING at `url` (one quick try, no retries). */
export async function redisAnswers(url: string): Promise<boolean> {
  const client = new Redis({
    ...redisOptionsFromUrl(url),
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 1500,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/**
 * Makes sure Redis answers at `url`. If nothing answers and the URL points at this machine, starts a private
 * `redis-server` from PATH with its data and append-only file under `dataDir/redis` (stopped with this process).
 * Used by `npm start` only; tests and deployments run their own Redis.
 */
export async function ensureRedis(
  url: string,
  dataDir: string,
  logger: Logger,
): Promise<ChildProcess | null> {
  if (await redisAnswers(url)) return null;
  const { host, port } = redisOptionsFromUrl(url);
  const local = ['127.0.0.1', 'localhost', '::1'].includes(host);
  const hint =
    'install Redis (Debian/Ubuntu: apt-get install redis-server) or set REDIS_URL to a running Redis';
  if (!local)
    throw new RedisUnavailableError(`Redis does not answer at ${host}:${port}: start it, or ${hint}.`);

  const dir = path.resolve(dataDir, 'redis');
  await mkdir(dir, { recursive: true });
  const child = spawn(
    'redis-server',
    [
      '--bind',
      host === 'localhost' ? '127.0.0.1' : host,
      '--port',
      String(port),
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--maxmemory-policy',
      'noeviction',
      '--save',
      '',
    ],
    { stdio: 'ignore' },
  );
  const started = await new Promise<boolean>((resolve) => {
    child.once('error', () => resolve(false));
    child.once('spawn', () => resolve(true));
  });
  if (!started)
    throw new RedisUnavailableError(
      `Redis does not answer at ${host}:${port} and redis-server is not on PATH: ${hint}.`,
    );
  for (let i = 0; i < 50; i += 1) {
    if (await redisAnswers(url)) {
      process.once('exit', () => child.kill('SIGTERM'));
      logger.info({ dir, port }, 'started a private redis-server (append-only file under DATA_DIR)');
      return child;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new RedisUnavailableError(`redis-server did not start on ${host}:${port}: ${hint}.`);
}
