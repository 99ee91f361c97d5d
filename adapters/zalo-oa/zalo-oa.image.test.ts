import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelAdapter, OutboundMessage, Reply } from '../../src/messaging/index.ts';
import { SendFailedError } from '../../src/shared/errors.ts';
import { type FakeZaloOa, startFakeZaloOa } from '../../test/fakes/fake-zalo-oa-server.ts';
import { InMemoryProviderTokenStore } from '../../test/fakes/in-memory-provider-token-store.ts';
import { createZaloOaAdapter, type ZaloOaLog } from './zalo-oa.adapter.ts';

const APP_ID = '360846524940903967';
const APP_SECRET = 'Zq8Xw2Ct5Vb7Nm1Lk3Jh';
const INITIAL_REFRESH_TOKEN = 'rt_initial_4fJ9kq2LmZx7Pw3Rt8Vn';
const USER_ID = '246845883529197922';
const QR_URL = 'https://citizen.danang.example/s/kX3vQ9mP2rT7wZ4b/qr.png';
const QR = { url: QR_URL, alt: 'Mã QR của liên kết chia sẻ' };
const LINK_TEXT = 'Liên kết chia sẻ CCCD của bạn: https://citizen.danang.example/s/kX3vQ9mP2rT7wZ4b';

const IMAGE_MESSAGE = {
  text: QR.alt,
  attachment: {
    type: 'template',
    payload: { template_type: 'media', elements: [{ media_type: 'image', url: QR_URL }] },
  },
};

describe('Zalo OA replies with a picture (real fetch against the fake OA API)', () => {
  let fake: FakeZaloOa;
  let events: { event: string; details: Record<string, string | number | boolean> | undefined }[];

  beforeEach(async () => {
    fake = await startFakeZaloOa({
      appSecret: APP_SECRET,
      refreshToken: INITIAL_REFRESH_TOKEN,
      appId: APP_ID,
    });
    events = [];
  });
  afterEach(async () => {
    await fake.close();
  });

  const log: ZaloOaLog = (event, details) => {
    events.push({ event, details });
  };
  const adapter = (): ChannelAdapter =>
    createZaloOaAdapter({
      appId: APP_ID,
      oaSecretKey: 'oa-secret-key-for-webhooks',
      appSecret: APP_SECRET,
      initialRefreshToken: INITIAL_REFRESH_TOKEN,
      apiUrl: fake.url,
      oauthUrl: fake.url,
      tokens: new InMemoryProviderTokenStore(),
      log,
    });
  const outbound = (reply: Reply): OutboundMessage => ({
    channel: 'zalo-oa',
    to: USER_ID,
    reply,
    language: 'vi',
    clientRef: 'out_42',
  });

  it('sends the text message, then the image as a media template, and returns the text’s id', async () => {
    const receipt = await adapter().send(outbound({ text: LINK_TEXT.normalize('NFD'), image: QR }));
    expect(fake.sent.map((s) => s.message)).toEqual([{ text: LINK_TEXT }, IMAGE_MESSAGE]);
    expect(fake.sent.every((s) => s.userId === USER_ID)).toBe(true);
    expect(receipt).toEqual({ providerMessageId: fake.sent[0]?.messageId });
    expect(events).toEqual([]);
  });

  it('keeps the buttons on the text message and sends the image after it', async () => {
    await adapter().send(
      outbound({ text: LINK_TEXT, choices: [{ label: 'Thu hồi', payload: 'share:revoke' }], image: QR }),
    );
    expect(fake.sent[0]?.message).toMatchObject({
      text: LINK_TEXT,
      attachment: {
        payload: { buttons: [{ title: 'Thu hồi', type: 'oa.query.hide', payload: 'share:revoke' }] },
      },
    });
    expect(fake.sent[1]?.message).toEqual(IMAGE_MESSAGE);
  });

  it('still succeeds with the text’s receipt when the image is refused after the text went out', async () => {
    fake.failNextImage(-201, 'Parameters are invalid');
    const receipt = await adapter().send(outbound({ text: LINK_TEXT, image: QR }));
    expect(fake.attempts).toBe(2);
    expect(fake.sent.map((s) => s.message)).toEqual([{ text: LINK_TEXT }]);
    expect(receipt).toEqual({ providerMessageId: fake.sent[0]?.messageId });
    expect(events).toEqual([
      {
        event: 'zalo-oa.image_failed',
        details: { clientRef: 'out_42', retryable: false, providerCode: 'zalo:-201' },
      },
    ]);
    expect(JSON.stringify(events)).not.toContain(USER_ID);
    expect(JSON.stringify(events)).not.toContain(QR_URL);
  });

  it('does not fail the reply when the image hits the rate limit, logging it as retryable', async () => {
    fake.failNextImage(-32);
    const receipt = await adapter().send(outbound({ text: LINK_TEXT, image: QR }));
    expect(receipt).toEqual({ providerMessageId: fake.sent[0]?.messageId });
    expect(fake.sent).toHaveLength(1);
    expect(events[0]?.details).toEqual({ clientRef: 'out_42', retryable: true, providerCode: 'zalo:-32' });
  });

  it('fails as usual, without trying the image, when the text itself is refused', async () => {
    fake.failNext(-230);
    const error = await adapter()
      .send(outbound({ text: LINK_TEXT, image: QR }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SendFailedError);
    expect(error).toMatchObject({ retryable: false, providerCode: 'zalo:-230' });
    expect(fake.attempts).toBe(1);
    expect(fake.sent).toEqual([]);
  });

  it('sends no image message for a reply without a picture', async () => {
    await adapter().send(outbound({ text: LINK_TEXT }));
    expect(fake.sent.map((s) => s.message)).toEqual([{ text: LINK_TEXT }]);
  });
});
