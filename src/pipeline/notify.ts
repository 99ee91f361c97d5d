import type { Citizen } from '../domain/citizens/citizen.ts';
import type { Contact, ContactRepository } from '../domain/contacts/contact.ts';
import { nextSendableAt, type QuietHours } from '../domain/notifications/quiet-hours.ts';
import { type ChannelId, isSimulatedChannel, isSmsChannel, type Language } from '../messaging/channel.ts';
import type { ChannelAdapter } from '../messaging/channel-adapter.ts';
import type { Reply } from '../messaging/outbound-message.ts';
import type { NewOutbound } from '../storage/postgres/outbox.ts';

/**
 * Tells a citizen something without being asked (verification result, dossier changes, share views). A message
 * that is not `urgent` waits out the quiet hours: it is stored at once and sent in the morning.
 */
export type Notify = (
  citizen: Citizen,
  dedupeKey: string,
  /** The message in the person's language, for the channel it goes out on (an SMS is shorter). */
  reply: (language: Language, channel: ChannelId) => Reply,
  options?: { readonly urgent?: boolean },
) => Promise<void>;

/**
 * Notifications go to the channel the citizen used last (among their linked identities that have not opted out
 * and whose channel is on), falling back to SMS to the account's phone; the web chat only when nothing else can
 * carry them (it reaches an open page only). A notification a messenger refuses for
 * good (outside Zalo's reply window, a blocked bot) falls back to SMS at send time (see the send job). Stored
 * once per `dedupeKey`. Nothing is sent to a closed account, nor when every identity that could carry the message
 * opted out (the SMS fallback is not used when the phone itself opted out). Non-urgent messages get a
 * `notBefore` at the end of the quiet hours (by `clock`), and their send job is delayed until then.
 */
export function createNotifier(deps: {
  contacts: ContactRepository;
  adapters: ReadonlyMap<ChannelId, ChannelAdapter>;
  smsChannel: ChannelId | null;
  queueOutbound(items: readonly NewOutbound[]): Promise<void>;
  clock: () => Date;
  quietHours: QuietHours | null;
}): Notify {
  /** Whether the account's phone opted out on an SMS channel (STOP): then no SMS goes to it. */
  const phoneOptedOut = async (citizen: Citizen, contacts: readonly Contact[]) =>
    contacts.some(
      (c) => isSmsChannel(c.channel as ChannelId) && c.address === citizen.phone && c.optedOutAt !== null,
    ) ||
    (deps.smsChannel !== null &&
      (await deps.contacts.find(deps.smsChannel, citizen.phone))?.optedOutAt != null);

  return async (citizen, dedupeKey, reply, options = {}) => {
    if (citizen.closedAt !== null) return;
    const contacts = await deps.contacts.findByCitizen(citizen.id);
    const open = contacts.filter((c) => c.optedOutAt === null && deps.adapters.has(c.channel as ChannelId));
    // The web chat reaches only a page that is open: it carries a notification only when neither another
    // channel nor SMS can.
    let usable = open.find((c) => c.channel !== 'web');
    const web = open.find((c) => c.channel === 'web');
    // The development phones (`dev-sms`) count as no SMS here: the web chat the person uses shows it at once.
    const noSms = deps.smsChannel === null || deps.smsChannel === 'dev-sms';
    if (!usable && web && (noSms || (await phoneOptedOut(citizen, contacts)))) usable = web;
    if (!usable && (await phoneOptedOut(citizen, contacts))) return;
    const sms = contacts.find((c) => c.channel === deps.smsChannel && c.address === citizen.phone);
    const target = usable
      ? { channel: usable.channel as ChannelId, to: usable.address, language: usable.language }
      : {
          channel: deps.smsChannel,
          to: citizen.phone,
          language: sms?.language ?? contacts[0]?.language ?? 'vi',
        };
    if (target.channel === null) return;
    // A made-up person of the console's simulator is never texted on a real SMS channel.
    if (isSimulatedChannel(citizen.createdVia) && !isSimulatedChannel(target.channel)) return;
    const now = deps.clock();
    const sendAt = options.urgent ? now : nextSendableAt(now, deps.quietHours);
    await deps.queueOutbound([
      {
        dedupeKey,
        channel: target.channel,
        to: target.to,
        reply: reply(target.language, target.channel),
        language: target.language,
        purpose: 'notification',
        citizenId: citizen.id,
        ...(sendAt > now ? { notBefore: sendAt } : {}),
      },
    ]);
  };
}
