import type { Language } from '../messaging/channel.ts';
import { foldForMatch } from '../shared/text.ts';

/** What a keyword asks the engine to do. */
export type Command =
  | { readonly type: 'start'; readonly flowId: string }
  | { readonly type: 'menu' }
  | { readonly type: 'cancel' }
  | { readonly type: 'language'; readonly language: Language }
  /** `confirm: false` for carrier keywords (STOP) that must get no reply. */
  | { readonly type: 'optOut'; readonly confirm: boolean }
  | { readonly type: 'optIn' };

/** One line of the keyword table: every spelling (any case, with or without diacritics) of one command. */
export interface KeywordRule {
  readonly keywords: readonly string[];
  readonly command: Command;
  /** Whether text after the keyword is passed to the flow ("DK Nguyen Van An, ..."). */
  readonly takesArguments?: boolean;
  /**
   * An answer to something the service asked outside any conversation (a neighbour's `CO` to a consent SMS): the
   * rule counts only when no flow waits and the sender has not opted out, and is tried before the other rules,
   * so it may share words with them (`YES` is also the carrier's opt-in word). Its command must start a flow; a
   * flow so started that finishes without a word hands the message on to the next idle-only rule with the word
   * (in table order), then to the other rules (`runTurn`), so several things may be answered with `CO` and the
   * words keep their ordinary meaning for anyone with nothing to answer.
   */
  readonly idleOnly?: boolean;
}

/** A recognised command and the text that followed its keyword. */
export interface CommandMatch {
  readonly command: Command;
  readonly args: string;
  /** Set when the rule that matched is {@link KeywordRule.idleOnly}. */
  readonly idleOnly?: true;
}

/**
 * Recognises a command. While a flow waits for an answer only a message that is exactly a one-word keyword
 * counts, so a name or a date is never taken for a command; otherwise a keyword may be followed by arguments, and a number
 * picks that line of the menu. Matching ignores case, diacritics, extra spaces and surrounding punctuation. A
 * message that is exactly a keyword is that keyword; otherwise the longest keyword it starts with wins, so
 * "giấy tờ của tôi 2" is `giấy tờ của tôi` with "2", not `giấy tờ` with "của tôi 2". Idle-only rules
 * ({@link KeywordRule.idleOnly}) count only while no flow is active and `skipIdleOnly` is not set, and come first.
 */
export function matchCommand(
  text: string,
  rules: readonly KeywordRule[],
  menu: readonly Command[],
  options: {
    flowActive: boolean;
    skipIdleOnly?: boolean;
    /** Idle-only rules starting these flows are skipped (they were tried and had nothing to answer). */
    skipIdleFlows?: ReadonlySet<string>;
  },
): CommandMatch | null {
  const folded = fold(text);
  if (folded === '') return null;
  const table = compiled(rules);
  const idle = !options.flowActive && options.skipIdleOnly !== true;
  let longest: { match: CommandMatch; length: number } | null = null;
  for (const entries of idle ? [table.idleOnly, table.ordinary] : [table.ordinary]) {
    for (const entry of entries) {
      const { rule, key } = entry;
      if (
        rule.idleOnly === true &&
        rule.command.type === 'start' &&
        options.skipIdleFlows?.has(rule.command.flowId)
      )
        continue;
      // Mid-flow, a two-word keyword could be an answer: "Đặng Kỳ" is a name, not "đăng ký".
      if (options.flowActive && entry.words > 1) continue;
      if (folded === key) return matchOf(rule, '');
      if (options.flowActive || !rule.takesArguments || key.length <= (longest?.length ?? 0)) continue;
      const rest = afterKeyword(text, entry);
      if (rest !== null) longest = { match: matchOf(rule, rest), length: key.length };
    }
  }
  if (longest !== null) return longest.match;
  if (!options.flowActive && /^\d{1,2}$/.test(folded)) {
    const picked = menu[Number(folded) - 1];
    if (picked) return { command: picked, args: '' };
  }
  return null;
}

/** A rule's match: idle-only ones say so. */
function matchOf(rule: KeywordRule, args: string): CommandMatch {
  return rule.idleOnly === true
    ? { command: rule.command, args, idleOnly: true }
    : { command: rule.command, args };
}

/** One keyword of a table, folded and ready to match (see {@link compiled}). */
interface CompiledKeyword {
  readonly rule: KeywordRule;
  /** The keyword folded for matching. */
  readonly key: string;
  /** How many words the folded keyword has. */
  readonly words: number;
  /** Reads the keyword's words and what follows them from the original text (see {@link afterKeyword}). */
  readonly pattern: RegExp;
}

/** A keyword table folded once: its idle-only keywords, then the others, each in table order. */
interface CompiledTable {
  readonly idleOnly: readonly CompiledKeyword[];
  readonly ordinary: readonly CompiledKeyword[];
}

/** Keyword tables already folded; a table is a constant of the process, so it is folded on its first turn. */
const COMPILED = new WeakMap<readonly KeywordRule[], CompiledTable>();

/** The folded form of `rules`, made once per table. */
function compiled(rules: readonly KeywordRule[]): CompiledTable {
  const known = COMPILED.get(rules);
  if (known) return known;
  const entries = (idleOnly: boolean) =>
    rules
      .filter((rule) => (rule.idleOnly === true) === idleOnly)
      .flatMap((rule) =>
        rule.keywords.map((keyword): CompiledKeyword => {
          const key = fold(keyword);
          const words = key.split(' ').length;
          const pattern = new RegExp(
            `^\\s*((?:\\S+?[\\s,.;:]+){${words - 1}}\\S+?)(?:[\\s,.;:]+)(.*)$`,
            'su',
          );
          return { rule, key, words, pattern };
        }),
      );
  const table = { idleOnly: entries(true), ordinary: entries(false) };
  COMPILED.set(rules, table);
  return table;
}

/** Folds for matching; a keyword made only of punctuation ("?") is kept as typed. */
function fold(text: string): string {
  return foldForMatch(text) || text.trim();
}

/** The original text after the keyword when the text starts with it followed by a separator, else null. */
function afterKeyword(text: string, keyword: CompiledKeyword): string | null {
  const match = keyword.pattern.exec(text);
  if (!match || match[1] === undefined || foldForMatch(match[1]) !== keyword.key) return null;
  return (match[2] ?? '').trim();
}
