import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_CHAT_LIMITS } from '../../src/app/http.ts';
import { devOutboxOn } from '../../src/app/services.ts';
import { AppHarness } from '../support/app-harness.ts';

/**
 * The web chat's HTTP contract on a service with an SMS channel (Twilio, the harness's default): the session
 * cookie, malformed messages, the per-session rate limit, and no development outbox.
 */
describe('the web chat over HTTP', () => {
  let h: AppHarness;

  beforeAll(async () => {
    h = await AppHarness.start();
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** Opens the page and resolves the session cookie (`name=value`) it set. */
  const openSession = async () => {
    const page = await h.app.inject({ method: 'GET', url: '/' });
    const cookie = String(page.headers['set-cookie']).split(';')[0] ?? '';
    return { page, cookie };
  };
  const post = (cookie: string | null, payload: string, ip = '127.0.0.1') =>
    h.app.inject({
      method: 'POST',
      url: '/chat/messages',
      remoteAddress: ip,
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      payload,
    });

  it('sets a secure, HTTP-only, same-site session cookie holding a long random id, and a strict CSP', async () => {
    const { page, cookie } = await openSession();
    expect(page.statusCode).toBe(200);
    const header = String(page.headers['set-cookie']);
    // `Secure` in production; outside it, over plain HTTP, the flag is left out (src/http/cookie-security.ts).
    expect(header).toMatch(/^chat_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax$/);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.body).not.toMatch(/<script>|<script [^>]*>[^<]/);
    // A returning browser keeps its session.
    const again = await h.app.inject({ method: 'GET', url: '/', headers: { cookie } });
    expect(again.headers['set-cookie']).toBeUndefined();
    expect((await openSession()).cookie).not.toBe(cookie);
  });

  it('is not in development mode with an SMS channel', async () => {
    expect(h.services.smsChannel).toBe('twilio-sms');
    expect(h.services.devOutbox).toBe(false);
    expect(h.logLines.some((line) => line.includes('development mode'))).toBe(false);
    const { page } = await openSession();
    expect(page.body).not.toContain('Chế độ phát triển');
    expect(page.body).not.toContain('dev-sms');
    expect(devOutboxOn({ NODE_ENV: 'development' }, 'sms-gateway')).toBe(false);
    expect(devOutboxOn({ NODE_ENV: 'production' }, null)).toBe(false);
    expect(devOutboxOn({ NODE_ENV: 'development' }, null)).toBe(true);
  });

  it('refuses malformed messages (400) and messages without a session (403)', async () => {
    const { cookie } = await openSession();
    for (const body of [
      '{}',
      '{"text":""}',
      '{"text":"   "}',
      '{"text":42}',
      '{"start":false}',
      '[1]',
      '{"x":',
      `{"text":"${'a'.repeat(1001)}"}`,
      '{"text":"DK","start":true}',
      '{"text":"DK","extra":1}',
    ]) {
      const response = await post(cookie, body);
      expect(response.statusCode, body).toBe(400);
      expect(response.json().error.code, body).toBe('VALIDATION');
    }
    const noSession = await post(null, '{"text":"DK"}');
    expect(noSession.statusCode).toBe(403);
    expect(noSession.json().error.code).toBe('NO_SESSION');
    expect((await post('chat_session=not-a-session', '{"text":"DK"}')).statusCode).toBe(403);
    const events = await h.app.inject({ method: 'GET', url: '/chat/events' });
    expect(events.statusCode).toBe(403);
  });

  it('accepts a message into the inbox (202) and limits each session to 20 a minute (429)', async () => {
    const { cookie } = await openSession();
    const statuses: number[] = [];
    for (let i = 0; i < WEB_CHAT_LIMITS.session; i += 1) {
      statuses.push((await post(cookie, JSON.stringify({ text: `MENU ${i}` }), '10.0.0.7')).statusCode);
    }
    expect(new Set(statuses)).toEqual(new Set([202]));
    const limited = await post(cookie, '{"text":"TT"}', '10.0.0.7');
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error).toMatchObject({
      code: 'RATE_LIMITED',
      message: expect.stringMatching(/Too many/),
    });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another session is not held back; a message sent again with its id is stored once.
    const again = await openSession();
    const id = '6f1c9a52-3c4e-4d7a-9b8e-2f0a1b2c3d4e';
    const twice = [
      await post(again.cookie, JSON.stringify({ text: 'TT', id }), '10.0.0.9'),
      await post(again.cookie, JSON.stringify({ text: 'TT', id }), '10.0.0.9'),
    ];
    expect(twice.map((r) => r.statusCode)).toEqual([202, 202]);
    const { rows } = await h.services.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM inbound_messages WHERE conversation_key = $1',
      [h.services.conversationKeyOf('web', decodeURIComponent(again.cookie.split('=')[1] ?? ''))],
    );
    expect(rows[0]?.n).toBe(1);
    const other = await openSession();
    expect((await post(other.cookie, '{"text":"TT"}', '10.0.0.8')).statusCode).toBe(202);
  });

  it('streams a reply sent by a worker in another process to the browser’s event stream', async () => {
    const web = await AppHarness.start({ workers: 0 });
    const worker = web.spawnWorker();
    try {
      await worker.ready;
      const page = await fetch(`${web.baseUrl}/`);
      const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const controller = new AbortController();
      const events = await fetch(`${web.baseUrl}/chat/events`, {
        headers: { cookie },
        signal: controller.signal,
      });
      expect(events.status).toBe(200);
      expect(events.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const accepted = await fetch(`${web.baseUrl}/chat/messages`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ start: true }),
      });
      expect(accepted.status).toBe(202);
      const reader = (events.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let text = '';
      while (!text.includes('event: entry')) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value);
      }
      const data = /data: (.*)\n/.exec(text.slice(text.indexOf('event: entry')))?.[1] ?? '{}';
      expect(JSON.parse(data)).toMatchObject({ kind: 'reply', text: expect.stringMatching(/^Chào mừng/) });
      expect(text).toMatch(/^retry: 3000\n\nid: \d+-\d+\n/);
      controller.abort();
      // The outbox keeps the record, like every channel's (accepted by the "provider": the session's feed).
      const session = cookie.split('=')[1] ?? '';
      expect(await web.lastOutbound('web', session)).toMatchObject({ status: 'queued', attempts: 1 });
    } finally {
      worker.child.kill('SIGTERM');
      await worker.exited;
      await web.stop();
    }
  });

  it('serves its own script and style sheet', async () => {
    const js = await h.app.inject({ method: 'GET', url: '/chat/app.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    expect(js.body).toContain("new EventSource('/chat/events')");
    const css = await h.app.inject({ method: 'GET', url: '/chat/app.css' });
    expect(css.headers['content-type']).toMatch(/^text\/css/);
  });
});
