import { z } from 'zod';
import { normalizeTypedCode } from '../../src/domain/contacts/phone-codes.ts';
import { matchCommand } from '../../src/engine/commands.ts';
import type { FlowContext } from '../../src/engine/flow-context.ts';
import {
  type EffectOf,
  type FlowDefinition,
  finish,
  goTo,
  type Outcome,
  perform,
  stay,
} from '../../src/engine/flow-kit.ts';
import { isVietnameseMobile, maskPhone, normalizePhone } from '../../src/shared/phone.ts';
import { attemptsSchema, copyOf, retryOrGiveUp, say } from '../kit/answers.ts';
import {
  AskBirthDateSchema,
  AskCccdSchema,
  AskNameSchema,
  ConfirmIdentitySchema,
  identitySteps,
  startIdentity,
} from '../registration/identity-steps.ts';
import { neighbourCopy } from '../registration/neighbour.copy.ts';
import {
  type AssistedRegistrationParts,
  parseAssistedRegistrationParts,
} from '../registration/parse-registration.ts';
import { assistedCopy } from './assisted.copy.ts';
import type { NeighbourDetails, RequestConsentResult, RequestOutcome } from './assisted.effects.ts';

const phone = z.string().regex(/^\+84\d{9}$/);

/** The words that start DKH (any case, with or without diacritics); flows/index.ts puts them in the keyword table. */
export const DKH_KEYWORDS = ['DKH', 'đăng ký hộ', 'dangkyho', 'assist'] as const;

/** A new `DKH <details>` sent while the conversation waits for a code: its details, else null. */
function newRequestIn(text: string): string | null {
  const rule = { keywords: DKH_KEYWORDS, command: { type: 'menu' as const }, takesArguments: true };
  const match = matchCommand(text, [rule], [], { flowActive: false });
  return match === null || match.args === '' ? null : match.args;
}

/**
 * `DKH`: a team member registers a neighbour. First the membership is checked (anyone else is told how to join a
 * team); then the neighbour's phone, then registration's questions about the neighbour (identity-steps.ts,
 * carrying the phone); on the volunteer's CO the neighbour is texted for consent, and the conversation waits for
 * the code the neighbour may read out. `DKH <6 digits>` types the code of the volunteer's latest waiting request.
 */
export const AssistedStateSchema = z.discriminatedUnion('step', [
  z.object({ step: z.literal('checking'), args: z.string().max(500) }),
  z.object({ step: z.literal('askNeighbourPhone'), attempts: attemptsSchema }),
  AskNameSchema,
  AskCccdSchema,
  AskBirthDateSchema,
  ConfirmIdentitySchema,
  z.object({
    step: z.literal('requesting'),
    phone,
    fullName: z.string().min(1).max(80),
    cccd: z.string().regex(/^\d{12}$/),
    dateOfBirth: z.iso.date(),
  }),
  z.object({ step: z.literal('awaitConsent'), requestId: z.uuid() }),
  z.object({ step: z.literal('typingCode') }),
]);
/** A state of the DKH conversation. */
export type AssistedState = z.infer<typeof AssistedStateSchema>;

/** The effects of DKH, each with its result. */
export type AssistedEffects = {
  checkMember: { effect: { type: 'checkMember' }; result: boolean };
  requestConsent: { effect: { type: 'requestConsent' } & NeighbourDetails; result: RequestConsentResult };
  typeCode: {
    effect: { type: 'typeCode'; requestId: string | null; code: string };
    result: RequestOutcome;
  };
};

type Out = Outcome<AssistedState, EffectOf<AssistedEffects>>;
type Requesting = Extract<AssistedState, { step: 'requesting' }>;

const t = copyOf(assistedCopy);

/** The neighbour's phone from an answer (or the console's form): a Vietnamese mobile number in E.164, or null. */
export function readNeighbourPhone(text: string): string | null {
  const e164 = normalizePhone(text);
  return e164 !== null && isVietnameseMobile(e164) ? e164 : null;
}

/** After the membership check: a code alone types it; otherwise the phone, then the questions. */
function startAsMember(args: string, ctx: FlowContext): Out {
  const code = normalizeTypedCode(args);
  if (code !== null) return perform({ step: 'typingCode' }, { type: 'typeCode', requestId: null, code });
  if (args === '') return goTo({ step: 'askNeighbourPhone', attempts: 0 });
  const parts: AssistedRegistrationParts = parseAssistedRegistrationParts(args);
  if (parts.phone === null) return goTo({ step: 'askNeighbourPhone', attempts: 0 });
  if (parts.phone === ctx.phone)
    return goTo({ step: 'askNeighbourPhone', attempts: 0 }, say(t(ctx).ownPhone()));
  return startIdentity('neighbour', parts, { phone: parts.phone }, ctx);
}

/** What the volunteer is told when asking for consent did not send anything. */
function notSent(result: Exclude<RequestConsentResult, { type: 'sent' }>, ctx: FlowContext): string {
  const copy = t(ctx);
  switch (result.type) {
    case 'notMember':
      return copy.notMember();
    case 'phoneHasAccount':
      return copy.phoneHasAccount();
    case 'cccdTaken':
      return copy.cccdTaken();
    case 'phonePending':
      return copy.phonePending();
    case 'optedOut':
      return copy.optedOut();
    case 'tooManyPending':
      return copy.tooManyPending(result.max);
    case 'hourlyLimit':
      return copy.hourlyLimit(result.max);
    case 'unavailable':
      return copy.unavailable();
  }
}

