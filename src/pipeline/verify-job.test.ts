import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { accountCopy } from '../../flows/account/account.copy.ts';
import { assistedCopy } from '../../flows/assisted/assisted.copy.ts';
import { newCitizen } from '../../test/contracts/citizen-repository.contract.ts';
import { InMemoryCitizenRepository } from '../../test/fakes/in-memory-citizen-repository.ts';
import { InMemoryContactRepository } from '../../test/fakes/in-memory-contact-repository.ts';
import { InMemoryPopulationRegistry } from '../../test/fakes/in-memory-registry.ts';
import { InMemoryTeamRepository } from '../../test/fakes/in-memory-team-repository.ts';
import { formatAccountCode } from '../domain/citizens/account-code.ts';
import type { NewCitizen } from '../domain/citizens/citizen-repository.ts';
import type { NewOutbound } from '../storage/postgres/outbox.ts';
import type { Notify } from './notify.ts';
import {
  createVerifyJob,
  LATER_ROUND_DELAY_MS,
  MAX_ROUNDS,
  OPENING_TURN_WAIT_MS,
  WAITING_FOR_RESULT_MS,
} from './verify-job.ts';

const person = newCitizen();
const RECORD = {
  cccd: person.cccd,
  fullName: person.fullName,
  dateOfBirth: person.dateOfBirth,
  gender: 'male',
} as const;
const CODE = formatAccountCode(person.accountCode);
/** What a job put off by `defer` throws here (BullMQ's worker moves the job to the delayed set). */
class Deferred extends Error {
  readonly delayMs: number;
  constructor(delayMs: number) {
    super(`deferred ${delayMs} ms`);
    this.delayMs = delayMs;
  }
}
const defer = (delayMs: number): Promise<never> => Promise.reject(new Deferred(delayMs));
const LAST = { attemptsMade: 5, maxAttempts: 6, defer };
const FIRST = { attemptsMade: 0, maxAttempts: 6, defer };

/** The verify job over in-memory ports, what it told (notify, outbox) and what it queued for later. */
async function setUp(
  options: { account?: Partial<NewCitizen>; openedAgoMs?: number; byVolunteer?: boolean } = {},
) {
  const citizens = new InMemoryCitizenRepository();
  const registry = new InMemoryPopulationRegistry([RECORD]);
  const teams = new InMemoryTeamRepository();
  const contacts = new InMemoryContactRepository();
  let registeredBy = null;
  if (options.byVolunteer) {
    // A volunteer whose Telegram chat (77) speaks English registered the account.
    const made = await teams.create({ name: 'Đội 1', wardCode: '20194', inviteCode: 'ABC123' });
    if (made.type !== 'created') throw new Error(made.type);
    const chat = { phone: '+84905999888', channel: 'telegram', address: '77' };
    const joined = await teams.join(made.team.id, chat, new Date());
    if (joined.type !== 'joined') throw new Error(joined.type);
    await contacts.touch('telegram', '77', new Date());
    await contacts.setLanguage('telegram', '77', 'en');
    registeredBy = { teamId: made.team.id, memberId: joined.member.id };
  }
  const made = await citizens.create(newCitizen({ registeredBy, ...options.account }));
  if (made.type !== 'created') throw new Error(made.type);
  const now = new Date(made.citizen.createdAt.getTime() + (options.openedAgoMs ?? 5_000));
  const told: { key: string; vi: string; en: string; urgent: boolean }[] = [];
  const notify: Notify = async (_citizen, dedupeKey, reply, options = {}) => {
    told.push({
      key: dedupeKey,
      vi: reply('vi', 'twilio-sms').text,
      en: reply('en', 'twilio-sms').text,
      urgent: options.urgent === true,
    });
  };
  const queued: NewOutbound[] = [];
  const later: [string, number, number][] = [];
  /** The inbound messages still waiting for their turn. */
  const pendingInbound = new Set<number>();
  const job = createVerifyJob({
    citizens,
    inboundPending: async (id) => pendingInbound.has(id),
    registry,
    teams,
    contacts,
    notify,
    queueOutbound: async (items) => {
      queued.push(...items);
    },
    checkLater: async (...args) => {
      later.push(args);
    },
    clock: () => now,
    logger: pino({ level: 'silent' }),
  });
  return {
    job,
    citizens,
    registry,
    teams,
    contacts,
    citizen: made.citizen,
    told,
    queued,
    later,
    pendingInbound,
  };
}

