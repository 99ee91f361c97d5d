import { createHmac } from 'node:crypto';
import { createAssisted, type OutgoingMessage } from '../../flows/assisted/assisted.effects.ts';
import { createHandoffDesk, type HandoffOutbound } from '../../flows/handoff/handoff-desk.ts';
import { handoffStanding } from '../../flows/handoff/handoff-standing.ts';
import { createFlows, keywords, menu, phoneShared, systemCopy } from '../../flows/index.ts';
import { createTurnEnvironment } from '../../src/app/turn-environment.ts';
import type { DataRequest } from '../../src/domain/datarequests/data-request.ts';
import { createShare } from '../../src/domain/shares/create-share.ts';
import { WRONG_INVITE_CODES } from '../../src/domain/teams/join-team.ts';
import type { ConversationStore } from '../../src/engine/conversation-store.ts';
import { ConcurrentTurnError, type EngineDeps, runTurn, type TurnReply } from '../../src/engine/run-turn.ts';
import { type ChannelId, isSmsChannel, type Language } from '../../src/messaging/channel.ts';
import type { InboundMessage, PhoneTrust } from '../../src/messaging/inbound-message.ts';
import { renderSmsText, type SmsEncoding } from '../../src/messaging/sms-render.ts';
import { createPhoneProof } from '../../src/pipeline/phone-proof.ts';
import { InMemoryAgencyRepository } from '../fakes/in-memory-agency-repository.ts';
import { InMemoryAssistedRequestRepository } from '../fakes/in-memory-assisted-request-repository.ts';
import { InMemoryCitizenRepository } from '../fakes/in-memory-citizen-repository.ts';
import { InMemoryContactRepository } from '../fakes/in-memory-contact-repository.ts';
import { InMemoryConversationStore } from '../fakes/in-memory-conversation-store.ts';
import { InMemoryDataRequestRepository } from '../fakes/in-memory-data-request-repository.ts';
import { InMemoryDocumentRepository } from '../fakes/in-memory-document-repository.ts';
import { InMemoryDossierRepository } from '../fakes/in-memory-dossier-repository.ts';
import { InMemoryGuessLimiter } from '../fakes/in-memory-guess-limiter.ts';
import { InMemoryHandoffRepository } from '../fakes/in-memory-handoff-repository.ts';
import { InMemoryPhoneCodeStore } from '../fakes/in-memory-phone-code-store.ts';
import { InMemoryShareRepository } from '../fakes/in-memory-share-repository.ts';
import { InMemoryTeamRepository } from '../fakes/in-memory-team-repository.ts';

/** The PUBLIC_BASE_URL of transcripts: share links are `${TRANSCRIPT_BASE_URL}/s/<token>`. */
export const TRANSCRIPT_BASE_URL = 'https://congdanso.danang.gov.vn';

/** Options of a {@link Transcript}. */
export interface TranscriptOptions {
  /** The channel (default `twilio-sms`). */
  readonly channel?: ChannelId;
  /** The person's address on the channel: the phone on SMS (default +84905123456), a user id on messengers. */
  readonly phone?: string;
  readonly encoding?: SmsEncoding;
  /** The day the conversation happens on (dates of birth are checked against it). */
  readonly today?: Date;
  readonly citizens?: InMemoryCitizenRepository;
  readonly contacts?: InMemoryContactRepository;
  /** Teams and their members: pass one to several transcripts to have several people in one team. */
  readonly teams?: InMemoryTeamRepository;
  /** Hand-offs to a person: pass one to several transcripts (with the same citizens, contacts and teams). */
  readonly handoffs?: HandoffWorld;
  /** The SMS channel of the world (neighbours' consent SMS go there); null: none configured. */
  readonly smsChannel?: ChannelId | null;
  /** Where conversations are kept (default: an in-memory store; the benchmarks pass the Redis one). */
  readonly store?: ConversationStore;
}

/**
 * The hand-offs of a world where several people talk, each through their own {@link Transcript}: the stored
 * hand-offs, what the desk sent outside anyone's turn (notices, relayed messages; once per dedupe key, as the
 * outbox stores them), and the waiting notices it scheduled.
 */
