/**
 * The one error base of the service. Every error we raise on purpose carries a stable `code` (safe to log and
 * to match on), a `retryable` flag (queues retry only those) and optional non-personal `context` for debugging.
 * Messages and context must never contain personal data: phone numbers, ID numbers, names or message text.
 */
export class AppError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly context: Readonly<Record<string, string | number | boolean>>;

  constructor(
    code: string,
    message: string,
    options: {
      retryable?: boolean;
      cause?: unknown;
      context?: Record<string, string | number | boolean>;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = this.constructor.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.context = options.context ?? {};
  }
}

/** Thrown by a webhook handler when a request is not acceptable; `status` is the HTTP status to answer. */
export class WebhookRejectedError extends AppError {
  readonly status: 400 | 403;

  constructor(status: 400 | 403, code: string, message: string) {
    super(code, message);
    this.status = status;
  }
}

/**
 * Thrown by a channel adapter when a provider refused to send. `retryable: false` marks a permanent refusal
 * (invalid number, opted out at the carrier, blocked bot): the outbound worker records it and never retries.
 */
export class SendFailedError extends AppError {
  readonly providerCode: string | undefined;
  /** For a temporary refusal, how long the provider asked us to wait (e.g. Telegram's `retry_after`). */
  readonly retryAfterMs: number | undefined;

  constructor(
    message: string,
    options: {
      retryable: boolean;
      providerCode?: string | undefined;
      retryAfterMs?: number | undefined;
      cause?: unknown;
      channel: string;
    },
  ) {
    super(options.retryable ? 'SEND_FAILED_TEMPORARY' : 'SEND_FAILED_PERMANENT', message, {
      retryable: options.retryable,
      cause: options.cause,
      context: {
        channel: options.channel,
        ...(options.providerCode ? { providerCode: options.providerCode } : {}),
      },
    });
    this.providerCode = options.providerCode;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * A service we depend on (Redis and the job queues on it) is unreachable or did not answer in time. Retryable:
 * nothing half-done is left that a retry would not finish. HTTP answers it with 503 and `Retry-After`.
 */
export class UnavailableError extends AppError {
  constructor(what: string, cause: unknown) {
    super('UNAVAILABLE', `${what} is unavailable; try again later`, { retryable: true, cause });
  }
}
