/**
 * A registration campaign for the fault suite: N citizens text the SMS gateway's short code (signed webhooks to
 * the service's web processes, round robin), each one message after another once the previous one was answered:
 * `HD` (help), a registration (conversational: `DK`, name, CCCD, date of birth, `CO`, for every fifth citizen; in
 * one message for the others: `DK name, CCCD, date`, then `CO`), then `TT` (status). Lanes of citizens run at
 * once. The webhooks are posted like a gateway does: a delivery that is not answered 2xx (a 503, a network error)
 * is posted again, as it was, until it is; a fault may also ask for every webhook to be delivered several times,
 * some copies after the citizen's next message (out of order).
 *
 * Then {@link checkCampaign} waits for every reply (a condition: all replies arrived and nothing is left pending),
 * and finds what went wrong: a reply missing or sent twice, a reply out of order, an account missing or duplicated,
 * an inbound message stored twice or left failed, and any of the campaign's ID numbers, names or phones in the
 * logs of any process.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { expect } from 'vitest';
import { smsGatewayInbound } from '../../fakes/fake-sms-gateway-server.ts';
import { ReplyBook } from '../../support/reply-book.ts';
import { scanKeys } from '../../support/services.ts';
import { type FaultStack, QUEUE_PREFIX } from './fault-stack.ts';

/** One message of a citizen's script, with the replies it brings at once and later (the registry's answer). */
interface Step {
  readonly text: string;
  readonly replies: number;
  readonly later?: number;
}

/** A campaign's citizen `i`: phone, CCCD number, name (without diacritics, as typed on a feature phone). */
export interface Citizen {
  readonly phone: string;
  readonly cccd: string;
  readonly name: string;
  readonly conversational: boolean;
}

const FAMILY = ['Nguyen', 'Tran', 'Le', 'Pham', 'Hoang', 'Huynh', 'Phan', 'Vu', 'Vo', 'Dang'];
const MIDDLE = ['Van', 'Thi', 'Minh', 'Ngoc', 'Thanh'];
const GIVEN = ['An', 'Binh', 'Chau', 'Dung', 'Giang', 'Hanh', 'Khoa', 'Lan', 'My', 'Nam', 'Phuc', 'Quyen'];

/** Citizen `i` of a campaign (`i` unique across the campaigns of one stack). */
export function citizen(i: number): Citizen {
  return {
    phone: `+8490${String(2_000_000 + i).padStart(7, '0')}`,
    cccd: `048090${String(100_000 + i).padStart(6, '0')}`,
    name: `${FAMILY[i % 10]} ${MIDDLE[Math.floor(i / 10) % 5]} ${GIVEN[Math.floor(i / 50) % 12]}`,
    conversational: i % 5 === 0,
  };
}

/** What citizen `c` sends, in order. */
function script(c: Citizen): Step[] {
  const born = '15/02/1990';
  const register: Step[] = c.conversational
    ? [
        { text: 'DK', replies: 1 },
        { text: c.name, replies: 1 },
        { text: c.cccd, replies: 1 },
        { text: born, replies: 1 },
        { text: 'CO', replies: 1, later: 1 },
      ]
    : [
        { text: `DK ${c.name}, ${c.cccd}, ${born}`, replies: 1 },
        { text: 'CO', replies: 1, later: 1 },
      ];
  return [{ text: 'HD', replies: 1 }, ...register, { text: 'TT', replies: 1 }];
}

/** Every reply citizen `c` must get. */
const repliesOf = (c: Citizen) => script(c).reduce((sum, s) => sum + s.replies + (s.later ?? 0), 0);

/** How a campaign runs. */
export interface CampaignOptions {
  /** Citizens `first` … `first + citizens - 1`. */
  readonly first: number;
  readonly citizens: number;
  /** Citizens at once (each waits for its reply before its next message). */
  readonly lanes: number;
  /** Distinguishes the provider message ids of campaigns on one stack. */
  readonly tag: string;
  /**
   * How many times message `step` of citizen `i` is delivered (default once): the second copy at once, the
   * third after the citizen's next message (out of order).
   */
  readonly copies?: (i: number, step: number) => number;
}

/** What the gateway saw of the service's webhook answers. */
export interface DeliveryStats {
  /** Webhook posts by the answer's status (0: no answer, a network error or a refused connection). */
  readonly statuses: Record<number, number>;
  /** 503 answers without a `Retry-After` of whole seconds (must stay 0). */
  missingRetryAfter: number;
}

