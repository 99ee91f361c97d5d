import { z } from 'zod';
import type { FlowContext } from '../../src/engine/flow-context.ts';
import {
  type CommandDefinition,
  type FlowDefinition,
  finish,
  goTo,
  perform,
} from '../../src/engine/flow-kit.ts';
import { isSmsChannel } from '../../src/messaging/channel.ts';
import type { Reply } from '../../src/messaging/outbound-message.ts';
import { foldForMatch } from '../../src/shared/text.ts';
import { vietnamDates } from '../../src/shared/vietnam-time.ts';
import { attemptsSchema, copyOf, readYesNo, retryOrGiveUp, say } from '../kit/answers.ts';
import { answerChoices, itemList, itemWords, type RequestText } from './data-request-text.ts';
import { dataRequestsCopy } from './datarequests.copy.ts';
import type { AnswerResult, DataRequestEffects, GivenRequest } from './datarequests.effects.ts';

const t = copyOf(dataRequestsCopy);

/** The keywords of data requests: `YC` and its arguments (`YC 2`, `YC LS`, `YC THUHOI 1`, `YC CO <ref>`). */
export const DATA_REQUEST_KEYWORDS = ['YC', 'yêu cầu', 'requests'];

const DataRequestStateSchema = z.discriminatedUnion('step', [
  // Running the effect `YC …` asked for; `pick`: the number of `YC <n>`.
  z.object({ step: z.literal('routing'), pick: z.number().int().min(1).optional() }),
  z.object({ step: z.literal('asking'), requestId: z.uuid(), attempts: attemptsSchema }),
  z.object({ step: z.literal('answering'), requestId: z.uuid() }),
]);
type DataRequestState = z.infer<typeof DataRequestStateSchema>;

/** The pending list (`YC`), or the sentence saying none waits. */
function pendingList(ctx: FlowContext, pending: readonly RequestText[]): Reply {
  if (pending.length === 0) return say(t(ctx).noPending());
  const lines = pending.map((p, i) => t(ctx).listLine(i + 1, p.request.agency.code, p.request.purpose));
  return say([t(ctx).listHeader(), ...lines, t(ctx).listFooter()].join('\n'));
}

/** One request whole, asking CO/KHONG (buttons on a messenger). */
function oneRequest(ctx: FlowContext, n: number, item: RequestText): Reply {
  const agency = isSmsChannel(ctx.channel)
    ? item.request.agency.code
    : `${item.request.agency.name} (${item.request.agency.code})`;
  const text = t(ctx).one(
    n,
    agency,
    itemList(ctx.language, itemWords(ctx.language, item)),
    item.request.purpose,
    vietnamDates.timeAndDay(item.request.expiresAt),
  );
  return isSmsChannel(ctx.channel)
    ? { text }
    : { text, choices: answerChoices(ctx.language, item.request.id) };
}

/** What an answer says. */
function answered(ctx: FlowContext, result: AnswerResult): Reply {
  if (result.type === 'none') return say(t(ctx).noPending());
  if (result.type === 'not_pending') return say(t(ctx).notPending());
  const { request } = result;
  if (request.status === 'approved' && request.readableUntil) {
    return say(t(ctx).approved(request.agency.code, vietnamDates.timeAndDay(request.readableUntil)));
  }
  return say(t(ctx).refused(request.agency.code));
}

/** `YC LS`: what each agency received, and when it last read it. */
function givenList(ctx: FlowContext, given: readonly GivenRequest[]): Reply {
  if (given.length === 0) return say(t(ctx).noneGiven());
  const lines = given.map(({ request, readable }, i) => {
    const status =
      request.status === 'withdrawn'
        ? t(ctx).statusWithdrawn()
        : readable && request.readableUntil
          ? t(ctx).statusApproved(vietnamDates.timeAndDay(request.readableUntil))
          : t(ctx).statusEnded();
    const read = request.lastReadAt
      ? t(ctx).readAt(vietnamDates.recent(request.lastReadAt))
      : t(ctx).notRead();
    return t(ctx).givenLine(i + 1, request.agency.code, status, read);
  });
  return say([t(ctx).givenHeader(), ...lines, t(ctx).givenFooter()].join('\n'));
}

