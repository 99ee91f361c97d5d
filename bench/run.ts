/**
 * Benchmarks (`npm run bench`): the engine alone over in-memory fakes, then the whole service on real parts
 * (PostgreSQL, Redis, BullMQ workers, fake Twilio on loopback), then the citizen data store (bench/data-store.ts).
 * Needs the same services as `npm test`.
 * Results are printed as a table; docs/benchmarks.md records a run.
 */
import { AppHarness } from '../test/support/app-harness.ts';
import { Transcript } from '../test/support/transcript.ts';
import { dataStore, ms, percentile } from './data-store.ts';

async function engineOnly(conversations: number): Promise<void> {
  const script = ['DK', 'Nguyễn Văn An', '048090001234', '15/02/1990', 'CO'];
  const started = performance.now();
  for (let i = 0; i < conversations; i += 1) {
    const chat = new Transcript({ phone: `+8490${String(1_000_000 + i).padStart(7, '0')}` });
    for (const text of script) await chat.send(text);
  }
  const seconds = (performance.now() - started) / 1000;
  const turns = conversations * script.length;
  console.log(
    `engine only        ${turns} turns in ${seconds.toFixed(2)} s = ${(turns / seconds).toFixed(0)} turns/s`,
  );
}

async function fullStack(conversations: number): Promise<void> {
  const h = await AppHarness.start({ env: { LOG_LEVEL: 'warn' } });
  try {
    const single: number[] = [];
    const singleAck: number[] = [];
    for (let i = 0; i < 50; i += 1) {
      const phone = `+8492${String(1_000_000 + i).padStart(7, '0')}`;
      const t0 = performance.now();
      const response = await h.sms(phone, 'HD');
      singleAck.push(performance.now() - t0);
      if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
      await h.waitForInbox(phone, 1);
      single.push(performance.now() - t0);
    }
    console.log(
      `one at a time      ack p50 ${ms(percentile(singleAck, 50))}  reply p50 ${ms(percentile(single, 50))}  p95 ${ms(percentile(single, 95))}`,
    );

    const phones = Array.from(
      { length: conversations },
      (_, i) => `+8491${String(1_000_000 + i).padStart(7, '0')}`,
    );
    const acks: number[] = [];
    const sentAt = new Map<string, number>();
    const started = performance.now();
    await Promise.all(
      phones.map(async (phone) => {
        const t0 = performance.now();
        sentAt.set(phone, t0);
        const response = await h.sms(phone, 'DK Nguyen Van An, 048090001234, 15/02/1990');
        acks.push(performance.now() - t0);
        if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
      }),
    );
    const replies: number[] = [];
    await Promise.all(
      phones.map(async (phone) => {
        await h.waitForInbox(phone, 1, 120_000);
        replies.push(performance.now() - (sentAt.get(phone) ?? 0));
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const segments = h.twilio.messages.map((m) => m.numSegments);
    console.log(
      `webhook ack        p50 ${ms(percentile(acks, 50))}  p95 ${ms(percentile(acks, 95))}  (${conversations} concurrent)`,
    );
    console.log(`webhook -> SMS out p50 ${ms(percentile(replies, 50))}  p95 ${ms(percentile(replies, 95))}`);
    console.log(`throughput         ${(conversations / seconds).toFixed(0)} messages/s end to end`);
    console.log(
      `segments per reply max ${Math.max(...segments)} (all GSM-7: ${h.twilio.messages.every((m) => /^[\x20-\x7e\n]*$/.test(m.body))})`,
    );
    console.log(`process RSS        ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
  } finally {
    await h.stop();
  }
}

await engineOnly(Number(process.env.BENCH_CONVERSATIONS ?? 500));
await fullStack(Number(process.env.BENCH_CONCURRENT ?? 200));
await dataStore();
process.exit(0);
