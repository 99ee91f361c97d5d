import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InMemoryDocumentRepository } from '../../../test/fakes/in-memory-document-repository.ts';
import { InMemoryShareRepository } from '../../../test/fakes/in-memory-share-repository.ts';
import { createDataCipher } from '../../shared/crypto.ts';
import { createShare } from './create-share.ts';
import { deriveShareToken, shareTokenHash } from './share-token.ts';

const cipher = createDataCipher(randomBytes(32));
const AT = new Date('2025-06-01T08:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;

async function setUp() {
  const documents = new InMemoryDocumentRepository();
  const shares = new InMemoryShareRepository();
  const citizenId = randomUUID();
  const { document } = await documents.issue({
    id: randomUUID(),
    citizenId,
    agencyId: randomUUID(),
    typeCode: 'KHAISINH',
    title: 'Giấy khai sinh',
    number: 'KS-1',
    issuedAt: '2025-05-01',
    expiresAt: null,
    contentType: 'application/pdf',
    sizeBytes: 10,
    sha256: '0'.repeat(64),
    fileKey: 'file-1',
    signature: 'sig',
    signingKeyId: 'key',
  });
  const deps = { shares, documents, cipher, publicBaseUrl: 'https://dcz.example.vn' };
  return { deps, shares, citizenId, documentId: document.id };
}

describe('createShare', () => {
  it('shares a paper of the citizen for the days asked, with a link made of the derived token', async () => {
    const { deps, shares, citizenId, documentId } = await setUp();
    const created = await createShare(deps, {
      citizenId,
      kind: 'document',
      documentId,
      days: 30,
      ref: 'in-7',
      at: AT,
    });
    const token = deriveShareToken((p, v) => cipher.keyedHash(p, v), 'in-7');
    expect(created.token).toBe(token);
    expect(created.url).toBe(`https://dcz.example.vn/s/${token}`);
    expect(created.share).toMatchObject({
      citizenId,
      kind: 'document',
      documentId,
      expiresAt: new Date(AT.getTime() + 30 * DAY),
      maxViews: null,
    });
    expect(shares.shares[0]?.tokenHash).toBe(shareTokenHash((p, v) => cipher.keyedHash(p, v), token));
    expect(JSON.stringify(shares.shares)).not.toContain(token);
  });

  it('gives the same share and link when the same message is handled again', async () => {
    const { deps, shares, citizenId, documentId } = await setUp();
    const input = { citizenId, kind: 'document' as const, documentId, days: 7 as const, ref: 'in-8', at: AT };
    const first = await createShare(deps, input);
    const again = await createShare(deps, { ...input, at: new Date(AT.getTime() + 60_000) });
    expect(again).toEqual(first);
    expect(shares.shares).toHaveLength(1);
  });

  it('refuses a paper of another citizen exactly like a paper that does not exist', async () => {
    const { deps, shares, documentId } = await setUp();
    const base = { citizenId: randomUUID(), kind: 'document' as const, days: 7 as const, at: AT };
    await expect(createShare(deps, { ...base, documentId, ref: 'a' })).rejects.toMatchObject({
      code: 'DOCUMENT_NOT_FOUND',
    });
    await expect(createShare(deps, { ...base, documentId: randomUUID(), ref: 'b' })).rejects.toMatchObject({
      code: 'DOCUMENT_NOT_FOUND',
    });
    await expect(createShare(deps, { ...base, documentId: null, ref: 'c' })).rejects.toMatchObject({
      code: 'DOCUMENT_NOT_FOUND',
    });
    expect(shares.shares).toHaveLength(0);
  });

  it('makes a data-export link last one day, whatever was asked', async () => {
    const { deps, citizenId } = await setUp();
    const created = await createShare(deps, {
      citizenId,
      kind: 'export',
      documentId: null,
      days: 30,
      ref: 'x',
      at: AT,
    });
    expect(created.share).toMatchObject({
      kind: 'export',
      documentId: null,
      expiresAt: new Date(AT.getTime() + DAY),
    });
  });

  it('keeps a view limit, and refuses one that is not a positive whole number', async () => {
    const { deps, citizenId, documentId } = await setUp();
    const base = { citizenId, kind: 'document' as const, documentId, days: 1 as const, at: AT };
    await expect(createShare(deps, { ...base, maxViews: 3, ref: 'v1' })).resolves.toMatchObject({
      share: { maxViews: 3 },
    });
    await expect(createShare(deps, { ...base, maxViews: 0, ref: 'v2' })).rejects.toMatchObject({
      code: 'BAD_VIEW_LIMIT',
    });
  });
});
