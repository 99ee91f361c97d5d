import { randomBytes, randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelId } from '../../src/messaging/channel.ts';
import type { InboundMessage } from '../../src/messaging/inbound-message.ts';
import { createDataCipher } from '../../src/shared/crypto.ts';
import { createPgCitizenRepository } from '../../src/storage/postgres/citizen-repository.ts';
import { createPgContactRepository } from '../../src/storage/postgres/contact-repository.ts';
import { type Database, migrate } from '../../src/storage/postgres/database.ts';
import { Inbox, inboundDedupeKey } from '../../src/storage/postgres/inbox.ts';
import { type NewOutbound, Outbox, recipientOf } from '../../src/storage/postgres/outbox.ts';
import { createPgProviderTokenStore } from '../../src/storage/postgres/provider-token-store.ts';
import {
  accountOpener,
  describeCitizenRepositoryContract,
  newCitizen,
} from '../contracts/citizen-repository.contract.ts';
import { describeContactRepositoryContract } from '../contracts/contact-repository.contract.ts';
import { describeInboxContract } from '../contracts/inbox.contract.ts';
import { describeOutboxContract } from '../contracts/outbox.contract.ts';
import { describeProviderTokenStoreContract } from '../contracts/provider-token-store.contract.ts';
import { InMemoryCitizenRepository } from '../fakes/in-memory-citizen-repository.ts';
import { InMemoryContactRepository } from '../fakes/in-memory-contact-repository.ts';
import { InMemoryInbox } from '../fakes/in-memory-inbox.ts';
import { InMemoryOutbox } from '../fakes/in-memory-outbox.ts';
import { contractDatabases } from '../support/contract-databases.ts';

const cipher = createDataCipher(randomBytes(32));
const TABLES =
  'citizens, consents, audit_log, contacts, inbound_messages, outbound_messages, provider_tokens, teams, team_members';

/** A team with one member, written directly (the team repository is not part of these contracts). */
async function insertTeamMember(db: Database) {
  const team = await db.query<{ id: string }>(
    `INSERT INTO teams (name, ward_code, invite_code) VALUES ('Tổ 1', '20194', $1) RETURNING id`,
    [randomUUID().slice(0, 8)],
  );
  const teamId = team.rows[0]?.id ?? '';
  const member = await db.query<{ id: string }>(
    `INSERT INTO team_members (team_id, phone_hash, phone_enc, role, channel, address_enc)
     VALUES ($1, $2, 'sealed', 'leader', 'twilio-sms', 'sealed') RETURNING id`,
    [teamId, randomUUID()],
  );
  return { teamId, memberId: member.rows[0]?.id ?? '' };
}

// One PGlite and one PostgreSQL database for the whole file.
const databases = contractDatabases();

/** Empties every table; TRUNCATE does not fire the audit log's row triggers. */
const truncate = (db: Database) => db.exec(`TRUNCATE ${TABLES} RESTART IDENTITY CASCADE`);

for (const [name, database] of Object.entries(databases)) {
  describeCitizenRepositoryContract(name, async () => {
    const db = await database.get();
    return {
      repository: createPgCitizenRepository(db, cipher),
      newTeamMember: () => insertTeamMember(db),
      reset: () => truncate(db),
      close: async () => {},
    };
  });

  describeContactRepositoryContract(name, async () => {
    const db = await database.get();
    return {
      repository: createPgContactRepository(db, cipher),
      newCitizenId: accountOpener(createPgCitizenRepository(db, cipher)),
      reset: () => truncate(db),
      close: async () => {},
    };
  });

  describeInboxContract(name, async () => {
    const db = await database.get();
    return {
      inbox: new Inbox(db, cipher),
      outbox: new Outbox(db, cipher),
      reset: () => truncate(db),
      close: async () => {},
    };
  });

  describeOutboxContract(name, async () => {
    const db = await database.get();
    return {
      outbox: new Outbox(db, cipher),
      recipientOf: (channel, address) => recipientOf(cipher, channel, address),
      reset: () => truncate(db),
      close: async () => {},
    };
  });
}

