import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Agency } from '../../src/domain/agencies/agency.ts';
import type { DataRequestRepository, NewDataRequest } from '../../src/domain/datarequests/data-request.ts';

/**
 * What a contract run needs: the repository, and accounts and agencies for requests to belong to. `reset` runs
 * before each test (it may replace `repository`).
 */
export interface DataRequestRepositoryFixture {
  repository: DataRequestRepository;
  newCitizenId(): Promise<string>;
  newAgency(code: string, name: string): Promise<Agency>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

const T0 = Date.UTC(2026, 5, 1, 8, 0);
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const at = (ms: number) => new Date(T0 + ms);

/** A request of `agencyId` to `citizenId` made at T0, expiring 72 hours later; `overrides` change single fields. */
export function newDataRequest(
  agencyId: string,
  citizenId: string,
  overrides: Partial<NewDataRequest> = {},
): NewDataRequest {
  return {
    agencyId,
    citizenId,
    purpose: 'Đăng ký thường trú',
    fields: ['fullName', 'dateOfBirth'],
    documentTypes: ['KHAISINH'],
    callbackUrl: 'https://agency.example.vn/callback',
    createdAt: at(0),
    expiresAt: at(72 * HOUR),
    ...overrides,
  };
}

/**
 * The behaviour every {@link DataRequestRepository} (PostgreSQL, PGlite, the in-memory fake) must show; see the
 * contract in src/domain/datarequests/data-request.ts. Call it once per implementation.
 */
export function describeDataRequestRepositoryContract(
  name: string,
  factory: () => Promise<DataRequestRepositoryFixture>,
): void {
  describe(`DataRequestRepository contract: ${name}`, () => {
    let fixture: DataRequestRepositoryFixture;
    const repo = () => fixture.repository;
    let agency: Agency;
    let citizenId: string;

    async function created(overrides: Partial<NewDataRequest> = {}) {
      const outcome = await repo().create(newDataRequest(agency.id, citizenId, overrides), 20);
      if (outcome.type !== 'created') throw new Error(`expected created, got ${outcome.type}`);
      return outcome.request;
    }

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

    it('stores a pending request with its agency, items and times, found by id and listed for the citizen', async () => {
      const request = await created();

      expect(request).toEqual({
        id: expect.any(String),
        agency: { id: agency.id, code: 'UBND-HAICHAU', name: 'UBND phường Hải Châu' },
        citizenId,
        purpose: 'Đăng ký thường trú',
        fields: ['fullName', 'dateOfBirth'],
        documentTypes: ['KHAISINH'],
        callbackUrl: 'https://agency.example.vn/callback',
        status: 'pending',
        createdAt: at(0),
        expiresAt: at(72 * HOUR),
        decidedAt: null,
        decidedVia: null,
        readableUntil: null,
        noticedAt: null,
        firstReadAt: null,
        lastReadAt: null,
      });
      await expect(repo().findById(request.id)).resolves.toEqual(request);
      await expect(repo().findById('00000000-0000-4000-8000-000000000000')).resolves.toBeNull();
      await expect(repo().findById('not-a-uuid')).resolves.toBeNull();
      await expect(repo().listPending(citizenId, at(HOUR))).resolves.toEqual([request]);
      await expect(repo().listPending(citizenId, at(72 * HOUR))).resolves.toEqual([]);
      await expect(repo().listByCitizen(citizenId)).resolves.toEqual([request]);
    });

    it('lists oldest first, and refuses an agency’s request past the pending limit, counting only its own', async () => {
      const first = await created({ purpose: 'Một' });
      const second = await created({ purpose: 'Hai', createdAt: at(1000) });
      const other = await fixture.newAgency('UBND-THANHKHE', 'UBND phường Thanh Khê');

      expect(await repo().create(newDataRequest(agency.id, citizenId, { createdAt: at(2000) }), 2)).toEqual({
        type: 'too_many_pending',
      });
      expect(
        (await repo().create(newDataRequest(other.id, citizenId, { createdAt: at(3000) }), 2)).type,
      ).toBe('created');
      await repo().answer(first.id, citizenId, { answer: 'refused', at: at(HOUR), channel: 'twilio-sms' });
      expect(
        (await repo().create(newDataRequest(agency.id, citizenId, { createdAt: at(4000) }), 2)).type,
      ).toBe('created');
      expect((await repo().listByCitizen(citizenId)).map((r) => r.purpose).slice(0, 2)).toEqual([
        'Một',
        'Hai',
      ]);
      expect((await repo().listPending(citizenId, at(HOUR))).map((r) => r.id)).toContain(second.id);
    });

    it('approves a pending request once, readable for 7 days; a second answer changes nothing', async () => {
      const request = await created();

      const approved = await repo().answer(request.id, citizenId, {
        answer: 'approved',
        at: at(HOUR),
        channel: 'telegram',
      });
      const again = await repo().answer(request.id, citizenId, {
        answer: 'refused',
        at: at(2 * HOUR),
        channel: 'twilio-sms',
      });

      expect(approved).toEqual({
        type: 'changed',
        request: {
          ...request,
          status: 'approved',
          decidedAt: at(HOUR),
          decidedVia: 'telegram',
          readableUntil: at(HOUR + 7 * DAY),
        },
      });
      expect(again).toEqual({
        type: 'unchanged',
        request: approved.type === 'changed' ? approved.request : null,
      });
      await expect(repo().listPending(citizenId, at(HOUR))).resolves.toEqual([]);
    });

    it('takes no answer from another citizen, nor after the request expired', async () => {
      const request = await created();
      const stranger = await fixture.newCitizenId();

      expect(
        (await repo().answer(request.id, stranger, { answer: 'approved', at: at(HOUR), channel: 'web' }))
          .type,
      ).toBe('unchanged');
      expect(
        (
          await repo().answer(request.id, citizenId, {
            answer: 'approved',
            at: at(72 * HOUR),
            channel: 'web',
          })
        ).type,
      ).toBe('unchanged');
      expect(
        (await repo().answer('not-a-uuid', citizenId, { answer: 'approved', at: at(0), channel: 'web' }))
          .type,
      ).toBe('not_found');
    });

    it('expires a pending request only once its time has come', async () => {
      const request = await created();
      await expect(repo().overdue(at(71 * HOUR), 10)).resolves.toEqual([]);
      await expect(repo().overdue(at(72 * HOUR), 10)).resolves.toEqual([request.id]);

      expect((await repo().expire(request.id, at(71 * HOUR))).type).toBe('unchanged');
      const expired = await repo().expire(request.id, at(72 * HOUR));
      expect(expired).toEqual({
        type: 'changed',
        request: { ...request, status: 'expired', decidedAt: at(72 * HOUR) },
      });
      expect((await repo().expire(request.id, at(73 * HOUR))).type).toBe('unchanged');
      await expect(repo().overdue(at(73 * HOUR), 10)).resolves.toEqual([]);
    });

    it('withdraws an approval of the citizen while it is readable, not after, and not a refusal', async () => {
      const approved = await created();
      const refused = await created();
      await repo().answer(approved.id, citizenId, { answer: 'approved', at: at(HOUR), channel: 'web' });
      await repo().answer(refused.id, citizenId, { answer: 'refused', at: at(HOUR), channel: 'web' });
      const late = await created();
      await repo().answer(late.id, citizenId, { answer: 'approved', at: at(HOUR), channel: 'web' });

      const withdrawn = await repo().withdraw(approved.id, citizenId, {
        at: at(2 * HOUR),
        channel: 'twilio-sms',
      });

      expect(withdrawn.type).toBe('changed');
      expect(withdrawn.type === 'changed' && withdrawn.request).toMatchObject({
        status: 'withdrawn',
        decidedAt: at(2 * HOUR),
        decidedVia: 'twilio-sms',
      });
      expect((await repo().withdraw(refused.id, citizenId, { at: at(2 * HOUR), channel: 'web' })).type).toBe(
        'unchanged',
      );
      expect(
        (await repo().withdraw(late.id, citizenId, { at: at(HOUR + 7 * DAY), channel: 'web' })).type,
      ).toBe('unchanged');
      expect(
        (await repo().withdraw(late.id, await fixture.newCitizenId(), { at: at(2 * HOUR), channel: 'web' }))
          .type,
      ).toBe('unchanged');
    });

    it('keeps the first notice and the first and last read', async () => {
      const request = await created();

      await repo().markNoticed(request.id, at(10));
      await repo().markNoticed(request.id, at(20));
      await repo().recordRead(request.id, at(HOUR));
      await repo().recordRead(request.id, at(2 * HOUR));

      expect(await repo().findById(request.id)).toMatchObject({
        noticedAt: at(10),
        firstReadAt: at(HOUR),
        lastReadAt: at(2 * HOUR),
      });
    });
  });
}
