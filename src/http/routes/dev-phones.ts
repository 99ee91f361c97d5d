import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { DevSmsEntry } from '../../../adapters/dev-sms/dev-sms.adapter.ts';
import type { GuessLimiter } from '../../domain/shares/guess-limiter.ts';
import type { Language } from '../../messaging/channel.ts';
import type { DevPhoneAdoption } from '../../messaging/dev-phones.ts';
import type { InboundMessage } from '../../messaging/inbound-message.ts';
import type { DataCipher } from '../../shared/crypto.ts';
import { isVietnameseMobile, normalizePhone } from '../../shared/phone.ts';
import type { WebChatFeedReader } from '../../storage/redis/redis-web-chat.ts';
import { crossSiteRequest } from '../access-control.ts';
import { devPhonesCopy } from '../dev-phones/dev-phones.copy.ts';
import { DEV_PHONES_JS } from '../dev-phones/dev-phones-script.ts';
import {
  devPhonePath,
  type ListedDevPhone,
  renderDevPhone,
  renderDevPhoneList,
} from '../dev-phones/render-dev-phones.ts';
import { endEventStreamsOnClose, openEventStream, pipeFeed } from '../sse.ts';
import { CHAT_PAGE_CSP } from './web-chat.ts';

/** What the development phones need. Unset (production, or an SMS channel configured): no `/dev/phones` at all. */
export interface DevPhonesDeps {
  readonly devPhones?:
    | {
        /** The phones' feeds (what the `dev-sms` adapter wrote), keyed by the phone (E.164). */
        readonly feed: WebChatFeedReader;
        /** The adoption rule: only phones development mode adopted are shown or answered as. */
        readonly adoption: DevPhoneAdoption;
        /** The adopted phones, the most recently texted first. */
        list(): Promise<readonly ListedDevPhone[]>;
        /** Counts the answers of one phone (keyed hash). */
        readonly phoneLimiter: GuessLimiter;
        /** Counts the answers of one client (keyed hash of its IP address). */
        readonly clientLimiter: GuessLimiter;
      }
    | undefined;
  readonly cipher: Pick<DataCipher, 'keyedHash'>;
  readonly clock: () => Date;
  acceptInbound(message: InboundMessage): Promise<unknown>;
}

const Answer = z
  .object({
    text: z.string().trim().min(1).max(1000),
    id: z.uuid().optional(),
  })
  .strict();

const languageOf = (request: FastifyRequest): Language =>
  (request.query as Record<string, unknown> | undefined)?.lang === 'en' ? 'en' : 'vi';

/** The phone of a path parameter (`84905123456`), when it is a Vietnamese mobile number. */
function phoneOfParam(param: unknown): string | null {
  if (typeof param !== 'string' || !/^\d{11}$/u.test(param)) return null;
  const phone = normalizePhone(`+${param}`);
  return phone !== null && isVietnameseMobile(phone) ? phone : null;
}

const sendHtml = (reply: FastifyReply, status: number, body: string) =>
  reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', CHAT_PAGE_CSP)
    .header('cache-control', 'no-store')
    .send(body);

const failure = (reply: FastifyReply, status: number, code: string, message: string) =>
  reply.code(status).send({ error: { code, message } });

/**
 * The development phones (docs/channels/web.md), mounted only in development mode: `GET /dev/phones` lists the
 * phones that received texts and starts as a new one (`POST /dev/phones`); `GET /dev/phones/<phone>` one phone's
 * texts, live from `GET /dev/phones/<phone>/events` (server-sent events); `POST /dev/phones/<phone>/messages` an
 * answer as that phone, into the inbox on channel `dev-sms` exactly as a gateway's webhook would. Only phones
 * development mode adopted: never a phone with an account made outside it. State-changing requests from another
 * site are refused (the browser's `Sec-Fetch-Site` or `Origin`); answers are rate-limited like the web chat.
 */
