import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { HandoffDesk } from '../../../flows/handoff/handoff-desk.ts';
import { channelLabel, shorten, TEAM_NAME_CHARACTERS } from '../../../flows/handoff/handoff-text.ts';
import { maskLocalPhone } from '../../../flows/identity/phone-proof.ts';
import type { Handoff, HandoffRepository } from '../../domain/handoffs/handoff.ts';
import type { HandoffEventSource } from '../../domain/handoffs/handoff-events.ts';
import type { TeamMember, TeamRepository } from '../../domain/teams/team.ts';
import { vietnamDates } from '../../shared/vietnam-time.ts';
import {
  type ConsoleRole,
  type ConsoleSession,
  consoleSessionOf,
  type ResolveConsoleSession,
} from '../access-control.ts';
import { html } from '../share-page/html.ts';
import { endEventStreamsOnClose, openEventStream } from '../sse.ts';
import type { ConsoleLang } from './console.copy.ts';
import { consoleLangOf, sendConsolePage } from './console-routes.ts';
import { followConsoleSession } from './console-stream.ts';
import { inboxCopy } from './inbox.copy.ts';
import { INBOX_JS } from './inbox-script.ts';

/** What the Inbox needs. */
export interface InboxDeps {
  readonly teams: Pick<TeamRepository, 'membershipOf' | 'findById' | 'members'>;
  readonly handoffs: Pick<HandoffRepository, 'list' | 'findById' | 'thread'>;
  /** The hand-off desk (the same functions as NHAN, the relay, XONG and the admin API). Unset: no Inbox. */
  readonly inboxDesk?: Pick<HandoffDesk, 'take' | 'answer' | 'close' | 'citizenPhone'> | undefined;
  /** Hand-off changes from every process, for the live updates. Unset: the pages do not update by themselves. */
  readonly handoffEvents?: HandoffEventSource | undefined;
  /** Finds a request's console session as it is now: an event stream ends when its session does. */
  readonly consoleSession?: ResolveConsoleSession | undefined;
  readonly clock?: () => Date;
}

/** The longest answer typed in the console. */
export const INBOX_REPLY_CHARACTERS = 1000;
const ALL: readonly ConsoleRole[] = ['staff', 'leader', 'member'];
const console_ = (roles: readonly ConsoleRole[]) => ({ access: 'console' as const, consoleRoles: roles });
const HANDOFF_ID = /^[1-9]\d{0,14}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const field = (body: unknown, name: string): string => {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
};
/** A time as the page shows it: Vietnam time, `HH:MM dd/mm/yyyy`, as everywhere we show a moment. */
const localTime = (at: Date) => vietnamDates.moment(at);

/**
 * The console's Inbox (docs/console.md): `/console/inbox` the open and held hand-offs a session may see (staff:
 * all; leaders and members: those their team was told about, the rule of NHAN), `/console/inbox/:id` one with
 * its thread and the take / reply / close forms (through the hand-off desk, exactly as NHAN, the relay and XONG,
 * or the admin API for staff), and `/console/inbox/events`: server-sent events naming the hand-off that changed
 * (id and kind, never text) so the pages' script re-reads it. Thread text is personal data: never logged, pages
 * are `no-store`.
 */
