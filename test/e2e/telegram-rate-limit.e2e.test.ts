import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeTelegram } from '../fakes/fake-telegram-server.ts';
import { AppHarness } from '../support/app-harness.ts';
import { eventually, sleep } from '../support/services.ts';

// Telegram's per-chat limit enforced by the outbound queue across worker sets (each a full set of BullMQ
// workers, as separate processes would run): messages over the limit wait for their slot, none is dropped or
// sent twice, and consecutive messages to one chat arrive at least one spacing apart.

/** Network and timer jitter allowed on each gap. */
const TOLERANCE_MS = 15;

/** Stores `count` notifications `n 0`, `n 1`… for `chat` in the outbox and queues their sending; resolves their ids. */
async function queueNotifications(app: AppHarness, chat: string, count: number, tag: string) {
  const items = Array.from({ length: count }, (_, i) => ({
    dedupeKey: `${tag}-${i}`,
    channel: 'telegram' as const,
    to: chat,
    reply: { text: `n ${i}` },
    language: 'vi' as const,
    purpose: 'notification' as const,
  }));
  await app.services.queueOutbound(items);
  const { rows } = await app.services.db.query<{ id: number }>(
    'SELECT id FROM outbound_messages WHERE dedupe_key = ANY($1::text[]) ORDER BY id',
    [items.map((item) => item.dedupeKey)],
  );
  return rows.map((row) => row.id);
}

/** Arrival times at the fake of the messages to `chat`, oldest first. */
function arrivals(fake: FakeTelegram, chat: string): number[] {
  return fake.sent
    .filter((m) => m.chatId === chat)
    .map((m) => m.at.getTime())
    .sort((a, b) => a - b);
}
const gapsOf = (times: readonly number[]) => times.slice(1).map((t, i) => t - (times[i] ?? t));

function fakeOf(app: AppHarness): FakeTelegram {
  if (!app.fakes.telegram) throw new Error('telegram is off');
  return app.fakes.telegram;
}

describe('a per-chat limit of 20 a second, two worker sets', () => {
  let app: AppHarness;
  beforeAll(async () => {
    app = await AppHarness.start({
      channels: ['telegram'],
      workers: 2,
      env: { OUTBOUND_RATE_LIMITS: 'telegram:recipient=20/1s' },
    });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('delivers 100 notifications to one chat exactly once and in order, spread over at least 99 spacings', async () => {
    const chat = '5012345678';
    const fake = fakeOf(app);

    const ids = await queueNotifications(app, chat, 100, 'burst');
    await fake.waitForMessages(100, { timeoutMs: 15_000 });
    await sleep(700);

    expect(fake.sent).toHaveLength(100);
    expect(fake.sent.map((m) => m.text)).toEqual(Array.from({ length: 100 }, (_, i) => `n ${i}`));
    const times = arrivals(fake, chat);
    expect(times.length).toBe(100);
    expect((times.at(-1) ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(99 * 50 - TOLERANCE_MS);
    const { rows } = await app.services.db.query<{ status: string; n: number }>(
      'SELECT status, count(*)::int AS n FROM outbound_messages WHERE id = ANY($1::bigint[]) GROUP BY status',
      [ids],
    );
    expect(rows).toEqual([{ status: 'queued', n: 100 }]);
  });

  // Delayed jobs wake late and in batches; the gate at send time keeps the spacing between real sends.
  it('never lets two messages to one chat arrive closer than the 50 ms spacing', async () => {
    const chat = '5012345679';
    const fake = fakeOf(app);
    const before = fake.sent.length;

    await queueNotifications(app, chat, 100, 'spaced');
    await fake.waitForMessages(before + 100, { timeoutMs: 15_000 });

    // A send can reach the fake later than its gate opened when the one event loop (workers and fake alike)
    // stalls, which shortens the gap after it; messages released together would land a few ms apart. So:
    // no gap near 0, and the usual gap is the spacing.
    const gaps = gapsOf(arrivals(fake, chat)).sort((a, b) => a - b);
    expect(gaps[0]).toBeGreaterThanOrEqual(15);
    expect(gaps[Math.floor(gaps.length / 2)]).toBeGreaterThanOrEqual(50 - TOLERANCE_MS);
  });
});

describe("Telegram's default limits: one message a second per chat, 30 a second overall", () => {
  let app: AppHarness;
  beforeAll(async () => {
    app = await AppHarness.start({ channels: ['telegram'] });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('spaces three messages to one chat a second apart, in order', async () => {
    const chat = '5012345001';
    const fake = fakeOf(app);

    await queueNotifications(app, chat, 3, 'slow');
    await fake.waitForMessages(3, { timeoutMs: 10_000 });

    expect(fake.sent.map((m) => m.text)).toEqual(['n 0', 'n 1', 'n 2']);
    // Without the limit they would land milliseconds apart; a stalled event loop may shorten one gap a little.
    for (const gap of gapsOf(arrivals(fake, chat))) expect(gap).toBeGreaterThanOrEqual(900);
  });

  // Only the per-chat limit is booked ahead; the channel-wide one is checked at send time.
  it("does not hold another chat's message behind one chat's queue", async () => {
    const fake = fakeOf(app);
    const before = fake.sent.length;
    await queueNotifications(app, '5012345011', 3, 'busy');
    await eventually(() => arrivals(fake, '5012345011').length === 1);

    await queueNotifications(app, '5012345012', 1, 'other');
    await fake.waitForMessages(before + 4, { timeoutMs: 10_000 });

    const busy = arrivals(fake, '5012345011');
    const [other] = arrivals(fake, '5012345012');
    expect(other).toBeLessThan(busy[1] ?? 0);
  });
});
