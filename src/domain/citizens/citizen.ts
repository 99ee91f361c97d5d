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
  /** When the citizen closed the account (or withdrew consent); null while it is open. */
  readonly closedAt: Date | null;
  /**
   * For a closed account: when its personal data is purged unless the citizen restores it first; null exactly
   * when `closedAt` is.
   */
  readonly purgeAfter: Date | null;
  /** The team and member of the volunteer who registered the account for the citizen (DKH); null otherwise. */
  readonly registeredBy: RegisteredBy | null;
}

/** The team and member of a volunteer who registered an account on the citizen's behalf. */
export interface RegisteredBy {
  readonly teamId: string;
  readonly memberId: string;
}

/**
 * Who opened an account, as the audit log records it (never personal data): the citizen themself (`id`: the
 * ref of the message that opened it), a volunteer (the team member id) or staff (the admin id).
 */
export interface AccountOpenedBy {
  readonly kind: 'citizen' | 'volunteer' | 'staff';
  readonly id: string;
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
  /** Set when a volunteer registered the citizen (DKH): how the citizen consented, and with whom. */
  readonly assisted?: AssistedConsent;
}

/**
 * A consent the citizen gave through a volunteer (DKH): by replying to the consent SMS from their own phone
 * (`reply`) or by reading its code out to the volunteer (`code`); with that team member, for that request.
 */
export interface AssistedConsent {
  readonly how: 'reply' | 'code';
  readonly teamId: string;
  readonly memberId: string;
  readonly requestId: string;
}

/** Why an account was closed: the citizen asked to close it, or withdrew their consent to its processing. */
export type CloseReason = 'requested' | 'consent_withdrawn';

/** Everything the citizen's profile (`TTCN`) shows: the identity given at registration and what they added. */
export interface CitizenProfile extends CitizenIdentity {
  /** E.164. */
  readonly phone: string;
  /** Postal address as the citizen wrote it, or null when not given. */
  readonly address: string | null;
  /** Lower-cased e-mail address, or null when not given. */
  readonly email: string | null;
}

/** What a citizen may change in their profile; absent fields stay as they are. */
export interface ProfileChanges {
  readonly address?: string;
  readonly email?: string;
}

/** Who changed an account, for the audit log (never with the values changed). */
export interface AuditActor {
  /** `citizen` (in a chat), or another role such as `volunteer` or `staff`. */
  readonly actor: string;
  /** The channel the change came from, e.g. `twilio-sms`. */
  readonly channel: string;
}

/** A consent as kept: what it was given for, where and when, and when it was withdrawn. */
export interface ConsentEntry extends ConsentRecord {
  readonly givenAt: Date;
  readonly withdrawnAt: Date | null;
}
