import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { redisAnswers } from '../../src/app/redis-bootstrap.ts';
import { eventually, freePort } from './services.ts';

/**
 * When the append-only file is written to disk (`appendfsync`): `always` before each write is answered (a crash
 * loses nothing acknowledged), `everysec` once a second (a crash may lose the last second of writes).
 */
export type AppendFsync = 'always' | 'everysec';

/**
 * A `redis-server` of one test file (from PATH, on a free port, data in a temporary directory), which the test
 * can stop, kill, freeze (SIGSTOP: it keeps accepting connections but answers nothing) and start again on the same
 * port: empty by default (no persistence), or with what its append-only file kept when started with `appendOnly`.
 */
export class PrivateRedis {
  #child: ChildProcess | null = null;
  readonly port: number;
  readonly dir: string;
  readonly #appendOnly: AppendFsync | null;

  private constructor(port: number, dir: string, appendOnly: AppendFsync | null) {
    this.port = port;
    this.dir = dir;
    this.#appendOnly = appendOnly;
  }

  /** `redis://127.0.0.1:<port>`. */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts a server on a free port (with an append-only file when `appendOnly` is set); resolves once it answers PING. */
  static async start(options: { appendOnly?: AppendFsync } = {}): Promise<PrivateRedis> {
    const dir = await mkdtemp(path.join(tmpdir(), 'dcz-redis-'));
    const redis = new PrivateRedis(await freePort(), dir, options.appendOnly ?? null);
    await redis.restart();
    return redis;
  }

  /**
   * Starts the server again on the same port (empty unless it has an append-only file: then with what the file
   * kept); resolves once it answers.
   */
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
        this.#appendOnly ? 'yes' : 'no',
        ...(this.#appendOnly ? ['--appendfsync', this.#appendOnly] : []),
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

  /** Kills the server (SIGKILL: a crash, nothing flushed) and resolves once it has exited. */
  async kill(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
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
