import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Agency } from '../../src/domain/agencies/agency.ts';
import type { DossierRepository, DossierUpdate } from '../../src/domain/dossiers/dossier.ts';

/**
 * What a contract run needs: the repository, and ways to make the citizens and agencies dossiers belong to.
 * The suite calls the factory once, `reset` before each test (it may replace `repository`) and `close` at the
 * end.
 */
export interface DossierRepositoryFixture {
  repository: DossierRepository;
  newCitizenId(): Promise<string>;
  newAgency(code: string, name: string): Promise<Agency>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

const T0 = Date.parse('2025-06-01T01:00:00.000Z');
/** The n-th minute after T0. */
const minute = (n: number) => new Date(T0 + n * 60_000);

/**
 * The behaviour every {@link DossierRepository} (PostgreSQL, PGlite, the in-memory fake) must show; see the
 * contract in src/domain/dossiers/dossier.ts. Call it once per implementation.
 */
export function describeDossierRepositoryContract(
  name: string,
  factory: () => Promise<DossierRepositoryFixture>,
): void {
  describe(`DossierRepository contract: ${name}`, () => {
    let fixture: DossierRepositoryFixture;
    const repo = () => fixture.repository;
    let agency: Agency;
    let citizenId: string;

    const update = (overrides: Partial<DossierUpdate> = {}): DossierUpdate => ({
      agencyId: agency.id,
      code: '000.00.20.H17-250601-0001',
      citizenId,
      procedure: 'Đăng ký khai sinh',
      status: 'received',
      expectedAt: '2025-06-05',
      note: null,
      at: minute(0),
      ...overrides,
    });

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

    it('creates a dossier with its first event; the status counts as changed', async () => {
      const outcome = await repo().upsert(update({ note: 'Mang bản chính CCCD' }));

      expect(outcome).toEqual({
        type: 'created',
        statusChanged: true,
        dossier: {
          id: expect.any(String),
          code: '000.00.20.H17-250601-0001',
          agency: { id: agency.id, code: 'UBND-HAICHAU', name: 'UBND phường Hải Châu' },
          citizenId,
          procedure: 'Đăng ký khai sinh',
          status: 'received',
          expectedAt: '2025-06-05',
          note: 'Mang bản chính CCCD',
          createdAt: minute(0),
          updatedAt: minute(0),
        },
      });
      if (outcome.type !== 'created') return;
      await expect(repo().history(outcome.dossier.id)).resolves.toEqual([
        { seq: 1, status: 'received', note: 'Mang bản chính CCCD', expectedAt: '2025-06-05', at: minute(0) },
      ]);
    });

    it('answers the same update again as unchanged, with no new event (a retried PUT is safe)', async () => {
      const first = await repo().upsert(update());
      const again = await repo().upsert(update({ at: minute(5) }));

      expect(again).toEqual({
        type: 'unchanged',
        statusChanged: false,
        dossier: first.type === 'created' && first.dossier,
      });
      if (again.type !== 'unchanged') return;
      await expect(repo().history(again.dossier.id)).resolves.toHaveLength(1);
    });

    it('appends one event per change of status, note or expected date, and says when the status changed', async () => {
      await repo().upsert(update());

      const processing = await repo().upsert(update({ status: 'processing', at: minute(1) }));
      const noted = await repo().upsert(
        update({ status: 'processing', note: 'Thiếu giấy chứng sinh', at: minute(2) }),
      );
      const later = await repo().upsert(
        update({
          status: 'processing',
          note: 'Thiếu giấy chứng sinh',
          expectedAt: '2025-06-09',
          at: minute(3),
        }),
      );
      const done = await repo().upsert(
        update({ status: 'completed', note: null, expectedAt: null, at: minute(4) }),
      );

      expect(
        [processing, noted, later, done].map((o) => [o.type, 'statusChanged' in o && o.statusChanged]),
      ).toEqual([
        ['updated', true],
        ['updated', false],
        ['updated', false],
        ['updated', true],
      ]);
      if (done.type !== 'updated') return;
      expect(done.dossier).toMatchObject({
        status: 'completed',
        note: null,
        expectedAt: null,
        updatedAt: minute(4),
      });
      expect(done.dossier.createdAt).toEqual(minute(0));
      // What an upsert answers is what is stored (the PostgreSQL one builds it without reading it again).
      for (const outcome of [processing, noted, later]) {
        if (outcome.type !== 'updated') throw new Error(`expected an update, got ${outcome.type}`);
        expect(outcome.dossier.note).toBe(outcome === processing ? null : 'Thiếu giấy chứng sinh');
      }
      expect(done.dossier).toEqual(await repo().findById(done.dossier.id));
      const procedureOnly = await repo().upsert(
        update({
          status: 'completed',
          note: null,
          expectedAt: null,
          procedure: 'Đăng ký kết hôn',
          at: minute(5),
        }),
      );
      if (procedureOnly.type !== 'updated') throw new Error(`expected an update, got ${procedureOnly.type}`);
      expect(procedureOnly.dossier).toEqual(await repo().findById(done.dossier.id));
      const history = await repo().history(done.dossier.id);
      expect(history.map((e) => [e.seq, e.status, e.note, e.expectedAt, e.at])).toEqual([
        [1, 'received', null, '2025-06-05', minute(0)],
        [2, 'processing', null, '2025-06-05', minute(1)],
        [3, 'processing', 'Thiếu giấy chứng sinh', '2025-06-05', minute(2)],
        [4, 'processing', 'Thiếu giấy chứng sinh', '2025-06-09', minute(3)],
        [5, 'completed', null, null, minute(4)],
      ]);
    });

    it('lets no other agency change a dossier, and reveals nothing of it', async () => {
      await repo().upsert(update());
      const other = await fixture.newAgency('UBND-THACHTHANG', 'UBND phường Thạch Thang');

      const outcome = await repo().upsert(update({ agencyId: other.id, status: 'rejected', at: minute(1) }));

      expect(outcome).toEqual({ type: 'other_agency' });
      const stored = await repo().findByCode(update().code);
      expect(stored).toMatchObject({ status: 'received', agency: { id: agency.id } });
      await expect(repo().history(stored?.id ?? '')).resolves.toHaveLength(1);
    });

    it('never moves a dossier to another citizen', async () => {
      await repo().upsert(update());
      const other = await fixture.newCitizenId();

      const outcome = await repo().upsert(update({ citizenId: other, status: 'processing', at: minute(1) }));

      expect(outcome).toEqual({ type: 'other_citizen' });
      await expect(repo().findByCode(update().code)).resolves.toMatchObject({
        citizenId,
        status: 'received',
      });
    });

    it('takes codes in any case: stored and shown in upper case, found and updated whatever the case', async () => {
      const created = await repo().upsert(update({ code: 'hs-abc.01/x' }));
      if (created.type !== 'created') throw new Error(`expected created, got ${created.type}`);

      const again = await repo().upsert(update({ code: 'HS-Abc.01/X', at: minute(1) }));
      const changed = await repo().upsert(
        update({ code: 'HS-ABC.01/X', status: 'processing', at: minute(2) }),
      );

      expect(created.dossier.code).toBe('HS-ABC.01/X');
      expect(again).toMatchObject({ type: 'unchanged', dossier: { id: created.dossier.id } });
      expect(changed).toMatchObject({
        type: 'updated',
        dossier: { id: created.dossier.id, code: 'HS-ABC.01/X' },
      });
      for (const code of ['hs-abc.01/x', 'Hs-aBc.01/x', 'HS-ABC.01/X']) {
        await expect(repo().findByCode(code)).resolves.toMatchObject({ id: created.dossier.id });
      }
      await expect(repo().listByCitizen(citizenId, 10)).resolves.toMatchObject([{ code: 'HS-ABC.01/X' }]);
    });

    it('lets no agency take another’s code in another case, nor a non-ASCII look-alike find it', async () => {
      await repo().upsert(update({ code: 'HS-001' }));
      const other = await fixture.newAgency('UBND-THACHTHANG', 'UBND phường Thạch Thang');

      const outcome = await repo().upsert(update({ agencyId: other.id, code: 'hs-001', at: minute(1) }));

      expect(outcome).toEqual({ type: 'other_agency' });
      await expect(repo().findByCode('HS-001')).resolves.toMatchObject({ agency: { id: agency.id } });
      // ſ (long s) upper-cases to S, but it is not a letter of a code.
      await expect(repo().findByCode('Hſ-001')).resolves.toBeNull();
    });

    it('finds a dossier by id and by code; nothing for unknown ones', async () => {
      const created = await repo().upsert(update());
      if (created.type !== 'created') throw new Error(`expected created, got ${created.type}`);

      await expect(repo().findById(created.dossier.id)).resolves.toEqual(created.dossier);
      await expect(repo().findByCode(update().code)).resolves.toEqual(created.dossier);
      await expect(repo().findById(randomUUID())).resolves.toBeNull();
      await expect(repo().findById('not-a-uuid')).resolves.toBeNull();
      await expect(repo().findByCode('NO-SUCH-CODE')).resolves.toBeNull();
      await expect(repo().history(randomUUID())).resolves.toEqual([]);
    });

    it('lists a citizen’s dossiers most recently updated first, up to the limit', async () => {
      const other = await fixture.newCitizenId();
      await repo().upsert(update({ code: 'HS-1', at: minute(0) }));
      await repo().upsert(update({ code: 'HS-2', at: minute(1) }));
      await repo().upsert(update({ code: 'HS-3', at: minute(2) }));
      await repo().upsert(update({ code: 'HS-1', status: 'processing', at: minute(3) }));
      await repo().upsert(update({ code: 'HS-4', citizenId: other, at: minute(4) }));

      await expect(repo().listByCitizen(citizenId, 10)).resolves.toMatchObject([
        { code: 'HS-1' },
        { code: 'HS-3' },
        { code: 'HS-2' },
      ]);
      await expect(repo().listByCitizen(citizenId, 2)).resolves.toHaveLength(2);
    });

    it('loses no event when two updates of one dossier arrive at once', async () => {
      await repo().upsert(update());

      const outcomes = await Promise.all([
        repo().upsert(update({ status: 'processing', at: minute(1) })),
        repo().upsert(update({ status: 'needs_more_info', note: 'Bổ sung ảnh', at: minute(2) })),
      ]);

      expect(outcomes.map((o) => o.type)).toEqual(['updated', 'updated']);
      const stored = await repo().findByCode(update().code);
      const history = await repo().history(stored?.id ?? '');
      expect(history.map((e) => e.seq)).toEqual([1, 2, 3]);
      expect(new Set(history.slice(1).map((e) => e.status))).toEqual(
        new Set(['processing', 'needs_more_info']),
      );
      expect(stored?.status).toBe(history[2]?.status);
    });

    it('creates a dossier once when two retries of its first PUT arrive at once', async () => {
      const outcomes = await Promise.all([repo().upsert(update()), repo().upsert(update())]);

      expect(outcomes.map((o) => o.type).sort()).toEqual(['created', 'unchanged']);
      const stored = await repo().findByCode(update().code);
      await expect(repo().history(stored?.id ?? '')).resolves.toHaveLength(1);
    });

    it('deletes every dossier of a citizen with its history, and no one else’s', async () => {
      const other = await fixture.newCitizenId();
      const mine = await repo().upsert(update({ code: 'HS-1', note: 'Bổ sung ảnh' }));
      await repo().upsert(update({ code: 'HS-1', status: 'processing', at: minute(1) }));
      await repo().upsert(update({ code: 'HS-2', citizenId: other }));
      if (mine.type !== 'created') throw new Error(`expected created, got ${mine.type}`);

      await repo().deleteByCitizen(citizenId);

      await expect(repo().listByCitizen(citizenId, 10)).resolves.toEqual([]);
      await expect(repo().findByCode('HS-1')).resolves.toBeNull();
      await expect(repo().history(mine.dossier.id)).resolves.toEqual([]);
      await expect(repo().listByCitizen(other, 10)).resolves.toHaveLength(1);
    });
  });
}
