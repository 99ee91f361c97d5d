import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { WebhookRequest, WebhookRoute } from '../../src/messaging/index.ts';
import { WebhookRejectedError } from '../../src/shared/errors.ts';
import {
  signZaloEvent,
  zaloEchoEvent,
  zaloFollowEvent,
  zaloImageEvent,
  zaloSubmitInfoEvent,
  zaloTextEvent,
  zaloUnfollowEvent,
} from '../../test/fakes/fake-zalo-oa-server.ts';
import { InMemoryProviderTokenStore } from '../../test/fakes/in-memory-provider-token-store.ts';
import { createZaloOaAdapter } from './zalo-oa.adapter.ts';

// Ids in the form of Zalo's documentation sample (all strings, beyond 2^53).
const APP_ID = '360846524940903967';
const OA_ID = '388613280878808645';
const USER_ID = '246845883529197922';
const MSG_ID = '96d3cdf3af150460909';
const OA_SECRET_KEY = 'Rk2VY8hQm3nT5pW7xZ1b';
const NOW = new Date('2026-11-27T08:00:00.000Z');
const TS = String(NOW.getTime());
const base = { appId: APP_ID, oaId: OA_ID, userId: USER_ID, timestamp: TS };

function route(): WebhookRoute {
  const adapter = createZaloOaAdapter({
    appId: APP_ID,
    oaSecretKey: OA_SECRET_KEY,
    appSecret: 'app-secret-not-used-here',
    initialRefreshToken: 'refresh-not-used-here',
    tokens: new InMemoryProviderTokenStore(),
    now: () => NOW,
  });
  const [only] = adapter.webhooks;
  if (!only) throw new Error('no webhook route');
  return only;
}

/** A webhook request exactly as the HTTP layer hands it over: raw bytes, parsed JSON and the headers Zalo sends. */
function request(
  raw: string,
  signature: string | null = signZaloEvent(raw, { appId: APP_ID, oaSecretKey: OA_SECRET_KEY }),
): WebhookRequest {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    body = undefined;
  }
  return {
    url: 'https://citizen.danang.example/webhooks/zalo',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'ZaloWebhook',
      'x-zevent-server': 'OA OpenAPI',
      ...(signature === null ? {} : { 'x-zevent-signature': signature }),
    },
    body,
    rawBody: Buffer.from(raw, 'utf8'),
  };
}

const json = (event: Record<string, unknown>): string => JSON.stringify(event);

function rejection(handle: () => unknown): WebhookRejectedError {
  try {
    handle();
  } catch (error) {
    if (error instanceof WebhookRejectedError) return error;
    throw error;
  }
  throw new Error('expected the webhook to be rejected');
}

describe('Zalo OA webhook route', () => {
  it('is mounted at /webhooks/zalo as a JSON route answering {"ok":true}', () => {
    expect(route().path).toBe('/webhooks/zalo');
    expect(route().bodyType).toBe('json');
    expect(route().ack).toEqual({ contentType: 'application/json', body: '{"ok":true}' });
  });
});

