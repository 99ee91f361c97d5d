import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConversationDoc,
  ConversationDocSchema,
  type ConversationStore,
} from '../../src/engine/conversation-store.ts';

/** How a stored document can be broken: bytes that are not ours, or our encoding of a document of another shape. */
export type Corruption = 'garbage' | 'wrong-shape';

/** What a contract run needs; the store's time-to-live must be one second. */
export interface ConversationStoreFixture {
  store: ConversationStore;
  /** Lets `ms` milliseconds pass for the store (a real wait, or an injected clock moved on). */
  advance(ms: number): Promise<void>;
  /** Overwrites the stored document of an existing conversation (required unless `corruptible` is false). */
  corrupt?: (key: string, how: Corruption) => Promise<void>;
  close(): Promise<void>;
}

/** A conversation document; `state` lets each test tell documents apart. */
export function conversationDoc(state: unknown, lastRef: string | null = null): ConversationDoc {
  return {
    v: 1,
    active: { flowId: 'registration', flowVersion: 1, state },
    lastRef,
    updatedAt: '2025-06-01T08:00:00.000Z',
  };
}

/**
 * The behaviour every {@link ConversationStore} (Redis, the in-memory fake) must show; see the contract in
 * src/engine/conversation-store.ts. Call it once per implementation. `corruptible: false` skips the cases that
 * need a broken document in the store (an implementation whose storage cannot be written from outside).
 */
export function describeConversationStoreContract(
  name: string,
  factory: () => Promise<ConversationStoreFixture>,
  options: { corruptible?: boolean } = {},
): void {
  describe(`ConversationStore contract: ${name}`, () => {
    let fixture: ConversationStoreFixture;
    const store = () => fixture.store;
    const newKey = () => `twilio-sms:${randomUUID()}`;

    beforeAll(async () => {
      fixture = await factory();
    });
    afterAll(async () => {
      await fixture.close();
    });

    it('loads null for a conversation it does not know', async () => {
      await expect(store().load(newKey())).resolves.toBeNull();
    });

    it('stores a new conversation at revision 0 and loads it back at revision 1', async () => {
      const key = newKey();
      const doc = conversationDoc({ step: 'ask_name', tries: 0 }, 'SM1');
      await expect(store().save(key, doc, 0)).resolves.toBe(true);
      await expect(store().load(key)).resolves.toEqual({ doc, revision: 1 });
    });

    it('refuses a save with a stale or unknown revision and changes nothing', async () => {
      const key = newKey();
      const doc = conversationDoc({ step: 'ask_name' });
      await store().save(key, doc, 0);
      await expect(store().save(key, conversationDoc({ step: 'stale' }), 0)).resolves.toBe(false);
      await expect(store().save(key, conversationDoc({ step: 'ahead' }), 2)).resolves.toBe(false);
      await expect(store().load(key)).resolves.toEqual({ doc, revision: 1 });
      const unknown = newKey();
      await expect(store().save(unknown, doc, 1)).resolves.toBe(false);
      await expect(store().load(unknown)).resolves.toBeNull();
    });

    it('stores a save made with the current revision and moves to the next revision', async () => {
      const key = newKey();
      await store().save(key, conversationDoc({ step: 'ask_name' }), 0);
      const next = conversationDoc({ step: 'ask_cccd', fullName: 'Nguyễn Văn An' }, 'SM2');
      await expect(store().save(key, next, 1)).resolves.toBe(true);
      await expect(store().load(key)).resolves.toEqual({ doc: next, revision: 2 });
    });

    it('lets exactly one of two saves at the same revision win', async () => {
      const key = newKey();
      await store().save(key, conversationDoc({ step: 'start' }), 0);
      const results = await Promise.all([
        store().save(key, conversationDoc({ step: 'a' }), 1),
        store().save(key, conversationDoc({ step: 'b' }), 1),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      await expect(store().load(key)).resolves.toMatchObject({ revision: 2 });
    });

    it.skipIf(options.corruptible === false).each<Corruption>(['garbage', 'wrong-shape'])(
      'never returns a stored document that is %s as valid, and lets it be replaced',
      async (how) => {
        const { corrupt } = fixture;
        if (!corrupt) throw new Error('the fixture has no corrupt(); pass { corruptible: false } to skip');
        const key = newKey();
        await store().save(key, conversationDoc({ step: 'ask_name' }), 0);
        await corrupt(key, how);
        const loaded = await store().load(key);
        if (loaded !== null) {
          expect(ConversationDocSchema.safeParse(loaded.doc).success).toBe(true);
          expect(loaded.doc.active).toBeNull();
        }
        const fresh = conversationDoc({ step: 'start' });
        await expect(store().save(key, fresh, loaded?.revision ?? 0)).resolves.toBe(true);
        await expect(store().load(key)).resolves.toMatchObject({ doc: fresh });
      },
    );

    it('forgets a conversation once its time-to-live has passed, so it can start again', async () => {
      const key = newKey();
      await store().save(key, conversationDoc({ step: 'ask_name' }), 0);
      await fixture.advance(1_200);
      await expect(store().load(key)).resolves.toBeNull();
      await expect(store().save(key, conversationDoc({ step: 'again' }), 0)).resolves.toBe(true);
      await expect(store().load(key)).resolves.toMatchObject({ revision: 1 });
    });

    it('restarts the time-to-live on each save', async () => {
      const key = newKey();
      await store().save(key, conversationDoc({ step: 'ask_name' }), 0);
      await fixture.advance(600);
      await store().save(key, conversationDoc({ step: 'ask_cccd' }), 1);
      await fixture.advance(600);
      await expect(store().load(key)).resolves.toMatchObject({ revision: 2 });
      await fixture.advance(600);
      await expect(store().load(key)).resolves.toBeNull();
    });
  });
}
