import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchCommand } from '../src/engine/commands.ts';
import { foldForMatch } from '../src/shared/text.ts';
import { anyText, PROPERTY_RUNS, PROPERTY_TIMEOUT_MS } from '../test/support/text-arbitraries.ts';
import { keywords, menu } from './index.ts';

/**
 * Properties of the keyword router (`matchCommand`) over the real keyword table: for any text, in any state, no
 * exception; the command found is one of the table's or the menu's; arguments are the text after a keyword, and
 * mid-flow there are none; a keyword followed by arguments reads back as that keyword (or a longer one).
 */

const commands = [...keywords.map((rule) => rule.command), ...menu];
const options = fc.record({ flowActive: fc.boolean(), skipIdleOnly: fc.boolean() });
const withArguments = keywords.filter((rule) => rule.takesArguments === true);

describe('the keyword router', { timeout: PROPERTY_TIMEOUT_MS }, () => {
  it('finds nothing or a command of the table, with arguments taken from the text', () => {
    fc.assert(
      fc.property(anyText, options, (text, state) => {
        const match = matchCommand(text, keywords, menu, state);
        if (match === null) return;
        expect(commands).toContainEqual(match.command);
        expect(text.normalize('NFC')).toContain(match.args.normalize('NFC'));
        expect(match.args).toBe(match.args.trim());
        if (state.flowActive) {
          expect(match.args).toBe('');
          expect(match.idleOnly).toBeUndefined();
        }
      }),
      { numRuns: PROPERTY_RUNS * 2 },
    );
  });

  it('reads any keyword that takes arguments, followed by any text, as that keyword or a longer one', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          ...withArguments.flatMap((rule) => rule.keywords.map((keyword) => ({ rule, keyword }))),
        ),
        fc.constantFrom(' ', ', ', ': ', '  '),
        anyText.filter((args) => foldForMatch(args) !== ''),
        fc.boolean(),
        ({ rule, keyword }, separator, args, upper) => {
          const typed = `${upper ? keyword.toUpperCase() : keyword}${separator}${args}`;
          const match = matchCommand(typed, keywords, menu, { flowActive: false, skipIdleOnly: true });
          expect(match).not.toBeNull();
          if (match === null) return;
          const matched = keywords.find((other) => other.command === match.command);
          const longest = Math.max(
            ...(matched?.keywords ?? [])
              .map(foldForMatch)
              .filter((key) => foldForMatch(typed).startsWith(key))
              .map((key) => key.length),
          );
          expect(longest).toBeGreaterThanOrEqual(foldForMatch(keyword).length);
          if (match.command === rule.command) expect(typed).toContain(match.args);
        },
      ),
      { numRuns: PROPERTY_RUNS },
    );
  });

  it('reads every keyword alone, in any case and with surrounding spaces, as its command', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...keywords.flatMap((rule) => rule.keywords.map((keyword) => ({ rule, keyword })))),
        fc.constantFrom('as is', 'upper', 'lower'),
        fc.constantFrom('', ' ', '  ', '\n'),
        ({ rule, keyword }, casing, space) => {
          const cased =
            casing === 'upper' ? keyword.toUpperCase() : casing === 'lower' ? keyword.toLowerCase() : keyword;
          // Idle-only rules chain (a flow that had nothing to answer passes the word on): the other idle-only
          // flows are the ones that passed it on before this rule reads it.
          const others = keywords
            .filter((other) => other !== rule && other.idleOnly === true && other.command.type === 'start')
            .map((other) => (other.command.type === 'start' ? other.command.flowId : ''));
          const match = matchCommand(`${space}${cased}${space}`, keywords, menu, {
            flowActive: false,
            skipIdleOnly: rule.idleOnly !== true,
            skipIdleFlows: new Set(others),
          });
          expect(match?.command).toEqual(rule.command);
        },
      ),
      { numRuns: 500 },
    );
  });
});
