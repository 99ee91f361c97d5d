import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.ts';
import { createServices, type Services } from '../../src/app/services.ts';
import { createShare } from '../../src/domain/shares/create-share.ts';
import { newCitizen } from '../contracts/citizen-repository.contract.ts';
import {
  createRedisPrefix,
  createTestDatabase,
  memoryLogger,
  REDIS_URL,
  testEncryptionKey,
} from '../support/services.ts';

// The 30-day purge on the real composition root over PostgreSQL: once a closed account is due, nothing that
// could identify its owner stays readable anywhere, neither in clear nor by decrypting any column; the audit log
// and the consent records stay (without personal data), and another account is untouched.

const DAY = 24 * 60 * 60 * 1000;
const CLOSED_AT = new Date('2026-11-27T03:00:00Z');
const PURGE_AFTER = new Date(CLOSED_AT.getTime() + 30 * DAY);

const PERSON = {
  fullName: 'Nguyễn Văn An',
  cccd: '048090001234',
  dateOfBirth: '1990-02-15',
  phone: '+84905123456',
  address: '12 Trần Phú, Hải Châu, Đà Nẵng',
  email: 'an.nguyen@example.vn',
  paperNumber: 'KS-2026-000123',
  telegram: '777001',
};
/** What must not be readable after the purge, in any column, in clear or decrypted. */
const SECRETS = [
  PERSON.fullName,
  'Nguyen Van An',
  PERSON.cccd,
  '905123456',
  PERSON.dateOfBirth,
  'Trần Phú',
  PERSON.email,
  PERSON.paperNumber,
  'Bổ sung ảnh của Nguyễn Văn An',
  // In the hand-offs' threads (with the name and address above) and their chat.
  `CCCD ${PERSON.cccd} không được`,
  '777001',
];

let now = CLOSED_AT;
let services: Services;
let dataDir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const database = await createTestDatabase();
  const redis = createRedisPrefix();
  dataDir = await mkdtemp(path.join(tmpdir(), 'dcz-purge-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    REDIS_URL,
    QUEUE_PREFIX: redis.prefix,
    DATA_ENCRYPTION_KEY: testEncryptionKey(),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
  });
  services = await createServices(config, memoryLogger().logger, { clock: () => now });
  cleanup = async () => {
    await services.close();
    await redis.cleanup();
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  };
});

afterAll(async () => {
  await cleanup();
});

