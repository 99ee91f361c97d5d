/**
 * A small fake of the Zalo OA Open API and of Zalo's OAuth v4 server on 127.0.0.1, for tests of the
 * `zalo-oa` adapter (pass `fake.url` as both `apiUrl` and `oauthUrl`). It answers like Zalo:
 *
 * - `POST /v4/oa/access_token` (form, header `secret_key`): a refresh-token grant answers
 *   `{ access_token, refresh_token, expires_in: "90000" }` (a string, as Zalo sends it). Refresh tokens are
 *   **single-use**: the one used is dead afterwards and reusing it answers
 *   `{ error: -14020, error_name: 'Invalid refresh token' }`. A wrong `secret_key` or `app_id` is refused too.
 * - `POST /v3.0/oa/message/cs` (JSON, header `access_token`): HTTP 200 always, with `{ error, message, data }`;
 *   an unknown or expired access token gets `-216`, a malformed message `-201`, success
 *   `{ error: 0, message: 'Success', data: { message_id, user_id, quota } }`. Messages understood: text (with
 *   optional `oa.query.*` buttons), the `request_user_info` form and the `media` template (one image, gif or
 *   sticker element by `url` or `attachment_id`, optional `text`; the picture is not fetched).
 *
 * It also exports {@link signZaloEvent} and builders of real-shaped webhook events (ids and timestamps as
 * strings, like Zalo).
 *
 * ```ts
 * const zalo = await startFakeZaloOa({ appSecret: 'app-secret', refreshToken: 'rt-1' });
 * const adapter = createZaloOaAdapter({ ..., apiUrl: zalo.url, oauthUrl: zalo.url, initialRefreshToken: 'rt-1' });
 * zalo.failNext(-230);                         // the next CS message is refused: outside the 7-day window
 * const [sent] = await zalo.waitForMessages(1);
 * await zalo.close();
 * ```
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, listenOnLoopback, readBody, waitForCount } from '../support/fake-server-kit.ts';

/** One consultation message the fake accepted (answered `error: 0`). */
export interface RecordedZaloMessage {
  /** `recipient.user_id`. */
  readonly userId: string;
  /** The `message` object exactly as received (parsed JSON). */
  readonly message: Record<string, unknown>;
  /** The `access_token` header it was sent with. */
  readonly accessToken: string;
  /** The `data.message_id` answered. */
  readonly messageId: string;
  readonly at: Date;
}

/** One call of the OAuth token endpoint, accepted or not. */
export interface RecordedRefresh {
  readonly refreshToken: string;
  readonly appId: string | undefined;
  readonly grantType: string | undefined;
  readonly secretKey: string | undefined;
  /** Whether new tokens were issued. */
  readonly ok: boolean;
  /** The tokens issued, when `ok`. */
  readonly issued?: { readonly accessToken: string; readonly refreshToken: string };
  readonly at: Date;
}

/** The running fake. */
export interface FakeZaloOa {
  /** Base URL replacing both https://openapi.zalo.me and https://oauth.zaloapp.com. */
  readonly url: string;
  /** Messages accepted so far, oldest first. The array is live. */
  readonly sent: RecordedZaloMessage[];
  /** Every call of the token endpoint, oldest first (live). */
  readonly refreshes: RecordedRefresh[];
  /** How many refreshes issued tokens. */
  readonly refreshCount: number;
  /** How many CS requests arrived, whatever their outcome. */
  readonly attempts: number;
  /** The refresh token that works now (the last one issued, or the initial one). */
  readonly currentRefreshToken: string;
  /**
   * The next CS request is answered HTTP 200 with `{ error: errorCode, message }`, before any other check.
   * Calls queue up.
   */
  failNext(errorCode: number, message?: string): void;
  /**
   * The next CS request carrying a `media` template (an image) is answered HTTP 200 with
   * `{ error: errorCode, message }` once its access token checked out; other messages pass. Calls queue up.
   */
  failNextImage(errorCode: number, message?: string): void;
  /** The next CS request is answered with HTTP `status` and a non-JSON body. */
  failNextHttp(status: number): void;
  /** The next CS request gets no answer: its connection is destroyed. */
  dropNext(): void;
  /** Every access token issued so far stops working (answers `-216`), as if it had expired. */
  expireAccessTokens(): void;
  /** Resolves with all accepted messages once there are at least `n`; rejects after `timeoutMs` (5 s). */
  waitForMessages(n: number, timeoutMs?: number): Promise<RecordedZaloMessage[]>;
  /** Stops the server, closing every connection. */
  close(): Promise<void>;
}

