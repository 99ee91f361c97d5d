import type { ChannelId, Language } from '../messaging/channel.ts';

/** What a flow may know of the account of the person it talks to. */
export interface CitizenSnapshot {
  /** The account's id, for effects to reach its records (never shown to the person). */
  readonly id: string;
  /** Shown as XXXX-XXXX. */
  readonly accountCode: string;
  readonly status: 'provisional' | 'verified' | 'not_matched';
  readonly mismatchField: 'cccd' | 'full_name' | 'date_of_birth' | null;
  /**
   * Set while the account is closed (XOATK, RUTDONGY): when its data is purged unless the citizen restores it
   * (KHOIPHUC). Absent or null: the account is open.
   */
  readonly purgeAfter?: Date | null;
}

/** Everything a flow step may read besides its own state. Flows never do I/O: this is loaded for them. */
export interface FlowContext {
  readonly language: Language;
  readonly channel: ChannelId;
  /** The person's address on the channel (the phone number for SMS). */
  readonly address: string;
  /**
   * The person's proven phone number: the address itself on SMS; on a messenger, the number proven by the
   * channel (shared contact, information form) or by a code sent by SMS. Null until proven.
   */
  readonly phone: string | null;
  /** The account of this person, if they have one. */
  readonly citizen: CitizenSnapshot | null;
  readonly now: Date;
}

/** What an effect runner gets: the flow context plus a reference that makes its effects idempotent. */
export interface EffectContext extends FlowContext {
  /** The id of the inbound message being handled: running an effect twice with it does it once. */
  readonly ref: string;
}
