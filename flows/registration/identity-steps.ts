import { z } from 'zod';
import { formatBirthDate, parseBirthDate } from '../../src/domain/citizens/birth-date.ts';
import { cccdBirthYear, checkCccdAgainstBirthDate, parseCccd } from '../../src/domain/citizens/cccd.ts';
import type { CitizenIdentity } from '../../src/domain/citizens/citizen.ts';
import { parseFullName } from '../../src/domain/citizens/full-name.ts';
import type { FlowContext } from '../../src/engine/flow-context.ts';
import { finish, goTo, type Outcome } from '../../src/engine/flow-kit.ts';
import type { Language } from '../../src/messaging/channel.ts';
import { attemptsSchema, copyOf, readYesNo, retryOrGiveUp, say } from '../kit/answers.ts';
import { neighbourCopy } from './neighbour.copy.ts';
import type { RegistrationParts } from './parse-registration.ts';
import { registrationCopy } from './registration.copy.ts';

/**
 * The questions of registration as reusable steps (like `phoneSteps` of flows/identity/phone-proof.ts): full
 * name, CCCD, date of birth, then the summary to confirm. Each answer is validated the same way whoever is
 * registered; only the wording depends on the subject: `self` (the citizen registers themself, `DK`) or
 * `neighbour` (a volunteer registers someone, `DKH`: "Họ tên của người được đăng ký").
 *
 * How a flow uses them (DKH, sketched):
 *
 * ```ts
 * const DkhStateSchema = z.discriminatedUnion('step', [
 *   AskNeighbourPhoneSchema, // the flow's own steps
 *   AskNameSchema, AskCccdSchema, AskBirthDateSchema, ConfirmIdentitySchema, // carry `phone`: the neighbour's
 *   AwaitConsentSchema,
 * ]);
 * const identity = identitySteps<Out>({
 *   subject: 'neighbour',
 *   onConfirmed: (details, state, ctx) =>
 *     perform({ step: 'awaitConsent', ...details, phone: state.phone ?? '' }, { type: 'askConsent', ... }),
 * });
 * // steps: { askNeighbourPhone: ..., ...identity, awaitConsent: ... }
 * // start: parseRegistrationParts(args, { withPhone: true }) gives the phone too; then
 * //   startIdentity('neighbour', parts, { phone }, ctx) asks the first missing or invalid field.
 * ```
 */

/** Whose data the steps collect: the sender's own, or a neighbour's (assisted registration). */
export type IdentitySubject = 'self' | 'neighbour';

const fullName = z.string().min(1).max(80);
const cccd = z.string().regex(/^\d{12}$/);
const dateOfBirth = z.iso.date();
/**
 * What the steps carry for the flow: the phone (E.164) of the person registered when it is not the sender's
 * own (DKH). Absent in self-registration, where the phone is the sender's proven one.
 */
const carried = {
  phone: z
    .string()
    .regex(/^\+\d{8,15}$/)
    .optional(),
};

/** Waiting for the full name. */
export const AskNameSchema = z.object({ step: z.literal('askName'), attempts: attemptsSchema, ...carried });
/** Waiting for the CCCD. */
export const AskCccdSchema = z.object({
  step: z.literal('askCccd'),
  attempts: attemptsSchema,
  fullName,
  ...carried,
});
/** Waiting for the date of birth. */
export const AskBirthDateSchema = z.object({
  step: z.literal('askBirthDate'),
  attempts: attemptsSchema,
  fullName,
  cccd,
  ...carried,
});
/** Waiting for CO/KHONG to the summary. */
export const ConfirmIdentitySchema = z.object({
  step: z.literal('confirm'),
  attempts: attemptsSchema,
  fullName,
  cccd,
  dateOfBirth,
  ...carried,
});

type AskName = z.infer<typeof AskNameSchema>;
type AskCccd = z.infer<typeof AskCccdSchema>;
type AskBirthDate = z.infer<typeof AskBirthDateSchema>;
/** The summary step's state: the three answers, and what the steps carry. */
export type ConfirmIdentityState = z.infer<typeof ConfirmIdentitySchema>;
/** Any state of the identity steps. */
export type IdentityStepState = AskName | AskCccd | AskBirthDate | ConfirmIdentityState;
/** What the steps carry for the flow (see `carried`). */
export type CarriedFields = Pick<AskName, 'phone'>;
type IdOutcome = Outcome<IdentityStepState, never>;

/** The questions and the summary in the subject's wording. */
function questionsOf(subject: IdentitySubject, language: Language) {
  return subject === 'self' ? registrationCopy[language] : neighbourCopy[language];
}

