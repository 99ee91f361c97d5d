import { afterAll } from 'vitest';
import { type Database, migrate, openDatabase } from '../../src/storage/postgres/database.ts';
import { createTestDatabase } from './services.ts';

/** Opens a database once, on first use, migrated; `dispose` closes it (and drops it, for PostgreSQL). */
function lazyDatabase(open: () => Promise<{ db: Database; dispose(): Promise<void> }>) {
  let opened: ReturnType<typeof open> | undefined;
  return {
    async get() {
      opened ??= open();
      return (await opened).db;
    },
    dispose: async () => {
      if (opened !== undefined) await (await opened).dispose();
    },
  };
}

/**
 * The two databases a storage contract runs on, for one test file: an embedded PGlite and a fresh PostgreSQL
 * database, each opened on first use (a PGlite instance costs seconds and a lot of memory, so one per file) and
 * closed by the file's `afterAll`.
 */
export function contractDatabases(): Record<'PGlite' | 'PostgreSQL', { get(): Promise<Database> }> {
  const databases = {
    PGlite: lazyDatabase(async () => {
      const db = await openDatabase({ url: undefined, dataDir: 'memory://' });
      await migrate(db);
      return { db, dispose: () => db.close() };
    }),
    PostgreSQL: lazyDatabase(async () => {
      const test = await createTestDatabase();
      const db = await openDatabase({ url: test.url, dataDir: 'unused' });
      await migrate(db);
      return {
        db,
        dispose: async () => {
          await db.close();
          await test.drop();
        },
      };
    }),
  };
  afterAll(async () => {
    await Promise.all(Object.values(databases).map((d) => d.dispose()));
  });
  return databases;
}
