import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeZaloOa,
  type RecordedZaloMessage,
  signZaloEvent,
  startFakeZaloOa,
  zaloEchoEvent,
  zaloFollowEvent,
  zaloImageEvent,
  zaloSubmitInfoEvent,
  zaloTextEvent,
  zaloUnfollowEvent,
} from '../fakes/fake-zalo-oa-server.ts';
import { AppHarness, ZALO_OA } from '../support/app-harness.ts';
import {
  createRedisPrefix,
  createTestDatabase,
  eventually,
  testEncryptionKey,
} from '../support/services.ts';

// The Zalo OA channel on real parts: signed webhooks to the running app, replies through the fake OA Open API.

const settle = (ms = 600) => new Promise((r) => setTimeout(r, ms));
const CODE = /[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}/;
type Message = {
  text?: string;
  attachment?: {
    payload?: {
      template_type?: string;
      buttons?: { payload: string }[];
      elements?: { subtitle?: string }[];
    };
  };
};
const body = (m: RecordedZaloMessage) => m.message as Message;
const textOf = (m: RecordedZaloMessage) => body(m).text ?? body(m).attachment?.payload?.elements?.[0]?.subtitle;
const buttonsOf = (m: RecordedZaloMessage | undefined) =>
  (m ? (body(m).attachment?.payload?.buttons ?? []) : []).map((b) => b.payload);
const base = (userId: string) => ({ appId: ZALO_OA.appId, oaId: ZALO_OA.oaId, userId });

/** Drives one harness: posts events as Zalo would and reads what reached the fake OA API. */
function zaloDriver(get: () => AppHarness) {
  let msg = 0;
  const fake = () => {
    const f = get().fakes.zaloOa;
    if (!f) throw new Error('zalo-oa is off');
    return f;
  };
  const post = (raw: string, signature: string | null = signZaloEvent(raw, ZALO_OA)) =>
    get().postJson('/webhooks/zalo', raw, signature === null ? {} : { 'x-zevent-signature': signature });
  const sentTo = (userId: string, sent = fake().sent) => sent.filter((m) => m.userId === userId);
  /** Posts a signed event and resolves the `replies` next messages to `userId` at `sent`. */
  const on = async (userId: string, event: object, replies = 1, sent = fake().sent) => {
    const before = sentTo(userId, sent).length;
    expect((await post(JSON.stringify(event))).status).toBe(200);
    await eventually(() => sentTo(userId, sent).length >= before + replies);
    return sentTo(userId, sent).slice(before);
  };
  const text = (userId: string, t: string, replies = 1, sent = fake().sent) => {
    msg += 1;
    return on(userId, zaloTextEvent({ ...base(userId), msgId: `m${Date.now()}${msg}`, text: t }), replies, sent);
  };
  return { fake, post, sentTo, on, text };
}

