import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { type SimulatorEntry, simulatorFeedKey } from '../../../adapters/simulator/simulator.adapter.ts';
import { maskLocalPhone } from '../../../flows/identity/phone-proof.ts';
import type { CitizenRepository } from '../../domain/citizens/citizen-repository.ts';
import type { TeamRepository } from '../../domain/teams/team.ts';
import { isSimulatedChannel, SIMULATED_CHANNELS, type SimulatedChannel } from '../../messaging/channel.ts';
import type { InboundMessage } from '../../messaging/inbound-message.ts';
import type { DataCipher } from '../../shared/crypto.ts';
import { isVietnameseMobile, normalizePhone } from '../../shared/phone.ts';
import type { WebChatFeedReader } from '../../storage/redis/redis-web-chat.ts';
import {
  type ConsoleRole,
  type ConsoleSession,
  consoleSessionOf,
  type ResolveConsoleSession,
} from '../access-control.ts';
import { html } from '../share-page/html.ts';
import { endEventStreamsOnClose, openEventStream, pipeFeed } from '../sse.ts';
import type { ConsoleLang } from './console.copy.ts';
import { CONSOLE_CSP, renderConsolePage } from './console-page.ts';
import { consoleLangOf } from './console-routes.ts';
import { followConsoleSession } from './console-stream.ts';
import { simulatorCopy } from './simulator.copy.ts';
import { SIMULATOR_JS } from './simulator-script.ts';

/** What the Simulator needs. Unset: no Simulator (as the console without sessions). */
export interface SimulatorDeps {
  readonly simulator?:
    | {
        /** The simulated conversations' feeds (the web chat's feed under the simulator's prefix). */
        readonly feed: WebChatFeedReader;
        /** NODE_ENV is production: the Simulator is for staff only. */
        readonly production: boolean;
      }
    | undefined;
  readonly citizens: Pick<CitizenRepository, 'findByPhone'>;
  /** A made-up phone that is a team member's is refused (on SMS it would be that member, with their hand-offs). */
  readonly teams: Pick<TeamRepository, 'membershipOf'>;
  readonly cipher: Pick<DataCipher, 'keyedHash'>;
  readonly consoleSessions?: unknown;
  /** Finds a request's console session as it is now: the event stream ends when its session does. */
  readonly consoleSession?: ResolveConsoleSession | undefined;
  acceptInbound(message: InboundMessage): Promise<unknown>;
  readonly clock?: () => Date;
}

const EVERYONE: readonly ConsoleRole[] = ['staff', 'leader', 'member'];
const STAFF: readonly ConsoleRole[] = ['staff'];
/** The roles that may use the Simulator: staff only in production, every console role elsewhere. */
export function simulatorRoles(production: boolean): readonly ConsoleRole[] {
  return production ? STAFF : EVERYONE;
}

