import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentSigner } from '../../src/domain/documents/document-signature.ts';
import { createShare } from '../../src/domain/shares/create-share.ts';
import { newCitizen } from '../contracts/citizen-repository.contract.ts';
import { ADMIN_TOKEN, type AppData, AppHarness, createAppData } from '../support/app-harness.ts';
import { multipart } from '../support/multipart.ts';

// Rotating DOCUMENT_SIGNING_KEY: papers issued under the old key stay authentic on the share page once the old
// public key is listed in DOCUMENT_RETIRED_PUBLIC_KEYS, and both keys are published; without it they are not.

const MARK = 'Bản gốc, do UBND phường Hải Châu (UBND-HAICHAU) cấp, không bị thay đổi';
const PDF = Buffer.from('%PDF-1.4\n% issued before the rotation\n%%EOF\n');

const newSigningKey = () =>
  generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
const publicX = (privateKey: string) => createDocumentSigner(privateKey).publicKeys[0]?.x ?? '';

describe('rotating the document signing key', () => {
  const oldKey = newSigningKey();
  const newKey = newSigningKey();
  let data: AppData;
  let filesDir: string;
  let dropData: () => Promise<void>;
  let h: AppHarness | undefined;
  let paper: { id: string; signingKeyId: string };
  let citizenId: string;
  let refs = 0;

  /** The service over the same database, Redis prefix and files, with the signing settings given. */
  const start = async (env: Record<string, string>) => {
    await h?.stop();
    h = await AppHarness.start({ reuse: data, workers: 0, env: { FILES_DIR: filesDir, ...env } });
    return h;
  };

  /** Shares the paper as `CS` does and opens its page. */
  const openPage = async (app: AppHarness) => {
    refs += 1;
    const { token } = await createShare(
      {
        shares: app.services.shares,
        documents: app.services.documents,
        cipher: app.services.cipher,
        publicBaseUrl: app.baseUrl,
      },
      {
        citizenId,
        kind: 'document',
        documentId: paper.id,
        days: 7,
        maxViews: null,
        ref: `rotation-${refs}-${randomBytes(4).toString('hex')}`,
        at: new Date(),
      },
    );
    return app.app.inject({ url: `/s/${token}` });
  };

  const publishedKids = async (app: AppHarness) =>
    (await app.app.inject({ url: '/.well-known/document-signing-key' })).json<{
      keys: { kid: string; x: string }[];
    }>().keys;

  beforeAll(async () => {
    filesDir = await mkdtemp(path.join(tmpdir(), 'dcz-rotation-'));
    ({ data, drop: dropData } = await createAppData());

    // Before the rotation: an agency issues a paper over the API, signed with the old key.
    const before = await start({ DOCUMENT_SIGNING_KEY: oldKey });
    const opened = await before.services.citizens.create(newCitizen({ phone: '+84905700001' }));
    if (opened.type !== 'created') throw new Error(`could not open the account: ${opened.type}`);
    citizenId = opened.citizen.id;
    await before.services.citizens.recordVerification(citizenId, { outcome: 'verified' });
    const agency = await before.app.inject({
      method: 'POST',
      url: '/api/v1/admin/agencies',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      payload: { code: 'UBND-HAICHAU', name: 'UBND phường Hải Châu' },
    });
    const { payload, contentType } = multipart([
      { name: 'citizen', value: opened.citizen.accountCode },
      { name: 'typeCode', value: 'KHAISINH' },
      { name: 'title', value: 'Giấy khai sinh' },
      { name: 'number', value: 'KS-ROTATION-1' },
      { name: 'issuedAt', value: '2025-06-01' },
      { name: 'file', filename: 'ks.pdf', type: 'application/pdf', bytes: PDF },
    ]);
    const issued = await before.app.inject({
      method: 'POST',
      url: '/api/v1/agency/documents',
      headers: { authorization: `Bearer ${agency.json().apiKey}`, 'content-type': contentType },
      payload,
    });
    expect(issued.statusCode).toBe(201);
    const document = await before.services.documents.findById(issued.json().id);
    if (!document) throw new Error('the paper was not stored');
    paper = document;
    expect((await openPage(before)).body).toContain(MARK);
  });

  afterAll(async () => {
    await h?.stop();
    await dropData?.();
    if (filesDir) await rm(filesDir, { recursive: true, force: true });
  });

  it('keeps an earlier paper authentic under a new key when the old public key is retired, and publishes both', async () => {
    const app = await start({ DOCUMENT_SIGNING_KEY: newKey, DOCUMENT_RETIRED_PUBLIC_KEYS: publicX(oldKey) });

    const page = await openPage(app);

    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(MARK);
    // The page names the key that signed this paper, not the one signing today.
    expect(page.body).toContain(`<code>${paper.signingKeyId}</code>`);
    expect(app.services.signer.keyId).not.toBe(paper.signingKeyId);
    expect(await publishedKids(app)).toEqual([
      expect.objectContaining({ kid: app.services.signer.keyId, x: publicX(newKey) }),
      expect.objectContaining({ kid: paper.signingKeyId, x: publicX(oldKey) }),
    ]);
  });

  it('shows the paper as not authentic when the old key is neither the signing key nor retired', async () => {
    const app = await start({ DOCUMENT_SIGNING_KEY: newKey });

    const page = await openPage(app);

    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain(MARK);
    expect(page.body).toContain('role="alert"');
    expect((await publishedKids(app)).map((k) => k.kid)).toEqual([app.services.signer.keyId]);
  });

  it('refuses to start with a retired key that is not an Ed25519 public key, naming the variable', async () => {
    await expect(
      start({ DOCUMENT_SIGNING_KEY: newKey, DOCUMENT_RETIRED_PUBLIC_KEYS: `${publicX(oldKey)},not-a-key` }),
    ).rejects.toThrow(/DOCUMENT_RETIRED_PUBLIC_KEYS: key 2 must be/);
    h = undefined;
  });
});
