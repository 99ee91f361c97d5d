/**
 * Child processes for the benchmarks and the fault suite: the service itself as `npm start` runs it (one role per
 * process, as a new user would deploy it: `web` and `worker`), and the baselines of bench/baselines. Each is
 * stopped with SIGTERM (SIGKILL after 10 s) when the run ends; a fault test may also kill one (SIGKILL).
 */
import { type ChildProcess, spawn } from 'node:child_process';

/** A running child process. */
export interface Child {
  readonly process: ChildProcess;
  /** Everything written to stderr so far (for the error when it dies early). */
  stderr(): string;
  /** Everything written to stdout and stderr so far, when started with `keepLog` (else empty): to scan the logs. */
  log(): string;
  /** Stops it and waits for its exit. */
  stop(): Promise<void>;
  /** Kills it (SIGKILL: no clean-up, a crash) and waits for its exit. */
  kill(): Promise<void>;
}

/**
 * Starts `node --import tsx <script> ...args` with `env` on top of PATH; with `keepLog`, everything it writes is
 * kept for {@link Child.log}. With `BENCH_CPU_PROF=<dir>` in the environment, each child writes a V8 CPU profile
 * there when it stops (`--cpu-prof`).
 */
export function startChild(
  script: string,
  args: readonly string[],
  env: Record<string, string>,
  options: { keepLog?: boolean } = {},
): Child {
  const profileDir = process.env.BENCH_CPU_PROF;
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', script, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const log: Buffer[] = [];
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  if (options.keepLog) {
    child.stdout?.on('data', (chunk: Buffer) => log.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => log.push(chunk));
  }
  child.stdout?.resume();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    process: child,
    stderr: () => stderr,
    log: () => Buffer.concat(log).toString('utf8'),
    async kill() {
      if (!running()) return;
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (!running()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resolves when `url` answers 200; rejects when `child` exits first or after `timeoutMs`. */
export async function waitForHttp(url: string, child: Child, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) throw new Error(`${url}: the process exited\n${child.stderr()}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms\n${child.stderr()}`);
}

/** Resolves when the child writes a line containing `text` to stdout. */
export function waitForLine(child: Child, text: string, timeoutMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`no "${text}" within ${timeoutMs} ms\n${child.stderr()}`)),
      timeoutMs,
    );
    child.process.stdout?.on('data', (chunk: Buffer) => {
      seen = (seen + chunk.toString()).slice(-2000);
      if (seen.includes(text)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.process.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`exited before "${text}"\n${child.stderr()}`));
    });
  });
}

/**
 * The environment of the service's `web` and `worker` processes on one database, Redis and fake SMS gateway (the
 * bench's stack and the fault suite's): the gateway's rate limit lifted (its default 20 SMS a second would make
 * a campaign a test of the rate limit), no quiet hours, listening on 127.0.0.1.
 */
export function serviceEnv(parts: {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly queuePrefix: string;
  readonly dataDir: string;
  readonly encryptionKey: string;
  readonly gatewayUrl: string;
  readonly gatewaySecret: string;
}): Record<string, string> {
  return {
    DATABASE_URL: parts.databaseUrl,
    REDIS_URL: parts.redisUrl,
    QUEUE_PREFIX: parts.queuePrefix,
    DATA_DIR: parts.dataDir,
    DATA_ENCRYPTION_KEY: parts.encryptionKey,
    SMS_GATEWAY_URL: parts.gatewayUrl,
    SMS_GATEWAY_SECRET: parts.gatewaySecret,
    OUTBOUND_RATE_LIMITS: 'sms-gateway=1000000/1s',
    QUIET_HOURS: 'off',
    HOST: '127.0.0.1',
  };
}