describe('signature', () => {
  const raw = json(zaloTextEvent({ ...base, msgId: MSG_ID, text: 'Đăng ký' }));

  it('accepts a user_send_text signed as mac=<sha256 of app_id + body + timestamp + OA secret key>', () => {
    const expected = createHash('sha256').update(`${APP_ID}${raw}${TS}${OA_SECRET_KEY}`).digest('hex');
    expect(signZaloEvent(raw, { appId: APP_ID, oaSecretKey: OA_SECRET_KEY })).toBe(`mac=${expected}`);
    expect(route().handle(request(raw, `mac=${expected}`))).toEqual({
      type: 'message',
      message: {
        channel: 'zalo-oa',
        providerMessageId: MSG_ID,
        from: USER_ID,
        to: OA_ID,
        text: 'Đăng ký',
        receivedAt: NOW.toISOString(),
        signedAt: NOW.toISOString(),
      },
    });
  });

  it('matches the worked example of docs/channels/zalo-oa.md', () => {
    const example =
      '{"app_id":"360846524940903967","user_id_by_app":"552177279717587730","event_name":"user_send_text",' +
      '"timestamp":"1795766400000","sender":{"id":"246845883529197922"},"recipient":{"id":"388613280878808645"},' +
      '"message":{"text":"DK","msg_id":"96d3cdf3af150460909"}}';
    const signature = 'mac=e66ae8d5886f32d52ad36493fccfe091c5623dc26ea3b69d2e93522a3e273244';
    expect(signZaloEvent(example, { appId: APP_ID, oaSecretKey: OA_SECRET_KEY })).toBe(signature);
    expect(route().handle(request(example, signature))).toMatchObject({
      type: 'message',
      message: { text: 'DK' },
    });
  });

  it('accepts the bare hex digest without the mac= prefix, in either case', () => {
    const hex = signZaloEvent(raw, { appId: APP_ID, oaSecretKey: OA_SECRET_KEY }).slice('mac='.length);
    expect(route().handle(request(raw, hex)).type).toBe('message');
    expect(route().handle(request(raw, hex.toUpperCase())).type).toBe('message');
  });

  it('finds the header whatever its case', () => {
    const req = request(raw, null);
    const signed = {
      ...req,
      headers: {
        ...req.headers,
        'X-ZEvent-Signature': signZaloEvent(raw, { appId: APP_ID, oaSecretKey: OA_SECRET_KEY }),
      },
    };
    expect(route().handle(signed).type).toBe('message');
  });

  it('rejects a signature made with another key with 403', () => {
    const forged = signZaloEvent(raw, { appId: APP_ID, oaSecretKey: 'not-the-oa-secret-key' });
    const error = rejection(() => route().handle(request(raw, forged)));
    expect(error.status).toBe(403);
    expect(error.code).toBe('ZALO_SIGNATURE_INVALID');
  });

  it('rejects a body changed after signing with 403, even by one character', () => {
    const signature = signZaloEvent(raw, { appId: APP_ID, oaSecretKey: OA_SECRET_KEY });
    const tampered = raw.replace('Đăng ký', 'Hủy');
    expect(rejection(() => route().handle(request(tampered, signature))).status).toBe(403);
    const reformatted = JSON.stringify(JSON.parse(raw), null, 1);
    expect(rejection(() => route().handle(request(reformatted, signature))).status).toBe(403);
  });

  it('rejects a request without X-ZEvent-Signature, or with an empty one, with 403', () => {
    const missing = rejection(() => route().handle(request(raw, null)));
    expect(missing.status).toBe(403);
    expect(missing.code).toBe('ZALO_SIGNATURE_MISSING');
    expect(rejection(() => route().handle(request(raw, 'mac='))).status).toBe(403);
  });

  it('rejects a correctly signed event of another app with 403', () => {
    const other = json(zaloTextEvent({ ...base, appId: '111111111111111111', msgId: MSG_ID, text: 'hi' }));
    const signed = signZaloEvent(other, { appId: '111111111111111111', oaSecretKey: OA_SECRET_KEY });
    const error = rejection(() => route().handle(request(other, signed)));
    expect(error.status).toBe(403);
    expect(error.code).toBe('ZALO_APP_MISMATCH');
  });

  it('never quotes the message text or the user id in a rejection', () => {
    const secret = json(zaloTextEvent({ ...base, msgId: MSG_ID, text: 'CCCD 048090001234' }));
    for (const error of [
      rejection(() => route().handle(request(secret, 'mac=00'))),
      rejection(() => route().handle(request(secret, null))),
    ]) {
      expect(error.message).not.toContain('048090001234');
      expect(error.message).not.toContain(USER_ID);
    }
  });
});

describe('malformed bodies', () => {
  it('rejects a body that is not JSON with 400', () => {
    const error = rejection(() => route().handle(request('{"app_id":"3608', 'mac=00')));
    expect(error.status).toBe(400);
    expect(error.code).toBe('ZALO_BAD_BODY');
    expect(rejection(() => route().handle(request('[1,2]', 'mac=00'))).status).toBe(400);
  });

  it.each(['app_id', 'event_name', 'timestamp'])('rejects an event without %s with 400', (field) => {
    const event: Record<string, unknown> = zaloTextEvent({ ...base, msgId: MSG_ID, text: 'hi' });
    delete event[field];
    const raw = json(event);
    const error = rejection(() => route().handle(request(raw, 'mac=00')));
    expect(error.status).toBe(400);
    expect(error.message).toContain(field);
  });

  it('rejects a signed user_send_text without msg_id or sender with 400', () => {
    const noMsgId = zaloTextEvent({ ...base, msgId: MSG_ID, text: 'hi' });
    noMsgId.message = { text: 'hi' };
    expect(rejection(() => route().handle(request(json(noMsgId)))).status).toBe(400);
    const noSender: Record<string, unknown> = zaloTextEvent({ ...base, msgId: MSG_ID, text: 'hi' });
    delete noSender.sender;
    expect(rejection(() => route().handle(request(json(noSender)))).status).toBe(400);
  });
});

describe('the signed time', () => {
  const at = (offsetMs: number): string =>
    json(zaloTextEvent({ ...base, timestamp: String(NOW.getTime() + offsetMs), msgId: MSG_ID, text: 'hi' }));

  it.each([
    ['a day old', -24 * 60 * 60_000 - 1],
    ['an hour old', -60 * 60_000],
    ['5 minutes ahead', 5 * 60_000 + 1],
  ])('reports the timestamp of an event %s as its signedAt, for the inbox to judge', (_what, offsetMs) => {
    const event = route().handle(request(at(offsetMs)));
    const signed = new Date(NOW.getTime() + offsetMs).toISOString();
    expect(event).toMatchObject({ type: 'message', message: { receivedAt: signed, signedAt: signed } });
  });

  it('stamps follows and form submissions with the signed time too', () => {
    for (const raw of [
      json(zaloFollowEvent(base)),
      json(zaloSubmitInfoEvent({ ...base, phone: '0912345678' })),
    ]) {
      expect(route().handle(request(raw))).toMatchObject({ message: { signedAt: NOW.toISOString() } });
    }
  });

  it('rejects with 400 a timestamp beyond any date', () => {
    const error = rejection(() => route().handle(request(at(9_000_000_000_000_000))));
    expect([error.status, error.code]).toEqual([400, 'ZALO_BAD_BODY']);
  });

  it('checks the signature before anything else, so a forged old event is a 403', () => {
    expect(rejection(() => route().handle(request(at(-48 * 60 * 60_000), 'mac=00'))).status).toBe(403);
  });
});

