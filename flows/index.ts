import type { Command, KeywordRule } from '../src/engine/commands.ts';
import type { FlowContext } from '../src/engine/flow-context.ts';
import { defineCommand, defineFlow, type Flow } from '../src/engine/flow-kit.ts';
import type { SystemCopy } from '../src/engine/run-turn.ts';
import { isSmsChannel } from '../src/messaging/channel.ts';
import type { Reply } from '../src/messaging/outbound-message.ts';
import {
  type AccountRightsPorts,
  createAccountRightsEffects,
} from './account-rights/account-rights.effects.ts';
import { closeAccountFlow } from './account-rights/close-account.flow.ts';
import { guardClosedAccount } from './account-rights/closed-account.ts';
import { dataExportCommand } from './account-rights/data-export.flow.ts';
import { restoreFlow } from './account-rights/restore.flow.ts';
import { type Assisted, assistedRunners } from './assisted/assisted.effects.ts';
import { assistedFlow, DKH_KEYWORDS } from './assisted/assisted.flow.ts';
import {
  CONSENT_ANSWER_FLOW,
  CONSENT_ANSWER_WORDS,
  consentAnswerCommand,
} from './assisted/consent-answer.flow.ts';
import { createDataRequestEffects, type DataRequestPorts } from './datarequests/datarequests.effects.ts';
import {
  DATA_REQUEST_KEYWORDS,
  dataRequestsFlow,
  NOTICE_ANSWER_FLOW,
  noticeAnswerCommand,
} from './datarequests/datarequests.flow.ts';
import { type DocumentsPorts, documentsEffectDeps } from './documents/documents.deps.ts';
import { createDocumentsEffects } from './documents/documents.effects.ts';
import { documentsCommand } from './documents/documents.flow.ts';
import { revokeShareCommand } from './documents/revoke-share.flow.ts';
import { shareCommand } from './documents/share.flow.ts';
import { sharesCommand } from './documents/shares.flow.ts';
import { createHandoffEffects, type HandoffEffectDeps } from './handoff/handoff.effects.ts';
import { doneCommand, requestCommand, takeCommand } from './handoff/handoff.flow.ts';
import { heldFlow } from './handoff/held.flow.ts';
import { relayFlow } from './handoff/relay.flow.ts';
import { createPhoneProofEffects } from './identity/phone-proof.effects.ts';
import { copyOf } from './kit/answers.ts';
import { linkFlow } from './link/link.flow.ts';
import { menuCopy } from './menu/menu.copy.ts';
import { createProfileEffects, type ProfilePorts } from './profile/profile.effects.ts';
import { profileFlow } from './profile/profile.flow.ts';
import {
  createRegistrationEffects,
  type RegistrationEffectDeps,
} from './registration/registration.effects.ts';
import { registrationFlow } from './registration/registration.flow.ts';
import { requireAccount } from './status/no-account.ts';
import { type StatusPorts, statusEffectDeps } from './status/status.deps.ts';
import { createStatusEffects } from './status/status.effects.ts';
import { statusCommand } from './status/status.flow.ts';

/** The engine's own sentences in the person's language. */
const menuText = copyOf(menuCopy);

