import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { FileStore } from '../../domain/documents/file-store.ts';
import { AppError } from '../../shared/errors.ts';
import {
  assertSafeFileKey,
  createFileSealer,
  createOpeningStream,
  deriveFileKey,
} from './file-encryption.ts';

/** The smallest part S3 accepts in a multipart upload (all but the last part). */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
/** How much of a file is held in memory before it goes out as one part. */
const DEFAULT_PART_BYTES = 8 * 1024 * 1024;

/** Where an {@link createS3FileStore S3 file store} keeps its files. */
export interface S3FileStoreOptions {
  /** A client for the bucket's endpoint; its owner destroys it. */
  readonly client: S3Client;
  readonly bucket: string;
  /** Prepended to every object key with a `/` (no leading or trailing slash); empty for none. */
  readonly prefix: string;
  /**
   * Bytes held before a part is uploaded; files at most this big go up in one PUT. At least
   * {@link MIN_PART_BYTES} on real S3; tests use less against their local server.
   */
  readonly partBytes?: number;
}

/**
 * A {@link FileStore} in an S3-compatible bucket (AWS S3, MinIO, Ceph...), so that several web hosts share the
 * papers' files. Each file is one object `<prefix>/<key>.enc`, encrypted exactly as on disk (AES-256-GCM under a
 * key derived from the master key, bound to its key name: see ./file-encryption.ts), so the bucket's operators
 * never see a paper. Files stream in: a file up to `partBytes` is one PUT, a larger one a multipart upload of
 * `partBytes` parts, aborted when the incoming stream fails (an object appears only once complete). Files
 * stream out through the decipher, the tag checked at the end. A missing object is `null`; every other failure
 * is an `AppError` `UNAVAILABLE` (retryable) or `FILE_STORE_FAILED` with the operation, bucket and object key in
 * its context (file keys carry no personal data): see `storeError`.
 */
