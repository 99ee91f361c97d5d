import { describe, expect, it } from 'vitest';
import type { ChannelId } from '../../src/messaging/channel.ts';
import { renderSmsText } from '../../src/messaging/sms-render.ts';
import { countSmsSegments } from '../../src/shared/sms-segments.ts';
import { InMemoryCitizenRepository } from '../../test/fakes/in-memory-citizen-repository.ts';
import { InMemoryContactRepository } from '../../test/fakes/in-memory-contact-repository.ts';
import { InMemoryTeamRepository } from '../../test/fakes/in-memory-team-repository.ts';
import { HandoffWorld, Transcript } from '../../test/support/transcript.ts';
import { menuCopy } from '../menu/menu.copy.ts';
import { registrationCopy } from '../registration/registration.copy.ts';
import { volunteerCopy } from '../volunteer/volunteer.copy.ts';
import { handoffCopy } from './handoff.copy.ts';

const vi = handoffCopy.vi;
/** A sentence as an SMS phone shows it (diacritics removed). */
const sms = (text: string) => renderSmsText({ text }, 'gsm7');

const HAI_CHAU = '20242';
const SON_TRA = '20263';
/** 10:00 in Đà Nẵng. */
const MORNING = new Date('2026-11-27T03:00:00Z');

/**
 * A citizen and volunteers in one world: the same accounts, contacts, teams and hand-offs, each person in their
 * own chat. Volunteers are on SMS; the team of Hải Châu has two members, the team of Sơn Trà one.
 */
async function world(options: { today?: Date } = {}) {
  const citizens = new InMemoryCitizenRepository();
  const contacts = new InMemoryContactRepository();
  const teams = new InMemoryTeamRepository();
  const handoffs = new HandoffWorld();
  const today = options.today ?? MORNING;
  const person = (channel: ChannelId, address: string) =>
    new Transcript({ channel, phone: address, citizens, contacts, teams, handoffs, today });
  const team = async (name: string, wardCode: string, inviteCode: string) => {
    const created = await teams.create({ name, wardCode, inviteCode });
    if (created.type !== 'created') throw new Error('team not created');
    return created.team;
  };
  const haiChau = await team('Tổ CNS Hải Châu', HAI_CHAU, 'HCHAU234');
  const sonTra = await team('Tổ CNS Sơn Trà', SON_TRA, 'STRA2345');
  const volunteer = async (teamId: string, phone: string) => {
    await teams.join(teamId, { phone, channel: 'twilio-sms', address: phone }, today);
    return person('twilio-sms', phone);
  };
  return {
    citizens,
    handoffs,
    person,
    haiChau,
    sonTra,
    lan: await volunteer(haiChau.id, '+84905000111'),
    minh: await volunteer(haiChau.id, '+84905000222'),
    tuan: await volunteer(sonTra.id, '+84905000333'),
    /** A citizen without an account, on Zalo OA. */
    zalo: person('zalo-oa', 'zalo-user-1'),
    /** A citizen on SMS. */
    phone: person('twilio-sms', '+84912345678'),
  };
}

/** Gives the SMS citizen an account whose address is in `ward`. */
async function registerIn(chat: Transcript, address: string) {
  await chat.send('DK Nguyen Van An, 048090001234, 15/02/1990');
  await chat.send('CO');
  const entry = chat.citizens.entries.find((e) => e.citizen.phone === chat.phone);
  if (!entry) throw new Error('no account opened');
  await chat.citizens.updateProfile(
    entry.citizen.id,
    { address },
    { actor: 'citizen', channel: chat.channel },
  );
}

