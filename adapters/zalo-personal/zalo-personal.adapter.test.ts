import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { type API, ThreadType } from 'zca-js';
import {
  type Listening,
  type OutboundMessage,
  type Reply,
  renderSmsText,
  type WebhookEvent,
} from '../../src/messaging/index.ts';
import { SendFailedError } from '../../src/shared/errors.ts';
import { createFakeZaloPersonal, type FakeZaloPersonal } from '../../test/fakes/fake-zalo-personal.ts';
import {
  createZaloPersonalAdapter,
  ZALO_PERSONAL_RATE_LIMITS,
  type ZaloPersonalAdapterOptions,
} from './zalo-personal.adapter.ts';
import type { ZaloPersonalPort } from './zalo-personal.port.ts';

const OWN_ID = '7000000000000000001';
const CITIZEN = '8000000000000000002';
const OTHER_MEMBER = '8000000000000000004';
const GROUP = '9000000000000000003';
const INITIAL_DELAY = 5;
const MAX_DELAY = 60;

type LogEntry = { event: string; details: Record<string, string | number | boolean> | undefined };

const running: Listening[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((listening) => listening.stop()));
});

function setup(
  overrides: Partial<ZaloPersonalAdapterOptions> = {},
  sink?: (event: WebhookEvent) => Promise<void>,
) {
  const zalo = createFakeZaloPersonal({ ownId: OWN_ID });
  const logs: LogEntry[] = [];
  const events: WebhookEvent[] = [];
  const adapter = createZaloPersonalAdapter({
    connect: () => zalo.connect(),
    reconnect: { initialDelayMs: INITIAL_DELAY, maxDelayMs: MAX_DELAY },
    sinkRetry: { attempts: 3, initialDelayMs: 5 },
    log: (event, details) => logs.push({ event, details }),
    ...overrides,
  });
  const listen = async () => {
    const listening = await adapter.listen(
      sink ??
        (async (event) => {
          events.push(event);
        }),
    );
    running.push(listening);
    return listening;
  };
  const logged = (event: string) => logs.filter((entry) => entry.event === event);
  return { zalo, adapter, logs, events, listen, logged };
}

/** Resolves once the fake listener has been started `n` times and, if asked, has emitted `connected`. */
async function startedTimes(zalo: FakeZaloPersonal, n: number): Promise<void> {
  await vi.waitFor(() => expect(zalo.listener.starts).toHaveLength(n), { timeout: 2000, interval: 2 });
}

