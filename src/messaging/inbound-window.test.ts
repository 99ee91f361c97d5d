import { describe, expect, it } from 'vitest';
import { WebhookRejectedError } from '../shared/errors.ts';
import type { InboundMessage } from './inbound-message.ts';
import {
  INBOUND_CLOCK_SKEW_MS,
  INBOUND_DEDUPE_KEEP_MS,
  INBOUND_WINDOW_MS,
  MESSAGE_TIME_AHEAD,
  MESSAGE_TOO_OLD,
  refuseOutsideWindow,
} from './inbound-window.ts';

const NOW = new Date('2026-11-27T08:00:00.000Z');

function signed(offsetMs: number | null): InboundMessage {
  const at = new Date(NOW.getTime() + (offsetMs ?? 0)).toISOString();
  return {
    channel: 'sms-gateway',
    providerMessageId: 'gw-1',
    from: '+84905123456',
    text: 'DK',
    receivedAt: at,
    ...(offsetMs === null ? {} : { signedAt: at }),
  };
}

function refusal(message: InboundMessage): { status: number; code: string } | null {
  try {
    refuseOutsideWindow(message, NOW);
    return null;
  } catch (error) {
    if (!(error instanceof WebhookRejectedError)) throw error;
    return { status: error.status, code: error.code };
  }
}

describe('the inbound window', () => {
  it('is 24 hours with 5 minutes of clock skew, and keys are kept for both', () => {
    expect(INBOUND_WINDOW_MS).toBe(86_400_000);
    expect(INBOUND_CLOCK_SKEW_MS).toBe(300_000);
    expect(INBOUND_DEDUPE_KEEP_MS).toBe(INBOUND_WINDOW_MS + INBOUND_CLOCK_SKEW_MS);
  });

  it.each([
    ['signed now', 0],
    ['signed 23 hours 59 minutes ago', -INBOUND_WINDOW_MS + 60_000],
    ['signed exactly 24 hours ago', -INBOUND_WINDOW_MS],
    ['signed 5 minutes ahead', INBOUND_CLOCK_SKEW_MS],
  ])('accepts a message %s', (_what, offsetMs) => {
    expect(refusal(signed(offsetMs))).toBeNull();
  });

  it.each([
    ['a millisecond more than 24 hours ago', -INBOUND_WINDOW_MS - 1],
    ['7 days ago', -7 * INBOUND_WINDOW_MS],
    ['in 1970', -NOW.getTime()],
  ])('refuses with 400 MESSAGE_TOO_OLD a message signed %s (a replay)', (_what, offsetMs) => {
    expect(refusal(signed(offsetMs))).toEqual({ status: 400, code: MESSAGE_TOO_OLD });
  });

  it.each([
    ['a millisecond more than 5 minutes ahead', INBOUND_CLOCK_SKEW_MS + 1],
    ['a year ahead', 365 * INBOUND_WINDOW_MS],
  ])('refuses with 400 MESSAGE_TIME_AHEAD a message signed %s', (_what, offsetMs) => {
    expect(refusal(signed(offsetMs))).toEqual({ status: 400, code: MESSAGE_TIME_AHEAD });
  });

  it('lets through a message whose channel signs no time, whatever its receivedAt', () => {
    const old = {
      ...signed(null),
      receivedAt: new Date(NOW.getTime() - 30 * INBOUND_WINDOW_MS).toISOString(),
    };
    expect(refusal(old)).toBeNull();
  });
});
