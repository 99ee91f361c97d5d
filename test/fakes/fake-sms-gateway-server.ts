/**
 * A small fake of a local SMS gateway (the aggregator's side of docs/channels/sms-gateway.md) on 127.0.0.1, for
 * tests that send through the real `sms-gateway` adapter over HTTP. It answers `POST <url>` like a gateway that
 * implements the contract: checks `X-Signature` (401 when wrong or missing), validates `{ to, text, clientRef }`
 * (400), answers `201 { id }` and is idempotent on `clientRef` (a repeat answers `200` with the same id and
 * sends nothing). It signs independently of the adapter (plain node:crypto), so it checks the adapter's
 * signature rather than agreeing with it by construction.
 *
 * ```ts
 * const gateway = await startFakeSmsGateway({ secret });
 * const adapter = createSmsGatewayAdapter({ url: gateway.url, secret, encoding: 'gsm7' });
 * gateway.failNext(429, undefined, { 'retry-after': '7' }); // the next send is refused for now
 * const [sms] = await gateway.waitForMessages(1);            // resolves once one message was accepted
 * const { body, headers } = smsGatewayStatus(secret, { id: sms.id, status: 'delivered' }); // POST it to us
 * await gateway.close();
 * ```
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { countSmsSegments } from '../../src/shared/sms-segments.ts';
import {
  closeServer,
  holdRequest,
  listenOnLoopback,
  readBody,
  waitForCount,
} from '../support/fake-server-kit.ts';

/** The path of the fake's send endpoint; {@link FakeSmsGateway.url} points at it. */
const FAKE_SMS_GATEWAY_SEND_PATH = '/api/v1/sms/send';

/** One SMS the fake accepted and "sent". A repeat with the same `clientRef` is not recorded again. */
export interface RecordedSms {
  /** The gateway id answered, `gw_` + 24 hex digits. */
  readonly id: string;
  readonly to: string;
  readonly text: string;
  readonly clientRef: string;
  /** Whether `X-Signature` matched the body: always true here, since the fake refuses other requests. */
  readonly signatureValid: boolean;
  readonly at: Date;
}

/** Every request the send endpoint received, whatever its outcome. */
export interface RecordedRequest {
  readonly signatureValid: boolean;
  /** The HTTP status answered; undefined when the connection was dropped. */
  readonly status: number | undefined;
  readonly clientRef: string | undefined;
  readonly at: Date;
}

/** A request kept open by {@link FakeSmsGateway.holdNext}. */
export interface HeldRequest {
  /** Resolves when the held request has arrived. */
  readonly arrived: Promise<void>;
  /** Lets the request go on: it is then handled normally (recorded and answered, or refused). */
  release(): void;
}

/** The running fake. */
export interface FakeSmsGateway {
  /** The send endpoint, to use as SMS_GATEWAY_URL, e.g. `http://127.0.0.1:41234/api/v1/sms/send`. */
  readonly url: string;
  /** SMS accepted so far, oldest first, one per `clientRef`. The array is live. */
  readonly messages: RecordedSms[];
  /** Every request to the send endpoint, oldest first. The array is live. */
  readonly requests: RecordedRequest[];
  /**
   * The next send request is answered with `status` and `body` (a string as is, anything else as JSON; default
   * `{"error":{"message":"fake failure"}}`, without a code) plus `headers`, and is not recorded as a message.
   * A 2xx status fakes a gateway that accepts without an id. Calls queue up.
   */
  failNext(status: number, body?: unknown, headers?: Readonly<Record<string, string>>): void;
  /** The next send request gets no answer: its connection is destroyed (a network error for the client). */
  dropNext(): void;
  /** Keeps the next send request open until `release()` (or `close()`); use it to test timeouts. */
  holdNext(): HeldRequest;
  /**
   * How every send request is answered from now on, until set again (queued directives come first): `normal`, or
   * refused with `status` and `headers` (a gateway in trouble: 500, or 429 with `Retry-After`), or handled
   * normally after `delayMs` (a slow gateway). Fault tests use it for "the provider answers 500 for a while".
   */
  setMode(mode: GatewayMode): void;
  /** Resolves with all accepted messages once there are at least `n`; rejects after `timeoutMs` (5 s). */
  waitForMessages(n: number, timeoutMs?: number): Promise<RecordedSms[]>;
  /** Forgets recorded messages, requests, known `clientRef’s and queued directives. */
  reset(): void;
  /** Stops the server, releasing held requests and closing every connection. */
  close(): Promise<void>;
}