/** What the volunteer is told of a request's outcome, or that it still waits (then the conversation waits too). */
function tellOutcome(result: RequestOutcome, requestId: string | null, ctx: FlowContext): Out {
  const copy = t(ctx);
  switch (result.type) {
    case 'waiting':
      return requestId === null
        ? finish(say(copy.waiting(result.phone)))
        : stay(awaiting(requestId), say(copy.waiting(result.phone)));
    case 'wrongCode':
      return requestId === null
        ? finish(say(copy.wrongCode(result.triesLeft)))
        : stay(awaiting(requestId), say(copy.wrongCode(result.triesLeft)));
    case 'opened':
      return finish(say(copy.opened(result.phone, result.accountCode)));
    case 'failedCodes':
      return finish(say(copy.failedCodes(result.phone)));
    case 'refused':
      return finish(say(copy.refused(result.phone)));
    case 'expired':
      return finish(say(copy.expired(result.phone)));
    case 'phoneHasAccount':
      return finish(say(copy.phoneHasAccount()));
    case 'cccdTaken':
      return finish(say(copy.cccdTaken()));
    case 'alreadyDone':
      return finish(say(copy.alreadyDone()));
    case 'noPending':
      return finish(say(copy.noPending()));
    case 'notMember':
      return finish(say(copy.notMember()));
  }
}

const awaiting = (requestId: string): AssistedState => ({ step: 'awaitConsent', requestId });

const requestOf = (state: Requesting): EffectOf<AssistedEffects> => ({
  type: 'requestConsent',
  phone: state.phone,
  fullName: state.fullName,
  cccd: state.cccd,
  dateOfBirth: state.dateOfBirth,
});

const identity = identitySteps<Out>({
  subject: 'neighbour',
  onConfirmed: (details, state, ctx) => {
    // The questions start only with the neighbour's phone (startAsMember, askNeighbourPhone).
    if (state.phone === undefined) return goTo({ step: 'askNeighbourPhone', attempts: 0 });
    const requesting: Requesting = { step: 'requesting', phone: state.phone, ...details };
    return ctx.phone === state.phone
      ? finish(say(t(ctx).ownPhone()))
      : perform(requesting, requestOf(requesting));
  },
});

/** The DKH flow definition (see assisted.effects.ts for what its effects do). */
export const assistedFlow: FlowDefinition<AssistedState, AssistedEffects> = {
  id: 'assisted-registration',
  version: 1,
  stateSchema: AssistedStateSchema,
  start: (_ctx, args) => perform({ step: 'checking', args: args.slice(0, 500) }, { type: 'checkMember' }),
  steps: {
    checking: {
      // Reached only if a turn stopped during the check: check again.
      onMessage: (state) => perform(state, { type: 'checkMember' }),
      onResult: {
        checkMember: (state, member, ctx) =>
          member ? startAsMember(state.args, ctx) : finish(say(t(ctx).notMember())),
      },
    },
    askNeighbourPhone: {
      prompt: (_state, ctx) => [say(t(ctx).askPhone())],
      onMessage: (state, text, ctx) => {
        const number = readNeighbourPhone(text);
        if (number === null)
          return retryOrGiveUp(state, t(ctx).phoneInvalid(), neighbourCopy[ctx.language].tooManyTries(), ctx);
        if (number === ctx.phone) return stay(state, say(t(ctx).ownPhone()));
        return goTo({ step: 'askName', attempts: 0, phone: number });
      },
    },
    ...identity,
    requesting: {
      // Reached only if a turn stopped while asking: ask again (idempotent on the message that asked).
      onMessage: (state) => perform(state, requestOf(state)),
      onResult: {
        requestConsent: (_state, result, ctx) =>
          result.type === 'sent'
            ? stay(awaiting(result.requestId), say(t(ctx).sent(maskPhone(_state.phone), result.minutes)))
            : finish(say(notSent(result, ctx))),
      },
    },
    awaitConsent: {
      onMessage: (state, text) => {
        const code = normalizeTypedCode(text);
        if (code !== null) return perform(state, { type: 'typeCode', requestId: state.requestId, code });
        // The next neighbour while this one decides: a new request (this one still waits, its code still works).
        const next = newRequestIn(text);
        if (next !== null)
          return perform({ step: 'checking', args: next.slice(0, 500) }, { type: 'checkMember' });
        // Anything else is not for this conversation (a command, a hand-off to take): it ends without a word and
        // the engine handles the message as if nothing waited. The request still waits: its outcome reaches the
        // volunteer's chat by itself, and `DKH <code>` types its code later.
        return finish();
      },
      onResult: {
        typeCode: (state, result, ctx) => tellOutcome(result, state.requestId, ctx),
      },
    },
    typingCode: {
      // Reached only if a turn stopped while checking the code.
      onMessage: (_state, _text, ctx) => finish(say(t(ctx).alreadyDone())),
      onResult: {
        typeCode: (_state, result, ctx) => tellOutcome(result, null, ctx),
      },
    },
  },
};
