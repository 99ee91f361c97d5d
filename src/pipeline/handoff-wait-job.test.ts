import { describe, expect, it } from 'vitest';
import { handoffCopy } from '../../flows/handoff/handoff.copy.ts';
import {
  createHandoffDesk,
  type HandoffOutbound,
  WAITING_NOTICE_AFTER_MS,
} from '../../flows/handoff/handoff-desk.ts';
import { newHandoff } from '../../test/contracts/handoff-repository.contract.ts';
import { InMemoryCitizenRepository } from '../../test/fakes/in-memory-citizen-repository.ts';
import { InMemoryContactRepository } from '../../test/fakes/in-memory-contact-repository.ts';
import { InMemoryHandoffRepository } from '../../test/fakes/in-memory-handoff-repository.ts';
import { InMemoryTeamRepository } from '../../test/fakes/in-memory-team-repository.ts';
import { createHandoffWaitJob, requeueLostWaits } from './handoff-wait-job.ts';

/** 10:00 in Đà Nẵng. */
const DAY = new Date('2026-11-27T03:00:00Z');
/** 23:00 in Đà Nẵng, and 07:00 the next morning. */
const NIGHT = new Date('2026-11-27T16:00:00Z');
const MORNING = new Date('2026-11-28T00:00:00Z');
const plus = (at: Date, ms: number) => new Date(at.getTime() + ms);

/** The waiting-notice job over an in-memory desk; what it sent and what it scheduled. */
function setUp() {
  let now = DAY;
  const handoffs = new InMemoryHandoffRepository();
  const sent: HandoffOutbound[] = [];
  const scheduled: [number, Date][] = [];
  const schedule = async (handoffId: number, dueAt: Date) => {
    scheduled.push([handoffId, dueAt]);
  };
  const desk = createHandoffDesk({
    handoffs,
    teams: new InMemoryTeamRepository(),
    citizens: new InMemoryCitizenRepository(),
    contacts: new InMemoryContactRepository(),
    // Stored once per dedupe key, as the outbox stores them.
    sendHandoffMessages: async (messages) => {
      for (const m of messages) if (!sent.some((o) => o.dedupeKey === m.dedupeKey)) sent.push(m);
    },
    scheduleHandoffWait: schedule,
  });
  const job = createHandoffWaitJob({ desk, schedule, clock: () => now });
  const open = async (address: string, at: Date) =>
    (await handoffs.open(newHandoff({ chat: { channel: 'zalo-oa', address }, ref: `in-${address}` }), at))
      .handoff;
  const moveTo = (at: Date) => {
    now = at;
  };
  return { job, handoffs, sent, scheduled, schedule, open, moveTo, clock: () => now };
}

describe('the hand-off waiting-notice job', () => {
  it('within answer hours tells the citizen once, and the hand-off stays open', async () => {
    const s = setUp();
    const handoff = await s.open('c-1', DAY);
    s.moveTo(plus(DAY, WAITING_NOTICE_AFTER_MS));
    await s.job({ handoffId: handoff.id });
    await s.job({ handoffId: handoff.id });
    expect(s.sent.map((m) => [m.to, m.text])).toEqual([['c-1', handoffCopy.vi.waitingToday(handoff.id)]]);
    expect((await s.handoffs.findById(handoff.id))?.status).toBe('open');
  });

  it('at night says nothing and comes back at 07:00', async () => {
    const s = setUp();
    const handoff = await s.open('c-1', NIGHT);
    s.moveTo(plus(NIGHT, WAITING_NOTICE_AFTER_MS));
    await s.job({ handoffId: handoff.id });
    expect([s.sent, s.scheduled]).toEqual([[], [[handoff.id, MORNING]]]);
  });

  it('re-queues only the open hand-offs whose notice is more than the margin overdue and unsent', async () => {
    const s = setUp();
    const lost = await s.open('lost', DAY);
    // Opened 5 minutes later: its notice is due, but not 2 minutes overdue.
    await s.open('recent', plus(DAY, 5 * 60_000));
    const told = await s.open('told', DAY);
    await s.handoffs.markWaitingNotice(told.id, plus(DAY, WAITING_NOTICE_AFTER_MS));
    s.moveTo(plus(DAY, WAITING_NOTICE_AFTER_MS + 2 * 60_000));
    const requeued = await requeueLostWaits(
      { handoffs: s.handoffs, schedule: s.schedule, clock: s.clock },
      2 * 60_000,
    );
    expect(requeued).toBe(1);
    // With the due time of its first job, so a job still there makes BullMQ add nothing.
    expect(s.scheduled).toEqual([[lost.id, plus(DAY, WAITING_NOTICE_AFTER_MS)]]);
  });
});
