import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyText, PROPERTY_RUNS, PROPERTY_TIMEOUT_MS, typedPhone } from '../test/support/text-arbitraries.ts';
import { parseRetryAfter } from './sms-gateway/sms-gateway.errors.ts';
import { normalizeTelegramPhone, parseTelegramUpdate } from './telegram/telegram.updates.ts';

/**
 * Properties of what the adapters read from providers: any body, header or contact number gives a documented
 * outcome, never an exception of another kind, and a refusal never repeats the values it refused.
 */

const NOW = Date.UTC(2026, 2, 1, 2, 15);

describe('provider input', { timeout: PROPERTY_TIMEOUT_MS }, () => {
  it('a Telegram update is read, or refused with a 400 that names fields and never repeats their values', () => {
    const marker = fc.string({ minLength: 6, maxLength: 12 }).map((s) => `Zq${s}`);
    fc.assert(
      fc.property(fc.jsonValue(), marker, fc.integer(), (json, text, id) => {
        for (const body of [
          json,
          { update_id: id, message: { message_id: 1, chat: { id, type: 'private' }, date: 1, text } },
          { update_id: id, message: json },
          { update_id: text, callback_query: json },
        ]) {
          try {
            parseTelegramUpdate(body);
          } catch (error) {
            expect(error).toMatchObject({ name: 'WebhookRejectedError', status: 400 });
            expect((error as Error).message).not.toContain(text);
          }
        }
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });

  it("a Telegram contact's number is E.164 or null", () => {
    fc.assert(
      fc.property(fc.oneof(anyText, typedPhone), (raw) => {
        const phone = normalizeTelegramPhone(raw);
        if (phone !== null) expect(phone).toMatch(/^\+[1-9]\d{7,14}$/);
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });

  it('a Retry-After header is no wait (undefined) or a finite wait of at most a day', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          anyText,
          fc.stringMatching(/^\d{1,400}$/),
          fc.date({ noInvalidDate: true }).map((d) => d.toUTCString()),
        ),
        (header) => {
          const wait = parseRetryAfter(header, NOW);
          if (wait === undefined) return;
          expect(Number.isFinite(wait)).toBe(true);
          expect(wait).toBeGreaterThanOrEqual(0);
          expect(wait).toBeLessThanOrEqual(24 * 3600_000);
        },
      ),
      { numRuns: PROPERTY_RUNS },
    );
  });
});
