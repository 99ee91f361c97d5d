import type { Language } from '../messaging/channel.ts';
import type { InboundMessage } from '../messaging/inbound-message.ts';
import type { Choice, Reply } from '../messaging/outbound-message.ts';
import { AppError } from '../shared/errors.ts';
import { foldForMatch } from '../shared/text.ts';
import { type Command, type CommandMatch, type KeywordRule, matchCommand } from './commands.ts';
import type { ConversationDoc, ConversationStore } from './conversation-store.ts';
import type { CitizenSnapshot, EffectContext, FlowContext } from './flow-context.ts';
import type { Flow, Transition } from './flow-kit.ts';

/** Sentences the engine itself says (menu, cancel, language, opt-out); they live in flows/menu. */
export interface SystemCopy {
  menu(ctx: FlowContext): Reply;
  notUnderstood(ctx: FlowContext): Reply;
  cancelled(ctx: FlowContext): Reply;
  nothingToCancel(ctx: FlowContext): Reply;
  languageChanged(ctx: FlowContext): Reply;
  optedOut(ctx: FlowContext): Reply;
  optedIn(ctx: FlowContext): Reply;
  restarted(ctx: FlowContext): Reply;
  /** Said when someone follows the account (Zalo OA follow, Telegram /start): a welcome with the menu. */
  welcome(ctx: FlowContext): Reply;
  /** Said when someone shares a contact that is not their own number. */
  notOwnPhone(ctx: FlowContext): Reply;
  /**
   * Said instead of an answer when a message could not be handled after its last attempt (a defect): sorry,
   * send it again later, or HD for help. The conversation goes on with the next message.
   */
  failed(ctx: FlowContext): Reply;
}

/**
 * A conversation held by domain state rather than by the stored conversation: while the domain says so (a
 * citizen waiting for a person, a volunteer answering one), every message of the person goes to flow `flowId`
 * resumed at `state` instead of being routed. The state is worked out again from the domain on every turn and
 * never stored, so a change made elsewhere (the other person, the admin API) applies to the very next message.
 * Whatever was in progress before waits, untouched, until the standing flow is over.
 */
export interface StandingFlow {
  readonly flowId: string;
  readonly state: unknown;
  /**
   * A prefix that lets a message through to the person's own commands (`/TT`), without the prefix; null: none
   * does. Opting out (STOP) always goes through.
   */
  readonly escape: string | null;
}

/**
 * Works out the standing flow of a chat from the domain, or null (see {@link StandingFlow}); it depends on the
 * chat alone, so it is read at the same time as the rest of the person.
 */
export type StandingResolver = (chat: {
  readonly channel: InboundMessage['channel'];
  readonly address: string;
}) => Promise<StandingFlow | null>;

/** The person behind an address, as a turn sees them. */
export interface Person {
  readonly language: Language;
  readonly optedOut: boolean;
  /** Their proven phone number (see {@link FlowContext.phone}). */
  readonly phone: string | null;
  readonly citizen: CitizenSnapshot | null;
  /** The flow that takes their messages whatever they write, while the domain holds their conversation. */
  readonly standing?: StandingFlow | null;
}

/** What the engine reads and changes about the person, implemented over domain services in src/app. */
export interface TurnEnvironment {
  /** Loads (and records the sighting of) the person behind an address. */
  loadPerson(channel: InboundMessage['channel'], address: string, at: Date): Promise<Person>;
  /**
   * Records a phone number the channel vouched for as the person's own (`trust: 'vouched'`: Telegram's contact
   * button), links the address to the account of that phone if there is one, and resolves that account. Never
   * called for a claimed number: that one is proven by a code.
   */
  proveVouchedPhone(
    channel: InboundMessage['channel'],
    address: string,
    phone: string,
    at: Date,
  ): Promise<CitizenSnapshot | null>;
  setLanguage(channel: InboundMessage['channel'], address: string, language: Language): Promise<void>;
  setOptedOut(
    channel: InboundMessage['channel'],
    address: string,
    optedOut: boolean,
    at: Date,
  ): Promise<void>;
}

