import { describe, expect, it } from 'vitest';
import { type OutboundMessage, renderWebReply, type WebChatEntry } from '../../src/messaging/index.ts';
import { SendFailedError } from '../../src/shared/errors.ts';
import { createWebAdapter } from './web.adapter.ts';

const SESSION = 'a'.repeat(43);

function adapterWithFeed(fail = false) {
  const pushed: { session: string; entry: WebChatEntry }[] = [];
  const adapter = createWebAdapter({
    feed: {
      async push(session, entry) {
        if (fail) throw new Error('redis away');
        pushed.push({ session, entry });
        return `${pushed.length}-0`;
      },
    },
  });
  return { adapter, pushed };
}

const message = (to: string, reply: OutboundMessage['reply']): OutboundMessage => ({
  channel: 'web',
  to,
  reply,
  language: 'vi',
  clientRef: '42',
});

describe('web adapter', () => {
  it('renders text, choices as buttons and the picture, and puts them in the session’s feed', async () => {
    const { adapter, pushed } = adapterWithFeed();
    const reply = {
      text: 'Link chia se\u0301',
      choices: [{ label: 'Đồng ý', payload: 'CO' }],
      image: { url: 'https://example.test/s/x/qr.png', alt: 'Mã QR' },
    };
    expect(await adapter.send(message(SESSION, reply))).toEqual({ providerMessageId: 'web-1-0' });
    expect(pushed).toEqual([
      {
        session: SESSION,
        entry: {
          kind: 'reply',
          text: 'Link chia sé',
          language: 'vi',
          choices: [{ label: 'Đồng ý', payload: 'CO' }],
          image: { url: 'https://example.test/s/x/qr.png', alt: 'Mã QR' },
        },
      },
    ]);
    const qr = { text: 'QR', image: { url: 'https://dcz.example/s/abc/qr.png', alt: 'Mã QR' } };
    expect(renderWebReply(qr, 'vi', 'https://dcz.example/').image?.url).toBe('/s/abc/qr.png');
    expect(renderWebReply(qr, 'vi', 'https://other.example').image?.url).toBe(
      'https://dcz.example/s/abc/qr.png',
    );
    expect(renderWebReply({ text: 'Nhập số', requestPhone: true }, 'en')).toEqual({
      kind: 'reply',
      text: 'Nhập số',
      language: 'en',
      choices: [],
    });
  });

  it('refuses an address that is not a session id for good, and a feed that is away for now', async () => {
    const { adapter } = adapterWithFeed();
    const refused = await adapter.send(message('+84905123456', { text: 'x' })).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SendFailedError);
    expect((refused as SendFailedError).retryable).toBe(false);
    const away = await adapterWithFeed(true)
      .adapter.send(message(SESSION, { text: 'x' }))
      .catch((e: unknown) => e);
    expect((away as SendFailedError).retryable).toBe(true);
    expect(adapter.webhooks).toEqual([]);
  });
});
