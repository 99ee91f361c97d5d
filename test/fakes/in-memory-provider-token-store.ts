import type { ProviderTokenStore, ProviderTokens } from '../../src/messaging/provider-token-store.ts';

function copy(tokens: ProviderTokens): ProviderTokens {
  return { ...tokens, expiresAt: new Date(tokens.expiresAt.getTime()) };
}

function copyOrNull(tokens: ProviderTokens | undefined | null): ProviderTokens | null {
  return tokens === undefined || tokens === null ? null : copy(tokens);
}

/**
 * A working in-memory {@link ProviderTokenStore} for tests, honouring the same contract as the PostgreSQL one:
 * `update` runs one at a time per name (a promise chain stands in for the row lock, so two adapters sharing
 * this object behave like two processes sharing the database), what `fn` returns is stored before `update`
 * resolves, and a throwing `fn` leaves the stored tokens unchanged. Callers get copies, never the stored object.
 */
export class InMemoryProviderTokenStore implements ProviderTokenStore {
  readonly #records = new Map<string, ProviderTokens>();
  readonly #locks = new Map<string, Promise<unknown>>();
  #updates = 0;

  /** How many `update` calls stored new tokens (a `null` from `fn` or a throw does not count). */
  get writes(): number {
    return this.#updates;
  }

  async read(name: string): Promise<ProviderTokens | null> {
    return copyOrNull(this.#records.get(name));
  }

  update(
    name: string,
    fn: (current: ProviderTokens | null) => Promise<ProviderTokens | null>,
  ): Promise<ProviderTokens | null> {
    const previous = this.#locks.get(name) ?? Promise.resolve();
    const run = previous.then(async () => {
      const current = copyOrNull(this.#records.get(name));
      const next = await fn(copyOrNull(current));
      if (next === null) return current;
      this.#records.set(name, copy(next));
      this.#updates += 1;
      return copy(next);
    });
    const settled = run.catch(() => undefined);
    this.#locks.set(name, settled);
    void settled.then(() => {
      if (this.#locks.get(name) === settled) this.#locks.delete(name);
    });
    return run;
  }

  /** Stores tokens directly, as if another process had (for arranging a test). */
  set(name: string, tokens: ProviderTokens): void {
    this.#records.set(name, copy(tokens));
  }
}