/** How the fake is set up. */
export interface FakeZaloOaOptions {
  /** The app secret the token endpoint expects in its `secret_key` header. */
  readonly appSecret: string;
  /** The one refresh token that works at start. */
  readonly refreshToken: string;
  /** When set, the token endpoint refuses other `app_id’s. */
  readonly appId?: string;
  /** `expires_in` of issued access tokens; default 90 000 (25 h, what Zalo documents). */
  readonly accessTokenTtlSeconds?: number;
  /** Delay before the token endpoint answers, to make refreshes overlap in tests; default 0. */
  readonly refreshDelayMs?: number;
}

type Directive =
  | { readonly kind: 'error'; readonly code: number; readonly message: string }
  | { readonly kind: 'http'; readonly status: number }
  | { readonly kind: 'drop' };

const ERROR_MESSAGES: Readonly<Record<number, string>> = {
  [-32]: 'The application has reached the limit of calling api',
  [-201]: 'Parameters are invalid',
  [-213]: 'User has not followed OA',
  [-216]: 'Access token is invalid',
  [-217]: 'User has blocked invitation from OA',
  [-220]: 'Access token has expired or has been removed',
  [-227]: 'User has been banned or has not interacted with OA for more than 45 days',
  [-230]: 'User has not interacted with the OA in the past 7 days',
  [-232]: 'User has not interacted with the OA or the interaction has expired',
};

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8' });
  res.end(JSON.stringify(body));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks a CS `message` like Zalo would; returns what is wrong, or null. */
function invalidMessage(message: unknown): string | null {
  if (!isObject(message)) return 'message is missing';
  const { text, attachment } = message;
  if (
    text !== undefined &&
    (typeof text !== 'string' || text.length === 0 || Array.from(text).length > 2000)
  ) {
    return 'text is invalid';
  }
  if (attachment === undefined) return text === undefined ? 'message is empty' : null;
  if (!isObject(attachment) || attachment.type !== 'template' || !isObject(attachment.payload)) {
    return 'attachment is invalid';
  }
  const payload = attachment.payload;
  if (payload.template_type === 'request_user_info') {
    const elements = payload.elements;
    if (!Array.isArray(elements) || elements.length !== 1) return 'elements is invalid';
    const [element] = elements as unknown[];
    if (!isObject(element)) return 'element is invalid';
    for (const field of ['title', 'subtitle', 'image_url']) {
      if (typeof element[field] !== 'string' || element[field] === '') return `${field} is invalid`;
    }
    if (Array.from(element.title as string).length > 100) return 'title is too long';
    if (Array.from(element.subtitle as string).length > 500) return 'subtitle is too long';
    return null;
  }
  if (payload.template_type === 'media') {
    const elements = payload.elements;
    if (!Array.isArray(elements) || elements.length !== 1) return 'elements is invalid';
    const [element] = elements as unknown[];
    if (!isObject(element)) return 'element is invalid';
    if (!['image', 'gif', 'sticker'].includes(String(element.media_type))) return 'media_type is invalid';
    const url = element.url;
    const id = element.attachment_id;
    if (typeof url === 'string' ? !/^https?:\/\/\S+$/.test(url) : typeof id !== 'string' || id === '') {
      return 'url is invalid';
    }
    return null;
  }
  if (payload.template_type !== undefined) return 'template_type is not supported by this fake';
  if (typeof text !== 'string') return 'text is required with buttons';
  const buttons = payload.buttons;
  if (!Array.isArray(buttons) || buttons.length === 0 || buttons.length > 5) return 'buttons is invalid';
  for (const button of buttons as unknown[]) {
    if (!isObject(button) || typeof button.title !== 'string' || button.title === '')
      return 'button is invalid';
    if (button.type !== 'oa.query.show' && button.type !== 'oa.query.hide') return 'button type is invalid';
    if (typeof button.payload !== 'string' || button.payload.length > 1000)
      return 'button payload is invalid';
  }
  return null;
}

