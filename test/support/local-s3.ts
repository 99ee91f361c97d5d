import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import S3rver from 's3rver';

/** The credentials s3rver accepts (it checks request signatures against them). */
export const LOCAL_S3_KEYS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/**
 * A real S3-protocol server of one test file: `s3rver` on 127.0.0.1 on a free port, its data in a temporary
 * directory. s3rver 3.7 answers AbortMultipartUpload with 405, so a middleware placed before its routes does
 * what S3 does (drops the upload's parts); its uploads in progress are read from its directory.
 */
export class LocalS3 {
  readonly endpoint: string;
  /** A client of this server, as the service builds one with S3_ENDPOINT (path-style). */
  readonly client: S3Client;
  readonly #server: S3rver;
  readonly #dir: string;

  private constructor(server: S3rver, dir: string, port: number) {
    this.#server = server;
    this.#dir = dir;
    this.endpoint = `http://127.0.0.1:${port}`;
    this.client = new S3Client({
      endpoint: this.endpoint,
      forcePathStyle: true,
      region: 'us-east-1',
      credentials: LOCAL_S3_KEYS,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  /** Starts a server; resolves once it listens. */
  static async start(): Promise<LocalS3> {
    const dir = await mkdtemp(path.join(tmpdir(), 'dcz-s3-'));
    const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir });
    server.middleware.unshift(async (ctx, next) => {
      const uploadId = ctx.query.uploadId;
      if (ctx.method !== 'DELETE' || typeof uploadId !== 'string') return next();
      const bucket = ctx.path.split('/')[1] ?? '';
      await rm(
        path.join(server.store.getResourcePath(bucket, undefined, 'uploads'), path.basename(uploadId)),
        {
          recursive: true,
          force: true,
        },
      );
      ctx.status = 204;
    });
    const { port } = await server.run();
    return new LocalS3(server, dir, port);
  }

  /** Creates a bucket with a fresh name; resolves the name. */
  async createBucket(): Promise<string> {
    const bucket = `dcz-test-${randomBytes(6).toString('hex')}`;
    await this.client.send(new CreateBucketCommand({ Bucket: bucket }));
    return bucket;
  }

  /** The keys of every object in `bucket`. */
  async objectKeys(bucket: string): Promise<string[]> {
    const listed = await this.client.send(new ListObjectsV2Command({ Bucket: bucket }));
    return (listed.Contents ?? []).map((object) => object.Key ?? '');
  }

  /** The ids of the multipart uploads begun in `bucket` and neither completed nor aborted. */
  async pendingUploads(bucket: string): Promise<string[]> {
    const uploads = this.#server.store.getResourcePath(bucket, undefined, 'uploads');
    return readdir(uploads).catch(() => []);
  }

  /** Deletes every object of `bucket` (and its pending uploads). */
  async emptyBucket(bucket: string): Promise<void> {
    for (const key of await this.objectKeys(bucket)) {
      await this.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    }
    await rm(this.#server.store.getResourcePath(bucket, undefined, 'uploads'), {
      recursive: true,
      force: true,
    });
  }

  /** Empties and deletes `bucket`. */
  async dropBucket(bucket: string): Promise<void> {
    await this.emptyBucket(bucket);
    await this.client.send(new DeleteBucketCommand({ Bucket: bucket }));
  }

  /** Stops the server and removes its directory. */
  async stop(): Promise<void> {
    this.client.destroy();
    this.#server.httpServer?.closeAllConnections();
    await this.#server.close();
    await rm(this.#dir, { recursive: true, force: true });
  }
}