import { createVolunteerEffects, type VolunteerPorts } from './volunteer/volunteer.effects.ts';
import { volunteerCommand } from './volunteer/volunteer.flow.ts';

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
  {
    keywords: DKH_KEYWORDS,
    command: { type: 'start', flowId: assistedFlow.id },
    takesArguments: true,
  },
  // A citizen's answer to the notice of a data request, then a neighbour's answer to the consent SMS of an
  // assisted registration: only when no flow waits (idle-only), each handing the word on when it has nothing to
  // answer.
  {
    keywords: CONSENT_ANSWER_WORDS.yes,
    command: { type: 'start', flowId: NOTICE_ANSWER_FLOW.yes },
    idleOnly: true,
  },
  {
    keywords: CONSENT_ANSWER_WORDS.no,
    command: { type: 'start', flowId: NOTICE_ANSWER_FLOW.no },
    idleOnly: true,
  },
  {
    keywords: CONSENT_ANSWER_WORDS.yes,
    command: { type: 'start', flowId: CONSENT_ANSWER_FLOW.yes },
    idleOnly: true,
  },
  {
    keywords: CONSENT_ANSWER_WORDS.no,
    command: { type: 'start', flowId: CONSENT_ANSWER_FLOW.no },
    idleOnly: true,
  },
  {
    keywords: ['TT', 'trạng thái', 'xem trạng thái', 'tra cứu', 'status'],
    command: status,
    takesArguments: true,
  },
  { keywords: ['LK', 'liên kết', 'liên kết tài khoản', 'link'], command: link },
  {
    keywords: DATA_REQUEST_KEYWORDS,
    command: { type: 'start', flowId: dataRequestsFlow.id },
    takesArguments: true,
  },
  {
    keywords: ['GT', 'giấy tờ', 'giấy tờ của tôi', 'papers', 'documents'],
    command: { type: 'start', flowId: 'documents' },
    takesArguments: true,
  },
  {
    keywords: ['CS', 'chia sẻ', 'share'],
    command: { type: 'start', flowId: 'share' },
    takesArguments: true,
  },
  {
    keywords: ['LS', 'link chia sẻ', 'links', 'shares'],
    command: { type: 'start', flowId: 'shares' },
    takesArguments: true,
  },
  // Not REVOKE: that is a carrier opt-out word (below).
  {
    keywords: ['THUHOI', 'thu hồi', 'unshare'],
    command: { type: 'start', flowId: 'revoke-share' },
    takesArguments: true,
  },
  {
    keywords: ['TTCN', 'thông tin cá nhân', 'hồ sơ cá nhân', 'profile', 'my profile'],
    command: { type: 'start', flowId: 'profile' },
    takesArguments: true,
  },
  {
    keywords: ['DULIEU', 'dữ liệu của tôi', 'my data', 'export'],
    command: { type: 'start', flowId: 'data-export' },
  },
  {
    keywords: ['XOATK', 'xóa tài khoản', 'close account', 'delete account'],
    command: { type: 'start', flowId: 'close-account' },
  },
  {
    keywords: ['RUTDONGY', 'rút đồng ý', 'withdraw consent'],
    command: { type: 'start', flowId: 'withdraw-consent' },
  },
  {
    keywords: ['KHOIPHUC', 'khôi phục', 'khôi phục tài khoản', 'restore'],
    command: { type: 'start', flowId: 'restore' },
  },
  {
    keywords: ['TNV', 'tình nguyện', 'tình nguyện viên', 'volunteer'],
    command: { type: 'start', flowId: 'volunteer' },
    takesArguments: true,
  },
  {
    keywords: ['GAP', 'gặp người', 'hỗ trợ', 'talk to a person', 'human'],
    command: { type: 'start', flowId: 'handoff-request' },
    takesArguments: true,
  },
  {
    keywords: ['NHAN', 'nhận', 'take'],
    command: { type: 'start', flowId: 'handoff-take' },
    takesArguments: true,
  },
  { keywords: ['XONG', 'done'], command: { type: 'start', flowId: 'handoff-done' } },
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

/**
 * What a shared phone starts when no flow waits for it: linking the chat to the phone's account (a claimed number
 * is its argument, and is proven by a code).
 */
export const phoneShared = link;

/**
 * The menu. SMS gets the one-segment text; messengers get the longer text (with linking and papers) and
 * buttons, in the order of the numbered menu, then the papers (GT, not numbered).
 */
function menuReply(ctx: FlowContext, lead?: string): Reply {
  const copy = menuText(ctx);
  if (isSmsChannel(ctx.channel)) return { text: copy.menu() };
  return {
    text: lead ? `${lead}\n${copy.chatMenu()}` : copy.chatMenu(),
    choices: [
      { label: copy.registerLabel(), payload: 'DK' },
      { label: copy.statusLabel(), payload: 'TT' },
      { label: copy.linkLabel(), payload: 'LK' },
      { label: copy.papersLabel(), payload: 'GT' },
    ],
  };
}

/** The engine's own sentences, from flows/menu. */
export const systemCopy: SystemCopy = {
  menu: (ctx) => menuReply(ctx),
  welcome: (ctx) => menuReply(ctx, menuText(ctx).welcome()),
  notOwnPhone: (ctx) => ({ text: menuText(ctx).notOwnPhone(), requestPhone: true }),
  notUnderstood: (ctx) =>
    isSmsChannel(ctx.channel)
      ? { text: menuText(ctx).notUnderstood() }
      : { ...menuReply(ctx), text: menuText(ctx).notUnderstood() },
  cancelled: (ctx) => ({ text: menuText(ctx).cancelled() }),
  nothingToCancel: (ctx) => ({ text: menuText(ctx).nothingToCancel() }),
  languageChanged: (ctx) => ({ text: menuText(ctx).languageChanged() }),
  optedOut: (ctx) => ({ text: menuText(ctx).optedOut() }),
  optedIn: (ctx) => ({ text: menuText(ctx).optedIn() }),
  restarted: (ctx) => ({ text: menuText(ctx).restarted() }),
  failed: (ctx) => ({ text: menuText(ctx).failed() }),
};