describe('receiving', () => {
  it('hands a direct text message to the sink as an inbound message', async () => {
    const { zalo, events, listen } = setup();
    await listen();
    const ts = Date.parse('2026-11-27T03:15:00.000Z');
    const message = zalo.receiveText(CITIZEN, 'Đăng ký', { msgId: '7311234567890', ts });
    expect(message.type).toBe(ThreadType.User);
    await vi.waitFor(() => expect(events).toHaveLength(1));
    expect(events[0]).toEqual({
      type: 'message',
      message: {
        channel: 'zalo-personal',
        providerMessageId: '7311234567890',
        from: CITIZEN,
        text: 'Đăng ký',
        receivedAt: '2026-11-27T03:15:00.000Z',
      },
    });
  });

  it('ignores the echo of a message the account sent itself', async () => {
    const { zalo, events, listen } = setup();
    await listen();
    expect(zalo.receiveSelf(CITIZEN, 'Chào bạn').isSelf).toBe(true);
    zalo.receiveText(CITIZEN, 'Tra cứu');
    await vi.waitFor(() => expect(events).toHaveLength(1));
    expect(events[0]?.type === 'message' && events[0].message.text).toBe('Tra cứu');
  });

  it('ignores a group message that does not mention the account', async () => {
    const { zalo, events, listen } = setup();
    await listen();
    zalo.receiveGroupText(GROUP, CITIZEN, 'Mai họp tổ dân phố lúc 8 giờ');
    zalo.receiveText(CITIZEN, 'marker');
    await vi.waitFor(() => expect(events).toHaveLength(1));
    expect(events[0]?.type === 'message' && events[0].message.text).toBe('marker');
  });

  it('turns a group message mentioning the account into a private message from its sender', async () => {
    const { zalo, events, listen } = setup();
    await listen();
    const message = zalo.receiveGroupText(GROUP, CITIZEN, 'cho tôi đăng ký tài khoản', {
      mentionOwn: true,
      msgId: '7319999999999',
    });
    expect(message.type).toBe(ThreadType.Group);
    expect(message.threadId).toBe(GROUP);
    await vi.waitFor(() => expect(events).toHaveLength(1));
    expect(events[0]).toMatchObject({
      type: 'message',
      message: {
        channel: 'zalo-personal',
        providerMessageId: '7319999999999',
        from: CITIZEN,
        text: 'cho tôi đăng ký tài khoản',
      },
    });
  });

  it('hands a sticker or photo in a direct thread on as a message with empty text', async () => {
    const { zalo, events, listen } = setup();
    await listen();
    zalo.receiveAttachment(CITIZEN);
    zalo.receiveAttachment(CITIZEN, { msgType: 'chat.photo' });
    await vi.waitFor(() => expect(events).toHaveLength(2));
    for (const event of events) {
      expect(event).toMatchObject({ type: 'message', message: { from: CITIZEN, text: '' } });
    }
  });

  it('keeps messages from different people apart', async () => {
    const { zalo, events, listen } = setup();
    await listen();
    zalo.receiveText(CITIZEN, 'một');
    zalo.receiveText(OTHER_MEMBER, 'hai');
    await vi.waitFor(() => expect(events).toHaveLength(2));
    expect(events.map((e) => (e.type === 'message' ? e.message.from : ''))).toEqual([CITIZEN, OTHER_MEMBER]);
  });

  it('attaches an error listener before starting, and survives an emitted error', async () => {
    const { zalo, listen, logged } = setup();
    await listen();
    expect(zalo.listener.starts[0]?.errorListeners).toBeGreaterThanOrEqual(1);
    expect(zalo.listener.starts[0]?.options).toEqual({ retryOnClose: true });
    expect(() => zalo.listener.emit('error', new Error('decode failed'))).not.toThrow();
    expect(logged('zalo-personal.listener_error')).toEqual([
      { event: 'zalo-personal.listener_error', details: { error: 'Error' } },
    ]);
  });

  it('accepts a friend request, and logs a failed acceptance without throwing', async () => {
    const { zalo, listen, logged } = setup();
    await listen();
    zalo.friendRequest(CITIZEN);
    await vi.waitFor(() => expect(zalo.accepted).toEqual([CITIZEN]));
    zalo.failNextAccept(222);
    zalo.friendRequest(OTHER_MEMBER);
    await vi.waitFor(() => expect(logged('zalo-personal.friend_request_failed')).toHaveLength(1));
    expect(logged('zalo-personal.friend_request_failed')[0]?.details).toEqual({ error: 'zalo:222' });
    expect(zalo.accepted).toEqual([CITIZEN]);
  });

  it('redelivers a message whose sink call failed, logging each failure', async () => {
    let calls = 0;
    const delivered: WebhookEvent[] = [];
    const { zalo, listen, logged } = setup({}, async (event) => {
      calls++;
      if (calls <= 2) throw new Error('queue unavailable');
      delivered.push(event);
    });
    await listen();
    zalo.receiveText(CITIZEN, 'Đăng ký', { msgId: '7310000000042' });
    await vi.waitFor(() => expect(delivered).toHaveLength(1));
    expect(logged('zalo-personal.sink_failed').map((entry) => entry.details)).toEqual([
      { providerMessageId: '7310000000042', attempt: 1, final: false, error: 'Error' },
      { providerMessageId: '7310000000042', attempt: 2, final: false, error: 'Error' },
    ]);
  });

  it('logs a final sink failure after the last attempt instead of crashing', async () => {
    const { zalo, listen, logged } = setup({}, async () => {
      throw new Error('queue unavailable');
    });
    await listen();
    zalo.receiveText(CITIZEN, 'Đăng ký', { msgId: '7310000000043' });
    await vi.waitFor(() => expect(logged('zalo-personal.sink_failed')).toHaveLength(3));
    expect(logged('zalo-personal.sink_failed')[2]?.details).toMatchObject({ attempt: 3, final: true });
  });

  it('never logs uids or message text', async () => {
    const { zalo, listen, logs } = setup({}, async () => {
      throw new Error(`boom ${CITIZEN}`);
    });
    await listen();
    zalo.receiveText(CITIZEN, 'CCCD 048090001234');
    zalo.friendRequest(CITIZEN);
    zalo.close(1006, '');
    await vi.waitFor(() =>
      expect(logs.filter((l) => l.event === 'zalo-personal.sink_failed')).toHaveLength(3),
    );
    const text = JSON.stringify(logs);
    expect(text).not.toContain(CITIZEN);
    expect(text).not.toContain('048090001234');
  });
});

