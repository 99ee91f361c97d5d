import { describe, expect, it } from 'vitest';
import { consentCode } from '../../src/domain/assisted/consent-code.ts';
import { renderSmsText } from '../../src/messaging/sms-render.ts';
import { TEST_KEYED_HASH, Transcript } from '../../test/support/transcript.ts';
import { menuCopy } from '../menu/menu.copy.ts';
import { neighbourCopy } from '../registration/neighbour.copy.ts';
import { registrationCopy } from '../registration/registration.copy.ts';
import { volunteerCopy } from '../volunteer/volunteer.copy.ts';
import { assistedCopy } from './assisted.copy.ts';

/** The volunteer's Zalo chat, and the phone it proved (the one they joined their team with). */
const VOLUNTEER_CHAT = 'zalo-user-volunteer';
const VOLUNTEER_PHONE = '+84905000111';
const NEIGHBOUR = '+84905123456';
const MASKED = '+84******456';

const A = assistedCopy.vi;
const N = neighbourCopy.vi;
const sms = (text: string) => renderSmsText({ text }, 'gsm7');
const ONE_SHOT = 'DKH 0905123456, Trần Thị Bé, 048150001234, 01/01/1950';

/** A world with a team, a volunteer of it chatting on Zalo OA (phone proven), and the neighbour's SMS phone. */
async function world(options: { member?: boolean; smsChannel?: null } = {}) {
  const volunteer = new Transcript({
    channel: 'zalo-oa',
    phone: VOLUNTEER_CHAT,
    ...(options.smsChannel === null ? { smsChannel: null } : {}),
  });
  await volunteer.contacts.setProvenPhone('zalo-oa', VOLUNTEER_CHAT, VOLUNTEER_PHONE, 'otp', volunteer.now());
  const created = await volunteer.teams.create({
    name: 'Tổ CNS Hải Châu 1',
    wardCode: '20194',
    inviteCode: 'TEAMCODE',
  });
  if (created.type !== 'created') throw new Error(created.type);
  const joined =
    options.member === false
      ? null
      : await volunteer.teams.join(
          created.team.id,
          { phone: VOLUNTEER_PHONE, channel: 'zalo-oa', address: VOLUNTEER_CHAT },
          volunteer.now(),
        );
  const neighbour = volunteer.party('twilio-sms', NEIGHBOUR);
  /** The code of the consent SMS the neighbour received last. */
  const codeInSms = () => /\b(\d{6})\b/.exec(neighbour.received().at(-1) ?? '')?.[1] ?? 'none';
  return { volunteer, neighbour, team: created.team, member: joined?.member ?? null, codeInSms };
}

/** What the neighbour's phone receives when the request of the one-shot DKH is sent: two SMS, in order. */
const CONSENT_SMS = [
  sms(A.consentSummary('Trần Thị Bé', '********1234', '01/01/1950')),
  sms(A.consentAnswer('Tổ CNS Hải Châu 1', '{code}', 15)),
];

