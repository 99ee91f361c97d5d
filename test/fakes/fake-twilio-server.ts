/**
 * A small fake of the Twilio REST API on 127.0.0.1, for tests that drive the real twilio-node client (through
 * TWILIO_API_URL / the adapter's `apiUrl`). It answers `POST /2010-04-01/Accounts/:sid/Messages.json` like
 * Twilio: form-encoded in, HTTP Basic auth, 201 with a snake_case JSON message resource out, and Twilio-shaped
 * JSON errors (`{ code, message, more_info, status }`) on demand. It can also play Twilio's side of a status
 * callback: {@link FakeTwilio.sendStatus} posts a signed `MessageStatus` to the message's `StatusCallback`.
 *
 * ```ts
 * const twilio = await startFakeTwilio();
 * const adapter = createTwilioSmsAdapter({ ..., apiUrl: twilio.url });
 * twilio.failNext(400, 21610);                 // the next create is refused: recipient opted out
 * const [sms] = await twilio.waitForMessages(1); // resolves once one message was accepted
 * await twilio.sendStatus(sms.sid, 'delivered');
 * await twilio.close();
 * ```
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import twilio from 'twilio';
import { countSmsSegments } from '../../src/shared/sms-segments.ts';
import {
  closeServer,
  holdRequest,
  listenOnLoopback,
  readBody,
  waitForCount,
} from '../support/fake-server-kit.ts';

/** One message the fake accepted (answered 201). Failed, dropped or unauthorised requests are not recorded. */
export interface RecordedMessage {
  /** The SID answered, `SM` + 32 hex digits. */
  readonly sid: string;
  /** The Basic auth user name (the account SID the client authenticated with). */
  readonly accountSid: string;
  /** The Basic auth password (the client's auth token): also what `sendStatus` signs with. */
  readonly authToken: string;
  /** The account SID in the request path. */
  readonly pathAccountSid: string;
  readonly to: string;
  readonly from: string | undefined;
  readonly messagingServiceSid: string | undefined;
  readonly body: string;
  readonly statusCallback: string | undefined;
  /** Parts the body takes (GSM-7 160/153, UCS-2 70/67), as answered in `num_segments`. */
  readonly numSegments: number;
  /** Every form parameter received (the last value when a name repeats). */
  readonly params: Readonly<Record<string, string>>;
  readonly receivedAt: Date;
}

/** A request kept open by {@link FakeTwilio.holdNext}. */
export interface HeldRequest {
  /** Resolves when the held request has arrived. */
  readonly arrived: Promise<void>;
  /** Lets the request go on: it is then handled normally (recorded and answered 201, or failed if queued). */
  release(): void;
}

/** The running fake. */
export interface FakeTwilio {
  /** Base URL to use instead of https://api.twilio.com, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Messages accepted so far, oldest first. The array is live. */
  readonly messages: RecordedMessage[];
  /** How many create requests arrived, whatever their outcome. */
  readonly attempts: number;
  /**
   * The next create request fails with `status` and a Twilio JSON error. Default codes: 400 → 21211,
   * 401 → 20003, 404 → 20404, 429 → 20429, 5xx → 20500. Calls queue up: two calls fail the next two requests.
   */
  failNext(status: number, code?: number): void;
  /** The next create request gets no answer: its connection is destroyed (a network error for the client). */
  dropNext(): void;
  /** Keeps the next create request open until `release()` (or `close()`); use it to test timeouts. */
  holdNext(): HeldRequest;
  /** Resolves with all accepted messages once there are at least `n`; rejects after `timeoutMs` (5 s). */
  waitForMessages(n: number, timeoutMs?: number): Promise<RecordedMessage[]>;
  /**
   * Posts a status callback for an accepted message to its `StatusCallback` URL, signed with the auth token the
   * message was sent with, like Twilio does. Resolves with the HTTP status the service answered.
   */
  sendStatus(sid: string, status: string, extra?: Readonly<Record<string, string>>): Promise<number>;
  /** Forgets recorded messages and queued directives. */
  reset(): void;
  /** Stops the server, releasing held requests and closing every connection. */
  close(): Promise<void>;
}

/** Optional checks: when set, requests authenticated with other credentials get Twilio's 401 (code 20003). */
export interface FakeTwilioOptions {
  readonly accountSid?: string;
  readonly authToken?: string;
}

type Directive =
  | { readonly kind: 'fail'; readonly status: number; readonly code: number }
  | { readonly kind: 'drop' }
  | { readonly kind: 'hold'; readonly arrived: () => void; readonly released: Promise<void> };

const MESSAGES_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;

function defaultCode(status: number): number {
  if (status === 400) return 21211;
  if (status === 401) return 20003;
  if (status === 404) return 20404;
  if (status === 429) return 20429;
  return status >= 500 ? 20500 : 20000 + status;
}

