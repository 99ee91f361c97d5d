import type { HandoffReason, HandoffRepository } from '../../src/domain/handoffs/handoff.ts';
import type { EffectContext } from '../../src/engine/flow-context.ts';
import type { EffectRunners } from '../../src/engine/flow-kit.ts';
import type { AnswerResult, HandoffDesk, TakeResult } from './handoff-desk.ts';

/** The effects of the hand-off flows, each with its result. */
export type HandoffEffects = {
  /** Opens a hand-off for this chat (GAP) and tells the teams. */
  openHandoff: {
    effect: {
      readonly type: 'openHandoff';
      readonly reason: HandoffReason;
      readonly firstMessage: string | null;
    };
    result: { readonly handoffId: number };
  };
  /** Takes hand-off `handoffId` for the volunteer writing (NHAN). */
  takeHandoff: { effect: { readonly type: 'takeHandoff'; readonly handoffId: number }; result: TakeResult };
  /** Closes the hand-off the volunteer writing holds (XONG); null when they hold none. */
  closeHeldHandoff: {
    effect: { readonly type: 'closeHeldHandoff' };
    result: { readonly handoffId: number } | null;
  };
  /** Closes hand-off `handoffId` (HUY from the citizen, XONG from the holder). */
  closeHandoff: {
    effect: {
      readonly type: 'closeHandoff';
      readonly handoffId: number;
      readonly closer: 'citizen' | 'volunteer';
      readonly memberId: string | null;
    };
    result: { readonly closed: boolean };
  };
  /** Keeps (and relays) what the citizen wrote. */
  fromCitizen: {
    effect: { readonly type: 'fromCitizen'; readonly handoffId: number; readonly text: string };
    result: { readonly tellKept: boolean };
  };
  /** Sends the holder's text to the citizen. */
  answerCitizen: {
    effect: {
      readonly type: 'answerCitizen';
      readonly handoffId: number;
      readonly memberId: string;
      readonly text: string;
    };
    result: AnswerResult;
  };
};

/** What the hand-off effects run on: the desk, and the repository for the holder's side of a chat. */
export interface HandoffEffectDeps {
  readonly handoffDesk: HandoffDesk;
  readonly handoffs: Pick<HandoffRepository, 'heldByChat'>;
}

const chatOf = (ctx: EffectContext) => ({ channel: ctx.channel, address: ctx.address });

/** The runners of the hand-off effects, over the desk. Idempotent on `ctx.ref` (see the desk). */
export function createHandoffEffects(deps: HandoffEffectDeps): EffectRunners<HandoffEffects> {
  const desk = deps.handoffDesk;
  return {
    async openHandoff(effect, ctx) {
      const outcome = await desk.open({
        chat: chatOf(ctx),
        citizenId: ctx.citizen?.id ?? null,
        phone: ctx.phone,
        reason: effect.reason,
        firstMessage: effect.firstMessage,
        ref: ctx.ref,
        at: ctx.now,
      });
      return { handoffId: outcome.handoff.id };
    },
    takeHandoff: (effect, ctx) =>
      desk.take(effect.handoffId, { phone: ctx.phone, chat: chatOf(ctx) }, ctx.now),
    async closeHeldHandoff(_effect, ctx) {
      const held = await deps.handoffs.heldByChat(chatOf(ctx));
      if (!held) return null;
      await desk.close(held.id, { closer: 'volunteer', memberId: held.holder?.memberId ?? null }, ctx.now);
      return { handoffId: held.id };
    },
    async closeHandoff(effect, ctx) {
      const outcome = await desk.close(
        effect.handoffId,
        { closer: effect.closer, memberId: effect.memberId },
        ctx.now,
      );
      return { closed: outcome.type === 'closed' || outcome.type === 'already_closed' };
    },
    fromCitizen: (effect, ctx) => desk.fromCitizen(effect.handoffId, effect.text, ctx.ref, ctx.now),
    answerCitizen: (effect, ctx) =>
      desk.answer(
        effect.handoffId,
        { author: 'volunteer', memberId: effect.memberId },
        effect.text,
        ctx.ref,
        ctx.now,
      ),
  };
}