describe('DKH: a volunteer registers a neighbour with the neighbour’s consent', () => {
  it('asks one question at a time, then texts the neighbour the summary and a code; nothing is created yet', async () => {
    const { volunteer, neighbour, codeInSms } = await world();

    expect(await volunteer.send('DKH')).toEqual([A.askPhone()]);
    expect(await volunteer.send('0905 123 456')).toEqual([N.askName()]);
    expect(await volunteer.send('Trần Thị Bé')).toEqual([N.askCccd()]);
    expect(await volunteer.send('048150001234')).toEqual([N.askBirthDate()]);
    expect(await volunteer.send('01/01/1950')).toEqual([
      N.confirm('Trần Thị Bé', '048150001234', '01/01/1950'),
    ]);
    expect(await volunteer.send('CO')).toEqual([A.sent(MASKED, 15)]);

    expect(neighbour.received()).toEqual(CONSENT_SMS.map((text) => text.replace('{code}', codeInSms())));
    expect(codeInSms()).toBe(consentCode(TEST_KEYED_HASH, NEIGHBOUR, 'ref-zalo-oa-zalo-user-volunteer-6'));
    expect(volunteer.citizens.entries).toHaveLength(0);
    expect(volunteer.assistedRequests.entries.map((e) => e.request.status)).toEqual(['pending']);
  });

  it('takes everything in one message (fields in any order) and opens the account on the neighbour’s CO', async () => {
    const { volunteer, neighbour, member, team } = await world();

    expect(await volunteer.send('DKH 01/01/1950 Trần Thị Bé 048150001234 0905123456')).toEqual([
      N.confirm('Trần Thị Bé', '048150001234', '01/01/1950'),
    ]);
    await volunteer.send('CO');
    const [welcome] = await neighbour.send('CO');

    const [entry] = volunteer.citizens.entries;
    const code = `${entry?.citizen.accountCode.slice(0, 4)}-${entry?.citizen.accountCode.slice(4)}`;
    expect(welcome).toBe(sms(registrationCopy.vi.opened(code)));
    expect(entry?.citizen).toMatchObject({
      phone: NEIGHBOUR,
      registeredBy: { teamId: team.id, memberId: member?.id },
    });
    expect(entry?.identity).toEqual({
      fullName: 'Trần Thị Bé',
      cccd: '048150001234',
      dateOfBirth: '1950-01-01',
    });
    expect(entry?.consents[0]).toMatchObject({
      assisted: { how: 'reply', teamId: team.id, memberId: member?.id },
      channel: 'twilio-sms',
    });
    expect(volunteer.receivedBy()).toEqual([A.opened(MASKED, code)]);
    expect(volunteer.verificationsScheduled).toEqual([entry?.citizen.id]);
    // The volunteer's chat is not linked to the neighbour's account.
    expect((await volunteer.contacts.find('zalo-oa', VOLUNTEER_CHAT))?.citizenId ?? null).toBeNull();
  });

  it('opens the account when the volunteer types the code the neighbour reads out; the welcome goes to the neighbour', async () => {
    const { volunteer, neighbour, codeInSms } = await world();
    await volunteer.send(ONE_SHOT);
    await volunteer.send('CO');

    const [opened] = await volunteer.send(codeInSms());

    const [entry] = volunteer.citizens.entries;
    const code = `${entry?.citizen.accountCode.slice(0, 4)}-${entry?.citizen.accountCode.slice(4)}`;
    expect(opened).toBe(A.opened(MASKED, code));
    expect(neighbour.received().at(-1)).toBe(sms(registrationCopy.vi.opened(code)));
    expect(entry?.consents[0]).toMatchObject({ assisted: { how: 'code' }, channel: 'zalo-oa' });
    expect(await neighbour.send('CO')).toEqual([sms(menuCopy.vi.notUnderstood())]);
  });

  it('takes the code as DKH <code> too, for the volunteer’s latest waiting request', async () => {
    const { volunteer, codeInSms } = await world();
    await volunteer.send(ONE_SHOT);
    await volunteer.send('CO');
    await volunteer.send('TT');

    expect(await volunteer.send(`DKH ${codeInSms()}`)).toEqual([expect.stringMatching(/^Đã mở tài khoản /)]);
    expect(volunteer.citizens.entries).toHaveLength(1);
    expect(await volunteer.send('DKH 123456')).toEqual([A.noPending()]);
  });

  it('refuses on the neighbour’s KHONG: nothing is created, the details are erased, the volunteer is told', async () => {
    const { volunteer, neighbour } = await world();
    await volunteer.send(ONE_SHOT);
    await volunteer.send('CO');

    expect(await neighbour.send('không')).toEqual([sms(A.neighbourRefused())]);

    expect(volunteer.citizens.entries).toHaveLength(0);
    expect(volunteer.receivedBy()).toEqual([A.refused(MASKED)]);
    expect(volunteer.assistedRequests.entries[0]?.request).toMatchObject({
      status: 'refused',
      fullName: '',
      cccd: '',
      neighbourPhone: '',
    });
    // The conversation no longer waits: what the volunteer writes next is handled as usual.
    expect(await volunteer.send('TNV')).toEqual([
      volunteerCopy.vi.membership('Tổ CNS Hải Châu 1', 'Phường Hải Vân', 'tổ trưởng'),
    ]);
  });

  it('drops a request nobody answered after 15 minutes (fake clock), and a late CO opens nothing', async () => {
    const { volunteer, neighbour } = await world();
    await volunteer.send(ONE_SHOT);
    await volunteer.send('CO');

    volunteer.advance(14 * 60_000);
    expect(await volunteer.runDueExpiries()).toBe(0);
    expect(volunteer.assistedRequests.entries.map((e) => e.request.status)).toEqual(['pending']);
    volunteer.advance(60_000);
    expect(await volunteer.runDueExpiries()).toBe(1);

    expect(volunteer.receivedBy()).toEqual([A.expired(MASKED)]);
    expect(await neighbour.send('CO')).toEqual([sms(menuCopy.vi.notUnderstood())]);
    expect(volunteer.citizens.entries).toHaveLength(0);
  });

  it('counts wrong codes and gives up at the fifth: nothing is created', async () => {
    const { volunteer, neighbour, codeInSms } = await world();
    await volunteer.send(ONE_SHOT);
    await volunteer.send('CO');
    const wrong = codeInSms() === '000000' ? '111111' : '000000';

    for (const left of [4, 3, 2, 1]) expect(await volunteer.send(wrong)).toEqual([A.wrongCode(left)]);
    expect(await volunteer.send(wrong)).toEqual([A.failedCodes(MASKED)]);

    expect(await volunteer.send(`DKH ${codeInSms()}`)).toEqual([A.noPending()]);
    expect(await neighbour.send('CO')).toEqual([sms(menuCopy.vi.notUnderstood())]);
    expect(volunteer.citizens.entries).toHaveLength(0);
  });

  it('tells the volunteer the phone already has an account, sends no SMS, and reveals nothing more', async () => {
    const { volunteer, neighbour } = await world();
    await neighbour.send('DK Nguyễn Văn An, 048090001234, 15/02/1990');
    await neighbour.send('CO');
    const before = neighbour.received().length;

    await volunteer.send(ONE_SHOT);
    const [answer] = await volunteer.send('CO');

    expect(answer).toBe(A.phoneHasAccount());
    expect(answer).not.toMatch(/[A-Z0-9]{4}-[A-Z0-9]{4}|tạm thời|xác thực/);
    expect(neighbour.received()).toHaveLength(before);
    expect(volunteer.assistedRequests.entries).toHaveLength(0);
  });

  it('tells the volunteer the CCCD is taken, before any SMS, in words that reveal nothing of that account', async () => {
    const { volunteer, neighbour } = await world();
    const other = volunteer.party('twilio-sms', '+84912000111');
    await other.send('DK Trần Thị Bé, 048150001234, 01/01/1950');
    await other.send('CO');

    await volunteer.send(ONE_SHOT);
    expect(await volunteer.send('CO')).toEqual([A.cccdTaken()]);
    expect(neighbour.received()).toEqual([]);
  });

  it('checks the phone and the CCCD again at opening: taken meanwhile, the volunteer and the neighbour are told', async () => {
    const { volunteer, neighbour } = await world();
    await volunteer.send(ONE_SHOT);
    await volunteer.send('CO');
    const other = volunteer.party('twilio-sms', '+84912000111');
    await other.send('DK Trần Thị Bé, 048150001234, 01/01/1950');
    await other.send('CO');

    expect(await neighbour.send('CO')).toEqual([sms(registrationCopy.vi.cccdTaken())]);
    expect(volunteer.receivedBy()).toEqual([A.cccdTaken()]);
    expect(volunteer.citizens.entries.map((e) => e.citizen.phone)).toEqual(['+84912000111']);
    expect(volunteer.assistedRequests.entries[0]?.request).toMatchObject({
      status: 'failed',
      failure: 'cccd_taken',
    });
  });

  it('starts the next neighbour while one waits; the first one’s code still opens the first account', async () => {
    const { volunteer, neighbour, codeInSms } = await world();
    await volunteer.send(ONE_SHOT);
    await volunteer.send('CO');
    const firstCode = codeInSms();

    expect(await volunteer.send('DKH 0912000222, Lê Văn Cường, 048080001111, 02/02/1980')).toEqual([
      N.confirm('Lê Văn Cường', '048080001111', '02/02/1980'),
    ]);
    expect(await volunteer.send('CO')).toEqual([A.sent('+84******222', 15)]);
    const [opened] = await volunteer.send(firstCode);

    expect(opened).toMatch(/^Đã mở tài khoản [A-Z0-9]{4}-[A-Z0-9]{4} cho \+84\*{6}456\./);
    expect(volunteer.citizens.entries.map((e) => e.citizen.phone)).toEqual([NEIGHBOUR]);
    // The two SMS of the request, and the welcome.
    expect(neighbour.received()).toHaveLength(3);
    expect(volunteer.assistedRequests.entries.map((e) => e.request.status)).toEqual(['opened', 'pending']);
  });

  it('asks once when a turn is replayed after a crash: one request, one consent request, the same code', async () => {
    const { volunteer, neighbour, codeInSms } = await world();
    await volunteer.send(ONE_SHOT);

    const [first, again] = await volunteer.sendCrashingOnce('CO');

    expect(first).toEqual([A.sent(MASKED, 15)]);
    expect(again).toEqual([A.sent(MASKED, 15)]);
    expect(volunteer.assistedRequests.entries).toHaveLength(1);
    expect(neighbour.received()).toEqual(CONSENT_SMS.map((text) => text.replace('{code}', codeInSms())));
    expect(volunteer.expiries).toHaveLength(1);
  });

  it('allows 3 requests waiting for consent at a time', async () => {
    const { volunteer } = await world();
    for (const n of [1, 2, 3]) {
      await volunteer.send(`DKH 090512300${n}, Trần Thị Bé, 04815000123${n}, 01/01/1950`);
      expect(await volunteer.send('CO')).toEqual([A.sent(`+84******00${n}`, 15)]);
    }

    await volunteer.send('DKH 0905123004, Trần Thị Bé, 048150001234, 01/01/1950');
    expect(await volunteer.send('CO')).toEqual([A.tooManyPending(3)]);
    // Two SMS for each of the 3 neighbours, none for the fourth.
    expect(volunteer.messages.filter((m) => m.channel === 'twilio-sms')).toHaveLength(6);
  });

  it('allows 60 requests an hour', async () => {
    const { volunteer } = await world();
    for (let n = 0; n < 60; n += 1) {
      const phone = `0905${String(100000 + n)}`;
      await volunteer.send(`DKH ${phone}, Trần Thị Bé, 048150001234, 01/01/1950`);
      await volunteer.send('CO');
      await volunteer.party('twilio-sms', `+84${phone.slice(1)}`).send('KHONG');
      volunteer.advance(30_000);
    }

    await volunteer.send('DKH 0905999999, Trần Thị Bé, 048150001234, 01/01/1950');
    expect(await volunteer.send('CO')).toEqual([A.hourlyLimit(60)]);
    volunteer.advance(31 * 60_000);
    await volunteer.send('DKH 0905999999, Trần Thị Bé, 048150001234, 01/01/1950');
    expect(await volunteer.send('CO')).toEqual([A.sent('+84******999', 15)]);
  });

  it('answers a non-member in one line saying how to join, and texts nobody', async () => {
    const { volunteer, neighbour } = await world({ member: false });

    expect(await volunteer.send(ONE_SHOT)).toEqual([A.notMember()]);
    expect(await volunteer.send('DKH')).toEqual([A.notMember()]);
    expect(neighbour.received()).toEqual([]);
    expect(volunteer.messages).toEqual([]);
  });

  it('takes DKH from a member removed meanwhile at once: no SMS goes out', async () => {
    const { volunteer, neighbour, team, member } = await world();
    await volunteer.send(ONE_SHOT);
    await volunteer.teams.removeMember(team.id, member?.id ?? '', volunteer.now());

    expect(await volunteer.send('CO')).toEqual([A.notMember()]);
    expect(await volunteer.send('DKH')).toEqual([A.notMember()]);
    expect(neighbour.received()).toEqual([]);
  });

  it('tells the volunteer DKH is unavailable without an SMS channel', async () => {
    const { volunteer } = await world({ smsChannel: null });
    await volunteer.send(ONE_SHOT);

    expect(await volunteer.send('CO')).toEqual([A.unavailable()]);
    expect(volunteer.assistedRequests.entries).toHaveLength(0);
  });

  it('validates like self-registration and refuses the volunteer’s own number', async () => {
    const { volunteer } = await world();

    await volunteer.send('DKH');
    expect(await volunteer.send('12345')).toEqual([A.phoneInvalid()]);
    expect(await volunteer.send('0905000111')).toEqual([A.ownPhone()]);
    await volunteer.send('0905123456');
    expect(await volunteer.send('Trần Thị Bé')).toEqual([N.askCccd()]);
    expect(await volunteer.send('04815000123')).toEqual([registrationCopy.vi.cccdFormat()]);
  });

  it('keeps YES an opt-in word, and CO an unknown one, for a phone with nothing to answer', async () => {
    const { neighbour, volunteer } = await world();

    expect(await neighbour.send('CO')).toEqual([sms(menuCopy.vi.notUnderstood())]);
    expect(await neighbour.send('YES')).toEqual([sms(menuCopy.vi.optedIn())]);
    await neighbour.send('STOP');
    await volunteer.send(ONE_SHOT);
    expect(await volunteer.send('CO')).toEqual([A.optedOut()]);
    expect(await neighbour.send('YES')).toEqual([sms(menuCopy.vi.optedIn())]);

    await volunteer.send(ONE_SHOT);
    await volunteer.send('CO');
    expect(await neighbour.send('YES')).toEqual([expect.stringMatching(/^Da mo tai khoan tam thoi /)]);
  });
});
