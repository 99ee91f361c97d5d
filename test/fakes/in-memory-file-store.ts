import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { FileStore } from '../../src/domain/documents/file-store.ts';

/**
 * A working in-memory {@link FileStore}; passes test/contracts/file-store.contract.ts. `files` is public so a
 * test can look at a stored file or alter it (an altered file then reads back with another hash).
 */
export class InMemoryFileStore implements FileStore {
  readonly files = new Map<string, Buffer>();

  async put(key: string, content: Readable | AsyncIterable<Buffer>) {
    const chunks: Buffer[] = [];
    const hash = createHash('sha256');
    for await (const chunk of content) {
      const bytes = Buffer.from(chunk);
      hash.update(bytes);
      chunks.push(bytes);
    }
    const bytes = Buffer.concat(chunks);
    this.files.set(key, bytes);
    return { sizeBytes: bytes.length, sha256: hash.digest('hex') };
  }

  async get(key: string) {
    const bytes = this.files.get(key);
    return bytes ? Readable.from([Buffer.from(bytes)]) : null;
  }

  async delete(key: string) {
    this.files.delete(key);
  }
}