/** The validation hints: the same for every subject. */
const hints = copyOf(registrationCopy);

function nameHint(
  reason: 'empty' | 'too_short' | 'too_long' | 'characters',
  ctx: Pick<FlowContext, 'language'>,
): string {
  if (reason === 'too_long') return hints(ctx).nameTooLong();
  if (reason === 'characters') return hints(ctx).nameCharacters();
  return hints(ctx).nameEmpty();
}

function dateHint(
  reason: 'format' | 'invalid' | 'future' | 'too_old',
  ctx: Pick<FlowContext, 'language'>,
): string {
  const copy = hints(ctx);
  return {
    format: copy.dateFormat(),
    invalid: copy.dateInvalid(),
    future: copy.dateFuture(),
    too_old: copy.dateTooOld(),
  }[reason];
}

/** Reads a CCCD answer: the number, or the hint for what is wrong with it (format, province, century). */
function readCccd(
  text: string,
  ctx: Pick<FlowContext, 'language' | 'now'>,
): { ok: true; value: string } | { ok: false; hint: string } {
  const id = parseCccd(text);
  if (!id.ok)
    return { ok: false, hint: id.reason === 'format' ? hints(ctx).cccdFormat() : hints(ctx).cccdProvince() };
  if (cccdBirthYear(id.value) > ctx.now.getUTCFullYear()) return { ok: false, hint: hints(ctx).cccdYear() };
  return id;
}

/** The fields of an identity given at once (a form), each checked as its question checks its answer. */
export interface IdentityFields {
  readonly fullName: string;
  readonly cccd: string;
  readonly dateOfBirth: string;
}

/** The outcome of {@link checkIdentityFields}: the identity, or the same hints as the questions, by field. */
export type IdentityFieldsCheck =
  | { readonly ok: true; readonly value: CitizenIdentity }
  | { readonly ok: false; readonly hints: Partial<Record<keyof IdentityFields, string>> };

/**
 * Checks a name, CCCD and date of birth given together (the console's Register page) exactly as the questions
 * check them one by one: the same parsers, the same hints (and the date against the CCCD's century and year).
 */
export function checkIdentityFields(
  fields: IdentityFields,
  ctx: Pick<FlowContext, 'language' | 'now'>,
): IdentityFieldsCheck {
  const hintsFound: Partial<Record<keyof IdentityFields, string>> = {};
  const name = parseFullName(fields.fullName);
  if (!name.ok) hintsFound.fullName = nameHint(name.reason, ctx);
  const id = readCccd(fields.cccd, ctx);
  if (!id.ok) hintsFound.cccd = id.hint;
  const date = parseBirthDate(fields.dateOfBirth, ctx.now);
  if (!date.ok) hintsFound.dateOfBirth = dateHint(date.reason, ctx);
  else if (id.ok) {
    const check = checkCccdAgainstBirthDate(id.value, date.value);
    if (!check.ok) hintsFound.dateOfBirth = hints(ctx).dateMismatch(check.expectedYear);
  }
  if (!name.ok || !id.ok || !date.ok || hintsFound.dateOfBirth !== undefined)
    return { ok: false, hints: hintsFound };
  return { ok: true, value: { fullName: name.value, cccd: id.value, dateOfBirth: date.value } };
}

/** The carried fields of a state, to pass on to the next step. */
function carry(state: CarriedFields): CarriedFields {
  return state.phone === undefined ? {} : { phone: state.phone };
}

/** Builds the retry of a subject's question: re-ask with the hint, or give up in the subject's words. */
function retryFor(subject: IdentitySubject) {
  return <S extends IdentityStepState>(state: S, hint: string, ctx: FlowContext): IdOutcome =>
    retryOrGiveUp(state, hint, questionsOf(subject, ctx.language).tooManyTries(), ctx);
}

/** Takes a date answer for a known name and CCCD: on to the summary, or re-ask with the reason. */
function acceptBirthDate(
  subject: IdentitySubject,
  state: AskBirthDate,
  text: string,
  ctx: FlowContext,
): IdOutcome {
  const retry = retryFor(subject);
  const date = parseBirthDate(text, ctx.now);
  if (!date.ok) return retry(state, dateHint(date.reason, ctx), ctx);
  const check = checkCccdAgainstBirthDate(state.cccd, date.value);
  if (!check.ok) return retry(state, hints(ctx).dateMismatch(check.expectedYear), ctx);
  return goTo({
    step: 'confirm',
    attempts: 0,
    fullName: state.fullName,
    cccd: state.cccd,
    dateOfBirth: date.value,
    ...carry(state),
  });
}

