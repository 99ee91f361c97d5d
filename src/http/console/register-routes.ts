import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { assistedCopy } from '../../../flows/assisted/assisted.copy.ts';
import type {
  Asker,
  Assisted,
  RequestConsentResult,
  RequestOutcome,
} from '../../../flows/assisted/assisted.effects.ts';
import { readNeighbourPhone } from '../../../flows/assisted/assisted.flow.ts';
import { checkIdentityFields } from '../../../flows/registration/identity-steps.ts';
import type { AssistedRequest, AssistedRequestRepository } from '../../domain/assisted/assisted-request.ts';
import { formatAccountCode } from '../../domain/citizens/account-code.ts';
import { formatBirthDate } from '../../domain/citizens/birth-date.ts';
import type { CitizenRepository } from '../../domain/citizens/citizen-repository.ts';
import type { TeamRepository } from '../../domain/teams/team.ts';
import { ChannelIdSchema } from '../../messaging/channel.ts';
import { maskPhone } from '../../shared/phone.ts';
import { type ConsoleSession, consoleSessionOf } from '../access-control.ts';
import { html, type SafeHtml } from '../share-page/html.ts';
import { type ConsoleLang, consoleCopy } from './console.copy.ts';
import { consoleLangOf, sendConsolePage } from './console-routes.ts';
import { registerCopy } from './register.copy.ts';

/** What the Register a neighbour page needs: DKH's own service (consent SMS, limits, code, audit, expiry). */
export interface RegisterDeps {
  readonly teams: Pick<TeamRepository, 'membershipOf'>;
  readonly citizens: Pick<CitizenRepository, 'findById'>;
  /** Unset: the page does not exist (as the console without sessions). */
  readonly assisted?: Pick<Assisted, 'requestConsent' | 'typeCode'> | undefined;
  readonly assistedRequests?: Pick<AssistedRequestRepository, 'findById'> | undefined;
  readonly consoleSessions?: unknown;
  readonly clock?: () => Date;
}

/** How long the status endpoint holds an unchanged answer, and how often it looks at the request meanwhile. */
const WAIT = { maxMs: 25_000, everyMs: 1_000 } as const;

/** The script that updates a waiting request's page by itself (served from this origin: no inline script). */
export const REGISTER_JS = `'use strict';
(function () {
  var WAITING = ['pending', 'consented'];
  var sleep = function (ms) { return new Promise(function (done) { setTimeout(done, ms); }); };
  async function refresh() {
    var page = await fetch(location.pathname, { credentials: 'same-origin' });
    if (!page.ok || page.redirected) return false;
    var doc = new DOMParser().parseFromString(await page.text(), 'text/html');
    var fresh = doc.getElementById('main');
    var main = document.getElementById('main');
    if (!fresh || !main) return false;
    main.replaceChildren.apply(main, Array.prototype.map.call(fresh.childNodes, function (n) { return document.importNode(n, true); }));
    return true;
  }
  async function watch() {
    for (;;) {
      var box = document.getElementById('request-state');
      if (!box || WAITING.indexOf(box.dataset.status) < 0) return;
      var status = box.dataset.status;
      var answer = null;
      try {
        var response = await fetch(box.dataset.wait + '?status=' + encodeURIComponent(status), {
          credentials: 'same-origin', headers: { accept: 'application/json' },
        });
        if (response.redirected || response.status === 401 || response.status === 403 || response.status === 404) return;
        if (response.ok) answer = await response.json();
      } catch (e) { answer = null; }
      if (answer === null) { await sleep(5000); continue; }
      if (answer.status !== status && !(await refresh())) return;
    }
  }
  watch();
})();
`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FIELDS = ['phone', 'fullName', 'cccd', 'dateOfBirth'] as const;
type Field = (typeof FIELDS)[number];
type Values = Record<Field, string>;
type Hints = Partial<Record<Field, string>>;

const field = (body: unknown, name: string): string => {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value.slice(0, 200) : '';
};

