import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

/** A logger at `level` writing into memory. */
function capture(level: string) {
  const lines: string[] = [];
  return { logger: createLogger(level, { write: (line: string) => lines.push(line) }), lines };
}

describe('the logger', () => {
  it('redacts secret headers wherever a plugin logs them, at trace (multipart logged an agency API key)', () => {
    const { logger, lines } = capture('trace');
    const headers = {
      authorization: 'Bearer dcz_ak_hidden-agency-key',
      cookie: 'console_session=hidden-session',
      'x-twilio-signature': 'hidden-twilio-signature',
      'x-telegram-bot-api-secret-token': 'hidden-telegram-token',
      'x-zevent-signature': 'hidden-zalo-signature',
      'x-signature': 'sha256=hidden-gateway-signature',
      'content-type': 'multipart/form-data',
    };
    // What @fastify/multipart logs at trace before parsing a form.
    logger.trace({ busboyOptions: { headers, limits: { fileSize: 1 } } }, 'Providing options to busboy');
    logger.info({ req: { headers } }, 'incoming request');

    const logged = lines.join('');
    expect(logged).toContain('multipart/form-data');
    expect(logged).not.toContain('hidden');
  });

  it('redacts phone, text, body, CCCD and full name one level down', () => {
    const { logger, lines } = capture('info');
    logger.info(
      {
        sms: {
          phone: '+84905123456',
          text: 'DK Nguyen Van An',
          body: 'x',
          cccd: '048090001234',
          fullName: 'An',
        },
      },
      'something',
    );

    expect(lines.join('')).not.toMatch(/84905123456|Nguyen|048090001234|"An"/);
  });
});