/** Opens an account with a profile, contacts on three channels, a paper (and its file), a dossier and links. */
async function accountWithEverything(person: typeof PERSON, suffix: string) {
  const { citizens, contacts, documents, dossiers, shares, agencies, files, inbox, outbox } = services;
  const created = await citizens.create(
    newCitizen({
      fullName: person.fullName,
      cccd: person.cccd,
      dateOfBirth: person.dateOfBirth,
      phone: person.phone,
      accountCode: `PRG${suffix}2345`.slice(0, 8),
    }),
  );
  if (created.type !== 'created') throw new Error(`expected created, got ${created.type}`);
  const citizen = created.citizen;
  await citizens.updateProfile(
    citizen.id,
    { address: person.address, email: person.email },
    {
      actor: 'citizen',
      channel: 'twilio-sms',
    },
  );

  await contacts.touch('twilio-sms', person.phone, now);
  await contacts.linkCitizen('twilio-sms', person.phone, citizen.id);
  await contacts.setProvenPhone('telegram', person.telegram, person.phone, 'telegram_contact', now);
  await contacts.linkCitizen('telegram', person.telegram, citizen.id);
  await contacts.linkCitizen('zalo-oa', `zalo-${person.telegram}`, citizen.id);
  await contacts.setOptedOut('zalo-oa', `zalo-${person.telegram}`, true, now);

  const agency = await agencies.create({
    code: `UBND-${suffix}`,
    name: `UBND ${suffix}`,
    keyHash: `k${suffix}`,
  });
  if (agency.type !== 'created') throw new Error('agency not created');
  const id = crypto.randomUUID();
  const fileKey = `paper-${id}`;
  const stored = await files.put(fileKey, Readable.from([Buffer.from(`%PDF-1.4 ${person.fullName}`)]));
  const paper = await documents.issue({
    id,
    citizenId: citizen.id,
    agencyId: agency.agency.id,
    typeCode: 'KHAISINH',
    title: 'Giấy khai sinh',
    number: person.paperNumber,
    issuedAt: '2026-11-01',
    expiresAt: null,
    contentType: 'application/pdf',
    sizeBytes: stored.sizeBytes,
    sha256: stored.sha256,
    fileKey,
    signature: 'sig',
    signingKeyId: 'key-1',
  });
  await dossiers.upsert({
    agencyId: agency.agency.id,
    code: `HS-${suffix}`,
    citizenId: citizen.id,
    procedure: 'Đăng ký khai sinh',
    status: 'needs_more_info',
    expectedAt: null,
    note: `Bổ sung ảnh của ${person.fullName}`,
    at: now,
  });
  const shareDeps = { shares, documents, cipher: services.cipher, publicBaseUrl: 'https://example.vn' };
  const base = { citizenId: citizen.id, days: 7 as const, at: now };
  const paperShare = await createShare(shareDeps, {
    ...base,
    kind: 'document',
    documentId: paper.document.id,
    ref: `s1-${suffix}`,
  });
  await createShare(shareDeps, { ...base, kind: 'export', documentId: null, ref: `s2-${suffix}` });
  await shares.recordView(paperShare.share.id, {
    at: now,
    ipHash: 'ip',
    userAgentClass: 'mobile',
    place: 'Đà Nẵng',
  });

  const key = services.conversationKeyOf('twilio-sms', person.phone);
  const text = `DK ${person.fullName}, ${person.cccd}, 15/02/1990`;
  await inbox.accept(
    {
      channel: 'twilio-sms',
      providerMessageId: `SM-${suffix}`,
      from: person.phone,
      text,
      receivedAt: now.toISOString(),
    },
    key,
  );
  const reply = (to: string, channel: 'twilio-sms' | 'telegram', n: number) => ({
    dedupeKey: `purge-${suffix}-${n}`,
    channel,
    to,
    reply: { text: `${person.fullName}, CCCD ${person.cccd}. CO/KHONG?` },
    language: 'vi' as const,
    purpose: 'reply' as const,
  });
  await outbox.add([
    reply(person.phone, 'twilio-sms', 1),
    { ...reply(person.telegram, 'telegram', 2), purpose: 'notification', citizenId: citizen.id },
  ]);

  // Two hand-offs to a person: one from the linked Telegram chat, taken by a volunteer, with a thread; one by
  // SMS from the phone before the account was linked there (no account on it).
  const { handoffs } = services;
  const member = await teamMember(suffix);
  const held = await handoffs.open(
    {
      chat: { channel: 'telegram', address: person.telegram },
      citizenId: citizen.id,
      wardCode: null,
      reason: 'asked',
      firstMessage: `Tôi là ${person.fullName}, hỏi về giấy khai sinh`,
      ref: `h1-${suffix}`,
    },
    now,
  );
  await handoffs.take(
    held.handoff.id,
    { ...member, chat: { channel: 'twilio-sms', address: '+84935000001' } },
    now,
  );
  await handoffs.append(
    held.handoff.id,
    {
      author: 'volunteer',
      memberId: member.memberId,
      text: `Chào bác ở ${person.address}`,
      ref: `h2-${suffix}`,
    },
    now,
  );
  await handoffs.open(
    {
      chat: { channel: 'twilio-sms', address: person.phone },
      citizenId: null,
      wardCode: null,
      reason: 'stuck',
      firstMessage: `CCCD ${person.cccd} không được`,
      ref: `h3-${suffix}`,
    },
    now,
  );
  return { citizen, fileKey, handoffId: held.handoff.id };
}