/** What the volunteer is told when asking did not send anything: DKH's sentences, and an HTTP status. */
function notSent(
  result: Exclude<RequestConsentResult, { type: 'sent' }>,
  lang: ConsoleLang,
): { text: string; status: number } {
  const c = assistedCopy[lang];
  switch (result.type) {
    case 'notMember':
      return { text: c.notMember(), status: 403 };
    case 'phoneHasAccount':
      return { text: c.phoneHasAccount(), status: 409 };
    case 'cccdTaken':
      return { text: c.cccdTaken(), status: 409 };
    case 'phonePending':
      return { text: c.phonePending(), status: 409 };
    case 'optedOut':
      return { text: c.optedOut(), status: 409 };
    case 'tooManyPending':
      return { text: c.tooManyPending(result.max), status: 429 };
    case 'hourlyLimit':
      return { text: c.hourlyLimit(result.max), status: 429 };
    case 'unavailable':
      return { text: c.unavailable(), status: 503 };
  }
}

/**
 * The console's Register a neighbour page (`/console/register`): DKH as a form, for team members and leaders. The
 * form is checked with DKH's parsers and hints; the summary's "send" goes through DKH's own service
 * (`requestConsent`: membership, taken phone or CCCD, limits, the consent SMS, the expiry job, the audit with the
 * member as actor). The request's page (`/console/register/:id`, the member who made it or their leader) shows
 * its state, takes the code the neighbour reads out (`typeCode`, wrong codes count), and updates by itself when
 * the neighbour replies CO (a same-origin script long-polls `/console/register/:id/wait`).
 */
