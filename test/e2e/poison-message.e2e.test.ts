import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { menuCopy } from '../../flows/menu/menu.copy.ts';
import { maintenanceJobDeps } from '../../src/app/worker.ts';
import type { Flow } from '../../src/engine/flow-kit.ts';
import { renderSmsText } from '../../src/messaging/sms-render.ts';
import { createMaintenanceJob } from '../../src/pipeline/maintenance-job.ts';
import { DEFECT_ATTEMPTS } from '../../src/pipeline/turn-job.ts';
import { AppError } from '../../src/shared/errors.ts';
import { telegramTextUpdate } from '../fakes/fake-telegram-server.ts';
import { AppHarness, TELEGRAM_WEBHOOK_SECRET } from '../support/app-harness.ts';
import { eventually } from '../support/services.ts';

// A message whose turn always throws (a defect in a flow) must not silence the person: after its last attempt it
// is marked failed and kept for a person to look at, the person is told once, their next message is answered,
// the failure is counted in /metrics, and the maintenance job leaves it alone.

/** How many times the broken flow ran (each a turn of the poison message). */
let explosions = 0;

/** A flow with a bug: starting it always throws a plain Error, as a defect in a flow would. */
const brokenFlow: Flow = {
  id: 'broken',
  version: 1,
  async start() {
    explosions += 1;
    throw new Error('a bug in a flow (no personal data here)');
  },
  async resume() {
    throw new Error('a bug in a flow');
  },
  prompt: () => [],
};

/** A flow with a bug reported as our own error, not marked retryable (the worker would not retry it at all). */
const brokenAppFlow: Flow = {
  ...brokenFlow,
  id: 'broken-app-error',
  async start() {
    throw new AppError('BROKEN_STATE', 'a state this flow cannot handle');
  },
};