/** A reply of a turn, ready to be stored in the outbox. */
export interface TurnReply {
  readonly reply: Reply;
  readonly language: Language;
  /** `opt_out_confirmation` is the one message allowed to an address that has just opted out. */
  readonly purpose: 'reply' | 'opt_out_confirmation';
}

/** The parts a turn runs on. */
export interface EngineDeps {
  readonly store: ConversationStore;
  readonly environment: TurnEnvironment;
  readonly flows: ReadonlyMap<string, Flow>;
  readonly keywords: readonly KeywordRule[];
  /** The numbered menu: "1" picks the first command. */
  readonly menu: readonly Command[];
  readonly copy: SystemCopy;
  /**
   * What a shared phone starts when no flow waits for it (linking the account): at once for a vouched number, with
   * the number as its argument for a claimed one (which it proves by a code).
   */
  readonly phoneShared: Extract<Command, { type: 'start' }>;
  /**
   * Stores the replies of a turn durably (idempotent on `ref` and position) and schedules their sending.
   * Called before the conversation is saved, so a crash in between replays the turn and stores the same replies.
   */
  deliver(ref: string, message: InboundMessage, replies: readonly TurnReply[]): Promise<void>;
}

/** Thrown when another turn saved the conversation first; the job is retried and re-reads it. */
export class ConcurrentTurnError extends AppError {
  constructor() {
    super('CONCURRENT_TURN', 'the conversation was changed by another turn', { retryable: true });
  }
}

/** What a turn did, for logs and metrics (no personal data). */
export interface TurnSummary {
  readonly outcome: 'replied' | 'silent' | 'replayed';
  readonly flowId: string | null;
  readonly replies: number;
}

/**
 * Runs one turn: the message `ref` of conversation `key`. Loads the person and the conversation, routes the
 * text (a command, or the answer to the active flow), runs the flow and its effects, stores the replies, then
 * saves the conversation with compare-and-set. Replaying a turn that was already saved does nothing; replaying
 * one that crashed before saving repeats it with idempotent effects, so nothing is lost or done twice.
 */