/** How the fake answers every send request: see {@link FakeSmsGateway.setMode}. */
export type GatewayMode =
  | { readonly kind: 'normal' }
  | { readonly kind: 'refuse'; readonly status: number; readonly headers?: Readonly<Record<string, string>> }
  | { readonly kind: 'slow'; readonly delayMs: number };

/** Settings of the fake. */
export interface FakeSmsGatewayOptions {
  /** The shared SMS_GATEWAY_SECRET: requests must be signed with it. */
  readonly secret: string;
}

type Directive =
  | {
      readonly kind: 'fail';
      readonly status: number;
      readonly body: string;
      readonly headers: Readonly<Record<string, string>>;
    }
  | { readonly kind: 'drop' }
  | { readonly kind: 'hold'; readonly arrived: () => void; readonly released: Promise<void> };

/** `X-Signature` for a body: `sha256=` + hex HMAC-SHA256 of its bytes with the secret. */
function sign(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

function signatureMatches(secret: string, body: Buffer, header: string | undefined): boolean {
  if (header === undefined) return false;
  const expected = Buffer.from(sign(secret, body));
  const given = Buffer.from(header.trim().toLowerCase());
  return expected.length === given.length && timingSafeEqual(expected, given);
}

function jsonHeaders(secret: string, body: string): Record<string, string> {
  return { 'content-type': 'application/json', 'x-signature': sign(secret, body) };
}

/** What an inbound SMS webhook carries: see docs/channels/sms-gateway.md. */
export interface SmsGatewayInboundFields {
  readonly id: string;
  readonly from: string;
  /** The short code; default `8079`. */
  readonly to?: string;
  readonly text: string;
  /** ISO 8601 with offset; default now, in UTC. */
  readonly receivedAt?: string;
}

/** What a delivery report webhook carries; `status` is a plain string so tests can send wrong ones. */
export interface SmsGatewayStatusFields {
  readonly id: string;
  readonly status: string;
  readonly errorCode?: string;
  readonly at?: string;
}

/** A signed webhook request, ready to POST: `fetch(url, { method: 'POST', headers, body })`. */
export interface SignedWebhook {
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** An inbound SMS webhook as the gateway posts it to `/webhooks/sms-gateway`, signed with `secret`. */
export function smsGatewayInbound(secret: string, fields: SmsGatewayInboundFields): SignedWebhook {
  const body = JSON.stringify({
    id: fields.id,
    from: fields.from,
    to: fields.to ?? '8079',
    text: fields.text,
    receivedAt: fields.receivedAt ?? new Date().toISOString(),
  });
  return { body, headers: jsonHeaders(secret, body) };
}

/** A delivery report as the gateway posts it to `/webhooks/sms-gateway/status`, signed with `secret`. */
export function smsGatewayStatus(secret: string, fields: SmsGatewayStatusFields): SignedWebhook {
  const body = JSON.stringify(fields);
  return { body, headers: jsonHeaders(secret, body) };
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(body);
}

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, JSON.stringify({ error: { code, message } }));
}

/** The most parts a text may take under the contract (docs/channels/sms-gateway.md, Sending). */
const MAX_PARTS = 10;

/** Reads `{ to, text, clientRef }`, or undefined when the body does not follow the contract. */
function sendRequest(raw: Buffer): { to: string; text: string; clientRef: string } | undefined {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const { to, text, clientRef } = body as Record<string, unknown>;
  if (typeof to !== 'string' || !/^\+[1-9]\d{7,14}$/.test(to)) return undefined;
  if (typeof text !== 'string' || text === '' || countSmsSegments(text).segments > MAX_PARTS)
    return undefined;
  if (typeof clientRef !== 'string' || clientRef === '' || clientRef.length > 200) return undefined;
  return { to, text, clientRef };
}

