import type { Command, KeywordRule } from '../src/engine/commands.ts';
import { defineFlow, type Flow } from '../src/engine/flow-kit.ts';
import type { SystemCopy } from '../src/engine/run-turn.ts';
import { menuCopy } from './menu/menu.copy.ts';
import {
  createRegistrationEffects,
  type RegistrationEffectDeps,
} from './registration/registration.effects.ts';
import { registrationFlow } from './registration/registration.flow.ts';
import { statusFlow } from './status/status.flow.ts';

/** The registry of conversations: which flows exist, which words start them, and the numbered menu. */

const register: Command = { type: 'start', flowId: 'registration' };
const status: Command = { type: 'start', flowId: 'status' };

/**
 * Every keyword, any case, with or without diacritics. Carrier opt-out words (STOP...) are silent: the carrier
 * answers them itself and blocks our replies. `TUCHOI` is ours, so it is confirmed.
 */
export const keywords: readonly KeywordRule[] = [
  { keywords: ['DK', 'Đăng ký', 'dangky', 'TK', 'register'], command: register, takesArguments: true },
  { keywords: ['TT', 'trạng thái', 'tra cứu', 'status'], command: status },
  { keywords: ['HD', '?', 'help', 'trợ giúp', 'hướng dẫn', 'menu', 'info'], command: { type: 'menu' } },
  { keywords: ['HUY', 'hủy'], command: { type: 'cancel' } },
  { keywords: ['EN', 'english'], command: { type: 'language', language: 'en' } },
  { keywords: ['VI', 'tiếng việt', 'vietnamese'], command: { type: 'language', language: 'vi' } },
  { keywords: ['TUCHOI', 'từ chối nhận tin'], command: { type: 'optOut', confirm: true } },
  {
    keywords: ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE'],
    command: { type: 'optOut', confirm: false },
  },
  { keywords: ['START', 'DONGY', 'đồng ý', 'UNSTOP', 'YES'], command: { type: 'optIn' } },
];

/** The numbered menu of `HD`: "1" registers, "2" checks the status. */
export const menu: readonly Command[] = [register, status];

/** The engine's own sentences, from flows/menu. */
export const systemCopy: SystemCopy = {
  menu: (ctx) => ({ text: menuCopy[ctx.language].menu() }),
  notUnderstood: (ctx) => ({ text: menuCopy[ctx.language].notUnderstood() }),
  cancelled: (ctx) => ({ text: menuCopy[ctx.language].cancelled() }),
  nothingToCancel: (ctx) => ({ text: menuCopy[ctx.language].nothingToCancel() }),
  languageChanged: (ctx) => ({ text: menuCopy[ctx.language].languageChanged() }),
  optedOut: (ctx) => ({ text: menuCopy[ctx.language].optedOut() }),
  optedIn: (ctx) => ({ text: menuCopy[ctx.language].optedIn() }),
  restarted: (ctx) => ({ text: menuCopy[ctx.language].restarted() }),
};

/** What the flows' effects need from the domain. */
export type FlowDeps = RegistrationEffectDeps;

/** Builds every flow with its effects wired to the domain services. */
export function createFlows(deps: FlowDeps): ReadonlyMap<string, Flow> {
  const flows = [
    defineFlow(registrationFlow, createRegistrationEffects(deps)),
    defineFlow(statusFlow, async (effect: never) => effect),
  ];
  return new Map(flows.map((flow) => [flow.id, flow]));
}
