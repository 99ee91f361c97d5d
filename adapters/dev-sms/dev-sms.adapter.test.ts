import { describe, expect, it } from 'vitest';
import type { OutboundMessage, WebChatEntry } from '../../src/messaging/index.ts';
import { SendFailedError } from '../../src/shared/errors.ts';
import { createDevSmsAdapter, DEV_PHONE_NOT_ADOPTED } from './dev-sms.adapter.ts';

const ADOPTED = '+84905000001';
const REAL = '+84905000002';

function adapterWithFeed() {
  const pushed: { phone: string; entry: WebChatEntry }[] = [];
  const adapter = createDevSmsAdapter({
    feed: {
      async push(phone, entry) {
        pushed.push({ phone, entry });
        return `${pushed.length}-0`;
      },
    },
    phones: { adopt: async (phone) => phone === ADOPTED },
    smsEncoding: 'gsm7',
  });
  return { adapter, pushed };
}

const message = (to: string, text: string): OutboundMessage => ({
  channel: 'dev-sms',
  to,
  reply: { text, choices: [{ label: 'Đồng ý', payload: 'CO' }] },
  language: 'vi',
  clientRef: '7',
});

describe('dev-sms adapter', () => {
  it('writes the text as an SMS adapter sends it, with its count, to the phone’s feed', async () => {
    const { adapter, pushed } = adapterWithFeed();
    expect(await adapter.send(message(ADOPTED, 'Đã mở tài khoản'))).toEqual({
      providerMessageId: 'dev-sms-1-0',
      segments: 1,
    });
    expect(pushed).toEqual([
      {
        phone: ADOPTED,
        entry: {
          kind: 'reply',
          text: expect.stringMatching(/^Da mo tai khoan/),
          language: 'vi',
          choices: [],
          sms: { encoding: 'GSM-7', characters: expect.any(Number), segments: 1 },
        },
      },
    ]);
  });

  it('refuses for good a phone development mode did not adopt, and shows nothing', async () => {
    const { adapter, pushed } = adapterWithFeed();
    const refused = await adapter.send(message(REAL, 'TT')).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SendFailedError);
    expect(refused).toMatchObject({ retryable: false, providerCode: DEV_PHONE_NOT_ADOPTED });
    expect(String((refused as Error).message)).not.toContain(REAL);
    expect(pushed).toEqual([]);
  });
});