export function createS3FileStore(options: S3FileStoreOptions, masterKey: Buffer): FileStore {
  const { client, bucket } = options;
  const partBytes = options.partBytes ?? DEFAULT_PART_BYTES;
  const fileKey = deriveFileKey(masterKey);

  const objectKeyOf = (key: string) => {
    assertSafeFileKey(key);
    return options.prefix ? `${options.prefix}/${key}.enc` : `${key}.enc`;
  };

  /** Sends a command, wrapping an S3 failure with its context. */
  const send = async <T>(operation: string, objectKey: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw storeError(operation, bucket, objectKey, error);
    }
  };

  return {
    async put(key, content) {
      const objectKey = objectKeyOf(key);
      const sealer = createFileSealer(fileKey, key);
      const upload = multipartUpload(objectKey);
      let held: Buffer[] = [];
      let heldBytes = 0;
      const take = () => {
        const part = Buffer.concat(held);
        held = [];
        heldBytes = 0;
        return part;
      };
      const hold = (bytes: Buffer) => {
        if (bytes.length === 0) return;
        held.push(bytes);
        heldBytes += bytes.length;
      };
      try {
        for await (const chunk of content as AsyncIterable<Uint8Array>) {
          hold(sealer.update(asBuffer(chunk)));
          if (heldBytes >= partBytes) await upload.part(take());
        }
        hold(sealer.final());
        if (upload.started()) {
          await upload.part(take());
          await upload.complete();
        } else {
          const body = take();
          await send('PutObject', objectKey, () =>
            client.send(
              new PutObjectCommand({
                Bucket: bucket,
                Key: objectKey,
                Body: body,
                ContentLength: body.length,
                ContentType: 'application/octet-stream',
              }),
            ),
          );
        }
      } catch (error) {
        await upload.abort();
        throw error;
      }
      return sealer.measured();
    },

    async get(key) {
      const objectKey = objectKeyOf(key);
      let body: Readable;
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: objectKey }));
        body = object.Body as Readable;
      } catch (error) {
        if (isNotFound(error)) return null;
        throw storeError('GetObject', bucket, objectKey, error);
      }
      const opening = createOpeningStream(fileKey, key);
      body.on('error', (error) => opening.destroy(storeError('GetObject', bucket, objectKey, error)));
      opening.on('close', () => body.destroy());
      return body.pipe(opening);
    },

    async delete(key) {
      const objectKey = objectKeyOf(key);
      await send('DeleteObject', objectKey, () =>
        client.send(new DeleteObjectCommand({ Bucket: bucket, Key: objectKey })),
      );
    },
  };

  /** One multipart upload, started by its first part; parts go up one at a time (memory: one part). */
  function multipartUpload(objectKey: string) {
    let uploadId: string | undefined;
    const parts: { PartNumber: number; ETag: string | undefined }[] = [];
    return {
      started: () => uploadId !== undefined,
      async part(body: Buffer) {
        if (uploadId === undefined) {
          const created = await send('CreateMultipartUpload', objectKey, () =>
            client.send(
              new CreateMultipartUploadCommand({
                Bucket: bucket,
                Key: objectKey,
                ContentType: 'application/octet-stream',
              }),
            ),
          );
          if (!created.UploadId) {
            throw storeError('CreateMultipartUpload', bucket, objectKey, new Error('no upload id'));
          }
          uploadId = created.UploadId;
        }
        const UploadId = uploadId;
        const PartNumber = parts.length + 1;
        const uploaded = await send('UploadPart', objectKey, () =>
          client.send(
            new UploadPartCommand({
              Bucket: bucket,
              Key: objectKey,
              UploadId,
              PartNumber,
              Body: body,
              ContentLength: body.length,
            }),
          ),
        );
        parts.push({ PartNumber, ETag: uploaded.ETag });
      },
      async complete() {
        const UploadId = uploadId;
        await send('CompleteMultipartUpload', objectKey, () =>
          client.send(
            new CompleteMultipartUploadCommand({
              Bucket: bucket,
              Key: objectKey,
              UploadId,
              MultipartUpload: { Parts: parts },
            }),
          ),
        );
        uploadId = undefined;
      },
      /** Drops the parts sent so far; best effort (a bucket lifecycle rule cleans up what a crash leaves). */
      async abort() {
        if (uploadId === undefined) return;
        const UploadId = uploadId;
        uploadId = undefined;
        await client
          .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: objectKey, UploadId }))
          .catch(() => undefined);
      },
    };
  }
}

/** The bytes of a chunk as a Buffer, without copying them. */
function asBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** Whether an S3 error says the object (not the bucket) does not exist. */
function isNotFound(error: unknown): boolean {
  const name = (error as { name?: unknown }).name;
  return name === 'NoSuchKey' || name === 'NotFound';
}

/**
 * An S3 failure with its operation, bucket and object key in `context`. Throttling, 5xx and network errors are
 * `UNAVAILABLE` (retryable; HTTP answers 503 with `Retry-After`, so the message names no bucket); any other
 * refusal (no such bucket, access denied) is `FILE_STORE_FAILED`, its message naming all three for the logs.
 */
function storeError(operation: string, bucket: string, objectKey: string, cause: unknown): AppError {
  if (cause instanceof AppError) return cause;
  const details = cause as { name?: unknown; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  const name = typeof details.name === 'string' ? details.name : 'Error';
  const status = details.$metadata?.httpStatusCode;
  const context = { operation, bucket, objectKey, s3Error: name, ...(status ? { httpStatus: status } : {}) };
  const retryable =
    details.$retryable !== undefined || status === undefined || status >= 500 || status === 429;
  if (retryable) {
    return new AppError('UNAVAILABLE', "The papers' file store is unavailable; try again later", {
      retryable,
      cause,
      context,
    });
  }
  return new AppError(
    'FILE_STORE_FAILED',
    `S3 ${operation} failed for s3://${bucket}/${objectKey}: ${name}${status ? ` (HTTP ${status})` : ''}`,
    { cause, context },
  );
}
