import { sql, type Kysely } from 'kysely';

/**
 * Runs a migration's SQL one statement at a time: PGlite's extended protocol takes a single
 * statement per query. Statements end with a semicolon at the end of a line.
 */
export async function runStatements(db: Kysely<unknown>, text: string): Promise<void> {
  const statements = text
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  for (const statement of statements) await sql.raw(statement).execute(db);
}