/** What the flows' effects need from the domain. */
export type FlowDeps = RegistrationEffectDeps &
  StatusPorts &
  DocumentsPorts &
  ProfilePorts &
  AccountRightsPorts &
  VolunteerPorts &
  HandoffEffectDeps &
  DataRequestPorts & {
    /** Assisted registration (DKH) and the neighbour's answer to it. */
    readonly assisted: Assisted;
  };

/**
 * The flows that need no account of the sender's own: assisted registration (a volunteer needs a team, not an
 * account; a neighbour answers before having one).
 */
const NO_ACCOUNT_NEEDED = [assistedFlow.id, CONSENT_ANSWER_FLOW.yes, CONSENT_ANSWER_FLOW.no];

/**
 * The flows someone without an account may start: opening one, linking a chat to one, volunteering (a team
 * knows its members by their proven phone, not by an account) and assisted registration.
 */
const OPEN_WITHOUT_ACCOUNT = new Set(['registration', 'link', 'volunteer', ...NO_ACCOUNT_NEEDED]);

/**
 * The flows a closed account may still start: restoring it, a copy of its data while it is held, and
 * volunteering and assisted registration, which need no account.
 */
const OPEN_WHEN_CLOSED = new Set(['restore', 'data-export', 'volunteer', ...NO_ACCOUNT_NEEDED]);

/** Builds every flow with its effects wired to the domain services. */
export function createFlows(deps: FlowDeps): ReadonlyMap<string, Flow> {
  const documentsEffects = createDocumentsEffects(documentsEffectDeps(deps));
  const accountRightsEffects = createAccountRightsEffects(deps);
  const flows = [
    defineFlow(registrationFlow, createRegistrationEffects(deps)),
    defineCommand(statusCommand, createStatusEffects(statusEffectDeps(deps))),
    defineFlow(linkFlow, createPhoneProofEffects(deps)),
    defineCommand(documentsCommand, documentsEffects),
    defineCommand(shareCommand, documentsEffects),
    defineCommand(sharesCommand, documentsEffects),
    defineCommand(revokeShareCommand, documentsEffects),
    defineFlow(profileFlow, createProfileEffects(deps)),
    defineCommand(dataExportCommand, accountRightsEffects),
    defineFlow(closeAccountFlow('requested'), accountRightsEffects),
    defineFlow(closeAccountFlow('consent_withdrawn'), accountRightsEffects),
    defineFlow(restoreFlow, accountRightsEffects),
    defineCommand(volunteerCommand, createVolunteerEffects(deps)),
    defineFlow(assistedFlow, assistedRunners(deps.assisted)),
    defineCommand(consentAnswerCommand('yes'), assistedRunners(deps.assisted)),
    defineCommand(consentAnswerCommand('no'), assistedRunners(deps.assisted)),
    defineFlow(dataRequestsFlow, createDataRequestEffects(deps)),
  ];
  // The bare CO/KHONG after a notice: without an account (or with a closed one) they say nothing, so the word
  // goes on to a neighbour's consent, then to its ordinary meaning.
  const noticeAnswers = [
    defineCommand(noticeAnswerCommand('yes'), createDataRequestEffects(deps)),
    defineCommand(noticeAnswerCommand('no'), createDataRequestEffects(deps)),
  ];
  // The hand-off flows (GAP, NHAN, XONG and the two standing ones) need no account and work for a closed one: a
  // person may ask for help before registering, and team members are known by their proven phone.
  const handoffEffects = createHandoffEffects(deps);
  const handoffFlows = [
    defineCommand(requestCommand, handoffEffects),
    defineCommand(takeCommand, handoffEffects),
    defineCommand(doneCommand, handoffEffects),
    defineFlow(heldFlow, handoffEffects),
    defineFlow(relayFlow, handoffEffects),
  ];
  // No account: every other command says how to register or link. A closed account answers every other command
  // with its closing and how to restore it (DK opens no second one).
  const guarded = flows
    .map((flow) => (OPEN_WITHOUT_ACCOUNT.has(flow.id) ? flow : requireAccount(flow)))
    .map((flow) => (OPEN_WHEN_CLOSED.has(flow.id) ? flow : guardClosedAccount(flow)));
  return new Map([...guarded, ...handoffFlows, ...noticeAnswers].map((flow) => [flow.id, flow]));
}
