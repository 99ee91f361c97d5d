import { z } from 'zod';
import { formatAccountCode } from '../../src/domain/citizens/account-code.ts';
import type { FlowContext } from '../../src/engine/flow-context.ts';
import {
  type EffectOf,
  type FlowDefinition,
  finish,
  goTo,
  type Outcome,
  perform,
} from '../../src/engine/flow-kit.ts';
import { describeAccount } from '../account/account.copy.ts';
import { identityCopy } from '../identity/identity.copy.ts';
import { AskCodeSchema, AskPhoneSchema, type PhoneEffects, phoneSteps } from '../identity/phone-proof.ts';
import { copyOf, say } from '../kit/answers.ts';
import {
  AskBirthDateSchema,
  AskCccdSchema,
  AskNameSchema,
  ConfirmIdentitySchema,
  identitySteps,
  startIdentity,
} from './identity-steps.ts';
import { parseRegistrationParts } from './parse-registration.ts';
import { registrationCopy } from './registration.copy.ts';

const fullName = z.string().min(1).max(80);
const cccd = z.string().regex(/^\d{12}$/);
const dateOfBirth = z.iso.date();

/**
 * The registration conversation: on a messenger, first the phone number (shared or proven by an SMS code);
 * then one step per question (identity-steps.ts), then consent, then opening the account.
 */
export const RegistrationStateSchema = z.discriminatedUnion('step', [
  AskPhoneSchema,
  AskCodeSchema,
  AskNameSchema,
  AskCccdSchema,
  AskBirthDateSchema,
  ConfirmIdentitySchema,
  z.object({ step: z.literal('opening'), fullName, cccd, dateOfBirth }),
]);
/** A state of the registration conversation. */
export type RegistrationState = z.infer<typeof RegistrationStateSchema>;

/**
 * Who opens an account: the citizen themself (in this chat; the audit log gets the ref of the opening
 * message), a volunteer (the team member id, DKH) or staff (the admin id).
 */
export type AccountOpener =
  | { readonly kind: 'citizen' }
  | { readonly kind: 'volunteer' | 'staff'; readonly id: string };

/**
 * Opening an account (idempotent per inbound message) for `phone`, the subject's proven phone: `ctx.phone`
 * when the citizen registers themself. `registeredBy` is the team and member of a volunteer's DKH, else null.
 */
export interface OpenAccountEffect {
  readonly type: 'openAccount';
  readonly phone: string;
  readonly fullName: string;
  readonly cccd: string;
  readonly dateOfBirth: string;
  readonly actor: AccountOpener;
  readonly registeredBy: { readonly teamId: string; readonly memberId: string } | null;
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
export type RegistrationEffects = PhoneEffects & {
  openAccount: { effect: OpenAccountEffect; result: OpenAccountResult };
};

type Out = Outcome<RegistrationState, EffectOf<RegistrationEffects>>;
type Opening = Extract<RegistrationState, { step: 'opening' }>;

const t = copyOf(registrationCopy);
const identityOf = copyOf(identityCopy);

/** Opening the citizen's own account: their proven phone, and they themself (this message) as the actor. */
function openOwnAccount(state: Opening, ctx: FlowContext & { readonly phone: string }): Out {
  return perform(state, {
    type: 'openAccount',
    phone: ctx.phone,
    fullName: state.fullName,
    cccd: state.cccd,
    dateOfBirth: state.dateOfBirth,
    actor: { kind: 'citizen' },
    registeredBy: null,
  });
}

/** Starts from whatever came with the keyword, once the phone is known (see `startIdentity`). */
function startWith(args: string, ctx: FlowContext): Out {
  if (ctx.citizen) return finish(say(t(ctx).alreadyRegistered(describeAccount(ctx.language, ctx.citizen))));
  if (ctx.phone === null)
    return goTo(
      { step: 'askPhone', attempts: 0, pending: args.slice(0, 500) },
      say(identityOf(ctx).registerNeedsPhone()),
    );
  return startIdentity('self', parseRegistrationParts(args), {}, ctx);
}

/** Once the phone is proven: its account is now linked (nothing more to ask), or registration goes on. */
function afterPhoneProven(pending: string, citizen: FlowContext['citizen'], ctx: FlowContext): Out {
  const identity = identityOf(ctx);
  if (citizen) return finish(say(identity.linked(describeAccount(ctx.language, citizen))));
  const next = startWith(pending, { ...ctx, citizen: null });
  return { ...next, replies: [say(identity.phoneConfirmed()), ...next.replies] };
}

/** Consent given: open the account for the proven phone. */
function onConsent(details: { fullName: string; cccd: string; dateOfBirth: string }, ctx: FlowContext): Out {
  const { phone } = ctx;
  // The questions start only once the phone is proven (startWith), so it is known here.
  if (phone === null) return startWith('', ctx);
  return openOwnAccount({ step: 'opening', ...details }, { ...ctx, phone });
}

const phone = phoneSteps<Out>(afterPhoneProven);
const identity = identitySteps<Out>({
  subject: 'self',
  onConfirmed: (details, _state, ctx) => onConsent(details, ctx),
});

/** The registration flow definition (see registration.effects.ts for how the account is opened). */
export const registrationFlow: FlowDefinition<RegistrationState, RegistrationEffects> = {
  id: 'registration',
  version: 1,
  stateSchema: RegistrationStateSchema,
  start: (ctx, args) => startWith(args, ctx),
  steps: {
    askPhone: phone.askPhone,
    askCode: phone.askCode,
    ...identity,
    opening: {
      // Reached only if a turn stopped between opening the account and answering; the effect is idempotent.
      onMessage: (state, _text, ctx) =>
        ctx.phone === null ? startWith('', ctx) : openOwnAccount(state, { ...ctx, phone: ctx.phone }),
      onResult: {
        openAccount: (_state, result, ctx) => {
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
          }
        },
      },
    },
  },
};
