import { z } from 'zod';
import { formatBirthDate } from '../../src/domain/citizens/birth-date.ts';
import type { CitizenProfile } from '../../src/domain/citizens/citizen.ts';
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
import type { Reply } from '../../src/messaging/outbound-message.ts';
import { foldForMatch } from '../../src/shared/text.ts';
import { maskLocalPhone } from '../identity/phone-proof.ts';
import { attemptsSchema, copyOf, readYesNo, retryOrGiveUp, say } from '../kit/answers.ts';
import { noAccountReply } from '../status/no-account.ts';
import { profileCopy } from './profile.copy.ts';
import type { ProfileEffects } from './profile.effects.ts';
import {
  ADDRESS_LENGTH,
  maskOwnCccd,
  type ProfileField,
  parseAddress,
  parseEmail,
  parseFieldUpdate,
} from './profile-fields.ts';

const attempts = attemptsSchema;
const address = z.string().min(ADDRESS_LENGTH.min).max(ADDRESS_LENGTH.max);
const email = z.string().min(3).max(254);

/** `TTCN`: show the profile, then change the address or the email, each confirmed before it is saved. */
export const ProfileStateSchema = z.discriminatedUnion('step', [
  z.object({ step: z.literal('loading') }),
  z.object({ step: z.literal('choose'), attempts }),
  z.object({ step: z.literal('askAddress'), attempts }),
  z.object({ step: z.literal('confirmAddress'), attempts, address }),
  z.object({ step: z.literal('askEmail'), attempts }),
  z.object({ step: z.literal('confirmEmail'), attempts, email }),
  z.object({ step: z.literal('saving'), field: z.enum(['address', 'email']), value: z.string().max(254) }),
]);
/** A state of the profile conversation. */
export type ProfileState = z.infer<typeof ProfileStateSchema>;

type Out = Outcome<ProfileState, EffectOf<ProfileEffects>>;
type Retryable = Extract<ProfileState, { attempts: number }>;

const t = copyOf(profileCopy);

/** The verbs of the profile's own yes ("lưu": save), besides the yes-words of every question. */
const SAVE_WORDS = ['luu', 'save'];

/** A wrong answer: re-ask with `hint`, or after the last allowed try, give up. */
function retry(state: Retryable, hint: string, ctx: FlowContext): Out {
  return retryOrGiveUp(state, hint, t(ctx).tooManyTries(), ctx);
}

function addressHint(reason: 'too_short' | 'too_long' | 'letters', ctx: FlowContext): string {
  const copy = t(ctx);
  return {
    too_short: copy.addressTooShort(),
    too_long: copy.addressTooLong(),
    letters: copy.addressLetters(),
  }[reason];
}

/** The profile as the citizen reads it, with the choice of what to change (buttons on messengers). */
function profileReply(profile: CitizenProfile, ctx: FlowContext): Reply {
  return {
    text: t(ctx).profile({
      fullName: profile.fullName,
      cccd: maskOwnCccd(profile.cccd),
      dateOfBirth: formatBirthDate(profile.dateOfBirth),
      phone: maskLocalPhone(profile.phone),
      address: profile.address,
      email: profile.email,
    }),
    choices: chooseChoices(ctx),
  };
}

function chooseChoices(ctx: FlowContext) {
  return [
    { label: t(ctx).changeAddressLabel(), payload: '1' },
    { label: t(ctx).changeEmailLabel(), payload: '2' },
  ];
}

function confirmChoices(ctx: FlowContext) {
  return [
    { label: t(ctx).saveLabel(), payload: t(ctx).saveKeyword() },
    { label: t(ctx).discardLabel(), payload: t(ctx).discardKeyword() },
  ];
}

/** Reads a typed value for `field`: on to its confirmation, or the hint of what is wrong. */
function readValue(
  field: ProfileField,
  text: string,
  ctx: FlowContext,
): { ok: true; value: string; next: ProfileState } | { ok: false; hint: string } {
  if (field === 'address') {
    const parsed = parseAddress(text);
    if (!parsed.ok) return { ok: false, hint: addressHint(parsed.reason, ctx) };
    const next = { step: 'confirmAddress', attempts: 0, address: parsed.value } as const;
    return { ok: true, value: parsed.value, next };
  }
  const parsed = parseEmail(text);
  if (!parsed.ok) return { ok: false, hint: t(ctx).emailInvalid() };
  return { ok: true, value: parsed.value, next: { step: 'confirmEmail', attempts: 0, email: parsed.value } };
}