describe('Zalo OA webhooks, registration and notifications (real app, fake OA API)', () => {
  let app: AppHarness;
  const z = zaloDriver(() => app);
  const inboundCount = async () =>
    Number((await app.services.db.query<{ n: string }>('SELECT count(*) AS n FROM inbound_messages')).rows[0]?.n);

  beforeAll(async () => {
    app = await AppHarness.start({ channels: ['zalo-oa'] });
  });
  afterAll(async () => {
    await app?.stop();
  });

  /** Registers by SMS in one message, then links Zalo OA user `userId` with the OA's phone form. */
  async function smsCitizenOnZalo(phone: string, details: string, userId: string) {
    await app.say(phone, `DK ${details}`);
    await app.say(phone, 'CO', 2);
    const citizen = await app.services.citizens.findByPhone(phone);
    if (!citizen) throw new Error('no account');
    const [linked] = await z.on(userId, zaloSubmitInfoEvent({ ...base(userId), phone: phone.slice(1) }));
    expect(linked && textOf(linked)).toContain('Đã liên kết');
    return citizen;
  }

  it('answers a signed user_send_text with 200 and a reply sent with the access_token header', async () => {
    const response = await z.post(JSON.stringify(zaloTextEvent({ ...base('1001'), msgId: 'hd1', text: 'HD' })));

    expect(response.status).toBe(200);
    const [reply] = await z.fake().waitForMessages(1);
    expect(reply?.userId).toBe('1001');
    expect(reply && textOf(reply)).toMatch(/^Công dân số Đà Nẵng\. Bấm nút/);
    expect(reply?.accessToken).toBe(z.fake().refreshes[0]?.issued?.accessToken);
  });

  it('refuses a forged, missing or tampered signature and a wrong app_id with 403, storing nothing', async () => {
    const before = await inboundCount();
    const raw = JSON.stringify(zaloTextEvent({ ...base('1002'), msgId: 'forged1', text: 'DK' }));
    const other = JSON.stringify(zaloTextEvent({ ...base('1002'), msgId: 'forged1', text: 'TT' }));
    const foreign = JSON.stringify(
      zaloTextEvent({ ...base('1002'), appId: '999999999999999999', msgId: 'forged2', text: 'DK' }),
    );

    const statuses = await Promise.all([
      z.post(raw, signZaloEvent(raw, { ...ZALO_OA, oaSecretKey: 'not-the-oa-secret' })),
      z.post(raw, null),
      z.post(raw, signZaloEvent(other, ZALO_OA)),
      z.post(foreign, signZaloEvent(foreign, { appId: '999999999999999999', oaSecretKey: ZALO_OA.oaSecretKey })),
    ]).then((all) => all.map((r) => r.status));
    await settle();

    expect(statuses).toEqual([403, 403, 403, 403]);
    expect(await inboundCount()).toBe(before);
    expect(z.sentTo('1002')).toEqual([]);
  });

  it('answers 400 to a body that is not JSON', async () => {
    const response = await z.post('{"app_id":"360846524940903967","event_name":', 'mac=00');

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'ZALO_BAD_BODY' } });
  });

  it('replies once to the same msg_id delivered three times, as Zalo retries', async () => {
    const raw = JSON.stringify(zaloTextEvent({ ...base('1003'), msgId: 'retried1', text: 'TT' }));

    const statuses = [(await z.post(raw)).status, (await z.post(raw)).status, (await z.post(raw)).status];
    await eventually(() => z.sentTo('1003').length >= 1);
    await settle();

    expect(statuses).toEqual([200, 200, 200]);
    expect(z.sentTo('1003')).toHaveLength(1);
    const { rows } = await app.services.db.query(
      'SELECT id FROM inbound_messages WHERE provider_message_id = $1',
      ['retried1'],
    );
    expect(rows).toHaveLength(1);
  });

  it('acknowledges but ignores an echo of its own message and an event 20 minutes old', async () => {
    const before = await inboundCount();
    const echo = JSON.stringify(zaloEchoEvent({ ...base('1004'), msgId: 'echo1', text: 'Xin chào' }));
    const old = String(Date.now() - 20 * 60_000);
    const stale = JSON.stringify(zaloTextEvent({ ...base('1005'), msgId: 'stale1', text: 'DK', timestamp: old }));

    const responses = [await z.post(echo), await z.post(stale)];
    await settle();

    expect(responses.map((r) => r.status)).toEqual([200, 200]);
    expect(await inboundCount()).toBe(before);
    expect([...z.sentTo('1004'), ...z.sentTo('1005')]).toEqual([]);
  });

  it('answers a picture with what to type instead of silence', async () => {
    const [reply] = await z.on('1006', zaloImageEvent({ ...base('1006'), msgId: 'img1' }));

    expect(reply && textOf(reply)).toMatch(/^Chưa hiểu tin nhắn\. Trả lời:\n1 DK: Đăng ký tài khoản/);
    expect(buttonsOf(reply)).toEqual(['DK', 'TT', 'LK']);
  });

  it('welcomes a new follower with the menu as buttons', async () => {
    const [welcome] = await z.on('1007', zaloFollowEvent(base('1007')));

    expect(welcome && textOf(welcome)).toMatch(/^Chào mừng bạn đến với Công dân số Đà Nẵng!\nCông dân số/);
    expect(buttonsOf(welcome)).toEqual(['DK', 'TT', 'LK']);
  });

  it('opts an unfollower out: a later notification goes by SMS, not Zalo', async () => {
    const phone = '+84905222444';
    const citizen = await smsCitizenOnZalo(phone, 'Le Minh Chau, 048201000777, 20/11/2001', '1008');
    const zaloBefore = z.sentTo('1008').length;

    expect((await z.post(JSON.stringify(zaloUnfollowEvent(base('1008'))))).status).toBe(200);
    await eventually(async () => (await app.services.contacts.find('zalo-oa', '1008'))?.optedOutAt);
    await app.services.notify(citizen, 'after-unfollow', () => ({ text: 'Ho so cua ban da duoc tiep nhan.' }));
    await settle(1500);
    console.log('DBG', JSON.stringify((await app.services.db.query(`SELECT channel, status, error_code, purpose FROM outbound_messages WHERE dedupe_key = 'after-unfollow'`)).rows), JSON.stringify(await app.services.contacts.findByCitizen(citizen.id)));
    const sms = await app.waitForInbox(phone, 4);
    expect(sms[3]).toBe('Ho so cua ban da duoc tiep nhan.');
    expect(z.sentTo('1008')).toHaveLength(zaloBefore);
  });

  it('registers on Zalo OA: phone form, questions, consent button, result on Zalo, TT with diacritics', async () => {
    const user = '1009';
    const asked = await z.text(user, 'DK', 2);
    expect(asked[0] && textOf(asked[0])).toBe('Để đăng ký, trước hết cần xác nhận số điện thoại của bạn.');
    expect(asked[1] && body(asked[1]).attachment?.payload?.template_type).toBe('request_user_info');

    const confirmed = await z.on(user, zaloSubmitInfoEvent({ ...base(user), phone: '84905222333' }), 2);
    expect(confirmed.map(textOf)).toEqual([
      'Đã xác nhận số điện thoại.',
      'Đăng ký tài khoản công dân số (bước 1/3). Gửi họ và tên đầy đủ, ví dụ: Nguyễn Văn An. Gửi HUY để hủy.',
    ]);
    expect((await z.text(user, 'Nguyễn Văn An')).map(textOf)).toEqual(['Bước 2/3: gửi số CCCD (12 chữ số) của bạn.']);
    expect((await z.text(user, '048090001234')).map(textOf)).toEqual(['Bước 3/3: gửi ngày sinh, ví dụ 15/02/1990.']);
    const [consent] = await z.text(user, '15/02/1990');
    expect(consent && textOf(consent)).toMatch(/^Nguyễn Văn An, CCCD 048090001234, NS 15\/02\/1990\. Đồng ý/);
    expect(buttonsOf(consent)).toEqual(['CO', 'KHONG']);

    const [opened, result] = await z.text(user, 'CO', 2);
    const code = CODE.exec((opened && textOf(opened)) ?? '')?.[0];
    expect(opened && textOf(opened)).toMatch(/^Đã mở tài khoản tạm thời /);
    expect(result && textOf(result)).toBe(
      `Tài khoản công dân số ${code} đã được xác minh với CSDL dân cư. Bạn có thể dùng dịch vụ công trực tuyến. Gửi TT để xem.`,
    );
    expect(app.inbox('+84905222333')).toEqual([]);
    expect((await z.text(user, 'TT')).map(textOf)).toEqual([`Tài khoản ${code}: đã xác minh.`]);
    expect(await app.services.citizens.findByPhone('+84905222333')).toMatchObject({ createdVia: 'zalo-oa' });
  });

  it('records a notification refused outside the reply window (-230) as failed and sends it by SMS', async () => {
    const phone = '+84905222555';
    const citizen = await smsCitizenOnZalo(phone, 'Tran Thi Binh, 048185000321, 03/07/1985', '1010');
    const attempts = z.fake().attempts;

    z.fake().failNext(-230);
    await app.services.notify(citizen, 'test-key', () => ({ text: 'Ho so cua ban da duoc duyet.' }));
    const sms = await app.waitForInbox(phone, 4);
    await settle();

    expect(sms[3]).toBe('Ho so cua ban da duoc duyet.');
    const { rows } = await app.services.db.query<{ channel: string; status: string; error_code: string }>(
      `SELECT channel, status, error_code FROM outbound_messages WHERE dedupe_key = 'test-key'`,
    );
    expect(rows).toEqual([{ channel: 'zalo-oa', status: 'failed', error_code: 'zalo:-230' }]);
    expect(z.fake().attempts).toBe(attempts + 1);
    expect(app.inbox(phone)).toHaveLength(4);
  });
});