describe('GAP: a citizen asks for a person', () => {
  it.each(['GAP', 'gap', 'gặp người', 'hỗ trợ', 'ho tro', 'talk to a person', 'human'])(
    '%j opens a hand-off and holds the conversation',
    async (word) => {
      const w = await world();

      expect(await w.zalo.send(word)).toEqual([vi.opened(1)]);
      // Held: the bot no longer answers, whatever they write; the first message gets one "kept".
      expect(await w.zalo.send('HD')).toEqual([vi.kept(1)]);
      expect(await w.zalo.send('TT')).toEqual([]);
      expect(await w.zalo.send('1')).toEqual([]);
      const thread = await w.handoffs.repository.thread(1);
      expect(thread.filter((m) => m.author === 'citizen').map((m) => m.text)).toEqual(['HD', 'TT', '1']);
    },
  );

  it('tells every team when the ward is not known, with the channel and the last thing written', async () => {
    const w = await world();

    await w.zalo.send('GAP tôi không đăng ký được tài khoản');

    const notice = vi.newRequest(1, 'Zalo', 'tôi không đăng ký được tài khoản');
    expect(w.lan.handoffMessages()).toEqual([sms(notice)]);
    expect(w.minh.handoffMessages()).toEqual([sms(notice)]);
    expect(w.tuan.handoffMessages()).toEqual([sms(notice)]);
    expect(notice).toBe(
      '[#1] Công dân cần người hỗ trợ (Zalo): "tôi không đăng ký được tài khoản". Gửi NHAN 1 để nhận.',
    );
  });

  it('tells only the teams of the ward of the address, with the phone masked', async () => {
    const w = await world();
    await registerIn(w.phone, '12 Trần Phú, Phường Hải Châu, Đà Nẵng');

    await w.phone.send('GAP');

    const notice = sms(vi.newRequest(1, 'SMS, 0912***678', vi.nothingWritten()));
    expect(w.lan.handoffMessages()).toEqual([notice]);
    expect(w.minh.handoffMessages()).toEqual([notice]);
    expect(w.tuan.handoffMessages()).toEqual([]);
    expect((await w.handoffs.repository.findById(1))?.wardCode).toBe(HAI_CHAU);
  });

  it('HUY ends it and gives the bot back', async () => {
    const w = await world();
    await w.phone.send('GAP');

    expect(await w.phone.send('Hủy')).toEqual([sms(vi.closedByCitizen(1))]);
    expect((await w.handoffs.repository.findById(1))?.status).toBe('closed');
    expect((await w.phone.send('TT'))[0]).toContain('chua co tai khoan');
  });

  it('GAP in the middle of a registration: it waits without asking its question, and goes on afterwards', async () => {
    const w = await world();
    await w.phone.send('DK');

    expect(await w.phone.send('GAP')).toEqual([sms(vi.opened(1))]);
    await w.phone.send('HUY');
    expect(await w.phone.send('Nguyen Van An')).toEqual([sms(registrationCopy.vi.askCccd())]);
  });

  it('a second GAP while one is open is kept in it', async () => {
    const w = await world();
    await w.zalo.send('GAP');

    await w.zalo.send('GAP');

    expect(await w.handoffs.repository.list({})).toHaveLength(1);
  });

  it('after three wrong answers, the bot offers a person and GAP opens a hand-off', async () => {
    const w = await world();
    await w.phone.send('DK');
    await w.phone.send('An');
    await w.phone.send('Binh');

    const offer = await w.phone.send('Nguyen 2');
    expect(offer.at(-1)).toBe('Can nguoi giup? Gui GAP de gap tinh nguyen vien hoac can bo.');

    expect(await w.phone.send('GAP')).toEqual([sms(vi.opened(1))]);
    expect(w.lan.handoffMessages()).toEqual([sms(vi.newRequest(1, 'SMS, 0912***678', vi.nothingWritten()))]);
    // Recorded as stuck (the offer accepted), with no first message.
    expect(await w.handoffs.repository.findById(1)).toMatchObject({ reason: 'stuck' });
    await expect(w.handoffs.repository.thread(1)).resolves.toEqual([]);
  });

  it('the offer is a GAP button on a messenger; pressing it opens a hand-off recorded as stuck', async () => {
    const w = await world();
    await w.zalo.send('DK');
    await w.zalo.send('An');
    await w.zalo.send('Binh');
    await w.zalo.send('Nguyen 2');
    const offer = w.zalo.delivered.at(-1)?.reply;
    expect(offer?.choices).toEqual([{ label: 'GAP', payload: 'GAP #stuck' }]);

    expect(await w.zalo.send(offer?.choices?.[0]?.payload ?? '')).toEqual([vi.opened(1)]);
    expect(await w.handoffs.repository.findById(1)).toMatchObject({ reason: 'stuck' });
  });

  it('a GAP that does not follow the offer is recorded as asked', async () => {
    const w = await world();
    await w.phone.send('DK');
    await w.phone.send('An');
    await w.phone.send('Binh');
    await w.phone.send('Nguyen 2');
    await w.phone.send('TT');

    await w.phone.send('GAP');

    expect(await w.handoffs.repository.findById(1)).toMatchObject({ reason: 'asked' });
  });
});

