import type { ChildProcess } from 'node:child_process';
import { isSimulatedChannel } from '../messaging/channel.ts';
import { ConfigError, loadConfig } from './config.ts';
import { buildHttp } from './http.ts';
import { startListeners } from './listeners.ts';
import { createLogger } from './logger.ts';
import { ensureRedis, RedisUnavailableError } from './redis-bootstrap.ts';
import { createServices } from './services.ts';
import { startWorkers } from './worker.ts';

/**
 * The entry point: `npm start` runs the web server, the workers and the channel listeners in one process;
 * `start:web`, `start:worker` and `start:listener` run one role each (run exactly one listener process).
 * SIGTERM/SIGINT stop intake, finish the turns in progress, then exit.
 */
const ROLES = ['web', 'worker', 'listener'] as const;
const role = ROLES.find((r) => r === process.argv[2]) ?? 'all';

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
  const providers = [...services.adapters.keys()].filter(
    (channel) => channel !== 'web' && channel !== 'dev-sms' && !isSimulatedChannel(channel),
  );
  if (providers.length === 0)
    logger.warn(
      'no provider channel is configured (only the web chat): see docs/channels for SMS, Zalo and Telegram',
    );

  const app = role === 'all' || role === 'web' ? buildHttp(services) : null;
  const workers = role === 'all' || role === 'worker' ? await startWorkers(services) : null;
  const listeners = role === 'all' || role === 'listener' ? await startListeners(services) : null;
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
    await listeners?.close();
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
