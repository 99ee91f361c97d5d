import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smsGatewayInbound } from '../fakes/fake-sms-gateway-server.ts';
import {
  type FakeTelegram,
  telegramCallbackUpdate,
  telegramContactUpdate,
  telegramTextUpdate,
} from '../fakes/fake-telegram-server.ts';
import {
  ADMIN_TOKEN,
  AppHarness,
  SMS_GATEWAY_SECRET,
  TELEGRAM_WEBHOOK_SECRET,
} from '../support/app-harness.ts';
import { multipart } from '../support/multipart.ts';
import { eventually } from '../support/services.ts';

/**
 * The logs of a whole campaign hold no personal data. A realistic run through the real app (PostgreSQL, Redis,
 * BullMQ workers, fake providers) on every kind of channel: registration by SMS (Twilio and the SMS gateway), on
 * Telegram and linking from the web chat by a code texted to the phone; a volunteer who joins a team (`TNV`) and
 * registers a neighbour (`DKH`) with her consent; papers issued by an agency, listed (`GT`), shared (`CS`) and
 * opened; a registry mismatch; a hand-off to a person (`GAP`, `NHAN`, `XONG`); bad input; a provider answering
 * 500. The logger runs at `trace`, the most verbose level the service has. Then every log line is searched for
 * every citizen's CCCD number, name (with and without diacritics), date of birth, phone (+84…, 84…, 0… and the
 * bare national number), the codes texted to prove a phone, the share token, the team's invite code and the
 * free text of their messages: none may be there.
 */

/** The people of the campaign, from data/population-sample.csv (the registry the harness runs with). */
const HAI = { phone: '+84905600001', name: 'Nguyễn Ngọc Hải', cccd: '048080669466', born: '12/02/1980' };
const BINH = { phone: '+84905600002', name: 'Trần Thị Bình', cccd: '048185000321', born: '04/07/1985' };
const GIANG = { phone: '+84905600003', name: 'Hoàng Bảo Giang', cccd: '048199574878', born: '26/01/1999' };
const THAO = { phone: '+84905600004', name: 'Lê Phương Thảo', cccd: '048164979884', born: '13/07/1964' };
const TRI = { phone: '+84905600005', name: 'Huỳnh Xuân Trí', cccd: '048063362657', born: '20/03/1963' };
const PEOPLE = [HAI, BINH, GIANG, THAO, TRI];
const TG_CHAT = 555_600_003;
/** What the people write in their own words (hand-off, relayed answers, bad input). */
const FREE_TEXTS = [
  'tôi quên mật khẩu ngân hàng',
  'toi quen mat khau ngan hang',
  'Chào chị Bình, em gọi lại ngay',
  'Cam on em nhieu lam',
  'số nhà 42 kiệt 15 Lê Duẩn',
];

const unaccented = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D');

/** Every way a phone number may be written: +84…, 84…, 0… and the bare national number. */
const phoneForms = (e164: string) => [e164, e164.slice(1), `0${e164.slice(3)}`, e164.slice(3)];

