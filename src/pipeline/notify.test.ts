import { describe, expect, it } from 'vitest';
import { createWebAdapter } from '../../adapters/web/web.adapter.ts';
import { newCitizen } from '../../test/contracts/citizen-repository.contract.ts';
import { InMemoryCitizenRepository } from '../../test/fakes/in-memory-citizen-repository.ts';
import { InMemoryContactRepository } from '../../test/fakes/in-memory-contact-repository.ts';
import type { Citizen } from '../domain/citizens/citizen.ts';
import type { ChannelId } from '../messaging/channel.ts';
import type { ChannelAdapter } from '../messaging/channel-adapter.ts';
import type { NewOutbound } from '../storage/postgres/outbox.ts';
import { createNotifier } from './notify.ts';

const SESSION = 'w'.repeat(43);
const AT = new Date('2026-12-04T03:00:00Z');
const other = { channel: 'telegram', webhooks: [], send: async () => ({ providerMessageId: '1' }) };

/** A notifier over in-memory contacts; resolves where one notification went (or nowhere). */
async function notifyTarget(options: {
  smsChannel: ChannelId | null;
  telegram?: boolean;
  optOutPhone?: boolean;
}) {
  const contacts = new InMemoryContactRepository();
  const citizens = new InMemoryCitizenRepository();
  const created = await citizens.create(newCitizen());
  if (created.type !== 'created') throw new Error(created.type);
  const citizen: Citizen = created.citizen;
  const adapters = new Map<ChannelId, ChannelAdapter>([
    ['web', createWebAdapter({ feed: { push: async () => '1-0' } })],
    ['telegram', other as ChannelAdapter],
  ]);
  if (options.smsChannel) adapters.set(options.smsChannel, other as ChannelAdapter);
  if (options.telegram) {
    await contacts.touch('telegram', '555', new Date(AT.getTime() - 60_000));
    await contacts.linkCitizen('telegram', '555', citizen.id);
  }
  // The web chat was used last.
  await contacts.touch('web', SESSION, AT);
  await contacts.linkCitizen('web', SESSION, citizen.id);
  if (options.optOutPhone && options.smsChannel) {
    await contacts.setOptedOut(options.smsChannel, citizen.phone, true, AT);
  }
  const sent: NewOutbound[] = [];
  const notify = createNotifier({
    contacts,
    adapters,
    smsChannel: options.smsChannel,
    queueOutbound: async (items) => {
      sent.push(...items);
    },
    clock: () => AT,
    quietHours: null,
  });
  await notify(citizen, 'k-1', () => ({ text: 'Hồ sơ đã cập nhật.' }));
  return sent.map((m) => `${m.channel}:${m.to}`);
}

describe('notifications and the web chat', () => {
  it('prefer another linked chat, then SMS, to the web chat used last', async () => {
    expect(await notifyTarget({ smsChannel: 'twilio-sms', telegram: true })).toEqual(['telegram:555']);
    expect(await notifyTarget({ smsChannel: 'twilio-sms' })).toEqual(['twilio-sms:+84905123456']);
  });

  it('use the web chat when nothing else can carry them', async () => {
    expect(await notifyTarget({ smsChannel: null })).toEqual([`web:${SESSION}`]);
    expect(await notifyTarget({ smsChannel: 'twilio-sms', optOutPhone: true })).toEqual([`web:${SESSION}`]);
  });
});
