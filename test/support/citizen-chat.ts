import { randomUUID } from 'node:crypto';
import type { Agency } from '../../src/domain/agencies/agency.ts';
import type { DocumentRecord } from '../../src/domain/documents/document.ts';
import type { Dossier, DossierStatus } from '../../src/domain/dossiers/dossier.ts';
import type { ChannelId } from '../../src/messaging/channel.ts';
import { renderSmsText } from '../../src/messaging/sms-render.ts';
import { Transcript } from './transcript.ts';

/** The citizen's phone in these chats. */
export const CITIZEN_PHONE = '+84905123456';
/** An account code as shown: `XXXX-XXXX`. */
const ACCOUNT_CODE = /[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}/;

/** A chat with a citizen who has an account, on SMS or a messenger, with helpers to seed their data store. */
export interface CitizenChat {
  readonly chat: Transcript;
  readonly citizenId: string;
  /** The account code as shown (XXXX-XXXX). */
  readonly accountCode: string;
  /** A sentence as the citizen reads it on this channel: unaccented GSM-7 on SMS, as written on messengers. */
  seen(text: string): string;
}

/**
 * Opens an account in a new transcript on `channel`: by SMS directly; on a messenger after sharing the phone
 * with the channel's button. Resolves once the account is open (the registration replies are not returned).
 */
export async function openCitizenChat(channel: ChannelId = 'twilio-sms'): Promise<CitizenChat> {
  const sms = channel === 'twilio-sms' || channel === 'sms-gateway';
  const chat = new Transcript(sms ? { channel } : { channel, phone: `${channel}-user-1` });
  if (!sms) await chat.sharePhone(CITIZEN_PHONE);
  await chat.send('DK Nguyen Van An, 048090001234, 15/02/1990');
  const [opened] = await chat.send(sms ? 'CO' : 'Đồng ý');
  const accountCode = ACCOUNT_CODE.exec(opened ?? '')?.[0];
  const citizenId = chat.citizens.entries[0]?.citizen.id;
  if (accountCode === undefined || citizenId === undefined) throw new Error(`no account opened: ${opened}`);
  return {
    chat,
    citizenId,
    accountCode,
    seen: (text) => (sms ? renderSmsText({ text }, 'gsm7') : text),
  };
}

/** Creates an agency in the chat's fakes. */
export async function seedAgency(chat: Transcript, code: string, name: string): Promise<Agency> {
  const created = await chat.agencies.create({ code, name, keyHash: `key-${code}` });
  if (created.type !== 'created') throw new Error(`agency ${code} exists`);
  return created.agency;
}

/** Issues a paper to `citizenId` straight into the chat's document fake. */
export async function seedPaper(
  chat: Transcript,
  paper: { citizenId: string; agency: Agency; title: string; issuedAt: string; number?: string },
): Promise<DocumentRecord> {
  const id = randomUUID();
  const outcome = await chat.documents.issue({
    id,
    citizenId: paper.citizenId,
    agencyId: paper.agency.id,
    typeCode: 'KHAISINH',
    title: paper.title,
    number: paper.number ?? `SO-${id.slice(0, 8)}`,
    issuedAt: paper.issuedAt,
    expiresAt: null,
    contentType: 'application/pdf',
    sizeBytes: 1234,
    sha256: 'a'.repeat(64),
    fileKey: `files/${id}`,
    signature: 'signature',
    signingKeyId: 'key-1',
  });
  return outcome.document;
}

/** Moves a dossier to `status` (creating it the first time) straight in the chat's dossier fake. */
export async function seedDossier(
  chat: Transcript,
  update: {
    citizenId: string;
    agency: Agency;
    code: string;
    procedure: string;
    status: DossierStatus;
    at: string;
    expectedAt?: string | null;
    note?: string | null;
  },
): Promise<Dossier> {
  const outcome = await chat.dossiers.upsert({
    agencyId: update.agency.id,
    code: update.code,
    citizenId: update.citizenId,
    procedure: update.procedure,
    status: update.status,
    expectedAt: update.expectedAt ?? null,
    note: update.note ?? null,
    at: new Date(update.at),
  });
  if (!('dossier' in outcome)) throw new Error(`dossier ${update.code} not stored: ${outcome.type}`);
  return outcome.dossier;
}
