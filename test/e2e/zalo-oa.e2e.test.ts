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
import { type AppData, AppHarness, createAppData, ZALO_OA } from '../support/app-harness.ts';
import { eventually, inboundCount, sleep } from '../support/services.ts';

// The Zalo OA channel on real parts: signed webhooks to the running app, replies through the fake OA Open API.

const CODE = /[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}/;
type Payload = {
  template_type?: string;
  buttons?: { payload: string }[];
  elements?: { subtitle?: string }[];
};
const body = (m: RecordedZaloMessage) => m.message as { text?: string; attachment?: { payload?: Payload } };
const textOf = (m: RecordedZaloMessage) =>
  body(m).text ?? body(m).attachment?.payload?.elements?.[0]?.subtitle ?? '';
const base = (userId: string) => ({ appId: ZALO_OA.appId, oaId: ZALO_OA.oaId, userId });

/** What reached one person after an event: the messages, their texts joined, their buttons and forms. */
const received = (messages: RecordedZaloMessage[]) => ({
  messages,
  text: messages.map(textOf).join('\n\n'),
  buttons: messages.flatMap((m) => (body(m).attachment?.payload?.buttons ?? []).map((b) => b.payload)),
  forms: messages.flatMap((m) => body(m).attachment?.payload?.template_type ?? []),
});

/** Drives one harness: posts events as Zalo would and reads what reached the fake OA API. */
function zaloDriver(get: () => AppHarness, fake: () => FakeZaloOa) {
  let msg = 0;
  const post = (raw: string, signature: string | null = signZaloEvent(raw, ZALO_OA)) =>
    get().postJson('/webhooks/zalo', raw, signature === null ? {} : { 'x-zevent-signature': signature });
  const sentTo = (userId: string) => fake().sent.filter((m) => m.userId === userId);
  /** Posts a signed event; resolves what reached `userId` once its text matches `until` (or anything came). */
  const on = async (userId: string, event: object, until?: RegExp) => {
    const before = sentTo(userId).length;
    expect((await post(JSON.stringify(event))).status).toBe(200);
    const fresh = () => received(sentTo(userId).slice(before));
    await eventually(() => fresh().messages.length > 0 && (until?.test(fresh().text) ?? true));
    return fresh();
  };
  const text = (userId: string, t: string, until?: RegExp) => {
    msg += 1;
    return on(userId, zaloTextEvent({ ...base(userId), msgId: `m${Date.now()}-${msg}`, text: t }), until);
  };
  return { post, sentTo, on, text };
}

