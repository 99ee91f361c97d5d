import type { Citizen } from '../domain/citizens/citizen.ts';
import type { ContactRepository } from '../domain/contacts/contact.ts';
import type { ChannelId, Language } from '../messaging/channel.ts';
import type { ChannelAdapter } from '../messaging/channel-adapter.ts';
import type { Reply } from '../messaging/outbound-message.ts';
import type { NewOutbound } from '../storage/postgres/outbox.ts';

/** Tells a citizen something without being asked (verification result, later dossier changes). */
export type Notify = (
  citizen: Citizen,
  dedupeKey: string,
  reply: (language: Language) => Reply,
) => Promise<void>;

/**
 * Notifications go to the channel the citizen used last (among their linked identities that have not opted out
 * and whose channel is on), falling back to SMS to the account's phone. A notification a messenger refuses for
 * good (outside Zalo's reply window, a blocked bot) falls back to SMS at send time (see the send job). Stored
 * once per `dedupeKey`.
 */
export function createNotifier(deps: {
  contacts: ContactRepository;
  adapters: ReadonlyMap<ChannelId, ChannelAdapter>;
  smsChannel: ChannelId | null;
  queueOutbound(items: readonly NewOutbound[]): Promise<void>;
}): Notify {
  return async (citizen, dedupeKey, reply) => {
    const contacts = await deps.contacts.findByCitizen(citizen.id);
    const usable = contacts.find((c) => c.optedOutAt === null && deps.adapters.has(c.channel as ChannelId));
    const sms = contacts.find((c) => c.channel === deps.smsChannel && c.address === citizen.phone);
    const target = usable
      ? { channel: usable.channel as ChannelId, to: usable.address, language: usable.language }
      : {
          channel: deps.smsChannel,
          to: citizen.phone,
          language: sms?.language ?? contacts[0]?.language ?? 'vi',
        };
    if (target.channel === null) return;
    await deps.queueOutbound([
      {
        dedupeKey,
        channel: target.channel,
        to: target.to,
        reply: reply(target.language),
        language: target.language,
        purpose: 'notification',
        citizenId: citizen.id,
      },
    ]);
  };
}