describe('Zalo OA access tokens: refresh, rotation and a restart over the same data', () => {
  let zalo: FakeZaloOa;
  let app: AppHarness;
  let dropData: () => Promise<void>;
  let data: { databaseUrl: string; prefix: string; encryptionKey: string };
  const z = zaloDriver(() => app);
  const start = () =>
    AppHarness.start({
      channels: ['zalo-oa'],
      reuse: data,
      env: { ZALO_OA_API_URL: zalo.url, ZALO_OAUTH_URL: zalo.url },
    });

  beforeAll(async () => {
    zalo = await startFakeZaloOa({ appSecret: ZALO_OA.appSecret, refreshToken: ZALO_OA.refreshToken, appId: ZALO_OA.appId });
    const database = await createTestDatabase();
    const redis = createRedisPrefix();
    data = { databaseUrl: database.url, prefix: redis.prefix, encryptionKey: testEncryptionKey() };
    dropData = async () => {
      await redis.cleanup();
      await database.drop();
    };
    app = await start();
  });
  afterAll(async () => {
    await app?.stop();
    await zalo?.close();
    await dropData?.();
  });

  it('refreshes from ZALO_OA_REFRESH_TOKEN on the first send and stores the rotated token encrypted', async () => {
    const [reply] = await z.text('2001', 'HD', 1, zalo.sent);

    expect(zalo.refreshes).toHaveLength(1);
    const [first] = zalo.refreshes;
    expect(first).toMatchObject({ ok: true, refreshToken: ZALO_OA.refreshToken, appId: ZALO_OA.appId });
    expect(reply?.accessToken).toBe(first?.issued?.accessToken);
    const { rows } = await app.services.db.query<{ tokens_enc: string }>(
      `SELECT tokens_enc FROM provider_tokens WHERE name = 'zalo-oa'`,
    );
    const stored = rows[0]?.tokens_enc ?? '';
    expect(stored).not.toContain(first?.issued?.refreshToken);
    expect(stored).not.toContain(first?.issued?.accessToken);
    expect(JSON.parse(app.services.cipher.decrypt(stored))).toMatchObject({
      refreshToken: first?.issued?.refreshToken,
    });
  });

  it('after the access token expires (-216), refreshes once with the rotated token and delivers', async () => {
    const attempts = zalo.attempts;
    zalo.expireAccessTokens();

    const [reply] = await z.text('2001', 'TT', 1, zalo.sent);

    expect(zalo.refreshes).toHaveLength(2);
    expect(zalo.refreshes[1]).toMatchObject({ ok: true, refreshToken: zalo.refreshes[0]?.issued?.refreshToken });
    expect(reply?.accessToken).toBe(zalo.refreshes[1]?.issued?.accessToken);
    expect(zalo.attempts).toBe(attempts + 2);
  });

  it('reuses the stored token after a restart instead of refreshing', async () => {
    const token = zalo.refreshes[1]?.issued?.accessToken;
    await app.stop({ keepData: true });
    app = await start();

    const [reply] = await z.text('2001', 'HD', 1, zalo.sent);

    expect(reply?.accessToken).toBe(token);
    expect(zalo.refreshes).toHaveLength(2);
  });
});