describeInboxContract('in-memory fake', async () => {
  const outboxOf = () => new InMemoryOutbox((channel, address) => recipientOf(cipher, channel, address));
  const fixture = {
    outbox: outboxOf(),
    inbox: new InMemoryInbox(),
    reset: async () => {
      fixture.outbox = outboxOf();
      fixture.inbox = new InMemoryInbox(fixture.outbox);
    },
    close: async () => {},
  };
  return fixture;
});

describeOutboxContract('in-memory fake', async () => {
  const recipientOfAddress = (channel: ChannelId, address: string) => recipientOf(cipher, channel, address);
  const fixture = {
    outbox: new InMemoryOutbox(recipientOfAddress),
    recipientOf: recipientOfAddress,
    reset: async () => {
      fixture.outbox = new InMemoryOutbox(recipientOfAddress);
    },
    close: async () => {},
  };
  return fixture;
});

describeProviderTokenStoreContract('PGlite', async () => {
  const db = await databases.PGlite.get();
  const store = createPgProviderTokenStore(db, cipher);
  return { store, other: store, reset: () => truncate(db), close: async () => {} };
});

// The pool gives concurrent updates separate connections, as separate processes would have.
describeProviderTokenStoreContract('PostgreSQL', async () => {
  const db = await databases.PostgreSQL.get();
  return {
    store: createPgProviderTokenStore(db, cipher),
    other: createPgProviderTokenStore(db, cipher),
    reset: () => truncate(db),
    close: async () => {},
  };
});

describeCitizenRepositoryContract('in-memory fake', async () => {
  const fixture = {
    repository: new InMemoryCitizenRepository(),
    newTeamMember: async () => ({ teamId: randomUUID(), memberId: randomUUID() }),
    reset: async () => {
      fixture.repository = new InMemoryCitizenRepository();
    },
    close: async () => {},
  };
  return fixture;
});

describeContactRepositoryContract('in-memory fake', async () => {
  const fixture = {
    repository: new InMemoryContactRepository(),
    newCitizenId: async () => randomUUID(),
    reset: async () => {
      fixture.repository = new InMemoryContactRepository();
    },
    close: async () => {},
  };
  return fixture;
});

const SMS = 'twilio-sms' as const;
const PHONE = '+84905123456';

function inbound(
  providerMessageId: string,
  text = 'DK Nguyễn Văn An 048090001234 15/02/1990',
): InboundMessage {
  return { channel: SMS, providerMessageId, from: PHONE, text, receivedAt: '2025-06-01T08:00:00.000Z' };
}

function outbound(dedupeKey: string): NewOutbound {
  return {
    dedupeKey,
    channel: SMS,
    to: PHONE,
    reply: { text: 'Chào Nguyễn Văn An', choices: [{ label: 'Có', payload: 'yes' }] },
    language: 'vi',
    purpose: 'reply',
  };
}