/** A team with one member, straight into the tables. */
async function teamMember(suffix: string) {
  const team = await services.db.query<{ id: string }>(
    `INSERT INTO teams (name, ward_code, invite_code) VALUES ($1, '20194', $2) RETURNING id`,
    [`Tổ ${suffix}`, `INVITE${suffix}2`],
  );
  const teamId = team.rows[0]?.id ?? '';
  const member = await services.db.query<{ id: string }>(
    `INSERT INTO team_members (team_id, phone_hash, phone_enc, role, channel, address_enc)
     VALUES ($1, $2, $3, 'leader', 'twilio-sms', $3) RETURNING id`,
    [teamId, `hash-${suffix}`, services.cipher.encrypt('+84935000001')],
  );
  return { teamId, memberId: member.rows[0]?.id ?? '' };
}

/** Every string in every row of every table, with what decrypting it gives when it is ciphertext. */
async function everythingReadable(): Promise<string[]> {
  const { rows: tables } = await services.db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
  );
  const readable: string[] = [];
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      readable.push(value);
      if (value.startsWith('v1.')) {
        try {
          readable.push(services.cipher.decrypt(value));
        } catch {
          // Not ciphertext of ours.
        }
      }
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === 'object' && !(value instanceof Date))
      Object.values(value).forEach(visit);
  };
  for (const { table_name: table } of tables) {
    const { rows } = await services.db.query(`SELECT * FROM "${table}"`);
    visit(rows);
  }
  return readable;
}

