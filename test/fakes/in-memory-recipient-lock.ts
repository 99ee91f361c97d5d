import type { HeldLock, RecipientLock } from '../../src/queues/recipient-lock.ts';

/**
 * A working in-memory {@link RecipientLock} on an injected clock; passes test/contracts/recipient-lock.contract.ts.
 * One instance stands for the shared store: every "process" of a test uses the same one.
 */
export class InMemoryRecipientLock implements RecipientLock {
  readonly #held = new Map<string, { token: number; until: number }>();
  readonly #ttlMs: number;
  readonly #now: () => number;
  #tokens = 0;

  constructor(options: { ttlMs: number; now?: () => number }) {
    this.#ttlMs = options.ttlMs;
    this.#now = options.now ?? Date.now;
  }

  /** Whether `key` is held now (for tests). */
  isHeld(key: string): boolean {
    const held = this.#held.get(key);
    return held !== undefined && held.until > this.#now();
  }

  async acquire(key: string): Promise<HeldLock | { readonly busyMs: number }> {
    const now = this.#now();
    const held = this.#held.get(key);
    if (held && held.until > now) return { busyMs: held.until - now };
    this.#tokens += 1;
    const token = this.#tokens;
    this.#held.set(key, { token, until: now + this.#ttlMs });
    return {
      release: async () => {
        if (this.#held.get(key)?.token === token) this.#held.delete(key);
      },
    };
  }
}