describe('NHAN: a team member takes it', () => {
  it.each(['NHAN 1', 'nhận 1', 'take #1', 'NHAN #1'])(
    '%j takes it; the volunteer gets the thread',
    async (take) => {
      const w = await world();
      await w.zalo.send('GAP tôi quên mã tài khoản');
      await w.zalo.send('số điện thoại 0912345678');

      expect(await w.lan.send(take)).toEqual([
        sms(vi.youHold(1)),
        sms('[#1] tôi quên mã tài khoản'),
        sms('[#1] số điện thoại 0912345678'),
      ]);
      expect(w.zalo.handoffMessages()).toEqual([vi.taken(1)]);
      expect((await w.handoffs.repository.findById(1))?.status).toBe('held');
    },
  );

  it('asks for the number when it is missing or not a number', async () => {
    const w = await world();

    expect(await w.lan.send('NHAN')).toEqual([sms(vi.askNumber())]);
    expect(await w.lan.send('NHAN mot')).toEqual([sms(vi.askNumber())]);
    expect(await w.lan.send('NHAN 99')).toEqual([sms(vi.notFound(99))]);
  });

  it('refuses someone who is not a team member, and they learn nothing of it', async () => {
    const w = await world();
    await w.zalo.send('GAP');
    const stranger = w.person('twilio-sms', '+84987654321');

    expect(await stranger.send('NHAN 1')).toEqual([sms(vi.notMember())]);
    expect(stranger.handoffMessages()).toEqual([]);
    expect((await w.handoffs.repository.findById(1))?.status).toBe('open');
  });

  it('refuses a member of another ward’s team, who was never told of it', async () => {
    const w = await world();
    await registerIn(w.phone, 'Phường Hải Châu');
    await w.phone.send('GAP tôi cần giúp');

    expect(await w.tuan.send('NHAN 1')).toEqual([sms(vi.otherWard(1))]);
    expect(w.tuan.handoffMessages()).toEqual([]);
    expect((await w.handoffs.repository.findById(1))?.status).toBe('open');
  });

  it('two volunteers taking at once: one holds it, the other is told who has it', async () => {
    const w = await world();
    await w.zalo.send('GAP');

    const [lan, minh] = await Promise.all([w.lan.send('NHAN 1'), w.minh.send('NHAN 1')]);

    const holder = (await w.handoffs.repository.findById(1))?.holder;
    const lanHolds = holder?.chat.address === w.lan.phone;
    const [winner, loser] = lanHolds ? [lan, minh] : [minh, lan];
    expect(winner[0]).toBe(sms(vi.youHold(1)));
    const masked = lanHolds ? '0905***111' : '0905***222';
    expect(loser).toEqual([sms(vi.heldBy(1, 'Tổ CNS Hải Châu', masked))]);
    expect(w.zalo.handoffMessages()).toEqual([vi.taken(1)]);
  });

  it('one hand-off at a time', async () => {
    const w = await world();
    await w.zalo.send('GAP');
    await w.phone.send('GAP');
    await w.lan.send('NHAN 1');

    expect(await w.lan.send('/NHAN 2')).toEqual([sms(vi.holdingAnother(1))]);
  });
});

