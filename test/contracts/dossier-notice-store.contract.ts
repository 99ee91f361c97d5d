import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Agency } from '../../src/domain/agencies/agency.ts';
import type { DossierRepository, DossierUpdate } from '../../src/domain/dossiers/dossier.ts';
import type { DossierNoticeStore } from '../../src/domain/notifications/dossier-notice-store.ts';
import type { DossierRepositoryFixture } from './dossier-repository.contract.ts';

/**
 * What a contract run needs: the store, the dossier repository it reads, and ways to make the citizens and
 * agencies dossiers belong to. The suite calls the factory once, `reset` before each test (it may replace
 * `store` and `dossiers`) and `close` at the end.
 */
export interface DossierNoticeStoreFixture extends Omit<DossierRepositoryFixture, 'repository'> {
  store: DossierNoticeStore;
  dossiers: DossierRepository;
}

const T0 = Date.parse('2025-06-01T01:00:00.000Z');
/** The n-th minute after T0. */
const minute = (n: number) => new Date(T0 + n * 60_000);

/**
 * The behaviour every {@link DossierNoticeStore} (PostgreSQL, PGlite, the in-memory fake) must show; see the
 * contract in src/domain/notifications/dossier-notice-store.ts. Call it once per implementation.
 */
export function describeDossierNoticeStoreContract(
  name: string,
  factory: () => Promise<DossierNoticeStoreFixture>,
): void {
  describe(`DossierNoticeStore contract: ${name}`, () => {
    let fixture: DossierNoticeStoreFixture;
    const store = () => fixture.store;
    let agency: Agency;
    let citizenId: string;

    /** Stores an update of the one dossier of these tests; resolves its id. */
    const update = async (overrides: Partial<DossierUpdate> = {}) => {
      const outcome = await fixture.dossiers.upsert({
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
      if (outcome.type === 'other_agency' || outcome.type === 'other_citizen') throw new Error(outcome.type);
      return outcome.dossier.id;
    };

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

    it('loads a dossier nobody was told about: every event untold, nothing pending', async () => {
      const note = 'Mang bản chính CCCD';
      const id = await update({ note });
      await update({ status: 'processing', note, at: minute(1) });
      expect(await store().load(id)).toEqual({
        dossierId: id,
        citizenId,
        code: '000.00.20.H17-250601-0001',
        procedure: 'Đăng ký khai sinh',
        status: 'processing',
        expectedAt: '2025-06-05',
        note: 'Mang bản chính CCCD',
        lastSeq: 2,
        state: {
          notifiedSeq: 0,
          notifiedAt: null,
          notifyDueAt: null,
          toldStatus: null,
          untold: [
            { seq: 1, status: 'received' },
            { seq: 2, status: 'processing' },
          ],
        },
      });
      expect(await store().load('00000000-0000-4000-8000-000000000000')).toBeNull();
    });

    it('schedules one pending message: a second schedule does not move it', async () => {
      const id = await update();
      expect(await store().schedule(id, minute(5))).toBe(true);
      expect(await store().schedule(id, minute(9))).toBe(false);
      expect((await store().load(id))?.state.notifyDueAt).toEqual(minute(5));
    });

    it('marks told up to an event, never back, clearing the pending message', async () => {
      const id = await update();
      await update({ status: 'processing', at: minute(1) });
      await store().schedule(id, minute(2));
      await store().markTold(id, 2, minute(3));
      await store().markTold(id, 1, minute(4));
      await update({ status: 'completed', at: minute(5) });
      expect(await store().load(id)).toMatchObject({
        lastSeq: 3,
        state: {
          notifiedSeq: 2,
          notifiedAt: minute(4),
          notifyDueAt: null,
          toldStatus: 'processing',
          untold: [{ seq: 3, status: 'completed' }],
        },
      });
      const told = await store().load(id);
      expect(told?.state.untold.map((e) => e.seq)).toEqual([3]);
    });

    it('with nothing new keeps lastSeq at the event told', async () => {
      const id = await update();
      await store().markTold(id, 1, minute(1));
      expect(await store().load(id)).toMatchObject({
        lastSeq: 1,
        state: { toldStatus: 'received', untold: [] },
      });
    });

    it('clears a pending message, after which one can be scheduled again', async () => {
      const id = await update();
      await store().schedule(id, minute(5));
      await store().clearDue(id);
      expect((await store().load(id))?.state.notifyDueAt).toBeNull();
      expect(await store().schedule(id, minute(7))).toBe(true);
    });

    it('lists the messages due longer ago than asked, earliest first, up to the limit', async () => {
      const first = await update();
      const second = await update({ code: '000.00.20.H17-250601-0002' });
      const third = await update({ code: '000.00.20.H17-250601-0003' });
      await store().schedule(first, minute(3));
      await store().schedule(second, minute(1));
      await store().schedule(third, minute(9));
      expect(await store().overdue(2 * 60_000, minute(10))).toEqual([
        { dossierId: second, dueAt: minute(1) },
        { dossierId: first, dueAt: minute(3) },
      ]);
      expect(await store().overdue(2 * 60_000, minute(10), 1)).toEqual([
        { dossierId: second, dueAt: minute(1) },
      ]);
      await store().markTold(second, 1, minute(10));
      expect((await store().overdue(0, minute(10))).map((d) => d.dossierId)).toEqual([first, third]);
    });
  });
}