export function registerRoutes(deps: RegisterDeps): FastifyPluginAsync {
  return async (app) => {
    const { assisted, assistedRequests } = deps;
    if (!deps.consoleSessions || !assisted || !assistedRequests) return;
    const now = deps.clock ?? (() => new Date());
    const members = { access: 'console' as const, consoleRoles: ['leader', 'member'] as const };

    const page = sendConsolePage;
    const csrfField = (session: ConsoleSession) =>
      html`<input type="hidden" name="_csrf" value="${session.csrf}">`;
    const hidden = (values: Values) =>
      FIELDS.map((name) => html`<input type="hidden" name="${name}" value="${values[name]}">`);

    /** The form, filled with `values`, each field with its hint if it has one. */
    const formPage = (
      request: FastifyRequest,
      reply: FastifyReply,
      session: ConsoleSession,
      values: Values,
      hints: Hints,
      options: { error?: string; status?: number } = {},
    ) =>
      page(
        request,
        reply,
        session,
        (lang) => {
          const c = registerCopy[lang];
          const input = (name: Field, label: string, attributes: SafeHtml, help?: string) => {
            const hint = hints[name];
            const described = [help ? `${name}-help` : '', hint ? `${name}-error` : ''].join(' ').trim();
            return html`<label for="${name}">${label}</label>
${help ? html`<p class="muted" id="${name}-help">${help}</p>` : null}
${hint ? html`<p class="error" id="${name}-error">${hint}</p>` : null}
<input id="${name}" name="${name}" value="${values[name]}" required ${attributes}${described ? html` aria-describedby="${described}"` : null}${hint ? html` aria-invalid="true"` : null}>`;
          };
          const anyHint = Object.keys(hints).length > 0;
          return {
            title: c.title,
            content: html`${options.error ? html`<p class="error" role="alert">${options.error}</p>` : null}${anyHint ? html`<p class="error" role="alert">${c.fixErrors}</p>` : null}
<p>${c.intro}</p>
<form method="post" action="/console/register" novalidate>
${csrfField(session)}
${input('phone', c.phone, html`type="tel" inputmode="tel" autocomplete="off" maxlength="20"`, c.phoneHint)}
${input('fullName', c.fullName, html`autocomplete="off" maxlength="80"`)}
${input('cccd', c.cccd, html`inputmode="numeric" autocomplete="off" maxlength="20"`)}
${input('dateOfBirth', c.dateOfBirth, html`autocomplete="off" maxlength="20"`, c.dateHint)}
<button type="submit">${c.next}</button>
</form>`,
          };
        },
        options.status ?? (anyHintOf(hints) ? 400 : 200),
      );
    const anyHintOf = (hints: Hints) => Object.keys(hints).length > 0;

    /** Checks the form as DKH checks the answers: the phone, then the identity with registration's hints. */
    const check = (values: Values, session: ConsoleSession, lang: ConsoleLang) => {
      const hints: Hints = {};
      const phone = readNeighbourPhone(values.phone);
      if (phone === null) hints.phone = assistedCopy[lang].phoneInvalid();
      else if (phone === session.phone) hints.phone = assistedCopy[lang].ownPhone();
      const identity = checkIdentityFields(values, { language: lang, now: now() });
      if (!identity.ok) Object.assign(hints, identity.hints);
      return phone !== null && identity.ok && !anyHintOf(hints)
        ? { ok: true as const, details: { phone, ...identity.value } }
        : { ok: false as const, hints };
    };
    const valuesOf = (body: unknown): Values => ({
      phone: field(body, 'phone'),
      fullName: field(body, 'fullName'),
      cccd: field(body, 'cccd'),
      dateOfBirth: field(body, 'dateOfBirth'),
    });
    const empty: Values = { phone: '', fullName: '', cccd: '', dateOfBirth: '' };

    // Staff may open the page to be told it is for team members (403); its forms are for members and leaders.
    app.get(
      '/console/register',
      { config: { access: 'console', consoleRoles: ['staff', 'leader', 'member'] } },
      async (request, reply) => {
        const session = consoleSessionOf(request);
        if (session.role === 'staff') {
          return page(
            request,
            reply,
            session,
            (lang) => ({
              title: registerCopy[lang].staffTitle,
              content: html`<p>${registerCopy[lang].staffOnly}</p><p><a href="/console/teams">${consoleCopy[lang].teams}</a></p>`,
            }),
            403,
          );
        }
        return formPage(request, reply, session, empty, {});
      },
    );

    // The form posted: its hints, or the summary with "send the consent SMS" (and "change" back to the form).
    app.post('/console/register', { config: members }, async (request, reply) => {
      const session = consoleSessionOf(request);
      const lang = consoleLangOf(request);
      const values = valuesOf(request.body);
      if (field(request.body, 'edit') === '1') return formPage(request, reply, session, values, {});
      const checked = check(values, session, lang);
      if (!checked.ok) return formPage(request, reply, session, values, checked.hints);
      const { details } = checked;
      const clean: Values = {
        phone: details.phone,
        fullName: details.fullName,
        cccd: details.cccd,
        dateOfBirth: formatBirthDate(details.dateOfBirth),
      };
      return page(request, reply, session, () => {
        const c = registerCopy[lang];
        return {
          title: c.summaryTitle,
          content: html`<p>${c.summaryIntro}</p>
<dl class="summary">
<dt>${c.phone}</dt><dd>${details.phone}</dd>
<dt>${c.fullName}</dt><dd>${details.fullName}</dd>
<dt>${c.cccd}</dt><dd>${details.cccd}</dd>
<dt>${c.dateOfBirth}</dt><dd>${clean.dateOfBirth}</dd>
</dl>
<form method="post" action="/console/register/send">
${csrfField(session)}${hidden(clean)}
<input type="hidden" name="ref" value="${randomUUID()}">
<button type="submit">${c.send}</button>
</form>
<form method="post" action="/console/register">
${csrfField(session)}${hidden(clean)}
<input type="hidden" name="edit" value="1">
<button class="link" type="submit">${c.edit}</button>
</form>`,
        };
      });
    });

    /** The signed-in member as DKH's asker: their phone, the chat where they joined (outcomes are told there). */
    const askerOf = async (
      session: ConsoleSession,
      lang: ConsoleLang,
      ref: string,
    ): Promise<Asker | null> => {
      const membership = session.phone ? await deps.teams.membershipOf(session.phone) : null;
      if (!membership || membership.member.id !== session.memberId) return null;
      const channel = ChannelIdSchema.safeParse(membership.member.channel);
      if (!channel.success) return null;
      return {
        phone: session.phone ?? null,
        channel: channel.data,
        address: membership.member.address,
        language: lang,
        ref,
        now: now(),
      };
    };

    // The summary confirmed: DKH's requestConsent (idempotent on the summary's ref: a second click sends once).
    app.post('/console/register/send', { config: members }, async (request, reply) => {
      const session = consoleSessionOf(request);
      const lang = consoleLangOf(request);
      const values = valuesOf(request.body);
      const checked = check(values, session, lang);
      if (!checked.ok) return formPage(request, reply, session, values, checked.hints);
      const ref = field(request.body, 'ref');
      const asker = await askerOf(session, lang, `console-register-${UUID.test(ref) ? ref : randomUUID()}`);
      const result = asker
        ? await assisted.requestConsent(checked.details, asker)
        : ({ type: 'notMember' } as const);
      if (result.type === 'sent')
        return reply.code(303).header('location', `/console/register/${result.requestId}`).send();
      const refusal = notSent(result, lang);
      return formPage(request, reply, session, values, {}, { error: refusal.text, status: refusal.status });
    });

    /** The request of `:id` if this session may see it: the member who made it, or their team's leader. */
    const visibleRequest = async (request: FastifyRequest, session: ConsoleSession) => {
      const { id } = request.params as { id: string };
      if (!UUID.test(id)) return null;
      const found = await assistedRequests.findById(id);
      if (!found) return null;
      const mine = found.memberId === session.memberId;
      const led = session.role === 'leader' && found.teamId === session.teamId;
      return mine || led ? found : null;
    };
    const notFound = (request: FastifyRequest, reply: FastifyReply, session: ConsoleSession) =>
      page(
        request,
        reply,
        session,
        (lang) => ({
          title: registerCopy[lang].notFound,
          content: html`<p><a href="/console/register">${registerCopy[lang].another}</a></p>`,
        }),
        404,
      );

    /** Where a request stands, as the page shows it (the neighbour's phone is erased once it is decided). */
    const stateOf = async (found: AssistedRequest, lang: ConsoleLang) => {
      const c = registerCopy[lang];
      const at = now();
      const expired = found.status === 'pending' && found.expiresAt.getTime() <= at.getTime();
      const status = expired ? 'expired' : found.status;
      const citizen = found.citizenId ? await deps.citizens.findById(found.citizenId) : null;
      const phone = found.neighbourPhone || citizen?.phone || '';
      let text: string;
      let note: string | null = null;
      switch (status) {
        case 'pending':
          text = c.pending(Math.max(1, Math.ceil((found.expiresAt.getTime() - at.getTime()) / 60_000)));
          break;
        case 'consented':
          text = c.consented;
          break;
        case 'opened':
          text = c.opened(citizen ? formatAccountCode(citizen.accountCode) : '');
          note = c.openedNote;
          break;
        case 'refused':
          text = c.refused;
          break;
        case 'expired':
          text = c.expired;
          break;
        case 'failed':
          text =
            found.failure === 'phone_taken'
              ? assistedCopy[lang].phoneHasAccount()
              : found.failure === 'cccd_taken'
                ? assistedCopy[lang].cccdTaken()
                : c.failedCodes;
          break;
      }
      return { status, text, note, phone: phone ? maskPhone(phone) : '' };
    };

    app.get('/console/register/:id', { config: members }, async (request, reply) => {
      const session = consoleSessionOf(request);
      const found = await visibleRequest(request, session);
      if (!found) return notFound(request, reply, session);
      const lang = consoleLangOf(request);
      const state = await stateOf(found, lang);
      const query = request.query as { wrong?: unknown };
      const left = typeof query.wrong === 'string' && /^\d$/.test(query.wrong) ? Number(query.wrong) : null;
      const mayType = state.status === 'pending' && found.memberId === session.memberId;
      return page(request, reply, session, () => {
        const c = registerCopy[lang];
        return {
          title: c.requestTitle,
          content: html`${left !== null && state.status === 'pending' ? html`<p class="error" role="alert">${assistedCopy[lang].wrongCode(left)}</p>` : null}
<dl class="summary">
${state.phone ? html`<dt>${c.neighbourPhone}</dt><dd>${state.phone}</dd>` : null}
<dt>${c.status}</dt>
<dd><p id="request-state" class="${state.status === 'opened' ? 'note' : state.status === 'pending' || state.status === 'consented' ? 'pending' : 'error'}" role="status" data-status="${state.status}" data-wait="/console/register/${found.id}/wait">${state.text}</p>${state.note ? html`<p class="muted">${state.note}</p>` : null}</dd>
</dl>
${
  mayType
    ? html`<h2>${c.codeHeading}</h2>
<form method="post" action="/console/register/${found.id}/code">
${csrfField(session)}
<label for="code">${c.code}</label>
<input id="code" name="code" inputmode="numeric" autocomplete="off" pattern="[0-9 ]*" maxlength="9" required>
<button type="submit">${c.confirmCode}</button>
</form>`
    : null
}
<p><a href="/console/register">${c.another}</a></p>
${state.status === 'pending' || state.status === 'consented' ? html`<script src="/console/assets/register.js" defer></script>` : null}`,
        };
      });
    });

    // The code the neighbour read out: DKH's typeCode (wrong codes count; the fifth ends the request).
    app.post('/console/register/:id/code', { config: members }, async (request, reply) => {
      const session = consoleSessionOf(request);
      const found = await visibleRequest(request, session);
      if (!found || found.memberId !== session.memberId) return notFound(request, reply, session);
      const lang = consoleLangOf(request);
      const asker = await askerOf(session, lang, `console-code-${randomUUID()}`);
      const outcome: RequestOutcome = asker
        ? await assisted.typeCode(found.id, field(request.body, 'code'), asker)
        : { type: 'notMember' };
      const back = `/console/register/${found.id}`;
      if (outcome.type === 'notMember') return notFound(request, reply, session);
      if (outcome.type === 'wrongCode')
        return reply.code(303).header('location', `${back}?wrong=${outcome.triesLeft}`).send();
      return reply.code(303).header('location', back).send();
    });

    // A waiting page's script asks here: the answer comes when the status is no longer `status`, or after
    // `maxMs` with the same status (the script then asks again). Bounded, one look at the store every `everyMs`.
    app.get('/console/register/:id/wait', { config: members }, async (request, reply) => {
      const session = consoleSessionOf(request);
      const first = await visibleRequest(request, session);
      if (!first) return reply.code(404).send({ error: { code: 'NOT_FOUND', message: 'No such request' } });
      const seen = String((request.query as { status?: unknown }).status ?? '');
      const lang = consoleLangOf(request);
      const deadline = Date.now() + WAIT.maxMs;
      let current = (await stateOf(first, lang)).status;
      while (current === seen && Date.now() < deadline && !request.raw.destroyed) {
        await new Promise((done) => setTimeout(done, WAIT.everyMs));
        const found = await assistedRequests.findById(first.id);
        if (!found) break;
        current = (await stateOf(found, lang)).status;
      }
      return reply.header('cache-control', 'no-store').send({ status: current });
    });

    app.get('/console/assets/register.js', { config: { access: 'public' } }, async (_request, reply) =>
      reply
        .header('content-type', 'text/javascript; charset=utf-8')
        .header('cache-control', 'public, max-age=3600')
        .send(REGISTER_JS),
    );
  };
}
