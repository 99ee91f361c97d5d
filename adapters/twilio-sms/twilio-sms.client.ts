import twilio from 'twilio';

type RequestOptions = Parameters<InstanceType<typeof twilio.RequestClient>['request']>[0];

/** Any Twilio API host: api.twilio.com, api.sydney.au1.twilio.com, messaging.twilio.com... */
const TWILIO_ORIGIN = /^https:\/\/(?:[a-z0-9-]+\.)*twilio\.com(?::\d+)?(?=[/?#]|$)/i;

/**
 * Rewrites a Twilio API URI onto `apiUrl`, keeping path and query:
 * `https://api.twilio.com/2010-04-01/Accounts/AC…/Messages.json` becomes `${apiUrl}/2010-04-01/Accounts/…`.
 * A path in `apiUrl` (a gateway prefix) is kept in front. URIs outside twilio.com are left alone.
 */
export function rewriteTwilioUri(uri: string, apiUrl: string): string {
  return uri.replace(TWILIO_ORIGIN, apiUrl.replace(/\/+$/, ''));
}

/**
 * twilio-node's own HTTP client (axios, form encoding, Basic auth) with every request sent to `apiUrl` instead
 * of https://api.twilio.com: this is how TWILIO_API_URL is honoured through the library's `httpClient` seam.
 */
class ApiUrlRequestClient extends twilio.RequestClient {
  readonly #apiUrl: string;

  constructor(apiUrl: string, options: ConstructorParameters<typeof twilio.RequestClient>[0]) {
    super(options);
    this.#apiUrl = apiUrl;
  }

  override request<TData>(opts: RequestOptions & { data?: TData }) {
    return super.request<TData>({ ...opts, uri: rewriteTwilioUri(opts.uri, this.#apiUrl) });
  }
}

/** What the Twilio REST client needs. */
export interface TwilioClientOptions {
  readonly accountSid: string;
  readonly authToken: string;
  /** Base URL replacing https://api.twilio.com (TWILIO_API_URL); unset = the real Twilio API. */
  readonly apiUrl?: string | undefined;
  /** Per-request timeout in milliseconds. */
  readonly timeoutMs: number;
}

/**
 * Builds the twilio-node client once. Retries are off (`autoRetry: false`): the outbound queue owns retries, and
 * a 429 must surface as a retryable failure rather than block a worker.
 */
export function createTwilioClient(options: TwilioClientOptions): twilio.Twilio {
  const clientOptions = { timeout: options.timeoutMs, autoRetry: false };
  const httpClient =
    options.apiUrl === undefined
      ? new twilio.RequestClient(clientOptions)
      : new ApiUrlRequestClient(options.apiUrl, clientOptions);
  return twilio(options.accountSid, options.authToken, { ...clientOptions, httpClient });
}
