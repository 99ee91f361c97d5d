import type {
  AssistedRequest,
  AssistedRequestRepository,
  DecideOutcome,
} from '../../src/domain/assisted/assisted-request.ts';
import {
  consentCode,
  consentCodeHash,
  MAX_PENDING_PER_MEMBER,
  MAX_REQUESTS_PER_HOUR,
  MAX_WRONG_CODES,
} from '../../src/domain/assisted/consent-code.ts';
import { openAssistedAccount } from '../../src/domain/assisted/open-assisted-account.ts';
import { formatAccountCode } from '../../src/domain/citizens/account-code.ts';
import { formatBirthDate } from '../../src/domain/citizens/birth-date.ts';
import type { CitizenRepository } from '../../src/domain/citizens/citizen-repository.ts';
import type { ContactRepository } from '../../src/domain/contacts/contact.ts';
import type { TeamRepository } from '../../src/domain/teams/team.ts';
import type { EffectContext } from '../../src/engine/flow-context.ts';
import type { EffectRunners } from '../../src/engine/flow-kit.ts';
import { type ChannelId, ChannelIdSchema, type Language } from '../../src/messaging/channel.ts';
import type { KeyedHash } from '../../src/shared/crypto.ts';
import { maskPhone } from '../../src/shared/phone.ts';
import { CONSENT_PURPOSE, registrationCopy } from '../registration/registration.copy.ts';
import { ASSISTED_CONSENT_TEXT_VERSION, assistedCopy, maskCccd, teamForSms } from './assisted.copy.ts';
import type { AssistedEffects } from './assisted.flow.ts';
import type { ConsentAnswerEffects } from './consent-answer.flow.ts';

/** A message to someone other than the sender of the turn: the neighbour's SMS, a notice to the volunteer. */
export interface OutgoingMessage {
  readonly channel: ChannelId;
  readonly to: string;
  readonly text: string;
  readonly language: Language;
  /** Storing the same key twice sends once. */
  readonly dedupeKey: string;
}

/** What assisted registration needs from the rest of the service. */
export interface AssistedPorts {
  readonly teams: Pick<TeamRepository, 'membershipOf'>;
  readonly assisted: AssistedRequestRepository;
  readonly citizens: CitizenRepository;
  readonly contacts: ContactRepository;
  readonly keyedHash: KeyedHash;
  /** The SMS channel the neighbour is texted on; null when none is configured (DKH is then unavailable). */
  readonly smsChannel: ChannelId | null;
  /** How long the neighbour has to answer. */
  readonly consentTtlSeconds: number;
  /** Stores a message in the outbox and schedules its sending (idempotent on its dedupe key). */
  sendMessage(message: OutgoingMessage): Promise<void>;
  /** Schedules the expiry of a request at `at` (idempotent per request). */
  expireLater(requestId: string, at: Date): Promise<void>;
  /** Schedules the population-registry check of a new account (as self-registration does, `openedByRef` too). */
  verifyLater(citizenId: string, openedByRef?: string): Promise<void>;
}

/**
 * Who asks, and from where: the volunteer's proven phone (their membership is looked up by it), the chat where
 * outcomes are told to them, their language, the moment, and a reference that makes asking idempotent. A chat
 * turn's `EffectContext` is one; the console's Register page builds one for the signed-in member.
 */
export type Asker = Pick<EffectContext, 'phone' | 'channel' | 'address' | 'language' | 'ref' | 'now'>;

/** The neighbour's details, as the volunteer gave them. */
export interface NeighbourDetails {
  readonly phone: string;
  readonly fullName: string;
  readonly cccd: string;
  readonly dateOfBirth: string;
}

/** What asking for the neighbour's consent gave. */
export type RequestConsentResult =
  | { readonly type: 'sent'; readonly requestId: string; readonly minutes: number }
  | { readonly type: 'notMember' }
  | { readonly type: 'phoneHasAccount' }
  | { readonly type: 'cccdTaken' }
  | { readonly type: 'phonePending' }
  /** The neighbour's phone opted out of our SMS (STOP, TUCHOI): the consent SMS could not reach it. */
  | { readonly type: 'optedOut' }
  | { readonly type: 'tooManyPending'; readonly max: number }
  | { readonly type: 'hourlyLimit'; readonly max: number }
  | { readonly type: 'unavailable' };

