import { z } from 'zod';
import type { FlowContext } from '../../src/engine/flow-context.ts';
import { finish, type Outcome, stay } from '../../src/engine/flow-kit.ts';
import type { Language } from '../../src/messaging/channel.ts';
import type { Reply } from '../../src/messaging/outbound-message.ts';
import { foldForMatch } from '../../src/shared/text.ts';
import { answersCopy } from './answers.copy.ts';

/**
 * The answers toolkit every flow uses: one reply from a sentence ({@link say}), the sentences of a copy file in
 * the person's language ({@link copyOf}), one list of yes/no words ({@link readYesNo}), and re-asking a
 * question with a hint until the last try, then giving up and offering a person ({@link retryOrGiveUp}).
 */

/** A reply of one sentence. */
export const say = (text: string): Reply => ({ text });

/** The lookup of a copy file's sentences in the person's language: `const t = copyOf(registrationCopy)`. */
export function copyOf<C>(copy: Readonly<Record<Language, C>>): (ctx: Pick<FlowContext, 'language'>) => C {
  return (ctx) => copy[ctx.language];
}

/**
 * The words that say yes or no to a CO/KHONG question, folded (any case, with or without diacritics), and
 * the numbers of the buttons (1 yes, 2 no). Every no-word is safe for every question (a no changes nothing).
 */
export const YES_WORDS: ReadonlySet<string> = new Set([
  'co',
  'c',
  'yes',
  'y',
  'ok',
  'dong y',
  'toi dong y',
  'agree',
  '1',
]);
/** See {@link YES_WORDS}; "giu"/"keep" and "bo"/"discard" answer the questions that offer to keep or discard. */
export const NO_WORDS: ReadonlySet<string> = new Set([
  'khong',
  'k',
  'ko',
  'no',
  'n',
  'khong dong y',
  'tu choi',
  'huy bo',
  'giu',
  'keep',
  'bo',
  'khong luu',
  'discard',
  '2',
]);

/**
 * Reads a yes/no answer: `yes`, `no`, or null when unclear. `alsoYes` adds the verb of the question's own yes
 * (the profile's "lưu"/"save"); it is kept out of {@link YES_WORDS} so that "save" never counts as consent to
 * processing personal data.
 */
export function readYesNo(text: string, alsoYes: readonly string[] = []): 'yes' | 'no' | null {
  const answer = foldForMatch(text);
  if (YES_WORDS.has(answer) || alsoYes.includes(answer)) return 'yes';
  if (NO_WORDS.has(answer)) return 'no';
  return null;
}

/** Wrong answers allowed to one question before the flow gives up (the third wrong one ends it). */
export const MAX_ATTEMPTS = 3;

/** The wrong answers given so far to the current question, as kept in a step's state. */
export const attemptsSchema = z.number().int().min(0).max(MAX_ATTEMPTS);

/**
 * A wrong answer to the question of `state`: re-asks with `hint` and counts the try on the state, or after the
 * last allowed try ends the flow with `giveUp` and a second reply offering a person (`GAP`).
 */
export function retryOrGiveUp<S extends { readonly attempts: number }>(
  state: S,
  hint: string | Reply,
  giveUp: string,
  ctx: Pick<FlowContext, 'language'>,
): Outcome<S, never> {
  const used = state.attempts + 1;
  if (used >= MAX_ATTEMPTS) return giveUpWith(giveUp, ctx);
  return stay({ ...state, attempts: used }, typeof hint === 'string' ? say(hint) : hint);
}

/**
 * What follows `GAP` in the payload of the button offered after giving up ({@link giveUpWith}): the hand-off it
 * opens is recorded as `stuck` (the citizen accepted the offer after failing the same question), not `asked`.
 */
export const STUCK_MARK = '#stuck';

/**
 * The `GAP` offered after giving up: a button on messengers, and on every channel the word `GAP` typed as the next
 * message (the conversation keeps the choices of its last reply, and the flow has ended, so `GAP #stuck` reaches
 * the GAP command with its mark).
 */
export const OFFER_PERSON_CHOICE = { label: 'GAP', payload: `GAP ${STUCK_MARK}` } as const;

/**
 * Ends the flow with `giveUp`, then offers a person (`GAP`, see {@link OFFER_PERSON_CHOICE}): what every flow says
 * when it cannot go on.
 */
export function giveUpWith(giveUp: string, ctx: Pick<FlowContext, 'language'>) {
  return finish(say(giveUp), {
    text: answersCopy[ctx.language].offerPerson(),
    choices: [{ ...OFFER_PERSON_CHOICE }],
  });
}