describe('a message whose turn always throws', () => {
  let h: AppHarness;
  const phone = '+84905770001';

  beforeAll(async () => {
    h = await AppHarness.start({
      channels: ['telegram'],
      extraFlows: {
        flows: [brokenFlow, brokenAppFlow],
        keywords: [
          { keywords: ['BOOM'], command: { type: 'start', flowId: 'broken' } },
          { keywords: ['BOOM2'], command: { type: 'start', flowId: 'broken-app-error' } },
        ],
      },
    });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('is given up on after its last attempt: the person is told once, and their next message is answered', async () => {
    const sorry = renderSmsText({ text: menuCopy.vi.failed() }, 'gsm7');
    const menu = renderSmsText({ text: menuCopy.vi.menu() }, 'gsm7');
    expect((await h.sms(phone, 'BOOM')).status).toBe(200);
    expect((await h.sms(phone, 'HD')).status).toBe(200);

    expect(await h.waitForInbox(phone, 2, 30_000)).toEqual([sorry, menu]);
    await h.waitForIdle();
    expect(h.inbox(phone)).toEqual([sorry, menu]);
    expect(explosions).toBe(DEFECT_ATTEMPTS);

    // The failed message is kept, handled, with its attempts and the error's class (not its message).
    const { rows } = await h.services.db.query<{
      attempts: number;
      defect_attempts: number;
      error_class: string;
      failed: boolean;
      processed: boolean;
    }>(
      `SELECT attempts, defect_attempts, error_class, failed_at IS NOT NULL AS failed,
              processed_at IS NOT NULL AS processed
       FROM inbound_messages WHERE failed_at IS NOT NULL`,
    );
    expect(rows).toEqual([
      {
        attempts: DEFECT_ATTEMPTS,
        defect_attempts: DEFECT_ATTEMPTS,
        error_class: 'Error',
        failed: true,
        processed: true,
      },
    ]);
    const scrape = await (await fetch(`${h.baseUrl}/metrics`)).text();
    expect(scrape).toMatch(/^dcz_inbound_failed_total\{channel="twilio-sms"\} 1$/m);
    // The log says which message and why, without the text or the phone.
    const failedLines = h.logLines.filter((line) => line.includes('failed for good'));
    expect(failedLines).toHaveLength(1);
    expect(failedLines.join('\n')).not.toContain('905770001');
    expect(h.logLines.join('\n')).not.toContain('no personal data here');
  }, 60_000);

  it('is not queued again by the maintenance job, nor purged with the handled messages', async () => {
    // As if it failed long ago (but within the days a failed message is kept).
    await h.services.db.query(
      `UPDATE inbound_messages SET received_at = received_at - interval '3 days',
         failed_at = failed_at - interval '3 days' WHERE failed_at IS NOT NULL`,
    );
    expect(await h.services.inbox.stalledConversations(0)).toEqual([]);
    const before = explosions;
    await createMaintenanceJob(maintenanceJobDeps(h.services))();
    expect(await h.services.queues.inbound.getJobCounts('wait', 'active', 'delayed')).toEqual({
      wait: 0,
      active: 0,
      delayed: 0,
    });
    await h.waitForIdle();
    expect(explosions).toBe(before);
    expect(h.inbox(phone)).toHaveLength(2);
    const { rows } = await h.services.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM inbound_messages WHERE failed_at IS NOT NULL',
    );
    expect(rows[0]?.n).toBe(1);
  });

  it('is listed for a person to look at, without its text', async () => {
    const listed = await h.admin('GET', '/api/v1/admin/failed-messages');
    expect(listed.statusCode).toBe(200);
    expect(listed.json()).toEqual({
      messages: [
        {
          id: expect.any(Number),
          channel: 'twilio-sms',
          receivedAt: expect.any(String),
          failedAt: expect.any(String),
          attempts: DEFECT_ATTEMPTS,
          errorClass: 'Error',
        },
      ],
      next: null,
    });
    expect(listed.body).not.toContain('BOOM');
    expect(listed.body).not.toContain('905770001');
  });

  it('leaves the person free to use the service: a later message is answered at once', async () => {
    const replies = await h.say(phone, 'HD');
    expect(replies).toEqual([renderSmsText({ text: menuCopy.vi.menu() }, 'gsm7')]);
    await eventually(async () => (await h.services.inbox.stalledConversations(0)).length === 0);
  });

  it('tries a defect reported as an AppError not marked retryable the same way: three times, then the apology', async () => {
    const other = '+84905770002';
    const sorry = renderSmsText({ text: menuCopy.vi.failed() }, 'gsm7');
    expect((await h.sms(other, 'BOOM2')).status).toBe(200);
    expect(await h.waitForInbox(other, 1, 30_000)).toEqual([sorry]);
    const { rows } = await h.services.db.query<{ attempts: number; error_class: string }>(
      'SELECT attempts, error_class FROM inbound_messages WHERE failed_at IS NOT NULL ORDER BY id DESC LIMIT 1',
    );
    expect(rows).toEqual([{ attempts: DEFECT_ATTEMPTS, error_class: 'BROKEN_STATE' }]);
    const scrape = await (await fetch(`${h.baseUrl}/metrics`)).text();
    expect(scrape).toMatch(/^dcz_inbound_failed_total\{channel="twilio-sms"\} 2$/m);
  }, 60_000);

  it('tells a messenger user in their own language', async () => {
    const chatId = 577_003;
    const texts = () =>
      (h.fakes.telegram?.sent ?? []).filter((m) => m.chatId === String(chatId)).map((m) => m.text);
    let update = 577_100;
    const send = async (text: string) => {
      update += 1;
      const response = await h.postJson(
        '/webhooks/telegram',
        JSON.stringify(telegramTextUpdate(update, chatId, text)),
        {
          'x-telegram-bot-api-secret-token': TELEGRAM_WEBHOOK_SECRET,
        },
      );
      expect(response.status).toBe(200);
    };
    await send('EN');
    await eventually(() => texts().length === 1);
    await send('BOOM');
    await eventually(() => texts().length === 2, 30_000);
    expect(texts()[1]).toBe(menuCopy.en.failed());
    const scrape = await (await fetch(`${h.baseUrl}/metrics`)).text();
    expect(scrape).toMatch(/^dcz_inbound_failed_total\{channel="telegram"\} 1$/m);
  }, 60_000);
});
