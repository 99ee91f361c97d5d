import type { InboundMessage } from '../messaging/inbound-message.ts';
import { groupCommit } from '../shared/group-commit.ts';

/** A message to store, with the key of its conversation. */
export interface IntakeItem {
  readonly message: InboundMessage;
  readonly conversationKey: string;
}

/** What the inbox did with a message (see `Inbox.acceptMany`). */
export interface IntakeResult {
  readonly fresh: boolean;
  readonly pending: boolean;
}

/** What intake uses. */
export interface IntakeDeps {
  /** Stores messages once each (one transaction), resolving one result per message in order. */
  acceptMany(items: readonly IntakeItem[]): Promise<readonly IntakeResult[]>;
  /** Queues the turns of conversations (one round trip). */
  enqueueConversations(conversationKeys: readonly string[]): Promise<void>;
  /** Counts a message stored for the first time. */
  countAccepted(channel: string): void;
  /** The most messages stored in one statement. */
  readonly maxBatch: number;
  /** The most batches being stored at once. */
  readonly maxInFlight: number;
}

/**
 * Intake with group commit: the messages of concurrent webhooks are stored together (one multi-row insert, one
 * commit) and their conversations' turns queued together (one Redis round trip); each resolves only once its own
 * row is committed and its turn queued, so an acknowledged message is never lost. A batch that fails fails all
 * its messages with its error (their webhooks answer 503 and the providers deliver them again: one stored
 * already is absorbed by the inbox's unique key and queued, never handled twice).
 */
export function createIntake(deps: IntakeDeps): (item: IntakeItem) => Promise<IntakeResult> {
  return groupCommit<IntakeItem, IntakeResult>(
    async (items) => {
      const stored = await deps.acceptMany(items);
      const waiting = new Set<string>();
      items.forEach((item, index) => {
        if (stored[index]?.pending) waiting.add(item.conversationKey);
      });
      await deps.enqueueConversations([...waiting]);
      items.forEach((item, index) => {
        if (stored[index]?.fresh) deps.countAccepted(item.message.channel);
      });
      return stored;
    },
    { maxBatch: deps.maxBatch, maxInFlight: deps.maxInFlight },
  );
}
