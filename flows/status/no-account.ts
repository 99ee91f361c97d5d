import type { EffectContext, FlowContext } from '../../src/engine/flow-context.ts';
import type { Flow } from '../../src/engine/flow-kit.ts';
import type { Reply } from '../../src/messaging/outbound-message.ts';
import { copyOf } from '../kit/answers.ts';
import { statusCopy } from './status.copy.ts';

const statusText = copyOf(statusCopy);

/**
 * What every command that needs an account answers without one: how to register (DK) or, in a chat whose
 * phone is not proven yet, how to link an account opened elsewhere (LK).
 */
export function noAccountReply(ctx: FlowContext): Reply {
  const copy = statusText(ctx);
  return { text: ctx.phone !== null ? copy.noAccount() : copy.noAccountLinked() };
}

/**
 * Wraps a flow that needs an account so that, without one, starting it only says {@link noAccountReply}: the
 * flow itself (its steps and effects) then always has `ctx.citizen` in the turn it starts.
 */
export function requireAccount(flow: Flow): Flow {
  return {
    ...flow,
    async start(ctx: EffectContext, args: string) {
      if (!ctx.citizen) return { next: null, replies: [noAccountReply(ctx)] };
      return flow.start(ctx, args);
    },
  };
}
