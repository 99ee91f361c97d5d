/**
 * Hand-offs to a person (GAP): a citizen's chat held for a volunteer of a community team, or for city staff,
 * while the bot stays quiet. The number people use ("NHAN 12", "[#12] ...") is the hand-off's id. Its thread
 * (what the citizen, the volunteer, staff and the bot said in it) is personal data: encrypted at rest, never
 * logged, deleted when the citizen's account is purged.
 */

/** `open`: nobody has taken it; `held`: a volunteer holds it; `closed`: over, the bot answers again. */
export type HandoffStatus = 'open' | 'held' | 'closed';

/** Why it was opened: the citizen asked (`GAP`), or accepted the offer after failing the same question. */
export type HandoffReason = 'asked' | 'stuck';

/** Who ended it. */
export type HandoffCloser = 'citizen' | 'volunteer' | 'staff' | 'system';

/** Who wrote a message of the thread. */
export type HandoffAuthor = 'citizen' | 'volunteer' | 'staff' | 'bot';

/** A chat: a channel and the person's address on it. */
export interface HandoffChat {
  readonly channel: string;
  readonly address: string;
}

/** A hand-off, as stored. */
export interface Handoff {
  readonly id: number;
  /** The citizen's chat, where answers go. */
  readonly chat: HandoffChat;
  /** The account of the citizen when they have one (they may not). */
  readonly citizenId: string | null;
  /** The ward whose teams are told, or null: every team. */
  readonly wardCode: string | null;
  readonly reason: HandoffReason;
  readonly status: HandoffStatus;
  /** The volunteer holding it (set once taken, kept after it is closed), with their team and chat. */
  readonly holder: {
    readonly memberId: string;
    readonly teamId: string;
    readonly chat: HandoffChat;
  } | null;
  readonly createdAt: Date;
  readonly takenAt: Date | null;
  readonly closedAt: Date | null;
  readonly closedBy: HandoffCloser | null;
  /** When the citizen was told nobody had taken it yet (once), or null. */
  readonly waitingNoticeAt: Date | null;
}

/** One message of a thread. */
export interface HandoffMessage {
  readonly id: number;
  readonly author: HandoffAuthor;
  /** The team member who wrote it, for a volunteer's message. */
  readonly memberId: string | null;
  readonly text: string;
  readonly at: Date;
}

/** What opening a hand-off needs. */
export interface NewHandoff {
  readonly chat: HandoffChat;
  readonly citizenId: string | null;
  readonly wardCode: string | null;
  readonly reason: HandoffReason;
  /** What the citizen wrote with their request, if anything: the thread's first message. */
  readonly firstMessage: string | null;
  /** The inbound message that opened it: opening again with the same ref is the same opening (a replay). */
  readonly ref: string;
}

/** The outcome of {@link HandoffRepository.open}. */
export type OpenHandoffOutcome =
  | { readonly type: 'opened'; readonly handoff: Handoff }
  /** The chat already has an open or held hand-off (opened by another message): nothing changed. */
  | { readonly type: 'already_active'; readonly handoff: Handoff };

/** A volunteer taking a hand-off: who, of which team, and the chat they took it from (where it reaches them). */
export interface HandoffHolder {
  readonly memberId: string;
  readonly teamId: string;
  readonly chat: HandoffChat;
}

/** The outcome of {@link HandoffRepository.take}. */
export type TakeHandoffOutcome =
  /** Taken now, or already held by this same member (a repeated `NHAN`). */
  | { readonly type: 'taken'; readonly handoff: Handoff }
  /** Someone else holds it. */
  | { readonly type: 'held_by_other'; readonly handoff: Handoff }
  /** This member already holds another hand-off (one at a time). */
  | { readonly type: 'holding_another'; readonly handoff: Handoff }
  | { readonly type: 'closed'; readonly handoff: Handoff }
  | { readonly type: 'not_found' };

/** The outcome of {@link HandoffRepository.close}. */
export type CloseHandoffOutcome =
  | { readonly type: 'closed'; readonly handoff: Handoff }
  | { readonly type: 'already_closed'; readonly handoff: Handoff }
  | { readonly type: 'not_found' };

