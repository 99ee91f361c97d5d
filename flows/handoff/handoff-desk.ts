import type { CitizenRepository } from '../../src/domain/citizens/citizen-repository.ts';
import type { ContactRepository } from '../../src/domain/contacts/contact.ts';
import type {
  Handoff,
  HandoffChat,
  HandoffCloser,
  HandoffReason,
  HandoffRepository,
} from '../../src/domain/handoffs/handoff.ts';
import type { HandoffEvent, HandoffEventKind } from '../../src/domain/handoffs/handoff-events.ts';
import type { TeamMember, TeamRepository } from '../../src/domain/teams/team.ts';
import { wardOfAddress } from '../../src/domain/wards/wards.ts';
import { ChannelIdSchema, isSmsChannel, type Language } from '../../src/messaging/channel.ts';
import { VIETNAM_OFFSET_MS } from '../../src/shared/vietnam-time.ts';
import { maskLocalPhone } from '../identity/phone-proof.ts';
import { handoffCopy } from './handoff.copy.ts';
import {
  channelLabel,
  messagesFor,
  QUOTE_CHARACTERS,
  shorten,
  TEAM_NAME_CHARACTERS,
} from './handoff-text.ts';

/** One message of a hand-off to store in the outbox and send (once per `dedupeKey`). */
export interface HandoffOutbound {
  readonly dedupeKey: string;
  readonly channel: string;
  readonly to: string;
  readonly text: string;
  readonly language: Language;
  /** The citizen's account the message is about, so it is forgotten with it. */
  readonly citizenId: string | null;
}

/** What the hand-off desk runs on. */
export interface HandoffPorts {
  readonly handoffs: HandoffRepository;
  readonly teams: Pick<TeamRepository, 'membershipOf' | 'membersOfWard' | 'findById' | 'members'>;
  readonly citizens: Pick<CitizenRepository, 'findProfile'>;
  readonly contacts: Pick<ContactRepository, 'find'>;
  /** Stores messages in the outbox, once per dedupe key, and sends them. */
  sendHandoffMessages(messages: readonly HandoffOutbound[]): Promise<void>;
  /** Runs {@link HandoffDesk.remindWaiting} for the hand-off at `dueAt`. */
  scheduleHandoffWait(handoffId: number, dueAt: Date): Promise<void>;
  /**
   * Tells the pages that show hand-offs (the console's Inbox, in any process) that one changed: its id, the kind
   * of change and its ward, never text. Best effort: a failure is ignored (the change itself is done).
   */
  handoffChanged?(event: HandoffEvent): Promise<void>;
}

/** How long a hand-off waits for a volunteer before the citizen is told when to expect an answer. */
export const WAITING_NOTICE_AFTER_MS = 10 * 60 * 1000;
/** Volunteers answer between these hours, Vietnam time: the waiting notice is sent within them. */
export const ANSWER_HOURS = { from: 7, to: 21 } as const;
/** The thread a volunteer gets on taking a hand-off: its last messages. */
const THREAD_SHOWN = 5;

/** Who asks to take a hand-off. */
export interface Taker {
  readonly phone: string | null;
  readonly chat: HandoffChat;
}

/** The outcome of {@link HandoffDesk.take}, as the volunteer is told. */
export type TakeResult =
  | { readonly type: 'taken'; readonly handoffId: number; readonly thread: readonly string[] }
  | {
      readonly type: 'held_by_other';
      readonly handoffId: number;
      readonly team: string;
      readonly phone: string;
    }
  | { readonly type: 'holding_another'; readonly handoffId: number }
  | { readonly type: 'closed'; readonly handoffId: number }
  | { readonly type: 'not_found'; readonly handoffId: number }
  | { readonly type: 'other_ward'; readonly handoffId: number }
  | { readonly type: 'not_member' };

/** The outcome of {@link HandoffDesk.answer}. */
export type AnswerResult =
  | { readonly type: 'sent'; readonly parts: number }
  | { readonly type: 'closed' }
  | { readonly type: 'not_found' };

/**
 * The hand-off desk: opening a hand-off and telling the teams, taking it, relaying both ways, closing it and the
 * waiting notice. Shared by the flows (GAP, NHAN, XONG, the standing relay) and the admin API, so a staff answer
 * goes out exactly like a volunteer's. Every message it sends is idempotent on its dedupe key, and every change
 * on the inbound message's ref, so a replayed turn repeats nothing.
 */
