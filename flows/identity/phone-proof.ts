import { z } from 'zod';
import type { CitizenSnapshot, FlowContext } from '../../src/engine/flow-context.ts';
import { finish, goTo, type Outcome, perform, stay } from '../../src/engine/flow-kit.ts';
import { canSharePhone } from '../../src/messaging/channel.ts';
import type { Reply } from '../../src/messaging/outbound-message.ts';
import { isVietnameseMobile, normalizePhone } from '../../src/shared/phone.ts';
import { vietnamDates } from '../../src/shared/vietnam-time.ts';
import { attemptsSchema, copyOf, retryOrGiveUp, say } from '../kit/answers.ts';
import { identityCopy } from './identity.copy.ts';

/**
 * Proving a phone number from a messenger chat, shared by every flow that needs one (registration, linking):
 * the person shares their contact with a button the channel vouches for (Telegram: the engine proves it and the
 * flow sees `ctx.phone`), or claims a number (types it, or sends Zalo OA's information form, whose number the
 * engine hands to the flow as if typed) and then types the 6-digit code we text to it.
 */

const attempts = attemptsSchema;
/** What the flow goes on with once the phone is proven (the registration details sent with DK). */
const pending = z.string().max(500);

/** Waiting for the phone number (or a shared contact). */
export const AskPhoneSchema = z.object({ step: z.literal('askPhone'), attempts, pending });
/** Waiting for the code texted to `phone`. */
export const AskCodeSchema = z.object({
  step: z.literal('askCode'),
  attempts,
  phone: z.string().regex(/^\+\d{8,15}$/),
  pending,
});
type AskPhone = z.infer<typeof AskPhoneSchema>;
type AskCode = z.infer<typeof AskCodeSchema>;

/** Texting a code to a claimed phone. */
export interface SendCodeEffect {
  readonly type: 'sendCode';
  readonly phone: string;
}

/** What texting a code gave: sent, refused until `retryAt` (3 codes an hour), or no SMS channel. */
export type SendCodeResult =
  | { readonly type: 'codeSent' }
  | { readonly type: 'codeLimited'; readonly retryAt: Date }
  | { readonly type: 'noSms' }
  /** Development outbox only (no SMS channel): the phone already has an account, which a code shown on the web page must never reach. */
  | { readonly type: 'devPhoneTaken' };

/** Checking a typed code (proving the phone when right). */
export interface CheckCodeEffect {
  readonly type: 'checkCode';
  readonly phone: string;
  readonly code: string;
}

/** What checking a code gave. `proven` carries the account of the phone, now linked, if there is one. */
export type CheckCodeResult =
  | { readonly type: 'proven'; readonly citizen: CitizenSnapshot | null }
  | { readonly type: 'wrongCode'; readonly triesLeft: number }
  | { readonly type: 'codeExpired' }
  | { readonly type: 'codeLocked' }
  /** Development outbox only: the phone got an account meanwhile; it is not linked. */
  | { readonly type: 'devPhoneTaken' };

/** The effects of proving a phone, for the effect map of every flow that proves one. */
export type PhoneEffects = {
  sendCode: { effect: SendCodeEffect; result: SendCodeResult };
  checkCode: { effect: CheckCodeEffect; result: CheckCodeResult };
};
/** Any effect of proving a phone. */
export type PhoneEffect = SendCodeEffect | CheckCodeEffect;

type PhoneOutcome = Outcome<AskPhone | AskCode, PhoneEffect>;
const t = copyOf(identityCopy);

/** A Vietnamese mobile number shown to its owner without its middle digits: 0905***456. */
export function maskLocalPhone(phone: string): string {
  const local = phone.startsWith('+84') ? `0${phone.slice(3)}` : phone;
  return `${local.slice(0, 4)}***${local.slice(-3)}`;
}

function readPhone(text: string): string | null {
  const phone = normalizePhone(text);
  return phone !== null && isVietnameseMobile(phone) ? phone : null;
}

function retry<S extends AskPhone | AskCode>(state: S, hint: string, ctx: FlowContext): PhoneOutcome {
  return retryOrGiveUp(state, hint, t(ctx).tooManyTries(), ctx);
}

/**
 * Starts proving `text` when it is a phone number (a claimed number: typed after a keyword, or sent through Zalo
 * OA's information form): texts it a code and waits for it. Null when `text` is not a Vietnamese mobile number.
 */
export function proveClaimedPhone(text: string, pending: string): PhoneOutcome | null {
  const phone = readPhone(text);
  if (phone === null) return null;
  const next: AskCode = { step: 'askCode', attempts: 0, phone, pending };
  return perform<AskPhone | AskCode, PhoneEffect>(next, { type: 'sendCode', phone });
}

/**
 * The `askPhone` and `askCode` steps, for a flow whose state union includes {@link AskPhoneSchema} and
 * {@link AskCodeSchema} and whose effect map includes {@link PhoneEffects}. `onProven` says what happens once
 * the phone is proven, with the account it belongs to (already linked to this chat) or null.
 */
export function phoneSteps<O>(
  onProven: (pending: string, citizen: CitizenSnapshot | null, ctx: FlowContext) => O,
) {
  return {
    askPhone: {
      prompt: (_state: AskPhone, ctx: FlowContext): Reply[] => [
        { text: t(ctx).askPhone(canSharePhone(ctx.channel)), requestPhone: true },
      ],
      onMessage: (state: AskPhone, text: string, ctx: FlowContext): O | PhoneOutcome => {
        if (ctx.phone !== null) return onProven(state.pending, ctx.citizen, ctx);
        return proveClaimedPhone(text, state.pending) ?? retry(state, t(ctx).phoneInvalid(), ctx);
      },
    },
    askCode: {
      onMessage: (state: AskCode, text: string, ctx: FlowContext): O | PhoneOutcome => {
        if (ctx.phone !== null) return onProven(state.pending, ctx.citizen, ctx);
        const another = proveClaimedPhone(text, state.pending);
        if (another !== null) return another;
        if (!/^[\d\s.-]+$/.test(text.trim())) return retry(state, t(ctx).codeFormat(), ctx);
        return perform(state, { type: 'checkCode', phone: state.phone, code: text.trim() });
      },
      onResult: {
        sendCode: (state: AskCode, result: SendCodeResult, ctx: FlowContext): O | PhoneOutcome => {
          switch (result.type) {
            case 'codeSent':
              return stay(state, say(t(ctx).codeSent(maskLocalPhone(state.phone))));
            case 'codeLimited':
              return goTo(
                { step: 'askPhone', attempts: 0, pending: state.pending },
                say(t(ctx).codeLimited(vietnamDates.time(result.retryAt))),
              );
            case 'noSms':
              return finish(say(t(ctx).noSms()));
            case 'devPhoneTaken':
              return finish(say(t(ctx).devPhoneTaken()));
          }
        },
        checkCode: (state: AskCode, result: CheckCodeResult, ctx: FlowContext): O | PhoneOutcome => {
          switch (result.type) {
            case 'proven':
              return onProven(state.pending, result.citizen, { ...ctx, phone: state.phone });
            case 'wrongCode':
              return stay(state, say(t(ctx).codeWrong(result.triesLeft)));
            case 'codeExpired':
              return stay(state, say(t(ctx).codeExpired()));
            case 'codeLocked':
              return finish(say(t(ctx).codeLocked()));
            case 'devPhoneTaken':
              return finish(say(t(ctx).devPhoneTaken()));
          }
        },
      },
    },
  };
}
