import { describe, expect, it } from 'vitest';
import { effectiveRateLimits, parseRateLimits } from './rate-limits.ts';

describe('OUTBOUND_RATE_LIMITS', () => {
  it('reads overall and per-recipient limits of several channels, with every period unit', () => {
    expect(
      parseRateLimits(
        'telegram=30/1s, telegram:recipient=1/s,zalo-personal=1/2s,twilio-sms=100/m,sms-gateway=5/500ms',
      ),
    ).toEqual({
      limits: {
        telegram: { overall: { limit: 30, intervalMs: 1000 }, perRecipient: { limit: 1, intervalMs: 1000 } },
        'zalo-personal': { overall: { limit: 1, intervalMs: 2000 } },
        'twilio-sms': { overall: { limit: 100, intervalMs: 60_000 } },
        'sms-gateway': { overall: { limit: 5, intervalMs: 500 } },
      },
    });
  });

  it('accepts an empty value', () => {
    expect(parseRateLimits('')).toEqual({ limits: {} });
  });

  it('names every entry it cannot read: unknown channel, bad shape, zero', () => {
    const result = parseRateLimits('viber=1/s,telegram=fast,telegram=0/1s');
    expect(result).toEqual({
      problems: [
        expect.stringContaining('"viber=1/s"'),
        expect.stringContaining('"telegram=fast"'),
        expect.stringContaining('"telegram=0/1s"'),
      ],
    });
  });

  it('lays the operator’s overrides over the adapter’s own limits', () => {
    const adapter = {
      overall: { limit: 30, intervalMs: 1000 },
      perRecipient: { limit: 1, intervalMs: 1000 },
    };
    expect(effectiveRateLimits(adapter, { perRecipient: { limit: 20, intervalMs: 1000 } })).toEqual({
      overall: { limit: 30, intervalMs: 1000 },
      perRecipient: { limit: 20, intervalMs: 1000 },
    });
    expect(effectiveRateLimits(undefined, undefined)).toEqual({});
  });
});
