import type {
  CloseHandoffOutcome,
  Handoff,
  HandoffChat,
  HandoffCloser,
  HandoffHolder,
  HandoffMessage,
  HandoffRepository,
  HandoffStatus,
  NewHandoff,
  NewHandoffMessage,
  OpenHandoffOutcome,
  TakeHandoffOutcome,
} from '../../src/domain/handoffs/handoff.ts';

interface Stored {
  handoff: Handoff;
  openRef: string | null;
  messages: { message: HandoffMessage; ref: string }[];
}

const sameChat = (a: HandoffChat, b: HandoffChat) => a.channel === b.channel && a.address === b.address;

/** A working in-memory {@link HandoffRepository}; passes test/contracts/handoff-repository.contract.ts. */
export class InMemoryHandoffRepository implements HandoffRepository {
  readonly #rows: Stored[] = [];
  /** The audit entries written, as the database would hold them (actor, action, ids only). */
  readonly audit: { actor: string; action: string; details: Record<string, string | number | null> }[] = [];
  #nextMessageId = 1;

  async open(input: NewHandoff, at: Date): Promise<OpenHandoffOutcome> {
    const active = this.#rows.find(
      (r) => r.handoff.status !== 'closed' && sameChat(r.handoff.chat, input.chat),
    );
    if (active) {
      const type = active.openRef === input.ref ? 'opened' : 'already_active';
      return { type, handoff: active.handoff };
    }
    const handoff: Handoff = {
      id: this.#rows.length + 1,
      chat: { ...input.chat },
      citizenId: input.citizenId,
      wardCode: input.wardCode,
      reason: input.reason,
      status: 'open',
      holder: null,
      createdAt: at,
      takenAt: null,
      closedAt: null,
      closedBy: null,
      waitingNoticeAt: null,
    };
    const row: Stored = { handoff, openRef: input.ref, messages: [] };
    this.#rows.push(row);
    if (input.firstMessage !== null) {
      this.#insert(row, { author: 'citizen', text: input.firstMessage, ref: input.ref }, at);
    }
    this.audit.push({
      actor: 'citizen',
      action: 'handoff_opened',
      details: {
        handoffId: handoff.id,
        channel: input.chat.channel,
        reason: input.reason,
        wardCode: input.wardCode,
      },
    });
    return { type: 'opened', handoff };
  }

  async findById(id: number) {
    return this.#row(id)?.handoff ?? null;
  }

  async activeForChat(chat: HandoffChat) {
    return (
      this.#rows.find((r) => r.handoff.status !== 'closed' && sameChat(r.handoff.chat, chat))?.handoff ?? null
    );
  }

  async heldByChat(chat: HandoffChat) {
    return (
      this.#rows.find(
        (r) =>
          r.handoff.status === 'held' && r.handoff.holder !== null && sameChat(r.handoff.holder.chat, chat),
      )?.handoff ?? null
    );
  }

  async sidesOfChat(chat: HandoffChat) {
    return { own: await this.activeForChat(chat), held: await this.heldByChat(chat) };
  }

  async take(id: number, holder: HandoffHolder, at: Date): Promise<TakeHandoffOutcome> {
    const row = this.#row(id);
    if (!row) return { type: 'not_found' };
    const { handoff } = row;
    if (handoff.status === 'closed') return { type: 'closed', handoff };
    if (handoff.status === 'held') {
      return handoff.holder?.memberId === holder.memberId
        ? { type: 'taken', handoff }
        : { type: 'held_by_other', handoff };
    }
    const other = this.#rows.find(
      (r) => r.handoff.status === 'held' && r.handoff.holder?.memberId === holder.memberId,
    );
    if (other) return { type: 'holding_another', handoff: other.handoff };
    row.handoff = {
      ...handoff,
      status: 'held',
      holder: { memberId: holder.memberId, teamId: holder.teamId, chat: { ...holder.chat } },
      takenAt: at,
    };
    this.audit.push({
      actor: 'volunteer',
      action: 'handoff_taken',
      details: { handoffId: id, memberId: holder.memberId, teamId: holder.teamId },
    });
    return { type: 'taken', handoff: row.handoff };
  }

  async append(id: number, message: NewHandoffMessage, at: Date) {
    const row = this.#row(id);
    if (!row) return null;
    const kept = row.messages.find((m) => m.ref === message.ref);
    if (kept) return kept.message;
    if (row.handoff.status === 'closed') return null;
    return this.#insert(row, message, at);
  }

  async thread(id: number) {
    return (this.#row(id)?.messages ?? []).map((m) => m.message);
  }

  async close(
    id: number,
    by: { closer: HandoffCloser; memberId?: string | null },
    at: Date,
  ): Promise<CloseHandoffOutcome> {
    const row = this.#row(id);
    if (!row) return { type: 'not_found' };
    if (row.handoff.status === 'closed') return { type: 'already_closed', handoff: row.handoff };
    row.handoff = { ...row.handoff, status: 'closed', closedAt: at, closedBy: by.closer };
    this.audit.push({
      actor: by.closer,
      action: 'handoff_closed',
      details: { handoffId: id, memberId: by.memberId ?? null },
    });
    return { type: 'closed', handoff: row.handoff };
  }

  async release(memberId: string, by: 'volunteer' | 'staff', _at: Date) {
    const row = this.#rows.find(
      (r) => r.handoff.status === 'held' && r.handoff.holder?.memberId === memberId,
    );
    if (!row) return null;
    row.handoff = { ...row.handoff, status: 'open', holder: null, takenAt: null };
    this.audit.push({
      actor: by,
      action: 'handoff_released',
      details: { handoffId: row.handoff.id, memberId },
    });
    return row.handoff;
  }

  async markWaitingNotice(id: number, at: Date) {
    const row = this.#row(id);
    if (row?.handoff.status !== 'open' || row.handoff.waitingNoticeAt !== null) return false;
    row.handoff = { ...row.handoff, waitingNoticeAt: at };
    return true;
  }

  async list(filter: { status?: HandoffStatus; limit?: number }) {
    const limit = Math.min(Math.max(filter.limit ?? 100, 1), 1000);
    return this.#rows
      .map((r) => r.handoff)
      .filter((h) => filter.status === undefined || h.status === filter.status)
      .reverse()
      .slice(0, limit);
  }

  async forgetChats(citizenId: string, chats: readonly HandoffChat[], at: Date) {
    for (const row of this.#rows) {
      const { handoff } = row;
      if (handoff.citizenId !== citizenId && !chats.some((chat) => sameChat(chat, handoff.chat))) continue;
      if (handoff.status !== 'closed') {
        this.audit.push({
          actor: 'system',
          action: 'handoff_closed',
          details: { handoffId: handoff.id, memberId: null },
        });
      }
      row.messages = [];
      row.openRef = null;
      row.handoff = {
        ...handoff,
        chat: { channel: handoff.chat.channel, address: '' },
        status: 'closed',
        closedAt: handoff.closedAt ?? at,
        closedBy: handoff.closedBy ?? 'system',
      };
    }
  }

  #row(id: number) {
    return this.#rows.find((r) => r.handoff.id === id);
  }

  #insert(row: Stored, message: NewHandoffMessage, at: Date): HandoffMessage {
    const stored: HandoffMessage = {
      id: this.#nextMessageId++,
      author: message.author,
      memberId: message.memberId ?? null,
      text: message.text,
      at,
    };
    row.messages.push({ message: stored, ref: message.ref });
    return stored;
  }
}
