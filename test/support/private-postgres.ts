import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { eventually, freePort } from './services.ts';

const run = promisify(execFile);

/**
 * The folder of the installed PostgreSQL's programs (`initdb`, `pg_ctl`): PG_BIN when set, else the newest
 * `/usr/lib/postgresql/<version>/bin` (Debian and Ubuntu), else none (they are then looked up on PATH).
 */
function postgresBin(): string | null {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const newest = readdirSync(root)
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a))[0];
  return newest ? path.join(root, newest, 'bin') : null;
}

/**
 * A PostgreSQL cluster of one test file (`initdb` in a temporary directory, on a free port of 127.0.0.1, trust
 * authentication, no fsync), which the test can stop (`pg_ctl stop -m fast`, as an orchestrator's restart would:
 * open connections are ended, new ones refused) and start again with its data. PostgreSQL refuses to run as
 * root: as root, the cluster runs as the `postgres` user.
 */
export class PrivatePostgres {
  readonly port: number;
  readonly dir: string;
  readonly #bin: string | null;
  readonly #user: { uid: number; gid: number } | null;

  private constructor(port: number, dir: string, user: { uid: number; gid: number } | null) {
    this.port = port;
    this.dir = dir;
    this.#bin = postgresBin();
    this.#user = user;
  }

  /** The URL of database `name` (default `postgres`) on this cluster. */
  url(name = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${name}`;
  }

  /** Creates and starts a cluster; resolves once it accepts connections. */
  static async start(): Promise<PrivatePostgres> {
    const dir = await mkdtemp(path.join(tmpdir(), 'dcz-postgres-'));
    let user: { uid: number; gid: number } | null = null;
    if (process.getuid?.() === 0) {
      const ids = async (flag: string) => Number((await run('id', [flag, 'postgres'])).stdout.trim());
      user = { uid: await ids('-u'), gid: await ids('-g') };
      await chown(dir, user.uid, user.gid);
    }
    const cluster = new PrivatePostgres(await freePort(), dir, user);
    await cluster.#tool('initdb', [
      '-D',
      cluster.#data,
      '-A',
      'trust',
      '-U',
      'postgres',
      '-E',
      'UTF8',
      '--no-sync',
    ]);
    await cluster.restart();
    return cluster;
  }

  get #data(): string {
    return path.join(this.dir, 'data');
  }

  /** Runs one of PostgreSQL's programs, as the `postgres` user when we are root. */
  async #tool(name: string, args: readonly string[]): Promise<void> {
    const file = this.#bin ? path.join(this.#bin, name) : name;
    await run(file, [...args], { ...(this.#user ?? {}), cwd: this.dir });
  }

  /** Starts the cluster (again, with its data); resolves once it accepts connections. */
  async restart(): Promise<void> {
    await this.#tool('pg_ctl', [
      'start',
      '-w',
      '-D',
      this.#data,
      '-l',
      path.join(this.dir, 'server.log'),
      '-o',
      `-p ${this.port} -c listen_addresses=127.0.0.1 -k ${this.dir} -c fsync=off -c max_connections=50`,
    ]);
    await eventually(async () => {
      const client = new pg.Client({ connectionString: this.url() });
      try {
        await client.connect();
        return true;
      } finally {
        await client.end().catch(() => undefined);
      }
    }, 20_000);
  }

  /** Stops the cluster (`-m fast`: sessions are ended) and resolves once it has stopped. */
  async stop(): Promise<void> {
    await this.#tool('pg_ctl', ['stop', '-w', '-m', 'fast', '-D', this.#data]);
  }

  /**
   * SIGSTOP to the server and every process it started (by their ids, from `postmaster.pid` and their parent id):
   * the kernel still accepts connections and queries, but nothing is answered. {@link thaw} undoes it.
   */
  async freeze(): Promise<void> {
    for (const pid of await this.#processes()) process.kill(pid, 'SIGSTOP');
  }

  /** SIGCONT to the server and its processes: they go on with what they received meanwhile. */
  async thaw(): Promise<void> {
    for (const pid of await this.#processes()) process.kill(pid, 'SIGCONT');
  }

  /** The postmaster's id and those of its children. */
  async #processes(): Promise<number[]> {
    const postmaster = Number(
      (await readFile(path.join(this.#data, 'postmaster.pid'), 'utf8')).split('\n')[0],
    );
    const children = await run('pgrep', ['-P', String(postmaster)]).then(
      ({ stdout }) =>
        stdout
          .split('\n')
          .filter((line) => line.trim() !== '')
          .map(Number),
      () => [],
    );
    return [postmaster, ...children];
  }

  /** Stops the cluster if it runs, and removes its directory. */
  async destroy(): Promise<void> {
    await this.thaw().catch(() => undefined);
    await this.stop().catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }
}
