import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CODE_TTL_MS,
  type IssueResult,
  MAX_CODES_PER_HOUR,
  MAX_TRIES,
  type PhoneCodeStore,
} from '../../src/domain/contacts/phone-codes.ts';

/** What a contract run needs. */
export interface PhoneCodeStoreFixture {
  store: PhoneCodeStore;
  close(): Promise<void>;
}

const T0 = Date.UTC(2025, 5, 1, 8, 0);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The moment `ms` after the start of every test's story. */
const at = (ms: number) => new Date(T0 + ms);

/** A phone no other test uses (E.164, Viettel/MobiFone-like). */
export function newPhone(): string {
  return `+849${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
}

/** The code of an `issued` result; fails the test on any other result. */
export function codeOf(result: IssueResult): string {
  if (result.type !== 'issued') throw new Error(`expected a code, got ${result.type}`);
  return result.code;
}

/** A well-formed code other than `code`. */
const otherThan = (code: string) => (code === '000000' ? '111111' : '000000');

/**
 * The behaviour every {@link PhoneCodeStore} (Redis, the in-memory fake) must show; see the contract in
 * src/domain/contacts/phone-codes.ts. Call it once per implementation.
 */
export function describePhoneCodeStoreContract(
  name: string,
  factory: () => Promise<PhoneCodeStoreFixture>,
): void {
  describe(`PhoneCodeStore contract: ${name}`, () => {
    let fixture: PhoneCodeStoreFixture;
    const store = () => fixture.store;

    beforeAll(async () => {
      fixture = await factory();
    });
    afterAll(async () => {
      await fixture.close();
    });

    it('issues a 6-digit code valid for 5 minutes, and accepts it', async () => {
      const phone = newPhone();
      const issued = await store().issue(phone, 'SM-a', at(0));
      expect(issued).toEqual({
        type: 'issued',
        code: expect.stringMatching(/^[0-9]{6}$/),
        expiresAt: at(CODE_TTL_MS),
        fresh: true,
      });
      await expect(store().check(phone, codeOf(issued), at(MINUTE))).resolves.toEqual({ type: 'ok' });
    });

    it('uses a code up when it is accepted: checking it again finds none', async () => {
      const phone = newPhone();
      const code = codeOf(await store().issue(phone, 'SM-a', at(0)));
      await expect(store().check(phone, code, at(MINUTE))).resolves.toEqual({ type: 'ok' });
      await expect(store().check(phone, code, at(MINUTE))).resolves.toEqual({ type: 'none' });
    });

    it('finds no code for a phone it never issued one to', async () => {
      await expect(store().check(newPhone(), '123456', at(0))).resolves.toEqual({ type: 'none' });
      await expect(store().check(newPhone(), 'hello', at(0))).resolves.toEqual({ type: 'none' });
    });

    it('gives the same code again for the same ref, as not fresh, without counting it', async () => {
      const phone = newPhone();
      const first = await store().issue(phone, 'SM-a', at(0));
      const again = await store().issue(phone, 'SM-a', at(MINUTE));
      expect(again).toEqual({
        type: 'issued',
        code: codeOf(first),
        expiresAt: at(CODE_TTL_MS),
        fresh: false,
      });
      // The replay used no part of the hourly allowance: two more distinct requests still get codes.
      for (const ref of ['SM-b', 'SM-c']) {
        await expect(store().issue(phone, ref, at(2 * MINUTE))).resolves.toMatchObject({ fresh: true });
      }
      await expect(store().issue(phone, 'SM-d', at(3 * MINUTE))).resolves.toMatchObject({
        type: 'rate_limited',
      });
    });

    it('changes nothing on a repeated request: wrong answers already given still count', async () => {
      const phone = newPhone();
      const code = codeOf(await store().issue(phone, 'SM-a', at(0)));
      await expect(store().check(phone, otherThan(code), at(MINUTE))).resolves.toEqual({
        type: 'wrong',
        triesLeft: MAX_TRIES - 1,
      });
      await store().issue(phone, 'SM-a', at(MINUTE));
      await expect(store().check(phone, otherThan(code), at(MINUTE))).resolves.toEqual({
        type: 'wrong',
        triesLeft: MAX_TRIES - 2,
      });
    });

    it('refuses a 4th distinct request within an hour until the first one is an hour old', async () => {
      const phone = newPhone();
      expect(MAX_CODES_PER_HOUR).toBe(3);
      await store().issue(phone, 'SM-a', at(0));
      await store().issue(phone, 'SM-b', at(10 * MINUTE));
      await store().issue(phone, 'SM-c', at(20 * MINUTE));
      await expect(store().issue(phone, 'SM-d', at(30 * MINUTE))).resolves.toEqual({
        type: 'rate_limited',
        retryAt: at(HOUR),
      });
      await expect(store().issue(phone, 'SM-d', at(HOUR - 1))).resolves.toEqual({
        type: 'rate_limited',
        retryAt: at(HOUR),
      });
      const later = await store().issue(phone, 'SM-d', at(HOUR));
      expect(later).toMatchObject({ type: 'issued', fresh: true, expiresAt: at(HOUR + CODE_TTL_MS) });
      await expect(store().check(phone, codeOf(later), at(HOUR + MINUTE))).resolves.toEqual({ type: 'ok' });
      // Now the second request is the oldest of the window.
      await expect(store().issue(phone, 'SM-e', at(HOUR + MINUTE))).resolves.toEqual({
        type: 'rate_limited',
        retryAt: at(HOUR + 10 * MINUTE),
      });
    });

    it('counts wrong answers down from 4 tries left, and locks the code on the 5th', async () => {
      const phone = newPhone();
      const code = codeOf(await store().issue(phone, 'SM-a', at(0)));
      for (const triesLeft of [4, 3, 2, 1]) {
        await expect(store().check(phone, otherThan(code), at(MINUTE))).resolves.toEqual({
          type: 'wrong',
          triesLeft,
        });
      }
      await expect(store().check(phone, otherThan(code), at(MINUTE))).resolves.toEqual({ type: 'locked' });
    });

    it('keeps a locked code locked, even when the right code is typed', async () => {
      const phone = newPhone();
      const code = codeOf(await store().issue(phone, 'SM-a', at(0)));
      for (let i = 0; i < MAX_TRIES; i++) await store().check(phone, otherThan(code), at(MINUTE));
      await expect(store().check(phone, code, at(2 * MINUTE))).resolves.toEqual({ type: 'locked' });
      await expect(store().check(phone, code, at(2 * MINUTE))).resolves.toEqual({ type: 'locked' });
    });

    it('counts an answer that is not 6 digits as wrong', async () => {
      const phone = newPhone();
      const code = codeOf(await store().issue(phone, 'SM-a', at(0)));
      const answers = [code.slice(0, 5), `${code}7`, 'abcdef', ''];
      for (const [i, typed] of answers.entries()) {
        await expect(store().check(phone, typed, at(MINUTE))).resolves.toEqual({
          type: 'wrong',
          triesLeft: MAX_TRIES - 1 - i,
        });
      }
      await expect(store().check(phone, code, at(MINUTE))).resolves.toEqual({ type: 'ok' });
    });

    it('says expired from 5 minutes after the issue, even for the right code', async () => {
      const phone = newPhone();
      const code = codeOf(await store().issue(phone, 'SM-a', at(0)));
      await expect(store().check(phone, code, at(CODE_TTL_MS))).resolves.toEqual({ type: 'expired' });
      await expect(store().check(phone, code, at(CODE_TTL_MS + MINUTE))).resolves.toEqual({
        type: 'expired',
      });

      const justInTime = newPhone();
      const other = codeOf(await store().issue(justInTime, 'SM-a', at(0)));
      await expect(store().check(justInTime, other, at(CODE_TTL_MS - 1))).resolves.toEqual({ type: 'ok' });
    });

    it('replaces the waiting code with a new one, which starts with all its tries', async () => {
      const phone = newPhone();
      const old = codeOf(await store().issue(phone, 'SM-a', at(0)));
      await store().check(phone, otherThan(old), at(MINUTE));
      await store().check(phone, otherThan(old), at(MINUTE));
      const renewed = await store().issue(phone, 'SM-b', at(2 * MINUTE));
      expect(renewed).toMatchObject({ type: 'issued', fresh: true, expiresAt: at(2 * MINUTE + CODE_TTL_MS) });
      const code = codeOf(renewed);
      expect(code).not.toBe(old);
      await expect(store().check(phone, old, at(3 * MINUTE))).resolves.toEqual({
        type: 'wrong',
        triesLeft: MAX_TRIES - 1,
      });
      // Valid 5 minutes from its own issue, not the old one's.
      await expect(store().check(phone, code, at(6 * MINUTE))).resolves.toEqual({ type: 'ok' });
    });

    it('ignores spaces and dashes in the typed code', async () => {
      for (const format of [
        (c: string) => `${c.slice(0, 3)} ${c.slice(3)}`,
        (c: string) => `${c.slice(0, 3)}-${c.slice(3)}`,
        (c: string) => ` ${[...c].join(' ')} `,
      ]) {
        const phone = newPhone();
        const code = codeOf(await store().issue(phone, 'SM-a', at(0)));
        await expect(store().check(phone, format(code), at(MINUTE))).resolves.toEqual({ type: 'ok' });
      }
    });

    it('keeps the codes of two phones apart', async () => {
      const [first, second] = [newPhone(), newPhone()];
      const code = codeOf(await store().issue(first, 'SM-a', at(0)));
      await expect(store().check(second, code, at(MINUTE))).resolves.toEqual({ type: 'none' });
      const secondCode = codeOf(await store().issue(second, 'SM-a', at(0)));
      expect(secondCode).not.toBe(code);
      await expect(store().check(second, code, at(MINUTE))).resolves.toMatchObject({ type: 'wrong' });
      await expect(store().check(first, code, at(MINUTE))).resolves.toEqual({ type: 'ok' });
    });

    it('counts wrong answers sent at once one by one: no more than 4 are told to try again', async () => {
      const phone = newPhone();
      const code = codeOf(await store().issue(phone, 'SM-a', at(0)));
      const results = await Promise.all(
        Array.from({ length: 10 }, () => store().check(phone, otherThan(code), at(MINUTE))),
      );
      const triesLeft = results.flatMap((r) => (r.type === 'wrong' ? [r.triesLeft] : []));
      expect(triesLeft.sort()).toEqual([1, 2, 3, 4]);
      expect(results.filter((r) => r.type === 'locked')).toHaveLength(6);
      await expect(store().check(phone, code, at(MINUTE))).resolves.toEqual({ type: 'locked' });
    });

    it('issues no more than 3 codes to distinct requests made at once', async () => {
      const phone = newPhone();
      const results = await Promise.all(
        ['SM-a', 'SM-b', 'SM-c', 'SM-d', 'SM-e'].map((ref) => store().issue(phone, ref, at(0))),
      );
      expect(results.filter((r) => r.type === 'issued')).toHaveLength(MAX_CODES_PER_HOUR);
      expect(results.filter((r) => r.type === 'rate_limited')).toEqual([
        { type: 'rate_limited', retryAt: at(HOUR) },
        { type: 'rate_limited', retryAt: at(HOUR) },
      ]);
    });
  });
}
