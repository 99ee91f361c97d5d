import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isFileStoreOutage } from '../../src/domain/documents/file-store.ts';
import { AppError } from '../../src/shared/errors.ts';
import { createFsFileStore } from '../../src/storage/files/fs-file-store.ts';
import { createS3FileStore } from '../../src/storage/files/s3-file-store.ts';
import { describeFileStoreContract, readAll } from '../contracts/file-store.contract.ts';
import { LOCAL_S3_KEYS, LocalS3 } from '../support/local-s3.ts';
import { freePort } from '../support/services.ts';

// The S3 file store against a real S3-protocol server (s3rver on 127.0.0.1), one bucket per run.

const masterKey = randomBytes(32);
const PREFIX = 'papers/city';
/** Small parts, so that the contract's 3 MiB file goes up as a multipart upload (S3 itself wants 5 MiB). */
const PART_BYTES = 1024 * 1024;

/** The object's bytes as the bucket holds them. */
async function objectBytes(s3: LocalS3, bucket: string, key: string): Promise<Buffer> {
  const object = await s3.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from((await object.Body?.transformToByteArray()) ?? []);
}

describeFileStoreContract('on S3 (s3rver)', async () => {
  const s3 = await LocalS3.start();
  const bucket = await s3.createBucket();
  const store = createS3FileStore(
    { client: s3.client, bucket, prefix: PREFIX, partBytes: PART_BYTES },
    masterKey,
  );
  return {
    store,
    async alter(key: string) {
      const objectKey = `${PREFIX}/${key}.enc`;
      const bytes = await objectBytes(s3, bucket, objectKey);
      const middle = Math.floor(bytes.length / 2);
      bytes[middle] = (bytes[middle] ?? 0) ^ 0xff;
      await s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: objectKey, Body: bytes }));
    },
    leftovers: async () => [...(await s3.objectKeys(bucket)), ...(await s3.pendingUploads(bucket))],
    reset: () => s3.emptyBucket(bucket),
    async close() {
      await s3.dropBucket(bucket);
      await s3.stop();
    },
  };
});

