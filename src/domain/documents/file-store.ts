import type { Readable } from 'node:stream';
import { AppError } from '../../shared/errors.ts';

/** What {@link FileStore.put} measured while it stored a file. */
export interface StoredFile {
  readonly sizeBytes: number;
  /** Hex SHA-256 of the bytes as received. */
  readonly sha256: string;
}

/**
 * Where the files of papers live, encrypted at rest. Files are streamed in and out, never held whole in
 * memory by the store. Contract (test/contracts/file-store.contract.ts):
 * - `put` stores the bytes under `key` and reports their size and SHA-256; a stream that errors (too large, cut
 *   off) leaves nothing behind; putting the same key again replaces the file;
 * - `get` streams back exactly the bytes put, or resolves null for an unknown key; a file altered at rest makes
 *   the stream fail (or yields bytes whose hash no longer matches), never silently the old content;
 * - `delete` is idempotent;
 * - a store that cannot do its work (unreachable, refused, misconfigured) rejects or fails the stream with an
 *   {@link AppError} `UNAVAILABLE` (retryable) or `FILE_STORE_FAILED`, never as if the file were missing or
 *   altered: see {@link isFileStoreOutage}.
 */
export interface FileStore {
  put(key: string, content: Readable | AsyncIterable<Buffer>): Promise<StoredFile>;
  get(key: string): Promise<Readable | null>;
  delete(key: string): Promise<void>;
}

/**
 * Whether an error of a {@link FileStore} says the store could not do its work (so nothing is known about the
 * file: it is neither missing nor altered): an {@link AppError} `UNAVAILABLE` or `FILE_STORE_FAILED`.
 */
export function isFileStoreOutage(error: unknown): boolean {
  return error instanceof AppError && (error.code === 'UNAVAILABLE' || error.code === 'FILE_STORE_FAILED');
}
