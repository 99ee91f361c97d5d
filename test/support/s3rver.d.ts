/** The part of the `s3rver` package (a local S3-protocol server, plain JavaScript) that the tests use. */
declare module 's3rver' {
  import type { Server } from 'node:http';

  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory: string;
  }

  /** A Koa application serving the S3 protocol from a directory. */
  export default class S3rver {
    constructor(options: S3rverOptions);
    /** Koa's middleware list: a function put first runs before s3rver's routes. */
    middleware: ((ctx: S3rverContext, next: () => Promise<void>) => Promise<void> | void)[];
    store: { getResourcePath(bucket: string, key: string | undefined, resource: string): string };
    httpServer?: Server;
    run(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
  }

  /** The few fields of Koa's context the tests read and set. */
  interface S3rverContext {
    method: string;
    path: string;
    query: Record<string, string | string[] | undefined>;
    status: number;
    body: unknown;
  }
}