export function createHandoffDesk(ports: HandoffPorts) {
  const changed = async (handoff: Pick<Handoff, 'id' | 'wardCode'>, kind: HandoffEventKind) => {
    try {
      await ports.handoffChanged?.({ id: handoff.id, kind, wardCode: handoff.wardCode });
    } catch {
      // Pages catch up when they are read again.
    }
  };
  const languageOf = async (chat: HandoffChat): Promise<Language> =>
    (await ports.contacts.find(chat.channel, chat.address))?.language ?? 'vi';

  /** Messages to `chat`, split for SMS, keyed from `key`. */
  const toChat = async (
    chat: HandoffChat,
    key: string,
    text: (language: Language) => { prefix: string; body: string },
    citizenId: string | null,
  ): Promise<number> => {
    const language = await languageOf(chat);
    const { prefix, body } = text(language);
    const parts = messagesFor(chat.channel, prefix, body);
    await ports.sendHandoffMessages(
      parts.map((part, index) => ({
        dedupeKey: `${key}-${index}`,
        channel: chat.channel,
        to: chat.address,
        text: part,
        language,
        citizenId,
      })),
    );
    return parts.length;
  };
  /** One sentence to `chat` (it fits one SMS as written). */
  const tell = (
    chat: HandoffChat,
    key: string,
    sentence: (language: Language) => string,
    citizenId: string | null,
  ) => toChat(chat, key, (language) => ({ prefix: '', body: sentence(language) }), citizenId);

  /** The ward whose teams are told: the one of the account's address if it has teams, else null (every team). */
  const routeOf = async (citizenId: string | null) => {
    const address = citizenId ? (await ports.citizens.findProfile(citizenId))?.address : null;
    const ward = address ? wardOfAddress(address) : null;
    if (ward) {
      const members = await ports.teams.membersOfWard(ward.code);
      if (members.length > 0) return { wardCode: ward.code, members };
    }
    return { wardCode: null, members: await ports.teams.membersOfWard(null) };
  };

  /**
   * Tells `members` of hand-off `handoff` as of a new one: its number, the channel, the citizen's phone masked
   * and the last thing they wrote. One message per member, keyed `<key>-<member id>`.
   */
  const announce = async (
    handoff: Handoff,
    members: ReadonlyArray<{ member: TeamMember }>,
    about: { phone: string | null; last: string | null; key: string },
  ) => {
    const where = about.phone
      ? `${channelLabel(handoff.chat.channel)}, ${maskLocalPhone(about.phone)}`
      : channelLabel(handoff.chat.channel);
    for (const { member } of members) {
      await tell(
        { channel: member.channel, address: member.address },
        `${about.key}-${member.id}`,
        (language) => {
          const copy = handoffCopy[language];
          const last = about.last ? shorten(about.last, QUOTE_CHARACTERS) : copy.nothingWritten();
          return copy.newRequest(handoff.id, where, last);
        },
        handoff.citizenId,
      );
    }
  };

  /** The citizen's proven phone: an SMS chat is its phone, a messenger chat has one once linked. */
  const phoneOfChat = async (chat: HandoffChat): Promise<string | null> => {
    const channel = ChannelIdSchema.safeParse(chat.channel);
    if (channel.success && isSmsChannel(channel.data)) return chat.address;
    return (await ports.contacts.find(chat.channel, chat.address))?.phone ?? null;
  };

  return {
    /** The citizen's proven phone on a hand-off's chat (unmasked: mask it to show it), or null when unknown. */
    citizenPhone: (chat: HandoffChat): Promise<string | null> =>
      chat.address === '' ? Promise.resolve(null) : phoneOfChat(chat),

    /**
     * Opens a hand-off for the citizen's chat, tells the members of the teams of their ward (every team when the
     * ward is unknown or has none) and schedules the waiting notice.
     */
    async open(input: {
      chat: HandoffChat;
      citizenId: string | null;
      phone: string | null;
      reason: HandoffReason;
      firstMessage: string | null;
      ref: string;
      at: Date;
    }) {
      const route = await routeOf(input.citizenId);
      const outcome = await ports.handoffs.open(
        {
          chat: input.chat,
          citizenId: input.citizenId,
          wardCode: route.wardCode,
          reason: input.reason,
          firstMessage: input.firstMessage,
          ref: input.ref,
        },
        input.at,
      );
      if (outcome.type !== 'opened') return outcome;
      const { id } = outcome.handoff;
      await changed(outcome.handoff, 'opened');
      await announce(outcome.handoff, route.members, {
        phone: input.phone,
        last: input.firstMessage,
        key: `handoff-${id}-new`,
      });
      await ports.scheduleHandoffWait(
        id,
        new Date(outcome.handoff.createdAt.getTime() + WAITING_NOTICE_AFTER_MS),
      );
      return outcome;
    },

    /**
     * A volunteer takes hand-off `handoffId`: only a member of a team that was told about it (its ward's teams,
     * or every team). Taken: the citizen is told, and the volunteer gets the thread so far.
     */
    async take(handoffId: number, taker: Taker, at: Date): Promise<TakeResult> {
      const membership = taker.phone ? await ports.teams.membershipOf(taker.phone) : null;
      if (!membership) return { type: 'not_member' };
      const handoff = await ports.handoffs.findById(handoffId);
      if (!handoff) return { type: 'not_found', handoffId };
      if (handoff.wardCode !== null && handoff.wardCode !== membership.team.wardCode)
        return { type: 'other_ward', handoffId };
      const outcome = await ports.handoffs.take(
        handoffId,
        { memberId: membership.member.id, teamId: membership.team.id, chat: taker.chat },
        at,
      );
      switch (outcome.type) {
        case 'taken': {
          await changed(handoff, 'taken');
          // Keyed by the taking (who, when): taken again after a release, the citizen is told again.
          const takenAt = outcome.handoff.takenAt?.getTime() ?? at.getTime();
          await tell(
            handoff.chat,
            `handoff-${handoffId}-taken-${membership.member.id}-${takenAt}`,
            (l) => handoffCopy[l].taken(handoffId),
            handoff.citizenId,
          );
          const messages = (await ports.handoffs.thread(handoffId)).filter((m) => m.author === 'citizen');
          const thread = messages
            .slice(-THREAD_SHOWN)
            .flatMap((m) => messagesFor(taker.chat.channel, `[#${handoffId}] `, m.text));
          return { type: 'taken', handoffId, thread };
        }
        case 'held_by_other': {
          const holder = outcome.handoff.holder;
          const team = holder ? await ports.teams.findById(holder.teamId) : null;
          const member = holder
            ? (await ports.teams.members(holder.teamId)).find((m) => m.id === holder.memberId)
            : null;
          return {
            type: 'held_by_other',
            handoffId,
            team: shorten(team?.name ?? '-', TEAM_NAME_CHARACTERS),
            phone: member ? maskLocalPhone(member.phone) : '-',
          };
        }
        case 'holding_another':
          return { type: 'holding_another', handoffId: outcome.handoff.id };
        case 'closed':
          return { type: 'closed', handoffId };
        case 'not_found':
          return { type: 'not_found', handoffId };
      }
    },

    /**
     * What the citizen writes while their hand-off is active: kept in the thread, relayed to the holder when it
     * is held. Resolves whether the citizen should be told it was kept (once per hand-off, while nobody holds it).
     */
    async fromCitizen(
      handoffId: number,
      text: string,
      ref: string,
      at: Date,
    ): Promise<{ tellKept: boolean }> {
      const handoff = await ports.handoffs.findById(handoffId);
      const stored =
        handoff && (await ports.handoffs.append(handoffId, { author: 'citizen', text, ref }, at));
      if (!handoff || !stored) return { tellKept: false };
      await changed(handoff, 'message');
      if (handoff.status === 'held' && handoff.holder) {
        await toChat(
          handoff.holder.chat,
          `handoff-${handoffId}-m${stored.id}`,
          (l) => ({ prefix: handoffCopy[l].threadLine(handoffId, ''), body: text }),
          handoff.citizenId,
        );
        return { tellKept: false };
      }
      const thread = await ports.handoffs.thread(handoffId);
      if (thread.some((m) => m.author === 'bot')) return { tellKept: false };
      const language = await languageOf(handoff.chat);
      await ports.handoffs.append(
        handoffId,
        { author: 'bot', text: handoffCopy[language].kept(handoffId), ref: `${ref}-kept` },
        at,
      );
      return { tellKept: true };
    },

    /**
     * An answer to the citizen, from the volunteer holding the hand-off or from staff: kept in the thread and
     * sent on the citizen's channel (split into one-segment GSM-7 parts on SMS). Staff answers are copied to the
     * holder, if any.
     */
    async answer(
      handoffId: number,
      from: { author: 'volunteer'; memberId: string } | { author: 'staff' },
      text: string,
      ref: string,
      at: Date,
    ): Promise<AnswerResult> {
      const handoff = await ports.handoffs.findById(handoffId);
      if (!handoff) return { type: 'not_found' };
      const memberId = from.author === 'volunteer' ? from.memberId : null;
      const stored = await ports.handoffs.append(handoffId, { author: from.author, memberId, text, ref }, at);
      if (!stored) return { type: 'closed' };
      await changed(handoff, 'message');
      const parts = await toChat(
        handoff.chat,
        `handoff-${handoffId}-m${stored.id}`,
        () => ({ prefix: '', body: text }),
        handoff.citizenId,
      );
      if (from.author === 'staff' && handoff.status === 'held' && handoff.holder) {
        await toChat(
          handoff.holder.chat,
          `handoff-${handoffId}-m${stored.id}-holder`,
          (l) => ({ prefix: handoffCopy[l].staffWrote(handoffId, ''), body: text }),
          handoff.citizenId,
        );
      }
      return { type: 'sent', parts };
    },

    /** Closes a hand-off and tells the other side(s): the citizen (unless they closed it) and the holder. */
    async close(handoffId: number, by: { closer: HandoffCloser; memberId?: string | null }, at: Date) {
      const outcome = await ports.handoffs.close(handoffId, by, at);
      if (outcome.type !== 'closed') return outcome;
      const { handoff } = outcome;
      await changed(handoff, 'closed');
      if (by.closer !== 'citizen' && handoff.chat.address !== '') {
        await tell(
          handoff.chat,
          `handoff-${handoffId}-closed`,
          (l) => handoffCopy[l].closedForCitizen(handoffId),
          handoff.citizenId,
        );
      }
      if (handoff.holder && by.closer !== 'volunteer') {
        const sentence = by.closer === 'citizen' ? 'citizenLeft' : 'closedByStaff';
        await tell(
          handoff.holder.chat,
          `handoff-${handoffId}-closed-holder`,
          (l) => handoffCopy[l][sentence](handoffId),
          handoff.citizenId,
        );
      }
      return outcome;
    },

    /**
     * Gives back the hand-off member `memberId` holds, when they leave their team (`volunteer`) or staff remove
     * them (`staff`): it is open again and relayed to nobody, the citizen is told another volunteer will take it,
     * and the members of the teams of its ward (every team when it has none) are told again as of a new one,
     * with the last thing the citizen wrote (the one leaving is not told). Null when they held none.
     */
    async release(memberId: string, by: 'volunteer' | 'staff', at: Date): Promise<Handoff | null> {
      const handoff = await ports.handoffs.release(memberId, by, at);
      if (!handoff) return null;
      await changed(handoff, 'released');
      const key = `handoff-${handoff.id}-released-${memberId}-${at.getTime()}`;
      const language = await languageOf(handoff.chat);
      const text = handoffCopy[language].takenAgain(handoff.id);
      await ports.handoffs.append(handoff.id, { author: 'bot', text, ref: key }, at);
      await tell(handoff.chat, key, () => text, handoff.citizenId);
      const members = (await ports.teams.membersOfWard(handoff.wardCode)).filter(
        ({ member }) => member.id !== memberId,
      );
      const last = (await ports.handoffs.thread(handoff.id)).findLast((m) => m.author === 'citizen');
      await announce(handoff, members, {
        phone: await phoneOfChat(handoff.chat),
        last: last?.text ?? null,
        key: `${key}-new`,
      });
      return handoff;
    },

    /**
     * The waiting notice, due 10 minutes after opening: if nobody has taken the hand-off, the citizen is told
     * when to expect an answer (once), within answer hours; outside them it is due again at 07:00.
     */
    async remindWaiting(
      handoffId: number,
      now: Date,
    ): Promise<{ type: 'sent' | 'nothing' } | { type: 'later'; at: Date }> {
      const handoff = await ports.handoffs.findById(handoffId);
      if (handoff?.status !== 'open') return { type: 'nothing' };
      const next = nextAnswerHour(now);
      if (next > now) return { type: 'later', at: next };
      if (handoff.waitingNoticeAt === null && !(await ports.handoffs.markWaitingNotice(handoffId, now)))
        return { type: 'nothing' };
      const language = await languageOf(handoff.chat);
      const localHour = new Date(now.getTime() + VIETNAM_OFFSET_MS).getUTCHours();
      const sentence = localHour < ANSWER_HOURS.to - 1 ? 'waitingToday' : 'waitingTomorrow';
      const text = handoffCopy[language][sentence](handoffId);
      await ports.handoffs.append(
        handoffId,
        { author: 'bot', text, ref: `handoff-${handoffId}-waiting` },
        now,
      );
      await changed(handoff, 'message');
      await tell(handoff.chat, `handoff-${handoffId}-waiting`, () => text, handoff.citizenId);
      return { type: 'sent' };
    },
  };
}

/** The hand-off desk (see {@link createHandoffDesk}). */
export type HandoffDesk = ReturnType<typeof createHandoffDesk>;

/** `at` itself within answer hours (07:00-21:00 Vietnam time), else the next 07:00. */
export function nextAnswerHour(at: Date): Date {
  const local = new Date(at.getTime() + VIETNAM_OFFSET_MS);
  const hour = local.getUTCHours();
  if (hour >= ANSWER_HOURS.from && hour < ANSWER_HOURS.to) return at;
  const morning = new Date(local);
  morning.setUTCHours(ANSWER_HOURS.from, 0, 0, 0);
  if (hour >= ANSWER_HOURS.to) morning.setUTCDate(morning.getUTCDate() + 1);
  return new Date(morning.getTime() - VIETNAM_OFFSET_MS);
}