/** `TTCN DC <address>` / `TTCN EMAIL <email>`: saved at once when valid, else asked again with the reason. */
function startOneShot(update: { field: ProfileField; value: string }, ctx: FlowContext): Out {
  const read = readValue(update.field, update.value, ctx);
  const ask: ProfileState = { step: update.field === 'address' ? 'askAddress' : 'askEmail', attempts: 1 };
  if (!read.ok) return stay(ask, say(read.hint));
  const { value } = read;
  return perform(
    { step: 'saving', field: update.field, value },
    { type: 'saveField', field: update.field, value },
  );
}

/** Answers a YES/NO confirmation of a value. */
function confirm(
  state: Extract<ProfileState, { step: 'confirmAddress' | 'confirmEmail' }>,
  text: string,
  ctx: FlowContext,
): Out {
  const answer = readYesNo(text, SAVE_WORDS);
  const field: ProfileField = state.step === 'confirmAddress' ? 'address' : 'email';
  const value = state.step === 'confirmAddress' ? state.address : state.email;
  if (answer === 'yes') return perform({ step: 'saving', field, value }, { type: 'saveField', field, value });
  if (answer === 'no') return finish(say(t(ctx).notSaved()));
  return retry(state, t(ctx).confirmUnclear(), ctx);
}

/** The profile flow definition (see profile.effects.ts for reading and saving). */
export const profileFlow: FlowDefinition<ProfileState, ProfileEffects> = {
  id: 'profile',
  version: 1,
  stateSchema: ProfileStateSchema,
  start: (ctx, args) => {
    const update = parseFieldUpdate(args);
    if (update) return startOneShot(update, ctx);
    return perform({ step: 'loading' }, { type: 'loadProfile' });
  },
  steps: {
    loading: {
      // Reached only if a turn stopped between reading the profile and answering.
      onMessage: (state) => perform(state, { type: 'loadProfile' }),
      onResult: {
        loadProfile: (_state, result, ctx) => {
          if (result.type !== 'profile') return finish(noAccountReply(ctx));
          return stay({ step: 'choose', attempts: 0 }, profileReply(result.profile, ctx));
        },
      },
    },
    choose: {
      prompt: (_state, ctx) => [{ text: t(ctx).choose(), choices: chooseChoices(ctx) }],
      onMessage: (state, text, ctx) => {
        const answer = foldForMatch(text);
        if (answer === '1') return goTo({ step: 'askAddress', attempts: 0 });
        if (answer === '2') return goTo({ step: 'askEmail', attempts: 0 });
        return retry(state, t(ctx).choose(), ctx);
      },
    },
    askAddress: {
      prompt: (_state, ctx) => [say(t(ctx).askAddress())],
      onMessage: (state, text, ctx) => {
        const read = readValue('address', text, ctx);
        return read.ok ? goTo(read.next) : retry(state, read.hint, ctx);
      },
    },
    confirmAddress: {
      prompt: (state, ctx) => [{ text: t(ctx).confirmAddress(state.address), choices: confirmChoices(ctx) }],
      onMessage: confirm,
    },
    askEmail: {
      prompt: (_state, ctx) => [say(t(ctx).askEmail())],
      onMessage: (state, text, ctx) => {
        const read = readValue('email', text, ctx);
        return read.ok ? goTo(read.next) : retry(state, read.hint, ctx);
      },
    },
    confirmEmail: {
      prompt: (state, ctx) => [{ text: t(ctx).confirmEmail(state.email), choices: confirmChoices(ctx) }],
      onMessage: confirm,
    },
    saving: {
      // Reached only if a turn stopped between saving and answering; saving again stores the same value.
      onMessage: (state) => perform(state, { type: 'saveField', field: state.field, value: state.value }),
      onResult: {
        saveField: (state, result, ctx) => {
          if (result.type !== 'saved') return finish(noAccountReply(ctx));
          return finish(
            say(
              state.field === 'address' ? t(ctx).addressSaved(state.value) : t(ctx).emailSaved(state.value),
            ),
          );
        },
      },
    },
  },
};
