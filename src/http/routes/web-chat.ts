import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { GuessLimiter } from '../../domain/shares/guess-limiter.ts';
import type { InboundMessage } from '../../messaging/inbound-message.ts';
import { WEB_SESSION_ID } from '../../messaging/web-feed.ts';
import type { DataCipher } from '../../shared/crypto.ts';
import { withDeadline } from '../../shared/deadline.ts';
import type { WebChatFeedReader } from '../../storage/redis/redis-web-chat.ts';
import { apiError, ErrorBody, useZodApi } from '../api-errors.ts';
import { endEventStreamsOnClose, openEventStream, pipeFeed } from '../sse.ts';
import { renderChatPage } from '../web-chat/render-chat-page.ts';
import { WEBHOOK_STORE_DEADLINE_MS } from './webhooks.ts';

/** What the web chat's routes need. */
export interface WebChatDeps {
  readonly webChat: {
    /** The session's replies (and development SMS), read and watched by the server-sent events. */
    readonly feed: WebChatFeedReader;
    /** The development outbox is on (no SMS channel, not production). */
    readonly devOutbox: boolean;
    /** No SMS channel in production: the page says phone codes cannot be sent. */
    readonly noSms: boolean;
    /** Sets the language the assistant answers a session in (a new session opened on `?lang=en`). */
    setLanguage(session: string, language: 'vi' | 'en'): Promise<void>;
    /** Counts the messages of one session (keyed hash of its id). */
    readonly sessionLimiter: GuessLimiter;
    /** Counts the messages of one client (keyed hash of its IP address), whatever its sessions. */
    readonly clientLimiter: GuessLimiter;
  };
  readonly cipher: Pick<DataCipher, 'keyedHash'>;
  readonly clock: () => Date;
  acceptInbound(message: InboundMessage): Promise<unknown>;
}

/** The session cookie: a random id, the chat's address on channel `web`. */
export const CHAT_COOKIE = 'chat_session';
const COOKIE_MAX_AGE_SECONDS = 30 * 24 * 3600;
const STREAM_ID = /^\d{1,20}-\d{1,20}$/u;

/** The page's style and script: served by the service itself (CSP `'self'`), read once at start. */
const ASSETS = {
  'app.css': {
    type: 'text/css; charset=utf-8',
    body: readFileSync(new URL('../web-chat/assets/app.css', import.meta.url), 'utf8'),
  },
  'app.js': {
    type: 'text/javascript; charset=utf-8',
    body: readFileSync(new URL('../web-chat/assets/app.js', import.meta.url), 'utf8'),
  },
} as const;

/** The chat page's policy: its own script, style, pictures (QR codes) and connections; nothing else. */
export const CHAT_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The session id in the request's cookie, or null. */
export function sessionOf(request: FastifyRequest): string | null {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, value] = part.trim().split('=');
    if (name === CHAT_COOKIE && value !== undefined && WEB_SESSION_ID.test(value)) return value;
  }
  return null;
}

/** The `Set-Cookie` of a new session: secure, HTTP-only, same-site (lax: the page opens from a link). */
export function sessionCookie(session: string): string {
  return `${CHAT_COOKIE}=${session}; Path=/; Max-Age=${COOKIE_MAX_AGE_SECONDS}; Secure; HttpOnly; SameSite=Lax`;
}

const Lang = z.object({
  lang: z.enum(['vi', 'en']).optional().describe('`en` for English; Vietnamese otherwise'),
});
const MessageBody = z
  .object({
    text: z
      .string()
      .trim()
      .min(1)
      .max(1000)
      .optional()
      .describe('What the person typed, or a button’s payload'),
    start: z.literal(true).optional().describe('Opening the chat: the assistant’s welcome'),
    lang: z
      .enum(['vi', 'en'])
      .optional()
      .describe('With `start`: the language of the page, which the assistant then answers in'),
    id: z
      .uuid()
      .optional()
      .describe('The page’s own id of the message: sending it again (a retry) is stored once'),
  })
  .strict()
  .refine((body) => (body.text === undefined) !== (body.start === undefined), {
    message: 'give either text or start',
  })
  .refine((body) => body.lang === undefined || body.start === true, { message: 'lang goes with start' });

/**
 * The citizen's web chat (docs/channels/web.md): `GET /` the page, `POST /chat/messages` a message into the
 * inbox (as a webhook would: stored, deduplicated, queued for the conversation's turn), `GET /chat/events` the
 * session's replies as server-sent events, and the page's own CSS and JavaScript.
 */
