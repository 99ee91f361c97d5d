import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ThreadType } from 'zca-js';
import { AppHarness } from '../support/app-harness.ts';
import { eventually, inboundCount, sleep } from '../support/services.ts';

// The Zalo personal channel on real parts: the fake account emits real zca-js messages to the listener, replies
// go out through the outbound worker, and phone codes go by Twilio SMS.

const CODE = /[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}/;
const ASK_PHONE =
  'Nhập số điện thoại di động của bạn, ví dụ 0905123456. Chúng tôi sẽ gửi mã xác nhận 6 số qua SMS.';
/** Another 6-digit code than `code`. */
const otherCode = (code: string, k = 1) => String((Number(code) + k) % 1_000_000).padStart(6, '0');

describe('Zalo personal account: registration, phone codes, groups, reconnection (real app)', () => {
  let app: AppHarness;
  const zalo = () => {
    const fake = app.fakes.zaloPersonal;
    if (!fake) throw new Error('zalo-personal is off');
    return fake;
  };
  const sentTo = (uid: string) => zalo().sent.filter((m) => m.threadId === uid);
  /** Sends `text` from `uid`; resolves the texts that reached them, joined, once they match `until`. */
  async function chat(uid: string, text: string, until?: RegExp): Promise<string> {
    const before = sentTo(uid).length;
    zalo().receiveText(uid, text);
    const fresh = () =>
      sentTo(uid)
        .map((m) => m.msg)
        .slice(before)
        .join('\n\n');
    await eventually(() => sentTo(uid).length > before && (until?.test(fresh()) ?? true));
    return fresh();
  }
  /** Asks for a code to `phone` (typed as `typed`) and resolves the code texted to it. */
  async function codeBySms(uid: string, typed: string, phone: string): Promise<string> {
    const before = app.inbox(phone).length;
    expect(await chat(uid, typed)).toMatch(/^Đã gửi mã 6 số qua SMS tới 0905\*\*\*\d{3}\. Nhập mã vào đây/);
    const sms = (await app.waitForInbox(phone, before + 1))[before] ?? '';
    const code = /\b(\d{6})\b/.exec(sms)?.[1] ?? '';
    expect(sms).toBe(`Ma xac nhan Cong dan so: ${code}. Hieu luc 5 phut. Khong dua ma nay cho bat ky ai.`);
    return code;
  }

  beforeAll(async () => {
    app = await AppHarness.start({
      channels: ['zalo-personal'],
      // The account's deliberately slow default send rate (1 per 3 s per person) would only slow the test.
      env: { OUTBOUND_RATE_LIMITS: 'zalo-personal=50/1s,zalo-personal:recipient=50/1s' },
    });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('registers from a direct chat: phone proven by an SMS code, questions, consent, result on Zalo, TT', async () => {
    const uid = '8100000000000000101';
    const phone = '+84905333444';
    expect(await chat(uid, 'DK', /SMS/)).toBe(
      `Để đăng ký, trước hết cần xác nhận số điện thoại của bạn.\n\n${ASK_PHONE}`,
    );
    const code = await codeBySms(uid, '0905 333 444', phone);
    expect(await chat(uid, otherCode(code))).toBe('Mã chưa đúng. Bạn còn 4 lần thử.');
    expect(await chat(uid, code, /bước 1\/3/)).toBe(
      'Đã xác nhận số điện thoại.\n\nĐăng ký tài khoản công dân số (bước 1/3). Gửi họ và tên đầy đủ, ví dụ: Nguyễn Văn An. Gửi HUY để hủy.',
    );
    expect(await chat(uid, 'Nguyễn Văn An')).toBe('Bước 2/3: gửi số CCCD (12 chữ số) của bạn.');
    expect(await chat(uid, '048090001234')).toBe('Bước 3/3: gửi ngày sinh, ví dụ 15/02/1990.');
    expect(await chat(uid, '15/02/1990')).toBe(
      'Nguyễn Văn An, CCCD 048090001234, NS 15/02/1990. Đồng ý xử lý dữ liệu cá nhân để mở tài khoản? Trả lời CO để đồng ý, KHONG để hủy.',
    );

    const opened = await chat(uid, 'CO', /đã được xác minh/);
    const account = CODE.exec(opened)?.[0];
    expect(opened).toBe(
      `Đã mở tài khoản tạm thời ${account}. Chúng tôi đang đối chiếu CSDL dân cư và sẽ nhắn kết quả. Gửi TT để xem trạng thái.\n\n` +
        `Tài khoản công dân số ${account} đã được xác minh với CSDL dân cư. Bạn có thể dùng dịch vụ công trực tuyến. Gửi TT để xem.`,
    );
    expect(await chat(uid, 'TT')).toBe(`Tài khoản ${account}: đã xác minh.`);
    expect(app.inbox(phone)).toHaveLength(1); // only the code went by SMS
    expect(sentTo(uid).every((m) => m.type === ThreadType.User)).toBe(true);
    expect(await app.services.citizens.findByPhone(phone)).toMatchObject({ createdVia: 'zalo-personal' });
  });

  it('texts at most 3 codes to a phone in an hour, then says when to try again', async () => {
    const uid = '8100000000000000102';
    const phone = '+84905333555';
    await chat(uid, 'LK', /SMS/);
    for (let i = 0; i < 3; i += 1) await codeBySms(uid, '0905333555', phone);

    const limited = await chat(uid, '0905333555');
    await sleep(600);

    expect(limited).toMatch(/^Số này đã nhận 3 mã trong 1 giờ qua\. Vui lòng thử lại sau \d{2}:\d{2}\./);
    expect(app.inbox(phone)).toHaveLength(3);
  });

  it('locks a code after 5 wrong answers; LK starts again with a new code', async () => {
    const uid = '8100000000000000103';
    const phone = '+84905333666';
    await chat(uid, 'LK', /SMS/);
    const code = await codeBySms(uid, '0905333666', phone);

    const answers: string[] = [];
    for (let k = 1; k <= 5; k += 1) answers.push(await chat(uid, otherCode(code, k)));
    const rightButLocked = await chat(uid, code);

    expect(answers).toEqual([
      'Mã chưa đúng. Bạn còn 4 lần thử.',
      'Mã chưa đúng. Bạn còn 3 lần thử.',
      'Mã chưa đúng. Bạn còn 2 lần thử.',
      'Mã chưa đúng. Bạn còn 1 lần thử.',
      'Nhập sai mã quá 5 lần. Gửi LK để thử lại sau ít phút.',
    ]);
    expect(rightButLocked).toMatch(/^Chưa hiểu tin nhắn/);
    await chat(uid, 'LK', /SMS/);
    const fresh = await codeBySms(uid, '0905333666', phone);
    expect(await chat(uid, fresh)).toBe(
      'Số điện thoại này chưa có tài khoản công dân số. Gửi DK để đăng ký.',
    );
  });

  it('ignores group messages without a mention and answers a mention privately to the sender', async () => {
    const group = '9000000000000000001';
    const uid = '8100000000000000104';
    const before = await inboundCount(app.services, 'zalo-personal');

    zalo().receiveGroupText(group, uid, 'TT');
    zalo().receiveGroupText(group, uid, 'TT', { mentionOwn: true });
    await eventually(() => sentTo(uid).length > 0);
    await sleep(600);

    expect(sentTo(uid).map((m) => [m.msg.slice(0, 40), m.type])).toEqual([
      ['Cuộc trò chuyện này chưa liên kết với tà', ThreadType.User],
    ]);
    expect(sentTo(group)).toEqual([]);
    expect(await inboundCount(app.services, 'zalo-personal')).toBe(before + 1);
  });

  it('ignores the echo of its own messages', async () => {
    const uid = '8100000000000000105';
    const before = await inboundCount(app.services, 'zalo-personal');

    zalo().receiveSelf(uid, 'HD');
    await sleep(600);

    expect(sentTo(uid)).toEqual([]);
    expect(await inboundCount(app.services, 'zalo-personal')).toBe(before);
  });

  it('reconnects after the socket closes with 1006 and answers the next message', async () => {
    const starts = zalo().listener.starts.length;

    zalo().close(1006);
    await eventually(() => zalo().listener.starts.length > starts && zalo().listener.running);

    expect(await chat('8100000000000000106', 'HD')).toMatch(/^Công dân số Đà Nẵng\./);
    expect(
      app.logLines.some((l) => l.includes('zalo-personal.reconnect_scheduled') && l.includes('"code":1006')),
    ).toBe(true);
  });

  it('records a send refused with Zalo code 114 as failed, without retrying it', async () => {
    const uid = '8100000000000000107';
    const attempts = zalo().sendAttempts;
    zalo().failNextSend(114);

    zalo().receiveText(uid, 'HD');
    const addressHash = app.services.cipher.keyedHash('address', `zalo-personal:${uid}`);
    const rows = await eventually(async () => {
      const { rows } = await app.services.db.query<{ status: string; error_code: string }>(
        'SELECT status, error_code FROM outbound_messages WHERE address_hash = $1',
        [addressHash],
      );
      return rows[0]?.status === 'failed' && rows;
    });
    await sleep(1000);

    expect(rows).toEqual([{ status: 'failed', error_code: 'zalo:114' }]);
    expect(zalo().sendAttempts).toBe(attempts + 1);
    expect(sentTo(uid)).toEqual([]);
  });
});