/** The answer word of `CO`/`KHONG` arguments, or null. */
const answerOf = (word: string) => {
  const yesNo = readYesNo(word);
  return yesNo === 'yes' ? ('approved' as const) : yesNo === 'no' ? ('refused' as const) : null;
};

/**
 * `YC`: lists the requests waiting for the citizen; `YC <n>` shows one whole and asks CO/KHONG (and waits for the
 * answer); `YC CO <ref>` / `YC KHONG <ref>` answer one directly (the buttons of the notice); `YC LS` lists what
 * each agency received and when it read it; `YC THUHOI <n>` withdraws an approval that is still readable.
 */
export const dataRequestsFlow: FlowDefinition<DataRequestState, DataRequestEffects> = {
  id: 'data-requests',
  version: 1,
  stateSchema: DataRequestStateSchema,
  start: (_ctx, args) => {
    const words = foldForMatch(args).split(' ').filter(Boolean);
    const [first = '', second = ''] = words;
    const routing = { step: 'routing' } as const;
    if (first === 'ls') return perform(routing, { type: 'listGiven' });
    if (first === 'thuhoi') {
      if (/^\d{1,3}$/.test(second)) return perform(routing, { type: 'withdraw', number: Number(second) });
      return perform(routing, { type: 'listGiven' });
    }
    const answer = answerOf(first);
    if (answer && /^[0-9a-f]{8}$/.test(second)) {
      return perform(routing, { type: 'answer', target: { ref: second }, answer });
    }
    if (/^\d{1,3}$/.test(first)) {
      return perform({ step: 'routing', pick: Number(first) }, { type: 'listPending' });
    }
    return perform(routing, { type: 'listPending' });
  },
  steps: {
    routing: {
      onMessage: () => finish(),
      onResult: {
        listPending: (state, pending, ctx) => {
          const { pick } = state;
          if (pick === undefined) return finish(pendingList(ctx, pending));
          const item = pending[pick - 1];
          if (!item) return finish(say(t(ctx).noSuchRequest(pick, pending.length)));
          return goTo(
            { step: 'asking', requestId: item.request.id, attempts: 0 },
            oneRequest(ctx, pick, item),
          );
        },
        answer: (_state, result, ctx) => finish(answered(ctx, result)),
        listGiven: (_state, given, ctx) => finish(givenList(ctx, given)),
        withdraw: (_state, result, ctx) => {
          if (result.type === 'withdrawn') return finish(say(t(ctx).withdrawn(result.request.agency.code)));
          if (result.type === 'not_readable') return finish(say(t(ctx).cannotWithdraw()));
          return finish(say(t(ctx).noSuchGiven(0, result.count)));
        },
      },
    },
    asking: {
      onMessage: (state, text, ctx) => {
        const answer = answerOf(text);
        if (answer === null) return retryOrGiveUp(state, t(ctx).unclear(), t(ctx).tooManyTries(), ctx);
        return perform(
          { step: 'answering', requestId: state.requestId },
          { type: 'answer', target: { id: state.requestId }, answer },
        );
      },
    },
    answering: {
      onMessage: () => finish(),
      onResult: { answer: (_state, result, ctx) => finish(answered(ctx, result)) },
    },
  },
};

/** The flow ids of the bare answers right after a notice. */
export const NOTICE_ANSWER_FLOW = { yes: 'datarequest-yes', no: 'datarequest-no' } as const;

/**
 * A bare `CO` or `KHONG` (an idle-only keyword: only when no conversation waits) answers the request whose notice
 * went out last, while it waits. With none waiting it says nothing, and the word goes on to the next rule
 * (a neighbour's consent to an assisted registration, then its ordinary meaning).
 */
export const noticeAnswerCommand = (answer: 'yes' | 'no'): CommandDefinition<DataRequestEffects> => ({
  id: NOTICE_ANSWER_FLOW[answer],
  start: (ctx, _args, run) =>
    run(
      {
        type: 'answer',
        target: { latestNotice: true },
        answer: answer === 'yes' ? 'approved' : 'refused',
      },
      (result) => (result.type === 'none' ? finish() : finish(answered(ctx, result))),
    ),
});