function rfc2822(date: Date): string {
  return date.toUTCString().replace('GMT', '+0000');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, code: number, message: string): void {
  sendJson(res, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
}

function basicAuth(req: IncomingMessage): { user: string; password: string } | undefined {
  const match = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Starts the fake on 127.0.0.1 with a free port. */
export async function startFakeTwilio(options: FakeTwilioOptions = {}): Promise<FakeTwilio> {
  const messages: RecordedMessage[] = [];
  const directives: Directive[] = [];
  const holds = new Set<() => void>();
  const waiters = new Set<() => void>();
  let attempts = 0;
  let closed = false;

  /** Validates a create request like Twilio; answers and returns undefined when it is refused. */
  function accept(req: IncomingMessage, res: ServerResponse, pathSid: string, raw: string) {
    const auth = basicAuth(req);
    if (
      !auth ||
      auth.user !== pathSid ||
      (options.accountSid !== undefined && auth.user !== options.accountSid) ||
      (options.authToken !== undefined && auth.password !== options.authToken)
    ) {
      sendError(res, 401, 20003, 'Authenticate');
      return undefined;
    }
    const params = Object.fromEntries(new URLSearchParams(raw));
    const { To: to, Body: body, From: from, MessagingServiceSid: service } = params;
    if (!to) sendError(res, 400, 21604, "A 'To' phone number is required.");
    else if (body === undefined || body === '') sendError(res, 400, 21602, 'Message body is required.');
    else if (!from && !service) sendError(res, 400, 21603, "A 'From' phone number is required.");
    else if (body.length > 1600)
      sendError(res, 400, 21617, 'The concatenated message body exceeds the limit.');
    else return { auth, params, to, body, from, service };
    return undefined;
  }

  async function handleCreate(req: IncomingMessage, res: ServerResponse, pathSid: string): Promise<void> {
    attempts += 1;
    const raw = (await readBody(req)).toString('utf8');
    let directive = directives.shift();
    if (directive?.kind === 'hold') {
      directive.arrived();
      await directive.released;
      directive = directives.shift();
    }
    if (closed || directive?.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (directive?.kind === 'fail') {
      const to = new URLSearchParams(raw).get('To') ?? '';
      const message =
        directive.code === 21610
          ? 'Attempt to send to unsubscribed recipient'
          : directive.code === 21211
            ? `The 'To' number ${to} is not a valid phone number.` // Twilio quotes the number, like this
            : `Fake failure ${directive.status}`;
      sendError(res, directive.status, directive.code, message);
      return;
    }
    const valid = accept(req, res, pathSid, raw);
    if (!valid) return;
    const now = new Date();
    const sid = `SM${randomBytes(16).toString('hex')}`;
    const numSegments = countSmsSegments(valid.body).segments;
    messages.push({
      sid,
      accountSid: valid.auth.user,
      authToken: valid.auth.password,
      pathAccountSid: pathSid,
      to: valid.to,
      from: valid.from,
      messagingServiceSid: valid.service,
      body: valid.body,
      statusCallback: valid.params.StatusCallback,
      numSegments,
      params: valid.params,
      receivedAt: now,
    });
    for (const wake of waiters) wake();
    const uri = `/2010-04-01/Accounts/${pathSid}/Messages/${sid}.json`;
    sendJson(res, 201, {
      account_sid: pathSid,
      api_version: '2010-04-01',
      body: valid.body,
      date_created: rfc2822(now),
      date_sent: null,
      date_updated: rfc2822(now),
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: valid.from ?? null,
      messaging_service_sid: valid.service ?? null,
      num_media: '0',
      num_segments: String(numSegments),
      price: null,
      price_unit: 'USD',
      sid,
      status: valid.from ? 'queued' : 'accepted',
      subresource_uris: { media: uri.replace('.json', '/Media.json') },
      to: valid.to,
      uri,
    });
  }

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const match = MESSAGES_PATH.exec(path);
    if (req.method === 'POST' && match?.[1]) {
      handleCreate(req, res, decodeURIComponent(match[1])).catch(() => {
        if (!res.headersSent) sendError(res, 500, 20500, 'Internal Server Error');
      });
      return;
    }
    sendError(res, 404, 20404, `The requested resource ${path} was not found`);
  });
  const port = await listenOnLoopback(server);

  return {
    url: `http://127.0.0.1:${port}`,
    messages,
    get attempts() {
      return attempts;
    },
    failNext(status, code) {
      directives.push({ kind: 'fail', status, code: code ?? defaultCode(status) });
    },
    dropNext() {
      directives.push({ kind: 'drop' });
    },
    holdNext() {
      const hold = holdRequest(holds);
      directives.push({ kind: 'hold', arrived: hold.signal, released: hold.released });
      return hold.handle;
    },
    waitForMessages(n, timeoutMs = 5000) {
      return waitForCount(messages, n, { timeoutMs, what: 'fake Twilio', waiters });
    },
    async sendStatus(sid, status, extra = {}) {
      const message = messages.find((m) => m.sid === sid);
      if (!message?.statusCallback) throw new Error(`fake Twilio: no status callback for ${sid}`);
      const params: Record<string, string> = {
        AccountSid: message.accountSid,
        ApiVersion: '2010-04-01',
        From: message.from ?? '+15005550006',
        MessageSid: sid,
        MessageStatus: status,
        SmsSid: sid,
        SmsStatus: status,
        To: message.to,
        ...(message.messagingServiceSid ? { MessagingServiceSid: message.messagingServiceSid } : {}),
        ...extra,
      };
      const signature = twilio.getExpectedTwilioSignature(message.authToken, message.statusCallback, params);
      const response = await fetch(message.statusCallback, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
        body: new URLSearchParams(params).toString(),
      });
      await response.arrayBuffer();
      return response.status;
    },
    reset() {
      messages.length = 0;
      directives.length = 0;
    },
    async close() {
      closed = true;
      for (const release of [...holds]) release();
      await closeServer(server);
    },
  };
}
