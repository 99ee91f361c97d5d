import { describe, expect, it } from 'vitest';
import { type DossierNoticeState, planDossierNotice, untoldStatuses } from './dossier-notice-plan.ts';
import type { QuietHours } from './quiet-hours.ts';

/** A moment given in Vietnam time (UTC+7). */
const vn = (local: string) => new Date(`${local}:00+07:00`);
const NIGHT: QuietHours = { start: 21 * 60, end: 7 * 60 };

const neverTold: DossierNoticeState = {
  notifiedSeq: 0,
  notifiedAt: null,
  notifyDueAt: null,
  toldStatus: null,
  untold: [{ seq: 1, status: 'received' }],
};

/** Told about `received` (event 1) at `at`, then event 2 moved the dossier to `processing`. */
const toldAt = (at: Date): DossierNoticeState => ({
  notifiedSeq: 1,
  notifiedAt: at,
  notifyDueAt: null,
  toldStatus: 'received',
  untold: [{ seq: 2, status: 'processing' }],
});

describe('planDossierNotice', () => {
  it('tells the first change at once', () => {
    expect(planDossierNotice(neverTold, vn('2026-03-10T10:00'), NIGHT)).toEqual({
      type: 'schedule',
      dueAt: vn('2026-03-10T10:00'),
    });
  });

  it('holds a change within 10 minutes of the last message until those 10 minutes end', () => {
    expect(planDossierNotice(toldAt(vn('2026-03-10T10:00')), vn('2026-03-10T10:03'), NIGHT)).toEqual({
      type: 'schedule',
      dueAt: vn('2026-03-10T10:10'),
    });
  });

  it('adds a further change to the message already pending instead of planning another', () => {
    const state = { ...toldAt(vn('2026-03-10T10:00')), notifyDueAt: vn('2026-03-10T10:10') };
    expect(planDossierNotice(state, vn('2026-03-10T10:07'), NIGHT)).toEqual({
      type: 'pending',
      dueAt: vn('2026-03-10T10:10'),
    });
  });

  it('tells a change more than 10 minutes after the last message at once again', () => {
    expect(planDossierNotice(toldAt(vn('2026-03-10T10:10')), vn('2026-03-10T10:25'), NIGHT)).toEqual({
      type: 'schedule',
      dueAt: vn('2026-03-10T10:25'),
    });
  });

  it('tells a change exactly 10 minutes after the last message at once', () => {
    expect(planDossierNotice(toldAt(vn('2026-03-10T10:00')), vn('2026-03-10T10:10'), NIGHT)).toEqual({
      type: 'schedule',
      dueAt: vn('2026-03-10T10:10'),
    });
  });

  it('moves a change in the quiet hours to 07:00 Vietnam time', () => {
    expect(planDossierNotice(neverTold, vn('2026-03-10T22:30'), NIGHT)).toEqual({
      type: 'schedule',
      dueAt: vn('2026-03-11T07:00'),
    });
  });

  it('moves the end of a collapse window that falls in the quiet hours to 07:00', () => {
    expect(planDossierNotice(toldAt(vn('2026-03-10T20:55')), vn('2026-03-10T20:58'), NIGHT)).toEqual({
      type: 'schedule',
      dueAt: vn('2026-03-11T07:00'),
    });
  });

  it('sends at night when quiet hours are off', () => {
    expect(planDossierNotice(neverTold, vn('2026-03-10T23:00'), null)).toEqual({
      type: 'schedule',
      dueAt: vn('2026-03-10T23:00'),
    });
  });

  it('plans nothing when no status changed since the citizen was told', () => {
    const noteOnly: DossierNoticeState = {
      ...toldAt(vn('2026-03-10T09:00')),
      untold: [{ seq: 2, status: 'received' }],
    };
    expect(planDossierNotice(noteOnly, vn('2026-03-10T10:00'), NIGHT)).toEqual({ type: 'nothing' });
    expect(planDossierNotice({ ...noteOnly, untold: [] }, vn('2026-03-10T10:00'), NIGHT)).toEqual({
      type: 'nothing',
    });
  });
});

describe('untoldStatuses', () => {
  it('lists each new status once, in order, skipping events that kept the status', () => {
    expect(
      untoldStatuses({
        toldStatus: 'received',
        untold: [
          { seq: 2, status: 'processing' },
          { seq: 3, status: 'processing' },
          { seq: 4, status: 'needs_more_info' },
          { seq: 5, status: 'completed' },
        ],
      }),
    ).toEqual(['processing', 'needs_more_info', 'completed']);
  });

  it('counts the first event of a dossier as a new status', () => {
    expect(untoldStatuses({ toldStatus: null, untold: [{ seq: 1, status: 'received' }] })).toEqual([
      'received',
    ]);
  });
});