describe('Zalo OA webhooks, registration and notifications (real app, fake OA API)', () => {
  let app: AppHarness;
  const oa = () => {
    const fake = app.fakes.zaloOa;
    if (!fake) throw new Error('zalo-oa is off');
    return fake;
  };
  const z = zaloDriver(() => app, oa);

  beforeAll(async () => {
    app = await AppHarness.start({ channels: ['zalo-oa'] });
  });
  afterAll(async () => {
    await app?.stop();
  });

  /** The 6-digit code of the last SMS to `phone` (the code that proves it), and how many SMS it has had. */
  const codeTexted = async (phone: string, count: number) => {
    const texts = await app.waitForInbox(phone, count);
    const code = /\b(\d{6})\b/.exec(texts.at(-1) ?? '')?.[1];
    if (!code) throw new Error('no code was texted');
    return code;
  };

  /**
   * Registers by SMS in one message, then links Zalo OA user `userId` with the OA's phone form and the code
   * texted to the phone (the 4th SMS to it).
   */
  async function smsCitizenOnZalo(phone: string, details: string, userId: string) {
    await app.say(phone, `DK ${details}`);
    await app.say(phone, 'CO', 2);
    const citizen = await app.services.citizens.findByPhone(phone);
    if (!citizen) throw new Error('no account');
    await z.on(userId, zaloSubmitInfoEvent({ ...base(userId), phone: phone.slice(1) }));
    const linked = await z.text(userId, await codeTexted(phone, 4));
    expect(linked.text).toMatch(/^Đã liên kết với tài khoản của bạn\./);
    return citizen;
  }

  it('answers a signed user_send_text with 200 and a reply sent with the access_token header', async () => {
    const reply = await z.text('1001', 'HD'); // asserts the 200

    expect(reply.text).toMatch(/^Công dân số Đà Nẵng\. Bấm nút/);
    expect(reply.messages[0]?.accessToken).toBe(oa().refreshes[0]?.issued?.accessToken);
  });

  it('refuses a forged, missing or tampered signature and a wrong app_id with 403, storing nothing', async () => {
    const before = await inboundCount(app.services, 'zalo-oa');
    const raw = JSON.stringify(zaloTextEvent({ ...base('1002'), msgId: 'forged1', text: 'DK' }));
    const other = JSON.stringify(zaloTextEvent({ ...base('1002'), msgId: 'forged1', text: 'TT' }));
    const appId = '999999999999999999';
    const foreign = JSON.stringify(zaloTextEvent({ ...base('1002'), appId, msgId: 'forged2', text: 'DK' }));

    const responses = await Promise.all([
      z.post(raw, signZaloEvent(raw, { ...ZALO_OA, oaSecretKey: 'not-the-oa-secret' })),
      z.post(raw, null),
      z.post(raw, signZaloEvent(other, ZALO_OA)),
      z.post(foreign, signZaloEvent(foreign, { appId, oaSecretKey: ZALO_OA.oaSecretKey })),
    ]);
    await sleep(600);

    expect(responses.map((r) => r.status)).toEqual([403, 403, 403, 403]);
    expect(await inboundCount(app.services, 'zalo-oa')).toBe(before);
    expect(z.sentTo('1002')).toEqual([]);
  });

  it('answers 400 to a body that is not JSON', async () => {
    const response = await z.post('{"app_id":"360846524940903967","event_name":', 'mac=00');

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: expect.any(String) } });
  });

  it('replies once to the same msg_id delivered three times, as Zalo retries', async () => {
    const raw = JSON.stringify(zaloTextEvent({ ...base('1003'), msgId: 'retried1', text: 'TT' }));

    const statuses = [(await z.post(raw)).status, (await z.post(raw)).status, (await z.post(raw)).status];
    await eventually(() => z.sentTo('1003').length >= 1);
    await sleep(600);

    expect(statuses).toEqual([200, 200, 200]);
    expect(z.sentTo('1003')).toHaveLength(1);
    expect(await inboundCount(app.services, 'zalo-oa', 'retried1')).toBe(1);
  });

  it('acknowledges but ignores an echo of its own message', async () => {
    const before = await inboundCount(app.services, 'zalo-oa');
    const echo = JSON.stringify(zaloEchoEvent({ ...base('1004'), msgId: 'echo1', text: 'Xin chào' }));

    expect((await z.post(echo)).status).toBe(200);
    await app.waitForIdle();

    expect(await inboundCount(app.services, 'zalo-oa')).toBe(before);
    expect(z.sentTo('1004')).toEqual([]);
  });

  it('takes an event Zalo retries 20 minutes late, once', async () => {
    const timestamp = String(Date.now() - 20 * 60_000);
    const late = JSON.stringify(zaloTextEvent({ ...base('1005'), msgId: 'late1', text: 'TT', timestamp }));

    expect((await z.post(late)).status).toBe(200);
    expect((await z.post(late)).status).toBe(200);
    await app.waitForIdle();

    expect(z.sentTo('1005')).toHaveLength(1);
  });

  it('answers a picture with what to type instead of silence', async () => {
    const reply = await z.on('1006', zaloImageEvent({ ...base('1006'), msgId: 'img1' }));

    expect(reply.text).toMatch(/^Chưa hiểu tin nhắn\. Trả lời:\n1 DK: Đăng ký tài khoản\n2 TT/);
    expect(reply.buttons).toEqual(['DK', 'TT', 'LK', 'GT']);
  });

  it('welcomes a new follower with the menu as buttons', async () => {
    const welcome = await z.on('1007', zaloFollowEvent(base('1007')));

    expect(welcome.text).toMatch(/^Chào mừng bạn đến với Công dân số Đà Nẵng!\nCông dân số Đà Nẵng\./);
    expect(welcome.buttons).toEqual(['DK', 'TT', 'LK', 'GT']);
  });

  it('opts an unfollower out: a later notification goes by SMS, not Zalo', async () => {
    const phone = '+84905222444';
    const citizen = await smsCitizenOnZalo(phone, 'Le Minh Chau, 048201000777, 20/11/2001', '1008');
    const zaloBefore = z.sentTo('1008').length;

    expect((await z.post(JSON.stringify(zaloUnfollowEvent(base('1008'))))).status).toBe(200);
    await eventually(async () => (await app.services.contacts.find('zalo-oa', '1008'))?.optedOutAt != null);
    await app.services.notify(citizen, 'after-unfollow', () => ({ text: 'Ho so da tiep nhan.' }));
    const sms = await app.waitForInbox(phone, 5);
    await app.waitForIdle();

    expect(sms[4]).toBe('Ho so da tiep nhan.');
    expect(z.sentTo('1008')).toHaveLength(zaloBefore);
  });

  it('registers on Zalo OA: phone form, questions, consent button, result on Zalo, TT with diacritics', async () => {
    const user = '1009';
    const asked = await z.text(user, 'DK', /0905123456/);
    expect(asked.text).toMatch(/^Để đăng ký, trước hết cần xác nhận số điện thoại của bạn\./);
    expect(asked.forms).toContain('request_user_info');

    const info = zaloSubmitInfoEvent({ ...base(user), phone: '84905222333' });
    const codeSent = await z.on(user, info);
    expect(codeSent.text).toMatch(/^Đã gửi mã 6 số qua SMS tới 0905\*\*\*333\./);
    const confirmed = await z.text(user, await codeTexted('+84905222333', 1), /bước 1\/3/);
    expect(confirmed.text).toBe(
      'Đã xác nhận số điện thoại.\n\nĐăng ký tài khoản công dân số (bước 1/3). Gửi họ và tên đầy đủ, ví dụ: Nguyễn Văn An. Gửi HUY để hủy.',
    );
    expect((await z.text(user, 'Nguyễn Văn An')).text).toBe('Bước 2/3: gửi số CCCD (12 chữ số) của bạn.');
    expect((await z.text(user, '048090001234')).text).toBe('Bước 3/3: gửi ngày sinh, ví dụ 15/02/1990.');
    const consent = await z.text(user, '15/02/1990');
    expect(consent.text).toMatch(/^Nguyễn Văn An, CCCD 048090001234, NS 15\/02\/1990\. Đồng ý xử lý dữ liệu/);
    expect(consent.buttons).toEqual(['CO', 'KHONG']);

    const opened = await z.text(user, 'CO', /đã được xác minh/);
    const code = CODE.exec(opened.text)?.[0];
    expect(opened.text).toBe(
      `Đã mở tài khoản tạm thời ${code}. Chúng tôi đang đối chiếu CSDL dân cư và sẽ nhắn kết quả. Gửi TT để xem trạng thái.\n\n` +
        `Tài khoản công dân số ${code} đã được xác minh với CSDL dân cư. Bạn có thể dùng dịch vụ công trực tuyến. Gửi TT để xem.`,
    );
    expect(opened.messages).toHaveLength(2); // the answer, then the registry's result as its own message
    expect(app.inbox('+84905222333')).toHaveLength(1); // only the code: replies go to the chat
    expect((await z.text(user, 'TT')).text).toBe(`Tài khoản ${code}: đã xác minh.`);
    expect(await app.services.citizens.findByPhone('+84905222333')).toMatchObject({ createdVia: 'zalo-oa' });
  });

  it("links no chat to someone else's account by a form with their phone: the code goes to the phone's owner", async () => {
    const victim = '+84905222666';
    await app.say(victim, 'DK Pham Van Cuong, 048092000555, 05/05/1992');
    const [opened] = await app.say(victim, 'CO', 2);
    const code = CODE.exec(opened ?? '')?.[0] ?? 'no code';
    const attacker = '1011';

    const claimed = await z.on(attacker, zaloSubmitInfoEvent({ ...base(attacker), phone: victim.slice(1) }));
    expect(claimed.text).toMatch(/^Đã gửi mã 6 số qua SMS tới 0905\*\*\*666\./);
    expect(await codeTexted(victim, 4)).toMatch(/^\d{6}$/);
    expect(await app.services.contacts.find('zalo-oa', attacker)).toMatchObject({
      phone: null,
      citizenId: null,
    });
    for (const keyword of ['HUY', 'TT', 'DULIEU', 'GT']) {
      const answer = await z.text(attacker, keyword);
      expect(answer.text).not.toContain(code);
      expect(answer.text).not.toMatch(/Pham Van Cuong|048092000555|05\/05\/1992/);
      if (keyword !== 'HUY') expect(answer.text).toMatch(/^Cuộc trò chuyện này chưa liên kết/);
    }
    await app.waitForIdle();
    expect(app.inbox(victim)).toHaveLength(4); // the code, and nothing else

    // Only the code the phone's owner received proves it.
    await z.on(
      attacker,
      zaloSubmitInfoEvent({ ...base(attacker), phone: victim.slice(1), timestamp: String(Date.now()) }),
    );
    const linked = await z.text(attacker, await codeTexted(victim, 5));
    expect(linked.text).toMatch(new RegExp(`^Đã liên kết với tài khoản của bạn\\. Tài khoản ${code}`));
  });

  it('records a notification refused outside the reply window (-230) as failed and sends it by SMS', async () => {
    const phone = '+84905222555';
    const citizen = await smsCitizenOnZalo(phone, 'Tran Thi Binh, 048185000321, 03/07/1985', '1010');
    const attempts = oa().attempts;

    oa().failNext(-230);
    await app.services.notify(citizen, 'test-key', () => ({ text: 'Ho so cua ban da duoc duyet.' }));
    const sms = await app.waitForInbox(phone, 5);
    await app.waitForIdle();

    expect(sms[4]).toBe('Ho so cua ban da duoc duyet.');
    const { rows } = await app.services.db.query<{ channel: string; status: string; error_code: string }>(
      `SELECT channel, status, error_code FROM outbound_messages WHERE dedupe_key = 'test-key'`,
    );
    expect(rows).toEqual([{ channel: 'zalo-oa', status: 'failed', error_code: 'zalo:-230' }]);
    expect(oa().attempts).toBe(attempts + 1);
    expect(app.inbox(phone)).toHaveLength(5);
  });
});

