import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newCitizen } from '../../test/contracts/citizen-repository.contract.ts';
import { InMemoryCitizenRepository } from '../../test/fakes/in-memory-citizen-repository.ts';
import { InMemoryContactRepository } from '../../test/fakes/in-memory-contact-repository.ts';
import { InMemoryPhoneCodeStore } from '../../test/fakes/in-memory-phone-code-store.ts';
import { CODE_TTL_MS, deriveCode, MAX_CODES_PER_HOUR, MAX_TRIES } from '../domain/contacts/phone-codes.ts';
import type { EffectContext } from '../engine/flow-context.ts';
import type { ChannelId } from '../messaging/channel.ts';
import { createPhoneProof, type TextCode } from './phone-proof.ts';

/** A keyed hash shaped like `DataCipher.keyedHash` (HMAC-SHA-256 under a fixed key). */
const TEST_KEYED_HASH = (purpose: string, value: string) =>
  createHmac('sha256', 'phone-proof-test').update(`${purpose}\0${value}`).digest('hex');
const AT = new Date('2026-12-04T03:00:00Z');
const PHONE = '+84905123456';

/** Phone proof over in-memory codes, contacts and citizens; `texted` is every SMS it asked to send. */
function setUp(options: { devOutbox?: boolean; smsWorks?: boolean } = {}) {
  const citizens = new InMemoryCitizenRepository();
  const contacts = new InMemoryContactRepository();
  const texted: Parameters<TextCode>[0][] = [];
  const proof = createPhoneProof({
    codes: new InMemoryPhoneCodeStore({ keyedHash: TEST_KEYED_HASH }),
    citizens,
    contacts,
    devOutbox: options.devOutbox ?? false,
    textCode: async (sms) => {
      texted.push(sms);
      return options.smsWorks ?? true;
    },
  });
  return { proof, citizens, contacts, texted };
}

/** The context of a turn of the Telegram chat 555 handling inbound message `ref`. */
const ctx = (ref: string, at = AT, channel: ChannelId = 'telegram'): EffectContext => ({
  language: 'vi',
  channel,
  address: '555',
  phone: null,
  citizen: null,
  now: at,
  ref,
});
const code = (ref: string) => deriveCode(TEST_KEYED_HASH, PHONE, ref);
const minutes = (n: number) => new Date(AT.getTime() + n * 60_000);