/** A campaign under way. */
export interface Campaign {
  readonly options: CampaignOptions;
  readonly book: ReplyBook;
  readonly delivery: DeliveryStats;
  /** Messages delivered and answered so far. */
  turns(): number;
  /** Every message the campaign sends (without copies). */
  readonly totalTurns: number;
  /** Resolves once `n` messages were answered (to break something mid-campaign). */
  reached(n: number): Promise<void>;
  /** Resolves once every citizen has sent every message and got its immediate replies. */
  readonly done: Promise<void>;
  /** When the campaign started (performance.now()). */
  readonly startedAt: number;
}

/** The gateway's pause before it posts a webhook again (a real one waits Retry-After, 5 s: shortened here). */
const REDELIVERY_MS = 300;
/** A citizen gives up waiting for a reply after this long: the campaign then fails with what was missing. */
const REPLY_TIMEOUT_MS = 240_000;

/** Starts a campaign on `stack`; see {@link Campaign.done}. */
export function startCampaign(stack: FaultStack, options: CampaignOptions): Campaign {
  const book = new ReplyBook(stack.gateway);
  const delivery: DeliveryStats = { statuses: {}, missingRetryAfter: 0 };
  const receivedAt = new Date().toISOString();
  let turns = 0;
  let nextWeb = 0;
  const milestones: { n: number; resolve: () => void }[] = [];
  const advance = () => {
    turns += 1;
    for (const m of milestones.filter((m) => turns >= m.n)) m.resolve();
  };

  /** Posts one webhook like a gateway: again and again until it is answered 2xx. */
  const deliver = async (body: string, headers: Readonly<Record<string, string>>): Promise<void> => {
    for (let attempt = 1; ; attempt += 1) {
      const web = stack.webs[nextWeb++ % stack.webs.length];
      let status = 0;
      if (web) {
        try {
          const response = await fetch(`${web.url}/webhooks/sms-gateway`, {
            method: 'POST',
            headers,
            body,
            signal: AbortSignal.timeout(30_000),
          });
          status = response.status;
          if (status === 503 && !/^\d+$/.test(response.headers.get('retry-after') ?? ''))
            delivery.missingRetryAfter += 1;
          await response.arrayBuffer();
        } catch {
          status = 0;
        }
      }
      delivery.statuses[status] = (delivery.statuses[status] ?? 0) + 1;
      if (status >= 200 && status <= 299) return;
      if (status >= 400 && status <= 499) throw new Error(`a signed webhook was refused with ${status}`);
      if (attempt >= 1000) throw new Error(`a webhook was not accepted after ${attempt} deliveries`);
      await new Promise((resolve) => setTimeout(resolve, REDELIVERY_MS));
    }
  };

  let next = 0;
  const lane = async () => {
    while (next < options.citizens) {
      const i = options.first + next;
      next += 1;
      const c = citizen(i);
      let expected = 0;
      let late: (() => Promise<void>)[] = [];
      for (const [step, { text, replies, later }] of script(c).entries()) {
        const signed = smsGatewayInbound(stack.secret, {
          id: `${options.tag}-${i}-${step}`,
          from: c.phone,
          text,
          receivedAt,
        });
        const copies = options.copies?.(i, step) ?? 1;
        await Promise.all([
          deliver(signed.body, signed.headers),
          ...(copies >= 2 ? [deliver(signed.body, signed.headers)] : []),
          // Copies of the previous message, delivered after this one.
          ...late.map((copy) => copy()),
        ]);
        late = copies >= 3 ? [() => deliver(signed.body, signed.headers)] : [];
        expected += replies;
        await book.waitFor(c.phone, expected, REPLY_TIMEOUT_MS);
        expected += later ?? 0;
        advance();
      }
      await Promise.all(late.map((copy) => copy()));
    }
  };

  const totalTurns = Array.from(
    { length: options.citizens },
    (_, k) => script(citizen(options.first + k)).length,
  ).reduce((a, b) => a + b, 0);
  return {
    options,
    book,
    delivery,
    turns: () => turns,
    totalTurns,
    reached: (n) =>
      turns >= n ? Promise.resolve() : new Promise((resolve) => milestones.push({ n, resolve })),
    done: Promise.all(Array.from({ length: options.lanes }, lane)).then(() => undefined),
    startedAt: performance.now(),
  };
}

/** What a finished campaign found; {@link expectClean} fails the test on any problem. */
export interface CampaignReport {
  readonly fault: string;
  readonly citizens: number;
  readonly messages: number;
  readonly replies: number;
  /** Replies a citizen got more than once (must be 0: the SMS gateway takes an idempotency key). */
  readonly duplicates: number;
  /** Sends the service repeated after a timeout or a crash, answered by the gateway as already sent (clientRef). */
  readonly resends: number;
  /**
   * Registry answers that reached a citizen before the reply saying the account was opened (see REGISTRY_ANSWER):
   * must be 0 (the check waits for the turn that opened the account).
   */
  readonly earlyRegistryAnswers: number;
  readonly accounts: number;
  readonly seconds: number;
  readonly delivery: DeliveryStats;
  readonly problems: string[];
}

