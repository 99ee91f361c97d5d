import type { Command, KeywordRule } from '../src/engine/commands.ts';
import type { FlowContext } from '../src/engine/flow-context.ts';
import { defineFlow, type Flow } from '../src/engine/flow-kit.ts';
import type { SystemCopy } from '../src/engine/run-turn.ts';
import { isSmsChannel } from '../src/messaging/channel.ts';
import type { Reply } from '../src/messaging/outbound-message.ts';
import { createPhoneProofEffects } from './identity/phone-proof.effects.ts';
import { linkFlow } from './link/link.flow.ts';
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
const link = { type: 'start', flowId: 'link' } as const satisfies Command;

/**
 * Every keyword, any case, with or without diacritics. Carrier opt-out words (STOP...) are silent: the carrier
 * answers them itself and blocks our replies. `TUCHOI` is ours, so it is confirmed.
 */
export const keywords: readonly KeywordRule[] = [
  { keywords: ['DK', 'Đăng ký', 'dangky', 'TK', 'register'], command: register, takesArguments: true },
  { keywords: ['TT', 'trạng thái', 'xem trạng thái', 'tra cứu', 'status'], command: status },
  { keywords: ['LK', 'liên kết', 'liên kết tài khoản', 'link'], command: link },
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

/** The numbered menu of `HD`: "1" registers, "2" checks the status, "3" links a chat to an account. */
export const menu: readonly Command[] = [register, status, link];

/** What a shared phone starts when no flow waits for it: linking the chat to the phone's account. */
export const phoneShared = link;

/**
 * The menu. SMS gets the one-segment text; messengers get the longer text (with linking) and buttons, in the
 * order of the numbered menu.
 */
function menuReply(ctx: FlowContext, lead?: string): Reply {
  const copy = menuCopy[ctx.language];
  if (isSmsChannel(ctx.channel)) return { text: copy.menu() };
  return {
    text: lead ? `${lead}\n${copy.chatMenu()}` : copy.chatMenu(),
    choices: [
      { label: copy.registerLabel(), payload: 'DK' },
      { label: copy.statusLabel(), payload: 'TT' },
      { label: copy.linkLabel(), payload: 'LK' },
    ],
  };
}

/** The engine's own sentences, from flows/menu. */
export const systemCopy: SystemCopy = {
  menu: (ctx) => menuReply(ctx),
  welcome: (ctx) => menuReply(ctx, menuCopy[ctx.language].welcome()),
  notOwnPhone: (ctx) => ({ text: menuCopy[ctx.language].notOwnPhone(), requestPhone: true }),
  notUnderstood: (ctx) =>
    isSmsChannel(ctx.channel)
      ? { text: menuCopy[ctx.language].notUnderstood() }
      : { ...menuReply(ctx), text: menuCopy[ctx.language].notUnderstood() },
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
    defineFlow(linkFlow, createPhoneProofEffects(deps)),
  ];
  return new Map(flows.map((flow) => [flow.id, flow]));
}
