import type { z } from 'zod';
import type { Reply } from '../messaging/outbound-message.ts';
import type { EffectContext, FlowContext } from './flow-context.ts';

/**
 * The flow kit: a conversation is a typed state machine. Its state is a discriminated union on `step`; each
 * step has an optional `prompt` (what is said on entering it), an `onMessage` handler and, when the step
 * waits for an effect, an `onResult` handler. Handlers are pure: they return an {@link Outcome} built with
 * {@link goTo}, {@link stay}, {@link perform} or {@link finish}, and effects are data the engine runs.
 * See docs/adr/0002-flow-kit.md for why this is not XState.
 */

/** Any flow state: a discriminated union on `step`. */
export type FlowState = { readonly step: string };

/** What a step handler decides. */
export type Outcome<S, E> =
  | {
      readonly kind: 'goto';
      readonly state: S;
      readonly replies: Reply[];
      readonly effects: E[];
      readonly prompt: boolean;
    }
  | { readonly kind: 'finish'; readonly replies: Reply[] };

/** Moves to `state`, saying `replies` first and then the new step's prompt. */
export function goTo<S, E = never>(state: S, ...replies: Reply[]): Outcome<S, E> {
  return { kind: 'goto', state, replies, effects: [], prompt: true };
}

/** Stays (or moves) to `state` saying only `replies`: no prompt. Used for re-asking with a hint. */
export function stay<S, E = never>(state: S, ...replies: Reply[]): Outcome<S, E> {
  return { kind: 'goto', state, replies, effects: [], prompt: false };
}

/** Moves to `state` and asks the engine to run `effect`; the step's `onResult` receives its result. */
export function perform<S, E>(state: S, effect: E, ...replies: Reply[]): Outcome<S, E> {
  return { kind: 'goto', state, replies, effects: [effect], prompt: false };
}

/** Ends the flow after saying `replies`. */
export function finish<S = never, E = never>(...replies: Reply[]): Outcome<S, E> {
  return { kind: 'finish', replies };
}

type StepOf<S extends FlowState, K extends S['step']> = Extract<S, { step: K }>;

/** The handlers of one step; `state` is narrowed to that step. */
export interface StepDefinition<S extends FlowState, E, R, K extends S['step']> {
  prompt?: (state: StepOf<S, K>, ctx: FlowContext) => Reply[];
  onMessage: (state: StepOf<S, K>, text: string, ctx: FlowContext) => Outcome<S, E>;
  onResult?: (state: StepOf<S, K>, result: R, ctx: FlowContext) => Outcome<S, E>;
}

/** A step with its state type widened to the whole union, as the kit calls it internally. */
interface ErasedStep<S, E, R> {
  prompt?: (state: S, ctx: FlowContext) => Reply[];
  onMessage: (state: S, text: string, ctx: FlowContext) => Outcome<S, E>;
  onResult?: (state: S, result: R, ctx: FlowContext) => Outcome<S, E>;
}

/** A flow as written in flows/<name>/<name>.flow.ts. */
export interface FlowDefinition<S extends FlowState, E, R> {
  readonly id: string;
  /** Bump when the shape of the state changes: stored conversations of another version are restarted. */
  readonly version: number;
  readonly stateSchema: z.ZodType<S>;
  /** Starts the flow; `args` is what followed the keyword ("DK Nguyen Van An, ..."), trimmed. */
  start(ctx: FlowContext, args: string): Outcome<S, E>;
  readonly steps: { readonly [K in S['step']]: StepDefinition<S, E, R, K> };
}

/** The state a turn leaves a flow in, and what it says. */
export interface Transition<S> {
  readonly next: S | null;
  readonly replies: Reply[];
}

/** A flow ready to run: its definition joined with the runner of its effects. */
export interface Flow {
  readonly id: string;
  readonly version: number;
  start(ctx: EffectContext, args: string): Promise<Transition<unknown>>;
  /** Handles a message for a stored state; resolves null when the stored state is not valid for this flow. */
  resume(stored: unknown, text: string, ctx: EffectContext): Promise<Transition<unknown> | null>;
  /** What the current step asks, e.g. to repeat it in another language. Empty if the state is invalid. */
  prompt(stored: unknown, ctx: FlowContext): Reply[];
}

/** Most effects one turn may chain before the engine gives up (a guard against a flow that loops). */
const MAX_EFFECTS_PER_TURN = 8;

/**
 * Joins a flow definition with the function that runs its effects (through domain services) into a
 * {@link Flow} the engine can drive without knowing its types.
 */
export function defineFlow<S extends FlowState, E, R>(
  definition: FlowDefinition<S, E, R>,
  runEffect: (effect: E, ctx: EffectContext) => Promise<R>,
): Flow {
  // The one cast of the kit: `steps[state.step]` handles exactly `state`, which TypeScript cannot correlate.
  const stepFor = (state: S) => definition.steps[state.step as S['step']] as unknown as ErasedStep<S, E, R>;

  const settle = async (first: Outcome<S, E>, ctx: EffectContext): Promise<Transition<S>> => {
    const replies: Reply[] = [];
    let outcome = first;
    for (let round = 0; ; round += 1) {
      replies.push(...outcome.replies);
      if (outcome.kind === 'finish') return { next: null, replies };
      const { state } = outcome;
      const effect = outcome.effects[0];
      if (effect === undefined) {
        if (outcome.prompt) replies.push(...(stepFor(state).prompt?.(state, ctx) ?? []));
        return { next: state, replies };
      }
      if (round >= MAX_EFFECTS_PER_TURN) throw new Error(`flow ${definition.id} chained too many effects`);
      const onResult = stepFor(state).onResult;
      if (!onResult)
        throw new Error(`flow ${definition.id} step ${state.step} performs an effect but has no onResult`);
      outcome = onResult(state, await runEffect(effect, ctx), ctx);
    }
  };

  const parse = (stored: unknown): S | null => {
    const parsed = definition.stateSchema.safeParse(stored);
    return parsed.success ? parsed.data : null;
  };

  return {
    id: definition.id,
    version: definition.version,
    start: (ctx, args) => settle(definition.start(ctx, args), ctx),
    async resume(stored, text, ctx) {
      const state = parse(stored);
      if (state === null) return null;
      return settle(stepFor(state).onMessage(state, text, ctx), ctx);
    },
    prompt(stored, ctx) {
      const state = parse(stored);
      return state === null ? [] : (stepFor(state).prompt?.(state, ctx) ?? []);
    },
  };
}