describe('Zalo OA access tokens: refresh, rotation and a restart over the same data', () => {
  let zalo: FakeZaloOa;
  let app: AppHarness;
  let dropData: () => Promise<void>;
  let data: AppData;
  const fake = () => zalo;
  const z = zaloDriver(() => app, fake);
  // One fake OA server for both runs of the app, so the token chain survives the restart.
  const start = () =>
    AppHarness.start({
      channels: ['zalo-oa'],
      reuse: data,
      env: { ZALO_OA_API_URL: zalo.url, ZALO_OAUTH_URL: zalo.url },
    });

  beforeAll(async () => {
    const { appSecret, refreshToken, appId } = ZALO_OA;
    zalo = await startFakeZaloOa({ appSecret, refreshToken, appId });
    ({ data, drop: dropData } = await createAppData());
    app = await start();
  });
  afterAll(async () => {
    await app?.stop();
    await zalo?.close();
    await dropData?.();
  });

  it('refreshes from ZALO_OA_REFRESH_TOKEN on the first send and stores the rotated token encrypted', async () => {
    const reply = await z.text('2001', 'HD');

    expect(zalo.refreshes).toHaveLength(1);
    const [first] = zalo.refreshes;
    expect(first).toMatchObject({ ok: true, refreshToken: ZALO_OA.refreshToken, appId: ZALO_OA.appId });
    expect(reply.messages[0]?.accessToken).toBe(first?.issued?.accessToken);
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

    const reply = await z.text('2001', 'TT');

    const [first, second] = zalo.refreshes;
    expect(zalo.refreshes).toHaveLength(2);
    expect(second).toMatchObject({ ok: true, refreshToken: first?.issued?.refreshToken });
    expect(reply.messages[0]?.accessToken).toBe(second?.issued?.accessToken);
    expect(zalo.attempts).toBe(attempts + 2);
  });

  it('reuses the stored token after a restart instead of refreshing', async () => {
    const token = zalo.refreshes[1]?.issued?.accessToken;
    await app.stop({ keepData: true });
    app = await start();

    const reply = await z.text('2001', 'HD');

    expect(reply.messages[0]?.accessToken).toBe(token);
    expect(zalo.refreshes).toHaveLength(2);
  });
});
