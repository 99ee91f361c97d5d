import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { telegramContactUpdate, telegramTextUpdate } from '../fakes/fake-telegram-server.ts';
import {
  signZaloEvent,
  zaloFollowEvent,
  zaloSubmitInfoEvent,
  zaloTextEvent,
} from '../fakes/fake-zalo-oa-server.ts';
import { AppHarness, TELEGRAM_WEBHOOK_SECRET, ZALO_OA } from '../support/app-harness.ts';
import { eventually } from '../support/services.ts';

// One citizen, many channels: registered by SMS, then the same account on Telegram (shared contact), Zalo OA
// (the OA's information form) and a Zalo personal account (a code by SMS), each linked through a proven phone.

const PHONE = '+84905111222';
const CODE = /[A-Z0-9]{4}-[A-Z0-9]{4}/;
const TG_CHAT = 777001;
const ZALO_USER = '246845883529197922';
const ZALO_FRIEND = '8100000000000000042';

describe('one citizen across SMS, Telegram, Zalo OA and Zalo personal', () => {
  let app: AppHarness;
  let updateId = 1000;
  let zaloMsg = 0;
  const nextUpdate = () => {
    updateId += 1;
    return updateId;
  };
  const nextZaloMsg = () => {
    zaloMsg += 1;
    return `zm${zaloMsg}`;
  };

  beforeAll(async () => {
    app = await AppHarness.start({ channels: ['telegram', 'zalo-oa', 'zalo-personal'] });
  });
  afterAll(async () => {
    await app.stop();
  });

  const telegram = () => {
    const fake = app.fakes.telegram;
    if (!fake) throw new Error('telegram is off');
    return fake;
  };
  const telegramTexts = () =>
    telegram()
      .sent.filter((m) => m.chatId === String(TG_CHAT))
      .map((m) => m.text);
  /** Posts an update to the webhook and resolves the texts of the `replies` next messages to the chat. */
  async function onTelegram(update: object, replies = 1): Promise<string[]> {
    const before = telegramTexts().length;
    const response = await app.postJson('/webhooks/telegram', JSON.stringify(update), {
      'x-telegram-bot-api-secret-token': TELEGRAM_WEBHOOK_SECRET,
    });
    expect(response.status).toBe(200);
    await eventually(() => expect(telegramTexts().length).toBeGreaterThanOrEqual(before + replies));
    return telegramTexts().slice(before);
  }

  const zaloTexts = () =>
    (app.fakes.zaloOa?.sent ?? [])
      .filter((m) => m.userId === ZALO_USER)
      .map((m) => {
        const message = m.message as {
          text?: string;
          attachment?: { payload?: { elements?: { subtitle?: string }[] } };
        };
        return message.text ?? message.attachment?.payload?.elements?.[0]?.subtitle ?? '';
      });
  async function onZalo(event: Record<string, unknown>, replies = 1): Promise<string[]> {
    const before = zaloTexts().length;
    const body = JSON.stringify(event);
    const response = await app.postJson('/webhooks/zalo', body, {
      'x-zevent-signature': signZaloEvent(body, ZALO_OA),
    });
    expect(response.status).toBe(200);
    await eventually(() => expect(zaloTexts().length).toBeGreaterThanOrEqual(before + replies));
    return zaloTexts().slice(before);
  }
  const zaloBase = () => ({ appId: ZALO_OA.appId, oaId: ZALO_OA.oaId, userId: ZALO_USER });

  const personal = () => {
    const fake = app.fakes.zaloPersonal;
    if (!fake) throw new Error('zalo personal is off');
    return fake;
  };
  async function onZaloPersonal(text: string, replies = 1): Promise<string[]> {
    const before = personal().sent.filter((m) => m.threadId === ZALO_FRIEND).length;
    personal().receiveText(ZALO_FRIEND, text);
    await eventually(() =>
      expect(personal().sent.filter((m) => m.threadId === ZALO_FRIEND).length).toBeGreaterThanOrEqual(
        before + replies,
      ),
    );
    return personal()
      .sent.filter((m) => m.threadId === ZALO_FRIEND)
      .slice(before)
      .map((m) => m.msg);
  }

  it('registers by SMS, then shows the same account on every messenger once the phone is proven', async () => {
    const [confirm] = await app.say(PHONE, 'DK Nguyen Van An, 048090001234, 15/02/1990');
    expect(confirm).toContain('CO');
    const [opened] = await app.say(PHONE, 'CO');
    const accountCode = CODE.exec(opened ?? '')?.[0];
    expect(accountCode).toBeDefined();
    await app.waitForInbox(PHONE, 3); // the registry's answer

    // Telegram: not linked yet; the shared contact (the sender's own) links it at once.
    const [unlinked] = await onTelegram(telegramTextUpdate(nextUpdate(), TG_CHAT, 'TT'));
    expect(unlinked).toContain('LK');
    const [linked] = await onTelegram(telegramContactUpdate(nextUpdate(), TG_CHAT, '84905111222', TG_CHAT));
    expect(linked).toContain('Đã liên kết');
    expect(linked).toContain(accountCode);
    const [status] = await onTelegram(telegramTextUpdate(nextUpdate(), TG_CHAT, 'TT'));
    expect(status).toContain(accountCode);

    // Zalo OA: follow gets the welcome; LK asks for the phone with the OA's form; the form's number is only a
    // claim: a code goes to it by SMS, and typing it back links.
    const [welcome] = await onZalo(zaloFollowEvent(zaloBase()));
    expect(welcome).toContain('Chào mừng');
    const asked = await onZalo(zaloTextEvent({ ...zaloBase(), msgId: nextZaloMsg(), text: 'LK' }));
    expect(asked.join('\n')).toContain('0905123456');
    const zaloSmsBefore = app.inbox(PHONE).length;
    const [zaloCodeSent] = await onZalo(zaloSubmitInfoEvent({ ...zaloBase(), phone: '84905111222' }));
    expect(zaloCodeSent).toContain('0905***222');
    const [zaloCodeSms] = (await app.waitForInbox(PHONE, zaloSmsBefore + 1)).slice(zaloSmsBefore);
    const zaloCode = /\b(\d{6})\b/.exec(zaloCodeSms ?? '')?.[1] ?? 'no code';
    const [zaloLinked] = await onZalo(zaloTextEvent({ ...zaloBase(), msgId: nextZaloMsg(), text: zaloCode }));
    expect(zaloLinked).toContain(accountCode);
    const [zaloStatus] = await onZalo(zaloTextEvent({ ...zaloBase(), msgId: nextZaloMsg(), text: 'tt' }));
    expect(zaloStatus).toContain(accountCode);

    // Zalo personal: no button to share a phone, so a 6-digit code goes by SMS and is typed back.
    const [askPhone] = await onZaloPersonal('LK');
    expect(askPhone).toContain('SMS');
    const smsBefore = app.inbox(PHONE).length;
    const [codeSent] = await onZaloPersonal('0905 111 222');
    expect(codeSent).toContain('0905***222');
    const [codeSms] = (await app.waitForInbox(PHONE, smsBefore + 1)).slice(smsBefore);
    const code = /\b(\d{6})\b/.exec(codeSms ?? '')?.[1];
    expect(code).toMatch(/^\d{6}$/);
    const [wrong] = await onZaloPersonal(code === '000000' ? '111111' : '000000');
    expect(wrong).toContain('4');
    const [personalLinked] = await onZaloPersonal(code ?? '');
    expect(personalLinked).toContain(accountCode);
    const [personalStatus] = await onZaloPersonal('TT');
    expect(personalStatus).toContain(accountCode);

    // Still one account for that phone.
    const counts = await app.services.citizens.countByStatus();
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(1);
  });
});