export class HandoffWorld {
  readonly repository = new InMemoryHandoffRepository();
  readonly sent: HandoffOutbound[] = [];
  readonly waits: { handoffId: number; at: Date }[] = [];
}

/** Another person in the same world as a {@link Transcript}: their own chat, the same stores and clock. */
export interface Party {
  readonly channel: ChannelId;
  readonly address: string;
  /** Sends one message from this person; resolves the replies of that turn as they read them. */
  send(text: string): Promise<string[]>;
  /** Everything sent to this person outside their own turns (SMS from someone else's action, notices), in order. */
  received(): string[];
}

/**
 * A conversation with the real engine and flows over working in-memory fakes of the stores, read as the person
 * would: `send` returns the texts of the replies, rendered for SMS on SMS channels and as written (with
 * diacritics) on messengers, whose buttons are in {@link Transcript.delivered}. Codes texted to prove a phone
 * are in {@link Transcript.texted}.
 */
export class Transcript {
  readonly citizens: InMemoryCitizenRepository;
  readonly contacts: InMemoryContactRepository;
  /** Agencies, papers, dossiers and share links: seed them straight into these fakes. */
  readonly agencies = new InMemoryAgencyRepository();
  readonly documents = new InMemoryDocumentRepository(this.agencies);
  readonly dataRequests = new InMemoryDataRequestRepository(this.agencies);
  /** The data requests the flows answered or withdrew (their agencies' callbacks), in order. */
  readonly dataRequestsChanged: DataRequest[] = [];
  readonly dossiers = new InMemoryDossierRepository(this.agencies);
  readonly shares = new InMemoryShareRepository();
  readonly teams: InMemoryTeamRepository;
  /** The wrong invite codes of `TNV`, counted as the service counts them (5 an hour per sender). */
  readonly wrongInviteCodes = new InMemoryGuessLimiter(WRONG_INVITE_CODES);
  readonly store: ConversationStore;
  readonly handoffs: HandoffWorld;
  readonly handoffDesk: ReturnType<typeof createHandoffDesk>;
  readonly verificationsScheduled: string[] = [];
  readonly delivered: TurnReply[] = [];
  /** SMS carrying phone codes, as the phone's owner receives them. */
  readonly texted: { phone: string; text: string }[] = [];
  /** The dedupe keys of the codes texted so far. */
  readonly #textedKeys = new Set<string>();
  readonly codes: InMemoryPhoneCodeStore;
  /** Assisted-registration requests (DKH). */
  readonly assistedRequests = new InMemoryAssistedRequestRepository();
  /** Messages sent outside the sender's turn (consent SMS, notices to a volunteer), once per dedupe key. */
  readonly messages: OutgoingMessage[] = [];
  /** Expiries scheduled for assisted-registration requests, run by {@link Transcript.runDueExpiries}. */
  readonly expiries: { requestId: string; at: Date }[] = [];
  readonly assisted: ReturnType<typeof createAssisted>;
  readonly channel: ChannelId;
  readonly phone: string;
  readonly #encoding: SmsEncoding;
  #today: Date;
  readonly #deps: EngineDeps;
  #counter = 0;

