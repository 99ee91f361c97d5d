import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { EffectContext } from '../../src/engine/flow-context.ts';
import { defineFlow, type FlowDefinition, finish, type Outcome } from '../../src/engine/flow-kit.ts';
import { toGsm7 } from '../../src/shared/sms-segments.ts';
import { say } from '../kit/answers.ts';
import {
  AskBirthDateSchema,
  AskCccdSchema,
  AskNameSchema,
  ConfirmIdentitySchema,
  checkIdentityFields,
  identitySteps,
  startIdentity,
} from './identity-steps.ts';
import { parseAssistedRegistrationParts, parseRegistrationParts } from './parse-registration.ts';
import { registrationCopy } from './registration.copy.ts';

// The identity steps reused for someone else's data, as DKH will: a small flow of the steps alone, carrying the
// neighbour's phone, that says what it would do once the summary is confirmed.

const StateSchema = z.discriminatedUnion('step', [
  AskNameSchema,
  AskCccdSchema,
  AskBirthDateSchema,
  ConfirmIdentitySchema,
]);
type State = z.infer<typeof StateSchema>;
type Out = Outcome<State, never>;

const confirmed = identitySteps<Out>({
  subject: 'neighbour',
  onConfirmed: (details, state) =>
    finish(say(`confirmed ${details.fullName} ${details.cccd} ${details.dateOfBirth} for ${state.phone}`)),
});
const neighbourFlow: FlowDefinition<State> = {
  id: 'neighbour-test',
  version: 1,
  stateSchema: StateSchema,
  start: (ctx, args) => {
    const { phone, ...parts } = parseAssistedRegistrationParts(args);
    return startIdentity('neighbour', parts, phone === null ? {} : { phone }, ctx);
  },
  steps: confirmed,
};

/** A volunteer's SMS chat driving the flow turn by turn; replies as the phone shows them. */
function volunteerChat() {
  const flow = defineFlow(neighbourFlow, {});
  const ctx: EffectContext = {
    language: 'vi',
    channel: 'twilio-sms',
    address: '+84905000111',
    phone: '+84905000111',
    citizen: null,
    now: new Date('2026-11-27T03:00:00Z'),
    ref: 'ref',
  };
  let state: unknown = null;
  const shown = (replies: { text: string }[]) => replies.map((reply) => toGsm7(reply.text));
  return {
    async start(args: string) {
      const turn = await flow.start(ctx, args);
      state = turn.next;
      return shown(turn.replies);
    },
    async send(text: string) {
      const turn = await flow.resume(state, text, ctx);
      state = turn?.next ?? null;
      return shown(turn?.replies ?? []);
    },
    get state() {
      return state;
    },
  };
}

