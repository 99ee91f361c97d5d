import { type CommandDefinition, finish } from '../../src/engine/flow-kit.ts';
import { copyOf, say } from '../kit/answers.ts';
import { registrationCopy } from '../registration/registration.copy.ts';
import { assistedCopy } from './assisted.copy.ts';
import type { NeighbourAnswerResult } from './assisted.effects.ts';

/** The effect of the neighbour's answer, with its result. */
export type ConsentAnswerEffects = {
  neighbourAnswer: {
    effect: { type: 'neighbourAnswer'; answer: 'yes' | 'no' };
    result: NeighbourAnswerResult;
  };
};

/**
 * The words a neighbour answers the consent SMS with. They start {@link consentAnswerCommand} only when no flow
 * waits (an idle-only keyword rule, flows/index.ts); `YES` and `đồng ý` are also opt-in words, which they stay for
 * anyone with nothing to answer. Yes needs an explicit word: silence, or a letter, is not consent.
 */
export const CONSENT_ANSWER_WORDS = {
  yes: ['CO', 'có', 'YES', 'đồng ý', 'tôi đồng ý', 'agree'],
  no: ['KHONG', 'không', 'KO', 'NO', 'không đồng ý', 'từ chối'],
} as const;

const t = copyOf(assistedCopy);
const registration = copyOf(registrationCopy);

/** The flow id of each answer: one command per answer, as a keyword passes no arguments of its own. */
export const CONSENT_ANSWER_FLOW = { yes: 'consent-yes', no: 'consent-no' } as const;

/**
 * The neighbour's `CO` or `KHONG` to the consent SMS of an assisted registration, from their own phone by SMS.
 * With no request waiting for that phone it says nothing, so the engine gives the word its ordinary meaning
 * (`YES` opts in, `CO` is not understood). On consent the account is opened and the neighbour gets
 * self-registration's welcome; the volunteer is told in their chat.
 */
export const consentAnswerCommand = (answer: 'yes' | 'no'): CommandDefinition<ConsentAnswerEffects> => ({
  id: CONSENT_ANSWER_FLOW[answer],
  start: (ctx, _args, run) =>
    run({ type: 'neighbourAnswer', answer }, (result) => {
      switch (result.type) {
        case 'none':
          return finish();
        case 'opened':
          return finish(say(registration(ctx).opened(result.accountCode)));
        case 'refused':
          return finish(say(t(ctx).neighbourRefused()));
        case 'expired':
          return finish(say(t(ctx).neighbourExpired()));
        case 'phoneHasAccount':
          return finish(say(t(ctx).neighbourPhoneTaken()));
        case 'cccdTaken':
          return finish(say(registration(ctx).cccdTaken()));
      }
    }),
});
