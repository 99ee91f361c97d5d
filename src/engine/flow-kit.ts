import type { z } from 'zod';
import type { Reply } from '../messaging/outbound-message.ts';
import type { EffectContext, FlowContext } from './flow-context.ts';

/**
 * The flow kit: a conversation is a typed state machine. Its state is a discriminated union on `step`; each
 * step has an optional `prompt` (what is said on entering it), an `onMessage` handler and, when the step
 * waits for effects, an `onResult` handler per effect type. Handlers are pure: they return an {@link Outcome}
 * built with {@link goTo}, {@link stay}, {@link perform} or {@link finish}, and effects are data the engine
 * runs. A one-shot command (answer at once, maybe after one effect) is written with {@link defineCommand}.
 * See docs/adr/0002-flow-kit.md for why this is not XState.
 */

/** Any flow state: a discriminated union on `step`. */
export type FlowState = { readonly step: string };

/**
 * The effects a flow may perform, each under its `type` with the result it gives:
 * `{ openAccount: { effect: OpenAccountEffect; result: OpenAccountResult }, ... }`. Declare it as a `type`
 * (an interface has no index signature); `M extends EffectMap<M>` checks each effect's `type` is its key.
 */
export type EffectMap<M = Record<string, unknown>> = {
  readonly [T in keyof M]: { readonly effect: { readonly type: T }; readonly result: unknown };
};

/** A flow without effects. */
export type NoEffects = Record<never, never>;

/** Any effect of the map `M`. */
export type EffectOf<M> = { [T in keyof M]: M[T] extends { readonly effect: infer E } ? E : never }[keyof M];

/** The result of the effect of type `T` in the map `M`. */
export type ResultOf<M, T extends keyof M> = M[T] extends { readonly result: infer R } ? R : never;

/** The flow ends after saying `replies`. */
export interface Finished {
  readonly kind: 'finish';
  readonly replies: Reply[];
}

/** What a step handler decides: move to a state (maybe running an effect first), or end. */
export type Outcome<S, E> =
  | {
      readonly kind: 'goto';
      readonly state: S;
      readonly replies: Reply[];
      readonly effects: E[];
      readonly prompt: boolean;
    }
  | Finished;

/** Moves to `state`, saying `replies` first and then the new step's prompt. */
export function goTo<S, E = never>(state: S, ...replies: Reply[]): Outcome<S, E> {
  return { kind: 'goto', state, replies, effects: [], prompt: true };
}

/** Stays (or moves) to `state` saying only `replies`: no prompt. Used for re-asking with a hint. */
export function stay<S, E = never>(state: S, ...replies: Reply[]): Outcome<S, E> {
  return { kind: 'goto', state, replies, effects: [], prompt: false };
}

/**
 * Moves to `state` and asks the engine to run `effect`; the handler of the effect's `type` in that step's
 * `onResult` receives its result.
 */
export function perform<S, E extends { readonly type: string }>(
  state: S,
  effect: E,
  ...replies: Reply[]
): Outcome<S, E> {
  return { kind: 'goto', state, replies, effects: [effect], prompt: false };
}

/** Ends the flow (or the command) after saying `replies`. */
export function finish(...replies: Reply[]): Finished {
  return { kind: 'finish', replies };
}

type StepOf<S extends FlowState, K extends S['step']> = Extract<S, { step: K }>;

/** How a step takes the result of each effect it performs, typed by the effect's `type`. */
export type ResultHandlers<S extends FlowState, M, K extends S['step']> = {
  readonly [T in keyof M]?: (
    state: StepOf<S, K>,
    result: ResultOf<M, T>,
    ctx: FlowContext,
  ) => Outcome<S, EffectOf<M>>;
};

/** The handlers of one step; `state` is narrowed to that step, each result to its effect. */
export interface StepDefinition<S extends FlowState, M, K extends S['step']> {
  prompt?: (state: StepOf<S, K>, ctx: FlowContext) => Reply[];
  onMessage: (state: StepOf<S, K>, text: string, ctx: FlowContext) => Outcome<S, EffectOf<M>>;
  /** One handler per effect type this step performs (a step that performs none has no `onResult`). */
  onResult?: ResultHandlers<S, M, K>;
}

/** A flow as written in flows/<name>/<name>.flow.ts. */
export interface FlowDefinition<S extends FlowState, M extends EffectMap<M> = NoEffects> {
  readonly id: string;
  /** Bump when the shape of the state changes: stored conversations of another version are restarted. */
  readonly version: number;
  readonly stateSchema: z.ZodType<S>;
  /** Starts the flow; `args` is what followed the keyword ("DK Nguyen Van An, ..."), trimmed. */
  start(ctx: FlowContext, args: string): Outcome<S, EffectOf<M>>;
  readonly steps: { readonly [K in S['step']]: StepDefinition<S, M, K> };
}

/**
 * The runners of a flow's effects, one per effect type, each resolving that effect's result (through domain
 * services; idempotent on `ctx.ref`). A runner object may run more effects than one flow uses.
 */
export type EffectRunners<M> = {
  readonly [T in keyof M]: (
    effect: Extract<EffectOf<M>, { readonly type: T }>,
    ctx: EffectContext,
  ) => Promise<ResultOf<M, T>>;
};

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
  /** See {@link CommandDefinition.handsOver}: the question of a flow in progress is not repeated after it. */
  readonly handsOver?: boolean;
}

/** Most effects one turn may chain before the engine gives up (a guard against a flow that loops). */
const MAX_EFFECTS_PER_TURN = 8;