/**
 * The registry's answer about a new account (a notification, not a reply). After a worker crash between opening
 * the account and storing the turn's replies, it can reach the citizen before "account opened": counted apart
 * (docs/faults.md, What it found).
 */
const REGISTRY_ANSWER = /^Tai khoan (cong dan so )?[A-Z0-9]{4}-[A-Z0-9]{4}[: ]/;

/** Resolves once nothing inbound is left unhandled and nothing outbound is left to send. */
async function idle(stack: FaultStack): Promise<void> {
  for (;;) {
    const { rows } = await stack.query<{ n: string }>(
      `SELECT (SELECT count(*) FROM inbound_messages WHERE processed_at IS NULL)
            + (SELECT count(*) FROM outbound_messages WHERE status = 'pending') AS n`,
    );
    if (Number(rows[0]?.n) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * What the service still holds when a citizen waited in vain: inbound messages not handled, outbound ones by
 * status, and the log messages at warn level or above (their `msg` only: what went wrong, without data).
 */
async function whatIsStuck(stack: FaultStack): Promise<string> {
  const { rows: inbound } = await stack.query<{ pending: string; failed: string }>(
    `SELECT count(*) FILTER (WHERE processed_at IS NULL) AS pending,
            count(*) FILTER (WHERE failed_at IS NOT NULL) AS failed FROM inbound_messages`,
  );
  const { rows: outbound } = await stack.query<{ status: string; n: string }>(
    'SELECT status, count(*) AS n FROM outbound_messages GROUP BY status ORDER BY status',
  );
  const warnings = new Map<string, number>();
  for (const line of stack.logs().split('\n')) {
    const level = /"level":(\d+)/.exec(line)?.[1];
    const msg = /"msg":"([^"]*)"/.exec(line)?.[1];
    if (level && Number(level) >= 40 && msg) warnings.set(msg, (warnings.get(msg) ?? 0) + 1);
  }
  const queue = new Queue('inbound', { connection: { url: stack.redis.url }, prefix: QUEUE_PREFIX });
  const jobs = await queue.getJobCounts();
  const redis = new Redis(stack.redis.url);
  const dedupe = (await scanKeys(redis, `${QUEUE_PREFIX}:inbound:de:*`)).length;
  redis.disconnect();
  await queue.close();
  const fatal = stack
    .logs()
    .split('\n')
    .filter((line) => line.startsWith('fatal'));
  return [
    ...stack.crashes(),
    ...fatal.slice(0, 3),
    `inbound jobs: ${JSON.stringify(jobs)}, ${dedupe} deduplication keys`,
    `inbound: ${inbound[0]?.pending} pending, ${inbound[0]?.failed} failed`,
    `outbound: ${outbound.map((r) => `${r.status} ${r.n}`).join(', ')}`,
    `warnings: ${[...warnings].map(([msg, n]) => `${n}× ${msg}`).join('; ')}`,
  ].join('\n');
}

/** Every way a phone number may be written: +84…, 84…, 0… and the bare national number. */
const phoneForms = (e164: string) => [e164.slice(1), `0${e164.slice(3)}`, e164.slice(3)];

/** The personal data of `citizens` found in `logs`: ID numbers, phones (any form) and names. */
export function personalDataIn(logs: string, citizens: readonly Citizen[]): string[] {
  const digits = new Set(citizens.flatMap((c) => [c.cccd, ...phoneForms(c.phone)]));
  const found = new Set<string>();
  // Whole runs of digits only: a number inside a longer one (a timestamp, an id) is not that number.
  for (const [run] of logs.matchAll(/\d+/g)) if (digits.has(run)) found.add(`number ${run}`);
  const names = new Set(citizens.map((c) => c.name));
  const shape = new RegExp(`(?:${FAMILY.join('|')}) (?:${MIDDLE.join('|')}) (?:${GIVEN.join('|')})`, 'g');
  for (const [name] of logs.matchAll(shape)) if (names.has(name)) found.add(`name ${name}`);
  return [...found];
}

/**
 * Waits for the end of `campaign` (every reply arrived, the system idle) and checks it: every citizen got every
 * reply exactly once and in order, one account each, every inbound message stored once and none failed, and no
 * personal data of the campaign in any process's logs.
 */
export async function checkCampaign(
  stack: FaultStack,
  campaign: Campaign,
  fault: string,
  options: {
    /** Messages the test itself delivered besides the campaign (probes during an outage), each stored once. */
    readonly otherMessages?: number;
  } = {},
): Promise<CampaignReport> {
  const { first, citizens: count } = campaign.options;
  const people = Array.from({ length: count }, (_, k) => citizen(first + k));
  try {
    await campaign.done;
    await Promise.all(people.map((c) => campaign.book.waitFor(c.phone, repliesOf(c), REPLY_TIMEOUT_MS)));
  } catch (error) {
    throw new Error(`${fault}: ${String(error)}\n${await whatIsStuck(stack)}`);
  }
  await idle(stack);
  const seconds = (performance.now() - campaign.startedAt) / 1000;
  campaign.book.close();
  const problems: string[] = [];
  let replies = 0;
  let duplicates = 0;
  let earlyRegistryAnswers = 0;
  for (const c of people) {
    const got = campaign.book.of(c.phone).map((sms) => sms.text);
    replies += got.length;
    duplicates += Math.max(0, got.length - repliesOf(c));
    if (got.length !== repliesOf(c))
      problems.push(`${c.phone}: ${got.length} replies, ${repliesOf(c)} expected`);
    // In order: help first, then the registration's questions, the summary before the account is opened.
    const summary = got.findIndex((text) => text.includes(`CCCD ${c.cccd}`));
    const opened = got.findIndex((text) => /^Da mo tai khoan/.test(text));
    if (!/^Cong dan so/.test(got[0] ?? '')) problems.push(`${c.phone}: the first reply is not the help`);
    const between = got.slice(summary + 1, Math.max(summary + 1, opened));
    if (summary >= 1 && opened > summary && between.every((text) => REGISTRY_ANSWER.test(text)))
      earlyRegistryAnswers += between.length;
    else
      problems.push(
        `${c.phone}: replies out of order (summary at ${summary}, account opened at ${opened}): ` +
          between.map((text) => text.slice(0, 40)).join(' | '),
      );
  }
  if (earlyRegistryAnswers > 0)
    problems.push(`${earlyRegistryAnswers} registry answers reached citizens before "account opened"`);
  const phones = new Set(people.map((c) => c.phone));
  const sent = new Set(stack.gateway.messages.filter((m) => phones.has(m.to)).map((m) => m.clientRef));
  const resends = stack.gateway.requests.filter(
    (r) => r.status === 200 && r.clientRef !== undefined && sent.has(r.clientRef),
  ).length;
  const { rows: accounts } = await stack.query<{ n: string }>('SELECT count(*) AS n FROM citizens');
  const accountCount = Number(accounts[0]?.n);
  if (accountCount !== count) problems.push(`${accountCount} accounts for ${count} citizens`);
  const { rows: inbound } = await stack.query<{ n: string; failed: string }>(
    'SELECT count(*) AS n, count(*) FILTER (WHERE failed_at IS NOT NULL) AS failed FROM inbound_messages',
  );
  const stored = Number(inbound[0]?.n) - (options.otherMessages ?? 0);
  if (stored !== campaign.totalTurns)
    problems.push(`${stored} inbound messages stored for ${campaign.totalTurns} sent`);
  if (Number(inbound[0]?.failed) !== 0) problems.push(`${inbound[0]?.failed} inbound messages failed`);
  if (campaign.delivery.missingRetryAfter > 0)
    problems.push(`${campaign.delivery.missingRetryAfter} answers 503 without Retry-After`);
  for (const leak of personalDataIn(stack.logs(), people))
    problems.push(`personal data in the logs: ${leak}`);
  problems.push(...stack.crashes());
  const report: CampaignReport = {
    fault,
    citizens: count,
    messages: campaign.totalTurns,
    replies,
    duplicates,
    resends,
    earlyRegistryAnswers,
    accounts: accountCount,
    seconds,
    delivery: campaign.delivery,
    problems,
  };
  const statuses = Object.entries(report.delivery.statuses)
    .map(([status, n]) => `${status === '0' ? 'no answer' : status}: ${n}`)
    .join(', ');
  process.stdout.write(
    `\n[faults] ${fault}: ${count} citizens, ${report.messages} messages, ${replies} replies, ` +
      `${duplicates} duplicates, ${resends} resends deduplicated by the gateway, ` +
      `${earlyRegistryAnswers} registry answers before "account opened", ${accountCount} accounts, ` +
      `webhook answers {${statuses}}, ${seconds.toFixed(1)} s, ${problems.length} problems\n`,
  );
  return report;
}

/** Fails the test with the first problems a campaign found. */
export function expectClean(report: CampaignReport): void {
  expect(report.problems.slice(0, 10), `${report.problems.length} problems`).toEqual([]);
  expect(report.duplicates).toBe(0);
  expect(report.accounts).toBe(report.citizens);
}
