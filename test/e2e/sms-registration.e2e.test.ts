import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, AppHarness } from '../support/app-harness.ts';
import { eventually } from '../support/services.ts';

const CODE = /[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}/;

describe('SMS registration end to end (signed Twilio webhooks, real Redis, PostgreSQL and workers)', () => {
  let h: AppHarness;

  beforeAll(async () => {
    h = await AppHarness.start();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('registers conversationally, verifies against the registry and answers TT', async () => {
    const phone = '+84905000001';

    expect((await h.say(phone, 'DK'))[0]).toMatch(/^Dang ky tai khoan cong dan so \(buoc 1\/3\)/);
    expect(await h.say(phone, 'Nguyễn Văn An')).toEqual(['Buoc 2/3: gui so CCCD (12 chu so) cua ban.']);
    expect(await h.say(phone, '048090001234')).toEqual(['Buoc 3/3: gui ngay sinh, vi du 15/02/1990.']);
    expect((await h.say(phone, '15/02/1990'))[0]).toMatch(
      /^Nguyen Van An, CCCD 048090001234, NS 15\/02\/1990\. /,
    );
    const [opened, verified] = await h.say(phone, 'CO', 2);

    expect(opened).toMatch(new RegExp(`^Da mo tai khoan tam thoi ${CODE.source}\\.`));
    const code = opened?.match(CODE)?.[0];
    expect(verified).toBe(
      `Tai khoan cong dan so ${code} da duoc xac minh voi CSDL dan cu. Ban co the dung dich vu cong truc tuyen. Gui TT de xem.`,
    );
    expect(await h.say(phone, 'TT')).toEqual([`Tai khoan ${code}: da xac minh.`]);

    const admin = await fetch(`${h.baseUrl}/api/v1/admin/citizens?phone=${encodeURIComponent(phone)}`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(admin.status).toBe(200);
    expect(await admin.json()).toMatchObject({
      accountCode: code,
      status: 'verified',
      phone,
      createdVia: 'twilio-sms',
    });
    for (const message of h.twilio.messages) {
      expect(message.from).toBe('+15005550006');
      expect(message.numSegments).toBe(1);
    }
  });

  it('registers in one message and reports a registry mismatch with what to do', async () => {
    const phone = '+84905000002';

    const [summary] = await h.say(phone, 'DK Tran Thi Binh, 048185000321, 04/07/1985');
    const [opened, result] = await h.say(phone, 'co', 2);

    expect(summary).toMatch(/^Tran Thi Binh, CCCD 048185000321, NS 04\/07\/1985\./);
    expect(opened).toMatch(/^Da mo tai khoan tam thoi/);
    expect(result).toMatch(/ngay sinh chua khop CSDL dan cu\. .*to cong nghe so cong dong hoac UBND phuong/);
    expect((await h.say(phone, 'TT'))[0]).toMatch(/ngay sinh chua khop CSDL dan cu/);
  });

  it('answers STOP with silence, sends nothing while opted out, and START opts back in', async () => {
    const phone = '+84905000003';

    const stop = await h.sms(phone, 'STOP');
    expect(stop.status).toBe(200);
    await h.sms(phone, 'TT');
    await eventually(async () => (await h.services.inbox.stalledConversations(-1)).length === 0);
    expect(h.inbox(phone)).toEqual([]);

    const [optedIn] = await h.say(phone, 'START');

    expect(optedIn).toBe('Ban se nhan lai tin nhan tu Cong dan so. Gui HD de xem huong dan.');
  });

  it('records delivery reports and never moves a message backwards', async () => {
    const phone = '+84905000004';
    await h.say(phone, 'HD');
    const sent = h.twilio.messages.find((m) => m.to === phone);
    if (!sent) throw new Error('no message');
    const statusOf = async (sid: string) =>
      (
        await h.services.db.query<{ status: string }>(
          'SELECT status FROM outbound_messages WHERE provider_message_id = $1',
          [sid],
        )
      ).rows;
    // Twilio has the message before the worker records its sid; reports are for recorded sends.
    await eventually(async () => (await statusOf(sent.sid)).length === 1);

    expect(await h.twilio.sendStatus(sent.sid, 'delivered')).toBe(200);
    expect(await h.twilio.sendStatus(sent.sid, 'sent')).toBe(200);

    expect(await statusOf(sent.sid)).toEqual([{ status: 'delivered' }]);
  });
});