/** How a request ended, or that it still waits; what the volunteer is told. */
export type RequestOutcome =
  | { readonly type: 'opened'; readonly phone: string; readonly accountCode: string }
  | { readonly type: 'waiting'; readonly phone: string }
  | { readonly type: 'wrongCode'; readonly triesLeft: number }
  | { readonly type: 'failedCodes'; readonly phone: string }
  | { readonly type: 'refused'; readonly phone: string }
  | { readonly type: 'expired'; readonly phone: string }
  | { readonly type: 'phoneHasAccount' }
  | { readonly type: 'cccdTaken' }
  | { readonly type: 'alreadyDone' }
  | { readonly type: 'noPending' }
  | { readonly type: 'notMember' };

/** What the neighbour's `CO` or `KHONG` did; `none` when no request waits for their phone. */
export type NeighbourAnswerResult =
  | { readonly type: 'none' }
  | { readonly type: 'opened'; readonly accountCode: string }
  | { readonly type: 'refused' }
  | { readonly type: 'expired' }
  | { readonly type: 'phoneHasAccount' }
  | { readonly type: 'cccdTaken' };

/**
 * Assisted registration (DKH): asking the neighbour's consent by SMS, taking it (the neighbour's reply, or the code
 * typed by the volunteer), opening the account on consent, and telling the other party. Every step checks the
 * volunteer is still a member of a team, so a removed member loses DKH at once.
 */
