import { Redis } from 'ioredis';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { freePort, POSTGRES_URL } from '../../test/support/services.ts';
import { AppError, UnavailableError } from './errors.ts';
import { errorClassOf, isTransientError } from './transient-errors.ts';

/** What `work` rejects with. */
async function rejection(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('isTransientError', () => {
  it('takes PostgreSQL refusing the connection for an outage', async () => {
    const port = await freePort();
    const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
    const error = await rejection(() => client.connect());
    expect(isTransientError(error)).toBe(true);
    expect(errorClassOf(error)).toBe('ECONNREFUSED');
  });

  it('takes a command on a Redis connection that is down for an outage', async () => {
    const port = await freePort();
    const redis = new Redis({
      host: '127.0.0.1',
      port,
      enableOfflineQueue: false,
      lazyConnect: true,
      retryStrategy: () => null,
    });
    redis.on('error', () => undefined);
    try {
      const error = await rejection(() => redis.get('x'));
      expect(isTransientError(error)).toBe(true);
    } finally {
      redis.disconnect();
    }
  });

  it('takes an SQL error for a defect, with its SQLSTATE as its class', async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      const error = await rejection(() => client.query('SELECT * FROM no_such_table_here'));
      expect(isTransientError(error)).toBe(false);
      expect(errorClassOf(error)).toBe('42P01');
    } finally {
      await client.end();
    }
  });

  it('takes the server shutting down, a lost connection and Redis timeouts for outages', () => {
    expect(isTransientError(Object.assign(new Error('terminating connection'), { code: '57P01' }))).toBe(
      true,
    );
    expect(isTransientError(Object.assign(new Error('x'), { code: '08006' }))).toBe(true);
    expect(isTransientError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isTransientError(new Error('Command timed out'))).toBe(true);
    expect(isTransientError(new Error('Connection is closed.'))).toBe(true);
    expect(isTransientError(new Error('LOADING Redis is loading the dataset in memory'))).toBe(true);
  });

  it('follows causes and the errors of an AggregateError', () => {
    const refused = Object.assign(new Error('connect'), { code: 'ECONNREFUSED' });
    expect(isTransientError(new UnavailableError('The job queue', refused))).toBe(true);
    expect(isTransientError(new AggregateError([refused]))).toBe(true);
    expect(isTransientError(new Error('wrapped', { cause: refused }))).toBe(true);
  });

  it('takes our errors at their word, and anything else for a defect', () => {
    expect(isTransientError(new AppError('BUSY_TRY', 'later', { retryable: true }))).toBe(true);
    expect(isTransientError(new AppError('UNKNOWN_FLOW', 'no flow x'))).toBe(false);
    expect(isTransientError(new Error('boom'))).toBe(false);
    expect(isTransientError(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBe(false);
    expect(isTransientError('a string')).toBe(false);
    expect(isTransientError(null)).toBe(false);
  });
});

describe('errorClassOf', () => {
  it('gives a code or class name, never the message', () => {
    expect(errorClassOf(new AppError('UNKNOWN_FLOW', 'no flow 0905123456'))).toBe('UNKNOWN_FLOW');
    expect(errorClassOf(new TypeError('0905123456 is not a function'))).toBe('TypeError');
    expect(errorClassOf(Object.assign(new Error('x'), { code: 'has spaces 0905' }))).toBe('Error');
    expect(errorClassOf(42)).toBe('number');
  });
});
