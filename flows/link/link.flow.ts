import { z } from 'zod';
import type { FlowContext } from '../../src/engine/flow-context.ts';
import { type FlowDefinition, finish, goTo, type Outcome } from '../../src/engine/flow-kit.ts';
import { describeAccount } from '../account/account.copy.ts';
import { identityCopy } from '../identity/identity.copy.ts';
import {
  AskCodeSchema,
  AskPhoneSchema,
  type PhoneEffect,
  type PhoneEffects,
  phoneSteps,
  proveClaimedPhone,
} from '../identity/phone-proof.ts';
import { copyOf, say } from '../kit/answers.ts';

/** Linking a chat to an account: prove the phone number, and the account of that phone is linked. */
export const LinkStateSchema = z.discriminatedUnion('step', [AskPhoneSchema, AskCodeSchema]);
/** A state of the link conversation. */
export type LinkState = z.infer<typeof LinkStateSchema>;

type Out = Outcome<LinkState, PhoneEffect>;
const t = copyOf(identityCopy);

function linkedOrNot(citizen: FlowContext['citizen'], ctx: FlowContext): Out {
  if (!citizen) return finish(say(t(ctx).noAccount()));
  return finish(say(t(ctx).linked(describeAccount(ctx.language, citizen))));
}

const phone = phoneSteps<Out>((_pending, citizen, ctx) => linkedOrNot(citizen, ctx));

/**
 * `LK`: links this chat to the account of the person's phone, so a citizen who registered by SMS sees the same
 * account on Zalo and Telegram. Also what a shared phone starts when no flow waits for it. On SMS the phone
 * is the address, so it answers at once. A number it starts with (the number of Zalo OA's information form) is a
 * claim: the code is texted to it at once.
 */
export const linkFlow: FlowDefinition<LinkState, PhoneEffects> = {
  id: 'link',
  version: 1,
  stateSchema: LinkStateSchema,
  start: (ctx, args) => {
    if (ctx.phone !== null) return linkedOrNot(ctx.citizen, ctx);
    return (
      proveClaimedPhone(args, '') ??
      goTo({ step: 'askPhone', attempts: 0, pending: '' }, say(t(ctx).linkIntro()))
    );
  },
  steps: { askPhone: phone.askPhone, askCode: phone.askCode },
};