export function devPhoneRoutes(deps: DevPhonesDeps): FastifyPluginAsync {
  return async (app) => {
    const dev = deps.devPhones;
    if (!dev) return;
    endEventStreamsOnClose(app);
    const open = { config: { access: 'public' as const } };
    /** Whether the phone may be shown or answered as (adopting it when it has no account). */
    const adopted = (phone: string) => dev.adoption.adopt(phone, deps.clock());

    app.get('/dev/phones/assets/phones.js', open, async (_request, reply) =>
      reply
        .header('content-type', 'text/javascript; charset=utf-8')
        .header('cache-control', 'no-cache')
        .header('x-content-type-options', 'nosniff')
        .send(DEV_PHONES_JS),
    );

    app.get('/dev/phones', open, async (request, reply) =>
      sendHtml(reply, 200, renderDevPhoneList({ language: languageOf(request), phones: await dev.list() })),
    );

    app.post('/dev/phones', open, async (request, reply) => {
      const language = languageOf(request);
      const t = devPhonesCopy[language];
      if (crossSiteRequest(request))
        return failure(reply, 403, 'FORBIDDEN', 'Cross-site requests are refused');
      const typed = (request.body as Record<string, unknown> | undefined)?.phone;
      const phone = typeof typed === 'string' ? normalizePhone(typed) : null;
      const again = (status: number, error: string) =>
        sendHtml(
          reply,
          status,
          renderDevPhoneList({
            language,
            phones: [],
            error,
            typed: typeof typed === 'string' ? typed.slice(0, 30) : undefined,
          }),
        );
      if (phone === null || !isVietnameseMobile(phone)) return again(400, t.errors.phone);
      if (!(await adopted(phone))) return again(409, t.errors.realAccount);
      return reply
        .code(303)
        .header('location', `${devPhonePath(phone)}${language === 'en' ? '?lang=en' : ''}`)
        .send();
    });

    app.get('/dev/phones/:phone', open, async (request, reply) => {
      const language = languageOf(request);
      const phone = phoneOfParam((request.params as Record<string, unknown>).phone);
      if (phone === null) return failure(reply, 404, 'NOT_FOUND', 'No such phone');
      if (!(await adopted(phone))) {
        return sendHtml(
          reply,
          403,
          renderDevPhoneList({ language, phones: [], error: devPhonesCopy[language].errors.realAccount }),
        );
      }
      return sendHtml(reply, 200, renderDevPhone({ language, phone }));
    });

    app.get('/dev/phones/:phone/events', open, async (request, reply) => {
      const t = devPhonesCopy[languageOf(request)];
      const phone = phoneOfParam((request.params as Record<string, unknown>).phone);
      if (phone === null) return failure(reply, 404, 'NOT_FOUND', 'No such phone');
      if (!(await adopted(phone))) return failure(reply, 403, 'REAL_ACCOUNT', t.errors.realAccount);
      const lastId = request.headers['last-event-id'];
      const last = typeof lastId === 'string' && /^\d{1,20}-\d{1,20}$/u.test(lastId) ? lastId : undefined;
      await pipeFeed(openEventStream(app, reply), dev.feed, {
        key: phone,
        last,
        describe: (item) => {
          const entry = item as DevSmsEntry;
          return {
            text: entry.text,
            countText: entry.sms
              ? t.smsCount(entry.sms.characters, entry.sms.segments, entry.sms.encoding)
              : undefined,
          };
        },
      });
    });

    app.post('/dev/phones/:phone/messages', open, async (request, reply) => {
      const language = languageOf(request);
      const t = devPhonesCopy[language];
      if (crossSiteRequest(request))
        return failure(reply, 403, 'FORBIDDEN', 'Cross-site requests are refused');
      const phone = phoneOfParam((request.params as Record<string, unknown>).phone);
      if (phone === null) return failure(reply, 404, 'NOT_FOUND', 'No such phone');
      const body = Answer.safeParse(request.body);
      if (!body.success) return failure(reply, 400, 'VALIDATION', 'text: 1 to 1000 characters');
      const at = deps.clock();
      const states = await Promise.all([
        dev.phoneLimiter.miss(deps.cipher.keyedHash('dev-phone-answer', phone).slice(0, 32), at),
        dev.clientLimiter.miss(deps.cipher.keyedHash('dev-phone-client', request.ip).slice(0, 32), at),
      ]).catch(() => null);
      if (states === null) return failure(reply, 503, 'UNAVAILABLE', 'Try again later');
      const blocked = states.find((state) => state.blocked);
      if (blocked?.blocked) {
        return reply
          .code(429)
          .header('retry-after', String(blocked.retryAfterSeconds))
          .send({ error: { code: 'RATE_LIMITED', message: t.errors.limited } });
      }
      if (!(await adopted(phone))) return failure(reply, 403, 'REAL_ACCOUNT', t.errors.realAccount);
      const message: InboundMessage = {
        channel: 'dev-sms',
        // A new id per answer (the page's own id, so a retry is stored once); phones never share one.
        providerMessageId: `dev-${deps.cipher.keyedHash('dev-phone-message', phone).slice(0, 16)}-${body.data.id ?? randomUUID()}`,
        from: phone,
        text: body.data.text,
        receivedAt: at.toISOString(),
      };
      try {
        await deps.acceptInbound(message);
      } catch {
        return failure(reply, 503, 'UNAVAILABLE', 'Try again later');
      }
      if (request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
        return reply
          .code(303)
          .header('location', `${devPhonePath(phone)}${language === 'en' ? '?lang=en' : ''}`)
          .send();
      }
      return reply.code(202).send({ accepted: true });
    });
  };
}
