import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AgencyRepository } from '../../src/domain/agencies/agency.ts';

/**
 * What a contract run needs. The suite calls the factory once, `reset` before each test (it may replace
 * `repository`: the suite reads the property again after each reset) and `close` at the end.
 */
export interface AgencyRepositoryFixture {
  repository: AgencyRepository;
  reset(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The behaviour every {@link AgencyRepository} (PostgreSQL, PGlite, the in-memory fake) must show; see the
 * contract in src/domain/agencies/agency.ts. Call it once per implementation.
 */
export function describeAgencyRepositoryContract(
  name: string,
  factory: () => Promise<AgencyRepositoryFixture>,
): void {
  describe(`AgencyRepository contract: ${name}`, () => {
    let fixture: AgencyRepositoryFixture;
    const repo = () => fixture.repository;

    async function created(
      code = 'UBND-HAICHAU',
      name = 'UBND phường Hải Châu',
      keyHash = `hash-${randomUUID()}`,
    ) {
      const outcome = await repo().create({ code, name, keyHash });
      if (outcome.type !== 'created') throw new Error(`expected created, got ${outcome.type}`);
      return { ...outcome, keyHash };
    }

    beforeAll(async () => {
      fixture = await factory();
    });
    beforeEach(async () => {
      await fixture.reset();
    });
    afterAll(async () => {
      await fixture.close();
    });

    it('creates an agency with its first key, found by id and by the key hash', async () => {
      const before = Date.now();
      const { agency, key, keyHash } = await created();

      expect(agency).toEqual({
        id: expect.any(String),
        code: 'UBND-HAICHAU',
        name: 'UBND phường Hải Châu',
        createdAt: expect.any(Date),
      });
      expect(Math.abs(agency.createdAt.getTime() - before)).toBeLessThan(60_000);
      expect(key).toEqual({
        id: expect.any(String),
        agencyId: agency.id,
        createdAt: expect.any(Date),
        revokedAt: null,
      });
      await expect(repo().findById(agency.id)).resolves.toEqual(agency);
      await expect(repo().findByKeyHash(keyHash)).resolves.toEqual(agency);
    });

    it('refuses a code that is taken and stores nothing of the refused agency', async () => {
      await created('UBND-HAICHAU');

      const again = await repo().create({ code: 'UBND-HAICHAU', name: 'Another', keyHash: 'refused-hash' });

      expect(again).toEqual({ type: 'code_taken' });
      await expect(repo().findByKeyHash('refused-hash')).resolves.toBeNull();
    });

    it('refuses a name another agency has, ignoring case, diacritics and extra spaces, and stores nothing of it', async () => {
      await created('UBND-HAICHAU', 'UBND phường Hải Châu');
      const lookAlikes = [
        'UBND phường Hải Châu',
        'ubnd phuong hai chau',
        '  UBND   PHƯỜNG  hải châu ',
        'UBND phường Hải Châu'.normalize('NFD'),
        'UBND\u00a0phường\tHải Châu',
        'ＵＢＮＤ phường Hải Châu',
      ];

      const outcomes = [];
      for (const [i, name] of lookAlikes.entries()) {
        outcomes.push(await repo().create({ code: `LOOK-ALIKE-${i}`, name, keyHash: `refused-${i}` }));
      }

      expect(outcomes).toEqual(lookAlikes.map(() => ({ type: 'name_taken' })));
      for (const i of lookAlikes.keys())
        await expect(repo().findByKeyHash(`refused-${i}`)).resolves.toBeNull();
    });

    it('takes names that differ by more than case, diacritics and spaces', async () => {
      await created('UBND-HAICHAU', 'UBND phường Hải Châu');

      const others = [
        await repo().create({ code: 'UBND-HAICHAU-2', name: 'UBND phường Hải Châu 2', keyHash: 'h2' }),
        await repo().create({ code: 'UBND-HAICHAU-B', name: 'UBND phường Hải Chân', keyHash: 'h3' }),
      ];

      expect(others.map((o) => o.type)).toEqual(['created', 'created']);
    });

    it('answers code_taken when both the code and the name are taken', async () => {
      await created('UBND-HAICHAU', 'UBND phường Hải Châu');

      await expect(
        repo().create({ code: 'UBND-HAICHAU', name: 'ubnd phuong hai chau', keyHash: 'both' }),
      ).resolves.toEqual({ type: 'code_taken' });
    });

    it('creates one of two agencies of the same name created at once', async () => {
      const outcomes = await Promise.all([
        repo().create({ code: 'RACE-A', name: 'UBND phường Hòa Cường', keyHash: 'race-a' }),
        repo().create({ code: 'RACE-B', name: 'ubnd phuong hoa cuong', keyHash: 'race-b' }),
      ]);

      expect(outcomes.map((o) => o.type).sort()).toEqual(['created', 'name_taken']);
    });

    it('finds nothing for an unknown key hash or id', async () => {
      await created();

      await expect(repo().findByKeyHash('unknown-hash')).resolves.toBeNull();
      await expect(repo().findById(randomUUID())).resolves.toBeNull();
      await expect(repo().findById('not-a-uuid')).resolves.toBeNull();
    });

    it('adds keys without revoking the others (rotation)', async () => {
      const { agency, key, keyHash } = await created();

      const second = await repo().addKey(agency.id, 'second-hash');

      expect(second).toEqual({
        id: expect.any(String),
        agencyId: agency.id,
        createdAt: expect.any(Date),
        revokedAt: null,
      });
      expect(second?.id).not.toBe(key.id);
      await expect(repo().findByKeyHash(keyHash)).resolves.toEqual(agency);
      await expect(repo().findByKeyHash('second-hash')).resolves.toEqual(agency);
    });

    it('adds no key to an agency that does not exist', async () => {
      await expect(repo().addKey(randomUUID(), 'orphan-hash')).resolves.toBeNull();
      await expect(repo().findByKeyHash('orphan-hash')).resolves.toBeNull();
    });

    it('revokes a key at once and idempotently, leaving the agency’s other keys working', async () => {
      const { agency, key, keyHash } = await created();
      await repo().addKey(agency.id, 'second-hash');

      await expect(repo().revokeKey(agency.id, key.id, new Date())).resolves.toBe(true);
      await expect(repo().revokeKey(agency.id, key.id, new Date())).resolves.toBe(true);

      await expect(repo().findByKeyHash(keyHash)).resolves.toBeNull();
      await expect(repo().findByKeyHash('second-hash')).resolves.toEqual(agency);
    });

    it('revokes nothing for an unknown key or a key of another agency', async () => {
      const a = await created('AGENCY-A', 'Agency A');
      const b = await created('AGENCY-B', 'Agency B');

      await expect(repo().revokeKey(a.agency.id, randomUUID(), new Date())).resolves.toBe(false);
      await expect(repo().revokeKey(b.agency.id, a.key.id, new Date())).resolves.toBe(false);
      await expect(repo().revokeKey(a.agency.id, 'not-a-uuid', new Date())).resolves.toBe(false);

      await expect(repo().findByKeyHash(a.keyHash)).resolves.toEqual(a.agency);
    });

    it('keeps the sealed webhook secret given at creation, replaces it whole, and has none for an unknown agency', async () => {
      const withSecret = await repo().create({
        code: 'UBND-SECRET',
        name: 'UBND Bí Mật',
        keyHash: `hash-${randomUUID()}`,
        webhookSecret: 'sealed-1',
      });
      if (withSecret.type !== 'created') throw new Error('expected created');
      const without = await created('UBND-NOSECRET', 'UBND Không Bí Mật');

      await expect(repo().findWebhookSecret(withSecret.agency.id)).resolves.toBe('sealed-1');
      await expect(repo().findWebhookSecret(without.agency.id)).resolves.toBeNull();
      await expect(repo().setWebhookSecret(without.agency.id, 'sealed-2')).resolves.toBe(true);
      await expect(repo().setWebhookSecret(withSecret.agency.id, 'sealed-3')).resolves.toBe(true);

      await expect(repo().findWebhookSecret(without.agency.id)).resolves.toBe('sealed-2');
      await expect(repo().findWebhookSecret(withSecret.agency.id)).resolves.toBe('sealed-3');
      await expect(repo().setWebhookSecret(randomUUID(), 'x')).resolves.toBe(false);
      await expect(repo().findWebhookSecret(randomUUID())).resolves.toBeNull();
    });
  });
}