/** Starts the fake on 127.0.0.1 with a free port. */
export async function startFakeZaloOa(options: FakeZaloOaOptions): Promise<FakeZaloOa> {
  const ttl = options.accessTokenTtlSeconds ?? 90_000;
  const sent: RecordedZaloMessage[] = [];
  const refreshes: RecordedRefresh[] = [];
  const directives: Directive[] = [];
  const imageFailures: { readonly code: number; readonly message: string }[] = [];
  const waiters = new Set<() => void>();
  const accessTokens = new Map<string, number>(); // token → expiry (epoch ms)
  let refreshToken = options.refreshToken;
  let attempts = 0;

  async function handleToken(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const params = new URLSearchParams((await readBody(req)).toString('utf8'));
    if (options.refreshDelayMs) await new Promise((resolve) => setTimeout(resolve, options.refreshDelayMs));
    const secretKey = req.headers.secret_key as string | undefined;
    const used = params.get('refresh_token') ?? '';
    const record = {
      refreshToken: used,
      appId: params.get('app_id') ?? undefined,
      grantType: params.get('grant_type') ?? undefined,
      secretKey,
      at: new Date(),
    };
    const refuse = (error: number, name: string, description: string): void => {
      refreshes.push({ ...record, ok: false });
      sendJson(res, 200, { error, error_name: name, error_description: description });
    };
    // Error codes other than -14020 are the fake's own choice: Zalo's are not documented publicly.
    if (secretKey !== options.appSecret) return refuse(-14014, 'Invalid secret key', 'secret_key is invalid');
    if (options.appId !== undefined && record.appId !== options.appId) {
      return refuse(-14001, 'Invalid app id', 'app_id is invalid');
    }
    if (record.grantType !== 'refresh_token') return refuse(-14003, 'Invalid grant type', 'unsupported');
    if (used === '' || used !== refreshToken) {
      return refuse(-14020, 'Invalid refresh token', 'Refresh token is invalid or has been used');
    }
    const issued = {
      accessToken: `at_${randomBytes(24).toString('base64url')}`,
      refreshToken: `rt_${randomBytes(24).toString('base64url')}`,
    };
    refreshToken = issued.refreshToken;
    accessTokens.set(issued.accessToken, Date.now() + ttl * 1000);
    refreshes.push({ ...record, ok: true, issued });
    sendJson(res, 200, {
      access_token: issued.accessToken,
      refresh_token: issued.refreshToken,
      expires_in: String(ttl),
    });
  }

  async function handleCs(req: IncomingMessage, res: ServerResponse): Promise<void> {
    attempts += 1;
    const raw = (await readBody(req)).toString('utf8');
    const directive = directives.shift();
    if (directive?.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (directive?.kind === 'http') {
      res.writeHead(directive.status, { 'content-type': 'text/html' });
      res.end('<html><body>Bad Gateway</body></html>');
      return;
    }
    if (directive?.kind === 'error') {
      sendJson(res, 200, { error: directive.code, message: directive.message });
      return;
    }
    const accessToken = req.headers.access_token as string | undefined;
    const expiry = accessToken === undefined ? undefined : accessTokens.get(accessToken);
    if (accessToken === undefined || expiry === undefined || expiry <= Date.now()) {
      sendJson(res, 200, { error: -216, message: ERROR_MESSAGES[-216] });
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      sendJson(res, 200, { error: -201, message: 'Body is not valid JSON' });
      return;
    }
    const recipient = isObject(body) ? body.recipient : undefined;
    const userId = isObject(recipient) ? recipient.user_id : undefined;
    if (typeof userId !== 'string' || !/^\d{1,20}$/.test(userId)) {
      sendJson(res, 200, { error: -201, message: 'user_id is invalid' });
      return;
    }
    const message = isObject(body) ? body.message : undefined;
    const problem = invalidMessage(message);
    if (problem !== null || !isObject(message)) {
      sendJson(res, 200, { error: -201, message: problem ?? 'message is invalid' });
      return;
    }
    const attachment = message.attachment;
    const imageFailure =
      isObject(attachment) && isObject(attachment.payload) && attachment.payload.template_type === 'media'
        ? imageFailures.shift()
        : undefined;
    if (imageFailure !== undefined) {
      sendJson(res, 200, { error: imageFailure.code, message: imageFailure.message });
      return;
    }
    const messageId = randomBytes(10).toString('hex');
    sent.push({ userId, message, accessToken, messageId, at: new Date() });
    for (const wake of waiters) wake();
    sendJson(res, 200, {
      data: {
        message_id: messageId,
        user_id: userId,
        quota: { quota_type: 'reply', remain: '7', total: '8', expired_date: null, owner_type: 'OA' },
      },
      error: 0,
      message: 'Success',
    });
  }

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const handler =
      req.method === 'POST' && path === '/v4/oa/access_token'
        ? handleToken
        : req.method === 'POST' && path === '/v3.0/oa/message/cs'
          ? handleCs
          : undefined;
    if (handler === undefined) {
      sendJson(res, 404, { error: 404, message: 'empty api' });
      return;
    }
    handler(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { error: -1, message: 'internal error' });
    });
  });
  const port = await listenOnLoopback(server);

  return {
    url: `http://127.0.0.1:${port}`,
    sent,
    refreshes,
    get refreshCount() {
      return refreshes.filter((r) => r.ok).length;
    },
    get attempts() {
      return attempts;
    },
    get currentRefreshToken() {
      return refreshToken;
    },
    failNext(errorCode, message) {
      directives.push({
        kind: 'error',
        code: errorCode,
        message: message ?? ERROR_MESSAGES[errorCode] ?? 'Error',
      });
    },
    failNextImage(errorCode, message) {
      imageFailures.push({ code: errorCode, message: message ?? ERROR_MESSAGES[errorCode] ?? 'Error' });
    },
    failNextHttp(status) {
      directives.push({ kind: 'http', status });
    },
    dropNext() {
      directives.push({ kind: 'drop' });
    },
    expireAccessTokens() {
      for (const token of accessTokens.keys()) accessTokens.set(token, 0);
    },
    waitForMessages(n, timeoutMs = 5000) {
      return waitForCount(sent, n, { timeoutMs, what: 'fake Zalo OA', waiters });
    },
    close: () => closeServer(server),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Webhook events

/**
 * Signs a webhook body like Zalo: `mac=` + SHA-256 hex of `appId + body + timestamp + OA secret key`, where
 * `timestamp` is the body's own field. Pass the exact string that will be posted.
 */
export function signZaloEvent(
  body: string,
  keys: { readonly appId: string; readonly oaSecretKey: string },
): string {
  const parsed = JSON.parse(body) as { timestamp?: unknown };
  const timestamp = String(parsed.timestamp ?? '');
  const mac = createHash('sha256')
    .update(`${keys.appId}${body}${timestamp}${keys.oaSecretKey}`, 'utf8')
    .digest('hex');
  return `mac=${mac}`;
}

/** Ids and time common to every event builder. */
export interface ZaloEventBase {
  readonly appId: string;
  readonly oaId: string;
  readonly userId: string;
  /** Epoch milliseconds as a string; default now. */
  readonly timestamp?: string;
  /** The app-scoped id Zalo adds (`user_id_by_app`); default a fixed one. */
  readonly userIdByApp?: string;
}

const stamp = (timestamp: string | undefined): string => timestamp ?? String(Date.now());

/** `user_send_text`: a person wrote to the OA. */
export function zaloTextEvent(
  event: ZaloEventBase & { readonly msgId: string; readonly text: string },
): Record<string, unknown> {
  return {
    app_id: event.appId,
    user_id_by_app: event.userIdByApp ?? '552177279717587730',
    event_name: 'user_send_text',
    timestamp: stamp(event.timestamp),
    sender: { id: event.userId },
    recipient: { id: event.oaId },
    message: { text: event.text, msg_id: event.msgId },
  };
}

/** `user_send_image`: a person sent a picture (attachments with `payload.thumbnail` and `payload.url`). */
export function zaloImageEvent(event: ZaloEventBase & { readonly msgId: string }): Record<string, unknown> {
  return {
    app_id: event.appId,
    user_id_by_app: event.userIdByApp ?? '552177279717587730',
    event_name: 'user_send_image',
    timestamp: stamp(event.timestamp),
    sender: { id: event.userId },
    recipient: { id: event.oaId },
    message: {
      msg_id: event.msgId,
      text: '',
      attachments: [
        {
          type: 'image',
          payload: {
            thumbnail: 'https://photo-stal-9.zadn.vn/thumb/a1b2c3.jpg',
            url: 'https://photo-stal-9.zadn.vn/a1b2c3.jpg',
          },
        },
      ],
    },
  };
}

function followEvent(name: 'follow' | 'unfollow', event: ZaloEventBase): Record<string, unknown> {
  return {
    oa_id: event.oaId,
    follower: { id: event.userId },
    user_id_by_app: event.userIdByApp ?? '552177279717587730',
    event_name: name,
    source: 'oa_profile',
    app_id: event.appId,
    timestamp: stamp(event.timestamp),
  };
}

/** `follow`: a person followed the OA (the person is in `follower.id`). */
export function zaloFollowEvent(event: ZaloEventBase): Record<string, unknown> {
  return followEvent('follow', event);
}

/** `unfollow`: a person stopped following the OA. */
export function zaloUnfollowEvent(event: ZaloEventBase): Record<string, unknown> {
  return followEvent('unfollow', event);
}

/**
 * `user_submit_info`: a person sent their details through the `request_user_info` form. `shape` picks one of
 * the two `info` shapes sources describe: `full_address` (newer) or `flat` (`address, city, district, ward`).
 */
export function zaloSubmitInfoEvent(
  event: ZaloEventBase & {
    readonly phone: string;
    readonly name?: string;
    readonly shape?: 'full_address' | 'flat';
  },
): Record<string, unknown> {
  const name = event.name ?? 'Nguyễn Thị Lan';
  const info =
    event.shape === 'flat'
      ? {
          address: '12 Trần Phú',
          phone: event.phone,
          city: 'Đà Nẵng',
          district: 'Hải Châu',
          name,
          ward: 'Thạch Thang',
        }
      : {
          name,
          phone: event.phone,
          user_dob: '',
          gender: '',
          full_address: { user_city: 'Đà Nẵng', user_ward: 'Thạch Thang', user_address: '12 Trần Phú' },
        };
  return {
    app_id: event.appId,
    oa_id: event.oaId,
    user_id_by_app: event.userIdByApp ?? '552177279717587730',
    event_name: 'user_submit_info',
    timestamp: stamp(event.timestamp),
    sender: { id: event.userId },
    recipient: { id: event.oaId },
    info,
  };
}

/** `oa_send_text`: the echo of a message the OA sent (sender is the OA, recipient the person). */
export function zaloEchoEvent(
  event: ZaloEventBase & { readonly msgId: string; readonly text: string },
): Record<string, unknown> {
  return {
    app_id: event.appId,
    user_id_by_app: event.userIdByApp ?? '552177279717587730',
    event_name: 'oa_send_text',
    timestamp: stamp(event.timestamp),
    sender: { id: event.oaId },
    recipient: { id: event.userId },
    message: { text: event.text, msg_id: event.msgId },
  };
}