export function webChatRoutes(deps: WebChatDeps): FastifyPluginAsync {
  const { webChat } = deps;
  return async (app) => {
    useZodApi(app);
    endEventStreamsOnClose(app);

    app.get(
      '/',
      {
        config: { access: 'public' },
        schema: {
          tags: ['pages'],
          summary: 'The web chat with the assistant (the citizen’s page)',
          querystring: Lang,
          response: {
            200: { description: 'The page', content: { 'text/html': { schema: z.string() } } },
            400: ErrorBody.describe('`VALIDATION`: `lang` is neither `vi` nor `en`'),
          },
        },
      },
      async (request: FastifyRequest<{ Querystring: z.infer<typeof Lang> }>, reply) => {
        let session = sessionOf(request);
        const newSession = session === null;
        if (session === null) {
          session = randomBytes(32).toString('base64url');
          reply.header('set-cookie', sessionCookie(session));
        }
        return reply
          .header('content-security-policy', CHAT_PAGE_CSP)
          .header('cache-control', 'no-store')
          .type('text/html; charset=utf-8')
          .send(
            renderChatPage({
              language: request.query.lang ?? 'vi',
              devOutbox: webChat.devOutbox,
              noSms: webChat.noSms,
              newSession,
            }),
          );
      },
    );

    for (const [name, asset] of Object.entries(ASSETS)) {
      app.get(
        `/chat/${name}`,
        {
          config: { access: 'public' },
          schema: {
            tags: ['pages'],
            summary: `The chat page’s ${name.endsWith('.js') ? 'script' : 'style sheet'}`,
            response: { 200: { description: name, content: { [asset.type]: { schema: z.string() } } } },
          },
        },
        async (_request, reply) =>
          reply.type(asset.type).header('cache-control', 'public, max-age=300').send(asset.body),
      );
    }

    app.post(
      '/chat/messages',
      {
        config: { access: 'public' },
        schema: {
          tags: ['pages'],
          summary: 'A message of the web chat (text or a button’s payload)',
          description:
            'Needs the session cookie of `GET /`. Stored in the inbox and answered by the assistant over ' +
            '`GET /chat/events`. At most 20 messages a minute per session and 60 per client address.',
          body: MessageBody,
          response: {
            202: z.object({ accepted: z.literal(true) }).describe('Stored; the reply comes as an event'),
            400: ErrorBody.describe(
              '`VALIDATION`: not `{ "text" }` (1 to 1000 characters) or `{ "start": true }`',
            ),
            403: ErrorBody.describe('`NO_SESSION`: no chat session cookie (open `/` first)'),
            429: ErrorBody.describe(
              '`RATE_LIMITED`: too many messages; `Retry-After` says when to send again',
            ),
            503: ErrorBody.describe('`UNAVAILABLE`: could not be stored; send it again'),
          },
        },
      },
      async (request: FastifyRequest<{ Body: z.infer<typeof MessageBody> }>, reply) => {
        const session = sessionOf(request);
        if (session === null) return noSession(reply);
        const at = deps.clock();
        const states = await Promise.all([
          webChat.sessionLimiter.miss(deps.cipher.keyedHash('web-chat-session', session).slice(0, 32), at),
          webChat.clientLimiter.miss(deps.cipher.keyedHash('web-chat-client', request.ip).slice(0, 32), at),
        ]).catch(() => {
          throw apiError('UNAVAILABLE', 'Try again later');
        });
        const blocked = states.find((state) => state.blocked);
        if (blocked?.blocked) {
          return reply
            .code(429)
            .header('retry-after', String(blocked.retryAfterSeconds))
            .send({
              error: {
                code: 'RATE_LIMITED',
                message: `Too many messages: send again in ${blocked.retryAfterSeconds} seconds`,
              },
            });
        }
        const message: InboundMessage = {
          channel: 'web',
          // Retries of one message carry the page's id; sessions never share a message id.
          providerMessageId: `${deps.cipher.keyedHash('web-chat-message', session).slice(0, 16)}-${request.body.id ?? randomUUID()}`,
          from: session,
          text: request.body.text ?? '',
          receivedAt: at.toISOString(),
          ...(request.body.start ? { event: 'follow' as const } : {}),
        };
        try {
          const storing = (async () => {
            if (request.body.lang !== undefined) await webChat.setLanguage(session, request.body.lang);
            await deps.acceptInbound(message);
          })();
          // As a webhook: at most WEBHOOK_STORE_DEADLINE_MS, so a database that answers nothing gives a 503.
          await withDeadline(storing, WEBHOOK_STORE_DEADLINE_MS, 'The inbox');
        } catch {
          throw apiError('UNAVAILABLE', 'Try again later');
        }
        return reply.code(202).send({ accepted: true });
      },
    );

    app.get(
      '/chat/events',
      {
        config: { access: 'public' },
        schema: {
          tags: ['pages'],
          summary: 'The web chat’s replies, as server-sent events',
          description:
            'Needs the session cookie. Every entry is an event `entry` whose data is JSON: `{ kind: "reply", ' +
            'text, language, choices, image? }` or, in development mode, `{ kind: "sms", to, text }`. ' +
            'The event id lets the browser resume after a reconnection (`Last-Event-ID`).',
          response: {
            200: {
              description: 'The event stream',
              content: { 'text/event-stream': { schema: z.string() } },
            },
            403: ErrorBody.describe('`NO_SESSION`: no chat session cookie'),
          },
        },
      },
      async (request, reply) => {
        const session = sessionOf(request);
        if (session === null) return noSession(reply);
        const lastId = request.headers['last-event-id'];
        const stream = openEventStream(app, reply);
        await pipeFeed(stream, webChat.feed, {
          key: session,
          last: typeof lastId === 'string' && STREAM_ID.test(lastId) ? lastId : undefined,
          describe: (entry) => entry,
        });
      },
    );
  };
}

function noSession(reply: FastifyReply) {
  return reply
    .code(403)
    .send({ error: { code: 'NO_SESSION', message: 'No chat session: open the chat page first' } });
}
