import { z } from 'zod';
import { formatAccountCode } from '../../src/domain/citizens/account-code.ts';
import { formatBirthDate, parseBirthDate } from '../../src/domain/citizens/birth-date.ts';
import { cccdBirthYear, checkCccdAgainstBirthDate, parseCccd } from '../../src/domain/citizens/cccd.ts';
import { parseFullName } from '../../src/domain/citizens/full-name.ts';
import type { FlowContext } from '../../src/engine/flow-context.ts';
import { type FlowDefinition, finish, goTo, type Outcome, perform, stay } from '../../src/engine/flow-kit.ts';
import type { Reply } from '../../src/messaging/outbound-message.ts';
import { foldForMatch } from '../../src/shared/text.ts';
import { describeAccount } from '../account/account.copy.ts';
import { identityCopy } from '../identity/identity.copy.ts';
import {
  AskCodeSchema,
  AskPhoneSchema,
  type PhoneEffect,
  type PhoneResult,
  phoneSteps,
} from '../identity/phone-proof.ts';
import { parseRegistrationParts } from './parse-registration.ts';
import { registrationCopy } from './registration.copy.ts';

/** Wrong answers allowed per question before the flow points the person to human help. */
export const MAX_ATTEMPTS = 3;

const attempts = z.number().int().min(0).max(MAX_ATTEMPTS);
const fullName = z.string().min(1).max(80);
const cccd = z.string().regex(/^\d{12}$/);
const dateOfBirth = z.iso.date();

/**
 * The registration conversation: on a messenger, first the phone number (shared or proven by an SMS code);
 * then one step per question, then consent, then opening the account.
 */
export const RegistrationStateSchema = z.discriminatedUnion('step', [
  AskPhoneSchema,
  AskCodeSchema,
  z.object({ step: z.literal('askName'), attempts }),
  z.object({ step: z.literal('askCccd'), attempts, fullName }),
  z.object({ step: z.literal('askBirthDate'), attempts, fullName, cccd }),
  z.object({ step: z.literal('confirm'), attempts, fullName, cccd, dateOfBirth }),
  z.object({ step: z.literal('opening'), fullName, cccd, dateOfBirth }),
]);
/** A state of the registration conversation. */
export type RegistrationState = z.infer<typeof RegistrationStateSchema>;

/** Opening the account (idempotent per inbound message); its phone is the proven `ctx.phone`. */
export interface OpenAccountEffect {
  readonly type: 'openAccount';
  readonly fullName: string;
  readonly cccd: string;
  readonly dateOfBirth: string;
}

/** What opening the account gave. */
export type OpenAccountResult =
  | { readonly type: 'opened'; readonly accountCode: string }
  | {
      readonly type: 'phoneHasAccount';
      readonly accountCode: string;
      readonly status: 'provisional' | 'verified' | 'not_matched';
    }
  | { readonly type: 'cccdTaken' };

/** The effects of registration: proving the phone on a messenger, then opening the account. */
export type RegistrationEffect = OpenAccountEffect | PhoneEffect;
/** What the effects of registration give. */
export type RegistrationResult = OpenAccountResult | PhoneResult;

type Out = Outcome<RegistrationState, RegistrationEffect>;

const say = (text: string): Reply => ({ text });
const t = (ctx: FlowContext) => registrationCopy[ctx.language];

const YES = new Set(['co', 'c', 'yes', 'y', 'ok', 'dong y', 'toi dong y', '1', 'agree']);
const NO = new Set(['khong', 'k', 'ko', 'no', 'n', 'khong dong y', '2', 'tu choi']);

/** A wrong answer: re-ask with `hint`, or after the last allowed try, point to help and end. */
function retry(
  state: Extract<RegistrationState, { step: 'askName' | 'askCccd' | 'askBirthDate' | 'confirm' }>,
  hint: string,
  ctx: FlowContext,
): Out {
  const used = state.attempts + 1;
  if (used >= MAX_ATTEMPTS) return finish(say(t(ctx).tooManyTries()));
  return stay({ ...state, attempts: used }, say(hint));
}

function nameHint(reason: 'empty' | 'too_short' | 'too_long' | 'characters', ctx: FlowContext): string {
  if (reason === 'too_long') return t(ctx).nameTooLong();
  if (reason === 'characters') return t(ctx).nameCharacters();
  return t(ctx).nameEmpty();
}

function dateHint(reason: 'format' | 'invalid' | 'future' | 'too_old', ctx: FlowContext): string {
  const copy = t(ctx);
  return {
    format: copy.dateFormat(),
    invalid: copy.dateInvalid(),
    future: copy.dateFuture(),
    too_old: copy.dateTooOld(),
  }[reason];
}

/** Reads a CCCD answer: the number, or the hint for what is wrong with it (format, province, century). */
function readCccd(text: string, ctx: FlowContext): { ok: true; value: string } | { ok: false; hint: string } {
  const id = parseCccd(text);
  if (!id.ok)
    return { ok: false, hint: id.reason === 'format' ? t(ctx).cccdFormat() : t(ctx).cccdProvince() };
  if (cccdBirthYear(id.value) > ctx.now.getUTCFullYear()) return { ok: false, hint: t(ctx).cccdYear() };
  return id;
}

/** Takes a date answer for a known name and CCCD: on to consent, or re-ask with the reason. */
function acceptBirthDate(
  state: Extract<RegistrationState, { step: 'askBirthDate' }>,
  text: string,
  ctx: FlowContext,
): Out {
  const date = parseBirthDate(text, ctx.now);
  if (!date.ok) return retry(state, dateHint(date.reason, ctx), ctx);
  const check = checkCccdAgainstBirthDate(state.cccd, date.value);
  if (!check.ok) return retry(state, t(ctx).dateMismatch(check.expectedYear), ctx);
  return goTo({
    step: 'confirm',
    attempts: 0,
    fullName: state.fullName,
    cccd: state.cccd,
    dateOfBirth: date.value,
  });
}

