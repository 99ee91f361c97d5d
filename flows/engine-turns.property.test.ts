import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchCommand } from '../src/engine/commands.ts';
import type { TurnReply } from '../src/engine/run-turn.ts';
import { type ChannelId, ChannelIdSchema, isSmsChannel } from '../src/messaging/channel.ts';
import { renderSmsText } from '../src/messaging/sms-render.ts';
import { normalizePhone } from '../src/shared/phone.ts';
import { countSmsSegments } from '../src/shared/sms-segments.ts';
import { CITIZEN_PHONE, seedAgency, seedDossier, seedPaper } from '../test/support/citizen-chat.ts';
import {
  anyText,
  PROPERTY_RUNS,
  PROPERTY_TIMEOUT_MS,
  typedCccd,
  typedDate,
  typedPhone,
  vietnameseName,
} from '../test/support/text-arbitraries.ts';
import { Transcript } from '../test/support/transcript.ts';
import { CHAT_PAGE_CHARACTERS, SMS_PAGE_SEGMENTS } from './documents/list-page.ts';
import { keywords, menu } from './index.ts';

/**
 * The SMS budget under abuse: the real engine and flows over the in-memory fakes (test/support/transcript.ts),
 * in random states (no account or an account with papers, dossiers and share links; a volunteer of a team or
 * not; in the middle of any conversation the messages lead to), fed random messages. Every turn ends without an
 * exception, and every reply keeps its budget: by SMS one GSM-7 segment (a page of `GT`/`LS` and the dossiers of
 * `TT` up to {@link SMS_PAGE_SEGMENTS}) and never a character GSM-7 cannot carry, and with `SMS_ENCODING=unicode`
 * 3 UCS-2 segments (a list page 7); on messengers at most
 * {@link CHAT_PAGE_CHARACTERS} characters and 5 buttons. What the turns send to others (consent SMS, hand-off
 * relays, phone codes) keeps the same one-segment budget.
 */

/** Flows whose SMS answer is a list page (`GT`, `LS`) or the dossiers of `TT`: up to 3 segments. */
const LIST_FLOWS = new Set(['documents', 'shares', 'status']);

/** A message of a conversation: a real command or answer most of the time, random text otherwise. */
const message: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: anyText },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'DK',
      'DKH',
      'TT',
      'TT HS-0001',
      'GT',
      'GT 2',
      'CS 1',
      'CS 2 30',
      'LS',
      'THUHOI 1',
      'TTCN',
      'TTCN DC 12 Trần Phú, Hải Châu, Đà Nẵng',
      'DULIEU',
      'XOATK',
      'KHOIPHUC',
      'TNV',
      'TNV TEAMCODE',
      'TNV ROI',
      'GAP',
      'GAP #stuck',
      'NHAN 1',
      'XONG',
      'HD',
      'HUY',
      'EN',
      'VI',
      'LK',
      'CO',
      'KHONG',
      'STOP',
      'START',
      '1',
      '2',
      '3',
      '/TT',
    ),
  },
  { weight: 2, arbitrary: vietnameseName },
  { weight: 1, arbitrary: typedCccd },
  { weight: 1, arbitrary: typedDate },
  { weight: 1, arbitrary: typedPhone },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom('DK ', 'DKH ', 'dang ky ', 'TK,'),
        vietnameseName,
        typedCccd,
        typedDate,
        typedPhone,
      )
      .map(([keyword, name, cccd, date, phone]) =>
        keyword.startsWith('DKH')
          ? `${keyword}${phone}, ${name}, ${cccd}, ${date}`
          : `${keyword}${name}, ${cccd}, ${date}`,
      ),
  },
);

/** Something a person does: a message, mostly; sometimes a shared phone, a follow, or time passing. */
type Action =
  | { readonly type: 'send'; readonly text: string }
  | { readonly type: 'sharePhone'; readonly phone: string; readonly trust: 'vouched' | 'claimed' | 'foreign' }
  | { readonly type: 'event'; readonly event: 'follow' | 'unfollow' }
  | { readonly type: 'wait'; readonly minutes: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 12, arbitrary: message.map((text) => ({ type: 'send' as const, text })) },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('sharePhone' as const),
      phone: fc.oneof(fc.constant(CITIZEN_PHONE), fc.constant('+84905000222'), typedPhone),
      trust: fc.constantFrom('vouched' as const, 'claimed' as const, 'foreign' as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('event' as const),
      event: fc.constantFrom('follow' as const, 'unfollow' as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ type: fc.constant('wait' as const), minutes: fc.integer({ min: 1, max: 3000 }) }),
  },
);

