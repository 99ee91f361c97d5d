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

/** 23:00 in Đà Nẵng (UTC+7): inside quiet hours 21:00-07:00. */
const NIGHT = new Date('2026-12-04T16:00:00Z');
/** 07:00 the next morning in Đà Nẵng, when those quiet hours end. */
const MORNING = new Date('2026-12-05T00:00:00Z');
const QUIET = { start: 21 * 60, end: 7 * 60 };
const channelAdapter = (channel: string) => ({ ...other, channel }) as ChannelAdapter;

/** A notifier over in-memory contacts and citizens, with the channels given on and what it queued. */
async function setUp(options: { channels?: ChannelId[]; smsChannel?: ChannelId | null; at?: Date } = {}) {
  const contacts = new InMemoryContactRepository();
  const citizens = new InMemoryCitizenRepository();
  const created = await citizens.create(newCitizen());
  if (created.type !== 'created') throw new Error(created.type);
  const smsChannel = options.smsChannel === undefined ? 'twilio-sms' : options.smsChannel;
  const on = [...(options.channels ?? ['telegram', 'zalo-oa']), ...(smsChannel ? [smsChannel] : [])];
  const adapters = new Map<ChannelId, ChannelAdapter>(on.map((c) => [c, channelAdapter(c)]));
  const queued: NewOutbound[] = [];
  const notify = createNotifier({
    contacts,
    adapters,
    smsChannel,
    queueOutbound: async (items) => {
      queued.push(...items);
    },
    clock: () => options.at ?? AT,
    quietHours: QUIET,
  });
  /** A chat of the citizen's, last used at `at`. */
  const chat = async (channel: string, address: string, at: Date, language: 'vi' | 'en' = 'vi') => {
    await contacts.touch(channel, address, at);
    await contacts.setLanguage(channel, address, language);
    await contacts.linkCitizen(channel, address, created.citizen.id);
  };
  return { notify, citizen: created.citizen, citizens, contacts, chat, queued };
}

const EARLIER = new Date(AT.getTime() - 3_600_000);

describe('a notification', () => {
  it('goes to the chat used last, in its language, with the text written for that channel', async () => {
    const s = await setUp();
    await s.chat('telegram', '555', EARLIER, 'vi');
    await s.chat('zalo-oa', 'z-1', AT, 'en');
    await s.notify(s.citizen, 'k-1', (language, channel) => ({ text: `${language} ${channel}` }));
    expect(s.queued).toMatchObject([
      {
        dedupeKey: 'k-1',
        channel: 'zalo-oa',
        to: 'z-1',
        language: 'en',
        reply: { text: 'en zalo-oa' },
        purpose: 'notification',
        citizenId: s.citizen.id,
      },
    ]);
  });

  it('skips a chat that opted out or whose channel is off, and falls back to SMS to the account’s phone', async () => {
    const s = await setUp({ channels: ['telegram'] });
    await s.chat('telegram', '555', EARLIER);
    await s.contacts.setOptedOut('telegram', '555', true, AT);
    await s.chat('zalo-oa', 'z-1', AT);
    await s.notify(s.citizen, 'k-1', () => ({ text: 'x' }));
    expect(s.queued.map((m) => `${m.channel}:${m.to}`)).toEqual(['twilio-sms:+84905123456']);
  });

  it('in SMS fallback speaks the language of the chat the person used last', async () => {
    const s = await setUp();
    await s.chat('telegram', '555', EARLIER, 'en');
    await s.contacts.setOptedOut('telegram', '555', true, AT);
    await s.notify(s.citizen, 'k-1', () => ({ text: 'x' }));
    expect(s.queued.map((m) => [m.channel, m.to, m.language])).toEqual([
      ['twilio-sms', '+84905123456', 'en'],
    ]);
  });

  it('is not sent when the phone opted out and no chat can carry it', async () => {
    const s = await setUp();
    await s.contacts.touch('twilio-sms', '+84905123456', EARLIER);
    await s.contacts.setOptedOut('twilio-sms', '+84905123456', true, AT);
    await s.notify(s.citizen, 'k-1', () => ({ text: 'x' }));
    expect(s.queued).toEqual([]);
  });

  it('is not sent to a closed account, nor when there is no SMS channel and no chat', async () => {
    const s = await setUp();
    await s.chat('telegram', '555', AT);
    const closed = await s.citizens.close(s.citizen.id, {
      at: AT,
      purgeAfter: new Date(AT.getTime() + 30 * 86_400_000),
      reason: 'requested',
      channel: 'telegram',
    });
    if (!closed) throw new Error('not closed');
    await s.notify(closed, 'k-1', () => ({ text: 'x' }));
    const none = await setUp({ smsChannel: null });
    await none.notify(none.citizen, 'k-2', () => ({ text: 'x' }));
    expect([...s.queued, ...none.queued]).toEqual([]);
  });

  it('never texts a made-up person of the simulator on a real SMS channel', async () => {
    const s = await setUp();
    const made = await s.citizens.create(
      newCitizen({
        createdVia: 'sim-sms',
        phone: '+84905000111',
        cccd: '048090009999',
        accountCode: 'SIMU2345',
      }),
    );
    if (made.type !== 'created') throw new Error(made.type);
    await s.notify(made.citizen, 'k-1', () => ({ text: 'x' }));
    expect(s.queued).toEqual([]);
  });

  it('waits out the quiet hours unless urgent', async () => {
    const s = await setUp({ at: NIGHT });
    await s.chat('telegram', '555', EARLIER);
    await s.notify(s.citizen, 'later', () => ({ text: 'x' }));
    await s.notify(s.citizen, 'now', () => ({ text: 'x' }), { urgent: true });
    expect(s.queued.map((m) => [m.dedupeKey, m.notBefore])).toEqual([
      ['later', MORNING],
      ['now', undefined],
    ]);
  });

  it('by day goes at once', async () => {
    const s = await setUp();
    await s.chat('telegram', '555', EARLIER);
    await s.notify(s.citizen, 'day', () => ({ text: 'x' }));
    expect(s.queued[0]?.notBefore).toBeUndefined();
  });
});