type ErasedOutcome<S> = Outcome<S, unknown>;

/** The `type` of an effect, under which its handler and its runner are found. */
function typeOf(effect: unknown): string {
  if (typeof effect === 'object' && effect !== null && 'type' in effect && typeof effect.type === 'string')
    return effect.type;
  throw new Error('an effect must be an object with a string type');
}

/** A flow with its types erased, as the kit drives it internally. */
interface ErasedFlow<S> {
  readonly steps: Readonly<
    Record<
      string,
      {
        prompt?: (state: S, ctx: FlowContext) => Reply[];
        onMessage: (state: S, text: string, ctx: FlowContext) => ErasedOutcome<S>;
        onResult?: Readonly<
          Record<string, ((state: S, result: unknown, ctx: FlowContext) => ErasedOutcome<S>) | undefined>
        >;
      }
    >
  >;
  /** Each runner resolves exactly what the handler of its effect takes, hence `never` once erased. */
  readonly runners: Readonly<
    Record<string, ((effect: unknown, ctx: EffectContext) => Promise<never>) | undefined>
  >;
}

/**
 * The one cast of the kit: `steps[state.step]` handles exactly `state`, and `onResult[effect.type]` and
 * `runners[effect.type]` exactly that effect and its result, which TypeScript cannot correlate.
 */
function erase<S>(steps: unknown, runners: unknown): ErasedFlow<S> {
  return { steps, runners } as ErasedFlow<S>;
}

/**
 * Joins a flow definition with the runners of its effects into a {@link Flow} the engine can drive without
 * knowing its types.
 */
export function defineFlow<S extends FlowState, M extends EffectMap<M>>(
  definition: FlowDefinition<S, M>,
  runners: EffectRunners<M>,
): Flow {
  const erased = erase<S>(definition.steps, runners);
  const stepFor = (state: S) => {
    const step = erased.steps[state.step];
    if (!step) throw new Error(`flow ${definition.id} has no step ${state.step}`);
    return step;
  };

  const settle = async (first: ErasedOutcome<S>, ctx: EffectContext): Promise<Transition<S>> => {
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
      const type = typeOf(effect);
      const onResult = stepFor(state).onResult?.[type];
      const run = erased.runners[type];
      if (!onResult || !run)
        throw new Error(
          `flow ${definition.id} step ${state.step} performs ${type} without ${onResult ? 'a runner' : 'an onResult handler'} for it`,
        );
      outcome = onResult(state, await run(effect, ctx), ctx);
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

/** What a command does next: answer (with {@link finish}), or run an effect and decide on its result. */
export type CommandOutcome<M> = Finished | CommandEffect<M>;

/** A command running one effect; `then` takes its result. Built with the `run` a command's `start` is given. */
export interface CommandEffect<M> {
  readonly kind: 'run';
  readonly effect: EffectOf<M>;
  readonly then: (result: never, ctx: FlowContext) => CommandOutcome<M>;
}

/**
 * Runs `effect`, then `then` on its result (typed by the effect's `type`): answer with {@link finish}, or run
 * another effect.
 */
export type RunEffect<M> = <T extends keyof M & string>(
  effect: Extract<EffectOf<M>, { readonly type: T }>,
  then: (result: ResultOf<M, T>, ctx: FlowContext) => CommandOutcome<M>,
) => CommandEffect<M>;

/**
 * A one-shot command (`TT`, `GT`, `LS`, `DULIEU`...): it answers in the turn it starts, maybe after running
 * effects, and never waits for a message, so it has no steps and no stored state.
 */
export interface CommandDefinition<M extends EffectMap<M> = NoEffects> {
  readonly id: string;
  /** Starts the command; `args` is what followed the keyword, trimmed. `run` runs an effect (see {@link RunEffect}). */
  start(ctx: FlowContext, args: string, run: RunEffect<M>): CommandOutcome<M>;
  /**
   * The command hands the conversation over (to a standing flow, e.g. `GAP` to a person): a flow in progress
   * still waits, but its question is not repeated after the command's answer.
   */
  readonly handsOver?: boolean;
}

/** Joins a command with the runners of its effects into a {@link Flow} the engine drives like any other. */
export function defineCommand<M extends EffectMap<M>>(
  definition: CommandDefinition<M>,
  runners: EffectRunners<M>,
): Flow {
  const erased = erase<never>({}, runners);
  const run: RunEffect<M> = (effect, then) => ({ kind: 'run', effect, then });

  const settle = async (first: CommandOutcome<M>, ctx: EffectContext): Promise<Transition<unknown>> => {
    const replies: Reply[] = [];
    let outcome = first;
    for (let round = 0; outcome.kind === 'run'; round += 1) {
      if (round >= MAX_EFFECTS_PER_TURN) throw new Error(`command ${definition.id} chained too many effects`);
      const { effect, then } = outcome;
      const type = typeOf(effect);
      const runner = erased.runners[type];
      if (!runner) throw new Error(`command ${definition.id} runs ${type} without a runner for it`);
      outcome = then(await runner(effect, ctx), ctx);
    }
    replies.push(...outcome.replies);
    return { next: null, replies };
  };

  return {
    id: definition.id,
    // A command stores no state, so no stored conversation can be of another version.
    version: 1,
    start: (ctx, args) => settle(definition.start(ctx, args, run), ctx),
    ...(definition.handsOver ? { handsOver: true } : {}),
    // Never stored, so never resumed: a stored state under this id is not valid for it.
    resume: async () => null,
    prompt: () => [],
  };
}
