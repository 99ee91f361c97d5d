import {
  type ConversationDoc,
  ConversationDocSchema,
  type ConversationStore,
} from '../../src/engine/conversation-store.ts';

/** A working in-memory {@link ConversationStore} for tests; passes the same contract as the Redis one. */
export class InMemoryConversationStore implements ConversationStore {
  readonly #entries = new Map<string, { revision: number; json: string; expiresAt: number }>();
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: { ttlSeconds: number; now?: () => number }) {
    this.#ttlMs = options.ttlSeconds * 1000;
    this.#now = options.now ?? Date.now;
  }

  async load(key: string) {
    const entry = this.#entries.get(key);
    if (!entry || entry.expiresAt <= this.#now()) return null;
    const parsed = ConversationDocSchema.safeParse(JSON.parse(entry.json));
    const doc: ConversationDoc = parsed.success
      ? parsed.data
      : { v: 1, active: null, lastRef: null, updatedAt: new Date(0).toISOString() };
    return { doc, revision: entry.revision };
  }

  async save(key: string, doc: ConversationDoc, expectedRevision: number) {
    const entry = this.#entries.get(key);
    const current = entry && entry.expiresAt > this.#now() ? entry.revision : 0;
    if (current !== expectedRevision) return false;
    this.#entries.set(key, {
      revision: current + 1,
      json: JSON.stringify(doc),
      expiresAt: this.#now() + this.#ttlMs,
    });
    return true;
  }

  /** What is stored, as a test would see a dump of the store. */
  dump(): string {
    return [...this.#entries.values()].map((e) => e.json).join('\n');
  }
}