for (const [name, database] of Object.entries(databases)) {
  describe(`${name} storage`, () => {
    let db: Database;
    const citizens = () => createPgCitizenRepository(db, cipher);

    beforeAll(async () => {
      db = await database.get();
    });
    beforeEach(async () => {
      await truncate(db);
    });

    async function openAccount() {
      const outcome = await citizens().create(newCitizen());
      if (outcome.type !== 'created') throw new Error(`expected created, got ${outcome.type}`);
      return outcome.citizen;
    }

    it('stores personal data encrypted: no column holds the CCCD, name, phone or birth date in clear', async () => {
      const citizen = await openAccount();
      const { rows } = await db.query('SELECT * FROM citizens WHERE id = $1', [citizen.id]);
      expect(rows).toHaveLength(1);
      const raw = JSON.stringify(rows[0]);
      for (const secret of ['048090001234', 'Nguyễn Văn An', 'Nguyen Van An', '905123456', '1990-02-15']) {
        expect(raw).not.toContain(secret);
      }
      const others = await db.query(
        'SELECT to_jsonb(c) AS row FROM consents c UNION ALL SELECT to_jsonb(a) FROM audit_log a',
      );
      expect(JSON.stringify(others.rows)).not.toMatch(/048090001234|905123456|Nguyễn/);
    });

    it('records account_opened, cccd_conflict and account_verified in the audit log', async () => {
      const citizen = await openAccount();
      await citizens().recordCccdConflict({ channel: SMS, phone: '+84912000111' });
      await citizens().recordVerification(citizen.id, { outcome: 'verified' });
      const { rows } = await db.query<{ action: string; citizen_id: string | null; details: unknown }>(
        'SELECT action, citizen_id, details FROM audit_log ORDER BY id',
      );
      expect(rows.map((r) => [r.action, r.citizen_id])).toEqual([
        ['account_opened', citizen.id],
        ['cccd_conflict', null],
        ['account_verified', citizen.id],
      ]);
      expect(JSON.stringify(rows)).not.toContain('912000111');
    });

    it('records who opened an account: the actor kind, and its id in the details (no personal data)', async () => {
      const mine = await openAccount();
      const registeredBy = await insertTeamMember(db);
      const outcome = await citizens().create(
        newCitizen({
          phone: '+84912000111',
          cccd: '048185000321',
          accountCode: 'WXYZ6789',
          actor: { kind: 'volunteer', id: registeredBy.memberId },
          registeredBy,
        }),
      );
      if (outcome.type !== 'created') throw new Error(`expected created, got ${outcome.type}`);
      const { rows } = await db.query<{ actor: string; citizen_id: string; details: { actorId: string } }>(
        `SELECT actor, citizen_id, details FROM audit_log WHERE action = 'account_opened' ORDER BY id`,
      );
      expect(rows.map((r) => [r.actor, r.citizen_id, r.details.actorId])).toEqual([
        ['citizen', mine.id, 'twilio-sms:message-ref'],
        ['volunteer', outcome.citizen.id, registeredBy.memberId],
      ]);
      const stored = await db.query(
        'SELECT registered_by_team_id, registered_by_member_id FROM citizens WHERE id = $1',
        [outcome.citizen.id],
      );
      expect(stored.rows).toEqual([
        { registered_by_team_id: registeredBy.teamId, registered_by_member_id: registeredBy.memberId },
      ]);
      expect(JSON.stringify(rows)).not.toMatch(/912000111|048185000321|Nguyễn/);
    });

    it('refuses to update or delete audit entries', async () => {
      await openAccount();
      await expect(db.query(`UPDATE audit_log SET actor = 'someone else'`)).rejects.toThrow(/append-only/);
      await expect(db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
      const { rows } = await db.query<{ actor: string }>('SELECT actor FROM audit_log');
      expect(rows).toEqual([{ actor: 'citizen' }]);
    });

    it('stores the consent with its purpose, wording version, channel, language and time', async () => {
      const before = Date.now();
      const citizen = await openAccount();
      const { rows } = await db.query<Record<string, unknown>>(
        'SELECT purpose, text_version, channel, language, given_at, withdrawn_at FROM consents WHERE citizen_id = $1',
        [citizen.id],
      );
      expect(rows).toEqual([
        {
          purpose: 'account_registration',
          text_version: 'reg-2025-01',
          channel: SMS,
          language: 'vi',
          given_at: expect.any(Date),
          withdrawn_at: null,
        },
      ]);
      const givenAt = rows[0]?.given_at;
      expect(givenAt instanceof Date && Math.abs(givenAt.getTime() - before)).toBeLessThan(60_000);
    });

    it('applies migrations once: migrating again applies nothing', async () => {
      await expect(migrate(db)).resolves.toEqual([]);
      const files = (
        await readdir(new URL('../../src/storage/postgres/migrations/', import.meta.url))
      ).filter((f) => f.endsWith('.sql'));
      const { rows } = await db.query<{ version: string }>(
        'SELECT version FROM schema_migrations ORDER BY 1',
      );
      expect(rows.map((r) => r.version)).toEqual(files.map((f) => f.slice(0, 3)).sort());
    });

    describe('inbox', () => {
      const inbox = () => new Inbox(db, cipher);

      it('stores the payload encrypted', async () => {
        const { id } = await inbox().accept(inbound('SM1'), `${SMS}:${PHONE}`);
        const { rows } = await db.query<{ payload_enc: string }>(
          'SELECT payload_enc FROM inbound_messages WHERE id = $1',
          [id],
        );
        expect(rows[0]?.payload_enc).toEqual(expect.any(String));
        expect(rows[0]?.payload_enc).not.toMatch(/Nguyễn|048090001234|905123456/);
      });

      it('stores only a keyed hash of the provider message id, and deduplicates on it', async () => {
        const zaloUser = '246845883529197922';
        const ids = [`follow:${zaloUser}:1795766400000`, `submit_info:${zaloUser}:1795766400001`];
        const zalo = (id: string): InboundMessage => ({ ...inbound(id), channel: 'zalo-oa', from: zaloUser });
        for (const id of ids) await inbox().accept(zalo(id), 'conv-zalo');
        await expect(inbox().accept(zalo(ids[0] ?? ''), 'conv-zalo')).resolves.toMatchObject({
          fresh: false,
        });

        const { rows } = await db.query<{ provider_message_id: string }>(
          'SELECT * FROM inbound_messages ORDER BY id',
        );
        expect(rows.map((r) => r.provider_message_id)).toEqual(
          ids.map((id) => inboundDedupeKey(cipher, 'zalo-oa', id)),
        );
        expect(JSON.stringify(rows)).not.toContain(zaloUser);
      });

      it('purges a handled message only once it is older than the 24-hour window and its clock skew', async () => {
        const hours = (n: number) => n * 60 * 60 * 1000;
        const stored = async (id: string, ageMs: number, handled: boolean) => {
          const row = await inbox().accept(inbound(id), `${SMS}:${PHONE}`);
          if (handled) await inbox().markProcessed(row.id);
          await db.query(
            `UPDATE inbound_messages SET received_at = now() - ($2::bigint * interval '1 millisecond') WHERE id = $1`,
            [row.id, ageMs],
          );
        };
        await stored('SM-just-now', 60_000, true);
        await stored('SM-23h', hours(23), true);
        await stored('SM-24h-1min', hours(24) + 60_000, true);
        await stored('SM-24h-6min', hours(24) + 6 * 60_000, true);
        await stored('SM-8-days', hours(8 * 24), true);
        await stored('SM-8-days-unhandled', hours(8 * 24), false);

        await expect(inbox().purgeProcessed()).resolves.toBe(2);

        for (const id of ['SM-just-now', 'SM-23h', 'SM-24h-1min', 'SM-8-days-unhandled']) {
          await expect(inbox().accept(inbound(id), `${SMS}:${PHONE}`)).resolves.toMatchObject({
            fresh: false,
          });
        }
        await expect(inbox().accept(inbound('SM-24h-6min'), `${SMS}:${PHONE}`)).resolves.toMatchObject({
          fresh: true,
        });
      });

      it('keeps a failed message 30 days after it failed (giving up is in the Inbox contract)', async () => {
        const poison = await inbox().accept(inbound('SM-poison'), `${SMS}:failing`);
        await inbox().markFailed(poison.id);
        await expect(inbox().listFailed({ limit: 10 })).resolves.toHaveLength(1);

        const age = async (days: number) =>
          db.query(
            `UPDATE inbound_messages SET received_at = now() - ($2::int * interval '1 day'),
               failed_at = now() - ($2::int * interval '1 day') WHERE id = $1`,
            [poison.id, days],
          );
        await age(29);
        await inbox().purgeProcessed();
        await expect(inbox().listFailed({ limit: 10 })).resolves.toHaveLength(1);
        await age(31);
        await inbox().purgeProcessed();
        await expect(inbox().listFailed({ limit: 10 })).resolves.toEqual([]);
      });
    });

    describe('outbox', () => {
      const outbox = () => new Outbox(db, cipher);

      it('stores a message once per dedupe key', async () => {
        const [first] = await outbox().add([outbound('turn-1-0')]);
        const again = await outbox().add([outbound('turn-1-0'), outbound('turn-1-1')]);
        expect(again[0]).toBe(first);
        expect(again[1]).not.toBe(first);
        const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbound_messages');
        expect(rows[0]?.n).toBe(2);
        const record = await outbox().get(first ?? -1);
        expect(record).toMatchObject({ status: 'pending', purpose: 'reply', attempts: 0 });
        expect(record?.message).toEqual({
          channel: SMS,
          to: PHONE,
          reply: outbound('x').reply,
          language: 'vi',
          clientRef: `out-${first}`,
        });
      });

      it('applies delivery reports only when they move the message forward', async () => {
        const [id = -1] = await outbox().add([outbound('turn-1-0')]);
        await outbox().markSent(id, 'SMout1', 1);
        await expect(outbox().get(id)).resolves.toMatchObject({ status: 'queued', attempts: 1 });
        const report = (status: 'delivered' | 'sent') => ({ providerMessageId: 'SMout1', status });
        await expect(outbox().applyDeliveryReport(SMS, report('delivered'))).resolves.toBe(true);
        await expect(outbox().applyDeliveryReport(SMS, report('sent'))).resolves.toBe(false);
        await expect(outbox().applyDeliveryReport(SMS, report('delivered'))).resolves.toBe(false);
        await expect(outbox().get(id)).resolves.toMatchObject({ status: 'delivered' });
        const unknown = { providerMessageId: 'SMnobody', status: 'delivered' as const };
        await expect(outbox().applyDeliveryReport(SMS, unknown)).resolves.toBe(false);
      });

      /** The attempts and last error code stored for message `id`. */
      const attemptsOf = async (id: number) => {
        const { rows } = await db.query<{ attempts: number; error_code: string | null; status: string }>(
          'SELECT status, attempts, error_code FROM outbound_messages WHERE id = $1',
          [id],
        );
        return rows[0];
      };

      it('counts every attempt that reached the provider, the one that failed for good too', async () => {
        const [id = -1] = await outbox().add([outbound('turn-1-0')]);
        await outbox().recordAttempt(id, '20500');
        await outbox().recordAttempt(id, '20429');
        await expect(attemptsOf(id)).resolves.toEqual({
          status: 'pending',
          attempts: 2,
          error_code: '20429',
        });
        await outbox().markFailed(id, '21211');
        await expect(attemptsOf(id)).resolves.toEqual({ status: 'failed', attempts: 3, error_code: '21211' });
      });

      it('clears the error of an earlier attempt once the provider accepts the message', async () => {
        const [id = -1] = await outbox().add([outbound('turn-1-0')]);
        await outbox().recordAttempt(id, '20500');
        await outbox().markSent(id, 'SMout3', 1);
        await expect(attemptsOf(id)).resolves.toEqual({ status: 'queued', attempts: 2, error_code: null });
      });

      it('names each recipient with a message waiting too long once, and not before its hold ends', async () => {
        const now = new Date();
        await outbox().add([
          outbound('turn-1-0'),
          outbound('turn-1-1'),
          { ...outbound('held-1'), to: '+84905999001', notBefore: new Date(now.getTime() + 3_600_000) },
        ]);
        await db.query(`UPDATE outbound_messages SET created_at = now() - interval '1 hour'`);
        await expect(outbox().stalledRecipients(120_000, 500, now)).resolves.toEqual([
          recipientOf(cipher, SMS, PHONE),
        ]);
      });

      it('stores the payload encrypted', async () => {
        await outbox().add([outbound('turn-1-0')]);
        const { rows } = await db.query('SELECT * FROM outbound_messages');
        expect(JSON.stringify(rows)).not.toMatch(/Nguyễn|905123456/);
      });
    });
  });
}
