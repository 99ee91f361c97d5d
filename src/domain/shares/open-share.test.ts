import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InMemoryDocumentRepository } from '../../../test/fakes/in-memory-document-repository.ts';
import { InMemoryFileStore } from '../../../test/fakes/in-memory-file-store.ts';
import { InMemoryShareRepository } from '../../../test/fakes/in-memory-share-repository.ts';
import { storeSignedPaper } from '../../../test/support/signed-paper.ts';
import { createDataCipher } from '../../shared/crypto.ts';
import { AppError } from '../../shared/errors.ts';
import { createFsFileStore } from '../../storage/files/fs-file-store.ts';
import type { DocumentRecord } from '../documents/document.ts';
import { createDocumentSigner } from '../documents/document-signature.ts';
import type { FileStore } from '../documents/file-store.ts';
import { createShare } from './create-share.ts';
import { openShare } from './open-share.ts';

const masterKey = randomBytes(32);
const cipher = createDataCipher(masterKey);
const signer = createDocumentSigner(
  generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
);
const AT = new Date('2025-06-01T08:00:00.000Z');
const PDF = Buffer.from('%PDF-1.4\n% a small paper\n%%EOF\n');
const agency = { id: randomUUID(), code: 'UBND-HAICHAU', name: 'UBND phường Hải Châu', createdAt: AT };

/** A paper issued as the agency API does: file stored, record signed. */
async function setUp(files: FileStore = new InMemoryFileStore()) {
  const documents = new InMemoryDocumentRepository({ agencies: [agency] });
  const shares = new InMemoryShareRepository();
  const citizenId = randomUUID();
  const { id, fileKey } = await storeSignedPaper(
    { documents, files, signer },
    { agency, citizenId, bytes: PDF, at: AT },
  );
  const { token, share } = await createShare(
    { shares, documents, cipher, publicBaseUrl: 'https://dcz.example.vn' },
    { citizenId, kind: 'document', documentId: id, days: 7, ref: `in-${id}`, at: AT },
  );
  const deps = { shares, documents, files, signer, cipher };
  return { deps, documents, shares, files, token, share, fileKey };
}

const later = new Date(AT.getTime() + 60_000);

describe('openShare', () => {
  it('opens a usable share with its paper, authentic when the signature and the file hash check out', async () => {
    const { deps, token, share } = await setUp();
    const opened = await openShare(deps, token, later);
    expect(opened).toMatchObject({ kind: 'document', share, authenticity: { authentic: true } });
    expect(opened?.kind === 'document' && opened.document.title).toBe('Giấy khai sinh');
  });

  it('finds nothing for a malformed, unknown, expired or revoked token', async () => {
    const { deps, token, shares, share } = await setUp();
    await expect(openShare(deps, 'not a token', later)).resolves.toBeNull();
    await expect(openShare(deps, 'A'.repeat(22), later)).resolves.toBeNull();
    await expect(openShare(deps, token, new Date(AT.getTime() + 8 * 86_400_000))).resolves.toBeNull();
    await shares.revoke(share.citizenId, share.id, later);
    await expect(openShare(deps, token, later)).resolves.toBeNull();
  });

  it('reports a changed file when other bytes are stored under the paper’s key', async () => {
    const { deps, token, files, fileKey } = await setUp();
    await files.put(fileKey, Readable.from([Buffer.from('%PDF-1.4\n% a forged paper\n%%EOF\n')]));
    await expect(openShare(deps, token, later)).resolves.toMatchObject({
      authenticity: { authentic: false, reason: 'file_changed' },
    });
  });

  it('reports a changed file when the encrypted file was altered on disk and no longer decrypts', async () => {
    const dir = path.join(tmpdir(), `dcz-open-share-${randomUUID()}`);
    const { deps, token } = await setUp(createFsFileStore(dir, masterKey));
    const [name = ''] = await readdir(dir);
    const bytes = await readFile(path.join(dir, name));
    bytes[bytes.length - 20] = (bytes[bytes.length - 20] ?? 0) ^ 0xff;
    await writeFile(path.join(dir, name), bytes);
    await expect(openShare(deps, token, later)).resolves.toMatchObject({
      authenticity: { authentic: false, reason: 'file_changed' },
    });
    await rm(dir, { recursive: true, force: true });
  });

  it('reports a missing file', async () => {
    const { deps, token, files, fileKey } = await setUp();
    await files.delete(fileKey);
    await expect(openShare(deps, token, later)).resolves.toMatchObject({
      authenticity: { authentic: false, reason: 'file_missing' },
    });
  });

  it('rejects, saying nothing about the paper, when the file store is unavailable (before or while streaming)', async () => {
    const outage = new AppError('UNAVAILABLE', "The papers' file store is unavailable; try again later", {
      retryable: true,
    });
    const { deps, token } = await setUp();
    const down = { get: async () => Promise.reject(outage) };
    await expect(openShare({ ...deps, files: down }, token, later)).rejects.toBe(outage);

    const cut = {
      get: async () =>
        Readable.from(
          (async function* () {
            yield Buffer.from('%PDF-1.4\n');
            throw outage;
          })(),
        ),
    };
    await expect(openShare({ ...deps, files: cut }, token, later)).rejects.toBe(outage);
  });

  it('reports an invalid signature when the stored record was changed', async () => {
    const { deps, token, documents } = await setUp();
    const original = documents.documents[0] as DocumentRecord;
    documents.documents[0] = { ...original, expiresAt: '2099-12-31' };
    await expect(openShare(deps, token, later)).resolves.toMatchObject({
      authenticity: { authentic: false, reason: 'signature_invalid' },
    });
  });

  it('skips the check when asked (a download checks the file as it streams)', async () => {
    const { deps, token } = await setUp();
    await expect(openShare(deps, token, later, { checkAuthenticity: false })).resolves.toMatchObject({
      kind: 'document',
      authenticity: null,
    });
  });

  it('opens a data-export share without a paper', async () => {
    const { deps } = await setUp();
    const citizenId = randomUUID();
    const { token } = await createShare(
      { ...deps, publicBaseUrl: 'https://dcz.example.vn' },
      { citizenId, kind: 'export', documentId: null, days: 1, ref: 'export-1', at: AT },
    );
    await expect(openShare(deps, token, later)).resolves.toMatchObject({
      kind: 'export',
      share: { citizenId },
    });
  });
});
