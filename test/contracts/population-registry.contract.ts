import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  PopulationRegistry,
  RegistryRecord,
} from '../../src/domain/verification/population-registry.ts';

/** What a contract run needs: a registry, one person it knows, and a way to tear it down. */
export interface PopulationRegistryFixture {
  registry: PopulationRegistry;
  /** A person the registry holds, exactly as lookup must return them. */
  known: RegistryRecord;
  cleanup(): Promise<void>;
}

/** A well-formed CCCD that no fixture may hold (province code 000 does not exist). */
const UNKNOWN_CCCD = '000090999999';

/**
 * The behaviour every PopulationRegistry implementation (connectors and fakes) must show; see the contract in
 * src/domain/verification/population-registry.ts. Call it once per implementation.
 */
export function describePopulationRegistryContract(
  name: string,
  factory: () => Promise<PopulationRegistryFixture>,
): void {
  describe(`PopulationRegistry contract: ${name}`, () => {
    let fixture: PopulationRegistryFixture;

    beforeEach(async () => {
      fixture = await factory();
    });

    afterEach(async () => {
      await fixture.cleanup();
    });

    it('finds a known person with all their fields', async () => {
      const record = await fixture.registry.lookup(fixture.known.cccd);
      expect(record).toEqual(fixture.known);
    });

    it('returns names in NFC and dates as YYYY-MM-DD', async () => {
      const record = await fixture.registry.lookup(fixture.known.cccd);
      expect(record?.fullName).toBe(record?.fullName.normalize('NFC'));
      expect(record?.dateOfBirth).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(['male', 'female']).toContain(record?.gender);
    });

    it('resolves null for a CCCD it does not know', async () => {
      await expect(fixture.registry.lookup(UNKNOWN_CCCD)).resolves.toBeNull();
    });

    it.each([
      ['too short', '04809000123'],
      ['too long', '0480900012345'],
      ['not digits', '04809000123X'],
      ['empty', ''],
    ])('resolves null for a CCCD that is %s', async (_label, cccd) => {
      await expect(fixture.registry.lookup(cccd)).resolves.toBeNull();
    });

    it('does not trim: a known CCCD with surrounding spaces resolves null', async () => {
      await expect(fixture.registry.lookup(` ${fixture.known.cccd} `)).resolves.toBeNull();
    });

    it('gives the caller a copy: changing a returned record changes nothing in the registry', async () => {
      const first = await fixture.registry.lookup(fixture.known.cccd);
      if (first === null) throw new Error('known person not found');
      first.fullName = 'Changed By Caller';
      await expect(fixture.registry.lookup(fixture.known.cccd)).resolves.toEqual(fixture.known);
    });

    it('answers concurrent lookups each with its own result', async () => {
      const asked = [fixture.known.cccd, UNKNOWN_CCCD, fixture.known.cccd, UNKNOWN_CCCD];
      const results = await Promise.all(asked.map((cccd) => fixture.registry.lookup(cccd)));
      expect(results).toEqual([fixture.known, null, fixture.known, null]);
    });
  });
}
