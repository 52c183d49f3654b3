import { sql } from 'kysely';
import type { Database } from '../../src/data/database.js';

/**
 * What a request wrote, row by row: a trigger on every data table records each insert, update and
 * delete into a log table in the writer's own transaction, so a write that was rolled back leaves
 * nothing and "this refused request changed nothing" is one cheap read after it. Bookkeeping
 * every request does by design is left out: a session's or API token's last use, and the rate
 * limiter's counters (which a refused sign-in is meant to move).
 */
const IGNORED_COLUMNS: Record<string, string[]> = {
  sessions: ['last_seen_at', 'expires_at'],
  api_tokens: ['last_used_at'],
};
const UNWATCHED_TABLES = new Set(['rate_limits', 'kysely_migration', 'kysely_migration_lock', 'test_writes']);

export interface Write {
  table: string;
  op: 'INSERT' | 'UPDATE' | 'DELETE';
  row: Record<string, unknown>;
}

export interface WriteLog {
  /** The rows written since the last call, and forgets them. */
  take(): Promise<Write[]>;
}

export async function watchWrites(db: Database['db']): Promise<WriteLog> {
  await sql`CREATE TABLE IF NOT EXISTS test_writes (id bigserial PRIMARY KEY, table_name text NOT NULL, op text NOT NULL, row_data jsonb NOT NULL)`.execute(db);
  await sql`
    CREATE OR REPLACE FUNCTION test_record_write() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      ignored text[] := coalesce(TG_ARGV::text[], '{}');
    BEGIN
      IF TG_OP = 'UPDATE' THEN
        IF (to_jsonb(NEW) - ignored) = (to_jsonb(OLD) - ignored) THEN RETURN NULL; END IF;
        INSERT INTO test_writes (table_name, op, row_data) VALUES (TG_TABLE_NAME, TG_OP, to_jsonb(NEW) - ignored);
      ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO test_writes (table_name, op, row_data) VALUES (TG_TABLE_NAME, TG_OP, to_jsonb(NEW));
      ELSE
        INSERT INTO test_writes (table_name, op, row_data) VALUES (TG_TABLE_NAME, TG_OP, to_jsonb(OLD));
      END IF;
      RETURN NULL;
    END $$`.execute(db);
  const { rows } = await sql<{ name: string }>`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'`.execute(db);
  for (const { name } of rows) {
    if (UNWATCHED_TABLES.has(name)) continue;
    const args = sql.join((IGNORED_COLUMNS[name] ?? []).map((c) => sql.lit(c)));
    await sql`DROP TRIGGER IF EXISTS test_record_write ON ${sql.table(name)}`.execute(db);
    await sql`CREATE TRIGGER test_record_write AFTER INSERT OR UPDATE OR DELETE ON ${sql.table(name)} FOR EACH ROW EXECUTE FUNCTION test_record_write(${args})`.execute(db);
  }
  await sql`DELETE FROM test_writes`.execute(db);
  return {
    take: async () => {
      const taken = await sql<{ table_name: string; op: Write['op']; row_data: Record<string, unknown> }>`DELETE FROM test_writes RETURNING table_name, op, row_data`.execute(db);
      return taken.rows.map((r) => ({ table: r.table_name, op: r.op, row: r.row_data }));
    },
  };
}