describe('relay between the citizen and the volunteer holding it', () => {
  async function held() {
    const w = await world();
    await w.zalo.send('GAP');
    await w.lan.send('NHAN 1');
    return w;
  }

  it('what the citizen writes reaches the volunteer, numbered', async () => {
    const w = await held();

    expect(await w.zalo.send('Tôi cần làm lại CCCD thì đăng ký thế nào?')).toEqual([]);

    expect(w.lan.handoffMessages().at(-1)).toBe('[#1] Toi can lam lai CCCD thi dang ky the nao?');
  });

  it('what the volunteer writes reaches the citizen, and the volunteer gets no answer from the bot', async () => {
    const w = await held();

    expect(await w.lan.send('Chào bạn, bạn đang ở phường nào?')).toEqual([]);

    expect(w.zalo.handoffMessages().at(-1)).toBe('Chào bạn, bạn đang ở phường nào?');
    const thread = await w.handoffs.repository.thread(1);
    expect(thread.at(-1)).toMatchObject({ author: 'volunteer', text: 'Chào bạn, bạn đang ở phường nào?' });
  });

  it('a long answer to an SMS citizen goes as one-segment SMS, and the volunteer is told', async () => {
    const w = await world();
    await w.phone.send('GAP');
    await w.lan.send('NHAN 1');
    const long = `Bạn mang CCCD gắn chip đến UBND phường Hải Châu, ${'cán bộ sẽ giúp bạn kích hoạt tài khoản định danh điện tử mức 2. '.repeat(5)}`;

    expect(await w.lan.send(long)).toEqual([sms(vi.split(1, 3))]);

    const parts = w.phone.handoffMessages().slice(1); // after "taken"
    expect(parts).toHaveLength(3);
    for (const part of parts)
      expect(countSmsSegments(part)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(parts.join(' ')).toBe(sms(long).trim());
  });

  it('/TT runs the volunteer’s own command, and nothing reaches the citizen', async () => {
    const w = await held();
    const before = w.zalo.handoffMessages().length;

    expect(await w.lan.send('/TT')).toEqual([
      'So dien thoai nay chua co tai khoan cong dan so. Gui DK de dang ky.',
    ]);
    expect(w.zalo.handoffMessages()).toHaveLength(before);
  });

  it('XONG closes it: the citizen is told, and the bot answers them again', async () => {
    const w = await held();

    expect(await w.lan.send('XONG')).toEqual([sms(vi.closedByYou(1))]);

    expect(w.zalo.handoffMessages().at(-1)).toBe(vi.closedForCitizen(1));
    expect((await w.zalo.send('HD'))[0]).toContain('Công dân số Đà Nẵng');
    // The volunteer's chat is theirs again.
    expect(await w.lan.send('xong')).toEqual([sms(vi.notHolding())]);
  });

  it.each(['/XONG', 'done', 'Xong'])('%j closes it too', async (word) => {
    const w = await held();

    expect(await w.lan.send(word)).toEqual([sms(vi.closedByYou(1))]);
    expect((await w.handoffs.repository.findById(1))?.status).toBe('closed');
  });

  it('HUY from the citizen tells the volunteer', async () => {
    const w = await held();

    expect(await w.zalo.send('HUY')).toEqual([vi.closedByCitizen(1)]);

    expect(w.lan.handoffMessages().at(-1)).toBe(sms(vi.citizenLeft(1)));
    // The volunteer's chat is theirs again: the bot answers.
    expect(await w.lan.send('Bạn còn đó không?')).toEqual([sms(menuCopy.vi.notUnderstood())]);
  });
});

describe('the waiting notice, 10 minutes after nobody took it', () => {
  it('between 07:00 and 21:00: the citizen is told to expect an answer today, once', async () => {
    const w = await world();
    await w.zalo.send('GAP');

    w.zalo.advance(9 * 60 * 1000);
    await w.zalo.runDueHandoffWaits();
    expect(w.zalo.handoffMessages()).toEqual([]);

    w.zalo.advance(60 * 1000);
    await w.zalo.runDueHandoffWaits();
    expect(w.zalo.handoffMessages()).toEqual([vi.waitingToday(1)]);
    expect((await w.handoffs.repository.findById(1))?.status).toBe('open');
  });

  it('late in the evening: from 07:00 tomorrow', async () => {
    // 20:30 in Đà Nẵng.
    const w = await world({ today: new Date('2026-11-27T13:30:00Z') });
    await w.zalo.send('GAP');

    w.zalo.advance(10 * 60 * 1000);
    await w.zalo.runDueHandoffWaits();

    expect(w.zalo.handoffMessages()).toEqual([vi.waitingTomorrow(1)]);
  });

  it('at night: nothing until 07:00, then the notice if nobody took it', async () => {
    // 23:00 in Đà Nẵng.
    const w = await world({ today: new Date('2026-11-27T16:00:00Z') });
    await w.zalo.send('GAP');

    w.zalo.advance(10 * 60 * 1000);
    await w.zalo.runDueHandoffWaits();
    expect(w.zalo.handoffMessages()).toEqual([]);
    expect(w.handoffs.waits.map((job) => job.at.toISOString())).toEqual(['2026-11-28T00:00:00.000Z']);

    w.zalo.advance(8 * 60 * 60 * 1000);
    await w.zalo.runDueHandoffWaits();
    expect(w.zalo.handoffMessages()).toEqual([vi.waitingToday(1)]);
  });

  it('nothing when a volunteer took it in time', async () => {
    const w = await world();
    await w.zalo.send('GAP');
    await w.lan.send('NHAN 1');

    w.zalo.advance(10 * 60 * 1000);
    await w.zalo.runDueHandoffWaits();

    expect(w.zalo.handoffMessages()).toEqual([vi.taken(1)]);
  });
});

describe('a volunteer who leaves their team while holding a hand-off gives it back', () => {
  it('/TNV ROI: the citizen is told, the teams are told again, and another member takes it', async () => {
    const w = await world();
    await w.zalo.send('GAP tôi cần giúp');
    await w.lan.send('NHAN 1');
    await w.zalo.send('Bạn còn đó không?');
    const toldBefore = { lan: w.lan.handoffMessages().length, minh: w.minh.handoffMessages().length };

    expect(await w.lan.send('/TNV ROI')).toEqual([sms(volunteerCopy.vi.left('Tổ CNS Hải Châu'))]);

    expect(w.zalo.handoffMessages().at(-1)).toBe(vi.takenAgain(1));
    expect(await w.handoffs.repository.findById(1)).toMatchObject({ status: 'open', holder: null });
    const again = sms(vi.newRequest(1, 'Zalo', 'Bạn còn đó không?'));
    expect(w.minh.handoffMessages().slice(toldBefore.minh)).toEqual([again]);
    expect(w.tuan.handoffMessages().at(-1)).toBe(again);
    // The one who left is told nothing more of it.
    expect(w.lan.handoffMessages()).toHaveLength(toldBefore.lan);

    // The citizen's next message is kept, not relayed to the one who left; their chat is theirs again.
    expect(await w.zalo.send('Alo?')).toEqual([]);
    expect(w.lan.handoffMessages()).toHaveLength(toldBefore.lan);
    expect((await w.handoffs.repository.thread(1)).at(-1)).toMatchObject({ author: 'citizen', text: 'Alo?' });
    expect(await w.lan.send('Chào bạn')).toEqual([sms(menuCopy.vi.notUnderstood())]);
    expect(w.zalo.handoffMessages().at(-1)).toBe(vi.takenAgain(1));

    expect(await w.minh.send('NHAN 1')).toEqual([
      sms(vi.youHold(1)),
      sms('[#1] tôi cần giúp'),
      sms('[#1] Bạn còn đó không?'),
      sms('[#1] Alo?'),
    ]);
    expect(w.zalo.handoffMessages().at(-1)).toBe(vi.taken(1));
    await w.zalo.send('Cảm ơn');
    expect(w.minh.handoffMessages().at(-1)).toBe(sms('[#1] Cảm ơn'));
  });

  it('leaving while holding nothing releases nothing', async () => {
    const w = await world();
    await w.zalo.send('GAP');
    await w.minh.send('NHAN 1');

    await w.lan.send('TNV ROI');

    expect(await w.handoffs.repository.findById(1)).toMatchObject({ status: 'held' });
    expect(w.zalo.handoffMessages()).toEqual([vi.taken(1)]);
  });
});
