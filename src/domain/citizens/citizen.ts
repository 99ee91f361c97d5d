/** Where an account stands: opened by the citizen, then checked against the population registry. */
export type CitizenStatus = 'provisional' | 'verified' | 'not_matched';

/** Which claimed field the population registry did not confirm. */
export type MismatchField = 'cccd' | 'full_name' | 'date_of_birth';

/** A digital-citizen account, without its protected personal data (ID number, name, date of birth). */
export interface Citizen {
  readonly id: string;
  /** 8 characters without look-alikes, shown as XXXX-XXXX. */
  readonly accountCode: string;
  readonly status: CitizenStatus;
  readonly mismatchField: MismatchField | null;
  /** E.164. */
  readonly phone: string;
  /** The channel the account was opened on, e.g. `twilio-sms`. */
  readonly createdVia: string;
  readonly createdAt: Date;
  readonly verifiedAt: Date | null;
}

/** The personal data a citizen gave, as needed to verify the account. */
export interface CitizenIdentity {
  readonly fullName: string;
  /** 12 digits. */
  readonly cccd: string;
  /** YYYY-MM-DD. */
  readonly dateOfBirth: string;
}

/** A record of consent: what for, which wording, where and when. */
export interface ConsentRecord {
  readonly purpose: string;
  readonly textVersion: string;
  readonly channel: string;
  readonly language: string;
}
