import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelAdapter, OutboundMessage, Reply } from '../../src/messaging/index.ts';
import { SendFailedError } from '../../src/shared/errors.ts';
import { type FakeZaloOa, startFakeZaloOa } from '../../test/fakes/fake-zalo-oa-server.ts';
import { InMemoryProviderTokenStore } from '../../test/fakes/in-memory-provider-token-store.ts';
import { createZaloOaAdapter, type ZaloOaAdapterOptions } from './zalo-oa.adapter.ts';
import { ZALO_DEFAULT_INFO_IMAGE_URL } from './zalo-oa.render.ts';
import { ZALO_TOKEN_NAME, zaloTokenSeed } from './zalo-oa.tokens.ts';

const APP_ID = '360846524940903967';
const APP_SECRET = 'Zq8Xw2Ct5Vb7Nm1Lk3Jh';
const INITIAL_REFRESH_TOKEN = 'rt_initial_4fJ9kq2LmZx7Pw3Rt8Vn';
const USER_ID = '246845883529197922';

describe('Zalo OA sending', () => {
  let fake: FakeZaloOa;
  let store: InMemoryProviderTokenStore;

  beforeEach(async () => {
    fake = await startFakeZaloOa({
      appSecret: APP_SECRET,
      refreshToken: INITIAL_REFRESH_TOKEN,
      appId: APP_ID,
    });
    store = new InMemoryProviderTokenStore();
  });
  afterEach(async () => {
    await fake.close();
  });

  function adapter(overrides: Partial<ZaloOaAdapterOptions> = {}): ChannelAdapter {
    return createZaloOaAdapter({
      appId: APP_ID,
      oaSecretKey: 'oa-secret-key-for-webhooks',
      appSecret: APP_SECRET,
      initialRefreshToken: INITIAL_REFRESH_TOKEN,
      apiUrl: fake.url,
      oauthUrl: `${fake.url}/`,
      tokens: store,
      ...overrides,
    });
  }

  const outbound = (reply: Reply, language: 'vi' | 'en' = 'vi'): OutboundMessage => ({
    channel: 'zalo-oa',
    to: USER_ID,
    reply,
    language,
    clientRef: 'out_01',
  });

  async function failure(send: Promise<unknown>): Promise<SendFailedError> {
    const error = await send.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(error instanceof SendFailedError))
      throw new Error(`expected SendFailedError, got ${String(error)}`);
    expect(error.message).not.toContain(USER_ID);
    expect(error.message).not.toContain(INITIAL_REFRESH_TOKEN);
    expect(error.message).not.toContain(fake.currentRefreshToken);
    return error;
  }

  it('declares 50 messages a second and a /webhooks/zalo route', () => {
    const zalo = adapter();
    expect(zalo.channel).toBe('zalo-oa');
    expect(zalo.rateLimits).toEqual({ overall: { limit: 50, intervalMs: 1000 } });
    expect(zalo.webhooks.map((route) => route.path)).toEqual(['/webhooks/zalo']);
  });

  it('sends text with diacritics to the user id as a consultation message and returns its message_id', async () => {
    const receipt = await adapter().send(outbound({ text: 'Chào bạn! Hồ sơ của bạn đã được tiếp nhận.' }));
    const [sent] = fake.sent;
    expect(sent?.userId).toBe(USER_ID);
    expect(sent?.message).toEqual({ text: 'Chào bạn! Hồ sơ của bạn đã được tiếp nhận.' });
    expect(receipt).toEqual({ providerMessageId: sent?.messageId });
  });

  it('sends choices as buttons whose payload comes back as the user text', async () => {
    await adapter().send(
      outbound({
        text: 'Bạn muốn làm gì?',
        choices: [
          { label: 'Đăng ký', payload: 'register' },
          { label: 'Tra cứu', payload: 'status' },
        ],
      }),
    );
    expect(fake.sent[0]?.message).toEqual({
      text: 'Bạn muốn làm gì?',
      attachment: {
        type: 'template',
        payload: {
          buttons: [
            { title: 'Đăng ký', type: 'oa.query.hide', payload: 'register' },
            { title: 'Tra cứu', type: 'oa.query.hide', payload: 'status' },
          ],
        },
      },
    });
  });

  it('asks for the phone number with the request_user_info form', async () => {
    await adapter().send(outbound({ text: 'Cho chúng tôi số điện thoại của bạn?', requestPhone: true }));
    expect(fake.sent).toHaveLength(1);
    expect(fake.sent[0]?.message).toEqual({
      attachment: {
        type: 'template',
        payload: {
          template_type: 'request_user_info',
          elements: [
            {
              title: 'Chia sẻ số điện thoại',
              subtitle: 'Cho chúng tôi số điện thoại của bạn?',
              image_url: ZALO_DEFAULT_INFO_IMAGE_URL,
            },
          ],
        },
      },
    });
  });

  it('sends a long phone request as the text, then the form, and returns the form’s id', async () => {
    const text = 'Để mở tài khoản, chúng tôi cần số điện thoại của bạn. '.repeat(10);
    const receipt = await adapter().send(outbound({ text, requestPhone: true }, 'vi'));
    expect(fake.sent.map((s) => Object.keys(s.message))).toEqual([['text'], ['attachment']]);
    expect(receipt.providerMessageId).toBe(fake.sent[1]?.messageId);
  });

  it('authenticates with the access_token header, never in the URL or body', async () => {
    await adapter().send(outbound({ text: 'Xin chào' }));
    const stored = await store.read(ZALO_TOKEN_NAME);
    expect(fake.sent[0]?.accessToken).toBe(stored?.accessToken);
    expect(JSON.stringify(fake.sent[0]?.message)).not.toContain(stored?.accessToken ?? '?');
  });

  it('refreshes from the initial refresh token on the first send and stores the rotated pair before using it', async () => {
    const now = new Date('2026-11-27T08:00:00.000Z');
    await adapter({ now: () => now }).send(outbound({ text: 'Xin chào' }));
    expect(fake.refreshes).toEqual([
      expect.objectContaining({
        refreshToken: INITIAL_REFRESH_TOKEN,
        appId: APP_ID,
        grantType: 'refresh_token',
        secretKey: APP_SECRET,
        ok: true,
      }),
    ]);
    const issued = fake.refreshes[0]?.issued;
    await expect(store.read(ZALO_TOKEN_NAME)).resolves.toEqual({
      accessToken: issued?.accessToken,
      refreshToken: issued?.refreshToken,
      expiresAt: new Date(now.getTime() + 90_000 * 1000),
      seed: zaloTokenSeed(INITIAL_REFRESH_TOKEN),
    });
    expect(fake.currentRefreshToken).toBe(issued?.refreshToken);
    expect(fake.sent[0]?.accessToken).toBe(issued?.accessToken);
  });

  it('reuses the stored access token in another process sharing the store, without refreshing', async () => {
    await adapter().send(outbound({ text: 'Một' }));
    await adapter().send(outbound({ text: 'Hai' })); // a second instance: another worker process
    expect(fake.refreshCount).toBe(1);
    expect(fake.sent[1]?.accessToken).toBe(fake.sent[0]?.accessToken);
  });

  it('refreshes an access token that has less than a minute left', async () => {
    const start = new Date();
    await adapter({ now: () => start }).send(outbound({ text: 'Một' }));
    const later = new Date(start.getTime() + 90_000 * 1000 - 30_000);
    await adapter({ now: () => later }).send(outbound({ text: 'Hai' }));
    expect(fake.refreshCount).toBe(2);
    expect(fake.refreshes[1]?.refreshToken).toBe(fake.refreshes[0]?.issued?.refreshToken);
  });

  it('on -216 refreshes once with the rotated refresh token and sends again', async () => {
    const zalo = adapter();
    await zalo.send(outbound({ text: 'Một' }));
    fake.expireAccessTokens();
    const receipt = await zalo.send(outbound({ text: 'Hai' }));
    expect(fake.refreshCount).toBe(2);
    expect(fake.attempts).toBe(3);
    expect(fake.sent.map((s) => s.message.text)).toEqual(['Một', 'Hai']);
    expect(fake.sent[1]?.accessToken).toBe(fake.refreshes[1]?.issued?.accessToken);
    expect(receipt.providerMessageId).toBe(fake.sent[1]?.messageId);
  });

  it.each([-220, -124])('treats %i like an invalid access token', async (code) => {
    const zalo = adapter();
    await zalo.send(outbound({ text: 'Một' }));
    fake.failNext(code);
    await zalo.send(outbound({ text: 'Hai' }));
    expect(fake.refreshCount).toBe(2);
    expect(fake.sent).toHaveLength(2);
  });

  it('gives up permanently when a freshly refreshed token is refused too', async () => {
    fake.failNext(-216);
    fake.failNext(-216);
    const error = await failure(adapter().send(outbound({ text: 'Xin chào' })));
    expect(error).toMatchObject({ retryable: false, providerCode: 'zalo:-216' });
    expect(fake.refreshCount).toBe(2);
  });

  it.each([-230, -232, -213, -227, -217])(
    'records %i (outside the 7-day window, not following, blocked) as permanently undeliverable',
    async (code) => {
      fake.failNext(code);
      const error = await failure(adapter().send(outbound({ text: 'Xin chào' })));
      expect(error).toMatchObject({
        retryable: false,
        providerCode: `zalo:${code}`,
        code: 'SEND_FAILED_PERMANENT',
      });
      expect(error.message).toMatch(/outside the OA's reply window/);
      expect(error.message).toMatch(/undeliverable/);
    },
  );

  it('reads the error of an HTTP 200 answer: -32 is retried after a minute', async () => {
    fake.failNext(-32);
    const error = await failure(adapter().send(outbound({ text: 'Xin chào' })));
    expect(error).toMatchObject({ retryable: true, providerCode: 'zalo:-32', retryAfterMs: 60_000 });
    expect(fake.sent).toHaveLength(0);
  });

  it.each([-201, -209, -212, -221, -224, -240])('records %i as a permanent refusal', async (code) => {
    fake.failNext(code);
    const error = await failure(adapter().send(outbound({ text: 'Xin chào' })));
    expect(error).toMatchObject({ retryable: false, providerCode: `zalo:${code}` });
  });

  it('retries an undocumented error code', async () => {
    fake.failNext(-999, 'Unknown error');
    const error = await failure(adapter().send(outbound({ text: 'Xin chào' })));
    expect(error).toMatchObject({ retryable: true, providerCode: 'zalo:-999' });
  });

  it('never quotes Zalo’s message when it could hold an id', async () => {
    fake.failNext(-201, `user_id ${USER_ID} is invalid`);
    const error = await failure(adapter().send(outbound({ text: 'Xin chào' })));
    expect(error.message).not.toContain(USER_ID);
  });

  it('retries HTTP 5xx and lost connections, and gives up on other HTTP 4xx', async () => {
    const zalo = adapter();
    fake.failNextHttp(502);
    expect(await failure(zalo.send(outbound({ text: 'a' })))).toMatchObject({ retryable: true });
    fake.dropNext();
    expect(await failure(zalo.send(outbound({ text: 'b' })))).toMatchObject({ retryable: true });
    fake.failNextHttp(404);
    expect(await failure(zalo.send(outbound({ text: 'c' })))).toMatchObject({ retryable: false });
  });

  it('retries when Zalo cannot be reached at all', async () => {
    const zalo = adapter({ apiUrl: 'http://127.0.0.1:9', timeoutMs: 2000 });
    await adapter().send(outbound({ text: 'warm the token' }));
    const error = await failure(zalo.send(outbound({ text: 'Xin chào' })));
    expect(error).toMatchObject({ retryable: true, code: 'SEND_FAILED_TEMPORARY' });
    expect(error.message).toMatch(/could not be reached \([A-Z_]+\)/);
  });

  it('makes one refresh for concurrent sends in one process', async () => {
    const zalo = adapter();
    const texts = ['1', '2', '3', '4', '5'];
    await Promise.all(texts.map((text) => zalo.send(outbound({ text }))));
    expect(fake.refreshCount).toBe(1);
    expect(fake.refreshes).toHaveLength(1);
    expect(new Set(fake.sent.map((s) => s.accessToken)).size).toBe(1);
  });

  it('makes one refresh for concurrent sends in two processes sharing the store', async () => {
    await fake.close();
    fake = await startFakeZaloOa({
      appSecret: APP_SECRET,
      refreshToken: INITIAL_REFRESH_TOKEN,
      refreshDelayMs: 50,
    });
    const [first, second] = [adapter(), adapter()];
    await Promise.all([
      first.send(outbound({ text: '1' })),
      second.send(outbound({ text: '2' })),
      first.send(outbound({ text: '3' })),
      second.send(outbound({ text: '4' })),
    ]);
    expect(fake.refreshes).toHaveLength(1);
    expect(fake.sent).toHaveLength(4);
  });

  it('reports a dead refresh token as permanent, telling the operator to set ZALO_OA_REFRESH_TOKEN', async () => {
    const error = await failure(
      adapter({ initialRefreshToken: 'rt_already_used_elsewhere' }).send(outbound({ text: 'x' })),
    );
    expect(error).toMatchObject({
      retryable: false,
      providerCode: 'zalo:refresh',
      code: 'SEND_FAILED_PERMANENT',
    });
    expect(error.message).toContain('ZALO_OA_REFRESH_TOKEN');
    expect(error.message).toContain('-14020');
    expect(error.message).not.toContain('rt_already_used_elsewhere');
    await expect(store.read(ZALO_TOKEN_NAME)).resolves.toBeNull();
    expect(fake.sent).toHaveLength(0);
  });

  it('reports a wrong app secret as a permanent refresh failure', async () => {
    const error = await failure(adapter({ appSecret: 'wrong-secret' }).send(outbound({ text: 'x' })));
    expect(error).toMatchObject({ retryable: false, providerCode: 'zalo:refresh' });
    expect(error.message).not.toContain('wrong-secret');
  });

  it('does not reuse a refresh token once it was rotated, even from a stale copy', async () => {
    await adapter().send(outbound({ text: 'Một' }));
    // A process that never saw the store would start from the initial token again: Zalo refuses it.
    const isolated = adapter({ tokens: new InMemoryProviderTokenStore() });
    const error = await failure(isolated.send(outbound({ text: 'Hai' })));
    expect(error.providerCode).toBe('zalo:refresh');
    expect(fake.refreshes.at(-1)).toMatchObject({ refreshToken: INITIAL_REFRESH_TOKEN, ok: false });
  });

  it('replaces the stored chain when the operator sets a new ZALO_OA_REFRESH_TOKEN', async () => {
    store.set(ZALO_TOKEN_NAME, {
      accessToken: 'at_from_the_old_chain',
      refreshToken: 'rt_from_the_old_chain',
      expiresAt: new Date(Date.now() + 3600_000),
      seed: zaloTokenSeed('rt_an_older_initial_token'),
    });
    await adapter().send(outbound({ text: 'Xin chào' }));
    expect(fake.refreshes[0]?.refreshToken).toBe(INITIAL_REFRESH_TOKEN);
    expect(fake.sent[0]?.accessToken).not.toBe('at_from_the_old_chain');
    await expect(store.read(ZALO_TOKEN_NAME)).resolves.toMatchObject({
      seed: zaloTokenSeed(INITIAL_REFRESH_TOKEN),
    });
  });

  it('retries a refresh when the OAuth server cannot be reached, keeping the stored tokens', async () => {
    const error = await failure(adapter({ oauthUrl: 'http://127.0.0.1:9' }).send(outbound({ text: 'x' })));
    expect(error).toMatchObject({ retryable: true });
    await expect(store.read(ZALO_TOKEN_NAME)).resolves.toBeNull();
  });
});
