import { z } from 'zod';
import { ChoiceSchema } from '../messaging/outbound-message.ts';

/**
 * The stored document of one conversation, versioned (`v`) and validated on every load: stored data is
 * untrusted input. `active` is the flow in progress, if any; `lastRef` is the last inbound message applied,
 * which lets a replayed message (after a crash) be recognised and not applied twice. `offered` holds the choices
 * of the last turn's replies, so a pressed button, a typed label or a number picks one.
 */
export const ConversationDocSchema = z.object({
  v: z.literal(1),
  active: z.object({ flowId: z.string(), flowVersion: z.number().int(), state: z.unknown() }).nullable(),
  lastRef: z.string().nullable(),
  offered: z.array(ChoiceSchema).max(20).optional(),
  updatedAt: z.iso.datetime(),
});
/** The stored document of one conversation. */
export type ConversationDoc = z.infer<typeof ConversationDocSchema>;

/** A loaded conversation and the revision to compare against when saving it. */
export interface LoadedConversation {
  readonly doc: ConversationDoc;
  readonly revision: number;
}

/**
 * Where live conversations are kept between messages. Contract (test/contracts/conversation-store.contract.ts):
 * - `load` resolves null for an unknown or expired key; a stored value that fails validation is never returned:
 *   it loads as an empty document (no active flow) at its revision, so the next save replaces it;
 * - `save` with `expectedRevision` equal to the stored revision (0 when there is none) stores the document,
 *   increments the revision and restarts the time-to-live; any other revision stores nothing and resolves false.
 */
export interface ConversationStore {
  load(key: string): Promise<LoadedConversation | null>;
  save(key: string, doc: ConversationDoc, expectedRevision: number): Promise<boolean>;
}
