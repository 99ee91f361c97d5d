import { type CommandDefinition, finish } from '../../src/engine/flow-kit.ts';
import { copyOf, STUCK_MARK, say } from '../kit/answers.ts';
import { handoffCopy } from './handoff.copy.ts';
import type { HandoffEffects } from './handoff.effects.ts';

const t = copyOf(handoffCopy);

/**
 * `GAP` (also `gặp người`, `hỗ trợ`, `talk to a person`, `human`): asks for a person. A hand-off is opened for this
 * chat with what followed the keyword as its first message, the teams of the citizen's ward are told, and from
 * the next message on the conversation is held (see held.flow.ts). No account is needed. `GAP` right after the
 * bot gave up on a question comes as `GAP #stuck` (the offered choice, see `OFFER_PERSON_CHOICE`): the hand-off is
 * recorded as `stuck`, with no first message.
 */
export const requestCommand: CommandDefinition<HandoffEffects> = {
  id: 'handoff-request',
  // A registration in progress waits for the hand-off to end, without asking its question now.
  handsOver: true,
  start: (ctx, args, run) => {
    const written = args.trim();
    const stuck = written === STUCK_MARK;
    return run(
      {
        type: 'openHandoff',
        reason: stuck ? 'stuck' : 'asked',
        firstMessage: stuck || written === '' ? null : written,
      },
      (result) => finish(say(t(ctx).opened(result.handoffId))),
    );
  },
};

/** Reads the number of `NHAN 12` (or `NHAN #12`). */
function readNumber(args: string): number | null {
  const match = /^#?\s*(\d{1,12})$/.exec(args.trim());
  const n = match ? Number(match[1]) : Number.NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/**
 * `NHAN <n>` (also `nhận`, `take`): a team member takes hand-off n. Only members of a team that was told about it
 * (its ward's teams, or every team when it has no ward) may; the first one wins, the others are told who has it.
 * The taker gets the thread so far, one message per citizen message (one SMS segment each on SMS).
 */
export const takeCommand: CommandDefinition<HandoffEffects> = {
  id: 'handoff-take',
  start: (ctx, args, run) => {
    const handoffId = readNumber(args);
    if (handoffId === null) return finish(say(t(ctx).askNumber()));
    return run({ type: 'takeHandoff', handoffId }, (result) => {
      switch (result.type) {
        case 'taken':
          return finish(say(t(ctx).youHold(result.handoffId)), ...result.thread.map(say));
        case 'held_by_other':
          return finish(say(t(ctx).heldBy(result.handoffId, result.team, result.phone)));
        case 'holding_another':
          return finish(say(t(ctx).holdingAnother(result.handoffId)));
        case 'closed':
          return finish(say(t(ctx).alreadyClosed(result.handoffId)));
        case 'not_found':
          return finish(say(t(ctx).notFound(result.handoffId)));
        case 'other_ward':
          return finish(say(t(ctx).otherWard(result.handoffId)));
        case 'not_member':
          return finish(say(t(ctx).notMember()));
      }
    });
  },
};

/**
 * `XONG` (also `done`; `/XONG` while relaying): closes the hand-off the volunteer holds; the citizen is told and
 * the assistant answers them again.
 */
export const doneCommand: CommandDefinition<HandoffEffects> = {
  id: 'handoff-done',
  start: (ctx, _args, run) =>
    run({ type: 'closeHeldHandoff' }, (result) =>
      finish(say(result ? t(ctx).closedByYou(result.handoffId) : t(ctx).notHolding())),
    ),
};