describe('proving a phone by a code sent by SMS', () => {
  it('texts the code once per inbound message, through the outbox’s dedupe key, to the phone', async () => {
    const s = setUp();
    expect(await s.proof.sendPhoneCode(PHONE, ctx('in-1'))).toEqual({ type: 'sent' });
    // The same turn replayed: the same code, the same dedupe key (the outbox stores it once).
    expect(await s.proof.sendPhoneCode(PHONE, ctx('in-1'))).toEqual({ type: 'sent' });
    expect(s.texted.map((t) => [t.phone, t.dedupeKey, t.via])).toEqual([
      [PHONE, 'otp-in-1', { channel: 'telegram', address: '555' }],
      [PHONE, 'otp-in-1', { channel: 'telegram', address: '555' }],
    ]);
    expect(s.texted[0]?.text).toContain(code('in-1'));
    expect(s.texted[1]?.text).toBe(s.texted[0]?.text);
  });

  it(`allows ${MAX_CODES_PER_HOUR} codes an hour per phone, then says when to ask again`, async () => {
    const s = setUp();
    for (let i = 0; i < MAX_CODES_PER_HOUR; i++) {
      expect(await s.proof.sendPhoneCode(PHONE, ctx(`in-${i}`, minutes(i)))).toEqual({ type: 'sent' });
    }
    expect(await s.proof.sendPhoneCode(PHONE, ctx('in-x', minutes(10)))).toEqual({
      type: 'limited',
      retryAt: minutes(60),
    });
    expect(s.texted).toHaveLength(MAX_CODES_PER_HOUR);
  });

  it('says the code could not be sent when no SMS can carry it', async () => {
    const s = setUp({ smsWorks: false });
    expect(await s.proof.sendPhoneCode(PHONE, ctx('in-1'))).toEqual({ type: 'unavailable' });
  });

  it('proves the phone with the right code and links the chat to the phone’s account', async () => {
    const s = setUp();
    const made = await s.citizens.create(newCitizen({ phone: PHONE }));
    if (made.type !== 'created') throw new Error(made.type);
    await s.proof.sendPhoneCode(PHONE, ctx('in-1'));
    const proven = await s.proof.checkPhoneCode(PHONE, code('in-1'), ctx('in-2', minutes(1)));
    expect(proven).toEqual({
      type: 'proven',
      citizen: expect.objectContaining({ id: made.citizen.id, status: 'provisional' }),
    });
    expect(await s.contacts.find('telegram', '555')).toMatchObject({
      phone: PHONE,
      citizenId: made.citizen.id,
    });
  });

  it('proves a phone without an account and links nothing', async () => {
    const s = setUp();
    await s.proof.sendPhoneCode(PHONE, ctx('in-1'));
    expect(await s.proof.checkPhoneCode(PHONE, code('in-1'), ctx('in-2'))).toEqual({
      type: 'proven',
      citizen: null,
    });
    expect(await s.contacts.find('telegram', '555')).toMatchObject({ phone: PHONE, citizenId: null });
  });

  it(`counts wrong codes and locks after ${MAX_TRIES}, even for the right one`, async () => {
    const s = setUp();
    await s.proof.sendPhoneCode(PHONE, ctx('in-1'));
    const wrong = code('in-1') === '000000' ? '111111' : '000000';
    for (let left = MAX_TRIES - 1; left > 0; left--) {
      expect(await s.proof.checkPhoneCode(PHONE, wrong, ctx('in-2'))).toEqual({
        type: 'wrong',
        triesLeft: left,
      });
    }
    expect((await s.proof.checkPhoneCode(PHONE, wrong, ctx('in-3'))).type).toBe('locked');
    expect(await s.proof.checkPhoneCode(PHONE, code('in-1'), ctx('in-4'))).toEqual({ type: 'locked' });
    expect((await s.contacts.find('telegram', '555'))?.phone ?? null).toBeNull();
  });

  it('says expired for a code typed too late, or when none was sent', async () => {
    const s = setUp();
    expect(await s.proof.checkPhoneCode(PHONE, '123456', ctx('in-0'))).toEqual({ type: 'expired' });
    await s.proof.sendPhoneCode(PHONE, ctx('in-1'));
    const late = new Date(AT.getTime() + CODE_TTL_MS);
    expect(await s.proof.checkPhoneCode(PHONE, code('in-1'), ctx('in-2', late))).toEqual({ type: 'expired' });
  });

  it('in development mode (codes shown in a page) never reaches an existing account', async () => {
    const s = setUp({ devOutbox: true });
    expect(await s.proof.sendPhoneCode(PHONE, ctx('in-1'))).toEqual({ type: 'sent' });
    await s.citizens.create(newCitizen({ phone: PHONE }));
    // Asked for again once the phone has an account: refused, nothing texted.
    expect(await s.proof.sendPhoneCode(PHONE, ctx('in-2'))).toEqual({ type: 'devPhoneTaken' });
    // A code sent before the account was opened is refused when typed.
    expect(await s.proof.checkPhoneCode(PHONE, code('in-1'), ctx('in-3'))).toEqual({ type: 'devPhoneTaken' });
    expect(s.texted).toHaveLength(1);
    expect((await s.contacts.find('telegram', '555'))?.citizenId ?? null).toBeNull();
  });

  it('from the simulator reaches a made-up account, never a real one', async () => {
    const s = setUp();
    await s.citizens.create(newCitizen({ phone: PHONE }));
    expect(await s.proof.sendPhoneCode(PHONE, ctx('in-1', AT, 'sim-telegram'))).toEqual({
      type: 'devPhoneTaken',
    });
    const made = '+84905000111';
    await s.citizens.create(
      newCitizen({ phone: made, createdVia: 'sim-sms', cccd: '048090009999', accountCode: 'SIMU2345' }),
    );
    expect(await s.proof.sendPhoneCode(made, ctx('in-2', AT, 'sim-telegram'))).toEqual({ type: 'sent' });
  });
});
