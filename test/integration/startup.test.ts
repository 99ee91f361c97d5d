import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { redisAnswers } from '../../src/app/redis-bootstrap.ts';
import { eventually, freePort, testEncryptionKey } from '../support/services.ts';

/** Runs `npm start`'s entry point with exactly `env` (plus PATH unless given); resolves when it exits. */
function start(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/app/main.ts'], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

describe('npm start', () => {
  const dirs: string[] = [];
  const tempDir = async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'dcz-start-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('exits 1 with one message listing every bad variable', async () => {
    const run = start({ PORT: 'eighty', REDIS_URL: 'http://nope', TWILIO_ACCOUNT_SID: 'not-a-sid' });

    expect(await run.exited).toBe(1);
    expect(run.stderr()).toMatch(/^Invalid configuration:/);
    for (const name of ['PORT', 'REDIS_URL', 'TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM']) {
      expect(run.stderr()).toContain(`  - ${name}:`);
    }
  });

  it('exits 1 with one line saying how to get Redis when none answers and redis-server is not installed', async () => {
    const port = await freePort();
    const bin = await tempDir();
    await symlink(process.execPath, path.join(bin, 'node'));
    const run = start({
      PATH: bin,
      REDIS_URL: `redis://127.0.0.1:${port}`,
      DATA_DIR: await tempDir(),
    });

    expect(await run.exited).toBe(1);
    expect(run.stderr().trim().split('\n')).toHaveLength(1);
    expect(run.stderr()).toMatch(/redis-server is not on PATH: install Redis .* or set REDIS_URL/);
  });

  it('starts a private Redis with an append-only file under DATA_DIR, serves on embedded PGlite, and stops cleanly on SIGTERM', async () => {
    const [redisPort, httpPort] = [await freePort(), await freePort()];
    const dataDir = await tempDir();
    const run = start({
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      DATA_DIR: dataDir,
      PORT: String(httpPort),
      HOST: '127.0.0.1',
      DATA_ENCRYPTION_KEY: testEncryptionKey(),
      QUEUE_PREFIX: 'dcz-start-test',
    });

    const ready = await eventually(async () => {
      const response = await fetch(`http://127.0.0.1:${httpPort}/readyz`);
      return response.status === 200 ? response.json() : undefined;
    }, 40_000);
    expect(ready).toEqual({ status: 'ready', checks: { redis: 'ok', database: 'ok' } });
    expect(existsSync(path.join(dataDir, 'redis', 'appendonlydir'))).toBe(true);
    expect(existsSync(path.join(dataDir, 'pglite', 'PG_VERSION'))).toBe(true);

    run.child.kill('SIGTERM');

    expect(await run.exited).toBe(0);
    await eventually(async () => !(await redisAnswers(`redis://127.0.0.1:${redisPort}`)), 5000);
  });
});