describe('a whole campaign, logged at trace', () => {
  let h: AppHarness;
  let n = 0;
  /** What the run revealed and must not be logged: codes texted, the share token, the invite code. */
  const found: string[] = [];

  const gatewayTo = (phone: string) => (h.fakes.gateway?.messages ?? []).filter((m) => m.to === phone);
  const telegram = (): FakeTelegram => {
    if (!h.fakes.telegram) throw new Error('telegram is off');
    return h.fakes.telegram;
  };

  /** `phone` texts the SMS gateway's short code; resolves the SMS it received once the service is idle. */
  async function gateway(phone: string, body: string): Promise<string[]> {
    n += 1;
    const before = gatewayTo(phone).length;
    const signed = smsGatewayInbound(SMS_GATEWAY_SECRET, { id: `scan-${n}`, from: phone, text: body });
    expect((await h.postJson('/webhooks/sms-gateway', signed.body, signed.headers)).status).toBe(200);
    await h.waitForIdle();
    return gatewayTo(phone)
      .slice(before)
      .map((m) => m.text);
  }

  /** Every SMS `phone` received, on either SMS channel. */
  const smsTo = (phone: string) => [...h.inbox(phone), ...gatewayTo(phone).map((m) => m.text)];

  /** `phone` texts `body` by Twilio; resolves the first SMS after it that matches `pattern`. */
  async function smsUntil(phone: string, body: string, pattern: RegExp): Promise<string> {
    const before = h.inbox(phone).length;
    expect((await h.sms(phone, body)).status).toBe(200);
    return eventually(() =>
      h
        .inbox(phone)
        .slice(before)
        .find((m) => pattern.test(m)),
    );
  }

  /** A Telegram update from the citizen's chat; resolves once the service is idle. */
  async function onTelegram(update: object): Promise<void> {
    const response = await h.postJson('/webhooks/telegram', JSON.stringify(update), {
      'x-telegram-bot-api-secret-token': TELEGRAM_WEBHOOK_SECRET,
    });
    expect(response.status).toBe(200);
    await h.waitForIdle();
  }
  const tg = (text: string) => onTelegram(telegramTextUpdate(++n, TG_CHAT, text));

  beforeAll(async () => {
    h = await AppHarness.start({ channels: ['sms-gateway', 'telegram'], logLevel: 'trace' });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('registers by SMS with bad input on the way, survives a provider 500, and shares a paper', async () => {
    expect(await h.say(HAI.phone, 'HD')).toHaveLength(1);
    await h.say(HAI.phone, 'DK');
    await h.say(HAI.phone, unaccented(HAI.name));
    // Bad input: a CCCD one digit short, a date that does not exist, a name with digits.
    await h.say(HAI.phone, HAI.cccd.slice(1));
    await h.say(HAI.phone, HAI.cccd);
    await h.say(HAI.phone, '31/02/1980');
    // The provider fails the next send with a 500; the reply is sent again.
    h.twilio.failNext(500);
    const [summary] = await h.say(HAI.phone, HAI.born);
    expect(summary).toContain(HAI.cccd);
    const [opened, verified] = await h.say(HAI.phone, 'CO', 2);
    expect(opened).toMatch(/^Da mo tai khoan tam thoi/);
    expect(verified).toMatch(/da duoc xac minh/);

    // An agency issues a paper to him; he lists it, shares it, and someone opens the link.
    const created = await h.admin('POST', '/api/v1/admin/agencies', {
      code: 'UBND-HAICHAU',
      name: 'UBND phường Hải Châu',
    });
    expect(created.statusCode).toBe(201);
    const { apiKey } = created.json<{ apiKey: string }>();
    found.push(apiKey);
    const agency = { authorization: `Bearer ${apiKey}` };
    const pdf = await readFile(new URL('../fixtures/documents/paper.pdf', import.meta.url));
    const body = multipart([
      { name: 'citizen', value: HAI.cccd },
      { name: 'typeCode', value: 'KHAISINH' },
      { name: 'title', value: 'Giấy khai sinh' },
      { name: 'number', value: 'KS-2026-000042' },
      { name: 'issuedAt', value: '2026-11-27' },
      { name: 'file', filename: 'khai-sinh.pdf', type: 'application/pdf', bytes: pdf },
    ]);
    const issued = await h.app.inject({
      method: 'POST',
      url: '/api/v1/agency/documents',
      headers: { ...agency, 'content-type': body.contentType },
      payload: body.payload,
    });
    expect(issued.statusCode).toBe(201);
    const dossier = await h.app.inject({
      method: 'PUT',
      url: '/api/v1/agency/dossiers/HC-2611-0042',
      headers: agency,
      payload: { citizen: HAI.phone, procedure: 'Đăng ký khai sinh', status: 'received' },
    });
    expect(dossier.statusCode).toBe(201);
    await eventually(() => h.inbox(HAI.phone).some((m) => m.includes('HC-2611-0042')));
    await h.waitForIdle();
    expect(await smsUntil(HAI.phone, 'GT', /1\. Giay khai sinh/)).toBeDefined();
    const shared = await smsUntil(HAI.phone, 'CS 1 1', /\/s\//);
    const token = /\/s\/([A-Za-z0-9_-]{22})/.exec(shared ?? '')?.[1];
    expect(token, shared).toBeDefined();
    found.push(token ?? 'no token');
    expect((await fetch(`${h.baseUrl}/s/${token}`)).status).toBe(200);
    expect((await fetch(`${h.baseUrl}/s/${token}/file`)).status).toBe(200);
    await smsUntil(HAI.phone, 'LS', /Giay khai sinh/);
    await smsUntil(HAI.phone, 'TT', /HC-2611-0042/);
  });

  it('reports a registry mismatch by the SMS gateway, and opens a hand-off', async () => {
    await gateway(BINH.phone, `DK ${BINH.name}, ${BINH.cccd}, ${BINH.born}`);
    const replies = await gateway(BINH.phone, 'co');
    await eventually(() => gatewayTo(BINH.phone).some((m) => m.text.includes('chua khop CSDL dan cu')));
    expect(replies.length).toBeGreaterThanOrEqual(1);
    expect(await gateway(BINH.phone, `GAP ${FREE_TEXTS[0]}`)).toHaveLength(1);
  });

  it('registers on Telegram with the contact button', async () => {
    await tg('/start');
    await onTelegram(telegramCallbackUpdate(++n, TG_CHAT, 'DK'));
    await onTelegram(telegramContactUpdate(++n, TG_CHAT, GIANG.phone.slice(1), TG_CHAT));
    await tg(GIANG.name);
    await tg(GIANG.cccd);
    await tg(GIANG.born);
    await onTelegram(telegramCallbackUpdate(++n, TG_CHAT, 'CO'));
    await eventually(() => telegram().sent.some((m) => m.text.includes('đã được xác minh')));
    await tg('TT');
  });

  it('links the web chat to an account by a code texted to the phone', async () => {
    const page = await h.app.inject({ method: 'GET', url: '/' });
    const cookie = String(page.headers['set-cookie']).split(';')[0] ?? '';
    found.push(cookie.split('=')[1] ?? 'no session');
    const post = async (payload: object) => {
      const response = await h.app.inject({
        method: 'POST',
        url: '/chat/messages',
        headers: { 'content-type': 'application/json', cookie },
        payload: JSON.stringify(payload),
      });
      expect(response.statusCode).toBe(202);
      await h.waitForIdle();
    };
    await post({ start: true });
    await post({ text: 'LK' });
    const before = smsTo(HAI.phone).length;
    await post({ text: `0${HAI.phone.slice(3)}` });
    const sms = await eventually(() =>
      smsTo(HAI.phone)
        .slice(before)
        .find((m) => /\b\d{6}\b/.test(m)),
    );
    const code = /\b(\d{6})\b/.exec(sms)?.[1];
    expect(code, sms).toBeDefined();
    found.push(code ?? 'no code');
    await post({ text: '000000' === code ? '111111' : '000000' });
    await post({ text: code ?? '' });
    await post({ text: 'GT' });
    await post({ text: FREE_TEXTS[4] ?? '' });
  });

  it('has a volunteer join a team, register a neighbour with her consent, and answer the hand-off', async () => {
    const created = await h.admin('POST', '/api/v1/admin/teams', {
      name: 'Tổ CNS Hải Châu 1',
      wardCode: '20242',
    });
    expect(created.statusCode).toBe(201);
    const { inviteCode } = created.json<{ inviteCode: string }>();
    found.push(inviteCode);
    // A wrong code first, then the right one.
    await gateway(THAO.phone, 'TNV ABCD2345');
    expect(await gateway(THAO.phone, `TNV ${inviteCode.toLowerCase()}`)).toHaveLength(1);
    await gateway(
      THAO.phone,
      `DKH 0${TRI.phone.slice(3)}, ${unaccented(TRI.name)}, ${TRI.cccd}, ${TRI.born}`,
    );
    await gateway(THAO.phone, 'CO');
    const consent = gatewayTo(TRI.phone).map((m) => m.text);
    const consentCode = /\b(\d{6})\b/.exec(consent.join('\n'))?.[1];
    if (consentCode) found.push(consentCode);
    const [welcome] = await gateway(TRI.phone, 'co');
    expect(welcome).toMatch(/^Da mo tai khoan tam thoi/);

    // Thảo takes Bình's hand-off, answers her, and hands her back.
    await gateway(THAO.phone, 'NHAN 1');
    await gateway(THAO.phone, FREE_TEXTS[2] ?? '');
    await eventually(() => gatewayTo(BINH.phone).some((m) => m.text.includes('em goi lai ngay')));
    await gateway(BINH.phone, FREE_TEXTS[3] ?? '');
    await gateway(THAO.phone, 'XONG');
  });

  it('logs none of it: no ID number, name, date of birth, phone, code, token or message text', async () => {
    await h.waitForIdle();
    const logs = h.logLines.join('');
    // The run was logged: turns, sends, a retried send, the share page.
    expect(logs).toContain('turn handled');
    expect(logs).toContain('message sent');
    expect(h.logLines.length).toBeGreaterThan(50);

    const secrets = [
      ...PEOPLE.flatMap((person) => [
        person.cccd,
        person.name,
        unaccented(person.name),
        person.name.toUpperCase(),
        person.born,
        person.born.split('/').reverse().join('-'),
        ...phoneForms(person.phone),
      ]),
      ...FREE_TEXTS,
      String(TG_CHAT),
      ADMIN_TOKEN,
      ...found,
    ];
    // Codes, share token, invite code, API key and web session: all were seen in the run.
    expect(found.length).toBeGreaterThanOrEqual(6);
    const leaksIn = (lines: readonly string[]) =>
      secrets.flatMap((secret) =>
        lines.filter((line) => line.includes(secret)).map((line) => `${secret}: ${line.trim()}`),
      );
    // The scan finds what it looks for: a line with a raw phone would be reported.
    expect(leaksIn([JSON.stringify({ to: `0${HAI.phone.slice(3)}` })])).toHaveLength(2);
    expect(leaksIn(h.logLines)).toEqual([]);
  });
});
