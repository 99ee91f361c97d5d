/** A person's address on one channel, with their preferences there. */
export interface Contact {
  readonly channel: string;
  /** The provider's address of the person (E.164 for SMS). */
  readonly address: string;
  readonly language: 'vi' | 'en';
  /** Set when the person opted out of all messages on this channel (STOP, TUCHOI). */
  readonly optedOutAt: Date | null;
  /** The account this address belongs to, once known. */
  readonly citizenId: string | null;
  /** When the address was linked to that account (null while it is not linked). */
  readonly linkedAt: Date | null;
  /**
   * The phone number this identity proved, for messenger identities (SMS identities are their phone). Set by
   * {@link ContactRepository.setProvenPhone}; a messenger identity is linked to an account only through it.
   */
  readonly phone: string | null;
}

/**
 * How a messenger identity proved its phone number: the code texted to it, or Telegram's own-contact button. (A
 * number typed into Zalo OA's information form is only a claim, proven by the code.)
 */
export type PhoneProof = 'otp' | 'telegram_contact';

/**
 * Storage of contacts. Addresses are stored encrypted and looked up by keyed hash. Contract: `touch` creates
 * the contact on first sight (language `vi`, opted in) and is idempotent; setters on an unknown contact create it.
 */
export interface ContactRepository {
  touch(channel: string, address: string, at: Date): Promise<Contact>;
  find(channel: string, address: string): Promise<Contact | null>;
  setLanguage(channel: string, address: string, language: 'vi' | 'en'): Promise<void>;
  setOptedOut(channel: string, address: string, optedOut: boolean, at: Date): Promise<void>;
  linkCitizen(channel: string, address: string, citizenId: string): Promise<void>;
  /** Records the phone number the identity proved, and how; a later proof replaces it. */
  setProvenPhone(channel: string, address: string, phone: string, proof: PhoneProof, at: Date): Promise<void>;
  /** The contacts of an account, most recently active first. */
  findByCitizen(citizenId: string): Promise<Contact[]>;
  /**
   * Forgets the identities of an account (account purge): a contact that never opted out is deleted; one that
   * opted out keeps only its keyed hash and the opt-out (so the opt-out still holds), with its address and
   * proven phone erased and no account. Touching it again stores the address again.
   */
  unlinkCitizen(citizenId: string): Promise<void>;
}
