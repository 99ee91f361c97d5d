import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ProviderTokenStore, ProviderTokens } from '../../src/messaging/provider-token-store.ts';

/** What a contract run needs: the store (re-read after each reset), a reset and a close. */
export interface ProviderTokenStoreFixture {
  store: ProviderTokenStore;
  /** A second handle on the same storage, as another process would have (may be the same object). */
  other: ProviderTokenStore;
  reset(): Promise<void>;
  close(): Promise<void>;
}

const tokens = (n: number): ProviderTokens => ({
  accessToken: `access-${n}`,
  refreshToken: `refresh-${n}`,
  expiresAt: new Date(Date.UTC(2026, 10, 27, 8, n)),
  seed: 'seed-a',
});

/** The behaviour every {@link ProviderTokenStore} must show; see src/messaging/provider-token-store.ts. */
export function describeProviderTokenStoreContract(
  name: string,
  factory: () => Promise<ProviderTokenStoreFixture>,
): void {
  describe(`ProviderTokenStore contract: ${name}`, () => {
    let fixture: ProviderTokenStoreFixture;

    beforeAll(async () => {
      fixture = await factory();
    });
    beforeEach(async () => {
      await fixture.reset();
    });
    afterAll(async () => {
      await fixture.close();
    });

    it('reads null for an account it never stored', async () => {
      await expect(fixture.store.read('zalo-oa')).resolves.toBeNull();
    });

    it('stores what update returns, with every field, and hands it to the next update', async () => {
      await expect(fixture.store.update('zalo-oa', async () => tokens(1))).resolves.toEqual(tokens(1));
      await expect(fixture.other.read('zalo-oa')).resolves.toEqual(tokens(1));
      let seen: ProviderTokens | null = null;
      await fixture.other.update('zalo-oa', async (current) => {
        seen = current;
        return tokens(2);
      });
      expect(seen).toEqual(tokens(1));
      await expect(fixture.store.read('zalo-oa')).resolves.toEqual(tokens(2));
      await expect(fixture.store.read('another')).resolves.toBeNull();
    });

    it('keeps the stored tokens when update returns null, and when it throws', async () => {
      await fixture.store.update('zalo-oa', async () => tokens(1));
      await expect(fixture.store.update('zalo-oa', async () => null)).resolves.toEqual(tokens(1));
      await expect(
        fixture.store.update('zalo-oa', async () => {
          throw new Error('refresh refused');
        }),
      ).rejects.toThrow('refresh refused');
      await expect(fixture.store.read('zalo-oa')).resolves.toEqual(tokens(1));
    });

    it('runs concurrent updates one at a time, each seeing the previous one’s tokens', async () => {
      await fixture.store.update('zalo-oa', async () => tokens(0));
      const seen: string[] = [];
      const bump = (store: ProviderTokenStore) =>
        store.update('zalo-oa', async (current) => {
          const n = Number(current?.accessToken.split('-')[1]);
          await new Promise((resolve) => setTimeout(resolve, 5));
          seen.push(current?.accessToken ?? 'none');
          return tokens(n + 1);
        });
      await Promise.all([bump(fixture.store), bump(fixture.other), bump(fixture.store), bump(fixture.other)]);
      expect(seen.sort()).toEqual(['access-0', 'access-1', 'access-2', 'access-3']);
      await expect(fixture.store.read('zalo-oa')).resolves.toMatchObject({ accessToken: 'access-4' });
    });
  });
}