/** A new message of a thread. */
export interface NewHandoffMessage {
  readonly author: HandoffAuthor;
  readonly memberId?: string | null;
  readonly text: string;
  /**
   * Makes appending idempotent: a second message with the same ref in the same hand-off is not added (the first
   * is returned). The inbound message's ref for chat messages; a fresh id for staff messages.
   */
  readonly ref: string;
}

/**
 * Storage of hand-offs and their threads. Contract (test/contracts/handoff-repository.contract.ts, run on
 * PostgreSQL, PGlite and the in-memory fake):
 * - ids are positive integers, increasing; a chat has at most one active (open or held) hand-off: `open` on a
 *   chat that has one answers `already_active` with it and changes nothing, except for the same `ref`, which
 *   answers `opened` with the hand-off that ref opened (a replayed turn);
 * - `take` is atomic: of several members taking the same open hand-off at once exactly one gets `taken`, the
 *   others `held_by_other`; taking again the one you hold answers `taken`; a member holds at most one hand-off
 *   at a time (`holding_another`); a closed one answers `closed`;
 * - `append` adds a message to an open or held hand-off only (null when it is closed or unknown), once per `ref`;
 *   `thread` gives the messages oldest first;
 * - `close` closes an open or held one once (`already_closed` after), recording who and when;
 * - `release` gives back the hand-off a member holds (they left their team or were removed): in one statement it
 *   is `open` again with no holder and no taken time, so nobody's chat relays it and any member may take it; null
 *   when the member holds none (a second release changes nothing); the thread is kept;
 * - `markWaitingNotice` sets the waiting notice once, only while the hand-off is open: true the one time it set it;
 * - `activeForChat` finds the citizen side (open or held), `heldByChat` the holder side (held only) of a chat;
 *   `sidesOfChat` finds both at once (what the two find, in one read);
 * - `list` gives the hand-offs of a status (or all), newest first;
 * - `forgetChats` (purge) closes the active hand-offs of the account or of the chats, deletes their threads, and
 *   wipes their chat addresses: nothing of the citizen is readable after it; the hand-offs' numbers and dates stay;
 * - texts and chat addresses are stored encrypted (keyed hashes for lookup); opening, taking, releasing and
 *   closing are audited with the actor and ids only, never text or addresses.
 */
export interface HandoffRepository {
  open(handoff: NewHandoff, at: Date): Promise<OpenHandoffOutcome>;
  findById(id: number): Promise<Handoff | null>;
  /** The open or held hand-off of a citizen's chat. */
  activeForChat(chat: HandoffChat): Promise<Handoff | null>;
  /** The hand-off a volunteer holds from this chat. */
  heldByChat(chat: HandoffChat): Promise<Handoff | null>;
  /** Both sides of a chat at once: `activeForChat` as `own`, `heldByChat` as `held` (one read per turn). */
  sidesOfChat(chat: HandoffChat): Promise<{ own: Handoff | null; held: Handoff | null }>;
  take(id: number, holder: HandoffHolder, at: Date): Promise<TakeHandoffOutcome>;
  append(id: number, message: NewHandoffMessage, at: Date): Promise<HandoffMessage | null>;
  thread(id: number): Promise<HandoffMessage[]>;
  close(
    id: number,
    by: { closer: HandoffCloser; memberId?: string | null },
    at: Date,
  ): Promise<CloseHandoffOutcome>;
  /**
   * Gives back the hand-off member `memberId` holds: open again, its holder cleared (see the contract). `by`: the
   * member left (`volunteer`) or staff removed them (`staff`). Resolves the released hand-off (open now), or null
   * when they held none.
   */
  release(memberId: string, by: 'volunteer' | 'staff', at: Date): Promise<Handoff | null>;
  markWaitingNotice(id: number, at: Date): Promise<boolean>;
  list(filter: { status?: HandoffStatus; limit?: number }): Promise<Handoff[]>;
  /** Forgets the hand-offs of a purged account and of its chats (see the contract). */
  forgetChats(citizenId: string, chats: readonly HandoffChat[], at: Date): Promise<void>;
}