describe('connection', () => {
  it('reconnects after an abnormal close (1006) with back-off, and messages flow again', async () => {
    const { zalo, events, listen, logged } = setup();
    await listen();
    await vi.waitFor(() => expect(logged('zalo-personal.connected')).toHaveLength(1));
    zalo.close(1006, '');
    const [scheduled] = logged('zalo-personal.reconnect_scheduled');
    expect(scheduled?.details).toMatchObject({ attempt: 1, code: 1006 });
    expect(Number(scheduled?.details?.delayMs)).toBeGreaterThanOrEqual(INITIAL_DELAY);
    expect(zalo.listener.starts).toHaveLength(1);
    await startedTimes(zalo, 2);
    await vi.waitFor(() => expect(logged('zalo-personal.connected')).toHaveLength(2));
    expect(zalo.connects).toBe(1); // zca-js resets its socket on close: the same listener starts again
    zalo.receiveText(CITIZEN, 'Tôi quay lại');
    await vi.waitFor(() => expect(events).toHaveLength(1));
  });

  it('logs in anew when the restarted listener closes again before connecting, with a longer delay', async () => {
    const { zalo, listen, logged } = setup();
    await listen();
    await vi.waitFor(() => expect(logged('zalo-personal.connected')).toHaveLength(1));
    zalo.listener.connectOnStart = false;
    zalo.close(1006, '');
    await startedTimes(zalo, 2);
    zalo.listener.connectOnStart = true;
    zalo.close(1006, '');
    await startedTimes(zalo, 3);
    expect(zalo.connects).toBe(2);
    const delays = logged('zalo-personal.reconnect_scheduled').map((entry) => entry.details);
    expect(delays.map((d) => d?.attempt)).toEqual([1, 2]);
    expect(Number(delays[1]?.delayMs)).toBeGreaterThanOrEqual(2 * INITIAL_DELAY);
    await vi.waitFor(() => expect(logged('zalo-personal.connected')).toHaveLength(2));
  });

  it('waits the maximum delay after a duplicate connection (3000, Zalo Web opened elsewhere)', async () => {
    const { zalo, listen, logged } = setup();
    await listen();
    zalo.close(3000, '');
    expect(logged('zalo-personal.duplicate_connection')).toHaveLength(1);
    const [scheduled] = logged('zalo-personal.reconnect_scheduled');
    expect(scheduled?.details).toMatchObject({ attempt: 1, code: 3000 });
    expect(Number(scheduled?.details?.delayMs)).toBeGreaterThanOrEqual(MAX_DELAY);
    await sleep(MAX_DELAY / 2);
    expect(zalo.listener.starts).toHaveLength(1);
    await startedTimes(zalo, 2);
  });

  it('does not reconnect after stop(), even when a close was pending', async () => {
    const { zalo, listen, logged } = setup();
    const listening = await listen();
    zalo.close(1006, '');
    await listening.stop();
    await sleep(MAX_DELAY);
    expect(zalo.listener.starts).toHaveLength(1);
    expect(zalo.listener.running).toBe(false);
    expect(logged('zalo-personal.stopped')).toHaveLength(1);
  });

  it('stops the listener on stop() and ignores the 1000 close that follows', async () => {
    const { zalo, listen, logged } = setup();
    const listening = await listen();
    await vi.waitFor(() => expect(logged('zalo-personal.connected')).toHaveLength(1));
    await listening.stop();
    expect(zalo.listener.stops).toBe(1);
    await sleep(MAX_DELAY);
    expect(zalo.listener.starts).toHaveLength(1);
    expect(logged('zalo-personal.reconnect_scheduled')).toHaveLength(0);
  });

  it('closes a socket the library reopens on its own after stop()', async () => {
    const { zalo, listen, logged } = setup();
    const listening = await listen();
    await listening.stop();
    await sleep(5);
    zalo.listener.start({ retryOnClose: true }); // zca-js's own retry timer firing late
    await vi.waitFor(() => expect(logged('zalo-personal.orphan_listener_stopped')).toHaveLength(1));
    expect(zalo.listener.running).toBe(false);
  });

  it('retries a failed login with back-off until the listener starts', async () => {
    const { zalo, listen, logged } = setup();
    zalo.failNextConnect();
    await listen();
    expect(logged('zalo-personal.connect_failed')).toEqual([
      { event: 'zalo-personal.connect_failed', details: { error: 'ZaloApiError' } },
    ]);
    await startedTimes(zalo, 1);
    expect(zalo.connects).toBe(2);
  });

  it('refuses a second listen() while one is running, and allows one after stop()', async () => {
    const { adapter, listen } = setup();
    const listening = await listen();
    await expect(adapter.listen(async () => {})).rejects.toThrow(/already listening/);
    await listening.stop();
    const again = await listen();
    await again.stop();
  });
});