describe('the verify job', () => {
  it('records a match as verified and tells the citizen at once while they wait for it', async () => {
    const s = await setUp();
    await s.job({ citizenId: s.citizen.id, round: 0 }, FIRST);
    expect((await s.citizens.findById(s.citizen.id))?.status).toBe('verified');
    expect(s.told).toEqual([
      {
        key: `verify-${s.citizen.id}-result`,
        vi: accountCopy.vi.verified(CODE),
        en: accountCopy.en.verified(CODE),
        urgent: true,
      },
    ]);
  });

  it('tells a result made long after the account opened without hurry (quiet hours apply)', async () => {
    const s = await setUp({ openedAgoMs: WAITING_FOR_RESULT_MS + 1 });
    await s.job({ citizenId: s.citizen.id, round: 1 }, FIRST);
    expect(s.told.map((t) => t.urgent)).toEqual([false]);
  });

  it.each([
    ['cccd', { cccd: '048090009999' }],
    ['full_name', { fullName: 'Trần Thị Bình' }],
    ['date_of_birth', { dateOfBirth: '1991-02-15' }],
  ] as const)('records a mismatch of %s and names that field to the citizen', async (field, account) => {
    const s = await setUp({ account });
    await s.job({ citizenId: s.citizen.id, round: 0 }, FIRST);
    expect(await s.citizens.findById(s.citizen.id)).toMatchObject({
      status: 'not_matched',
      mismatchField: field,
    });
    expect(s.told.map((t) => t.en)).toEqual([accountCopy.en.notMatched(CODE, field)]);
  });

  it('leaves a registry that is down to the queue’s retries until the last attempt', async () => {
    const s = await setUp();
    s.registry.makeUnavailable(1);
    await expect(s.job({ citizenId: s.citizen.id, round: 0 }, FIRST)).rejects.toThrow(/unavailable/);
    expect([s.told, s.later, (await s.citizens.findById(s.citizen.id))?.status]).toEqual([
      [],
      [],
      'provisional',
    ]);
  });

  it('after the last attempt tells the citizen of the delay and schedules a later round, up to the last', async () => {
    const s = await setUp();
    s.registry.makeUnavailable(MAX_ROUNDS);
    for (let round = 0; round < MAX_ROUNDS; round++) await s.job({ citizenId: s.citizen.id, round }, LAST);
    expect(s.later).toEqual(
      Array.from({ length: MAX_ROUNDS - 1 }, (_, i) => [s.citizen.id, i + 1, LATER_ROUND_DELAY_MS]),
    );
    expect(s.told.map((t) => [t.key, t.en, t.urgent])).toEqual(
      Array.from({ length: MAX_ROUNDS }, (_, round) => [
        `verify-${s.citizen.id}-delayed-${round}`,
        accountCopy.en.delayed(CODE),
        false,
      ]),
    );
  });

  it('run twice tells the same result under the same dedupe key and asks the registry once', async () => {
    const s = await setUp();
    await s.job({ citizenId: s.citizen.id, round: 0 }, FIRST);
    await s.job({ citizenId: s.citizen.id, round: 0 }, FIRST);
    expect(s.registry.lookupCount).toBe(1);
    expect(new Set(s.told.map((t) => t.key))).toEqual(new Set([`verify-${s.citizen.id}-result`]));
  });

  it('does nothing for an account that is gone', async () => {
    const s = await setUp();
    await s.job({ citizenId: '00000000-0000-4000-8000-000000000000', round: 0 }, FIRST);
    expect([s.told, s.queued, s.registry.lookupCount]).toEqual([[], [], 0]);
  });

  it('tells the volunteer who registered the account, in their chat and language, once per account', async () => {
    const s = await setUp({ byVolunteer: true });
    await s.job({ citizenId: s.citizen.id, round: 0 }, FIRST);
    await s.job({ citizenId: s.citizen.id, round: 0 }, FIRST);
    const message = {
      dedupeKey: `verify-${s.citizen.id}-volunteer`,
      channel: 'telegram',
      to: '77',
      reply: { text: assistedCopy.en.verified(CODE) },
      language: 'en',
      purpose: 'reply',
    };
    // Run twice, the same message (the outbox stores it once per dedupe key).
    expect(s.queued).toEqual([message, message]);
  });

  it('tells no volunteer who has left the team since', async () => {
    const s = await setUp({ byVolunteer: true });
    await s.teams.leave('+84905999888', new Date());
    await s.job({ citizenId: s.citizen.id, round: 0 }, FIRST);
    expect(s.queued).toEqual([]);
  });

  it('waits for the turn that opened the account: no check and no result before its reply is stored', async () => {
    const s = await setUp();
    s.pendingInbound.add(42);
    const run = { citizenId: s.citizen.id, round: 0, afterInbound: 42 };
    await expect(s.job(run, FIRST)).rejects.toEqual(new Deferred(OPENING_TURN_WAIT_MS));
    expect([s.told, s.registry.lookupCount]).toEqual([[], 0]);
    s.pendingInbound.delete(42);
    await s.job(run, FIRST);
    expect(s.told.map((t) => t.key)).toEqual([`verify-${s.citizen.id}-result`]);
  });
});