/**
 * Starts from whatever came with the keyword: nothing (ask each question), or some or all of the fields at once
 * ("DK Nguyen Van An, 048090001234, 15/02/1990"). Valid fields are kept; the first missing or invalid one is
 * asked for, with the reason when it was given but invalid.
 */
function startWith(args: string, ctx: FlowContext): Out {
  if (ctx.citizen) return finish(say(t(ctx).alreadyRegistered(describeAccount(ctx.language, ctx.citizen))));
  if (ctx.phone === null)
    return goTo(
      { step: 'askPhone', attempts: 0, pending: args.slice(0, 500) },
      say(identityCopy[ctx.language].registerNeedsPhone()),
    );
  if (args === '') return goTo({ step: 'askName', attempts: 0 });
  const parts = parseRegistrationParts(args);
  const name = parts.name === null ? null : parseFullName(parts.name);
  if (!name?.ok) {
    const askName = goTo<RegistrationState, RegistrationEffect>({ step: 'askName', attempts: 0 });
    return name ? { ...askName, replies: [say(nameHint(name.reason, ctx))] } : askName;
  }
  const id = parts.cccd === null ? null : readCccd(parts.cccd, ctx);
  if (!id?.ok) {
    const next: RegistrationState = { step: 'askCccd', attempts: 0, fullName: name.value };
    return id ? goTo(next, say(id.hint)) : goTo(next);
  }
  const askDate: Extract<RegistrationState, { step: 'askBirthDate' }> = {
    step: 'askBirthDate',
    attempts: 0,
    fullName: name.value,
    cccd: id.value,
  };
  return parts.birthDate === null ? goTo(askDate) : acceptBirthDate(askDate, parts.birthDate, ctx);
}

/** Once the phone is proven: its account is now linked (nothing more to ask), or registration goes on. */
function afterPhoneProven(pending: string, citizen: FlowContext['citizen'], ctx: FlowContext): Out {
  const identity = identityCopy[ctx.language];
  if (citizen) return finish(say(identity.linked(describeAccount(ctx.language, citizen))));
  const next = startWith(pending, { ...ctx, citizen: null });
  return { ...next, replies: [say(identity.phoneConfirmed()), ...next.replies] };
}

const phone = phoneSteps<Out, RegistrationResult>(afterPhoneProven);

/** The registration flow definition (see registration.effects.ts for how the account is opened). */
export const registrationFlow: FlowDefinition<RegistrationState, RegistrationEffect, RegistrationResult> = {
  id: 'registration',
  version: 1,
  stateSchema: RegistrationStateSchema,
  start: (ctx, args) => startWith(args, ctx),
  steps: {
    askPhone: phone.askPhone,
    askCode: phone.askCode,
    askName: {
      prompt: (_state, ctx) => [say(t(ctx).askName())],
      onMessage: (state, text, ctx) => {
        const name = parseFullName(text);
        if (!name.ok) return retry(state, nameHint(name.reason, ctx), ctx);
        return goTo({ step: 'askCccd', attempts: 0, fullName: name.value });
      },
    },
    askCccd: {
      prompt: (_state, ctx) => [say(t(ctx).askCccd())],
      onMessage: (state, text, ctx) => {
        const id = readCccd(text, ctx);
        if (!id.ok) return retry(state, id.hint, ctx);
        return goTo({ step: 'askBirthDate', attempts: 0, fullName: state.fullName, cccd: id.value });
      },
    },
    askBirthDate: {
      prompt: (_state, ctx) => [say(t(ctx).askBirthDate())],
      onMessage: acceptBirthDate,
    },
    confirm: {
      prompt: (state, ctx) => [
        {
          text: t(ctx).confirm(state.fullName, state.cccd, formatBirthDate(state.dateOfBirth)),
          choices: [
            { label: t(ctx).agreeLabel(), payload: t(ctx).agreeKeyword() },
            { label: t(ctx).declineLabel(), payload: t(ctx).declineKeyword() },
          ],
        },
      ],
      onMessage: (state, text, ctx) => {
        const answer = foldForMatch(text);
        if (YES.has(answer)) {
          const { fullName: name, cccd: number, dateOfBirth: date } = state;
          return perform(
            { step: 'opening', fullName: name, cccd: number, dateOfBirth: date },
            { type: 'openAccount', fullName: name, cccd: number, dateOfBirth: date },
          );
        }
        if (NO.has(answer)) return finish(say(t(ctx).declined()));
        return retry(state, t(ctx).confirmUnclear(), ctx);
      },
    },
    opening: {
      // Reached only if a turn stopped between opening the account and answering; the effect is idempotent.
      onMessage: (state, _text, _ctx) =>
        perform(state, {
          type: 'openAccount',
          fullName: state.fullName,
          cccd: state.cccd,
          dateOfBirth: state.dateOfBirth,
        }),
      onResult: (_state, result, ctx) => {
        switch (result.type) {
          case 'opened':
            return finish(say(t(ctx).opened(formatAccountCode(result.accountCode))));
          case 'phoneHasAccount': {
            const snapshot = {
              accountCode: formatAccountCode(result.accountCode),
              status: result.status,
              mismatchField: null,
            };
            return finish(say(t(ctx).alreadyRegistered(describeAccount(ctx.language, snapshot))));
          }
          case 'cccdTaken':
            return finish(say(t(ctx).cccdTaken()));
          default:
            throw new Error(`registration cannot be opening after a ${result.type} result`);
        }
      },
    },
  },
};
