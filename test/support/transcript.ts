import { createFlows, keywords, menu, systemCopy } from '../../flows/index.ts';
import { createTurnEnvironment } from '../../src/app/turn-environment.ts';
import { type EngineDeps, runTurn, type TurnReply } from '../../src/engine/run-turn.ts';
import type { Language } from '../../src/messaging/channel.ts';
import { renderSmsText, type SmsEncoding } from '../../src/messaging/sms-render.ts';
import { InMemoryCitizenRepository } from '../fakes/in-memory-citizen-repository.ts';
import { InMemoryContactRepository } from '../fakes/in-memory-contact-repository.ts';
import { InMemoryConversationStore } from '../fakes/in-memory-conversation-store.ts';

/** Options of a {@link Transcript}. */
export interface TranscriptOptions {
  readonly phone?: string;
  readonly encoding?: SmsEncoding;
  /** The day the conversation happens on (dates of birth are checked against it). */
  readonly today?: Date;
  readonly citizens?: InMemoryCitizenRepository;
  readonly contacts?: InMemoryContactRepository;
}

/**
 * A conversation with the real engine and flows over working in-memory fakes of the stores, read as the SMS
 * the person would receive. `send` returns the texts of the replies, rendered for SMS.
 */
export class Transcript {
  readonly citizens: InMemoryCitizenRepository;
  readonly contacts: InMemoryContactRepository;
  readonly store = new InMemoryConversationStore({ ttlSeconds: 1800 });
  readonly verificationsScheduled: string[] = [];
  readonly delivered: TurnReply[] = [];
  readonly phone: string;
  readonly #encoding: SmsEncoding;
  readonly #today: Date;
  readonly #deps: EngineDeps;
  #counter = 0;

  constructor(options: TranscriptOptions = {}) {
    this.phone = options.phone ?? '+84905123456';
    this.#encoding = options.encoding ?? 'gsm7';
    this.#today = options.today ?? new Date('2026-11-27T03:00:00Z');
    this.citizens = options.citizens ?? new InMemoryCitizenRepository();
    this.contacts = options.contacts ?? new InMemoryContactRepository();
    const flows = createFlows({
      citizens: this.citizens,
      contacts: this.contacts,
      verifyLater: async (id) => {
        this.verificationsScheduled.push(id);
      },
    });
    this.#deps = {
      store: this.store,
      environment: createTurnEnvironment({ citizens: this.citizens, contacts: this.contacts }),
      flows,
      keywords,
      menu,
      copy: systemCopy,
      deliver: async (_ref, _message, replies) => {
        this.delivered.push(...replies);
      },
    };
  }

  /** Sends one SMS and returns the replies as the person reads them. */
  async send(text: string): Promise<string[]> {
    this.#counter += 1;
    const before = this.delivered.length;
    await runTurn(this.#deps, {
      key: `conv-${this.phone}`,
      ref: `ref-${this.phone}-${this.#counter}`,
      message: {
        channel: 'twilio-sms',
        providerMessageId: `SM${this.#counter}`,
        from: this.phone,
        text,
        receivedAt: this.#today.toISOString(),
      },
    });
    return this.delivered.slice(before).map((r) => renderSmsText(r.reply, this.#encoding));
  }

  /** The language of the last reply. */
  lastLanguage(): Language | undefined {
    return this.delivered.at(-1)?.language;
  }
}
