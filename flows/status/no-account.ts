import type { FlowContext } from '../../src/engine/flow-context.ts';
import type { Reply } from '../../src/messaging/outbound-message.ts';
import { statusCopy } from './status.copy.ts';

/**
 * What every command that needs an account answers without one: how to register (DK) or, in a chat whose
 * phone is not proven yet, how to link an account opened elsewhere (LK).
 */
export function noAccountReply(ctx: FlowContext): Reply {
  const copy = statusCopy[ctx.language];
  return { text: ctx.phone !== null ? copy.noAccount() : copy.noAccountLinked() };
}