export function createAssisted(ports: AssistedPorts) {
  const ttlMs = ports.consentTtlSeconds * 1000;
  const minutes = Math.round(ports.consentTtlSeconds / 60);

  const memberOf = async (ctx: Pick<Asker, 'phone'>) =>
    ctx.phone === null ? null : ports.teams.membershipOf(ctx.phone);

  /** The language the neighbour reads: theirs if they used the SMS channel before, else Vietnamese. */
  const neighbourLanguage = async (phone: string): Promise<Language> => {
    if (ports.smsChannel === null) return 'vi';
    return (await ports.contacts.find(ports.smsChannel, phone))?.language ?? 'vi';
  };

  const tellVolunteer = (
    request: AssistedRequest,
    kind: string,
    text: (t: (typeof assistedCopy)['vi']) => string,
  ) =>
    ports.sendMessage({
      channel: ChannelIdSchema.parse(request.volunteerChannel),
      to: request.volunteerAddress,
      text: text(assistedCopy[request.language]),
      language: request.language,
      dedupeKey: `assisted-${request.id}-${kind}`,
    });

  /** Opens the account of a consented request; the welcome SMS goes to the neighbour unless they are the sender. */
  const open = async (request: AssistedRequest, ctx: Asker, neighbourIsSender: boolean) => {
    const language = neighbourIsSender ? ctx.language : await neighbourLanguage(request.neighbourPhone);
    const outcome = await openAssistedAccount(ports, request, {
      channel: ctx.channel,
      at: ctx.now,
      consent: {
        purpose: CONSENT_PURPOSE,
        textVersion: ASSISTED_CONSENT_TEXT_VERSION,
        channel: ctx.channel,
        language,
      },
    });
    if (outcome.type !== 'opened') return outcome;
    await ports.verifyLater(outcome.citizen.id, ctx.ref);
    const code = formatAccountCode(outcome.citizen.accountCode);
    if (!neighbourIsSender && ports.smsChannel !== null) {
      await ports.sendMessage({
        channel: ports.smsChannel,
        to: request.neighbourPhone,
        text: registrationCopy[language].opened(code),
        language,
        dedupeKey: `assisted-${request.id}-welcome`,
      });
    }
    return { type: 'opened' as const, code };
  };

  /** What the volunteer is told of a decision on their request (by them typing a code, or found later). */
  const volunteerOutcome = async (decided: DecideOutcome, ctx: Asker): Promise<RequestOutcome> => {
    const phone = maskPhone(decided.request.neighbourPhone);
    switch (decided.type) {
      case 'consented': {
        const opened = await open(decided.request, ctx, false);
        if (opened.type === 'opened') return { type: 'opened', phone, accountCode: opened.code };
        return { type: opened.type === 'phone_taken' ? 'phoneHasAccount' : 'cccdTaken' };
      }
      case 'wrong_code':
        return { type: 'wrongCode', triesLeft: decided.triesLeft };
      case 'failed':
        return { type: 'failedCodes', phone };
      case 'expired':
        return { type: 'expired', phone };
      case 'refused':
        return { type: 'refused', phone };
      case 'not_pending':
        // A turn that stopped between consent and opening opens it now (once: the opening is idempotent).
        if (decided.request.status === 'consented')
          return volunteerOutcome({ ...decided, type: 'consented' }, ctx);
        return { type: 'alreadyDone' };
    }
  };

  return {
    /** Whether the sender is a member of a team (the DKH flow asks first, and answers non-members at once). */
    async isMember(ctx: EffectContext): Promise<boolean> {
      return (await memberOf(ctx)) !== null;
    },

    /**
     * Checks the volunteer, the phone and the CCCD, then stores the request (limits) and texts the neighbour the
     * summary with the code. Idempotent on the inbound message: a replayed turn finds the same request and the SMS
     * is stored once.
     */
    async requestConsent(details: NeighbourDetails, ctx: Asker): Promise<RequestConsentResult> {
      const membership = await memberOf(ctx);
      if (!membership) return { type: 'notMember' };
      if (ports.smsChannel === null) return { type: 'unavailable' };
      if (await ports.citizens.findByPhone(details.phone)) return { type: 'phoneHasAccount' };
      if (await ports.citizens.findByCccd(details.cccd)) return { type: 'cccdTaken' };
      if ((await ports.contacts.find(ports.smsChannel, details.phone))?.optedOutAt)
        return { type: 'optedOut' };
      const code = consentCode(ports.keyedHash, details.phone, ctx.ref);
      const codeHash = consentCodeHash(ports.keyedHash, details.phone, code);
      if (codeHash === null) throw new Error('a derived consent code is always 6 digits');
      const { team, member } = membership;
      const created = await ports.assisted.create(
        {
          teamId: team.id,
          memberId: member.id,
          volunteerChannel: ctx.channel,
          volunteerAddress: ctx.address,
          language: ctx.language,
          neighbourPhone: details.phone,
          fullName: details.fullName,
          cccd: details.cccd,
          dateOfBirth: details.dateOfBirth,
          codeHash,
          ref: ctx.ref,
          createdAt: ctx.now,
          expiresAt: new Date(ctx.now.getTime() + ttlMs),
        },
        { maxPending: MAX_PENDING_PER_MEMBER, maxPerHour: MAX_REQUESTS_PER_HOUR },
      );
      switch (created.type) {
        case 'too_many_pending':
          return { type: 'tooManyPending', max: MAX_PENDING_PER_MEMBER };
        case 'hourly_limit':
          return { type: 'hourlyLimit', max: MAX_REQUESTS_PER_HOUR };
        case 'phone_pending':
          return { type: 'phonePending' };
        case 'created':
          break;
      }
      const { request } = created;
      const language = await neighbourLanguage(details.phone);
      const copy = assistedCopy[language];
      const summary = copy.consentSummary(
        details.fullName,
        maskCccd(details.cccd),
        formatBirthDate(details.dateOfBirth),
      );
      await ports.expireLater(request.id, request.expiresAt);
      // Two one-segment SMS, delivered in order (one send job per recipient): what is asked, then how to answer.
      const sms = { channel: ports.smsChannel, to: details.phone, language };
      await ports.sendMessage({ ...sms, text: summary, dedupeKey: `assisted-${request.id}-consent` });
      await ports.sendMessage({
        ...sms,
        text: copy.consentAnswer(teamForSms(team.name), code, minutes),
        dedupeKey: `assisted-${request.id}-consent-answer`,
      });
      return { type: 'sent', requestId: request.id, minutes };
    },

    /**
     * A code the volunteer typed: it consents for whichever of their waiting requests it is the code of (so the
     * code of an earlier neighbour still works after a second DKH); a wrong code counts against `requestId` (the
     * request their conversation waits for) or, for `DKH <code>` (null), their latest waiting request.
     */
    async typeCode(requestId: string | null, typed: string, ctx: Asker): Promise<RequestOutcome> {
      const membership = await memberOf(ctx);
      if (!membership) return { type: 'notMember' };
      const pending = await ports.assisted.pendingOfMember(membership.member.id, ctx.now);
      const hashFor = (request: AssistedRequest) =>
        consentCodeHash(ports.keyedHash, request.neighbourPhone, typed) ?? '';
      const matching = pending.find((request) => request.codeHash === hashFor(request));
      const target =
        matching ?? (requestId === null ? (pending[0] ?? null) : await ports.assisted.findById(requestId));
      if (target === null || target.memberId !== membership.member.id) return { type: 'noPending' };
      const decision = { type: 'code' as const, codeHash: hashFor(target) };
      const decided = await ports.assisted.decide(target.id, decision, ctx.now, MAX_WRONG_CODES);
      return decided === null ? { type: 'noPending' } : volunteerOutcome(decided, ctx);
    },

    /**
     * The neighbour's `CO` or `KHONG` from their own phone, by SMS. `none` when no request waits for it (the
     * words then keep their ordinary meaning). The volunteer is told the outcome in their chat.
     */
    async neighbourAnswer(answer: 'yes' | 'no', ctx: EffectContext): Promise<NeighbourAnswerResult> {
      if (ctx.phone === null || ctx.channel !== ports.smsChannel) return { type: 'none' };
      const pending = await ports.assisted.pendingForPhone(ctx.phone, ctx.now);
      if (pending === null) return { type: 'none' };
      const decided = await ports.assisted.decide(
        pending.id,
        { type: 'reply', answer },
        ctx.now,
        MAX_WRONG_CODES,
      );
      if (decided === null) return { type: 'none' };
      const request = decided.request;
      const phone = maskPhone(request.neighbourPhone);
      switch (decided.type) {
        case 'refused':
          await tellVolunteer(request, 'outcome', (t) => t.refused(phone));
          return { type: 'refused' };
        case 'expired':
          await tellVolunteer(request, 'outcome', (t) => t.expired(phone));
          return { type: 'expired' };
        case 'consented':
        case 'not_pending': {
          if (decided.request.status !== 'consented') return { type: 'none' };
          const opened = await open(request, ctx, true);
          if (opened.type === 'opened') {
            await tellVolunteer(request, 'outcome', (t) => t.opened(phone, opened.code));
            return { type: 'opened', accountCode: opened.code };
          }
          await tellVolunteer(request, 'outcome', (t) =>
            opened.type === 'phone_taken' ? t.phoneHasAccount() : t.cccdTaken(),
          );
          return { type: opened.type === 'phone_taken' ? 'phoneHasAccount' : 'cccdTaken' };
        }
        case 'wrong_code':
        case 'failed':
          return { type: 'none' };
      }
    },

    /** The expiry job: expires the request if nobody answered, and tells the volunteer. Too early: retried. */
    async expire(requestId: string, at: Date): Promise<'expired' | 'decided' | 'early'> {
      const decided = await ports.assisted.decide(requestId, { type: 'expire' }, at, MAX_WRONG_CODES);
      if (decided === null) return 'decided';
      if (decided.type === 'expired') {
        const phone = maskPhone(decided.request.neighbourPhone);
        await tellVolunteer(decided.request, 'outcome', (t) => t.expired(phone));
        return 'expired';
      }
      return decided.request.status === 'pending' ? 'early' : 'decided';
    },
  };
}

/** Assisted registration, as built by {@link createAssisted}. */
export type Assisted = ReturnType<typeof createAssisted>;

/** The runners of the effects of DKH and of the neighbour's answer. */
export function assistedRunners(assisted: Assisted): EffectRunners<AssistedEffects & ConsentAnswerEffects> {
  return {
    checkMember: (_effect, ctx) => assisted.isMember(ctx),
    requestConsent: ({ type: _type, ...details }, ctx) => assisted.requestConsent(details, ctx),
    typeCode: (effect, ctx) => assisted.typeCode(effect.requestId, effect.code, ctx),
    neighbourAnswer: (effect, ctx) => assisted.neighbourAnswer(effect.answer, ctx),
  };
}
