/**
 * The conversation engine alone: full conversational registrations (DK, name, CCCD, date of birth, CO) through
 * the real flows over in-memory fakes of the stores (test/support/transcript.ts), one after another.
 */
import { Transcript } from '../../test/support/transcript.ts';
import type { Figure } from '../lib/report.ts';

const SCRIPT = ['DK', 'Nguyễn Văn An', '048090001234', '15/02/1990', 'CO'];

/** Runs `conversations` registrations and reports turns a second. */
export async function engineOnly(conversations: number): Promise<Figure[]> {
  const started = performance.now();
  for (let i = 0; i < conversations; i += 1) {
    const chat = new Transcript({ phone: `+8490${String(1_000_000 + i).padStart(7, '0')}` });
    for (const text of SCRIPT) await chat.send(text);
  }
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