describe('files on S3', () => {
  let s3: LocalS3;
  let bucket: string;
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Title (Giay khai sinh Nguyen Van An) >> endobj\n%%EOF\n');
  const storeOf = (key = masterKey, prefix = PREFIX) =>
    createS3FileStore({ client: s3.client, bucket, prefix, partBytes: PART_BYTES }, key);

  beforeAll(async () => {
    s3 = await LocalS3.start();
  });
  beforeEach(async () => {
    if (bucket) await s3.dropBucket(bucket);
    bucket = await s3.createBucket();
  });
  afterAll(async () => {
    if (bucket) await s3.dropBucket(bucket);
    await s3?.stop();
  });

  it('keeps files encrypted in the bucket, one object per key under the prefix, in the disk store’s format', async () => {
    await storeOf().put('doc-1', Readable.from([pdf]));

    expect(await s3.objectKeys(bucket)).toEqual([`${PREFIX}/doc-1.enc`]);
    const stored = await objectBytes(s3, bucket, `${PREFIX}/doc-1.enc`);
    expect(stored.includes(Buffer.from('Nguyen Van An'))).toBe(false);
    expect(stored.includes(Buffer.from('%PDF'))).toBe(false);
    // The same bytes on disk read back through the disk store: files move between the two as they are.
    const dir = await mkdtemp(path.join(tmpdir(), 'dcz-files-'));
    try {
      await writeFile(path.join(dir, 'doc-1.enc'), stored);
      const fromDisk = await createFsFileStore(dir, masterKey).get('doc-1');
      expect(fromDisk && (await readAll(fromDisk)).equals(pdf)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('works without a prefix', async () => {
    await storeOf(masterKey, '').put('doc-1', Readable.from([pdf]));

    expect(await s3.objectKeys(bucket)).toEqual(['doc-1.enc']);
    const stream = await storeOf(masterKey, '').get('doc-1');
    expect(stream && (await readAll(stream)).equals(pdf)).toBe(true);
  });

  it('aborts the multipart upload when the incoming stream fails after some parts went up', async () => {
    const failure = new Error('upload cut off');
    async function* cutOff() {
      for (let i = 0; i < 5; i += 1) yield randomBytes(512 * 1024);
      throw failure;
    }

    await expect(storeOf().put('doc-1', cutOff())).rejects.toBe(failure);

    await expect(storeOf().get('doc-1')).resolves.toBeNull();
    expect(await s3.objectKeys(bucket)).toEqual([]);
    expect(await s3.pendingUploads(bucket)).toEqual([]);
  });

  it('fails the stream, never serving plaintext silently, with another master key or an object moved to another key', async () => {
    await storeOf().put('doc-1', Readable.from([pdf]));
    const otherRead = await storeOf(randomBytes(32)).get('doc-1');
    await expect(otherRead && readAll(otherRead)).rejects.toThrow(/altered/);

    const moved = await objectBytes(s3, bucket, `${PREFIX}/doc-1.enc`);
    await s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: `${PREFIX}/doc-2.enc`, Body: moved }));
    const read = await storeOf().get('doc-2');
    await expect(read && readAll(read)).rejects.toThrow(/altered/);
  });

  it('fails the stream of a truncated object', async () => {
    await storeOf().put('doc-1', Readable.from([randomBytes(100_000)]));
    const objectKey = `${PREFIX}/doc-1.enc`;
    const bytes = await objectBytes(s3, bucket, objectKey);
    await s3.client.send(
      new PutObjectCommand({ Bucket: bucket, Key: objectKey, Body: bytes.subarray(0, 50_000) }),
    );

    const stream = await storeOf().get('doc-1');

    await expect(stream && readAll(stream)).rejects.toThrow(/altered/);
  });

  it('refuses keys that could leave its prefix', async () => {
    await expect(storeOf().put('../escape', Readable.from([pdf]))).rejects.toThrow(/file keys/);
    await expect(storeOf().get('a/b')).rejects.toThrow(/file keys/);
  });

  it('reports a missing bucket as a failure naming the operation, bucket and key, not as a missing file', async () => {
    const missing = createS3FileStore(
      { client: s3.client, bucket: 'dcz-no-such-bucket', prefix: '' },
      masterKey,
    );

    const got = await missing.get('doc-1').then(
      () => null,
      (error: unknown) => error,
    );

    expect(got).toBeInstanceOf(AppError);
    expect(got).toMatchObject({
      code: 'FILE_STORE_FAILED',
      retryable: false,
      message: 'S3 GetObject failed for s3://dcz-no-such-bucket/doc-1.enc: NoSuchBucket (HTTP 404)',
      context: { operation: 'GetObject', bucket: 'dcz-no-such-bucket', objectKey: 'doc-1.enc' },
    });
    await expect(missing.put('doc-1', Readable.from([pdf]))).rejects.toThrow(
      'S3 PutObject failed for s3://dcz-no-such-bucket/doc-1.enc: NoSuchBucket (HTTP 404)',
    );
  });

  it('reports an endpoint that does not answer as unavailable (retryable), with the bucket and key in its context', async () => {
    const closed = new S3Client({
      endpoint: `http://127.0.0.1:${await freePort()}`,
      forcePathStyle: true,
      region: 'us-east-1',
      credentials: LOCAL_S3_KEYS,
      maxAttempts: 1,
    });
    try {
      const store = createS3FileStore({ client: closed, bucket, prefix: PREFIX }, masterKey);

      const got = await store.get('doc-1').then(
        () => null,
        (error: unknown) => error,
      );

      expect(isFileStoreOutage(got)).toBe(true);
      expect(got).toMatchObject({
        code: 'UNAVAILABLE',
        retryable: true,
        context: { operation: 'GetObject', bucket, objectKey: `${PREFIX}/doc-1.enc` },
      });
      await expect(store.put('doc-1', Readable.from([pdf]))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    } finally {
      closed.destroy();
    }
  });
});