/** Starts the fake on 127.0.0.1 with a free port. */
export async function startFakeSmsGateway(options: FakeSmsGatewayOptions): Promise<FakeSmsGateway> {
  const messages: RecordedSms[] = [];
  const requests: RecordedRequest[] = [];
  const byClientRef = new Map<string, RecordedSms>();
  const directives: Directive[] = [];
  const holds = new Set<() => void>();
  const waiters = new Set<() => void>();
  let closed = false;
  let mode: GatewayMode = { kind: 'normal' };

  async function handleSend(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const at = new Date();
    const signatureValid = signatureMatches(options.secret, raw, req.headers['x-signature']?.toString());
    const parsed = sendRequest(raw);
    const record = (status: number | undefined): void => {
      requests.push({ signatureValid, status, clientRef: parsed?.clientRef, at });
    };

    let directive = directives.shift();
    if (directive === undefined && mode.kind === 'refuse') {
      const { status, headers = {} } = mode;
      directive = {
        kind: 'fail',
        status,
        body: JSON.stringify({ error: { message: 'fake trouble' } }),
        headers,
      };
    }
    if (directive === undefined && mode.kind === 'slow') {
      const { delayMs } = mode;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
    if (directive?.kind === 'hold') {
      directive.arrived();
      await directive.released;
      directive = undefined; // handled normally once released: later directives are for later requests
    }
    if (closed || directive?.kind === 'drop') {
      record(undefined);
      req.socket.destroy();
      return;
    }
    if (directive?.kind === 'fail') {
      record(directive.status);
      sendJson(res, directive.status, directive.body, directive.headers);
      return;
    }
    if (!signatureValid) {
      record(401);
      sendError(res, 401, 'INVALID_SIGNATURE', 'X-Signature does not match the body');
      return;
    }
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      record(415);
      sendError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json');
      return;
    }
    if (parsed === undefined) {
      record(400);
      sendError(res, 400, 'INVALID_REQUEST', 'Expected { to: E.164, text: 1 to 10 SMS parts, clientRef }');
      return;
    }
    const known = byClientRef.get(parsed.clientRef);
    if (known !== undefined) {
      // Idempotent: a retried send is answered with the id of the first one and sends nothing.
      record(200);
      sendJson(res, 200, JSON.stringify({ id: known.id }));
      return;
    }
    const sms: RecordedSms = { id: `gw_${randomBytes(12).toString('hex')}`, ...parsed, signatureValid, at };
    messages.push(sms);
    byClientRef.set(sms.clientRef, sms);
    for (const wake of waiters) wake();
    record(201);
    sendJson(res, 201, JSON.stringify({ id: sms.id }));
  }

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    if (req.method === 'POST' && path === FAKE_SMS_GATEWAY_SEND_PATH) {
      handleSend(req, res).catch(() => {
        if (!res.headersSent) sendError(res, 500, 'INTERNAL', 'Internal Server Error');
      });
      return;
    }
    sendError(res, 404, 'NOT_FOUND', 'No such endpoint');
  });
  const port = await listenOnLoopback(server);

  return {
    url: `http://127.0.0.1:${port}${FAKE_SMS_GATEWAY_SEND_PATH}`,
    messages,
    requests,
    failNext(status, body, headers = {}) {
      const text =
        typeof body === 'string'
          ? body
          : JSON.stringify(body === undefined ? { error: { message: 'fake failure' } } : body);
      directives.push({ kind: 'fail', status, body: text, headers });
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
      return waitForCount(messages, n, { timeoutMs, what: 'fake SMS gateway', waiters });
    },
    setMode(next) {
      mode = next;
    },
    reset() {
      mode = { kind: 'normal' };
      messages.length = 0;
      requests.length = 0;
      byClientRef.clear();
      directives.length = 0;
    },
    async close() {
      closed = true;
      for (const release of [...holds]) release();
      await closeServer(server);
    },
  };
}
