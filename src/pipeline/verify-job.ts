import type { Logger } from 'pino';
import { accountCopy, describeAccount } from '../../flows/account/account.copy.ts';
import { assistedCopy } from '../../flows/assisted/assisted.copy.ts';
import { formatAccountCode } from '../domain/citizens/account-code.ts';
import type { Citizen } from '../domain/citizens/citizen.ts';
import type { CitizenRepository } from '../domain/citizens/citizen-repository.ts';
import type { ContactRepository } from '../domain/contacts/contact.ts';
import type { TeamRepository } from '../domain/teams/team.ts';
import { compareWithRegistry } from '../domain/verification/compare-with-registry.ts';
import {
  type PopulationRegistry,
  RegistryUnavailableError,
} from '../domain/verification/population-registry.ts';
import { ChannelIdSchema } from '../messaging/channel.ts';
import type { NewOutbound } from '../storage/postgres/outbox.ts';
import type { Notify } from './notify.ts';

/** How long to wait before another round of checks when the registry stayed down through all retries. */
export const LATER_ROUND_DELAY_MS = 60 * 60 * 1000;
/** Rounds of checks before giving up (an operator then re-queues from the audit). */
export const MAX_ROUNDS = 3;
/** A result within this long after the account opened is urgent (the person is waiting): quiet hours or not. */
export const WAITING_FOR_RESULT_MS = 60 * 60 * 1000;

/** What the volunteer's notice of a registry check needs. */
export interface RegistrarNoticeDeps {
  readonly teams: Pick<TeamRepository, 'members'>;
  readonly contacts: Pick<ContactRepository, 'find'>;
  /** Stores messages in the outbox (once per dedupe key) and queues their sending. */
  queueOutbound(items: readonly NewOutbound[]): Promise<void>;
}

/** How often the job looks again while the turn that opened the account has not been handled yet. */
export const OPENING_TURN_WAIT_MS = 2000;

/** The run of one verify job: which attempt it is, and how to put it off without counting an attempt. */
export interface VerifyJobRun {
  readonly attemptsMade: number;
  readonly maxAttempts: number;
  /** Puts the job off by `delayMs` (not counted as an attempt). Never returns. */
  defer(delayMs: number): Promise<never>;
}

/** What the verify job needs. */
export interface VerifyJobDeps extends RegistrarNoticeDeps {
  readonly citizens: Pick<CitizenRepository, 'findById' | 'findIdentity' | 'recordVerification'>;
  /** Whether an inbound message still waits for its turn (`Inbox.isPending`). */
  inboundPending(id: number): Promise<boolean>;
  readonly registry: Pick<PopulationRegistry, 'lookup'>;
  readonly notify: Notify;
  /** Queues another round of checks of the account in `delayMs` (job id per citizen and round). */
  checkLater(citizenId: string, round: number, delayMs: number): Promise<void>;
  readonly clock: () => Date;
  readonly logger: Pick<Logger, 'info' | 'warn'>;
}

/**
 * Checks a provisional account against the population registry, records the outcome and tells the citizen on
 * the channel they used last (SMS as the fallback), once the turn that opened the account (if a turn did) is handled. The registry being down is retried with backoff; after the last retry the citizen
 * is told the check is delayed and another round is scheduled. Safe to run twice: the outcome is recorded once
 * and the message is stored once (dedupe key). The result is urgent within an hour of opening the account (the
 * person just registered and waits for it); a later result, and the delay notice, wait out the quiet hours.
 */
export function createVerifyJob(deps: VerifyJobDeps) {
  const { citizens, registry, logger } = deps;
  const tellVolunteer = createRegistrarNotice(deps);

  const notify = (citizen: Citizen, kind: string, text: (language: 'vi' | 'en') => string, urgent = false) =>
    deps.notify(citizen, `verify-${citizen.id}-${kind}`, (language) => ({ text: text(language) }), {
      urgent,
    });

  return async (
    {
      citizenId,
      round,
      afterInbound,
    }: { citizenId: string; round: number; afterInbound?: number | undefined },
    attempt: VerifyJobRun,
  ): Promise<void> => {
    // The turn that opened the account has not been handled yet (a crash replays it later): its "account
    // opened" reply must reach the citizen before the result, so the check waits for it.
    if (afterInbound !== undefined && (await deps.inboundPending(afterInbound))) {
      return attempt.defer(OPENING_TURN_WAIT_MS);
    }
    let citizen = await citizens.findById(citizenId);
    if (!citizen) return;
    if (citizen.status === 'provisional') {
      const identity = await citizens.findIdentity(citizenId);
      if (!identity) return;
      try {
        const result = compareWithRegistry(identity, await registry.lookup(identity.cccd));
        citizen = (await citizens.recordVerification(citizenId, result)) ?? citizen;
        logger.info({ citizenId, outcome: result.outcome }, 'registry check recorded');
      } catch (error) {
        const lastAttempt = attempt.attemptsMade + 1 >= attempt.maxAttempts;
        if (!(error instanceof RegistryUnavailableError) || !lastAttempt) throw error;
        const code = formatAccountCode(citizen.accountCode);
        await notify(citizen, `delayed-${round}`, (language) => accountCopy[language].delayed(code));
        if (round + 1 < MAX_ROUNDS) {
          await deps.checkLater(citizenId, round + 1, LATER_ROUND_DELAY_MS);
        }
        logger.warn(
          { citizenId, round },
          'registry unavailable after all retries; citizen told of the delay',
        );
        return;
      }
    }
    const code = formatAccountCode(citizen.accountCode);
    const checked = citizen;
    const waiting = deps.clock().getTime() - checked.createdAt.getTime() < WAITING_FOR_RESULT_MS;
    await notify(
      checked,
      'result',
      (language) =>
        checked.status === 'verified'
          ? accountCopy[language].verified(code)
          : checked.mismatchField
            ? accountCopy[language].notMatched(code, checked.mismatchField)
            : describeAccount(language, { accountCode: code, status: checked.status, mismatchField: null }),
      waiting,
    );
    await tellVolunteer(checked);
  };
}

/**
 * Tells the volunteer who registered an account (DKH: `registeredBy`) the result of its registry check, in the chat
 * they joined their team from, once (dedupe key). Nothing when the account was not registered by a volunteer, or
 * the member has left the team since.
 */
export function createRegistrarNotice(ports: RegistrarNoticeDeps): (citizen: Citizen) => Promise<void> {
  return async (citizen) => {
    const by = citizen.registeredBy;
    if (!by || citizen.status === 'provisional') return;
    const member = (await ports.teams.members(by.teamId)).find((m) => m.id === by.memberId);
    if (!member) return;
    const language = (await ports.contacts.find(member.channel, member.address))?.language ?? 'vi';
    const copy = assistedCopy[language];
    const code = formatAccountCode(citizen.accountCode);
    const field = {
      cccd: copy.fieldCccd(),
      full_name: copy.fieldName(),
      date_of_birth: copy.fieldBirthDate(),
    } as const;
    const text =
      citizen.status === 'verified'
        ? copy.verified(code)
        : copy.notMatched(code, citizen.mismatchField ? field[citizen.mismatchField] : field.cccd);
    await ports.queueOutbound([
      {
        dedupeKey: `verify-${citizen.id}-volunteer`,
        channel: ChannelIdSchema.parse(member.channel),
        to: member.address,
        reply: { text },
        language,
        purpose: 'reply',
      },
    ]);
  };
}
