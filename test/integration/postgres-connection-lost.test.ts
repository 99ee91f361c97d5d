import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/storage/postgres/database.ts';
import { PrivatePostgres } from '../support/private-postgres.ts';

// PostgreSQL stopping (`pg_ctl stop -m fast`) ends every session, those of clients checked out for a transaction
// included. A transaction waiting between two queries (on Redis, say) when that happens must fail as an outage,
// not end the process with an unhandled 'error' event (the fault suite's PostgreSQL test found a worker dying).

describe('a transaction whose connection is lost between two queries', () => {
  let cluster: PrivatePostgres;
  let db: Database;

  beforeAll(async () => {
    cluster = await PrivatePostgres.start();
    db = await openDatabase({ url: cluster.url(), dataDir: '' });
  }, 60_000);
  afterAll(async () => {
    await db?.close().catch(() => undefined);
    await cluster?.destroy();
  });

  it('fails the transaction, keeps the process, and works again once PostgreSQL is back', async () => {
    const outcome = db.transaction(async (tx) => {
      await tx.query('SELECT 1');
      await cluster.stop();
      // Let the connection's end reach the client while no query is running.
      await new Promise((resolve) => setImmediate(resolve));
      await tx.query('SELECT 1');
    });
    await expect(outcome).rejects.toThrow();
    await cluster.restart();
    const { rows } = await db.query<{ one: number }>('SELECT 1 AS one');
    expect(rows).toEqual([{ one: 1 }]);
  }, 60_000);
});
