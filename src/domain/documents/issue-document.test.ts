import { createHash, generateKeyPairSync } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { InMemoryAgencyRepository } from '../../../test/fakes/in-memory-agency-repository.ts';
import { InMemoryCitizenRepository } from '../../../test/fakes/in-memory-citizen-repository.ts';
import { InMemoryDocumentRepository } from '../../../test/fakes/in-memory-document-repository.ts';
import { InMemoryFileStore } from '../../../test/fakes/in-memory-file-store.ts';
import type { Agency } from '../agencies/agency.ts';
import { createDocumentSigner, signedDocumentRecord } from './document-signature.ts';
import { type DocumentIssue, issueDocument } from './issue-document.ts';

const signer = createDocumentSigner(
  generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

/** `bytes` in chunks of `size`, as an upload arrives. */
async function* chunks(bytes: Buffer, size = 3): AsyncGenerator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

describe('issueDocument', () => {
  let citizens: InMemoryCitizenRepository;
  let documents: InMemoryDocumentRepository;
  let files: InMemoryFileStore;
  let agency: Agency;
  let citizenId: string;
  const deps = () => ({ citizens, documents, files, signer, maxBytes: 1000 });
  const issue = (overrides: Partial<DocumentIssue> = {}): DocumentIssue => ({
    agency,
    citizen: 'abcd-2345',
    typeCode: 'KHAISINH',
    title: 'Giấy khai sinh',
    number: '123/2025/KS',
    issuedAt: '2025-06-01',
    expiresAt: null,
    ...overrides,
  });

  beforeEach(async () => {
    citizens = new InMemoryCitizenRepository();
    const agencies = new InMemoryAgencyRepository();
    documents = new InMemoryDocumentRepository(agencies);
    files = new InMemoryFileStore();
    const created = await agencies.create({
      code: 'UBND-HAICHAU',
      name: 'UBND phường Hải Châu',
      keyHash: 'h',
    });
    if (created.type !== 'created') throw new Error('no agency');
    agency = created.agency;
    const opened = await citizens.create({
      fullName: 'Nguyễn Văn An',
      cccd: '048090001234',
      dateOfBirth: '1990-02-15',
      accountCode: 'ABCD2345',
      phone: '+84905123456',
      createdVia: 'twilio-sms',
      createdByRef: 'ref-1',
      actor: { kind: 'citizen', id: 'ref-1' },
      registeredBy: null,
      consent: { purpose: 'account_registration', textVersion: 'v1', channel: 'twilio-sms', language: 'vi' },
    });
    if (opened.type !== 'created') throw new Error('no citizen');
    citizenId = opened.citizen.id;
    await citizens.recordVerification(citizenId, { outcome: 'verified' });
  });

  it('refuses an account the registry has not confirmed (CITIZEN_NOT_VERIFIED) before reading the file', async () => {
    const opened = await citizens.create({
      fullName: 'Trần Thị Bình',
      cccd: '048090009999',
      dateOfBirth: '1991-03-16',
      accountCode: 'WXYZ2345',
      phone: '+84905999999',
      createdVia: 'twilio-sms',
      createdByRef: 'ref-2',
      actor: { kind: 'citizen', id: 'ref-2' },
      registeredBy: null,
      consent: { purpose: 'account_registration', textVersion: 'v1', channel: 'twilio-sms', language: 'vi' },
    });
    if (opened.type !== 'created') throw new Error('no citizen');

    await expect(issueDocument(deps(), issue({ citizen: 'WXYZ-2345' }), chunks(PDF))).rejects.toMatchObject({
      code: 'CITIZEN_NOT_VERIFIED',
      citizenStatus: 'provisional',
    });
    await citizens.recordVerification(opened.citizen.id, { outcome: 'not_matched', field: 'full_name' });
    await expect(issueDocument(deps(), issue({ citizen: 'WXYZ-2345' }), chunks(PDF))).rejects.toMatchObject({
      code: 'CITIZEN_NOT_VERIFIED',
      citizenStatus: 'not_matched',
    });
    expect(files.files.size).toBe(0);
  });

  it('stores the file, records its type by content, size and SHA-256, and signs the record', async () => {
    const outcome = await issueDocument(deps(), issue({ expiresAt: '2035-06-01' }), chunks(PDF));

    expect(outcome.type).toBe('created');
    const { document } = outcome;
    expect(document).toMatchObject({
      citizenId,
      agency: { code: 'UBND-HAICHAU' },
      contentType: 'application/pdf',
      sizeBytes: PDF.length,
      sha256: createHash('sha256').update(PDF).digest('hex'),
      signingKeyId: signer.keyId,
      expiresAt: '2035-06-01',
    });
    expect(files.files.get(document.fileKey)?.equals(PDF)).toBe(true);
    expect(signer.verify(signedDocumentRecord(document), document.signature, document.signingKeyId)).toBe(
      true,
    );
  });

  it('finds the holder by account code, phone in any form, or CCCD', async () => {
    for (const [n, citizen] of ['ABCD2345', '0905 123 456', '+84905123456', '048090001234'].entries()) {
      const outcome = await issueDocument(deps(), issue({ citizen, number: `N-${n}` }), chunks(PDF));
      expect(outcome.document.citizenId).toBe(citizenId);
    }
  });

  it('refuses an unknown holder with CITIZEN_NOT_FOUND and stores nothing', async () => {
    for (const citizen of ['WXYZ-2345', '0911000000', '048090009999', 'nobody']) {
      await expect(issueDocument(deps(), issue({ citizen }), chunks(PDF))).rejects.toMatchObject({
        code: 'CITIZEN_NOT_FOUND',
      });
    }
    expect(files.files.size).toBe(0);
  });

  it('refuses a closed account like an unknown one', async () => {
    const at = new Date();
    await citizens.close(citizenId, {
      at,
      purgeAfter: new Date(at.getTime() + 86_400_000),
      reason: 'requested',
      channel: 'twilio-sms',
    });

    await expect(issueDocument(deps(), issue(), chunks(PDF))).rejects.toMatchObject({
      code: 'CITIZEN_NOT_FOUND',
    });
    expect(files.files.size).toBe(0);
  });

  it('answers the same paper again with the first id and keeps one file', async () => {
    const first = await issueDocument(deps(), issue(), chunks(PDF));
    const again = await issueDocument(deps(), issue(), chunks(PDF, 7));

    expect(again).toMatchObject({ type: 'existing', document: { id: first.document.id } });
    expect([...files.files.keys()]).toEqual([first.document.fileKey]);
  });

  it('refuses another paper under a used number and drops its file', async () => {
    await issueDocument(deps(), issue(), chunks(PDF));
    const other = Buffer.concat([PDF, Buffer.from('% another paper\n')]);

    await expect(issueDocument(deps(), issue(), chunks(other))).rejects.toMatchObject({
      code: 'DOCUMENT_NUMBER_REUSED',
    });
    expect(files.files.size).toBe(1);
    expect(documents.documents).toHaveLength(1);
  });

  it('refuses a file that is not a PDF, PNG or JPEG by its content, and an empty one', async () => {
    for (const bytes of [Buffer.from('just text, named paper.pdf'), Buffer.alloc(0), Buffer.from('%PD')]) {
      await expect(issueDocument(deps(), issue(), chunks(bytes))).rejects.toMatchObject({
        code: 'UNSUPPORTED_FILE_TYPE',
      });
    }
    expect(files.files.size).toBe(0);
    expect(documents.documents).toHaveLength(0);
  });

  it('refuses a file over the size limit and leaves no file', async () => {
    const big = Buffer.concat([PDF, Buffer.alloc(1001 - PDF.length, 0x20)]);

    await expect(issueDocument(deps(), issue(), chunks(big, 100))).rejects.toMatchObject({
      code: 'FILE_TOO_LARGE',
    });
    expect(files.files.size).toBe(0);
  });

  it('accepts a file of exactly the size limit', async () => {
    const exact = Buffer.concat([PDF, Buffer.alloc(1000 - PDF.length, 0x20)]);

    await expect(issueDocument(deps(), issue(), chunks(exact, 100))).resolves.toMatchObject({
      document: { sizeBytes: 1000 },
    });
  });
});