export async function runTurn(
  deps: EngineDeps,
  turn: { key: string; ref: string; message: InboundMessage },
): Promise<TurnSummary> {
  const { message, ref } = turn;
  const loaded = await deps.store.load(turn.key);
  if (loaded?.doc.lastRef === ref) return { outcome: 'replayed', flowId: null, replies: 0 };

  const at = new Date(message.receivedAt);
  const person = await deps.environment.loadPerson(message.channel, message.from, at);
  let ctx: EffectContext = {
    language: person.language,
    channel: message.channel,
    address: message.from,
    phone: person.phone,
    citizen: person.citizen,
    now: at,
    ref,
  };
  const active = loaded?.doc.active ?? null;
  const activeFlow = active ? deps.flows.get(active.flowId) : undefined;
  const stillValid = active !== null && activeFlow !== undefined && activeFlow.version === active.flowVersion;
  const standing = person.standing ?? null;
  const escaped = standing?.escape != null && message.text.trimStart().startsWith(standing.escape);
  const standingFlow = standing && !escaped ? flowNamed(deps, standing.flowId) : null;
  const routed =
    escaped && standing?.escape ? message.text.trimStart().slice(standing.escape.length) : message.text;
  const text = pickChoice(withoutCommandSlash(routed), loaded?.doc.offered ?? [], stillValid);
  /** The idle-only flows tried in this turn that had nothing to answer. */
  const triedIdle = new Set<string>();
  const matchText = () =>
    matchCommand(text, deps.keywords, deps.menu, {
      flowActive: stillValid,
      skipIdleOnly: person.optedOut,
      skipIdleFlows: triedIdle,
    });
  let match = matchText();
  // Opt-in words ("YES") are answers, not commands, for someone who has not opted out and is in a flow.
  if (match?.command.type === 'optIn' && !person.optedOut && stillValid) match = null;

  const replies: TurnReply[] = [];
  const say = (reply: Reply, purpose: TurnReply['purpose'] = 'reply') =>
    replies.push({ reply, language: ctx.language, purpose });
  let next: ConversationDoc['active'] = stillValid ? active : null;
  /** The standing flow that took the message, if one did (for the summary). */
  let handledBy: string | null = null;

  const runFlow = async (flow: Flow, transition: Promise<Transition<unknown> | null>) => {
    const result = await transition;
    if (result === null) {
      next = null;
      say(deps.copy.restarted(ctx));
      say(deps.copy.menu(ctx));
      return;
    }
    for (const reply of result.replies) say(reply);
    next = result.next === null ? null : { flowId: flow.id, flowVersion: flow.version, state: result.next };
  };
  const repeatQuestion = () => {
    if (next && activeFlow) for (const reply of activeFlow.prompt(next.state, ctx)) say(reply);
  };
  const startFlow = async (command: Extract<Command, { type: 'start' }>, args: string) => {
    const flow = flowNamed(deps, command.flowId);
    const interrupted = next;
    await runFlow(flow, flow.start(ctx, args));
    // A flow that answers at once (TT) leaves the one in progress waiting, and repeats its question (unless it
    // handed the conversation over: the question comes back when it is over).
    if (next === null && interrupted !== null && activeFlow && interrupted.flowId !== flow.id) {
      next = interrupted;
      if (!flow.handsOver) repeatQuestion();
    }
  };

  const handleCommand = async (found: CommandMatch): Promise<void> => {
    const { command } = found;
    switch (command.type) {
      case 'optOut':
        await deps.environment.setOptedOut(message.channel, message.from, true, at);
        if (command.confirm) say(deps.copy.optedOut(ctx), 'opt_out_confirmation');
        next = null;
        break;
      case 'optIn':
        say(deps.copy.optedIn(ctx));
        break;
      case 'language':
        await deps.environment.setLanguage(message.channel, message.from, command.language);
        ctx = { ...ctx, language: command.language };
        say(deps.copy.languageChanged(ctx));
        if (next && activeFlow) repeatQuestion();
        else say(deps.copy.menu(ctx));
        break;
      case 'cancel':
        say(next ? deps.copy.cancelled(ctx) : deps.copy.nothingToCancel(ctx));
        next = null;
        break;
      case 'menu':
        // The menu does not end what is in progress: its answer is still awaited (HUY ends it).
        say(deps.copy.menu(ctx));
        break;
      case 'start': {
        const before = replies.length;
        await startFlow(command, found.args);
        // An idle-only flow that finished without a word had nothing to answer: the next idle-only rule with the
        // word, then the ordinary rules take it.
        if (found.idleOnly === true && next === null && replies.length === before) {
          triedIdle.add(command.flowId);
          const ordinary = matchText();
          if (ordinary) await handleCommand(ordinary);
          else say(deps.copy.notUnderstood(ctx));
        }
        break;
      }
    }
  };

  if (message.event === 'unfollow') {
    // They left the account: nothing more is sent until they come back.
    await deps.environment.setOptedOut(message.channel, message.from, true, at);
    next = null;
  } else if (message.event === 'follow') {
    if (person.optedOut) await deps.environment.setOptedOut(message.channel, message.from, false, at);
    say(deps.copy.welcome(ctx));
  } else if (person.optedOut) {
    // Nothing is sent to an address that opted out, except the answer to opting back in.
    if (match?.command.type === 'optIn') {
      await deps.environment.setOptedOut(message.channel, message.from, false, at);
      say(deps.copy.optedIn(ctx));
      next = null;
    }
  } else if (message.sharedPhone?.trust === 'foreign') {
    say(deps.copy.notOwnPhone(ctx));
    repeatQuestion();
  } else if (message.sharedPhone?.trust === 'vouched') {
    const { phone } = message.sharedPhone;
    const citizen = await deps.environment.proveVouchedPhone(message.channel, message.from, phone, at);
    ctx = { ...ctx, phone, citizen };
    // The flow waiting for the number goes on with it; otherwise the number links the account.
    if (next && activeFlow) await runFlow(activeFlow, activeFlow.resume(next.state, '', ctx));
    else await startFlow(deps.phoneShared, '');
  } else if (message.sharedPhone?.trust === 'claimed') {
    // A claim proves nothing: it is the number, as if typed, and the flow texts it a code to prove it.
    const { phone } = message.sharedPhone;
    if (next && activeFlow) await runFlow(activeFlow, activeFlow.resume(next.state, phone, ctx));
    else await startFlow(deps.phoneShared, phone);
  } else if (standingFlow && standing && match?.command.type !== 'optOut') {
    // Held by the domain: the standing flow takes the message as written; its state is not stored, and what
    // was in progress (`next`) stays as it was.
    const result = await standingFlow.resume(standing.state, message.text, ctx);
    if (result === null)
      throw new AppError('INVALID_STANDING_STATE', `standing state not valid for flow ${standingFlow.id}`, {
        context: { flowId: standingFlow.id },
      });
    for (const reply of result.replies) say(reply);
    handledBy = standingFlow.id;
  } else if (match) {
    await handleCommand(match);
  } else if (next && activeFlow) {
    const before = replies.length;
    await runFlow(activeFlow, activeFlow.resume(next.state, text, ctx));
    // A waiting flow that ended without a word was not waiting for this message (what it waited for is over, e.g.
    // a consent that arrived meanwhile): the message is handled as if no flow had been waiting.
    if (next === null && replies.length === before) {
      const ordinary = matchCommand(text, deps.keywords, deps.menu, {
        flowActive: false,
        skipIdleOnly: person.optedOut,
      });
      if (ordinary) await handleCommand(ordinary);
      else say(deps.copy.notUnderstood(ctx));
    }
  } else if (active !== null) {
    // The stored flow no longer exists in this version of the service.
    next = null;
    say(deps.copy.restarted(ctx));
    say(deps.copy.menu(ctx));
  } else {
    say(deps.copy.notUnderstood(ctx));
  }

  await deps.deliver(ref, message, replies);
  const offered = replies.flatMap((r) => r.reply.choices ?? []);
  const doc: ConversationDoc = {
    v: 1,
    active: next,
    lastRef: ref,
    ...(offered.length > 0 ? { offered } : {}),
    updatedAt: new Date().toISOString(),
  };
  if (!(await deps.store.save(turn.key, doc, loaded?.revision ?? 0))) throw new ConcurrentTurnError();
  return {
    outcome: replies.length > 0 ? 'replied' : 'silent',
    flowId: handledBy ?? doc.active?.flowId ?? null,
    replies: replies.length,
  };
}

/** The flow `flowId`; a missing one is a wiring error. */
function flowNamed(deps: EngineDeps, flowId: string): Flow {
  const flow = deps.flows.get(flowId);
  if (!flow) throw new AppError('UNKNOWN_FLOW', `no flow ${flowId}`, { context: { flowId } });
  return flow;
}

/** A leading slash before a letter marks a command, as on Telegram ("/TT", "/dk ..."): it is dropped. */
function withoutCommandSlash(text: string): string {
  return text.replace(/^\s*\/(?=\p{L})/u, '');
}

/**
 * A pressed button or a typed choice stands for its payload: the label (any case, with or without diacritics)
 * of a choice offered by the last reply, or its number while a flow waits for the answer (with no flow, numbers
 * pick the menu, whose choices are in the same order).
 */
function pickChoice(text: string, offered: readonly Choice[], flowActive: boolean): string {
  if (offered.length === 0) return text;
  const folded = foldForMatch(text);
  if (folded === '') return text;
  const byLabel = offered.find((choice) => foldForMatch(choice.label) === folded);
  if (byLabel) return byLabel.payload;
  if (flowActive && /^\d{1,2}$/.test(folded)) return offered[Number(folded) - 1]?.payload ?? text;
  return text;
}