/**
 * Valid openings that lead deep into a conversation (the consent question of `DK`, the summary of `DKH`, the code
 * of `LK`, a profile change), so that the random messages after them land in every step, not only the first.
 */
const opening: fc.Arbitrary<Action[]> = fc
  .constantFrom<string[]>(
    [],
    ['DK'],
    ['DK', 'Nguyễn Thị Hoa'],
    ['DK', 'Nguyen Thi Hoa', '048185000999'],
    ['DK', 'Nguyen Thi Hoa', '048185000999', '03/07/1985'],
    ['DK Nguyen Thi Hoa, 048185000999, 03/07/1985'],
    ['DKH'],
    ['DKH', '0905000333'],
    ['DKH', '0905000333', 'Tran Van Ba', '048050000111'],
    ['DKH 0905000333, Tran Van Ba, 048050000111, 01/01/1950'],
    ['LK'],
    ['LK', '0905000444'],
    ['TTCN'],
    ['TTCN', 'DC'],
    ['XOATK'],
    ['GAP'],
    ['TNV'],
  )
  .map((texts) => texts.map((text) => ({ type: 'send' as const, text })));

/** The state a run starts in. */
const world = fc.record({
  channel: fc.constantFrom<ChannelId>(
    'twilio-sms',
    'sms-gateway',
    'sim-sms',
    'telegram',
    'zalo-oa',
    'zalo-personal',
    'web',
  ),
  account: fc.boolean(),
  papers: fc.nat(9),
  volunteer: fc.boolean(),
  longTitles: fc.boolean(),
});

type World = typeof world extends fc.Arbitrary<infer W> ? W : never;

async function start(w: World): Promise<Transcript> {
  if (!w.account) {
    const chat = new Transcript(
      isSmsChannel(w.channel) ? { channel: w.channel } : { channel: w.channel, phone: 'u-1' },
    );
    if (w.volunteer) await addVolunteer(chat);
    return chat;
  }
  const chat = new Transcript(
    isSmsChannel(w.channel) ? { channel: w.channel } : { channel: w.channel, phone: 'u-1' },
  );
  if (!isSmsChannel(w.channel))
    await chat.contacts.setProvenPhone(w.channel, chat.phone, CITIZEN_PHONE, 'otp', chat.now());
  await chat.send('DK Nguyen Van An, 048090001234, 15/02/1990');
  await chat.send('CO');
  const citizenId = chat.citizens.entries[0]?.citizen.id;
  if (citizenId === undefined) throw new Error('no account opened');
  const agency = await seedAgency(chat, 'UBND-HAICHAU', 'Ủy ban nhân dân phường Hải Châu, thành phố Đà Nẵng');
  const title = w.longTitles
    ? 'Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất'
    : 'Giấy khai sinh';
  for (let i = 0; i < w.papers; i += 1)
    await seedPaper(chat, { citizenId, agency, title: `${title} ${i}`, issuedAt: '2026-11-20' });
  for (let i = 0; i < Math.min(w.papers, 4); i += 1)
    await seedDossier(chat, {
      citizenId,
      agency,
      code: `HS-000${i}`,
      procedure: w.longTitles ? `${title} (cấp lần đầu)` : 'Đăng ký khai sinh',
      status: (['received', 'processing', 'needs_more_info', 'rejected'] as const)[i] ?? 'received',
      at: '2026-11-20T02:00:00Z',
      note: w.longTitles
        ? 'Vui lòng mang bản chính CCCD và sổ hộ khẩu đến bộ phận một cửa để đối chiếu.'
        : null,
    });
  if (w.volunteer) await addVolunteer(chat);
  return chat;
}

/** Makes the transcript's person a member of a team (their phone proven on a messenger). */
async function addVolunteer(chat: Transcript): Promise<void> {
  const phone = isSmsChannel(chat.channel) ? chat.phone : '+84905000111';
  if (!isSmsChannel(chat.channel))
    await chat.contacts.setProvenPhone(chat.channel, chat.phone, phone, 'otp', chat.now());
  const created = await chat.teams.create({
    name: 'Tổ CNS Hải Châu 1',
    wardCode: '20194',
    inviteCode: 'TEAMCODE',
  });
  if (created.type !== 'created') throw new Error(created.type);
  await chat.teams.join(created.team.id, { phone, channel: chat.channel, address: chat.phone }, chat.now());
}