describe('events', () => {
  it('ignores the echo of a message the OA sent (oa_send_text)', () => {
    const event = route().handle(request(json(zaloEchoEvent({ ...base, msgId: MSG_ID, text: 'Xin chào' }))));
    expect(event.type).toBe('ignored');
  });

  it('ignores any event whose sender is the OA itself', () => {
    const fromOa = { ...zaloTextEvent({ ...base, userId: OA_ID, msgId: MSG_ID, text: 'x' }), oa_id: OA_ID };
    expect(route().handle(request(json(fromOa))).type).toBe('ignored');
    const toItself = zaloTextEvent({ ...base, userId: OA_ID, msgId: MSG_ID, text: 'x' });
    expect(route().handle(request(json(toItself))).type).toBe('ignored');
  });

  it('turns a follow into a message with event follow, from follower.id, with a stable id', () => {
    expect(route().handle(request(json(zaloFollowEvent(base))))).toEqual({
      type: 'message',
      message: {
        channel: 'zalo-oa',
        providerMessageId: `follow:${USER_ID}:${TS}`,
        from: USER_ID,
        to: OA_ID,
        text: '',
        receivedAt: NOW.toISOString(),
        signedAt: NOW.toISOString(),
        event: 'follow',
      },
    });
  });

  it('turns an unfollow into a message with event unfollow', () => {
    const event = route().handle(request(json(zaloUnfollowEvent(base))));
    expect(event).toMatchObject({
      type: 'message',
      message: { providerMessageId: `unfollow:${USER_ID}:${TS}`, from: USER_ID, text: '', event: 'unfollow' },
    });
  });

  it.each([
    ['84912345678', 'full_address'],
    ['0912345678', 'flat'],
    ['+84912345678', 'full_address'],
  ] as const)(
    'turns user_submit_info with phone %s (%s info) into a claimed phone, not a proven one',
    (phone, shape) => {
      const event = route().handle(request(json(zaloSubmitInfoEvent({ ...base, phone, shape }))));
      expect(event).toEqual({
        type: 'message',
        message: {
          channel: 'zalo-oa',
          providerMessageId: `submit_info:${USER_ID}:${TS}`,
          from: USER_ID,
          to: OA_ID,
          text: '',
          receivedAt: NOW.toISOString(),
          signedAt: NOW.toISOString(),
          sharedPhone: { phone: '+84912345678', trust: 'claimed' },
        },
      });
    },
  );

  it('ignores a user_submit_info without a usable phone number', () => {
    for (const phone of ['', 'không có', '12345']) {
      const event = route().handle(request(json(zaloSubmitInfoEvent({ ...base, phone }))));
      expect(event).toEqual({ type: 'ignored', reason: 'Zalo user_submit_info without a usable phone' });
    }
    const noInfo: Record<string, unknown> = zaloSubmitInfoEvent({ ...base, phone: '0912345678' });
    delete noInfo.info;
    expect(route().handle(request(json(noInfo))).type).toBe('ignored');
  });

  it('turns a picture (user_send_image) into a message with empty text and its msg_id', () => {
    const event = route().handle(request(json(zaloImageEvent({ ...base, msgId: 'a1b2c3d4e5f6a7b8c9d' }))));
    expect(event).toMatchObject({
      type: 'message',
      message: { providerMessageId: 'a1b2c3d4e5f6a7b8c9d', from: USER_ID, text: '' },
    });
  });

  it.each(['user_send_sticker', 'user_send_location', 'user_send_file', 'user_send_audio'])(
    'turns %s into a message with empty text',
    (eventName) => {
      const raw = json({ ...zaloImageEvent({ ...base, msgId: MSG_ID }), event_name: eventName });
      expect(route().handle(request(raw))).toMatchObject({
        type: 'message',
        message: { providerMessageId: MSG_ID, text: '' },
      });
    },
  );

  it.each([
    ['user_received_message', { message: { msg_id: MSG_ID } }],
    ['user_seen_message', { message: { msg_ids: [MSG_ID] } }],
    ['user_reacted_message', { message: { msg_id: MSG_ID, react_icon: '/-heart' } }],
    ['user_click_chatnow', {}],
  ])('ignores %s', (eventName, extra) => {
    const raw = json({
      app_id: APP_ID,
      event_name: eventName,
      timestamp: TS,
      sender: { id: USER_ID },
      recipient: { id: OA_ID },
      user_id_by_app: '552177279717587730',
      ...extra,
    });
    expect(route().handle(request(raw)).type).toBe('ignored');
  });
});
