import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../test/support/services.ts';
import { resolveAdminToken } from './admin-token.ts';

describe('the admin token', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });
  const dataDir = async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'dcz-admin-token-'));
    dirs.push(dir);
    return path.join(dir, 'data');
  };

  it('is generated once outside production into DATA_DIR/admin-token (0600), reused, and never logged', async () => {
    const dir = await dataDir();
    const { logger, lines } = memoryLogger();
    const first = await resolveAdminToken(undefined, { nodeEnv: 'development', dataDir: dir, logger });
    const file = path.resolve(dir, 'admin-token');
    expect(first.file).toBe(file);
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect((await readFile(file, 'utf8')).trim()).toBe(first.token);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const again = await resolveAdminToken(undefined, { nodeEnv: 'development', dataDir: dir, logger });
    expect(again).toEqual(first);
    expect(lines.join('\n')).toContain(file);
    expect(lines.join('\n')).not.toContain(first.token);
  });

  it('is ADMIN_TOKEN when set, and stays off in production when unset', async () => {
    const dir = await dataDir();
    const { logger } = memoryLogger();
    const token = 'a-configured-admin-token-0123';
    expect(await resolveAdminToken(token, { nodeEnv: 'development', dataDir: dir, logger })).toEqual({
      token,
      file: undefined,
    });
    expect(await resolveAdminToken(undefined, { nodeEnv: 'production', dataDir: dir, logger })).toEqual({
      token: undefined,
      file: undefined,
    });
    await expect(stat(path.join(dir, 'admin-token'))).rejects.toThrow();
  });
});
