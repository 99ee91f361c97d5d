import { createHash, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FileStore } from '../../src/domain/documents/file-store.ts';

/**
 * What a contract run needs: the store, a way to alter a stored file at rest (as an attacker with access to the
 * disk would), and a list of whatever the store holds (files, temporary files) to check nothing is left
 * behind. The suite calls the factory once, `reset` before each test and `close` at the end.
 */
export interface FileStoreFixture {
  store: FileStore;
  alter(key: string): Promise<void>;
  leftovers(): Promise<string[]>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** Reads a stream to its end; rejects when the stream fails. */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

/** `bytes` in chunks of `size`, as an upload arrives. */
async function* chunked(bytes: Buffer, size = 64 * 1024): AsyncGenerator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += size) {
    yield bytes.subarray(offset, offset + size);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * The behaviour every {@link FileStore} (on disk, in memory) must show; see the contract in
 * src/domain/documents/file-store.ts. Call it once per implementation.
 */
export function describeFileStoreContract(name: string, factory: () => Promise<FileStoreFixture>): void {
  describe(`FileStore contract: ${name}`, () => {
    let fixture: FileStoreFixture;
    const store = () => fixture.store;

    beforeAll(async () => {
      fixture = await factory();
    });
    beforeEach(async () => {
      await fixture.reset();
    });
    afterAll(async () => {
      await fixture.close();
    });

    it('streams a file in and back out byte for byte, reporting its size and SHA-256', async () => {
      const bytes = randomBytes(3 * 1024 * 1024 + 17);

      const stored = await store().put('doc-1', chunked(bytes));

      expect(stored).toEqual({ sizeBytes: bytes.length, sha256: sha256(bytes) });
      const stream = await store().get('doc-1');
      expect(stream).not.toBeNull();
      if (!stream) return;
      expect((await readAll(stream)).equals(bytes)).toBe(true);
    });

    it('stores a tiny file and an empty one', async () => {
      await expect(store().put('tiny', chunked(Buffer.from('%PDF-')))).resolves.toEqual({
        sizeBytes: 5,
        sha256: sha256(Buffer.from('%PDF-')),
      });
      await expect(store().put('empty', chunked(Buffer.alloc(0)))).resolves.toEqual({
        sizeBytes: 0,
        sha256: sha256(Buffer.alloc(0)),
      });
      const tiny = await store().get('tiny');
      const empty = await store().get('empty');
      expect(tiny && (await readAll(tiny)).toString()).toBe('%PDF-');
      expect(empty && (await readAll(empty)).length).toBe(0);
    });

    it('resolves null for a key it does not hold', async () => {
      await expect(store().get('never-stored')).resolves.toBeNull();
    });

    it('replaces the file when the same key is put again', async () => {
      await store().put('doc-1', chunked(Buffer.from('first version')));
      await store().put('doc-1', chunked(Buffer.from('second version')));

      const stream = await store().get('doc-1');

      expect(stream && (await readAll(stream)).toString()).toBe('second version');
    });

    it('leaves nothing behind when the incoming stream fails half-way', async () => {
      const failure = new Error('upload cut off');
      async function* cutOff() {
        yield randomBytes(100_000);
        throw failure;
      }

      await expect(store().put('doc-1', cutOff())).rejects.toBe(failure);

      await expect(store().get('doc-1')).resolves.toBeNull();
      await expect(fixture.leftovers()).resolves.toEqual([]);
    });

    it('never serves the original bytes of a file altered at rest', async () => {
      const bytes = randomBytes(200_000);
      await store().put('doc-1', chunked(bytes));

      await fixture.alter('doc-1');

      const stream = await store().get('doc-1');
      const read = stream ? readAll(stream) : Promise.resolve(Buffer.alloc(0));
      const outcome = await read.then(
        (content) => ({ failed: false, sha256: sha256(content) }),
        () => ({ failed: true, sha256: null }),
      );
      expect(outcome.failed || outcome.sha256 !== sha256(bytes)).toBe(true);
    });

    it('deletes a file, and deleting again (or an unknown key) is fine', async () => {
      await store().put('doc-1', chunked(Buffer.from('bytes')));

      await store().delete('doc-1');
      await store().delete('doc-1');
      await store().delete('never-stored');

      await expect(store().get('doc-1')).resolves.toBeNull();
      await expect(fixture.leftovers()).resolves.toEqual([]);
    });
  });
}
