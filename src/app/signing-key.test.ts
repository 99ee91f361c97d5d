import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveDocumentSigner } from './signing-key.ts';

describe('the development signing key', () => {
  let dir = '';
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is one key for processes started at the same moment on one DATA_DIR, and no file is left aside', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'dcz-signing-'));
    const silent = pino({ level: 'silent' });
    const signers = await Promise.all(
      Array.from({ length: 8 }, () => resolveDocumentSigner(undefined, [], dir, silent)),
    );
    expect(new Set(signers.map((s) => s.keyId)).size).toBe(1);
    expect(await readdir(dir)).toEqual(['document-signing.key']);
    const again = await resolveDocumentSigner(undefined, [], dir, silent);
    expect(again.keyId).toBe(signers[0]?.keyId);
  });
});
