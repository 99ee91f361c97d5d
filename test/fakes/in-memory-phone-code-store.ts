import {
  type CheckResult,
  CODE_TTL_MS,
  codeHashOf,
  deriveCode,
  ISSUE_WINDOW_MS,
  type IssueResult,
  type KeyedHash,
  MAX_CODES_PER_HOUR,
  MAX_TRIES,
  normalizeTypedCode,
  type PhoneCodeStore,
  phoneKeyOf,
} from '../../src/domain/contacts/phone-codes.ts';

/** The waiting code of one phone. */
interface CodeRecord {
  ref: string;
  codeHash: string;
  expiresAt: number;
  tries: number;
}

/**
 * A working in-memory {@link PhoneCodeStore} for tests; passes the same contract as the Redis one. Like it,
 * it files codes under the keyed hash of the phone and keeps only the keyed hash of each code.
 */
export class InMemoryPhoneCodeStore implements PhoneCodeStore {
  readonly #codes = new Map<string, CodeRecord>();
  /** The refs issued per phone, with their issue time (ms), oldest first. */
  readonly #issues = new Map<string, { ref: string; at: number }[]>();
  readonly #keyedHash: KeyedHash;

  constructor(options: { keyedHash: KeyedHash }) {
    this.#keyedHash = options.keyedHash;
  }

  async issue(phone: string, ref: string, now: Date): Promise<IssueResult> {
    const at = now.getTime();
    const key = phoneKeyOf(this.#keyedHash, phone);
    const code = deriveCode(this.#keyedHash, phone, ref);
    const issues = (this.#issues.get(key) ?? []).filter((issue) => issue.at > at - ISSUE_WINDOW_MS);
    this.#issues.set(key, issues);

    const seen = issues.find((issue) => issue.ref === ref);
    if (seen) return { type: 'issued', code, expiresAt: new Date(seen.at + CODE_TTL_MS), fresh: false };
    const [oldest] = issues;
    if (oldest && issues.length >= MAX_CODES_PER_HOUR) {
      return { type: 'rate_limited', retryAt: new Date(oldest.at + ISSUE_WINDOW_MS) };
    }
    issues.push({ ref, at });
    this.#codes.set(key, {
      ref,
      codeHash: codeHashOf(this.#keyedHash, phone, code),
      expiresAt: at + CODE_TTL_MS,
      tries: 0,
    });
    return { type: 'issued', code, expiresAt: new Date(at + CODE_TTL_MS), fresh: true };
  }

  async check(phone: string, typed: string, now: Date): Promise<CheckResult> {
    const key = phoneKeyOf(this.#keyedHash, phone);
    const record = this.#codes.get(key);
    if (!record) return { type: 'none' };
    if (now.getTime() >= record.expiresAt) return { type: 'expired' };
    if (record.tries >= MAX_TRIES) return { type: 'locked' };
    const code = normalizeTypedCode(typed);
    if (code !== null && codeHashOf(this.#keyedHash, phone, code) === record.codeHash) {
      this.#codes.delete(key);
      return { type: 'ok' };
    }
    record.tries += 1;
    return record.tries >= MAX_TRIES
      ? { type: 'locked' }
      : { type: 'wrong', triesLeft: MAX_TRIES - record.tries };
  }
}
