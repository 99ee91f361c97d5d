import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Agency } from '../../src/domain/agencies/agency.ts';
import type { DocumentRepository, NewDocument } from '../../src/domain/documents/document.ts';

/**
 * What a contract run needs: the repository, and ways to make the citizens and agencies papers belong to. The
 * suite calls the factory once, `reset` before each test (it may replace `repository`) and `close` at the end.
 */
export interface DocumentRepositoryFixture {
  repository: DocumentRepository;
  newCitizenId(): Promise<string>;
  newAgency(code: string, name: string): Promise<Agency>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** A paper as issue-document makes it; `overrides` change single fields. */
export function newDocument(
  agencyId: string,
  citizenId: string,
  overrides: Partial<NewDocument> = {},
): NewDocument {
  const id = randomUUID();
  return {
    id,
    citizenId,
    agencyId,
    typeCode: 'KHAISINH',
    title: 'Giấy khai sinh',
    number: '123/2025/KS',
    issuedAt: '2025-06-01',
    expiresAt: null,
    contentType: 'application/pdf',
    sizeBytes: 1234,
    sha256: 'a'.repeat(64),
    fileKey: id,
    signature: `signature-of-${id}`,
    signingKeyId: '0123456789abcdef',
    ...overrides,
  };
}

/**
 * The behaviour every {@link DocumentRepository} (PostgreSQL, PGlite, the in-memory fake) must show; see the
 * contract in src/domain/documents/document.ts. Call it once per implementation.
 */
export function describeDocumentRepositoryContract(
  name: string,
  factory: () => Promise<DocumentRepositoryFixture>,
): void {
  describe(`DocumentRepository contract: ${name}`, () => {
    let fixture: DocumentRepositoryFixture;
    const repo = () => fixture.repository;
    let agency: Agency;
    let citizenId: string;

    beforeAll(async () => {
      fixture = await factory();
    });
    beforeEach(async () => {
      await fixture.reset();
      agency = await fixture.newAgency('UBND-HAICHAU', 'UBND phường Hải Châu');
      citizenId = await fixture.newCitizenId();
    });
    afterAll(async () => {
      await fixture.close();
    });

    it('issues a paper with its issuer, found again by id exactly as issued', async () => {
      const before = Date.now();
      const paper = newDocument(agency.id, citizenId, { expiresAt: '2030-06-01' });

      const outcome = await repo().issue(paper);

      const { agencyId: _agencyId, ...fields } = paper;
      const expected = {
        ...fields,
        agency: { id: agency.id, code: 'UBND-HAICHAU', name: 'UBND phường Hải Châu' },
        createdAt: expect.any(Date),
      };
      expect(outcome).toEqual({ type: 'created', document: expected });
      expect(Math.abs(outcome.document.createdAt.getTime() - before)).toBeLessThan(60_000);
      await expect(repo().findById(paper.id)).resolves.toEqual(expected);
    });

    it('answers the same paper issued again with the first id (existing) and stores it once', async () => {
      const first = newDocument(agency.id, citizenId);
      await repo().issue(first);

      const again = await repo().issue({
        ...newDocument(agency.id, citizenId),
        signature: 'another-signature',
      });

      expect(again.type).toBe('existing');
      expect(again.document.id).toBe(first.id);
      expect(again.document.fileKey).toBe(first.fileKey);
      await expect(repo().listByCitizen(citizenId)).resolves.toHaveLength(1);
    });

    it('refuses another paper under a used number (other file or other holder) and changes nothing', async () => {
      const first = newDocument(agency.id, citizenId);
      await repo().issue(first);
      const otherCitizen = await fixture.newCitizenId();

      const otherFile = await repo().issue(newDocument(agency.id, citizenId, { sha256: 'b'.repeat(64) }));
      const otherHolder = await repo().issue(newDocument(agency.id, otherCitizen));
      const otherTitle = await repo().issue(
        newDocument(agency.id, citizenId, { title: 'Trích lục khai sinh' }),
      );

      for (const outcome of [otherFile, otherHolder, otherTitle]) {
        expect(outcome.type).toBe('number_reused');
        expect(outcome.document.id).toBe(first.id);
      }
      await expect(repo().findById(first.id)).resolves.toMatchObject({
        sha256: 'a'.repeat(64),
        title: 'Giấy khai sinh',
      });
      await expect(repo().listByCitizen(otherCitizen)).resolves.toEqual([]);
    });

    it('keeps numbers per agency: another agency may use the same number', async () => {
      const other = await fixture.newAgency('UBND-THACHTHANG', 'UBND phường Thạch Thang');
      await repo().issue(newDocument(agency.id, citizenId));

      const outcome = await repo().issue(newDocument(other.id, citizenId));

      expect(outcome.type).toBe('created');
      expect(outcome.document.agency.code).toBe('UBND-THACHTHANG');
    });

    it('lists a citizen’s papers in issue order, oldest first, and only theirs', async () => {
      const other = await fixture.newCitizenId();
      const numbers = ['1/KS', '2/KS', '3/KS'];
      for (const number of numbers) await repo().issue(newDocument(agency.id, citizenId, { number }));
      await repo().issue(newDocument(agency.id, other, { number: '4/KS' }));

      const listed = await repo().listByCitizen(citizenId);

      expect(listed.map((d) => d.number)).toEqual(numbers);
      await expect(repo().listByCitizen(other)).resolves.toHaveLength(1);
    });

    it('finds nothing for an unknown id', async () => {
      await expect(repo().findById(randomUUID())).resolves.toBeNull();
      await expect(repo().findById('not-a-uuid')).resolves.toBeNull();
    });

    it('deletes every paper of a citizen, and only theirs', async () => {
      const other = await fixture.newCitizenId();
      const a = newDocument(agency.id, citizenId, { number: '1/KS' });
      const b = newDocument(agency.id, citizenId, { number: '2/KS' });
      const kept = newDocument(agency.id, other, { number: '3/KS' });
      for (const paper of [a, b, kept]) await repo().issue(paper);

      await repo().deleteByCitizen(citizenId);

      await expect(repo().listByCitizen(citizenId)).resolves.toEqual([]);
      await expect(repo().findById(a.id)).resolves.toBeNull();
      await expect(repo().findById(kept.id)).resolves.not.toBeNull();
    });
  });
}
