import pino, { type Logger } from 'pino';

/** What the request serializer reads of a fastify request. */
interface LoggedRequest {
  readonly id?: string;
  readonly method?: string;
  readonly is404?: boolean;
  readonly routeOptions?: { readonly url?: string };
}

/** The pattern of the route a request matched (`/s/:token`), or `(no route)`: never the URL as sent. */
function routeOf(req: LoggedRequest): string {
  return req.is404 === false && req.routeOptions?.url ? req.routeOptions.url : '(no route)';
}

/**
 * The service's logger: JSON lines. Personal data never reaches it: a request is logged by the route that matched
 * (`/s/:token`, `/api/v1/admin/citizens`), never by the URL as sent, which may carry a share token, a phone
 * number in its query, or any of them percent-encoded; headers that carry secrets are redacted as a second guard,
 * wherever a plugin logs them (test/e2e/log-scan.e2e.test.ts runs a whole campaign at `trace` and scans the lines).
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'digital-citizen' },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers["x-twilio-signature"]',
        'req.headers.cookie',
        // Plugins log headers under their own keys at debug/trace (@fastify/multipart: `busboyOptions.headers`).
        '*.headers.authorization',
        '*.headers["x-twilio-signature"]',
        '*.headers["x-telegram-bot-api-secret-token"]',
        '*.headers["x-zevent-signature"]',
        '*.headers["x-signature"]',
        '*.headers.cookie',
        '*.phone',
        '*.text',
        '*.body',
        '*.cccd',
        '*.fullName',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req: (req: LoggedRequest) => ({ id: req.id, method: req.method, route: routeOf(req) }),
      err: pino.stdSerializers.err,
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