/**
 * Starts the questions from what came with the keyword (see `parseRegistrationParts`): nothing (ask each
 * question), or some or all of the fields at once ("DK Nguyen Van An, 048090001234, 15/02/1990"). Valid fields
 * are kept; the first missing or invalid one is asked for, with the reason when it was given but invalid.
 * `carried` is kept on every step (the neighbour's phone for DKH).
 */
export function startIdentity(
  subject: IdentitySubject,
  parts: RegistrationParts,
  carried: CarriedFields,
  ctx: FlowContext,
): IdOutcome {
  const kept = carry(carried);
  const askName: AskName = { step: 'askName', attempts: 0, ...kept };
  if (parts.name === null && parts.cccd === null && parts.birthDate === null) return goTo(askName);
  const name = parts.name === null ? null : parseFullName(parts.name);
  if (!name?.ok) return name ? goTo(askName, say(nameHint(name.reason, ctx))) : goTo(askName);
  const id = parts.cccd === null ? null : readCccd(parts.cccd, ctx);
  if (!id?.ok) {
    const next: AskCccd = { step: 'askCccd', attempts: 0, fullName: name.value, ...kept };
    return id ? goTo(next, say(id.hint)) : goTo(next);
  }
  const askDate: AskBirthDate = {
    step: 'askBirthDate',
    attempts: 0,
    fullName: name.value,
    cccd: id.value,
    ...kept,
  };
  return parts.birthDate === null ? goTo(askDate) : acceptBirthDate(subject, askDate, parts.birthDate, ctx);
}

/** What the steps need from the flow that includes them. */
export interface IdentityStepsOptions<O> {
  readonly subject: IdentitySubject;
  /** What happens once the summary is confirmed (CO): e.g. open the account, or ask the neighbour's consent. */
  onConfirmed(identity: CitizenIdentity, state: ConfirmIdentityState, ctx: FlowContext): O;
}

/**
 * The `askName`, `askCccd`, `askBirthDate` and `confirm` steps, for a flow whose state union includes
 * {@link AskNameSchema}, {@link AskCccdSchema}, {@link AskBirthDateSchema} and {@link ConfirmIdentitySchema}.
 * KHONG at the summary ends the flow saying nothing was kept; three unclear answers give up and offer a person.
 */
export function identitySteps<O>({ subject, onConfirmed }: IdentityStepsOptions<O>) {
  const ask = (ctx: FlowContext) => questionsOf(subject, ctx.language);
  const retry = retryFor(subject);
  return {
    askName: {
      prompt: (_state: AskName, ctx: FlowContext) => [say(ask(ctx).askName())],
      onMessage: (state: AskName, text: string, ctx: FlowContext): O | IdOutcome => {
        const name = parseFullName(text);
        if (!name.ok) return retry(state, nameHint(name.reason, ctx), ctx);
        return goTo({ step: 'askCccd', attempts: 0, fullName: name.value, ...carry(state) });
      },
    },
    askCccd: {
      prompt: (_state: AskCccd, ctx: FlowContext) => [say(ask(ctx).askCccd())],
      onMessage: (state: AskCccd, text: string, ctx: FlowContext): O | IdOutcome => {
        const id = readCccd(text, ctx);
        if (!id.ok) return retry(state, id.hint, ctx);
        const { fullName: name } = state;
        return goTo({ step: 'askBirthDate', attempts: 0, fullName: name, cccd: id.value, ...carry(state) });
      },
    },
    askBirthDate: {
      prompt: (_state: AskBirthDate, ctx: FlowContext) => [say(ask(ctx).askBirthDate())],
      onMessage: (state: AskBirthDate, text: string, ctx: FlowContext): O | IdOutcome =>
        acceptBirthDate(subject, state, text, ctx),
    },
    confirm: {
      prompt: (state: ConfirmIdentityState, ctx: FlowContext) => [
        {
          text: ask(ctx).confirm(state.fullName, state.cccd, formatBirthDate(state.dateOfBirth)),
          choices: [
            { label: ask(ctx).agreeLabel(), payload: ask(ctx).agreeKeyword() },
            { label: ask(ctx).declineLabel(), payload: ask(ctx).declineKeyword() },
          ],
        },
      ],
      onMessage: (state: ConfirmIdentityState, text: string, ctx: FlowContext): O | IdOutcome => {
        const answer = readYesNo(text);
        if (answer === 'yes') {
          const { fullName: name, cccd: number, dateOfBirth: date } = state;
          return onConfirmed({ fullName: name, cccd: number, dateOfBirth: date }, state, ctx);
        }
        if (answer === 'no') return finish(say(ask(ctx).declined()));
        return retry(state, ask(ctx).confirmUnclear(), ctx);
      },
    },
  };
}
