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
 * number in its query, or any of them percent-encoded; headers that carry secrets are redacted as a second guard.
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
