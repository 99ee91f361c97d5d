import { type ChannelId, ChannelIdSchema } from '../messaging/channel.ts';
import type { ChannelRateLimits, RateLimit } from '../messaging/channel-adapter.ts';

/** Rate limits by channel, as set in OUTBOUND_RATE_LIMITS. */
export type RateLimitOverrides = Partial<Record<ChannelId, ChannelRateLimits>>;

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 } as const;
const ENTRY = /^([a-z-]+)(?::(recipient))?=(\d+)\/(\d*)(ms|s|min|m|h)$/;

/**
 * Parses OUTBOUND_RATE_LIMITS: a comma-separated list of `<channel>=<count>/<period>` (all messages of the
 * channel) and `<channel>:recipient=<count>/<period>` (messages to one recipient), where a period is a number
 * and a unit (`ms`, `s`, `m`/`min`, `h`; the number defaults to 1). Example:
 * `telegram=30/1s,telegram:recipient=1/1s,zalo-personal=1/2s`. Returns the overrides or the problems found.
 */
export function parseRateLimits(value: string): { limits: RateLimitOverrides } | { problems: string[] } {
  const limits: RateLimitOverrides = {};
  const problems: string[] = [];
  for (const raw of value.split(',')) {
    const entry = raw.trim();
    if (entry === '') continue;
    const match = ENTRY.exec(entry);
    const channel = ChannelIdSchema.safeParse(match?.[1]);
    if (!match || !channel.success) {
      problems.push(`"${entry}" is not <channel>[:recipient]=<count>/<period>, e.g. telegram=30/1s`);
      continue;
    }
    const count = Number(match[3]);
    const periodMs = Number(match[4] || '1') * UNIT_MS[match[5] as keyof typeof UNIT_MS];
    if (count < 1 || periodMs < 1) {
      problems.push(`"${entry}" needs a count and a period above zero`);
      continue;
    }
    const limit: RateLimit = { limit: count, intervalMs: periodMs };
    const current = limits[channel.data] ?? {};
    limits[channel.data] = match[2] ? { ...current, perRecipient: limit } : { ...current, overall: limit };
  }
  return problems.length > 0 ? { problems } : { limits };
}

/** The adapter's own limits with the operator's overrides on top. */
export function effectiveRateLimits(
  adapterLimits: ChannelRateLimits | undefined,
  override: ChannelRateLimits | undefined,
): ChannelRateLimits {
  return { ...adapterLimits, ...override };
}
