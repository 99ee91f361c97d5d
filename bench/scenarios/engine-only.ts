/**
 * The conversation engine alone: full conversational registrations (DK, name, CCCD, date of birth, CO) through
 * the real flows over in-memory fakes of the stores (test/support/transcript.ts), one after another. The flows
 * and their stores are built once for every 50 people (as a worker builds them once; the in-memory fakes look
 * people up by scanning, so a world is not left to grow without end), each person with their own CCCD. A tenth
 * as many registrations run first, unmeasured, so the code is not measured while it is still being compiled.
 */
import { Transcript } from '../../test/support/transcript.ts';
import type { Figure } from '../lib/report.ts';

const SCRIPT = ['DK', 'Nguyễn Văn An', '048090001234', '15/02/1990', 'CO'];
/** People served by one world. */
const PER_WORLD = 50;

/** Runs `count` registrations from number `from` on, one after another. */
async function register(from: number, count: number): Promise<void> {
  let world = new Transcript();
  for (let i = from; i < from + count; i += 1) {
    if (i > from && (i - from) % PER_WORLD === 0) world = new Transcript();
    const chat = world.party('twilio-sms', `+8490${String(1_000_000 + i).padStart(7, '0')}`);
    for (const text of SCRIPT.map((t, at) => (at === 2 ? `048090${String(i).padStart(6, '0')}` : t))) {
      await chat.send(text);
    }
  }
}

/** Runs `conversations` registrations and reports turns a second. */
export async function engineOnly(conversations: number): Promise<Figure[]> {
  const warmUp = Math.ceil(conversations / 10);
  await register(0, warmUp);
  const started = performance.now();
  await register(warmUp, conversations);
  const seconds = (performance.now() - started) / 1000;
  const turns = conversations * SCRIPT.length;
  return [
    {
      scenario: 'engine',
      name: `engine alone over in-memory stores (${conversations} registrations, ${turns} turns)`,
      value: turns / seconds,
      unit: 'turns/s',
      better: 'higher',
    },
  ];
}
