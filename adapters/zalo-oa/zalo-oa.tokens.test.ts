import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeProviderTokenStoreContract } from '../../test/contracts/provider-token-store.contract.ts';
import { type FakeZaloOa, startFakeZaloOa } from '../../test/fakes/fake-zalo-oa-server.ts';
import { InMemoryProviderTokenStore } from '../../test/fakes/in-memory-provider-token-store.ts';
import { createZaloTokenManager, ZALO_TOKEN_NAME, zaloTokenSeed } from './zalo-oa.tokens.ts';

const APP_ID = '360846524940903967';
const APP_SECRET = 'Zq8Xw2Ct5Vb7Nm1Lk3Jh';
const INITIAL = 'rt_initial_4fJ9kq2LmZx7Pw3Rt8Vn';
const NOW = new Date('2026-11-27T08:00:00.000Z');

// The token manager relies on the store contract; the in-memory fake used by these tests must honour it too.
describeProviderTokenStoreContract('in-memory test fake', async () => {
  let store = new InMemoryProviderTokenStore();
  const fixture = {
    get store() {
      return store;
    },
    get other() {
      return store;
    },
    async reset() {
      store = new InMemoryProviderTokenStore();
    },
    async close() {},
  };
  return fixture;
});

describe('zaloTokenSeed', () => {
  it('is the first 16 hex digits of the SHA-256 of the initial refresh token', () => {
    expect(zaloTokenSeed('abc')).toBe('ba7816bf8f01cfea');
    expect(zaloTokenSeed(INITIAL)).not.toBe(zaloTokenSeed(`${INITIAL}x`));
  });
});

describe('Zalo OA token manager', () => {
  let fake: FakeZaloOa;
  let store: InMemoryProviderTokenStore;

  beforeEach(async () => {
    fake = await startFakeZaloOa({
      appSecret: APP_SECRET,
      refreshToken: INITIAL,
      accessTokenTtlSeconds: 3600,
    });
    store = new InMemoryProviderTokenStore();
  });
  afterEach(async () => {
    await fake.close();
  });

  const manager = () =>
    createZaloTokenManager({
      appId: APP_ID,
      appSecret: APP_SECRET,
      initialRefreshToken: INITIAL,
      oauthUrl: fake.url,
      tokens: store,
      now: () => NOW,
      timeoutMs: 5000,
    });

  it('uses expires_in (sent as a string) for the expiry', async () => {
    await manager().getAccessToken();
    expect((await store.read(ZALO_TOKEN_NAME))?.expiresAt).toEqual(new Date(NOW.getTime() + 3600_000));
  });

  it('keeps a token another process refreshed after ours was refused, without refreshing again', async () => {
    store.set(ZALO_TOKEN_NAME, {
      accessToken: 'at_refreshed_by_another_process',
      refreshToken: 'rt_newer',
      expiresAt: new Date(NOW.getTime() + 3600_000),
      seed: zaloTokenSeed(INITIAL),
    });
    await expect(manager().refreshAccessToken('at_refused_a_moment_ago')).resolves.toBe(
      'at_refreshed_by_another_process',
    );
    expect(fake.refreshes).toHaveLength(0);
  });

  it('refreshes when the refused token is the stored one, with the stored refresh token', async () => {
    const tokens = manager();
    const first = await tokens.getAccessToken();
    const second = await tokens.refreshAccessToken(first);
    expect(second).not.toBe(first);
    expect(fake.refreshes.map((r) => r.refreshToken)).toEqual([
      INITIAL,
      fake.refreshes[0]?.issued?.refreshToken,
    ]);
    await expect(store.read(ZALO_TOKEN_NAME)).resolves.toMatchObject({ accessToken: second });
  });

  it('shares one refresh between concurrent callers', async () => {
    const tokens = manager();
    const all = await Promise.all([
      tokens.getAccessToken(),
      tokens.getAccessToken(),
      tokens.getAccessToken(),
    ]);
    expect(new Set(all).size).toBe(1);
    expect(fake.refreshes).toHaveLength(1);
    expect(store.writes).toBe(1);
  });

  it('leaves the stored tokens untouched when the refresh is refused', async () => {
    const stale = {
      accessToken: 'at_expired',
      refreshToken: 'rt_revoked',
      expiresAt: new Date(NOW.getTime() - 1000),
      seed: zaloTokenSeed(INITIAL),
    };
    store.set(ZALO_TOKEN_NAME, stale);
    await expect(manager().getAccessToken()).rejects.toMatchObject({ providerCode: 'zalo:refresh' });
    await expect(store.read(ZALO_TOKEN_NAME)).resolves.toEqual(stale);
  });
});