describe('the identity steps for a neighbour', () => {
  it('ask about the person registered, with the same hints, and hand the confirmed details to the flow', async () => {
    const chat = volunteerChat();

    expect(await chat.start('0905123456')).toEqual([
      'Dang ky ho (buoc 1/3). Gui ho va ten day du cua nguoi duoc dang ky, vi du: Tran Thi Be. Gui HUY de huy.',
    ]);
    expect(await chat.send('Be 2')).toEqual([
      'Ho ten chi gom chu cai va khoang trang, khong co so. Vi du: Nguyen Van An.',
    ]);
    expect(await chat.send('Trần Thị Bé')).toEqual([
      'Buoc 2/3: gui so CCCD (12 chu so) cua nguoi duoc dang ky.',
    ]);
    expect(await chat.send('12345')).toEqual([
      'So CCCD phai gom dung 12 chu so, vi du 048090001234. Vui long gui lai.',
    ]);
    expect(await chat.send('048150001234')).toEqual([
      'Buoc 3/3: gui ngay sinh cua nguoi duoc dang ky, vi du 01/01/1950.',
    ]);
    expect(await chat.send('01/01/1950')).toEqual([
      'Tran Thi Be, CCCD 048150001234, NS 01/01/1950. Dung chua? CO: gui tin xin nguoi nay dong y, KHONG: huy.',
    ]);
    expect(await chat.send('CO')).toEqual(['confirmed Tran Thi Be 048150001234 1950-01-01 for +84905123456']);
  });

  it('take the one-message form, phone included, fields in any order', async () => {
    const chat = volunteerChat();

    expect(await chat.start('Tran Thi Be, 01/01/1950, 0905 123 456, 048150001234')).toEqual([
      'Tran Thi Be, CCCD 048150001234, NS 01/01/1950. Dung chua? CO: gui tin xin nguoi nay dong y, KHONG: huy.',
    ]);
    expect(chat.state).toMatchObject({ step: 'confirm', phone: '+84905123456' });
  });

  it('give up after three wrong answers in the neighbour’s words, and offer a person', async () => {
    const chat = volunteerChat();
    await chat.start('');
    await chat.send('An');
    await chat.send('An');

    expect(await chat.send('An')).toEqual([
      'Chua dang ky ho duoc. Gui DKH de thu lai.',
      'Can nguoi giup? Gui GAP de gap tinh nguyen vien hoac can bo.',
    ]);
    expect(chat.state).toBeNull();
  });

  it('end saying nothing was kept on KHONG', async () => {
    const chat = volunteerChat();
    await chat.start('Tran Thi Be, 048150001234, 01/01/1950');

    expect(await chat.send('KHONG')).toEqual([
      'Da huy dang ky ho, thong tin khong duoc luu. Gui DKH de dang ky cho nguoi khac.',
    ]);
  });
});

describe('reading a one-message DKH', () => {
  it.each([
    ['0905123456, Tran Thi Be, 048150001234, 01/01/1950', '+84905123456'],
    ['Tran Thi Be 048150001234 01/01/1950 +84905123456', '+84905123456'],
    ['048150001234, 0905.123.456, Tran Thi Be, 01/01/1950', '+84905123456'],
    ['84905123456 Tran Thi Be 048150001234 01/01/1950', '+84905123456'],
  ])('%s: the phone apart from the registration fields', (text, phone) => {
    expect(parseAssistedRegistrationParts(text)).toEqual({
      phone,
      name: 'Tran Thi Be',
      cccd: '048150001234',
      birthDate: '01/01/1950',
    });
  });

  it('has no phone when none is given, and reads the rest as DK does', () => {
    const text = 'Tran Thi Be, 048150001234, 01/01/1950';
    expect(parseAssistedRegistrationParts(text)).toEqual({ phone: null, ...parseRegistrationParts(text) });
  });

  it('never takes a CCCD for a phone', () => {
    expect(parseAssistedRegistrationParts('048150001234')).toMatchObject({
      phone: null,
      cccd: '048150001234',
    });
  });
});

describe('checking a whole identity at once (the console form)', () => {
  const now = new Date('2026-12-04T08:00:00Z');
  const hint = registrationCopy.vi;

  it('gives the identity when every field reads as its question reads it', () => {
    const checked = checkIdentityFields(
      { fullName: '  nguyễn văn an ', cccd: '048 090 001 234', dateOfBirth: '15-02-1990' },
      { language: 'vi', now },
    );
    expect(checked).toEqual({
      ok: true,
      value: { fullName: 'Nguyễn Văn An', cccd: '048090001234', dateOfBirth: '1990-02-15' },
    });
  });

  it('gives each wrong field the question’s hint, and the date checked against the CCCD', () => {
    expect(
      checkIdentityFields({ fullName: '', cccd: '12', dateOfBirth: 'soon' }, { language: 'vi', now }),
    ).toEqual({
      ok: false,
      hints: { fullName: hint.nameEmpty(), cccd: hint.cccdFormat(), dateOfBirth: hint.dateFormat() },
    });
    expect(
      checkIdentityFields(
        { fullName: 'Nguyễn Văn An', cccd: '048090001234', dateOfBirth: '15/02/1985' },
        { language: 'en', now },
      ),
    ).toEqual({ ok: false, hints: { dateOfBirth: registrationCopy.en.dateMismatch(1990) } });
  });
});
