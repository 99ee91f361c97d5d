import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/shared/errors.ts';
import { connectZaloPersonal, readZaloPersonalCredentials } from './zalo-personal.connect.ts';

const SECRET = 'zpw_sek_3f9a1c7b2e';
/** What `npm run zalo:login` writes: tough-cookie's serialised cookies, the imei and the user agent. */
const saved = {
  cookie: [
    {
      key: 'zpw_sek',
      value: SECRET,
      domain: 'chat.zalo.me',
      path: '/',
      secure: true,
      httpOnly: true,
      hostOnly: false,
      creation: '2026-11-27T03:00:00.000Z',
      lastAccessed: '2026-11-27T03:00:00.000Z',
    },
  ],
  imei: '5f0c2d1e-8a7b-4c3d-9e2f-1a2b3c4d5e6f-0123456789abcdef0123456789abcdef',
  userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'zalo-personal-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.catch((e: unknown) => e);
  if (!(error instanceof AppError)) throw new Error(`expected AppError, got ${String(error)}`);
  expect(error.message).not.toContain(SECRET);
  return error;
}

describe('credentials file', () => {
  it('reads the file the login script writes', async () => {
    const file = path.join(dir, 'zalo.json');
    await writeFile(file, JSON.stringify(saved));
    expect(await readZaloPersonalCredentials(file)).toEqual(saved);
  });

  it('accepts a browser cookie export and an explicit language', async () => {
    const file = path.join(dir, 'zalo.json');
    const exported = { url: 'https://chat.zalo.me', cookies: [{ name: 'zpw_sek', value: SECRET }] };
    await writeFile(file, JSON.stringify({ ...saved, cookie: exported, language: 'en' }));
    expect(await readZaloPersonalCredentials(file)).toMatchObject({ cookie: exported, language: 'en' });
  });

  it('names a missing file and how to create it', async () => {
    const file = path.join(dir, 'missing.json');
    const error = await failure(connectZaloPersonal(file));
    expect(error.code).toBe('ZALO_PERSONAL_CREDENTIALS_INVALID');
    expect(error.message).toContain(file);
    expect(error.message).toContain('ENOENT');
    expect(error.message).toContain('npm run zalo:login');
  });

  it('rejects invalid JSON without quoting the file', async () => {
    const file = path.join(dir, 'zalo.json');
    await writeFile(file, `{"cookie": [{"value": "${SECRET}"}], imei`);
    const error = await failure(readZaloPersonalCredentials(file));
    expect(error.message).toContain('is not valid JSON');
  });

  it('names the faulty fields, never their values', async () => {
    const file = path.join(dir, 'zalo.json');
    await writeFile(
      file,
      JSON.stringify({ cookie: [{ value: 42, key: SECRET }], imei: '', userAgent: SECRET }),
    );
    const error = await failure(readZaloPersonalCredentials(file));
    expect(error.message).toMatch(/malformed \(.*imei.*\)/);
    expect(error.message).toContain('cookie');
  });
});