/** The problems of one reply against its budget, or an empty list. */
function overBudget(channel: ChannelId, reply: TurnReply['reply'], segments: number): string[] {
  if (!isSmsChannel(channel)) {
    const problems: string[] = [];
    if (reply.text.length > CHAT_PAGE_CHARACTERS) problems.push(`${reply.text.length} characters`);
    if ((reply.choices?.length ?? 0) > 5) problems.push(`${reply.choices?.length} buttons`);
    return problems;
  }
  const rendered = renderSmsText(reply, 'gsm7');
  const count = countSmsSegments(rendered);
  const problems: string[] = [];
  if (count.encoding !== 'GSM-7') problems.push('not GSM-7');
  if (count.segments > segments) problems.push(`${count.segments} segments of ${segments}`);
  // With SMS_ENCODING=unicode the same reply keeps its diacritics: UCS-2, up to 3 segments (a list page 7).
  const unicode = countSmsSegments(renderSmsText(reply, 'unicode')).segments;
  const unicodeBudget = segments > 1 ? 7 : 3;
  if (unicode > unicodeBudget) problems.push(`${unicode} UCS-2 segments of ${unicodeBudget}`);
  return problems;
}

/** The budget of the replies to `text` typed in a conversation: 1 segment, or 3 for a list or `TT`. */
function budgetOf(text: string): number {
  const match = matchCommand(text.replace(/^\//, ''), keywords, menu, {
    flowActive: false,
    skipIdleOnly: true,
  });
  return match?.command.type === 'start' && LIST_FLOWS.has(match.command.flowId) ? SMS_PAGE_SEGMENTS : 1;
}

describe('the engine under random messages', { timeout: PROPERTY_TIMEOUT_MS }, () => {
  it('answers every message without an exception, and every reply keeps its budget', async () => {
    await fc.assert(
      fc.asyncProperty(
        world,
        opening,
        fc.array(action, { minLength: 1, maxLength: 8 }),
        async (w, first, then) => {
          const actions = [...first, ...then];
          const chat = await start(w);
          const before = {
            messages: chat.messages.length,
            handoffs: chat.handoffs.sent.length,
            texted: chat.texted.length,
          };
          for (const step of actions) {
            if (step.type === 'wait') {
              chat.advance(step.minutes * 60_000);
              continue;
            }
            const from = chat.delivered.length;
            const text = step.type === 'send' ? step.text : '';
            if (step.type === 'send') await chat.send(step.text);
            else if (step.type === 'sharePhone') {
              // As the adapters send them: Telegram's contact (own or someone else's), Zalo OA's form (claimed).
              const phone = normalizePhone(step.phone);
              if (phone === null) continue;
              if (w.channel === 'telegram')
                await chat.sharePhone(phone, step.trust === 'foreign' ? 'foreign' : 'vouched');
              else if (w.channel === 'zalo-oa') await chat.sharePhone(phone, 'claimed');
              else continue;
            } else await chat.event(step.event);
            const replies = chat.delivered.slice(from);
            for (const { reply } of replies) {
              const problems = overBudget(w.channel, reply, budgetOf(text));
              expect(problems, `${JSON.stringify(text)} → ${JSON.stringify(reply.text)}`).toEqual([]);
            }
          }
          const sentToOthers = [
            ...chat.messages.slice(before.messages).map((m) => ({ channel: m.channel, text: m.text })),
            ...chat.handoffs.sent
              .slice(before.handoffs)
              .map((m) => ({ channel: ChannelIdSchema.parse(m.channel), text: m.text })),
            ...chat.texted
              .slice(before.texted)
              .map((m) => ({ channel: 'twilio-sms' as ChannelId, text: m.text })),
          ];
          for (const sent of sentToOthers)
            expect(overBudget(sent.channel, { text: sent.text }, 1), JSON.stringify(sent.text)).toEqual([]);
        },
      ),
      { numRuns: Math.ceil(PROPERTY_RUNS / 6) },
    );
  });
});
