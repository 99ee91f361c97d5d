import pino, { type Logger } from 'pino';

/**
 * The service's logger: JSON lines. Personal data never reaches it: request logs carry the path without its query
 * (admin look-ups put a phone number there) and without share tokens, and headers that carry secrets are
 * redacted as a second guard.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'digital-citizen' },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers["x-twilio-signature"]',
        'req.headers.cookie',
        '*.phone',
        '*.text',
        '*.body',
        '*.cccd',
        '*.fullName',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req: (req: { method?: string; url?: string; id?: string }) => ({
        id: req.id,
        method: req.method,
        // Share links carry their token in the path: it is a secret, so only its route is logged.
        path: req.url?.split('?')[0]?.replace(/^\/s\/[^/]+/, '/s/[token]'),
      }),
      err: pino.stdSerializers.err,
    },
  });
}