describe('purging a closed account after 30 days', () => {
  let purgedId: string;
  let purgedFile: string;
  let keptId: string;
  let keptFile: string;
  let keptHandoff: number;

  beforeAll(async () => {
    const purged = await accountWithEverything(PERSON, 'A');
    const kept = await accountWithEverything(
      {
        ...PERSON,
        fullName: 'Trần Thị Bình',
        cccd: '048185000321',
        dateOfBirth: '1985-07-04',
        phone: '+84912000111',
        address: '5 Lê Lợi, Hải Châu',
        email: 'binh@example.vn',
        paperNumber: 'KS-2026-000999',
        telegram: '888002',
      },
      'B',
    );
    purgedId = purged.citizen.id;
    purgedFile = purged.fileKey;
    keptId = kept.citizen.id;
    keptFile = kept.fileKey;
    keptHandoff = kept.handoffId;
    const readable = (await everythingReadable()).join('\n');
    for (const secret of [PERSON.fullName, PERSON.cccd, PERSON.paperNumber, PERSON.email, 'Trần Phú']) {
      expect(readable, `${secret} is readable before the purge`).toContain(secret);
    }
    await services.citizens.close(purgedId, {
      at: CLOSED_AT,
      purgeAfter: PURGE_AFTER,
      reason: 'requested',
      channel: 'twilio-sms',
    });
  });

  it('purges nothing before the 30 days are over', async () => {
    now = new Date(PURGE_AFTER.getTime() - 1000);

    await expect(services.purgeAccounts()).resolves.toBe(0);
    await expect(services.citizens.findProfile(purgedId)).resolves.toMatchObject({
      fullName: PERSON.fullName,
    });
  });

  it('leaves nothing readable about the person in any table, in clear or decrypted', async () => {
    now = PURGE_AFTER;

    await expect(services.purgeAccounts()).resolves.toBe(1);

    const readable = (await everythingReadable()).join('\n');
    for (const secret of SECRETS) expect(readable, `${secret} is still readable`).not.toContain(secret);
  });

  it('deletes the threads of its hand-offs and closes them, keeping their numbers and dates', async () => {
    const handoffs = await services.handoffs.list({});
    const purged = handoffs.filter((h) => h.chat.address === '');
    expect(purged).toHaveLength(2);
    for (const handoff of purged) {
      expect(handoff).toMatchObject({ status: 'closed', createdAt: CLOSED_AT });
      await expect(services.handoffs.thread(handoff.id)).resolves.toEqual([]);
    }
    await expect(
      services.handoffs.activeForChat({ channel: 'twilio-sms', address: PERSON.phone }),
    ).resolves.toBeNull();
  });

  it('deletes the files of the papers', async () => {
    await expect(services.files.get(purgedFile)).resolves.toBeNull();
  });

  it('keeps the account row, its consent records and the audit log, purged', async () => {
    const { rows } = await services.db.query<{ purged_at: Date | null; phone_hash: string }>(
      'SELECT purged_at, phone_hash FROM citizens WHERE id = $1',
      [purgedId],
    );
    expect(rows).toEqual([{ purged_at: PURGE_AFTER, phone_hash: `purged:${purgedId}` }]);
    await expect(services.citizens.listConsents(purgedId)).resolves.toHaveLength(1);
    const audit = await services.db.query<{ action: string }>(
      'SELECT action FROM audit_log WHERE citizen_id = $1 ORDER BY id',
      [purgedId],
    );
    expect(audit.rows.map((r) => r.action)).toEqual(
      expect.arrayContaining(['account_opened', 'profile_updated', 'account_closed', 'account_purged']),
    );
    await expect(services.dataExport(purgedId)).resolves.toBeNull();
  });

  it('keeps the deduplication key of a message younger than the window, so a replay of it gets no turn', async () => {
    const replay = {
      channel: 'twilio-sms' as const,
      providerMessageId: 'SM-A',
      from: PERSON.phone,
      text: 'DK',
      receivedAt: now.toISOString(),
    };
    const key = services.conversationKeyOf('twilio-sms', PERSON.phone);

    await expect(services.inbox.accept(replay, key)).resolves.toMatchObject({ fresh: false, pending: false });
    await expect(services.inbox.nextPending(key)).resolves.toBeNull();
    const { rows } = await services.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM inbound_messages WHERE conversation_key = $1',
      [key],
    );
    expect(rows[0]?.n).toBe(0);
  });

  it('keeps an opt-out of the purged person, without their address', async () => {
    const contact = await services.contacts.find('zalo-oa', `zalo-${PERSON.telegram}`);
    expect(contact).toMatchObject({ citizenId: null, phone: null });
    expect(contact?.optedOutAt).not.toBeNull();
    await expect(services.contacts.find('twilio-sms', PERSON.phone)).resolves.toBeNull();
  });

  it('leaves the other account whole', async () => {
    await expect(services.citizens.findProfile(keptId)).resolves.toMatchObject({
      fullName: 'Trần Thị Bình',
      address: '5 Lê Lợi, Hải Châu',
    });
    await expect(services.documents.listByCitizen(keptId)).resolves.toHaveLength(1);
    await expect(services.dossiers.listByCitizen(keptId, 10)).resolves.toHaveLength(1);
    await expect(services.shares.listByCitizen(keptId)).resolves.toHaveLength(2);
    await expect(services.contacts.findByCitizen(keptId)).resolves.toHaveLength(3);
    await expect(services.files.get(keptFile)).resolves.not.toBeNull();
    await expect(services.handoffs.thread(keptHandoff)).resolves.toHaveLength(2);
    await expect(services.handoffs.findById(keptHandoff)).resolves.toMatchObject({
      status: 'held',
      chat: { channel: 'telegram', address: '888002' },
    });
    const readable = (await everythingReadable()).join('\n');
    expect(readable).toContain('Trần Thị Bình');
    expect(readable).toContain('048185000321');
  });

  it('lets the same phone and CCCD open a new account, and runs again with nothing to do', async () => {
    await expect(services.purgeAccounts()).resolves.toBe(0);
    const again = await services.citizens.create(newCitizen({ accountCode: 'NEWA2345' }));
    expect(again).toMatchObject({ type: 'created', citizen: { phone: PERSON.phone } });
  });
});
