import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/data/migrate.js';
import { openTestDatabase } from '../support/database.js';

let database: Awaited<ReturnType<typeof openTestDatabase>>;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database.close());

it('applies a migration that landed after a later-numbered one to a data folder that already has the later one', async () => {
  // A data folder from before 0015 landed: 0018 applied, 0015 not.
  await sql`DROP TABLE user_groups, policies`.execute(database.db);
  await sql`DELETE FROM kysely_migration WHERE name = '0015_user_groups_policies'`.execute(database.db);

  expect(await migrateToLatest(database.db)).toEqual({ applied: ['0015_user_groups_policies'] });
  const tables = await sql<{ n: number }>`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name IN ('policies', 'user_groups')`.execute(database.db);
  expect(tables.rows[0]?.n).toBe(2);
  expect(await migrateToLatest(database.db)).toEqual({ applied: [] });
});
