import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { dossierNoticeText } from '../../flows/notices/notices.copy.ts';
import { newCitizen } from '../../test/contracts/citizen-repository.contract.ts';
import { InMemoryCitizenRepository } from '../../test/fakes/in-memory-citizen-repository.ts';
import { InMemoryDossierNoticeStore } from '../../test/fakes/in-memory-dossier-notice-store.ts';
import { InMemoryDossierRepository } from '../../test/fakes/in-memory-dossier-repository.ts';
import type { DossierStatus } from '../domain/dossiers/dossier.ts';
import { COLLAPSE_WINDOW_MS } from '../domain/notifications/dossier-notice-plan.ts';
import { createDossierNotices } from './dossier-notices.ts';

/** 10:00 in Đà Nẵng. */
const AT = new Date('2026-12-04T03:00:00Z');
const QUIET = { start: 21 * 60, end: 7 * 60 };
const at = (ms: number) => new Date(AT.getTime() + ms);

/** Dossier notices over in-memory dossiers, citizens and notice store, with a clock to move. */
async function setUp() {
  let now = AT;
  const citizens = new InMemoryCitizenRepository();
  const made = await citizens.create(newCitizen());
  if (made.type !== 'created') throw new Error(made.type);
  const dossiers = new InMemoryDossierRepository();
  const store = new InMemoryDossierNoticeStore(dossiers);
  const told: { key: string; text: string }[] = [];
  const jobs: { dossierId: string; dueAt: Date; delayMs: number }[] = [];
  const notices = createDossierNotices({
    store,
    citizens,
    notify: async (_citizen, key, reply) => {
      told.push({ key, text: reply('en', 'twilio-sms').text });
    },
    queueNotice: async (dossierId, dueAt, delayMs) => {
      jobs.push({ dossierId, dueAt, delayMs });
    },
    clock: () => now,
    quietHours: QUIET,
    logger: pino({ level: 'silent' }),
  });
  /** The agency reports `status` now; the notices hear of it as the API tells them. */
  const report = async (status: DossierStatus) => {
    const outcome = await dossiers.upsert({
      agencyId: 'agency-1',
      code: 'HS-1',
      citizenId: made.citizen.id,
      procedure: 'Birth registration',
      status,
      expectedAt: null,
      note: null,
      at: now,
    });
    if (outcome.type === 'other_agency' || outcome.type === 'other_citizen') throw new Error(outcome.type);
    await notices.statusChanged(outcome.dossier, now);
    return outcome.dossier.id;
  };
  const text = (status: DossierStatus, earlier: DossierStatus[] = []) =>
    dossierNoticeText('en', {
      code: 'HS-1',
      procedure: 'Birth registration',
      status,
      earlier,
      expectedAt: null,
      note: null,
    });
  const moveTo = (time: Date) => {
    now = time;
  };
  return { notices, store, told, jobs, report, text, moveTo };
}

describe('dossier notices', () => {
  it('tell the first status at once, once, under a key of the dossier and its last event', async () => {
    const s = await setUp();
    const id = await s.report('received');
    expect(s.jobs).toEqual([{ dossierId: id, dueAt: AT, delayMs: 0 }]);
    await s.notices.send(id);
    await s.notices.send(id);
    expect(s.told).toEqual([{ key: `dossier-${id}-1`, text: s.text('received') }]);
    expect((await s.store.load(id))?.state).toMatchObject({ notifiedSeq: 1, notifyDueAt: null });
  });

  it('collect the changes within 10 minutes of the last message into one message at the end of them', async () => {
    const s = await setUp();
    const id = await s.report('received');
    await s.notices.send(id);
    s.moveTo(at(60_000));
    await s.report('processing');
    s.moveTo(at(120_000));
    await s.report('needs_more_info');
    const due = at(COLLAPSE_WINDOW_MS);
    expect(s.jobs.slice(1)).toEqual([{ dossierId: id, dueAt: due, delayMs: COLLAPSE_WINDOW_MS - 60_000 }]);
    s.moveTo(due);
    await s.notices.send(id);
    expect(s.told.map((t) => t.text)).toEqual([
      s.text('received'),
      s.text('needs_more_info', ['processing']),
    ]);
    expect(s.told[1]?.key).toBe(`dossier-${id}-3`);
  });

  it('leave a message to its own job when the job that runs is an older one', async () => {
    const s = await setUp();
    const id = await s.report('received');
    await s.notices.send(id);
    s.moveTo(at(60_000));
    await s.report('processing');
    // The first job, run again a minute later: the message planned for 10:10 is not sent early.
    await s.notices.send(id);
    expect(s.told).toHaveLength(1);
  });

  it('send nothing when the change was not a new status (a note alone), and clear what was pending', async () => {
    const s = await setUp();
    const id = await s.report('received');
    await s.notices.send(id);
    await s.store.schedule(id, AT);
    await s.notices.send(id);
    expect([s.told.length, (await s.store.load(id))?.state.notifyDueAt]).toEqual([1, null]);
  });

  it('wait for the morning when the change comes in the quiet hours', async () => {
    const s = await setUp();
    // 23:00 in Đà Nẵng; the quiet hours end at 07:00.
    s.moveTo(new Date('2026-12-04T16:00:00Z'));
    const id = await s.report('received');
    const morning = new Date('2026-12-05T00:00:00Z');
    expect(s.jobs).toEqual([{ dossierId: id, dueAt: morning, delayMs: 8 * 3_600_000 }]);
  });

  it('queue again a message whose job was lost, at once', async () => {
    const s = await setUp();
    const id = await s.report('received');
    s.moveTo(at(3 * 60_000));
    expect(await s.notices.requeueLost(2 * 60_000)).toBe(1);
    expect(s.jobs.at(-1)).toEqual({ dossierId: id, dueAt: AT, delayMs: 0 });
    await s.notices.send(id);
    expect(await s.notices.requeueLost(0)).toBe(0);
  });
});