export function inboxRoutes(deps: InboxDeps): FastifyPluginAsync {
  return async (app) => {
    const desk = deps.inboxDesk;
    if (!desk) return;
    const now = deps.clock ?? (() => new Date());
    endEventStreamsOnClose(app);

    const page = sendConsolePage;
    const see = (reply: FastifyReply, location: string) =>
      reply.code(303).header('cache-control', 'no-store').header('location', location).send();
    const forbidden = (request: FastifyRequest, reply: FastifyReply, session: ConsoleSession) =>
      page(request, reply, session, (lang) => ({ title: inboxCopy[lang].forbidden, content: html`` }), 403);

    /** Which hand-offs a session sees: staff all; a team those of its ward and those told to every team. */
    const scopeOf = async (session: ConsoleSession) => {
      if (session.role === 'staff' || !session.teamId) return { all: session.role === 'staff', ward: null };
      return { all: false, ward: (await deps.teams.findById(session.teamId))?.wardCode ?? null };
    };
    const sees = (scope: { all: boolean; ward: string | null }, wardCode: string | null) =>
      scope.all || wardCode === null || (scope.ward !== null && wardCode === scope.ward);

    /** The hand-off of `:id` if this session may see it: null unknown, `forbidden` another ward's. */
    const visibleHandoff = async (request: FastifyRequest, session: ConsoleSession) => {
      const { id } = request.params as { id: string };
      if (!HANDOFF_ID.test(id)) return null;
      const handoff = await deps.handoffs.findById(Number(id));
      if (!handoff) return null;
      return sees(await scopeOf(session), handoff.wardCode) ? handoff : ('forbidden' as const);
    };

    /** Who holds a hand-off, as volunteers are told (team name, phone masked), read once per page. */
    const holders = () => {
      const members = new Map<string, Promise<TeamMember[]>>();
      return async (handoff: Handoff, session: ConsoleSession, lang: ConsoleLang) => {
        const holder = handoff.holder;
        if (!holder || handoff.status !== 'held') return null;
        const c = inboxCopy[lang];
        if (holder.memberId === session.memberId) return c.heldByYou;
        if (!members.has(holder.teamId)) members.set(holder.teamId, deps.teams.members(holder.teamId));
        const [team, teamMembers] = await Promise.all([
          deps.teams.findById(holder.teamId),
          members.get(holder.teamId),
        ]);
        const member = teamMembers?.find((m) => m.id === holder.memberId);
        return c.heldBy(
          shorten(team?.name ?? '-', TEAM_NAME_CHARACTERS),
          member ? maskLocalPhone(member.phone) : '-',
        );
      };
    };
    const citizenPhone = async (handoff: Handoff) => {
      const phone = await desk.citizenPhone(handoff.chat);
      return phone ? maskLocalPhone(phone) : null;
    };
    const minutesSince = (at: Date) => Math.max(0, Math.floor((now().getTime() - at.getTime()) / 60_000));
    const notices = (request: FastifyRequest, lang: ConsoleLang) => {
      const c = inboxCopy[lang];
      const query = request.query as { error?: unknown; done?: unknown };
      const error = typeof query.error === 'string' ? c.errors[query.error] : undefined;
      const done = typeof query.done === 'string' ? c.done[query.done] : undefined;
      return html`${error ? html`<p class="error" role="alert">${error}</p>` : null}${done ? html`<p class="note" role="status">${done}</p>` : null}`;
    };
    const liveStatus = (lang: ConsoleLang) =>
      html`<p id="live-status" class="muted" role="status" data-updated="${inboxCopy[lang].updated}"></p>
<script src="/console/assets/inbox.js" defer></script>`;

    app.get('/console/assets/inbox.js', { config: { access: 'public' } }, async (_request, reply) =>
      reply
        .header('content-type', 'text/javascript; charset=utf-8')
        .header('cache-control', 'public, max-age=3600')
        .header('x-content-type-options', 'nosniff')
        .send(INBOX_JS),
    );

    // ── The list ─────────────────────────────────────────────────────────────────────────────────────────────
    app.get('/console/inbox', { config: console_(ALL) }, async (request, reply) => {
      const session = consoleSessionOf(request);
      const scope = await scopeOf(session);
      const [open, held] = await Promise.all([
        deps.handoffs.list({ status: 'open', limit: 200 }),
        deps.handoffs.list({ status: 'held', limit: 200 }),
      ]);
      const shown = [...open, ...held]
        .filter((handoff) => sees(scope, handoff.wardCode))
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
      const lang = consoleLangOf(request, reply);
      const holderOf = holders();
      const rows = await Promise.all(
        shown.map(async (handoff) => ({
          handoff,
          phone: await citizenPhone(handoff),
          holder: await holderOf(handoff, session, lang),
        })),
      );
      return page(request, reply, session, (l) => {
        const c = inboxCopy[l];
        return {
          title: c.title,
          content: html`<p>${session.role === 'staff' ? c.introStaff : c.intro}</p>
<div id="live">
${
  rows.length === 0
    ? html`<p>${c.none}</p>`
    : html`<ul class="list">${rows.map(
        ({ handoff, phone, holder }) =>
          html`<li data-handoff="${handoff.id}"><a href="/console/inbox/${handoff.id}">${c.number(handoff.id)}</a>
<span class="badge ${handoff.status}">${c.status[handoff.status]}</span><br>
<span class="muted">${channelLabel(handoff.chat.channel)} · ${phone ?? c.noPhone} · ${c.age(minutesSince(handoff.createdAt))}</span>${
            holder ? html`<br><span class="muted">${holder}</span>` : null
          }</li>`,
      )}</ul>`
}
</div>
${liveStatus(l)}`,
        };
      });
    });

    // ── Live updates ─────────────────────────────────────────────────────────────────────────────────────────
    app.get('/console/inbox/events', { config: console_(ALL) }, async (request, reply) => {
      const session = consoleSessionOf(request);
      const scope = await scopeOf(session);
      const stream = openEventStream(app, reply);
      const stillValid = followConsoleSession(stream, request, session, deps.consoleSession);
      if (!deps.handoffEvents) return;
      try {
        const stop = await deps.handoffEvents.subscribe((event) => {
          if (!sees(scope, event.wardCode)) return;
          void stillValid().then((valid) => {
            if (valid) stream.send('handoff', { id: event.id, kind: event.kind });
          });
        });
        stream.onClose(stop);
      } catch {
        stream.end();
      }
    });

    // ── One hand-off ─────────────────────────────────────────────────────────────────────────────────────────
    app.get('/console/inbox/:id', { config: console_(ALL) }, async (request, reply) => {
      const session = consoleSessionOf(request);
      const handoff = await visibleHandoff(request, session);
      if (handoff === 'forbidden') return forbidden(request, reply, session);
      if (!handoff) return reply.callNotFound();
      const lang = consoleLangOf(request, reply);
      const [thread, phone, holder] = await Promise.all([
        deps.handoffs.thread(handoff.id),
        citizenPhone(handoff),
        holders()(handoff, session, lang),
      ]);
      const holds = handoff.status === 'held' && handoff.holder?.memberId === session.memberId;
      const active = handoff.status !== 'closed';
      const mayAnswer = active && (session.role === 'staff' || holds);
      const mayTake = handoff.status === 'open' && session.role !== 'staff';
      const csrf = html`<input type="hidden" name="_csrf" value="${session.csrf}">`;
      return page(request, reply, session, (l) => {
        const c = inboxCopy[l];
        return {
          title: c.number(handoff.id),
          content: html`${notices(request, l)}
<div id="live" data-handoff="${handoff.id}">
<p><span class="badge ${handoff.status}">${c.status[handoff.status]}</span>
<span class="muted">${channelLabel(handoff.chat.channel)} · ${phone ?? c.noPhone} · ${c.age(minutesSince(handoff.createdAt))}</span></p>
${holder ? html`<p>${holder}</p>` : null}
${mayTake ? html`<form method="post" action="/console/inbox/${handoff.id}/take">${csrf}<button type="submit">${c.take}</button></form>` : null}
<h2>${c.thread}</h2>
${
  thread.length === 0
    ? html`<p>${c.noMessages}</p>`
    : html`<ol class="thread">${thread.map(
        (message) =>
          html`<li class="${message.author}"><strong>${c.authors[message.author]}</strong> <span class="muted">${localTime(message.at)}</span><br>${message.text}</li>`,
      )}</ol>`
}
${
  mayAnswer
    ? html`<h2>${c.reply}</h2>
<form method="post" action="/console/inbox/${handoff.id}/reply">${csrf}<input type="hidden" name="ref" value="${randomUUID()}">
<label for="reply-text">${c.replyLabel}</label>
<textarea id="reply-text" name="text" required maxlength="${INBOX_REPLY_CHARACTERS}"></textarea>
<button type="submit">${c.send}</button>
</form>
<form method="post" action="/console/inbox/${handoff.id}/close">${csrf}<button class="danger" type="submit">${c.close}</button></form>`
    : null
}
</div>
${liveStatus(l)}
<p><a href="/console/inbox">${c.back}</a></p>`,
        };
      });
    });

    app.post(
      '/console/inbox/:id/take',
      { config: console_(['leader', 'member']) },
      async (request, reply) => {
        const session = consoleSessionOf(request);
        const handoff = await visibleHandoff(request, session);
        if (handoff === 'forbidden') return forbidden(request, reply, session);
        if (!handoff) return reply.callNotFound();
        const membership = session.phone ? await deps.teams.membershipOf(session.phone) : null;
        if (!membership) return forbidden(request, reply, session);
        // Taken from the console, it is held from the chat where the volunteer joined their team: what the
        // citizen writes is relayed there too, and what they write there reaches the citizen.
        const chat = { channel: membership.member.channel, address: membership.member.address };
        const outcome = await desk.take(handoff.id, { phone: session.phone ?? null, chat }, now());
        const to = `/console/inbox/${handoff.id}`;
        switch (outcome.type) {
          case 'taken':
            return see(reply, `${to}?done=taken`);
          case 'held_by_other':
          case 'holding_another':
          case 'closed':
            return see(reply, `${to}?error=${outcome.type}`);
          case 'not_found':
            return reply.callNotFound();
          case 'other_ward':
          case 'not_member':
            return forbidden(request, reply, session);
        }
      },
    );

    app.post('/console/inbox/:id/reply', { config: console_(ALL) }, async (request, reply) => {
      const session = consoleSessionOf(request);
      const handoff = await visibleHandoff(request, session);
      if (handoff === 'forbidden') return forbidden(request, reply, session);
      if (!handoff) return reply.callNotFound();
      const to = `/console/inbox/${handoff.id}`;
      const text = field(request.body, 'text').replace(/\r\n?/g, '\n').trim();
      if (text === '') return see(reply, `${to}?error=empty`);
      if (Array.from(text).length > INBOX_REPLY_CHARACTERS) return see(reply, `${to}?error=too_long`);
      const holds = handoff.status === 'held' && handoff.holder?.memberId === session.memberId;
      if (session.role !== 'staff' && !holds) return see(reply, `${to}?error=not_holder`);
      // The form's own id: the same form posted twice is one message.
      const formRef = field(request.body, 'ref');
      const ref = `console-${UUID.test(formRef) ? formRef.toLowerCase() : randomUUID()}`;
      const from =
        session.role === 'staff' || !session.memberId
          ? ({ author: 'staff' } as const)
          : ({ author: 'volunteer', memberId: session.memberId } as const);
      const outcome = await desk.answer(handoff.id, from, text, ref, now());
      return see(reply, `${to}?${outcome.type === 'sent' ? 'done=sent' : 'error=closed'}`);
    });

    app.post('/console/inbox/:id/close', { config: console_(ALL) }, async (request, reply) => {
      const session = consoleSessionOf(request);
      const handoff = await visibleHandoff(request, session);
      if (handoff === 'forbidden') return forbidden(request, reply, session);
      if (!handoff) return reply.callNotFound();
      const to = `/console/inbox/${handoff.id}`;
      const holds = handoff.status === 'held' && handoff.holder?.memberId === session.memberId;
      if (session.role !== 'staff' && !holds) return see(reply, `${to}?error=not_holder`);
      const outcome = await desk.close(
        handoff.id,
        session.role === 'staff'
          ? { closer: 'staff' }
          : { closer: 'volunteer', memberId: session.memberId ?? null },
        now(),
      );
      return see(reply, `${to}?${outcome.type === 'closed' ? 'done=closed' : 'error=closed'}`);
    });
  };
}
