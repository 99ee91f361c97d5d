import {
  type PopulationRegistry,
  type RegistryRecord,
  RegistryUnavailableError,
} from '../../src/domain/verification/population-registry.ts';

const CCCD = /^\d{12}$/;

/**
 * A population registry held in memory, for tests. It passes the same contract as the real connectors, and can
 * play a registry that is down: `makeUnavailable(n)` makes the next n lookups reject with
 * RegistryUnavailableError (lookups of malformed CCCDs never reach the "registry" and do not count).
 */
export class InMemoryPopulationRegistry implements PopulationRegistry {
  readonly #records = new Map<string, RegistryRecord>();
  #failuresLeft = 0;
  #lookups = 0;

  constructor(records: readonly RegistryRecord[] = []) {
    for (const record of records) this.#records.set(record.cccd, { ...record });
  }

  /** How many lookups reached the registry (failed ones included). */
  get lookupCount(): number {
    return this.#lookups;
  }

  /** Adds or replaces a person. */
  add(record: RegistryRecord): void {
    this.#records.set(record.cccd, { ...record });
  }

  /** The next `calls` lookups reject with RegistryUnavailableError; 0 makes the registry answer again. */
  makeUnavailable(calls: number): void {
    this.#failuresLeft = calls;
  }

  async lookup(cccd: string): Promise<RegistryRecord | null> {
    if (!CCCD.test(cccd)) return null;
    this.#lookups += 1;
    if (this.#failuresLeft > 0) {
      this.#failuresLeft -= 1;
      throw new RegistryUnavailableError('In-memory population registry made unavailable', {
        context: { reason: 'fake' },
      });
    }
    const found = this.#records.get(cccd);
    return found === undefined ? null : { ...found };
  }

  async close(): Promise<void> {}
}
