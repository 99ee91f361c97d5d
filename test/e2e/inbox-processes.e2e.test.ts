import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppHarness, type WorkerProcess } from '../support/app-harness.ts';
import { consoleSessions } from '../support/console-sign-in.ts';
import { readEvents } from '../support/event-stream.ts';

// The web process holds the browser's event stream; the turn that opens the hand-off runs in a separate worker
// process. The change reaches the page through Redis pub/sub.

describe('the Inbox’s live events across processes', () => {
  let h: AppHarness;
  let worker: WorkerProcess;
  beforeAll(async () => {
    h = await AppHarness.start({ workers: 0 });
    worker = h.spawnWorker();
    await worker.ready;
  });
  afterAll(async () => {
    worker?.child.kill('SIGTERM');
    await worker?.exited;
    await h?.stop();
  });

  it('tells a volunteer’s open page of a GAP handled by a worker process', async () => {
    const team = (await h.admin('POST', '/api/v1/admin/teams', { name: 'Tổ X', wardCode: '20242' })).json();
    await h.say('+84905860001', `TNV ${team.inviteCode}`);
    const cookie = await consoleSessions(h).member('+84905860001');
    const events = await readEvents(
      `${h.baseUrl}/console/inbox/events`,
      cookie,
      (text) => text.includes('"kind":"opened"'),
      () => h.say('+84905869001', 'GAP giúp tôi'),
      15_000,
    );
    const [handoff] = await h.services.handoffs.list({ status: 'open' });
    expect(events.text).toContain(`event: handoff\ndata: {"id":${handoff?.id},"kind":"opened"}\n\n`);
    expect(events.text).not.toContain('giúp');
  });
});