  constructor(options: TranscriptOptions = {}) {
    this.channel = options.channel ?? 'twilio-sms';
    this.phone = options.phone ?? '+84905123456';
    this.#encoding = options.encoding ?? 'gsm7';
    this.#today = options.today ?? new Date('2026-11-27T03:00:00Z');
    this.citizens = options.citizens ?? new InMemoryCitizenRepository();
    this.contacts = options.contacts ?? new InMemoryContactRepository();
    this.teams = options.teams ?? new InMemoryTeamRepository();
    this.store = options.store ?? new InMemoryConversationStore({ ttlSeconds: 1800 });
    this.codes = new InMemoryPhoneCodeStore({ keyedHash: TEST_KEYED_HASH });
    const verifyLater = async (id: string) => {
      this.verificationsScheduled.push(id);
    };
    const world = options.handoffs ?? new HandoffWorld();
    this.handoffs = world;
    this.handoffDesk = createHandoffDesk({
      handoffs: world.repository,
      teams: this.teams,
      citizens: this.citizens,
      contacts: this.contacts,
      sendHandoffMessages: async (messages) => {
        for (const m of messages)
          if (!world.sent.some((s) => s.dedupeKey === m.dedupeKey)) world.sent.push(m);
      },
      scheduleHandoffWait: async (handoffId, at) => {
        world.waits.push({ handoffId, at });
      },
    });
    this.assisted = createAssisted({
      teams: this.teams,
      assisted: this.assistedRequests,
      citizens: this.citizens,
      contacts: this.contacts,
      keyedHash: TEST_KEYED_HASH,
      smsChannel: options.smsChannel === undefined ? 'twilio-sms' : options.smsChannel,
      consentTtlSeconds: 900,
      sendMessage: async (message) => {
        if (!this.messages.some((m) => m.dedupeKey === message.dedupeKey)) this.messages.push(message);
      },
      expireLater: async (requestId, at) => {
        if (!this.expiries.some((e) => e.requestId === requestId)) this.expiries.push({ requestId, at });
      },
      verifyLater,
    });
    const flows = createFlows({
      handoffDesk: this.handoffDesk,
      handoffs: world.repository,
      assisted: this.assisted,
      citizens: this.citizens,
      contacts: this.contacts,
      verifyLater,
      documents: this.documents,
      dataRequests: this.dataRequests,
      dataRequestChanged: async (request) => {
        this.dataRequestsChanged.push(request);
      },
      dossiers: this.dossiers,
      shares: this.shares,
      teams: this.teams,
      wrongInviteCodes: this.wrongInviteCodes,
      keyedHash: TEST_KEYED_HASH,
      createShare: (input) =>
        createShare(
          {
            shares: this.shares,
            documents: this.documents,
            cipher: { keyedHash: TEST_KEYED_HASH },
            publicBaseUrl: TRANSCRIPT_BASE_URL,
          },
          input,
        ),
      ...createPhoneProof({
        codes: this.codes,
        citizens: this.citizens,
        contacts: this.contacts,
        // Idempotent on `dedupeKey`, as the outbox is: a replayed turn texts its code once.
        textCode: async (sms) => {
          if (!this.#textedKeys.has(sms.dedupeKey)) {
            this.#textedKeys.add(sms.dedupeKey);
            this.texted.push({ phone: sms.phone, text: renderSmsText({ text: sms.text }, 'gsm7') });
          }
          return true;
        },
      }),
    });
    this.#deps = {
      store: this.store,
      environment: createTurnEnvironment({
        citizens: this.citizens,
        contacts: this.contacts,
        standing: handoffStanding(world.repository),
      }),
      flows,
      keywords,
      menu,
      copy: systemCopy,
      phoneShared,
      deliver: async (_ref, _message, replies) => {
        this.delivered.push(...replies);
      },
    };
  }

  /** Sends one message and returns the replies as the person reads them. */
  async send(text: string): Promise<string[]> {
    return this.#turn({ text });
  }

  /**
   * Sends one message whose turn crashes after its replies were stored but before the conversation was saved,
   * then runs it again as the retried job does (same message ref). Returns the replies of both attempts.
   */
  async sendCrashingOnce(text: string): Promise<[string[], string[]]> {
    const store = this.store;
    const crashing: EngineDeps = {
      ...this.#deps,
      store: { load: (key) => store.load(key), save: async () => false },
    };
    const before = this.delivered.length;
    await this.#turn({ text }, crashing).catch((error: unknown) => {
      if (!(error instanceof ConcurrentTurnError)) throw error;
    });
    const first = this.#since(before);
    // The retried job handles the same message: same ref.
    this.#counter -= 1;
    return [first, await this.#turn({ text })];
  }

  /**
   * Shares a phone number through the channel: `vouched` (Telegram's own-contact button, the default), `claimed`
   * (Zalo OA's information form) or `foreign` (someone else's contact card).
   */
  async sharePhone(phone: string, trust: PhoneTrust = 'vouched'): Promise<string[]> {
    return this.#turn({ text: '', sharedPhone: { phone, trust } });
  }

  /** A channel event: the person followed or left the account. */
  async event(event: 'follow' | 'unfollow'): Promise<string[]> {
    return this.#turn({ text: '', event });
  }

  /** Moves the conversation's clock (codes expire, limits reset). */
  advance(ms: number): void {
    this.#today = new Date(this.#today.getTime() + ms);
  }

  /** The time of this conversation. */
  now(): Date {
    return this.#today;
  }

  /** What the hand-off desk sent to this person outside their own turns, as they read it, oldest first. */
  handoffMessages(): string[] {
    return this.handoffs.sent
      .filter((m) => m.channel === this.channel && m.to === this.phone)
      .map((m) => (isSmsChannel(this.channel) ? renderSmsText({ text: m.text }, this.#encoding) : m.text));
  }

  /**
   * Runs the hand-off waiting notices due by this conversation's time, as the worker runs the delayed jobs (one
   * due outside answer hours is scheduled again for 07:00).
   */
  async runDueHandoffWaits(): Promise<void> {
    const due = this.handoffs.waits.filter((w) => w.at.getTime() <= this.#today.getTime());
    for (const job of due) {
      this.handoffs.waits.splice(this.handoffs.waits.indexOf(job), 1);
      const outcome = await this.handoffDesk.remindWaiting(job.handoffId, this.#today);
      if (outcome.type === 'later') this.handoffs.waits.push({ handoffId: job.handoffId, at: outcome.at });
    }
  }

  /** The last code texted to `phone`, read from the SMS. */
  lastCode(phone: string): string {
    const sms = this.texted.filter((t) => t.phone === phone).at(-1);
    const code = /\b(\d{6})\b/.exec(sms?.text ?? '')?.[1];
    if (!code) throw new Error('no code was texted to that phone');
    return code;
  }

  async #turn(
    content: Pick<InboundMessage, 'text' | 'sharedPhone' | 'event'>,
    deps: EngineDeps = this.#deps,
    from: { channel: ChannelId; address: string } = { channel: this.channel, address: this.phone },
  ): Promise<string[]> {
    this.#counter += 1;
    const before = this.delivered.length;
    await runTurn(deps, {
      key: `conv-${from.channel}-${from.address}`,
      ref: `ref-${from.channel}-${from.address}-${this.#counter}`,
      message: {
        channel: from.channel,
        providerMessageId: `M${this.#counter}`,
        from: from.address,
        receivedAt: this.#today.toISOString(),
        ...content,
      },
    });
    return this.#since(before, from.channel);
  }

  /** Another person in this world, e.g. the neighbour (`twilio-sms`, their phone) a volunteer registers. */
  party(channel: ChannelId, address: string): Party {
    return {
      channel,
      address,
      send: (text) => this.#turn({ text }, this.#deps, { channel, address }),
      received: () => this.receivedBy(channel, address),
    };
  }

  /** What was sent to `address` on `channel` outside their own turns, as they read it. */
  receivedBy(channel: ChannelId = this.channel, address: string = this.phone): string[] {
    return this.messages
      .filter((m) => m.channel === channel && m.to === address)
      .map((m) => (isSmsChannel(channel) ? renderSmsText({ text: m.text }, this.#encoding) : m.text));
  }

  /** Runs the expiry jobs due by now (as BullMQ runs the delayed jobs); resolves how many expired a request. */
  async runDueExpiries(): Promise<number> {
    const due = this.expiries.filter((e) => e.at.getTime() <= this.#today.getTime());
    let expired = 0;
    for (const job of due) {
      this.expiries.splice(this.expiries.indexOf(job), 1);
      if ((await this.assisted.expire(job.requestId, this.#today)) === 'expired') expired += 1;
    }
    return expired;
  }

  /** The replies delivered since position `before`, as the person reads them. */
  #since(before: number, channel: ChannelId = this.channel): string[] {
    return this.delivered
      .slice(before)
      .map((r) => (isSmsChannel(channel) ? renderSmsText(r.reply, this.#encoding) : r.reply.text));
  }

  /** The language of the last reply. */
  lastLanguage(): Language | undefined {
    return this.delivered.at(-1)?.language;
  }
}

/** A keyed hash for tests (HMAC-SHA-256 under a fixed key), shaped like `DataCipher.keyedHash`. */
export const TEST_KEYED_HASH = (purpose: string, value: string) =>
  createHmac('sha256', 'transcript-test-key').update(`${purpose}\0${value}`).digest('hex');