describe('sending', () => {
  const outbound = (reply: Reply): OutboundMessage => ({
    channel: 'zalo-personal',
    to: CITIZEN,
    reply,
    language: 'vi',
    clientRef: 'out_01',
  });
  /** A messenger menu as the flows write it: the text names the numbers to answer with; choices are buttons. */
  const menu: Reply = {
    text: 'Công dân số Đà Nẵng. Trả lời số hoặc từ khóa:\n1 DK: Đăng ký tài khoản\n2 TT: Xem trạng thái',
    choices: [
      { label: 'Đăng ký tài khoản', payload: 'DK' },
      { label: 'Xem trạng thái', payload: 'TT' },
    ],
  };

  it('sends the reply rendered like a unicode SMS to the direct thread (ThreadType.User = 0)', async () => {
    const { zalo, adapter } = setup();
    const receipt = await adapter.send(outbound(menu));
    const [sent] = await zalo.waitForSent(1);
    expect(sent).toMatchObject({ threadId: CITIZEN, type: 0, msg: renderSmsText(menu, 'unicode') });
    expect(sent?.msg.startsWith(menu.text)).toBe(true);
    expect(receipt).toEqual({ providerMessageId: String(sent?.msgId) });
  });

  it('keeps full diacritics in NFC and shows a phone request as text only', async () => {
    const { zalo, adapter } = setup();
    const decomposed = 'Vui lòng gửi số điện thoại của bạn'.normalize('NFD');
    await adapter.send(outbound({ text: decomposed, requestPhone: true }));
    const [sent] = await zalo.waitForSent(1);
    expect(sent?.msg).toBe('Vui lòng gửi số điện thoại của bạn'.normalize('NFC'));
  });

  it('logs in lazily once and shares the connection with the listener', async () => {
    const { zalo, adapter, listen } = setup();
    await adapter.send(outbound({ text: 'Một' }));
    await adapter.send(outbound({ text: 'Hai' }));
    await listen();
    expect(zalo.connects).toBe(1);
    expect(zalo.listener.starts).toHaveLength(1);
  });

  it('reports a login failure as a retryable send failure and logs in again next time', async () => {
    const { zalo, adapter } = setup();
    zalo.failNextConnect();
    const error = await adapter.send(outbound({ text: 'Một' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SendFailedError);
    expect(error).toMatchObject({ retryable: true, code: 'SEND_FAILED_TEMPORARY' });
    await adapter.send(outbound({ text: 'Một' }));
    expect(zalo.connects).toBe(2);
  });

  async function sendFailure(code: number | null): Promise<SendFailedError> {
    const { zalo, adapter } = setup();
    zalo.failNextSend(code);
    const error = await adapter.send(outbound({ text: 'Mã OTP của bạn là 123456' })).catch((e: unknown) => e);
    if (!(error instanceof SendFailedError))
      throw new Error(`expected SendFailedError, got ${String(error)}`);
    expect(error.message).not.toContain(CITIZEN);
    expect(error.message).not.toContain('123456');
    expect(JSON.stringify(error.context)).not.toContain(CITIZEN);
    return error;
  }

  it.each([114, 122])(
    'records Zalo code %i (no relationship / blocks strangers) as permanent',
    async (code) => {
      const error = await sendFailure(code);
      expect(error).toMatchObject({
        retryable: false,
        code: 'SEND_FAILED_PERMANENT',
        providerCode: `zalo:${code}`,
      });
    },
  );

  it('retries Zalo code 123 (rate limit or duplicate) after a minute', async () => {
    const error = await sendFailure(123);
    expect(error).toMatchObject({ retryable: true, providerCode: 'zalo:123', retryAfterMs: 60_000 });
  });

  it('retries an HTTP failure and any other Zalo code', async () => {
    expect(await sendFailure(null)).toMatchObject({ retryable: true, providerCode: undefined });
    expect((await sendFailure(null)).message).toContain('HTTP 502');
    expect(await sendFailure(-69)).toMatchObject({ retryable: true, providerCode: 'zalo:-69' });
  });

  it('retries an error that is not from zca-js', async () => {
    const zalo = createFakeZaloPersonal({ ownId: OWN_ID });
    const broken: ZaloPersonalPort = {
      listener: zalo.listener,
      getOwnId: () => OWN_ID,
      acceptFriendRequest: async () => '',
      sendMessage: async () => {
        throw new TypeError('fetch failed');
      },
    };
    const adapter = createZaloPersonalAdapter({ connect: async () => broken });
    const error = await adapter.send(outbound({ text: 'Một' })).catch((e: unknown) => e);
    expect(error).toMatchObject({ retryable: true, message: 'Zalo personal send failed (TypeError)' });
  });
});

describe('adapter shape', () => {
  it('only listens (no webhooks) and declares slow default rate limits', () => {
    const { adapter } = setup();
    expect(adapter.channel).toBe('zalo-personal');
    expect(adapter.webhooks).toEqual([]);
    expect(typeof adapter.listen).toBe('function');
    expect(adapter.rateLimits).toEqual({
      overall: { limit: 1, intervalMs: 2000 },
      perRecipient: { limit: 1, intervalMs: 3000 },
    });
    expect(adapter.rateLimits).toBe(ZALO_PERSONAL_RATE_LIMITS);
  });

  it('is satisfied by the API object zca-js logs in with', () => {
    expectTypeOf<API>().toExtend<ZaloPersonalPort>();
    const asPort = (api: API): ZaloPersonalPort => api;
    expect(asPort).toBeTypeOf('function');
  });
});
