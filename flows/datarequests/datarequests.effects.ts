import {
  type DataRequest,
  type DataRequestRepository,
  isReadable,
} from '../../src/domain/datarequests/data-request.ts';
import type { DocumentRepository } from '../../src/domain/documents/document.ts';
import type { EffectContext } from '../../src/engine/flow-context.ts';
import type { EffectRunners } from '../../src/engine/flow-kit.ts';
import { type RequestText, requestRef } from './data-request-text.ts';

/** What the data-request flows need from the domain. */
export interface DataRequestPorts {
  readonly dataRequests: DataRequestRepository;
  readonly documents: DocumentRepository;
  /** Told when the citizen answered or withdrew: queues the agency's callback. */
  readonly dataRequestChanged: (request: DataRequest) => Promise<void>;
}

/** Which request an answer is for: by the reference on a button, the id a flow holds, or the latest notice. */
export type AnswerTarget =
  | { readonly ref: string }
  | { readonly id: string }
  | { readonly latestNotice: true };

/** The outcome of an answer. */
export type AnswerResult =
  | { readonly type: 'answered'; readonly request: DataRequest }
  /** The request was answered before, expired or withdrawn. */
  | { readonly type: 'not_pending' }
  /** No such request of this citizen (for the latest notice: none waits). */
  | { readonly type: 'none' };

/** A request given to an agency (approved, then maybe withdrawn or past its 7 days), numbered as `YC LS` shows it. */
export interface GivenRequest {
  readonly request: DataRequest;
  readonly readable: boolean;
}

/** The effects of the data-request flows, with their results. */
export type DataRequestEffects = {
  listPending: { effect: { type: 'listPending' }; result: RequestText[] };
  answer: {
    effect: { type: 'answer'; target: AnswerTarget; answer: 'approved' | 'refused' };
    result: AnswerResult;
  };
  listGiven: { effect: { type: 'listGiven' }; result: GivenRequest[] };
  withdraw: {
    effect: { type: 'withdraw'; number: number };
    result:
      | { type: 'withdrawn'; request: DataRequest }
      | { type: 'not_readable' }
      | { type: 'none'; count: number };
  };
};

/** The runners of the data-request effects, over the repository; answers and withdrawals are told to the agency. */
export function createDataRequestEffects(deps: DataRequestPorts): EffectRunners<DataRequestEffects> {
  const citizenOf = (ctx: EffectContext) => ctx.citizen?.id ?? null;
  const given = async (citizenId: string, at: Date): Promise<GivenRequest[]> =>
    (await deps.dataRequests.listByCitizen(citizenId))
      .filter((r) => r.status === 'approved' || r.status === 'withdrawn')
      .map((request) => ({ request, readable: isReadable(request, at) }));
  return {
    async listPending(_effect, ctx) {
      const citizenId = citizenOf(ctx);
      if (!citizenId) return [];
      const typeTitles: Record<string, string> = {};
      for (const paper of await deps.documents.listByCitizen(citizenId)) {
        typeTitles[paper.typeCode.toUpperCase()] ??= paper.title;
      }
      return (await deps.dataRequests.listPending(citizenId, ctx.now)).map((request) => ({
        request,
        typeTitles,
      }));
    },

    async answer(effect, ctx) {
      const citizenId = citizenOf(ctx);
      if (!citizenId) return { type: 'none' };
      const { target } = effect;
      let request: DataRequest | null = null;
      if ('id' in target) request = await deps.dataRequests.findById(target.id);
      else if ('ref' in target) {
        const ref = target.ref.toUpperCase();
        request =
          (await deps.dataRequests.listByCitizen(citizenId)).find((r) => requestRef(r.id) === ref) ?? null;
      } else {
        // A bare CO/KHONG answers the request whose notice went out last, while it waits.
        const pending = (await deps.dataRequests.listPending(citizenId, ctx.now)).filter((r) => r.noticedAt);
        request =
          pending.sort((a, b) => (b.noticedAt?.getTime() ?? 0) - (a.noticedAt?.getTime() ?? 0))[0] ?? null;
        if (!request) return { type: 'none' };
      }
      if (!request || request.citizenId !== citizenId) return { type: 'none' };
      const outcome = await deps.dataRequests.answer(request.id, citizenId, {
        answer: effect.answer,
        at: ctx.now,
        channel: ctx.channel,
      });
      if (outcome.type === 'not_found') return { type: 'none' };
      if (outcome.type === 'unchanged') return { type: 'not_pending' };
      await deps.dataRequestChanged(outcome.request);
      return { type: 'answered', request: outcome.request };
    },

    async listGiven(_effect, ctx) {
      const citizenId = citizenOf(ctx);
      return citizenId ? given(citizenId, ctx.now) : [];
    },

    async withdraw(effect, ctx) {
      const citizenId = citizenOf(ctx);
      if (!citizenId) return { type: 'none', count: 0 };
      const list = await given(citizenId, ctx.now);
      const picked = list[effect.number - 1];
      if (!picked) return { type: 'none', count: list.length };
      const outcome = await deps.dataRequests.withdraw(picked.request.id, citizenId, {
        at: ctx.now,
        channel: ctx.channel,
      });
      if (outcome.type !== 'changed') return { type: 'not_readable' };
      await deps.dataRequestChanged(outcome.request);
      return { type: 'withdrawn', request: outcome.request };
    },
  };
}
