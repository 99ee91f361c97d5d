/**
 * Registration end to end: citizens open accounts by SMS through the service (web and worker processes, the SMS
 * gateway's signed webhooks), conversationally (DK, name, CCCD, date of birth, CO) and in one message (DK with
 * the three fields, then CO), 50 citizens at a time, each sending its next message once the previous reply
 * arrived. Then the system is left to go idle and the benchmark checks that every citizen got every reply
 * exactly once (the summary of the registry check included) and that exactly N accounts exist.
 */
import { smsGatewayInbound } from '../../test/fakes/fake-sms-gateway-server.ts';
import { ReplyBook } from '../../test/support/reply-book.ts';
import type { Figure } from '../lib/report.ts';
import { openStack, phoneOf, type Stack } from '../lib/stack.ts';

const LANES = 50;

/** One registration: each message with the number of replies it brings. */
type Script = readonly { readonly text: string; readonly replies: number; readonly later?: number }[];

const cccdOf = (i: number) => `048090${String(i).padStart(6, '0')}`;
const conversational = (i: number): Script => [
  { text: 'DK', replies: 1 },
  { text: 'Nguyen Van An', replies: 1 },
  { text: cccdOf(i), replies: 1 },
  { text: '15/02/1990', replies: 1 },
  // The account is opened; the registry's answer follows a moment later (the citizen does not wait for it).
  { text: 'CO', replies: 1, later: 1 },
];
const oneShot = (i: number): Script => [
  { text: `DK Nguyen Van An, ${cccdOf(i)}, 15/02/1990`, replies: 1 },
  { text: 'CO', replies: 1, later: 1 },
];

/** Every reply a script brings, the later ones included. */
const total = (script: Script) => script.reduce((sum, step) => sum + step.replies + (step.later ?? 0), 0);

/** Runs `count` registrations with `scriptOf`, phones from `first`; resolves turns a second. */
async function registrations(
  stack: Stack,
  book: ReplyBook,
  url: string,
  options: { first: number; count: number; scriptOf: (i: number) => Script; tag: string },
): Promise<{ turnsPerSecond: number; turns: number }> {
  let next = 0;
  let turns = 0;
  const receivedAt = new Date().toISOString();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: LANES }, async () => {
      while (next < options.count) {
        const i = options.first + next;
        next += 1;
        const phone = phoneOf(i);
        let expected = 0;
        for (const [step, { text, replies, later }] of options.scriptOf(i).entries()) {
          const signed = smsGatewayInbound(stack.secret, {
            id: `${options.tag}-${i}-${step}`,
            from: phone,
            text,
            receivedAt,
          });
          const response = await fetch(`${url}/webhooks/sms-gateway`, {
            method: 'POST',
            headers: signed.headers,
            body: signed.body,
          });
          if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
          await response.arrayBuffer();
          expected += replies;
          await book.waitFor(phone, expected);
          expected += later ?? 0;
          turns += 1;
        }
      }
    }),
  );
  return { turnsPerSecond: turns / ((performance.now() - started) / 1000), turns };
}

/** Resolves once the service's queues have nothing waiting, active or delayed (the system is idle). */
async function idle(stack: Stack): Promise<void> {
  for (;;) {
    const { rows } = await stack.query<{ n: string }>(
      "SELECT (SELECT count(*) FROM inbound_messages WHERE processed_at IS NULL) + (SELECT count(*) FROM outbound_messages WHERE status = 'pending') AS n",
    );
    if (Number(rows[0]?.n) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Runs `count` conversational and `count` one-message registrations and checks exactly-once. */
export async function registration(count: number): Promise<Figure[]> {
  const stack = await openStack();
  const book = new ReplyBook(stack.gateway);
  try {
    await stack.startWorker();
    const web = await stack.startWeb();
    const talk = await registrations(stack, book, web.url, {
      first: 300_000,
      count,
      scriptOf: conversational,
      tag: 'conv',
    });
    const shot = await registrations(stack, book, web.url, {
      first: 400_000,
      count,
      scriptOf: oneShot,
      tag: 'shot',
    });
    // Every registry answer has arrived, then nothing is left to send: only then are replies counted.
    await Promise.all(
      [...Array(count).keys()].flatMap((i) => [
        book.waitFor(phoneOf(300_000 + i), total(conversational(300_000 + i))),
        book.waitFor(phoneOf(400_000 + i), total(oneShot(400_000 + i))),
      ]),
    );
    await idle(stack);
    const problems: string[] = [];
    const check = (first: number, scriptOf: (i: number) => Script) => {
      for (let i = first; i < first + count; i += 1) {
        const expected = total(scriptOf(i));
        const got = book.of(phoneOf(i)).length;
        if (got !== expected) problems.push(`citizen ${i}: ${got} replies, expected ${expected}`);
      }
    };
    check(300_000, conversational);
    check(400_000, oneShot);
    const { rows } = await stack.query<{ n: string }>('SELECT count(*) AS n FROM citizens');
    const accounts = Number(rows[0]?.n);
    if (accounts !== 2 * count) problems.push(`${accounts} accounts for ${2 * count} registrations`);
    if (problems.length > 0) throw new Error(`registration: ${problems.slice(0, 5).join('; ')}`);
    return [
      {
        scenario: 'registration',
        name: `conversational (DK, name, CCCD, date, CO), ${count} citizens, ${LANES} at a time`,
        value: talk.turnsPerSecond,
        unit: 'turns/s',
        better: 'higher',
        note: `${talk.turns} turns; every reply exactly once, ${accounts} accounts in all`,
      },
      {
        scenario: 'registration',
        name: `one message (DK name, CCCD, date; CO), ${count} citizens, ${LANES} at a time`,
        value: shot.turnsPerSecond,
        unit: 'turns/s',
        better: 'higher',
        note: `${shot.turns} turns; every reply exactly once`,
      },
    ];
  } finally {
    book.close();
    await stack.close();
  }
}
