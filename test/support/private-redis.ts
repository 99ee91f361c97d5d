import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { redisAnswers } from '../../src/app/redis-bootstrap.ts';
import { eventually, freePort } from './services.ts';

/**
 * A `redis-server` of one test file (from PATH, on a free port, data in a temporary directory, no persistence),
 * which the test can stop, freeze (SIGSTOP: it keeps accepting connections but answers nothing) and start again
 * on the same port, empty.
 */
export class PrivateRedis {
  #child: ChildProcess | null = null;
  readonly port: number;
  readonly dir: string;

  private constructor(port: number, dir: string) {
    this.port = port;
    this.dir = dir;
  }

  /** `redis://127.0.0.1:<port>`. */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts a server on a free port; resolves once it answers PING. */
  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort(), await mkdtemp(path.join(tmpdir(), 'dcz-redis-')));
    await redis.restart();
    return redis;
  }

  /** Starts the server again on the same port (empty: nothing was persisted); resolves once it answers. */
  async restart(): Promise<void> {
    if (this.#child) throw new Error('redis-server is already running');
    const child = spawn(
      'redis-server',
      [
        '--bind',
        '127.0.0.1',
        '--port',
        String(this.port),
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        this.dir,
      ],
      { stdio: 'ignore' },
    );
    this.#child = child;
    child.once('exit', () => {
      if (this.#child === child) this.#child = null;
    });
    await eventually(() => redisAnswers(this.url), 20_000);
  }

  /** Stops the server (SIGTERM, as an orchestrator would) and resolves once it has exited. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGCONT');
    child.kill('SIGTERM');
    await exited;
  }

  /** SIGSTOP: the kernel still accepts connections and data, but the server answers nothing. */
  freeze(): void {
    this.#child?.kill('SIGSTOP');
  }

  /** SIGCONT: the frozen server goes on with what it received meanwhile. */
  thaw(): void {
    this.#child?.kill('SIGCONT');
  }

  /** Stops the server and removes its directory. */
  async destroy(): Promise<void> {
    await this.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}
