import type { ChildProcess } from 'node:child_process';
import { ConfigError, loadConfig } from './config.ts';
import { buildHttp } from './http.ts';
import { createLogger } from './logger.ts';
import { ensureRedis, RedisUnavailableError } from './redis-bootstrap.ts';
import { createServices } from './services.ts';
import { startWorkers } from './worker.ts';

/**
 * The entry point: `npm start` runs the web server and the workers in one process; `start:web` and
 * `start:worker` run one role each. SIGTERM/SIGINT stop intake, finish the turns in progress, then exit.
 */
const role = process.argv[2] === 'web' || process.argv[2] === 'worker' ? process.argv[2] : 'all';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL);
  let redisChild: ChildProcess | null = null;
  try {
    redisChild = await ensureRedis(config.REDIS_URL, config.DATA_DIR, logger);
  } catch (error) {
    if (error instanceof RedisUnavailableError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const services = await createServices(config, logger);
  if (services.adapters.size === 0)
    logger.warn('no channel is configured: set TWILIO_* to receive SMS (see docs/channels)');

  const app = role === 'worker' ? null : buildHttp(services);
  const workers = role === 'web' ? null : await startWorkers(services);
  if (app) await app.listen({ port: config.PORT, host: config.HOST });
  logger.info({ role, database: services.db.kind, channels: [...services.adapters.keys()] }, 'started');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: finishing the turns in progress');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, 30_000);
    force.unref();
    await app?.close();
    await workers?.close();
    await services.close();
    redisChild?.kill('SIGTERM');
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