/** A made-up Vietnamese mobile number, `09xxxxxxxx`. */
export function randomMadeUpPhone(): string {
  return `09${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
}

const field = (body: unknown, name: string): unknown => (body as Record<string, unknown> | undefined)?.[name];

/**
 * The console's Simulator (docs/console.md): `/console/simulator` the page; `POST /console/simulator/start` a
 * simulated conversation (channel and made-up phone), answered with its reference; `POST
 * /console/simulator/messages` a message of it into the inbox, as a webhook would (the same queues and engine);
 * `GET /console/simulator/events` its replies (the simulator channels' adapter writes them to the feed) as
 * server-sent events. A reference is `<channel>.<address>.<mac>`, the mac a keyed hash over the console session's
 * id: only the session that started a conversation reads or writes it.
 */
export function simulatorRoutes(deps: SimulatorDeps): FastifyPluginAsync {
  return async (app) => {
    const sim = deps.simulator;
    if (!deps.consoleSessions || !sim) return;
    const now = deps.clock ?? (() => new Date());
    const roles = { access: 'console' as const, consoleRoles: simulatorRoles(sim.production) };
    endEventStreamsOnClose(app);

    const macOf = (session: ConsoleSession, channel: string, address: string) =>
      deps.cipher.keyedHash('console-simulator', `${session.id}|${channel}|${address}`).slice(0, 32);
    const referenceOf = (session: ConsoleSession, channel: SimulatedChannel, address: string) =>
      `${channel}.${Buffer.from(address).toString('base64url')}.${macOf(session, channel, address)}`;
    /** The conversation of a reference, when this session started it. */
    const conversationOf = (
      session: ConsoleSession,
      reference: unknown,
    ): { channel: SimulatedChannel; address: string } | null => {
      if (typeof reference !== 'string' || reference.length > 200) return null;
      const [channel, encoded, mac] = reference.split('.');
      if (channel === undefined || !isSimulatedChannel(channel) || !encoded || !mac) return null;
      const address = Buffer.from(encoded, 'base64url').toString('utf8');
      return mac === macOf(session, channel, address) ? { channel, address } : null;
    };
    const failure = (reply: FastifyReply, status: number, code: string, message: string) =>
      reply.code(status).send({ error: { code, message } });

    app.get('/console/assets/simulator.js', { config: { access: 'public' } }, async (_request, reply) =>
      reply
        .header('content-type', 'text/javascript; charset=utf-8')
        .header('cache-control', 'public, max-age=3600')
        .header('x-content-type-options', 'nosniff')
        .send(SIMULATOR_JS),
    );

    app.get('/console/simulator', { config: roles }, async (request, reply) => {
      const session = consoleSessionOf(request);
      const lang = consoleLangOf(request, reply);
      const c = simulatorCopy[lang];
      const content = html`<p>${c.intro}</p>
<noscript><p class="error">${c.noscript}</p></noscript>
<div id="simulator" data-csrf="${session.csrf}" data-you="${c.you}" data-assistant="${c.assistant}" data-failed="${c.errors.failed}">
<form id="sim-setup" method="post" action="/console/simulator/start" aria-labelledby="sim-setup-title">
<h2 id="sim-setup-title">${c.setup}</h2>
<label for="sim-channel">${c.channel}</label>
<select id="sim-channel" name="channel">${SIMULATED_CHANNELS.map((channel) => html`<option value="${channel}">${c.channels[channel]}</option>`)}</select>
<label for="sim-phone">${c.phone}</label>
<input id="sim-phone" name="phone" type="tel" inputmode="tel" autocomplete="off" required value="${randomMadeUpPhone()}" aria-describedby="sim-phone-hint">
<p id="sim-phone-hint" class="muted">${c.phoneHint}</p>
<button type="submit">${c.start}</button>
</form>
<p id="sim-error" class="error" role="alert" hidden></p>
<section id="sim-chat" aria-labelledby="sim-chat-title" hidden>
<h2 id="sim-chat-title">${c.chat}</h2>
<p id="sim-state" class="muted" role="status"></p>
<div role="log" aria-live="polite" aria-labelledby="sim-chat-title"><ol id="sim-log" class="sim-log"></ol></div>
<form id="sim-send" method="post" action="/console/simulator/messages">
<label for="sim-text">${c.message}</label>
<input id="sim-text" name="text" type="text" autocomplete="off" maxlength="1000">
<button type="submit">${c.send}</button>
</form>
</section>
</div>
<script src="/console/assets/simulator.js" defer></script>`;
      return reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('content-security-policy', CONSOLE_CSP)
        .header('cache-control', 'no-store')
        .send(
          renderConsolePage({
            developmentMode: request.server.developmentMode,
            lang,
            title: c.title,
            path: '/console/simulator',
            session,
            content,
            production: sim.production,
          }),
        );
    });

    app.post('/console/simulator/start', { config: roles }, async (request, reply) => {
      const session = consoleSessionOf(request);
      const c = simulatorCopy[consoleLangOf(request, reply)];
      const channel = field(request.body, 'channel');
      if (typeof channel !== 'string' || !isSimulatedChannel(channel)) {
        return failure(reply, 400, 'VALIDATION', 'channel: sim-sms, sim-zalo or sim-telegram');
      }
      const typed = field(request.body, 'phone');
      const phone = typeof typed === 'string' ? normalizePhone(typed) : null;
      if (phone === null || !isVietnameseMobile(phone)) {
        return failure(reply, 400, 'VALIDATION', c.errors.phone);
      }
      // A made-up phone never reaches a real account (on SMS the phone is the address, and proves itself).
      const owner = await deps.citizens.findByPhone(phone);
      if (
        (owner !== null && !isSimulatedChannel(owner.createdVia)) ||
        (await deps.teams.membershipOf(phone)) !== null
      ) {
        return failure(reply, 409, 'REAL_ACCOUNT', c.errors.realAccount);
      }
      const address = channel === 'sim-sms' ? phone : `sim-${randomBytes(12).toString('base64url')}`;
      return reply.send({
        conversation: referenceOf(session, channel, address),
        started: c.started(c.channels[channel], maskLocalPhone(phone)),
        // Messengers greet a new follower; an SMS conversation starts with the person's first message.
        welcome: channel !== 'sim-sms',
      });
    });

    app.post('/console/simulator/messages', { config: roles }, async (request, reply) => {
      const session = consoleSessionOf(request);
      const conversation = conversationOf(session, field(request.body, 'conversation'));
      if (!conversation) return failure(reply, 404, 'NOT_FOUND', 'No such simulated conversation');
      const text = field(request.body, 'text');
      const start = field(request.body, 'start') === true;
      const typed = typeof text === 'string' ? text.trim() : '';
      if (!start && (typed === '' || typed.length > 1000)) {
        return failure(reply, 400, 'VALIDATION', 'text: 1 to 1000 characters');
      }
      const message: InboundMessage = {
        channel: conversation.channel,
        providerMessageId: `sim-${randomUUID()}`,
        from: conversation.address,
        text: start ? '' : typed,
        receivedAt: now().toISOString(),
        ...(start ? { event: 'follow' as const } : {}),
      };
      try {
        await deps.acceptInbound(message);
      } catch {
        return failure(reply, 503, 'UNAVAILABLE', 'Try again later');
      }
      return reply.code(202).send({ accepted: true });
    });

    app.get('/console/simulator/events', { config: roles }, async (request, reply) => {
      const session = consoleSessionOf(request);
      const query = request.query as Record<string, unknown>;
      const conversation = conversationOf(session, query.conversation);
      if (!conversation) return failure(reply, 404, 'NOT_FOUND', 'No such simulated conversation');
      const lang = consoleLangOf(request, reply);
      const key = simulatorFeedKey(conversation.channel, conversation.address);
      const stream = openEventStream(app, reply);
      const stillValid = followConsoleSession(stream, request, session, deps.consoleSession);
      await pipeFeed(stream, sim.feed, {
        key,
        describe: (entry) => describe(entry as SimulatorEntry, lang),
        beforeRead: stillValid,
      });
    });
  };
}

/** An entry as the page shows it: the SMS counts and the code's label written out in the page's language. */
function describe(entry: SimulatorEntry, lang: ConsoleLang) {
  const c = simulatorCopy[lang];
  if (entry.kind === 'sms') return { ...entry, label: c.codeSms(entry.to) };
  return entry.sms
    ? { ...entry, countText: c.smsCount(entry.sms.characters, entry.sms.segments, entry.sms.encoding) }
    : entry;
}
